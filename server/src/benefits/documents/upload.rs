//! `POST /documents/uploads` («Сохранить» after «Добавить документ»): multipart with `draft`,
//! `requirement` and then `file`. In this order, and nothing read before the previous step passed:
//! the session and its level, the per-account ceiling, a place among the uploads in flight, the
//! draft (the parent's own) and the requirement (its benefit's), the count of files kept. Then the
//! file streams to a temporary file, hashed and counted, and is refused the moment it passes
//! 5 MB; then it is checked by content and stored under a server-made name. The answer is the
//! document, «В обработке», or an `ApiError` with its status, at the slot's field.

use std::sync::Arc;

use app::api::request::{CookiePolicy, session_in};
use app::api::{ApiError, FieldError, Refusal, ServiceError, SessionLookup, SignedInAccount};
use app::benefits::catalogue::RequiredDocument;
use app::benefits::documents::{
    DocumentView, FileKind, MAX_FILE_BYTES, fields, safe_file_name, too_large, wrong_type,
};
use axum::Json;
use axum::extract::{FromRequest, Multipart, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};
use tokio::io::AsyncWriteExt;

use super::content::{self, ContentRefusal};
use super::library::not_required;
use super::{Documents, Place, view};
use crate::benefits::applications::admission::retry_after;
use crate::db::{application_drafts, documents};
use crate::family::require_confirmed;
use crate::jobs;

/// The multipart envelope around a 5 MB file: the body limit of this route.
pub const MAX_UPLOAD_BODY: usize = MAX_FILE_BYTES as usize + 64 * 1024;
/// Bytes the magic-number check looks at.
const HEAD_BYTES: usize = 64;

#[derive(Clone)]
pub struct UploadState {
    pub documents: Arc<Documents>,
    pub sessions: Arc<dyn SessionLookup>,
    pub cookie_policy: CookiePolicy,
}

