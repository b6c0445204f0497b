//! «Вход»: a login (phone, e-mail or СНИЛС) and a password. Every failure gives the same answer
//! and takes the same time whether or not the account exists; failures are throttled per account,
//! per login typed and per network address, temporarily — never a lockout an attacker can make
//! permanent — and a device that signed in before counts only its own failures, so nobody can
//! lock its owner out. Each try is counted before the password is compared.

use app::account::second_factor::FactorCode;
use app::account::sign_in::SignInResult;
use app::account::sign_in::SignInService;
use app::api::Refusal;
use app::api::ServiceError;
use app::api::request::{ClientInfo, NewSession};
use app::domain::{AgeGroup, Email, Phone, Snils};
use time::{Duration, OffsetDateTime};

use super::AccountService;
use crate::db::accounts::StoredAccount;
use crate::db::sign_in_failures::{self, Failure, Failures, Key, Reservation};
use crate::db::{accounts, consents, known_devices};
use crate::secrets;

/// The ceiling: at most 100 failed attempts per hour per account.
pub const ACCOUNT_LIMIT: i64 = 100;
pub const ACCOUNT_WINDOW: Duration = Duration::hours(1);
/// One address (an office behind NAT is many people) may fail this often per quarter hour.
pub const ADDRESS_LIMIT: i64 = 50;
pub const ADDRESS_WINDOW: Duration = Duration::minutes(15);
/// A device that signed in to the account before may fail this often per quarter hour, whatever
/// others do.
pub const DEVICE_LIMIT: i64 = 10;
pub const DEVICE_WINDOW: Duration = Duration::minutes(15);

/// The ways a login can be read: 11 digits may be a phone number and a СНИЛС at once.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct LoginReadings {
    pub phone: Option<String>,
    pub email: Option<String>,
    pub snils: Option<String>,
    /// The login normalised, for counting failures of logins that match no account.
    pub key: String,
}

pub fn read_login(login: &str) -> LoginReadings {
    let login = login.trim();
    if login.contains('@') {
        let email = Email::parse(login).ok().map(|e| e.key());
        let key = email.clone().unwrap_or_else(|| login.to_lowercase());
        return LoginReadings {
            email,
            key,
            ..Default::default()
        };
    }
    let phone = Phone::parse(login).ok().map(|p| p.e164());
    let snils = Snils::parse(login).ok().map(|s| s.digits());
    let key = phone
        .clone()
        .or_else(|| snils.clone())
        .unwrap_or_else(|| login.chars().filter(|c| !c.is_whitespace()).collect());
    LoginReadings {
        phone,
        email: None,
        snils,
        key,
    }
}

/// Seconds until the count in the window drops below the limit, if it is at the limit now.
pub(super) fn wait_for(
    failures: Failures,
    limit: i64,
    window: Duration,
    now: OffsetDateTime,
) -> Option<u32> {
    if failures.count < limit {
        return None;
    }
    let oldest = failures.oldest?;
    Some((oldest + window - now).whole_seconds().max(1) as u32)
}

impl AccountService {
    /// The device cookie's hash, if that device signed in to this account before.
    pub(super) async fn known_device(
        &self,
        account_id: i64,
        client: &ClientInfo,
    ) -> Result<Option<String>, ServiceError> {
        let hash = secrets::hash_token(&client.device);
        Ok(known_devices::is_known(&self.db, account_id, &hash)
            .await?
            .then_some(hash))
    }

    /// Counts a try of the account's secret as a failure before the comparison (forgive it when
    /// the secret is right), or refuses when the ceiling is reached. A device that signed in
    /// before is limited by its own failures only, so failures from elsewhere cannot lock it out.
    pub(super) async fn reserve_try(
        &self,
        account_id: i64,
        login_key: &str,
        client: &ClientInfo,
        now: OffsetDateTime,
    ) -> Result<i64, ServiceError> {
        let device = self.known_device(account_id, client).await?;
        let (limit, window) = match device {
            Some(_) => (DEVICE_LIMIT, DEVICE_WINDOW),
            None => (ACCOUNT_LIMIT, ACCOUNT_WINDOW),
        };
        let failure = Failure {
            account_id: Some(account_id),
            login_key,
            address: &client.address,
            device_hash: device.as_deref(),
        };
        match sign_in_failures::reserve(&self.db, account_id, failure, limit, now - window, now)
            .await?
        {
            Reservation::Taken(id) => Ok(id),
            Reservation::Full(failures) => Err(ServiceError::Throttled {
                retry_after_seconds: wait_for(failures, limit, window, now).unwrap_or(1),
            }),
        }
    }

    /// The coarse limits in front of the accounts: per login typed and per address.
    async fn throttled(
        &self,
        readings: &LoginReadings,
        client: &ClientInfo,
        now: OffsetDateTime,
    ) -> Result<Option<u32>, ServiceError> {
        let mut waits = Vec::new();
        let by_login =
            sign_in_failures::since(&self.db, Key::Login(&readings.key), now - ACCOUNT_WINDOW)
                .await?;
        waits.extend(wait_for(by_login, ACCOUNT_LIMIT, ACCOUNT_WINDOW, now));
        let by_address = sign_in_failures::since(
            &self.db,
            Key::Address(&client.address),
            now - ADDRESS_WINDOW,
        )
        .await?;
        waits.extend(wait_for(by_address, ADDRESS_LIMIT, ADDRESS_WINDOW, now));
        Ok(waits.into_iter().max())
    }

