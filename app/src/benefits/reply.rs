//! The family's moves on a sent application, both through the status machine on the server:
//! the answer to «Требуется уточнение» (a text and the files asked for: «Добавить документ»,
//! then «Отправить повторно»), and «Оспорить решение» within 30 days of a refusal, with the
//! arguments and the documents that support them.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::my_applications::ApplicationDetails;
use crate::api::ApiError;
#[cfg(feature = "ssr")]
use crate::api::{ServiceError, SignedInAccount, request, service};

/// Where a reply's documents show their errors (a file still being checked, say).
pub const REPLY_DOCUMENTS_FIELD: &str = "reply-documents";

/// An answer or an appeal as the family's form sends it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reply {
    pub text: String,
    /// The version the page showed: a change in between is refused, never overwritten.
    pub version: i64,
}

/// «Отправить повторно»: the answer and every file added since the request.
#[server(prefix = "/api", endpoint = "benefits/application-resend")]
pub async fn resend_application(id: i64, reply: Reply) -> Result<ApplicationDetails, ApiError> {
    let parent = request::require_account().await?;
    Ok(service::<dyn ApplicationReplies>()?
        .resend(&parent, id, reply)
        .await?)
}

/// «Оспорить решение»: the arguments and every file added since the refusal.
#[server(prefix = "/api", endpoint = "benefits/application-appeal")]
pub async fn appeal_decision(id: i64, reply: Reply) -> Result<ApplicationDetails, ApiError> {
    let parent = request::require_account().await?;
    Ok(service::<dyn ApplicationReplies>()?
        .appeal(&parent, id, reply)
        .await?)
}

/// «Удалить» a file added for the reply and not sent yet.
#[server(prefix = "/api", endpoint = "benefits/application-held-remove")]
pub async fn remove_held_document(id: i64, document: i64) -> Result<ApplicationDetails, ApiError> {
    let parent = request::require_account().await?;
    Ok(service::<dyn ApplicationReplies>()?
        .remove_held(&parent, id, document)
        .await?)
}

#[cfg(feature = "ssr")]
#[async_trait::async_trait]
pub trait ApplicationReplies: Send + Sync {
    async fn resend(
        &self,
        parent: &SignedInAccount,
        id: i64,
        reply: Reply,
    ) -> Result<ApplicationDetails, ServiceError>;

    async fn appeal(
        &self,
        parent: &SignedInAccount,
        id: i64,
        reply: Reply,
    ) -> Result<ApplicationDetails, ServiceError>;

    async fn remove_held(
        &self,
        parent: &SignedInAccount,
        id: i64,
        document: i64,
    ) -> Result<ApplicationDetails, ServiceError>;
}
