//! The durable job queue: work that must happen after a change commits — a registry check, say —
//! is written into `jobs` in the same transaction as the change ([`enqueue`]), and workers in any
//! number of server processes run it: each job is claimed with a lease, so no two workers run it
//! at once; a worker that dies mid-job loses its lease and the job is claimed again; temporary
//! failures are retried with backoff; after the last attempt the job is dead, for an operator to
//! retry. Handlers must be idempotent: a job may run again after a crash.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration as StdDuration;

use rand::Rng;
use serde::Serialize;
use time::{Duration, OffsetDateTime};

use app::operations::JobStatus;

use crate::backoff::retry_delay;
use crate::clock::Clock;
use crate::db::jobs::{self, NewJob, Outcome, StoredJob};
use crate::db::{Database, StorageError, Tx};

/// Why a run did not finish the job.
#[derive(Debug, thiserror::Error)]
pub enum JobError {
    /// May work later (a registry timed out, answered 5xx).
    #[error("{0}")]
    Retry(String),
    /// Will never work with this input; no more attempts.
    #[error("{0}")]
    Permanent(String),
}

/// Runs one kind of job. `payload` is the JSON the job was enqueued with.
#[async_trait::async_trait]
pub trait JobHandler: Send + Sync {
    fn kind(&self) -> &'static str;
    async fn run(&self, payload: &str) -> Result<(), JobError>;
    /// Called once when the job goes dead, so what waited for it can say so (a status the user
    /// sees). An operator's retry runs the job again afterwards.
    async fn gave_up(&self, _payload: &str, _error: &str) -> Result<(), JobError> {
        Ok(())
    }
}

/// Storage failing mid-job is temporary: the job runs again later.
impl From<StorageError> for JobError {
    fn from(e: StorageError) -> Self {
        JobError::Retry(format!("storage: {e}"))
    }
}

/// A job's JSON payload; one that cannot be read never will be.
pub fn parse_payload<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, JobError> {
    serde_json::from_str(text).map_err(|e| JobError::Permanent(format!("bad payload: {e}")))
}

pub const DEFAULT_MAX_ATTEMPTS: i32 = 6;

/// Writes a job into the caller's transaction: it exists exactly when the change that needs it
/// does.
pub async fn enqueue(
    tx: &mut Tx,
    kind: &str,
    payload: &impl Serialize,
    at: OffsetDateTime,
) -> Result<i64, StorageError> {
    let payload = serde_json::to_string(payload).unwrap_or_else(|_| "null".to_owned());
    jobs::enqueue(
        tx,
        NewJob {
            kind,
            payload: &payload,
            max_attempts: DEFAULT_MAX_ATTEMPTS,
            run_at: at,
        },
        at,
    )
    .await
}

/// Tomorrow (in Moscow) at this Moscow time: when a nightly job runs next. In UTC, like every
/// stored moment: SQLite compares them as text, and a `+03:00` one would sort three hours late.
pub fn tomorrow_in_moscow_at(now: OffsetDateTime, at: time::Time) -> OffsetDateTime {
    let tomorrow = app::domain::moscow_today(now)
        .next_day()
        .unwrap_or(time::Date::MAX);
    time::PrimitiveDateTime::new(tomorrow, at)
        .assume_offset(app::domain::date::MOSCOW)
        .to_offset(time::UtcOffset::UTC)
}

/// A sweep that runs once a day at a Moscow time and books its own next run: at start-up unless
/// one is waiting or running (in this or another process), then after each run — or after its
/// last failure, so the next day's still runs.
#[derive(Debug, Clone, Copy)]
pub struct DailySweep {
    pub kind: &'static str,
    pub at: time::Time,
}

/// A daily sweep's payload: it carries nothing.
#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct SweepPayload {}

impl DailySweep {
    pub fn next_at(self, now: OffsetDateTime) -> OffsetDateTime {
        tomorrow_in_moscow_at(now, self.at)
    }

    pub async fn schedule_first(
        self,
        db: &Database,
        now: OffsetDateTime,
    ) -> Result<bool, StorageError> {
        book_unless_pending(
            db,
            self.kind,
            &SweepPayload {},
            self.next_at(now),
            &[JobStatus::Queued, JobStatus::Running],
        )
        .await
    }

    /// From the running sweep: only another queued one counts as booked.
    pub async fn book_next(self, db: &Database, now: OffsetDateTime) -> Result<bool, StorageError> {
        book_unless_pending(
            db,
            self.kind,
            &SweepPayload {},
            self.next_at(now),
            &[JobStatus::Queued],
        )
        .await
    }
}

/// Books a job at `at` unless one of its kind is already in one of the `pending` statuses, in
/// this or another process — a nightly sweep's next run, a one-off re-check. Returns whether it
/// booked.
///
/// At start-up `pending` is queued and running; a running sweep booking its successor passes
/// queued only, since it is itself the running one. The look and the booking are one
/// transaction.
pub async fn book_unless_pending(
    db: &Database,
    kind: &str,
    payload: &impl Serialize,
    at: OffsetDateTime,
    pending: &[JobStatus],
) -> Result<bool, StorageError> {
    let mut tx = db.begin().await?;
    if jobs::count_of_kind(&mut tx, kind, pending).await? > 0 {
        return Ok(false);
    }
    enqueue(&mut tx, kind, payload, at).await?;
    tx.commit().await?;
    Ok(true)
}

