//! Downloading a receipt over HTTP: only with the session of the person it belongs to, as an
//! attachment that is never cached. Each feature's route finds its content and calls these.

use std::sync::Arc;

use app::api::request::{CookiePolicy, session_in};
use app::api::{SessionLookup, SignedInAccount};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::{IssuedReceipt, ReceiptError, Receipts};
use crate::db::Database;

/// What a receipt route needs.
#[derive(Clone)]
pub struct ReceiptState {
    pub db: Database,
    pub sessions: Arc<dyn SessionLookup>,
    pub cookie_policy: CookiePolicy,
    pub receipts: Arc<Receipts>,
}

impl ReceiptState {
    /// The caller's live session, or the 401 that says to sign in (logged with what was asked).
    pub async fn signed_in(
        &self,
        headers: &HeaderMap,
        what: &'static str,
        id: i64,
    ) -> Result<SignedInAccount, Response> {
        let signed_in = session_in(headers, self.cookie_policy, self.sessions.as_ref()).await;
        signed_in.ok_or_else(|| {
            tracing::info!(
                event = "authz.refused",
                reason = "signed_out",
                what,
                id,
                "refused"
            );
            (StatusCode::UNAUTHORIZED, "Войдите, чтобы скачать квитанцию").into_response()
        })
    }
}

/// The answer to a download: the PDF, «not found» (another person's reads the same as none), or
/// «unavailable» with the failure logged.
pub fn respond(outcome: Result<Option<IssuedReceipt>, ReceiptError>, what: &str) -> Response {
    match outcome {
        Ok(Some(receipt)) => (
            [
                (header::CONTENT_TYPE, "application/pdf".to_owned()),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"receipt-{}.pdf\"", receipt.number),
                ),
                (header::CACHE_CONTROL, "no-store".to_owned()),
            ],
            receipt.pdf,
        )
            .into_response(),
        Ok(None) => (StatusCode::NOT_FOUND, "Квитанция не найдена").into_response(),
        Err(error) => {
            tracing::error!(%error, what, "receipt failed");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                "Сервис временно недоступен",
            )
                .into_response()
        }
    }
}
