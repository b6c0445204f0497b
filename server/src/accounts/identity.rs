//! «Подтвердите личность»: a simplified account becomes standard when МВД confirms the passport
//! and СФР the СНИЛС. The request writes the check and its job in one transaction; the job
//! ([`IdentityCheckJob`]) asks both registries and writes the result, the new level and the
//! notification together. A result is written only while the check still waits for one, so a
//! job that runs twice changes nothing.

use std::sync::Arc;

use registry_sim::protocol::{Answer, PassportCheck, PersonQuery, SnilsCheck};
use serde::{Deserialize, Serialize};
use time::Date;

use app::account::identity::IdentityCheckService;
use app::account::identity::{IdentityCheckStatus, IdentityCheckView, problem_text};
use app::api::Refusal;
use app::api::{ServiceError, SignedInAccount};
use app::domain::Passport;

use super::AccountService;
use crate::clock::Clock;
use crate::db::accounts::{self, StoredAccount};
use crate::db::identity_checks::{self, StoredIdentityCheck};
use crate::db::{Database, StorageError};
use crate::jobs::{self, JobError, JobHandler};
use crate::outbox::{Channel, Message, Outbox};
use crate::registries::{Registries, mismatch_code};

pub const IDENTITY_CHECK: &str = "account.identity_check";

/// The job's payload.
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
pub struct IdentityCheckPayload {
    pub check_id: i64,
}

impl AccountService {
    /// The newest check, as the profile shows it.
    pub(super) async fn identity_check_view(
        &self,
        account: i64,
    ) -> Result<Option<IdentityCheckView>, StorageError> {
        let check = identity_checks::newest_for(&self.db, account).await?;
        Ok(check.map(|c| IdentityCheckView {
            status: c.status,
            problem: c.problem,
        }))
    }
}

/// Asks МВД about the passport, then СФР about the СНИЛС.
#[derive(Clone)]
pub struct IdentityCheckJob {
    pub db: Database,
    pub clock: Arc<dyn Clock>,
    pub registries: Registries,
    pub outbox: Outbox,
}

fn person(a: &StoredAccount) -> PersonQuery {
    PersonQuery {
        last_name: a.last_name.clone(),
        first_name: a.first_name.clone(),
        middle_name: a.middle_name.clone(),
        birth_date: a.birth_date,
    }
}

/// What the parent is told in «Уведомления».
fn notification(account: i64, status: IdentityCheckStatus, problem: Option<&str>) -> Message {
    let (subject, body) = match status {
        IdentityCheckStatus::Confirmed => (
            "Учётная запись стандартная".to_owned(),
            "МВД подтвердило паспорт, СФР — СНИЛС. Ваша учётная запись теперь стандартная."
                .to_owned(),
        ),
        other => (
            "Данные не подтверждены".to_owned(),
            problem_text(other, problem),
        ),
    };
    Message {
        account_id: Some(account),
        channel: Channel::InApp,
        recipient: account.to_string(),
        subject,
        body,
    }
}

impl IdentityCheckJob {
    /// The check if it still waits for a result.
    async fn pending(&self, id: i64) -> Result<Option<StoredIdentityCheck>, JobError> {
        let check = identity_checks::by_id(&self.db, id).await?;
        Ok(check.filter(|c| {
            matches!(
                c.status,
                IdentityCheckStatus::Checking | IdentityCheckStatus::RegistryUnavailable
            )
        }))
    }

    /// The result, the level and the notification — one transaction; nothing when the check no
    /// longer waits.
    async fn conclude(
        &self,
        check: &StoredIdentityCheck,
        status: IdentityCheckStatus,
        problem: Option<&str>,
    ) -> Result<(), StorageError> {
        let now = self.clock.now();
        let mut tx = self.db.begin().await?;
        if !identity_checks::finish(&mut tx, check.id, status.as_str(), problem, now).await? {
            return Ok(());
        }
        if status == IdentityCheckStatus::Confirmed {
            identity_checks::raise_to_standard(&mut tx, check.account_id).await?;
        }
        self.outbox
            .enqueue(
                &mut tx,
                &notification(check.account_id, status, problem),
                now,
            )
            .await?;
        tx.commit().await?;
        self.outbox.wake();
        tracing::info!(
            check_id = check.id,
            status = status.as_str(),
            "identity check finished"
        );
        Ok(())
    }
}

#[async_trait::async_trait]
impl JobHandler for IdentityCheckJob {
    fn kind(&self) -> &'static str {
        IDENTITY_CHECK
    }

    async fn run(&self, payload_text: &str) -> Result<(), JobError> {
        let job = jobs::parse_payload::<IdentityCheckPayload>(payload_text)?;
        let Some(check) = self.pending(job.check_id).await? else {
            return Ok(());
        };
        let Some(account) = accounts::by_id(&self.db, check.account_id).await? else {
            return Ok(());
        };
        let passport = PassportCheck {
            passport: check.passport.clone(),
            issue_date: check.passport_date,
            person: person(&account),
        };
        let problem = match self.registries.passports.check_passport(&passport).await? {
            Answer::NotFound => Some("passport_not_found".to_owned()),
            Answer::Mismatch { fields } => Some(mismatch_code("passport_mismatch", &fields)),
            Answer::Found { .. } => {
                let snils = SnilsCheck {
                    snils: account.snils.clone(),
                    person: person(&account),
                };
                match self.registries.snils.check_snils(&snils).await? {
                    Answer::Found { .. } => None,
                    Answer::NotFound => Some("snils_not_found".to_owned()),
                    Answer::Mismatch { fields } => Some(mismatch_code("snils_mismatch", &fields)),
                }
            }
        };
        let status = if problem.is_none() {
            IdentityCheckStatus::Confirmed
        } else {
            IdentityCheckStatus::Failed
        };
        self.conclude(&check, status, problem.as_deref())
            .await
            .map_err(JobError::from)
    }

    async fn gave_up(&self, payload_text: &str, _error: &str) -> Result<(), JobError> {
        let job = jobs::parse_payload::<IdentityCheckPayload>(payload_text)?;
        let Some(check) = self.pending(job.check_id).await? else {
            return Ok(());
        };
        self.conclude(&check, IdentityCheckStatus::RegistryUnavailable, None)
            .await
            .map_err(JobError::from)
    }
}

#[async_trait::async_trait]
impl IdentityCheckService for AccountService {
    async fn request_identity_check(
        &self,
        signed_in: &SignedInAccount,
        passport: Passport,
        issue_date: Date,
    ) -> Result<(), ServiceError> {
        if signed_in.level != app::account::AccountLevel::Simplified {
            return Err(ServiceError::Refused(Refusal::NothingToCheck));
        }
        let now = self.clock.now();
        let mut tx = self.db.begin().await?;
        let Some(check_id) = identity_checks::insert(
            &mut tx,
            signed_in.account_id,
            &passport.digits(),
            issue_date,
            now,
        )
        .await?
        else {
            return Err(ServiceError::Refused(Refusal::NothingToCheck));
        };
        jobs::enqueue(
            &mut tx,
            IDENTITY_CHECK,
            &IdentityCheckPayload { check_id },
            now,
        )
        .await?;
        tx.commit().await?;
        tracing::info!(
            account_id = signed_in.account_id,
            check_id,
            "identity check requested"
        );
        Ok(())
    }
}
