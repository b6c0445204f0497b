//! Age transitions: the minors' accounts the daily sweep looks at, their parents with a live
//! link, the notices already sent (one per account and kind, so a second sweep sends nothing
//! again), and the two changes a birthday makes — the account's age group, and at 18 the end of
//! the parents' links.

use sqlx::FromRow;
use time::{Date, OffsetDateTime};

use app::domain::AgeGroup;

use super::codes::Code;
use super::{Access, Database, StorageError, Tx};
use crate::{on_pool, on_tx, tx_execute};

/// A minor's account as the sweep needs it.
#[derive(Debug, Clone, FromRow)]
pub struct Minor {
    pub id: i64,
    pub last_name: String,
    pub first_name: String,
    pub middle_name: Option<String>,
    pub birth_date: Date,
    /// child or teen.
    #[sqlx(try_from = "Code<AgeGroup>")]
    pub age_group: AgeGroup,
    pub email: String,
    pub email_confirmed_at: Option<OffsetDateTime>,
}

/// A parent who acts for a minor's account (the link has not ended).
#[derive(Debug, Clone, FromRow)]
pub struct Guardian {
    pub account_id: i64,
    pub email: String,
    pub first_name: String,
    pub email_confirmed_at: Option<OffsetDateTime>,
}

/// What a notice was about; each is sent once per account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Notice {
    /// A month before 14.
    Before14,
    /// 14 today: the child's account is a teen's now.
    Turned14,
    /// A month before 18.
    Before18,
    /// 18 today: the account is an adult's, the parents' links end.
    Turned18,
}

impl Notice {
    pub fn as_str(self) -> &'static str {
        match self {
            Notice::Before14 => "before_14",
            Notice::Turned14 => "turned_14",
            Notice::Before18 => "before_18",
            Notice::Turned18 => "turned_18",
        }
    }
}

/// Every child's and teen's account, oldest account first.
pub async fn minors(db: &Database) -> Result<Vec<Minor>, StorageError> {
    const SQL: &str = "SELECT id, last_name, first_name, middle_name, birth_date, age_group, \
                       email, email_confirmed_at FROM accounts \
                       WHERE age_group IN ('child', 'teen') ORDER BY id";
    let rows = on_pool!(db, Access::Read, |pool| {
        sqlx::query_as::<_, Minor>(SQL).fetch_all(pool).await
    })?;
    Ok(rows)
}

/// The minor as this transaction sees it (the sweep re-reads before it changes anything).
pub async fn minor_in(tx: &mut Tx, id: i64) -> Result<Option<Minor>, StorageError> {
    const SQL: &str = "SELECT id, last_name, first_name, middle_name, birth_date, age_group, \
                       email, email_confirmed_at FROM accounts \
                       WHERE id = $1 AND age_group IN ('child', 'teen')";
    let row = on_tx!(tx, |conn| {
        sqlx::query_as::<_, Minor>(SQL)
            .bind(id)
            .fetch_optional(conn)
            .await
    })?;
    Ok(row)
}

/// The parents whose link to this minor's account is live, in the order they were linked.
pub async fn live_guardians(tx: &mut Tx, minor_id: i64) -> Result<Vec<Guardian>, StorageError> {
    const SQL: &str = "SELECT a.id AS account_id, a.email, a.first_name, a.email_confirmed_at \
                       FROM guardianships g JOIN accounts a ON a.id = g.parent_account_id \
                       WHERE g.minor_account_id = $1 AND g.ended_at IS NULL ORDER BY g.id";
    let rows = on_tx!(tx, |conn| {
        sqlx::query_as::<_, Guardian>(SQL)
            .bind(minor_id)
            .fetch_all(conn)
            .await
    })?;
    Ok(rows)
}

/// Records that the notice is being sent; false if it was sent before (nothing written then).
pub async fn record_notice(
    tx: &mut Tx,
    account_id: i64,
    notice: Notice,
    at: OffsetDateTime,
) -> Result<bool, StorageError> {
    let inserted = tx_execute!(
        tx,
        "INSERT INTO age_notices (account_id, kind, sent_at) VALUES ($1, $2, $3) \
         ON CONFLICT (account_id, kind) DO NOTHING",
        account_id,
        notice.as_str(),
        at
    )?;
    Ok(inserted == 1)
}

/// The notices an account has been sent, oldest first (for tests and support).
pub async fn notices(db: &Database, account_id: i64) -> Result<Vec<String>, StorageError> {
    const SQL: &str = "SELECT kind FROM age_notices WHERE account_id = $1 ORDER BY id";
    let rows = on_pool!(db, Access::Read, |pool| {
        sqlx::query_scalar::<_, String>(SQL)
            .bind(account_id)
            .fetch_all(pool)
            .await
    })?;
    Ok(rows)
}

pub async fn set_age_group(
    tx: &mut Tx,
    account_id: i64,
    group: AgeGroup,
) -> Result<(), StorageError> {
    tx_execute!(
        tx,
        "UPDATE accounts SET age_group = $2 WHERE id = $1",
        account_id,
        group.as_str()
    )?;
    Ok(())
}

/// Ends every live link to the minor's account (at 18); the rows stay, so the parents keep the
/// history of their consents. Returns how many ended.
pub async fn end_guardianships(
    tx: &mut Tx,
    minor_id: i64,
    at: OffsetDateTime,
) -> Result<u64, StorageError> {
    let ended = tx_execute!(
        tx,
        "UPDATE guardianships SET ended_at = $2 WHERE minor_account_id = $1 AND ended_at IS NULL",
        minor_id,
        at
    )?;
    Ok(ended)
}
