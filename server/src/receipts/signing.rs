//! The receipts' signature: Ed25519 over one fixed text that names everything a receipt asserts
//! without personal data (its number, kind, time of issue, non-personal facts) and the SHA-256 of
//! its whole content. The key comes from configuration (`RECEIPT_SIGNING_KEY`, the base64 of a
//! 32-byte seed); its public half is published at `/receipts/public-key.pem`.

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use ed25519_dalek::pkcs8::EncodePublicKey;
use ed25519_dalek::pkcs8::spki::der::pem::LineEnding;
use ed25519_dalek::{Signature, Signer, SigningKey, VerifyingKey};
use sha2::{Digest, Sha256};

use crate::secret_box::key_from_base64;

/// DEVELOPMENT ONLY. Without `RECEIPT_SIGNING_KEY` a development server derives its key from this
/// public constant, so anyone can forge its receipts: production mode refuses to start without a
/// key of its own.
const DEVELOPMENT_SEED: &str =
    "family-portal: development-only receipt signing key, public, never in production";

/// The first line of every signed text: a change of layout gets a new version, never a silently
/// different meaning.
const FORMAT: &str = "family-portal receipt v1";

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SigningKeyError {
    #[error("the key must be the base64 of exactly 32 bytes (an Ed25519 seed)")]
    BadKey,
}

/// What a receipt's signature covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedFacts {
    pub number: String,
    /// The kind's stored code (`consent`, `application`).
    pub kind: &'static str,
    /// RFC 3339, UTC, whole seconds.
    pub issued_at: String,
    /// The non-personal facts as stored (JSON of label–value pairs).
    pub facts: String,
    /// SHA-256 (hex) of the receipt's whole content, personal data included.
    pub content_sha256: String,
}

impl SignedFacts {
    /// One field per line, in a fixed order; no field holds a line break (the facts are JSON).
    pub fn message(&self) -> String {
        format!(
            "{FORMAT}\nnumber: {}\nkind: {}\nissued_at: {}\nfacts: {}\ncontent_sha256: {}\n",
            self.number, self.kind, self.issued_at, self.facts, self.content_sha256
        )
    }
}

/// The server's receipt key. Cheap to clone; the secret never appears in `Debug`.
#[derive(Clone)]
pub struct ReceiptSigner {
    key: SigningKey,
}

impl std::fmt::Debug for ReceiptSigner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ReceiptSigner(public {})", self.public_key_base64())
    }
}

impl ReceiptSigner {
    pub fn new(seed: [u8; 32]) -> Self {
        Self {
            key: SigningKey::from_bytes(&seed),
        }
    }

    /// From the base64 (standard alphabet, padding optional) of the 32-byte seed.
    pub fn from_base64(text: &str) -> Result<Self, SigningKeyError> {
        key_from_base64(text)
            .map(Self::new)
            .ok_or(SigningKeyError::BadKey)
    }

    /// DEVELOPMENT ONLY: the fixed key a development server signs with.
    pub fn development() -> Self {
        Self::new(Sha256::digest(DEVELOPMENT_SEED.as_bytes()).into())
    }

    /// The signature, as printed on the receipt and carried by its QR code: unpadded base64url.
    pub fn sign(&self, facts: &SignedFacts) -> String {
        URL_SAFE_NO_PAD.encode(self.key.sign(facts.message().as_bytes()).to_bytes())
    }

    /// Whether `signature` is this key's over exactly these facts. Strict verification: no
    /// malleable second form of a valid signature is accepted.
    pub fn verify(&self, facts: &SignedFacts, signature: &str) -> bool {
        verify_with(&self.key.verifying_key(), facts, signature)
    }

    /// The public key as PEM (SubjectPublicKeyInfo), as `openssl pkeyutl -verify` reads it.
    pub fn public_key_pem(&self) -> String {
        self.key
            .verifying_key()
            .to_public_key_pem(LineEnding::LF)
            // Encoding a 32-byte key into a fixed structure cannot fail.
            .expect("an Ed25519 public key encodes as PEM")
    }

