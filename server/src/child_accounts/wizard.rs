//! «Создание учётной записи ребёнка»: each step checks that the parent may create the account
//! (the card's rule, again), that the draft is at that step, and writes the step's result with
//! its message in one transaction. The account, its guardianship, the consent request and the
//! notices are written together at the end; the draft goes with them.

use app::api::{FieldError, Refusal};
use app::api::{ServiceError, SignedInAccount};
use app::child_account::AccountBlock;
use app::child_account::wizard::ChildAccountWizard;
use app::child_account::wizard::{
    ChildAddress, ConfirmedChildEmail, DraftProgress, WizardStep, WizardView, fields, mask_email,
};
use app::domain::one_time_code::{CHILD_PHONE_CODE, LastSent, SendDecision};
use app::domain::{Email, Phone, moscow_today};
use time::{Duration, OffsetDateTime};

use super::block::account_block;
use super::letters;
use super::{ChildAccountService, not_found, require_confirmed};
use crate::accounts::wrong_phone_code;
use crate::db::child_accounts::{self, Draft};
use crate::db::children::{self, StoredChild};
use crate::db::{Tx, accounts};
use crate::secrets;

/// A wizard left alone this long is removed; the parent starts again.
pub const DRAFT_LIFETIME: Duration = Duration::days(7);
pub const EMAIL_LINK_LIFETIME: Duration = Duration::hours(24);

pub(super) fn invalid(field: &str, code: &str, message: &str) -> ServiceError {
    ServiceError::Invalid(vec![FieldError::new(field, code, message)])
}

pub(super) fn out_of_order() -> ServiceError {
    ServiceError::Refused(Refusal::WizardStepOutOfOrder)
}

fn progress(draft: &Draft) -> DraftProgress {
    DraftProgress {
        address_given: draft.birth_place.is_some(),
        phone_confirmed: draft.phone_confirmed_at.is_some(),
        phone_skipped: draft.phone_skipped,
        email_sent: draft.email_token_hash.is_some(),
        email_confirmed: draft.email_confirmed_at.is_some(),
    }
}

fn phone_text(e164: &str) -> String {
    Phone::parse(e164)
        .map(|p| p.to_string())
        .unwrap_or_else(|_| e164.to_owned())
}

/// The parent's draft and child, checked: the child may still get an account and the draft is
/// at one of `steps`.
pub(super) struct Step {
    pub tx: Tx,
    pub draft: Draft,
    pub child: StoredChild,
    pub parent: accounts::StoredAccount,
    pub now: OffsetDateTime,
}

impl ChildAccountService {
    fn view(
        &self,
        draft: &Draft,
        child: &StoredChild,
        parent: &accounts::StoredAccount,
    ) -> WizardView {
        let pending_code = draft.phone_code_hash.is_some() && draft.phone_confirmed_at.is_none();
        WizardView {
            child_id: child.id,
            child_first_name: child.first_name.clone(),
            step: progress(draft).step(),
            parent_address: parent.registration_address.clone(),
            birth_place: draft.birth_place.clone().unwrap_or_default(),
            registration_address: draft.registration_address.clone().unwrap_or_default(),
            phone_code_sent_to: draft
                .phone
                .as_deref()
                .filter(|_| pending_code)
                .map(phone_text),
            phone_confirmed: draft
                .phone
                .as_deref()
                .filter(|_| draft.phone_confirmed_at.is_some())
                .map(phone_text),
            email_sent_to: draft.email.as_deref().map(mask_email),
        }
    }

    /// The child, if the parent may create its account now.
    async fn creatable_child(
        &self,
        parent: &SignedInAccount,
        child_id: i64,
        now: OffsetDateTime,
    ) -> Result<StoredChild, ServiceError> {
        require_confirmed(parent)?;
        let child = children::of_parent(&self.db, parent.account_id, child_id)
            .await?
            .ok_or_else(not_found)?;
        // Exactly the card's rule: «Создать» there means the wizard may go on here.
        match account_block(&self.db, parent.account_id, &child, moscow_today(now), now).await? {
            AccountBlock::CanCreate { .. } => Ok(child),
            _ => Err(ServiceError::Refused(Refusal::ChildAccountNotAllowed)),
        }
    }

    pub(super) async fn step(
        &self,
        parent: &SignedInAccount,
        child_id: i64,
        steps: &[WizardStep],
    ) -> Result<Step, ServiceError> {
        let now = self.clock.now();
        let child = self.creatable_child(parent, child_id, now).await?;
        let mut tx = self.db.begin().await?;
        let draft = child_accounts::draft(&mut tx, parent.account_id, child_id, now)
            .await?
            .ok_or_else(out_of_order)?;
        if !steps.contains(&progress(&draft).step()) {
            return Err(out_of_order());
        }
        let parent = accounts::by_id_in(&mut tx, parent.account_id)
            .await?
            .ok_or(ServiceError::SignInRequired)?;
        Ok(Step {
            tx,
            draft,
            child,
            parent,
            now,
        })
    }

