//! The job queue's table: enqueue inside the caller's transaction, claim with a lease, finish,
//! retry later, or give up into the dead-letter state an operator can retry.

use sqlx::FromRow;
use time::{Duration, OffsetDateTime};

use app::operations::JobStatus;

use super::codes::Code;
use super::{Access, Database, StorageError, Tx};
use crate::{on_pool, on_tx, pool_execute};

#[derive(Debug, Clone, FromRow)]
pub struct StoredJob {
    pub id: i64,
    pub kind: String,
    pub payload: String,
    #[sqlx(try_from = "Code<JobStatus>")]
    pub status: JobStatus,
    pub attempts: i32,
    pub max_attempts: i32,
    pub run_at: OffsetDateTime,
    pub last_error: Option<String>,
    pub created_at: OffsetDateTime,
}

const COLUMNS: &str =
    "id, kind, payload, status, attempts, max_attempts, run_at, last_error, created_at";

pub struct NewJob<'a> {
    pub kind: &'a str,
    pub payload: &'a str,
    pub max_attempts: i32,
    pub run_at: OffsetDateTime,
}

pub async fn enqueue(
    tx: &mut Tx,
    job: NewJob<'_>,
    at: OffsetDateTime,
) -> Result<i64, StorageError> {
    const SQL: &str = "INSERT INTO jobs (kind, payload, status, max_attempts, run_at, created_at) \
                       VALUES ($1, $2, 'queued', $3, $4, $5) RETURNING id";
    let id = on_tx!(tx, |conn| {
        sqlx::query_scalar::<_, i64>(SQL)
            .bind(job.kind)
            .bind(job.payload)
            .bind(job.max_attempts)
            .bind(job.run_at)
            .bind(at)
            .fetch_one(conn)
            .await
    })?;
    Ok(id)
}

/// Takes up to `limit` due jobs for `worker`: queued ones whose time has come and running ones
/// whose worker's lease ran out (it died mid-job). PostgreSQL's `SKIP LOCKED` lets workers in
/// several processes claim side by side without taking the same job; on SQLite the single
/// writer makes the statement atomic.
pub async fn claim(
    db: &Database,
    worker: &str,
    now: OffsetDateTime,
    lease: Duration,
    limit: i64,
) -> Result<Vec<StoredJob>, StorageError> {
    let lock = match db {
        Database::Postgres(_) => "FOR UPDATE SKIP LOCKED",
        Database::Sqlite { .. } => "",
    };
    let sql = format!(
        "UPDATE jobs SET status = 'running', locked_by = $2, lease_until = $3, \
         attempts = attempts + 1 \
         WHERE id IN (SELECT id FROM jobs \
             WHERE (status = 'queued' AND run_at <= $1) \
                OR (status = 'running' AND lease_until < $1) \
             ORDER BY run_at, id LIMIT $4 {lock}) \
         RETURNING {COLUMNS}"
    );
    let rows = on_pool!(db, Access::Write, |pool| {
        sqlx::query_as::<_, StoredJob>(sqlx::AssertSqlSafe(sql))
            .bind(now)
            .bind(worker)
            .bind(now + lease)
            .bind(limit)
            .fetch_all(pool)
            .await
    })?;
    Ok(rows)
}

/// What became of one run.
pub enum Outcome<'a> {
    Done,
    /// Run again at this time.
    Retry {
        error: &'a str,
        run_at: OffsetDateTime,
    },
    /// No more attempts: the dead-letter state.
    Dead {
        error: &'a str,
    },
}

