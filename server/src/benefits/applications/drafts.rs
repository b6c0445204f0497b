//! `ApplicationDrafts`: a draft per child and benefit, what the profile and the card suggest for
//! it, and each page's answer saved over the version it was read at.

use app::account::identity::IdentityCheckStatus;
use app::api::{FieldError, ServiceError, SignedInAccount};
use app::benefits::answers::{
    AddressesAnswer, Answer, Answers, ContactsAnswer, PassportAnswer, SnilsAnswer, fields,
};
use app::benefits::application::{Applicant, ApplicationDrafts, ChildOnCard, DraftView};
use app::domain::{Snils, format_ru_date, format_ru_datetime, full_name, moscow_today};

use super::Applications;
use crate::benefits::eligibility::{not_checkable, refuse_child, start_round};
use crate::db::application_drafts::{self, StoredDraft};
use crate::db::children::{self, StoredChild};
use crate::db::{accounts, eligibility_checks, identity_checks};
use crate::family::{not_found, require_confirmed};

/// How many times a save retries when another tab saved in between.
const SAVE_ATTEMPTS: usize = 3;

impl Applications {
    async fn draft(&self, parent: &SignedInAccount, id: i64) -> Result<StoredDraft, ServiceError> {
        require_confirmed(parent)?;
        application_drafts::of_parent(&self.db, parent.account_id, id)
            .await?
            .ok_or_else(not_found)
    }

    /// The draft's child, still this parent's and still allowed to apply (a card edited since
    /// the draft began may no longer be confirmed).
    pub(super) async fn child_of(
        &self,
        parent: &SignedInAccount,
        draft: &StoredDraft,
    ) -> Result<StoredChild, ServiceError> {
        let benefit = self.benefit(&draft.benefit_code)?;
        let child = children::of_parent(&self.db, parent.account_id, draft.child_id)
            .await?
            .ok_or_else(not_found)?;
        if let Some(reason) = not_checkable(benefit, &child, moscow_today(self.clock.now())) {
            return Err(refuse_child(reason));
        }
        Ok(child)
    }

    /// The draft as its pages show it, documents included.
    pub(super) async fn view(
        &self,
        parent: &SignedInAccount,
        draft: &StoredDraft,
        child: &StoredChild,
    ) -> Result<DraftView, ServiceError> {
        let benefit = self.benefit(&draft.benefit_code)?;
        let attached = crate::db::documents::of_draft(&self.db, draft.id).await?;
        Ok(DraftView {
            documents: crate::benefits::documents::slots(&benefit.documents, &attached)?,
            ..self.view_without_documents(parent, draft, child).await?
        })
    }

    /// The draft without its documents: «Отправить» reads those in its own transaction.
    pub(super) async fn view_without_documents(
        &self,
        parent: &SignedInAccount,
        draft: &StoredDraft,
        child: &StoredChild,
    ) -> Result<DraftView, ServiceError> {
        let benefit = self.benefit(&draft.benefit_code)?;
        let account = accounts::by_id(&self.db, parent.account_id)
            .await?
            .ok_or_else(not_found)?;
        let passport = identity_checks::newest_for(&self.db, parent.account_id)
            .await?
            .filter(|check| check.status == IdentityCheckStatus::Confirmed);
        let suggested = Answers {
            child: None,
            passport: passport.map(|check| PassportAnswer {
                number: app::domain::Passport::parse(&check.passport)
                    .map(|p| p.to_string())
                    .unwrap_or(check.passport),
                issued_on: format_ru_date(check.passport_date),
                issued_by: String::new(),
            }),
            snils: None,
            addresses: account
                .registration_address
                .clone()
                .map(|registration| AddressesAnswer {
                    registration,
                    ..AddressesAnswer::default()
                }),
            contacts: Some(ContactsAnswer {
                phone: account.phone_text(),
                email: account.email.clone(),
            }),
        };
        Ok(DraftView {
            id: draft.id,
            benefit_code: benefit.code.clone(),
            benefit_name: benefit.name.clone(),
            child: ChildOnCard {
                child_id: child.id,
                name: full_name(
                    &child.last_name,
                    &child.first_name,
                    child.middle_name.as_deref(),
                ),
                birth_date: format_ru_date(child.birth_date),
                certificate: child.certificate_number.clone(),
                certificate_date: format_ru_date(child.certificate_date),
                certificate_issued_by: child.certificate_issued_by.clone(),
            },
            applicant: Applicant {
                name: full_name(
                    &account.last_name,
                    &account.first_name,
                    account.middle_name.as_deref(),
                ),
                snils: Snils::parse(&account.snils)
                    .map(|s| s.to_string())
                    .unwrap_or(account.snils.clone()),
            },
            saved: draft.answers()?,
            suggested,
            version: draft.version,
            saved_at: format_ru_datetime(draft.updated_at),
            eligibility: self
                .eligibility_now(parent.account_id, child.id, benefit)
                .await?,
            documents: Vec::new(),
        })
    }
}

