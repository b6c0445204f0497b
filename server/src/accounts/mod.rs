//! The accounts service behind `app::account`: registration, contact confirmation, sign-in and
//! sessions. Each flow lives in its own file as methods of [`AccountService`]; this file wires
//! them to the [`Accounts`] trait the server functions call.

mod challenge;
mod contact_change;
mod contacts;
pub mod identity;
mod letters;
mod profile;
mod reauth;
mod recovery;
mod registration;
mod second_factor;
mod sessions;
pub mod sign_in;

use std::sync::Arc;

use app::account::second_factor::{FactorCode, TotpSetup};
use app::account::{
    ContactStatus, PhoneCodeState, Profile, RecoveryChannel, Registration, SessionInfo,
};
use app::api::services::{
    Accounts, ClientInfo, NewSession, ServiceError, SignInResult, SignedInAccount,
};
use app::domain::{Email, Passport, Password, Phone};
use app::notifications::Notification;

use crate::clock::Clock;
use crate::db::{Database, accounts};
use crate::outbox::Outbox;
use crate::passwords::{HashError, PasswordHasher};
use crate::secret_box::SecretBox;

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

#[async_trait::async_trait]
impl Accounts for AccountService {
    async fn register(
        &self,
        registration: Registration,
        client: &ClientInfo,
    ) -> Result<NewSession, ServiceError> {
        AccountService::register(self, registration, client).await
    }

    async fn sign_in(
        &self,
        login: &str,
        password: &str,
        client: &ClientInfo,
    ) -> Result<SignInResult, ServiceError> {
        AccountService::sign_in(self, login, password, client).await
    }

    async fn complete_sign_in(
        &self,
        challenge: &str,
        code: FactorCode,
        client: &ClientInfo,
    ) -> Result<NewSession, ServiceError> {
        AccountService::complete_sign_in(self, challenge, code, client).await
    }

    async fn begin_totp(&self, account: &SignedInAccount) -> Result<TotpSetup, ServiceError> {
        AccountService::begin_totp(self, account).await
    }

    async fn confirm_totp(
        &self,
        account: &SignedInAccount,
        code: &str,
        client: &ClientInfo,
    ) -> Result<(Vec<String>, NewSession), ServiceError> {
        AccountService::confirm_totp(self, account, code, client).await
    }

    async fn enable_sms_factor(
        &self,
        account: &SignedInAccount,
        password: &str,
        client: &ClientInfo,
    ) -> Result<(Vec<String>, NewSession), ServiceError> {
        AccountService::enable_sms_factor(self, account, password, client).await
    }

    async fn disable_second_factor(
        &self,
        account: &SignedInAccount,
        password: &str,
        client: &ClientInfo,
    ) -> Result<NewSession, ServiceError> {
        AccountService::disable_second_factor(self, account, password, client).await
    }

    async fn new_backup_codes(
        &self,
        account: &SignedInAccount,
        password: &str,
        client: &ClientInfo,
    ) -> Result<Vec<String>, ServiceError> {
        AccountService::new_backup_codes(self, account, password, client).await
    }

    async fn session(&self, token: &str) -> Result<Option<SignedInAccount>, ServiceError> {
        AccountService::session(self, token).await
    }

    async fn sign_out(&self, token: &str) -> Result<(), ServiceError> {
        AccountService::sign_out(self, token).await
    }

    async fn contact_status(
        &self,
        account: &SignedInAccount,
    ) -> Result<ContactStatus, ServiceError> {
        AccountService::contact_status(self, account).await
    }

    async fn confirm_email(&self, token: &str) -> Result<(), ServiceError> {
        AccountService::confirm_email(self, token).await
    }

    async fn resend_email_link(&self, account: &SignedInAccount) -> Result<(), ServiceError> {
        AccountService::resend_email_link(self, account).await
    }

    async fn confirm_phone(
        &self,
        account: &SignedInAccount,
        code: &str,
    ) -> Result<(), ServiceError> {
        AccountService::confirm_phone(self, account, code).await
    }

    async fn resend_phone_code(
        &self,
        account: &SignedInAccount,
    ) -> Result<PhoneCodeState, ServiceError> {
        AccountService::resend_phone_code(self, account).await
    }

    async fn profile(&self, account: &SignedInAccount) -> Result<Profile, ServiceError> {
        AccountService::profile(self, account).await
    }

    async fn set_registration_address(
        &self,
        account: &SignedInAccount,
        address: String,
    ) -> Result<(), ServiceError> {
        accounts::set_registration_address(&self.db, account.account_id, &address).await?;
        Ok(())
    }

    async fn sessions(&self, account: &SignedInAccount) -> Result<Vec<SessionInfo>, ServiceError> {
        AccountService::sessions(self, account).await
    }

    async fn change_password(
        &self,
        account: &SignedInAccount,
        current: &str,
        new: Password,
        client: &ClientInfo,
    ) -> Result<(), ServiceError> {
        AccountService::change_password(self, account, current, new, client).await
    }

    async fn end_all_sessions(&self, account: &SignedInAccount) -> Result<(), ServiceError> {
        AccountService::end_all_sessions(self, account).await
    }

    async fn extend_session(
        &self,
        account: &SignedInAccount,
    ) -> Result<SignedInAccount, ServiceError> {
        AccountService::extend_session(self, account).await
    }

    async fn request_identity_check(
        &self,
        account: &SignedInAccount,
        passport: Passport,
        issue_date: time::Date,
    ) -> Result<(), ServiceError> {
        AccountService::request_identity_check(self, account, passport, issue_date).await
    }

    async fn start_recovery(
        &self,
        login: &str,
        channel: RecoveryChannel,
    ) -> Result<(), ServiceError> {
        AccountService::start_recovery(self, login, channel).await
    }

    async fn recover_by_code(
        &self,
        login: &str,
        code: &str,
        password: Password,
        client: &ClientInfo,
    ) -> Result<(), ServiceError> {
        AccountService::recover_by_code(self, login, code, password, client).await
    }

    async fn recover_by_link(&self, token: &str, password: Password) -> Result<(), ServiceError> {
        AccountService::recover_by_link(self, token, password).await
    }

    async fn reauthenticate(
        &self,
        account: &SignedInAccount,
        password: &str,
        client: &ClientInfo,
    ) -> Result<SignInResult, ServiceError> {
        AccountService::reauthenticate(self, account, password, client).await
    }

    async fn reauthenticate_second_factor(
        &self,
        account: &SignedInAccount,
        challenge: &str,
        code: FactorCode,
        client: &ClientInfo,
    ) -> Result<NewSession, ServiceError> {
        AccountService::reauthenticate_second_factor(self, account, challenge, code, client).await
    }

    async fn change_email(
        &self,
        account: &SignedInAccount,
        email: Email,
    ) -> Result<(), ServiceError> {
        AccountService::change_email(self, account, email).await
    }

    async fn change_phone(
        &self,
        account: &SignedInAccount,
        phone: Phone,
    ) -> Result<(), ServiceError> {
        AccountService::change_phone(self, account, phone).await
    }

    async fn notifications(
        &self,
        account: &SignedInAccount,
    ) -> Result<Vec<Notification>, ServiceError> {
        AccountService::notifications(self, account).await
    }
}
