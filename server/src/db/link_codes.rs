//! Link codes («код привязки») and what linking reads: the minor's account behind an e-mail,
//! the minor's open codes, and the parents a minor is linked to.

use sqlx::FromRow;
use time::OffsetDateTime;

use super::{Access, Database, StorageError, Tx};
use crate::{on_pool, on_tx, tx_execute};

#[derive(Debug, Clone, FromRow)]
pub struct OpenCode {
    pub id: i64,
    pub parent_account_id: i64,
    pub child_id: Option<i64>,
    pub code_hash: String,
    pub wrong_tries: i32,
    pub expires_at: OffsetDateTime,
}

/// A minor's account (child or teen) as linking sees it.
#[derive(Debug, Clone, FromRow)]
pub struct Minor {
    pub id: i64,
    pub email: String,
}

/// The minor's account (child or teen) that holds this СНИЛС, if any.
pub async fn minor_with_snils_in(tx: &mut Tx, snils: &str) -> Result<Option<Minor>, StorageError> {
    const SQL: &str =
        "SELECT id, email FROM accounts WHERE snils = $1 AND age_group IN ('child', 'teen')";
    let row = on_tx!(tx, |conn| {
        sqlx::query_as::<_, Minor>(SQL)
            .bind(snils)
            .fetch_optional(conn)
            .await
    })?;
    Ok(row)
}

/// How many codes this parent was given since `since`, for the daily limit.
pub async fn issued_since(
    tx: &mut Tx,
    parent_id: i64,
    since: OffsetDateTime,
) -> Result<i64, StorageError> {
    const SQL: &str =
        "SELECT COUNT(*) FROM link_codes WHERE parent_account_id = $1 AND created_at > $2";
    let count = on_tx!(tx, |conn| {
        sqlx::query_scalar::<_, i64>(SQL)
            .bind(parent_id)
            .bind(since)
            .fetch_one(conn)
            .await
    })?;
    Ok(count)
}

/// Whether a minor's account holds this СНИЛС (the other parent made the child's account).
pub async fn minor_with_snils(db: &Database, snils: &str) -> Result<bool, StorageError> {
    const SQL: &str =
        "SELECT COUNT(*) FROM accounts WHERE snils = $1 AND age_group IN ('child', 'teen')";
    let count = on_pool!(db, Access::Read, |pool| {
        sqlx::query_scalar::<_, i64>(SQL)
            .bind(snils)
            .fetch_one(pool)
            .await
    })?;
    Ok(count > 0)
}

/// A new code; the parent's earlier open codes for the same minor stop working.
pub async fn issue(
    tx: &mut Tx,
    parent_id: i64,
    minor_id: i64,
    child_id: i64,
    code_hash: &str,
    now: OffsetDateTime,
    expires_at: OffsetDateTime,
) -> Result<(), StorageError> {
    tx_execute!(
        tx,
        "UPDATE link_codes SET voided_at = $3 WHERE parent_account_id = $1 \
         AND minor_account_id = $2 AND used_at IS NULL AND voided_at IS NULL",
        parent_id,
        minor_id,
        now
    )?;
    tx_execute!(
        tx,
        "INSERT INTO link_codes (parent_account_id, minor_account_id, child_id, code_hash, \
         created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6)",
        parent_id,
        minor_id,
        child_id,
        code_hash,
        now,
        expires_at
    )?;
    Ok(())
}

const OPEN: &str = "SELECT id, parent_account_id, child_id, code_hash, wrong_tries, expires_at \
    FROM link_codes WHERE minor_account_id = $1 AND used_at IS NULL AND voided_at IS NULL \
    AND expires_at > $2 ORDER BY id DESC";

/// The minor's codes that still work, newest first.
pub async fn open_codes(
    tx: &mut Tx,
    minor_id: i64,
    now: OffsetDateTime,
) -> Result<Vec<OpenCode>, StorageError> {
    let rows = on_tx!(tx, |conn| {
        sqlx::query_as::<_, OpenCode>(OPEN)
            .bind(minor_id)
            .bind(now)
            .fetch_all(conn)
            .await
    })?;
    Ok(rows)
}

