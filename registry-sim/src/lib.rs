//! A simulator of the state registries the portal checks people against — ЕГР ЗАГС (birth
//! records), СФР (СНИЛС) and МВД (passports) — serving a seeded data set over HTTP.
//!
//! - [`protocol`]: the wire contract (shared with the portal's HTTP adapter);
//! - [`benefits`]: the benefits registry (Минтруд), which speaks SOAP 1.1 against an XSD;
//! - [`dataset`]: the people in `data/people.json`, checked on load;
//! - [`lookup`]: what each registry answers, as pure functions (also used in process by the
//!   portal's tests);
//! - [`service`]: the axum router with latency and failure knobs;
//! - [`generate`]: the deterministic generator of the data file.

pub mod benefits;
pub mod dataset;
pub mod generate;
pub mod lookup;
mod names;
pub mod protocol;
pub mod service;
