//! The daily job `access.sweep` (03:30 Moscow): switches off what the parent set to end — a
//! category whose switch-off day has come or whose maximum age the child has passed — and, when
//! a child reaches an age threshold, reminds the parents to review access. Each switch-off is one
//! transaction at the version read (history by «Портал», the journal, the parents told); each
//! reminder is journaled, and an entry already there means it was sent.

use app::access::grants::GrantStatus;
use app::access::settings::differences;
use app::activity::journal::ActivityKind;
use app::domain::access::AccessLevel;
use app::domain::access::AccessSettings;
use app::domain::{full_years, moscow_today};
use time::OffsetDateTime;
use time::macros::time;

use super::AccessService;
use crate::activity::{self, Activity, Actor};
use crate::db::{access, access_grants, activity_journal, age_transitions};
use crate::jobs::{self, DailySweep, JobError, JobHandler};

pub const ACCESS_SWEEP: DailySweep = DailySweep {
    kind: "access.sweep",
    at: time!(03:30),
};

/// Ages at which the parents are asked to look at the settings again. Approaching 14 the age
/// sweep's notice a month before asks it too (`child_accounts::letters`).
pub const REVIEW_AGES: [u32; 2] = [12, 16];

const REMINDER: &str = "Напоминание пересмотреть настройки доступа";

/// The job handler of [`ACCESS_SWEEP`].
#[derive(Clone)]
pub struct AccessSweep(pub std::sync::Arc<AccessService>);

#[async_trait::async_trait]
impl JobHandler for AccessSweep {
    fn kind(&self) -> &'static str {
        ACCESS_SWEEP.kind
    }

    async fn run(&self, payload: &str) -> Result<(), JobError> {
        jobs::parse_payload::<jobs::SweepPayload>(payload)?;
        let service = &self.0;
        let now = service.clock.now();
        let today = moscow_today(now);
        service.expire_grants(now).await?;
        for minor in age_transitions::minors(&service.db).await? {
            let age = full_years(minor.birth_date, today);
            service
                .switch_off_due(minor.id, &minor.first_name, age, now)
                .await?;
            if REVIEW_AGES.contains(&age) {
                service
                    .remind_to_review(minor.id, &minor.first_name, age, now)
                    .await?;
            }
        }
        service.outbox.wake();
        ACCESS_SWEEP.book_next(&service.db, now).await?;
        Ok(())
    }

    async fn gave_up(&self, _payload: &str, _error: &str) -> Result<(), JobError> {
        ACCESS_SWEEP
            .book_next(&self.0.db, self.0.clock.now())
            .await?;
        Ok(())
    }
}

impl AccessService {
    /// Grants of «Полный» past their year: ended, the category back to «Ограниченный».
    async fn expire_grants(&self, now: OffsetDateTime) -> Result<(), JobError> {
        for grant in access_grants::expired_by(&self.db, now).await? {
            let mut tx = self.db.begin().await?;
            let category = grant.category;
            if access_grants::end(
                &mut tx,
                grant.minor_account_id,
                category,
                GrantStatus::Expired,
                now,
            )
            .await?
            {
                self.set_level(
                    &mut tx,
                    grant.minor_account_id,
                    category,
                    AccessLevel::Limited,
                    &Actor::portal(),
                    now,
                )
                .await
                .map_err(|e| JobError::Retry(e.to_string()))?;
                let text = format!(
                    "Срок согласия на полный доступ к сервисам «{}» истёк: доступ снова \
                     ограниченный. Продлить его можно в настройках доступа: {}/documents/family",
                    category.label(),
                    self.public_url
                );
                self.tell_parents(
                    &mut tx,
                    grant.minor_account_id,
                    "Полный доступ истёк",
                    &text,
                    now,
                )
                .await
                .map_err(|e| JobError::Retry(e.to_string()))?;
            }
            tx.commit().await?;
        }
        Ok(())
    }

    async fn switch_off_due(
        &self,
        minor: i64,
        first_name: &str,
        age: u32,
        now: OffsetDateTime,
    ) -> Result<(), JobError> {
        let (old, version) = access::settings(&self.db, minor).await?;
        let due = old.due_for_switch_off(age, moscow_today(now));
        if due.is_empty() {
            return Ok(());
        }
        let mut new: AccessSettings = old.clone();
        for category in &mut new.categories {
            if due.contains(&category.category) {
                category.enabled = false;
                category.off_on = None;
            }
        }
        let mut tx = self.db.begin().await?;
        if !access::save(&mut tx, minor, &new, version, now).await? {
            // Saved meanwhile by a parent: the next sweep looks again.
            return Ok(());
        }
        let portal = Actor::portal();
        let changed = differences(&old, &new);
        super::write_changes(
            &mut tx,
            minor,
            &portal,
            &changed,
            "Доступ выключен автоматически",
            now,
        )
        .await?;
        let names: Vec<&str> = due.iter().map(|c| c.label()).collect();
        let text = format!(
            "По вашим настройкам доступ {first_name} к сервисам «{}» выключен автоматически. \
             Настройки доступа — в карточке ребёнка: {}/documents/family",
            names.join("», «"),
            self.public_url
        );
        self.tell_parents(&mut tx, minor, "Доступ выключен автоматически", &text, now)
            .await
            .map_err(|e| JobError::Retry(e.to_string()))?;
        tx.commit().await?;
        Ok(())
    }

    async fn remind_to_review(
        &self,
        minor: i64,
        first_name: &str,
        age: u32,
        now: OffsetDateTime,
    ) -> Result<(), JobError> {
        let detail = format!("{first_name}: {}", app::access::settings::years(age));
        let mut tx = self.db.begin().await?;
        if activity_journal::exists(&mut tx, minor, REMINDER, &detail).await? {
            return Ok(());
        }
        let entry = Activity {
            kind: ActivityKind::Settings,
            actor: Actor::portal(),
            action: REMINDER,
            detail: detail.clone(),
            client: None,
        };
        activity::record(&mut tx, minor, &entry, now).await?;
        let text = format!(
            "{first_name}: исполнилось {}. Проверьте, какие сервисы доступны ребёнку, и \
             обновите настройки доступа в карточке ребёнка: {}/documents/family",
            app::access::settings::years(age),
            self.public_url
        );
        self.tell_parents(&mut tx, minor, "Пересмотрите настройки доступа", &text, now)
            .await
            .map_err(|e| JobError::Retry(e.to_string()))?;
        tx.commit().await?;
        Ok(())
    }
}
