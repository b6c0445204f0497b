//! The wire contract between the portal and the registries: one JSON request and one JSON answer
//! per check. The simulator serves it; the portal's HTTP adapter (`server::registries::http`)
//! speaks it. An unavailable registry answers 503 (or not at all: the client's timeout).
//!
//! Routes (all `POST`, JSON in and out):
//! - `/zags/birth-records/check` — [`BirthRecordQuery`] → [`Answer<BirthRecord>`]
//! - `/sfr/snils/search` — [`SnilsSearch`] → [`Answer<SnilsFound>`]
//! - `/sfr/snils/check` — [`SnilsCheck`] → [`Answer<Confirmed>`]
//! - `/mvd/passports/check` — [`PassportCheck`] → [`Answer<Confirmed>`]

use serde::{Deserialize, Serialize};
use time::Date;

pub const BIRTH_RECORDS_CHECK: &str = "/zags/birth-records/check";
pub const SNILS_SEARCH: &str = "/sfr/snils/search";
pub const SNILS_CHECK: &str = "/sfr/snils/check";
pub const PASSPORT_CHECK: &str = "/mvd/passports/check";

/// Dates travel as ISO 8601 (`2020-08-01`).
pub mod iso_date {
    use serde::{Deserialize, Deserializer, Serializer};
    use time::Date;
    use time::format_description::well_known::Iso8601;

    pub fn serialize<S: Serializer>(date: &Date, s: S) -> Result<S::Ok, S::Error> {
        let text = format!(
            "{:04}-{:02}-{:02}",
            date.year(),
            u8::from(date.month()),
            date.day()
        );
        s.serialize_str(&text)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Date, D::Error> {
        let text = String::deserialize(d)?;
        Date::parse(&text, &Iso8601::DATE).map_err(serde::de::Error::custom)
    }
}

/// A person as the registries know them. Names compare case-insensitively with «ё» = «е».
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonQuery {
    pub last_name: String,
    pub first_name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub middle_name: Option<String>,
    #[serde(with = "iso_date")]
    pub birth_date: Date,
}

/// Who asks about a birth record: the portal's account holder, as the registries know adults.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Applicant {
    pub person: PersonQuery,
    /// Eleven digits, no separators.
    pub snils: String,
}

/// ЕГР ЗАГС: is there a birth record behind this certificate, does it say the same, and is the
/// applicant a parent on it?
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BirthRecordQuery {
    /// «VI-МЮ 123456», as `domain::BirthCertificateNumber` prints it.
    pub certificate: String,
    #[serde(with = "iso_date")]
    pub issue_date: Date,
    pub act_record_number: String,
    #[serde(with = "iso_date")]
    pub act_record_date: Date,
    pub child: PersonQuery,
    pub applicant: Applicant,
}

/// What ЕГР ЗАГС holds for a found record (the portal keeps its own copy as entered).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BirthRecord {
    pub issued_by: String,
    /// Whether the record names the applicant as a parent. Knowing a certificate's details
    /// proves nothing; only this answer ties an adult to a child.
    pub applicant: ApplicantTie,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ApplicantTie {
    /// The record lists the applicant (by СНИЛС, with the same name and birth date) as a parent.
    Parent,
    /// The record does not name the applicant as a parent.
    NotOnRecord,
}

/// СФР: find a child's СНИЛС by their name, birth date and birth certificate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SnilsSearch {
    pub person: PersonQuery,
    pub certificate: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SnilsFound {
    /// Eleven digits, no separators.
    pub snils: String,
}

/// СФР: does this СНИЛС belong to this person?
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SnilsCheck {
    /// Eleven digits, no separators.
    pub snils: String,
    pub person: PersonQuery,
}

/// МВД: is this passport valid and issued to this person?
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PassportCheck {
    /// Ten digits, no separators («4510123456»).
    pub passport: String,
    #[serde(with = "iso_date")]
    pub issue_date: Date,
    pub person: PersonQuery,
}

/// A check that found the record and found it the same.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Confirmed {}

/// A field the registry holds differently from the request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    LastName,
    FirstName,
    MiddleName,
    BirthDate,
    IssueDate,
    ActRecordNumber,
    ActRecordDate,
}

/// A registry's answer to one check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "result", rename_all = "snake_case")]
pub enum Answer<T> {
    Found {
        record: T,
    },
    /// Nothing under this key (certificate, СНИЛС, passport) or this person.
    NotFound,
    /// The record exists but these fields differ.
    Mismatch {
        fields: Vec<Field>,
    },
}

/// The body of a 503: the registry is down or overloaded; try later.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unavailable {
    pub error: String,
}
