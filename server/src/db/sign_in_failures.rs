//! Failed sign-ins, counted for throttling per account, per login typed and per address.

use time::OffsetDateTime;

use super::{Access, Database, StorageError};
use crate::{on_pool, pool_execute};

pub struct Failure<'a> {
    pub account_id: Option<i64>,
    pub login_key: &'a str,
    pub address: &'a str,
}

pub async fn record(
    db: &Database,
    failure: Failure<'_>,
    at: OffsetDateTime,
) -> Result<(), StorageError> {
    const SQL: &str =
        "INSERT INTO sign_in_failures (account_id, login_key, address, at) VALUES ($1, $2, $3, $4)";
    pool_execute!(
        db,
        SQL,
        failure.account_id,
        failure.login_key,
        failure.address,
        at
    )?;
    Ok(())
}

/// What failures are counted by.
#[derive(Debug, Clone, Copy)]
pub enum Key<'a> {
    Account(i64),
    Login(&'a str),
    Address(&'a str),
}

/// How many failures since `since`, and the oldest of them (when the count starts to fall).
#[derive(Debug, Clone, Copy, Default)]
pub struct Failures {
    pub count: i64,
    pub oldest: Option<OffsetDateTime>,
}

pub async fn since(
    db: &Database,
    key: Key<'_>,
    since: OffsetDateTime,
) -> Result<Failures, StorageError> {
    let (column, account, text) = match key {
        Key::Account(id) => ("account_id", Some(id), None),
        Key::Login(login) => ("login_key", None, Some(login)),
        Key::Address(address) => ("address", None, Some(address)),
    };
    // Oldest first, limited: the count only matters up to the limit, and the first row is the
    // oldest. (MIN() over a TEXT column loses its type on SQLite.)
    let sql = format!(
        "SELECT at FROM sign_in_failures WHERE {column} = $1 AND at > $2 ORDER BY at LIMIT 1000"
    );
    let rows: Vec<OffsetDateTime> = on_pool!(db, Access::Read, |pool| {
        let query = sqlx::query_scalar(sqlx::AssertSqlSafe(sql));
        let query = match (account, text) {
            (Some(id), _) => query.bind(id),
            (None, text) => query.bind(text),
        };
        query.bind(since).fetch_all(pool).await
    })?;
    Ok(Failures {
        count: rows.len() as i64,
        oldest: rows.first().copied(),
    })
}

/// A successful sign-in forgives the account's earlier failures.
pub async fn clear_account(db: &Database, account_id: i64) -> Result<(), StorageError> {
    const SQL: &str = "DELETE FROM sign_in_failures WHERE account_id = $1";
    pool_execute!(db, SQL, account_id)?;
    Ok(())
}
