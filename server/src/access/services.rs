//! `MinorServices`: the minor's catalogue and each use of a service. The order of a use: the
//! per-account ceiling (in memory, before any work), the rule (`AccessSettings::admit`), then —
//! for an extended use — the day's count reserved in the same transaction that records the
//! agency's answer. A refusal is journaled and told to the linked parents, each at most once an
//! hour per service, so a minor pressing again does not flood either.

use app::access::grants::{GrantStatus, WaitingRequest};
use app::access::services::{
    CategoryCard, MinorCatalogue, MinorServices, RecordStatus, ServiceCard, ServiceRecord,
    UseOutcome, refusal_text,
};
use app::account::second_factor::SecondFactor;
use app::activity::journal::{ActivityKind, ActorKind};
use app::api::request::ClientInfo;
use app::api::{ServiceError, SignedInAccount};
use app::domain::access::{
    AccessSettings, Admission, MinorService, ServiceCategory, ServiceLevel, UseFacts, UseRefusal,
};
use app::domain::{format_ru_datetime, full_years, moscow_today};
use time::{Duration, OffsetDateTime};

use super::AccessService;
use super::agency::{AgencyError, Person};
use crate::activity::{self, Activity, Actor};
use crate::db::accounts::StoredAccount;
use crate::db::{Tx, access, access_grants, accounts, activity_journal, link_codes};
use crate::family::not_found;

/// A refusal of the same service is journaled and told once in this window.
const REFUSAL_WINDOW: Duration = Duration::hours(1);
/// Records the catalogue shows.
const RECORDS: i64 = 20;

impl From<AgencyError> for ServiceError {
    fn from(error: AgencyError) -> Self {
        ServiceError::unexpected(error)
    }
}

pub(super) fn shown(record: access::StoredRecord) -> ServiceRecord {
    ServiceRecord {
        id: record.id,
        service: record.service,
        level: record.level,
        status: record.status,
        result: record.result,
        at: format_ru_datetime(record.created_at),
    }
}

/// Who the agency is asked about, with the school connected in «Учебные данные».
pub(super) async fn person(
    db: &crate::db::Database,
    minor: &StoredAccount,
) -> Result<Person, ServiceError> {
    let school = crate::db::diary::link(db, minor.id)
        .await?
        .filter(|link| link.connected())
        .map(|link| link.school_name);
    Ok(Person {
        snils: minor.snils.clone(),
        first_name: minor.first_name.clone(),
        birth_date: minor.birth_date,
        school,
    })
}

impl AccessService {
    /// The signed-in minor's account; an adult has no catalogue.
    pub(super) async fn minor(
        &self,
        caller: &SignedInAccount,
    ) -> Result<StoredAccount, ServiceError> {
        accounts::by_id(&self.db, caller.account_id)
            .await?
            .filter(|a| a.age_group.is_minor())
            .ok_or_else(not_found)
    }

    fn use_facts(
        &self,
        caller: &SignedInAccount,
        minor: &StoredAccount,
        now: OffsetDateTime,
        used_today: u32,
    ) -> UseFacts {
        let today = moscow_today(now);
        UseFacts {
            age: full_years(minor.birth_date, today),
            today,
            second_factor_proven: minor.second_factor != SecondFactor::None
                && caller.recently_reauthenticated(now),
            used_today,
        }
    }

