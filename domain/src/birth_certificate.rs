//! «Серия и номер свидетельства о рождении»: a Roman numeral, a hyphen and two Cyrillic capital
//! letters (the series, «VI-МЮ»), then six digits (the number).

use std::fmt;

#[derive(Clone, PartialEq, Eq, Hash)]
pub struct BirthCertificateNumber {
    roman: String,
    letters: String,
    number: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum BirthCertificateError {
    #[error("series and number are empty")]
    Empty,
    #[error("expected a series like VI-МЮ followed by six digits")]
    Format,
    #[error("the series does not start with a Roman numeral")]
    Roman,
    #[error("the series must end with two Cyrillic capital letters")]
    Letters,
    #[error("the number must have six digits")]
    Number,
}

/// The value of a Roman numeral written the standard way (I … XCIX), or `None`: only canonical
/// spellings count, so IIII, VX or IL are refused.
fn roman_value(text: &str) -> Option<u32> {
    (1..100).find(|value| to_roman(*value) == text)
}

fn to_roman(mut value: u32) -> String {
    const NUMERALS: [(&str, u32); 8] = [
        ("XC", 90),
        ("L", 50),
        ("XL", 40),
        ("X", 10),
        ("IX", 9),
        ("V", 5),
        ("IV", 4),
        ("I", 1),
    ];
    let mut out = String::new();
    for (symbol, amount) in NUMERALS {
        while value >= amount {
            out.push_str(symbol);
            value -= amount;
        }
    }
    out
}

/// Russian keyboards give Cyrillic look-alikes for Roman digits: Х, І, С.
fn latin_roman(ch: char) -> char {
    match ch.to_uppercase().next().unwrap_or(ch) {
        'Х' => 'X',
        'І' => 'I',
        'С' => 'C',
        other => other,
    }
}

fn is_cyrillic_capital(ch: char) -> bool {
    matches!(ch, 'А'..='Я' | 'Ё')
}

impl BirthCertificateNumber {
    /// Accepts «VI-МЮ 123456», «VI МЮ №123456», «vi-мю 123456».
    pub fn parse(input: &str) -> Result<Self, BirthCertificateError> {
        let text = input.trim();
        if text.is_empty() {
            return Err(BirthCertificateError::Empty);
        }
        let text = text.replace(['№', '\u{a0}'], " ");
        let mut words = text.split(['-', '–', ' ']).filter(|w| !w.is_empty());
        let (Some(roman), Some(letters), Some(number), None) =
            (words.next(), words.next(), words.next(), words.next())
        else {
            return Err(BirthCertificateError::Format);
        };
        let roman: String = roman.chars().map(latin_roman).collect();
        roman_value(&roman).ok_or(BirthCertificateError::Roman)?;
        let letters = letters.to_uppercase();
        if letters.chars().count() != 2 || !letters.chars().all(is_cyrillic_capital) {
            return Err(BirthCertificateError::Letters);
        }
        if number.len() != 6 || !number.bytes().all(|b| b.is_ascii_digit()) {
            return Err(BirthCertificateError::Number);
        }
        Ok(Self {
            roman,
            letters,
            number: number.to_owned(),
        })
    }

    /// «VI-МЮ».
    pub fn series(&self) -> String {
        format!("{}-{}", self.roman, self.letters)
    }

    pub fn number(&self) -> &str {
        &self.number
    }
}

impl fmt::Display for BirthCertificateNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.series(), self.number)
    }
}

impl fmt::Debug for BirthCertificateNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "BirthCertificateNumber({self})")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn accepts_the_ways_people_type_it() {
        for input in [
            "VI-МЮ 123456",
            "VI МЮ №123456",
            " vi-мю 123456 ",
            "VI–МЮ № 123456",
            "Vі-мю 123456",
        ] {
            let parsed =
                BirthCertificateNumber::parse(input).unwrap_or_else(|e| panic!("{input:?}: {e}"));
            assert_eq!(parsed.to_string(), "VI-МЮ 123456", "{input:?}");
        }
        assert_eq!(
            BirthCertificateNumber::parse("XХ-АБ 000001")
                .unwrap()
                .series(),
            "XX-АБ"
        );
    }

    #[test]
    fn says_which_part_is_wrong() {
        let cases = [
            ("", BirthCertificateError::Empty),
            ("VI-МЮ", BirthCertificateError::Format),
            ("IIII-МЮ 123456", BirthCertificateError::Roman),
            ("VX-МЮ 123456", BirthCertificateError::Roman),
            ("6-МЮ 123456", BirthCertificateError::Roman),
            ("VI-MU 123456", BirthCertificateError::Letters),
            ("VI-МЮЯ 123456", BirthCertificateError::Letters),
            ("VI-МЮ 12345", BirthCertificateError::Number),
            ("VI-МЮ 12345а", BirthCertificateError::Number),
        ];
        for (input, expected) in cases {
            assert_eq!(
                BirthCertificateNumber::parse(input),
                Err(expected),
                "{input:?}"
            );
        }
    }

    proptest! {
        #[test]
        fn every_canonical_numeral_round_trips(value in 1u32..100) {
            prop_assert_eq!(roman_value(&to_roman(value)), Some(value));
        }

        #[test]
        fn parsing_never_panics(input in "\\PC{0,30}") {
            let _ = BirthCertificateNumber::parse(&input);
        }
    }
}
