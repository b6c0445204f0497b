//! Browsers subscribed to push: the subscription sealed with the server key (`sealed`), found
//! again by its endpoint's hash; at most `MAX_DEVICES` per account (counted under the account's
//! lock in `keep`).

use sqlx::FromRow;
use time::OffsetDateTime;

use super::{Database, StorageError, Tx};
use crate::{on_tx, pool_execute, pool_read, tx_execute};

#[derive(Debug, Clone, FromRow)]
pub struct StoredSubscription {
    pub id: i64,
    pub account_id: i64,
    pub sealed: String,
    pub device: String,
    pub created_at: OffsetDateTime,
}

const SELECT: &str = "SELECT id, account_id, sealed, device, created_at FROM push_subscriptions";

/// The account's browsers, newest first.
pub async fn of_account(
    db: &Database,
    account: i64,
) -> Result<Vec<StoredSubscription>, StorageError> {
    let sql = format!("{SELECT} WHERE account_id = $1 ORDER BY id DESC");
    Ok(pool_read!(db, StoredSubscription, fetch_all, sql, account)?)
}

/// The ids of the account's browsers, inside the transaction that tells the person something.
pub async fn ids_in(tx: &mut Tx, account: i64) -> Result<Vec<i64>, StorageError> {
    const SQL: &str = "SELECT id FROM push_subscriptions WHERE account_id = $1 ORDER BY id";
    Ok(on_tx!(tx, |conn| {
        sqlx::query_scalar::<_, i64>(SQL)
            .bind(account)
            .fetch_all(conn)
            .await
    })?)
}

pub async fn by_id(db: &Database, id: i64) -> Result<Option<StoredSubscription>, StorageError> {
    let sql = format!("{SELECT} WHERE id = $1");
    Ok(pool_read!(db, StoredSubscription, fetch_optional, sql, id)?)
}

/// Keeps a browser's subscription. The same endpoint again (the browser subscribing anew, or
/// another person signed in on it) moves to this account with the new keys; returns the id,
/// or `None` when the account already has `limit` other browsers.
pub async fn keep(
    tx: &mut Tx,
    account: i64,
    endpoint_sha256: &str,
    sealed: &str,
    device: &str,
    limit: i64,
    at: OffsetDateTime,
) -> Result<Option<i64>, StorageError> {
    // Two browsers connected at once must not both pass the count: PostgreSQL holds the
    // account's row until the transaction ends; SQLite's one writer already serialises them.
    if let Tx::Postgres(tx) = tx {
        sqlx::query("SELECT id FROM accounts WHERE id = $1 FOR UPDATE")
            .bind(account)
            .execute(&mut **tx)
            .await?;
    }
    tx_execute!(
        tx,
        "DELETE FROM push_subscriptions WHERE endpoint_sha256 = $1",
        endpoint_sha256
    )?;
    const COUNT: &str = "SELECT COUNT(*) FROM push_subscriptions WHERE account_id = $1";
    let count = on_tx!(tx, |conn| {
        sqlx::query_scalar::<_, i64>(COUNT)
            .bind(account)
            .fetch_one(conn)
            .await
    })?;
    if count >= limit {
        return Ok(None);
    }
    const INSERT: &str = "INSERT INTO push_subscriptions \
                          (account_id, endpoint_sha256, sealed, device, created_at) \
                          VALUES ($1, $2, $3, $4, $5) RETURNING id";
    let id = on_tx!(tx, |conn| {
        sqlx::query_scalar::<_, i64>(INSERT)
            .bind(account)
            .bind(endpoint_sha256)
            .bind(sealed)
            .bind(device)
            .bind(at)
            .fetch_one(conn)
            .await
    })?;
    Ok(Some(id))
}

/// Forgets one of the account's browsers; whether there was one.
pub async fn remove(db: &Database, account: i64, id: i64) -> Result<bool, StorageError> {
    let removed = pool_execute!(
        db,
        "DELETE FROM push_subscriptions WHERE id = $1 AND account_id = $2",
        id,
        account
    )?;
    Ok(removed > 0)
}

/// Forgets a browser whose push service says the subscription is gone.
pub async fn forget(db: &Database, id: i64) -> Result<(), StorageError> {
    pool_execute!(db, "DELETE FROM push_subscriptions WHERE id = $1", id)?;
    Ok(())
}
