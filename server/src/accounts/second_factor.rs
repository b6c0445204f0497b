//! The second factor: TOTP (authenticator app), SMS codes, backup codes, and the second step of
//! sign-in. Turning a factor on or off is a privilege change: the session gets a new id and the
//! user is told on e-mail and phone.

use app::account::second_factor::SecondFactorService;
use app::account::second_factor::{
    BACKUP_ALPHABET, BACKUP_CODE_LENGTH, BACKUP_CODES, SecondFactor, TotpSetup, fields,
};
use app::api::request::{ClientInfo, NewSession};
use app::api::{FieldError, Refusal};
use app::api::{ServiceError, SignedInAccount};
use base64::Engine;
use rand::Rng;
use time::OffsetDateTime;
use totp_rs::{Algorithm, Secret, TOTP};

use super::{AccountService, letters};
use crate::db::accounts::StoredAccount;
use crate::db::second_factor as factor_db;
use crate::db::sign_in_failures;
use crate::db::{StorageError, Tx, sessions};
use crate::secrets;

const TOTP_STEP: u64 = 30;
const ISSUER: &str = "Госуслуги Семья и дети";

pub(super) fn totp(secret_base32: &str, account_name: &str) -> Result<TOTP, ServiceError> {
    let bytes = Secret::Encoded(secret_base32.to_owned())
        .to_bytes()
        .map_err(|e| ServiceError::unexpected(format!("stored TOTP secret: {e:?}")))?;
    TOTP::new(
        Algorithm::SHA1,
        6,
        1,
        TOTP_STEP,
        bytes,
        Some(ISSUER.to_owned()),
        account_name.to_owned(),
    )
    .map_err(|e| ServiceError::unexpected(format!("TOTP: {e}")))
}

/// The 30-second step a code belongs to, if it is right for the current step or one either side
/// (clocks of phones drift) and newer than the last accepted one.
pub(super) fn totp_step(
    totp: &TOTP,
    code: &str,
    now: OffsetDateTime,
    last_step: Option<i64>,
) -> Option<i64> {
    let current = now.unix_timestamp().max(0) / TOTP_STEP as i64;
    (current - 1..=current + 1)
        .filter(|step| last_step.is_none_or(|last| *step > last))
        .find(|step| secrets::same_hash(&totp.generate(*step as u64 * TOTP_STEP), code))
}

fn new_backup_code() -> String {
    let mut rng = rand::rng();
    (0..BACKUP_CODE_LENGTH)
        .map(|_| BACKUP_ALPHABET[rng.random_range(0..BACKUP_ALPHABET.len())] as char)
        .collect()
}

/// «ABCDE-FGHJK», as printed for the user.
fn show_backup_code(code: &str) -> String {
    format!("{}-{}", &code[..5], &code[5..])
}

fn wrong_password(field: &'static str) -> ServiceError {
    ServiceError::Invalid(vec![FieldError::new(
        field,
        &format!("{field}.wrong"),
        "Пароль введён неверно",
    )])
}

impl AccountService {
    /// Checks the account's password for a sensitive operation: the same ceiling and counting
    /// as sign-in (the try is counted before the comparison), so this is no side door for
    /// guessing.
    pub(super) async fn check_password_of(
        &self,
        account: &StoredAccount,
        password: &str,
        client: &ClientInfo,
        field: &'static str,
    ) -> Result<(), ServiceError> {
        let now = self.clock.now();
        let reserved = self
            .reserve_try(account.id, &account.email, client, now)
            .await?;
        if self.hasher.verify(&account.password_hash, password).await? {
            sign_in_failures::forgive(&self.db, reserved).await?;
            return Ok(());
        }
        tracing::warn!(
            event = "sign_in.failed",
            account_id = account.id,
            reason = "password_again"
        );
        Err(wrong_password(field))
    }

    /// The base32 secret of a stored (sealed) value. One that does not open — changed in the
    /// database or sealed with another `TOTP_KEY` — is a server fault, never an empty secret.
    pub(super) fn open_totp_secret(&self, stored: &str) -> Result<String, ServiceError> {
        self.totp_box.open(stored).map_err(|e| {
            tracing::error!(event = "totp_secret.unreadable", error = %e);
            ServiceError::unexpected(format!("stored TOTP secret: {e}"))
        })
    }

    /// A new authenticator app is set up only in a session that proved the password (and the
    /// current factor) in the last ten minutes: a stolen session cannot bind its own app.
    fn require_reauth(&self, signed_in: &SignedInAccount) -> Result<(), ServiceError> {
        if signed_in.recently_reauthenticated(self.clock.now()) {
            Ok(())
        } else {
            Err(ServiceError::Refused(Refusal::ReauthRequired))
        }
    }

