//! Questions to the support desk.

use sqlx::FromRow;
use time::OffsetDateTime;

use app::support::Question;

use super::{Access, Database, StorageError};
use crate::on_pool;

#[derive(Debug, Clone, FromRow)]
pub struct StoredQuestion {
    pub id: i64,
    pub snils: String,
    pub email: String,
    pub text: String,
    pub created_at: OffsetDateTime,
}

/// Saves a question in one statement and returns its id.
pub async fn insert(
    db: &Database,
    question: &Question,
    at: OffsetDateTime,
) -> Result<i64, StorageError> {
    const SQL: &str = "INSERT INTO support_questions (snils, email, text, created_at) \
                       VALUES ($1, $2, $3, $4) RETURNING id";
    let id = on_pool!(db, Access::Write, |pool| {
        sqlx::query_scalar::<_, i64>(SQL)
            .bind(question.snils.digits())
            .bind(question.email.as_str())
            .bind(&question.text)
            .bind(at)
            .fetch_one(pool)
            .await
    })?;
    Ok(id)
}

/// The newest questions first, for operators.
pub async fn newest(db: &Database, limit: u32) -> Result<Vec<StoredQuestion>, StorageError> {
    const SQL: &str = "SELECT id, snils, email, text, created_at FROM support_questions \
                       ORDER BY id DESC LIMIT $1";
    let rows = on_pool!(db, Access::Read, |pool| {
        sqlx::query_as::<_, StoredQuestion>(SQL)
            .bind(i64::from(limit))
            .fetch_all(pool)
            .await
    })?;
    Ok(rows)
}
