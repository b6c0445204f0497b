//! Services the server functions call. Declared here, implemented in the `server` crate and put
//! into Leptos context there, so `app` never depends on `server` or on a database driver.

use std::sync::Arc;

use crate::support::{Question, QuestionReceipt};

/// A failure of a service that is not the user's fault.
#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    #[error("storage failed: {0}")]
    Storage(String),
}

impl From<ServiceError> for super::ApiError {
    fn from(err: ServiceError) -> Self {
        tracing::error!(error = %err, "service failed");
        super::ApiError::Unavailable
    }
}

/// Questions to the support desk («Помощь → Задать вопрос»).
#[async_trait::async_trait]
pub trait SupportDesk: Send + Sync {
    async fn register(&self, question: Question) -> Result<QuestionReceipt, ServiceError>;
}

/// Everything the server functions need, provided as one context value per request.
#[derive(Clone)]
pub struct Services {
    pub support_desk: Arc<dyn SupportDesk>,
}

impl Services {
    /// The services of the running server. A server function that runs without them is a wiring
    /// bug, so this reports it as unavailable rather than panicking mid-request.
    pub fn current() -> Result<Self, super::ApiError> {
        leptos::prelude::use_context::<Services>().ok_or(super::ApiError::Unavailable)
    }
}
