//! «Регистрация»: the form's rules, shared by the browser (checks as the user types) and the
//! server (the same checks before anything is written).

use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use time::Date;

use crate::api::{ApiError, FieldError};
#[cfg(feature = "ssr")]
use crate::api::{
    ServiceError,
    request::{ClientInfo, NewSession},
};
use crate::domain::{Email, Password, PersonName, Phone, Snils, full_years, parse_ru_date};
use crate::{field_checks, messages};

/// Field ids: the input ids on the page and the `field` of each [`FieldError`].
pub mod fields {
    pub const LAST_NAME: &str = "last_name";
    pub const FIRST_NAME: &str = "first_name";
    pub const MIDDLE_NAME: &str = "middle_name";
    pub const BIRTH_DATE: &str = "birth_date";
    pub const SNILS: &str = "snils";
    pub const PHONE: &str = "phone";
    pub const EMAIL: &str = "email";
    pub const PASSWORD: &str = "password";
    pub const PASSWORD_REPEAT: &str = "password_repeat";
    pub const CONSENT: &str = "consent";
}

/// One can register on one's own from 14, when a Russian passport is issued; a younger child's
/// account is created by a parent.
pub const MIN_AGE: u32 = 14;
const MAX_AGE: u32 = 120;

/// What the user typed, as sent to the server. Missing fields read as empty (an unticked
/// checkbox is not sent at all).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct RegistrationForm {
    pub last_name: String,
    pub first_name: String,
    pub middle_name: String,
    pub birth_date: String,
    pub snils: String,
    pub phone: String,
    pub email: String,
    pub password: String,
    pub password_repeat: String,
    pub consent: bool,
}

/// A registration that passed every check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Registration {
    pub last_name: PersonName,
    pub first_name: PersonName,
    pub middle_name: Option<PersonName>,
    pub birth_date: Date,
    pub snils: Snils,
    pub phone: Phone,
    pub email: Email,
    pub password: Password,
}

pub fn check_last_name(input: &str) -> Result<PersonName, FieldError> {
    field_checks::person_name(fields::LAST_NAME, "фамилию", input)
}

pub fn check_first_name(input: &str) -> Result<PersonName, FieldError> {
    field_checks::person_name(fields::FIRST_NAME, "имя", input)
}

/// «Отчество (при наличии)»: empty is fine.
pub fn check_middle_name(input: &str) -> Result<Option<PersonName>, FieldError> {
    if input.trim().is_empty() {
        Ok(None)
    } else {
        field_checks::person_name(fields::MIDDLE_NAME, "отчество", input).map(Some)
    }
}

pub fn check_birth_date(input: &str, today: Date) -> Result<Date, FieldError> {
    let field = fields::BIRTH_DATE;
    let date = parse_ru_date(input)
        .map_err(|e| FieldError::new(field, "date.format", messages::date_error(e)))?;
    if date > today {
        return Err(FieldError::new(
            field,
            "birth_date.future",
            "Дата рождения не может быть позже сегодняшнего дня",
        ));
    }
    let age = full_years(date, today);
    if age < MIN_AGE {
        return Err(FieldError::new(
            field,
            "birth_date.too_young",
            "Зарегистрироваться самостоятельно можно с 14 лет. Учётную запись ребёнка младше 14 лет \
             создаёт родитель в разделе «Семья и дети»",
        ));
    }
    if age > MAX_AGE {
        return Err(FieldError::new(
            field,
            "birth_date.too_old",
            "Проверьте год рождения",
        ));
    }
    Ok(date)
}

pub fn check_snils(input: &str) -> Result<Snils, FieldError> {
    field_checks::snils(fields::SNILS, input)
}

pub fn check_phone(input: &str) -> Result<Phone, FieldError> {
    field_checks::phone(fields::PHONE, input)
}

pub fn check_email(input: &str) -> Result<Email, FieldError> {
    field_checks::email(fields::EMAIL, input)
}

/// Lists every unmet rule, in the order «Требования к паролю» shows them.
pub fn check_password(input: &str) -> Result<Password, FieldError> {
    if input.is_empty() {
        return Err(FieldError::new(
            fields::PASSWORD,
            "password.empty",
            "Придумайте пароль",
        ));
    }
    Password::parse(input).map_err(|e| {
        let unmet: Vec<&str> = e
            .unmet
            .iter()
            .map(|rule| messages::password_rule(*rule))
            .collect();
        FieldError::new(
            fields::PASSWORD,
            "password.policy",
            &format!("Пароль не соответствует требованиям: {}", unmet.join("; ")),
        )
    })
}

pub fn check_password_repeat(password: &str, repeat: &str) -> Result<(), FieldError> {
    if repeat.is_empty() {
        Err(FieldError::new(
            fields::PASSWORD_REPEAT,
            "password_repeat.empty",
            "Повторите пароль",
        ))
    } else if repeat != password {
        Err(FieldError::new(
            fields::PASSWORD_REPEAT,
            "password_repeat.mismatch",
            "Пароли не совпадают — введите тот же пароль ещё раз",
        ))
    } else {
        Ok(())
    }
}

pub fn check_consent(consent: bool) -> Result<(), FieldError> {
    if consent {
        Ok(())
    } else {
        Err(FieldError::new(
            fields::CONSENT,
            "consent.missing",
            "Чтобы зарегистрироваться, дайте согласие на обработку персональных данных",
        ))
    }
}

