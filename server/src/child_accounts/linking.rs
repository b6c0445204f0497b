//! «Привязать»: link codes for a child's existing account. Only a parent the birth record names
//! gets one, and only for the account that carries the card's confirmed СНИЛС, so a code cannot
//! be aimed at a stranger's account by knowing a name and a birth date. Wrong codes count
//! against all of the minor's open codes.

use app::activity::journal::{ActivityKind, ActorKind};
use app::api::{FieldError, Refusal};
use app::api::{ServiceError, SignedInAccount};
use app::child_account::AccountBlock;
use app::child_account::linking::LinkCodeService;
use app::child_account::linking::{
    CODE_ALPHABET, CODE_LENGTH, IssuedLinkCode, LinkedParent, MinorLinks, fields, format_code,
};
use app::domain::one_time_code::{LINK_CODE, WrongCode};
use app::domain::{Email, format_ru_date, format_ru_datetime, moscow_today};
use rand::Rng;
use time::Duration;

use super::letters::{self, Person};
use super::{ChildAccountService, account_block, not_found, require_confirmed};
use crate::activity::{Activity, Actor};
use crate::db::child_accounts::{self, Origin};
use crate::db::{accounts, children, link_codes};
use crate::secrets;
use app::domain::full_name;

/// How long a link code works («под кодом привязки указан срок его действия»).
/// Codes a parent may ask for in 24 hours, over all their children.
pub const MAX_CODES_PER_DAY: i64 = 5;

fn new_code() -> String {
    let mut rng = rand::rng();
    (0..CODE_LENGTH)
        .map(|_| CODE_ALPHABET[rng.random_range(0..CODE_ALPHABET.len())] as char)
        .collect()
}

#[async_trait::async_trait]
impl LinkCodeService for ChildAccountService {
    async fn issue_link_code(
        &self,
        parent: &SignedInAccount,
        child_id: i64,
        email: Email,
    ) -> Result<IssuedLinkCode, ServiceError> {
        require_confirmed(parent)?;
        let now = self.clock.now();
        let child = children::of_parent(&self.db, parent.account_id, child_id)
            .await?
            .ok_or_else(not_found)?;
        // Exactly the card's rule: «Привязать» there means a code may be issued here. It needs
        // a birth record that names this parent and a confirmed СНИЛС.
        let block = account_block(&self.db, parent.account_id, &child, moscow_today(now), now);
        match block.await? {
            AccountBlock::CanLink { .. } => {}
            AccountBlock::Account(_) => return Err(ServiceError::Refused(Refusal::AlreadyLinked)),
            _ => return Err(ServiceError::Refused(Refusal::LinkNotAllowed)),
        }
        let Some(snils) = child.snils.as_deref() else {
            return Err(ServiceError::Refused(Refusal::LinkNotAllowed));
        };
        let mut tx = self.db.begin().await?;
        if link_codes::issued_since(&mut tx, parent.account_id, now - Duration::days(1)).await?
            >= MAX_CODES_PER_DAY
        {
            return Err(ServiceError::Refused(Refusal::LinkCodeDailyLimit));
        }
        // The account is the one with the card's confirmed СНИЛС; the e-mail only has to be its
        // own. One answer for every miss, so the form tells nobody whose an e-mail is.
        let minor = link_codes::minor_with_snils_in(&mut tx, snils)
            .await?
            .filter(|m| m.email == email.key())
            .map(|m| m.id)
            .ok_or_else(|| {
                ServiceError::Invalid(vec![FieldError::new(
                    fields::EMAIL,
                    "link_email.not_found",
                    "Учётная запись ребёнка с этой почтой не найдена. Введите адрес, с которым \
                     ребёнок зарегистрировался на портале, или попросите его зарегистрироваться",
                )])
            })?;
        if child_accounts::is_guardian(&mut tx, parent.account_id, minor).await? {
            return Err(ServiceError::Refused(Refusal::AlreadyLinked));
        }
        let code = new_code();
        let expires_at = LINK_CODE.expires_at(now);
        link_codes::issue(
            &mut tx,
            parent.account_id,
            minor,
            child_id,
            &secrets::hash_code(minor, &code),
            now,
            expires_at,
        )
        .await?;
        let valid_until = format_ru_datetime(expires_at);
        let parent_name = full_name(&parent.last_name, &parent.first_name, None);
        self.outbox
            .enqueue(
                &mut tx,
                &letters::link_code(
                    &email.key(),
                    &parent_name,
                    &format_code(&code),
                    &valid_until,
                ),
                now,
            )
            .await?;
        tx.commit().await?;
        self.outbox.wake();
        Ok(IssuedLinkCode {
            code: format_code(&code),
            valid_until,
        })
    }

