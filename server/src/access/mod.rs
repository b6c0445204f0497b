//! «Настройки доступа» and the minor's own services. `AccessService` implements the parent's
//! `AccessControl` here (only a parent with a live link to the card's minor; a minor is refused
//! with `ParentsOnly`) and the minor's `MinorServices` in `services.rs`; every use is decided by
//! `domain::access::AccessSettings::admit` on the server. `agency` is the simulated agencies.

pub mod agency;
mod grants;
pub mod receipt;
pub(crate) mod services;
pub mod sweep;

use std::sync::Arc;

use app::access::grants::{AccessGrant, GRANT_DAYS, GrantStatus, GrantedHow};
use app::access::services::RecordStatus;
use app::access::settings::{
    AccessChange, AccessControl, AccessForm, AccessView, ChildFacts, Difference, differences,
};
use app::activity::journal::{ActivityKind, ActorKind};
use app::api::{Clock, Refusal, ServiceError, SignedInAccount};
use app::domain::access::{AccessLevel, AccessSettings, ServiceCategory};
use app::domain::{format_ru_datetime, full_name, full_years, moscow_today};
use governor::DefaultKeyedRateLimiter;

use crate::activity::{self, Activity, Actor};
use crate::db::accounts::StoredAccount;
use crate::db::{Database, StorageError, Tx, access, access_grants, accounts};
use crate::family::not_found;
use crate::outbox::Outbox;

/// Uses of services one minor may attempt in an hour, refused ones included: a bound on what a
/// script could make the portal write and send.
pub const USES_PER_HOUR: u32 = 120;

/// Each changed value into «История изменений» and the minor's journal, by `actor`.
pub(crate) async fn write_changes(
    tx: &mut Tx,
    minor: i64,
    actor: &Actor,
    changed: &[Difference],
    action: &str,
    now: time::OffsetDateTime,
) -> Result<(), StorageError> {
    for difference in changed {
        access::record_change(
            tx,
            &access::NewChange {
                minor,
                actor: actor.account_id,
                actor_label: &actor.label,
                what: &difference.what,
                old: &difference.old,
                new: &difference.new,
            },
            now,
        )
        .await?;
        let entry = Activity {
            kind: ActivityKind::Settings,
            actor: actor.clone(),
            action,
            detail: format!(
                "{}: {} → {}",
                difference.what, difference.old, difference.new
            ),
            client: None,
        };
        activity::record(tx, minor, &entry, now).await?;
    }
    Ok(())
}

/// How many changes the history shows.
const HISTORY: i64 = 50;

pub struct AccessService {
    pub db: Database,
    pub clock: Arc<dyn Clock>,
    pub outbox: Outbox,
    pub public_url: String,
    pub agency: Arc<dyn agency::Agency>,
    pub uses: Arc<DefaultKeyedRateLimiter<i64>>,
}

impl AccessService {
    /// The minor linked to the parent's card; a minor asking is told only a parent may.
    async fn linked_minor(
        &self,
        caller: &SignedInAccount,
        card: i64,
    ) -> Result<StoredAccount, ServiceError> {
        let account = accounts::by_id(&self.db, caller.account_id)
            .await?
            .ok_or(ServiceError::SignInRequired)?;
        if account.age_group.is_minor() {
            tracing::info!(
                event = "authz.refused",
                reason = "minor_changes_access",
                account_id = caller.account_id,
                "refused"
            );
            return Err(ServiceError::Refused(Refusal::ParentsOnly));
        }
        let minor = activity::minor_of_card(&self.db, caller.account_id, card)
            .await?
            .ok_or_else(not_found)?;
        accounts::by_id(&self.db, minor)
            .await?
            .filter(|m| m.age_group.is_minor())
            .ok_or_else(not_found)
    }

    /// The categories with a live grant of «Полный».
    pub(crate) async fn live_grants(
        &self,
        minor: i64,
        now: time::OffsetDateTime,
    ) -> Result<Vec<ServiceCategory>, ServiceError> {
        Ok(access_grants::of_minor(&self.db, minor)
            .await?
            .into_iter()
            .filter(|g| g.status == GrantStatus::Granted && g.expires_at.is_some_and(|e| e > now))
            .map(|g| g.category)
            .collect())
    }

