//! `FullAccess`: «Полный» access as a parent's consent. The minor's request sends a code to each
//! linked parent (SMS to a confirmed phone, else e-mail; the in-app notice carries no code), and
//! the request waits on the parent's settings page. The code's try is reserved before the
//! comparison. A grant moves the category to «Полный» in the settings, with its history and
//! journal entries, in the same transaction; a revocation or the expiry moves it back.

use app::access::grants::{FullAccess, GRANT_DAYS, GrantStatus, GrantedHow, WaitingRequest};
use app::access::settings::{AccessView, Difference};
use app::activity::journal::{ActivityKind, ActorKind};
use app::api::{FieldError, Refusal, ServiceError, SignedInAccount};
use app::domain::access::{AccessLevel, ServiceCategory};
use app::domain::format_ru_datetime;
use app::domain::one_time_code::{EXTENDED_ACCESS_CODE, WrongCode};
use time::{Duration, OffsetDateTime};

use super::AccessService;
use crate::activity::{self, Activity, Actor};
use crate::db::{Tx, access, access_grants, accounts, link_codes};
use crate::family::not_found;
use crate::outbox::{Channel, Message};
use crate::secrets;

impl AccessService {
    /// Sets a category's level in the settings (history and journal by `actor`); nothing when
    /// it is that level already.
    pub(super) async fn set_level(
        &self,
        tx: &mut Tx,
        minor: i64,
        category: ServiceCategory,
        level: AccessLevel,
        actor: &Actor,
        now: OffsetDateTime,
    ) -> Result<(), ServiceError> {
        let (old, version) = access::settings_in(tx, minor).await?;
        let mut new = old.clone();
        match new.categories.iter_mut().find(|c| c.category == category) {
            Some(c) if c.level == level => return Ok(()),
            Some(c) => c.level = level,
            None => return Ok(()),
        }
        if !access::save(tx, minor, &new, version, now).await? {
            return Err(ServiceError::Refused(Refusal::SettingsChanged));
        }
        let change = Difference {
            what: format!("{}: уровень доступа", category.label()),
            old: old.category(category).level.label().to_owned(),
            new: level.label().to_owned(),
        };
        super::write_changes(
            tx,
            minor,
            actor,
            &[change],
            "Изменены настройки доступа",
            now,
        )
        .await?;
        Ok(())
    }

    /// Grants a waiting request: the grant, then «Полный» in the settings.
    async fn grant(
        &self,
        tx: &mut Tx,
        minor: i64,
        request: &access_grants::StoredGrant,
        how: GrantedHow,
        parent: Option<&Actor>,
        now: OffsetDateTime,
    ) -> Result<bool, ServiceError> {
        let by = parent.and_then(|p| p.account_id.map(|id| (id, p.label.as_str())));
        let expires = now + Duration::days(GRANT_DAYS);
        // A grant given meanwhile in the settings stands; this one ends.
        access_grants::end(tx, minor, request.category, GrantStatus::Expired, now).await?;
        if !access_grants::decide(
            tx,
            request.id,
            GrantStatus::Granted,
            how,
            by,
            now,
            Some(expires),
        )
        .await?
        {
            return Ok(false);
        }
        let actor = match parent {
            Some(parent) => parent.clone(),
            None => Actor {
                kind: ActorKind::Parent,
                account_id: None,
                label: "Согласие родителя по коду подтверждения".to_owned(),
            },
        };
        self.set_level(tx, minor, request.category, AccessLevel::Full, &actor, now)
            .await?;
        Ok(true)
    }

