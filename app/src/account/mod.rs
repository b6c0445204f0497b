//! A parent's own account: registration, confirmation of e-mail and phone, sign-in (with a second
//! factor), recovery, the profile (contacts, password, second factor, sessions) and
//! re-authentication before sensitive operations. Each flow is a pair: the rules and server
//! functions (`registration`, `sign_in`, `contacts`, `recovery`, `profile`, `second_factor`,
//! `reauth`) and the page or component that drives them (`*_page`, `*_gate`, `*_section`). Each
//! flow file declares the service trait its server functions call; the server implements it.

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
pub mod session;
pub mod sign_in;
mod sign_in_page;
pub(crate) mod sms_code_form;

pub use contacts::{
    ConfirmEmail, ConfirmPhone, ContactStatus, PhoneCodeState, ResendEmailLink, ResendPhoneCode,
    load_contacts,
};
pub use contacts_page::ContactsPage;
pub use email_link_page::EmailLinkPage;
pub use expiry_warning::ExpiryWarning;
pub use identity::{IdentityCheckStatus, IdentityCheckView, IdentitySection};
pub use profile::{ChangePassword, ExtendSession, Profile, SignOutEverywhere};
pub use profile_page::ProfilePage;
pub use recovery::RecoveryChannel;
pub use recovery_page::{RecoveryLinkPage, RecoveryPage};
pub use register_page::RegisterPage;
pub use registration::{Register, Registration};
pub use session::{Session, SessionInfo, SignedIn, current_user, provide_session, use_session};
pub use sign_in::{SignIn, SignOut};
pub use sign_in_page::SignInPage;

pub use crate::api::{AccountLevel, Role};
