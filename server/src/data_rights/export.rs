//! `GET /documents/family/children/{id}/data/export`: «Скачать все данные о ребёнке» — one ZIP
//! archive for the parent whose card it is: `data.json` (every row about the child, table by
//! table, secrets' hashes left out), `files/` (each document, opened with the child's key) and
//! `extract.pdf` (a readable, signed extract from the receipt machinery). Five an hour per
//! account; each is journaled for the child as a view of their data.
//! `GET /documents/family/deletions/{id}/receipt`: a deletion's receipt, for the parent who made it.

use std::io::Write;
use std::sync::Arc;

use app::api::request::{CookiePolicy, session_in};
use app::api::{Refusal, ServiceError, SessionLookup};
use app::domain::date::MOSCOW;
use app::receipts::check::ReceiptKind;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use governor::DefaultKeyedRateLimiter;
use serde_json::{Value, json};

use super::DataRightsService;
use crate::receipts::download::respond;
use crate::receipts::{Block, ReceiptDocument};

pub const EXPORTS_PER_HOUR: u32 = 5;

#[derive(Clone)]
pub struct DataRightsState {
    pub service: Arc<DataRightsService>,
    pub sessions: Arc<dyn SessionLookup>,
    pub cookie_policy: CookiePolicy,
    pub exports: Arc<DefaultKeyedRateLimiter<i64>>,
}

fn unavailable(error: impl std::fmt::Display) -> Response {
    tracing::error!(%error, what = "child data export", "export failed");
    (
        StatusCode::SERVICE_UNAVAILABLE,
        "Сервис временно недоступен",
    )
        .into_response()
}

/// What the readable extract says: how many records of each kind, and the card's own facts.
fn extract(child_name: &str, tables: &[(&str, Vec<Value>)], files: usize) -> ReceiptDocument {
    let mut blocks = vec![
        Block::Row {
            label: "О ком".to_owned(),
            value: child_name.to_owned(),
        },
        Block::Paragraph(
            "Все сведения о ребёнке, которые хранит портал. Полные данные — в файле data.json \
             этого архива, документы — в папке files."
                .to_owned(),
        ),
        Block::Heading("Сколько записей".to_owned()),
    ];
    for (table, rows) in tables.iter().filter(|(_, rows)| !rows.is_empty()) {
        blocks.push(Block::Row {
            label: (*table).to_owned(),
            value: rows.len().to_string(),
        });
    }
    blocks.push(Block::Row {
        label: "files".to_owned(),
        value: files.to_string(),
    });
    ReceiptDocument {
        title: ReceiptKind::DataExport.title().to_owned(),
        blocks,
    }
}

pub async fn export(
    State(state): State<DataRightsState>,
    Path(card): Path<i64>,
    headers: HeaderMap,
) -> Response {
    let Some(parent) = session_in(&headers, state.cookie_policy, state.sessions.as_ref()).await
    else {
        return (StatusCode::UNAUTHORIZED, "Войдите, чтобы скачать данные").into_response();
    };
    let service = &state.service;
    let (subject, child_name) = match service.subject(&parent, card).await {
        Ok(found) => found,
        Err(ServiceError::Refused(Refusal::NotFound)) => {
            tracing::info!(
                event = "authz.refused",
                account_id = parent.account_id,
                what = "child_data_export",
                card,
                "refused"
            );
            return (StatusCode::NOT_FOUND, "Ребёнок не найден").into_response();
        }
        Err(ServiceError::Refused(_)) => {
            return (StatusCode::FORBIDDEN, "Нужна подтверждённая учётная запись").into_response();
        }
        Err(error) => return unavailable(error),
    };
    if let Err(not_until) = state.exports.check_key(&parent.account_id) {
        let wait = crate::benefits::applications::admission::retry_after(&not_until);
        return (
            StatusCode::TOO_MANY_REQUESTS,
            [(header::RETRY_AFTER, wait.to_string())],
            "Слишком много выгрузок подряд. Попробуйте позже",
        )
            .into_response();
    }
    let tables = match super::collect::everything(&service.db, subject).await {
        Ok(tables) => tables,
        Err(error) => return unavailable(error),
    };
    let now = service.clock.now();
    if let Err(error) = crate::activity::record_parent_view(
        &service.db,
        parent.account_id,
        card,
        "Выгрузка всех данных о ребёнке",
        now,
    )
    .await
    {
        return unavailable(error);
    }
    let mut files = Vec::new();
    if let Some((_, documents)) = tables.iter().find(|(t, _)| *t == "documents") {
        for document in documents {
            let (Some(id), Some(key), Some(name)) = (
                document["id"].as_i64(),
                document["storage_key"].as_str(),
                document["file_name"].as_str(),
            ) else {
                continue;
            };
            let child = document["child_id"].as_i64();
            let stored = match service.store.get(&key.into()).await {
                Ok(found) => match found.bytes().await {
                    Ok(bytes) => bytes.to_vec(),
                    Err(error) => return unavailable(error),
                },
                Err(error) => return unavailable(error),
            };
            match service.file_keys.open(child, stored).await {
                Ok(plain) => files.push((format!("files/{id}-{name}"), plain)),
                Err(error) => return unavailable(error),
            }
        }
    }
    let document = extract(&child_name, &tables, files.len());
    let facts = vec![(
        "Таблиц с записями".to_owned(),
        tables
            .iter()
            .filter(|(_, r)| !r.is_empty())
            .count()
            .to_string(),
    )];
    let pdf = match service
        .receipts
        .issue(ReceiptKind::DataExport, card, &facts, &document)
        .await
    {
        Ok(issued) => issued.pdf,
        Err(error) => return unavailable(error),
    };
    let data = json!({
        "exported_at": now.to_offset(MOSCOW).to_string(),
        "child": child_name,
        "tables": tables.iter().map(|(t, rows)| ((*t).to_owned(), Value::Array(rows.clone()))).collect::<serde_json::Map<_, _>>(),
    });
    let archive = (|| -> Result<Vec<u8>, zip::result::ZipError> {
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        zip.start_file("data.json", options)?;
        zip.write_all(
            serde_json::to_string_pretty(&data)
                .unwrap_or_default()
                .as_bytes(),
        )?;
        zip.start_file("extract.pdf", options)?;
        zip.write_all(&pdf)?;
        for (name, bytes) in &files {
            zip.start_file(name.as_str(), options)?;
            zip.write_all(bytes)?;
        }
        Ok(zip.finish()?.into_inner())
    })();
    let archive = match archive {
        Ok(archive) => archive,
        Err(error) => return unavailable(error),
    };
    tracing::info!(
        event = "data.exported",
        account_id = parent.account_id,
        card,
        files = files.len(),
        "exported"
    );
    let today = now.to_offset(MOSCOW).date();
    (
        [
            (header::CONTENT_TYPE, "application/zip".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"child-data-{today}.zip\""),
            ),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        archive,
    )
        .into_response()
}

/// `GET /documents/family/deletions/{id}/receipt`.
pub async fn deletion_receipt(
    State(state): State<DataRightsState>,
    Path(id): Path<i64>,
    headers: HeaderMap,
) -> Response {
    let Some(parent) = session_in(&headers, state.cookie_policy, state.sessions.as_ref()).await
    else {
        return (StatusCode::UNAUTHORIZED, "Войдите, чтобы скачать квитанцию").into_response();
    };
    respond(
        state.service.deletion_receipt(parent.account_id, id).await,
        "deletion receipt",
    )
}
