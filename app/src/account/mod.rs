//! A parent's own account: registration, confirmation of e-mail and phone, sign-in (with a second
//! factor), recovery, the profile (contacts, password, second factor, sessions) and
//! re-authentication before sensitive operations. Each flow is a pair: the rules and server
//! functions (`registration`, `sign_in`, `contacts`, `recovery`, `profile`, `second_factor`,
//! `reauth`) and the page or component that drives them (`*_page`, `*_gate`, `*_section`). The
//! server implements [`crate::api::services::Accounts`].

mod address_section;
pub mod contact_change;
pub mod contacts;
mod contacts_page;
pub mod device;
mod email_link_page;
mod expiry_warning;
pub mod identity;
pub(crate) mod password_field;
pub mod profile;
mod profile_page;
pub mod reauth;
pub(crate) mod reauth_gate;
pub mod recovery;
mod recovery_page;
mod register_page;
pub mod registration;
pub mod second_factor;
mod security_section;
mod session;
mod sign_in;
mod sign_in_page;

pub use contacts::{
    ConfirmEmail, ConfirmPhone, ContactStatus, PhoneCodeState, ResendEmailLink, ResendPhoneCode,
    load_contacts,
};
pub use contacts_page::ContactsPage;
pub use email_link_page::EmailLinkPage;
pub use expiry_warning::ExpiryWarning;
pub use identity::{IdentityCheckStatus, IdentityCheckView, IdentitySection};
pub use profile::{ChangePassword, ExtendSession, Profile, SessionInfo, SignOutEverywhere};
pub use profile_page::ProfilePage;
pub use recovery::RecoveryChannel;
pub use recovery_page::{RecoveryLinkPage, RecoveryPage};
pub use register_page::RegisterPage;
pub use registration::{Register, Registration};
pub use session::{Session, provide_session, use_session};
pub use sign_in::{SignIn, SignOut, SignedIn, current_user};
pub use sign_in_page::SignInPage;

use serde::{Deserialize, Serialize};

/// «Упрощённая», «стандартная», «подтверждённая»: how far the account holder's identity has been
/// checked. Each level includes the ones below it; family features need `Confirmed`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AccountLevel {
    /// Registered with name, СНИЛС, phone and e-mail.
    Simplified,
    /// Passport and СНИЛС verified in the registries.
    Standard,
    /// Identity confirmed in person, by a bank or by an electronic signature.
    Confirmed,
}

impl AccountLevel {
    pub fn as_str(self) -> &'static str {
        match self {
            AccountLevel::Simplified => "simplified",
            AccountLevel::Standard => "standard",
            AccountLevel::Confirmed => "confirmed",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        [Self::Simplified, Self::Standard, Self::Confirmed]
            .into_iter()
            .find(|level| level.as_str() == text)
    }

    /// The words the portal uses: «Упрощённая учётная запись».
    pub fn title(self) -> &'static str {
        match self {
            AccountLevel::Simplified => "Упрощённая учётная запись",
            AccountLevel::Standard => "Стандартная учётная запись",
            AccountLevel::Confirmed => "Подтверждённая учётная запись",
        }
    }
}

/// Who may do what: officers and administrators work in the back office.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Citizen,
    Officer,
    Admin,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Citizen => "citizen",
            Role::Officer => "officer",
            Role::Admin => "admin",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        [Self::Citizen, Self::Officer, Self::Admin]
            .into_iter()
            .find(|role| role.as_str() == text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_and_roles_round_trip_through_their_stored_names() {
        for level in [
            AccountLevel::Simplified,
            AccountLevel::Standard,
            AccountLevel::Confirmed,
        ] {
            assert_eq!(AccountLevel::parse(level.as_str()), Some(level));
        }
        for role in [Role::Citizen, Role::Officer, Role::Admin] {
            assert_eq!(Role::parse(role.as_str()), Some(role));
        }
        assert_eq!(AccountLevel::parse("gold"), None);
        assert!(AccountLevel::Confirmed > AccountLevel::Standard);
    }
}
