//! The second factor: a code from an authenticator app (TOTP) or from an SMS, with one-time
//! backup codes («резервный ключ») for when the phone is lost.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::api::{ApiError, FieldError};
#[cfg(feature = "ssr")]
use crate::api::{
    ServiceError, SignedInAccount,
    request::{ClientInfo, NewSession},
};

pub mod fields {
    pub const CODE: &str = "code";
    pub const PASSWORD: &str = "factor_password";
}

/// How the account proves its second factor at sign-in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SecondFactor {
    None,
    Totp,
    Sms,
}

impl SecondFactor {
    pub fn as_str(self) -> &'static str {
        match self {
            SecondFactor::None => "none",
            SecondFactor::Totp => "totp",
            SecondFactor::Sms => "sms",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        [Self::None, Self::Totp, Self::Sms]
            .into_iter()
            .find(|f| f.as_str() == text)
    }

    /// What the profile says about sign-in.
    pub fn description(self) -> &'static str {
        match self {
            SecondFactor::None => "Вход только по паролю",
            SecondFactor::Totp => "Вход по паролю и коду из приложения-аутентификатора",
            SecondFactor::Sms => "Вход по паролю и коду из СМС",
        }
    }

    /// The code field's label at sign-in.
    pub fn code_label(self) -> &'static str {
        match self {
            SecondFactor::Sms => "Код из СМС",
            _ => "Код из приложения",
        }
    }
}

/// What sign-in asks for next.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SignInOutcome {
    SignedIn,
    /// The password was right; a code is awaited (a challenge cookie holds the attempt).
    SecondFactor(SecondFactor),
}

/// What the user needs to connect an authenticator app.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TotpSetup {
    /// The `otpauth://` URL as a QR code, an SVG `data:` URI.
    pub qr_code: String,
    /// The secret for typing in by hand, in groups of four.
    pub secret: String,
}

/// A code as typed at the second step: six digits from an app or SMS, or a backup code
/// (letters and digits, hyphen optional).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FactorCode {
    OneTime(String),
    Backup(String),
}

pub const BACKUP_CODE_LENGTH: usize = 10;
pub const BACKUP_CODES: usize = 10;
/// No 0/O, 1/I/L: backup codes are read off paper.
pub const BACKUP_ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";

pub fn check_factor_code(input: &str) -> Result<FactorCode, FieldError> {
    let compact: String = input
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .collect::<String>()
        .to_ascii_uppercase();
    if compact.is_empty() {
        return Err(FieldError::new(fields::CODE, "code.empty", "Введите код"));
    }
    if compact.len() == 6 && compact.bytes().all(|b| b.is_ascii_digit()) {
        return Ok(FactorCode::OneTime(compact));
    }
    if compact.len() == BACKUP_CODE_LENGTH && compact.bytes().all(|b| BACKUP_ALPHABET.contains(&b))
    {
        return Ok(FactorCode::Backup(compact));
    }
    Err(FieldError::new(
        fields::CODE,
        "code.format",
        "Введите 6 цифр кода или резервный ключ из 10 знаков",
    ))
}

pub fn check_factor_password(input: &str) -> Result<(), FieldError> {
    crate::field_checks::password_length(fields::PASSWORD, input)?;
    if input.is_empty() {
        Err(FieldError::new(
            fields::PASSWORD,
            "password.empty",
            "Введите пароль, чтобы подтвердить, что это вы",
        ))
    } else {
        Ok(())
    }
}

/// Starts connecting an authenticator app: a new secret, not active until a code confirms it.
#[server(prefix = "/api", endpoint = "account/totp/begin")]
pub async fn begin_totp() -> Result<TotpSetup, ApiError> {
    use crate::api::{request, service};
    let account = request::require_account().await?;
    service::<dyn SecondFactorService>()?
        .begin_totp(&account)
        .await
        .map_err(ApiError::from)
}

/// Confirms the app with a code it shows; returns the backup codes, shown once. A privilege
/// change: the session gets a new id.
#[server(prefix = "/api", endpoint = "account/totp/confirm")]
pub async fn confirm_totp(code: String) -> Result<Vec<String>, ApiError> {
    use crate::api::{request, service};
    let code = match check_factor_code(&code) {
        Ok(FactorCode::OneTime(code)) => code,
        _ => {
            return Err(ApiError::Invalid(vec![FieldError::new(
                fields::CODE,
                "code.format",
                "Введите 6 цифр из приложения",
            )]));
        }
    };
    let account = request::require_account().await?;
    let (codes, session) = service::<dyn SecondFactorService>()?
        .confirm_totp(&account, &code, &request::client())
        .await
        .map_err(ApiError::from)?;
    request::set_session_cookie(&session, request::cookie_policy()?);
    Ok(codes)
}

