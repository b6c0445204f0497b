//! «Журнал активности»: a minor's entries, appended under a per-minor lock so that each takes the
//! next number and the hash of the one before it; read by page with a filter, or whole, in order,
//! to verify the chain.

use sqlx::FromRow;
use time::{OffsetDateTime, UtcOffset};

use app::activity::journal::{ActivityKind, ActorKind};

use super::codes::Code;
use super::{Access, Database, StorageError, Tx};
use crate::{on_pool, on_tx, tx_execute};

/// An entry as stored: every field the hash covers, and the hashes.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct StoredEntry {
    pub minor_account_id: i64,
    pub seq: i64,
    pub occurred_at: OffsetDateTime,
    #[sqlx(try_from = "Code<ActivityKind>")]
    pub kind: ActivityKind,
    #[sqlx(try_from = "Code<ActorKind>")]
    pub actor_kind: ActorKind,
    pub actor_account_id: Option<i64>,
    pub actor_label: String,
    pub action: String,
    pub detail: String,
    pub device: String,
    pub address: String,
    pub prev_hash: String,
    pub hash: String,
}

const COLUMNS: &str = "minor_account_id, seq, occurred_at, kind, actor_kind, actor_account_id, \
    actor_label, action, detail, device, address, prev_hash, hash";

/// The last entry's number and hash, with the minor's journal held until the transaction ends:
/// PostgreSQL takes a transaction-scoped advisory lock on the minor; SQLite's one writer already
/// serialises the append.
pub async fn head_locked(tx: &mut Tx, minor: i64) -> Result<Option<(i64, String)>, StorageError> {
    if let Tx::Postgres(tx) = tx {
        sqlx::query("SELECT pg_advisory_xact_lock($1)")
            .bind(minor)
            .execute(&mut **tx)
            .await?;
    }
    const SQL: &str = "SELECT seq, hash FROM activity_journal WHERE minor_account_id = $1 \
                       ORDER BY seq DESC LIMIT 1";
    let head = on_tx!(tx, |conn| {
        sqlx::query_as::<_, (i64, String)>(SQL)
            .bind(minor)
            .fetch_optional(conn)
            .await
    })?;
    Ok(head)
}

/// Whether the same actor's same action on this minor was written since `since` (a page read
/// again, or followed live, is one view).
pub async fn written_since(
    tx: &mut Tx,
    minor: i64,
    actor: Option<i64>,
    action: &str,
    since: OffsetDateTime,
) -> Result<bool, StorageError> {
    const SQL: &str = "SELECT COUNT(*) FROM activity_journal WHERE minor_account_id = $1 \
                       AND actor_account_id = $2 AND action = $3 AND occurred_at >= $4";
    let count = on_tx!(tx, |conn| {
        sqlx::query_scalar::<_, i64>(SQL)
            .bind(minor)
            .bind(actor)
            .bind(action)
            .bind(since.to_offset(UtcOffset::UTC))
            .fetch_one(conn)
            .await
    })?;
    Ok(count > 0)
}

pub async fn insert(tx: &mut Tx, entry: &StoredEntry) -> Result<(), StorageError> {
    tx_execute!(
        tx,
        "INSERT INTO activity_journal (minor_account_id, seq, occurred_at, kind, actor_kind, \
         actor_account_id, actor_label, action, detail, device, address, prev_hash, hash) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
        entry.minor_account_id,
        entry.seq,
        entry.occurred_at.to_offset(UtcOffset::UTC),
        Code(entry.kind),
        Code(entry.actor_kind),
        entry.actor_account_id,
        &entry.actor_label,
        &entry.action,
        &entry.detail,
        &entry.device,
        &entry.address,
        &entry.prev_hash,
        &entry.hash
    )?;
    Ok(())
}

/// What a page of the journal asks for; `None` is «any».
#[derive(Debug, Clone, Copy, Default)]
pub struct Filter {
    pub kind: Option<ActivityKind>,
    /// At or after.
    pub from: Option<OffsetDateTime>,
    /// Before.
    pub until: Option<OffsetDateTime>,
}

