//! The accounts service behind `app::account`: registration, contact confirmation, sign-in and
//! sessions. Each flow file implements its own trait from `app::account` (registration.rs
//! implements `RegistrationService`, sign_in.rs `SignInService`, …) on [`AccountService`].

mod challenge;
mod contact_change;
mod contacts;
pub mod identity;
mod letters;
mod notifications;
mod profile;
mod reauth;
mod recovery;
mod registration;
mod second_factor;
mod sessions;
pub mod sign_in;

use std::sync::Arc;

use app::api::ServiceError;

use crate::clock::Clock;
use crate::db::Database;
use crate::outbox::Outbox;
use crate::passwords::{HashError, PasswordHasher};
use crate::secret_box::SecretBox;

pub(crate) use contacts::wrong_phone_code;
pub use sessions::{ABSOLUTE_TIMEOUT, IDLE_TIMEOUT};

pub struct AccountService {
    pub db: Database,
    pub clock: Arc<dyn Clock>,
    pub hasher: PasswordHasher,
    /// Seals authenticator secrets before they are stored and opens them when read.
    pub totp_box: SecretBox,
    pub outbox: Outbox,
    /// `https://portal.example.ru`: where links in e-mails point.
    pub public_url: String,
}

impl From<HashError> for ServiceError {
    fn from(err: HashError) -> Self {
        match err {
            // The hashing pool stayed full: ask the client to come back in a moment.
            HashError::Busy => ServiceError::Throttled {
                retry_after_seconds: 1,
            },
            HashError::Failed(e) => ServiceError::unexpected(e),
        }
    }
}
