//! «Подтвердите, что это вы»: re-authentication before a sensitive operation (changing the e-mail
//! or phone now; later issues add their own). The password, and the second factor if the account
//! has one; success marks the session for ten minutes and gives it a new id.

use leptos::prelude::*;

use super::second_factor::SignInOutcome;
use crate::api::ApiError;

/// How long a re-authentication unlocks sensitive operations.
pub const REAUTH_MINUTES: i64 = 10;

#[server(prefix = "/api", endpoint = "account/reauthenticate")]
pub async fn reauthenticate(password: String) -> Result<SignInOutcome, ApiError> {
    use super::second_factor::check_factor_password;
    use crate::api::request;
    use crate::api::services::Services;
    check_factor_password(&password).map_err(|e| ApiError::Invalid(vec![e]))?;
    let account = request::require_account().await?;
    let services = Services::current()?;
    let result = services
        .accounts
        .reauthenticate(&account, &password, &request::client())
        .await
        .map_err(ApiError::from)?;
    Ok(request::answer_password(result, services.cookie_policy))
}

#[server(prefix = "/api", endpoint = "account/reauthenticate/second-factor")]
pub async fn reauthenticate_second_factor(code: String) -> Result<(), ApiError> {
    use super::second_factor::{FactorCode, check_factor_code};
    use crate::api::services::Services;
    use crate::api::{Refusal, request};
    let code: FactorCode = check_factor_code(&code).map_err(|e| ApiError::Invalid(vec![e]))?;
    let account = request::require_account().await?;
    let challenge =
        request::challenge_token().ok_or(ApiError::Refused(Refusal::ChallengeExpired))?;
    let services = Services::current()?;
    let session = services
        .accounts
        .reauthenticate_second_factor(&account, &challenge, code, &request::client())
        .await
        .map_err(ApiError::from)?;
    request::clear_challenge_cookie(services.cookie_policy);
    request::set_session_cookie(&session, services.cookie_policy);
    Ok(())
}
