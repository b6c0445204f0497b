//! The outbox: messages to send, written in the same transaction as the change that causes them,
//! and the delivery history of each.

use sqlx::FromRow;
use time::{Duration, OffsetDateTime};

use super::codes::Code;
use super::{Access, Database, StorageError, Tx};
use crate::{on_pool, on_tx, pool_execute};

/// Where a message is in its delivery (`outbox_messages.status`). The SQL below names the
/// codes `queued` and `sending` itself: they are the dispatcher's claim, written only here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MessageStatus {
    Queued,
    /// Claimed by a dispatcher until its lease ends.
    Sending,
    /// Handed to the SMTP server or SMS gateway, which reports no further.
    Sent,
    Delivered,
    Failed,
}

impl MessageStatus {
    const ALL: [Self; 5] = [
        Self::Queued,
        Self::Sending,
        Self::Sent,
        Self::Delivered,
        Self::Failed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Queued => "queued",
            Self::Sending => "sending",
            Self::Sent => "sent",
            Self::Delivered => "delivered",
            Self::Failed => "failed",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == code)
    }
}

/// One line of a message's delivery history (`outbox_events.status`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeliveryStep {
    Queued,
    /// A temporary failure: the message waits for its next attempt.
    Retry,
    Sent,
    Delivered,
    Failed,
}

impl DeliveryStep {
    const ALL: [Self; 5] = [
        Self::Queued,
        Self::Retry,
        Self::Sent,
        Self::Delivered,
        Self::Failed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Queued => "queued",
            Self::Retry => "retry",
            Self::Sent => "sent",
            Self::Delivered => "delivered",
            Self::Failed => "failed",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == code)
    }

    /// As the development mailbox shows it.
    pub fn title(self) -> &'static str {
        match self {
            Self::Queued => "В очереди",
            Self::Retry => "Повторная попытка",
            Self::Sent => "Отправлено",
            Self::Delivered => "Доставлено",
            Self::Failed => "Не доставлено",
        }
    }
}

/// The outcome of one delivery attempt: it decides the message's next status and its history
/// line, so the two cannot disagree.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Attempt {
    Sent,
    Delivered,
    Failed,
    /// A temporary failure, tried again at this time.
    RetryAt(OffsetDateTime),
}

impl Attempt {
    pub fn status(self) -> MessageStatus {
        match self {
            Self::Sent => MessageStatus::Sent,
            Self::Delivered => MessageStatus::Delivered,
            Self::Failed => MessageStatus::Failed,
            Self::RetryAt(_) => MessageStatus::Queued,
        }
    }

    pub fn step(self) -> DeliveryStep {
        match self {
            Self::Sent => DeliveryStep::Sent,
            Self::Delivered => DeliveryStep::Delivered,
            Self::Failed => DeliveryStep::Failed,
            Self::RetryAt(_) => DeliveryStep::Retry,
        }
    }

    /// Whether nothing will send the message again.
    pub fn is_final(self) -> bool {
        !matches!(self, Self::RetryAt(_))
    }

    fn next_attempt_at(self) -> Option<OffsetDateTime> {
        match self {
            Self::RetryAt(at) => Some(at),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, FromRow)]
pub struct StoredMessage {
    pub id: i64,
    pub account_id: Option<i64>,
    pub channel: String,
    pub recipient: String,
    pub subject: String,
    pub body: String,
    #[sqlx(try_from = "Code<MessageStatus>")]
    pub status: MessageStatus,
    pub attempts: i32,
    pub created_at: OffsetDateTime,
}

const COLUMNS: &str =
    "id, account_id, channel, recipient, subject, body, status, attempts, created_at";

#[derive(Debug, Clone, FromRow)]
pub struct StoredEvent {
    pub message_id: i64,
    #[sqlx(try_from = "Code<DeliveryStep>")]
    pub status: DeliveryStep,
    pub detail: String,
    pub at: OffsetDateTime,
}

pub struct NewMessage<'a> {
    pub account_id: Option<i64>,
    pub channel: &'a str,
    pub recipient: &'a str,
    pub subject: &'a str,
    pub body: &'a str,
    /// A code or a link: the text goes once nothing will send it again, and it is never sent
    /// again. A notice (false) keeps its text for the history and «Отправить повторно».
    pub holds_secret: bool,
}