/// One worker: claims a batch, runs each job with its handler, records the outcome.
#[derive(Clone)]
pub struct Worker {
    pub db: Database,
    pub clock: Arc<dyn Clock>,
    /// Unique per worker (process id and a number), so a finished job is recorded only by the
    /// worker that holds it.
    pub name: String,
    pub handlers: Arc<HashMap<&'static str, Arc<dyn JobHandler>>>,
    /// How long a claimed job stays this worker's; longer than any handler takes.
    pub lease: Duration,
    pub batch: i64,
    pub poll_every: StdDuration,
}

/// What one batch did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct BatchReport {
    pub claimed: usize,
    pub done: usize,
    pub retried: usize,
    pub dead: usize,
    /// Finished by this worker after its lease had passed to another: result discarded.
    pub lost: usize,
}

impl Worker {
    pub fn new(
        db: Database,
        clock: Arc<dyn Clock>,
        name: String,
        handlers: Vec<Arc<dyn JobHandler>>,
    ) -> Self {
        Self {
            db,
            clock,
            name,
            handlers: Arc::new(handlers.into_iter().map(|h| (h.kind(), h)).collect()),
            lease: Duration::minutes(5),
            batch: 32,
            poll_every: StdDuration::from_secs(1),
        }
    }

    /// Claims the due jobs this worker may run now (without running them): tests use it to play
    /// a worker that dies holding its jobs.
    pub async fn claim(&self) -> Result<Vec<StoredJob>, StorageError> {
        jobs::claim(
            &self.db,
            &self.name,
            self.clock.now(),
            self.lease,
            self.batch,
        )
        .await
    }

    /// Runs one claimed job and records what happened.
    pub async fn run_job(
        &self,
        job: &StoredJob,
        report: &mut BatchReport,
    ) -> Result<(), StorageError> {
        let result = self.run_handler(job).await;
        self.record(job, result, report).await
    }

    async fn run_handler(&self, job: &StoredJob) -> Result<(), JobError> {
        match self.handlers.get(job.kind.as_str()) {
            Some(handler) => handler.run(&job.payload).await,
            None => Err(JobError::Permanent(format!("no handler for {}", job.kind))),
        }
    }

    /// Records the outcome of one run (only if this worker still holds the job).
    async fn record(
        &self,
        job: &StoredJob,
        result: Result<(), JobError>,
        report: &mut BatchReport,
    ) -> Result<(), StorageError> {
        let at = self.clock.now();
        let (outcome, counter) = match &result {
            Ok(()) => (Outcome::Done, &mut report.done),
            Err(JobError::Retry(error)) if job.attempts < job.max_attempts => (
                Outcome::Retry {
                    error,
                    run_at: at + retry_delay(job.attempts, rand::rng().random()),
                },
                &mut report.retried,
            ),
            Err(JobError::Retry(error) | JobError::Permanent(error)) => {
                tracing::warn!(job_id = job.id, kind = %job.kind, %error, "job is dead");
                (Outcome::Dead { error }, &mut report.dead)
            }
        };
        let dead = matches!(outcome, Outcome::Dead { .. });
        if jobs::finish(&self.db, job.id, &self.name, outcome, at).await? {
            *counter += 1;
            if dead {
                self.tell_gave_up(job, &result).await;
            }
        } else {
            report.lost += 1;
        }
        Ok(())
    }

    async fn tell_gave_up(&self, job: &StoredJob, result: &Result<(), JobError>) {
        let error = match result {
            Err(JobError::Retry(e) | JobError::Permanent(e)) => e.as_str(),
            Ok(()) => return,
        };
        if let Some(handler) = self.handlers.get(job.kind.as_str())
            && let Err(e) = handler.gave_up(&job.payload, error).await
        {
            tracing::error!(job_id = job.id, kind = %job.kind, error = %e, "could not record a dead job");
        }
    }

    /// Claims and runs one batch. Successes are recorded together in one statement; failures
    /// one by one, each with its own retry time.
    pub async fn run_once(&self) -> Result<BatchReport, StorageError> {
        let claimed = self.claim().await?;
        let mut report = BatchReport {
            claimed: claimed.len(),
            ..BatchReport::default()
        };
        let mut done = Vec::new();
        for job in &claimed {
            match self.run_handler(job).await {
                Ok(()) => done.push(job.id),
                failed => self.record(job, failed, &mut report).await?,
            }
        }
        let recorded = jobs::finish_done(&self.db, &done, &self.name, self.clock.now()).await?;
        report.done += recorded as usize;
        report.lost += done.len() - recorded as usize;
        Ok(report)
    }

    /// Runs until the task is dropped.
    pub async fn run(self) {
        loop {
            match self.run_once().await {
                Ok(report) if report.claimed > 0 => continue,
                Ok(_) => {}
                Err(e) => tracing::error!(error = %e, worker = %self.name, "job worker failed"),
            }
            tokio::time::sleep(self.poll_every).await;
        }
    }
}
