//! Where an application stands, in the seed's words. An application starts «На рассмотрении»;
//! the officer's decisions (the next issue's status machine) move it on.

use serde::{Deserialize, Serialize};

use crate::components::Tone;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ApplicationStatus {
    UnderReview,
    ClarificationNeeded,
    Approved,
    Rejected,
}

impl ApplicationStatus {
    pub const ALL: [ApplicationStatus; 4] = [
        ApplicationStatus::UnderReview,
        ApplicationStatus::ClarificationNeeded,
        ApplicationStatus::Approved,
        ApplicationStatus::Rejected,
    ];

    /// The stored code.
    pub fn as_str(self) -> &'static str {
        match self {
            ApplicationStatus::UnderReview => "under_review",
            ApplicationStatus::ClarificationNeeded => "clarification_needed",
            ApplicationStatus::Approved => "approved",
            ApplicationStatus::Rejected => "rejected",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            ApplicationStatus::UnderReview => "На рассмотрении",
            ApplicationStatus::ClarificationNeeded => "Требуется уточнение",
            ApplicationStatus::Approved => "Одобрено",
            ApplicationStatus::Rejected => "Отклонено",
        }
    }

    pub fn tone(self) -> Tone {
        match self {
            ApplicationStatus::UnderReview => Tone::Info,
            ApplicationStatus::ClarificationNeeded => Tone::Warning,
            ApplicationStatus::Approved => Tone::Success,
            ApplicationStatus::Rejected => Tone::Error,
        }
    }

    /// A decision: nothing changes after it on its own, so a page stops asking.
    pub fn is_final(self) -> bool {
        matches!(
            self,
            ApplicationStatus::Approved | ApplicationStatus::Rejected
        )
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
    fn codes_read_back_and_only_decisions_are_final() {
        for status in ApplicationStatus::ALL {
            assert_eq!(ApplicationStatus::parse(status.as_str()), Some(status));
        }
        for flag in EligibilityFlag::ALL {
            assert_eq!(EligibilityFlag::parse(flag.as_str()), Some(flag));
        }
        assert!(!ApplicationStatus::UnderReview.is_final());
        assert!(!ApplicationStatus::ClarificationNeeded.is_final());
        assert!(ApplicationStatus::Approved.is_final() && ApplicationStatus::Rejected.is_final());
    }
}
