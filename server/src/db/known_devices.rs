//! Devices that signed in to an account before, by the SHA-256 of their `portal_device` cookie.

use time::OffsetDateTime;

use super::{Access, Database, StorageError, Tx};
use crate::{on_pool, tx_execute};

pub async fn is_known(
    db: &Database,
    account_id: i64,
    token_hash: &str,
) -> Result<bool, StorageError> {
    const SQL: &str =
        "SELECT COUNT(*) FROM known_devices WHERE account_id = $1 AND token_hash = $2";
    let count = on_pool!(db, Access::Read, |pool| {
        sqlx::query_scalar::<_, i64>(SQL)
            .bind(account_id)
            .bind(token_hash)
            .fetch_one(pool)
            .await
    })?;
    Ok(count > 0)
}

/// How many devices an account keeps: the most recently seen. Enough for a family's phones and
/// computers; a device pushed out only asks for the second factor again.
pub const KEPT_PER_ACCOUNT: i64 = 20;

/// Remembers the device after a complete sign-in (both factors), and forgets the account's
/// least recently seen ones past [`KEPT_PER_ACCOUNT`].
pub async fn remember(
    tx: &mut Tx,
    account_id: i64,
    token_hash: &str,
    at: OffsetDateTime,
) -> Result<(), StorageError> {
    const SQL: &str = "INSERT INTO known_devices (account_id, token_hash, created_at, last_seen_at) \
                       VALUES ($1, $2, $3, $3) \
                       ON CONFLICT (account_id, token_hash) DO UPDATE SET last_seen_at = $3";
    const FORGET: &str = "DELETE FROM known_devices WHERE account_id = $1 AND id NOT IN \
                          (SELECT id FROM known_devices WHERE account_id = $1 \
                           ORDER BY last_seen_at DESC, id DESC LIMIT $2)";
    tx_execute!(tx, SQL, account_id, token_hash, at)?;
    tx_execute!(tx, FORGET, account_id, KEPT_PER_ACCOUNT)?;
    Ok(())
}
