//! Accounts: who a person is, how to reach them and their password hash.

use sqlx::FromRow;
use time::{Date, OffsetDateTime};

use app::account::second_factor::SecondFactor;
use app::account::{AccountLevel, Registration, Role};
use app::domain::{AgeGroup, full_years, moscow_today};

use super::codes::Code;
use super::{Access, Database, StorageError, Tx};
use crate::{on_pool, on_tx, pool_execute, tx_execute};

#[derive(Debug, Clone, FromRow)]
pub struct StoredAccount {
    pub id: i64,
    #[sqlx(try_from = "Code<Role>")]
    pub role: Role,
    #[sqlx(try_from = "Code<AccountLevel>")]
    pub level: AccountLevel,
    pub last_name: String,
    pub first_name: String,
    pub middle_name: Option<String>,
    pub birth_date: Date,
    pub snils: String,
    pub email: String,
    pub email_confirmed_at: Option<OffsetDateTime>,
    /// None only for a child's account created without a phone («Пропустить»).
    pub phone: Option<String>,
    pub phone_confirmed_at: Option<OffsetDateTime>,
    pub password_hash: String,
    #[sqlx(try_from = "Code<SecondFactor>")]
    pub second_factor: SecondFactor,
    pub totp_secret: Option<String>,
    pub totp_pending_secret: Option<String>,
    pub totp_last_step: Option<i64>,
    #[sqlx(try_from = "Code<AgeGroup>")]
    pub age_group: AgeGroup,
    pub registration_address: Option<String>,
    pub created_at: OffsetDateTime,
    /// When both contacts were first confirmed; None while the registration is unfinished.
    pub registered_at: Option<OffsetDateTime>,
}

impl StoredAccount {
    /// «+7 912 345-67-89», or empty when the account has no phone.
    pub fn phone_text(&self) -> String {
        self.phone
            .as_deref()
            .map(|p| {
                app::domain::Phone::parse(p)
                    .map(|p| p.to_string())
                    .unwrap_or_else(|_| p.to_owned())
            })
            .unwrap_or_default()
    }
}

const COLUMNS: &str = "id, role, level, last_name, first_name, middle_name, birth_date, snils, \
                       email, email_confirmed_at, phone, phone_confirmed_at, password_hash, \
                       second_factor, totp_secret, totp_pending_secret, totp_last_step, \
                       age_group, registration_address, created_at, registered_at";

/// Which of the unique contacts are already taken by some account.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Taken {
    pub snils: bool,
    pub email: bool,
    pub phone: bool,
}

pub async fn taken(
    tx: &mut Tx,
    snils: &str,
    email: &str,
    phone: &str,
) -> Result<Taken, StorageError> {
    const SQL: &str = "SELECT snils, email, phone FROM accounts \
                       WHERE snils = $1 OR email = $2 OR phone = $3";
    let rows: Vec<(String, String, Option<String>)> = on_tx!(tx, |conn| {
        sqlx::query_as(SQL)
            .bind(snils)
            .bind(email)
            .bind(phone)
            .fetch_all(conn)
            .await
    })?;
    Ok(Taken {
        snils: rows.iter().any(|r| r.0 == snils),
        email: rows.iter().any(|r| r.1 == email),
        phone: rows.iter().any(|r| r.2.as_deref() == Some(phone)),
    })
}

/// A new account. Citizens register themselves (contacts unconfirmed, level simplified);
/// administrators create officers with everything confirmed.
pub struct NewAccount<'a> {
    pub registration: &'a Registration,
    pub password_hash: &'a str,
    pub role: Role,
    pub level: AccountLevel,
    /// Set when the contacts are known to be right (created by an administrator).
    pub contacts_confirmed_at: Option<OffsetDateTime>,
}

