//! Confirming e-mail (single-use link, 24 hours) and phone (a six-digit code by
//! `domain::one_time_code::PHONE_CODE`'s rules).

use app::account::contacts::ContactService;
use app::account::contacts::wrong_code;
use app::account::{ContactStatus, PhoneCodeState};
use app::api::Refusal;
use app::api::{ServiceError, SignedInAccount};
use app::domain::format_ru_date;
use app::domain::one_time_code::{LastSent, PHONE_CODE, SendDecision, WrongCode};
use time::{Duration, OffsetDateTime};

use super::{AccountService, letters};
use crate::db::confirmations::{self, EmailLink, NewEmailLink, NewPhoneCode, PhoneCode, Purpose};
use crate::db::{StorageError, Tx, accounts};
use crate::secrets;

pub const EMAIL_LINK_LIFETIME: Duration = Duration::hours(24);

fn last_sent(latest: Option<&PhoneCode>) -> Option<LastSent> {
    latest.map(|code| LastSent {
        at: code.created_at,
        number: code.resend_streak.max(0) as u32,
    })
}

/// Whether another phone code may be sent after `latest`, by [`PHONE_CODE`]'s rules.
pub(super) fn next_phone_code(latest: Option<&PhoneCode>, now: OffsetDateTime) -> SendDecision {
    PHONE_CODE.next_send(last_sent(latest), now)
}

/// A wrong phone code's answer: the tries left, at the field, or the code is used up.
pub(crate) fn wrong_phone_code(outcome: WrongCode) -> ServiceError {
    match outcome {
        WrongCode::TriesLeft(left) => ServiceError::Invalid(vec![wrong_code(left)]),
        WrongCode::Exhausted => ServiceError::Refused(Refusal::CodeTriesExhausted),
    }
}

fn code_state(latest: Option<&PhoneCode>, now: OffsetDateTime) -> PhoneCodeState {
    let next = next_phone_code(latest, now);
    PhoneCodeState {
        resends_left: PHONE_CODE.resends_left(next),
        retry_after_seconds: match next {
            SendDecision::Wait { seconds } => Some(seconds),
            _ => None,
        },
    }
}

impl AccountService {
    /// Stores a new single-use link (retiring earlier ones for the same purpose) and queues the
    /// e-mail that carries it.
    pub(crate) async fn issue_email_link(
        &self,
        tx: &mut Tx,
        account: &accounts::StoredAccount,
        purpose: Purpose,
        now: OffsetDateTime,
    ) -> Result<(), StorageError> {
        let (token, token_hash) = secrets::new_token();
        confirmations::insert_email_link(
            tx,
            NewEmailLink {
                account_id: account.id,
                purpose,
                email: &account.email,
                token_hash: &token_hash,
                expires_at: now + EMAIL_LINK_LIFETIME,
            },
            now,
        )
        .await?;
        let letter = match purpose {
            Purpose::RecoverPassword => letters::recovery_link(
                account,
                &format!("{}/recover/email?token={token}", self.public_url),
            ),
            _ => letters::confirm_email(
                account,
                &format!("{}/account/email?token={token}", self.public_url),
            ),
        };
        self.outbox.enqueue(tx, &letter, now).await?;
        Ok(())
    }

    /// Stores a new code (which replaces earlier ones: only the newest counts) and queues the SMS.
    pub(crate) async fn issue_phone_code(
        &self,
        tx: &mut Tx,
        account: &accounts::StoredAccount,
        purpose: Purpose,
        resend_streak: i32,
        now: OffsetDateTime,
    ) -> Result<(), StorageError> {
        // A child's account made without a phone has nothing to send a code to; the callers
        // (confirmation, recovery, SMS factor) then simply have no code to accept.
        let Some(phone) = account.phone.as_deref() else {
            return Ok(());
        };
        let code = secrets::new_code();
        confirmations::insert_phone_code(
            tx,
            NewPhoneCode {
                account_id: account.id,
                purpose,
                phone,
                code_hash: &secrets::hash_code(account.id, &code),
                resend_streak,
                expires_at: PHONE_CODE.expires_at(now),
            },
            now,
        )
        .await?;
        self.outbox
            .enqueue(
                tx,
                &letters::phone_code(account, phone, purpose, &code),
                now,
            )
            .await?;
        Ok(())
    }

