//! Requests and grants of «Полный» access per minor and category: one waiting request and one
//! live grant at most (unique indexes), the code's tries reserved in one conditional `UPDATE`.

use sqlx::FromRow;
use time::OffsetDateTime;

use app::access::grants::{GrantStatus, GrantedHow};
use app::domain::access::ServiceCategory;

use super::codes::Code;
use super::{Access, Database, StorageError, Tx};
use crate::{on_pool, on_tx, tx_execute};

#[derive(Debug, Clone, FromRow)]
pub struct StoredGrant {
    pub id: i64,
    pub minor_account_id: i64,
    #[sqlx(try_from = "Code<ServiceCategory>")]
    pub category: ServiceCategory,
    #[sqlx(try_from = "Code<GrantStatus>")]
    pub status: GrantStatus,
    pub code_hash: Option<String>,
    pub wrong_tries: i64,
    pub code_expires_at: Option<OffsetDateTime>,
    pub requested_at: OffsetDateTime,
    pub decided_by_label: Option<String>,
    pub decided_at: Option<OffsetDateTime>,
    pub decided_how: Option<String>,
    pub expires_at: Option<OffsetDateTime>,
    pub revoked_at: Option<OffsetDateTime>,
}

impl StoredGrant {
    pub fn how(&self) -> Option<GrantedHow> {
        self.decided_how.as_deref().and_then(GrantedHow::parse)
    }
}

const SELECT: &str = "SELECT id, minor_account_id, category, status, code_hash, wrong_tries, \
    code_expires_at, requested_at, decided_by_label, decided_at, decided_how, expires_at, \
    revoked_at FROM access_grants";

/// Closes the waiting request of the category (a new one replaces it), then opens one.
pub async fn request(
    tx: &mut Tx,
    minor: i64,
    category: ServiceCategory,
    code_hash: &str,
    code_expires_at: OffsetDateTime,
    at: OffsetDateTime,
) -> Result<i64, StorageError> {
    tx_execute!(
        tx,
        "UPDATE access_grants SET status = 'expired', code_hash = NULL \
         WHERE minor_account_id = $1 AND category = $2 AND status = 'requested'",
        minor,
        Code(category)
    )?;
    const SQL: &str = "INSERT INTO access_grants (minor_account_id, category, status, code_hash, \
                       code_expires_at, requested_at) VALUES ($1, $2, 'requested', $3, $4, $5) \
                       RETURNING id";
    let id = on_tx!(tx, |conn| {
        sqlx::query_scalar::<_, i64>(SQL)
            .bind(minor)
            .bind(Code(category))
            .bind(code_hash)
            .bind(code_expires_at)
            .bind(at)
            .fetch_one(conn)
            .await
    })?;
    Ok(id)
}

/// A grant given straight away by a parent (choosing «Полный» in the settings).
pub async fn insert_granted(
    tx: &mut Tx,
    minor: i64,
    category: ServiceCategory,
    by: (i64, &str),
    at: OffsetDateTime,
    expires_at: OffsetDateTime,
) -> Result<i64, StorageError> {
    const SQL: &str = "INSERT INTO access_grants (minor_account_id, category, status, \
                       requested_at, decided_by, decided_by_label, decided_at, decided_how, \
                       expires_at) VALUES ($1, $2, 'granted', $3, $4, $5, $3, 'parent', $6) \
                       RETURNING id";
    let id = on_tx!(tx, |conn| {
        sqlx::query_scalar::<_, i64>(SQL)
            .bind(minor)
            .bind(Code(category))
            .bind(at)
            .bind(by.0)
            .bind(by.1)
            .bind(expires_at)
            .fetch_one(conn)
            .await
    })?;
    Ok(id)
}

/// Takes one try of a waiting, unexpired code that has tries left; false when none.
pub async fn reserve_try(
    tx: &mut Tx,
    minor: i64,
    id: i64,
    max: i64,
    now: OffsetDateTime,
) -> Result<bool, StorageError> {
    let taken = tx_execute!(
        tx,
        "UPDATE access_grants SET wrong_tries = wrong_tries + 1 WHERE id = $1 \
         AND minor_account_id = $2 AND status = 'requested' AND wrong_tries < $3 \
         AND code_expires_at > $4",
        id,
        minor,
        max,
        now
    )?;
    Ok(taken == 1)
}

