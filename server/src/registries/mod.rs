//! The state registries behind one adapter interface each: ЕГР ЗАГС (birth records), СФР (СНИЛС
//! search and check), МВД (passports), Минтруд (benefits, over SOAP: [`benefits`]). In production they are reached over HTTP ([`http`]); the
//! run command starts the registry simulator (`registry-sim`) for that; unit tests may use the
//! simulator's data set in process ([`in_process`]).

use registry_sim::benefits::{FamilyAnswer, FamilyQuery};
use registry_sim::protocol::{
    Answer, BirthRecord, BirthRecordQuery, Confirmed, PassportCheck, SnilsCheck, SnilsFound,
    SnilsSearch,
};

pub mod benefits;
pub mod http;
pub mod in_process;

/// A registry could not answer: worth trying again later.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RegistryError {
    #[error("registry unavailable: {0}")]
    Unavailable(String),
    #[error("registry did not answer in time")]
    Timeout,
    /// An answer the adapter cannot read: a bug on one side or the other; retrying will not help.
    #[error("unreadable registry answer: {0}")]
    Protocol(String),
}

/// A registry that is down or slow is worth retrying; an unreadable answer is not.
impl From<RegistryError> for crate::jobs::JobError {
    fn from(e: RegistryError) -> Self {
        match e {
            RegistryError::Protocol(_) => Self::Permanent(e.to_string()),
            RegistryError::Unavailable(_) | RegistryError::Timeout => Self::Retry(e.to_string()),
        }
    }
}

/// The stored form of a mismatch, `<prefix>:last_name,issue_date`, which the pages word.
pub fn mismatch_code(prefix: &str, fields: &[registry_sim::protocol::Field]) -> String {
    let names: Vec<String> = fields
        .iter()
        .filter_map(|f| serde_json::to_value(f).ok())
        .filter_map(|v| v.as_str().map(str::to_owned))
        .collect();
    format!("{prefix}:{}", names.join(","))
}

/// ЕГР ЗАГС.
#[async_trait::async_trait]
pub trait BirthRegistry: Send + Sync {
    async fn check_birth_record(
        &self,
        query: &BirthRecordQuery,
    ) -> Result<Answer<BirthRecord>, RegistryError>;
}

/// СФР.
#[async_trait::async_trait]
pub trait SnilsRegistry: Send + Sync {
    async fn find_snils(&self, query: &SnilsSearch) -> Result<Answer<SnilsFound>, RegistryError>;
    async fn check_snils(&self, query: &SnilsCheck) -> Result<Answer<Confirmed>, RegistryError>;
}

/// МВД.
#[async_trait::async_trait]
pub trait PassportRegistry: Send + Sync {
    async fn check_passport(
        &self,
        query: &PassportCheck,
    ) -> Result<Answer<Confirmed>, RegistryError>;
}

/// Минтруд, the benefits registry: SOAP 1.1 with an XSD ([`benefits`]).
#[async_trait::async_trait]
pub trait BenefitsRegistry: Send + Sync {
    async fn check_family(&self, query: &FamilyQuery) -> Result<FamilyAnswer, RegistryError>;
}

/// The registries a server process talks to.
#[derive(Clone)]
pub struct Registries {
    pub births: std::sync::Arc<dyn BirthRegistry>,
    pub snils: std::sync::Arc<dyn SnilsRegistry>,
    pub passports: std::sync::Arc<dyn PassportRegistry>,
    pub benefits: std::sync::Arc<dyn BenefitsRegistry>,
}
