//! How long the portal keeps what it no longer needs, and the nightly sweep that removes it.
//!
//! Run by the job queue at 04:00 Moscow time, like the age sweep: booked at start-up unless one
//! is waiting, and each run books the next. Every purge is idempotent, so a sweep that runs twice
//! (after a crash) does no harm.

use std::sync::Arc;

use serde::{Deserialize, Serialize};
use time::macros::time;
use time::{Date, Duration, OffsetDateTime};

use crate::accounts::{IDLE_TIMEOUT, sign_in::ACCOUNT_WINDOW};
use crate::clock::Clock;
use crate::db::accounts::StoredAccount;
use crate::db::{Database, StorageError, retention as purge};
use crate::jobs::{self, JobError, JobHandler};
use app::account::{AccountLevel, Role};
use app::domain::moscow_today;
use app::operations::JobStatus;

pub const RETENTION_SWEEP: &str = "retention.sweep";

/// A registration whose contacts are not both confirmed within this is removed.
pub const UNFINISHED_REGISTRATION: Duration = Duration::days(7);
/// Failed sign-ins are kept a day: well past [`ACCOUNT_WINDOW`], the longest look back.
pub const SIGN_IN_FAILURES: Duration = Duration::days(1);
/// E-mails and SMS (their text already gone) keep their delivery history a month, for support.
pub const SENT_MESSAGES: Duration = Duration::days(30);
/// Expired one-time secrets are kept two days: a daily limit counts a day back, no more.
pub const EXPIRED_SECRETS: Duration = Duration::days(2);
/// A device not seen for a year is no longer known (and asks for the second factor again).
pub const KNOWN_DEVICES: Duration = Duration::days(365);
/// Finished jobs, for an operator's `jobs` listing.
pub const DONE_JOBS: Duration = Duration::days(30);
/// An application's draft nobody touched for half a year is removed (the parent is shown when
/// it was last saved).
pub const UNTOUCHED_DRAFTS: Duration = Duration::days(180);
/// An uploaded file no application was sent with, in no draft touched meanwhile, is removed
/// after half a year too (row and stored file).
pub const UNUSED_DOCUMENTS: Duration = Duration::days(180);
/// A reminder's mark is needed while its reason lasts: an appeal window (30 days), a week.
pub const SENT_REMINDERS: Duration = Duration::days(60);
/// Files removed per sweep at most; the rest go the next night.
const DOCUMENTS_PER_SWEEP: i64 = 10_000;

const _: () = assert!(SIGN_IN_FAILURES.whole_seconds() > ACCOUNT_WINDOW.whole_seconds());

#[derive(Debug, Default, Serialize, Deserialize)]
pub struct SweepJob {}

/// What one sweep removed.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Purged {
    pub sessions: u64,
    pub sign_in_failures: u64,
    pub messages: u64,
    pub secrets: u64,
    pub jobs: u64,
    pub registrations: u64,
    pub known_devices: u64,
    pub drafts: u64,
    pub documents: u64,
    /// Days' counts of the minors' service uses, past the day they count for.
    pub service_day_counts: u64,
    /// Marks of reminders and summaries sent, past the time they could be sent again.
    pub sent_reminders: u64,
}

/// Removes everything past its time, as of `now`.
pub async fn purge(db: &Database, now: OffsetDateTime) -> Result<Purged, StorageError> {
    Ok(Purged {
        sessions: purge::dead_sessions(db, now, now - IDLE_TIMEOUT).await?,
        sign_in_failures: purge::sign_in_failures_before(db, now - SIGN_IN_FAILURES).await?,
        messages: purge::sent_messages_before(db, now - SENT_MESSAGES).await?,
        secrets: purge::expired_secrets_before(db, now - EXPIRED_SECRETS).await?,
        jobs: purge::done_jobs_before(db, now - DONE_JOBS).await?,
        registrations: purge::unfinished_registrations_before(db, now - UNFINISHED_REGISTRATION)
            .await?,
        known_devices: purge::known_devices_not_seen_since(db, now - KNOWN_DEVICES).await?,
        drafts: purge::drafts_untouched_since(db, now - UNTOUCHED_DRAFTS).await?,
        documents: 0,
        service_day_counts: purge::service_day_counts_before(
            db,
            moscow_today(now) - Duration::days(2),
        )
        .await?,
        sent_reminders: purge::sent_reminders_before(db, now - SENT_REMINDERS).await?,
    })
}

