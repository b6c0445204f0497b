//! The registries answered in process from the simulator's data set, with the simulator's own
//! lookup functions: the same answers as over HTTP, without a network (for tests).

use std::path::Path;
use std::sync::Arc;

use registry_sim::dataset::{Dataset, DatasetError};
use registry_sim::lookup;
use registry_sim::protocol::{
    Answer, BirthRecord, BirthRecordQuery, Confirmed, PassportCheck, SnilsCheck, SnilsFound,
    SnilsSearch,
};

use super::{BirthRegistry, PassportRegistry, Registries, RegistryError, SnilsRegistry};

/// The repository's data file, with the documented people of the README.
pub const REPOSITORY_DATA: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../registry-sim/data/people.json"
);

#[derive(Clone)]
pub struct InProcessRegistries {
    dataset: Arc<Dataset>,
}

impl InProcessRegistries {
    pub fn new(dataset: Arc<Dataset>) -> Self {
        Self { dataset }
    }

    /// Loads `registry-sim/data/people.json` from the source tree.
    pub fn from_repository_data() -> Result<Self, DatasetError> {
        Ok(Self::new(Arc::new(Dataset::load(Path::new(
            REPOSITORY_DATA,
        ))?)))
    }

    pub fn dataset(&self) -> &Arc<Dataset> {
        &self.dataset
    }

    /// The same data set as each of the three registries.
    pub fn into_registries(self) -> Registries {
        let shared = Arc::new(self);
        Registries {
            births: shared.clone(),
            snils: shared.clone(),
            passports: shared.clone(),
            benefits: shared,
        }
    }
}

#[async_trait::async_trait]
impl BirthRegistry for InProcessRegistries {
    async fn check_birth_record(
        &self,
        query: &BirthRecordQuery,
    ) -> Result<Answer<BirthRecord>, RegistryError> {
        Ok(lookup::check_birth_record(&self.dataset, query))
    }
}

#[async_trait::async_trait]
impl SnilsRegistry for InProcessRegistries {
    async fn find_snils(&self, query: &SnilsSearch) -> Result<Answer<SnilsFound>, RegistryError> {
        Ok(lookup::find_snils(&self.dataset, query))
    }

    async fn check_snils(&self, query: &SnilsCheck) -> Result<Answer<Confirmed>, RegistryError> {
        Ok(lookup::check_snils(&self.dataset, query))
    }
}

#[async_trait::async_trait]
impl PassportRegistry for InProcessRegistries {
    async fn check_passport(
        &self,
        query: &PassportCheck,
    ) -> Result<Answer<Confirmed>, RegistryError> {
        Ok(lookup::check_passport(&self.dataset, query))
    }
}
