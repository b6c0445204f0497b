//! Server-side sessions. The cookie holds a random token; the table holds its SHA-256, so a copy
//! of the database does not let anyone in.

use sqlx::FromRow;
use time::OffsetDateTime;

use app::account::{AccountLevel, Role};

use super::codes::Code;
use super::{Access, Database, StorageError, Tx};
use crate::{on_pool, on_tx, pool_execute, tx_execute};

/// A live session with the account fields every request needs.
#[derive(Debug, Clone, FromRow)]
pub struct LiveSession {
    pub id: i64,
    pub account_id: i64,
    pub last_seen_at: OffsetDateTime,
    pub expires_at: OffsetDateTime,
    pub reauthenticated_at: Option<OffsetDateTime>,
    pub first_name: String,
    pub last_name: String,
    #[sqlx(try_from = "Code<AccountLevel>")]
    pub level: AccountLevel,
    #[sqlx(try_from = "Code<Role>")]
    pub role: Role,
}

pub struct NewSession<'a> {
    pub token_hash: &'a str,
    pub account_id: i64,
    pub user_agent: &'a str,
    pub expires_at: OffsetDateTime,
}

pub async fn insert(
    tx: &mut Tx,
    session: NewSession<'_>,
    at: OffsetDateTime,
) -> Result<i64, StorageError> {
    const SQL: &str = "INSERT INTO sessions \
                       (token_hash, account_id, user_agent, created_at, last_seen_at, expires_at) \
                       VALUES ($1, $2, $3, $4, $4, $5) RETURNING id";
    let id = on_tx!(tx, |conn| {
        sqlx::query_scalar::<_, i64>(SQL)
            .bind(session.token_hash)
            .bind(session.account_id)
            .bind(session.user_agent)
            .bind(at)
            .bind(session.expires_at)
            .fetch_one(conn)
            .await
    })?;
    Ok(id)
}

/// The session with this token hash unless it has ended, been signed out or gone idle since
/// `idle_since` (the oldest `last_seen_at` still alive).
pub async fn live(
    db: &Database,
    token_hash: &str,
    now: OffsetDateTime,
    idle_since: OffsetDateTime,
) -> Result<Option<LiveSession>, StorageError> {
    const SQL: &str = "SELECT s.id, s.account_id, s.last_seen_at, s.expires_at, \
                       s.reauthenticated_at, a.first_name, a.last_name, a.level, a.role \
                       FROM sessions s JOIN accounts a ON a.id = s.account_id \
                       WHERE s.token_hash = $1 AND s.ended_at IS NULL \
                       AND s.expires_at > $2 AND s.last_seen_at > $3";
    let row = on_pool!(db, Access::Read, |pool| {
        sqlx::query_as::<_, LiveSession>(SQL)
            .bind(token_hash)
            .bind(now)
            .bind(idle_since)
            .fetch_optional(pool)
            .await
    })?;
    Ok(row)
}

/// Records activity, which pushes the idle deadline back.
pub async fn touch(db: &Database, id: i64, at: OffsetDateTime) -> Result<(), StorageError> {
    const SQL: &str = "UPDATE sessions SET last_seen_at = $2 WHERE id = $1 AND ended_at IS NULL";
    pool_execute!(db, SQL, id, at)?;
    Ok(())
}

pub async fn end_by_hash(
    db: &Database,
    token_hash: &str,
    at: OffsetDateTime,
) -> Result<(), StorageError> {
    const SQL: &str =
        "UPDATE sessions SET ended_at = $2 WHERE token_hash = $1 AND ended_at IS NULL";
    pool_execute!(db, SQL, token_hash, at)?;
    Ok(())
}

/// A live session for the list of devices.
#[derive(Debug, Clone, FromRow)]
pub struct DeviceSession {
    pub id: i64,
    pub user_agent: String,
    pub created_at: OffsetDateTime,
    pub last_seen_at: OffsetDateTime,
}

pub async fn live_for_account(
    db: &Database,
    account_id: i64,
    now: OffsetDateTime,
    idle_since: OffsetDateTime,
) -> Result<Vec<DeviceSession>, StorageError> {
    const SQL: &str = "SELECT id, user_agent, created_at, last_seen_at FROM sessions \
                       WHERE account_id = $1 AND ended_at IS NULL AND expires_at > $2 \
                       AND last_seen_at > $3 ORDER BY last_seen_at DESC, id DESC";
    let rows = on_pool!(db, Access::Read, |pool| {
        sqlx::query_as::<_, DeviceSession>(SQL)
            .bind(account_id)
            .bind(now)
            .bind(idle_since)
            .fetch_all(pool)
            .await
    })?;
    Ok(rows)
}

/// Ends every session of the account except `keep` (the one making the change, if any).
pub async fn end_all(
    tx: &mut Tx,
    account_id: i64,
    keep: Option<i64>,
    at: OffsetDateTime,
) -> Result<u64, StorageError> {
    const SQL: &str = "UPDATE sessions SET ended_at = $3 \
                       WHERE account_id = $1 AND ended_at IS NULL AND id <> $2";
    let ended = tx_execute!(tx, SQL, account_id, keep.unwrap_or(-1), at)?;
    Ok(ended)
}

pub async fn end_by_id(tx: &mut Tx, id: i64, at: OffsetDateTime) -> Result<(), StorageError> {
    const SQL: &str = "UPDATE sessions SET ended_at = $2 WHERE id = $1 AND ended_at IS NULL";
    tx_execute!(tx, SQL, id, at)?;
    Ok(())
}

/// Marks the session with this token as re-authenticated now.
pub async fn mark_reauthenticated(
    tx: &mut Tx,
    token_hash: &str,
    at: OffsetDateTime,
) -> Result<(), StorageError> {
    const SQL: &str = "UPDATE sessions SET reauthenticated_at = $2 WHERE token_hash = $1";
    tx_execute!(tx, SQL, token_hash, at)?;
    Ok(())
}

/// The id of the session with this token hash (one just opened in the transaction).
pub async fn id_by_hash(tx: &mut Tx, token_hash: &str) -> Result<Option<i64>, StorageError> {
    const SQL: &str = "SELECT id FROM sessions WHERE token_hash = $1";
    let id = on_tx!(tx, |conn| {
        sqlx::query_scalar::<_, i64>(SQL)
            .bind(token_hash)
            .fetch_optional(conn)
            .await
    })?;
    Ok(id)
}
