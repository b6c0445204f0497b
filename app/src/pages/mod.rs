//! Section pages. Each page is assembled from `components`; features with their own server
//! functions live in their own modules (see `support`).

mod applications;
mod documents;
mod help;
mod home;
mod not_found;

pub use applications::StatusGuide;
pub use documents::DocumentsPage;
pub use help::HelpPage;
pub use home::HomePage;
pub use not_found::NotFoundPage;
