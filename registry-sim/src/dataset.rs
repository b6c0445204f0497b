//! The people the simulated registries know: adults (СНИЛС, passport) and children (birth record,
//! perhaps a СНИЛС), read from `data/people.json` and checked on load, so a hand-edited file with a
//! wrong checksum, a malformed certificate or a duplicate key is refused with the reason.
//!
//! The file holds one person per line (see [`Dataset::to_json`]), which keeps it small and easy
//! to edit by hand.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::Path;

use domain::{BirthCertificateNumber, Snils};
use serde::{Deserialize, Serialize};
use time::Date;

use crate::protocol::iso_date;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Sex {
    Male,
    Female,
}

/// An adult citizen: known to СФР by СНИЛС and to МВД by passport.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Adult {
    pub last_name: String,
    pub first_name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub middle_name: Option<String>,
    pub sex: Sex,
    #[serde(with = "iso_date")]
    pub birth_date: Date,
    /// Eleven digits.
    pub snils: Snils,
    pub passport: Passport,
    /// The benefits registry: the family's income is below the regional subsistence minimum.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub low_income: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Passport {
    /// Ten digits: four of the series, six of the number.
    pub number: String,
    #[serde(with = "iso_date")]
    pub issue_date: Date,
    pub issued_by: String,
}

/// A child: known to ЕГР ЗАГС by the birth record, to СФР only if they have a СНИЛС.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Child {
    pub last_name: String,
    pub first_name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub middle_name: Option<String>,
    pub sex: Sex,
    #[serde(with = "iso_date")]
    pub birth_date: Date,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub snils: Option<Snils>,
    pub birth_certificate: BirthCertificate,
    /// The СНИЛС of each parent listed in `adults`.
    #[serde(default)]
    pub parents: Vec<Snils>,
    /// The benefits registry: the child has a disability (МСЭ).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub disability: bool,
    /// The benefits registry: service numbers of the benefits already paid for this child.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub receiving: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BirthCertificate {
    /// «VI-МЮ 123456».
    pub certificate: String,
    #[serde(with = "iso_date")]
    pub issue_date: Date,
    pub act_record_number: String,
    #[serde(with = "iso_date")]
    pub act_record_date: Date,
    pub issued_by: String,
}

/// The file as written: two lists.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct People {
    pub adults: Vec<Adult>,
    pub children: Vec<Child>,
}

/// Someone a СНИЛС belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Holder {
    Adult(usize),
    Child(usize),
}

/// The loaded, checked data set with its lookup keys.
#[derive(Debug, Clone)]
pub struct Dataset {
    people: People,
    by_certificate: HashMap<String, usize>,
    by_snils: HashMap<Snils, Holder>,
    by_passport: HashMap<String, usize>,
}

#[derive(Debug, thiserror::Error)]
pub enum DatasetError {
    #[error("cannot read {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("not a data set: {0}")]
    Json(#[from] serde_json::Error),
    #[error("{who}: {problem}")]
    Invalid { who: String, problem: String },
}

/// The lookup key of a certificate: its canonical written form, or `None` if it is not one.
pub fn certificate_key(text: &str) -> Option<String> {
    BirthCertificateNumber::parse(text)
        .ok()
        .map(|c| c.to_string())
}

/// The lookup key of a passport: its ten digits, separators removed.
pub fn passport_key(text: &str) -> Option<String> {
    let digits: String = text.chars().filter(|c| !matches!(c, ' ' | '-')).collect();
    (digits.len() == 10 && digits.bytes().all(|b| b.is_ascii_digit())).then_some(digits)
}

impl Dataset {
    pub fn load(path: &Path) -> Result<Self, DatasetError> {
        let text = std::fs::read_to_string(path).map_err(|source| DatasetError::Read {
            path: path.display().to_string(),
            source,
        })?;
        Self::from_json(&text)
    }

    pub fn from_json(text: &str) -> Result<Self, DatasetError> {
        Self::new(serde_json::from_str(text)?)
    }

    /// Checks every key (certificate and passport formats; uniqueness of certificates, passports
    /// and СНИЛС; parents listed among the adults) and indexes them.
    pub fn new(people: People) -> Result<Self, DatasetError> {
        let invalid = |who: String, problem: &str| DatasetError::Invalid {
            who,
            problem: problem.to_owned(),
        };
        let mut by_snils = HashMap::new();
        let mut by_passport = HashMap::new();
        for (i, adult) in people.adults.iter().enumerate() {
            let who = format!("adult {} {}", adult.last_name, adult.first_name);
            if by_snils.insert(adult.snils, Holder::Adult(i)).is_some() {
                return Err(invalid(who, "СНИЛС listed twice"));
            }
            let key = passport_key(&adult.passport.number)
                .ok_or_else(|| invalid(who.clone(), "passport number must have ten digits"))?;
            if by_passport.insert(key, i).is_some() {
                return Err(invalid(who, "passport listed twice"));
            }
        }
        let mut by_certificate = HashMap::new();
        for (i, child) in people.children.iter().enumerate() {
            let who = format!("child {} {}", child.last_name, child.first_name);
            if let Some(snils) = child.snils
                && by_snils.insert(snils, Holder::Child(i)).is_some()
            {
                return Err(invalid(who, "СНИЛС listed twice"));
            }
            let key = certificate_key(&child.birth_certificate.certificate)
                .ok_or_else(|| invalid(who.clone(), "certificate is not like «VI-МЮ 123456»"))?;
            if by_certificate.insert(key, i).is_some() {
                return Err(invalid(who, "certificate listed twice"));
            }
            for parent in &child.parents {
                if !matches!(by_snils.get(parent), Some(Holder::Adult(_))) {
                    return Err(invalid(who, "a parent's СНИЛС is not among the adults"));
                }
            }
        }
        Ok(Self {
            people,
            by_certificate,
            by_snils,
            by_passport,
        })
    }