    async fn use_link_code(&self, minor: &SignedInAccount, code: &str) -> Result<(), ServiceError> {
        let now = self.clock.now();
        let mut tx = self.db.begin().await?;
        // The try is taken before the comparison, so concurrent guesses cannot share one.
        let max = LINK_CODE.wrong_tries as i32;
        if !link_codes::reserve_try(&mut tx, minor.account_id, max, now).await? {
            return Err(ServiceError::Refused(Refusal::LinkCodeExpired));
        }
        let open = link_codes::open_codes(&mut tx, minor.account_id, now).await?;
        let tries = open.iter().map(|c| c.wrong_tries).max().unwrap_or(0);
        let hash = secrets::hash_code(minor.account_id, code);
        let Some(matched) = open
            .iter()
            .find(|c| secrets::same_hash(&hash, &c.code_hash))
        else {
            link_codes::void_exhausted(&mut tx, minor.account_id, max, now).await?;
            tx.commit().await?;
            return Err(match LINK_CODE.after_wrong_try(tries as u32) {
                WrongCode::TriesLeft(left) => ServiceError::Invalid(vec![FieldError::new(
                    fields::CODE,
                    "link_code.wrong",
                    &format!("Неверный код привязки. Осталось попыток: {left}"),
                )]),
                WrongCode::Exhausted => ServiceError::Refused(Refusal::LinkCodeTriesExhausted),
            });
        };
        link_codes::return_try(&mut tx, minor.account_id).await?;
        if !link_codes::mark_used(&mut tx, matched.id, now).await? {
            return Err(ServiceError::Refused(Refusal::LinkCodeExpired));
        }
        let earlier = link_codes::guardians_in(&mut tx, minor.account_id).await?;
        if earlier
            .iter()
            .any(|g| g.account_id == matched.parent_account_id)
        {
            return Err(ServiceError::Refused(Refusal::AlreadyLinked));
        }
        child_accounts::link(
            &mut tx,
            matched.parent_account_id,
            minor.account_id,
            matched.child_id,
            Origin::LinkCode,
            now,
        )
        .await?;
        let parent = accounts::by_id_in(&mut tx, matched.parent_account_id)
            .await?
            .ok_or_else(not_found)?;
        let stored_minor = accounts::by_id_in(&mut tx, minor.account_id)
            .await?
            .ok_or(ServiceError::SignInRequired)?;
        let minor_name = full_name(
            &stored_minor.last_name,
            &stored_minor.first_name,
            stored_minor.middle_name.as_deref(),
        );
        let parent_name = full_name(
            &parent.last_name,
            &parent.first_name,
            parent.middle_name.as_deref(),
        );
        let mut messages = Vec::new();
        messages.extend(letters::linked_to_parent(
            &Person {
                account_id: parent.id,
                email: &parent.email,
                first_name: &parent.first_name,
            },
            &minor_name,
        ));
        messages.extend(letters::linked_to_minor(
            &Person {
                account_id: stored_minor.id,
                email: &stored_minor.email,
                first_name: &stored_minor.first_name,
            },
            &parent_name,
        ));
        // «Когда один из родителей привязал учётную запись ребёнка к своей, другому приходит
        // уведомление».
        for other in &earlier {
            messages.extend(letters::second_parent_linked(
                &Person {
                    account_id: other.account_id,
                    email: &other.email,
                    first_name: &other.first_name,
                },
                &parent_name,
                &minor_name,
            ));
        }
        for message in &messages {
            self.outbox.enqueue(&mut tx, message, now).await?;
        }
        let activity = Activity {
            kind: ActivityKind::Settings,
            actor: Actor::person(&mut tx, ActorKind::Minor, minor.account_id).await?,
            action: "Привязан родитель",
            detail: parent_name,
            client: None,
        };
        crate::activity::record(&mut tx, minor.account_id, &activity, now).await?;
        tx.commit().await?;
        self.outbox.wake();
        Ok(())
    }

    async fn minor_links(
        &self,
        account: &SignedInAccount,
    ) -> Result<Option<MinorLinks>, ServiceError> {
        let stored = accounts::by_id(&self.db, account.account_id)
            .await?
            .ok_or(ServiceError::SignInRequired)?;
        if !stored.age_group.is_minor() {
            return Ok(None);
        }
        let now = self.clock.now();
        let code_valid_until = link_codes::newest_open_expiry(&self.db, stored.id, now)
            .await?
            .map(format_ru_datetime);
        let parents = link_codes::guardians(&self.db, stored.id)
            .await?
            .into_iter()
            .map(|g| LinkedParent {
                name: full_name(&g.last_name, &g.first_name, g.middle_name.as_deref()),
                since: format_ru_date((g.linked_at).date()),
            })
            .collect();
        Ok(Some(MinorLinks {
            code_valid_until,
            parents,
        }))
    }
}