pub async fn newest_open_expiry(
    db: &Database,
    minor_id: i64,
    now: OffsetDateTime,
) -> Result<Option<OffsetDateTime>, StorageError> {
    let rows = on_pool!(db, Access::Read, |pool| {
        sqlx::query_as::<_, OpenCode>(OPEN)
            .bind(minor_id)
            .bind(now)
            .fetch_all(pool)
            .await
    })?;
    Ok(rows.first().map(|c| c.expires_at))
}

/// Takes a try from every open code of the minor before a code is compared: the UPDATE locks
/// the rows (PostgreSQL; SQLite has one writer), so concurrent guesses wait for each other. False
/// when no code is open.
pub async fn reserve_try(
    tx: &mut Tx,
    minor_id: i64,
    max: i32,
    now: OffsetDateTime,
) -> Result<bool, StorageError> {
    let taken = tx_execute!(
        tx,
        "UPDATE link_codes SET wrong_tries = wrong_tries + 1 WHERE minor_account_id = $1 \
         AND used_at IS NULL AND voided_at IS NULL AND expires_at > $3 AND wrong_tries < $2",
        minor_id,
        max,
        now
    )?;
    Ok(taken > 0)
}

/// The code was right: the other open codes get their try back.
pub async fn return_try(tx: &mut Tx, minor_id: i64) -> Result<(), StorageError> {
    tx_execute!(
        tx,
        "UPDATE link_codes SET wrong_tries = wrong_tries - 1 WHERE minor_account_id = $1 \
         AND used_at IS NULL AND voided_at IS NULL AND wrong_tries > 0",
        minor_id
    )?;
    Ok(())
}

/// After a wrong code: codes out of tries are void.
pub async fn void_exhausted(
    tx: &mut Tx,
    minor_id: i64,
    max: i32,
    now: OffsetDateTime,
) -> Result<(), StorageError> {
    tx_execute!(
        tx,
        "UPDATE link_codes SET voided_at = $3 WHERE minor_account_id = $1 \
         AND used_at IS NULL AND voided_at IS NULL AND wrong_tries >= $2",
        minor_id,
        max,
        now
    )?;
    Ok(())
}

pub async fn mark_used(tx: &mut Tx, id: i64, now: OffsetDateTime) -> Result<bool, StorageError> {
    let done = tx_execute!(
        tx,
        "UPDATE link_codes SET used_at = $2 WHERE id = $1 AND used_at IS NULL AND voided_at IS NULL",
        id,
        now
    )?;
    Ok(done == 1)
}

/// A parent linked to a minor: who, how to reach them, since when.
#[derive(Debug, Clone, FromRow)]
pub struct Guardian {
    pub account_id: i64,
    pub last_name: String,
    pub first_name: String,
    pub middle_name: Option<String>,
    pub email: String,
    pub linked_at: OffsetDateTime,
}

const GUARDIANS: &str = "SELECT a.id AS account_id, a.last_name, a.first_name, a.middle_name, \
    a.email, g.linked_at FROM guardianships g JOIN accounts a ON a.id = g.parent_account_id \
    WHERE g.minor_account_id = $1 AND g.ended_at IS NULL ORDER BY g.id";

pub async fn guardians_in(tx: &mut Tx, minor_id: i64) -> Result<Vec<Guardian>, StorageError> {
    let rows = on_tx!(tx, |conn| {
        sqlx::query_as::<_, Guardian>(GUARDIANS)
            .bind(minor_id)
            .fetch_all(conn)
            .await
    })?;
    Ok(rows)
}

pub async fn guardians(db: &Database, minor_id: i64) -> Result<Vec<Guardian>, StorageError> {
    let rows = on_pool!(db, Access::Read, |pool| {
        sqlx::query_as::<_, Guardian>(GUARDIANS)
            .bind(minor_id)
            .fetch_all(pool)
            .await
    })?;
    Ok(rows)
}
