//! «Вход»: sign-in with phone, e-mail or СНИЛС and a password, the second step, and sign-out.

use leptos::prelude::*;

#[cfg(feature = "ssr")]
use super::second_factor::FactorCode;
use super::second_factor::SignInOutcome;
use crate::api::{ApiError, FieldError};
#[cfg(feature = "ssr")]
use crate::api::{
    ServiceError,
    request::{ClientInfo, NewSession},
};
use crate::field_checks;

pub mod fields {
    pub const LOGIN: &str = "login";
    pub const PASSWORD: &str = "password";
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

pub fn check_password(input: &str) -> Result<(), FieldError> {
    field_checks::password_length(fields::PASSWORD, input)?;
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

/// What a right password leads to.
#[cfg(feature = "ssr")]
#[derive(Debug, Clone)]
pub enum SignInResult {
    Session(NewSession),
    /// The account has a second factor: the browser keeps this token in a short-lived cookie
    /// and sends the code next.
    Challenge {
        token: String,
        max_age_seconds: i64,
        factor: super::second_factor::SecondFactor,
    },
}

/// Sets the cookie a right password leads to — the session, or the challenge for the second
/// factor — and says which it was.
#[cfg(feature = "ssr")]
pub fn answer_password(
    result: SignInResult,
    policy: crate::api::request::CookiePolicy,
) -> SignInOutcome {
    use crate::api::request;
    match result {
        SignInResult::Session(session) => {
            request::set_session_cookie(&session, policy);
            SignInOutcome::SignedIn
        }
        SignInResult::Challenge {
            token,
            max_age_seconds,
            factor,
        } => {
            request::set_challenge_cookie(&token, max_age_seconds, policy);
            SignInOutcome::SecondFactor(factor)
        }
    }
}

/// Checks the password; signs in, or asks for the second factor.
#[server(prefix = "/api", endpoint = "account/sign-in")]
pub async fn sign_in(login: String, password: String) -> Result<SignInOutcome, ApiError> {
    use super::session::SessionService;
    use crate::api::{request, service};

    validate(&login, &password).map_err(ApiError::Invalid)?;
    let policy = request::cookie_policy()?;
    let client = request::client();
    let result = service::<dyn SignInService>()?
        .sign_in(&login, &password, &client)
        .await?;
    // A new session id at every sign-in: a session fixed before it (on a shared computer, say)
    // ends here.
    if let (SignInResult::Session(_), Some(previous)) = (&result, request::session_token()) {
        service::<dyn SessionService>()?.sign_out(&previous).await?;
    }
    if let SignInResult::Session(_) = &result {
        request::remember_device(&client, policy);
    }
    Ok(answer_password(result, policy))
}

/// The second step of sign-in.
#[server(prefix = "/api", endpoint = "account/sign-in/second-factor")]
pub async fn sign_in_second_factor(code: String) -> Result<(), ApiError> {
    use super::second_factor::check_factor_code;
    use super::session::SessionService;
    use crate::api::{request, service};
    let code = check_factor_code(&code).map_err(|e| ApiError::Invalid(vec![e]))?;
    let challenge = request::challenge_token()
        .ok_or(ApiError::Refused(crate::api::Refusal::ChallengeExpired))?;
    let client = request::client();
    let session = service::<dyn SignInService>()?
        .complete_sign_in(&challenge, code, &client)
        .await
        .map_err(ApiError::from)?;
    let policy = request::cookie_policy()?;
    request::clear_challenge_cookie(policy);
    request::remember_device(&client, policy);
    if let Some(previous) = request::session_token() {
        service::<dyn SessionService>()?.sign_out(&previous).await?;
    }
    request::set_session_cookie(&session, policy);
    Ok(())
}

/// Ends this session (if any) and clears the cookie; signing out twice is not an error.
#[server(prefix = "/api", endpoint = "account/sign-out")]
pub async fn sign_out() -> Result<(), ApiError> {
    use super::session::SessionService;
    use crate::api::{request, service};

    let policy = request::cookie_policy()?;
    if let Some(token) = request::session_token() {
        service::<dyn SessionService>()?.sign_out(&token).await?;
    }
    request::clear_session_cookie(policy);
    Ok(())
}

/// «Вход»: the password step and the second step.
#[cfg(feature = "ssr")]
#[async_trait::async_trait]
pub trait SignInService: Send + Sync {
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
