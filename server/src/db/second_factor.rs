//! Second-factor settings of an account, its backup codes and pending two-step sign-ins.

use sqlx::FromRow;
use time::OffsetDateTime;

use super::{Access, Database, StorageError, Tx};
use crate::{on_pool, on_tx, pool_execute, tx_execute};

/// Sets how the account signs in; `totp_secret` only with 'totp'. Clears a pending setup.
pub async fn set_factor(
    tx: &mut Tx,
    account_id: i64,
    factor: &str,
    totp_secret: Option<&str>,
    totp_last_step: Option<i64>,
) -> Result<(), StorageError> {
    const SQL: &str = "UPDATE accounts SET second_factor = $2, totp_secret = $3, \
                       totp_last_step = $4, totp_pending_secret = NULL WHERE id = $1";
    tx_execute!(tx, SQL, account_id, factor, totp_secret, totp_last_step)?;
    Ok(())
}

pub async fn set_pending_totp(
    db: &Database,
    account_id: i64,
    secret: &str,
) -> Result<(), StorageError> {
    const SQL: &str = "UPDATE accounts SET totp_pending_secret = $2 WHERE id = $1";
    pool_execute!(db, SQL, account_id, secret)?;
    Ok(())
}

/// Records the step a TOTP code was accepted for, unless a later one was already (a code is
/// accepted once). False if this step is not newer.
pub async fn advance_totp_step(
    tx: &mut Tx,
    account_id: i64,
    step: i64,
) -> Result<bool, StorageError> {
    const SQL: &str = "UPDATE accounts SET totp_last_step = $2 \
                       WHERE id = $1 AND (totp_last_step IS NULL OR totp_last_step < $2)";
    let done = tx_execute!(tx, SQL, account_id, step)?;
    Ok(done == 1)
}

/// Replaces every backup code of the account with these.
pub async fn replace_backup_codes(
    tx: &mut Tx,
    account_id: i64,
    hashes: &[String],
    at: OffsetDateTime,
) -> Result<(), StorageError> {
    const DELETE: &str = "DELETE FROM backup_codes WHERE account_id = $1";
    const INSERT: &str =
        "INSERT INTO backup_codes (account_id, code_hash, created_at) VALUES ($1, $2, $3)";
    on_tx!(tx, |conn| {
        sqlx::query(DELETE)
            .bind(account_id)
            .execute(&mut *conn)
            .await?;
        for hash in hashes {
            sqlx::query(INSERT)
                .bind(account_id)
                .bind(hash)
                .bind(at)
                .execute(&mut *conn)
                .await?;
        }
        Ok::<_, sqlx::Error>(())
    })?;
    Ok(())
}

/// Uses an unused backup code with this hash; false if there is none.
pub async fn use_backup_code(
    tx: &mut Tx,
    account_id: i64,
    hash: &str,
    at: OffsetDateTime,
) -> Result<bool, StorageError> {
    const SQL: &str = "UPDATE backup_codes SET used_at = $3 \
                       WHERE account_id = $1 AND code_hash = $2 AND used_at IS NULL";
    let done = tx_execute!(tx, SQL, account_id, hash, at)?;
    Ok(done >= 1)
}

pub async fn unused_backup_codes(db: &Database, account_id: i64) -> Result<i64, StorageError> {
    const SQL: &str = "SELECT COUNT(*) FROM backup_codes WHERE account_id = $1 AND used_at IS NULL";
    let count = on_pool!(db, Access::Read, |pool| {
        sqlx::query_scalar::<_, i64>(SQL)
            .bind(account_id)
            .fetch_one(pool)
            .await
    })?;
    Ok(count)
}

#[derive(Debug, Clone, FromRow)]
pub struct Challenge {
    pub id: i64,
    pub account_id: i64,
    pub user_agent: String,
    pub wrong_tries: i32,
    pub expires_at: OffsetDateTime,
    pub used_at: Option<OffsetDateTime>,
}

pub async fn insert_challenge(
    tx: &mut Tx,
    token_hash: &str,
    account_id: i64,
    user_agent: &str,
    at: OffsetDateTime,
    expires_at: OffsetDateTime,
) -> Result<(), StorageError> {
    const SQL: &str = "INSERT INTO sign_in_challenges \
                       (token_hash, account_id, user_agent, created_at, expires_at) \
                       VALUES ($1, $2, $3, $4, $5)";
    tx_execute!(tx, SQL, token_hash, account_id, user_agent, at, expires_at)?;
    Ok(())
}

