//! «Настройки доступа» and the minor's own services: what a parent lets a child or teen use
//! (`settings`, on the child's card), and the catalogue the minor uses under those settings
//! (`services`), every use decided on the server by `domain::access`.

pub mod grants;
pub mod services;
mod services_page;
pub mod settings;
mod settings_page;

pub use services_page::MinorServicesPage;
pub use settings_page::AccessSettingsPage;
