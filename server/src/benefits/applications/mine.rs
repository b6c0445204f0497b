//! `MyApplications`: «Мои заявки» and each application's page, for its own parent only.

use app::api::{ServiceError, SignedInAccount};
use app::benefits::application::summary_rows;
use app::benefits::my_applications::{
    ApplicationDetails, ApplicationSummary, LIST_LIMIT, MyApplications,
};

use super::Applications;
use crate::db::applications::{self, StoredApplication};
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
        Ok(Some(ApplicationDetails {
            summary: self.summary(&stored)?,
            benefit_code: benefit.code.clone(),
            decision_days: benefit.decision_days,
            answers,
            version: stored.version,
        }))
    }
}
