//! «Проверить квитанцию»: anyone holding a receipt enters (or scans from its QR code) the number
//! and the signature, and learns whether the portal issued exactly that receipt. The answer shows
//! only what is not personal: the kind of receipt, when it was issued, its non-personal facts and
//! the SHA-256 of the file as issued, to compare with the file in hand.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use crate::api::ServiceError;
use crate::api::{ApiError, FieldError};

/// Field ids: the inputs' ids and the `field` of each [`FieldError`].
pub mod fields {
    pub const NUMBER: &str = "number";
    pub const SIGNATURE: &str = "signature";
}

/// What a receipt is for; the letter in front of its number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ReceiptKind {
    /// «Квитанция о согласии»: a parent's consent to the transfer of a child's data.
    Consent,
    /// A benefit application's receipt, given at «Отправить».
    Application,
    /// An extract of «История обращений», exported as PDF.
    History,
    /// A parent's consent to «Полный» access to a category of a minor's services.
    Access,
    /// The readable extract in «Скачать все данные о ребёнке».
    DataExport,
    /// What is left of «Удалить все данные о ребёнке»: counts and the time, nothing personal.
    Deletion,
}

impl ReceiptKind {
    pub const ALL: [ReceiptKind; 6] = [
        ReceiptKind::Consent,
        ReceiptKind::Application,
        ReceiptKind::History,
        ReceiptKind::Access,
        ReceiptKind::DataExport,
        ReceiptKind::Deletion,
    ];

    /// The number's prefix: Latin, so a number is the same in a URL and on paper.
    pub fn letter(self) -> char {
        match self {
            ReceiptKind::Consent => 'C',
            ReceiptKind::Application => 'A',
            ReceiptKind::History => 'H',
            ReceiptKind::Access => 'E',
            ReceiptKind::DataExport => 'B',
            ReceiptKind::Deletion => 'X',
        }
    }

    /// The stored code.
    pub fn as_str(self) -> &'static str {
        match self {
            ReceiptKind::Consent => "consent",
            ReceiptKind::Application => "application",
            ReceiptKind::History => "history",
            ReceiptKind::Access => "access",
            ReceiptKind::DataExport => "data_export",
            ReceiptKind::Deletion => "deletion",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == code)
    }

    pub fn title(self) -> &'static str {
        match self {
            ReceiptKind::Consent => "Квитанция о согласии на передачу персональных данных ребёнка",
            ReceiptKind::Application => "Квитанция о подаче заявления на льготу",
            ReceiptKind::History => "Выписка из истории обращений",
            ReceiptKind::Access => "Квитанция о согласии на полный доступ ребёнка к сервисам",
            ReceiptKind::DataExport => "Выписка: все данные о ребёнке",
            ReceiptKind::Deletion => "Квитанция об удалении всех данных о ребёнке",
        }
    }
}

/// A receipt's number, «C-2026-0000042»: kind, year of issue and the receipt's serial.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReceiptNumber {
    pub kind: ReceiptKind,
    pub year: i32,
    pub serial: i64,
}

impl std::fmt::Display for ReceiptNumber {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}-{:04}-{:07}",
            self.kind.letter(),
            self.year,
            self.serial
        )
    }
}

impl ReceiptNumber {
    /// Reads a number as printed. Cyrillic «С», «А», «Н», «Е», «В» and «Х» typed for the Latin letters are accepted:
    /// they look the same on paper.
    pub fn parse(input: &str) -> Option<Self> {
        let text: String = input
            .trim()
            .chars()
            .map(|c| match c {
                'С' | 'с' | 'c' => 'C',
                'А' | 'а' | 'a' => 'A',
                'Н' | 'н' | 'h' => 'H',
                'Е' | 'е' | 'e' => 'E',
                'В' | 'в' | 'b' => 'B',
                'Х' | 'х' | 'x' => 'X',
                '–' | '—' => '-',
                other => other,
            })
            .collect();
        let mut parts = text.split('-');
        let (letter, year, serial) = (parts.next()?, parts.next()?, parts.next()?);
        if parts.next().is_some() || year.len() != 4 || serial.len() < 7 || serial.len() > 12 {
            return None;
        }
        let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if !all_digits(year) || !all_digits(serial) {
            return None;
        }
        let kind = ReceiptKind::ALL
            .into_iter()
            .find(|k| letter.len() == 1 && letter.starts_with(k.letter()))?;
        Some(Self {
            kind,
            year: year.parse().ok()?,
            serial: serial.parse().ok().filter(|s: &i64| *s > 0)?,
        })
    }
}

/// An Ed25519 signature is 64 bytes: 86 characters of unpadded base64url.
pub const SIGNATURE_CHARS: usize = 86;

pub fn check_number(input: &str) -> Result<ReceiptNumber, FieldError> {
    if input.trim().is_empty() {
        return Err(FieldError::new(
            fields::NUMBER,
            "receipt_number.empty",
            "Введите номер квитанции",
        ));
    }
    ReceiptNumber::parse(input).ok_or_else(|| {
        FieldError::new(
            fields::NUMBER,
            "receipt_number.format",
            "Номер квитанции — буква, год и порядковый номер через дефис, например C-2026-0000042",
        )
    })
}