    /// Checks a code against the newest one for the purpose, without using it. A try is taken
    /// (and committed) before the comparison, so concurrent guesses cannot share one try; the
    /// code's id when it is right.
    pub(crate) async fn check_code(
        &self,
        account: &accounts::StoredAccount,
        purpose: Purpose,
        code: &str,
        now: OffsetDateTime,
    ) -> Result<i64, ServiceError> {
        let mut tx = self.db.begin().await?;
        let latest = confirmations::latest_phone_code(&mut tx, account.id, purpose)
            .await?
            .filter(|c| {
                account.phone.as_deref() == Some(c.phone.as_str())
                    && c.used_at.is_none()
                    && c.expires_at > now
            })
            .ok_or(ServiceError::Refused(Refusal::CodeExpired))?;
        drop(tx);
        let tries =
            confirmations::reserve_code_try(&self.db, latest.id, PHONE_CODE.wrong_tries as i32)
                .await?
                .ok_or(ServiceError::Refused(Refusal::CodeTriesExhausted))?;
        if !secrets::same_hash(&secrets::hash_code(account.id, code), &latest.code_hash) {
            return Err(wrong_phone_code(PHONE_CODE.after_wrong_try(tries as u32)));
        }
        Ok(latest.id)
    }

    /// [`check_code`](Self::check_code), then marks the code used and returns the still-open
    /// transaction, so the caller's change commits together with it.
    pub(crate) async fn use_code(
        &self,
        account: &accounts::StoredAccount,
        purpose: Purpose,
        code: &str,
        now: OffsetDateTime,
    ) -> Result<Tx, ServiceError> {
        let id = self.check_code(account, purpose, code, now).await?;
        let mut tx = self.db.begin().await?;
        if !confirmations::use_phone_code(&mut tx, id, now).await? {
            return Err(ServiceError::Refused(Refusal::CodeExpired));
        }
        Ok(tx)
    }

    /// Takes a single-use link: refuses unknown, used and expired ones; marks it used and returns
    /// the still-open transaction with the link.
    pub(super) async fn use_email_link(
        &self,
        token: &str,
        purpose: Purpose,
        now: OffsetDateTime,
    ) -> Result<(Tx, EmailLink), ServiceError> {
        let mut tx = self.db.begin().await?;
        let link = confirmations::email_link_by_hash(&mut tx, &secrets::hash_token(token))
            .await?
            .filter(|l| l.purpose == purpose.as_str())
            .ok_or(ServiceError::Refused(Refusal::LinkInvalid))?;
        if link.used_at.is_some() {
            return Err(ServiceError::Refused(Refusal::LinkUsed));
        }
        if link.expires_at <= now {
            return Err(ServiceError::Refused(Refusal::LinkExpired));
        }
        if !confirmations::use_email_link(&mut tx, link.id, now).await? {
            return Err(ServiceError::Refused(Refusal::LinkUsed));
        }
        Ok((tx, link))
    }

    pub(super) async fn account(
        &self,
        account: &SignedInAccount,
    ) -> Result<accounts::StoredAccount, ServiceError> {
        accounts::by_id(&self.db, account.account_id)
            .await?
            .ok_or(ServiceError::SignInRequired)
    }
}

#[async_trait::async_trait]
impl ContactService for AccountService {
    async fn contact_status(
        &self,
        signed_in: &SignedInAccount,
    ) -> Result<ContactStatus, ServiceError> {
        let account = self.account(signed_in).await?;
        let mut tx = self.db.begin().await?;
        let latest =
            confirmations::latest_phone_code(&mut tx, account.id, Purpose::ConfirmPhone).await?;
        drop(tx);
        let unfinished_until = crate::retention::removal_day(&account).map(format_ru_date);
        Ok(ContactStatus {
            phone: account.phone_text(),
            email: account.email,
            email_confirmed: account.email_confirmed_at.is_some(),
            phone_confirmed: account.phone_confirmed_at.is_some(),
            phone_code: code_state(latest.as_ref(), self.clock.now()),
            unfinished_until,
        })
    }

