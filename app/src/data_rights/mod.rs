//! A child's data under 152-ФЗ: everything about the child taken out as one archive, or erased
//! for good (`rights`, the contract; `rights_page`, `/documents/family/children/:id/data`).

pub mod rights;
mod rights_page;

pub use rights_page::ChildDataPage;
