//! A child's own account on the server: the creation wizard (`wizard`), the parent's consents
//! (`consents`, with the receipt) and what the card shows about the account (`block`). Every
//! request names the parent; another family's child is «not found».

pub mod ages;
mod block;
mod consents;
mod creation;
mod letters;
mod linking;
pub mod receipt;
mod refusals;
mod settings;
mod wizard;

use std::sync::Arc;

use app::api::services::{ChildAccounts, ClientInfo, ServiceError, SignedInAccount};
use app::child_account::consents::ConsentView;
use app::child_account::linking::{IssuedLinkCode, MinorLinks};
use app::child_account::settings::ChildAccountSettings;
use app::child_account::wizard::{ChildAddress, ConfirmedChildEmail, WizardView};
use app::domain::minor::ConsentDecision;
use app::domain::{Email, Password, Phone};

use crate::accounts::AccountService;
use crate::clock::Clock;
use crate::db::Database;
use crate::outbox::Outbox;
use crate::passwords::PasswordHasher;

pub use block::account_block;

pub struct ChildAccountService {
    pub db: Database,
    pub clock: Arc<dyn Clock>,
    pub hasher: PasswordHasher,
    pub outbox: Outbox,
    /// Where links in letters point.
    pub public_url: String,
    /// The accounts' own e-mail links and SMS codes, reused to confirm a child's new contacts.
    pub accounts: Arc<AccountService>,
}

// The family's rules hold here too: «подтверждённая» only; another family's child is not found.
pub(crate) use crate::family::{not_found, require_confirmed};

#[async_trait::async_trait]
impl ChildAccounts for ChildAccountService {
    async fn open_wizard(
        &self,
        parent: &SignedInAccount,
        child_id: i64,
    ) -> Result<WizardView, ServiceError> {
        ChildAccountService::open_wizard(self, parent, child_id).await
    }

    async fn save_address(
        &self,
        parent: &SignedInAccount,
        child_id: i64,
        address: ChildAddress,
    ) -> Result<WizardView, ServiceError> {
        ChildAccountService::save_address(self, parent, child_id, address).await
    }

    async fn send_phone_code(
        &self,
        parent: &SignedInAccount,
        child_id: i64,
        phone: Phone,
    ) -> Result<WizardView, ServiceError> {
        ChildAccountService::send_phone_code(self, parent, child_id, phone).await
    }

    async fn confirm_phone(
        &self,
        parent: &SignedInAccount,
        child_id: i64,
        code: &str,
    ) -> Result<WizardView, ServiceError> {
        ChildAccountService::confirm_phone(self, parent, child_id, code).await
    }

    async fn skip_phone(
        &self,
        parent: &SignedInAccount,
        child_id: i64,
    ) -> Result<WizardView, ServiceError> {
        ChildAccountService::skip_phone(self, parent, child_id).await
    }

    async fn send_email_link(
        &self,
        parent: &SignedInAccount,
        child_id: i64,
        email: Email,
    ) -> Result<WizardView, ServiceError> {
        ChildAccountService::send_email_link(self, parent, child_id, email).await
    }

    async fn change_email(
        &self,
        parent: &SignedInAccount,
        child_id: i64,
    ) -> Result<WizardView, ServiceError> {
        ChildAccountService::change_email(self, parent, child_id).await
    }

    async fn confirm_email(&self, token: &str) -> Result<ConfirmedChildEmail, ServiceError> {
        ChildAccountService::confirm_email(self, token).await
    }

    async fn create_account(
        &self,
        parent: &SignedInAccount,
        child_id: i64,
        password: Password,
    ) -> Result<(), ServiceError> {
        ChildAccountService::create_account(self, parent, child_id, password).await
    }

    async fn cancel_wizard(
        &self,
        parent: &SignedInAccount,
        child_id: i64,
    ) -> Result<(), ServiceError> {
        ChildAccountService::cancel_wizard(self, parent, child_id).await
    }

    async fn issue_link_code(
        &self,
        parent: &SignedInAccount,
        child_id: i64,
        email: Email,
    ) -> Result<IssuedLinkCode, ServiceError> {
        ChildAccountService::issue_link_code(self, parent, child_id, email).await
    }

    async fn use_link_code(&self, minor: &SignedInAccount, code: &str) -> Result<(), ServiceError> {
        ChildAccountService::use_link_code(self, minor, code).await
    }

    async fn minor_links(
        &self,
        account: &SignedInAccount,
    ) -> Result<Option<MinorLinks>, ServiceError> {
        ChildAccountService::minor_links(self, account).await
    }

    async fn settings(
        &self,
        parent: &SignedInAccount,
        child_id: i64,
    ) -> Result<ChildAccountSettings, ServiceError> {
        ChildAccountService::settings(self, parent, child_id).await
    }

    async fn change_password(
        &self,
        parent: &SignedInAccount,
        child_id: i64,
        password: Password,
    ) -> Result<(), ServiceError> {
        ChildAccountService::change_password(self, parent, child_id, password).await
    }

    async fn change_phone(
        &self,
        parent: &SignedInAccount,
        child_id: i64,
        phone: Phone,
    ) -> Result<(), ServiceError> {
        ChildAccountService::change_phone(self, parent, child_id, phone).await
    }

    async fn confirm_changed_phone(
        &self,
        parent: &SignedInAccount,
        child_id: i64,
        code: &str,
    ) -> Result<(), ServiceError> {
        ChildAccountService::confirm_changed_phone(self, parent, child_id, code).await
    }

    async fn change_email_address(
        &self,
        parent: &SignedInAccount,
        child_id: i64,
        email: Email,
    ) -> Result<(), ServiceError> {
        ChildAccountService::change_email_address(self, parent, child_id, email).await
    }

    async fn delete_account(
        &self,
        parent: &SignedInAccount,
        child_id: i64,
    ) -> Result<(), ServiceError> {
        ChildAccountService::delete_account(self, parent, child_id).await
    }

    async fn consents(&self, parent: &SignedInAccount) -> Result<Vec<ConsentView>, ServiceError> {
        ChildAccountService::consents(self, parent).await
    }

    async fn decide_consent(
        &self,
        parent: &SignedInAccount,
        id: i64,
        decision: ConsentDecision,
        client: &ClientInfo,
    ) -> Result<(), ServiceError> {
        ChildAccountService::decide_consent(self, parent, id, decision, client).await
    }
}
