//! Failed sign-ins, counted for throttling per account, per known device of an account, per
//! login typed and per address.

use time::OffsetDateTime;

use super::{Access, Database, StorageError};
use crate::{on_pool, on_tx, pool_execute, tx_execute};

pub struct Failure<'a> {
    pub account_id: Option<i64>,
    pub login_key: &'a str,
    pub address: &'a str,
    /// The hash of the device cookie, when the device signed in to this account before.
    pub device_hash: Option<&'a str>,
}

pub async fn record(
    db: &Database,
    failure: Failure<'_>,
    at: OffsetDateTime,
) -> Result<(), StorageError> {
    const SQL: &str = "INSERT INTO sign_in_failures (account_id, login_key, address, device_hash, at) \
                       VALUES ($1, $2, $3, $4, $5)";
    pool_execute!(
        db,
        SQL,
        failure.account_id,
        failure.login_key,
        failure.address,
        failure.device_hash,
        at
    )?;
    Ok(())
}

/// The outcome of [`reserve`].
#[derive(Debug, Clone, Copy)]
pub enum Reservation {
    /// A failure row now counts against the account; forgive it if the secret turns out right.
    Taken(i64),
    /// The ceiling is reached: nothing was compared, nothing was written.
    Full(Failures),
}

/// Counts a try of the account's secret as a failure before the secret is compared, unless the
/// account (or, for a known device, that device) is at `limit` since `since`. The account row is
/// locked first (an UPDATE: a row lock on PostgreSQL, the single writer on SQLite), so concurrent
/// tries cannot all see room below the limit.
pub async fn reserve(
    db: &Database,
    account_id: i64,
    failure: Failure<'_>,
    limit: i64,
    since: OffsetDateTime,
    at: OffsetDateTime,
) -> Result<Reservation, StorageError> {
    const LOCK: &str = "UPDATE accounts SET second_factor = second_factor WHERE id = $1";
    const BY_ACCOUNT: &str = "SELECT at FROM sign_in_failures WHERE account_id = $1 AND at > $2 \
                              AND ($3 IS NULL OR device_hash = $3) ORDER BY at LIMIT $4";
    const INSERT: &str = "INSERT INTO sign_in_failures \
                          (account_id, login_key, address, device_hash, at) \
                          VALUES ($1, $2, $3, $4, $5) RETURNING id";
    let mut tx = db.begin().await?;
    tx_execute!(&mut tx, LOCK, account_id)?;
    let rows: Vec<OffsetDateTime> = on_tx!(&mut tx, |conn| {
        sqlx::query_scalar(BY_ACCOUNT)
            .bind(account_id)
            .bind(since)
            .bind(failure.device_hash)
            .bind(limit)
            .fetch_all(&mut *conn)
            .await
    })?;
    if rows.len() as i64 >= limit {
        return Ok(Reservation::Full(Failures {
            count: rows.len() as i64,
            oldest: rows.first().copied(),
        }));
    }
    let id: i64 = on_tx!(&mut tx, |conn| {
        sqlx::query_scalar(INSERT)
            .bind(account_id)
            .bind(failure.login_key)
            .bind(failure.address)
            .bind(failure.device_hash)
            .bind(at)
            .fetch_one(&mut *conn)
            .await
    })?;
    tx.commit().await?;
    Ok(Reservation::Taken(id))
}

/// The secret was right after all: the reserved failure is taken back.
pub async fn forgive(db: &Database, id: i64) -> Result<(), StorageError> {
    pool_execute!(db, "DELETE FROM sign_in_failures WHERE id = $1", id)?;
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

/// [`forgive`] inside an open transaction.
pub async fn forgive_in(tx: &mut super::Tx, id: i64) -> Result<(), StorageError> {
    tx_execute!(tx, "DELETE FROM sign_in_failures WHERE id = $1", id)?;
    Ok(())
}

/// A successful sign-in forgives the account's earlier failures.
pub async fn clear_account(db: &Database, account_id: i64) -> Result<(), StorageError> {
    const SQL: &str = "DELETE FROM sign_in_failures WHERE account_id = $1";
    pool_execute!(db, SQL, account_id)?;
    Ok(())
}
