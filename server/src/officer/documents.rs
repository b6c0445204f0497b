//! The application's documents on the officer's desk: each shown inline from the server to the
//! officer working the application (`GET /officer/applications/{id}/documents/{document}`), never
//! as a public file, each opening journaled; and the officer's verdict on each one.

use std::sync::Arc;

use app::api::request::{CookiePolicy, session_in};
use app::api::{FieldError, Refusal, Role, ServiceError, SessionLookup, SignedInAccount};
use app::benefits::journal::JournalEvent;
use app::domain::application_status::MAX_TEXT_CHARS;
use app::officer::desk::{CLAIM_MINUTES, CaseFile, DocumentVerdict, REASON_FIELD};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use time::Duration;

use super::OfficerDeskService;
use super::case::officer_entry;
use crate::benefits::documents::download::disposition;
use crate::db::document_reviews::{self, NewReview, VerdictKind};
use crate::db::{decisions, documents};
use crate::family::not_found;
use crate::security::FramedBySameOrigin;

impl OfficerDeskService {
    /// «Одобрено» or rejected with a reason, by the officer holding the application; the claim is
    /// renewed, as by any action of its officer.
    pub(super) async fn review(
        &self,
        account: &SignedInAccount,
        id: i64,
        document: i64,
        verdict: DocumentVerdict,
    ) -> Result<CaseFile, ServiceError> {
        let officer = self.officer(account).await?;
        let now = self.clock.now();
        let row = self.row(id, now).await?;
        if !document_reviews::belongs_to(&self.db, id, document).await? {
            return Err(not_found());
        }
        if !row.status.awaits_officer() {
            return Err(ServiceError::Refused(Refusal::TransitionNotAllowed));
        }
        match row.live_claim(now) {
            None => return Err(ServiceError::Refused(Refusal::NotClaimed)),
            Some(holder) if holder != officer.id.0 => {
                return Err(ServiceError::Refused(Refusal::ClaimedByAnother));
            }
            Some(_) => {}
        }
        let (kind, reason) = match &verdict {
            DocumentVerdict::Approved => (VerdictKind::Approved, String::new()),
            DocumentVerdict::Rejected { reason } => {
                (VerdictKind::Rejected, checked_reason(reason)?)
            }
        };
        let shown = self.case_file(&row, officer, now).await?;
        let title = shown
            .documents
            .iter()
            .find(|d| d.id == document)
            .map(|d| format!("{} ({})", d.title, d.file_name))
            .ok_or_else(not_found)?;
        let (event, comment) = match kind {
            VerdictKind::Approved => (JournalEvent::DocumentApproved, title),
            VerdictKind::Rejected => (JournalEvent::DocumentRejected, format!("{title}: {reason}")),
        };
        let mut tx = self.db.begin().await?;
        if !decisions::claim(
            &mut tx,
            id,
            officer.id.0,
            now,
            now + Duration::minutes(CLAIM_MINUTES),
        )
        .await?
        {
            return Err(ServiceError::Refused(Refusal::ClaimedByAnother));
        }
        document_reviews::record(
            &mut tx,
            NewReview {
                application: id,
                document,
                verdict: kind,
                reason: &reason,
                officer: officer.id.0,
                officer_number: officer.number,
                at: now,
            },
        )
        .await?;
        officer_entry(&mut tx, id, officer, event, &comment, now).await?;
        tx.commit().await?;
        let row = self.row(id, now).await?;
        self.case_file(&row, officer, now).await
    }
}

/// A rejection's reason: required, at most `MAX_TEXT_CHARS`, said at its field.
fn checked_reason(reason: &str) -> Result<String, ServiceError> {
    let reason = reason.trim();
    let problem = if reason.is_empty() {
        Some((
            "document.reason_required",
            "Укажите причину, по которой документ отклонён",
        ))
    } else if reason.chars().count() > MAX_TEXT_CHARS {
        Some((
            "document.reason_too_long",
            "Текст длиннее 2000 символов — сократите его",
        ))
    } else {
        None
    };
    match problem {
        Some((code, message)) => Err(ServiceError::Invalid(vec![FieldError::new(
            REASON_FIELD,
            code,
            message,
        )])),
        None => Ok(reason.to_owned()),
    }
}

#[derive(Clone)]
pub struct DocumentRouteState {
    pub desk: Arc<OfficerDeskService>,
    pub sessions: Arc<dyn SessionLookup>,
    pub cookie_policy: CookiePolicy,
}

fn refused(status: StatusCode, text: &'static str) -> Response {
    (status, text).into_response()
}

/// The document inline, to an officer or administrator, when it belongs to the application; to
/// anyone else, or for another application's document, it reads as none.
pub async fn show(
    State(state): State<DocumentRouteState>,
    Path((id, document)): Path<(i64, i64)>,
    headers: HeaderMap,
) -> Response {
    let Some(account) = session_in(&headers, state.cookie_policy, state.sessions.as_ref()).await
    else {
        return refused(StatusCode::UNAUTHORIZED, "Войдите, чтобы открыть документ");
    };
    match shown(&state.desk, &account, id, document).await {
        Ok(response) => response,
        Err(ServiceError::Refused(_)) => {
            tracing::warn!(
                event = "authz.refused",
                what = "officer_document",
                account_id = account.account_id,
                application_id = id,
                document_id = document,
                "refused"
            );
            refused(StatusCode::NOT_FOUND, "Документ не найден")
        }
        Err(error) => {
            tracing::error!(%error, application_id = id, document_id = document, "document not shown");
            refused(
                StatusCode::SERVICE_UNAVAILABLE,
                "Сервис временно недоступен",
            )
        }
    }
}

async fn shown(
    desk: &OfficerDeskService,
    account: &SignedInAccount,
    id: i64,
    document: i64,
) -> Result<Response, ServiceError> {
    if account.role == Role::Citizen {
        return Err(not_found());
    }
    let officer = desk.officer(account).await?;
    if !document_reviews::belongs_to(&desk.db, id, document).await? {
        return Err(not_found());
    }
    let stored = documents::by_id(&desk.db, document)
        .await?
        .ok_or_else(not_found)?;
    let body = desk
        .store
        .get(&stored.storage_key.as_str().into())
        .await
        .map_err(ServiceError::unexpected)?
        .bytes()
        .await
        .map_err(ServiceError::unexpected)?;
    let body = desk.file_keys.open(stored.child_id, body.to_vec()).await?;
    let now = desk.clock.now();
    let mut tx = desk.db.begin().await?;
    let comment = format!("Открыт документ «{}»", stored.file_name);
    officer_entry(&mut tx, id, officer, JournalEvent::Viewed, &comment, now).await?;
    tx.commit().await?;
    let mut response = axum::body::Body::from(body).into_response();
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(stored.kind.mime()),
    );
    if let Ok(value) = HeaderValue::from_str(&disposition("inline", &stored.file_name, stored.kind))
    {
        h.insert(header::CONTENT_DISPOSITION, value);
    }
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response.extensions_mut().insert(FramedBySameOrigin);
    Ok(response)
}
