//! Children's accounts: the creation wizard's drafts (one per child card) and the guardianships
//! that say which parent acts for which minor's account. Every request-side read names the
//! parent.

use sqlx::FromRow;
use time::OffsetDateTime;

use super::{Access, Database, StorageError, Tx};
use crate::{on_pool, on_tx, tx_execute};

/// A wizard in progress. Codes and links are stored only as hashes.
#[derive(Debug, Clone, FromRow)]
pub struct Draft {
    pub id: i64,
    pub parent_account_id: i64,
    pub child_id: i64,
    pub birth_place: Option<String>,
    pub registration_address: Option<String>,
    pub phone: Option<String>,
    pub phone_code_hash: Option<String>,
    pub phone_code_expires_at: Option<OffsetDateTime>,
    pub phone_wrong_tries: i32,
    pub phone_codes_sent: i32,
    pub phone_code_sent_at: Option<OffsetDateTime>,
    pub phone_confirmed_at: Option<OffsetDateTime>,
    pub phone_skipped: bool,
    pub email: Option<String>,
    pub email_token_hash: Option<String>,
    pub email_link_expires_at: Option<OffsetDateTime>,
    pub email_confirmed_at: Option<OffsetDateTime>,
    pub creation_consent_at: Option<OffsetDateTime>,
    pub expires_at: OffsetDateTime,
}

const DRAFT_COLUMNS: &str = "id, parent_account_id, child_id, birth_place, registration_address, \
    phone, phone_code_hash, phone_code_expires_at, phone_wrong_tries, phone_codes_sent, \
    phone_code_sent_at, phone_confirmed_at, phone_skipped, email, email_token_hash, \
    email_link_expires_at, email_confirmed_at, creation_consent_at, expires_at";

/// The parent's live draft for the child, if any (an expired one counts as none).
pub async fn draft(
    tx: &mut Tx,
    parent_id: i64,
    child_id: i64,
    now: OffsetDateTime,
) -> Result<Option<Draft>, StorageError> {
    let sql = format!(
        "SELECT {DRAFT_COLUMNS} FROM child_account_drafts \
         WHERE parent_account_id = $1 AND child_id = $2 AND expires_at > $3"
    );
    let row = on_tx!(tx, |conn| {
        sqlx::query_as::<_, Draft>(sqlx::AssertSqlSafe(sql))
            .bind(parent_id)
            .bind(child_id)
            .bind(now)
            .fetch_optional(conn)
            .await
    })?;
    Ok(row)
}

/// Whether a live draft exists, for the card's «Продолжить создание».
pub async fn has_draft(
    db: &Database,
    parent_id: i64,
    child_id: i64,
    now: OffsetDateTime,
) -> Result<bool, StorageError> {
    const SQL: &str = "SELECT COUNT(*) FROM child_account_drafts \
                       WHERE parent_account_id = $1 AND child_id = $2 AND expires_at > $3";
    let count = on_pool!(db, Access::Read, |pool| {
        sqlx::query_scalar::<_, i64>(SQL)
            .bind(parent_id)
            .bind(child_id)
            .bind(now)
            .fetch_one(pool)
            .await
    })?;
    Ok(count > 0)
}

/// A fresh draft; an expired one for the same child is replaced.
pub async fn start_draft(
    tx: &mut Tx,
    parent_id: i64,
    child_id: i64,
    now: OffsetDateTime,
    expires_at: OffsetDateTime,
) -> Result<(), StorageError> {
    tx_execute!(
        tx,
        "DELETE FROM child_account_drafts WHERE child_id = $1",
        child_id
    )?;
    tx_execute!(
        tx,
        "INSERT INTO child_account_drafts (parent_account_id, child_id, created_at, expires_at) \
         VALUES ($1, $2, $3, $4)",
        parent_id,
        child_id,
        now,
        expires_at
    )?;
    Ok(())
}

pub async fn set_address(
    tx: &mut Tx,
    id: i64,
    birth_place: &str,
    address: &str,
) -> Result<(), StorageError> {
    tx_execute!(
        tx,
        "UPDATE child_account_drafts SET birth_place = $2, registration_address = $3 WHERE id = $1",
        id,
        birth_place,
        address
    )?;
    Ok(())
}

