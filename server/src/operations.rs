//! The job queue for officers and administrators (the page «Очередь заданий»; the CLI's
//! `admin jobs` reads the same table).

use app::account::Role;
use app::api::Refusal;
use app::api::{ServiceError, SignedInAccount};
use app::domain::format_ru_datetime;
use app::operations::Operations;
use app::operations::{JobStatus, JobView};

use crate::accounts::identity::IDENTITY_CHECK;
use crate::child_accounts::ages::AGE_SWEEP;
use crate::db::{Database, jobs};
use crate::family::checks::{CERTIFICATE_CHECK, CERTIFICATE_REFRESH, SNILS_CHECK};
use crate::family::parent_tie::PARENT_TIE_CHECK;
use crate::retention::RETENTION_SWEEP;

pub struct OperationsService {
    pub db: Database,
}

const PAGE: i64 = 200;

/// A job's kind in words.
pub fn describe(kind: &str) -> String {
    match kind {
        CERTIFICATE_CHECK => "Проверка свидетельства о рождении в ЕГР ЗАГС".to_owned(),
        SNILS_CHECK => "СНИЛС ребёнка в СФР".to_owned(),
        CERTIFICATE_REFRESH => "Автообновление свидетельства о рождении (ЕГР ЗАГС)".to_owned(),
        IDENTITY_CHECK => "Проверка паспорта и СНИЛС (стандартная учётная запись)".to_owned(),
        AGE_SWEEP => "Возрастные переходы учётных записей детей (14 и 18 лет)".to_owned(),
        PARENT_TIE_CHECK => "Проверка, что запись о рождении называет родителя".to_owned(),
        RETENTION_SWEEP => {
            "Удаление устаревших данных: сеансов, кодов, незавершённых регистраций".to_owned()
        }
        other => other.to_owned(),
    }
}

fn require_officer(account: &SignedInAccount) -> Result<(), ServiceError> {
    if account.role == Role::Citizen {
        return Err(ServiceError::Refused(Refusal::OfficersOnly));
    }
    Ok(())
}

#[async_trait::async_trait]
impl Operations for OperationsService {
    async fn jobs(
        &self,
        officer: &SignedInAccount,
        status: Option<JobStatus>,
    ) -> Result<Vec<JobView>, ServiceError> {
        require_officer(officer)?;
        let list = jobs::list(&self.db, status, PAGE).await?;
        Ok(list
            .into_iter()
            .map(|job| JobView {
                id: job.id,
                kind: describe(&job.kind),
                status: job.status,
                attempts: job.attempts,
                max_attempts: job.max_attempts,
                created_at: format_ru_datetime(job.created_at),
                run_at: format_ru_datetime(job.run_at),
                last_error: job.last_error,
            })
            .collect())
    }

    async fn retry_job(&self, officer: &SignedInAccount, id: i64) -> Result<(), ServiceError> {
        require_officer(officer)?;
        tracing::info!(
            job_id = id,
            officer = officer.account_id,
            "operator retries a dead job"
        );
        if jobs::retry_dead(&self.db, id).await? {
            Ok(())
        } else {
            Err(ServiceError::Refused(Refusal::NotFound))
        }
    }
}
