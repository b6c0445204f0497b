//! «Семья и дети» on the server: a parent's children ([`FamilyService`], scoped to the parent in
//! every query) and the registry checks that confirm their documents ([`checks`], run by the
//! job queue).

pub mod checks;
mod letters;
pub mod parent_tie;
mod view;

use std::sync::Arc;

use app::account::AccountLevel;
use app::api::Refusal;
use app::api::{ServiceError, SignedInAccount};
use app::domain::verification::{Document, Event};
use app::domain::{DocumentStatus, Snils, full_years, moscow_today};
use app::family::Family;
use app::family::child_form::{BirthCountry, NewChild, OWN_SNILS_AGE};
use app::family::{ChildDetails, FamilyOverview};

use crate::clock::Clock;
use crate::db::children::{self, Statuses, StoredChild};
use crate::db::{Database, Tx};
use crate::jobs;
use checks::{CERTIFICATE_CHECK, CheckJob, SNILS_CHECK};

pub struct FamilyService {
    pub db: Database,
    pub clock: Arc<dyn Clock>,
    /// Names the benefits active for a child.
    pub catalogue: Arc<crate::benefits::Catalogue>,
}

/// Server functions refuse below «подтверждённая»; the service checks again, so no other caller
/// can skip it.
pub(crate) fn require_confirmed(parent: &SignedInAccount) -> Result<(), ServiceError> {
    if parent.level < AccountLevel::Confirmed {
        return Err(ServiceError::Refused(Refusal::ConfirmedLevelRequired));
    }
    Ok(())
}

pub(crate) fn not_found() -> ServiceError {
    ServiceError::Refused(Refusal::NotFound)
}

fn transition(
    document: Document,
    status: DocumentStatus,
    event: Event,
) -> Result<DocumentStatus, ServiceError> {
    document
        .after(status, event)
        .map_err(|_| ServiceError::Refused(Refusal::NothingToCheck))
}

/// What ЕГР ЗАГС and СФР compare: a change to any of these makes a confirmed certificate
/// «Данные введены вручную» again.
fn checked_fields_differ(stored: &StoredChild, new: &NewChild) -> bool {
    let updated = children::probe(new);
    (
        &stored.last_name,
        &stored.first_name,
        &stored.middle_name,
        stored.birth_date,
        stored.birth_country.as_str(),
        &stored.certificate_number,
        stored.certificate_date,
        &stored.act_record_number,
        stored.act_record_date,
        &stored.certificate_issued_by,
    ) != (
        &updated.last_name,
        &updated.first_name,
        &updated.middle_name,
        updated.birth_date,
        updated.birth_country,
        &updated.certificate_number,
        updated.certificate_date,
        &updated.act_record_number,
        updated.act_record_date,
        &updated.issued_by,
    )
}

async fn record(
    tx: &mut Tx,
    id: i64,
    before: &Statuses,
    after: &Statuses,
    at: time::OffsetDateTime,
) -> Result<(), ServiceError> {
    if before.certificate != after.certificate {
        children::record_status(
            tx,
            id,
            Document::BirthCertificate,
            after.certificate,
            after.certificate_problem.as_deref(),
            at,
        )
        .await?;
    }
    if before.snils != after.snils {
        children::record_status(
            tx,
            id,
            Document::Snils,
            after.snils,
            after.snils_problem.as_deref(),
            at,
        )
        .await?;
    }
    Ok(())
}

impl FamilyService {
    /// The benefits approved for this parent's child, from the applications' decisions.
    async fn active_benefits(
        &self,
        parent: i64,
        child: i64,
    ) -> Result<Vec<app::family::ActiveBenefit>, ServiceError> {
        let approved = crate::db::applications::approved(&self.db, parent, Some(child)).await?;
        Ok(approved
            .into_iter()
            .filter_map(|approved| {
                let benefit = self.catalogue.find(&approved.benefit_code)?;
                Some(app::family::ActiveBenefit {
                    name: benefit.name.clone(),
                    since: app::domain::date::format_ru_date(moscow_today(approved.status_since)),
                    application_id: approved.id,
                    number: benefit.application_number(approved.submitted_at, approved.id),
                })
            })
            .collect())
    }

    fn today(&self) -> time::Date {
        moscow_today(self.clock.now())
    }

    /// The statuses after the parent's edit, and the child as it will be stored: a younger
    /// child's СНИЛС found by СФР is kept unless what СФР matched on changed.
    fn after_edit(&self, stored: &StoredChild, mut child: NewChild) -> (NewChild, Statuses) {
        let before = Statuses::of(stored);
        let under_fourteen = full_years(child.birth_date, self.today()) < OWN_SNILS_AGE;
        let identity_changed = checked_fields_differ(stored, &child);
        if child.snils.is_none() && under_fourteen && !identity_changed {
            child.snils = stored.snils.as_deref().and_then(|s| Snils::parse(s).ok());
        }
        let snils_changed = child.snils.map(|s| s.digits()) != stored.snils;
        let edited = Event::Edited {
            has_value: child.snils.is_some() && !under_fourteen,
        };
        let mut after = before.clone();
        if identity_changed {
            after.certificate = DocumentStatus::Manual;
            after.certificate_problem = None;
        }
        if identity_changed || snils_changed {
            after.snils = before
                .snils
                .snils_after(edited)
                .unwrap_or(DocumentStatus::Absent);
            after.snils_problem = None;
            if under_fourteen {
                child.snils = None;
            }
        }
        (child, after)
    }
}

