//! «Скачать квитанцию»: the signed PDF receipt of one consent (who, for whom, what, which text,
//! when and from where, and its journal), for the signed-in parent who gave it. A new decision
//! makes a new receipt; downloading again without one gives the same receipt.

use app::child_account::consents::CONSENT_TEXT;
use app::domain::{format_ru_datetime, full_name};
use app::receipts::check::ReceiptKind;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;

use crate::db::{Database, StorageError, accounts, consents};
use crate::receipts::download::{ReceiptState, respond};
use crate::receipts::{Block, IssuedReceipt, ReceiptDocument, ReceiptError};

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
    let parent = match state.signed_in(&headers, "consent_receipt", id).await {
        Ok(parent) => parent,
        Err(refused) => return refused,
    };
    let outcome = issue(&state, parent.account_id, id).await;
    if let Ok(None) = outcome {
        super::refusals::log_refused(
            "not_found_or_other_family",
            "consent_receipt",
            parent.account_id,
            id,
        );
    }
    respond(outcome, "consent receipt")
}
