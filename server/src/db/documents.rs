//! A parent's uploaded files, the drafts' documents and what sent applications were sent with.
//! Every query a parent's request makes names the parent.

use sqlx::FromRow;
use time::OffsetDateTime;

use app::benefits::catalogue::RequiredDocument;
use app::benefits::documents::{FileKind, Rejection, UploadStatus};

use super::codes::Code;
use super::{Access, Database, StorageError, Tx};
use crate::{on_pool, on_tx, pool_read, tx_execute};

#[derive(Debug, Clone, FromRow)]
pub struct StoredDocument {
    pub id: i64,
    pub parent_account_id: i64,
    #[sqlx(try_from = "Code<RequiredDocument>")]
    pub requirement: RequiredDocument,
    pub file_name: String,
    #[sqlx(try_from = "Code<FileKind>")]
    pub kind: FileKind,
    pub size_bytes: i64,
    pub sha256: String,
    pub storage_key: String,
    #[sqlx(try_from = "Code<UploadStatus>")]
    pub status: UploadStatus,
    rejection: Option<String>,
    pub uploaded_at: OffsetDateTime,
    /// The child the file is about, whose key seals it (`file_keys`); none for files kept before.
    pub child_id: Option<i64>,
}

impl StoredDocument {
    /// The scan check's refusal; a stored one that does not read back is an error.
    pub fn rejection(&self) -> Result<Option<Rejection>, StorageError> {
        self.rejection
            .as_deref()
            .map(serde_json::from_str)
            .transpose()
            .map_err(|e| StorageError::Corrupt(format!("document {} rejection: {e}", self.id)))
    }
}

const COLUMNS: &str = "d.id, d.parent_account_id, d.requirement, d.file_name, d.kind, \
    d.size_bytes, d.sha256, d.storage_key, d.status, d.rejection, d.uploaded_at, d.child_id";

pub struct NewDocument<'a> {
    pub parent: i64,
    pub requirement: RequiredDocument,
    pub file_name: &'a str,
    pub kind: FileKind,
    pub size_bytes: i64,
    pub sha256: &'a str,
    pub storage_key: &'a str,
    pub at: OffsetDateTime,
    pub child: Option<i64>,
}

/// A file accepted, «В обработке».
pub async fn insert(tx: &mut Tx, new: NewDocument<'_>) -> Result<i64, StorageError> {
    const SQL: &str = "INSERT INTO documents (parent_account_id, requirement, file_name, kind, \
        size_bytes, sha256, storage_key, status, uploaded_at, child_id) \
        VALUES ($1, $2, $3, $4, $5, $6, $7, 'processing', $8, $9) RETURNING id";
    let id = on_tx!(tx, |conn| {
        sqlx::query_scalar::<_, i64>(SQL)
            .bind(new.parent)
            .bind(Code(new.requirement))
            .bind(new.file_name)
            .bind(Code(new.kind))
            .bind(new.size_bytes)
            .bind(new.sha256)
            .bind(new.storage_key)
            .bind(new.at)
            .bind(new.child)
            .fetch_one(conn)
            .await
    })?;
    Ok(id)
}

/// The draft's document for `requirement` is now `document` (the one before, if any, stays among
/// the parent's files).
pub async fn attach(
    tx: &mut Tx,
    draft: i64,
    requirement: RequiredDocument,
    document: i64,
) -> Result<(), StorageError> {
    const SQL: &str = "INSERT INTO draft_documents (draft_id, requirement, document_id) \
        VALUES ($1, $2, $3) \
        ON CONFLICT (draft_id, requirement) DO UPDATE SET document_id = excluded.document_id";
    tx_execute!(tx, SQL, draft, Code(requirement), document)?;
    Ok(())
}

/// One of the parent's files, unless deleted.
pub async fn of_parent(
    db: &Database,
    parent: i64,
    id: i64,
) -> Result<Option<StoredDocument>, StorageError> {
    let sql = format!(
        "SELECT {COLUMNS} FROM documents d \
         WHERE d.id = $1 AND d.parent_account_id = $2 AND d.removed_at IS NULL"
    );
    Ok(pool_read!(
        db,
        StoredDocument,
        fetch_optional,
        sql,
        id,
        parent
    )?)
}