    /// Writes a new set of backup codes in the transaction and returns them for showing once.
    async fn issue_backup_codes(
        &self,
        tx: &mut Tx,
        account_id: i64,
        now: OffsetDateTime,
    ) -> Result<Vec<String>, StorageError> {
        let codes: Vec<String> = (0..BACKUP_CODES).map(|_| new_backup_code()).collect();
        let hashes: Vec<String> = codes
            .iter()
            .map(|c| secrets::hash_code(account_id, c))
            .collect();
        factor_db::replace_backup_codes(tx, account_id, &hashes, now).await?;
        Ok(codes.iter().map(|c| show_backup_code(c)).collect())
    }

    /// Ends the current session and opens another: a new id after a privilege change.
    pub(super) async fn rotate_session(
        &self,
        tx: &mut Tx,
        signed_in: &SignedInAccount,
        user_agent: &str,
        now: OffsetDateTime,
    ) -> Result<NewSession, StorageError> {
        sessions::end_by_id(tx, signed_in.session_id, now).await?;
        let client = ClientInfo {
            address: String::new(),
            user_agent: user_agent.to_owned(),
            device: String::new(),
        };
        self.open_session(tx, signed_in.account_id, &client, now)
            .await
    }

    /// A changed factor ends every other session of the account: one opened with the old factor
    /// (or by whoever stole it) must prove the new one.
    async fn end_other_sessions(
        &self,
        tx: &mut Tx,
        account_id: i64,
        kept: &NewSession,
        now: OffsetDateTime,
    ) -> Result<(), StorageError> {
        let kept = sessions::id_by_hash(tx, &secrets::hash_token(&kept.token)).await?;
        sessions::end_all(tx, account_id, kept, now).await?;
        Ok(())
    }

    async fn announce(
        &self,
        tx: &mut Tx,
        account: &StoredAccount,
        what: &str,
        now: OffsetDateTime,
    ) -> Result<(), StorageError> {
        for message in letters::security_change(account, what, now) {
            self.outbox.enqueue(tx, &message, now).await?;
        }
        Ok(())
    }

    /// Makes `factor` the account's way to sign in, in one transaction: new backup codes (none
    /// when the factor is switched off), a notice on e-mail and phone, and a new session id — a
    /// privilege change. `totp` is the confirmed secret and the step its first code was for.
    async fn switch_factor(
        &self,
        signed_in: &SignedInAccount,
        account: &StoredAccount,
        factor: SecondFactor,
        totp: Option<(&str, i64)>,
        what: &str,
        client: &ClientInfo,
    ) -> Result<(Vec<String>, NewSession), ServiceError> {
        let now = self.clock.now();
        let mut tx = self.db.begin().await?;
        let (secret, step) = totp.map_or((None, None), |(s, step)| {
            (Some(self.totp_box.seal(s)), Some(step))
        });
        factor_db::set_factor(
            &mut tx,
            account.id,
            factor.as_str(),
            secret.as_deref(),
            step,
        )
        .await?;
        let codes = if factor == SecondFactor::None {
            factor_db::replace_backup_codes(&mut tx, account.id, &[], now).await?;
            Vec::new()
        } else {
            self.issue_backup_codes(&mut tx, account.id, now).await?
        };
        self.announce(&mut tx, account, what, now).await?;
        let session = self
            .rotate_session(&mut tx, signed_in, &client.user_agent, now)
            .await?;
        self.end_other_sessions(&mut tx, account.id, &session, now)
            .await?;
        tx.commit().await?;
        self.outbox.wake();
        tracing::warn!(
            event = "second_factor.changed",
            account_id = account.id,
            factor = factor.as_str()
        );
        Ok((codes, session))
    }
}

#[async_trait::async_trait]
impl SecondFactorService for AccountService {
    async fn begin_totp(&self, signed_in: &SignedInAccount) -> Result<TotpSetup, ServiceError> {
        self.require_reauth(signed_in)?;
        let account = self.account(signed_in).await?;
        let secret = match Secret::generate_secret().to_encoded() {
            Secret::Encoded(text) => text,
            Secret::Raw(_) => return Err(ServiceError::unexpected("TOTP secret encoding")),
        };
        let totp = totp(&secret, &account.email)?;
        let svg = qrcode::QrCode::new(totp.get_url().as_bytes())
            .map_err(|e| ServiceError::unexpected(format!("QR code: {e}")))?
            .render::<qrcode::render::svg::Color>()
            .min_dimensions(220, 220)
            .build();
        factor_db::set_pending_totp(&self.db, account.id, &self.totp_box.seal(&secret)).await?;
        let grouped = secret
            .as_bytes()
            .chunks(4)
            .map(|c| String::from_utf8_lossy(c).into_owned())
            .collect::<Vec<_>>()
            .join(" ");
        Ok(TotpSetup {
            qr_code: format!(
                "data:image/svg+xml;base64,{}",
                base64::engine::general_purpose::STANDARD.encode(svg)
            ),
            secret: grouped,
        })
    }