pub async fn challenge_by_hash(
    db: &Database,
    token_hash: &str,
) -> Result<Option<Challenge>, StorageError> {
    const SQL: &str = "SELECT id, account_id, user_agent, wrong_tries, expires_at, used_at \
                       FROM sign_in_challenges WHERE token_hash = $1";
    let row = on_pool!(db, Access::Read, |pool| {
        sqlx::query_as::<_, Challenge>(SQL)
            .bind(token_hash)
            .fetch_optional(pool)
            .await
    })?;
    Ok(row)
}

/// Takes one of the challenge's tries before its code is compared, atomically: the tries taken
/// so far including this one, or None when the challenge is used, expired or out of tries.
pub async fn reserve_challenge_try(
    db: &Database,
    id: i64,
    max_tries: i32,
    now: OffsetDateTime,
) -> Result<Option<i32>, StorageError> {
    const SQL: &str = "UPDATE sign_in_challenges SET wrong_tries = wrong_tries + 1 \
                       WHERE id = $1 AND wrong_tries < $2 AND used_at IS NULL AND expires_at > $3 \
                       RETURNING wrong_tries";
    let tries = on_pool!(db, Access::Write, |pool| {
        sqlx::query_scalar::<_, i32>(SQL)
            .bind(id)
            .bind(max_tries)
            .bind(now)
            .fetch_optional(pool)
            .await
    })?;
    Ok(tries)
}

pub async fn use_challenge(tx: &mut Tx, id: i64, at: OffsetDateTime) -> Result<bool, StorageError> {
    const SQL: &str =
        "UPDATE sign_in_challenges SET used_at = $2 WHERE id = $1 AND used_at IS NULL";
    let done = tx_execute!(tx, SQL, id, at)?;
    Ok(done == 1)
}

/// Seals, in one transaction, every authenticator secret still stored in plain text (rows
/// written before secrets were sealed). Idempotent: sealed values start with `v1:` and are left
/// alone. Each UPDATE replaces only the plain value it read, so a secret another server process
/// writes meanwhile is never overwritten. The number of values sealed.
pub async fn seal_plain_totp_secrets(
    db: &Database,
    key: &crate::secret_box::SecretBox,
) -> Result<u64, StorageError> {
    use crate::secret_box::SecretBox;
    const SELECT: &str = "SELECT id, totp_secret, totp_pending_secret FROM accounts \
                          WHERE (totp_secret IS NOT NULL AND totp_secret NOT LIKE 'v1:%') \
                          OR (totp_pending_secret IS NOT NULL \
                              AND totp_pending_secret NOT LIKE 'v1:%')";
    const UPDATE: &str = "UPDATE accounts SET \
                          totp_secret = CASE WHEN totp_secret = $2 THEN $3 ELSE totp_secret END, \
                          totp_pending_secret = CASE WHEN totp_pending_secret = $4 THEN $5 \
                                                ELSE totp_pending_secret END \
                          WHERE id = $1";
    let mut tx = db.begin().await?;
    let rows: Vec<(i64, Option<String>, Option<String>)> = on_tx!(&mut tx, |conn| {
        sqlx::query_as(SELECT).fetch_all(conn).await
    })?;
    let mut sealed = 0;
    // The plain value (None when absent or already sealed) and its sealed form.
    let mut plain = |value: Option<String>| match value {
        Some(v) if !SecretBox::is_sealed(&v) => {
            sealed += 1;
            let s = key.seal(&v);
            (Some(v), Some(s))
        }
        _ => (None, None),
    };
    let mut updates = Vec::with_capacity(rows.len());
    for (id, secret, pending) in rows {
        updates.push((id, plain(secret), plain(pending)));
    }
    for (id, (secret, sealed_secret), (pending, sealed_pending)) in updates {
        tx_execute!(
            &mut tx,
            UPDATE,
            id,
            secret,
            sealed_secret,
            pending,
            sealed_pending
        )?;
    }
    tx.commit().await?;
    Ok(sealed)
}