/// A file for its owner's download: also one deleted while a sent application keeps it, which the
/// application's page still links.
pub async fn for_download(
    db: &Database,
    parent: i64,
    id: i64,
) -> Result<Option<StoredDocument>, StorageError> {
    let sql =
        format!("SELECT {COLUMNS} FROM documents d WHERE d.id = $1 AND d.parent_account_id = $2");
    Ok(pool_read!(
        db,
        StoredDocument,
        fetch_optional,
        sql,
        id,
        parent
    )?)
}

/// The file the scan check job is for (whoever's it is: the job was made by the upload).
pub async fn by_id(db: &Database, id: i64) -> Result<Option<StoredDocument>, StorageError> {
    let sql = format!("SELECT {COLUMNS} FROM documents d WHERE d.id = $1");
    Ok(pool_read!(db, StoredDocument, fetch_optional, sql, id)?)
}

/// The parent's files, newest first.
pub async fn for_parent(
    db: &Database,
    parent: i64,
    limit: i64,
) -> Result<Vec<StoredDocument>, StorageError> {
    let sql = format!(
        "SELECT {COLUMNS} FROM documents d \
         WHERE d.parent_account_id = $1 AND d.removed_at IS NULL \
         ORDER BY d.uploaded_at DESC, d.id DESC LIMIT $2"
    );
    Ok(pool_read!(
        db,
        StoredDocument,
        fetch_all,
        sql,
        parent,
        limit
    )?)
}

/// How many files the parent keeps (the ceiling on uploads counts these).
pub async fn count_live(db: &Database, parent: i64) -> Result<i64, StorageError> {
    const SQL: &str =
        "SELECT COUNT(*) FROM documents WHERE parent_account_id = $1 AND removed_at IS NULL";
    let n = on_pool!(db, Access::Read, |pool| {
        sqlx::query_scalar::<_, i64>(SQL)
            .bind(parent)
            .fetch_one(pool)
            .await
    })?;
    Ok(n)
}

/// The draft's documents.
pub async fn of_draft(db: &Database, draft: i64) -> Result<Vec<StoredDocument>, StorageError> {
    let sql = format!(
        "SELECT {COLUMNS} FROM draft_documents a JOIN documents d ON d.id = a.document_id \
         WHERE a.draft_id = $1 ORDER BY d.id"
    );
    Ok(pool_read!(db, StoredDocument, fetch_all, sql, draft)?)
}

/// The same, read inside the transaction that sends the draft.
pub async fn of_draft_in(tx: &mut Tx, draft: i64) -> Result<Vec<StoredDocument>, StorageError> {
    let sql = format!(
        "SELECT {COLUMNS} FROM draft_documents a JOIN documents d ON d.id = a.document_id \
         WHERE a.draft_id = $1 ORDER BY d.id"
    );
    let rows = on_tx!(tx, |conn| {
        sqlx::query_as::<_, StoredDocument>(sqlx::AssertSqlSafe(sql))
            .bind(draft)
            .fetch_all(conn)
            .await
    })?;
    Ok(rows)
}

/// What a sent application was sent with, in the order of the requirement's rows.
pub async fn of_application(
    db: &Database,
    application: i64,
) -> Result<Vec<StoredDocument>, StorageError> {
    let sql = format!(
        "SELECT {COLUMNS} FROM application_documents a JOIN documents d ON d.id = a.document_id \
         WHERE a.application_id = $1 ORDER BY d.id"
    );
    Ok(pool_read!(db, StoredDocument, fetch_all, sql, application)?)
}

/// A file held for the application's next answer or appeal.
pub async fn hold_for_reply(
    tx: &mut Tx,
    application: i64,
    document: i64,
) -> Result<(), StorageError> {
    tx_execute!(
        tx,
        "INSERT INTO application_uploads (application_id, document_id) VALUES ($1, $2)",
        application,
        document
    )?;
    Ok(())
}

/// The files held for the application's next answer or appeal, oldest first.
pub async fn held_for_reply(
    db: &Database,
    application: i64,
) -> Result<Vec<StoredDocument>, StorageError> {
    let sql = format!(
        "SELECT {COLUMNS} FROM application_uploads u JOIN documents d ON d.id = u.document_id \
         WHERE u.application_id = $1 ORDER BY d.id"
    );
    Ok(pool_read!(db, StoredDocument, fetch_all, sql, application)?)
}