/// Unused uploads past their time: their rows first, then their files (a file left behind by a
/// store failure is unreachable, and logged). How many went.
pub async fn purge_documents(
    db: &Database,
    store: &dyn object_store::ObjectStore,
    now: OffsetDateTime,
) -> Result<u64, StorageError> {
    let keys =
        crate::db::documents::purge_unused(db, now - UNUSED_DOCUMENTS, DOCUMENTS_PER_SWEEP).await?;
    for key in &keys {
        if let Err(error) = store.delete(&key.as_str().into()).await {
            tracing::warn!(%error, "purged document's file not deleted");
        }
    }
    Ok(keys.len() as u64)
}

/// The last Moscow day of an unfinished registration, after which the sweep removes it; None
/// for an account the sweep never removes.
pub fn removal_day(account: &StoredAccount) -> Option<Date> {
    let unfinished = account.registered_at.is_none()
        && account.role == Role::Citizen
        && account.level == AccountLevel::Simplified;
    unfinished.then(|| moscow_today(account.created_at + UNFINISHED_REGISTRATION))
}

fn next_sweep_at(now: OffsetDateTime) -> OffsetDateTime {
    jobs::tomorrow_in_moscow_at(now, time!(04:00))
}

/// At start-up: the first sweep, unless one is waiting or running.
pub async fn schedule_first_sweep(
    db: &Database,
    now: OffsetDateTime,
) -> Result<bool, StorageError> {
    jobs::book_unless_pending(
        db,
        RETENTION_SWEEP,
        &SweepJob {},
        next_sweep_at(now),
        &[JobStatus::Queued, JobStatus::Running],
    )
    .await
}

/// The job handler of [`RETENTION_SWEEP`].
#[derive(Clone)]
pub struct RetentionSweep {
    pub db: Database,
    pub clock: Arc<dyn Clock>,
    pub store: Arc<dyn object_store::ObjectStore>,
}

impl RetentionSweep {
    async fn book_next(&self) -> Result<(), StorageError> {
        // This job is `running`: only another queued sweep counts as booked.
        let at = next_sweep_at(self.clock.now());
        jobs::book_unless_pending(
            &self.db,
            RETENTION_SWEEP,
            &SweepJob {},
            at,
            &[JobStatus::Queued],
        )
        .await?;
        Ok(())
    }
}

#[async_trait::async_trait]
impl JobHandler for RetentionSweep {
    fn kind(&self) -> &'static str {
        RETENTION_SWEEP
    }

    async fn run(&self, payload: &str) -> Result<(), JobError> {
        jobs::parse_payload::<SweepJob>(payload)?;
        let now = self.clock.now();
        let mut purged = purge(&self.db, now).await?;
        purged.documents = purge_documents(&self.db, self.store.as_ref(), now).await?;
        tracing::info!(
            event = "retention.swept",
            sessions = purged.sessions,
            sign_in_failures = purged.sign_in_failures,
            messages = purged.messages,
            secrets = purged.secrets,
            jobs = purged.jobs,
            registrations = purged.registrations,
            known_devices = purged.known_devices,
            drafts = purged.drafts,
            documents = purged.documents,
            "retention sweep done"
        );
        self.book_next().await?;
        Ok(())
    }

    /// The sweep failed for good: the next night's still runs.
    async fn gave_up(&self, _payload: &str, _error: &str) -> Result<(), JobError> {
        self.book_next().await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn the_sweep_runs_at_four_in_moscow_the_next_day() {
        // 23:30 UTC is already the next day in Moscow.
        assert_eq!(
            next_sweep_at(datetime!(2026-11-25 09:30 UTC)),
            datetime!(2026-11-26 01:00 UTC)
        );
        assert_eq!(
            next_sweep_at(datetime!(2026-11-25 23:30 UTC)),
            datetime!(2026-11-27 01:00 UTC)
        );
        // Stored in UTC, so SQLite's text comparison with `now` is right.
        assert!(
            next_sweep_at(datetime!(2026-11-25 09:30 UTC))
                .offset()
                .is_utc()
        );
    }
}