    /// The settings in force: «Полный» only where a grant is live (one past its end counts as
    /// «Ограниченный» before the nightly sweep writes so).
    pub(crate) async fn effective_settings(
        &self,
        minor: i64,
        now: time::OffsetDateTime,
    ) -> Result<AccessSettings, ServiceError> {
        let (mut settings, _) = access::settings(&self.db, minor).await?;
        let live = self.live_grants(minor, now).await?;
        for category in &mut settings.categories {
            if category.level == AccessLevel::Full && !live.contains(&category.category) {
                category.level = AccessLevel::Limited;
            }
        }
        Ok(settings)
    }

    fn facts(&self, minor: &StoredAccount) -> ChildFacts {
        let today = moscow_today(self.clock.now());
        ChildFacts {
            age: full_years(minor.birth_date, today),
            today,
        }
    }

    async fn view_of(&self, card: i64, minor: &StoredAccount) -> Result<AccessView, ServiceError> {
        let now = self.clock.now();
        let (settings, version) = access::settings(&self.db, minor.id).await?;
        let history = access::changes(&self.db, minor.id, HISTORY)
            .await?
            .into_iter()
            .map(|c| AccessChange {
                at: format_ru_datetime(c.at),
                by: c.actor_label,
                what: c.what,
                old: c.old_value,
                new: c.new_value,
            })
            .collect();
        Ok(AccessView {
            child_id: card,
            child_name: full_name(
                &minor.last_name,
                &minor.first_name,
                minor.middle_name.as_deref(),
            ),
            age: self.facts(minor).age,
            form: AccessForm::of(&settings),
            version,
            history,
            grants: access_grants::of_minor(&self.db, minor.id)
                .await?
                .into_iter()
                .filter(|g| {
                    g.status != GrantStatus::Requested || g.code_expires_at.is_some_and(|u| u > now)
                })
                .map(|g| AccessGrant {
                    id: g.id,
                    category: g.category,
                    status: g.status,
                    requested_at: format_ru_datetime(g.requested_at),
                    decided_by: match g.how() {
                        Some(GrantedHow::Code) => "по коду подтверждения".to_owned(),
                        _ => g.decided_by_label.clone().unwrap_or_default(),
                    },
                    valid_until: g
                        .expires_at
                        .or(g.code_expires_at)
                        .map(format_ru_datetime)
                        .unwrap_or_default(),
                })
                .collect(),
            pending: access::records(
                &self.db,
                minor.id,
                Some(RecordStatus::AwaitingParent),
                HISTORY,
            )
            .await?
            .into_iter()
            .map(services::shown)
            .collect(),
        })
    }
}

#[async_trait::async_trait]
impl AccessControl for AccessService {
    async fn view(&self, parent: &SignedInAccount, child: i64) -> Result<AccessView, ServiceError> {
        let minor = self.linked_minor(parent, child).await?;
        activity::record_parent_view(
            &self.db,
            parent.account_id,
            child,
            "Просмотр настроек доступа",
            self.clock.now(),
        )
        .await?;
        self.view_of(child, &minor).await
    }

