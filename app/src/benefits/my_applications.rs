//! «Мои заявки»: the parent's applications and each one's page, which follows its status live.
//! The page asks with the version it shows; an unchanged application answers `None`, so a
//! page left open costs one small answer per poll.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::catalogue::RequiredDocument;
use super::documents::DocumentView;
use super::journal::JournalEntry;
use super::status::ApplicationStatus;
use crate::api::ApiError;
#[cfg(feature = "ssr")]
use crate::api::{ServiceError, SignedInAccount, request, service};

/// How many applications the list shows (the next issue adds pages, filters and search).
pub const LIST_LIMIT: i64 = 100;

/// One row of «Мои заявки».
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApplicationSummary {
    pub id: i64,
    pub number: String,
    pub benefit_name: String,
    /// «Иванов Пётр Андреевич».
    pub child_name: String,
    /// «03.12.2026 14:05», Moscow time.
    pub submitted_at: String,
    pub status: ApplicationStatus,
}

/// What the family may send now, as the application's page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum ReplyState {
    /// Nothing is asked of the family.
    Nothing,
    /// «Требуется уточнение»: what the officer asked for.
    Clarification { request: String },
    /// A refusal that may be appealed until `until` (inclusive).
    AppealOpen {
        /// The refusal's number, «Решение № 41».
        decision: i64,
        decided_on: String,
        reason: String,
        until: String,
    },
    /// The 30 days after the refusal are over.
    AppealClosed { decision: i64, closed_on: String },
}

/// An application's page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApplicationDetails {
    pub summary: ApplicationSummary,
    pub benefit_code: String,
    pub decision_days: u8,
    /// What was sent, as «Проверьте ответы» showed it: label and value.
    pub answers: Vec<(String, String)>,
    /// The status journal, oldest first.
    pub journal: Vec<JournalEntry>,
    /// What the family may send now.
    pub reply: ReplyState,
    /// Files added for the next answer or appeal, not sent yet.
    pub held: Vec<DocumentView>,
    /// What a file added now may be (empty when nothing may be sent).
    pub accepted: Vec<RequiredDocument>,
    /// «На рассмотрении» for more than 30 days.
    pub overdue: bool,
    pub version: i64,
}

impl ApplicationDetails {
    pub fn receipt_href(&self) -> String {
        format!("/applications/{}/receipt", self.summary.id)
    }
}

#[server(prefix = "/api", endpoint = "benefits/applications")]
pub async fn list_applications() -> Result<Vec<ApplicationSummary>, ApiError> {
    let parent = request::require_account().await?;
    Ok(service::<dyn MyApplications>()?.list(&parent).await?)
}

/// The application, or `None` when it is still at `known_version` (the page shows it already).
#[server(prefix = "/api", endpoint = "benefits/application")]
pub async fn load_application(
    id: i64,
    known_version: Option<i64>,
) -> Result<Option<ApplicationDetails>, ApiError> {
    let parent = request::require_account().await?;
    Ok(service::<dyn MyApplications>()?
        .details(&parent, id, known_version)
        .await?)
}

#[cfg(feature = "ssr")]
#[async_trait::async_trait]
pub trait MyApplications: Send + Sync {
    /// The caller's own applications, newest first.
    async fn list(&self, parent: &SignedInAccount)
    -> Result<Vec<ApplicationSummary>, ServiceError>;

    /// Another family's application is «not found», like one that does not exist.
    async fn details(
        &self,
        parent: &SignedInAccount,
        id: i64,
        known_version: Option<i64>,
    ) -> Result<Option<ApplicationDetails>, ServiceError>;
}
