//! An application's number, «600103-2026-0000042»: the benefit's service number, the year of
//! sending in Moscow and the application's serial. Written on the receipt and in every message,
//! and read back when a family searches by it or asks support about it.

use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApplicationNumber {
    /// Six digits.
    pub service_number: String,
    pub year: i32,
    pub id: i64,
}

impl ApplicationNumber {
    /// Reads a number as printed; spaces around it are ignored.
    pub fn parse(input: &str) -> Option<Self> {
        let mut parts = input.trim().split('-');
        let (Some(service), Some(year), Some(serial), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return None;
        };
        let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        if service.len() != 6 || year.len() != 4 || !(7..=18).contains(&serial.len()) {
            return None;
        }
        if !(digits(service) && digits(year) && digits(serial)) {
            return None;
        }
        Some(ApplicationNumber {
            service_number: service.to_owned(),
            year: year.parse().ok()?,
            id: serial.parse().ok()?,
        })
    }
}

impl fmt::Display for ApplicationNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}-{:07}", self.service_number, self.year, self.id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn numbers_read_back_as_printed() {
        let number = ApplicationNumber::parse(" 600103-2026-0000042 ").unwrap();
        assert_eq!(
            number,
            ApplicationNumber {
                service_number: "600103".to_owned(),
                year: 2026,
                id: 42
            }
        );
        assert_eq!(number.to_string(), "600103-2026-0000042");
        assert_eq!(
            ApplicationNumber::parse("600103-2026-12345678").map(|n| n.id),
            Some(12_345_678)
        );
        for wrong in [
            "",
            "42",
            "600103-2026-42",
            "600103-26-0000042",
            "60010-2026-0000042",
            "600103-2026-0000042-1",
            "600103—2026—0000042",
            "600103-2026-00000x2",
            "600103-2026-+000042",
            "600103-2026-99999999999999999999",
        ] {
            assert_eq!(ApplicationNumber::parse(wrong), None, "{wrong}");
        }
    }

    proptest! {
        #[test]
        fn every_number_printed_reads_back(service in 100_000u32..1_000_000, year in 2000i32..2100, id in 1i64..10_000_000_000) {
            let number = ApplicationNumber { service_number: service.to_string(), year, id };
            prop_assert_eq!(ApplicationNumber::parse(&number.to_string()), Some(number));
        }
    }
}
