//! The shared kernel of the contract between the browser and the server: the error every server
//! function returns, who is calling, and (server side only) how a server function reaches its
//! service and what it may read from the request. It imports no feature; each feature folder
//! owns its own DTOs and service traits.

mod caller;
mod error;
pub mod polling;
mod query;
#[cfg(feature = "ssr")]
pub mod request;
#[cfg(feature = "ssr")]
mod service;

pub use caller::{AccountLevel, REAUTH_MINUTES, Role};
#[cfg(feature = "ssr")]
pub use caller::{SessionLookup, SignedInAccount};
pub use error::{ApiError, FieldError, Refusal};
pub use query::with_query;
#[cfg(feature = "ssr")]
pub use service::{Clock, ServiceError, now, service};