/// Every refusal at once, in the order of the form; `today` is the registrant's date.
pub fn validate(form: &RegistrationForm, today: Date) -> Result<Registration, Vec<FieldError>> {
    let last_name = check_last_name(&form.last_name);
    let first_name = check_first_name(&form.first_name);
    let middle_name = check_middle_name(&form.middle_name);
    let birth_date = check_birth_date(&form.birth_date, today);
    let snils = check_snils(&form.snils);
    let phone = check_phone(&form.phone);
    let email = check_email(&form.email);
    let password = check_password(&form.password);
    let repeat = check_password_repeat(&form.password, &form.password_repeat);
    let consent = check_consent(form.consent);
    match (
        last_name,
        first_name,
        middle_name,
        birth_date,
        snils,
        phone,
        email,
        password,
        repeat,
        consent,
    ) {
        (
            Ok(last_name),
            Ok(first_name),
            Ok(middle_name),
            Ok(birth_date),
            Ok(snils),
            Ok(phone),
            Ok(email),
            Ok(password),
            Ok(()),
            Ok(()),
        ) => Ok(Registration {
            last_name,
            first_name,
            middle_name,
            birth_date,
            snils,
            phone,
            email,
            password,
        }),
        (a, b, c, d, e, f, g, h, i, j) => Err([
            a.err(),
            b.err(),
            c.err(),
            d.err(),
            e.err(),
            f.err(),
            g.err(),
            h.err(),
            i.err(),
            j.err(),
        ]
        .into_iter()
        .flatten()
        .collect()),
    }
}

/// Creates the account, sends the e-mail link and the SMS code, and signs the new user in.
/// Fails with field errors when the e-mail, phone or СНИЛС is taken by another account.
#[server(prefix = "/api", endpoint = "account/register")]
pub async fn register(form: RegistrationForm) -> Result<(), ApiError> {
    use crate::api::request;
    use crate::api::service;

    let today = crate::domain::date::moscow_today(crate::api::now()?);
    let registration = validate(&form, today).map_err(ApiError::Invalid)?;
    let client = request::client();
    let session = service::<dyn RegistrationService>()?
        .register(registration, &client)
        .await
        .map_err(ApiError::from)?;
    request::set_session_cookie(&session, request::cookie_policy()?);
    Ok(())
}

/// Creating an account («Регистрация»). The server implements it in `accounts/registration.rs`.
#[cfg(feature = "ssr")]
#[async_trait::async_trait]
pub trait RegistrationService: Send + Sync {
    /// Creates the account with its confirmation messages in one transaction and opens a session.
    async fn register(
        &self,
        registration: Registration,
        client: &ClientInfo,
    ) -> Result<NewSession, ServiceError>;
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    const TODAY: Date = date!(2026 - 11 - 25);

    fn complete() -> RegistrationForm {
        RegistrationForm {
            last_name: "Иванова".into(),
            first_name: "Анна".into(),
            middle_name: "".into(),
            birth_date: "05.03.1990".into(),
            snils: "112-233-445 95".into(),
            phone: "+7 912 345-67-89".into(),
            email: "anna@mail.ru".into(),
            password: "Kozlik-2026".into(),
            password_repeat: "Kozlik-2026".into(),
            consent: true,
        }
    }

    #[test]
    fn accepts_a_complete_form_without_middle_name() {
        let r = validate(&complete(), TODAY).unwrap();
        assert_eq!(r.middle_name, None);
        assert_eq!(r.phone.e164(), "+79123456789");
    }

    #[test]
    fn reports_every_wrong_field_in_form_order() {
        let form = RegistrationForm {
            password_repeat: "other".into(),
            ..RegistrationForm::default()
        };
        let fields: Vec<_> = validate(&form, TODAY)
            .unwrap_err()
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(
            fields,
            [
                "last_name",
                "first_name",
                "birth_date",
                "snils",
                "phone",
                "email",
                "password",
                "password_repeat",
                "consent"
            ]
        );
    }

    #[test]
    fn birth_date_must_be_past_and_at_least_fourteen_years_ago() {
        assert_eq!(
            check_birth_date("26.11.2026", TODAY).unwrap_err().code,
            "birth_date.future"
        );
        assert_eq!(
            check_birth_date("26.11.2012", TODAY).unwrap_err().code,
            "birth_date.too_young"
        );
        assert!(check_birth_date("25.11.2012", TODAY).is_ok());
        assert_eq!(
            check_birth_date("31.02.1990", TODAY).unwrap_err().code,
            "date.format"
        );
    }

    #[test]
    fn password_message_names_each_unmet_rule() {
        let err = check_password("abc").unwrap_err();
        assert!(
            err.message.contains("8 и более символов"),
            "{}",
            err.message
        );
        assert!(err.message.contains("Цифры"), "{}", err.message);
        assert!(!err.message.contains("Маленькие"), "{}", err.message);
        assert!(check_password(&format!("Aa1!{}", "x".repeat(60))).is_ok());
    }

    #[test]
    fn repeat_must_match_exactly() {
        assert_eq!(
            check_password_repeat("Kozlik-2026", "kozlik-2026")
                .unwrap_err()
                .code,
            "password_repeat.mismatch"
        );
    }
}
