//! Services the server functions call. Declared here, implemented in the `server` crate and put
//! into Leptos context there, so `app` never depends on `server` or on a database driver.

use std::sync::Arc;

use time::OffsetDateTime;

use super::{ApiError, FieldError, Refusal};
use crate::account::second_factor::{FactorCode, SecondFactor, TotpSetup};
use crate::account::{
    AccountLevel, ContactStatus, PhoneCodeState, Profile, RecoveryChannel, Registration, Role,
    SessionInfo,
};
use crate::child_account::consents::ConsentView;
use crate::child_account::linking::{IssuedLinkCode, MinorLinks};
use crate::child_account::settings::ChildAccountSettings;
use crate::child_account::wizard::{ChildAddress, ConfirmedChildEmail, WizardView};
use crate::domain::minor::ConsentDecision;
use crate::domain::{Email, Passport, Password, Phone};
use crate::family::child_form::NewChild;
use crate::family::{ChildDetails, FamilyOverview};
use crate::mailbox::MailboxMessage;
use crate::notifications::Notification;
use crate::operations::{JobStatus, JobView};
use crate::support::{Question, QuestionReceipt};

pub use super::request::CookiePolicy;

/// Time comes from an injectable clock so tests can fix or move it.
pub trait Clock: Send + Sync {
    fn now(&self) -> OffsetDateTime;
}

/// Why a service did not do what was asked. Mapped once to [`ApiError`].
#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    /// Input refused at named fields (for example an e-mail already in use).
    #[error("invalid input: {0:?}")]
    Invalid(Vec<FieldError>),
    #[error("refused: {0:?}")]
    Refused(Refusal),
    #[error("throttled for {retry_after_seconds} s")]
    Throttled { retry_after_seconds: u32 },
    #[error("sign-in required")]
    SignInRequired,
    /// Not the user's fault: storage, a dependency, a bug. The cause is kept for the one log
    /// line written where it becomes a 503.
    #[error("unexpected failure")]
    Unexpected(#[source] Box<dyn std::error::Error + Send + Sync>),
}