    /// The parents' code: by SMS to a confirmed phone, otherwise by e-mail; in the portal, a
    /// notice without it.
    async fn send_code(
        &self,
        tx: &mut Tx,
        minor: &accounts::StoredAccount,
        category: ServiceCategory,
        code: &str,
        now: OffsetDateTime,
    ) -> Result<(), ServiceError> {
        for guardian in link_codes::guardians_in(tx, minor.id).await? {
            let Some(parent) = accounts::by_id_in(tx, guardian.account_id).await? else {
                continue;
            };
            let text = format!(
                "Госуслуги: {} просит полный доступ к сервисам «{}». Код подтверждения: {code}. \
                 Если согласны, передайте его ребёнку или одобрите запрос в карточке ребёнка. \
                 Код действует 24 часа.",
                minor.first_name,
                category.label()
            );
            let (channel, recipient) = match (&parent.phone, parent.phone_confirmed_at) {
                (Some(phone), Some(_)) => (Channel::Sms, phone.clone()),
                _ => (Channel::Email, parent.email.clone()),
            };
            for (channel, recipient, body) in [
                (channel, recipient, text),
                (
                    Channel::InApp,
                    parent.id.to_string(),
                    format!(
                        "{} просит полный доступ к сервисам «{}». Одобрите или отклоните запрос \
                         в настройках доступа в карточке ребёнка: {}/documents/family",
                        minor.first_name,
                        category.label(),
                        self.public_url
                    ),
                ),
            ] {
                let message = Message {
                    account_id: Some(parent.id),
                    channel,
                    recipient,
                    subject: "Запрос полного доступа".to_owned(),
                    body,
                };
                self.outbox.enqueue(tx, &message, now).await?;
            }
        }
        Ok(())
    }

    /// The view after a parent's act, with the act journaled.
    async fn parent_acted(
        &self,
        parent: &SignedInAccount,
        child: i64,
    ) -> Result<AccessView, ServiceError> {
        let minor = self.linked_minor(parent, child).await?;
        self.view_of(child, &minor).await
    }
}

fn code_field(message: &str, code: &str) -> ServiceError {
    ServiceError::Invalid(vec![FieldError::new(
        app::access::grants::CODE_FIELD,
        code,
        message,
    )])
}

#[async_trait::async_trait]
impl FullAccess for AccessService {
    async fn request(
        &self,
        caller: &SignedInAccount,
        category: ServiceCategory,
    ) -> Result<WaitingRequest, ServiceError> {
        let minor = self.minor(caller).await?;
        let now = self.clock.now();
        let live = self.live_grants(minor.id, now).await?;
        if live.contains(&category) {
            return Err(ServiceError::Refused(Refusal::AlreadyConfirmed));
        }
        let code = secrets::new_code();
        let expires = now + EXTENDED_ACCESS_CODE.lifetime;
        let mut tx = self.db.begin().await?;
        let id = access_grants::request(
            &mut tx,
            minor.id,
            category,
            &secrets::hash_code(minor.id, &code),
            expires,
            now,
        )
        .await?;
        self.send_code(&mut tx, &minor, category, &code, now)
            .await?;
        let entry = Activity {
            kind: ActivityKind::Settings,
            actor: Actor::person(&mut tx, ActorKind::Minor, minor.id).await?,
            action: "Запрошен полный доступ",
            detail: category.label().to_owned(),
            client: None,
        };
        activity::record(&mut tx, minor.id, &entry, now).await?;
        tx.commit().await?;
        self.outbox.wake();
        Ok(WaitingRequest {
            id,
            category,
            code_valid_until: format_ru_datetime(expires),
        })
    }

