//! Parents' consents about minors' accounts and their journal. A consent changes only through
//! `decide`, which writes the new status and the journal line together.

use sqlx::FromRow;
use time::OffsetDateTime;

use app::domain::minor::ConsentStatus;

use super::codes::Code;
use super::{Access, Database, StorageError, Tx};
use crate::{on_pool, on_tx, tx_execute};

/// The only purpose so far: the child may sign in (their data passes to the services).
pub const PERSONAL_DATA_TRANSFER: &str = "personal_data_transfer";

#[derive(Debug, Clone, FromRow)]
pub struct StoredConsent {
    pub id: i64,
    pub parent_account_id: i64,
    pub minor_account_id: i64,
    pub purpose: String,
    pub text_version: String,
    #[sqlx(try_from = "Code<ConsentStatus>")]
    pub status: ConsentStatus,
    pub requested_at: OffsetDateTime,
    pub decided_at: Option<OffsetDateTime>,
    pub decided_from: Option<String>,
    pub revoked_at: Option<OffsetDateTime>,
    pub revoked_from: Option<String>,
    /// The minor's name, joined in for the pages and the receipt.
    pub minor_last_name: String,
    pub minor_first_name: String,
    pub minor_middle_name: Option<String>,
}

impl StoredConsent {
    pub fn minor_name(&self) -> String {
        app::domain::full_name(
            &self.minor_last_name,
            &self.minor_first_name,
            self.minor_middle_name.as_deref(),
        )
    }
}

const SELECT: &str = "SELECT c.id, c.parent_account_id, c.minor_account_id, c.purpose, \
    c.text_version, c.status, c.requested_at, c.decided_at, c.decided_from, c.revoked_at, \
    c.revoked_from, a.last_name AS minor_last_name, a.first_name AS minor_first_name, \
    a.middle_name AS minor_middle_name FROM consents c JOIN accounts a ON a.id = c.minor_account_id";

/// A new request, journaled. Returns its id.
pub async fn request(
    tx: &mut Tx,
    parent_id: i64,
    minor_id: i64,
    text_version: &str,
    at: OffsetDateTime,
) -> Result<i64, StorageError> {
    const SQL: &str = "INSERT INTO consents (parent_account_id, minor_account_id, purpose, \
                       text_version, status, requested_at) VALUES ($1, $2, $3, $4, $5, $6) \
                       RETURNING id";
    let id = on_tx!(tx, |conn| {
        sqlx::query_scalar::<_, i64>(SQL)
            .bind(parent_id)
            .bind(minor_id)
            .bind(PERSONAL_DATA_TRANSFER)
            .bind(text_version)
            .bind(ConsentStatus::Requested.as_str())
            .bind(at)
            .fetch_one(conn)
            .await
    })?;
    journal(tx, id, Some(parent_id), ConsentStatus::Requested, None, at).await?;
    Ok(id)
}

async fn journal(
    tx: &mut Tx,
    consent_id: i64,
    actor: Option<i64>,
    event: ConsentStatus,
    address: Option<&str>,
    at: OffsetDateTime,
) -> Result<(), StorageError> {
    tx_execute!(
        tx,
        "INSERT INTO consent_events (consent_id, actor_account_id, event, address, at) \
         VALUES ($1, $2, $3, $4, $5)",
        consent_id,
        actor,
        event.as_str(),
        address,
        at
    )?;
    Ok(())
}

/// Moves a consent from `from` to `to` (only if it is still in `from`: a decision made in
/// another tab wins) and journals it. Returns whether it moved.
pub async fn decide(
    tx: &mut Tx,
    id: i64,
    actor: i64,
    from: ConsentStatus,
    to: ConsentStatus,
    address: &str,
    at: OffsetDateTime,
) -> Result<bool, StorageError> {
    let sql = if to == ConsentStatus::Revoked {
        "UPDATE consents SET status = $3, revoked_at = $4, revoked_from = $5 \
         WHERE id = $1 AND status = $2"
    } else {
        "UPDATE consents SET status = $3, decided_at = $4, decided_from = $5 \
         WHERE id = $1 AND status = $2"
    };
    let done = tx_execute!(tx, sql, id, from.as_str(), to.as_str(), at, address)?;
    if done == 1 {
        journal(tx, id, Some(actor), to, Some(address), at).await?;
    }
    Ok(done == 1)
}

/// One of the parent's consents.
pub async fn of_parent(
    tx: &mut Tx,
    parent_id: i64,
    id: i64,
) -> Result<Option<StoredConsent>, StorageError> {
    let sql = format!("{SELECT} WHERE c.parent_account_id = $1 AND c.id = $2");
    let row = on_tx!(tx, |conn| {
        sqlx::query_as::<_, StoredConsent>(sqlx::AssertSqlSafe(sql))
            .bind(parent_id)
            .bind(id)
            .fetch_optional(conn)
            .await
    })?;
    Ok(row)
}

