//! «Восстановление доступа»: a code by SMS or a link by e-mail, only to a confirmed contact
//! (an unconfirmed one may be a typo that belongs to someone else); a new password ends every
//! session and is announced on both channels.

use app::account::RecoveryChannel;
use app::account::recovery::RecoveryService;
use app::api::Refusal;
use app::api::ServiceError;
use app::api::request::ClientInfo;
use app::domain::Password;
use time::OffsetDateTime;

use super::AccountService;
use super::contacts::next_phone_code;
use super::sign_in::read_login;
use crate::db::accounts::{self, StoredAccount};
use crate::db::confirmations::{self, Purpose};
use crate::db::{Tx, sign_in_failures};
use app::domain::one_time_code::SendDecision;

/// Every recovery answer takes at least this long, so an unknown login, a wrong code and a
/// right one cannot be told apart by the time the database work takes.
pub const RECOVERY_FLOOR: std::time::Duration = std::time::Duration::from_millis(300);

/// Runs `work`, then waits until `floor` has passed since the start.
async fn at_least<T>(floor: std::time::Duration, work: impl Future<Output = T>) -> T {
    let until = tokio::time::Instant::now() + floor;
    let result = work.await;
    tokio::time::sleep_until(until).await;
    result
}

impl AccountService {
    /// The account a login names, if exactly one reading matches.
    async fn account_for_login(&self, login: &str) -> Result<Option<StoredAccount>, ServiceError> {
        let readings = read_login(login);
        if readings.phone.is_none() && readings.email.is_none() && readings.snils.is_none() {
            return Ok(None);
        }
        let mut found = accounts::by_login(
            &self.db,
            readings.phone.as_deref(),
            readings.email.as_deref(),
            readings.snils.as_deref(),
        )
        .await?;
        Ok((found.len() == 1).then(|| found.remove(0)))
    }

    async fn start_recovery_now(
        &self,
        login: &str,
        channel: RecoveryChannel,
    ) -> Result<(), ServiceError> {
        let Some(account) = self.account_for_login(login).await? else {
            return Ok(());
        };
        let now = self.clock.now();
        let mut tx = self.db.begin().await?;
        match channel {
            RecoveryChannel::Sms if account.phone_confirmed_at.is_some() => {
                let latest =
                    confirmations::latest_phone_code(&mut tx, account.id, Purpose::RecoverPassword)
                        .await?;
                // Inside a cooldown nothing is sent; the answer stays the same.
                if let SendDecision::Allowed { number } = next_phone_code(latest.as_ref(), now) {
                    let streak = number as i32;
                    self.issue_phone_code(&mut tx, &account, Purpose::RecoverPassword, streak, now)
                        .await?;
                }
            }
            RecoveryChannel::Email if account.email_confirmed_at.is_some() => {
                self.issue_email_link(&mut tx, &account, Purpose::RecoverPassword, now)
                    .await?;
            }
            _ => return Ok(()),
        }
        tx.commit().await?;
        self.outbox.wake();
        Ok(())
    }

    async fn recover_by_code_now(
        &self,
        login: &str,
        code: &str,
        password: Password,
        client: &ClientInfo,
    ) -> Result<(), ServiceError> {
        let account = self
            .account_for_login(login)
            .await?
            .filter(|a| a.phone_confirmed_at.is_some())
            .ok_or(ServiceError::Refused(Refusal::CodeExpired))?;
        let now = self.clock.now();
        // A recovery code is a secret of the account like its password: the same ceiling, the
        // try counted before the comparison.
        let reserved = self
            .reserve_try(account.id, &account.email, client, now)
            .await?;
        let checked = self
            .check_code(&account, Purpose::RecoverPassword, code, now)
            .await;
        let code_id = match checked {
            Ok(id) => {
                sign_in_failures::forgive(&self.db, reserved).await?;
                id
            }
            Err(
                err @ (ServiceError::Invalid(_)
                | ServiceError::Refused(Refusal::CodeTriesExhausted)),
            ) => {
                tracing::warn!(
                    event = "sign_in.failed",
                    account_id = account.id,
                    reason = "recovery_code"
                );
                return Err(err);
            }
            Err(other) => {
                sign_in_failures::forgive(&self.db, reserved).await?;
                return Err(other);
            }
        };
        // Hashed only now that the code is right: nobody makes the server hash for free.
        let hash = self.hasher.hash(password.expose()).await?;
        let mut tx = self.db.begin().await?;
        if !confirmations::use_phone_code(&mut tx, code_id, now).await? {
            return Err(ServiceError::Refused(Refusal::CodeExpired));
        }
        self.finish_recovery(tx, &account, &hash, now).await
    }

    async fn recover_by_link_now(
        &self,
        token: &str,
        password: Password,
    ) -> Result<(), ServiceError> {
        let now = self.clock.now();
        // The link is checked (without using it) before the password is hashed.
        let (tx, _) = self
            .use_email_link(token, Purpose::RecoverPassword, now)
            .await?;
        drop(tx);
        let hash = self.hasher.hash(password.expose()).await?;
        let (mut tx, link) = self
            .use_email_link(token, Purpose::RecoverPassword, now)
            .await?;
        let account = accounts::by_id_in(&mut tx, link.account_id)
            .await?
            .filter(|a| a.email == link.email)
            .ok_or(ServiceError::Refused(Refusal::LinkInvalid))?;
        self.finish_recovery(tx, &account, &hash, now).await
    }

    async fn finish_recovery(
        &self,
        mut tx: Tx,
        account: &StoredAccount,
        password_hash: &str,
        now: OffsetDateTime,
    ) -> Result<(), ServiceError> {
        self.replace_password(&mut tx, account, password_hash, None, now)
            .await?;
        tx.commit().await?;
        self.outbox.wake();
        // The owner is back in: earlier failed guesses no longer hold the account back.
        sign_in_failures::clear_account(&self.db, account.id).await?;
        tracing::info!(account_id = account.id, "password recovered");
        Ok(())
    }
}

#[async_trait::async_trait]
impl RecoveryService for AccountService {
    async fn start_recovery(
        &self,
        login: &str,
        channel: RecoveryChannel,
    ) -> Result<(), ServiceError> {
        at_least(RECOVERY_FLOOR, self.start_recovery_now(login, channel)).await
    }

    async fn recover_by_code(
        &self,
        login: &str,
        code: &str,
        password: Password,
        client: &ClientInfo,
    ) -> Result<(), ServiceError> {
        at_least(
            RECOVERY_FLOOR,
            self.recover_by_code_now(login, code, password, client),
        )
        .await
    }

    async fn recover_by_link(&self, token: &str, password: Password) -> Result<(), ServiceError> {
        at_least(RECOVERY_FLOOR, self.recover_by_link_now(token, password)).await
    }
}