    /// Commits the step and answers with the wizard as it now stands.
    async fn finish(&self, step: Step) -> Result<WizardView, ServiceError> {
        let Step {
            mut tx,
            child,
            parent,
            now,
            ..
        } = step;
        let draft = child_accounts::draft(&mut tx, parent.id, child.id, now)
            .await?
            .ok_or_else(out_of_order)?;
        tx.commit().await?;
        self.outbox.wake();
        Ok(self.view(&draft, &child, &parent))
    }
}

#[async_trait::async_trait]
impl ChildAccountWizard for ChildAccountService {
    async fn open_wizard(
        &self,
        parent: &SignedInAccount,
        child_id: i64,
    ) -> Result<WizardView, ServiceError> {
        let now = self.clock.now();
        let child = self.creatable_child(parent, child_id, now).await?;
        let mut tx = self.db.begin().await?;
        let draft = match child_accounts::draft(&mut tx, parent.account_id, child_id, now).await? {
            Some(draft) => draft,
            None => {
                child_accounts::start_draft(
                    &mut tx,
                    parent.account_id,
                    child_id,
                    now,
                    now + DRAFT_LIFETIME,
                )
                .await?;
                child_accounts::draft(&mut tx, parent.account_id, child_id, now)
                    .await?
                    .ok_or_else(out_of_order)?
            }
        };
        let stored_parent = accounts::by_id_in(&mut tx, parent.account_id)
            .await?
            .ok_or(ServiceError::SignInRequired)?;
        tx.commit().await?;
        Ok(self.view(&draft, &child, &stored_parent))
    }

    async fn save_address(
        &self,
        parent: &SignedInAccount,
        child_id: i64,
        address: ChildAddress,
    ) -> Result<WizardView, ServiceError> {
        let mut step = self.step(parent, child_id, &[WizardStep::Address]).await?;
        let registration_address = match address.registration_address {
            Some(typed) => typed,
            None => step.parent.registration_address.clone().ok_or_else(|| {
                invalid(
                    fields::SAME_ADDRESS,
                    "same_address.unknown",
                    "Ваш адрес постоянной регистрации не указан в профиле — введите адрес ребёнка",
                )
            })?,
        };
        child_accounts::set_address(
            &mut step.tx,
            step.draft.id,
            &address.birth_place,
            &registration_address,
        )
        .await?;
        self.finish(step).await
    }

    async fn send_phone_code(
        &self,
        parent: &SignedInAccount,
        child_id: i64,
        phone: Phone,
    ) -> Result<WizardView, ServiceError> {
        let mut step = self.step(parent, child_id, &[WizardStep::Phone]).await?;
        let number = phone.e164();
        if step.parent.phone.as_deref() == Some(number.as_str()) {
            return Err(invalid(
                fields::PHONE,
                "child_phone.parent",
                "Номер ребёнка должен отличаться от номера родителя — введите номер ребёнка или нажмите «Пропустить»",
            ));
        }
        let taken = accounts::taken(&mut step.tx, "", "", &number).await?.phone
            || child_accounts::contact_in_other_draft(
                &mut step.tx,
                step.draft.id,
                Some(&number),
                None,
                step.now,
            )
            .await?;
        if taken {
            return Err(invalid(
                fields::PHONE,
                "child_phone.taken",
                "Этот номер уже используется в другой учётной записи на Госуслугах — введите другой или нажмите «Пропустить»",
            ));
        }
        // Codes one wizard may send, a minute apart; then the parent skips the phone or starts
        // again.
        let last = step.draft.phone_code_sent_at.map(|at| LastSent {
            at,
            number: (step.draft.phone_codes_sent - 1).max(0) as u32,
        });
        match CHILD_PHONE_CODE.next_send(last, step.now) {
            SendDecision::Allowed { .. } => {}
            SendDecision::Wait { seconds } => {
                return Err(ServiceError::Throttled {
                    retry_after_seconds: seconds,
                });
            }
            SendDecision::NoMore => return Err(ServiceError::Refused(Refusal::CodeTriesExhausted)),
        }
        let code = secrets::new_code();
        child_accounts::set_phone_code(
            &mut step.tx,
            step.draft.id,
            &number,
            &secrets::hash_code(step.draft.id, &code),
            step.now,
            CHILD_PHONE_CODE.expires_at(step.now),
        )
        .await?;
        self.outbox
            .enqueue(
                &mut step.tx,
                &letters::child_phone_code(&number, &code),
                step.now,
            )
            .await?;
        self.finish(step).await
    }

