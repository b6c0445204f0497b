//! «Журнал активности»: what happened in and around a minor's account, for the minor and their
//! linked parents, chained by hashes so that a changed or removed entry shows.

pub mod journal;
mod journal_page;

pub use journal_page::ActivityJournalPage;