    async fn confirm(
        &self,
        caller: &SignedInAccount,
        request: i64,
        code: &str,
    ) -> Result<(), ServiceError> {
        let minor = self.minor(caller).await?;
        let now = self.clock.now();
        let max = i64::from(EXTENDED_ACCESS_CODE.wrong_tries);
        let mut tx = self.db.begin().await?;
        // The try is taken before the comparison, so parallel guesses cannot share one.
        if !access_grants::reserve_try(&mut tx, minor.id, request, max, now).await? {
            let stored = access_grants::of_minor_in(&mut tx, minor.id, request).await?;
            return Err(match stored {
                Some(g) if g.status == GrantStatus::Requested && g.wrong_tries >= max => {
                    ServiceError::Refused(Refusal::CodeTriesExhausted)
                }
                Some(g) if g.status == GrantStatus::Requested => {
                    ServiceError::Refused(Refusal::CodeExpired)
                }
                Some(g) if g.status == GrantStatus::Granted => {
                    ServiceError::Refused(Refusal::AlreadyConfirmed)
                }
                Some(_) => ServiceError::Refused(Refusal::CodeExpired),
                None => not_found(),
            });
        }
        let stored = access_grants::of_minor_in(&mut tx, minor.id, request)
            .await?
            .ok_or_else(not_found)?;
        let right = stored
            .code_hash
            .as_deref()
            .is_some_and(|hash| secrets::same_hash(&secrets::hash_code(minor.id, code), hash));
        if !right {
            tx.commit().await?;
            return Err(
                match EXTENDED_ACCESS_CODE.after_wrong_try(stored.wrong_tries as u32) {
                    WrongCode::TriesLeft(left) => code_field(
                        &format!("Неверный код подтверждения. Осталось попыток: {left}"),
                        "code.wrong",
                    ),
                    WrongCode::Exhausted => ServiceError::Refused(Refusal::CodeTriesExhausted),
                },
            );
        }
        access_grants::return_try(&mut tx, request).await?;
        self.grant(&mut tx, minor.id, &stored, GrantedHow::Code, None, now)
            .await?;
        self.tell_parents(
            &mut tx,
            minor.id,
            "Полный доступ открыт",
            &format!(
                "{}: код подтверждения введён, полный доступ к сервисам «{}» открыт на год. \
                 Отозвать его можно в настройках доступа в карточке ребёнка.",
                minor.first_name,
                stored.category.label()
            ),
            now,
        )
        .await?;
        tx.commit().await?;
        self.outbox.wake();
        Ok(())
    }
}

impl AccessService {
    pub(super) async fn decide_request(
        &self,
        parent: &SignedInAccount,
        child: i64,
        grant: i64,
        approve: bool,
    ) -> Result<AccessView, ServiceError> {
        let minor = self.linked_minor(parent, child).await?;
        let now = self.clock.now();
        let mut tx = self.db.begin().await?;
        let Some(request) = access_grants::of_minor_in(&mut tx, minor.id, grant).await? else {
            return Err(not_found());
        };
        let actor = Actor::person(&mut tx, ActorKind::Parent, parent.account_id).await?;
        if request.status == GrantStatus::Requested {
            if approve {
                self.grant(
                    &mut tx,
                    minor.id,
                    &request,
                    GrantedHow::Parent,
                    Some(&actor),
                    now,
                )
                .await?;
            } else if access_grants::decide(
                &mut tx,
                grant,
                GrantStatus::Declined,
                GrantedHow::Parent,
                Some((parent.account_id, &actor.label)),
                now,
                None,
            )
            .await?
            {
                let entry = Activity {
                    kind: ActivityKind::Settings,
                    actor: actor.clone(),
                    action: "Отклонён запрос полного доступа",
                    detail: request.category.label().to_owned(),
                    client: None,
                };
                activity::record(&mut tx, minor.id, &entry, now).await?;
            }
        }
        tx.commit().await?;
        self.parent_acted(parent, child).await
    }

    pub(super) async fn end_grant(
        &self,
        parent: &SignedInAccount,
        child: i64,
        grant: i64,
    ) -> Result<AccessView, ServiceError> {
        let minor = self.linked_minor(parent, child).await?;
        let now = self.clock.now();
        let mut tx = self.db.begin().await?;
        let Some(stored) = access_grants::of_minor_in(&mut tx, minor.id, grant).await? else {
            return Err(not_found());
        };
        if stored.status == GrantStatus::Granted
            && access_grants::end(
                &mut tx,
                minor.id,
                stored.category,
                GrantStatus::Revoked,
                now,
            )
            .await?
        {
            let actor = Actor::person(&mut tx, ActorKind::Parent, parent.account_id).await?;
            self.set_level(
                &mut tx,
                minor.id,
                stored.category,
                AccessLevel::Limited,
                &actor,
                now,
            )
            .await?;
        }
        tx.commit().await?;
        tracing::info!(
            event = "access.grant_revoked",
            account_id = parent.account_id,
            grant_id = grant,
            "revoked"
        );
        self.parent_acted(parent, child).await
    }
}
