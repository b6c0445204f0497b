//! «Профиль»: the account's own data, password change and sessions.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::AccountLevel;
use super::registration::{check_password, check_password_repeat};
use super::session::SessionInfo;
use crate::api::{ApiError, FieldError};
#[cfg(feature = "ssr")]
use crate::api::{ServiceError, SignedInAccount, request::ClientInfo};
#[cfg(feature = "ssr")]
use crate::domain::Password;

pub mod fields {
    pub const CURRENT_PASSWORD: &str = "current_password";
    /// The new password's fields share the registration ids, so `NewPasswordFields` works here.
    pub const PASSWORD: &str = super::super::registration::fields::PASSWORD;
    pub const PASSWORD_REPEAT: &str = super::super::registration::fields::PASSWORD_REPEAT;
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Profile {
    /// «Иванова Анна Сергеевна».
    pub full_name: String,
    pub birth_date: String,
    /// «112-233-445 95».
    pub snils: String,
    pub level: AccountLevel,
    pub email: String,
    pub email_confirmed: bool,
    pub phone: String,
    pub phone_confirmed: bool,
    pub second_factor: super::second_factor::SecondFactor,
    /// Unused backup codes.
    pub backup_codes_left: u32,
    /// This session re-authenticated recently: sensitive changes go ahead without asking again.
    pub reauthenticated: bool,
    /// The newest passport and СНИЛС check («стандартная» учётная запись), if any.
    pub identity_check: Option<super::identity::IdentityCheckView>,
    /// «Адрес постоянной регистрации», when given; fills a child's address in «Создать».
    pub registration_address: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProfilePage {
    pub profile: Profile,
    pub sessions: Vec<SessionInfo>,
    /// A minor's link code and linked parents; `None` for an adult. Loaded with the rest so the
    /// page hydrates from one resource.
    pub minor_links: Option<crate::child_account::linking::MinorLinks>,
}

pub fn check_current_password(input: &str) -> Result<(), FieldError> {
    crate::field_checks::password_length(fields::CURRENT_PASSWORD, input)?;
    if input.is_empty() {
        Err(FieldError::new(
            fields::CURRENT_PASSWORD,
            "current_password.empty",
            "Введите текущий пароль",
        ))
    } else {
        Ok(())
    }
}

pub fn validate_password_change(
    current: &str,
    new: &str,
    repeat: &str,
) -> Result<crate::domain::Password, Vec<FieldError>> {
    let current_ok = check_current_password(current);
    let new_password = check_password(new);
    let repeat_ok = check_password_repeat(new, repeat);
    match (current_ok, new_password, repeat_ok) {
        (Ok(()), Ok(password), Ok(())) => Ok(password),
        (a, b, c) => Err([a.err(), b.err(), c.err()].into_iter().flatten().collect()),
    }
}

#[server(prefix = "/api", endpoint = "account/profile")]
pub async fn load_profile() -> Result<ProfilePage, ApiError> {
    use super::session::SessionService;
    use crate::api::{request, service};
    use crate::child_account::linking::LinkCodeService;
    let account = request::require_account().await?;
    Ok(ProfilePage {
        profile: service::<dyn ProfileService>()?.profile(&account).await?,
        sessions: service::<dyn SessionService>()?.sessions(&account).await?,
        // A minor's account shows its parents here (the child-account feature owns the links).
        minor_links: service::<dyn LinkCodeService>()?
            .minor_links(&account)
            .await?,
    })
}

/// Needs the current password; ends the account's other sessions and tells the user by e-mail
/// and SMS.
#[server(prefix = "/api", endpoint = "account/change-password")]
pub async fn change_password(
    current_password: String,
    password: String,
    password_repeat: String,
) -> Result<(), ApiError> {
    use crate::api::{request, service};
    let new_password = validate_password_change(&current_password, &password, &password_repeat)
        .map_err(ApiError::Invalid)?;
    let account = request::require_account().await?;
    service::<dyn ProfileService>()?
        .change_password(
            &account,
            &current_password,
            new_password,
            &request::client(),
        )
        .await
        .map_err(ApiError::from)
}

/// «Выйти на всех устройствах»: ends every session of the account, this one included.
#[server(prefix = "/api", endpoint = "account/sign-out-everywhere")]
pub async fn sign_out_everywhere() -> Result<(), ApiError> {
    use super::session::SessionService;
    use crate::api::{request, service};
    let account = request::require_account().await?;
    service::<dyn SessionService>()?
        .end_all_sessions(&account)
        .await?;
    request::clear_session_cookie(request::cookie_policy()?);
    Ok(())
}

/// «Продолжить работу» in the expiry warning: counts as activity and returns the new time left.
#[server(prefix = "/api", endpoint = "account/extend-session")]
pub async fn extend_session() -> Result<i64, ApiError> {
    use super::session::SessionService;
    use crate::api::{request, service};
    let account = request::require_account().await?;
    let account = service::<dyn SessionService>()?
        .extend_session(&account)
        .await?;
    Ok((account.idle_expires_at - crate::api::now()?).whole_seconds())
}

/// «Профиль»: what the account holds, the password and the registration address.
#[cfg(feature = "ssr")]
#[async_trait::async_trait]
pub trait ProfileService: Send + Sync {
    async fn profile(&self, account: &SignedInAccount) -> Result<Profile, ServiceError>;

    /// Checks the current password (a wrong one counts as a failed sign-in), ends the other
    /// sessions and notifies the user on e-mail and phone.
    async fn change_password(
        &self,
        account: &SignedInAccount,
        current: &str,
        new: Password,
        client: &ClientInfo,
    ) -> Result<(), ServiceError>;

    /// «Адрес постоянной регистрации» (already checked).
    async fn set_registration_address(
        &self,
        account: &SignedInAccount,
        address: String,
    ) -> Result<(), ServiceError>;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_overlong_current_password_is_refused_before_hashing() {
        assert_eq!(
            check_current_password(&"x".repeat(10_000))
                .unwrap_err()
                .code,
            "current_password.too_long"
        );
    }

    #[test]
    fn a_password_change_needs_all_three_fields_right() {
        let errors = validate_password_change("", "short", "other").unwrap_err();
        let fields: Vec<_> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["current_password", "password", "password_repeat"]);
        assert!(validate_password_change("old", "Kozlik-2026", "Kozlik-2026").is_ok());
    }
}

/// «Адрес постоянной регистрации» of the signed-in user.
#[server(prefix = "/api", endpoint = "account/registration-address")]
pub async fn save_registration_address(address: String) -> Result<(), ApiError> {
    use crate::api::{request, service};
    let account = request::require_account().await?;
    let address = crate::child_account::wizard::check_address(&address)
        .map_err(|e| ApiError::Invalid(vec![e]))?;
    service::<dyn ProfileService>()?
        .set_registration_address(&account, address)
        .await
        .map_err(ApiError::from)
}
