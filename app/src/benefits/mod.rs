//! «Льготы»: the catalogue of family benefits (search, filters, a page per benefit), the
//! eligibility check before applying, and the application: its questions (`answers`), its draft
//! on the server (`application`), one page per question and «Проверьте ответы».

pub mod answers;
pub mod application;
mod application_page;
mod benefit_page;
pub mod catalogue;
mod catalogue_page;
mod check_answers;
pub mod documents;
mod documents_section;
pub mod eligibility;
mod eligibility_section;
pub mod history;
mod history_page;
pub mod journal;
pub mod journal_list;
pub mod my_applications;
mod my_applications_page;
pub mod reply;
mod reply_section;
pub mod status;
pub mod submission;
mod submit_section;
mod upload;

pub use application_page::ApplicationDraftPage;
pub use benefit_page::BenefitPage;
pub use catalogue_page::CataloguePage;
pub use history_page::ApplicationHistoryPage;
pub use my_applications_page::{ApplicationPage, MyApplicationsPage};
