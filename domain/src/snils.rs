//! СНИЛС — the individual insurance account number (страховой номер индивидуального лицевого счёта).
//!
//! Parse, don't validate: the only way to get a [`Snils`] is [`Snils::parse`], so every value in
//! the program has eleven digits and a correct check number.

use serde::{Deserialize, Serialize};
use std::fmt;

use super::digits::{digits_text, separated_digits};

/// A valid СНИЛС, stored as its eleven digits.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Snils([u8; 11]);

/// Why a text is not a СНИЛС.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum SnilsError {
    #[error("СНИЛС is empty")]
    Empty,
    #[error("СНИЛС must be 11 digits, optionally grouped as 123-456-789 01")]
    Format,
    #[error("СНИЛС check number does not match")]
    Checksum,
}

/// Numbers up to and including 001-001-998 were issued before the check number was introduced.
const LAST_NUMBER_WITHOUT_CHECKSUM: u32 = 1_001_998;

impl Snils {
    /// Accepts «123-456-789 01», «123 456 789 01» and the bare eleven digits; spaces and hyphens
    /// are ignored wherever they are, since people paste the number in many shapes.
    pub fn parse(input: &str) -> Result<Self, SnilsError> {
        let input = input.trim();
        if input.is_empty() {
            return Err(SnilsError::Empty);
        }
        let digits: [u8; 11] = separated_digits(input, &[' ', '-', '\u{a0}'])
            .and_then(|digits| digits.try_into().ok())
            .ok_or(SnilsError::Format)?;
        let snils = Snils(digits);
        if snils.number() > LAST_NUMBER_WITHOUT_CHECKSUM
            && snils.check_number() != checksum(&digits[..9])
        {
            return Err(SnilsError::Checksum);
        }
        Ok(snils)
    }

    /// The first nine digits as a number.
    fn number(&self) -> u32 {
        self.0[..9]
            .iter()
            .fold(0, |acc, d| acc * 10 + u32::from(*d))
    }

    fn check_number(&self) -> u32 {
        u32::from(self.0[9]) * 10 + u32::from(self.0[10])
    }

    /// The eleven digits with no separators, as stored in the database.
    pub fn digits(&self) -> String {
        digits_text(&self.0)
    }
}

/// The check number of the first nine digits: digits weighted 9…1 and summed; a sum below 100 is
/// the check number itself, 100 and 101 give 00, a larger sum is taken modulo 101 (where 100 again
/// gives 00).
pub fn checksum(first_nine: &[u8]) -> u32 {
    debug_assert_eq!(first_nine.len(), 9);
    let sum: u32 = first_nine
        .iter()
        .zip((1..=9).rev())
        .map(|(d, weight)| u32::from(*d) * weight)
        .sum();
    match sum {
        0..=99 => sum,
        100 | 101 => 0,
        _ => match sum % 101 {
            100 => 0,
            rest => rest,
        },
    }
}

impl fmt::Display for Snils {
    /// The canonical written form «123-456-789 01».
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let d = self.digits();
        write!(f, "{}-{}-{} {}", &d[0..3], &d[3..6], &d[6..9], &d[9..11])
    }
}

impl fmt::Debug for Snils {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Snils({self})")
    }
}

impl TryFrom<String> for Snils {
    type Error = SnilsError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Snils::parse(&value)
    }
}

impl From<Snils> for String {
    fn from(value: Snils) -> Self {
        value.digits()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn accepts_valid_numbers_in_every_written_form() {
        for input in [
            "112-233-445 95",
            "112 233 445 95",
            "11223344595",
            "  112-233-445 95  ",
            "087-654-303 00", // sum 100 → 00
            "001-001-998 77", // not above 001-001-998: no checksum rule
            "000-000-001 00",
        ] {
            assert!(Snils::parse(input).is_ok(), "{input} should be accepted");
        }
    }

    #[test]
    fn rejects_wrong_input_with_the_right_reason() {
        let cases = [
            ("", SnilsError::Empty),
            ("   ", SnilsError::Empty),
            ("112-233-445", SnilsError::Format),
            ("112-233-445 955", SnilsError::Format),
            ("112-233-445 9a", SnilsError::Format),
            ("112_233_445_95", SnilsError::Format),
            ("112-233-445 96", SnilsError::Checksum),
            ("001-001-999 00", SnilsError::Checksum),
        ];
        for (input, expected) in cases {
            assert_eq!(Snils::parse(input), Err(expected), "{input:?}");
        }
    }

    #[test]
    fn checksum_follows_each_branch_of_the_rule() {
        // weights 9..1; each case names its weighted sum
        assert_eq!(checksum(&[1, 1, 2, 2, 3, 3, 4, 4, 5]), 95); // below 100: the sum itself
        assert_eq!(checksum(&[9, 2, 0, 0, 0, 0, 0, 0, 3]), 0); // exactly 100
        assert_eq!(checksum(&[9, 2, 0, 0, 0, 0, 0, 0, 4]), 0); // exactly 101
        assert_eq!(checksum(&[0, 8, 7, 6, 5, 4, 3, 0, 2]), 0); // 201 mod 101 = 100 → 00
        assert_eq!(checksum(&[0, 8, 7, 6, 5, 4, 3, 0, 3]), 0); // 202 mod 101 = 0
        assert_eq!(checksum(&[9; 9]), 1); // 405 mod 101 = 1
    }

    #[test]
    fn displays_in_the_canonical_form_and_stores_bare_digits() {
        let snils = Snils::parse("11223344595").unwrap();
        assert_eq!(snils.to_string(), "112-233-445 95");
        assert_eq!(snils.digits(), "11223344595");
    }

    fn with_valid_checksum(first_nine: [u8; 9]) -> String {
        let check = checksum(&first_nine);
        let mut s: String = digits_text(&first_nine);
        s.push_str(&format!("{check:02}"));
        s
    }

    proptest! {
        #[test]
        fn every_number_with_its_check_number_parses_and_round_trips(
            first_nine in proptest::array::uniform9(0u8..10)
        ) {
            let digits = with_valid_checksum(first_nine);
            let snils = Snils::parse(&digits).unwrap();
            prop_assert_eq!(snils.digits(), digits.clone());
            prop_assert_eq!(Snils::parse(&snils.to_string()).unwrap(), snils);
        }

        #[test]
        fn a_changed_check_number_is_rejected_above_the_threshold(
            first_nine in proptest::array::uniform9(0u8..10),
            delta in 1u32..100,
        ) {
            let number = first_nine.iter().fold(0u32, |a, d| a * 10 + u32::from(*d));
            prop_assume!(number > LAST_NUMBER_WITHOUT_CHECKSUM);
            let wrong = (checksum(&first_nine) + delta) % 100;
            let mut s: String = digits_text(&first_nine);
            s.push_str(&format!("{wrong:02}"));
            prop_assert_eq!(Snils::parse(&s), Err(SnilsError::Checksum));
        }

        #[test]
        fn parsing_never_panics(input in "\\PC{0,20}") {
            let _ = Snils::parse(&input);
        }
    }
}
