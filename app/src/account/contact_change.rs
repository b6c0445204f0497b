//! Changing the account's e-mail or phone: needs the password, starts a new confirmation of the
//! new contact and tells the old one.

use leptos::prelude::*;

use super::registration::{check_email, check_phone};
use super::second_factor::check_factor_password;
use crate::api::{ApiError, FieldError};
use crate::domain::{Email, Phone};

/// The new contact's field id in each form (the same ids as at registration).
pub mod fields {
    pub const EMAIL: &str = super::super::registration::fields::EMAIL;
    pub const PHONE: &str = super::super::registration::fields::PHONE;
    pub const PASSWORD: &str = super::super::second_factor::fields::PASSWORD;
}

fn both<T>(
    contact: Result<T, FieldError>,
    password: Result<(), FieldError>,
) -> Result<T, Vec<FieldError>> {
    match (contact, password) {
        (Ok(contact), Ok(())) => Ok(contact),
        (a, b) => Err([a.err(), b.err()].into_iter().flatten().collect()),
    }
}

pub fn validate_email_change(email: &str, password: &str) -> Result<Email, Vec<FieldError>> {
    both(check_email(email), check_factor_password(password))
}

pub fn validate_phone_change(phone: &str, password: &str) -> Result<Phone, Vec<FieldError>> {
    both(check_phone(phone), check_factor_password(password))
}

#[server(prefix = "/api", endpoint = "account/change-email")]
pub async fn change_email(email: String, password: String) -> Result<(), ApiError> {
    use crate::api::{request, services::Services};
    let email =
        validate_email_change(&email, &password).map_err(|e| ApiError::Invalid(e).respond())?;
    let account = request::require_account().await?;
    Services::current()?
        .accounts
        .change_email(&account, email, &password, &request::client())
        .await
        .map_err(|e| ApiError::from(e).respond())
}

#[server(prefix = "/api", endpoint = "account/change-phone")]
pub async fn change_phone(phone: String, password: String) -> Result<(), ApiError> {
    use crate::api::{request, services::Services};
    let phone =
        validate_phone_change(&phone, &password).map_err(|e| ApiError::Invalid(e).respond())?;
    let account = request::require_account().await?;
    Services::current()?
        .accounts
        .change_phone(&account, phone, &password, &request::client())
        .await
        .map_err(|e| ApiError::from(e).respond())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_change_needs_a_valid_contact_and_the_password() {
        let errors = validate_email_change("anna", "").unwrap_err();
        let fields: Vec<_> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["email", "factor_password"]);
        assert!(validate_phone_change("+7 912 000-00-00", "x").is_ok());
    }
}
