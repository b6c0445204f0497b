//! The officer's back office (`/officer`; officers and administrators only): the queue of
//! applications, claims with a lease, the documents beside the application, and decisions
//! through the status machine.

mod case_decision;
mod case_documents;
mod case_page;
pub mod desk;
mod queue_page;

pub use case_page::OfficerCasePage;
pub use queue_page::OfficerQueuePage;
