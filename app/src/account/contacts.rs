//! Confirming the account's e-mail (a single-use link) and phone (a six-digit SMS code).

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::api::{ApiError, FieldError};
#[cfg(feature = "ssr")]
use crate::api::{ServiceError, SignedInAccount};

pub mod fields {
    pub const CODE: &str = "code";
}

/// «Получить код ещё раз» works this many times in a row; then a pause runs.
pub const MAX_RESENDS: u32 = match crate::domain::one_time_code::PHONE_CODE.resend {
    crate::domain::one_time_code::Resend::Series { in_a_row, .. } => in_a_row,
    _ => 0,
};

/// A link's token is 43 characters when the portal made it; anything longer than this is no
/// link of ours and is refused before it is hashed or looked up.
pub const MAX_TOKEN_LENGTH: usize = 64;

/// The token from a link, trimmed; one too long to be ours is «Ссылка недействительна».
pub fn link_token(raw: &str) -> Result<&str, ApiError> {
    let token = raw.trim();
    if token.len() > MAX_TOKEN_LENGTH {
        Err(ApiError::Refused(crate::api::Refusal::LinkInvalid))
    } else {
        Ok(token)
    }
}

/// Digits in an SMS code.
pub const CODE_LENGTH: usize = 6;

/// Where the account's contacts stand.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactStatus {
    pub email: String,
    pub email_confirmed: bool,
    /// «+7 912 345-67-89».
    pub phone: String,
    pub phone_confirmed: bool,
    pub phone_code: PhoneCodeState,
    /// While the registration is unfinished: the day («09.12.2026») after which it is removed
    /// and its СНИЛС, e-mail and phone are freed.
    pub unfinished_until: Option<String>,
}

/// What the user may do about the SMS code now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PhoneCodeState {
    /// «Получить код ещё раз» may be pressed this many more times before the cooldown.
    pub resends_left: u32,
    /// While a cooldown runs: seconds until a new code may be sent.
    pub retry_after_seconds: Option<u32>,
}

/// A code as typed: six digits, spaces ignored.
pub fn check_code(input: &str) -> Result<String, FieldError> {
    let digits: String = input.chars().filter(|c| !c.is_whitespace()).collect();
    if digits.is_empty() {
        Err(FieldError::new(
            fields::CODE,
            "code.empty",
            "Введите код из СМС",
        ))
    } else if digits.len() != CODE_LENGTH || !digits.bytes().all(|b| b.is_ascii_digit()) {
        Err(FieldError::new(
            fields::CODE,
            "code.format",
            "Код состоит из 6 цифр — введите его так, как он указан в СМС",
        ))
    } else {
        Ok(digits)
    }
}

/// The message at the code field after a wrong code.
pub fn wrong_code(tries_left: u32) -> FieldError {
    FieldError::new(
        fields::CODE,
        "code.wrong",
        &format!("Неверный код. Осталось попыток: {tries_left}"),
    )
}

#[server(prefix = "/api", endpoint = "account/contacts")]
pub async fn load_contacts() -> Result<ContactStatus, ApiError> {
    use crate::api::{request, service};
    let account = request::require_account().await?;
    Ok(service::<dyn ContactService>()?
        .contact_status(&account)
        .await?)
}

/// Confirms the e-mail address with the token from the link; works without signing in, since the
/// link may be opened on another device.
#[server(prefix = "/api", endpoint = "account/confirm-email")]
pub async fn confirm_email(token: String) -> Result<(), ApiError> {
    use crate::api::service;
    let token = link_token(&token)?;
    service::<dyn ContactService>()?
        .confirm_email(token)
        .await
        .map_err(ApiError::from)
}

#[server(prefix = "/api", endpoint = "account/resend-email-link")]
pub async fn resend_email_link() -> Result<(), ApiError> {
    use crate::api::{request, service};
    let account = request::require_account().await?;
    service::<dyn ContactService>()?
        .resend_email_link(&account)
        .await
        .map_err(ApiError::from)
}

#[server(prefix = "/api", endpoint = "account/confirm-phone")]
pub async fn confirm_phone(code: String) -> Result<(), ApiError> {
    use crate::api::{request, service};
    let code = check_code(&code).map_err(|e| ApiError::Invalid(vec![e]))?;
    let account = request::require_account().await?;
    service::<dyn ContactService>()?
        .confirm_phone(&account, &code)
        .await
        .map_err(ApiError::from)
}

#[server(prefix = "/api", endpoint = "account/resend-phone-code")]
pub async fn resend_phone_code() -> Result<PhoneCodeState, ApiError> {
    use crate::api::{request, service};
    let account = request::require_account().await?;
    service::<dyn ContactService>()?
        .resend_phone_code(&account)
        .await
        .map_err(ApiError::from)
}

/// Confirming the e-mail and phone given at registration.
#[cfg(feature = "ssr")]
#[async_trait::async_trait]
pub trait ContactService: Send + Sync {
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
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_six_digits_spaces_ignored() {
        assert_eq!(check_code("123 456").unwrap(), "123456");
        assert_eq!(check_code("").unwrap_err().code, "code.empty");
        assert_eq!(check_code("12345").unwrap_err().code, "code.format");
        assert_eq!(check_code("12345a").unwrap_err().code, "code.format");
    }
}
