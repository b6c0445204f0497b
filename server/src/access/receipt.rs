//! «Квитанция»: the signed PDF of one grant of «Полный» access — who consented, for whom, to
//! which services, how, until when — for a parent with a live link to the minor. Its facts, which
//! anyone checking the receipt sees, are not personal.

use app::access::grants::{GrantStatus, GrantedHow};
use app::domain::{format_ru_datetime, full_name};
use app::receipts::check::ReceiptKind;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;

use crate::db::{access_grants, accounts};
use crate::receipts::download::{ReceiptState, respond};
use crate::receipts::{Block, IssuedReceipt, ReceiptDocument, ReceiptError};

async fn issue(
    state: &ReceiptState,
    parent: i64,
    id: i64,
) -> Result<Option<IssuedReceipt>, ReceiptError> {
    let Some(grant) = access_grants::for_parent(&state.db, parent, id).await? else {
        return Ok(None);
    };
    let Some(minor) = accounts::by_id(&state.db, grant.minor_account_id).await? else {
        return Ok(None);
    };
    let row = |label: &str, value: String| Block::Row {
        label: label.to_owned(),
        value,
    };
    let how = match grant.how() {
        Some(GrantedHow::Code) => {
            "ребёнок ввёл код подтверждения, отправленный родителю".to_owned()
        }
        _ => format!(
            "{} в настройках доступа",
            grant.decided_by_label.clone().unwrap_or_default()
        ),
    };
    let when = |at: Option<time::OffsetDateTime>| {
        at.map(|at| format!("{} (МСК)", format_ru_datetime(at)))
            .unwrap_or_else(|| "—".to_owned())
    };
    let status = grant.status.label().to_owned();
    let blocks = vec![
        row(
            "За кого",
            full_name(
                &minor.last_name,
                &minor.first_name,
                minor.middle_name.as_deref(),
            ),
        ),
        row(
            "Что",
            format!(
                "согласие законного представителя на полный доступ к сервисам «{}»: справки, \
                 заявления и операции расширенного уровня",
                grant.category.label()
            ),
        ),
        row("Как дано", how),
        row("Запрошено", when(Some(grant.requested_at))),
        row("Дано", when(grant.decided_at)),
        row("Действует до", when(grant.expires_at)),
        row("Состояние", status.clone()),
        row(
            "Отозвано или истекло",
            when(
                grant
                    .revoked_at
                    .filter(|_| grant.status != GrantStatus::Granted),
            ),
        ),
    ];
    let facts = vec![
        (
            "Категория сервисов".to_owned(),
            grant.category.label().to_owned(),
        ),
        ("Состояние согласия".to_owned(), status),
        ("Действует до".to_owned(), when(grant.expires_at)),
    ];
    let document = ReceiptDocument {
        title: ReceiptKind::Access.title().to_owned(),
        blocks,
    };
    Ok(Some(
        state
            .receipts
            .issue(ReceiptKind::Access, id, &facts, &document)
            .await?,
    ))
}

/// `GET /documents/family/access-grants/{id}/receipt`.
pub async fn download(
    State(state): State<ReceiptState>,
    Path(id): Path<i64>,
    headers: HeaderMap,
) -> Response {
    let parent = match state.signed_in(&headers, "access_receipt", id).await {
        Ok(parent) => parent,
        Err(refused) => return refused,
    };
    let outcome = issue(&state, parent.account_id, id).await;
    if let Ok(None) = outcome {
        tracing::info!(
            event = "authz.refused",
            reason = "not_found_or_other_family",
            what = "access_receipt",
            account_id = parent.account_id,
            id,
            "refused"
        );
    }
    respond(outcome, "access receipt")
}
