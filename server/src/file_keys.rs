//! Per-child keys for the files stored about a child, so that deleting a child's data reaches the
//! copies of the document store too (crypto-shredding). Each child's card has one random 32-byte
//! key, kept in `child_file_keys` sealed by the server key (`SecretBox`); a file about the child is
//! stored as `FPK1` + a random 24-byte nonce + XChaCha20-Poly1305 ciphertext under that key.
//! Deleting the child's data deletes the key row: every copy of the file, in the store and in its
//! backups, is noise from then on. Files stored before keys existed have no `FPK1` prefix and are
//! read as they are.

use chacha20poly1305::aead::{Aead, KeyInit};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use rand::Rng;

use crate::db::{Access, Database, StorageError, Tx};
use crate::secret_box::SecretBox;
use crate::{on_pool, on_tx, tx_execute};

const MAGIC: &[u8; 4] = b"FPK1";
const NONCE: usize = 24;

#[derive(Debug, thiserror::Error)]
pub enum FileKeyError {
    #[error(transparent)]
    Storage(#[from] StorageError),
    /// The child's key is gone (their data was deleted) or does not open the file.
    #[error("the file cannot be opened: its key is gone or does not fit")]
    Unreadable,
}

impl From<FileKeyError> for app::api::ServiceError {
    fn from(error: FileKeyError) -> Self {
        app::api::ServiceError::unexpected(error)
    }
}

#[derive(Clone)]
pub struct FileKeys {
    pub db: Database,
    pub sealer: SecretBox,
}

fn encode(key: &[u8; 32]) -> String {
    key.iter().map(|b| format!("{b:02x}")).collect()
}

fn decode(text: &str) -> Option<[u8; 32]> {
    let bytes: Vec<u8> = (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok())
        .collect::<Option<_>>()?;
    bytes.try_into().ok()
}

impl FileKeys {
    /// The child's key, made the first time it is needed.
    async fn key_for(&self, child: i64) -> Result<[u8; 32], FileKeyError> {
        if let Some(key) = self.stored_key(child).await? {
            return Ok(key);
        }
        let fresh: [u8; 32] = rand::rng().random();
        let sealed = self.sealer.seal(&encode(&fresh));
        crate::pool_execute!(
            &self.db,
            "INSERT INTO child_file_keys (child_id, sealed_key) VALUES ($1, $2) \
             ON CONFLICT (child_id) DO NOTHING",
            child,
            sealed
        )
        .map_err(StorageError::from)?;
        // Another upload may have made it first: the stored one is the key.
        self.stored_key(child)
            .await?
            .ok_or(FileKeyError::Unreadable)
    }

    async fn stored_key(&self, child: i64) -> Result<Option<[u8; 32]>, FileKeyError> {
        const SQL: &str = "SELECT sealed_key FROM child_file_keys WHERE child_id = $1";
        let sealed = on_pool!(&self.db, Access::Read, |pool| {
            sqlx::query_scalar::<_, String>(SQL)
                .bind(child)
                .fetch_optional(pool)
                .await
        })
        .map_err(StorageError::from)?;
        match sealed {
            None => Ok(None),
            Some(sealed) => {
                let plain = self
                    .sealer
                    .open(&sealed)
                    .map_err(|_| FileKeyError::Unreadable)?;
                decode(&plain).map(Some).ok_or(FileKeyError::Unreadable)
            }
        }
    }

    /// The file as it is stored for `child`.
    pub async fn seal(&self, child: i64, plain: &[u8]) -> Result<Vec<u8>, FileKeyError> {
        let key = self.key_for(child).await?;
        let nonce: [u8; NONCE] = rand::rng().random();
        let cipher = XChaCha20Poly1305::new(&key.into());
        let sealed = cipher
            .encrypt(&XNonce::from(nonce), plain)
            .map_err(|_| FileKeyError::Unreadable)?;
        let mut out = Vec::with_capacity(MAGIC.len() + NONCE + sealed.len());
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&nonce);
        out.extend_from_slice(&sealed);
        Ok(out)
    }

    /// The file's bytes: opened with the child's key when it was sealed, as stored otherwise.
    pub async fn open(&self, child: Option<i64>, stored: Vec<u8>) -> Result<Vec<u8>, FileKeyError> {
        if !stored.starts_with(MAGIC) {
            return Ok(stored);
        }
        let child = child.ok_or(FileKeyError::Unreadable)?;
        let key = self
            .stored_key(child)
            .await?
            .ok_or(FileKeyError::Unreadable)?;
        let body = &stored[MAGIC.len()..];
        if body.len() < NONCE {
            return Err(FileKeyError::Unreadable);
        }
        let (nonce, sealed) = body.split_at(NONCE);
        let nonce: [u8; NONCE] = nonce.try_into().map_err(|_| FileKeyError::Unreadable)?;
        XChaCha20Poly1305::new(&key.into())
            .decrypt(&XNonce::from(nonce), sealed)
            .map_err(|_| FileKeyError::Unreadable)
    }

    /// Destroys the child's key inside the deleting transaction.
    pub async fn destroy(tx: &mut Tx, child: i64) -> Result<u64, StorageError> {
        Ok(tx_execute!(
            tx,
            "DELETE FROM child_file_keys WHERE child_id = $1",
            child
        )?)
    }

    /// Whether the child has a key (for tests and the deletion's count).
    pub async fn exists(tx: &mut Tx, child: i64) -> Result<bool, StorageError> {
        let n = on_tx!(tx, |conn| {
            sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM child_file_keys WHERE child_id = $1")
                .bind(child)
                .fetch_one(conn)
                .await
        })?;
        Ok(n > 0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_read_back_from_their_text() {
        let key = [7u8; 32];
        assert_eq!(decode(&encode(&key)), Some(key));
        assert_eq!(decode("zz"), None);
    }
}
