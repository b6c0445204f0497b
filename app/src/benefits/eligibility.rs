//! «Проверка права на льготу»: before the application form, the registries are asked about the
//! family, and three rules of seed 004 are judged on their answer — each passed or failed with
//! the reason and the place to correct it. A failed rule does not forbid applying: the applicant
//! is warned, and the officer sees the flag.
//!
//! The check runs as a job (the registry may be slow or down); the page follows it live.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::catalogue::FamilyStatus;
use crate::api::ApiError;
#[cfg(feature = "ssr")]
use crate::api::{ServiceError, SignedInAccount};

pub use crate::domain::ChildField;

/// The field as the card labels it, in the case «в реестре иначе записаны: …» needs.
fn named(field: ChildField) -> &'static str {
    match field {
        ChildField::LastName => "фамилия",
        ChildField::FirstName => "имя",
        ChildField::MiddleName => "отчество",
        ChildField::BirthDate => "дата рождения",
    }
}

/// The register of children's answer about the child.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum ChildRecord {
    Found,
    NotFound,
    Mismatch(Vec<ChildField>),
}

/// What the registries said, as the check stored it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegistryFacts {
    pub child_record: ChildRecord,
    pub large_family: bool,
    pub low_income: bool,
    pub child_disability: bool,
    /// The family already receives this benefit for this child.
    pub already_receiving: bool,
}

/// The three rules, in the seed's order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Rule {
    ChildInRegister,
    ParentStatus,
    NoDoubleReceipt,
}

impl Rule {
    pub fn title(self) -> &'static str {
        match self {
            Self::ChildInRegister => "Совпадение ФИО ребёнка с данными в реестре детей",
            Self::ParentStatus => "Статус, позволяющий претендовать на льготу",
            Self::NoDoubleReceipt => "Отсутствие двойного получения той же льготы",
        }
    }
}

/// Where to correct what a failed rule found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fix {
    /// The field, as its page labels it.
    pub field: &'static str,
    pub href: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Judgement {
    pub rule: Rule,
    pub passed: bool,
    pub reason: String,
    pub fix: Option<Fix>,
}

fn status_missing(status: FamilyStatus) -> &'static str {
    match status {
        FamilyStatus::LargeFamily => {
            "В реестре Минтруда семья не значится многодетной: нужно трое или больше детей младше 18 лет"
        }
        FamilyStatus::LowIncome => {
            "В реестре Минтруда нет сведений, что доход семьи ниже прожиточного минимума"
        }
        FamilyStatus::Disability => "В реестре Минтруда нет сведений об инвалидности ребёнка",
    }
}

/// What to attach to prove a status the registry does not show.
fn status_document(status: FamilyStatus) -> &'static str {
    match status {
        FamilyStatus::LargeFamily => "Удостоверение многодетной семьи",
        FamilyStatus::LowIncome => "Сведения о доходах семьи за последние 12 месяцев",
        FamilyStatus::Disability => "Справка МСЭ об инвалидности",
    }
}