/// Why an upload stopped: a refusal the parent reads, or a failure of ours.
#[derive(Debug, thiserror::Error)]
enum UploadError {
    #[error(transparent)]
    Service(#[from] ServiceError),
    #[error("the upload's body broke off: {0}")]
    Body(#[from] axum::extract::multipart::MultipartError),
    #[error("spool file: {0}")]
    Spool(#[from] std::io::Error),
    #[error("document store: {0}")]
    Store(#[from] object_store::Error),
    #[error("check task: {0}")]
    Task(#[from] tokio::task::JoinError),
}

impl From<crate::file_keys::FileKeyError> for UploadError {
    fn from(e: crate::file_keys::FileKeyError) -> Self {
        UploadError::Service(e.into())
    }
}

impl From<crate::db::StorageError> for UploadError {
    fn from(e: crate::db::StorageError) -> Self {
        UploadError::Service(e.into())
    }
}

fn invalid(error: FieldError) -> UploadError {
    UploadError::Service(ServiceError::Invalid(vec![error]))
}

fn malformed(field: &str, what: &str) -> UploadError {
    invalid(FieldError::new(field, "upload.malformed", what))
}

impl IntoResponse for UploadError {
    fn into_response(self) -> Response {
        let api = match self {
            UploadError::Service(e) => ApiError::from(e),
            UploadError::Body(e) => {
                tracing::info!(error = %e, "upload refused: body");
                ApiError::Invalid(vec![FieldError::new(
                    fields::FILE,
                    "upload.interrupted",
                    "Файл не дошёл целиком — проверьте подключение и загрузите его снова",
                )])
            }
            other => {
                tracing::error!(error = %other, "upload failed");
                ApiError::Unavailable
            }
        };
        let mut response = (api.http_status(), Json(&api)).into_response();
        if let ApiError::Throttled {
            retry_after_seconds,
        } = api
        {
            response
                .headers_mut()
                .insert(axum::http::header::RETRY_AFTER, retry_after_seconds.into());
        }
        response
    }
}

pub async fn upload(State(state): State<UploadState>, request: axum::extract::Request) -> Response {
    match accept(&state, request).await {
        Ok(document) => (StatusCode::CREATED, Json(document)).into_response(),
        Err(error) => error.into_response(),
    }
}

async fn accept(
    state: &UploadState,
    request: axum::extract::Request,
) -> Result<DocumentView, UploadError> {
    let service = &state.documents;
    let (parts, body) = request.into_parts();
    let parent = session_in(&parts.headers, state.cookie_policy, state.sessions.as_ref())
        .await
        .ok_or(ServiceError::SignInRequired)?;
    require_confirmed(&parent)?;
    service
        .per_account
        .check_key(&parent.account_id)
        .map_err(|n| ServiceError::Throttled {
            retry_after_seconds: retry_after(&n),
        })?;
    let _in_flight =
        service
            .in_flight
            .clone()
            .try_acquire_owned()
            .map_err(|_| ServiceError::Throttled {
                retry_after_seconds: 1,
            })?;
    let mut form = Multipart::from_request(axum::extract::Request::from_parts(parts, body), &())
        .await
        .map_err(|_| malformed(fields::FILE, "Отправьте файл формой загрузки"))?;

    let place = place(service, &parent, &mut form).await?;
    let requirement = RequiredDocument::parse(&text_field(&mut form, fields::REQUIREMENT).await?)
        .ok_or_else(|| malformed(fields::REQUIREMENT, "Неизвестный документ"))?;
    if !service.accepted_for(&place)?.contains(&requirement) {
        return Err(invalid(not_required(requirement)));
    }
    let slot = fields::slot(requirement);
    if documents::count_live(&service.db, parent.account_id).await?
        >= service.limits.files_per_account
    {
        return Err(invalid(FieldError::new(
            &slot,
            "documents.too_many",
            &format!(
                "У вас уже {} файлов — удалите ненужные, чтобы загрузить новый",
                service.limits.files_per_account
            ),
        )));
    }

    let Some(mut file) = form.next_field().await? else {
        return Err(invalid(FieldError::new(
            &slot,
            "file.missing",
            "Выберите файл",
        )));
    };
    if file.name() != Some(fields::FILE) {
        return Err(malformed(&slot, "Ожидался файл"));
    }
    let raw_name = file.file_name().unwrap_or_default().to_owned();
    let spool = tempfile::NamedTempFile::new_in(&service.spool)?;
    let mut out = tokio::fs::File::from_std(spool.reopen()?);
    let mut hasher = Sha256::new();
    let mut size: u64 = 0;
    let mut head = Vec::with_capacity(HEAD_BYTES);
    while let Some(chunk) = file.chunk().await? {
        size += chunk.len() as u64;
        if size > MAX_FILE_BYTES {
            tracing::info!(account_id = parent.account_id, "upload refused: over 5 MB");
            return Err(invalid(too_large(&slot)));
        }
        let room = HEAD_BYTES.saturating_sub(head.len());
        head.extend_from_slice(&chunk[..room.min(chunk.len())]);
        hasher.update(&chunk);
        out.write_all(&chunk).await?;
    }
    out.flush().await?;
    drop(out);
    if size == 0 {
        return Err(invalid(FieldError::new(
            &slot,
            "file.empty",
            "Файл пустой — выберите файл с документом",
        )));
    }
    let Some(kind) = content::sniff(&head) else {
        tracing::info!(
            account_id = parent.account_id,
            "upload refused: not PDF, JPEG or PNG"
        );
        return Err(invalid(wrong_type(&slot)));
    };
    let sha256 = hex(&hasher.finalize());
    let key = crate::storage::new_key();
    {
        // One file in memory per core at a time, for the check and the store.
        let _memory = service
            .in_memory
            .clone()
            .acquire_owned()
            .await
            .map_err(|_| ServiceError::Throttled {
                retry_after_seconds: 1,
            })?;
        let bytes = tokio::fs::read(spool.path()).await?;
        let (bytes, checked) = tokio::task::spawn_blocking(move || {
            let checked = content::inspect(&bytes, kind);
            (bytes, checked)
        })
        .await?;
        if let Err(refusal) = checked {
            tracing::info!(account_id = parent.account_id, reason = %refusal, "upload refused: content");
            return Err(invalid(refused(&slot, &refusal)));
        }
        let child = match &place {
            Place::Draft(draft) => Some(draft.child_id),
            Place::Reply { child, .. } => *child,
        };
        let stored = match child {
            Some(child) => service.file_keys.seal(child, &bytes).await?,
            None => bytes,
        };
        service.store.put(&key, stored.into()).await?;
    }
    let file_name = safe_file_name(&raw_name, kind);
    match record(
        service,
        &parent,
        &place,
        requirement,
        &file_name,
        kind,
        size,
        &sha256,
        &key,
    )
    .await
    {
        Ok(document) => Ok(document),
        Err(error) => {
            // Nothing refers to the stored file: take it away again.
            let _ = service.store.delete(&key).await;
            Err(error)
        }
    }
}

/// The row «В обработке», the draft's slot (or the application's next reply) and the scan check
/// job, in one transaction.
#[allow(clippy::too_many_arguments)]
async fn record(
    service: &Documents,
    parent: &SignedInAccount,
    place: &Place,
    requirement: RequiredDocument,
    file_name: &str,
    kind: FileKind,
    size: u64,
    sha256: &str,
    key: &object_store::path::Path,
) -> Result<DocumentView, UploadError> {
    let now = service.clock.now();
    let mut tx = service.db.begin().await?;
    let id = documents::insert(
        &mut tx,
        documents::NewDocument {
            parent: parent.account_id,
            requirement,
            file_name,
            kind,
            size_bytes: i64::try_from(size).unwrap_or(i64::MAX),
            sha256,
            storage_key: key.as_ref(),
            at: now,
            child: match place {
                Place::Draft(draft) => Some(draft.child_id),
                Place::Reply { child, .. } => *child,
            },
        },
    )
    .await?;
    match place {
        Place::Draft(draft) => {
            documents::attach(&mut tx, draft.id, requirement, id).await?;
            application_drafts::touch(&mut tx, draft.id, now).await?;
        }
        Place::Reply { application, .. } => {
            documents::hold_for_reply(&mut tx, *application, id).await?;
        }
    }
    jobs::enqueue(
        &mut tx,
        super::scan::KIND,
        &super::scan::Payload { document_id: id },
        now,
    )
    .await?;
    tx.commit().await?;
    tracing::info!(
        event = "document.uploaded",
        account_id = parent.account_id,
        document_id = id,
        kind = kind.as_str(),
        size
    );
    let stored = documents::of_parent(&service.db, parent.account_id, id)
        .await?
        .ok_or(ServiceError::Refused(Refusal::NotFound))?;
    Ok(view(&stored)?)
}

fn refused(field: &str, refusal: &ContentRefusal) -> FieldError {
    FieldError::new(field, refusal.code(), refusal.message())
}

/// The form's first field names where the file goes: the parent's own draft, or the parent's own
/// application while it waits for the family's answer or appeal.
async fn place(
    service: &Documents,
    parent: &SignedInAccount,
    form: &mut Multipart,
) -> Result<Place, UploadError> {
    let field = form
        .next_field()
        .await?
        .ok_or_else(|| malformed(fields::DRAFT, "Форма загрузки неполная"))?;
    let name = field.name().unwrap_or_default().to_owned();
    let text = field.text().await?;
    let id: Option<i64> = text.parse().ok();
    match (name.as_str(), id) {
        (fields::DRAFT, Some(id)) => {
            Ok(Place::Draft(service.draft_of(parent.account_id, id).await?))
        }
        (fields::APPLICATION, Some(id)) => Ok(service.reply_of(parent.account_id, id).await?),
        (fields::APPLICATION, None) => {
            Err(malformed(fields::APPLICATION, "Неверный номер заявления"))
        }
        _ => Err(malformed(fields::DRAFT, "Неверный номер черновика")),
    }
}

/// A short text field, in its place in the form.
async fn text_field(form: &mut Multipart, name: &str) -> Result<String, UploadError> {
    let field = form
        .next_field()
        .await?
        .ok_or_else(|| malformed(name, "Форма загрузки неполная"))?;
    if field.name() != Some(name) {
        return Err(malformed(name, "Форма загрузки неполная"));
    }
    let text = field.text().await?;
    if text.len() > 64 {
        return Err(malformed(name, "Форма загрузки неполная"));
    }
    Ok(text)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
