//! «Льготы»: the catalogue of family benefits (search, filters, a page per benefit) and the
//! eligibility check before applying. Applying for a benefit and following the application come
//! next in this folder.

mod benefit_page;
pub mod catalogue;
mod catalogue_page;
pub mod eligibility;
mod eligibility_section;

pub use benefit_page::BenefitPage;
pub use catalogue_page::CataloguePage;
