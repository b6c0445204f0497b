//! «Настроить профиль» of a child's account, for a parent with a live link: password, phone,
//! e-mail, deletion. Each change needs the parent's fresh re-authentication; the contact
//! confirmations reuse the accounts' own links and codes (they confirm the child's account).

use app::account::AccountLevel;
use app::activity::journal::ActivityKind;
use app::api::{FieldError, Refusal};
use app::api::{ServiceError, SignedInAccount};
use app::child_account::settings::ChildAccountSettings;
use app::child_account::settings::ChildAccountSettingsService;
use app::child_account::wizard::fields;
use app::domain::{Email, Password, Phone};

use super::letters::{self, Person};
use super::{ChildAccountService, not_found, require_confirmed};
use crate::db::accounts::{self, StoredAccount};
use crate::db::confirmations::Purpose;
use crate::db::{child_accounts, children, link_codes, sessions};
use app::domain::full_name;

fn invalid(field: &str, code: &str, message: &str) -> ServiceError {
    ServiceError::Invalid(vec![FieldError::new(field, code, message)])
}

impl ChildAccountService {
    /// The child's account behind the parent's card, while the parent still acts for it.
    async fn linked_account(
        &self,
        parent: &SignedInAccount,
        child_id: i64,
    ) -> Result<StoredAccount, ServiceError> {
        require_confirmed(parent)?;
        children::of_parent(&self.db, parent.account_id, child_id)
            .await?
            .ok_or_else(not_found)?;
        let link = child_accounts::account_of_child(&self.db, parent.account_id, child_id)
            .await?
            .filter(|link| link.ended_at.is_none())
            .ok_or_else(not_found)?;
        accounts::by_id(&self.db, link.account_id)
            .await?
            .ok_or_else(not_found)
    }

    fn require_reauthentication(&self, parent: &SignedInAccount) -> Result<(), ServiceError> {
        if parent.recently_reauthenticated(self.clock.now()) {
            Ok(())
        } else {
            Err(ServiceError::Refused(Refusal::ReauthRequired))
        }
    }
}

#[async_trait::async_trait]
impl ChildAccountSettingsService for ChildAccountService {
    async fn settings(
        &self,
        parent: &SignedInAccount,
        child_id: i64,
    ) -> Result<ChildAccountSettings, ServiceError> {
        let child = self.linked_account(parent, child_id).await?;
        Ok(ChildAccountSettings {
            child_id,
            child_name: full_name(
                &child.last_name,
                &child.first_name,
                child.middle_name.as_deref(),
            ),
            phone: child.phone_text(),
            email: child.email,
            email_confirmed: child.email_confirmed_at.is_some(),
            phone_confirmed: child.phone_confirmed_at.is_some(),
            reauthenticated: parent.recently_reauthenticated(self.clock.now()),
        })
    }

    async fn change_password(
        &self,
        parent: &SignedInAccount,
        child_id: i64,
        password: Password,
    ) -> Result<(), ServiceError> {
        let child = self.linked_account(parent, child_id).await?;
        self.require_reauthentication(parent)?;
        let hash = self.hasher.hash(password.expose()).await?;
        let now = self.clock.now();
        let mut tx = self.db.begin().await?;
        accounts::set_password(&mut tx, child.id, &hash).await?;
        sessions::end_all(&mut tx, child.id, None, now).await?;
        let parent_name = full_name(&parent.last_name, &parent.first_name, None);
        for message in letters::password_changed_by_parent(
            &Person {
                account_id: child.id,
                email: &child.email,
                first_name: &child.first_name,
            },
            &parent_name,
        ) {
            self.outbox.enqueue(&mut tx, &message, now).await?;
        }
        crate::activity::record_by_parent(
            &mut tx,
            child.id,
            parent.account_id,
            ActivityKind::Settings,
            "Родитель сменил пароль",
            now,
        )
        .await?;
        tx.commit().await?;
        self.outbox.wake();
        tracing::info!(
            child_account = child.id,
            "child's password changed by a parent"
        );
        Ok(())
    }

