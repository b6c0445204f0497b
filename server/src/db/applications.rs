//! Applications for benefits. Every read names the parent; another family's application reads
//! as none.

use serde::{Deserialize, Serialize};
use sqlx::FromRow;
use time::OffsetDateTime;

use app::benefits::answers::Answers;
use app::benefits::application::{Applicant, ChildOnCard};
use app::benefits::status::{ApplicationStatus, EligibilityFlag};

use super::codes::Code;
use super::{Database, StorageError, Tx};
use crate::{on_tx, pool_read};

/// What was sent, kept whole: the application does not change when the card does.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SentContent {
    pub child: ChildOnCard,
    pub applicant: Applicant,
    pub answers: Answers,
    /// The documents sent, as the receipt lists them (none before documents were asked).
    #[serde(default)]
    pub documents: Vec<SentDocument>,
}

/// A document an application was sent with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SentDocument {
    pub title: String,
    pub file_name: String,
    pub sha256: String,
}

#[derive(Debug, Clone, FromRow)]
pub struct StoredApplication {
    pub id: i64,
    pub parent_account_id: i64,
    pub child_id: Option<i64>,
    pub benefit_code: String,
    #[sqlx(try_from = "Code<ApplicationStatus>")]
    pub status: ApplicationStatus,
    #[sqlx(try_from = "Code<EligibilityFlag>")]
    pub eligibility: EligibilityFlag,
    content: String,
    pub request_sha256: String,
    pub submitted_at: OffsetDateTime,
    pub version: i64,
}

impl StoredApplication {
    pub fn content(&self) -> Result<SentContent, StorageError> {
        serde_json::from_str(&self.content)
            .map_err(|e| StorageError::Corrupt(format!("application {}: {e}", self.id)))
    }
}

const COLUMNS: &str = "id, parent_account_id, child_id, benefit_code, status, eligibility, \
    content, request_sha256, submitted_at, version";

pub struct NewApplication<'a> {
    pub parent: i64,
    pub child: i64,
    pub benefit_code: &'a str,
    pub eligibility: EligibilityFlag,
    pub content: &'a SentContent,
    pub key: &'a str,
    pub request_sha256: &'a str,
    pub draft_id: i64,
    pub at: OffsetDateTime,
}

/// The application, «На рассмотрении»; `None` when the key or the draft was used first by a
/// concurrent request (the caller reads what that one made).
pub async fn insert(tx: &mut Tx, new: NewApplication<'_>) -> Result<Option<i64>, StorageError> {
    const SQL: &str = "INSERT INTO applications (parent_account_id, child_id, benefit_code, \
        status, eligibility, content, idempotency_key, request_sha256, draft_id, submitted_at, \
        status_since) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) \
        ON CONFLICT DO NOTHING RETURNING id";
    let content = serde_json::to_string(new.content)
        .map_err(|e| StorageError::Corrupt(format!("application content: {e}")))?;
    let id = on_tx!(tx, |conn| {
        sqlx::query_scalar::<_, i64>(SQL)
            .bind(new.parent)
            .bind(new.child)
            .bind(new.benefit_code)
            .bind(Code(ApplicationStatus::UnderReview))
            .bind(Code(new.eligibility))
            .bind(&content)
            .bind(new.key)
            .bind(new.request_sha256)
            .bind(new.draft_id)
            .bind(new.at)
            .fetch_optional(conn)
            .await
    })?;
    Ok(id)
}

/// The application a key made, if any.
pub async fn by_key(
    db: &Database,
    parent: i64,
    key: &str,
) -> Result<Option<StoredApplication>, StorageError> {
    let sql = format!(
        "SELECT {COLUMNS} FROM applications WHERE parent_account_id = $1 AND idempotency_key = $2"
    );
    Ok(pool_read!(
        db,
        StoredApplication,
        fetch_optional,
        sql,
        parent,
        key
    )?)
}

/// The application a draft became, if any.
pub async fn by_draft(
    db: &Database,
    parent: i64,
    draft_id: i64,
) -> Result<Option<StoredApplication>, StorageError> {
    let sql = format!(
        "SELECT {COLUMNS} FROM applications WHERE parent_account_id = $1 AND draft_id = $2"
    );
    Ok(pool_read!(
        db,
        StoredApplication,
        fetch_optional,
        sql,
        parent,
        draft_id
    )?)
}

/// Any application by its id: for officers, who see applications whoever's they are.
pub async fn by_id(db: &Database, id: i64) -> Result<Option<StoredApplication>, StorageError> {
    let sql = format!("SELECT {COLUMNS} FROM applications WHERE id = $1");
    Ok(pool_read!(db, StoredApplication, fetch_optional, sql, id)?)
}

pub async fn of_parent(
    db: &Database,
    parent: i64,
    id: i64,
) -> Result<Option<StoredApplication>, StorageError> {
    let sql =
        format!("SELECT {COLUMNS} FROM applications WHERE id = $1 AND parent_account_id = $2");
    Ok(pool_read!(
        db,
        StoredApplication,
        fetch_optional,
        sql,
        id,
        parent
    )?)
}

/// The parent's applications, newest first; at most `limit` (the next issue pages them).
pub async fn for_parent(
    db: &Database,
    parent: i64,
    limit: i64,
) -> Result<Vec<StoredApplication>, StorageError> {
    let sql = format!(
        "SELECT {COLUMNS} FROM applications WHERE parent_account_id = $1 \
         ORDER BY submitted_at DESC, id DESC LIMIT $2"
    );
    Ok(pool_read!(
        db,
        StoredApplication,
        fetch_all,
        sql,
        parent,
        limit
    )?)
}

/// An approved application: the benefit is active for its child.
#[derive(Debug, Clone, FromRow)]
pub struct Approved {
    pub id: i64,
    pub child_id: Option<i64>,
    pub benefit_code: String,
    pub submitted_at: OffsetDateTime,
    /// When it was approved.
    pub status_since: OffsetDateTime,
}

/// The parent's approved applications (for one child, or all), the newest approval first.
pub async fn approved(
    db: &Database,
    parent: i64,
    child: Option<i64>,
) -> Result<Vec<Approved>, StorageError> {
    let sql = "SELECT id, child_id, benefit_code, submitted_at, status_since FROM applications \
        WHERE parent_account_id = $1 AND status = $2 AND ($3 IS NULL OR child_id = $3) \
        ORDER BY status_since DESC, id DESC"
        .to_owned();
    Ok(pool_read!(
        db,
        Approved,
        fetch_all,
        sql,
        parent,
        Code(ApplicationStatus::Approved),
        child
    )?)
}
