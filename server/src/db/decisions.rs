//! Applications as officers work them: the queue, claims with a lease, and the status changes the
//! status machine allowed. Nothing here reads a family's other tables: an officer sees the
//! application and its documents only.

use sqlx::FromRow;
use time::{Duration, OffsetDateTime};

use app::benefits::status::{ApplicationStatus, EligibilityFlag};
use app::domain::application_status::{Facts, OfficerId, REVIEW_DAYS, is_overdue};
use app::domain::date::MOSCOW;
use app::domain::moscow_today;

use super::codes::Code;
use super::{Database, StorageError, Tx};
use crate::{on_tx, pool_read, tx_execute};

/// An application with the facts the status machine needs.
#[derive(Debug, Clone, FromRow)]
pub struct CaseRow {
    pub id: i64,
    pub parent_account_id: i64,
    pub benefit_code: String,
    #[sqlx(try_from = "Code<ApplicationStatus>")]
    pub status: ApplicationStatus,
    #[sqlx(try_from = "Code<EligibilityFlag>")]
    pub eligibility: EligibilityFlag,
    pub submitted_at: OffsetDateTime,
    pub version: i64,
    pub status_since: OffsetDateTime,
    pub claimed_by: Option<i64>,
    pub claim_expires_at: Option<OffsetDateTime>,
    /// The public number of the officer holding the claim.
    pub claimed_by_number: Option<i64>,
    pub refused_by: Option<i64>,
    pub refused_at: Option<OffsetDateTime>,
    /// The latest move was the family's (an answer or an appeal): the officer sees new material.
    pub new_material: bool,
}

impl CaseRow {
    /// The officer whose claim is live at `now`; an expired lease holds no one.
    pub fn live_claim(&self, now: OffsetDateTime) -> Option<i64> {
        match (self.claimed_by, self.claim_expires_at) {
            (Some(officer), Some(until)) if until > now => Some(officer),
            _ => None,
        }
    }

    /// Waiting for an officer past the 30 days, counted in Moscow dates.
    pub fn overdue(&self, now: OffsetDateTime) -> bool {
        self.status.awaits_officer()
            && is_overdue(
                self.status_since.to_offset(MOSCOW).date(),
                moscow_today(now),
            )
    }

    /// What the status machine is told about the application at `now`.
    pub fn facts(&self, now: OffsetDateTime) -> Facts {
        Facts {
            claimed_by: self.live_claim(now).map(OfficerId),
            refused_by: self.refused_by.map(OfficerId),
            refused_on: self.refused_at.map(|at| at.to_offset(MOSCOW).date()),
            today: moscow_today(now),
        }
    }
}

const COLUMNS: &str = "a.id, a.parent_account_id, a.benefit_code, a.status, a.eligibility, \
    a.submitted_at, a.version, a.status_since, a.claimed_by, a.claim_expires_at, \
    o.officer_number AS claimed_by_number, a.refused_by, a.refused_at, \
    COALESCE((SELECT e.kind IN ('resend', 'appeal') FROM application_events e \
        WHERE e.application_id = a.id AND e.to_status IS NOT NULL \
        ORDER BY e.id DESC LIMIT 1), FALSE) AS new_material";

const FROM: &str = "FROM applications a LEFT JOIN accounts o ON o.id = a.claimed_by \
    AND a.claim_expires_at > $1";

/// What the queue asks for.
pub struct QueueQuery<'a> {
    pub status: Option<ApplicationStatus>,
    pub benefit: Option<&'a str>,
    pub overdue_only: bool,
    pub eligibility: Option<EligibilityFlag>,
    /// Only what this officer holds.
    pub claimed_by: Option<i64>,
    pub limit: i64,
    pub offset: i64,
}

/// A page of the queue and how many match in all. Overdue first (waiting for an officer longer
/// than 30 days), then the longest waiting.
pub async fn queue(
    db: &Database,
    query: &QueueQuery<'_>,
    now: OffsetDateTime,
) -> Result<(Vec<CaseRow>, i64), StorageError> {
    let cutoff = now - Duration::days(REVIEW_DAYS);
    let filter = "WHERE ($2 IS NULL OR a.status = $2) AND ($3 IS NULL OR a.benefit_code = $3) \
        AND ($4 = 0 OR (a.status IN ('under_review', 'appealed') AND a.status_since < $5)) \
        AND ($6 IS NULL OR a.eligibility = $6) \
        AND ($7 IS NULL OR (a.claimed_by = $7 AND a.claim_expires_at > $1))";
    let sql = format!(
        "SELECT {COLUMNS} {FROM} {filter} ORDER BY \
         CASE WHEN a.status IN ('under_review', 'appealed') AND a.status_since < $5 THEN 0 \
         ELSE 1 END, a.status_since, a.id LIMIT $8 OFFSET $9"
    );
    let rows = pool_read!(
        db,
        CaseRow,
        fetch_all,
        sql,
        now,
        query.status.map(Code),
        query.benefit,
        i64::from(query.overdue_only),
        cutoff,
        query.eligibility.map(Code),
        query.claimed_by,
        query.limit,
        query.offset
    )?;
    let count = format!("SELECT COUNT(*) AS total {FROM} {filter}");
    let total: Total = pool_read!(
        db,
        Total,
        fetch_one,
        count,
        now,
        query.status.map(Code),
        query.benefit,
        i64::from(query.overdue_only),
        cutoff,
        query.eligibility.map(Code),
        query.claimed_by
    )?;
    Ok((rows, total.total))
}

#[derive(FromRow)]
struct Total {
    total: i64,
}

