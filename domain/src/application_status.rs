//! Where an application for a benefit stands, in the seed's words, and the only moves between
//! those states: who may make each one and on what facts. One function, [`ApplicationStatus::apply`],
//! decides every transition, so the server, the officer's pages and the family's pages cannot
//! disagree about what is allowed.

use std::fmt;

use serde::{Deserialize, Serialize};
use time::{Date, Duration};

/// An appeal is open for this many days after a refusal, and decided within as many.
pub const APPEAL_DAYS: i64 = 30;
/// An application «На рассмотрении» longer than this is overdue: the family is told and the
/// officers' queue shows it first.
pub const REVIEW_DAYS: i64 = 30;
/// The longest comment, request, answer or argument, in characters.
pub const MAX_TEXT_CHARS: usize = 2000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ApplicationStatus {
    /// «На рассмотрении»: sent, or sent again after a clarification.
    UnderReview,
    /// «Требуется уточнение»: the officer asked for something; the family answers and resends.
    ClarificationNeeded,
    /// «Одобрено»: the benefit is active. Final.
    Approved,
    /// «Отклонено»: the family may appeal within [`APPEAL_DAYS`].
    Rejected,
    /// «Обжалование»: an appeal against the refusal waits for another officer.
    Appealed,
    /// The appeal was dismissed: the refusal stands. Final; a second appeal is not possible.
    AppealDismissed,
}

impl ApplicationStatus {
    pub const ALL: [ApplicationStatus; 6] = [
        ApplicationStatus::UnderReview,
        ApplicationStatus::ClarificationNeeded,
        ApplicationStatus::Approved,
        ApplicationStatus::Rejected,
        ApplicationStatus::Appealed,
        ApplicationStatus::AppealDismissed,
    ];

    /// The stored code.
    pub fn as_str(self) -> &'static str {
        match self {
            ApplicationStatus::UnderReview => "under_review",
            ApplicationStatus::ClarificationNeeded => "clarification_needed",
            ApplicationStatus::Approved => "approved",
            ApplicationStatus::Rejected => "rejected",
            ApplicationStatus::Appealed => "appealed",
            ApplicationStatus::AppealDismissed => "appeal_dismissed",
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
            ApplicationStatus::Appealed => "Обжалование",
            ApplicationStatus::AppealDismissed => "Отклонено после обжалования",
        }
    }

    /// Nothing moves it any more, so a page following it stops asking.
    pub fn is_final(self) -> bool {
        matches!(
            self,
            ApplicationStatus::Approved | ApplicationStatus::AppealDismissed
        )
    }

    /// Waiting for an officer (the queue holds it).
    pub fn awaits_officer(self) -> bool {
        matches!(
            self,
            ApplicationStatus::UnderReview | ApplicationStatus::Appealed
        )
    }

    /// The one transition function: the state `action` by `actor` leads to, or why it may not
    /// happen. Checked in this order: who acts, whether the state allows the action, the claim,
    /// the appeal's own rules, then what was written.
    pub fn apply(
        self,
        actor: Actor,
        action: &Action,
        facts: &Facts,
    ) -> Result<ApplicationStatus, TransitionRefusal> {
        use ApplicationStatus::*;
        let kind = action.kind();
        match (kind.by_officer(), actor) {
            (true, Actor::Applicant) => return Err(TransitionRefusal::OfficersOnly),
            (false, Actor::Officer(_)) => return Err(TransitionRefusal::ApplicantOnly),
            _ => {}
        }
        let next = match (self, kind) {
            (UnderReview, ActionKind::RequestClarification) => ClarificationNeeded,
            (UnderReview, ActionKind::Approve) => Approved,
            (UnderReview, ActionKind::Reject) => Rejected,
            (ClarificationNeeded, ActionKind::Resend) => UnderReview,
            (Rejected, ActionKind::Appeal) => Appealed,
            (Appealed, ActionKind::UpholdAppeal) => Approved,
            (Appealed, ActionKind::DismissAppeal) => AppealDismissed,
            (from, action) => return Err(TransitionRefusal::NotAllowed { from, action }),
        };
        if let Actor::Officer(officer) = actor {
            match facts.claimed_by {
                None => return Err(TransitionRefusal::NotClaimed),
                Some(holder) if holder != officer => {
                    return Err(TransitionRefusal::ClaimedByAnother);
                }
                Some(_) => {}
            }
            if self == Appealed && facts.refused_by == Some(officer) {
                return Err(TransitionRefusal::OwnRefusal);
            }
        }
        if kind == ActionKind::Appeal {
            let closes =
                facts
                    .refused_on
                    .map(appeal_closes_after)
                    .ok_or(TransitionRefusal::NotAllowed {
                        from: self,
                        action: kind,
                    })?;
            if facts.today > closes {
                return Err(TransitionRefusal::AppealWindowClosed {
                    closed_after: closes,
                });
            }
        }
        action.check_text()?;
        Ok(next)
    }
}

