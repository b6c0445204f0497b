//! «Скачать квитанцию»: the signed PDF receipt of one consent (who, for whom, what, which text,
//! when and from where, and its journal), for the signed-in parent who gave it. A new decision
//! makes a new receipt; downloading again without one gives the same receipt.

use std::sync::Arc;

use app::api::SessionLookup;
use app::api::request::{CookiePolicy, cookie_in};

use app::child_account::consents::CONSENT_TEXT;
use app::domain::{format_ru_datetime, full_name};
use app::receipts::check::ReceiptKind;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::db::{Database, StorageError, accounts, consents};
use crate::receipts::{Block, IssuedReceipt, ReceiptDocument, ReceiptError, Receipts};

#[derive(Clone)]
pub struct ReceiptState {
    pub db: Database,
    pub sessions: Arc<dyn SessionLookup>,
    pub cookie_policy: CookiePolicy,
    pub receipts: Arc<Receipts>,
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

/// The consent as a receipt: the whole content for the parent, and the facts anyone checking it
/// may see (none personal).
pub async fn content(
    db: &Database,
    parent_id: i64,
    id: i64,
) -> Result<Option<(ReceiptDocument, Vec<(String, String)>)>, StorageError> {
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
    let journal = consents::events(db, id).await?;
    let last_event = journal.last().map(|(_, at, _)| format_ru_datetime(*at));
    let row = |label: &str, value: String| Block::Row {
        label: label.to_owned(),
        value,
    };
    let mut blocks = vec![
        row(
            "Кто даёт согласие",
            format!("{parent_name} (законный представитель)"),
        ),
        row("За кого", consent.minor_name()),
        row(
            "Что",
            "согласие на передачу персональных данных ребёнка для его авторизации".to_owned(),
        ),
        row("Редакция текста", consent.text_version.clone()),
        row("Состояние", consent.status.label().to_owned()),
        Block::Heading("Текст согласия".to_owned()),
        Block::Paragraph(CONSENT_TEXT.to_owned()),
        Block::Heading("Журнал".to_owned()),
    ];
    blocks.extend(journal.iter().map(|(event, at, address)| {
        row(
            &format!("{} (МСК)", format_ru_datetime(*at)),
            format!(
                "{}{}",
                event_label(event),
                address
                    .as_ref()
                    .map(|a| format!(", адрес {a}"))
                    .unwrap_or_default()
            ),
        )
    }));
    let facts = [
        ("Состояние согласия", consent.status.label().to_owned()),
        ("Редакция текста согласия", consent.text_version.clone()),
        ("Событий в журнале", journal.len().to_string()),
        (
            "Последнее событие",
            last_event
                .map(|at| format!("{at} (МСК)"))
                .unwrap_or_default(),
        ),
    ]
    .into_iter()
    .map(|(label, value)| (label.to_owned(), value))
    .collect();
    Ok(Some((
        ReceiptDocument {
            title: ReceiptKind::Consent.title().to_owned(),
            blocks,
        },
        facts,
    )))
}

async fn issue(
    state: &ReceiptState,
    parent_id: i64,
    id: i64,
) -> Result<Option<IssuedReceipt>, ReceiptError> {
    let Some((document, facts)) = content(&state.db, parent_id, id).await? else {
        return Ok(None);
    };
    Ok(Some(
        state
            .receipts
            .issue(ReceiptKind::Consent, id, &facts, &document)
            .await?,
    ))
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
    match issue(&state, parent.account_id, id).await {
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