    /// Journals the refusal and tells the parents, unless the same was told within the hour.
    async fn refuse(
        &self,
        minor: &StoredAccount,
        service: MinorService,
        refusal: UseRefusal,
        client: &ClientInfo,
        now: OffsetDateTime,
    ) -> Result<UseOutcome, ServiceError> {
        let mut tx = self.db.begin().await?;
        let action = format!("Отказ в сервисе «{}»", service.title());
        let told = activity_journal::written_since(
            &mut tx,
            minor.id,
            Some(minor.id),
            &action,
            now - REFUSAL_WINDOW,
        )
        .await?;
        if !told {
            let reason = refusal_text(refusal);
            let entry = Activity {
                kind: ActivityKind::Service,
                actor: Actor::person(&mut tx, ActorKind::Minor, minor.id).await?,
                action: &action,
                detail: reason.clone(),
                client: Some(client),
            };
            activity::record(&mut tx, minor.id, &entry, now).await?;
            let text = format!(
                "{}: попытка воспользоваться сервисом «{}» остановлена настройками доступа. \
                 Причина: {}. Настройки доступа — в карточке ребёнка: {}/documents/family",
                minor.first_name,
                service.title(),
                reason,
                self.public_url
            );
            self.tell_parents(
                &mut tx,
                minor.id,
                "Попытка выйти за рамки доступа",
                &text,
                now,
            )
            .await?;
        }
        tx.commit().await?;
        self.outbox.wake();
        tracing::info!(
            event = "service.refused",
            minor_account_id = minor.id,
            service = service.as_str(),
            reason = refusal.code(),
            "refused"
        );
        Ok(UseOutcome::Refused(refusal))
    }

    /// An in-app message and an e-mail to each parent with a live link.
    pub(super) async fn tell_parents(
        &self,
        tx: &mut Tx,
        minor: i64,
        subject: &str,
        text: &str,
        now: OffsetDateTime,
    ) -> Result<(), ServiceError> {
        for parent in link_codes::guardians_in(tx, minor).await? {
            self.outbox
                .tell(tx, (parent.account_id, &parent.email), subject, text, now)
                .await?;
        }
        Ok(())
    }
}

fn card(settings: &AccessSettings, service: MinorService, facts: UseFacts) -> ServiceCard {
    ServiceCard {
        service,
        basic_refused: settings.admit(service, ServiceLevel::Basic, facts).err(),
        extended_refused: settings.admit(service, ServiceLevel::Extended, facts).err(),
    }
}

#[async_trait::async_trait]
impl MinorServices for AccessService {
    async fn catalogue(&self, caller: &SignedInAccount) -> Result<MinorCatalogue, ServiceError> {
        let minor = self.minor(caller).await?;
        let now = self.clock.now();
        let settings = self.effective_settings(minor.id, now).await?;
        let day = moscow_today(now).to_string();
        let used_today = access::used_on(&self.db, minor.id, &day).await?;
        let facts = self.use_facts(caller, &minor, now, used_today);
        let waiting: Vec<WaitingRequest> = access_grants::of_minor(&self.db, minor.id)
            .await?
            .into_iter()
            .filter(|g| g.status == GrantStatus::Requested)
            .filter(|g| g.code_expires_at.is_some_and(|until| until > now))
            .map(|g| WaitingRequest {
                id: g.id,
                category: g.category,
                code_valid_until: g
                    .code_expires_at
                    .map(format_ru_datetime)
                    .unwrap_or_default(),
            })
            .collect();
        let categories = ServiceCategory::ALL
            .into_iter()
            .map(|category| CategoryCard {
                category,
                level: settings.category(category).level,
                waiting: waiting.iter().find(|w| w.category == category).cloned(),
                services: category
                    .services()
                    .map(|service| card(&settings, service, facts))
                    .collect(),
            })
            .collect();
        let records = access::records(&self.db, minor.id, None, RECORDS)
            .await?
            .into_iter()
            .map(shown)
            .collect();
        Ok(MinorCatalogue {
            categories,
            requests_per_day: settings.requests_per_day,
            used_today,
            records,
            has_second_factor: minor.second_factor != SecondFactor::None,
            confirmed: facts.second_factor_proven,
        })
    }

