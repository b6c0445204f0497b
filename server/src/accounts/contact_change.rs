//! Changing the e-mail or phone: a recent re-authentication first; then, in one transaction, the
//! new contact (unconfirmed), its confirmation, and a notice to the old contact — so a change the
//! owner did not make does not go unnoticed.

use app::account::contact_change::ContactChangeService;
use app::account::contact_change::fields;
use app::api::{FieldError, Refusal};
use app::api::{ServiceError, SignedInAccount};
use app::domain::{Email, Phone, format_ru_datetime};

use super::{AccountService, letters};
use crate::db::accounts;
use crate::db::confirmations::Purpose;

fn taken(field: &str, code: &str, message: &str) -> ServiceError {
    ServiceError::Invalid(vec![FieldError::new(field, code, message)])
}

impl AccountService {
    fn require_reauthentication(&self, signed_in: &SignedInAccount) -> Result<(), ServiceError> {
        if signed_in.recently_reauthenticated(self.clock.now()) {
            Ok(())
        } else {
            Err(ServiceError::Refused(Refusal::ReauthRequired))
        }
    }
}

#[async_trait::async_trait]
impl ContactChangeService for AccountService {
    async fn change_email(
        &self,
        signed_in: &SignedInAccount,
        email: Email,
    ) -> Result<(), ServiceError> {
        self.require_reauthentication(signed_in)?;
        let account = self.account(signed_in).await?;
        let new = email.key();
        if new == account.email {
            return Err(taken(
                fields::EMAIL,
                "email.same",
                "Этот адрес уже указан в учётной записи",
            ));
        }
        let in_use = || {
            taken(
                fields::EMAIL,
                "email.taken",
                "Этот адрес уже используется в другой учётной записи. Укажите другой адрес",
            )
        };
        if !accounts::by_login(&self.db, None, Some(&new), None)
            .await?
            .is_empty()
        {
            return Err(in_use());
        }
        let now = self.clock.now();
        let mut tx = self.db.begin().await?;
        match accounts::set_email(&mut tx, account.id, &new).await {
            Err(e) if e.is_unique_violation() => return Err(in_use()),
            other => other?,
        }
        let notice = letters::contact_changed_email(&account, &new, &format_ru_datetime(now));
        self.outbox.enqueue(&mut tx, &notice, now).await?;
        let updated = accounts::by_id_in(&mut tx, account.id)
            .await?
            .ok_or(ServiceError::SignInRequired)?;
        self.issue_email_link(&mut tx, &updated, Purpose::ConfirmEmail, now)
            .await?;
        tx.commit().await?;
        self.outbox.wake();
        tracing::info!(account_id = account.id, "e-mail changed");
        Ok(())
    }

    async fn change_phone(
        &self,
        signed_in: &SignedInAccount,
        phone: Phone,
    ) -> Result<(), ServiceError> {
        self.require_reauthentication(signed_in)?;
        let account = self.account(signed_in).await?;
        let new = phone.e164();
        if account.phone.as_deref() == Some(new.as_str()) {
            return Err(taken(
                fields::PHONE,
                "phone.same",
                "Этот номер уже указан в учётной записи",
            ));
        }
        let in_use = || {
            taken(
                fields::PHONE,
                "phone.taken",
                "Этот номер уже используется в другой учётной записи. Укажите другой номер",
            )
        };
        if !accounts::by_login(&self.db, Some(&new), None, None)
            .await?
            .is_empty()
        {
            return Err(in_use());
        }
        let now = self.clock.now();
        let mut tx = self.db.begin().await?;
        match accounts::set_phone(&mut tx, account.id, &new).await {
            Err(e) if e.is_unique_violation() => return Err(in_use()),
            other => other?,
        }
        if let Some(notice) =
            letters::contact_changed_phone(&account, &phone.to_string(), &format_ru_datetime(now))
        {
            self.outbox.enqueue(&mut tx, &notice, now).await?;
        }
        let updated = accounts::by_id_in(&mut tx, account.id)
            .await?
            .ok_or(ServiceError::SignInRequired)?;
        self.issue_phone_code(&mut tx, &updated, Purpose::ConfirmPhone, 0, now)
            .await?;
        tx.commit().await?;
        self.outbox.wake();
        tracing::info!(account_id = account.id, "phone changed");
        Ok(())
    }
}
