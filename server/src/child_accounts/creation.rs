//! The wizard's last step: «Сохранить» on the password makes the account. The account, its
//! guardianship, the consent request for the child's first sign-in and the notices to parent
//! and child are written in one transaction, and the draft goes with them.

use app::api::Refusal;
use app::api::{ServiceError, SignedInAccount};
use app::child_account::consents::CONSENT_TEXT_VERSION;
use app::child_account::wizard::ChildAccountCreation;
use app::child_account::wizard::{WizardStep, fields};
use app::domain::{Password, full_name};

use super::ChildAccountService;
use super::letters::{self, Person};
use super::wizard::{invalid, out_of_order};
use crate::db::child_accounts::{self, Origin};
use crate::db::{accounts, consents};

#[async_trait::async_trait]
impl ChildAccountCreation for ChildAccountService {
    async fn create_account(
        &self,
        parent: &SignedInAccount,
        child_id: i64,
        password: Password,
    ) -> Result<(), ServiceError> {
        // Hash first: it takes a while and must not hold the transaction open.
        let password_hash = self.hasher.hash(password.expose()).await?;
        let mut step = self.step(parent, child_id, &[WizardStep::Password]).await?;
        let (draft, child) = (&step.draft, &step.child);
        let (Some(email), Some(birth_place), Some(address), Some(snils), Some(consent_at)) = (
            draft.email.as_deref(),
            draft.birth_place.as_deref(),
            draft.registration_address.as_deref(),
            child.snils.as_deref(),
            draft.creation_consent_at,
        ) else {
            return Err(out_of_order());
        };
        let phone = draft
            .phone
            .as_deref()
            .filter(|_| draft.phone_confirmed_at.is_some());
        // Someone may have registered with these contacts (or the СНИЛС) since the codes went out.
        let taken = accounts::taken(&mut step.tx, snils, email, phone.unwrap_or("")).await?;
        if taken.snils {
            return Err(ServiceError::Refused(Refusal::ChildAccountNotAllowed));
        }
        if taken.email || taken.phone {
            return Err(invalid(
                fields::PASSWORD,
                "child_account.contacts_taken",
                "Почта или телефон ребёнка уже заняты другой учётной записью — отмените создание и начните заново",
            ));
        }
        let minor_id = accounts::insert_child(
            &mut step.tx,
            accounts::NewChildAccount {
                last_name: &child.last_name,
                first_name: &child.first_name,
                middle_name: child.middle_name.as_deref(),
                birth_date: child.birth_date,
                snils,
                email,
                phone,
                password_hash: &password_hash,
                birth_place,
                registration_address: address,
                consent_at,
            },
            step.now,
        )
        .await?;
        child_accounts::link(
            &mut step.tx,
            step.parent.id,
            minor_id,
            Some(child.id),
            Origin::Created,
            step.now,
        )
        .await?;
        consents::request(
            &mut step.tx,
            step.parent.id,
            minor_id,
            CONSENT_TEXT_VERSION,
            step.now,
        )
        .await?;
        child_accounts::delete_draft(&mut step.tx, step.parent.id, child.id).await?;
        let card = format!("{}/documents/family/children/{}", self.public_url, child.id);
        let parent_person = Person {
            account_id: step.parent.id,
            email: &step.parent.email,
            first_name: &step.parent.first_name,
        };
        let child_person = Person {
            account_id: minor_id,
            email,
            first_name: &child.first_name,
        };
        let name = full_name(
            &child.last_name,
            &child.first_name,
            child.middle_name.as_deref(),
        );
        let messages = letters::consent_requested(&parent_person, &name, &card)
            .into_iter()
            .chain(letters::account_created(&child_person));
        for message in messages {
            self.outbox
                .enqueue(&mut step.tx, &message, step.now)
                .await?;
        }
        step.tx.commit().await?;
        self.outbox.wake();
        Ok(())
    }
}
