//! «История уведомлений» (`/notifications/history`): every message the portal sent the person —
//! its channel, time and delivery status («Доставлено», «Отклонено» with the reason) — filtered
//! by channel and status in the address, followed live while any is on its way, and «Отправить
//! повторно» for a notice that was refused.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::api::ApiError;
#[cfg(feature = "ssr")]
use crate::api::{ServiceError, SignedInAccount};

use super::settings::NoticeChannel;

pub const HISTORY_PATH: &str = "/notifications/history";

/// Where a message is, as the person sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeliveryState {
    /// Queued, or being handed over.
    Sending,
    /// A temporary failure; the portal tries again.
    Retrying,
    /// Handed to the mail server, the SMS operator or the push service.
    Sent,
    Delivered,
    /// Refused for good, with the reason.
    Rejected,
}

impl DeliveryState {
    pub const ALL: [DeliveryState; 5] = [
        DeliveryState::Sending,
        DeliveryState::Retrying,
        DeliveryState::Sent,
        DeliveryState::Delivered,
        DeliveryState::Rejected,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            DeliveryState::Sending => "sending",
            DeliveryState::Retrying => "retrying",
            DeliveryState::Sent => "sent",
            DeliveryState::Delivered => "delivered",
            DeliveryState::Rejected => "rejected",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            DeliveryState::Sending => "Отправляется",
            DeliveryState::Retrying => "Повторная попытка",
            DeliveryState::Sent => "Отправлено",
            DeliveryState::Delivered => "Доставлено",
            DeliveryState::Rejected => "Отклонено",
        }
    }

    /// Whether the portal still works on it.
    pub fn pending(self) -> bool {
        matches!(self, DeliveryState::Sending | DeliveryState::Retrying)
    }
}

/// What «Отправить повторно» can do for a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Resend {
    /// Not refused: nothing to send again.
    NotNeeded,
    /// Refused, and a notice: it can go again to the person's address now.
    Possible,
    /// Already sent again, as a new message above.
    Done,
    /// Refused, but it carried a code or a link, which is not kept: ask for a new one.
    HeldASecret,
}

/// One message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryEntry {
    pub id: i64,
    pub channel: NoticeChannel,
    /// The address, number or browser it went to.
    pub recipient: String,
    pub subject: String,
    /// `None` once removed (it carried a code or a link).
    pub text: Option<String>,
    /// «07.12.2026 09:15», Moscow time.
    pub at: String,
    pub state: DeliveryState,
    /// Why it was refused, or why the last attempt failed.
    pub reason: Option<String>,
    pub resend: Resend,
}

/// The choice in the address.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryFilter {
    pub channel: Option<NoticeChannel>,
    pub state: Option<DeliveryState>,
}

/// The filter's fields, named as the query parameters.
pub mod fields {
    pub const CHANNEL: &str = "channel";
    pub const STATE: &str = "state";
}

impl HistoryFilter {
    /// Unknown values read as «any»: the form offers only known ones.
    pub fn from_query<'a>(get: impl Fn(&str) -> Option<String> + 'a) -> Self {
        HistoryFilter {
            channel: get(fields::CHANNEL).and_then(|c| NoticeChannel::parse(&c)),
            state: get(fields::STATE).and_then(|s| DeliveryState::parse(&s)),
        }
    }
}

/// The newest this many messages that the filter finds.
pub const HISTORY_LIMIT: u32 = 100;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryPage {
    pub entries: Vec<HistoryEntry>,
}

impl HistoryPage {
    pub fn pending(&self) -> bool {
        self.entries.iter().any(|e| e.state.pending())
    }
}

#[server(prefix = "/api", endpoint = "notifications/history")]
pub async fn load_notification_history(
    #[server(default)] filter: HistoryFilter,
) -> Result<HistoryPage, ApiError> {
    use crate::api::{request, service};
    let account = request::require_account().await?;
    Ok(service::<dyn NotificationHistory>()?
        .history(&account, &filter)
        .await?)
}

/// «Отправить повторно»: the page again, with the new message.
#[server(prefix = "/api", endpoint = "notifications/resend")]
pub async fn resend_notification(
    id: i64,
    #[server(default)] filter: HistoryFilter,
) -> Result<HistoryPage, ApiError> {
    use crate::api::{request, service};
    let account = request::require_account().await?;
    let history = service::<dyn NotificationHistory>()?;
    history.resend(&account, id).await?;
    Ok(history.history(&account, &filter).await?)
}

#[cfg(feature = "ssr")]
#[async_trait::async_trait]
pub trait NotificationHistory: Send + Sync {
    /// The person's own messages, newest first.
    async fn history(
        &self,
        account: &SignedInAccount,
        filter: &HistoryFilter,
    ) -> Result<HistoryPage, ServiceError>;

    /// A refused notice of the person's own, once, to their address as it is now; anything else
    /// is refused with the reason.
    async fn resend(&self, account: &SignedInAccount, id: i64) -> Result<(), ServiceError>;
}
