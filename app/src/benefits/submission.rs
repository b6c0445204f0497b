//! «Отправить»: a checked draft becomes an application with a number, the time of sending and a
//! signed PDF receipt. The browser makes one idempotency key per draft: the same key with the
//! same answers gets the same application back (a retry after a lost answer or a 429), the same
//! key with other answers is refused, and concurrent repeats make one application.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::status::ApplicationStatus;
use crate::api::{ApiError, FieldError};
#[cfg(feature = "ssr")]
use crate::api::{ServiceError, SignedInAccount, request, service};

pub mod fields {
    pub const DECLARATION: &str = "declaration";
    pub const ACCEPT_WARNINGS: &str = "accept_warnings";
    /// Not a field the parent types: the key and version «Отправить» carries.
    pub const SUBMISSION: &str = "submission";
}

/// What «Отправить» sends.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Submission {
    pub draft_id: i64,
    /// The draft's version the parent checked on «Проверьте ответы».
    pub version: i64,
    /// Made by the browser once per draft (and kept across retries).
    pub key: String,
    /// «Подтверждаю, что сведения верны…».
    pub declaration: bool,
    /// «Понимаю, что проверка нашла несоответствия…»: needed only when a rule failed.
    pub accept_warnings: bool,
}

/// The answer to «Отправить».
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Submitted {
    pub application_id: i64,
    /// «600101-2026-0000042».
    pub number: String,
    /// «03.12.2026 14:05», Moscow time.
    pub submitted_at: String,
    pub status: ApplicationStatus,
}

/// The application's number: the service, the year of sending, the serial.
pub fn application_number(service_number: &str, year: i32, id: i64) -> String {
    crate::domain::ApplicationNumber {
        service_number: service_number.to_owned(),
        year,
        id,
    }
    .to_string()
}

/// A key the browser made: 16 to 64 letters, digits or dashes (a UUID fits).
pub fn check_key(key: &str) -> Result<(), FieldError> {
    let fits = (16..=64).contains(&key.len())
        && key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
    if fits {
        Ok(())
    } else {
        Err(FieldError::new(
            fields::SUBMISSION,
            "submission.key",
            "Не удалось отправить заявление: обновите страницу и нажмите «Отправить» ещё раз",
        ))
    }
}

/// «Отправить» named answers another tab or device changed since they were checked.
pub fn answers_changed() -> FieldError {
    FieldError::new(
        fields::SUBMISSION,
        "answers.changed",
        "Ответы изменились на другой вкладке или устройстве. Обновите страницу, проверьте их и \
         отправьте",
    )
}

/// The key was used before for other answers (HTTP 422, as the idempotency-key draft says).
pub fn key_reused() -> FieldError {
    FieldError::new(
        fields::SUBMISSION,
        "submission.key_reused",
        "Этот запрос на отправку уже использован для других ответов. Обновите страницу и \
         отправьте заявление ещё раз",
    )
}

/// A failed eligibility rule needs «Понимаю и всё равно отправляю заявление».
pub fn check_accept_warnings(rule_failed: bool, accepted: bool) -> Result<(), FieldError> {
    if !rule_failed || accepted {
        Ok(())
    } else {
        Err(FieldError::new(
            fields::ACCEPT_WARNINGS,
            "accept_warnings.missing",
            "Проверка нашла несоответствия: подтвердите, что всё равно отправляете заявление, \
             или сначала исправьте данные",
        ))
    }
}

pub fn check_declaration(given: bool) -> Result<(), FieldError> {
    if given {
        Ok(())
    } else {
        Err(FieldError::new(
            fields::DECLARATION,
            "declaration.missing",
            "Подтвердите, что сведения в заявлении верны",
        ))
    }
}

#[server(prefix = "/api", endpoint = "benefits/submit")]
pub async fn submit_application(submission: Submission) -> Result<Submitted, ApiError> {
    let parent = request::require_confirmed_account().await?;
    check_key(&submission.key).map_err(|e| ApiError::Invalid(vec![e]))?;
    Ok(service::<dyn ApplicationSubmission>()?
        .submit(&parent, submission)
        .await?)
}

#[cfg(feature = "ssr")]
#[async_trait::async_trait]
pub trait ApplicationSubmission: Send + Sync {
    /// Checks the draft once more (its answers, the child, the declaration, the warnings), then
    /// in one transaction: the application, the draft removed, the eligibility check again, and
    /// the confirmation messages. The same key and content answer the same application.
    async fn submit(
        &self,
        parent: &SignedInAccount,
        submission: Submission,
    ) -> Result<Submitted, ServiceError>;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_number_names_the_service_and_year_and_a_key_is_a_plain_token() {
        assert_eq!(
            application_number("600101", 2026, 42),
            "600101-2026-0000042"
        );
        assert!(check_key("0f8b6a3c-41d2-4e0a-9f7e-2b9c1d3e4f5a").is_ok());
        assert!(check_key("short").is_err());
        assert!(check_key(&"a".repeat(65)).is_err());
        assert!(check_key("0f8b6a3c 41d2 4e0a 9f7e").is_err());
        assert!(check_declaration(false).is_err());
    }
}
