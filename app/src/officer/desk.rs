//! The officer's desk: the queue of applications, claiming one (a lease, so two officers never
//! work the same application), reading it with its documents, and deciding it through the status
//! machine. Officers see applications and their documents only: nothing here reaches a child's
//! card or a family's other data.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::api::ApiError;
#[cfg(feature = "ssr")]
use crate::api::{ServiceError, SignedInAccount, request, service};
use crate::benefits::journal::JournalEntry;
use crate::benefits::status::{ApplicationStatus, EligibilityFlag};
use crate::domain::application_status::ActionKind;

/// Rows per page of the queue.
pub const QUEUE_PAGE: u32 = 25;
/// How long a claim lasts without another action by its officer.
pub const CLAIM_MINUTES: i64 = 30;

/// The queue's filters; every one optional. Overdue applications come first whatever is chosen.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct QueueFilter {
    pub status: Option<ApplicationStatus>,
    pub benefit: Option<String>,
    pub overdue_only: bool,
    pub eligibility: Option<EligibilityFlag>,
    pub mine_only: bool,
    /// From 0.
    pub page: u32,
}

/// Who holds an application.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum ClaimView {
    Free,
    /// The reader's own claim, until «14:35».
    Mine {
        until: String,
    },
    /// Another officer's claim: by public number.
    Other {
        officer: String,
    },
}

/// One row of the queue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueRow {
    pub id: i64,
    pub number: String,
    pub benefit_name: String,
    pub submitted_at: String,
    pub status: ApplicationStatus,
    /// Days in the present status.
    pub waiting_days: i64,
    pub overdue: bool,
    pub eligibility: EligibilityFlag,
    pub claim: ClaimView,
    /// The family answered a clarification or appealed since an officer last acted.
    pub new_material: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueuePage {
    pub rows: Vec<QueueRow>,
    pub total: i64,
    pub page: u32,
    /// Every benefit of the catalogue, `(code, name)`, for the filter.
    pub benefits: Vec<(String, String)>,
}

impl QueuePage {
    pub fn pages(&self) -> u32 {
        u32::try_from(self.total.max(0))
            .unwrap_or(u32::MAX)
            .div_ceil(QUEUE_PAGE)
    }
}

impl QueueFilter {
    /// The filter as the queue page's address says it (`/officer?status=…&page=2`), pages
    /// counted from 1 there.
    pub fn from_query(get: impl Fn(&str) -> Option<String>) -> Self {
        let flag = |name: &str| get(name).is_some_and(|v| v == "1" || v == "on");
        QueueFilter {
            status: get("status").and_then(|s| ApplicationStatus::parse(&s)),
            benefit: get("benefit").filter(|b| !b.is_empty()),
            overdue_only: flag("overdue"),
            eligibility: get("eligibility").and_then(|e| EligibilityFlag::parse(&e)),
            mine_only: flag("mine"),
            page: get("page")
                .and_then(|p| p.parse::<u32>().ok())
                .map_or(0, |p| p.saturating_sub(1)),
        }
    }

    /// The address of this filter at another page (from 0).
    pub fn href(&self, page: u32) -> String {
        let mut parts = Vec::new();
        if let Some(status) = self.status {
            parts.push(format!("status={}", status.as_str()));
        }
        if let Some(benefit) = &self.benefit {
            parts.push(format!("benefit={benefit}"));
        }
        if self.overdue_only {
            parts.push("overdue=1".to_owned());
        }
        if let Some(flag) = self.eligibility {
            parts.push(format!("eligibility={}", flag.as_str()));
        }
        if self.mine_only {
            parts.push("mine=1".to_owned());
        }
        if page > 0 {
            parts.push(format!("page={}", page + 1));
        }
        if parts.is_empty() {
            "/officer".to_owned()
        } else {
            format!("/officer?{}", parts.join("&"))
        }
    }
}

/// A document of the application, shown inline from the server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseDocument {
    pub id: i64,
    /// The required document it is, or «Дополнительный документ».
    pub title: String,
    pub file_name: String,
    /// `application/pdf`, `image/png` or `image/jpeg`.
    pub media_type: String,
    /// Sent with the family's latest answer or appeal.
    pub new: bool,
    /// The officers' latest verdict on it.
    pub review: Option<DocumentReview>,
}

impl CaseDocument {
    pub fn href(&self, application: i64) -> String {
        document_href(application, self.id)
    }
}

/// The route that shows an application's document inline to the officer working it.
pub const DOCUMENT_ROUTE: &str = "/officer/applications/{id}/documents/{document}";

