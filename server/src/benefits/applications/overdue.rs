//! The 30-day rules. Once a day (09:00 Moscow time) a sweep reminds families whose 30 days to
//! appeal a refusal are running out (`deadlines`), and finds the applications that have
//! waited for an officer longer than 30 days and tells each family once per wait: a journal entry
//! by the portal and a message on the channels the family chose for «Изменение статуса», with the
//! link to the application,
//! whose page offers a question to support about it. The officers' queue puts the same
//! applications first (`db::decisions::queue`).
//!
//! Telling is one transaction per application, guarded by `overdue_notified_at` and the version
//! read, so a sweep that runs twice (or in two processes) tells nobody twice. A new status starts
//! a new wait (`change_status` clears the mark).

use std::sync::Arc;

use serde::{Deserialize, Serialize};
use time::macros::time;
use time::{Duration, OffsetDateTime};

use app::benefits::journal::JournalEvent;
use app::domain::application_status::REVIEW_DAYS;
use app::notifications::settings::NoticeEvent;
use app::operations::JobStatus;

use super::Applications;
use crate::db::application_events::{self, EventActor, NewEvent};
use crate::db::decisions::{self, CaseRow};
use crate::db::{Database, StorageError, accounts};
use crate::jobs::{self, JobError, JobHandler};
use crate::outbox::Notice;

pub const OVERDUE_SWEEP: &str = "applications.overdue_sweep";
/// Applications told in one round; the sweep takes rounds until none is left.
const ROUND: i64 = 200;

#[derive(Debug, Default, Serialize, Deserialize)]
pub struct SweepJob {}

fn next_sweep_at(now: OffsetDateTime) -> OffsetDateTime {
    jobs::tomorrow_in_moscow_at(now, time!(09:00))
}

async fn book_next(
    db: &Database,
    now: OffsetDateTime,
    pending: &[JobStatus],
) -> Result<bool, StorageError> {
    jobs::book_unless_pending(db, OVERDUE_SWEEP, &SweepJob {}, next_sweep_at(now), pending).await
}

/// At start-up: the first sweep, unless one is waiting or running.
pub async fn schedule_first_sweep(
    db: &Database,
    now: OffsetDateTime,
) -> Result<bool, StorageError> {
    book_next(db, now, &[JobStatus::Queued, JobStatus::Running]).await
}

/// The job handler of [`OVERDUE_SWEEP`].
#[derive(Clone)]
pub struct OverdueSweep(pub Arc<Applications>);

#[async_trait::async_trait]
impl JobHandler for OverdueSweep {
    fn kind(&self) -> &'static str {
        OVERDUE_SWEEP
    }

    async fn run(&self, payload: &str) -> Result<(), JobError> {
        jobs::parse_payload::<SweepJob>(payload)?;
        let service = &self.0;
        let now = service.clock.now();
        // A whole day before the exact rule (Moscow dates): the rule itself decides each row.
        let cutoff = now - Duration::days(REVIEW_DAYS);
        let mut told = 0;
        loop {
            let rows = decisions::overdue_untold(&service.db, now, cutoff, ROUND).await?;
            let mut round = 0;
            for row in rows.iter().filter(|row| row.overdue(now)) {
                if service.tell_overdue(row, now).await? {
                    round += 1;
                }
            }
            told += round;
            if round == 0 || (rows.len() as i64) < ROUND {
                break;
            }
        }
        let reminded = service.remind_appeals(now).await?;
        if told > 0 || reminded > 0 {
            tracing::info!(
                event = "applications.overdue_told",
                told,
                reminded,
                "families told"
            );
            service.outbox.wake();
        }
        book_next(&service.db, now, &[JobStatus::Queued]).await?;
        Ok(())
    }

    async fn gave_up(&self, _payload: &str, _error: &str) -> Result<(), JobError> {
        book_next(&self.0.db, self.0.clock.now(), &[JobStatus::Queued]).await?;
        Ok(())
    }
}

impl Applications {
    /// Tells the family of one overdue application; `false` when it was told already or moved
    /// on meanwhile.
    async fn tell_overdue(&self, row: &CaseRow, now: OffsetDateTime) -> Result<bool, JobError> {
        let Some(parent) = accounts::by_id(&self.db, row.parent_account_id).await? else {
            return Ok(false);
        };
        let benefit = self
            .catalogue
            .find(&row.benefit_code)
            .ok_or_else(|| JobError::Permanent(format!("unknown benefit {}", row.benefit_code)))?;
        let number = benefit.application_number(row.submitted_at, row.id);
        let mut tx = self.db.begin().await?;
        if !decisions::mark_overdue_told(&mut tx, row.id, row.version, now).await? {
            return Ok(false);
        }
        application_events::record(
            &mut tx,
            NewEvent {
                application: row.id,
                at: now,
                actor: EventActor::System,
                kind: JournalEvent::Overdue,
                from: None,
                to: None,
                comment: "Заявителю предложено обратиться в службу поддержки",
            },
        )
        .await?;
        let notice = Notice {
            event: NoticeEvent::StatusChanged,
            subject: format!("Заявление № {number} рассматривается больше 30 дней"),
            text: format!(
                "Заявление «{}» ждёт решения больше 30 дней. Вы можете обратиться в службу \
                 поддержки, указав номер заявки {number}: сотрудники проверят процесс и при \
                 необходимости ускорят рассмотрение.",
                benefit.name
            ),
            link: format!("{}/applications/{}", self.public_url, row.id),
        };
        self.outbox.notify(&mut tx, &parent, &notice, now).await?;
        tx.commit().await?;
        Ok(true)
    }
}
