//! A Russian mobile phone number, the one SMS codes go to.

use std::fmt;

use super::digits::{digits_text, separated_digits};

/// Ten national digits after +7, the first of them 9 (mobile numbers).
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Phone([u8; 10]);

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PhoneError {
    #[error("phone is empty")]
    Empty,
    #[error("phone must be +7 and 10 digits")]
    Format,
    #[error("only mobile numbers (+7 9XX …) receive SMS")]
    NotMobile,
}

impl Phone {
    /// Accepts the shapes people type: «+7 (912) 345-67-89», «8 912 345 67 89», «89123456789»,
    /// «9123456789». Spaces, hyphens and brackets are ignored.
    pub fn parse(input: &str) -> Result<Self, PhoneError> {
        let input = input.trim();
        if input.is_empty() {
            return Err(PhoneError::Empty);
        }
        let (plus, rest) = match input.strip_prefix('+') {
            Some(rest) => (true, rest),
            None => (false, input),
        };
        let digits =
            separated_digits(rest, &[' ', '-', '(', ')', '\u{a0}']).ok_or(PhoneError::Format)?;
        let national: &[u8] = match (plus, digits.as_slice()) {
            (true, [7, national @ ..]) => national,
            (false, [7 | 8, national @ ..]) if national.len() == 10 => national,
            (false, national) if national.len() == 10 => national,
            _ => return Err(PhoneError::Format),
        };
        let national: [u8; 10] = national.try_into().map_err(|_| PhoneError::Format)?;
        if national[0] != 9 {
            return Err(PhoneError::NotMobile);
        }
        Ok(Phone(national))
    }

    /// «+79123456789», as stored and as SMS gateways take it.
    pub fn e164(&self) -> String {
        format!("+7{}", digits_text(&self.0))
    }
}

impl fmt::Display for Phone {
    /// «+7 912 345-67-89».
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let d = digits_text(&self.0);
        write!(f, "+7 {} {}-{}-{}", &d[0..3], &d[3..6], &d[6..8], &d[8..10])
    }
}

impl fmt::Debug for Phone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Phone({self})")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn accepts_the_shapes_people_type() {
        for input in [
            "+7 (912) 345-67-89",
            "+79123456789",
            "8 912 345 67 89",
            "89123456789",
            "79123456789",
            "9123456789",
            " +7 912 345-67-89 ",
        ] {
            let phone = Phone::parse(input).unwrap_or_else(|e| panic!("{input:?}: {e}"));
            assert_eq!(phone.e164(), "+79123456789");
            assert_eq!(phone.to_string(), "+7 912 345-67-89");
        }
    }

    #[test]
    fn rejects_wrong_input_with_the_right_reason() {
        let cases = [
            ("", PhoneError::Empty),
            ("+7 912 345-67", PhoneError::Format),
            ("+7 912 345-67-890", PhoneError::Format),
            ("+1 912 345-67-89", PhoneError::Format),
            ("8-912-345-67-8a", PhoneError::Format),
            ("+8 912 345 67 89", PhoneError::Format),
            ("++79123456789", PhoneError::Format),
            ("+7 495 123-45-67", PhoneError::NotMobile),
            ("84951234567", PhoneError::NotMobile),
        ];
        for (input, expected) in cases {
            assert_eq!(Phone::parse(input), Err(expected), "{input:?}");
        }
    }

    proptest! {
        #[test]
        fn every_mobile_number_round_trips(rest in proptest::array::uniform9(0u8..10)) {
            let digits = digits_text(&rest);
            let phone = Phone::parse(&format!("+79{digits}")).unwrap();
            prop_assert_eq!(Phone::parse(&phone.to_string()).unwrap(), phone);
            prop_assert_eq!(Phone::parse(&phone.e164()).unwrap(), phone);
        }

        #[test]
        fn parsing_never_panics(input in "\\PC{0,30}") {
            let _ = Phone::parse(&input);
        }
    }
}