    fn public_key_base64(&self) -> String {
        STANDARD.encode(self.key.verifying_key().to_bytes())
    }
}

fn verify_with(key: &VerifyingKey, facts: &SignedFacts, signature: &str) -> bool {
    let Ok(bytes) = URL_SAFE_NO_PAD.decode(signature) else {
        return false;
    };
    let Ok(bytes) = <[u8; 64]>::try_from(bytes) else {
        return false;
    };
    key.verify_strict(facts.message().as_bytes(), &Signature::from_bytes(&bytes))
        .is_ok()
}

/// SHA-256 in lowercase hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::engine::general_purpose::STANDARD_NO_PAD;
    use proptest::prelude::*;

    fn facts(number: &str, content: &str) -> SignedFacts {
        SignedFacts {
            number: number.into(),
            kind: "consent",
            issued_at: "2026-12-03T07:00:00Z".into(),
            facts: r#"[["Состояние","Согласие дано"]]"#.into(),
            content_sha256: content.into(),
        }
    }

    #[test]
    fn a_signature_verifies_and_is_86_characters() {
        let signer = ReceiptSigner::development();
        let signed = facts("C-2026-0000001", "ab");
        let signature = signer.sign(&signed);
        assert_eq!(signature.len(), 86);
        assert!(signer.verify(&signed, &signature));
        // Deterministic: the same receipt always carries the same signature.
        assert_eq!(signer.sign(&signed), signature);
    }

    #[test]
    fn another_key_or_other_facts_do_not_verify() {
        let signer = ReceiptSigner::development();
        let signed = facts("C-2026-0000001", "ab");
        let signature = signer.sign(&signed);
        assert!(!ReceiptSigner::new([7; 32]).verify(&signed, &signature));
        assert!(!signer.verify(&facts("C-2026-0000002", "ab"), &signature));
        assert!(!signer.verify(&facts("C-2026-0000001", "ac"), &signature));
        assert!(!signer.verify(&signed, "not base64 at all"));
        assert!(!signer.verify(&signed, &signature[..85]));
    }

    #[test]
    fn keys_are_read_from_base64_of_32_bytes_only() {
        assert!(ReceiptSigner::from_base64(&STANDARD.encode([1u8; 32])).is_ok());
        assert!(ReceiptSigner::from_base64(&STANDARD_NO_PAD.encode([1u8; 32])).is_ok());
        assert_eq!(
            ReceiptSigner::from_base64(&STANDARD.encode([1u8; 16])).unwrap_err(),
            SigningKeyError::BadKey
        );
        assert!(ReceiptSigner::from_base64("ключ").is_err());
        // The secret stays out of logs.
        let shown = format!("{:?}", ReceiptSigner::new([9; 32]));
        assert!(!shown.contains(&STANDARD.encode([9u8; 32])), "{shown}");
    }

    #[test]
    fn the_public_key_is_a_pem_of_the_spki() {
        let pem = ReceiptSigner::development().public_key_pem();
        assert!(pem.starts_with("-----BEGIN PUBLIC KEY-----\n"), "{pem}");
        assert!(
            pem.trim_end().ends_with("-----END PUBLIC KEY-----"),
            "{pem}"
        );
    }

    proptest! {
        /// Flipping any one bit of a signature makes it fail.
        #[test]
        fn a_tampered_signature_fails(byte in 0usize..64, bit in 0u8..8) {
            let signer = ReceiptSigner::development();
            let signed = facts("A-2026-0000042", "0123");
            let mut raw = URL_SAFE_NO_PAD.decode(signer.sign(&signed)).unwrap();
            raw[byte] ^= 1 << bit;
            prop_assert!(!signer.verify(&signed, &URL_SAFE_NO_PAD.encode(raw)));
        }
    }
}
