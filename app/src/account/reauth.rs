//! «Подтвердите, что это вы»: re-authentication before a sensitive operation (changing the e-mail
//! or phone now; later issues add their own). The password, and the second factor if the account
//! has one; success marks the session for ten minutes and gives it a new id.

use leptos::prelude::*;

use super::second_factor::SignInOutcome;
use crate::api::ApiError;

#[cfg(feature = "ssr")]
use super::second_factor::FactorCode;
#[cfg(feature = "ssr")]
use super::sign_in::SignInResult;
pub use crate::api::REAUTH_MINUTES;
#[cfg(feature = "ssr")]
use crate::api::{
    ServiceError, SignedInAccount,
    request::{ClientInfo, NewSession},
};

#[server(prefix = "/api", endpoint = "account/reauthenticate")]
pub async fn reauthenticate(password: String) -> Result<SignInOutcome, ApiError> {
    use super::second_factor::check_factor_password;
    use crate::api::request;
    use crate::api::service;
    check_factor_password(&password).map_err(|e| ApiError::Invalid(vec![e]))?;
    let account = request::require_account().await?;
    let result = service::<dyn ReauthService>()?
        .reauthenticate(&account, &password, &request::client())
        .await
        .map_err(ApiError::from)?;
    Ok(super::sign_in::answer_password(
        result,
        request::cookie_policy()?,
    ))
}

#[server(prefix = "/api", endpoint = "account/reauthenticate/second-factor")]
pub async fn reauthenticate_second_factor(code: String) -> Result<(), ApiError> {
    use super::second_factor::{FactorCode, check_factor_code};
    use crate::api::service;
    use crate::api::{Refusal, request};
    let code: FactorCode = check_factor_code(&code).map_err(|e| ApiError::Invalid(vec![e]))?;
    let account = request::require_account().await?;
    let challenge =
        request::challenge_token().ok_or(ApiError::Refused(Refusal::ChallengeExpired))?;
    let session = service::<dyn ReauthService>()?
        .reauthenticate_second_factor(&account, &challenge, code, &request::client())
        .await
        .map_err(ApiError::from)?;
    let policy = request::cookie_policy()?;
    request::clear_challenge_cookie(policy);
    request::set_session_cookie(&session, policy);
    Ok(())
}

/// «Подтвердите, что это вы» before a sensitive operation.
#[cfg(feature = "ssr")]
#[async_trait::async_trait]
pub trait ReauthService: Send + Sync {
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
}
