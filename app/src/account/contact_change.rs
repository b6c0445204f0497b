//! Changing the account's e-mail or phone: needs a recent re-authentication (see `reauth`), starts
//! a new confirmation of the new contact and tells the old one.

use leptos::prelude::*;

use crate::api::ApiError;
#[cfg(feature = "ssr")]
use crate::api::{ServiceError, SignedInAccount};
#[cfg(feature = "ssr")]
use crate::domain::{Email, Phone};

/// The new contact's field id in each form (the same ids as at registration).
pub mod fields {
    pub const EMAIL: &str = super::super::registration::fields::EMAIL;
    pub const PHONE: &str = super::super::registration::fields::PHONE;
}

#[server(prefix = "/api", endpoint = "account/change-email")]
pub async fn change_email(email: String) -> Result<(), ApiError> {
    use super::registration::check_email;
    use crate::api::{request, service};
    let email = check_email(&email).map_err(|e| ApiError::Invalid(vec![e]))?;
    let account = request::require_account().await?;
    service::<dyn ContactChangeService>()?
        .change_email(&account, email)
        .await
        .map_err(ApiError::from)
}

#[server(prefix = "/api", endpoint = "account/change-phone")]
pub async fn change_phone(phone: String) -> Result<(), ApiError> {
    use super::registration::check_phone;
    use crate::api::{request, service};
    let phone = check_phone(&phone).map_err(|e| ApiError::Invalid(vec![e]))?;
    let account = request::require_account().await?;
    service::<dyn ContactChangeService>()?
        .change_phone(&account, phone)
        .await
        .map_err(ApiError::from)
}

/// Changing the confirmed e-mail or phone.
#[cfg(feature = "ssr")]
#[async_trait::async_trait]
pub trait ContactChangeService: Send + Sync {
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
}