/// Applications waiting for an officer since before `cutoff` whose family was not told yet:
/// what the 30-day sweep looks at, the longest waiting first.
pub async fn overdue_untold(
    db: &Database,
    now: OffsetDateTime,
    cutoff: OffsetDateTime,
    limit: i64,
) -> Result<Vec<CaseRow>, StorageError> {
    let sql = format!(
        "SELECT {COLUMNS} {FROM} WHERE a.status IN ('under_review', 'appealed') \
         AND a.overdue_notified_at IS NULL AND a.status_since < $2 \
         ORDER BY a.status_since, a.id LIMIT $3"
    );
    Ok(pool_read!(db, CaseRow, fetch_all, sql, now, cutoff, limit)?)
}

/// Applications refused since `since` and still «Отклонено»: the ones whose appeal window may
/// be closing.
pub async fn refused_since(
    db: &Database,
    since: OffsetDateTime,
    limit: i64,
) -> Result<Vec<CaseRow>, StorageError> {
    let sql = format!(
        "SELECT {COLUMNS} {FROM} WHERE a.status = 'rejected' AND a.refused_at >= $1 \
         ORDER BY a.refused_at, a.id LIMIT $2"
    );
    Ok(pool_read!(db, CaseRow, fetch_all, sql, since, limit)?)
}

/// Marks the family told, once per stay in the status: `false` when the application moved on
/// or another sweep told them first.
pub async fn mark_overdue_told(
    tx: &mut Tx,
    id: i64,
    version: i64,
    now: OffsetDateTime,
) -> Result<bool, StorageError> {
    let changed = tx_execute!(
        tx,
        "UPDATE applications SET overdue_notified_at = $1, version = version + 1 \
         WHERE id = $2 AND version = $3 AND overdue_notified_at IS NULL",
        now,
        id,
        version
    )?;
    Ok(changed == 1)
}

/// One application, whoever's it is (the caller is an officer).
pub async fn case(
    db: &Database,
    id: i64,
    now: OffsetDateTime,
) -> Result<Option<CaseRow>, StorageError> {
    let sql = format!("SELECT {COLUMNS} {FROM} WHERE a.id = $2");
    Ok(pool_read!(db, CaseRow, fetch_optional, sql, now, id)?)
}

/// Takes or renews the officer's claim: one statement, so of two officers claiming at once
/// exactly one wins. Only an application waiting for an officer can be claimed, and only when
/// no one else's lease is live.
pub async fn claim(
    tx: &mut Tx,
    id: i64,
    officer: i64,
    now: OffsetDateTime,
    until: OffsetDateTime,
) -> Result<bool, StorageError> {
    let changed = tx_execute!(
        tx,
        "UPDATE applications SET claimed_by = $1, claim_expires_at = $2, version = version + 1 \
         WHERE id = $3 AND status IN ('under_review', 'appealed') \
         AND (claimed_by IS NULL OR claimed_by = $1 OR claim_expires_at <= $4)",
        officer,
        until,
        id,
        now
    )?;
    Ok(changed == 1)
}

/// Gives the officer's claim back.
pub async fn release(tx: &mut Tx, id: i64, officer: i64) -> Result<bool, StorageError> {
    let changed = tx_execute!(
        tx,
        "UPDATE applications SET claimed_by = NULL, claim_expires_at = NULL, \
         version = version + 1 WHERE id = $1 AND claimed_by = $2",
        id,
        officer
    )?;
    Ok(changed == 1)
}

/// A status change the status machine allowed, at the version it was checked against: the claim
/// ends with it, a refusal records who refused, and the 30 days start again.
pub async fn change_status(
    tx: &mut Tx,
    id: i64,
    version: i64,
    to: ApplicationStatus,
    now: OffsetDateTime,
    refused_by: Option<i64>,
) -> Result<bool, StorageError> {
    let changed = on_tx!(tx, |conn| {
        sqlx::query(
            "UPDATE applications SET status = $1, status_since = $2, claimed_by = NULL, \
             claim_expires_at = NULL, overdue_notified_at = NULL, \
             refused_by = COALESCE($3, refused_by), \
             refused_at = CASE WHEN $3 IS NULL THEN refused_at ELSE $2 END, \
             version = version + 1 WHERE id = $4 AND version = $5",
        )
        .bind(Code(to))
        .bind(now)
        .bind(refused_by)
        .bind(id)
        .bind(version)
        .execute(conn)
        .await
        .map(|done| done.rows_affected())
    })?;
    Ok(changed == 1)
}

/// The public number of an officer's account, given the next free one (from 101) the first
/// time it is asked; `None` for anyone who is not an officer or administrator.
pub async fn officer_number(db: &Database, account: i64) -> Result<Option<i64>, StorageError> {
    #[derive(FromRow)]
    struct Number {
        officer_number: Option<i64>,
    }
    // Two numbers handed out at once on PostgreSQL can collide on the unique index: ask again.
    for _ in 0..3 {
        let row = pool_read!(
            db,
            Number,
            fetch_optional,
            "SELECT officer_number FROM accounts WHERE id = $1 AND role IN ('officer', 'admin')",
            account
        )?;
        match row {
            None => return Ok(None),
            Some(Number {
                officer_number: Some(number),
            }) => return Ok(Some(number)),
            Some(Number {
                officer_number: None,
            }) => {}
        }
        let assigned = crate::pool_execute!(
            db,
            "UPDATE accounts SET officer_number = \
             (SELECT COALESCE(MAX(officer_number), 100) + 1 FROM accounts) \
             WHERE id = $1 AND officer_number IS NULL",
            account
        );
        match assigned {
            Err(sqlx::Error::Database(e)) if e.is_unique_violation() => continue,
            other => {
                other?;
            }
        }
    }
    Err(StorageError::Corrupt(format!(
        "no officer number could be given to account {account}"
    )))
}
