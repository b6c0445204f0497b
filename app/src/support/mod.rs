//! «Помощь → Задать вопрос»: a question to the support desk. The first vertical slice, and the
//! pattern every later form follows: the same validation runs in the browser as the user types and
//! on the server before anything is written; refusals come back as field-level [`FieldError`]s.
//! Asked signed in, a question is tied to the account; asked about an application (its number
//! filled in from the application's page), to that application too, and an officer answers it in
//! the back office ([`requests`]).

mod page;
pub mod requests;
mod requests_page;

pub use page::AskQuestionPage;
pub use requests_page::{MySupportRequestsPage, OfficerSupportPage};

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use crate::api::ServiceError;
use crate::api::{ApiError, FieldError};
use crate::domain::{ApplicationNumber, Email, Snils};
use crate::field_checks;

/// Field ids: the input ids in the page and the `field` of each [`FieldError`].
pub mod fields {
    pub const SNILS: &str = "snils";
    pub const EMAIL: &str = "email";
    pub const TEXT: &str = "text";
    /// The application's number, when the question is about one.
    pub const APPLICATION: &str = "application";
}

pub const MAX_TEXT_CHARS: usize = 2000;

/// A question that passed validation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Question {
    pub snils: Snils,
    pub email: Email,
    pub text: String,
}

/// What the applicant gets back: the number to quote and when the question was registered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuestionReceipt {
    pub number: String,
    /// «25.11.2026 14:05» in Moscow time.
    pub registered_at: String,
}

pub fn check_snils(input: &str) -> Result<Snils, FieldError> {
    field_checks::snils(fields::SNILS, input)
}

pub fn check_email(input: &str) -> Result<Email, FieldError> {
    field_checks::email(fields::EMAIL, input)
}

/// The application a question is about: none, or a number as printed.
pub fn check_application(input: &str) -> Result<Option<ApplicationNumber>, FieldError> {
    match input.trim() {
        "" => Ok(None),
        typed => ApplicationNumber::parse(typed).map(Some).ok_or_else(|| {
            FieldError::new(
                fields::APPLICATION,
                "application_number.format",
                "Номер заявления пишется так: 600101-2026-0000042",
            )
        }),
    }
}

pub fn check_text(input: &str) -> Result<String, FieldError> {
    let text = input.trim();
    if text.is_empty() {
        Err(FieldError::new(
            fields::TEXT,
            "text.empty",
            "Напишите ваш вопрос",
        ))
    } else if text.chars().count() > MAX_TEXT_CHARS {
        Err(FieldError::new(
            fields::TEXT,
            "text.too_long",
            "Вопрос должен быть не длиннее 2000 знаков — сократите текст",
        ))
    } else {
        Ok(text.to_owned())
    }
}

/// Validates every field and reports every refusal at once, in the order of the form.
pub fn validate(snils: &str, email: &str, text: &str) -> Result<Question, Vec<FieldError>> {
    match (check_snils(snils), check_email(email), check_text(text)) {
        (Ok(snils), Ok(email), Ok(text)) => Ok(Question { snils, email, text }),
        (snils, email, text) => Err([snils.err(), email.err(), text.err()]
            .into_iter()
            .flatten()
            .collect()),
    }
}

/// Registers the question. The server validates again: the browser's checks are a convenience,
/// never a guarantee. A question about an application needs the session of its applicant.
#[server(prefix = "/api", endpoint = "support/question")]
pub async fn submit_question(
    snils: String,
    email: String,
    text: String,
    #[server(default)] application: String,
) -> Result<QuestionReceipt, ApiError> {
    use crate::api::{request, service};

    let question = validate(&snils, &email, &text).map_err(ApiError::Invalid)?;
    let about = check_application(&application).map_err(|e| ApiError::Invalid(vec![e]))?;
    let asker = request::signed_in_account().await?;
    if about.is_some() && asker.is_none() {
        return Err(ApiError::SignInRequired);
    }
    Ok(service::<dyn SupportDesk>()?
        .register(question, asker.as_ref(), about)
        .await?)
}

/// Questions to the support desk («Помощь → Задать вопрос»).
#[cfg(feature = "ssr")]
#[async_trait::async_trait]
pub trait SupportDesk: Send + Sync {
    /// `asker`: the signed-in account, if any; `about`: an application of theirs (another's is
    /// refused at the field, like one that does not exist).
    async fn register(
        &self,
        question: Question,
        asker: Option<&crate::api::SignedInAccount>,
        about: Option<ApplicationNumber>,
    ) -> Result<QuestionReceipt, ServiceError>;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reports_every_wrong_field_in_form_order() {
        let errors = validate("123", "anna", "  ").unwrap_err();
        let codes: Vec<_> = errors
            .iter()
            .map(|e| (e.field.as_str(), e.code.as_str()))
            .collect();
        assert_eq!(
            codes,
            [
                ("snils", "snils.format"),
                ("email", "email.format"),
                ("text", "text.empty")
            ]
        );
    }

    #[test]
    fn accepts_a_complete_question_and_trims_the_text() {
        let q = validate(
            "112-233-445 95",
            "anna@mail.ru",
            "  Как добавить ребёнка?  ",
        )
        .unwrap();
        assert_eq!(q.snils.to_string(), "112-233-445 95");
        assert_eq!(q.text, "Как добавить ребёнка?");
    }

    #[test]
    fn limits_the_text_length_in_characters_not_bytes() {
        assert!(check_text(&"я".repeat(MAX_TEXT_CHARS)).is_ok());
        assert_eq!(
            check_text(&"я".repeat(MAX_TEXT_CHARS + 1))
                .unwrap_err()
                .code,
            "text.too_long"
        );
    }
}