/// Records the outcome — only if `worker` still holds the job. A worker whose lease expired and
/// whose job was claimed by another learns it here (false) and its result is discarded.
pub async fn finish(
    db: &Database,
    id: i64,
    worker: &str,
    outcome: Outcome<'_>,
    at: OffsetDateTime,
) -> Result<bool, StorageError> {
    const DONE: &str = "UPDATE jobs SET status = 'done', locked_by = NULL, lease_until = NULL, \
                        finished_at = $3 WHERE id = $1 AND locked_by = $2 AND status = 'running'";
    const RETRY: &str = "UPDATE jobs SET status = 'queued', locked_by = NULL, lease_until = NULL, \
                         last_error = $3, run_at = $4 \
                         WHERE id = $1 AND locked_by = $2 AND status = 'running'";
    const DEAD: &str = "UPDATE jobs SET status = 'dead', locked_by = NULL, lease_until = NULL, \
                        last_error = $3, finished_at = $4 \
                        WHERE id = $1 AND locked_by = $2 AND status = 'running'";
    let changed = match outcome {
        Outcome::Done => pool_execute!(db, DONE, id, worker, at)?,
        Outcome::Retry { error, run_at } => pool_execute!(db, RETRY, id, worker, error, run_at)?,
        Outcome::Dead { error } => pool_execute!(db, DEAD, id, worker, error, at)?,
    };
    Ok(changed == 1)
}

/// Records many successful runs at once (one statement instead of one per job); returns how
/// many were still held by `worker`.
pub async fn finish_done(
    db: &Database,
    ids: &[i64],
    worker: &str,
    at: OffsetDateTime,
) -> Result<u64, StorageError> {
    if ids.is_empty() {
        return Ok(0);
    }
    let placeholders: Vec<String> = (0..ids.len()).map(|i| format!("${}", i + 3)).collect();
    let sql = format!(
        "UPDATE jobs SET status = 'done', locked_by = NULL, lease_until = NULL, finished_at = $2 \
         WHERE locked_by = $1 AND status = 'running' AND id IN ({})",
        placeholders.join(", ")
    );
    let done = on_pool!(db, Access::Write, |pool| {
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(worker).bind(at);
        for id in ids {
            query = query.bind(*id);
        }
        query.execute(pool).await.map(|r| r.rows_affected())
    })?;
    Ok(done)
}

/// An operator's «retry»: a dead job gets its attempts back and runs as soon as a worker is free
/// (its `run_at` is already past).
pub async fn retry_dead(db: &Database, id: i64) -> Result<bool, StorageError> {
    const SQL: &str = "UPDATE jobs SET status = 'queued', attempts = 0, finished_at = NULL \
                       WHERE id = $1 AND status = 'dead'";
    Ok(pool_execute!(db, SQL, id)? == 1)
}

/// Jobs in one status (or all), newest first, for operators.
pub async fn list(
    db: &Database,
    status: Option<JobStatus>,
    limit: i64,
) -> Result<Vec<StoredJob>, StorageError> {
    let sql = format!(
        "SELECT {COLUMNS} FROM jobs WHERE ($1 IS NULL OR status = $1) ORDER BY id DESC LIMIT $2"
    );
    let rows = on_pool!(db, Access::Read, |pool| {
        sqlx::query_as::<_, StoredJob>(sqlx::AssertSqlSafe(sql))
            .bind(status.map(Code))
            .bind(limit)
            .fetch_all(pool)
            .await
    })?;
    Ok(rows)
}

/// How many jobs of this kind are in one of these statuses — e.g. whether a recurring job
/// already has its next run booked.
pub async fn count_of_kind(
    tx: &mut Tx,
    kind: &str,
    statuses: &[JobStatus],
) -> Result<i64, StorageError> {
    let placeholders: Vec<String> = (0..statuses.len()).map(|i| format!("${}", i + 2)).collect();
    let sql = format!(
        "SELECT COUNT(*) FROM jobs WHERE kind = $1 AND status IN ({})",
        placeholders.join(", ")
    );
    let count = on_tx!(tx, |conn| {
        let mut query = sqlx::query_scalar::<_, i64>(sqlx::AssertSqlSafe(sql)).bind(kind);
        for status in statuses {
            query = query.bind(Code(*status));
        }
        query.fetch_one(conn).await
    })?;
    Ok(count)
}
