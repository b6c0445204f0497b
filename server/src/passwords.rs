//! Password hashing with argon2id at OWASP's parameters (m = 19 MiB, t = 2, p = 1).
//!
//! Each hash costs tens of milliseconds of one core and 19 MiB of memory, so hashing runs on the
//! blocking pool behind a semaphore with one permit per core: a burst of sign-ins queues briefly
//! and is then refused with 429 instead of starving every other request or exhausting memory.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use argon2::password_hash::{PasswordHash, PasswordHasher as _, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use tokio::sync::Semaphore;

#[derive(Debug, thiserror::Error)]
pub enum HashError {
    /// Every permit stayed taken for the whole wait: the caller answers 429.
    #[error("password hashing is saturated")]
    Busy,
    #[error("password hashing failed: {0}")]
    Failed(String),
}

pub const MEMORY_KIB: u32 = 19 * 1024;
pub const ITERATIONS: u32 = 2;
pub const PARALLELISM: u32 = 1;

#[derive(Clone)]
pub struct PasswordHasher {
    permits: Arc<Semaphore>,
    /// How long a request may wait for a permit before it is refused.
    max_wait: Duration,
    /// Verified when no account matches, so "no such account" takes as long as "wrong password".
    dummy_hash: Arc<str>,
    /// How many argon2 computations this hasher has run: tests prove a path costs none.
    computed: Arc<AtomicU64>,
}

fn argon2() -> Argon2<'static> {
    let params = Params::new(MEMORY_KIB, ITERATIONS, PARALLELISM, None)
        .expect("OWASP argon2id parameters are valid");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

fn hash_now(password: &str) -> Result<String, HashError> {
    let salt_bytes: [u8; 16] = rand::random();
    let salt = SaltString::encode_b64(&salt_bytes).map_err(|e| HashError::Failed(e.to_string()))?;
    argon2()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| HashError::Failed(e.to_string()))
}

fn verify_now(hash: &str, password: &str) -> Result<bool, HashError> {
    let parsed = PasswordHash::new(hash).map_err(|e| HashError::Failed(e.to_string()))?;
    Ok(argon2()
        .verify_password(password.as_bytes(), &parsed)
        .is_ok())
}

impl PasswordHasher {
    /// One permit per core unless told otherwise.
    pub fn new(permits: Option<usize>, max_wait: Duration) -> Self {
        let permits = permits
            .or_else(|| std::thread::available_parallelism().ok().map(|n| n.get()))
            .unwrap_or(1)
            .max(1);
        let dummy_hash = hash_now("dummy-password-for-timing")
            .expect("hashing a constant cannot fail")
            .into();
        Self {
            permits: Arc::new(Semaphore::new(permits)),
            max_wait,
            dummy_hash,
            computed: Arc::new(AtomicU64::new(0)),
        }
    }

    async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> Result<T, HashError> + Send + 'static,
    ) -> Result<T, HashError> {
        let permit = tokio::time::timeout(self.max_wait, self.permits.clone().acquire_owned())
            .await
            .map_err(|_| HashError::Busy)?
            .map_err(|_| HashError::Busy)?;
        self.computed.fetch_add(1, Ordering::Relaxed);
        tokio::task::spawn_blocking(move || {
            let _permit = permit;
            work()
        })
        .await
        .map_err(|e| HashError::Failed(e.to_string()))?
    }

    /// argon2 computations so far (hashes and verifications).
    pub fn computations(&self) -> u64 {
        self.computed.load(Ordering::Relaxed)
    }

    pub async fn hash(&self, password: &str) -> Result<String, HashError> {
        let password = password.to_owned();
        self.run(move || hash_now(&password)).await
    }

    pub async fn verify(&self, hash: &str, password: &str) -> Result<bool, HashError> {
        let (hash, password) = (hash.to_owned(), password.to_owned());
        self.run(move || verify_now(&hash, &password)).await
    }

    /// Spends the time of one verification and always fails.
    pub async fn verify_nothing(&self, password: &str) -> Result<bool, HashError> {
        let hash = self.dummy_hash.clone();
        self.verify(&hash, password).await.map(|_| false)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hashes_verify_and_use_the_owasp_parameters() {
        let hasher = PasswordHasher::new(Some(1), Duration::from_secs(10));
        let hash = hasher.hash("Kozlik-2026").await.unwrap();
        assert!(
            hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{hash}"
        );
        assert!(hasher.verify(&hash, "Kozlik-2026").await.unwrap());
        assert!(!hasher.verify(&hash, "kozlik-2026").await.unwrap());
        assert!(!hasher.verify_nothing("Kozlik-2026").await.unwrap());
    }

    #[tokio::test]
    async fn refuses_when_every_permit_stays_taken() {
        let hasher = PasswordHasher::new(Some(1), Duration::from_millis(10));
        let held = hasher.permits.clone().acquire_owned().await.unwrap();
        assert!(matches!(hasher.hash("x").await, Err(HashError::Busy)));
        drop(held);
        assert!(hasher.hash("x").await.is_ok());
    }
}