pub async fn insert(
    tx: &mut Tx,
    account: NewAccount<'_>,
    at: OffsetDateTime,
) -> Result<i64, StorageError> {
    const SQL: &str = "INSERT INTO accounts (role, level, last_name, first_name, middle_name, \
                       birth_date, snils, email, email_confirmed_at, phone, phone_confirmed_at, \
                       password_hash, consent_at, created_at, age_group, registered_at) \
                       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $9, $11, $12, $12, $13, \
                       $9) \
                       RETURNING id";
    let r = account.registration;
    // A 14–17-year-old registering on their own gets a teen's account.
    let age_group = AgeGroup::of_age(full_years(r.birth_date, moscow_today(at)));
    let id = on_tx!(tx, |conn| {
        sqlx::query_scalar::<_, i64>(SQL)
            .bind(account.role.as_str())
            .bind(account.level.as_str())
            .bind(r.last_name.as_str())
            .bind(r.first_name.as_str())
            .bind(r.middle_name.as_ref().map(|n| n.as_str()))
            .bind(r.birth_date)
            .bind(r.snils.digits())
            .bind(r.email.key())
            .bind(account.contacts_confirmed_at)
            .bind(r.phone.e164())
            .bind(account.password_hash)
            .bind(at)
            .bind(age_group.as_str())
            .fetch_one(conn)
            .await
    })?;
    Ok(id)
}

/// A child's account made by a parent: contacts confirmed in the wizard, level «стандартная»
/// (the certificate and СНИЛС are confirmed by the registries).
pub struct NewChildAccount<'a> {
    pub last_name: &'a str,
    pub first_name: &'a str,
    pub middle_name: Option<&'a str>,
    pub birth_date: time::Date,
    pub snils: &'a str,
    pub email: &'a str,
    pub phone: Option<&'a str>,
    pub password_hash: &'a str,
    pub birth_place: &'a str,
    pub registration_address: &'a str,
    /// When the parent ticked «Даю согласие на использование персональных данных…».
    pub consent_at: OffsetDateTime,
}

pub async fn insert_child(
    tx: &mut Tx,
    child: NewChildAccount<'_>,
    at: OffsetDateTime,
) -> Result<i64, StorageError> {
    const SQL: &str = "INSERT INTO accounts (role, level, age_group, last_name, first_name, \
                       middle_name, birth_date, snils, email, email_confirmed_at, phone, \
                       phone_confirmed_at, password_hash, consent_at, created_at, birth_place, \
                       registration_address, registered_at) \
                       VALUES ('citizen', $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, \
                       $9, $14, $15, $9) RETURNING id";
    let id = on_tx!(tx, |conn| {
        sqlx::query_scalar::<_, i64>(SQL)
            .bind(AccountLevel::Standard.as_str())
            .bind(AgeGroup::Child.as_str())
            .bind(child.last_name)
            .bind(child.first_name)
            .bind(child.middle_name)
            .bind(child.birth_date)
            .bind(child.snils)
            .bind(child.email)
            .bind(at)
            .bind(child.phone)
            .bind(child.phone.map(|_| at))
            .bind(child.password_hash)
            .bind(child.consent_at)
            .bind(child.birth_place)
            .bind(child.registration_address)
            .fetch_one(conn)
            .await
    })?;
    Ok(id)
}

/// Reads an account inside a transaction (sees what the transaction wrote).
pub async fn by_id_in(tx: &mut Tx, id: i64) -> Result<Option<StoredAccount>, StorageError> {
    let sql = format!("SELECT {COLUMNS} FROM accounts WHERE id = $1");
    let row = on_tx!(tx, |conn| {
        sqlx::query_as::<_, StoredAccount>(sqlx::AssertSqlSafe(sql))
            .bind(id)
            .fetch_optional(conn)
            .await
    })?;
    Ok(row)
}

pub async fn by_id(db: &Database, id: i64) -> Result<Option<StoredAccount>, StorageError> {
    let sql = format!("SELECT {COLUMNS} FROM accounts WHERE id = $1");
    let row = on_pool!(db, Access::Read, |pool| {
        sqlx::query_as::<_, StoredAccount>(sqlx::AssertSqlSafe(sql))
            .bind(id)
            .fetch_optional(pool)
            .await
    })?;
    Ok(row)
}