impl Filter {
    /// The conditions after the minor's (`$1`), with `$2`…`$4` bound by [`bind_filter!`] as NULL
    /// for «any». The filters are few and one index serves each with the minor first.
    const SQL: &'static str = "WHERE minor_account_id = $1 AND ($2 IS NULL OR kind = $2) \
        AND ($3 IS NULL OR occurred_at >= $3) AND ($4 IS NULL OR occurred_at < $4)";

    fn values(
        &self,
    ) -> (
        Option<&'static str>,
        Option<OffsetDateTime>,
        Option<OffsetDateTime>,
    ) {
        let utc = |at: OffsetDateTime| at.to_offset(UtcOffset::UTC);
        (
            self.kind.map(ActivityKind::as_str),
            self.from.map(utc),
            self.until.map(utc),
        )
    }
}

/// The newest entries the filter finds, `limit` from `offset`, and how many it finds in all.
pub async fn page(
    db: &Database,
    minor: i64,
    filter: Filter,
    limit: i64,
    offset: i64,
) -> Result<(Vec<StoredEntry>, i64), StorageError> {
    let (kind, from, until) = filter.values();
    let sql = format!(
        "SELECT {COLUMNS} FROM activity_journal {} ORDER BY seq DESC LIMIT $5 OFFSET $6",
        Filter::SQL
    );
    let rows = on_pool!(db, Access::Read, |pool| {
        sqlx::query_as::<_, StoredEntry>(sqlx::AssertSqlSafe(sql.clone()))
            .bind(minor)
            .bind(kind)
            .bind(from)
            .bind(until)
            .bind(limit)
            .bind(offset)
            .fetch_all(pool)
            .await
    })?;
    let count = format!("SELECT COUNT(*) FROM activity_journal {}", Filter::SQL);
    let total = on_pool!(db, Access::Read, |pool| {
        sqlx::query_scalar::<_, i64>(sqlx::AssertSqlSafe(count.clone()))
            .bind(minor)
            .bind(kind)
            .bind(from)
            .bind(until)
            .fetch_one(pool)
            .await
    })?;
    Ok((rows, total))
}

/// The whole journal of a minor, oldest first, for verifying its chain.
pub async fn chain(db: &Database, minor: i64) -> Result<Vec<StoredEntry>, StorageError> {
    let sql =
        format!("SELECT {COLUMNS} FROM activity_journal WHERE minor_account_id = $1 ORDER BY seq");
    let rows = on_pool!(db, Access::Read, |pool| {
        sqlx::query_as::<_, StoredEntry>(sqlx::AssertSqlSafe(sql.clone()))
            .bind(minor)
            .fetch_all(pool)
            .await
    })?;
    Ok(rows)
}

/// Every minor with a journal, for `server admin verify-journal`.
pub async fn minors(db: &Database) -> Result<Vec<i64>, StorageError> {
    const SQL: &str = "SELECT DISTINCT minor_account_id FROM activity_journal \
                       ORDER BY minor_account_id";
    let ids = on_pool!(db, Access::Read, |pool| {
        sqlx::query_scalar::<_, i64>(SQL).fetch_all(pool).await
    })?;
    Ok(ids)
}

/// The minor an application is about, when the child's card it names has a live link to a
/// minor's account.
pub async fn minor_of_application(
    tx: &mut Tx,
    application: i64,
) -> Result<Option<i64>, StorageError> {
    const SQL: &str = "SELECT g.minor_account_id FROM applications a \
                       JOIN guardianships g ON g.child_id = a.child_id \
                       WHERE a.id = $1 AND g.ended_at IS NULL LIMIT 1";
    let minor = on_tx!(tx, |conn| {
        sqlx::query_scalar::<_, i64>(SQL)
            .bind(application)
            .fetch_optional(conn)
            .await
    })?;
    Ok(minor)
}

/// Whether an entry with this action and detail was ever written for the minor (a reminder sent
/// once).
pub async fn exists(
    tx: &mut Tx,
    minor: i64,
    action: &str,
    detail: &str,
) -> Result<bool, StorageError> {
    const SQL: &str = "SELECT COUNT(*) FROM activity_journal WHERE minor_account_id = $1 \
                       AND action = $2 AND detail = $3";
    let count = on_tx!(tx, |conn| {
        sqlx::query_scalar::<_, i64>(SQL)
            .bind(minor)
            .bind(action)
            .bind(detail)
            .fetch_one(conn)
            .await
    })?;
    Ok(count > 0)
}