    pub fn people(&self) -> &People {
        &self.people
    }

    pub fn adults(&self) -> &[Adult] {
        &self.people.adults
    }

    pub fn children(&self) -> &[Child] {
        &self.people.children
    }

    pub fn child_by_certificate(&self, certificate: &str) -> Option<&Child> {
        let key = certificate_key(certificate)?;
        self.by_certificate
            .get(&key)
            .map(|&i| &self.people.children[i])
    }

    pub fn holder_of(&self, snils: &Snils) -> Option<Holder> {
        self.by_snils.get(snils).copied()
    }

    pub fn adult_by_passport(&self, passport: &str) -> Option<&Adult> {
        let key = passport_key(passport)?;
        self.by_passport.get(&key).map(|&i| &self.people.adults[i])
    }

    /// The file form: pretty at the top, one person per line.
    pub fn to_json(&self) -> String {
        people_to_json(&self.people)
    }
}

/// `{"adults": [...], "children": [...]}` with one compact person per line.
pub fn people_to_json(people: &People) -> String {
    fn list<T: Serialize>(out: &mut String, name: &str, items: &[T]) {
        let _ = write!(out, "  \"{name}\": [");
        for (i, item) in items.iter().enumerate() {
            let line = serde_json::to_string(item).expect("people serialize to JSON");
            let comma = if i + 1 < items.len() { "," } else { "" };
            let _ = write!(out, "\n    {line}{comma}");
        }
        out.push_str(if items.is_empty() { "]" } else { "\n  ]" });
    }
    let mut out = String::from("{\n");
    list(&mut out, "adults", &people.adults);
    out.push_str(",\n");
    list(&mut out, "children", &people.children);
    out.push_str("\n}\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const SMALL: &str = r#"{
  "adults": [
    {"last_name":"Иванова","first_name":"Анна","middle_name":"Сергеевна","sex":"female","birth_date":"1990-04-12","snils":"11223344595","passport":{"number":"4510123456","issue_date":"2015-05-20","issued_by":"ГУ МВД России по г. Москве"}}
  ],
  "children": [
    {"last_name":"Иванов","first_name":"Пётр","middle_name":"Андреевич","sex":"male","birth_date":"2016-03-05","snils":"12345678964","birth_certificate":{"certificate":"VI-МЮ 123456","issue_date":"2016-03-15","act_record_number":"170016770001234","act_record_date":"2016-03-15","issued_by":"Отдел ЗАГС Москвы № 77"},"parents":["11223344595"]}
  ]
}
"#;

    #[test]
    fn reads_the_file_form_and_writes_it_back_unchanged() {
        let dataset = Dataset::from_json(SMALL).unwrap();
        assert_eq!(dataset.to_json(), SMALL);
        assert!(dataset.child_by_certificate("vi мю №123456").is_some());
        assert!(dataset.adult_by_passport("4510 123456").is_some());
        let snils = Snils::parse("123-456-789 64").unwrap();
        assert_eq!(dataset.holder_of(&snils), Some(Holder::Child(0)));
    }

    #[test]
    fn refuses_bad_keys_with_the_reason() {
        let cases = [
            (
                "11223344595\",\"passport",
                "11223344596\",\"passport",
                "check number",
            ),
            ("VI-МЮ 123456", "VI-MU 123456", "certificate"),
            ("4510123456", "451012345", "ten digits"),
            (
                "\"parents\":[\"11223344595\"]",
                "\"parents\":[\"12345678964\"]",
                "parent",
            ),
            ("12345678964", "11223344595", "twice"),
        ];
        for (from, to, reason) in cases {
            let text = SMALL.replacen(from, to, 1);
            let error = Dataset::from_json(&text).unwrap_err().to_string();
            assert!(error.contains(reason), "{to}: {error}");
        }
    }

    #[test]
    fn refuses_unknown_fields() {
        let text = SMALL.replacen("\"sex\"", "\"gender\":\"f\",\"sex\"", 1);
        assert!(matches!(
            Dataset::from_json(&text),
            Err(DatasetError::Json(_))
        ));
    }
}