/// The held files were sent (and attached to their journal entry): they are held no more.
pub async fn unhold(tx: &mut Tx, application: i64, documents: &[i64]) -> Result<(), StorageError> {
    for document in documents {
        tx_execute!(
            tx,
            "DELETE FROM application_uploads WHERE application_id = $1 AND document_id = $2",
            application,
            document
        )?;
    }
    Ok(())
}

/// The draft's documents go with its application (in the intake transaction).
pub async fn send_with(tx: &mut Tx, draft: i64, application: i64) -> Result<(), StorageError> {
    const SQL: &str = "INSERT INTO application_documents (application_id, requirement, document_id) \
        SELECT $1, requirement, document_id FROM draft_documents WHERE draft_id = $2";
    tx_execute!(tx, SQL, application, draft)?;
    Ok(())
}

/// The scan check's verdict, once: only a file still «В обработке» changes, so a repeated job
/// changes nothing.
pub async fn set_checked(
    db: &Database,
    id: i64,
    rejection: Option<Rejection>,
    at: OffsetDateTime,
) -> Result<bool, StorageError> {
    const SQL: &str = "UPDATE documents SET status = $1, rejection = $2, checked_at = $3 \
        WHERE id = $4 AND status = 'processing'";
    let status = if rejection.is_some() {
        UploadStatus::Rejected
    } else {
        UploadStatus::Approved
    };
    let rejection = rejection
        .map(|r| serde_json::to_string(&r))
        .transpose()
        .map_err(|e| StorageError::Corrupt(format!("rejection: {e}")))?;
    let changed = crate::pool_execute!(db, SQL, Code(status), rejection, at, id)?;
    Ok(changed == 1)
}

/// «Удалить»: `Some(storage_key)` when the row is gone and its file may go too; `None` when a
/// sent application keeps the file (the row is only marked removed and leaves every draft).
pub async fn delete(
    tx: &mut Tx,
    parent: i64,
    id: i64,
    at: OffsetDateTime,
) -> Result<Option<String>, StorageError> {
    const SENT: &str = "SELECT (SELECT COUNT(*) FROM application_documents WHERE document_id = $1) \
        + (SELECT COUNT(*) FROM application_attachments WHERE document_id = $1)";
    let sent = on_tx!(tx, |conn| {
        sqlx::query_scalar::<_, i64>(SENT)
            .bind(id)
            .fetch_one(conn)
            .await
    })?;
    if sent > 0 {
        const HIDE: &str =
            "UPDATE documents SET removed_at = $1 WHERE id = $2 AND parent_account_id = $3";
        tx_execute!(tx, HIDE, at, id, parent)?;
        tx_execute!(tx, "DELETE FROM draft_documents WHERE document_id = $1", id)?;
        return Ok(None);
    }
    const DELETE: &str =
        "DELETE FROM documents WHERE id = $1 AND parent_account_id = $2 RETURNING storage_key";
    let key = on_tx!(tx, |conn| {
        sqlx::query_scalar::<_, String>(DELETE)
            .bind(id)
            .bind(parent)
            .fetch_optional(conn)
            .await
    })?;
    Ok(key)
}

/// Retention: files no sent application was sent with, untouched since `before` and in no draft
/// changed since; their rows go and their storage keys are returned, for the store.
pub async fn purge_unused(
    db: &Database,
    before: OffsetDateTime,
    limit: i64,
) -> Result<Vec<String>, StorageError> {
    const SQL: &str = "DELETE FROM documents WHERE id IN (SELECT d.id FROM documents d \
        WHERE d.uploaded_at < $1 \
        AND NOT EXISTS (SELECT 1 FROM application_documents a WHERE a.document_id = d.id) \
        AND NOT EXISTS (SELECT 1 FROM application_attachments t WHERE t.document_id = d.id) \
        AND NOT EXISTS (SELECT 1 FROM draft_documents x JOIN application_drafts r \
            ON r.id = x.draft_id WHERE x.document_id = d.id AND r.updated_at >= $1) \
        LIMIT $2) RETURNING storage_key";
    let keys = on_pool!(db, Access::Write, |pool| {
        sqlx::query_scalar::<_, String>(SQL)
            .bind(before)
            .bind(limit)
            .fetch_all(pool)
            .await
    })?;
    Ok(keys)
}