/// Sign-in will need a code from an SMS to the confirmed phone.
#[server(prefix = "/api", endpoint = "account/sms-factor/enable")]
pub async fn enable_sms_factor(password: String) -> Result<Vec<String>, ApiError> {
    use crate::api::{request, service};
    check_factor_password(&password).map_err(|e| ApiError::Invalid(vec![e]))?;
    let account = request::require_account().await?;
    let (codes, session) = service::<dyn SecondFactorService>()?
        .enable_sms_factor(&account, &password, &request::client())
        .await
        .map_err(ApiError::from)?;
    request::set_session_cookie(&session, request::cookie_policy()?);
    Ok(codes)
}

/// Back to password-only sign-in; needs the password.
#[server(prefix = "/api", endpoint = "account/second-factor/disable")]
pub async fn disable_second_factor(password: String) -> Result<(), ApiError> {
    use crate::api::{request, service};
    check_factor_password(&password).map_err(|e| ApiError::Invalid(vec![e]))?;
    let account = request::require_account().await?;
    let session = service::<dyn SecondFactorService>()?
        .disable_second_factor(&account, &password, &request::client())
        .await
        .map_err(ApiError::from)?;
    request::set_session_cookie(&session, request::cookie_policy()?);
    Ok(())
}

/// New backup codes; the old ones stop working.
#[server(prefix = "/api", endpoint = "account/backup-codes")]
pub async fn new_backup_codes(password: String) -> Result<Vec<String>, ApiError> {
    use crate::api::{request, service};
    check_factor_password(&password).map_err(|e| ApiError::Invalid(vec![e]))?;
    let account = request::require_account().await?;
    service::<dyn SecondFactorService>()?
        .new_backup_codes(&account, &password, &request::client())
        .await
        .map_err(ApiError::from)
}

/// The second factor: an authenticator app or SMS codes, and backup codes.
#[cfg(feature = "ssr")]
#[async_trait::async_trait]
pub trait SecondFactorService: Send + Sync {
    async fn begin_totp(&self, account: &SignedInAccount) -> Result<TotpSetup, ServiceError>;

    /// Returns the new backup codes and the session under its new id.
    async fn confirm_totp(
        &self,
        account: &SignedInAccount,
        code: &str,
        client: &ClientInfo,
    ) -> Result<(Vec<String>, NewSession), ServiceError>;

    async fn enable_sms_factor(
        &self,
        account: &SignedInAccount,
        password: &str,
        client: &ClientInfo,
    ) -> Result<(Vec<String>, NewSession), ServiceError>;

    async fn disable_second_factor(
        &self,
        account: &SignedInAccount,
        password: &str,
        client: &ClientInfo,
    ) -> Result<NewSession, ServiceError>;

    async fn new_backup_codes(
        &self,
        account: &SignedInAccount,
        password: &str,
        client: &ClientInfo,
    ) -> Result<Vec<String>, ServiceError>;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_told_apart_by_shape() {
        assert_eq!(
            check_factor_code(" 123 456 "),
            Ok(FactorCode::OneTime("123456".into()))
        );
        assert_eq!(
            check_factor_code("abcde-fghjk"),
            Ok(FactorCode::Backup("ABCDEFGHJK".into()))
        );
        assert_eq!(check_factor_code("").unwrap_err().code, "code.empty");
        assert_eq!(check_factor_code("12345").unwrap_err().code, "code.format");
        // Ambiguous letters never appear in backup codes.
        assert_eq!(
            check_factor_code("ABCDE-FGHJ0").unwrap_err().code,
            "code.format"
        );
    }

    #[test]
    fn passwords_that_confirm_it_is_you_are_capped_before_argon2() {
        assert_eq!(
            check_factor_password("").unwrap_err().code,
            "password.empty"
        );
        assert!(check_factor_password(&"x".repeat(128)).is_ok());
        assert_eq!(
            check_factor_password(&"x".repeat(129)).unwrap_err().code,
            "factor_password.too_long"
        );
    }

    #[test]
    fn factors_round_trip_through_their_stored_names() {
        for f in [SecondFactor::None, SecondFactor::Totp, SecondFactor::Sms] {
            assert_eq!(SecondFactor::parse(f.as_str()), Some(f));
        }
    }
}
