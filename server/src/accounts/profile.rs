//! «Профиль»: personal data, sessions, password change.

use app::account::Profile;
use app::account::profile::ProfileService;
use app::account::profile::fields;
use app::api::request::ClientInfo;
use app::api::{ServiceError, SignedInAccount};
use app::domain::{Password, Snils, format_ru_date, format_ru_datetime};

use time::OffsetDateTime;

use super::{AccountService, letters};
use crate::db::second_factor as factor_db;
use crate::db::{StorageError, Tx, accounts, sessions};

impl AccountService {
    /// A new password: every session ends (but `keep`, the one making the change) and the user is
    /// told on e-mail and phone, in the caller's transaction.
    pub(super) async fn replace_password(
        &self,
        tx: &mut Tx,
        account: &accounts::StoredAccount,
        password_hash: &str,
        keep: Option<i64>,
        now: OffsetDateTime,
    ) -> Result<(), StorageError> {
        accounts::set_password(tx, account.id, password_hash).await?;
        sessions::end_all(tx, account.id, keep, now).await?;
        for message in letters::password_changed(
            account.id,
            &account.email,
            account.phone.as_deref(),
            &format_ru_datetime(now),
        ) {
            self.outbox.enqueue(tx, &message, now).await?;
        }
        Ok(())
    }
}

#[async_trait::async_trait]
impl ProfileService for AccountService {
    async fn profile(&self, signed_in: &SignedInAccount) -> Result<Profile, ServiceError> {
        let a = self.account(signed_in).await?;
        let full_name =
            app::domain::full_name(&a.last_name, &a.first_name, a.middle_name.as_deref());
        let phone = a.phone_text();
        Ok(Profile {
            full_name,
            birth_date: format_ru_date(a.birth_date),
            snils: Snils::parse(&a.snils)
                .map(|s| s.to_string())
                .unwrap_or(a.snils),
            level: a.level,
            phone,
            email: a.email,
            email_confirmed: a.email_confirmed_at.is_some(),
            phone_confirmed: a.phone_confirmed_at.is_some(),
            second_factor: a.second_factor,
            backup_codes_left: factor_db::unused_backup_codes(&self.db, a.id).await?.max(0) as u32,
            reauthenticated: signed_in.recently_reauthenticated(self.clock.now()),
            identity_check: self.identity_check_view(a.id).await?,
            registration_address: a.registration_address.clone(),
        })
    }

    async fn change_password(
        &self,
        signed_in: &SignedInAccount,
        current: &str,
        new: Password,
        client: &ClientInfo,
    ) -> Result<(), ServiceError> {
        let account = self.account(signed_in).await?;
        self.check_password_of(&account, current, client, fields::CURRENT_PASSWORD)
            .await?;
        let now = self.clock.now();
        let hash = self.hasher.hash(new.expose()).await?;
        let mut tx = self.db.begin().await?;
        self.replace_password(&mut tx, &account, &hash, Some(signed_in.session_id), now)
            .await?;
        tx.commit().await?;
        self.outbox.wake();
        tracing::info!(account_id = account.id, "password changed");
        Ok(())
    }

    /// «Адрес постоянной регистрации» (already checked).
    async fn set_registration_address(
        &self,
        account: &SignedInAccount,
        address: String,
    ) -> Result<(), ServiceError> {
        accounts::set_registration_address(&self.db, account.account_id, &address).await?;
        Ok(())
    }
}
