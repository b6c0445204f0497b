//! Single-use e-mail links and SMS codes. Only hashes of the secrets are stored.

use sqlx::FromRow;
use time::OffsetDateTime;

use super::{Access, Database, StorageError, Tx};
use crate::{on_pool, on_tx, tx_execute};

/// What a link or code is for; stored as text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    ConfirmEmail,
    ConfirmPhone,
    RecoverPassword,
    /// The second step of sign-in by SMS.
    SignIn,
}

impl Purpose {
    pub fn as_str(self) -> &'static str {
        match self {
            Purpose::ConfirmEmail => "confirm_email",
            Purpose::ConfirmPhone => "confirm_phone",
            Purpose::RecoverPassword => "recover_password",
            Purpose::SignIn => "sign_in",
        }
    }
}

#[derive(Debug, Clone, FromRow)]
pub struct EmailLink {
    pub id: i64,
    pub account_id: i64,
    pub purpose: String,
    pub email: String,
    pub expires_at: OffsetDateTime,
    pub used_at: Option<OffsetDateTime>,
}

pub struct NewEmailLink<'a> {
    pub account_id: i64,
    pub purpose: Purpose,
    pub email: &'a str,
    pub token_hash: &'a str,
    pub expires_at: OffsetDateTime,
}

/// Stores a new link and retires the account's earlier unused links for the same purpose, so
/// only the newest e-mail works.
pub async fn insert_email_link(
    tx: &mut Tx,
    link: NewEmailLink<'_>,
    at: OffsetDateTime,
) -> Result<(), StorageError> {
    const RETIRE: &str = "UPDATE email_links SET expires_at = $3 \
                          WHERE account_id = $1 AND purpose = $2 AND used_at IS NULL \
                          AND expires_at > $3";
    const INSERT: &str = "INSERT INTO email_links \
                          (account_id, purpose, email, token_hash, created_at, expires_at) \
                          VALUES ($1, $2, $3, $4, $5, $6)";
    on_tx!(tx, |conn| {
        sqlx::query(RETIRE)
            .bind(link.account_id)
            .bind(link.purpose.as_str())
            .bind(at)
            .execute(&mut *conn)
            .await?;
        sqlx::query(INSERT)
            .bind(link.account_id)
            .bind(link.purpose.as_str())
            .bind(link.email)
            .bind(link.token_hash)
            .bind(at)
            .bind(link.expires_at)
            .execute(conn)
            .await
            .map(|r| r.rows_affected())
    })?;
    Ok(())
}

pub async fn email_link_by_hash(
    tx: &mut Tx,
    token_hash: &str,
) -> Result<Option<EmailLink>, StorageError> {
    const SQL: &str = "SELECT id, account_id, purpose, email, expires_at, used_at \
                       FROM email_links WHERE token_hash = $1";
    let row = on_tx!(tx, |conn| {
        sqlx::query_as::<_, EmailLink>(SQL)
            .bind(token_hash)
            .fetch_optional(conn)
            .await
    })?;
    Ok(row)
}

/// Marks the link used; false if someone used it first.
pub async fn use_email_link(
    tx: &mut Tx,
    id: i64,
    at: OffsetDateTime,
) -> Result<bool, StorageError> {
    const SQL: &str = "UPDATE email_links SET used_at = $2 WHERE id = $1 AND used_at IS NULL";
    let done = tx_execute!(tx, SQL, id, at)?;
    Ok(done == 1)
}

#[derive(Debug, Clone, FromRow)]
pub struct PhoneCode {
    pub id: i64,
    pub phone: String,
    pub code_hash: String,
    pub wrong_tries: i32,
    pub resend_streak: i32,
    pub created_at: OffsetDateTime,
    pub expires_at: OffsetDateTime,
    pub used_at: Option<OffsetDateTime>,
}

/// The newest code of an account for a purpose (earlier ones never count).
pub async fn latest_phone_code(
    tx: &mut Tx,
    account_id: i64,
    purpose: Purpose,
) -> Result<Option<PhoneCode>, StorageError> {
    const SQL: &str = "SELECT id, phone, code_hash, wrong_tries, resend_streak, created_at, \
                       expires_at, used_at FROM phone_codes \
                       WHERE account_id = $1 AND purpose = $2 ORDER BY id DESC LIMIT 1";
    let row = on_tx!(tx, |conn| {
        sqlx::query_as::<_, PhoneCode>(SQL)
            .bind(account_id)
            .bind(purpose.as_str())
            .fetch_optional(conn)
            .await
    })?;
    Ok(row)
}

pub struct NewPhoneCode<'a> {
    pub account_id: i64,
    pub purpose: Purpose,
    pub phone: &'a str,
    pub code_hash: &'a str,
    pub resend_streak: i32,
    pub expires_at: OffsetDateTime,
}

pub async fn insert_phone_code(
    tx: &mut Tx,
    code: NewPhoneCode<'_>,
    at: OffsetDateTime,
) -> Result<i64, StorageError> {
    const SQL: &str = "INSERT INTO phone_codes \
                       (account_id, purpose, phone, code_hash, resend_streak, created_at, expires_at) \
                       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id";
    let id = on_tx!(tx, |conn| {
        sqlx::query_scalar::<_, i64>(SQL)
            .bind(code.account_id)
            .bind(code.purpose.as_str())
            .bind(code.phone)
            .bind(code.code_hash)
            .bind(code.resend_streak)
            .bind(at)
            .bind(code.expires_at)
            .fetch_one(conn)
            .await
    })?;
    Ok(id)
}

/// Takes one of the code's tries before it is compared, atomically: the tries taken so far
/// including this one, or None when the code is used or out of tries.
pub async fn reserve_code_try(
    db: &Database,
    id: i64,
    max_tries: i32,
) -> Result<Option<i32>, StorageError> {
    const SQL: &str = "UPDATE phone_codes SET wrong_tries = wrong_tries + 1 \
                       WHERE id = $1 AND wrong_tries < $2 AND used_at IS NULL RETURNING wrong_tries";
    let tries = on_pool!(db, Access::Write, |pool| {
        sqlx::query_scalar::<_, i32>(SQL)
            .bind(id)
            .bind(max_tries)
            .fetch_optional(pool)
            .await
    })?;
    Ok(tries)
}

pub async fn use_phone_code(
    tx: &mut Tx,
    id: i64,
    at: OffsetDateTime,
) -> Result<bool, StorageError> {
    const SQL: &str = "UPDATE phone_codes SET used_at = $2 WHERE id = $1 AND used_at IS NULL";
    let done = tx_execute!(tx, SQL, id, at)?;
    Ok(done == 1)
}