    async fn confirm_phone(
        &self,
        parent: &SignedInAccount,
        child_id: i64,
        code: &str,
    ) -> Result<WizardView, ServiceError> {
        let mut step = self.step(parent, child_id, &[WizardStep::Phone]).await?;
        let draft = &step.draft;
        let (Some(hash), Some(expires)) = (&draft.phone_code_hash, draft.phone_code_expires_at)
        else {
            return Err(out_of_order());
        };
        if expires <= step.now {
            return Err(ServiceError::Refused(Refusal::CodeExpired));
        }
        // The try is taken before the comparison; the row lock makes parallel guesses queue.
        let max = CHILD_PHONE_CODE.wrong_tries as i32;
        let Some(tries) = child_accounts::reserve_phone_try(&mut step.tx, draft.id, max).await?
        else {
            return Err(ServiceError::Refused(Refusal::CodeTriesExhausted));
        };
        if !secrets::same_hash(&secrets::hash_code(draft.id, code), hash) {
            step.tx.commit().await?;
            return Err(wrong_phone_code(
                CHILD_PHONE_CODE.after_wrong_try(tries as u32),
            ));
        }
        child_accounts::confirm_phone(&mut step.tx, draft.id, step.now).await?;
        self.finish(step).await
    }

    async fn skip_phone(
        &self,
        parent: &SignedInAccount,
        child_id: i64,
    ) -> Result<WizardView, ServiceError> {
        let mut step = self.step(parent, child_id, &[WizardStep::Phone]).await?;
        child_accounts::skip_phone(&mut step.tx, step.draft.id).await?;
        self.finish(step).await
    }

    async fn send_email_link(
        &self,
        parent: &SignedInAccount,
        child_id: i64,
        email: Email,
    ) -> Result<WizardView, ServiceError> {
        let mut step = self.step(parent, child_id, &[WizardStep::Email]).await?;
        let address = email.key();
        if step.parent.email == address {
            return Err(invalid(
                fields::EMAIL,
                "child_email.parent",
                "Введите электронную почту ребёнка — ваша привязана к вашей учётной записи",
            ));
        }
        let taken = accounts::taken(&mut step.tx, "", &address, "").await?.email
            || child_accounts::contact_in_other_draft(
                &mut step.tx,
                step.draft.id,
                None,
                Some(&address),
                step.now,
            )
            .await?;
        if taken {
            return Err(invalid(
                fields::EMAIL,
                "child_email.taken",
                "Эта почта уже привязана к другой учётной записи на Госуслугах — введите другую",
            ));
        }
        let (token, token_hash) = secrets::new_token();
        child_accounts::set_email_link(
            &mut step.tx,
            step.draft.id,
            &address,
            &token_hash,
            step.now,
            step.now + EMAIL_LINK_LIFETIME,
        )
        .await?;
        let url = format!("{}/child-account/email?token={token}", self.public_url);
        self.outbox
            .enqueue(
                &mut step.tx,
                &letters::confirm_child_email(&address, &step.child.first_name, &url),
                step.now,
            )
            .await?;
        self.finish(step).await
    }

    async fn change_email(
        &self,
        parent: &SignedInAccount,
        child_id: i64,
    ) -> Result<WizardView, ServiceError> {
        let mut step = self
            .step(parent, child_id, &[WizardStep::EmailSent])
            .await?;
        child_accounts::clear_email(&mut step.tx, step.draft.id).await?;
        self.finish(step).await
    }

    async fn confirm_email(&self, token: &str) -> Result<ConfirmedChildEmail, ServiceError> {
        let now = self.clock.now();
        let mut tx = self.db.begin().await?;
        let draft = child_accounts::draft_by_email_token(&mut tx, &secrets::hash_token(token))
            .await?
            .ok_or(ServiceError::Refused(Refusal::LinkInvalid))?;
        if draft.email_confirmed_at.is_some() {
            return Err(ServiceError::Refused(Refusal::LinkUsed));
        }
        if draft.email_link_expires_at.is_none_or(|at| at <= now) || draft.expires_at <= now {
            return Err(ServiceError::Refused(Refusal::LinkExpired));
        }
        if !child_accounts::confirm_email(&mut tx, draft.id, now).await? {
            return Err(ServiceError::Refused(Refusal::LinkUsed));
        }
        let child = children::of_parent_in(&mut tx, draft.parent_account_id, draft.child_id)
            .await?
            .ok_or_else(not_found)?;
        tx.commit().await?;
        Ok(ConfirmedChildEmail {
            child_id: child.id,
            child_first_name: child.first_name,
        })
    }

    async fn cancel_wizard(
        &self,
        parent: &SignedInAccount,
        child_id: i64,
    ) -> Result<(), ServiceError> {
        require_confirmed(parent)?;
        children::of_parent(&self.db, parent.account_id, child_id)
            .await?
            .ok_or_else(not_found)?;
        let mut tx = self.db.begin().await?;
        child_accounts::delete_draft(&mut tx, parent.account_id, child_id).await?;
        tx.commit().await?;
        Ok(())
    }
}
