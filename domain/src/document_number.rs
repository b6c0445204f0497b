//! Document numbers that are only a fixed count of digits: a Russian passport (series and
//! number, «4510 123456») and a unified ОМС policy (16 digits).

use std::fmt;

use super::digits::{digits_text, separated_digits};

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum DigitsError {
    #[error("empty")]
    Empty,
    #[error("wrong number of digits or other characters")]
    Format,
}

fn fixed_digits<const N: usize>(input: &str) -> Result<[u8; N], DigitsError> {
    let input = input.trim();
    if input.is_empty() {
        return Err(DigitsError::Empty);
    }
    separated_digits(input, &[' ', '-', '\u{a0}', '№'])
        .and_then(|d| d.try_into().ok())
        .ok_or(DigitsError::Format)
}

/// «Серия и номер паспорта»: 4 digits of series, 6 of number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Passport([u8; 10]);

impl Passport {
    pub fn parse(input: &str) -> Result<Self, DigitsError> {
        fixed_digits(input).map(Passport)
    }

    pub fn digits(&self) -> String {
        digits_text(&self.0)
    }
}

impl fmt::Display for Passport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let d = self.digits();
        write!(f, "{} {}", &d[..4], &d[4..])
    }
}

/// «Полис ОМС» of the unified form: 16 digits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct OmsPolicy([u8; 16]);

impl OmsPolicy {
    pub fn parse(input: &str) -> Result<Self, DigitsError> {
        fixed_digits(input).map(OmsPolicy)
    }

    pub fn digits(&self) -> String {
        digits_text(&self.0)
    }
}

impl fmt::Display for OmsPolicy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.digits())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passport_reads_series_and_number_with_separators() {
        let p = Passport::parse(" 45 10 №123456 ").unwrap();
        assert_eq!(p.to_string(), "4510 123456");
        assert_eq!(Passport::parse("4510 12345"), Err(DigitsError::Format));
        assert_eq!(Passport::parse("45AB 123456"), Err(DigitsError::Format));
        assert_eq!(Passport::parse("  "), Err(DigitsError::Empty));
    }

    #[test]
    fn oms_policy_has_sixteen_digits() {
        assert!(OmsPolicy::parse("7700 0000 0000 0001").is_ok());
        assert_eq!(OmsPolicy::parse("77000000"), Err(DigitsError::Format));
    }
}
