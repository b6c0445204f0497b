//! Secrets the server must read back (authenticator secrets), sealed at rest with a server key
//! from configuration (`TOTP_KEY`): a copy of the database alone does not let anyone compute a
//! user's codes.
//!
//! XChaCha20-Poly1305 with a random 24-byte nonce per value; the stored form is `v1:` and the
//! base64 of nonce ‖ ciphertext (with its tag). A value changed in the database or sealed with
//! another key does not open: that is an error, never a silent default.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use chacha20poly1305::aead::{Aead, KeyInit};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use rand::Rng;
use sha2::{Digest, Sha256};

/// Marks a sealed value and its format; plain (legacy) values never start with it (base32).
pub const PREFIX: &str = "v1:";
const NONCE_LEN: usize = 24;
pub const KEY_LEN: usize = 32;

/// DEVELOPMENT ONLY. Without `TOTP_KEY` a development server derives its key from this public
/// constant so that `./data` keeps working across restarts. Anyone can derive it: production
/// mode refuses to start without a key of its own.
const DEVELOPMENT_KEY_SEED: &str =
    "family-portal: development-only TOTP key, public, never in production";

/// A server key from configuration: the base64 (standard alphabet, padding optional) of exactly
/// 32 bytes, as `TOTP_KEY` and `RECEIPT_SIGNING_KEY` hold.
pub fn key_from_base64(text: &str) -> Option<[u8; KEY_LEN]> {
    let text = text.trim();
    let bytes = STANDARD
        .decode(text)
        .or_else(|_| base64::engine::general_purpose::STANDARD_NO_PAD.decode(text))
        .ok()?;
    bytes.try_into().ok()
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SecretError {
    #[error("not a sealed value (no {PREFIX} prefix)")]
    NotSealed,
    #[error("sealed value is not valid base64 or too short")]
    Malformed,
    #[error("sealed value does not open with this key (changed, or sealed with another key)")]
    WrongKeyOrTampered,
    #[error("opened value is not UTF-8")]
    NotText,
    #[error("the key must be the base64 of exactly {KEY_LEN} bytes")]
    BadKey,
}

/// Seals and opens values with one 32-byte key. Cheap to clone; the key never appears in `Debug`.
#[derive(Clone)]
pub struct SecretBox {
    cipher: XChaCha20Poly1305,
}

impl std::fmt::Debug for SecretBox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretBox(..)")
    }
}

impl SecretBox {
    pub fn new(key: [u8; KEY_LEN]) -> Self {
        Self {
            cipher: XChaCha20Poly1305::new(&key.into()),
        }
    }

    /// From the base64 (standard alphabet, padding optional) of 32 bytes, as `TOTP_KEY` holds.
    pub fn from_base64(text: &str) -> Result<Self, SecretError> {
        key_from_base64(text)
            .map(Self::new)
            .ok_or(SecretError::BadKey)
    }

    /// DEVELOPMENT ONLY: the fixed key a development server uses without `TOTP_KEY`.
    pub fn development() -> Self {
        Self::new(Sha256::digest(DEVELOPMENT_KEY_SEED.as_bytes()).into())
    }

    pub fn seal(&self, plain: &str) -> String {
        let nonce: [u8; NONCE_LEN] = rand::rng().random();
        let sealed = self
            .cipher
            .encrypt(&XNonce::from(nonce), plain.as_bytes())
            // Encryption fails only for inputs of gigabytes.
            .expect("XChaCha20-Poly1305 encrypts a short value");
        let mut out = Vec::with_capacity(NONCE_LEN + sealed.len());
        out.extend_from_slice(&nonce);
        out.extend_from_slice(&sealed);
        format!("{PREFIX}{}", STANDARD.encode(out))
    }

    pub fn open(&self, stored: &str) -> Result<String, SecretError> {
        let body = stored.strip_prefix(PREFIX).ok_or(SecretError::NotSealed)?;
        let bytes = STANDARD.decode(body).map_err(|_| SecretError::Malformed)?;
        if bytes.len() < NONCE_LEN {
            return Err(SecretError::Malformed);
        }
        let (nonce, sealed) = bytes.split_at(NONCE_LEN);
        let nonce: [u8; NONCE_LEN] = nonce.try_into().map_err(|_| SecretError::Malformed)?;
        let plain = self
            .cipher
            .decrypt(&XNonce::from(nonce), sealed)
            .map_err(|_| SecretError::WrongKeyOrTampered)?;
        String::from_utf8(plain).map_err(|_| SecretError::NotText)
    }

    pub fn is_sealed(stored: &str) -> bool {
        stored.starts_with(PREFIX)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";

    #[test]
    fn seal_and_open_round_trip() {
        let key = SecretBox::new([7; KEY_LEN]);
        let sealed = key.seal(SECRET);
        assert!(sealed.starts_with(PREFIX));
        assert!(!sealed.contains(SECRET));
        assert_eq!(key.open(&sealed).as_deref(), Ok(SECRET));
        // A fresh nonce each time: the same secret never seals to the same text.
        assert_ne!(key.seal(SECRET), sealed);
    }

    #[test]
    fn a_tampered_value_does_not_open() {
        let key = SecretBox::new([7; KEY_LEN]);
        let sealed = key.seal(SECRET);
        let mut bytes = STANDARD.decode(&sealed[PREFIX.len()..]).unwrap();
        let last = bytes.len() - 1;
        bytes[last] ^= 1;
        let tampered = format!("{PREFIX}{}", STANDARD.encode(&bytes));
        assert_eq!(key.open(&tampered), Err(SecretError::WrongKeyOrTampered));
        assert_eq!(key.open("v1:!!!"), Err(SecretError::Malformed));
        assert_eq!(key.open("v1:AAAA"), Err(SecretError::Malformed));
        assert_eq!(key.open(SECRET), Err(SecretError::NotSealed));
    }

    #[test]
    fn another_key_does_not_open() {
        let sealed = SecretBox::new([7; KEY_LEN]).seal(SECRET);
        assert_eq!(
            SecretBox::new([8; KEY_LEN]).open(&sealed),
            Err(SecretError::WrongKeyOrTampered)
        );
        assert_eq!(
            SecretBox::development().open(&sealed),
            Err(SecretError::WrongKeyOrTampered)
        );
    }

    #[test]
    fn keys_are_base64_of_32_bytes() {
        let text = STANDARD.encode([9u8; KEY_LEN]);
        let key = SecretBox::from_base64(&text).unwrap();
        assert_eq!(
            SecretBox::new([9; KEY_LEN]).open(&key.seal("x")).as_deref(),
            Ok("x")
        );
        assert!(SecretBox::from_base64(&STANDARD.encode([9u8; 16])).is_err());
        assert!(SecretBox::from_base64("not base64 at all").is_err());
        assert!(SecretBox::from_base64("").is_err());
    }
}
