//! Signed receipts: what each one asserted, its signature and its file's checksum. No personal
//! data: the facts are non-personal by construction and the content is kept only as a checksum.

use sqlx::FromRow;
use time::OffsetDateTime;

use app::receipts::check::ReceiptKind;

use super::codes::Code;
use super::{Access, Database, StorageError, Tx};
use crate::{on_pool, on_tx, pool_execute, tx_execute};

#[derive(Debug, Clone, FromRow)]
pub struct StoredReceipt {
    pub id: i64,
    #[sqlx(try_from = "Code<ReceiptKind>")]
    pub kind: ReceiptKind,
    pub subject_id: i64,
    pub issued_at: OffsetDateTime,
    pub facts: String,
    pub content_sha256: String,
    pub signature: String,
    pub file_sha256: Option<String>,
}

const COLUMNS: &str =
    "id, kind, subject_id, issued_at, facts, content_sha256, signature, file_sha256";

/// The receipt already issued for this subject with exactly this content.
pub async fn for_content(
    db: &Database,
    kind: ReceiptKind,
    subject_id: i64,
    content_sha256: &str,
) -> Result<Option<StoredReceipt>, StorageError> {
    let sql = format!(
        "SELECT {COLUMNS} FROM receipts \
         WHERE kind = $1 AND subject_id = $2 AND content_sha256 = $3"
    );
    let row = on_pool!(db, Access::Read, |pool| {
        sqlx::query_as::<_, StoredReceipt>(sqlx::AssertSqlSafe(sql))
            .bind(Code(kind))
            .bind(subject_id)
            .bind(content_sha256)
            .fetch_optional(pool)
            .await
    })?;
    Ok(row)
}

pub async fn by_id(db: &Database, id: i64) -> Result<Option<StoredReceipt>, StorageError> {
    let sql = format!("SELECT {COLUMNS} FROM receipts WHERE id = $1");
    let row = on_pool!(db, Access::Read, |pool| {
        sqlx::query_as::<_, StoredReceipt>(sqlx::AssertSqlSafe(sql))
            .bind(id)
            .fetch_optional(pool)
            .await
    })?;
    Ok(row)
}

/// A new receipt row, unsigned until [`set_signature`] in the same transaction; `None` when a
/// racing request inserted the same content first.
pub async fn insert(
    tx: &mut Tx,
    kind: ReceiptKind,
    subject_id: i64,
    issued_at: OffsetDateTime,
    facts: &str,
    content_sha256: &str,
) -> Result<Option<i64>, StorageError> {
    const SQL: &str = "INSERT INTO receipts \
        (kind, subject_id, issued_at, facts, content_sha256, signature) \
        VALUES ($1, $2, $3, $4, $5, '') \
        ON CONFLICT (kind, subject_id, content_sha256) DO NOTHING RETURNING id";
    let id = on_tx!(tx, |conn| {
        sqlx::query_scalar::<_, i64>(SQL)
            .bind(Code(kind))
            .bind(subject_id)
            .bind(issued_at)
            .bind(facts)
            .bind(content_sha256)
            .fetch_optional(conn)
            .await
    })?;
    Ok(id)
}

pub async fn set_signature(tx: &mut Tx, id: i64, signature: &str) -> Result<(), StorageError> {
    tx_execute!(
        tx,
        "UPDATE receipts SET signature = $1 WHERE id = $2",
        signature,
        id
    )?;
    Ok(())
}

/// The file's checksum, written once: the file of a receipt never changes.
pub async fn set_file_sha256(db: &Database, id: i64, sha256: &str) -> Result<(), StorageError> {
    pool_execute!(
        db,
        "UPDATE receipts SET file_sha256 = $1 WHERE id = $2 AND file_sha256 IS NULL",
        sha256,
        id
    )?;
    Ok(())
}