impl fmt::Display for ApplicationStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// The last day an appeal may be sent against a refusal made on `refused_on`.
pub fn appeal_closes_after(refused_on: Date) -> Date {
    refused_on.saturating_add(Duration::days(APPEAL_DAYS))
}

/// Whether an application waiting since `since` is past the 30 days on `today`.
pub fn is_overdue(since: Date, today: Date) -> bool {
    today > since.saturating_add(Duration::days(REVIEW_DAYS))
}

/// A public officer number: who decided, shown without any private data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct OfficerId(pub i64);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Actor {
    /// The parent who sent the application.
    Applicant,
    Officer(OfficerId),
}

/// What someone does to an application, with what they wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// The officer says what is needed (required).
    RequestClarification { request: String },
    /// The officer approves; the comment may be empty.
    Approve { comment: String },
    /// The officer refuses; the reason is required.
    Reject { reason: String },
    /// The family answers a clarification: a written answer, new documents, or both.
    Resend {
        answer: String,
        new_documents: usize,
    },
    /// «Оспорить решение»: the family's arguments (required) and documents.
    Appeal { arguments: String },
    /// Another officer than the one who refused grants the appeal: the benefit becomes active.
    UpholdAppeal { comment: String },
    /// …or dismisses it, with the reason (required).
    DismissAppeal { reason: String },
}

/// An action without its text: what the journal stores and what a refusal names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ActionKind {
    RequestClarification,
    Approve,
    Reject,
    Resend,
    Appeal,
    UpholdAppeal,
    DismissAppeal,
}

impl ActionKind {
    pub const ALL: [ActionKind; 7] = [
        ActionKind::RequestClarification,
        ActionKind::Approve,
        ActionKind::Reject,
        ActionKind::Resend,
        ActionKind::Appeal,
        ActionKind::UpholdAppeal,
        ActionKind::DismissAppeal,
    ];

    pub fn by_officer(self) -> bool {
        !matches!(self, ActionKind::Resend | ActionKind::Appeal)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            ActionKind::RequestClarification => "request_clarification",
            ActionKind::Approve => "approve",
            ActionKind::Reject => "reject",
            ActionKind::Resend => "resend",
            ActionKind::Appeal => "appeal",
            ActionKind::UpholdAppeal => "uphold_appeal",
            ActionKind::DismissAppeal => "dismiss_appeal",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == code)
    }
}

impl Action {
    pub fn kind(&self) -> ActionKind {
        match self {
            Action::RequestClarification { .. } => ActionKind::RequestClarification,
            Action::Approve { .. } => ActionKind::Approve,
            Action::Reject { .. } => ActionKind::Reject,
            Action::Resend { .. } => ActionKind::Resend,
            Action::Appeal { .. } => ActionKind::Appeal,
            Action::UpholdAppeal { .. } => ActionKind::UpholdAppeal,
            Action::DismissAppeal { .. } => ActionKind::DismissAppeal,
        }
    }

