//! «Настройки доступа» (one typed document per minor, written at the version read), their
//! history, the records of the minor's service uses, and the day's count of extended uses.

use sqlx::FromRow;
use time::OffsetDateTime;

use app::access::services::RecordStatus;
use app::domain::access::{AccessSettings, MinorService, ServiceLevel};

use super::codes::Code;
use super::{Access, Database, StorageError, Tx};
use crate::{on_pool, on_tx, tx_execute};

fn corrupt(error: serde_json::Error) -> StorageError {
    StorageError::Corrupt(format!("access settings: {error}"))
}

/// The settings and their version; the defaults at version 0 when never saved.
pub async fn settings(db: &Database, minor: i64) -> Result<(AccessSettings, i64), StorageError> {
    const SQL: &str = "SELECT settings, version FROM access_settings WHERE minor_account_id = $1";
    let row = on_pool!(db, Access::Read, |pool| {
        sqlx::query_as::<_, (String, i64)>(SQL)
            .bind(minor)
            .fetch_optional(pool)
            .await
    })?;
    read(row)
}

pub async fn settings_in(tx: &mut Tx, minor: i64) -> Result<(AccessSettings, i64), StorageError> {
    const SQL: &str = "SELECT settings, version FROM access_settings WHERE minor_account_id = $1";
    let row = on_tx!(tx, |conn| {
        sqlx::query_as::<_, (String, i64)>(SQL)
            .bind(minor)
            .fetch_optional(conn)
            .await
    })?;
    read(row)
}

fn read(row: Option<(String, i64)>) -> Result<(AccessSettings, i64), StorageError> {
    match row {
        None => Ok((AccessSettings::default(), 0)),
        Some((json, version)) => Ok((serde_json::from_str(&json).map_err(corrupt)?, version)),
    }
}

/// Writes the settings if they are still at `version`; false when someone saved in between.
pub async fn save(
    tx: &mut Tx,
    minor: i64,
    settings: &AccessSettings,
    version: i64,
    at: OffsetDateTime,
) -> Result<bool, StorageError> {
    let json = serde_json::to_string(settings).map_err(corrupt)?;
    let written = if version == 0 {
        tx_execute!(
            tx,
            "INSERT INTO access_settings (minor_account_id, settings, version, updated_at) \
             VALUES ($1, $2, 1, $3) ON CONFLICT (minor_account_id) DO NOTHING",
            minor,
            json,
            at
        )?
    } else {
        tx_execute!(
            tx,
            "UPDATE access_settings SET settings = $2, version = version + 1, updated_at = $3 \
             WHERE minor_account_id = $1 AND version = $4",
            minor,
            json,
            at,
            version
        )?
    };
    Ok(written == 1)
}

/// One line of the history.
#[derive(Debug, Clone, FromRow)]
pub struct StoredChange {
    pub at: OffsetDateTime,
    pub actor_label: String,
    pub what: String,
    pub old_value: String,
    pub new_value: String,
}

pub struct NewChange<'a> {
    pub minor: i64,
    pub actor: Option<i64>,
    pub actor_label: &'a str,
    pub what: &'a str,
    pub old: &'a str,
    pub new: &'a str,
}

pub async fn record_change(
    tx: &mut Tx,
    change: &NewChange<'_>,
    at: OffsetDateTime,
) -> Result<(), StorageError> {
    tx_execute!(
        tx,
        "INSERT INTO access_changes (minor_account_id, at, actor_account_id, actor_label, what, \
         old_value, new_value) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        change.minor,
        at,
        change.actor,
        change.actor_label,
        change.what,
        change.old,
        change.new
    )?;
    Ok(())
}

/// The newest `limit` changes first.
pub async fn changes(
    db: &Database,
    minor: i64,
    limit: i64,
) -> Result<Vec<StoredChange>, StorageError> {
    const SQL: &str = "SELECT at, actor_label, what, old_value, new_value FROM access_changes \
                       WHERE minor_account_id = $1 ORDER BY id DESC LIMIT $2";
    let rows = on_pool!(db, Access::Read, |pool| {
        sqlx::query_as::<_, StoredChange>(SQL)
            .bind(minor)
            .bind(limit)
            .fetch_all(pool)
            .await
    })?;
    Ok(rows)
}