/// The three rules judged on the registries' answer. `child_id` builds the links to the card.
pub fn judge(
    requires: Option<FamilyStatus>,
    facts: &RegistryFacts,
    child_id: i64,
) -> Vec<Judgement> {
    let edit_child = format!("/documents/family/children/{child_id}/edit");
    let child = match &facts.child_record {
        ChildRecord::Found => Judgement {
            rule: Rule::ChildInRegister,
            passed: true,
            reason: "ФИО и дата рождения совпадают с реестром".to_owned(),
            fix: None,
        },
        ChildRecord::NotFound => Judgement {
            rule: Rule::ChildInRegister,
            passed: false,
            reason: "В реестре детей нет ребёнка с таким свидетельством о рождении".to_owned(),
            fix: Some(Fix {
                field: "Серия и номер свидетельства о рождении",
                href: edit_child.clone(),
            }),
        },
        ChildRecord::Mismatch(fields) => {
            let listed: Vec<&str> = fields.iter().copied().map(named).collect();
            let first = fields.first().copied().unwrap_or(ChildField::LastName);
            Judgement {
                rule: Rule::ChildInRegister,
                passed: false,
                reason: format!(
                    "В реестре детей иначе записаны: {}. Укажите их точно как в свидетельстве о рождении",
                    listed.join(", ")
                ),
                fix: Some(Fix {
                    field: match first {
                        ChildField::LastName => "Фамилия",
                        ChildField::FirstName => "Имя",
                        ChildField::MiddleName => "Отчество",
                        ChildField::BirthDate => "Дата рождения",
                    },
                    href: edit_child,
                }),
            }
        }
    };
    let status = match requires {
        None => Judgement {
            rule: Rule::ParentStatus,
            passed: true,
            reason: "Льгота не требует особого статуса семьи".to_owned(),
            fix: None,
        },
        Some(status) => {
            let has = match status {
                FamilyStatus::LargeFamily => facts.large_family,
                FamilyStatus::LowIncome => facts.low_income,
                FamilyStatus::Disability => facts.child_disability,
            };
            if has {
                Judgement {
                    rule: Rule::ParentStatus,
                    passed: true,
                    reason: format!("Подтверждено реестром: {}", status.title().to_lowercase()),
                    fix: None,
                }
            } else {
                Judgement {
                    rule: Rule::ParentStatus,
                    passed: false,
                    reason: status_missing(status).to_owned(),
                    fix: Some(Fix {
                        field: status_document(status),
                        href: "#documents".to_owned(),
                    }),
                }
            }
        }
    };
    let double = if facts.already_receiving {
        Judgement {
            rule: Rule::NoDoubleReceipt,
            passed: false,
            reason: "Семья уже получает эту льготу на ребёнка: второй раз её не назначают"
                .to_owned(),
            fix: None,
        }
    } else {
        Judgement {
            rule: Rule::NoDoubleReceipt,
            passed: true,
            reason: "Эту льготу на ребёнка никто не получает".to_owned(),
            fix: None,
        }
    };
    vec![child, status, double]
}

/// Where a check is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum CheckState {
    /// The registries are being asked (the job waits or retries).
    Checking,
    Done {
        facts: RegistryFacts,
        /// «02.12.2026 18:05», Moscow time.
        checked_at: String,
    },
    /// Every retry failed: the registry did not answer.
    Unavailable,
}

/// Why a child cannot be checked for this benefit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum NotCheckable {
    /// The card's birth certificate is not «Подтверждено» by ЕГР ЗАГС naming this parent.
    CardNotConfirmed,
    /// The benefit is for children of other ages.
    Age,
}

/// One of the parent's children, as the benefit's page shows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChildEligibility {
    pub child_id: i64,
    /// «Иванов Пётр Андреевич».
    pub name: String,
    pub age: u32,
    pub not_checkable: Option<NotCheckable>,
    /// The latest check for this benefit, if any.
    pub check: Option<CheckState>,
    /// The application begun for this child and benefit, not sent yet.
    pub draft: Option<super::application::DraftRef>,
    /// The benefit is active for the child: the approved application.
    pub approved: Option<ApprovedRef>,
}

/// An approved application: the benefit is active since its decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApprovedRef {
    pub application_id: i64,
    pub number: String,
    /// ДД.ММ.ГГГГ.
    pub since: String,
}

impl ChildEligibility {
    pub fn checking(&self) -> bool {
        matches!(self.check, Some(CheckState::Checking))
    }
}

/// The parent's children for one benefit; `None` for a caller who is not signed in with a
/// confirmed account (the page says what to do).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum EligibilityPanel {
    SignedOut,
    LevelTooLow,
    Children(Vec<ChildEligibility>),
}

/// The parent's children and their latest checks for the benefit `code`.
#[server(prefix = "/api", endpoint = "benefits/eligibility")]
pub async fn load_eligibility(code: String) -> Result<EligibilityPanel, ApiError> {
    use crate::api::{AccountLevel, request, service};
    Ok(match request::signed_in_account().await? {
        None => EligibilityPanel::SignedOut,
        Some(a) if a.level < AccountLevel::Confirmed => EligibilityPanel::LevelTooLow,
        Some(parent) => EligibilityPanel::Children(
            service::<dyn EligibilityService>()?
                .children(&parent, &code)
                .await?,
        ),
    })
}

