//! Applying for a benefit on the server: the drafts behind «Оформить новую льготу» ([`drafts`]),
//! «Отправить» ([`submission`]: idempotent intake in one transaction), the parent's applications
//! ([`mine`]) and each application's signed receipt ([`receipt`]). Every method names the
//! parent, and a child is reached only through this parent's confirmed card.

pub mod admission;
mod deadlines;
mod drafts;
pub mod export;
mod history;
pub mod journal;
mod mine;
pub mod overdue;
pub mod receipt;
pub mod reply;
mod submission;

use std::sync::Arc;

use app::api::ServiceError;
use app::benefits::application::DraftEligibility;
use app::benefits::catalogue::Benefit;
use app::benefits::eligibility::{CheckState, judge};

use super::Catalogue;
use crate::clock::Clock;
use crate::db::{Database, eligibility_checks};
use crate::family::not_found;
use crate::outbox::Outbox;

#[derive(Clone)]
pub struct Applications {
    pub db: Database,
    pub clock: Arc<dyn Clock>,
    pub catalogue: Arc<Catalogue>,
    pub outbox: Outbox,
    /// The portal's address, for the links in messages.
    pub public_url: String,
    pub admission: Arc<admission::Admission>,
    /// «Выгрузить» per account and hour: each PDF is a signed receipt kept for good.
    pub exports: Arc<governor::DefaultKeyedRateLimiter<i64>>,
}

/// Exports of «История обращений» one account may make in an hour.
pub const EXPORTS_PER_ACCOUNT_PER_HOUR: u32 = 30;

impl Applications {
    fn benefit(&self, code: &str) -> Result<&Benefit, ServiceError> {
        self.catalogue.find(code).ok_or_else(not_found)
    }

    /// What the latest eligibility check of the child for the benefit says.
    async fn eligibility_now(
        &self,
        parent: i64,
        child: i64,
        benefit: &Benefit,
    ) -> Result<DraftEligibility, ServiceError> {
        let check = eligibility_checks::for_parent(&self.db, parent, &benefit.code)
            .await?
            .into_iter()
            .find(|check| check.child_id == child);
        let Some(check) = check else {
            return Ok(DraftEligibility::Unchecked);
        };
        Ok(match check.state()? {
            CheckState::Done { facts, .. } => {
                let failed: Vec<(String, String)> = judge(benefit.requires, &facts, child)
                    .into_iter()
                    .filter(|j| !j.passed)
                    .map(|j| (j.rule.title().to_owned(), j.reason))
                    .collect();
                if failed.is_empty() {
                    DraftEligibility::Passed
                } else {
                    DraftEligibility::Failed(failed)
                }
            }
            CheckState::Checking | CheckState::Unavailable => DraftEligibility::Unchecked,
        })
    }
}
