//! Reminders and summaries already sent, one row per person and thing, so a sweep that runs
//! twice (or in two processes) tells nobody twice.

use time::OffsetDateTime;

use super::{StorageError, Tx};
use crate::tx_execute;

/// Marks `about` sent to the account in the transaction that writes the message; `false` when
/// it was sent before.
pub async fn mark(
    tx: &mut Tx,
    account: i64,
    about: &str,
    at: OffsetDateTime,
) -> Result<bool, StorageError> {
    let inserted = tx_execute!(
        tx,
        "INSERT INTO sent_reminders (account_id, about, sent_at) VALUES ($1, $2, $3) \
         ON CONFLICT (account_id, about) DO NOTHING",
        account,
        about,
        at
    )?;
    Ok(inserted == 1)
}