    async fn confirm_email(&self, token: &str) -> Result<(), ServiceError> {
        let now = self.clock.now();
        let (mut tx, link) = self
            .use_email_link(token, Purpose::ConfirmEmail, now)
            .await?;
        if !accounts::confirm_email(&mut tx, link.account_id, &link.email, now).await? {
            // The address changed since the link was sent, or is confirmed already.
            return Err(ServiceError::Refused(Refusal::LinkInvalid));
        }
        tx.commit().await?;
        tracing::info!(account_id = link.account_id, "e-mail confirmed");
        Ok(())
    }

    async fn resend_email_link(&self, signed_in: &SignedInAccount) -> Result<(), ServiceError> {
        let account = self.account(signed_in).await?;
        if account.email_confirmed_at.is_some() {
            return Err(ServiceError::Refused(Refusal::AlreadyConfirmed));
        }
        let now = self.clock.now();
        let mut tx = self.db.begin().await?;
        self.issue_email_link(&mut tx, &account, Purpose::ConfirmEmail, now)
            .await?;
        tx.commit().await?;
        self.outbox.wake();
        Ok(())
    }

    async fn confirm_phone(
        &self,
        signed_in: &SignedInAccount,
        code: &str,
    ) -> Result<(), ServiceError> {
        let account = self.account(signed_in).await?;
        if account.phone_confirmed_at.is_some() {
            return Err(ServiceError::Refused(Refusal::AlreadyConfirmed));
        }
        let now = self.clock.now();
        let mut tx = self
            .use_code(&account, Purpose::ConfirmPhone, code, now)
            .await?;
        let phone = account.phone.as_deref().unwrap_or_default();
        accounts::confirm_phone(&mut tx, account.id, phone, now).await?;
        tx.commit().await?;
        tracing::info!(account_id = account.id, "phone confirmed");
        Ok(())
    }

    async fn resend_phone_code(
        &self,
        signed_in: &SignedInAccount,
    ) -> Result<PhoneCodeState, ServiceError> {
        let account = self.account(signed_in).await?;
        if account.phone_confirmed_at.is_some() {
            return Err(ServiceError::Refused(Refusal::AlreadyConfirmed));
        }
        let now = self.clock.now();
        let mut tx = self.db.begin().await?;
        let latest =
            confirmations::latest_phone_code(&mut tx, account.id, Purpose::ConfirmPhone).await?;
        let streak = match next_phone_code(latest.as_ref(), now) {
            SendDecision::Allowed { number } => number as i32,
            SendDecision::Wait { seconds } => {
                return Err(ServiceError::Throttled {
                    retry_after_seconds: seconds,
                });
            }
            SendDecision::NoMore => return Err(ServiceError::Refused(Refusal::CodeTriesExhausted)),
        };
        self.issue_phone_code(&mut tx, &account, Purpose::ConfirmPhone, streak, now)
            .await?;
        let issued =
            confirmations::latest_phone_code(&mut tx, account.id, Purpose::ConfirmPhone).await?;
        tx.commit().await?;
        self.outbox.wake();
        Ok(code_state(issued.as_ref(), now))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    const NOW: OffsetDateTime = datetime!(2026-11-25 09:30 UTC);

    fn code(streak: i32, minutes_ago: i64) -> PhoneCode {
        PhoneCode {
            id: 1,
            phone: "+79123456789".into(),
            code_hash: String::new(),
            wrong_tries: 0,
            resend_streak: streak,
            created_at: NOW - Duration::minutes(minutes_ago),
            expires_at: NOW,
            used_at: None,
        }
    }

    #[test]
    fn the_stored_streak_is_the_series_number() {
        assert_eq!(
            next_phone_code(Some(&code(2, 0)), NOW),
            SendDecision::Allowed { number: 3 }
        );
        assert_eq!(
            next_phone_code(Some(&code(3, 1)), NOW),
            SendDecision::Wait { seconds: 240 }
        );
    }

    #[test]
    fn the_state_counts_resends_left() {
        assert_eq!(code_state(Some(&code(0, 0)), NOW).resends_left, 3);
        assert_eq!(code_state(Some(&code(2, 0)), NOW).resends_left, 1);
        let waiting = code_state(Some(&code(3, 0)), NOW);
        assert_eq!(waiting.resends_left, 0);
        assert_eq!(waiting.retry_after_seconds, Some(300));
    }
}
