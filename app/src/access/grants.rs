//! «Полный» access to a category is a parent's consent. A minor asks for it on «Мои сервисы»: a
//! code goes to the parents' confirmed phone (or e-mail) and the request waits in the parent's
//! «Настройки доступа»; the minor entering the code, or the parent pressing «Одобрить», grants
//! it. Like the other consents it has a signed receipt, can be revoked, and it expires.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::api::{ApiError, FieldError};
#[cfg(feature = "ssr")]
use crate::api::{ServiceError, SignedInAccount};
pub use crate::domain::access::ServiceCategory;

/// How long a grant holds.
pub const GRANT_DAYS: i64 = 365;
/// The minor's code field (one per waiting request: `code-{id}` on the page).
pub const CODE_FIELD: &str = "code";

/// A grant's receipt, for the parent.
pub fn receipt_path(grant: i64) -> String {
    format!("/documents/family/access-grants/{grant}/receipt")
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GrantStatus {
    Requested,
    Granted,
    Declined,
    Revoked,
    Expired,
}

impl GrantStatus {
    pub const ALL: [GrantStatus; 5] = [
        GrantStatus::Requested,
        GrantStatus::Granted,
        GrantStatus::Declined,
        GrantStatus::Revoked,
        GrantStatus::Expired,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            GrantStatus::Requested => "requested",
            GrantStatus::Granted => "granted",
            GrantStatus::Declined => "declined",
            GrantStatus::Revoked => "revoked",
            GrantStatus::Expired => "expired",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            GrantStatus::Requested => "Ожидает решения",
            GrantStatus::Granted => "Действует",
            GrantStatus::Declined => "Отклонено",
            GrantStatus::Revoked => "Отозвано",
            GrantStatus::Expired => "Истекло",
        }
    }
}

/// How a grant was given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GrantedHow {
    /// The minor entered the code sent to the parent.
    Code,
    /// A parent pressed «Одобрить» or chose «Полный» in the settings.
    Parent,
}

impl GrantedHow {
    pub fn as_str(self) -> &'static str {
        match self {
            GrantedHow::Code => "code",
            GrantedHow::Parent => "parent",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        [GrantedHow::Code, GrantedHow::Parent]
            .into_iter()
            .find(|h| h.as_str() == code)
    }
}

/// A request or grant as the parent's settings page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessGrant {
    pub id: i64,
    pub category: ServiceCategory,
    pub status: GrantStatus,
    /// «07.12.2026 10:15», Moscow time.
    pub requested_at: String,
    /// «Иванова Анна Сергеевна (родитель)» or «по коду подтверждения»; empty while waiting.
    pub decided_by: String,
    /// Until when the grant holds (or the code, while waiting).
    pub valid_until: String,
}

/// A request of the minor's, waiting for the code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WaitingRequest {
    pub id: i64,
    pub category: ServiceCategory,
    /// Until when the code holds.
    pub code_valid_until: String,
}

/// The minor's code as typed: six digits.
pub fn check_code(input: &str) -> Result<String, FieldError> {
    let code: String = input.chars().filter(|c| !c.is_whitespace()).collect();
    if code.is_empty() {
        return Err(FieldError::new(
            CODE_FIELD,
            "code.empty",
            "Введите код подтверждения — его получил родитель в SMS или письме",
        ));
    }
    if code.len() != 6 || !code.chars().all(|c| c.is_ascii_digit()) {
        return Err(FieldError::new(
            CODE_FIELD,
            "code.format",
            "Код подтверждения — 6 цифр",
        ));
    }
    Ok(code)
}

/// «Запросить полный доступ» by the signed-in minor.
#[server(prefix = "/api", endpoint = "services/request-full")]
pub async fn request_full_access(category: ServiceCategory) -> Result<WaitingRequest, ApiError> {
    use crate::api::{request, service};
    let minor = request::require_account().await?;
    Ok(service::<dyn FullAccess>()?
        .request(&minor, category)
        .await?)
}

/// The minor enters the code the parent received.
#[server(prefix = "/api", endpoint = "services/confirm-full")]
pub async fn confirm_full_access(request: i64, code: String) -> Result<(), ApiError> {
    use crate::api::{request as http, service};
    let code = check_code(&code).map_err(|e| ApiError::Invalid(vec![e]))?;
    let minor = http::require_account().await?;
    Ok(service::<dyn FullAccess>()?
        .confirm(&minor, request, &code)
        .await?)
}

#[cfg(feature = "ssr")]
#[async_trait::async_trait]
pub trait FullAccess: Send + Sync {
    /// A new request with a new code to the parents; a category already «Полный» is refused,
    /// and a request waiting for it is replaced.
    async fn request(
        &self,
        minor: &SignedInAccount,
        category: ServiceCategory,
    ) -> Result<WaitingRequest, ServiceError>;

    /// The code's try is reserved before the comparison; five wrong ones end the request.
    async fn confirm(
        &self,
        minor: &SignedInAccount,
        request: i64,
        code: &str,
    ) -> Result<(), ServiceError>;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_six_digits_and_statuses_read_back() {
        assert_eq!(check_code(" 123 456 "), Ok("123456".to_owned()));
        assert_eq!(check_code("").unwrap_err().code, "code.empty");
        assert_eq!(check_code("12345").unwrap_err().code, "code.format");
        assert_eq!(check_code("12345а").unwrap_err().code, "code.format");
        for status in GrantStatus::ALL {
            assert_eq!(GrantStatus::parse(status.as_str()), Some(status));
        }
    }
}