/// A request of the minor's, in whatever state.
pub async fn of_minor_in(
    tx: &mut Tx,
    minor: i64,
    id: i64,
) -> Result<Option<StoredGrant>, StorageError> {
    let sql = format!("{SELECT} WHERE id = $1 AND minor_account_id = $2");
    let row = on_tx!(tx, |conn| {
        sqlx::query_as::<_, StoredGrant>(sqlx::AssertSqlSafe(sql))
            .bind(id)
            .bind(minor)
            .fetch_optional(conn)
            .await
    })?;
    Ok(row)
}

/// A waiting request becomes a grant (or is declined) once; false when it was not waiting.
pub async fn decide(
    tx: &mut Tx,
    id: i64,
    to: GrantStatus,
    how: GrantedHow,
    by: Option<(i64, &str)>,
    at: OffsetDateTime,
    expires_at: Option<OffsetDateTime>,
) -> Result<bool, StorageError> {
    let moved = tx_execute!(
        tx,
        "UPDATE access_grants SET status = $2, decided_how = $3, decided_by = $4, \
         decided_by_label = $5, decided_at = $6, expires_at = $7, code_hash = NULL, \
         wrong_tries = 0 WHERE id = $1 AND status = 'requested'",
        id,
        Code(to),
        how.as_str(),
        by.map(|b| b.0),
        by.map(|b| b.1.to_owned()),
        at,
        expires_at
    )?;
    Ok(moved == 1)
}

/// Gives back the try a right code took.
pub async fn return_try(tx: &mut Tx, id: i64) -> Result<(), StorageError> {
    tx_execute!(
        tx,
        "UPDATE access_grants SET wrong_tries = wrong_tries - 1 WHERE id = $1 AND wrong_tries > 0",
        id
    )?;
    Ok(())
}

/// Ends the live grant of a category (revoked by a parent, or expired); false when none.
pub async fn end(
    tx: &mut Tx,
    minor: i64,
    category: ServiceCategory,
    to: GrantStatus,
    at: OffsetDateTime,
) -> Result<bool, StorageError> {
    let ended = tx_execute!(
        tx,
        "UPDATE access_grants SET status = $3, revoked_at = $4 \
         WHERE minor_account_id = $1 AND category = $2 AND status = 'granted'",
        minor,
        Code(category),
        Code(to),
        at
    )?;
    Ok(ended == 1)
}

/// The minor's requests and grants, newest first.
pub async fn of_minor(db: &Database, minor: i64) -> Result<Vec<StoredGrant>, StorageError> {
    let sql = format!("{SELECT} WHERE minor_account_id = $1 ORDER BY id DESC LIMIT 50");
    let rows = on_pool!(db, Access::Read, |pool| {
        sqlx::query_as::<_, StoredGrant>(sqlx::AssertSqlSafe(sql.clone()))
            .bind(minor)
            .fetch_all(pool)
            .await
    })?;
    Ok(rows)
}

/// A grant for the receipt: only of a minor this parent has a live link to.
pub async fn for_parent(
    db: &Database,
    parent: i64,
    id: i64,
) -> Result<Option<StoredGrant>, StorageError> {
    let sql = format!(
        "{SELECT} WHERE id = $1 AND status <> 'requested' AND minor_account_id IN \
         (SELECT minor_account_id FROM guardianships WHERE parent_account_id = $2 \
          AND ended_at IS NULL)"
    );
    let row = on_pool!(db, Access::Read, |pool| {
        sqlx::query_as::<_, StoredGrant>(sqlx::AssertSqlSafe(sql.clone()))
            .bind(id)
            .bind(parent)
            .fetch_optional(pool)
            .await
    })?;
    Ok(row)
}

/// Granted ones past their end, for the daily sweep.
pub async fn expired_by(
    db: &Database,
    now: OffsetDateTime,
) -> Result<Vec<StoredGrant>, StorageError> {
    let sql = format!("{SELECT} WHERE status = 'granted' AND expires_at <= $1 ORDER BY id");
    let rows = on_pool!(db, Access::Read, |pool| {
        sqlx::query_as::<_, StoredGrant>(sqlx::AssertSqlSafe(sql.clone()))
            .bind(now)
            .fetch_all(pool)
            .await
    })?;
    Ok(rows)
}
