//! Minors' accounts: who counts as a child or a teen, when a parent may press «Создать», and
//! where a parent's consent stands. The age limits are the seeds' («до 13 лет включительно»,
//! «от 14 до 18 лет»).

use serde::{Deserialize, Serialize};

use crate::verification::DocumentStatus;

/// From this age a child registers on their own (with a passport) and is linked by a link code.
pub const TEEN_AGE: u32 = 14;
/// From this age parental control ends.
pub const ADULT_AGE: u32 = 18;

/// What kind of account the age makes. A child's account is made by a parent; at 14 it becomes
/// a teen's, at 18 an adult's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AgeGroup {
    Child,
    Teen,
    Adult,
}

impl AgeGroup {
    pub fn of_age(full_years: u32) -> Self {
        match full_years {
            age if age >= ADULT_AGE => AgeGroup::Adult,
            age if age >= TEEN_AGE => AgeGroup::Teen,
            _ => AgeGroup::Child,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            AgeGroup::Child => "child",
            AgeGroup::Teen => "teen",
            AgeGroup::Adult => "adult",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        [AgeGroup::Child, AgeGroup::Teen, AgeGroup::Adult]
            .into_iter()
            .find(|group| group.as_str() == text)
    }

    /// Whether a parent acts for this account.
    pub fn is_minor(self) -> bool {
        self != AgeGroup::Adult
    }
}

/// Who the adult is to the child, as they said on the child's card.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Relation {
    /// «Родитель».
    Parent,
    /// «Опекун или попечитель»: the account is made in a service centre.
    Guardian,
}

impl Relation {
    pub fn as_str(self) -> &'static str {
        match self {
            Relation::Parent => "parent",
            Relation::Guardian => "guardian",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        [Relation::Parent, Relation::Guardian]
            .into_iter()
            .find(|relation| relation.as_str() == text)
    }
}

/// What ЕГР ЗАГС said about the card's parent: whether the birth record names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ParentTie {
    /// The record names this parent.
    Proven,
    /// Not asked yet (a card confirmed before the question was part of the check).
    Unproven,
    /// The record does not name this parent.
    NotOnRecord,
}

/// What the card knows about a child, for the «Создать» and «Привязать» rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChildFacts {
    pub age: u32,
    pub has_account: bool,
    pub russian_certificate: bool,
    pub relation: Relation,
    pub certificate: DocumentStatus,
    pub snils: DocumentStatus,
    pub parent: ParentTie,
}

/// Why the account is made in a service centre rather than on the portal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ServiceCentreReason {
    Guardianship,
    ForeignCertificate,
}

/// Whether «Создать» (or «Привязать», from 14) is shown on the card, and if not, which condition
/// is missing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Eligibility {
    /// «Создать» is shown.
    CanCreate,
    /// The child has an account already (the card shows it instead).
    HasAccount,
    /// 14 or older: the teen registers on their own, then a parent links the account.
    SelfRegistration,
    ServiceCentre {
        reason: ServiceCentreReason,
    },
    /// The certificate or the СНИЛС is not «Подтверждено» yet; `true` marks the missing one.
    DocumentsNotConfirmed {
        certificate: bool,
        snils: bool,
    },
    /// ЕГР ЗАГС has not yet been asked whether the record names this parent.
    ParentUnproven,
    /// The birth record does not name this parent: no account, whatever else holds.
    NotOnBirthRecord,
}

impl ChildFacts {
    /// The seed's rule: «ребёнок до 13 лет включительно не имеет своей учётной записи; имеет
    /// российское свидетельство о рождении и СНИЛС; оба документа проверены и подтверждены».
    /// Earlier conditions win: there is no point asking for documents of a child who gets an
    /// account some other way.
    ///
    /// Only a parent the birth record names reaches the child's account, so that comes first;
    /// a teen's account is linked, not made, but on the same proof.
    pub fn eligibility(&self) -> Eligibility {
        if self.parent == ParentTie::NotOnRecord {
            return Eligibility::NotOnBirthRecord;
        }
        if self.has_account {
            return Eligibility::HasAccount;
        }
        if self.relation == Relation::Guardian {
            return Eligibility::ServiceCentre {
                reason: ServiceCentreReason::Guardianship,
            };
        }
        if !self.russian_certificate {
            return Eligibility::ServiceCentre {
                reason: ServiceCentreReason::ForeignCertificate,
            };
        }
        let certificate = self.certificate != DocumentStatus::Confirmed;
        let snils = self.snils != DocumentStatus::Confirmed;
        if certificate || snils {
            return Eligibility::DocumentsNotConfirmed { certificate, snils };
        }
        if self.parent == ParentTie::Unproven {
            return Eligibility::ParentUnproven;
        }
        if self.age >= TEEN_AGE {
            return Eligibility::SelfRegistration;
        }
        Eligibility::CanCreate
    }
}

/// Where a parent's consent stands. Requested → granted or declined; granted → revoked. A
/// declined or revoked consent is never reopened: a new request is a new record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConsentStatus {
    Requested,
    Granted,
    Declined,
    Revoked,
}

/// What a parent does with a consent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConsentDecision {
    Grant,
    Decline,
    Revoke,
}

/// A decision the consent's state does not allow (e.g. revoking a declined one).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("{decision:?} is not possible for a {from:?} consent")]
pub struct InvalidConsentDecision {
    pub from: ConsentStatus,
    pub decision: ConsentDecision,
}