    /// What was written, as the journal keeps it.
    pub fn text(&self) -> &str {
        match self {
            Action::RequestClarification { request: text }
            | Action::Approve { comment: text }
            | Action::Reject { reason: text }
            | Action::Resend { answer: text, .. }
            | Action::Appeal { arguments: text }
            | Action::UpholdAppeal { comment: text }
            | Action::DismissAppeal { reason: text } => text,
        }
    }

    fn check_text(&self) -> Result<(), TransitionRefusal> {
        let text = self.text().trim();
        if text.chars().count() > MAX_TEXT_CHARS {
            return Err(TransitionRefusal::TextTooLong);
        }
        let required = match self {
            Action::Approve { .. } | Action::UpholdAppeal { .. } => false,
            Action::Resend { new_documents, .. } => {
                if text.is_empty() && *new_documents == 0 {
                    return Err(TransitionRefusal::NothingSent);
                }
                false
            }
            _ => true,
        };
        if required && text.is_empty() {
            return Err(TransitionRefusal::TextRequired);
        }
        Ok(())
    }
}

/// What the transition depends on besides the state: the claim, the refusal, the date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Facts {
    /// The officer whose claim on the application is live, if any.
    pub claimed_by: Option<OfficerId>,
    /// Who refused it and on which day (Moscow), once refused.
    pub refused_by: Option<OfficerId>,
    pub refused_on: Option<Date>,
    /// Today in Moscow.
    pub today: Date,
}