    async fn use_service(
        &self,
        caller: &SignedInAccount,
        service: MinorService,
        level: ServiceLevel,
        client: &ClientInfo,
    ) -> Result<UseOutcome, ServiceError> {
        if let Err(not_until) = self.uses.check_key(&caller.account_id) {
            return Err(ServiceError::Throttled {
                retry_after_seconds: crate::benefits::applications::admission::retry_after(
                    &not_until,
                ),
            });
        }
        let minor = self.minor(caller).await?;
        let now = self.clock.now();
        let settings = self.effective_settings(minor.id, now).await?;
        let day = moscow_today(now).to_string();
        let used_today = access::used_on(&self.db, minor.id, &day).await?;
        let facts = self.use_facts(caller, &minor, now, used_today);
        let admission = match settings.admit(service, level, facts) {
            Ok(admission) => admission,
            Err(refusal) => return self.refuse(&minor, service, refusal, client, now).await,
        };
        let mut tx = self.db.begin().await?;
        if level == ServiceLevel::Extended
            && !access::reserve_use(&mut tx, minor.id, &day, settings.requests_per_day).await?
        {
            // Another request took the last one between the check and here.
            drop(tx);
            let refusal = UseRefusal::DailyLimit {
                limit: settings.requests_per_day,
            };
            return self.refuse(&minor, service, refusal, client, now).await;
        }
        let actor = Actor::person(&mut tx, ActorKind::Minor, minor.id).await?;
        let operation = service.operation(level).label;
        let outcome = match (level, admission) {
            (ServiceLevel::Basic, _) => {
                let result = self.agency.perform(
                    &person(&self.db, &minor).await?,
                    service,
                    level,
                    facts.today,
                )?;
                // Seeing one's own information is journaled once an hour per service.
                let entry = Activity {
                    kind: ActivityKind::Service,
                    actor,
                    action: service.title(),
                    detail: operation.to_owned(),
                    client: Some(client),
                };
                let seen = activity_journal::written_since(
                    &mut tx,
                    minor.id,
                    Some(minor.id),
                    service.title(),
                    now - REFUSAL_WINDOW,
                )
                .await?;
                if !seen {
                    activity::record(&mut tx, minor.id, &entry, now).await?;
                }
                UseOutcome::Done(ServiceRecord {
                    id: 0,
                    service,
                    level,
                    status: RecordStatus::Done,
                    result,
                    at: format_ru_datetime(now),
                })
            }
            (ServiceLevel::Extended, Admission::Allowed) => {
                let result = self.agency.perform(
                    &person(&self.db, &minor).await?,
                    service,
                    level,
                    facts.today,
                )?;
                let id = access::insert_record(
                    &mut tx,
                    minor.id,
                    service,
                    level,
                    RecordStatus::Done,
                    &result,
                    now,
                )
                .await?;
                let entry = Activity {
                    kind: ActivityKind::Operation,
                    actor,
                    action: operation,
                    detail: result.clone(),
                    client: Some(client),
                };
                activity::record(&mut tx, minor.id, &entry, now).await?;
                UseOutcome::Done(ServiceRecord {
                    id,
                    service,
                    level,
                    status: RecordStatus::Done,
                    result,
                    at: format_ru_datetime(now),
                })
            }
            (ServiceLevel::Extended, Admission::ParentConfirmation) => {
                let id = access::insert_record(
                    &mut tx,
                    minor.id,
                    service,
                    level,
                    RecordStatus::AwaitingParent,
                    "",
                    now,
                )
                .await?;
                let entry = Activity {
                    kind: ActivityKind::Operation,
                    actor,
                    action: operation,
                    detail: "Ожидает подтверждения родителя".to_owned(),
                    client: Some(client),
                };
                activity::record(&mut tx, minor.id, &entry, now).await?;
                let text = format!(
                    "{} хочет выполнить операцию «{}». Детям до 14 лет оплату подтверждает \
                     родитель: откройте настройки доступа в карточке ребёнка: {}/documents/family",
                    minor.first_name, operation, self.public_url
                );
                self.tell_parents(
                    &mut tx,
                    minor.id,
                    "Подтвердите операцию ребёнка",
                    &text,
                    now,
                )
                .await?;
                UseOutcome::AwaitingParent(ServiceRecord {
                    id,
                    service,
                    level,
                    status: RecordStatus::AwaitingParent,
                    result: String::new(),
                    at: format_ru_datetime(now),
                })
            }
        };
        tx.commit().await?;
        self.outbox.wake();
        Ok(outcome)
    }
}
