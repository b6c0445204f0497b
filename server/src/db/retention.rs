//! The purges of the nightly retention sweep: rows past their use, removed so no table grows
//! without bound. Each statement returns how many rows it removed.

use time::OffsetDateTime;

use super::{Database, StorageError};
use crate::pool_execute;

/// Sessions that can never be used again: ended, past the absolute limit, or idle since
/// `idle_since`.
pub async fn dead_sessions(
    db: &Database,
    now: OffsetDateTime,
    idle_since: OffsetDateTime,
) -> Result<u64, StorageError> {
    const SQL: &str = "DELETE FROM sessions \
                       WHERE ended_at IS NOT NULL OR expires_at <= $1 OR last_seen_at <= $2";
    Ok(pool_execute!(db, SQL, now, idle_since)?)
}

/// Failed sign-ins older than any throttling window looks back.
pub async fn sign_in_failures_before(
    db: &Database,
    before: OffsetDateTime,
) -> Result<u64, StorageError> {
    Ok(pool_execute!(
        db,
        "DELETE FROM sign_in_failures WHERE at < $1",
        before
    )?)
}

/// E-mails, SMS and pushes that reached a final state before `before` (a secret's text went at
/// delivery; the history of a message is kept a while for support). In-app notifications are the
/// user's own and stay.
pub async fn sent_messages_before(
    db: &Database,
    before: OffsetDateTime,
) -> Result<u64, StorageError> {
    const SQL: &str = "DELETE FROM outbox_messages \
                       WHERE channel IN ('email', 'sms', 'push') \
                       AND status IN ('sent', 'delivered', 'failed') AND created_at < $1";
    Ok(pool_execute!(db, SQL, before)?)
}

/// Devices not seen since `before`: past that a sign-in from one asks the second factor again.
pub async fn known_devices_not_seen_since(
    db: &Database,
    before: OffsetDateTime,
) -> Result<u64, StorageError> {
    Ok(pool_execute!(
        db,
        "DELETE FROM known_devices WHERE last_seen_at < $1",
        before
    )?)
}

/// One-time secrets (e-mail links, SMS codes, second-step challenges, link codes) that expired
/// before `before`. A link opened after that says it is not valid, as an expired one does.
pub async fn expired_secrets_before(
    db: &Database,
    before: OffsetDateTime,
) -> Result<u64, StorageError> {
    let mut removed = 0;
    for sql in [
        "DELETE FROM email_links WHERE expires_at < $1",
        "DELETE FROM phone_codes WHERE expires_at < $1",
        "DELETE FROM sign_in_challenges WHERE expires_at < $1",
        "DELETE FROM link_codes WHERE expires_at < $1",
    ] {
        removed += pool_execute!(db, sql, before)?;
    }
    Ok(removed)
}

/// Jobs that finished before `before`; dead ones stay for an operator.
pub async fn done_jobs_before(db: &Database, before: OffsetDateTime) -> Result<u64, StorageError> {
    const SQL: &str = "DELETE FROM jobs WHERE status = 'done' AND finished_at < $1";
    Ok(pool_execute!(db, SQL, before)?)
}

/// Application drafts nobody saved since `before` (an application once sent stays).
pub async fn drafts_untouched_since(
    db: &Database,
    before: OffsetDateTime,
) -> Result<u64, StorageError> {
    const SQL: &str = "DELETE FROM application_drafts WHERE updated_at < $1";
    Ok(pool_execute!(db, SQL, before)?)
}

/// Citizens' registrations begun before `before` and never finished (the contacts were not both
/// confirmed), whose identity no one confirmed (level «упрощённая»), and that hold nothing of a
/// family: no child's card, no link to a minor. Removing the
/// account frees its СНИЛС, e-mail and phone; its sessions, codes and links go with it (ON DELETE
/// CASCADE).
pub async fn unfinished_registrations_before(
    db: &Database,
    before: OffsetDateTime,
) -> Result<u64, StorageError> {
    const SQL: &str = "DELETE FROM accounts \
                       WHERE role = 'citizen' AND level = 'simplified' AND registered_at IS NULL \
                       AND created_at < $1 \
                       AND NOT EXISTS (SELECT 1 FROM children c WHERE c.parent_account_id = accounts.id) \
                       AND NOT EXISTS (SELECT 1 FROM guardianships g \
                           WHERE g.parent_account_id = accounts.id OR g.minor_account_id = accounts.id)";
    Ok(pool_execute!(db, SQL, before)?)
}

/// Marks of reminders sent before `before`: nothing asks about them any more.
pub async fn sent_reminders_before(
    db: &Database,
    before: OffsetDateTime,
) -> Result<u64, StorageError> {
    Ok(pool_execute!(
        db,
        "DELETE FROM sent_reminders WHERE sent_at < $1",
        before
    )?)
}

/// The minors' counts of service uses of days before `before` (a Moscow day): only today's is
/// ever read.
pub async fn service_day_counts_before(
    db: &Database,
    before: time::Date,
) -> Result<u64, StorageError> {
    Ok(pool_execute!(
        db,
        "DELETE FROM service_day_counts WHERE day < $1",
        before.to_string()
    )?)
}