pub async fn receipt_of_parent(
    db: &Database,
    parent_id: i64,
    id: i64,
) -> Result<Option<StoredConsent>, StorageError> {
    let sql = format!("{SELECT} WHERE c.parent_account_id = $1 AND c.id = $2");
    let row = on_pool!(db, Access::Read, |pool| {
        sqlx::query_as::<_, StoredConsent>(sqlx::AssertSqlSafe(sql.clone()))
            .bind(parent_id)
            .bind(id)
            .fetch_optional(pool)
            .await
    })?;
    Ok(row)
}

/// Every consent the parent was asked for, newest first.
pub async fn all_of_parent(
    db: &Database,
    parent_id: i64,
) -> Result<Vec<StoredConsent>, StorageError> {
    let sql = format!("{SELECT} WHERE c.parent_account_id = $1 ORDER BY c.id DESC");
    let rows = on_pool!(db, Access::Read, |pool| {
        sqlx::query_as::<_, StoredConsent>(sqlx::AssertSqlSafe(sql.clone()))
            .bind(parent_id)
            .fetch_all(pool)
            .await
    })?;
    Ok(rows)
}

/// The newest consent this parent was asked for about this minor.
pub async fn newest_for(
    db: &Database,
    parent_id: i64,
    minor_id: i64,
) -> Result<Option<StoredConsent>, StorageError> {
    let sql = format!(
        "{SELECT} WHERE c.parent_account_id = $1 AND c.minor_account_id = $2 \
         ORDER BY c.id DESC LIMIT 1"
    );
    let row = on_pool!(db, Access::Read, |pool| {
        sqlx::query_as::<_, StoredConsent>(sqlx::AssertSqlSafe(sql.clone()))
            .bind(parent_id)
            .bind(minor_id)
            .fetch_optional(pool)
            .await
    })?;
    Ok(row)
}

/// Whether some parent's consent to the transfer of personal data stands for this minor: the
/// gate on the child's sign-in. Only a parent who still acts for the account counts — one the
/// birth record turned out not to name does not.
pub async fn transfer_granted(db: &Database, minor_id: i64) -> Result<bool, StorageError> {
    const SQL: &str = "SELECT COUNT(*) FROM consents c \
        WHERE c.minor_account_id = $1 AND c.purpose = $2 AND c.status = $3 \
        AND EXISTS (SELECT 1 FROM guardianships g WHERE g.parent_account_id = c.parent_account_id \
        AND g.minor_account_id = c.minor_account_id AND g.ended_at IS NULL)";
    let count = on_pool!(db, Access::Read, |pool| {
        sqlx::query_scalar::<_, i64>(SQL)
            .bind(minor_id)
            .bind(PERSONAL_DATA_TRANSFER)
            .bind(ConsentStatus::Granted.as_str())
            .fetch_one(pool)
            .await
    })?;
    Ok(count > 0)
}

/// As [`transfer_granted`], inside a decision's transaction.
pub async fn transfer_granted_in(tx: &mut Tx, minor_id: i64) -> Result<bool, StorageError> {
    const SQL: &str = "SELECT COUNT(*) FROM consents \
                       WHERE minor_account_id = $1 AND purpose = $2 AND status = $3";
    let count = on_tx!(tx, |conn| {
        sqlx::query_scalar::<_, i64>(SQL)
            .bind(minor_id)
            .bind(PERSONAL_DATA_TRANSFER)
            .bind(ConsentStatus::Granted.as_str())
            .fetch_one(conn)
            .await
    })?;
    Ok(count > 0)
}

/// The journal lines of one consent, oldest first: (event, at, address).
pub async fn events(
    db: &Database,
    consent_id: i64,
) -> Result<Vec<(String, OffsetDateTime, Option<String>)>, StorageError> {
    const SQL: &str = "SELECT event, at, address FROM consent_events \
                       WHERE consent_id = $1 ORDER BY id";
    let rows = on_pool!(db, Access::Read, |pool| {
        sqlx::query_as::<_, (String, OffsetDateTime, Option<String>)>(SQL)
            .bind(consent_id)
            .fetch_all(pool)
            .await
    })?;
    Ok(rows)
}

/// Requests waiting for this parent's decision.
pub async fn pending_count(db: &Database, parent_id: i64) -> Result<u32, StorageError> {
    const SQL: &str = "SELECT COUNT(*) FROM consents WHERE parent_account_id = $1 AND status = $2";
    let count = on_pool!(db, Access::Read, |pool| {
        sqlx::query_scalar::<_, i64>(SQL)
            .bind(parent_id)
            .bind(ConsentStatus::Requested.as_str())
            .fetch_one(pool)
            .await
    })?;
    Ok(count.max(0) as u32)
}
