//! «Вход»: sign-in with phone, e-mail or СНИЛС and a password; sign-out; who is signed in.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::AccountLevel;
use super::second_factor::SignInOutcome;
use crate::api::{ApiError, FieldError};

pub mod fields {
    pub const LOGIN: &str = "login";
    pub const PASSWORD: &str = "password";
}

/// What the browser may know about the signed-in user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignedIn {
    /// «Анна Иванова».
    pub name: String,
    pub level: AccountLevel,
    /// Seconds until the session ends for inactivity.
    pub idle_seconds_left: i64,
}

/// The longest login worth looking up: an e-mail address is at most 254 characters. Longer
/// input is refused before it reaches the database or the logs.
pub const MAX_LOGIN_LENGTH: usize = 254;

pub fn check_login(input: &str) -> Result<(), FieldError> {
    if input.chars().count() > MAX_LOGIN_LENGTH {
        return Err(FieldError::new(
            fields::LOGIN,
            "login.too_long",
            "Слишком длинный логин: введите телефон, электронную почту или СНИЛС",
        ));
    }
    if input.trim().is_empty() {
        Err(FieldError::new(
            fields::LOGIN,
            "login.empty",
            "Введите телефон, электронную почту или СНИЛС",
        ))
    } else {
        Ok(())
    }
}

/// A typed password longer than any the portal accepts is refused before argon2 sees it.
pub fn check_password_length(field: &'static str, input: &str) -> Result<(), FieldError> {
    if input.chars().count() > crate::domain::password::MAX_LENGTH {
        return Err(FieldError::new(
            field,
            &format!("{field}.too_long"),
            "Пароль не длиннее 128 символов",
        ));
    }
    Ok(())
}

pub fn check_password(input: &str) -> Result<(), FieldError> {
    check_password_length(fields::PASSWORD, input)?;
    if input.is_empty() {
        Err(FieldError::new(
            fields::PASSWORD,
            "password.empty",
            "Введите пароль",
        ))
    } else {
        Ok(())
    }
}

pub fn validate(login: &str, password: &str) -> Result<(), Vec<FieldError>> {
    let found: Vec<FieldError> = [check_login(login).err(), check_password(password).err()]
        .into_iter()
        .flatten()
        .collect();
    if found.is_empty() { Ok(()) } else { Err(found) }
}

/// Checks the password; signs in, or asks for the second factor.
#[server(prefix = "/api", endpoint = "account/sign-in")]
pub async fn sign_in(login: String, password: String) -> Result<SignInOutcome, ApiError> {
    use crate::api::request;
    use crate::api::services::{Services, SignInResult};

    validate(&login, &password).map_err(ApiError::Invalid)?;
    let services = Services::current()?;
    let client = request::client();
    let result = services
        .accounts
        .sign_in(&login, &password, &client)
        .await
        .map_err(ApiError::from)?;
    // A new session id at every sign-in: a session fixed before it (on a shared computer, say)
    // ends here.
    if let (SignInResult::Session(_), Some(previous)) = (&result, request::session_token()) {
        services.accounts.sign_out(&previous).await?;
    }
    if let SignInResult::Session(_) = &result {
        request::remember_device(&client, services.cookie_policy);
    }
    Ok(request::answer_password(result, services.cookie_policy))
}

/// Ends this session (if any) and clears the cookie; signing out twice is not an error.
#[server(prefix = "/api", endpoint = "account/sign-out")]
pub async fn sign_out() -> Result<(), ApiError> {
    use crate::api::request;
    use crate::api::services::Services;

    let services = Services::current()?;
    if let Some(token) = request::session_token() {
        services.accounts.sign_out(&token).await?;
    }
    request::clear_session_cookie(services.cookie_policy);
    Ok(())
}

/// The signed-in user, or `None`.
#[server(prefix = "/api", endpoint = "account/current")]
pub async fn current_user() -> Result<Option<SignedIn>, ApiError> {
    use crate::api::request;
    use crate::api::services::Services;

    let services = Services::current()?;
    let Some(account) = request::signed_in_account().await? else {
        return Ok(None);
    };
    Ok(Some(SignedIn {
        name: format!("{} {}", account.first_name, account.last_name),
        level: account.level,
        idle_seconds_left: (account.idle_expires_at - services.now()).whole_seconds(),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_fields_are_required() {
        let errors = validate(" ", "").unwrap_err();
        assert_eq!(errors.len(), 2);
        assert!(validate("anna@mail.ru", "x").is_ok());
    }
}
