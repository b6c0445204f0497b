//! «Проверка права на льготу»: the service behind the benefit's page ([`EligibilityChecks`]) and
//! the job that asks the benefits registry ([`EligibilityCheckJob`]). Only a child whose card is
//! confirmed — ЕГР ЗАГС names this parent on the birth record — is checked, and only for a benefit
//! given at the child's age. The registry is asked by the job, never while a page waits.

use std::sync::Arc;

use app::api::{FieldError, ServiceError, SignedInAccount};
use app::benefits::application::DraftRef;
use app::benefits::catalogue::Benefit;
use app::benefits::eligibility::{
    ApprovedRef, ChildEligibility, ChildRecord, EligibilityService, NotCheckable, RegistryFacts,
};
use app::domain::date::format_ru_date;
use app::domain::{DocumentStatus, format_ru_datetime, full_name, full_years, moscow_today};
use registry_sim::benefits::{self as registry, FamilyQuery};
use registry_sim::protocol::PersonQuery;
use serde::{Deserialize, Serialize};

use super::Catalogue;
use crate::clock::Clock;
use crate::db::children::{self, StoredChild};
use crate::db::eligibility_checks::{self, StoredEligibilityCheck};
use crate::db::{Database, StorageError, Tx, accounts, application_drafts, applications};
use crate::family::{not_found, require_confirmed};
use crate::jobs::{self, JobError, JobHandler};
use crate::registries::Registries;

pub const ELIGIBILITY_CHECK: &str = "benefits.eligibility_check";

/// The job's payload: which round of which check it answers.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct EligibilityJob {
    pub child_id: i64,
    pub benefit_code: String,
    pub round: i64,
}

#[derive(Clone)]
pub struct EligibilityChecks {
    pub db: Database,
    pub clock: Arc<dyn Clock>,
    pub catalogue: Arc<Catalogue>,
    pub registries: Registries,
}

impl EligibilityChecks {
    fn benefit(&self, code: &str) -> Result<&Benefit, ServiceError> {
        self.catalogue.find(code).ok_or_else(not_found)
    }

    fn not_checkable(&self, benefit: &Benefit, child: &StoredChild) -> Option<NotCheckable> {
        not_checkable(benefit, child, moscow_today(self.clock.now()))
    }
}

/// Why this child cannot be checked for (or apply for) the benefit on `today`, if they cannot:
/// the card must be confirmed with this parent named on the birth record, the age covered.
pub(crate) fn not_checkable(
    benefit: &Benefit,
    child: &StoredChild,
    today: time::Date,
) -> Option<NotCheckable> {
    let age = full_years(child.birth_date, today);
    if child.certificate_status != DocumentStatus::Confirmed || child.parent_proven_at.is_none() {
        Some(NotCheckable::CardNotConfirmed)
    } else if !u8::try_from(age).is_ok_and(|age| benefit.child_age.contains(age)) {
        Some(NotCheckable::Age)
    } else {
        None
    }
}

/// Starts a check round and its job in one transaction; a round already running is left to run
/// (no second job, no second registry call).
pub(crate) async fn start_round(
    db: &Database,
    parent: i64,
    child: i64,
    benefit_code: &str,
    now: time::OffsetDateTime,
) -> Result<(), ServiceError> {
    let mut tx = db.begin().await?;
    start_round_in(&mut tx, parent, child, benefit_code, now).await?;
    tx.commit().await?;
    Ok(())
}

/// The same inside the caller's transaction (an application's intake checks again).
pub(crate) async fn start_round_in(
    tx: &mut Tx,
    parent: i64,
    child: i64,
    benefit_code: &str,
    now: time::OffsetDateTime,
) -> Result<(), StorageError> {
    if let Some(round) = eligibility_checks::start(tx, parent, child, benefit_code, now).await? {
        let job = EligibilityJob {
            child_id: child,
            benefit_code: benefit_code.to_owned(),
            round,
        };
        jobs::enqueue(tx, ELIGIBILITY_CHECK, &job, now).await?;
    }
    Ok(())
}

/// The refusal at the «child» field for a child who cannot be checked or apply.
pub(crate) fn refuse_child(reason: NotCheckable) -> ServiceError {
    let message = match reason {
        NotCheckable::CardNotConfirmed => {
            "Сначала подтвердите свидетельство о рождении в карточке ребёнка"
        }
        NotCheckable::Age => "Льгота назначается на детей другого возраста",
    };
    ServiceError::Invalid(vec![FieldError::new(
        "child",
        "eligibility.not_checkable",
        message,
    )])
}

