//! Domain parsing turned into field refusals: one function per kind of field, shared by every
//! form that asks for it (the field id differs from form to form).

use time::Date;

use crate::api::FieldError;
use crate::domain::date::{DateError, parse_ru_date};
use crate::domain::{Email, PersonName, Phone, Snils};
use crate::messages;

pub fn snils(field: &str, input: &str) -> Result<Snils, FieldError> {
    Snils::parse(input)
        .map_err(|e| FieldError::new(field, messages::snils_code(e), messages::snils_error(e)))
}

pub fn email(field: &str, input: &str) -> Result<Email, FieldError> {
    Email::parse(input)
        .map_err(|e| FieldError::new(field, messages::email_code(e), messages::email_error(e)))
}

pub fn phone(field: &str, input: &str) -> Result<Phone, FieldError> {
    Phone::parse(input)
        .map_err(|e| FieldError::new(field, messages::phone_code(e), messages::phone_error(e)))
}

/// `what` names the field in the accusative case: «фамилию», «имя», «отчество».
pub fn person_name(field: &str, what: &str, input: &str) -> Result<PersonName, FieldError> {
    PersonName::parse(input).map_err(|e| {
        FieldError::new(
            field,
            messages::person_name_code(e),
            &messages::person_name_error(e, what),
        )
    })
}

/// A text written as in a document (a place, an address, an issuing office): spaces collapsed;
/// empty, longer than `max` or without a letter refused at `field`. `what` names it in messages.
pub fn document_text(
    field: &str,
    input: &str,
    empty: &str,
    what: &str,
    max: usize,
) -> Result<String, FieldError> {
    let text = input.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.is_empty() {
        return Err(FieldError::new(field, &format!("{field}.empty"), empty));
    }
    if text.chars().count() > max {
        return Err(FieldError::new(
            field,
            &format!("{field}.too_long"),
            &format!("{what} — не длиннее {max} символов"),
        ));
    }
    if !text.chars().any(char::is_alphabetic) {
        return Err(FieldError::new(
            field,
            &format!("{field}.format"),
            &format!("{what}: напишите словами, как в документе"),
        ));
    }
    Ok(text)
}

/// A typed password longer than any the portal accepts is refused before argon2 sees it.
pub fn password_length(field: &'static str, input: &str) -> Result<(), FieldError> {
    if input.chars().count() > crate::domain::password::MAX_LENGTH {
        return Err(FieldError::new(
            field,
            &format!("{field}.too_long"),
            "Пароль не длиннее 128 символов",
        ));
    }
    Ok(())
}

/// An optional date ДД.ММ.ГГГГ (empty for none).
pub fn optional_date(field: &str, input: &str) -> Result<Option<Date>, FieldError> {
    match parse_ru_date(input) {
        Ok(date) => Ok(Some(date)),
        Err(DateError::Empty) => Ok(None),
        Err(DateError::Format) => Err(FieldError::new(
            field,
            "date.format",
            "Введите дату в формате ДД.ММ.ГГГГ, например 01.12.2026",
        )),
        Err(DateError::NoSuchDay) => Err(FieldError::new(
            field,
            "date.no_such_day",
            "Такой даты нет в календаре — проверьте день и месяц",
        )),
    }
}

/// A filter's «с» and «по» dates, both optional: each wrong one at its field, and «по» before
/// «с» at «по».
pub fn date_range(
    (from_field, from): (&str, &str),
    (to_field, to): (&str, &str),
) -> (Option<Date>, Option<Date>, Vec<FieldError>) {
    let mut errors = Vec::new();
    let mut read = |field: &str, input: &str| {
        optional_date(field, input).unwrap_or_else(|e| {
            errors.push(e);
            None
        })
    };
    let (from, to) = (read(from_field, from), read(to_field, to));
    if let (Some(from), Some(to)) = (from, to)
        && to < from
    {
        errors.push(FieldError::new(
            to_field,
            "date.before_from",
            "Дата «по» не может быть раньше даты «с»",
        ));
    }
    (from, to, errors)
}
