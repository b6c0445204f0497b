//! Pure domain rules shared by the browser, the server and the registry simulator: no I/O, no clock,
//! no framework. The browser validates instantly with this code; the server enforces it again.

pub mod access;
pub mod application_number;
pub mod application_status;
pub mod birth_certificate;
pub mod date;
pub mod diary;
mod digits;
pub mod document_number;
pub mod email;
pub mod inn;
pub mod minor;
pub mod one_time_code;
pub mod password;
pub mod person_name;
pub mod phone;
pub mod record_field;
pub mod snils;
pub mod verification;

pub use application_number::ApplicationNumber;
pub use birth_certificate::{BirthCertificateError, BirthCertificateNumber};
pub use date::{
    DateError, format_ru_date, format_ru_datetime, full_years, moscow_today, parse_ru_date,
};
pub use document_number::{DigitsError, OmsPolicy, Passport};
pub use email::{Email, EmailError};
pub use inn::{Inn, InnError};
pub use minor::{AgeGroup, ConsentStatus, Eligibility, ParentTie, Relation};
pub use password::{Password, PasswordError, PasswordRule};
pub use person_name::{PersonName, PersonNameError, full_name};
pub use phone::{Phone, PhoneError};
pub use record_field::ChildField;
pub use snils::{Snils, SnilsError};
pub use verification::DocumentStatus;
