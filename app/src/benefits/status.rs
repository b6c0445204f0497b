//! Where an application stands, in the seed's words: the states and their one transition function
//! are `domain::application_status`; here is how they look, and the eligibility flag.

use serde::{Deserialize, Serialize};

use crate::components::Tone;

pub use crate::domain::application_status::ApplicationStatus;

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
