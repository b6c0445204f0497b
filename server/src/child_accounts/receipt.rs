//! «Скачать квитанцию»: a plain-text receipt of one consent (who, for whom, what, which text,
//! when and from where, and its journal), for the signed-in parent who gave it.

use std::sync::Arc;

use app::api::SessionLookup;
use app::api::request::{CookiePolicy, cookie_in};

use app::child_account::consents::CONSENT_TEXT;
use app::domain::{format_ru_datetime, full_name};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::db::{Database, StorageError, accounts, consents};

#[derive(Clone)]
pub struct ReceiptState {
    pub db: Database,
    pub sessions: Arc<dyn SessionLookup>,
    pub cookie_policy: CookiePolicy,
}

fn event_label(event: &str) -> &'static str {
    match event {
        "requested" => "Запрошено",
        "granted" => "Согласие дано",
        "declined" => "Отказано",
        "revoked" => "Согласие отозвано",
        _ => "Событие",
    }
}

/// The receipt's text.
pub async fn text(db: &Database, parent_id: i64, id: i64) -> Result<Option<String>, StorageError> {
    let Some(consent) = consents::receipt_of_parent(db, parent_id, id).await? else {
        return Ok(None);
    };
    let Some(parent) = accounts::by_id(db, parent_id).await? else {
        return Ok(None);
    };
    let parent_name = full_name(
        &parent.last_name,
        &parent.first_name,
        parent.middle_name.as_deref(),
    );
    let journal = consents::events(db, id)
        .await?
        .into_iter()
        .map(|(event, at, address)| {
            format!(
                "  {} — {}{}",
                format_ru_datetime(at),
                event_label(&event),
                address.map(|a| format!(", адрес {a}")).unwrap_or_default()
            )
        })
        .collect::<Vec<_>>()
        .join("\n");
    Ok(Some(format!(
        "КВИТАНЦИЯ О СОГЛАСИИ № {id}\n\
         Госуслуги · Семья и дети\n\n\
         Кто даёт согласие: {parent_name} (законный представитель)\n\
         За кого: {child}\n\
         Что: согласие на передачу персональных данных ребёнка для его авторизации\n\
         Редакция текста: {version}\n\
         Состояние: {status}\n\n\
         Текст согласия:\n{CONSENT_TEXT}\n\n\
         Журнал:\n{journal}\n",
        child = consent.minor_name(),
        version = consent.text_version,
        status = consent.status.label(),
    )))
}

/// `GET /documents/family/consents/{id}/receipt`.
pub async fn download(
    State(state): State<ReceiptState>,
    Path(id): Path<i64>,
    headers: HeaderMap,
) -> Response {
    let signed_in = match cookie_in(&headers, state.cookie_policy.session_cookie()) {
        Some(token) => state.sessions.session(&token).await.ok().flatten(),
        None => None,
    };
    let Some(parent) = signed_in else {
        tracing::info!(
            event = "authz.refused",
            reason = "signed_out",
            what = "consent_receipt",
            consent_id = id,
            "refused"
        );
        return (StatusCode::UNAUTHORIZED, "Войдите, чтобы скачать квитанцию").into_response();
    };
    match text(&state.db, parent.account_id, id).await {
        Ok(Some(body)) => (
            [
                (header::CONTENT_TYPE, "text/plain; charset=utf-8".to_owned()),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"consent-{id}.txt\""),
                ),
                (header::CACHE_CONTROL, "no-store".to_owned()),
            ],
            body,
        )
            .into_response(),
        Ok(None) => {
            super::refusals::log_refused(
                "not_found_or_other_family",
                "consent_receipt",
                parent.account_id,
                id,
            );
            (StatusCode::NOT_FOUND, "Квитанция не найдена").into_response()
        }
        Err(error) => {
            tracing::error!(%error, "consent receipt failed");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                "Сервис временно недоступен",
            )
                .into_response()
        }
    }
}