impl ServiceError {
    /// A failure that is nobody's input: a broken invariant, an unreadable stored value.
    pub fn unexpected(cause: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> Self {
        ServiceError::Unexpected(cause.into())
    }
}

impl From<ServiceError> for ApiError {
    fn from(err: ServiceError) -> Self {
        match err {
            ServiceError::Invalid(fields) => ApiError::Invalid(fields),
            ServiceError::Refused(refusal) => ApiError::Refused(refusal),
            ServiceError::Throttled {
                retry_after_seconds,
            } => ApiError::Throttled {
                retry_after_seconds,
            },
            ServiceError::SignInRequired => ApiError::SignInRequired,
            ServiceError::Unexpected(cause) => {
                // The whole chain: the storage error and what sqlx says beneath it.
                let mut chain = cause.to_string();
                let mut next = cause.source();
                while let Some(inner) = next {
                    chain.push_str(": ");
                    chain.push_str(&inner.to_string());
                    next = inner.source();
                }
                tracing::error!(event = "service.failed", error = %chain, "service failed");
                ApiError::Unavailable
            }
        }
    }
}

/// Where a request comes from, for throttling and the list of sessions.
#[derive(Debug, Clone)]
pub struct ClientInfo {
    pub address: String,
    pub user_agent: String,
    /// The browser's `portal_device` cookie, or a fresh random one to set after a sign-in: a
    /// device that signed in before is not held back by failures from elsewhere.
    pub device: String,
}

/// A session just opened: the secret for the cookie and how long the cookie may live.
#[derive(Debug, Clone)]
pub struct NewSession {
    pub token: String,
    pub max_age_seconds: i64,
}

/// What a right password leads to.
#[derive(Debug, Clone)]
pub enum SignInResult {
    Session(NewSession),
    /// The account has a second factor: the browser keeps this token in a short-lived cookie
    /// and sends the code next.
    Challenge {
        token: String,
        max_age_seconds: i64,
        factor: SecondFactor,
    },
}

/// The account behind a valid session.
#[derive(Debug, Clone)]
pub struct SignedInAccount {
    pub account_id: i64,
    pub session_id: i64,
    pub first_name: String,
    pub last_name: String,
    pub level: AccountLevel,
    pub role: Role,
    /// When the session ends if nothing happens, and when it ends at the latest.
    pub idle_expires_at: OffsetDateTime,
    pub expires_at: OffsetDateTime,
    /// When the user last proved again who they are in this session.
    pub reauthenticated_at: Option<OffsetDateTime>,
}

impl SignedInAccount {
    /// A sensitive operation may go ahead: re-authenticated within the last ten minutes.
    pub fn recently_reauthenticated(&self, now: OffsetDateTime) -> bool {
        let window = time::Duration::minutes(crate::account::reauth::REAUTH_MINUTES);
        self.reauthenticated_at.is_some_and(|at| now - at < window)
    }
}

/// Questions to the support desk («Помощь → Задать вопрос»).
#[async_trait::async_trait]
pub trait SupportDesk: Send + Sync {
    async fn register(&self, question: Question) -> Result<QuestionReceipt, ServiceError>;
}

/// Accounts, their contacts and sessions.
#[async_trait::async_trait]
pub trait Accounts: Send + Sync {
    /// Creates the account with its confirmation messages in one transaction and opens a session.
    async fn register(
        &self,
        registration: Registration,
        client: &ClientInfo,
    ) -> Result<NewSession, ServiceError>;
    /// Checks a login (phone, e-mail or СНИЛС) and password; throttled per account and address.
    async fn sign_in(
        &self,
        login: &str,
        password: &str,
        client: &ClientInfo,
    ) -> Result<SignInResult, ServiceError>;
    /// The second step: a code from the app or SMS, or a backup code.
    async fn complete_sign_in(
        &self,
        challenge: &str,
        code: FactorCode,
        client: &ClientInfo,
    ) -> Result<NewSession, ServiceError>;
    async fn begin_totp(&self, account: &SignedInAccount) -> Result<TotpSetup, ServiceError>;
    /// Returns the new backup codes and the session under its new id.
    async fn confirm_totp(
        &self,
        account: &SignedInAccount,
        code: &str,
        client: &ClientInfo,
    ) -> Result<(Vec<String>, NewSession), ServiceError>;
    async fn enable_sms_factor(
        &self,
        account: &SignedInAccount,
        password: &str,
        client: &ClientInfo,
    ) -> Result<(Vec<String>, NewSession), ServiceError>;
    async fn disable_second_factor(
        &self,
        account: &SignedInAccount,
        password: &str,
        client: &ClientInfo,
    ) -> Result<NewSession, ServiceError>;
    async fn new_backup_codes(
        &self,
        account: &SignedInAccount,
        password: &str,
        client: &ClientInfo,
    ) -> Result<Vec<String>, ServiceError>;
    /// The live session behind a cookie token; extends its idle deadline.
    async fn session(&self, token: &str) -> Result<Option<SignedInAccount>, ServiceError>;
    async fn sign_out(&self, token: &str) -> Result<(), ServiceError>;
    async fn contact_status(
        &self,
        account: &SignedInAccount,
    ) -> Result<ContactStatus, ServiceError>;
    /// Uses a single-use link from the confirmation e-mail; needs no session.
    async fn confirm_email(&self, token: &str) -> Result<(), ServiceError>;
    async fn resend_email_link(&self, account: &SignedInAccount) -> Result<(), ServiceError>;
    async fn confirm_phone(
        &self,
        account: &SignedInAccount,
        code: &str,
    ) -> Result<(), ServiceError>;
    async fn resend_phone_code(
        &self,
        account: &SignedInAccount,
    ) -> Result<PhoneCodeState, ServiceError>;
    async fn profile(&self, account: &SignedInAccount) -> Result<Profile, ServiceError>;
    /// The account's live sessions, newest activity first.
    async fn sessions(&self, account: &SignedInAccount) -> Result<Vec<SessionInfo>, ServiceError>;
    /// Checks the current password (a wrong one counts as a failed sign-in), ends the other
    /// sessions and notifies the user on e-mail and phone.
    async fn change_password(
        &self,
        account: &SignedInAccount,
        current: &str,
        new: Password,
        client: &ClientInfo,
    ) -> Result<(), ServiceError>;
    async fn end_all_sessions(&self, account: &SignedInAccount) -> Result<(), ServiceError>;
    /// The account's in-app notifications, newest first; marks them read.
    async fn notifications(
        &self,
        account: &SignedInAccount,
    ) -> Result<Vec<Notification>, ServiceError>;
    /// The password again (the first step of re-authentication): done, or a second-factor
    /// challenge. Done means the session gets a new id, marked re-authenticated.
    async fn reauthenticate(
        &self,
        account: &SignedInAccount,
        password: &str,
        client: &ClientInfo,
    ) -> Result<SignInResult, ServiceError>;
    async fn reauthenticate_second_factor(
        &self,
        account: &SignedInAccount,
        challenge: &str,
        code: FactorCode,
        client: &ClientInfo,
    ) -> Result<NewSession, ServiceError>;
    /// Needs a recent re-authentication; the new address waits for its link, the old one is
    /// told.
    async fn change_email(
        &self,
        account: &SignedInAccount,
        email: Email,
    ) -> Result<(), ServiceError>;
    /// Needs a recent re-authentication; the new number waits for its code, the old one is
    /// told.
    async fn change_phone(
        &self,
        account: &SignedInAccount,
        phone: Phone,
    ) -> Result<(), ServiceError>;
    /// Sends a recovery code or link when the login names an account with that contact
    /// confirmed; answers the same either way.
    async fn start_recovery(
        &self,
        login: &str,
        channel: RecoveryChannel,
    ) -> Result<(), ServiceError>;
    /// Sets a new password with an SMS code; ends every session. Wrong codes count toward the
    /// account's failure ceiling, hence the client.
    async fn recover_by_code(
        &self,
        login: &str,
        code: &str,
        password: Password,
        client: &ClientInfo,
    ) -> Result<(), ServiceError>;
    /// Sets a new password with an e-mail link; ends every session.
    async fn recover_by_link(&self, token: &str, password: Password) -> Result<(), ServiceError>;
    /// Records activity now; returns the session with its new idle deadline.
    async fn extend_session(
        &self,
        account: &SignedInAccount,
    ) -> Result<SignedInAccount, ServiceError>;
    /// «Адрес постоянной регистрации» (already checked).
    async fn set_registration_address(
        &self,
        account: &SignedInAccount,
        address: String,
    ) -> Result<(), ServiceError>;
    /// Starts the passport (МВД) and СНИЛС (СФР) check that makes a simplified account standard:
    /// the check and its job in one transaction. Refused with `Refusal::NothingToCheck` unless the
    /// account is simplified and no check is running.
    async fn request_identity_check(
        &self,
        account: &SignedInAccount,
        passport: Passport,
        issue_date: time::Date,
    ) -> Result<(), ServiceError>;
}

/// «Семья и дети»: a parent's children and their registry checks. Every method is scoped to
/// the signed-in parent: another family's child reads as `Refusal::NotFound`.
#[async_trait::async_trait]
pub trait Family: Send + Sync {
    async fn overview(&self, parent: &SignedInAccount) -> Result<FamilyOverview, ServiceError>;
    async fn child(&self, parent: &SignedInAccount, id: i64) -> Result<ChildDetails, ServiceError>;
    /// Adds (`id` empty) or changes a child; a changed document goes back to «Данные введены
    /// вручную». Returns the child's id.
    async fn save_child(
        &self,
        parent: &SignedInAccount,
        id: Option<i64>,
        child: NewChild,
    ) -> Result<i64, ServiceError>;
    async fn remove_child(&self, parent: &SignedInAccount, id: i64) -> Result<(), ServiceError>;
    /// Starts the registry checks for these children, each in one transaction with its job.
    async fn request_checks(
        &self,
        parent: &SignedInAccount,
        children: &[i64],
        auto_update: bool,
    ) -> Result<(), ServiceError>;
}

/// A child's own account: the creation wizard and the parent's consents. Every method names the
/// parent; another family's child reads as `Refusal::NotFound`.
#[async_trait::async_trait]
pub trait ChildAccounts: Send + Sync {
    /// Resumes the child's wizard, or starts it when «Создать» is allowed for the child.
    async fn open_wizard(
        &self,
        parent: &SignedInAccount,
        child_id: i64,
    ) -> Result<WizardView, ServiceError>;
    async fn save_address(
        &self,
        parent: &SignedInAccount,
        child_id: i64,
        address: ChildAddress,
    ) -> Result<WizardView, ServiceError>;
    /// Sends a code to a number that is neither the parent's nor any account's.
    async fn send_phone_code(
        &self,
        parent: &SignedInAccount,
        child_id: i64,
        phone: Phone,
    ) -> Result<WizardView, ServiceError>;
    async fn confirm_phone(
        &self,
        parent: &SignedInAccount,
        child_id: i64,
        code: &str,
    ) -> Result<WizardView, ServiceError>;
    async fn skip_phone(
        &self,
        parent: &SignedInAccount,
        child_id: i64,
    ) -> Result<WizardView, ServiceError>;
    /// Sends the «Подтвердить адрес» letter to an address no account uses.
    async fn send_email_link(
        &self,
        parent: &SignedInAccount,
        child_id: i64,
        email: Email,
    ) -> Result<WizardView, ServiceError>;
    async fn change_email(
        &self,
        parent: &SignedInAccount,
        child_id: i64,
    ) -> Result<WizardView, ServiceError>;
    /// The link from the letter; needs no session.
    async fn confirm_email(&self, token: &str) -> Result<ConfirmedChildEmail, ServiceError>;
    /// Creates the account (linked to the parent) and the consent request, in one transaction.
    async fn create_account(
        &self,
        parent: &SignedInAccount,
        child_id: i64,
        password: Password,
    ) -> Result<(), ServiceError>;
    async fn cancel_wizard(
        &self,
        parent: &SignedInAccount,
        child_id: i64,
    ) -> Result<(), ServiceError>;
    /// «Привязать»: a link code for the child's existing account, found by its e-mail and matching
    /// the card's name and birth date.
    async fn issue_link_code(
        &self,
        parent: &SignedInAccount,
        child_id: i64,
        email: Email,
    ) -> Result<IssuedLinkCode, ServiceError>;
    /// The child enters the code: links the account to the parent who issued it.
    async fn use_link_code(&self, minor: &SignedInAccount, code: &str) -> Result<(), ServiceError>;
    /// The minor's open code and linked parents; `None` for an adult.
    async fn minor_links(
        &self,
        account: &SignedInAccount,
    ) -> Result<Option<MinorLinks>, ServiceError>;
    /// «Настроить профиль» of the child's account: what it shows. The changes below need the
    /// parent's recent re-authentication and a live link to the child's account.
    async fn settings(
        &self,
        parent: &SignedInAccount,
        child_id: i64,
    ) -> Result<ChildAccountSettings, ServiceError>;
    /// Ends every session of the child and tells the child.
    async fn change_password(
        &self,
        parent: &SignedInAccount,
        child_id: i64,
        password: Password,
    ) -> Result<(), ServiceError>;
    async fn change_phone(
        &self,
        parent: &SignedInAccount,
        child_id: i64,
        phone: Phone,
    ) -> Result<(), ServiceError>;
    async fn confirm_changed_phone(
        &self,
        parent: &SignedInAccount,
        child_id: i64,
        code: &str,
    ) -> Result<(), ServiceError>;
    async fn change_email_address(
        &self,
        parent: &SignedInAccount,
        child_id: i64,
        email: Email,
    ) -> Result<(), ServiceError>;
    async fn delete_account(
        &self,
        parent: &SignedInAccount,
        child_id: i64,
    ) -> Result<(), ServiceError>;
    /// Every consent about the parent's children, newest first.
    async fn consents(&self, parent: &SignedInAccount) -> Result<Vec<ConsentView>, ServiceError>;
    async fn decide_consent(
        &self,
        parent: &SignedInAccount,
        id: i64,
        decision: ConsentDecision,
        client: &ClientInfo,
    ) -> Result<(), ServiceError>;
}

/// The job queue as officers and administrators see it.
#[async_trait::async_trait]
pub trait Operations: Send + Sync {
    async fn jobs(
        &self,
        officer: &SignedInAccount,
        status: Option<JobStatus>,
    ) -> Result<Vec<JobView>, ServiceError>;
    /// Runs a dead job again.
    async fn retry_job(&self, officer: &SignedInAccount, id: i64) -> Result<(), ServiceError>;
}

/// The development mailbox: messages the outbox delivered locally instead of by SMTP or SMS.
#[async_trait::async_trait]
pub trait DevMailbox: Send + Sync {
    async fn newest(&self, limit: u32) -> Result<Vec<MailboxMessage>, ServiceError>;
}

/// Everything the server functions need, provided as one context value per request.
#[derive(Clone)]
pub struct Services {
    pub clock: Arc<dyn Clock>,
    pub support_desk: Arc<dyn SupportDesk>,
    pub accounts: Arc<dyn Accounts>,
    pub family: Arc<dyn Family>,
    pub child_accounts: Arc<dyn ChildAccounts>,
    pub operations: Arc<dyn Operations>,
    /// Present only when the development mailbox page is switched on.
    pub dev_mailbox: Option<Arc<dyn DevMailbox>>,
    pub cookie_policy: CookiePolicy,
}

impl Services {
    /// The services of the running server. A server function that runs without them is a wiring
    /// bug, so this reports it as unavailable rather than panicking mid-request.
    pub fn current() -> Result<Self, ApiError> {
        leptos::prelude::use_context::<Services>().ok_or(ApiError::Unavailable)
    }

    pub fn now(&self) -> OffsetDateTime {
        self.clock.now()
    }
}
