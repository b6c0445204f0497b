//! Where an application stands, in the seed's words: the states and their one transition function
//! are `domain::application_status`; here is how they look, and the eligibility flag.

use serde::{Deserialize, Serialize};

use crate::components::Tone;

pub use crate::domain::application_status::ApplicationStatus;
#[cfg(feature = "ssr")]
use crate::domain::application_status::{ActionKind, TransitionRefusal};

/// How a status looks on a chip.
pub trait StatusTone {
    fn tone(self) -> Tone;
}

impl StatusTone for ApplicationStatus {
    fn tone(self) -> Tone {
        match self {
            ApplicationStatus::UnderReview | ApplicationStatus::Appealed => Tone::Info,
            ApplicationStatus::ClarificationNeeded => Tone::Warning,
            ApplicationStatus::Approved => Tone::Success,
            ApplicationStatus::Rejected | ApplicationStatus::AppealDismissed => Tone::Error,
        }
    }
}

/// Every status as a filter offers it: `(code, label)`.
pub fn status_choices() -> Vec<(String, String)> {
    ApplicationStatus::ALL
        .into_iter()
        .map(|s| (s.as_str().to_owned(), s.label().to_owned()))
        .collect()
}

/// The field every decision's or answer's text is sent in.
pub const COMMENT_FIELD: &str = "comment";

/// A transition the status machine refused, as the person who tried sees it: their text's
/// problems at the field, everything else as a refusal.
#[cfg(feature = "ssr")]
pub fn transition_refused(
    action: ActionKind,
    refusal: TransitionRefusal,
) -> crate::api::ServiceError {
    use crate::api::{FieldError, Refusal, ServiceError};
    let at_field = |code: &str, message: &str| {
        ServiceError::Invalid(vec![FieldError::new(COMMENT_FIELD, code, message)])
    };
    match refusal {
        TransitionRefusal::NotAllowed { .. } => {
            ServiceError::Refused(Refusal::TransitionNotAllowed)
        }
        TransitionRefusal::OfficersOnly => ServiceError::Refused(Refusal::OfficersOnly),
        // the family's own actions on an application are reached only through its own page
        TransitionRefusal::ApplicantOnly => ServiceError::Refused(Refusal::NotFound),
        TransitionRefusal::NotClaimed => ServiceError::Refused(Refusal::NotClaimed),
        TransitionRefusal::ClaimedByAnother => ServiceError::Refused(Refusal::ClaimedByAnother),
        TransitionRefusal::OwnRefusal => ServiceError::Refused(Refusal::OwnRefusal),
        TransitionRefusal::AppealWindowClosed { .. } => {
            ServiceError::Refused(Refusal::AppealClosed)
        }
        TransitionRefusal::TextTooLong => at_field(
            "decision.too_long",
            "Текст длиннее 2000 символов — сократите его",
        ),
        TransitionRefusal::NothingSent => at_field(
            "decision.nothing_sent",
            "Напишите ответ или приложите документ, который запросил специалист",
        ),
        TransitionRefusal::TextRequired => at_field(
            "decision.required",
            match action {
                ActionKind::Reject | ActionKind::DismissAppeal => {
                    "Укажите причину отказа — заявитель увидит её в журнале заявки"
                }
                ActionKind::RequestClarification => {
                    "Напишите, что нужно уточнить или какой документ приложить"
                }
                ActionKind::Appeal => "Кратко изложите, почему вы считаете решение ошибочным",
                _ => "Заполните поле",
            },
        ),
    }
}

/// What the eligibility check said when the application was sent: the officer sees the flag.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EligibilityFlag {
    /// Every rule passed.
    Passed,
    /// A rule failed and the applicant sent it after the warning.
    Failed,
    /// No finished check yet (the registry was slow or down); it runs again after sending.
    Unchecked,
}

impl EligibilityFlag {
    pub const ALL: [EligibilityFlag; 3] = [
        EligibilityFlag::Passed,
        EligibilityFlag::Failed,
        EligibilityFlag::Unchecked,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EligibilityFlag::Passed => "passed",
            EligibilityFlag::Failed => "failed",
            EligibilityFlag::Unchecked => "unchecked",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == code)
    }

    /// What the eligibility check found, as the officer reads it.
    pub fn label(self) -> &'static str {
        match self {
            EligibilityFlag::Passed => "Соответствует условиям",
            EligibilityFlag::Failed => "Не соответствует условиям",
            EligibilityFlag::Unchecked => "Не проверено",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_read_back() {
        for flag in EligibilityFlag::ALL {
            assert_eq!(EligibilityFlag::parse(flag.as_str()), Some(flag));
        }
    }
}