pub fn document_href(application: i64, document: i64) -> String {
    format!("/officer/applications/{application}/documents/{document}")
}

/// An officer's verdict on one document: «Одобрено», or rejected with a reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum DocumentVerdict {
    Approved,
    Rejected { reason: String },
}

/// A verdict as the case shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentReview {
    pub approved: bool,
    /// Empty when approved.
    pub reason: String,
    /// «Специалист № 105».
    pub by: String,
    pub at: String,
}

/// The field of a document's rejection reason.
pub const REASON_FIELD: &str = "document-reason";

/// An application as the officer works on it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseFile {
    pub id: i64,
    pub number: String,
    pub benefit_name: String,
    pub decision_days: u8,
    pub submitted_at: String,
    pub status: ApplicationStatus,
    pub eligibility: EligibilityFlag,
    pub overdue: bool,
    pub claim: ClaimView,
    /// What was sent, as the family's «Проверьте ответы» showed it.
    pub answers: Vec<(String, String)>,
    pub documents: Vec<CaseDocument>,
    pub journal: Vec<JournalEntry>,
    /// What this officer may do now (the status machine asked with the reader's facts).
    pub actions: Vec<ActionKind>,
    pub version: i64,
}

/// A decision as the officer's form sends it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Decision {
    pub action: ActionKind,
    pub comment: String,
    /// The version the officer read: a change in between is refused, never overwritten.
    pub version: i64,
}

#[server(prefix = "/api", endpoint = "officer/queue")]
pub async fn officer_queue(#[server(default)] filter: QueueFilter) -> Result<QueuePage, ApiError> {
    let officer = request::require_officer().await?;
    Ok(service::<dyn OfficerDesk>()?
        .queue(&officer, filter)
        .await?)
}

/// Opens an application; the viewing is journaled.
#[server(prefix = "/api", endpoint = "officer/case")]
pub async fn open_case(id: i64) -> Result<CaseFile, ApiError> {
    let officer = request::require_officer().await?;
    Ok(service::<dyn OfficerDesk>()?.open(&officer, id).await?)
}

/// «Взять в работу»: exactly one of two officers claiming at once wins.
#[server(prefix = "/api", endpoint = "officer/claim")]
pub async fn claim_case(id: i64) -> Result<CaseFile, ApiError> {
    let officer = request::require_officer().await?;
    Ok(service::<dyn OfficerDesk>()?.claim(&officer, id).await?)
}

/// «Вернуть в очередь».
#[server(prefix = "/api", endpoint = "officer/release")]
pub async fn release_case(id: i64) -> Result<CaseFile, ApiError> {
    let officer = request::require_officer().await?;
    Ok(service::<dyn OfficerDesk>()?.release(&officer, id).await?)
}

#[server(prefix = "/api", endpoint = "officer/decide")]
pub async fn decide_case(id: i64, decision: Decision) -> Result<CaseFile, ApiError> {
    let officer = request::require_officer().await?;
    Ok(service::<dyn OfficerDesk>()?
        .decide(&officer, id, decision)
        .await?)
}

/// Marks one document of the application the officer holds.
#[server(prefix = "/api", endpoint = "officer/review-document")]
pub async fn review_document(
    id: i64,
    document: i64,
    verdict: DocumentVerdict,
) -> Result<CaseFile, ApiError> {
    let officer = request::require_officer().await?;
    Ok(service::<dyn OfficerDesk>()?
        .review_document(&officer, id, document, verdict)
        .await?)
}

#[cfg(feature = "ssr")]
#[async_trait::async_trait]
pub trait OfficerDesk: Send + Sync {
    async fn queue(
        &self,
        officer: &SignedInAccount,
        filter: QueueFilter,
    ) -> Result<QueuePage, ServiceError>;

    async fn open(&self, officer: &SignedInAccount, id: i64) -> Result<CaseFile, ServiceError>;

    async fn claim(&self, officer: &SignedInAccount, id: i64) -> Result<CaseFile, ServiceError>;

    async fn release(&self, officer: &SignedInAccount, id: i64) -> Result<CaseFile, ServiceError>;

    async fn decide(
        &self,
        officer: &SignedInAccount,
        id: i64,
        decision: Decision,
    ) -> Result<CaseFile, ServiceError>;

    async fn review_document(
        &self,
        officer: &SignedInAccount,
        id: i64,
        document: i64,
        verdict: DocumentVerdict,
    ) -> Result<CaseFile, ServiceError>;
}
