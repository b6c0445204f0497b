//! «Учебные данные»: `DiaryService` implements `SchoolDiary`. The minor reads their own diary
//! while the parent's settings let «Проверка успеваемости» through (`AccessSettings::admit`, its
//! basic level); a parent with a live link reads it always, and the reading is journaled. Either
//! may connect the school: the school's code is sent by e-mail to whoever asked (at most five
//! times an hour per account), its try is reserved before the comparison, and the first import is
//! booked in the same transaction as the connection.

pub mod import;
pub mod school_registry;

use std::sync::Arc;

use app::activity::journal::{ActivityKind, ActorKind};
use app::api::{Clock, FieldError, Refusal, ServiceError, SignedInAccount};
use app::child_account::wizard::mask_email;
use app::diary::school::{DiaryState, SchoolDiary, fields};
use app::domain::access::{MinorService, ServiceLevel, UseFacts};
use app::domain::diary::SchoolYear;
use app::domain::{full_years, moscow_today};
use governor::DefaultKeyedRateLimiter;

use crate::access::AccessService;
use crate::activity::{self, Activity, Actor};
use crate::db::accounts::StoredAccount;
use crate::db::{Database, accounts, diary};
use crate::family::not_found;
use crate::outbox::{Channel, Message, Outbox};
use crate::secrets;
use school_registry::{School, SchoolRegistry};

/// «Подключить школу» one account may press in an hour: each sends a letter.
pub const CONNECTS_PER_HOUR: u32 = 5;
/// Wrong codes before the attempt ends.
const CODE_TRIES: i64 = 5;

pub struct DiaryService {
    pub db: Database,
    pub clock: Arc<dyn Clock>,
    pub outbox: Outbox,
    pub public_url: String,
    pub schools: Arc<dyn SchoolRegistry>,
    pub access: Arc<AccessService>,
    pub connects: Arc<DefaultKeyedRateLimiter<i64>>,
}

/// Whose diary, and why the minor may not see it when so.
struct Reader {
    minor: StoredAccount,
    /// The access settings switched the diary off for the minor: the reason.
    switched_off: Option<String>,
}

impl DiaryService {
    async fn reader(
        &self,
        account: &SignedInAccount,
        child: Option<i64>,
    ) -> Result<Reader, ServiceError> {
        let now = self.clock.now();
        match child {
            None => {
                let minor = accounts::by_id(&self.db, account.account_id)
                    .await?
                    .filter(|a| a.age_group.is_minor())
                    .ok_or_else(not_found)?;
                let settings = self.access.effective_settings(minor.id, now).await?;
                let today = moscow_today(now);
                let facts = UseFacts {
                    age: full_years(minor.birth_date, today),
                    today,
                    second_factor_proven: false,
                    used_today: 0,
                };
                let switched_off = settings
                    .admit(MinorService::Grades, ServiceLevel::Basic, facts)
                    .err()
                    .map(app::access::services::refusal_text);
                Ok(Reader {
                    minor,
                    switched_off,
                })
            }
            Some(card) => {
                let caller = accounts::by_id(&self.db, account.account_id)
                    .await?
                    .ok_or(ServiceError::SignInRequired)?;
                if caller.age_group.is_minor() {
                    return Err(not_found());
                }
                let minor = activity::minor_of_card(&self.db, account.account_id, card)
                    .await?
                    .ok_or_else(not_found)?;
                activity::record_parent_view(
                    &self.db,
                    account.account_id,
                    card,
                    "Просмотр учебных данных",
                    now,
                )
                .await?;
                let minor = accounts::by_id(&self.db, minor)
                    .await?
                    .ok_or_else(not_found)?;
                Ok(Reader {
                    minor,
                    switched_off: None,
                })
            }
        }
    }

    async fn state(&self, minor: i64, year: Option<i32>) -> Result<DiaryState, ServiceError> {
        let Some(link) = diary::link(&self.db, minor).await? else {
            return Ok(DiaryState::NotConnected);
        };
        if !link.connected() {
            return Ok(DiaryState::CodeSent {
                school: link.school_name,
                sent_to: link.sent_to,
            });
        }
        if link.imported_at.is_none() {
            return Ok(DiaryState::Importing {
                school: link.school_name,
            });
        }
        let current = SchoolYear::of(moscow_today(self.clock.now()));
        let shown = match year {
            Some(y) if y == current.previous().0 => current.previous(),
            _ => current,
        };
        let lessons =
            diary::lessons(&self.db, minor, shown.previous().starts(), shown.ends()).await?;
        Ok(DiaryState::Connected(import::build(
            &link, &lessons, shown, current,
        )))
    }
}

fn invalid(field: &str, code: &str, message: &str) -> ServiceError {
    ServiceError::Invalid(vec![FieldError::new(field, code, message)])
}

