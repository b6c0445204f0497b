//! The diary's school link (the code's tries reserved in one conditional `UPDATE`) and its
//! imported lessons, replaced whole by each import.

use sqlx::FromRow;
use time::{Date, OffsetDateTime};

use super::{Access, Database, StorageError, Tx};
use crate::{on_pool, on_tx, tx_execute};

#[derive(Debug, Clone, FromRow)]
pub struct SchoolLink {
    pub minor_account_id: i64,
    pub school_number: i64,
    pub school_name: String,
    /// `code_sent` or `connected`.
    pub status: String,
    pub sent_to: String,
    pub wrong_tries: i64,
    pub code_sent_at: OffsetDateTime,
    pub connected_at: Option<OffsetDateTime>,
    pub imported_at: Option<OffsetDateTime>,
    pub notify: bool,
}

impl SchoolLink {
    pub fn connected(&self) -> bool {
        self.status == "connected"
    }
}

const LINK: &str = "SELECT minor_account_id, school_number, school_name, status, sent_to, \
    wrong_tries, code_sent_at, connected_at, imported_at, notify FROM school_links";

pub async fn link(db: &Database, minor: i64) -> Result<Option<SchoolLink>, StorageError> {
    let sql = format!("{LINK} WHERE minor_account_id = $1");
    let row = on_pool!(db, Access::Read, |pool| {
        sqlx::query_as::<_, SchoolLink>(sqlx::AssertSqlSafe(sql.clone()))
            .bind(minor)
            .fetch_optional(pool)
            .await
    })?;
    Ok(row)
}

pub async fn link_in(tx: &mut Tx, minor: i64) -> Result<Option<SchoolLink>, StorageError> {
    let sql = format!("{LINK} WHERE minor_account_id = $1");
    let row = on_tx!(tx, |conn| {
        sqlx::query_as::<_, SchoolLink>(sqlx::AssertSqlSafe(sql))
            .bind(minor)
            .fetch_optional(conn)
            .await
    })?;
    Ok(row)
}

/// A new attempt to connect (another school, or the same again): the code sent, tries reset,
/// the old lessons gone.
pub async fn start(
    tx: &mut Tx,
    minor: i64,
    school: (i64, &str),
    sent_to: &str,
    at: OffsetDateTime,
) -> Result<(), StorageError> {
    tx_execute!(
        tx,
        "DELETE FROM diary_lessons WHERE minor_account_id = $1",
        minor
    )?;
    tx_execute!(
        tx,
        "DELETE FROM school_links WHERE minor_account_id = $1",
        minor
    )?;
    tx_execute!(
        tx,
        "INSERT INTO school_links (minor_account_id, school_number, school_name, status, sent_to, \
         code_sent_at) VALUES ($1, $2, $3, 'code_sent', $4, $5)",
        minor,
        school.0,
        school.1,
        sent_to,
        at
    )?;
    Ok(())
}

/// Takes one try of the waiting code if any is left; false when none.
pub async fn reserve_try(tx: &mut Tx, minor: i64, max: i64) -> Result<bool, StorageError> {
    let taken = tx_execute!(
        tx,
        "UPDATE school_links SET wrong_tries = wrong_tries + 1 WHERE minor_account_id = $1 \
         AND status = 'code_sent' AND wrong_tries < $2",
        minor,
        max
    )?;
    Ok(taken == 1)
}

pub async fn connect(tx: &mut Tx, minor: i64, at: OffsetDateTime) -> Result<bool, StorageError> {
    let done = tx_execute!(
        tx,
        "UPDATE school_links SET status = 'connected', connected_at = $2, wrong_tries = 0 \
         WHERE minor_account_id = $1 AND status = 'code_sent'",
        minor,
        at
    )?;
    Ok(done == 1)
}

pub async fn set_notify(db: &Database, minor: i64, notify: bool) -> Result<(), StorageError> {
    crate::pool_execute!(
        db,
        "UPDATE school_links SET notify = $2 WHERE minor_account_id = $1",
        minor,
        notify
    )?;
    Ok(())
}

/// Every connected diary, for the nightly import.
pub async fn connected(db: &Database) -> Result<Vec<i64>, StorageError> {
    const SQL: &str = "SELECT minor_account_id FROM school_links WHERE status = 'connected' \
                       ORDER BY minor_account_id";
    let ids = on_pool!(db, Access::Read, |pool| {
        sqlx::query_scalar::<_, i64>(SQL).fetch_all(pool).await
    })?;
    Ok(ids)
}

#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct StoredLesson {
    pub day: String,
    pub subject: String,
    pub grade: Option<i64>,
    pub attendance: Option<String>,
    pub teacher: String,
    pub comment: String,
}

impl StoredLesson {
    pub fn date(&self) -> Option<Date> {
        Date::parse(
            &self.day,
            &time::format_description::well_known::Iso8601::DATE,
        )
        .ok()
    }
}

/// The lessons between two ISO days, both included, oldest first.
pub async fn lessons(
    db: &Database,
    minor: i64,
    from: Date,
    to: Date,
) -> Result<Vec<StoredLesson>, StorageError> {
    const SQL: &str = "SELECT day, subject, grade, attendance, teacher, comment FROM diary_lessons \
                       WHERE minor_account_id = $1 AND day >= $2 AND day <= $3 \
                       ORDER BY day, subject";
    let rows = on_pool!(db, Access::Read, |pool| {
        sqlx::query_as::<_, StoredLesson>(SQL)
            .bind(minor)
            .bind(from.to_string())
            .bind(to.to_string())
            .fetch_all(pool)
            .await
    })?;
    Ok(rows)
}

/// Replaces the minor's lessons with an import's; the numbers of grades and absences that were
/// not there before.
pub async fn replace(
    tx: &mut Tx,
    minor: i64,
    lessons: &[StoredLesson],
    at: OffsetDateTime,
) -> Result<(u32, u32), StorageError> {
    let before_grades = count(tx, minor, "grade IS NOT NULL").await?;
    let before_absences = count(tx, minor, "attendance IS NOT NULL").await?;
    tx_execute!(
        tx,
        "DELETE FROM diary_lessons WHERE minor_account_id = $1",
        minor
    )?;
    for lesson in lessons {
        tx_execute!(
            tx,
            "INSERT INTO diary_lessons (minor_account_id, day, subject, grade, attendance, \
             teacher, comment) VALUES ($1, $2, $3, $4, $5, $6, $7)",
            minor,
            &lesson.day,
            &lesson.subject,
            lesson.grade,
            lesson.attendance.as_deref(),
            &lesson.teacher,
            &lesson.comment
        )?;
    }
    tx_execute!(
        tx,
        "UPDATE school_links SET imported_at = $2 WHERE minor_account_id = $1",
        minor,
        at
    )?;
    let grades = lessons.iter().filter(|l| l.grade.is_some()).count() as i64;
    let absences = lessons.iter().filter(|l| l.attendance.is_some()).count() as i64;
    Ok((
        (grades - before_grades).max(0) as u32,
        (absences - before_absences).max(0) as u32,
    ))
}

async fn count(tx: &mut Tx, minor: i64, condition: &str) -> Result<i64, StorageError> {
    let sql =
        format!("SELECT COUNT(*) FROM diary_lessons WHERE minor_account_id = $1 AND {condition}");
    let n = on_tx!(tx, |conn| {
        sqlx::query_scalar::<_, i64>(sqlx::AssertSqlSafe(sql))
            .bind(minor)
            .fetch_one(conn)
            .await
    })?;
    Ok(n)
}
