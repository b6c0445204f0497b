//! The parent's passport and СНИЛС checks («стандартная» учётная запись). A request writes a
//! row `checking`; the job's result is written only while the row still waits for it, so a job
//! that runs twice changes nothing.

use sqlx::FromRow;
use time::{Date, OffsetDateTime};

use app::account::IdentityCheckStatus;

use super::codes::Code;
use super::{Access, Database, StorageError, Tx};
use crate::{on_pool, on_tx, tx_execute};

#[derive(Debug, Clone, FromRow)]
pub struct StoredIdentityCheck {
    pub id: i64,
    pub account_id: i64,
    /// Ten digits.
    pub passport: String,
    pub passport_date: Date,
    #[sqlx(try_from = "Code<IdentityCheckStatus>")]
    pub status: IdentityCheckStatus,
    pub problem: Option<String>,
}

const COLUMNS: &str = "id, account_id, passport, passport_date, status, problem";

/// A new check, only while the account is simplified and no check of it runs. `None` when
/// refused (the unique index on running checks also refuses a racing second request).
pub async fn insert(
    tx: &mut Tx,
    account: i64,
    passport: &str,
    passport_date: Date,
    at: OffsetDateTime,
) -> Result<Option<i64>, StorageError> {
    const SQL: &str = "INSERT INTO identity_checks \
        (account_id, passport, passport_date, status, created_at) \
        SELECT $1, $2, $3, 'checking', $4 \
        WHERE EXISTS (SELECT 1 FROM accounts WHERE id = $1 AND level = 'simplified') \
        AND NOT EXISTS (SELECT 1 FROM identity_checks WHERE account_id = $1 \
                        AND status = 'checking') \
        RETURNING id";
    let inserted = on_tx!(tx, |conn| {
        sqlx::query_scalar::<_, i64>(SQL)
            .bind(account)
            .bind(passport)
            .bind(passport_date)
            .bind(at)
            .fetch_optional(conn)
            .await
    });
    match inserted {
        Ok(id) => Ok(id),
        Err(e) => {
            let e = StorageError::from(e);
            if e.is_unique_violation() {
                Ok(None)
            } else {
                Err(e)
            }
        }
    }
}

pub async fn by_id(db: &Database, id: i64) -> Result<Option<StoredIdentityCheck>, StorageError> {
    let sql = format!("SELECT {COLUMNS} FROM identity_checks WHERE id = $1");
    let row = on_pool!(db, Access::Read, |pool| {
        sqlx::query_as::<_, StoredIdentityCheck>(sqlx::AssertSqlSafe(sql))
            .bind(id)
            .fetch_optional(pool)
            .await
    })?;
    Ok(row)
}

/// The account's newest check, for the profile.
pub async fn newest_for(
    db: &Database,
    account: i64,
) -> Result<Option<StoredIdentityCheck>, StorageError> {
    let sql = format!(
        "SELECT {COLUMNS} FROM identity_checks WHERE account_id = $1 ORDER BY id DESC LIMIT 1"
    );
    let row = on_pool!(db, Access::Read, |pool| {
        sqlx::query_as::<_, StoredIdentityCheck>(sqlx::AssertSqlSafe(sql))
            .bind(account)
            .fetch_optional(pool)
            .await
    })?;
    Ok(row)
}

/// A check's result, written only while the check still waits for one: `checking`, or
/// `registry_unavailable` after an operator's retry — but «ведомство не ответило» only over
/// `checking`. Whether it was written.
pub async fn finish(
    tx: &mut Tx,
    id: i64,
    status: &str,
    problem: Option<&str>,
    at: OffsetDateTime,
) -> Result<bool, StorageError> {
    let sql = if status == "registry_unavailable" {
        "UPDATE identity_checks SET status = $1, problem = $2, finished_at = $3 \
         WHERE id = $4 AND status = 'checking'"
    } else {
        "UPDATE identity_checks SET status = $1, problem = $2, finished_at = $3 \
         WHERE id = $4 AND status IN ('checking', 'registry_unavailable')"
    };
    let changed = tx_execute!(tx, sql, status, problem, at, id)?;
    Ok(changed == 1)
}

/// Simplified → standard; a higher level stays as it is.
pub async fn raise_to_standard(tx: &mut Tx, account: i64) -> Result<bool, StorageError> {
    const SQL: &str =
        "UPDATE accounts SET level = 'standard' WHERE id = $1 AND level = 'simplified'";
    let changed = tx_execute!(tx, SQL, account)?;
    Ok(changed == 1)
}
