//! Support requests about applications: the family follows its questions and their answers
//! («Мои обращения в поддержку»); an officer sees the open questions about applications — the text
//! and the application's number, never the family's СНИЛС or e-mail — and answers them in the back
//! office.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::api::{ApiError, FieldError};
#[cfg(feature = "ssr")]
use crate::api::{ServiceError, SignedInAccount};

/// Where a request stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SupportStatus {
    Registered,
    Answered,
}

impl SupportStatus {
    pub const ALL: [SupportStatus; 2] = [SupportStatus::Registered, SupportStatus::Answered];

    pub fn as_str(self) -> &'static str {
        match self {
            SupportStatus::Registered => "registered",
            SupportStatus::Answered => "answered",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            SupportStatus::Registered => "Зарегистрировано",
            SupportStatus::Answered => "Ответ получен",
        }
    }
}

/// The application a request is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AboutApplication {
    pub id: i64,
    /// «600101-2026-0000042».
    pub number: String,
}

/// A request as its author follows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SupportRequest {
    pub id: i64,
    /// «ВП-000042».
    pub number: String,
    /// «06.12.2026 14:05», Moscow time.
    pub asked_at: String,
    pub text: String,
    pub application: Option<AboutApplication>,
    pub status: SupportStatus,
    /// Empty until answered.
    pub answer: String,
    /// «Специалист № 105».
    pub answered_by: Option<String>,
    pub answered_at: Option<String>,
}

/// An open request about an application, as the officer sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpenRequest {
    pub id: i64,
    pub number: String,
    pub asked_at: String,
    pub text: String,
    pub application: AboutApplication,
}

/// The officer's answer field.
pub const ANSWER_FIELD: &str = "answer";
pub const MAX_ANSWER_CHARS: usize = 2000;

pub fn check_answer(input: &str) -> Result<String, FieldError> {
    let text = input.trim();
    if text.is_empty() {
        Err(FieldError::new(
            ANSWER_FIELD,
            "answer.empty",
            "Напишите ответ — заявитель увидит его в личном кабинете",
        ))
    } else if text.chars().count() > MAX_ANSWER_CHARS {
        Err(FieldError::new(
            ANSWER_FIELD,
            "answer.too_long",
            "Ответ должен быть не длиннее 2000 знаков — сократите текст",
        ))
    } else {
        Ok(text.to_owned())
    }
}

/// «Мои обращения в поддержку», newest first.
#[server(prefix = "/api", endpoint = "support/mine")]
pub async fn my_support_requests() -> Result<Vec<SupportRequest>, ApiError> {
    use crate::api::{request, service};
    let account = request::require_account().await?;
    Ok(service::<dyn SupportRequests>()?.mine(&account).await?)
}

/// The open requests about applications, oldest first.
#[server(prefix = "/api", endpoint = "officer/support")]
pub async fn open_support_requests() -> Result<Vec<OpenRequest>, ApiError> {
    use crate::api::{request, service};
    let officer = request::require_officer().await?;
    Ok(service::<dyn SupportRequests>()?.open(&officer).await?)
}

/// The officer's answer; the open requests after it.
#[server(prefix = "/api", endpoint = "officer/support-answer")]
pub async fn answer_support_request(id: i64, answer: String) -> Result<Vec<OpenRequest>, ApiError> {
    use crate::api::{request, service};
    let officer = request::require_officer().await?;
    let answer = check_answer(&answer).map_err(|e| ApiError::Invalid(vec![e]))?;
    Ok(service::<dyn SupportRequests>()?
        .answer(&officer, id, answer)
        .await?)
}

#[cfg(feature = "ssr")]
#[async_trait::async_trait]
pub trait SupportRequests: Send + Sync {
    async fn mine(&self, account: &SignedInAccount) -> Result<Vec<SupportRequest>, ServiceError>;

    async fn open(&self, officer: &SignedInAccount) -> Result<Vec<OpenRequest>, ServiceError>;

    /// Answers a request about an application once; the family is told.
    async fn answer(
        &self,
        officer: &SignedInAccount,
        id: i64,
        answer: String,
    ) -> Result<Vec<OpenRequest>, ServiceError>;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_read_back_and_answers_are_checked() {
        for status in SupportStatus::ALL {
            assert_eq!(SupportStatus::parse(status.as_str()), Some(status));
        }
        assert_eq!(check_answer("  Ускорили  ").unwrap(), "Ускорили");
        assert_eq!(check_answer(" ").unwrap_err().code, "answer.empty");
        assert_eq!(
            check_answer(&"я".repeat(MAX_ANSWER_CHARS + 1))
                .unwrap_err()
                .code,
            "answer.too_long"
        );
    }
}
