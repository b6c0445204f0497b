//! Random secrets handed to users (session tokens, link tokens, SMS codes) and the hashes kept
//! instead of them.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::Rng;
use sha2::{Digest, Sha256};

/// A 256-bit random token, URL-safe, and its hash for storage.
pub fn new_token() -> (String, String) {
    let bytes: [u8; 32] = rand::rng().random();
    let token = URL_SAFE_NO_PAD.encode(bytes);
    let hash = hash_token(&token);
    (token, hash)
}

/// SHA-256 is enough for tokens: they carry 256 bits of entropy, so there is nothing to guess.
pub fn hash_token(token: &str) -> String {
    let digest = Sha256::digest(token.as_bytes());
    URL_SAFE_NO_PAD.encode(digest)
}

/// A six-digit SMS code, every value equally likely (leading zeros included).
pub fn new_code() -> String {
    format!("{:06}", rand::rng().random_range(0..1_000_000u32))
}

/// A code has only a million values, so its hash is bound to the account: a leaked table of
/// hashes cannot be matched against one precomputed list. (Codes also expire in minutes.)
pub fn hash_code(account_id: i64, code: &str) -> String {
    hash_token(&format!("{account_id}:{code}"))
}

/// Compares two hashes in time independent of where they differ.
pub fn same_hash(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_unique_and_hash_consistently() {
        let (a, hash_a) = new_token();
        let (b, _) = new_token();
        assert_ne!(a, b);
        assert_eq!(a.len(), 43);
        assert_eq!(hash_token(&a), hash_a);
        assert_ne!(hash_a, a);
    }

    #[test]
    fn codes_have_six_digits() {
        for _ in 0..1000 {
            let code = new_code();
            assert_eq!(code.len(), 6);
            assert!(code.bytes().all(|b| b.is_ascii_digit()));
        }
    }

    #[test]
    fn code_hashes_depend_on_the_account() {
        assert_ne!(hash_code(1, "123456"), hash_code(2, "123456"));
        assert!(same_hash(&hash_code(1, "123456"), &hash_code(1, "123456")));
        assert!(!same_hash(&hash_code(1, "123456"), &hash_code(1, "123457")));
    }
}