pub async fn insert(
    tx: &mut Tx,
    message: NewMessage<'_>,
    at: OffsetDateTime,
) -> Result<i64, StorageError> {
    const INSERT: &str = "INSERT INTO outbox_messages \
                          (account_id, channel, recipient, subject, body, status, next_attempt_at, created_at, holds_secret) \
                          VALUES ($1, $2, $3, $4, $5, 'queued', $6, $6, $7) RETURNING id";
    const EVENT: &str = "INSERT INTO outbox_events (message_id, status, detail, at) \
                         VALUES ($1, 'queued', 'Поставлено в очередь', $2)";
    let id = on_tx!(tx, |conn| {
        let id = sqlx::query_scalar::<_, i64>(INSERT)
            .bind(message.account_id)
            .bind(message.channel)
            .bind(message.recipient)
            .bind(message.subject)
            .bind(message.body)
            .bind(at)
            .bind(message.holds_secret)
            .fetch_one(&mut *conn)
            .await?;
        sqlx::query(EVENT)
            .bind(id)
            .bind(at)
            .execute(conn)
            .await
            .map(|r| r.rows_affected())
            .map(|_| id)
    })?;
    Ok(id)
}

/// Takes up to `limit` due messages for this dispatcher: queued ones whose time has come, and
/// ones whose previous dispatcher's lease ran out (it crashed mid-send). On PostgreSQL
/// `SKIP LOCKED` lets several server processes claim side by side without taking the same
/// message; SQLite's single writer makes the UPDATE atomic on its own.
pub async fn claim(
    db: &Database,
    now: OffsetDateTime,
    lease: Duration,
    limit: i64,
) -> Result<Vec<StoredMessage>, StorageError> {
    let lock = match db {
        Database::Postgres(_) => "FOR UPDATE SKIP LOCKED",
        Database::Sqlite { .. } => "",
    };
    let sql = format!(
        "UPDATE outbox_messages SET status = 'sending', lease_until = $2, attempts = attempts + 1 \
         WHERE id IN (SELECT id FROM outbox_messages \
             WHERE (status = 'queued' AND next_attempt_at <= $1) \
                OR (status = 'sending' AND lease_until < $1) \
             ORDER BY id LIMIT $3 {lock}) \
         RETURNING {COLUMNS}"
    );
    let rows = on_pool!(db, Access::Write, |pool| {
        sqlx::query_as::<_, StoredMessage>(sqlx::AssertSqlSafe(sql))
            .bind(now)
            .bind(now + lease)
            .bind(limit)
            .fetch_all(pool)
            .await
    })?;
    Ok(rows)
}

/// What a delivered (or finally failed) e-mail or SMS keeps of its text.
pub const REDACTED_BODY: &str = "Текст удалён после отправки: в нём могли быть код или ссылка.";

/// Records the outcome of one attempt.
pub async fn record_attempt(
    db: &Database,
    id: i64,
    attempt: Attempt,
    detail: &str,
    at: OffsetDateTime,
) -> Result<(), StorageError> {
    // E-mails and SMS carry codes, links and link codes: once nothing will send them again,
    // their text goes; the subject, recipient and `outbox_events` stay as delivery history.
    // Notices hold no secret and keep their text.
    const UPDATE: &str = "UPDATE outbox_messages \
                          SET status = $2, lease_until = NULL, next_attempt_at = COALESCE($3, next_attempt_at), \
                              body = CASE WHEN $5 AND holds_secret AND channel IN ('email', 'sms') THEN $4 ELSE body END \
                          WHERE id = $1";
    const EVENT: &str =
        "INSERT INTO outbox_events (message_id, status, detail, at) VALUES ($1, $2, $3, $4)";
    on_pool!(db, Access::Write, |pool| {
        let mut tx = pool.begin().await?;
        sqlx::query(UPDATE)
            .bind(id)
            .bind(Code(attempt.status()))
            .bind(attempt.next_attempt_at())
            .bind(REDACTED_BODY)
            .bind(attempt.is_final())
            .execute(&mut *tx)
            .await?;
        sqlx::query(EVENT)
            .bind(id)
            .bind(Code(attempt.step()))
            .bind(detail)
            .bind(at)
            .execute(&mut *tx)
            .await?;
        tx.commit().await
    })?;
    Ok(())
}

