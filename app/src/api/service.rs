//! Server side: how a server function reaches the service behind it. The server puts each
//! feature's service into Leptos context under its own trait (`Arc<dyn SignInService>`, …);
//! a server function takes the one it needs and nothing else.

use std::sync::Arc;

use time::OffsetDateTime;

use super::{ApiError, FieldError, Refusal};

/// Time comes from an injectable clock so tests can fix or move it.
pub trait Clock: Send + Sync {
    fn now(&self) -> OffsetDateTime;
}

/// Why a service did not do what was asked. Mapped once to [`ApiError`].
#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    /// Input refused at named fields (for example an e-mail already in use).
    #[error("invalid input: {0:?}")]
    Invalid(Vec<FieldError>),
    #[error("refused: {0:?}")]
    Refused(Refusal),
    #[error("throttled for {retry_after_seconds} s")]
    Throttled { retry_after_seconds: u32 },
    #[error("sign-in required")]
    SignInRequired,
    /// Not the user's fault: storage, a dependency, a bug. The cause is kept for the one log
    /// line written where it becomes a 503.
    #[error("unexpected failure")]
    Unexpected(#[source] Box<dyn std::error::Error + Send + Sync>),
}

impl ServiceError {
    /// A failure that is nobody's input: a broken invariant, an unreadable stored value.
    pub fn unexpected(cause: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> Self {
        ServiceError::Unexpected(cause.into())
    }
}

impl From<ServiceError> for ApiError {
    fn from(err: ServiceError) -> Self {
        match err {
            ServiceError::Invalid(fields) => ApiError::Invalid(fields),
            ServiceError::Refused(refusal) => ApiError::Refused(refusal),
            ServiceError::Throttled {
                retry_after_seconds,
            } => ApiError::Throttled {
                retry_after_seconds,
            },
            ServiceError::SignInRequired => ApiError::SignInRequired,
            ServiceError::Unexpected(cause) => {
                // The whole chain: the storage error and what sqlx says beneath it.
                let mut chain = cause.to_string();
                let mut next = cause.source();
                while let Some(inner) = next {
                    chain.push_str(": ");
                    chain.push_str(&inner.to_string());
                    next = inner.source();
                }
                tracing::error!(event = "service.failed", error = %chain, "service failed");
                ApiError::Unavailable
            }
        }
    }
}

/// The service of this running server that implements `S`: `service::<dyn SignInService>()`.
/// A server function that runs without it is a wiring bug, reported as unavailable (503) rather
/// than a panic mid-request.
pub fn service<S: ?Sized + Send + Sync + 'static>() -> Result<Arc<S>, ApiError> {
    leptos::prelude::use_context::<Arc<S>>().ok_or(ApiError::Unavailable)
}

/// Now, by the server's clock.
pub fn now() -> Result<OffsetDateTime, ApiError> {
    Ok(service::<dyn Clock>()?.now())
}
