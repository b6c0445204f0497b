//! Reading every row about a child as JSON, table by table, on either engine: PostgreSQL turns a
//! row into JSON itself (`to_jsonb`), SQLite through `json_object` over the table's columns. Secret
//! columns (hashes of codes and tokens, sealed values) are left out.

use serde_json::Value;

use super::tables::{ABOUT_A_CHILD, TableSpec};
use crate::db::{Access, Database, StorageError};
use crate::on_pool;

/// Whose data: the parent's card, and the minor's account when there is one.
#[derive(Debug, Clone, Copy)]
pub struct Subject {
    pub card: i64,
    pub minor: Option<i64>,
}

impl Subject {
    fn minor_or_none(self) -> i64 {
        self.minor.unwrap_or(-1)
    }
}

/// Both ids bound in every statement, so each binds the same two values on both engines.
fn condition(spec: &TableSpec) -> String {
    format!("({}) AND $1 IS NOT NULL AND $2 IS NOT NULL", spec.rows)
}

async fn sqlite_columns(db: &Database, table: &str) -> Result<Vec<String>, StorageError> {
    let sql = format!("SELECT name FROM pragma_table_info('{table}') ORDER BY cid");
    let names = on_pool!(db, Access::Read, |pool| {
        sqlx::query_scalar::<_, String>(sqlx::AssertSqlSafe(sql.clone()))
            .fetch_all(pool)
            .await
    })?;
    Ok(names)
}

/// The rows of one table about the subject.
pub async fn rows(
    db: &Database,
    spec: &TableSpec,
    subject: Subject,
) -> Result<Vec<Value>, StorageError> {
    let sql = match db {
        Database::Postgres(_) => {
            let secrets: Vec<String> = spec
                .secret_columns
                .iter()
                .map(|c| format!("'{c}'"))
                .collect();
            let without = if secrets.is_empty() {
                String::new()
            } else {
                format!(" - ARRAY[{}]::text[]", secrets.join(", "))
            };
            format!(
                "SELECT (to_jsonb(t){without})::text FROM {} t WHERE {}",
                spec.table,
                condition(spec)
            )
        }
        Database::Sqlite { .. } => {
            let pairs: Vec<String> = sqlite_columns(db, spec.table)
                .await?
                .into_iter()
                .filter(|c| !spec.secret_columns.contains(&c.as_str()))
                .map(|c| format!("'{c}', t.{c}"))
                .collect();
            format!(
                "SELECT json_object({}) FROM {} t WHERE {}",
                pairs.join(", "),
                spec.table,
                condition(spec)
            )
        }
    };
    let texts = on_pool!(db, Access::Read, |pool| {
        sqlx::query_scalar::<_, String>(sqlx::AssertSqlSafe(sql.clone()))
            .bind(subject.card)
            .bind(subject.minor_or_none())
            .fetch_all(pool)
            .await
    })?;
    texts
        .iter()
        .map(|text| {
            serde_json::from_str(text)
                .map_err(|e| StorageError::Corrupt(format!("{}: {e}", spec.table)))
        })
        .collect()
}

/// Every table's rows about the subject, in the order a reader expects (the card first).
pub async fn everything(
    db: &Database,
    subject: Subject,
) -> Result<Vec<(&'static str, Vec<Value>)>, StorageError> {
    let mut all = Vec::new();
    for spec in ABOUT_A_CHILD.iter().rev() {
        all.push((spec.table, rows(db, spec, subject).await?));
    }
    Ok(all)
}

/// How many rows each table holds about the subject, inside the deleting transaction.
pub fn delete_statement(spec: &TableSpec) -> String {
    format!("DELETE FROM {} AS t WHERE {}", spec.table, condition(spec))
}