#[async_trait::async_trait]
impl Family for FamilyService {
    async fn overview(&self, parent: &SignedInAccount) -> Result<FamilyOverview, ServiceError> {
        require_confirmed(parent)?;
        let list = children::for_parent(&self.db, parent.account_id).await?;
        let pending = crate::db::consents::pending_count(&self.db, parent.account_id).await?;
        Ok(view::overview(&list, pending))
    }

    async fn child(&self, parent: &SignedInAccount, id: i64) -> Result<ChildDetails, ServiceError> {
        require_confirmed(parent)?;
        let child = children::of_parent(&self.db, parent.account_id, id)
            .await?
            .ok_or_else(not_found)?;
        let account = crate::child_accounts::account_block(
            &self.db,
            parent.account_id,
            &child,
            self.today(),
            self.clock.now(),
        )
        .await?;
        let benefits = self.active_benefits(parent.account_id, child.id).await?;
        crate::activity::record_parent_view(
            &self.db,
            parent.account_id,
            child.id,
            "Просмотр карточки ребёнка",
            self.clock.now(),
        )
        .await?;
        Ok(view::details(&child, self.today(), account, benefits))
    }

    async fn save_child(
        &self,
        parent: &SignedInAccount,
        id: Option<i64>,
        child: NewChild,
    ) -> Result<i64, ServiceError> {
        require_confirmed(parent)?;
        let now = self.clock.now();
        let relation = child.relation;
        let mut tx = self.db.begin().await?;
        let id = match id {
            None => {
                if children::count_for_parent_locked(&mut tx, parent.account_id).await?
                    >= app::family::MAX_CHILDREN
                {
                    return Err(ServiceError::Refused(Refusal::TooManyChildren));
                }
                let snils = if child.snils.is_some() {
                    DocumentStatus::Manual
                } else {
                    DocumentStatus::Absent
                };
                let id = children::insert(&mut tx, parent.account_id, &child, snils, now).await?;
                children::record_status(
                    &mut tx,
                    id,
                    Document::BirthCertificate,
                    DocumentStatus::Manual,
                    None,
                    now,
                )
                .await?;
                children::record_status(&mut tx, id, Document::Snils, snils, None, now).await?;
                id
            }
            Some(id) => {
                let stored = children::of_parent_in(&mut tx, parent.account_id, id)
                    .await?
                    .ok_or_else(not_found)?;
                let before = Statuses::of(&stored);
                let (child, after) = self.after_edit(&stored, child);
                let new_round = after != before;
                children::update(
                    &mut tx,
                    parent.account_id,
                    id,
                    &child,
                    &after,
                    new_round,
                    now,
                )
                .await?;
                record(&mut tx, id, &before, &after, now).await?;
                id
            }
        };
        children::set_relation(&mut tx, parent.account_id, id, relation).await?;
        tx.commit().await?;
        Ok(id)
    }

    async fn remove_child(&self, parent: &SignedInAccount, id: i64) -> Result<(), ServiceError> {
        require_confirmed(parent)?;
        // Jobs in flight for this child find it gone and do nothing.
        if children::remove(&self.db, parent.account_id, id).await? {
            Ok(())
        } else {
            Err(not_found())
        }
    }

    async fn request_checks(
        &self,
        parent: &SignedInAccount,
        ids: &[i64],
        auto_update: bool,
    ) -> Result<(), ServiceError> {
        require_confirmed(parent)?;
        let now = self.clock.now();
        let mut tx = self.db.begin().await?;
        for &id in ids {
            let stored = children::of_parent_in(&mut tx, parent.account_id, id)
                .await?
                .ok_or_else(not_found)?;
            if stored.birth_country != BirthCountry::Russia {
                return Err(ServiceError::Refused(Refusal::NothingToCheck));
            }
            let before = Statuses::of(&stored);
            let mut after = before.clone();
            // From the certificate, unless it is confirmed and only the СНИЛС failed.
            let kind = if before.certificate == DocumentStatus::Confirmed {
                after.snils = transition(
                    Document::Snils,
                    before.snils,
                    Event::Retried {
                        has_value: stored.snils.is_some(),
                    },
                )?;
                after.snils_problem = None;
                SNILS_CHECK
            } else {
                after.certificate = transition(
                    Document::BirthCertificate,
                    before.certificate,
                    Event::Requested,
                )?;
                after.certificate_problem = None;
                // A СНИЛС is checked only after the certificate: back to where it started.
                after.snils = if stored.snils.is_some() {
                    DocumentStatus::Manual
                } else {
                    DocumentStatus::Absent
                };
                after.snils_problem = None;
                CERTIFICATE_CHECK
            };
            let round =
                children::start_round(&mut tx, parent.account_id, id, &after, auto_update, now)
                    .await?
                    .ok_or_else(not_found)?;
            record(&mut tx, id, &before, &after, now).await?;
            jobs::enqueue(
                &mut tx,
                kind,
                &CheckJob {
                    child_id: id,
                    round,
                },
                now,
            )
            .await?;
        }
        // All or nothing: one refused child leaves every chosen child as it was.
        tx.commit().await?;
        Ok(())
    }
}
