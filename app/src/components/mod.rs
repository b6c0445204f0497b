//! The small set of components every page is assembled from, in the spirit of the GOV.UK Design
//! System: one way to do each thing. A new kind of component is a deliberate decision.

mod button;
mod card;
mod checkbox;
mod error_summary;
mod field;
mod form_errors;
mod pager;
mod panel;
mod radios;
mod select;
mod status_chip;
mod step_indicator;
mod summary_list;

pub use button::{Button, ButtonKind, ButtonLink};
pub use card::Card;
pub use checkbox::Checkbox;
pub use error_summary::{ERROR_SUMMARY_ID, ErrorSummary, focus_element};
pub use field::{Field, FieldInput};
pub use form_errors::{FormErrors, interactive};
pub use pager::Pager;
pub use panel::ConfirmationPanel;
pub use radios::Radios;
pub use select::Select;
pub use status_chip::{StatusChip, Tone};
pub use step_indicator::StepIndicator;
pub use summary_list::{SummaryList, SummaryRow};