    /// A child's account signs in only with a parent's consent. Checked only after the right
    /// password (and again at the second step), so it reveals nothing to a guesser.
    pub(super) async fn refuse_without_consent(
        &self,
        account: &StoredAccount,
    ) -> Result<(), ServiceError> {
        if account.age_group == AgeGroup::Child
            && !consents::transfer_granted(&self.db, account.id).await?
        {
            tracing::info!(
                account_id = account.id,
                "sign-in refused: no parent's consent"
            );
            return Err(ServiceError::Refused(Refusal::ParentConsentRequired));
        }
        Ok(())
    }
}

#[async_trait::async_trait]
impl SignInService for AccountService {
    async fn sign_in(
        &self,
        login: &str,
        password: &str,
        client: &ClientInfo,
    ) -> Result<SignInResult, ServiceError> {
        let now = self.clock.now();
        let readings = read_login(login);
        let candidates =
            if readings.phone.is_none() && readings.email.is_none() && readings.snils.is_none() {
                Vec::new()
            } else {
                accounts::by_login(
                    &self.db,
                    readings.phone.as_deref(),
                    readings.email.as_deref(),
                    readings.snils.as_deref(),
                )
                .await?
            };
        let mut known = false;
        for account in &candidates {
            known |= self.known_device(account.id, client).await?.is_some();
        }
        // A device the account knows is held back only by its own failures (below).
        if !known && let Some(seconds) = self.throttled(&readings, client, now).await? {
            return Err(ServiceError::Throttled {
                retry_after_seconds: seconds,
            });
        }

        if candidates.is_empty() {
            self.hasher.verify_nothing(password).await?;
            sign_in_failures::record(
                &self.db,
                Failure {
                    account_id: None,
                    login_key: &readings.key,
                    address: &client.address,
                    device_hash: None,
                },
                now,
            )
            .await?;
            tracing::warn!(event = "sign_in.failed", reason = "unknown_login");
            return Err(ServiceError::Refused(Refusal::SignInFailed));
        }
        let mut reserved = Vec::new();
        for account in &candidates {
            match self
                .reserve_try(account.id, &readings.key, client, now)
                .await
            {
                Ok(id) => reserved.push(id),
                Err(err) => {
                    for id in reserved {
                        sign_in_failures::forgive(&self.db, id).await?;
                    }
                    tracing::warn!(
                        event = "sign_in.failed",
                        account_id = account.id,
                        reason = "throttled"
                    );
                    return Err(err);
                }
            }
        }
        let mut matched = None;
        for account in &candidates {
            if self.hasher.verify(&account.password_hash, password).await? {
                matched = Some(account);
                break;
            }
        }
        let Some(account) = matched else {
            for account in &candidates {
                tracing::warn!(
                    event = "sign_in.failed",
                    account_id = account.id,
                    reason = "password"
                );
            }
            return Err(ServiceError::Refused(Refusal::SignInFailed));
        };
        for id in reserved {
            sign_in_failures::forgive(&self.db, id).await?;
        }

        self.refuse_without_consent(account).await?;
        let result = self.after_password(account, client, now).await?;
        if let SignInResult::Session(_) = result {
            // A right password with a second factor still to come forgives nothing yet.
            sign_in_failures::clear_account(&self.db, account.id).await?;
            tracing::info!(account_id = account.id, "signed in");
        }
        Ok(result)
    }

    async fn complete_sign_in(
        &self,
        challenge_token: &str,
        code: FactorCode,
        client: &ClientInfo,
    ) -> Result<NewSession, ServiceError> {
        let now = self.clock.now();
        let (mut tx, account) = self
            .verify_challenge(challenge_token, code, client, now)
            .await?;
        // The consent may have been revoked since the password step; dropping `tx` keeps the
        // code and the challenge unused.
        self.refuse_without_consent(&account).await?;
        let session = self
            .open_signed_in_session(&mut tx, account.id, client, now)
            .await?;
        tx.commit().await?;
        sign_in_failures::clear_account(&self.db, account.id).await?;
        tracing::info!(account_id = account.id, "signed in with a second factor");
        Ok(session)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn logins_are_read_every_way_they_can_be() {
        let email = read_login(" Anna@Mail.RU ");
        assert_eq!(email.email.as_deref(), Some("anna@mail.ru"));
        assert_eq!(email.key, "anna@mail.ru");

        let phone = read_login("+7 912 345-67-89");
        assert_eq!(phone.phone.as_deref(), Some("+79123456789"));
        assert_eq!(phone.snils, None);

        let snils = read_login("112-233-445 95");
        assert_eq!(snils.snils.as_deref(), Some("11223344595"));
        assert_eq!(snils.phone, None);

        // Eleven digits starting with 8 9…: a phone number, and a СНИЛС if the checksum fits.
        let both = read_login("89123456789");
        assert_eq!(both.phone.as_deref(), Some("+79123456789"));

        let nothing = read_login("anna");
        assert_eq!(
            nothing,
            LoginReadings {
                key: "anna".into(),
                ..Default::default()
            }
        );
    }

    #[test]
    fn waits_until_the_oldest_failure_leaves_the_window() {
        let now = datetime!(2026-11-25 09:30 UTC);
        let at_limit = Failures {
            count: ACCOUNT_LIMIT,
            oldest: Some(now - Duration::minutes(50)),
        };
        assert_eq!(
            wait_for(at_limit, ACCOUNT_LIMIT, ACCOUNT_WINDOW, now),
            Some(600)
        );
        let below = Failures {
            count: ACCOUNT_LIMIT - 1,
            oldest: Some(now),
        };
        assert_eq!(wait_for(below, ACCOUNT_LIMIT, ACCOUNT_WINDOW, now), None);
    }
}
