//! «Восстановление доступа»: a new password by an SMS code or an e-mail link, sent only to a
//! confirmed contact. The first step answers the same whether or not the account exists.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::contacts::check_code;
use super::registration::{check_password, check_password_repeat};
use super::sign_in::check_login;
use crate::api::{ApiError, FieldError};
#[cfg(feature = "ssr")]
use crate::api::{ServiceError, request::ClientInfo};
use crate::domain::Password;

pub mod fields {
    pub const LOGIN: &str = "login";
    pub const CHANNEL: &str = "channel";
    pub const CODE: &str = "code";
    pub const PASSWORD: &str = super::super::registration::fields::PASSWORD;
    pub const PASSWORD_REPEAT: &str = super::super::registration::fields::PASSWORD_REPEAT;
}

/// Where the recovery secret goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RecoveryChannel {
    Sms,
    Email,
}

impl RecoveryChannel {
    pub fn parse(value: &str) -> Result<Self, FieldError> {
        match value {
            "sms" => Ok(Self::Sms),
            "email" => Ok(Self::Email),
            _ => Err(FieldError::new(
                fields::CHANNEL,
                "channel.empty",
                "Выберите, куда отправить код или ссылку",
            )),
        }
    }
}

pub fn validate_request(login: &str, channel: &str) -> Result<RecoveryChannel, Vec<FieldError>> {
    match (check_login(login), RecoveryChannel::parse(channel)) {
        (Ok(()), Ok(channel)) => Ok(channel),
        (a, b) => Err([a.err(), b.err()].into_iter().flatten().collect()),
    }
}

/// The new password twice, and the SMS code when recovering by phone.
pub fn validate_new_password(
    code: Option<&str>,
    password: &str,
    repeat: &str,
) -> Result<(Option<String>, Password), Vec<FieldError>> {
    let code = code.map(check_code).transpose();
    let password_ok = check_password(password);
    let repeat_ok = check_password_repeat(password, repeat);
    match (code, password_ok, repeat_ok) {
        (Ok(code), Ok(password), Ok(())) => Ok((code, password)),
        (a, b, c) => Err([a.err(), b.err(), c.err()].into_iter().flatten().collect()),
    }
}

/// Sends a code or a link if the login names an account whose contact on that channel is
/// confirmed; otherwise does nothing. Either way the answer is the same.
#[server(prefix = "/api", endpoint = "account/recovery/start")]
pub async fn start_recovery(login: String, channel: String) -> Result<(), ApiError> {
    use crate::api::service;
    let channel = validate_request(&login, &channel).map_err(ApiError::Invalid)?;
    service::<dyn RecoveryService>()?
        .start_recovery(&login, channel)
        .await
        .map_err(ApiError::from)
}

#[server(prefix = "/api", endpoint = "account/recovery/code")]
pub async fn recover_by_code(
    login: String,
    code: String,
    password: String,
    password_repeat: String,
) -> Result<(), ApiError> {
    use crate::api::{request, service};
    let (code, password) = validate_new_password(Some(&code), &password, &password_repeat)
        .map_err(ApiError::Invalid)?;
    service::<dyn RecoveryService>()?
        .recover_by_code(
            &login,
            &code.unwrap_or_default(),
            password,
            &request::client(),
        )
        .await
        .map_err(ApiError::from)
}

#[server(prefix = "/api", endpoint = "account/recovery/link")]
pub async fn recover_by_link(
    token: String,
    password: String,
    password_repeat: String,
) -> Result<(), ApiError> {
    use crate::api::service;
    let token = super::contacts::link_token(&token)?;
    let (_, password) =
        validate_new_password(None, &password, &password_repeat).map_err(ApiError::Invalid)?;
    service::<dyn RecoveryService>()?
        .recover_by_link(token, password)
        .await
        .map_err(ApiError::from)
}

/// «Восстановление доступа» by an SMS code or an e-mail link.
#[cfg(feature = "ssr")]
#[async_trait::async_trait]
pub trait RecoveryService: Send + Sync {
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
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_request_needs_a_login_and_a_channel() {
        let errors = validate_request("", "").unwrap_err();
        assert_eq!(errors.len(), 2);
        assert_eq!(
            validate_request("anna@mail.ru", "sms"),
            Ok(RecoveryChannel::Sms)
        );
    }

    #[test]
    fn the_code_is_checked_only_when_recovering_by_phone() {
        assert!(validate_new_password(None, "Kozlik-2026", "Kozlik-2026").is_ok());
        let errors = validate_new_password(Some("12"), "Kozlik-2026", "Kozlik-2026").unwrap_err();
        assert_eq!(errors[0].code, "code.format");
    }
}
