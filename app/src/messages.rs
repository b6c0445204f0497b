//! Russian wording for domain refusals, in one place so it can be checked against the seeds.
//! Each message says how to fix the input, not only what is wrong.

use crate::domain::{DateError, EmailError, PasswordRule, SnilsError};

pub fn snils_error(err: SnilsError) -> &'static str {
    match err {
        SnilsError::Empty => "Введите СНИЛС",
        SnilsError::Format => "СНИЛС должен состоять из 11 цифр, например 123-456-789 01",
        SnilsError::Checksum => "СНИЛС указан с ошибкой — проверьте цифры",
    }
}

pub fn email_error(err: EmailError) -> &'static str {
    match err {
        EmailError::Empty => "Введите адрес электронной почты",
        EmailError::Format => "Введите адрес электронной почты в формате name@example.ru",
    }
}

pub fn date_error(err: DateError) -> &'static str {
    match err {
        DateError::Empty => "Введите дату",
        DateError::Format => "Введите дату в формате ДД.ММ.ГГГГ, например 05.03.2014",
        DateError::NoSuchDay => "Такой даты нет в календаре — проверьте день и месяц",
    }
}

/// The requirement as listed under «Требования к паролю».
pub fn password_rule(rule: PasswordRule) -> &'static str {
    match rule {
        PasswordRule::MinLength => "8 и более символов",
        PasswordRule::Uppercase => "Большие латинские буквы",
        PasswordRule::Lowercase => "Маленькие латинские буквы",
        PasswordRule::Digit => "Цифры",
        PasswordRule::Symbol => "Символы (!\"$%&'()+,-./:;<=>?@[^_{}~)",
        PasswordRule::AllowedCharacters => {
            "Только латинские буквы, цифры и перечисленные символы, не более 128 знаков"
        }
    }
}

/// A machine-readable code for each refusal: stable across wording changes.
pub fn snils_code(err: SnilsError) -> &'static str {
    match err {
        SnilsError::Empty => "snils.empty",
        SnilsError::Format => "snils.format",
        SnilsError::Checksum => "snils.checksum",
    }
}

pub fn email_code(err: EmailError) -> &'static str {
    match err {
        EmailError::Empty => "email.empty",
        EmailError::Format => "email.format",
    }
}
