//! «Регистрация»: one transaction creates the account, its confirmation link and code, the
//! messages that carry them, and the first session — or nothing at all.

use app::account::registration::RegistrationService;
use app::account::registration::fields;
use app::account::{AccountLevel, Registration, Role};
use app::api::FieldError;
use app::api::ServiceError;
use app::api::request::{ClientInfo, NewSession};

use super::{AccountService, letters};
use crate::db::accounts;
use crate::db::confirmations::Purpose;

fn taken_errors(taken: &accounts::Taken) -> Vec<FieldError> {
    let mut errors = Vec::new();
    if taken.snils {
        errors.push(FieldError::new(
            fields::SNILS,
            "snils.taken",
            "Учётная запись с этим СНИЛС уже есть. Войдите в неё или восстановите пароль",
        ));
    }
    if taken.phone {
        errors.push(FieldError::new(
            fields::PHONE,
            "phone.taken",
            "Этот номер уже используется в другой учётной записи. Укажите другой номер",
        ));
    }
    if taken.email {
        errors.push(FieldError::new(
            fields::EMAIL,
            "email.taken",
            "Этот адрес уже используется в другой учётной записи. Укажите другой адрес",
        ));
    }
    errors
}

#[async_trait::async_trait]
impl RegistrationService for AccountService {
    async fn register(
        &self,
        registration: Registration,
        client: &ClientInfo,
    ) -> Result<NewSession, ServiceError> {
        // The slow part first, outside the transaction, so the single SQLite writer is never held
        // while argon2 runs.
        let password_hash = self.hasher.hash(registration.password.expose()).await?;
        let now = self.clock.now();
        let snils = registration.snils.digits();
        let email = registration.email.key();
        let phone = registration.phone.e164();

        let mut tx = self.db.begin().await?;
        let taken = accounts::taken(&mut tx, &snils, &email, &phone).await?;
        let refused = taken_errors(&taken);
        if !refused.is_empty() {
            return Err(ServiceError::Invalid(refused));
        }
        let new_account = accounts::NewAccount {
            registration: &registration,
            password_hash: &password_hash,
            role: Role::Citizen,
            level: AccountLevel::Simplified,
            contacts_confirmed_at: None,
        };
        let account_id = match accounts::insert(&mut tx, new_account, now).await {
            Ok(id) => id,
            // Another registration with the same contacts committed between our check and insert.
            Err(e) if e.is_unique_violation() => {
                return Err(ServiceError::Invalid(taken_errors(&accounts::Taken {
                    snils: true,
                    email: true,
                    phone: true,
                })));
            }
            Err(e) => return Err(e.into()),
        };
        let account = accounts::by_id_in(&mut tx, account_id)
            .await?
            .ok_or_else(|| ServiceError::unexpected("the new account vanished"))?;
        self.issue_email_link(&mut tx, &account, Purpose::ConfirmEmail, now)
            .await?;
        self.issue_phone_code(&mut tx, &account, Purpose::ConfirmPhone, 0, now)
            .await?;
        self.outbox
            .enqueue(&mut tx, &letters::welcome(account_id), now)
            .await?;
        let session = self.open_session(&mut tx, account_id, client, now).await?;
        tx.commit().await?;
        self.outbox.wake();
        tracing::info!(account_id, "account registered");
        Ok(session)
    }
}