/// A new code for a number; earlier codes stop working.
pub async fn set_phone_code(
    tx: &mut Tx,
    id: i64,
    phone: &str,
    code_hash: &str,
    sent_at: OffsetDateTime,
    expires_at: OffsetDateTime,
) -> Result<(), StorageError> {
    tx_execute!(
        tx,
        "UPDATE child_account_drafts SET phone = $2, phone_code_hash = $3, \
         phone_code_expires_at = $4, phone_code_sent_at = $5, phone_wrong_tries = 0, \
         phone_codes_sent = phone_codes_sent + 1, phone_confirmed_at = NULL, \
         phone_skipped = $6 WHERE id = $1",
        id,
        phone,
        code_hash,
        expires_at,
        sent_at,
        false
    )?;
    Ok(())
}

/// Takes one try at the draft's phone code before it is compared and returns how many are used
/// now; `None` once `max` are. The update locks the row, so parallel guesses each get their own
/// try or none.
pub async fn reserve_phone_try(
    tx: &mut Tx,
    id: i64,
    max: i32,
) -> Result<Option<i32>, StorageError> {
    const SQL: &str = "UPDATE child_account_drafts SET phone_wrong_tries = phone_wrong_tries + 1 \
                       WHERE id = $1 AND phone_wrong_tries < $2 RETURNING phone_wrong_tries";
    let tries = crate::on_tx!(tx, |conn| {
        sqlx::query_scalar::<_, i32>(SQL)
            .bind(id)
            .bind(max)
            .fetch_optional(conn)
            .await
    })?;
    Ok(tries)
}

pub async fn confirm_phone(tx: &mut Tx, id: i64, at: OffsetDateTime) -> Result<(), StorageError> {
    tx_execute!(
        tx,
        "UPDATE child_account_drafts SET phone_confirmed_at = $2, phone_code_hash = NULL \
         WHERE id = $1",
        id,
        at
    )?;
    Ok(())
}

/// «Пропустить»: no phone, and any pending code is dropped.
pub async fn skip_phone(tx: &mut Tx, id: i64) -> Result<(), StorageError> {
    tx_execute!(
        tx,
        "UPDATE child_account_drafts SET phone = NULL, phone_code_hash = NULL, \
         phone_code_expires_at = NULL, phone_confirmed_at = NULL, phone_skipped = $2 \
         WHERE id = $1",
        id,
        true
    )?;
    Ok(())
}

pub async fn set_email_link(
    tx: &mut Tx,
    id: i64,
    email: &str,
    token_hash: &str,
    consent_at: OffsetDateTime,
    expires_at: OffsetDateTime,
) -> Result<(), StorageError> {
    tx_execute!(
        tx,
        "UPDATE child_account_drafts SET email = $2, email_token_hash = $3, \
         creation_consent_at = $4, email_link_expires_at = $5, email_confirmed_at = NULL \
         WHERE id = $1",
        id,
        email,
        token_hash,
        consent_at,
        expires_at
    )?;
    Ok(())
}

/// Back to «Добавьте электронную почту»: the letter's link stops working.
pub async fn clear_email(tx: &mut Tx, id: i64) -> Result<(), StorageError> {
    tx_execute!(
        tx,
        "UPDATE child_account_drafts SET email = NULL, email_token_hash = NULL, \
         email_link_expires_at = NULL, email_confirmed_at = NULL WHERE id = $1",
        id
    )?;
    Ok(())
}

/// The draft a «Подтвердить адрес» link belongs to (any state: the caller tells used from
/// expired).
pub async fn draft_by_email_token(
    tx: &mut Tx,
    token_hash: &str,
) -> Result<Option<Draft>, StorageError> {
    let sql =
        format!("SELECT {DRAFT_COLUMNS} FROM child_account_drafts WHERE email_token_hash = $1");
    let row = on_tx!(tx, |conn| {
        sqlx::query_as::<_, Draft>(sqlx::AssertSqlSafe(sql))
            .bind(token_hash)
            .fetch_optional(conn)
            .await
    })?;
    Ok(row)
}

pub async fn confirm_email(tx: &mut Tx, id: i64, at: OffsetDateTime) -> Result<bool, StorageError> {
    let done = tx_execute!(
        tx,
        "UPDATE child_account_drafts SET email_confirmed_at = $2 \
         WHERE id = $1 AND email_confirmed_at IS NULL",
        id,
        at
    )?;
    Ok(done == 1)
}

