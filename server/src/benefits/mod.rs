//! «Льготы» on the server: the catalogue ([`catalogue`]) and the eligibility check before
//! applying ([`eligibility`]: the service behind the benefit's page and the job that asks the
//! benefits registry).

pub mod applications;
pub mod catalogue;
pub mod documents;
pub mod eligibility;

pub use catalogue::{Catalogue, CatalogueError};
