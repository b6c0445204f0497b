//! Фамилия, имя or отчество as written in a Russian passport: Cyrillic letters, with a hyphen,
//! an apostrophe or a space between parts («Салтыков-Щедрин», «Д'Артаньян», «Анна Мария»).

use std::fmt;

#[derive(Clone, PartialEq, Eq, Hash)]
pub struct PersonName(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PersonNameError {
    #[error("name is empty")]
    Empty,
    #[error("name is longer than {MAX_CHARS} characters")]
    TooLong,
    #[error("name may contain only Cyrillic letters, hyphens, apostrophes and spaces")]
    Characters,
    #[error("name must start and end with a letter, with one separator between parts")]
    Shape,
}

pub const MAX_CHARS: usize = 60;

/// «Иванова Анна Сергеевна»: surname, name and, when there is one, patronymic.
pub fn full_name(last: &str, first: &str, middle: Option<&str>) -> String {
    [Some(last), Some(first), middle]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ")
}

fn is_cyrillic_letter(c: char) -> bool {
    matches!(c, 'А'..='я' | 'Ё' | 'ё')
}

fn is_separator(c: char) -> bool {
    matches!(c, '-' | '\'' | '’' | ' ')
}

impl PersonName {
    /// Trims the text and folds runs of spaces into one before checking.
    pub fn parse(input: &str) -> Result<Self, PersonNameError> {
        let text = input.split_whitespace().collect::<Vec<_>>().join(" ");
        if text.is_empty() {
            return Err(PersonNameError::Empty);
        }
        if text.chars().count() > MAX_CHARS {
            return Err(PersonNameError::TooLong);
        }
        if !text
            .chars()
            .all(|c| is_cyrillic_letter(c) || is_separator(c))
        {
            return Err(PersonNameError::Characters);
        }
        let chars: Vec<char> = text.chars().collect();
        let starts_and_ends_with_letter =
            is_cyrillic_letter(chars[0]) && is_cyrillic_letter(chars[chars.len() - 1]);
        let no_doubled_separators = chars
            .windows(2)
            .all(|w| !(is_separator(w[0]) && is_separator(w[1])));
        if !(starts_and_ends_with_letter && no_doubled_separators) {
            return Err(PersonNameError::Shape);
        }
        Ok(PersonName(text))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for PersonName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for PersonName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PersonName({})", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn full_name_leaves_out_a_missing_patronymic() {
        assert_eq!(
            full_name("Иванова", "Анна", Some("Сергеевна")),
            "Иванова Анна Сергеевна"
        );
        assert_eq!(full_name("Smith", "John", None), "Smith John");
    }

    #[test]
    fn accepts_passport_spellings_and_folds_spaces() {
        for ok in [
            "Иванова",
            "Салтыков-Щедрин",
            "Д'Артаньян",
            "Алёна",
            "Ёлкин",
            "Оглы",
        ] {
            assert_eq!(PersonName::parse(ok).unwrap().as_str(), ok);
        }
        assert_eq!(
            PersonName::parse("  Анна   Мария ").unwrap().as_str(),
            "Анна Мария"
        );
        assert!(PersonName::parse(&"Я".repeat(MAX_CHARS)).is_ok());
    }

    #[test]
    fn rejects_wrong_input_with_the_right_reason() {
        let too_long = "Я".repeat(MAX_CHARS + 1);
        let cases = [
            ("", PersonNameError::Empty),
            ("   ", PersonNameError::Empty),
            (too_long.as_str(), PersonNameError::TooLong),
            ("Ivanova", PersonNameError::Characters),
            ("Иванова2", PersonNameError::Characters),
            ("Иванова!", PersonNameError::Characters),
            ("-Иванова", PersonNameError::Shape),
            ("Иванова-", PersonNameError::Shape),
            ("Салтыков--Щедрин", PersonNameError::Shape),
            ("Салтыков- Щедрин", PersonNameError::Shape),
        ];
        for (input, expected) in cases {
            assert_eq!(PersonName::parse(input), Err(expected), "{input:?}");
        }
    }

    proptest! {
        #[test]
        fn parsing_never_panics(input in "\\PC{0,80}") {
            let _ = PersonName::parse(&input);
        }

        #[test]
        fn accepted_names_are_stable_under_reparsing(input in "[А-Яа-яЁё]{1,20}([- ][А-Яа-яЁё]{1,20})?") {
            let name = PersonName::parse(&input).unwrap();
            prop_assert_eq!(PersonName::parse(name.as_str()).unwrap(), name);
        }
    }
}
