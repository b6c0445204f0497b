//! `GET /documents/uploads/{id}`: a file to its owner only (another family's reads as none), as an
//! attachment under its safe name, never cached, never sniffed into something else.

use app::api::request::session_in;
use app::benefits::documents::FileKind;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::upload::UploadState;
use crate::db::documents;

pub async fn download(
    State(state): State<UploadState>,
    Path(id): Path<i64>,
    headers: HeaderMap,
) -> Response {
    let parent = session_in(&headers, state.cookie_policy, state.sessions.as_ref()).await;
    let Some(parent) = parent else {
        return (StatusCode::UNAUTHORIZED, "Войдите, чтобы скачать документ").into_response();
    };
    let service = &state.documents;
    let stored = match documents::for_download(&service.db, parent.account_id, id).await {
        Ok(Some(stored)) => stored,
        Ok(None) => {
            tracing::warn!(
                event = "authz.refused",
                reason = "not_found_or_other_family",
                what = "document",
                account_id = parent.account_id,
                document_id = id,
                "refused"
            );
            return (StatusCode::NOT_FOUND, "Документ не найден").into_response();
        }
        Err(error) => {
            tracing::error!(%error, "document download failed");
            return (
                StatusCode::SERVICE_UNAVAILABLE,
                "Сервис временно недоступен",
            )
                .into_response();
        }
    };
    let opened = match service.store.get(&stored.storage_key.as_str().into()).await {
        Ok(found) => match found.bytes().await {
            Ok(bytes) => service
                .file_keys
                .open(stored.child_id, bytes.to_vec())
                .await
                .map_err(|e| e.to_string()),
            Err(error) => Err(error.to_string()),
        },
        Err(error) => Err(error.to_string()),
    };
    let body = match opened {
        Ok(bytes) => axum::body::Body::from(bytes),
        Err(error) => {
            tracing::error!(%error, document_id = id, "stored file unreadable");
            return (
                StatusCode::SERVICE_UNAVAILABLE,
                "Сервис временно недоступен",
            )
                .into_response();
        }
    };
    let mut response = body.into_response();
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(stored.kind.mime()),
    );
    if let Ok(value) =
        HeaderValue::from_str(&disposition("attachment", &stored.file_name, stored.kind))
    {
        h.insert(header::CONTENT_DISPOSITION, value);
    }
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    response
}

/// `attachment` or `inline`, with an ASCII fallback name and the real one percent-encoded
/// (RFC 6266, 5987).
pub(crate) fn disposition(how: &str, name: &str, kind: FileKind) -> String {
    let encoded: String = name
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'.' | b'-' | b'_' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect();
    format!(
        "{how}; filename=\"document.{}\"; filename*=UTF-8''{encoded}",
        kind.extension()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_name_cannot_break_out_of_the_header() {
        let value = disposition("attachment", "скан \"паспорта\";\r\n.pdf", FileKind::Pdf);
        let (plain, encoded) = value.split_once("filename*=UTF-8''").unwrap();
        assert_eq!(plain, "attachment; filename=\"document.pdf\"; ");
        assert!(
            encoded
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"%._-".contains(&b))
        );
        assert!(encoded.starts_with("%D1%81"));
    }
}
