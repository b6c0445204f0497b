//! «Оформить новую льготу»: the drafts of applications, one per child and benefit. Every query
//! names the parent, so another family's draft reads as none.

use sqlx::FromRow;
use time::OffsetDateTime;

use app::benefits::answers::Answers;

use super::{Access, Database, StorageError, Tx};
use crate::{on_pool, on_tx, pool_read, tx_execute};

#[derive(Debug, Clone, FromRow)]
pub struct StoredDraft {
    pub id: i64,
    pub parent_account_id: i64,
    pub child_id: i64,
    pub benefit_code: String,
    answers: String,
    pub version: i64,
    pub updated_at: OffsetDateTime,
}

impl StoredDraft {
    /// The saved answers; a row that does not read back is an error, never an empty draft.
    pub fn answers(&self) -> Result<Answers, StorageError> {
        serde_json::from_str(&self.answers)
            .map_err(|e| StorageError::Corrupt(format!("application draft {}: {e}", self.id)))
    }

    /// After a save: the answers as they were written.
    pub fn set_answers(&mut self, answers: &Answers) -> Result<(), StorageError> {
        self.answers = json(answers)?;
        Ok(())
    }
}

fn json(answers: &Answers) -> Result<String, StorageError> {
    serde_json::to_string(answers).map_err(|e| StorageError::Corrupt(format!("draft answers: {e}")))
}

const COLUMNS: &str = "id, parent_account_id, child_id, benefit_code, answers, version, updated_at";

/// The child's draft for the benefit, made now unless one exists. One statement, so two racing
/// «Оформить» make one draft.
pub async fn open(
    db: &Database,
    parent: i64,
    child: i64,
    benefit_code: &str,
    at: OffsetDateTime,
) -> Result<i64, StorageError> {
    const SQL: &str = "INSERT INTO application_drafts \
        (parent_account_id, child_id, benefit_code, answers, created_at, updated_at) \
        VALUES ($1, $2, $3, '{}', $4, $4) \
        ON CONFLICT (child_id, benefit_code) DO UPDATE SET child_id = excluded.child_id \
        RETURNING id";
    let id = on_pool!(db, Access::Write, |pool| {
        sqlx::query_scalar::<_, i64>(SQL)
            .bind(parent)
            .bind(child)
            .bind(benefit_code)
            .bind(at)
            .fetch_one(pool)
            .await
    })?;
    Ok(id)
}

pub async fn of_parent(
    db: &Database,
    parent: i64,
    id: i64,
) -> Result<Option<StoredDraft>, StorageError> {
    let sql = format!(
        "SELECT {COLUMNS} FROM application_drafts WHERE id = $1 AND parent_account_id = $2"
    );
    Ok(pool_read!(
        db,
        StoredDraft,
        fetch_optional,
        sql,
        id,
        parent
    )?)
}

/// The same, inside a transaction that is about to consume the draft.
pub async fn of_parent_in(
    tx: &mut Tx,
    parent: i64,
    id: i64,
) -> Result<Option<StoredDraft>, StorageError> {
    let sql = format!(
        "SELECT {COLUMNS} FROM application_drafts WHERE id = $1 AND parent_account_id = $2"
    );
    let row = on_tx!(tx, |conn| {
        sqlx::query_as::<_, StoredDraft>(sqlx::AssertSqlSafe(sql))
            .bind(id)
            .bind(parent)
            .fetch_optional(conn)
            .await
    })?;
    Ok(row)
}

/// The parent's drafts for one benefit, for its page.
pub async fn for_benefit(
    db: &Database,
    parent: i64,
    benefit_code: &str,
) -> Result<Vec<StoredDraft>, StorageError> {
    let sql = format!(
        "SELECT {COLUMNS} FROM application_drafts \
         WHERE parent_account_id = $1 AND benefit_code = $2"
    );
    Ok(pool_read!(
        db,
        StoredDraft,
        fetch_all,
        sql,
        parent,
        benefit_code
    )?)
}

/// Writes the answers over the version they were read at; `false` when another save came
/// first (the caller reads again and retries), so two tabs never lose each other's pages.
pub async fn save(
    db: &Database,
    parent: i64,
    id: i64,
    read_version: i64,
    answers: &Answers,
    at: OffsetDateTime,
) -> Result<bool, StorageError> {
    const SQL: &str = "UPDATE application_drafts SET answers = $1, version = version + 1, \
        updated_at = $2 WHERE id = $3 AND parent_account_id = $4 AND version = $5";
    let changed = crate::pool_execute!(db, SQL, json(answers)?, at, id, parent, read_version)?;
    Ok(changed == 1)
}

pub async fn remove(db: &Database, parent: i64, id: i64) -> Result<bool, StorageError> {
    const SQL: &str = "DELETE FROM application_drafts WHERE id = $1 AND parent_account_id = $2";
    Ok(crate::pool_execute!(db, SQL, id, parent)? == 1)
}

/// The draft becomes an application: removed in the submitting transaction, only at the version
/// the parent checked. Whether it was.
pub async fn consume(
    tx: &mut Tx,
    parent: i64,
    id: i64,
    version: i64,
) -> Result<bool, StorageError> {
    const SQL: &str = "DELETE FROM application_drafts \
        WHERE id = $1 AND parent_account_id = $2 AND version = $3";
    Ok(tx_execute!(tx, SQL, id, parent, version)? == 1)
}

/// Its documents changed: a new version, so «Отправить» names the documents the parent checked.
pub async fn touch(tx: &mut Tx, id: i64, at: OffsetDateTime) -> Result<(), StorageError> {
    const SQL: &str =
        "UPDATE application_drafts SET version = version + 1, updated_at = $1 WHERE id = $2";
    tx_execute!(tx, SQL, at, id)?;
    Ok(())
}
