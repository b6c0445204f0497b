//! `MyApplications`: «Мои заявки» and each application's page, for its own parent only.

use app::api::{ServiceError, SignedInAccount};
use app::benefits::application::summary_rows;
use app::benefits::catalogue::RequiredDocument;
use app::benefits::my_applications::ReplyState;
use app::benefits::my_applications::{
    ApplicationDetails, ApplicationSummary, LIST_LIMIT, MyApplications,
};

use super::reply::reply_state;
use super::{Applications, journal};
use crate::benefits::documents::view;
use crate::db::applications::{self, StoredApplication};
use crate::db::{decisions, documents};
use crate::family::not_found;

impl Applications {
    fn summary(&self, stored: &StoredApplication) -> Result<ApplicationSummary, ServiceError> {
        let submitted = self.submitted(stored)?;
        let content = stored.content()?;
        Ok(ApplicationSummary {
            id: stored.id,
            number: submitted.number,
            benefit_name: self.benefit(&stored.benefit_code)?.name.clone(),
            child_name: content.child.name,
            submitted_at: submitted.submitted_at,
            status: stored.status,
        })
    }
}

#[async_trait::async_trait]
impl MyApplications for Applications {
    async fn list(
        &self,
        parent: &SignedInAccount,
    ) -> Result<Vec<ApplicationSummary>, ServiceError> {
        applications::for_parent(&self.db, parent.account_id, LIST_LIMIT)
            .await?
            .iter()
            .map(|stored| self.summary(stored))
            .collect()
    }

    async fn details(
        &self,
        parent: &SignedInAccount,
        id: i64,
        known_version: Option<i64>,
    ) -> Result<Option<ApplicationDetails>, ServiceError> {
        let stored = applications::of_parent(&self.db, parent.account_id, id)
            .await?
            .ok_or_else(not_found)?;
        if known_version == Some(stored.version) {
            return Ok(None);
        }
        let benefit = self.benefit(&stored.benefit_code)?;
        let content = stored.content()?;
        let answers = summary_rows(&content.child, &content.applicant, &content.answers)
            .into_iter()
            .map(|(_, label, value)| (label.to_owned(), value.unwrap_or_default()))
            .chain(
                content
                    .documents
                    .iter()
                    .map(|d| (d.title.clone(), d.file_name.clone())),
            )
            .collect();
        let now = self.clock.now();
        let row = decisions::case(&self.db, id, now)
            .await?
            .ok_or_else(not_found)?;
        let journal = journal::entries(&self.db, id).await?;
        let held = documents::held_for_reply(&self.db, id)
            .await?
            .iter()
            .map(view)
            .collect::<Result<Vec<_>, _>>()?;
        let reply = reply_state(&row, &journal, now);
        let accepted = match reply {
            ReplyState::Clarification { .. } | ReplyState::AppealOpen { .. } => benefit
                .documents
                .iter()
                .copied()
                .chain([RequiredDocument::Other])
                .collect(),
            _ => Vec::new(),
        };
        Ok(Some(ApplicationDetails {
            summary: self.summary(&stored)?,
            benefit_code: benefit.code.clone(),
            decision_days: benefit.decision_days,
            answers,
            reply,
            accepted,
            overdue: row.overdue(now),
            journal,
            held,
            version: stored.version,
        }))
    }
}