/// Why a transition may not happen. Each has a message for the person who tried.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum TransitionRefusal {
    #[error("{action:?} is not possible in {from:?}")]
    NotAllowed {
        from: ApplicationStatus,
        action: ActionKind,
    },
    #[error("only an officer decides")]
    OfficersOnly,
    #[error("only the applicant resends or appeals")]
    ApplicantOnly,
    #[error("the application is not claimed")]
    NotClaimed,
    #[error("another officer has claimed the application")]
    ClaimedByAnother,
    #[error("the officer who refused cannot decide the appeal")]
    OwnRefusal,
    #[error("the appeal closed after {closed_after}")]
    AppealWindowClosed { closed_after: Date },
    #[error("the text is required")]
    TextRequired,
    #[error("the text is too long")]
    TextTooLong,
    #[error("nothing was sent with the answer")]
    NothingSent,
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use time::macros::date;

    const ANNA: OfficerId = OfficerId(1);
    const BORIS: OfficerId = OfficerId(2);
    const TODAY: Date = date!(2026 - 12 - 04);

    fn facts(claimed_by: Option<OfficerId>) -> Facts {
        Facts {
            claimed_by,
            refused_by: None,
            refused_on: None,
            today: TODAY,
        }
    }

    fn text(s: &str) -> String {
        s.to_owned()
    }

    #[test]
    fn codes_read_back_and_only_approval_and_a_dismissed_appeal_are_final() {
        for status in ApplicationStatus::ALL {
            assert_eq!(ApplicationStatus::parse(status.as_str()), Some(status));
        }
        for kind in ActionKind::ALL {
            assert_eq!(ActionKind::parse(kind.as_str()), Some(kind));
        }
        let finals: Vec<_> = ApplicationStatus::ALL
            .into_iter()
            .filter(|s| s.is_final())
            .collect();
        assert_eq!(
            finals,
            [
                ApplicationStatus::Approved,
                ApplicationStatus::AppealDismissed
            ]
        );
    }

    #[test]
    fn the_happy_path_with_a_clarification() {
        let claimed = facts(Some(ANNA));
        let asked = ApplicationStatus::UnderReview
            .apply(
                Actor::Officer(ANNA),
                &Action::RequestClarification {
                    request: text("Приложите справку о доходах"),
                },
                &claimed,
            )
            .unwrap();
        assert_eq!(asked, ApplicationStatus::ClarificationNeeded);
        let resent = asked
            .apply(
                Actor::Applicant,
                &Action::Resend {
                    answer: String::new(),
                    new_documents: 1,
                },
                &facts(None),
            )
            .unwrap();
        assert_eq!(resent, ApplicationStatus::UnderReview);
        let approved = resent
            .apply(
                Actor::Officer(ANNA),
                &Action::Approve {
                    comment: String::new(),
                },
                &claimed,
            )
            .unwrap();
        assert_eq!(approved, ApplicationStatus::Approved);
    }

    #[test]
    fn each_refusal_the_issue_names() {
        let reject = Action::Reject {
            reason: text("Доход выше порога"),
        };
        // deciding without a claim, or on another officer's claim
        assert_eq!(
            ApplicationStatus::UnderReview.apply(Actor::Officer(ANNA), &reject, &facts(None)),
            Err(TransitionRefusal::NotClaimed)
        );
        assert_eq!(
            ApplicationStatus::UnderReview.apply(
                Actor::Officer(ANNA),
                &reject,
                &facts(Some(BORIS))
            ),
            Err(TransitionRefusal::ClaimedByAnother)
        );
        // an empty comment on a refusal
        assert_eq!(
            ApplicationStatus::UnderReview.apply(
                Actor::Officer(ANNA),
                &Action::Reject { reason: text("  ") },
                &facts(Some(ANNA))
            ),
            Err(TransitionRefusal::TextRequired)
        );
        // a resend without the requested material
        assert_eq!(
            ApplicationStatus::ClarificationNeeded.apply(
                Actor::Applicant,
                &Action::Resend {
                    answer: text(" "),
                    new_documents: 0
                },
                &facts(None)
            ),
            Err(TransitionRefusal::NothingSent)
        );
        let appeal = Action::Appeal {
            arguments: text("Доход подтверждён справкой"),
        };
        // an appeal against an approval
        assert_eq!(
            ApplicationStatus::Approved.apply(Actor::Applicant, &appeal, &facts(None)),
            Err(TransitionRefusal::NotAllowed {
                from: ApplicationStatus::Approved,
                action: ActionKind::Appeal
            })
        );
        // an appeal on day 30 is in time, on day 31 it is not
        let refused = |on: Date| Facts {
            claimed_by: None,
            refused_by: Some(ANNA),
            refused_on: Some(on),
            today: TODAY,
        };
        assert_eq!(
            ApplicationStatus::Rejected.apply(
                Actor::Applicant,
                &appeal,
                &refused(date!(2026 - 11 - 04))
            ),
            Ok(ApplicationStatus::Appealed)
        );
        assert_eq!(
            ApplicationStatus::Rejected.apply(
                Actor::Applicant,
                &appeal,
                &refused(date!(2026 - 11 - 03))
            ),
            Err(TransitionRefusal::AppealWindowClosed {
                closed_after: date!(2026 - 12 - 03)
            })
        );
        // the officer who refused deciding the appeal
        let appealed = Facts {
            claimed_by: Some(ANNA),
            ..refused(date!(2026 - 11 - 20))
        };
        assert_eq!(
            ApplicationStatus::Appealed.apply(
                Actor::Officer(ANNA),
                &Action::UpholdAppeal {
                    comment: String::new()
                },
                &appealed
            ),
            Err(TransitionRefusal::OwnRefusal)
        );
        assert_eq!(
            ApplicationStatus::Appealed.apply(
                Actor::Officer(BORIS),
                &Action::UpholdAppeal {
                    comment: String::new()
                },
                &Facts {
                    claimed_by: Some(BORIS),
                    ..appealed
                }
            ),
            Ok(ApplicationStatus::Approved)
        );
        // a family cannot decide, an officer cannot appeal
        assert_eq!(
            ApplicationStatus::UnderReview.apply(Actor::Applicant, &reject, &facts(None)),
            Err(TransitionRefusal::OfficersOnly)
        );
        assert_eq!(
            ApplicationStatus::Rejected.apply(Actor::Officer(ANNA), &appeal, &facts(Some(ANNA))),
            Err(TransitionRefusal::ApplicantOnly)
        );
    }

    #[test]
    fn overdue_after_thirty_days() {
        assert!(!is_overdue(date!(2026 - 11 - 04), TODAY));
        assert!(is_overdue(date!(2026 - 11 - 03), TODAY));
    }

    fn actor() -> impl Strategy<Value = Actor> {
        prop_oneof![
            Just(Actor::Applicant),
            (1..4i64).prop_map(|id| Actor::Officer(OfficerId(id))),
        ]
    }

    fn action() -> impl Strategy<Value = Action> {
        let words = prop_oneof![Just(String::new()), Just(text("  ")), "[а-я ]{1,12}"];
        (0..7usize, words, 0..3usize).prop_map(|(which, text, documents)| match which {
            0 => Action::RequestClarification { request: text },
            1 => Action::Approve { comment: text },
            2 => Action::Reject { reason: text },
            3 => Action::Resend {
                answer: text,
                new_documents: documents,
            },
            4 => Action::Appeal { arguments: text },
            5 => Action::UpholdAppeal { comment: text },
            _ => Action::DismissAppeal { reason: text },
        })
    }

    /// A step: who acts, what they do, who holds the claim, and how many days passed.
    fn step() -> impl Strategy<Value = (Actor, Action, Option<i64>, i64)> {
        (actor(), action(), proptest::option::of(1..4i64), 0..20i64)
    }

    proptest! {
        /// Whatever anyone tries, in any order: the application moves only along the allowed
        /// edges, each by its allowed actor; a decision is final; an appeal is only of a refusal,
        /// at most once, in time, and never decided by the officer who refused.
        #[test]
        fn no_sequence_of_actions_reaches_an_invalid_state(steps in proptest::collection::vec(step(), 0..40)) {
            use ApplicationStatus::*;
            let mut status = UnderReview;
            let mut today = date!(2026 - 01 - 01);
            let mut refused: Option<(OfficerId, Date)> = None;
            let mut appeals = 0;
            for (actor, action, claim, days) in steps {
                today = today.saturating_add(Duration::days(days));
                let facts = Facts {
                    claimed_by: claim.map(OfficerId),
                    refused_by: refused.map(|r| r.0),
                    refused_on: refused.map(|r| r.1),
                    today,
                };
                let before = status;
                let Ok(next) = status.apply(actor, &action, &facts) else { continue };
                prop_assert!(!before.is_final(), "{before:?} moved to {next:?}");
                let kind = action.kind();
                match actor {
                    Actor::Applicant => prop_assert!(!kind.by_officer()),
                    Actor::Officer(officer) => {
                        prop_assert!(kind.by_officer());
                        prop_assert_eq!(facts.claimed_by, Some(officer));
                        if before == Appealed {
                            prop_assert_ne!(refused.map(|r| r.0), Some(officer));
                        }
                    }
                }
                let allowed = matches!(
                    (before, next),
                    (UnderReview, ClarificationNeeded | Approved | Rejected)
                        | (ClarificationNeeded, UnderReview)
                        | (Rejected, Appealed)
                        | (Appealed, Approved | AppealDismissed)
                );
                prop_assert!(allowed, "{before:?} → {next:?}");
                if matches!(kind, ActionKind::Reject | ActionKind::DismissAppeal | ActionKind::RequestClarification | ActionKind::Appeal) {
                    prop_assert!(!action.text().trim().is_empty());
                }
                if next == Rejected {
                    let Actor::Officer(officer) = actor else { unreachable!() };
                    refused = Some((officer, today));
                }
                if next == Appealed {
                    appeals += 1;
                    prop_assert!(today <= appeal_closes_after(refused.unwrap().1));
                }
                prop_assert!(appeals <= 1);
                status = next;
            }
        }
    }
}