    async fn save(
        &self,
        parent: &SignedInAccount,
        child: i64,
        version: i64,
        form: AccessForm,
    ) -> Result<AccessView, ServiceError> {
        let minor = self.linked_minor(parent, child).await?;
        let new = form
            .check(self.facts(&minor))
            .map_err(ServiceError::Invalid)?;
        let now = self.clock.now();
        let mut tx = self.db.begin().await?;
        let (old, stored_version) = access::settings_in(&mut tx, minor.id).await?;
        if stored_version != version {
            return Err(ServiceError::Refused(Refusal::SettingsChanged));
        }
        let changed = differences(&old, &new);
        if changed.is_empty() {
            drop(tx);
            return self.view_of(child, &minor).await;
        }
        if !access::save(&mut tx, minor.id, &new, version, now).await? {
            return Err(ServiceError::Refused(Refusal::SettingsChanged));
        }
        let actor = Actor::person(&mut tx, ActorKind::Parent, parent.account_id).await?;
        // «Полный» chosen by the parent is the parent's consent; «Ограниченный» ends it.
        for category in ServiceCategory::ALL {
            match (old.category(category).level, new.category(category).level) {
                (AccessLevel::Limited, AccessLevel::Full) => {
                    access_grants::end(&mut tx, minor.id, category, GrantStatus::Expired, now)
                        .await?;
                    access_grants::insert_granted(
                        &mut tx,
                        minor.id,
                        category,
                        (parent.account_id, &actor.label),
                        now,
                        now + time::Duration::days(GRANT_DAYS),
                    )
                    .await?;
                }
                (AccessLevel::Full, AccessLevel::Limited) => {
                    access_grants::end(&mut tx, minor.id, category, GrantStatus::Revoked, now)
                        .await?;
                }
                _ => {}
            }
        }
        write_changes(
            &mut tx,
            minor.id,
            &actor,
            &changed,
            "Изменены настройки доступа",
            now,
        )
        .await?;
        tx.commit().await?;
        tracing::info!(
            event = "access.saved",
            account_id = parent.account_id,
            minor_account_id = minor.id,
            changes = changed.len(),
            "access settings saved"
        );
        self.view_of(child, &minor).await
    }

    async fn decide_grant(
        &self,
        parent: &SignedInAccount,
        child: i64,
        grant: i64,
        approve: bool,
    ) -> Result<AccessView, ServiceError> {
        self.decide_request(parent, child, grant, approve).await
    }

    async fn revoke_grant(
        &self,
        parent: &SignedInAccount,
        child: i64,
        grant: i64,
    ) -> Result<AccessView, ServiceError> {
        self.end_grant(parent, child, grant).await
    }

    async fn decide_operation(
        &self,
        parent: &SignedInAccount,
        child: i64,
        record: i64,
        approve: bool,
    ) -> Result<AccessView, ServiceError> {
        let minor = self.linked_minor(parent, child).await?;
        let now = self.clock.now();
        let mut tx = self.db.begin().await?;
        let waiting = access::records(
            &self.db,
            minor.id,
            Some(RecordStatus::AwaitingParent),
            HISTORY,
        )
        .await?
        .into_iter()
        .find(|r| r.id == record);
        let Some(waiting) = waiting else {
            // Decided already (another tab, the other parent): the page shows what stands.
            drop(tx);
            return self.view_of(child, &minor).await;
        };
        let (to, result) = if approve {
            let today = moscow_today(now);
            let answer = self.agency.perform(
                &services::person(&self.db, &minor).await?,
                waiting.service,
                waiting.level,
                today,
            )?;
            (RecordStatus::Done, answer)
        } else {
            (RecordStatus::DeclinedByParent, String::new())
        };
        if access::decide_record(
            &mut tx,
            minor.id,
            record,
            to,
            &result,
            parent.account_id,
            now,
        )
        .await?
        .is_some()
        {
            let operation = waiting.service.operation(waiting.level).label;
            let action = if approve {
                "Родитель подтвердил операцию"
            } else {
                "Родитель отклонил операцию"
            };
            let entry = Activity {
                kind: ActivityKind::Operation,
                actor: Actor::person(&mut tx, ActorKind::Parent, parent.account_id).await?,
                action,
                detail: format!("{operation}. {result}")
                    .trim_end_matches(". ")
                    .to_owned(),
                client: None,
            };
            activity::record(&mut tx, minor.id, &entry, now).await?;
            let message = crate::outbox::Message {
                account_id: Some(minor.id),
                channel: crate::outbox::Channel::InApp,
                recipient: minor.id.to_string(),
                subject: format!("{action}: «{operation}»"),
                body: if approve {
                    result
                } else {
                    "Операция не выполнена.".to_owned()
                },
            };
            self.outbox.enqueue(&mut tx, &message, now).await?;
        }
        tx.commit().await?;
        self.outbox.wake();
        self.view_of(child, &minor).await
    }
}
