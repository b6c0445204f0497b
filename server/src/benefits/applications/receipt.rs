//! `GET /applications/{id}/receipt`: the signed PDF receipt of a sent application — number, time,
//! benefit, child, applicant and every answer — for the parent who sent it. Its content is what
//! was sent, so it never changes: downloading again gives the same receipt.

use app::benefits::application::summary_rows;
use app::benefits::status::ApplicationStatus;
use app::receipts::check::ReceiptKind;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;

use super::Applications;
use crate::db::applications;
use crate::receipts::download::{ReceiptState, respond};
use crate::receipts::{Block, IssuedReceipt, ReceiptDocument, ReceiptError};

/// The receipt's content and the facts anyone checking it may see (none personal).
fn content(
    service: &Applications,
    stored: &applications::StoredApplication,
) -> Result<(ReceiptDocument, Vec<(String, String)>), ReceiptError> {
    let submitted = service.submitted(stored)?;
    let benefit = service.benefit(&stored.benefit_code)?;
    let sent = stored.content()?;
    let row = |label: &str, value: String| Block::Row {
        label: label.to_owned(),
        value,
    };
    let service_name = format!("{} (услуга № {})", benefit.name, benefit.service_number);
    let at = format!("{} (МСК)", submitted.submitted_at);
    // The status at sending: later decisions do not change what this receipt proves.
    let status = ApplicationStatus::UnderReview.label().to_owned();
    let mut blocks = vec![
        row("Номер заявления", submitted.number.clone()),
        row("Дата и время подачи", at.clone()),
        row("Льгота", service_name.clone()),
        row("Статус", status.clone()),
        row(
            "Срок рассмотрения",
            format!("до {} рабочих дней", benefit.decision_days),
        ),
        row("Заявитель", sent.applicant.name.clone()),
        Block::Heading("Сведения заявления".to_owned()),
    ];
    blocks.extend(
        summary_rows(&sent.child, &sent.applicant, &sent.answers)
            .into_iter()
            .map(|(_, label, value)| row(label, value.unwrap_or_default())),
    );
    if !sent.documents.is_empty() {
        blocks.push(Block::Heading("Документы".to_owned()));
        blocks.extend(
            sent.documents
                .iter()
                .map(|d| row(&d.title, format!("{} (SHA-256: {})", d.file_name, d.sha256))),
        );
    }
    let facts = [
        ("Номер заявления", submitted.number),
        ("Льгота", service_name),
        ("Подано", at),
        ("Статус при подаче", status),
    ]
    .into_iter()
    .map(|(label, value)| (label.to_owned(), value))
    .collect();
    Ok((
        ReceiptDocument {
            title: ReceiptKind::Application.title().to_owned(),
            blocks,
        },
        facts,
    ))
}

async fn issue(
    state: &ApplicationReceiptState,
    parent: i64,
    id: i64,
) -> Result<Option<IssuedReceipt>, ReceiptError> {
    let Some(stored) = applications::of_parent(&state.receipts.db, parent, id).await? else {
        return Ok(None);
    };
    let (document, facts) = content(&state.applications, &stored)?;
    Ok(Some(
        state
            .receipts
            .receipts
            .issue(ReceiptKind::Application, id, &facts, &document)
            .await?,
    ))
}

#[derive(Clone)]
pub struct ApplicationReceiptState {
    pub receipts: ReceiptState,
    pub applications: std::sync::Arc<Applications>,
}

pub async fn download(
    State(state): State<ApplicationReceiptState>,
    Path(id): Path<i64>,
    headers: HeaderMap,
) -> Response {
    let parent = match state
        .receipts
        .signed_in(&headers, "application_receipt", id)
        .await
    {
        Ok(parent) => parent,
        Err(refused) => return refused,
    };
    let outcome = issue(&state, parent.account_id, id).await;
    if let Ok(None) = outcome {
        tracing::warn!(
            event = "authz.refused",
            reason = "not_found_or_other_family",
            what = "application_receipt",
            account_id = parent.account_id,
            application_id = id,
            "refused"
        );
    }
    respond(outcome, "application receipt")
}
