//! «Профиль»: personal data, sessions, password change.

use app::account::profile::fields;
use app::account::second_factor::SecondFactor;
use app::account::{AccountLevel, Profile, SessionInfo, device};
use app::api::services::{ClientInfo, ServiceError, SignedInAccount};
use app::domain::{Password, Snils, format_ru_date, format_ru_datetime};
use app::notifications::Notification;

use time::OffsetDateTime;

use super::sessions::IDLE_TIMEOUT;
use super::{AccountService, letters};
use crate::db::second_factor as factor_db;
use crate::db::{StorageError, Tx, accounts, outbox, sessions};

impl AccountService {
    pub(super) async fn profile(
        &self,
        signed_in: &SignedInAccount,
    ) -> Result<Profile, ServiceError> {
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
            level: AccountLevel::parse(&a.level).unwrap_or(AccountLevel::Simplified),
            phone,
            email: a.email,
            email_confirmed: a.email_confirmed_at.is_some(),
            phone_confirmed: a.phone_confirmed_at.is_some(),
            second_factor: SecondFactor::parse(&a.second_factor).unwrap_or(SecondFactor::None),
            backup_codes_left: factor_db::unused_backup_codes(&self.db, a.id).await?.max(0) as u32,
            reauthenticated: signed_in.recently_reauthenticated(self.clock.now()),
            identity_check: self.identity_check_view(a.id).await?,
            registration_address: a.registration_address.clone(),
        })
    }

    pub(super) async fn sessions(
        &self,
        signed_in: &SignedInAccount,
    ) -> Result<Vec<SessionInfo>, ServiceError> {
        let now = self.clock.now();
        let live =
            sessions::live_for_account(&self.db, signed_in.account_id, now, now - IDLE_TIMEOUT)
                .await?;
        Ok(live
            .into_iter()
            .map(|s| SessionInfo {
                id: s.id,
                device: device::describe(&s.user_agent),
                started_at: format_ru_datetime(s.created_at),
                last_seen_at: format_ru_datetime(s.last_seen_at),
                current: s.id == signed_in.session_id,
            })
            .collect())
    }

    pub(super) async fn change_password(
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

    pub(super) async fn notifications(
        &self,
        signed_in: &SignedInAccount,
    ) -> Result<Vec<Notification>, ServiceError> {
        let now = self.clock.now();
        let items = outbox::in_app_for(&self.db, signed_in.account_id, 100).await?;
        if let Some(newest) = items.first() {
            outbox::mark_read(&self.db, signed_in.account_id, newest.id, now).await?;
        }
        Ok(items
            .into_iter()
            .map(|m| Notification {
                id: m.id,
                title: m.subject,
                text: m.body,
                at: format_ru_datetime(m.created_at),
                new: m.read_at.is_none(),
            })
            .collect())
    }

    pub(super) async fn end_all_sessions(
        &self,
        signed_in: &SignedInAccount,
    ) -> Result<(), ServiceError> {
        let mut tx = self.db.begin().await?;
        sessions::end_all(&mut tx, signed_in.account_id, None, self.clock.now()).await?;
        tx.commit().await?;
        Ok(())
    }

    pub(super) async fn extend_session(
        &self,
        signed_in: &SignedInAccount,
    ) -> Result<SignedInAccount, ServiceError> {
        let now = self.clock.now();
        sessions::touch(&self.db, signed_in.session_id, now).await?;
        Ok(SignedInAccount {
            idle_expires_at: (now + IDLE_TIMEOUT).min(signed_in.expires_at),
            ..signed_in.clone()
        })
    }
}