    async fn change_phone(
        &self,
        parent: &SignedInAccount,
        child_id: i64,
        phone: Phone,
    ) -> Result<(), ServiceError> {
        let child = self.linked_account(parent, child_id).await?;
        self.require_reauthentication(parent)?;
        let number = phone.e164();
        let stored_parent = accounts::by_id(&self.db, parent.account_id)
            .await?
            .ok_or(ServiceError::SignInRequired)?;
        if stored_parent.phone.as_deref() == Some(number.as_str()) {
            return Err(invalid(
                fields::PHONE,
                "child_phone.parent",
                "Номер ребёнка должен отличаться от номера родителя",
            ));
        }
        if !accounts::by_login(&self.db, Some(&number), None, None)
            .await?
            .is_empty()
        {
            return Err(invalid(
                fields::PHONE,
                "child_phone.taken",
                "Этот номер уже используется в учётной записи на Госуслугах — введите другой",
            ));
        }
        let now = self.clock.now();
        let mut tx = self.db.begin().await?;
        accounts::set_phone(&mut tx, child.id, &number).await?;
        let updated = accounts::by_id_in(&mut tx, child.id)
            .await?
            .ok_or_else(not_found)?;
        self.accounts
            .issue_phone_code(&mut tx, &updated, Purpose::ConfirmPhone, 0, now)
            .await?;
        crate::activity::record_by_parent(
            &mut tx,
            child.id,
            parent.account_id,
            ActivityKind::Settings,
            "Родитель сменил номер телефона",
            now,
        )
        .await?;
        tx.commit().await?;
        self.outbox.wake();
        Ok(())
    }

    async fn confirm_changed_phone(
        &self,
        parent: &SignedInAccount,
        child_id: i64,
        code: &str,
    ) -> Result<(), ServiceError> {
        let child = self.linked_account(parent, child_id).await?;
        self.require_reauthentication(parent)?;
        let Some(phone) = child.phone.clone() else {
            return Err(ServiceError::Refused(Refusal::CodeExpired));
        };
        let now = self.clock.now();
        let mut tx = self
            .accounts
            .use_code(&child, Purpose::ConfirmPhone, code, now)
            .await?;
        accounts::confirm_phone(&mut tx, child.id, &phone, now).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn change_email_address(
        &self,
        parent: &SignedInAccount,
        child_id: i64,
        email: Email,
    ) -> Result<(), ServiceError> {
        let child = self.linked_account(parent, child_id).await?;
        self.require_reauthentication(parent)?;
        let address = email.key();
        if !accounts::by_login(&self.db, None, Some(&address), None)
            .await?
            .is_empty()
        {
            return Err(invalid(
                fields::EMAIL,
                "child_email.taken",
                "Эта почта уже привязана к учётной записи на Госуслугах — введите другую",
            ));
        }
        let now = self.clock.now();
        let mut tx = self.db.begin().await?;
        accounts::set_email(&mut tx, child.id, &address).await?;
        let updated = accounts::by_id_in(&mut tx, child.id)
            .await?
            .ok_or_else(not_found)?;
        self.accounts
            .issue_email_link(&mut tx, &updated, Purpose::ConfirmEmail, now)
            .await?;
        crate::activity::record_by_parent(
            &mut tx,
            child.id,
            parent.account_id,
            ActivityKind::Settings,
            "Родитель сменил адрес электронной почты",
            now,
        )
        .await?;
        tx.commit().await?;
        self.outbox.wake();
        Ok(())
    }

    async fn delete_account(
        &self,
        parent: &SignedInAccount,
        child_id: i64,
    ) -> Result<(), ServiceError> {
        let child = self.linked_account(parent, child_id).await?;
        self.require_reauthentication(parent)?;
        if parent.level < AccountLevel::Confirmed {
            return Err(ServiceError::Refused(Refusal::ConfirmedLevelRequired));
        }
        let now = self.clock.now();
        let mut tx = self.db.begin().await?;
        let guardians = link_codes::guardians_in(&mut tx, child.id).await?;
        let child_name = full_name(
            &child.last_name,
            &child.first_name,
            child.middle_name.as_deref(),
        );
        let mut messages = vec![letters::account_deleted_to_child(
            &child.email,
            &child.first_name,
        )];
        for guardian in &guardians {
            messages.extend(letters::account_deleted_to_parent(
                &Person {
                    account_id: guardian.account_id,
                    email: &guardian.email,
                    first_name: &guardian.first_name,
                },
                &child_name,
            ));
        }
        // The account's sessions, links, consents and codes go with it (ON DELETE CASCADE).
        accounts::delete(&mut tx, child.id).await?;
        for message in &messages {
            self.outbox.enqueue(&mut tx, message, now).await?;
        }
        tx.commit().await?;
        self.outbox.wake();
        tracing::info!(
            child_account = child.id,
            "child's account deleted by a parent"
        );
        Ok(())
    }
}