pub fn check_signature(input: &str) -> Result<String, FieldError> {
    // A signature copied from paper may carry line breaks and spaces.
    let text: String = input.chars().filter(|c| !c.is_whitespace()).collect();
    if text.is_empty() {
        return Err(FieldError::new(
            fields::SIGNATURE,
            "receipt_signature.empty",
            "Введите подпись с квитанции",
        ));
    }
    let alphabet = text
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if text.chars().count() != SIGNATURE_CHARS || !alphabet {
        return Err(FieldError::new(
            fields::SIGNATURE,
            "receipt_signature.format",
            "Подпись — 86 знаков: латинские буквы, цифры, «-» и «_», как на квитанции",
        ));
    }
    Ok(text)
}

/// Both fields, every refusal at once.
pub fn validate(number: &str, signature: &str) -> Result<(ReceiptNumber, String), Vec<FieldError>> {
    match (check_number(number), check_signature(signature)) {
        (Ok(number), Ok(signature)) => Ok((number, signature)),
        (number, signature) => Err([number.err(), signature.err()]
            .into_iter()
            .flatten()
            .collect()),
    }
}

/// What a genuine receipt's check shows: nothing personal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GenuineReceipt {
    pub number: String,
    pub kind: ReceiptKind,
    /// «03.12.2026 10:05» in Moscow time.
    pub issued_at: String,
    /// The receipt's non-personal facts, as signed: label and value.
    pub facts: Vec<(String, String)>,
    /// SHA-256 (hex) of the PDF file as issued.
    pub file_sha256: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum ReceiptVerdict {
    Genuine(GenuineReceipt),
    /// No receipt has this number, or its signature is not this one: the answer does not say
    /// which, so numbers cannot be probed.
    NotGenuine,
}

#[server(prefix = "/api", endpoint = "receipts/check")]
pub async fn check_receipt(number: String, signature: String) -> Result<ReceiptVerdict, ApiError> {
    use crate::api::service;
    let (number, signature) = validate(&number, &signature).map_err(ApiError::Invalid)?;
    Ok(service::<dyn ReceiptCheck>()?
        .check(number, &signature)
        .await?)
}

/// How the server checks a receipt. Public: no account is needed.
#[cfg(feature = "ssr")]
#[async_trait::async_trait]
pub trait ReceiptCheck: Send + Sync {
    async fn check(
        &self,
        number: ReceiptNumber,
        signature: &str,
    ) -> Result<ReceiptVerdict, ServiceError>;
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn numbers_read_as_printed_and_as_typed() {
        let n = ReceiptNumber {
            kind: ReceiptKind::Consent,
            year: 2026,
            serial: 42,
        };
        assert_eq!(n.to_string(), "C-2026-0000042");
        assert_eq!(ReceiptNumber::parse("C-2026-0000042"), Some(n));
        // Cyrillic «С», lower case, spaces and a dash from a word processor.
        assert_eq!(ReceiptNumber::parse(" с–2026-0000042 "), Some(n));
        // Every kind reads back, its Cyrillic look-alike too.
        for kind in ReceiptKind::ALL {
            let number = ReceiptNumber { kind, ..n };
            assert_eq!(ReceiptNumber::parse(&number.to_string()), Some(number));
        }
        let deletion = ReceiptNumber {
            kind: ReceiptKind::Deletion,
            ..n
        };
        assert_eq!(ReceiptNumber::parse("Х-2026-0000042"), Some(deletion));
        for wrong in [
            "",
            "C-2026",
            "Q-2026-0000042",
            "C-26-0000042",
            "C-2026-42",
            "C-2026-0000000",
            "C-2026-00000x2",
            "CC-2026-0000042",
            "C-2026-0000042-1",
        ] {
            assert_eq!(ReceiptNumber::parse(wrong), None, "{wrong}");
        }
    }

    #[test]
    fn signatures_are_86_characters_of_base64url() {
        let good = "A".repeat(86);
        assert_eq!(check_signature(&good), Ok(good.clone()));
        // Line breaks from copying off paper are dropped.
        let broken = format!("{}\n{}", &good[..40], &good[40..]);
        assert_eq!(check_signature(&broken), Ok(good));
        assert_eq!(
            check_signature("").unwrap_err().code,
            "receipt_signature.empty"
        );
        assert_eq!(
            check_signature(&"A".repeat(85)).unwrap_err().code,
            "receipt_signature.format"
        );
        assert_eq!(
            check_signature(&format!("{}+", "A".repeat(85)))
                .unwrap_err()
                .code,
            "receipt_signature.format"
        );
    }

    #[test]
    fn both_fields_are_refused_at_once() {
        let errors = validate("", "").unwrap_err();
        let at: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(at, [fields::NUMBER, fields::SIGNATURE]);
    }

    proptest! {
        #[test]
        fn every_number_reads_back(serial in 1i64..=999_999_999_999, year in 2000i32..=2999, application: bool) {
            let kind = if application { ReceiptKind::Application } else { ReceiptKind::Consent };
            let n = ReceiptNumber { kind, year, serial };
            prop_assert_eq!(ReceiptNumber::parse(&n.to_string()), Some(n));
        }
    }
}