/// The newest messages of some channels, for the development mailbox.
pub async fn newest(
    db: &Database,
    channels: &[&str],
    limit: i64,
) -> Result<Vec<StoredMessage>, StorageError> {
    let placeholders: Vec<String> = (0..channels.len()).map(|i| format!("${}", i + 2)).collect();
    let sql = format!(
        "SELECT {COLUMNS} FROM outbox_messages WHERE channel IN ({}) ORDER BY id DESC LIMIT $1",
        placeholders.join(", ")
    );
    let rows = on_pool!(db, Access::Read, |pool| {
        let mut query = sqlx::query_as::<_, StoredMessage>(sqlx::AssertSqlSafe(sql)).bind(limit);
        for channel in channels {
            query = query.bind(*channel);
        }
        query.fetch_all(pool).await
    })?;
    Ok(rows)
}

pub async fn events(db: &Database, message_ids: &[i64]) -> Result<Vec<StoredEvent>, StorageError> {
    if message_ids.is_empty() {
        return Ok(Vec::new());
    }
    let placeholders: Vec<String> = (1..=message_ids.len()).map(|i| format!("${i}")).collect();
    let sql = format!(
        "SELECT message_id, status, detail, at FROM outbox_events WHERE message_id IN ({}) ORDER BY id",
        placeholders.join(", ")
    );
    let rows = on_pool!(db, Access::Read, |pool| {
        let mut query = sqlx::query_as::<_, StoredEvent>(sqlx::AssertSqlSafe(sql));
        for id in message_ids {
            query = query.bind(*id);
        }
        query.fetch_all(pool).await
    })?;
    Ok(rows)
}

/// An in-app notification as the «Уведомления» page needs it.
#[derive(Debug, Clone, FromRow)]
pub struct InAppMessage {
    pub id: i64,
    pub subject: String,
    pub body: String,
    pub created_at: OffsetDateTime,
    pub read_at: Option<OffsetDateTime>,
}

pub async fn in_app_for(
    db: &Database,
    account_id: i64,
    limit: i64,
) -> Result<Vec<InAppMessage>, StorageError> {
    const SQL: &str = "SELECT id, subject, body, created_at, read_at FROM outbox_messages \
                       WHERE account_id = $1 AND channel = 'in_app' AND status = 'delivered' \
                       ORDER BY id DESC LIMIT $2";
    let rows = on_pool!(db, Access::Read, |pool| {
        sqlx::query_as::<_, InAppMessage>(SQL)
            .bind(account_id)
            .bind(limit)
            .fetch_all(pool)
            .await
    })?;
    Ok(rows)
}

/// How many in-app notifications the account has not read.
pub async fn unread_count(db: &Database, account_id: i64) -> Result<i64, StorageError> {
    const SQL: &str = "SELECT COUNT(*) FROM outbox_messages \
                       WHERE account_id = $1 AND channel = 'in_app' AND status = 'delivered' \
                       AND read_at IS NULL";
    let count = on_pool!(db, Access::Read, |pool| {
        sqlx::query_scalar::<_, i64>(SQL)
            .bind(account_id)
            .fetch_one(pool)
            .await
    })?;
    Ok(count)
}

/// A message as «История уведомлений» shows it, with its newest delivery line.
#[derive(Debug, Clone, FromRow)]
pub struct HistoryRow {
    pub id: i64,
    pub channel: String,
    pub recipient: String,
    pub subject: String,
    pub body: String,
    #[sqlx(try_from = "Code<MessageStatus>")]
    pub status: MessageStatus,
    pub holds_secret: bool,
    pub resent_at: Option<OffsetDateTime>,
    pub created_at: OffsetDateTime,
    /// The newest `outbox_events` line: its step and detail.
    pub last_step: Option<String>,
    pub last_detail: Option<String>,
}

