//! The second step of sign-in (and of re-authentication): a challenge opened after the right
//! password, completed by a code from the authenticator app or SMS, or by a backup code. Ten
//! minutes and five tries per challenge; every try also counts toward the account's failure
//! ceiling (both taken before the comparison), so new challenges do not buy new guesses.

use app::account::second_factor::{FactorCode, SecondFactor, fields};
use app::account::sign_in::SignInResult;
use app::api::ServiceError;
use app::api::request::ClientInfo;
use app::api::{FieldError, Refusal};
use app::domain::one_time_code::{SIGN_IN_CHALLENGE, SendDecision, WrongCode};
use time::OffsetDateTime;

use super::AccountService;
use super::contacts::next_phone_code;
use super::second_factor::{totp, totp_step};
use crate::db::accounts::{self, StoredAccount};
use crate::db::confirmations::{self, Purpose};
use crate::db::second_factor as factor_db;
use crate::db::{StorageError, Tx, sign_in_failures};
use crate::secrets;

impl AccountService {
    /// After a right password: a session, or a challenge for the second factor (and for SMS,
    /// the code).
    pub(super) async fn after_password(
        &self,
        account: &StoredAccount,
        client: &ClientInfo,
        now: OffsetDateTime,
    ) -> Result<SignInResult, ServiceError> {
        let factor = account.second_factor;
        let mut tx = self.db.begin().await?;
        let result = if factor == SecondFactor::None {
            let session = self
                .open_signed_in_session(&mut tx, account.id, client, now)
                .await?;
            SignInResult::Session(session)
        } else {
            self.open_challenge(&mut tx, account, factor, client, now)
                .await?
        };
        tx.commit().await?;
        self.outbox.wake();
        Ok(result)
    }

    /// A pending second step: the challenge row, and for SMS the code.
    pub(super) async fn open_challenge(
        &self,
        tx: &mut Tx,
        account: &StoredAccount,
        factor: SecondFactor,
        client: &ClientInfo,
        now: OffsetDateTime,
    ) -> Result<SignInResult, StorageError> {
        let (token, token_hash) = secrets::new_token();
        factor_db::insert_challenge(
            tx,
            &token_hash,
            account.id,
            &client.user_agent,
            now,
            SIGN_IN_CHALLENGE.expires_at(now),
        )
        .await?;
        if factor == SecondFactor::Sms {
            let latest = confirmations::latest_phone_code(tx, account.id, Purpose::SignIn).await?;
            // In a cooldown the code sent last is still the one to type.
            if let SendDecision::Allowed { number } = next_phone_code(latest.as_ref(), now) {
                self.issue_phone_code(tx, account, Purpose::SignIn, number as i32, now)
                    .await?;
            }
        }
        Ok(SignInResult::Challenge {
            token,
            max_age_seconds: SIGN_IN_CHALLENGE.lifetime.whole_seconds(),
            factor,
        })
    }

    /// Checks the second-factor code of a pending challenge. A wrong code is counted against
    /// the challenge and the account's failure ceiling; a right one marks the challenge used and
    /// returns the still-open transaction, so what it unlocks commits together with it.
    pub(super) async fn verify_challenge(
        &self,
        challenge_token: &str,
        code: FactorCode,
        client: &ClientInfo,
        now: OffsetDateTime,
    ) -> Result<(Tx, StoredAccount), ServiceError> {
        let expired = ServiceError::Refused(Refusal::ChallengeExpired);
        let challenge =
            factor_db::challenge_by_hash(&self.db, &secrets::hash_token(challenge_token))
                .await?
                .filter(|c| {
                    c.used_at.is_none()
                        && c.expires_at > now
                        && c.wrong_tries < SIGN_IN_CHALLENGE.wrong_tries as i32
                })
                .ok_or(expired)?;
        let account = accounts::by_id(&self.db, challenge.account_id)
            .await?
            .ok_or(ServiceError::Refused(Refusal::ChallengeExpired))?;
        // The challenge's try and the account's are both taken before any comparison, so
        // concurrent guesses get no more comparisons than the limits allow.
        let tries = factor_db::reserve_challenge_try(
            &self.db,
            challenge.id,
            SIGN_IN_CHALLENGE.wrong_tries as i32,
            now,
        )
        .await?
        .ok_or(ServiceError::Refused(Refusal::ChallengeExpired))?;
        let reserved = self
            .reserve_try(account.id, &account.email, client, now)
            .await?;

        let verified: Result<Tx, ServiceError> = match (&code, account.second_factor) {
            (FactorCode::Backup(code), _) => {
                let mut tx = self.db.begin().await?;
                let hash = secrets::hash_code(account.id, code);
                if factor_db::use_backup_code(&mut tx, account.id, &hash, now).await? {
                    Ok(tx)
                } else {
                    Err(ServiceError::Invalid(Vec::new()))
                }
            }
            (FactorCode::OneTime(code), SecondFactor::Totp) => {
                let stored = account
                    .totp_secret
                    .as_deref()
                    .ok_or_else(|| ServiceError::unexpected("a TOTP account without a secret"))?;
                let secret = self.open_totp_secret(stored)?;
                let totp = totp(&secret, &account.email)?;
                let mut tx = self.db.begin().await?;
                match totp_step(&totp, code, now, account.totp_last_step) {
                    Some(step)
                        if factor_db::advance_totp_step(&mut tx, account.id, step).await? =>
                    {
                        Ok(tx)
                    }
                    _ => Err(ServiceError::Invalid(Vec::new())),
                }
            }
            (FactorCode::OneTime(code), SecondFactor::Sms) => {
                self.use_code(&account, Purpose::SignIn, code, now).await
            }
            _ => Err(ServiceError::Invalid(Vec::new())),
        };
        let mut tx = match verified {
            Ok(tx) => tx,
            Err(
                ServiceError::Invalid(_)
                | ServiceError::Refused(Refusal::CodeTriesExhausted | Refusal::CodeExpired),
            ) => {
                tracing::warn!(
                    event = "sign_in.failed",
                    account_id = account.id,
                    reason = "second_factor"
                );
                return Err(match SIGN_IN_CHALLENGE.after_wrong_try(tries as u32) {
                    WrongCode::TriesLeft(left) => ServiceError::Invalid(vec![FieldError::new(
                        fields::CODE,
                        "code.wrong",
                        &format!("Неверный код. Осталось попыток: {left}"),
                    )]),
                    WrongCode::Exhausted => ServiceError::Refused(Refusal::ChallengeExpired),
                });
            }
            Err(other) => {
                sign_in_failures::forgive(&self.db, reserved).await?;
                return Err(other);
            }
        };
        // In the open transaction: SQLite's one writer connection is held by it.
        sign_in_failures::forgive_in(&mut tx, reserved).await?;
        if !factor_db::use_challenge(&mut tx, challenge.id, now).await? {
            return Err(ServiceError::Refused(Refusal::ChallengeExpired));
        }
        Ok((tx, account))
    }
}