impl Applications {
    /// The second parent's СНИЛС cannot be the applicant's own.
    async fn refuse_own_snils(
        &self,
        parent: &SignedInAccount,
        answer: &SnilsAnswer,
    ) -> Result<(), ServiceError> {
        if answer.single_parent {
            return Ok(());
        }
        let own = accounts::by_id(&self.db, parent.account_id)
            .await?
            .ok_or_else(not_found)?
            .snils;
        if Snils::parse(&answer.second_parent).is_ok_and(|s| s.digits() == own) {
            return Err(ServiceError::Invalid(vec![FieldError::new(
                fields::SECOND_PARENT_SNILS,
                "second_parent_snils.own",
                "Это ваш СНИЛС. Укажите СНИЛС второго родителя или отметьте, что ребёнка \
                 воспитывает один родитель",
            )]));
        }
        Ok(())
    }
}

#[async_trait::async_trait]
impl ApplicationDrafts for Applications {
    async fn start(
        &self,
        parent: &SignedInAccount,
        benefit_code: &str,
        child_id: i64,
    ) -> Result<i64, ServiceError> {
        require_confirmed(parent)?;
        let benefit = self.benefit(benefit_code)?;
        // Another family's child is «not found», like one that does not exist.
        let child = children::of_parent(&self.db, parent.account_id, child_id)
            .await?
            .ok_or_else(not_found)?;
        if let Some(reason) = not_checkable(benefit, &child, moscow_today(self.clock.now())) {
            return Err(refuse_child(reason));
        }
        let now = self.clock.now();
        let id =
            application_drafts::open(&self.db, parent.account_id, child.id, &benefit.code, now)
                .await?;
        // The check runs before the form: a child never checked for this benefit is checked now,
        // and the answer is waiting by «Проверьте ответы».
        let checked = eligibility_checks::for_parent(&self.db, parent.account_id, &benefit.code)
            .await?
            .iter()
            .any(|check| check.child_id == child.id);
        if !checked {
            start_round(&self.db, parent.account_id, child.id, &benefit.code, now).await?;
        }
        tracing::info!(
            event = "application.draft_opened",
            account_id = parent.account_id,
            child_id = child.id,
            draft_id = id,
            benefit = benefit_code
        );
        Ok(id)
    }

    async fn load(&self, parent: &SignedInAccount, id: i64) -> Result<DraftView, ServiceError> {
        let draft = self.draft(parent, id).await?;
        let child = self.child_of(parent, &draft).await?;
        self.view(parent, &draft, &child).await
    }

    async fn save(
        &self,
        parent: &SignedInAccount,
        id: i64,
        answer: Answer,
    ) -> Result<DraftView, ServiceError> {
        if let Answer::Snils(snils) = &answer {
            self.refuse_own_snils(parent, snils).await?;
        }
        for _ in 0..SAVE_ATTEMPTS {
            let mut draft = self.draft(parent, id).await?;
            let child = self.child_of(parent, &draft).await?;
            let mut answers = draft.answers()?;
            answers.set(answer.clone());
            let now = self.clock.now();
            if application_drafts::save(
                &self.db,
                parent.account_id,
                id,
                draft.version,
                &answers,
                now,
            )
            .await?
            {
                draft.version += 1;
                draft.updated_at = now;
                draft.set_answers(&answers)?;
                return self.view(parent, &draft, &child).await;
            }
        }
        Err(ServiceError::unexpected(
            "the draft kept changing under three saves in a row",
        ))
    }

    async fn discard(&self, parent: &SignedInAccount, id: i64) -> Result<(), ServiceError> {
        require_confirmed(parent)?;
        if !application_drafts::remove(&self.db, parent.account_id, id).await? {
            return Err(not_found());
        }
        Ok(())
    }
}