impl ConsentStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ConsentStatus::Requested => "requested",
            ConsentStatus::Granted => "granted",
            ConsentStatus::Declined => "declined",
            ConsentStatus::Revoked => "revoked",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        [
            ConsentStatus::Requested,
            ConsentStatus::Granted,
            ConsentStatus::Declined,
            ConsentStatus::Revoked,
        ]
        .into_iter()
        .find(|status| status.as_str() == text)
    }

    pub fn label(self) -> &'static str {
        match self {
            ConsentStatus::Requested => "Ожидает вашего решения",
            ConsentStatus::Granted => "Согласие дано",
            ConsentStatus::Declined => "Отказано",
            ConsentStatus::Revoked => "Согласие отозвано",
        }
    }

    pub fn after(self, decision: ConsentDecision) -> Result<Self, InvalidConsentDecision> {
        match (self, decision) {
            (ConsentStatus::Requested, ConsentDecision::Grant) => Ok(ConsentStatus::Granted),
            (ConsentStatus::Requested, ConsentDecision::Decline) => Ok(ConsentStatus::Declined),
            (ConsentStatus::Granted, ConsentDecision::Revoke) => Ok(ConsentStatus::Revoked),
            (from, decision) => Err(InvalidConsentDecision { from, decision }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use DocumentStatus::*;

    fn ready() -> ChildFacts {
        ChildFacts {
            age: 10,
            has_account: false,
            russian_certificate: true,
            relation: Relation::Parent,
            certificate: Confirmed,
            snils: Confirmed,
            parent: ParentTie::Proven,
        }
    }

    #[test]
    fn create_is_shown_only_when_every_condition_holds() {
        let not_confirmed =
            |certificate, snils| Eligibility::DocumentsNotConfirmed { certificate, snils };
        let cases: Vec<(&str, ChildFacts, Eligibility)> = vec![
            ("all met", ready(), Eligibility::CanCreate),
            (
                "newborn",
                ChildFacts { age: 0, ..ready() },
                Eligibility::CanCreate,
            ),
            (
                "13 inclusive",
                ChildFacts { age: 13, ..ready() },
                Eligibility::CanCreate,
            ),
            (
                "14",
                ChildFacts { age: 14, ..ready() },
                Eligibility::SelfRegistration,
            ),
            (
                "17",
                ChildFacts { age: 17, ..ready() },
                Eligibility::SelfRegistration,
            ),
            (
                "has an account",
                ChildFacts {
                    has_account: true,
                    ..ready()
                },
                Eligibility::HasAccount,
            ),
            (
                "foreign certificate",
                ChildFacts {
                    russian_certificate: false,
                    ..ready()
                },
                Eligibility::ServiceCentre {
                    reason: ServiceCentreReason::ForeignCertificate,
                },
            ),
            (
                "guardian",
                ChildFacts {
                    relation: Relation::Guardian,
                    ..ready()
                },
                Eligibility::ServiceCentre {
                    reason: ServiceCentreReason::Guardianship,
                },
            ),
        ];
        let mut cases = cases;
        for status in DocumentStatus::ALL {
            if status == Confirmed {
                continue;
            }
            cases.push((
                "certificate not confirmed",
                ChildFacts {
                    certificate: status,
                    ..ready()
                },
                not_confirmed(true, false),
            ));
            cases.push((
                "snils not confirmed",
                ChildFacts {
                    snils: status,
                    ..ready()
                },
                not_confirmed(false, true),
            ));
        }
        cases.extend([
            (
                "14 without confirmed documents",
                ChildFacts {
                    age: 15,
                    certificate: Checking,
                    ..ready()
                },
                not_confirmed(true, false),
            ),
            (
                "parent not asked yet",
                ChildFacts {
                    parent: ParentTie::Unproven,
                    ..ready()
                },
                Eligibility::ParentUnproven,
            ),
            (
                "teen, parent not asked yet",
                ChildFacts {
                    age: 16,
                    parent: ParentTie::Unproven,
                    ..ready()
                },
                Eligibility::ParentUnproven,
            ),
            (
                "not on the birth record, even with an account",
                ChildFacts {
                    parent: ParentTie::NotOnRecord,
                    has_account: true,
                    certificate: NotFoundInZags,
                    ..ready()
                },
                Eligibility::NotOnBirthRecord,
            ),
        ]);
        cases.push((
            "neither confirmed",
            ChildFacts {
                certificate: Manual,
                snils: Absent,
                ..ready()
            },
            not_confirmed(true, true),
        ));
        for (name, facts, expected) in cases {
            assert_eq!(facts.eligibility(), expected, "{name}: {facts:?}");
        }
    }

    #[test]
    fn age_groups_change_at_14_and_18() {
        assert_eq!(AgeGroup::of_age(13), AgeGroup::Child);
        assert_eq!(AgeGroup::of_age(14), AgeGroup::Teen);
        assert_eq!(AgeGroup::of_age(17), AgeGroup::Teen);
        assert_eq!(AgeGroup::of_age(18), AgeGroup::Adult);
        for group in [AgeGroup::Child, AgeGroup::Teen, AgeGroup::Adult] {
            assert_eq!(AgeGroup::parse(group.as_str()), Some(group));
        }
    }

    #[test]
    fn consent_moves_only_forward() {
        use ConsentDecision::*;
        use ConsentStatus::*;
        assert_eq!(Requested.after(Grant), Ok(Granted));
        assert_eq!(Requested.after(Decline), Ok(Declined));
        assert_eq!(Granted.after(Revoke), Ok(Revoked));
        for (from, decision) in [
            (Requested, Revoke),
            (Granted, Grant),
            (Granted, Decline),
            (Declined, Grant),
            (Declined, Revoke),
            (Revoked, Grant),
            (Revoked, Revoke),
        ] {
            assert!(from.after(decision).is_err(), "{from:?} + {decision:?}");
        }
    }
}