    async fn confirm_totp(
        &self,
        signed_in: &SignedInAccount,
        code: &str,
        client: &ClientInfo,
    ) -> Result<(Vec<String>, NewSession), ServiceError> {
        self.require_reauth(signed_in)?;
        let account = self.account(signed_in).await?;
        let now = self.clock.now();
        let wrong = || {
            ServiceError::Invalid(vec![FieldError::new(
                fields::CODE,
                "code.wrong",
                "Код не подошёл. Проверьте время на телефоне и введите код, который показывает приложение сейчас",
            )])
        };
        let sealed = account.totp_pending_secret.as_deref().ok_or_else(wrong)?;
        let pending = self.open_totp_secret(sealed)?;
        let step =
            totp_step(&totp(&pending, &account.email)?, code, now, None).ok_or_else(wrong)?;
        self.switch_factor(
            signed_in,
            &account,
            SecondFactor::Totp,
            Some((&pending, step)),
            "Включён вход с кодом из приложения-аутентификатора",
            client,
        )
        .await
    }

    async fn enable_sms_factor(
        &self,
        signed_in: &SignedInAccount,
        password: &str,
        client: &ClientInfo,
    ) -> Result<(Vec<String>, NewSession), ServiceError> {
        let account = self.account(signed_in).await?;
        self.check_password_of(&account, password, client, fields::PASSWORD)
            .await?;
        if account.phone_confirmed_at.is_none() {
            return Err(ServiceError::Refused(Refusal::PhoneNotConfirmed));
        }
        self.switch_factor(
            signed_in,
            &account,
            SecondFactor::Sms,
            None,
            "Включён вход с кодом из СМС",
            client,
        )
        .await
    }

    async fn disable_second_factor(
        &self,
        signed_in: &SignedInAccount,
        password: &str,
        client: &ClientInfo,
    ) -> Result<NewSession, ServiceError> {
        let account = self.account(signed_in).await?;
        self.check_password_of(&account, password, client, fields::PASSWORD)
            .await?;
        let (_, session) = self
            .switch_factor(
                signed_in,
                &account,
                SecondFactor::None,
                None,
                "Вход с подтверждением отключён — теперь для входа нужен только пароль",
                client,
            )
            .await?;
        Ok(session)
    }

    async fn new_backup_codes(
        &self,
        signed_in: &SignedInAccount,
        password: &str,
        client: &ClientInfo,
    ) -> Result<Vec<String>, ServiceError> {
        let account = self.account(signed_in).await?;
        self.check_password_of(&account, password, client, fields::PASSWORD)
            .await?;
        let now = self.clock.now();
        let mut tx = self.db.begin().await?;
        let codes = self.issue_backup_codes(&mut tx, account.id, now).await?;
        self.announce(
            &mut tx,
            &account,
            "Созданы новые резервные ключи, прежние больше не действуют",
            now,
        )
        .await?;
        // New backup codes change the factor too: only this session stays.
        sessions::end_all(&mut tx, account.id, Some(signed_in.session_id), now).await?;
        tx.commit().await?;
        self.outbox.wake();
        tracing::warn!(
            event = "second_factor.changed",
            account_id = account.id,
            factor = "backup_codes"
        );
        Ok(codes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn totp_codes_work_for_one_step_either_side_and_only_once() {
        let secret = match Secret::generate_secret().to_encoded() {
            Secret::Encoded(s) => s,
            Secret::Raw(_) => unreachable!(),
        };
        let totp = totp(&secret, "anna@mail.ru").unwrap();
        let now = datetime!(2026-11-25 09:30:10 UTC);
        let step = now.unix_timestamp() / 30;
        let code_now = totp.generate(step as u64 * 30);
        let code_before = totp.generate((step - 1) as u64 * 30);
        let code_old = totp.generate((step - 3) as u64 * 30);
        assert_eq!(totp_step(&totp, &code_now, now, None), Some(step));
        assert_eq!(totp_step(&totp, &code_before, now, None), Some(step - 1));
        assert_eq!(
            totp_step(&totp, &code_old, now, None).filter(|s| *s == step - 3),
            None
        );
        // Replay of the code just accepted.
        assert_eq!(totp_step(&totp, &code_now, now, Some(step)), None);
    }

    #[test]
    fn backup_codes_use_the_unambiguous_alphabet() {
        let code = new_backup_code();
        assert_eq!(code.len(), BACKUP_CODE_LENGTH);
        assert!(code.bytes().all(|b| BACKUP_ALPHABET.contains(&b)));
        assert_eq!(show_backup_code("ABCDEFGHJK"), "ABCDE-FGHJK");
    }
}