/// Accounts whose phone, e-mail or СНИЛС equals one of the given values (a login may be read
/// more than one way: 11 digits can be a phone number or a СНИЛС).
pub async fn by_login(
    db: &Database,
    phone: Option<&str>,
    email: Option<&str>,
    snils: Option<&str>,
) -> Result<Vec<StoredAccount>, StorageError> {
    let sql = format!(
        "SELECT {COLUMNS} FROM accounts WHERE phone = $1 OR email = $2 OR snils = $3 ORDER BY id"
    );
    let rows = on_pool!(db, Access::Read, |pool| {
        sqlx::query_as::<_, StoredAccount>(sqlx::AssertSqlSafe(sql))
            .bind(phone)
            .bind(email)
            .bind(snils)
            .fetch_all(pool)
            .await
    })?;
    Ok(rows)
}

pub async fn confirm_email(
    tx: &mut Tx,
    account_id: i64,
    email: &str,
    at: OffsetDateTime,
) -> Result<bool, StorageError> {
    const SQL: &str = "UPDATE accounts SET email_confirmed_at = $3, \
                       registered_at = COALESCE(registered_at, \
                           CASE WHEN phone_confirmed_at IS NOT NULL THEN $3 END) \
                       WHERE id = $1 AND email = $2 AND email_confirmed_at IS NULL";
    let done = tx_execute!(tx, SQL, account_id, email, at)?;
    Ok(done == 1)
}

pub async fn confirm_phone(
    tx: &mut Tx,
    account_id: i64,
    phone: &str,
    at: OffsetDateTime,
) -> Result<bool, StorageError> {
    const SQL: &str = "UPDATE accounts SET phone_confirmed_at = $3, \
                       registered_at = COALESCE(registered_at, \
                           CASE WHEN email_confirmed_at IS NOT NULL THEN $3 END) \
                       WHERE id = $1 AND phone = $2 AND phone_confirmed_at IS NULL";
    let done = tx_execute!(tx, SQL, account_id, phone, at)?;
    Ok(done == 1)
}

/// For the administrator's `confirm-account` and, later, the registry checks.
pub async fn set_level(
    db: &Database,
    account_id: i64,
    level: AccountLevel,
) -> Result<bool, StorageError> {
    const SQL: &str = "UPDATE accounts SET level = $2 WHERE id = $1";
    let done = pool_execute!(db, SQL, account_id, level.as_str())?;
    Ok(done == 1)
}

pub async fn set_password(
    tx: &mut Tx,
    account_id: i64,
    password_hash: &str,
) -> Result<(), StorageError> {
    const SQL: &str = "UPDATE accounts SET password_hash = $2 WHERE id = $1";
    tx_execute!(tx, SQL, account_id, password_hash)?;
    Ok(())
}

/// A new e-mail address, unconfirmed until its link is used.
pub async fn set_email(tx: &mut Tx, account_id: i64, email: &str) -> Result<(), StorageError> {
    const SQL: &str = "UPDATE accounts SET email = $2, email_confirmed_at = NULL WHERE id = $1";
    tx_execute!(tx, SQL, account_id, email)?;
    Ok(())
}

/// A new phone number (E.164), unconfirmed until its code is entered.
pub async fn set_phone(tx: &mut Tx, account_id: i64, phone: &str) -> Result<(), StorageError> {
    const SQL: &str = "UPDATE accounts SET phone = $2, phone_confirmed_at = NULL WHERE id = $1";
    tx_execute!(tx, SQL, account_id, phone)?;
    Ok(())
}

/// Removes an account; what hangs on it goes too (sessions, links, consents: ON DELETE CASCADE).
pub async fn delete(tx: &mut Tx, account_id: i64) -> Result<(), StorageError> {
    tx_execute!(tx, "DELETE FROM accounts WHERE id = $1", account_id)?;
    Ok(())
}

pub async fn set_registration_address(
    db: &Database,
    account_id: i64,
    address: &str,
) -> Result<(), StorageError> {
    const SQL: &str = "UPDATE accounts SET registration_address = $2 WHERE id = $1";
    pool_execute!(db, SQL, account_id, address)?;
    Ok(())
}
