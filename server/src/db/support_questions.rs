//! Questions to the support desk: anyone's by e-mail, and a signed-in person's tied to their
//! account and, when asked about one, to their application, answered by an officer.

use sqlx::FromRow;
use time::OffsetDateTime;

use app::support::Question;
use app::support::requests::SupportStatus;

use super::codes::Code;
use super::{Access, Database, StorageError, Tx};
use crate::{on_pool, pool_read, tx_execute};

#[derive(Debug, Clone, FromRow)]
pub struct StoredQuestion {
    pub id: i64,
    pub snils: String,
    pub email: String,
    pub text: String,
    pub created_at: OffsetDateTime,
}

/// A question as its author or an officer follows it (no СНИЛС, no e-mail).
#[derive(Debug, Clone, FromRow)]
pub struct Request {
    pub id: i64,
    pub account_id: Option<i64>,
    pub application_id: Option<i64>,
    pub text: String,
    pub created_at: OffsetDateTime,
    #[sqlx(try_from = "Code<SupportStatus>")]
    pub status: SupportStatus,
    pub answer: String,
    pub answered_by_number: Option<i64>,
    pub answered_at: Option<OffsetDateTime>,
    /// The application's benefit and time of sending, which make its number.
    pub benefit_code: Option<String>,
    pub application_submitted_at: Option<OffsetDateTime>,
}

const REQUEST: &str = "SELECT q.id, q.account_id, q.application_id, q.text, q.created_at, \
    q.status, q.answer, q.answered_by_number, q.answered_at, a.benefit_code, \
    a.submitted_at AS application_submitted_at \
    FROM support_questions q LEFT JOIN applications a ON a.id = q.application_id";

/// Who asked and about what.
#[derive(Debug, Clone, Copy, Default)]
pub struct Asker {
    pub account: Option<i64>,
    pub application: Option<i64>,
}

/// Saves a question in one statement and returns its id.
pub async fn insert(
    db: &Database,
    question: &Question,
    asker: Asker,
    at: OffsetDateTime,
) -> Result<i64, StorageError> {
    const SQL: &str = "INSERT INTO support_questions (snils, email, text, created_at, account_id, \
                       application_id) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id";
    let id = on_pool!(db, Access::Write, |pool| {
        sqlx::query_scalar::<_, i64>(SQL)
            .bind(question.snils.digits())
            .bind(question.email.as_str())
            .bind(&question.text)
            .bind(at)
            .bind(asker.account)
            .bind(asker.application)
            .fetch_one(pool)
            .await
    })?;
    Ok(id)
}

/// The newest questions first, for operators.
pub async fn newest(db: &Database, limit: u32) -> Result<Vec<StoredQuestion>, StorageError> {
    let sql = "SELECT id, snils, email, text, created_at FROM support_questions \
               ORDER BY id DESC LIMIT $1"
        .to_owned();
    Ok(pool_read!(
        db,
        StoredQuestion,
        fetch_all,
        sql,
        i64::from(limit)
    )?)
}

/// The account's own questions, newest first.
pub async fn of_account(
    db: &Database,
    account: i64,
    limit: i64,
) -> Result<Vec<Request>, StorageError> {
    let sql = format!("{REQUEST} WHERE q.account_id = $1 ORDER BY q.id DESC LIMIT $2");
    Ok(pool_read!(db, Request, fetch_all, sql, account, limit)?)
}

/// The unanswered questions about applications, oldest first: what officers answer.
pub async fn open_about_applications(
    db: &Database,
    limit: i64,
) -> Result<Vec<Request>, StorageError> {
    let sql = format!(
        "{REQUEST} WHERE q.status = $1 AND q.application_id IS NOT NULL ORDER BY q.id LIMIT $2"
    );
    Ok(pool_read!(
        db,
        Request,
        fetch_all,
        sql,
        Code(SupportStatus::Registered),
        limit
    )?)
}

pub async fn by_id(db: &Database, id: i64) -> Result<Option<Request>, StorageError> {
    let sql = format!("{REQUEST} WHERE q.id = $1");
    Ok(pool_read!(db, Request, fetch_optional, sql, id)?)
}

/// The officer's answer: once, to an open question about an application. `false` when it was
/// answered already (or is not one an officer answers).
pub async fn answer(
    tx: &mut Tx,
    id: i64,
    text: &str,
    officer: (i64, i64),
    at: OffsetDateTime,
) -> Result<bool, StorageError> {
    let changed = tx_execute!(
        tx,
        "UPDATE support_questions SET status = $1, answer = $2, answered_by = $3, \
         answered_by_number = $4, answered_at = $5 \
         WHERE id = $6 AND status = $7 AND application_id IS NOT NULL",
        Code(SupportStatus::Answered),
        text,
        officer.0,
        officer.1,
        at,
        id,
        Code(SupportStatus::Registered)
    )?;
    Ok(changed == 1)
}
