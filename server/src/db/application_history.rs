//! «История обращений»: one family's applications, filtered and paged, each with the last thing
//! an officer wrote. Every query names the parent first, so it reads one family's rows through
//! `applications_parent` (parent, sent) and nothing else.

use sqlx::FromRow;
use time::{OffsetDateTime, UtcOffset};

use app::benefits::status::ApplicationStatus;

use super::codes::Code;
use super::{Access, Database, StorageError};
use crate::on_pool;

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

const ORDER: &str = "ORDER BY a.submitted_at DESC, a.id DESC";

/// A value a condition binds.
enum Value<'a> {
    Id(i64),
    At(OffsetDateTime),
    Text(&'a str),
    Status(ApplicationStatus),
}

/// The conditions of the filters given, and nothing for the rest: a condition that is always
/// true for «any» (`$2 IS NULL OR …`) would keep the planner from the index that serves it.
struct Filter<'a> {
    sql: String,
    values: Vec<Value<'a>>,
}

impl<'a> Filter<'a> {
    fn new(parent: i64, query: &HistoryQuery<'a>, ids: &[i64]) -> Self {
        let mut filter = Filter {
            sql: String::from("WHERE a.parent_account_id = $1"),
            values: vec![Value::Id(parent)],
        };
        // SQLite compares stored moments as text: every bound one is in UTC, like the stored ones.
        let utc = |at: OffsetDateTime| Value::At(at.to_offset(UtcOffset::UTC));
        let conditions = [
            ("a.submitted_at >=", query.from.map(utc)),
            ("a.submitted_at <", query.until.map(utc)),
            ("a.status =", query.status.map(Value::Status)),
            ("a.benefit_code =", query.benefit.map(Value::Text)),
            ("a.id =", query.id.map(Value::Id)),
        ];
        for (condition, value) in conditions {
            if let Some(value) = value {
                filter.values.push(value);
                filter.sql += &format!(" AND {condition} ${}", filter.values.len());
            }
        }
        if !ids.is_empty() {
            let first = filter.values.len() + 1;
            let places: Vec<String> = (first..first + ids.len())
                .map(|i| format!("${i}"))
                .collect();
            filter.sql += &format!(" AND a.id IN ({})", places.join(", "));
            filter.values.extend(ids.iter().map(|id| Value::Id(*id)));
        }
        filter
    }

    /// The placeholder the next value takes.
    fn next(&self) -> usize {
        self.values.len() + 1
    }
}

/// Runs `sql` with the filter's values, then `extra`, bound in order; `$fetch` as in `pool_read!`.
macro_rules! filtered {
    ($db:expr, $row:ty, $fetch:ident, $sql:expr, $filter:expr $(, $extra:expr)*) => {
        on_pool!($db, Access::Read, |pool| {
            let mut select = sqlx::query_as::<_, $row>(sqlx::AssertSqlSafe($sql));
            for value in &$filter.values {
                select = match value {
                    Value::Id(id) => select.bind(*id),
                    Value::At(at) => select.bind(*at),
                    Value::Text(text) => select.bind(*text),
                    Value::Status(status) => select.bind(Code(*status)),
                };
            }
            select$(.bind($extra))*.$fetch(pool).await
        })
    };
}

/// A page of the parent's applications, newest first, and how many match in all.
pub async fn page(
    db: &Database,
    parent: i64,
    query: &HistoryQuery<'_>,
    limit: i64,
    offset: i64,
) -> Result<(Vec<HistoryRow>, i64), StorageError> {
    let filter = Filter::new(parent, query, &[]);
    let (at, after) = (filter.next(), filter.next() + 1);
    let sql = format!(
        "{SELECT} {} {ORDER} LIMIT ${at} OFFSET ${after}",
        filter.sql
    );
    let rows = filtered!(db, HistoryRow, fetch_all, sql, filter, limit, offset)?;
    #[derive(FromRow)]
    struct Total {
        total: i64,
    }
    let count = format!(
        "SELECT COUNT(*) AS total FROM applications a {}",
        filter.sql
    );
    let total = filtered!(db, Total, fetch_one, count, filter)?;
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
    let filter = Filter::new(parent, query, ids);
    let sql = format!("{SELECT} {} {ORDER}", filter.sql);
    Ok(filtered!(db, HistoryRow, fetch_all, sql, filter)?)
}
