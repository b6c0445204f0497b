//! «Учебные данные»: the school diary of a minor, connected with the school's code and imported
//! from the school's system (`school`), shown to the minor and linked parents (`diary_page`).

mod diary_page;
pub mod school;

pub use diary_page::DiaryPage;