/// The account's own messages, newest first: of one channel and some statuses when given.
pub async fn history(
    db: &Database,
    account_id: i64,
    channel: Option<&str>,
    statuses: &[MessageStatus],
    limit: i64,
) -> Result<Vec<HistoryRow>, StorageError> {
    let mut sql = "SELECT m.id, m.channel, m.recipient, m.subject, m.body, m.status, \
                   m.holds_secret, m.resent_at, m.created_at, \
                   (SELECT e.status FROM outbox_events e WHERE e.message_id = m.id ORDER BY e.id DESC LIMIT 1) AS last_step, \
                   (SELECT e.detail FROM outbox_events e WHERE e.message_id = m.id ORDER BY e.id DESC LIMIT 1) AS last_detail \
                   FROM outbox_messages m WHERE m.account_id = $1"
        .to_owned();
    let mut next = 3;
    if channel.is_some() {
        sql.push_str(&format!(" AND m.channel = ${next}"));
        next += 1;
    }
    if !statuses.is_empty() {
        let marks: Vec<String> = (next..next + statuses.len())
            .map(|i| format!("${i}"))
            .collect();
        sql.push_str(&format!(" AND m.status IN ({})", marks.join(", ")));
    }
    sql.push_str(" ORDER BY m.id DESC LIMIT $2");
    let rows = on_pool!(db, Access::Read, |pool| {
        let mut query = sqlx::query_as::<_, HistoryRow>(sqlx::AssertSqlSafe(sql.clone()))
            .bind(account_id)
            .bind(limit);
        if let Some(channel) = channel {
            query = query.bind(channel);
        }
        for status in statuses {
            query = query.bind(Code(*status));
        }
        query.fetch_all(pool).await
    })?;
    Ok(rows)
}

/// Whether (and when) the account's own message was sent again; `None` when it is not theirs.
pub async fn resent_at_of(
    db: &Database,
    account_id: i64,
    id: i64,
) -> Result<Option<Option<OffsetDateTime>>, StorageError> {
    const SQL: &str = "SELECT resent_at FROM outbox_messages WHERE id = $1 AND account_id = $2";
    let row = on_pool!(db, Access::Read, |pool| {
        sqlx::query_scalar::<_, Option<OffsetDateTime>>(SQL)
            .bind(id)
            .bind(account_id)
            .fetch_optional(pool)
            .await
    })?;
    Ok(row)
}

/// «Отправить повторно», reserved once: marks the account's refused notice as sent again and
/// returns it, or `None` when it is not one (another's, not refused, a secret, already resent) —
/// so two presses at once make one new message.
pub async fn reserve_resend(
    tx: &mut Tx,
    account_id: i64,
    id: i64,
    at: OffsetDateTime,
) -> Result<Option<StoredMessage>, StorageError> {
    let sql = format!(
        "UPDATE outbox_messages SET resent_at = $3 \
         WHERE id = $1 AND account_id = $2 AND status = 'failed' AND NOT holds_secret \
         AND resent_at IS NULL RETURNING {COLUMNS}"
    );
    let row = on_tx!(tx, |conn| {
        sqlx::query_as::<_, StoredMessage>(sqlx::AssertSqlSafe(sql))
            .bind(id)
            .bind(account_id)
            .bind(at)
            .fetch_optional(conn)
            .await
    })?;
    Ok(row)
}

/// Marks read the notifications up to `up_to_id`: the ones the user was shown, not any that
/// arrived since.
pub async fn mark_read(
    db: &Database,
    account_id: i64,
    up_to_id: i64,
    at: OffsetDateTime,
) -> Result<(), StorageError> {
    const SQL: &str = "UPDATE outbox_messages SET read_at = $2 \
                       WHERE account_id = $1 AND channel = 'in_app' AND status = 'delivered' \
                       AND read_at IS NULL AND id <= $3";
    pool_execute!(db, SQL, account_id, at, up_to_id)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_attempt_decides_the_status_and_the_history_line_together() {
        let later = OffsetDateTime::UNIX_EPOCH;
        let cases = [
            (Attempt::Sent, MessageStatus::Sent, DeliveryStep::Sent, true),
            (
                Attempt::Delivered,
                MessageStatus::Delivered,
                DeliveryStep::Delivered,
                true,
            ),
            (
                Attempt::Failed,
                MessageStatus::Failed,
                DeliveryStep::Failed,
                true,
            ),
            (
                Attempt::RetryAt(later),
                MessageStatus::Queued,
                DeliveryStep::Retry,
                false,
            ),
        ];
        for (attempt, status, step, last) in cases {
            assert_eq!(
                (attempt.status(), attempt.step(), attempt.is_final()),
                (status, step, last)
            );
        }
        assert_eq!(Attempt::RetryAt(later).next_attempt_at(), Some(later));
        assert_eq!(Attempt::Sent.next_attempt_at(), None);
    }

    #[test]
    fn every_code_reads_back() {
        for status in MessageStatus::ALL {
            assert_eq!(MessageStatus::parse(status.as_str()), Some(status));
        }
        for step in DeliveryStep::ALL {
            assert_eq!(DeliveryStep::parse(step.as_str()), Some(step));
        }
        assert_eq!(MessageStatus::parse("retry"), None);
    }
}
