//! ИНН of a person: 12 digits, the last two check digits computed by the tax service's weights.

use std::fmt;

use super::digits::{digits_text, separated_digits};

#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Inn([u8; 12]);

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum InnError {
    #[error("ИНН is empty")]
    Empty,
    #[error("a person's ИНН has 12 digits")]
    Format,
    #[error("the check digits do not match")]
    Checksum,
}

const WEIGHTS_11: [u32; 10] = [7, 2, 4, 10, 3, 5, 9, 4, 6, 8];
const WEIGHTS_12: [u32; 11] = [3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8];

/// A check digit: the weighted sum modulo 11, then modulo 10.
fn check(digits: &[u8], weights: &[u32]) -> u8 {
    let sum: u32 = digits
        .iter()
        .zip(weights)
        .map(|(d, w)| u32::from(*d) * w)
        .sum();
    (sum % 11 % 10) as u8
}

impl Inn {
    /// Spaces and hyphens are ignored.
    pub fn parse(input: &str) -> Result<Self, InnError> {
        let input = input.trim();
        if input.is_empty() {
            return Err(InnError::Empty);
        }
        let digits = separated_digits(input, &[' ', '-', '\u{a0}']).ok_or(InnError::Format)?;
        let digits: [u8; 12] = digits.try_into().map_err(|_| InnError::Format)?;
        if check(&digits[..10], &WEIGHTS_11) != digits[10]
            || check(&digits[..11], &WEIGHTS_12) != digits[11]
        {
            return Err(InnError::Checksum);
        }
        Ok(Inn(digits))
    }

    pub fn digits(&self) -> String {
        digits_text(&self.0)
    }
}

impl fmt::Display for Inn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.digits())
    }
}

impl fmt::Debug for Inn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Inn({self})")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn with_checks(first_ten: [u8; 10]) -> String {
        let mut digits = first_ten.to_vec();
        digits.push(check(&digits, &WEIGHTS_11));
        digits.push(check(&digits, &WEIGHTS_12));
        digits_text(&digits)
    }

    #[test]
    fn accepts_a_known_valid_inn_and_refuses_wrong_ones() {
        // 500100732259: a published example of a valid personal ИНН.
        assert_eq!(
            Inn::parse("5001 0073 2259").unwrap().digits(),
            "500100732259"
        );
        assert_eq!(Inn::parse("500100732258"), Err(InnError::Checksum));
        assert_eq!(Inn::parse("5001007322"), Err(InnError::Format));
        assert_eq!(Inn::parse("50010073225a"), Err(InnError::Format));
        assert_eq!(Inn::parse(" "), Err(InnError::Empty));
    }

    proptest! {
        #[test]
        fn every_number_with_its_check_digits_is_accepted(first in proptest::array::uniform10(0u8..10)) {
            let text = with_checks(first);
            prop_assert_eq!(Inn::parse(&text).unwrap().digits(), text);
        }

        #[test]
        fn changing_one_digit_is_noticed(first in proptest::array::uniform10(0u8..10), at in 0usize..12, by in 1u8..10) {
            let text = with_checks(first);
            let mut digits: Vec<u8> = text.bytes().map(|b| b - b'0').collect();
            digits[at] = (digits[at] + by) % 10;
            // A changed digit can, rarely, still satisfy both checks; it must never panic.
            let _ = Inn::parse(&digits_text(&digits));
            if at >= 10 {
                prop_assert_eq!(Inn::parse(&digits_text(&digits)), Err(InnError::Checksum));
            }
        }
    }
}