pub async fn delete_draft(tx: &mut Tx, parent_id: i64, child_id: i64) -> Result<(), StorageError> {
    tx_execute!(
        tx,
        "DELETE FROM child_account_drafts WHERE parent_account_id = $1 AND child_id = $2",
        parent_id,
        child_id
    )?;
    Ok(())
}

/// Removes abandoned wizards; returns how many.
pub async fn delete_expired_drafts(
    db: &Database,
    now: OffsetDateTime,
) -> Result<u64, StorageError> {
    let removed = crate::pool_execute!(
        db,
        "DELETE FROM child_account_drafts WHERE expires_at <= $1",
        now
    )?;
    Ok(removed)
}

/// Whether a phone or e-mail is held by a wizard other than this one (a code or link out).
pub async fn contact_in_other_draft(
    tx: &mut Tx,
    draft_id: i64,
    phone: Option<&str>,
    email: Option<&str>,
    now: OffsetDateTime,
) -> Result<bool, StorageError> {
    const SQL: &str = "SELECT COUNT(*) FROM child_account_drafts \
                       WHERE id <> $1 AND expires_at > $4 AND (phone = $2 OR email = $3)";
    let count = on_tx!(tx, |conn| {
        sqlx::query_scalar::<_, i64>(SQL)
            .bind(draft_id)
            .bind(phone)
            .bind(email)
            .bind(now)
            .fetch_one(conn)
            .await
    })?;
    Ok(count > 0)
}

/// How a parent came to act for a minor's account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    Created,
    LinkCode,
}

impl Origin {
    fn as_str(self) -> &'static str {
        match self {
            Origin::Created => "created",
            Origin::LinkCode => "link_code",
        }
    }
}

pub async fn link(
    tx: &mut Tx,
    parent_id: i64,
    minor_id: i64,
    child_id: Option<i64>,
    origin: Origin,
    at: OffsetDateTime,
) -> Result<(), StorageError> {
    tx_execute!(
        tx,
        "INSERT INTO guardianships (parent_account_id, minor_account_id, child_id, origin, \
         linked_at) VALUES ($1, $2, $3, $4, $5)",
        parent_id,
        minor_id,
        child_id,
        origin.as_str(),
        at
    )?;
    Ok(())
}

/// The account made for this child card, if any.
#[derive(Debug, Clone, FromRow)]
pub struct ChildAccount {
    pub account_id: i64,
    pub email: String,
    pub phone: Option<String>,
    /// Set when the child turned 18: the parent keeps the history, not the controls.
    pub ended_at: Option<OffsetDateTime>,
}

pub async fn account_of_child(
    db: &Database,
    parent_id: i64,
    child_id: i64,
) -> Result<Option<ChildAccount>, StorageError> {
    const SQL: &str = "SELECT a.id AS account_id, a.email, a.phone, g.ended_at FROM guardianships g \
                       JOIN accounts a ON a.id = g.minor_account_id \
                       WHERE g.parent_account_id = $1 AND g.child_id = $2";
    let row = on_pool!(db, Access::Read, |pool| {
        sqlx::query_as::<_, ChildAccount>(SQL)
            .bind(parent_id)
            .bind(child_id)
            .fetch_optional(pool)
            .await
    })?;
    Ok(row)
}

/// ЕГР ЗАГС does not name this card's parent: their link to the account through the card
/// ends (history stays, like at 18).
pub async fn end_link_of_card(
    tx: &mut Tx,
    parent_id: i64,
    child_id: i64,
    at: OffsetDateTime,
) -> Result<(), StorageError> {
    tx_execute!(
        tx,
        "UPDATE guardianships SET ended_at = $3 \
         WHERE parent_account_id = $1 AND child_id = $2 AND ended_at IS NULL",
        parent_id,
        child_id,
        at
    )?;
    Ok(())
}

/// Whether this parent acts for this minor's account (a live link).
pub async fn is_guardian(tx: &mut Tx, parent_id: i64, minor_id: i64) -> Result<bool, StorageError> {
    const SQL: &str = "SELECT COUNT(*) FROM guardianships \
                       WHERE parent_account_id = $1 AND minor_account_id = $2 AND ended_at IS NULL";
    let count = on_tx!(tx, |conn| {
        sqlx::query_scalar::<_, i64>(SQL)
            .bind(parent_id)
            .bind(minor_id)
            .fetch_one(conn)
            .await
    })?;
    Ok(count > 0)
}