/// «Проверить право»: asks the registries about this child for this benefit. A check already
/// running is left to run.
#[server(prefix = "/api", endpoint = "benefits/check-eligibility")]
pub async fn check_eligibility(code: String, child_id: i64) -> Result<(), ApiError> {
    use crate::api::{request, service};
    let parent = request::require_confirmed_account().await?;
    Ok(service::<dyn EligibilityService>()?
        .start(&parent, &code, child_id)
        .await?)
}

/// How the server answers the eligibility pages.
#[cfg(feature = "ssr")]
#[async_trait::async_trait]
pub trait EligibilityService: Send + Sync {
    /// The caller's children with their latest check for the benefit; an unknown benefit is
    /// «not found».
    async fn children(
        &self,
        parent: &SignedInAccount,
        benefit_code: &str,
    ) -> Result<Vec<ChildEligibility>, ServiceError>;

    /// Starts a check of one of the caller's children (another family's child is «not found»).
    async fn start(
        &self,
        parent: &SignedInAccount,
        benefit_code: &str,
        child_id: i64,
    ) -> Result<(), ServiceError>;
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn facts(child_record: ChildRecord) -> RegistryFacts {
        RegistryFacts {
            child_record,
            large_family: true,
            low_income: false,
            child_disability: false,
            already_receiving: false,
        }
    }

    #[test]
    fn each_rule_says_why_and_where_to_correct() {
        let judged = judge(
            Some(FamilyStatus::LowIncome),
            &facts(ChildRecord::Mismatch(vec![
                ChildField::MiddleName,
                ChildField::BirthDate,
            ])),
            7,
        );
        assert_eq!(
            judged
                .iter()
                .map(|j| (j.rule, j.passed))
                .collect::<Vec<_>>(),
            [
                (Rule::ChildInRegister, false),
                (Rule::ParentStatus, false),
                (Rule::NoDoubleReceipt, true)
            ]
        );
        assert!(
            judged[0]
                .reason
                .contains("иначе записаны: отчество, дата рождения")
        );
        assert_eq!(
            judged[0].fix,
            Some(Fix {
                field: "Отчество",
                href: "/documents/family/children/7/edit".into()
            })
        );
        assert!(judged[1].reason.contains("доход"));
        assert_eq!(
            judged[1].fix.as_ref().map(|f| f.field),
            Some("Сведения о доходах семьи за последние 12 месяцев")
        );
    }

    #[test]
    fn a_benefit_without_a_status_passes_the_status_rule_and_a_second_receipt_fails() {
        let mut receiving = facts(ChildRecord::Found);
        receiving.already_receiving = true;
        let judged = judge(None, &receiving, 1);
        assert!(judged[0].passed && judged[1].passed);
        assert!(!judged[2].passed);
        assert!(judged[2].reason.contains("уже получает"));
    }

    fn any_facts() -> impl Strategy<Value = RegistryFacts> {
        let record = prop_oneof![
            Just(ChildRecord::Found),
            Just(ChildRecord::NotFound),
            proptest::sample::subsequence(ChildField::ALL.to_vec(), 1..=4)
                .prop_map(ChildRecord::Mismatch),
        ];
        (record, any::<[bool; 4]>()).prop_map(|(child_record, [a, b, c, d])| RegistryFacts {
            child_record,
            large_family: a,
            low_income: b,
            child_disability: c,
            already_receiving: d,
        })
    }

    proptest! {
        #[test]
        fn three_rules_always_and_every_failure_has_a_reason(
            facts in any_facts(),
            requires in proptest::option::of(prop_oneof![
                Just(FamilyStatus::LargeFamily),
                Just(FamilyStatus::LowIncome),
                Just(FamilyStatus::Disability),
            ]),
        ) {
            let judged = judge(requires, &facts, 3);
            prop_assert_eq!(judged.len(), 3);
            prop_assert_eq!(judged[0].passed, facts.child_record == ChildRecord::Found);
            prop_assert_eq!(judged[2].passed, !facts.already_receiving);
            for j in &judged {
                prop_assert!(!j.reason.is_empty());
                // A failure of the child or the status names the field to correct.
                if !j.passed && j.rule != Rule::NoDoubleReceipt {
                    prop_assert!(j.fix.is_some());
                }
            }
        }
    }
}
