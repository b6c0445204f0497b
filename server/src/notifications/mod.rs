//! The notification centre's server side: «Настройки уведомлений» (`settings`), the browsers
//! connected for push (`devices`), «История уведомлений» with «Отправить повторно» (`history`),
//! and the reminders and weekly summaries the nightly sweep sends (`reminders`). Delivery itself
//! is the outbox's (`crate::outbox`, push in `outbox::push`).

mod devices;
mod history;
pub mod reminders;
mod settings;

use std::sync::Arc;

use governor::DefaultKeyedRateLimiter;

use app::api::Clock;

use crate::db::Database;
use crate::outbox::Outbox;
use crate::outbox::push::PushServices;
use crate::secret_box::SecretBox;

/// «Отправить повторно» per account per hour.
pub const RESENDS_PER_HOUR: u32 = 20;

pub struct NotificationCentre {
    pub db: Database,
    pub clock: Arc<dyn Clock>,
    pub outbox: Outbox,
    /// Seals push subscriptions (the server key).
    pub sealer: SecretBox,
    /// The VAPID public key browsers subscribe with.
    pub push_key: String,
    pub push_services: PushServices,
    pub resends: Arc<DefaultKeyedRateLimiter<i64>>,
    /// `https://portal.example.ru`: where links in messages point.
    pub public_url: String,
}