#[async_trait::async_trait]
impl EligibilityService for EligibilityChecks {
    async fn children(
        &self,
        parent: &SignedInAccount,
        benefit_code: &str,
    ) -> Result<Vec<ChildEligibility>, ServiceError> {
        require_confirmed(parent)?;
        let benefit = self.benefit(benefit_code)?;
        let cards = children::for_parent(&self.db, parent.account_id).await?;
        let checks =
            eligibility_checks::for_parent(&self.db, parent.account_id, benefit_code).await?;
        let drafts =
            application_drafts::for_benefit(&self.db, parent.account_id, benefit_code).await?;
        let approved = applications::approved(&self.db, parent.account_id, None).await?;
        let today = moscow_today(self.clock.now());
        cards
            .iter()
            .map(|child| {
                let check = checks
                    .iter()
                    .find(|c| c.child_id == child.id)
                    .map(StoredEligibilityCheck::state)
                    .transpose()?;
                Ok(ChildEligibility {
                    child_id: child.id,
                    name: full_name(
                        &child.last_name,
                        &child.first_name,
                        child.middle_name.as_deref(),
                    ),
                    age: full_years(child.birth_date, today),
                    not_checkable: self.not_checkable(benefit, child),
                    check,
                    draft: drafts
                        .iter()
                        .find(|d| d.child_id == child.id)
                        .map(|d| {
                            Ok::<_, ServiceError>(DraftRef {
                                id: d.id,
                                saved_at: format_ru_datetime(d.updated_at),
                                next: d.answers()?.first_missing(),
                            })
                        })
                        .transpose()?,
                    approved: approved
                        .iter()
                        .find(|a| a.child_id == Some(child.id) && a.benefit_code == benefit.code)
                        .map(|a| ApprovedRef {
                            application_id: a.id,
                            number: benefit.application_number(a.submitted_at, a.id),
                            since: format_ru_date(moscow_today(a.status_since)),
                        }),
                })
            })
            .collect()
    }

    async fn start(
        &self,
        parent: &SignedInAccount,
        benefit_code: &str,
        child_id: i64,
    ) -> Result<(), ServiceError> {
        require_confirmed(parent)?;
        let benefit = self.benefit(benefit_code)?;
        // Another family's child is «not found», like one that does not exist.
        let child = children::of_parent(&self.db, parent.account_id, child_id)
            .await?
            .ok_or_else(not_found)?;
        if let Some(reason) = self.not_checkable(benefit, &child) {
            return Err(refuse_child(reason));
        }
        start_round(
            &self.db,
            parent.account_id,
            child.id,
            benefit_code,
            self.clock.now(),
        )
        .await?;
        tracing::info!(
            event = "eligibility.requested",
            account_id = parent.account_id,
            child_id = child.id,
            benefit = benefit_code
        );
        Ok(())
    }
}

/// What the registry is asked: the card's child and parent, as the card and the account hold
/// them.
fn family_query(
    child: &StoredChild,
    parent: &accounts::StoredAccount,
    benefit: &Benefit,
) -> FamilyQuery {
    FamilyQuery {
        applicant: PersonQuery {
            last_name: parent.last_name.clone(),
            first_name: parent.first_name.clone(),
            middle_name: parent.middle_name.clone(),
            birth_date: parent.birth_date,
        },
        applicant_snils: parent.snils.clone(),
        child: PersonQuery {
            last_name: child.last_name.clone(),
            first_name: child.first_name.clone(),
            middle_name: child.middle_name.clone(),
            birth_date: child.birth_date,
        },
        certificate: child.certificate_number.clone(),
        service_number: benefit.service_number.clone(),
    }
}

/// The registry's answer as the facts the rules are judged on.
fn facts(answer: &registry::FamilyAnswer, benefit: &Benefit) -> RegistryFacts {
    RegistryFacts {
        child_record: match &answer.child_record {
            registry::ChildRecord::Found => ChildRecord::Found,
            registry::ChildRecord::NotFound => ChildRecord::NotFound,
            registry::ChildRecord::Mismatch(fields) => ChildRecord::Mismatch(fields.clone()),
        },
        large_family: answer.statuses.large_family,
        low_income: answer.statuses.low_income,
        child_disability: answer.statuses.child_disability,
        already_receiving: answer.receiving.contains(&benefit.service_number),
    }
}

/// Asks the benefits registry for one round of one check; a registry that is down or slow is
/// retried by the queue, and after the last attempt the check says «Реестр не ответил».
pub struct EligibilityCheckJob(pub EligibilityChecks);

#[async_trait::async_trait]
impl JobHandler for EligibilityCheckJob {
    fn kind(&self) -> &'static str {
        ELIGIBILITY_CHECK
    }

    async fn run(&self, payload: &str) -> Result<(), JobError> {
        let job = jobs::parse_payload::<EligibilityJob>(payload)?;
        let checks = &self.0;
        let Some(check) =
            eligibility_checks::waiting(&checks.db, job.child_id, &job.benefit_code, job.round)
                .await?
        else {
            return Ok(());
        };
        let Some(child) = children::by_id(&checks.db, check.child_id).await? else {
            return Ok(());
        };
        let parent = accounts::by_id(&checks.db, check.parent_account_id)
            .await?
            .ok_or_else(|| JobError::Permanent("the check's parent is gone".to_owned()))?;
        let benefit = checks.catalogue.find(&check.benefit_code).ok_or_else(|| {
            JobError::Permanent(format!(
                "no benefit {:?} in the catalogue",
                check.benefit_code
            ))
        })?;
        let answer = checks
            .registries
            .benefits
            .check_family(&family_query(&child, &parent, benefit))
            .await?;
        let mut found = facts(&answer, benefit);
        // A benefit this portal approved counts as received even before the registry knows it.
        found.already_receiving |= applications::approved(&checks.db, parent.id, Some(child.id))
            .await?
            .iter()
            .any(|approved| approved.benefit_code == benefit.code);
        let mut tx = checks.db.begin().await?;
        eligibility_checks::finish(
            &mut tx,
            job.child_id,
            &job.benefit_code,
            job.round,
            &found,
            checks.clock.now(),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn gave_up(&self, payload: &str, _error: &str) -> Result<(), JobError> {
        let job = jobs::parse_payload::<EligibilityJob>(payload)?;
        eligibility_checks::give_up(&self.0.db, job.child_id, &job.benefit_code, job.round).await?;
        Ok(())
    }
}