/// Takes one of the day's extended uses if fewer than `limit` are taken: one conditional upsert,
/// so two parallel requests cannot both take the last one. False when none is left.
pub async fn reserve_use(
    tx: &mut Tx,
    minor: i64,
    day: &str,
    limit: u32,
) -> Result<bool, StorageError> {
    if limit == 0 {
        return Ok(false);
    }
    let taken = tx_execute!(
        tx,
        "INSERT INTO service_day_counts (minor_account_id, day, used) VALUES ($1, $2, 1) \
         ON CONFLICT (minor_account_id, day) DO UPDATE SET used = service_day_counts.used + 1 \
         WHERE service_day_counts.used < $3",
        minor,
        day,
        i64::from(limit)
    )?;
    Ok(taken == 1)
}

pub async fn used_on(db: &Database, minor: i64, day: &str) -> Result<u32, StorageError> {
    const SQL: &str =
        "SELECT used FROM service_day_counts WHERE minor_account_id = $1 AND day = $2";
    let used = on_pool!(db, Access::Read, |pool| {
        sqlx::query_scalar::<_, i64>(SQL)
            .bind(minor)
            .bind(day)
            .fetch_optional(pool)
            .await
    })?;
    Ok(used.unwrap_or(0).clamp(0, i64::from(u32::MAX)) as u32)
}

#[derive(Debug, Clone, FromRow)]
pub struct StoredRecord {
    pub id: i64,
    pub minor_account_id: i64,
    #[sqlx(try_from = "Code<MinorService>")]
    pub service: MinorService,
    #[sqlx(try_from = "Code<ServiceLevel>")]
    pub level: ServiceLevel,
    #[sqlx(try_from = "Code<RecordStatus>")]
    pub status: RecordStatus,
    pub result: String,
    pub created_at: OffsetDateTime,
}

const RECORD: &str =
    "SELECT id, minor_account_id, service, level, status, result, created_at FROM service_records";

pub async fn insert_record(
    tx: &mut Tx,
    minor: i64,
    service: MinorService,
    level: ServiceLevel,
    status: RecordStatus,
    result: &str,
    at: OffsetDateTime,
) -> Result<i64, StorageError> {
    const SQL: &str = "INSERT INTO service_records (minor_account_id, service, level, status, \
                       result, created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id";
    let id = on_tx!(tx, |conn| {
        sqlx::query_scalar::<_, i64>(SQL)
            .bind(minor)
            .bind(Code(service))
            .bind(Code(level))
            .bind(Code(status))
            .bind(result)
            .bind(at)
            .fetch_one(conn)
            .await
    })?;
    Ok(id)
}

/// The newest records of a minor, or only those in `status`.
pub async fn records(
    db: &Database,
    minor: i64,
    status: Option<RecordStatus>,
    limit: i64,
) -> Result<Vec<StoredRecord>, StorageError> {
    let sql = format!(
        "{RECORD} WHERE minor_account_id = $1 AND ($2 IS NULL OR status = $2) \
         ORDER BY id DESC LIMIT $3"
    );
    let rows = on_pool!(db, Access::Read, |pool| {
        sqlx::query_as::<_, StoredRecord>(sqlx::AssertSqlSafe(sql.clone()))
            .bind(minor)
            .bind(status.map(RecordStatus::as_str))
            .bind(limit)
            .fetch_all(pool)
            .await
    })?;
    Ok(rows)
}

/// A record waiting for a parent moves to `to` once: false when it was decided already.
pub async fn decide_record(
    tx: &mut Tx,
    minor: i64,
    id: i64,
    to: RecordStatus,
    result: &str,
    parent: i64,
    at: OffsetDateTime,
) -> Result<Option<StoredRecord>, StorageError> {
    let moved = tx_execute!(
        tx,
        "UPDATE service_records SET status = $3, result = $4, decided_at = $5, decided_by = $6 \
         WHERE id = $1 AND minor_account_id = $2 AND status = 'awaiting_parent'",
        id,
        minor,
        Code(to),
        result,
        at,
        parent
    )?;
    if moved == 0 {
        return Ok(None);
    }
    let sql = format!("{RECORD} WHERE id = $1");
    let row = on_tx!(tx, |conn| {
        sqlx::query_as::<_, StoredRecord>(sqlx::AssertSqlSafe(sql))
            .bind(id)
            .fetch_one(conn)
            .await
    })?;
    Ok(Some(row))
}