#[async_trait::async_trait]
impl SchoolDiary for DiaryService {
    async fn load(
        &self,
        account: &SignedInAccount,
        child: Option<i64>,
        year: Option<i32>,
    ) -> Result<DiaryState, ServiceError> {
        let reader = self.reader(account, child).await?;
        if let Some(reason) = reader.switched_off {
            return Ok(DiaryState::SwitchedOff { reason });
        }
        self.state(reader.minor.id, year).await
    }

    async fn connect(
        &self,
        account: &SignedInAccount,
        child: Option<i64>,
        school: String,
    ) -> Result<DiaryState, ServiceError> {
        let reader = self.reader(account, child).await?;
        if let Some(reason) = reader.switched_off {
            return Ok(DiaryState::SwitchedOff { reason });
        }
        let Some(found) = self.schools.find(&school) else {
            return Err(invalid(
                fields::SCHOOL,
                "school.not_found",
                "Такой школы нет в реестре. Укажите её номер, как в названии: «Школа № 1234»",
            ));
        };
        if let Err(not_until) = self.connects.check_key(&account.account_id) {
            return Err(ServiceError::Throttled {
                retry_after_seconds: crate::benefits::applications::admission::retry_after(
                    &not_until,
                ),
            });
        }
        let asker = accounts::by_id(&self.db, account.account_id)
            .await?
            .ok_or(ServiceError::SignInRequired)?;
        let now = self.clock.now();
        let code = self.schools.code_for(&found, &reader.minor.snils);
        let mut tx = self.db.begin().await?;
        let sent_to = mask_email(&asker.email);
        diary::start(
            &mut tx,
            reader.minor.id,
            (found.number, &found.name),
            &sent_to,
            now,
        )
        .await?;
        // The school's letter: the simulated school registry has no mail of its own.
        let message = Message {
            account_id: Some(asker.id),
            channel: Channel::Email,
            recipient: asker.email.clone(),
            subject: "Код подключения к электронному дневнику".to_owned(),
            body: format!(
                "{} сообщает код подключения электронного дневника ученика {}: {code}. Введите его \
                 на странице «Учебные данные».",
                found.name, reader.minor.first_name
            ),
        };
        self.outbox.enqueue(&mut tx, &message, now).await?;
        tx.commit().await?;
        self.outbox.wake();
        self.state(reader.minor.id, None).await
    }

    async fn confirm(
        &self,
        account: &SignedInAccount,
        child: Option<i64>,
        code: &str,
    ) -> Result<DiaryState, ServiceError> {
        let reader = self.reader(account, child).await?;
        if let Some(reason) = reader.switched_off {
            return Ok(DiaryState::SwitchedOff { reason });
        }
        let minor = reader.minor;
        let now = self.clock.now();
        let mut tx = self.db.begin().await?;
        // The try is taken before the comparison, so parallel guesses cannot share one.
        if !diary::reserve_try(&mut tx, minor.id, CODE_TRIES).await? {
            return Err(match diary::link_in(&mut tx, minor.id).await? {
                Some(link) if link.connected() => ServiceError::Refused(Refusal::AlreadyConfirmed),
                Some(_) => ServiceError::Refused(Refusal::CodeTriesExhausted),
                None => ServiceError::Refused(Refusal::CodeExpired),
            });
        }
        let link = diary::link_in(&mut tx, minor.id)
            .await?
            .ok_or(ServiceError::Refused(Refusal::CodeExpired))?;
        let school = School {
            number: link.school_number,
            name: link.school_name.clone(),
        };
        let expected = self.schools.code_for(&school, &minor.snils);
        if !secrets::same_hash(&secrets::hash_token(code), &secrets::hash_token(&expected)) {
            tx.commit().await?;
            let left = CODE_TRIES - link.wrong_tries;
            return Err(if left > 0 {
                invalid(
                    fields::CODE,
                    "school_code.wrong",
                    &format!("Код не совпадает с кодом школы. Осталось попыток: {left}"),
                )
            } else {
                ServiceError::Refused(Refusal::CodeTriesExhausted)
            });
        }
        diary::connect(&mut tx, minor.id, now).await?;
        import::book(&mut tx, minor.id, now).await?;
        let kind = if child.is_some() {
            ActorKind::Parent
        } else {
            ActorKind::Minor
        };
        let entry = Activity {
            kind: ActivityKind::Settings,
            actor: Actor::person(&mut tx, kind, account.account_id).await?,
            action: "Подключена школа",
            detail: link.school_name.clone(),
            client: None,
        };
        activity::record(&mut tx, minor.id, &entry, now).await?;
        tx.commit().await?;
        self.state(minor.id, None).await
    }

    async fn set_notify(
        &self,
        account: &SignedInAccount,
        child: Option<i64>,
        notify: bool,
    ) -> Result<DiaryState, ServiceError> {
        let reader = self.reader(account, child).await?;
        if let Some(reason) = reader.switched_off {
            return Ok(DiaryState::SwitchedOff { reason });
        }
        diary::set_notify(&self.db, reader.minor.id, notify).await?;
        self.state(reader.minor.id, None).await
    }
}
