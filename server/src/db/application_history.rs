//! «История обращений»: one family's applications, filtered and paged, each with the last thing
//! an officer wrote. Every query names the parent first, so it reads one family's rows through
//! `applications_parent` (parent, sent) and nothing else.

use sqlx::FromRow;
use time::{OffsetDateTime, UtcOffset};

use app::benefits::status::ApplicationStatus;

use super::codes::Code;
use super::{Access, Database, StorageError};
use crate::{on_pool, pool_read};

#[derive(Debug, Clone, FromRow)]
pub struct HistoryRow {
    pub id: i64,
    pub benefit_code: String,
    #[sqlx(try_from = "Code<ApplicationStatus>")]
    pub status: ApplicationStatus,
    /// What was sent (JSON): the child's name is read from it.
    pub content: String,
    pub submitted_at: OffsetDateTime,
    pub status_since: OffsetDateTime,
    /// The text of the latest officer entry that moved the status; empty when none.
    pub officer_comment: String,
}

/// What the history asks for; `None` is «any».
#[derive(Debug, Clone, Default)]
pub struct HistoryQuery<'a> {
    /// Sent at or after.
    pub from: Option<OffsetDateTime>,
    /// Sent before.
    pub until: Option<OffsetDateTime>,
    pub status: Option<ApplicationStatus>,
    pub benefit: Option<&'a str>,
    pub id: Option<i64>,
}

const SELECT: &str = "SELECT a.id, a.benefit_code, a.status, a.content, a.submitted_at, \
    a.status_since, COALESCE((SELECT e.comment FROM application_events e \
        WHERE e.application_id = a.id AND e.actor = 'officer' AND e.to_status IS NOT NULL \
        ORDER BY e.id DESC LIMIT 1), '') AS officer_comment \
    FROM applications a";

const FILTER: &str = "WHERE a.parent_account_id = $1 \
    AND ($2 IS NULL OR a.submitted_at >= $2) AND ($3 IS NULL OR a.submitted_at < $3) \
    AND ($4 IS NULL OR a.status = $4) AND ($5 IS NULL OR a.benefit_code = $5) \
    AND ($6 IS NULL OR a.id = $6)";

const ORDER: &str = "ORDER BY a.submitted_at DESC, a.id DESC";

/// SQLite compares stored moments as text: every bound one is in UTC, like the stored ones.
fn utc(at: Option<OffsetDateTime>) -> Option<OffsetDateTime> {
    at.map(|at| at.to_offset(UtcOffset::UTC))
}

/// A page of the parent's applications, newest first, and how many match in all.
pub async fn page(
    db: &Database,
    parent: i64,
    query: &HistoryQuery<'_>,
    limit: i64,
    offset: i64,
) -> Result<(Vec<HistoryRow>, i64), StorageError> {
    let sql = format!("{SELECT} {FILTER} {ORDER} LIMIT $7 OFFSET $8");
    let rows = pool_read!(
        db,
        HistoryRow,
        fetch_all,
        sql,
        parent,
        utc(query.from),
        utc(query.until),
        query.status.map(Code),
        query.benefit,
        query.id,
        limit,
        offset
    )?;
    #[derive(FromRow)]
    struct Total {
        total: i64,
    }
    let count = format!("SELECT COUNT(*) AS total FROM applications a {FILTER}");
    let total = pool_read!(
        db,
        Total,
        fetch_one,
        count,
        parent,
        utc(query.from),
        utc(query.until),
        query.status.map(Code),
        query.benefit,
        query.id
    )?;
    Ok((rows, total.total))
}

/// The rows of the parent's applications among `ids` that also match the filter, newest first.
/// Another family's id matches nothing.
pub async fn chosen(
    db: &Database,
    parent: i64,
    query: &HistoryQuery<'_>,
    ids: &[i64],
) -> Result<Vec<HistoryRow>, StorageError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let placeholders: Vec<String> = (0..ids.len()).map(|i| format!("${}", i + 7)).collect();
    let sql = format!(
        "{SELECT} {FILTER} AND a.id IN ({}) {ORDER}",
        placeholders.join(", ")
    );
    let rows = on_pool!(db, Access::Read, |pool| {
        let mut select = sqlx::query_as::<_, HistoryRow>(sqlx::AssertSqlSafe(sql))
            .bind(parent)
            .bind(utc(query.from))
            .bind(utc(query.until))
            .bind(query.status.map(Code))
            .bind(query.benefit)
            .bind(query.id);
        for id in ids {
            select = select.bind(*id);
        }
        select.fetch_all(pool).await
    })?;
    Ok(rows)
}
