//! The contract between the browser and the server: the error every server function returns,
//! and (server side only) the services server functions reach through Leptos context and what
//! they may read from the request.

mod error;
#[cfg(feature = "ssr")]
pub mod request;
#[cfg(feature = "ssr")]
pub mod services;

pub use error::{ApiError, FieldError, Refusal};
