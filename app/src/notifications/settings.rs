//! «Настройки уведомлений»: which events of the person's applications reach them, and by which
//! channels — e-mail, SMS, or in their personal account. Saved with «Сохранить»; the server's
//! outbox reads them whenever an application's event is told, so a channel switched off gets
//! nothing about that event. Until the person saves, every event comes by e-mail and in the
//! personal account.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::api::ApiError;
#[cfg(feature = "ssr")]
use crate::api::{ServiceError, SignedInAccount};

/// What happened to an application, as the seed lists the kinds of message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NoticeEvent {
    /// The application was sent and registered.
    Submitted,
    /// Any other move between statuses (an answer sent, an appeal taken, a long review).
    StatusChanged,
    /// «Требуется уточнение»: the officer asks for a document or an answer.
    DocumentsRequested,
    /// An approval, a refusal, an appeal's outcome.
    FinalDecision,
}

impl NoticeEvent {
    pub const ALL: [NoticeEvent; 4] = [
        NoticeEvent::Submitted,
        NoticeEvent::StatusChanged,
        NoticeEvent::DocumentsRequested,
        NoticeEvent::FinalDecision,
    ];

    /// The stored code.
    pub fn as_str(self) -> &'static str {
        match self {
            NoticeEvent::Submitted => "submitted",
            NoticeEvent::StatusChanged => "status_changed",
            NoticeEvent::DocumentsRequested => "documents_requested",
            NoticeEvent::FinalDecision => "final_decision",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|e| e.as_str() == code)
    }

    /// The seed's words.
    pub fn label(self) -> &'static str {
        match self {
            NoticeEvent::Submitted => "Подтверждение подачи заявления",
            NoticeEvent::StatusChanged => "Изменение статуса",
            NoticeEvent::DocumentsRequested => "Запрос дополнительных документов",
            NoticeEvent::FinalDecision => "Окончательное решение",
        }
    }
}

/// How a notice reaches the person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NoticeChannel {
    Email,
    Sms,
    /// «Уведомления» in the personal account (the portal's push).
    InApp,
}

impl NoticeChannel {
    pub const ALL: [NoticeChannel; 3] = [
        NoticeChannel::Email,
        NoticeChannel::Sms,
        NoticeChannel::InApp,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            NoticeChannel::Email => "email",
            NoticeChannel::Sms => "sms",
            NoticeChannel::InApp => "in_app",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            NoticeChannel::Email => "Электронная почта",
            NoticeChannel::Sms => "SMS",
            NoticeChannel::InApp => "В личном кабинете",
        }
    }
}

/// One event by one channel, switched on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Choice {
    pub event: NoticeEvent,
    pub channel: NoticeChannel,
}

/// The pairs switched on; every other pair is off.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotificationSettings {
    #[serde(default)]
    pub chosen: Vec<Choice>,
}

impl Default for NotificationSettings {
    /// Before the person chooses: everything by e-mail and in the personal account, no SMS.
    fn default() -> Self {
        NotificationSettings {
            chosen: NoticeEvent::ALL
                .into_iter()
                .flat_map(|event| {
                    [NoticeChannel::Email, NoticeChannel::InApp]
                        .map(|channel| Choice { event, channel })
                })
                .collect(),
        }
    }
}

impl NotificationSettings {
    pub fn allows(&self, event: NoticeEvent, channel: NoticeChannel) -> bool {
        self.chosen.contains(&Choice { event, channel })
    }

    /// The same choice with each pair once, in a fixed order (events, then channels).
    pub fn normalised(&self) -> Self {
        NotificationSettings {
            chosen: NoticeEvent::ALL
                .into_iter()
                .flat_map(|event| NoticeChannel::ALL.map(|channel| Choice { event, channel }))
                .filter(|choice| self.chosen.contains(choice))
                .collect(),
        }
    }
}

/// The page's data: the choice, and where the messages go.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SettingsView {
    pub settings: NotificationSettings,
    pub email: String,
    /// «+7 912 345-67-89»; `None` when the account has no phone (SMS cannot be chosen).
    pub phone: Option<String>,
    /// «06.12.2026 14:05» when saved; `None` while the defaults apply.
    pub saved_at: Option<String>,
}

/// Field ids: one box per event and channel.
pub fn box_id(choice: Choice) -> String {
    format!(
        "notify-{}-{}",
        choice.event.as_str(),
        choice.channel.as_str()
    )
}

/// The field an SMS choice without a phone is refused at.
pub const SMS_FIELD: &str = "notify-sms";

#[server(prefix = "/api", endpoint = "notifications/settings")]
pub async fn load_notification_settings() -> Result<SettingsView, ApiError> {
    use crate::api::{request, service};
    let account = request::require_account().await?;
    Ok(service::<dyn NotificationPreferences>()?
        .load(&account)
        .await?)
}

/// «Сохранить».
#[server(prefix = "/api", endpoint = "notifications/settings/save")]
pub async fn save_notification_settings(
    #[server(default)] settings: NotificationSettings,
) -> Result<SettingsView, ApiError> {
    use crate::api::{request, service};
    let account = request::require_account().await?;
    Ok(service::<dyn NotificationPreferences>()?
        .save(&account, settings.normalised())
        .await?)
}

#[cfg(feature = "ssr")]
#[async_trait::async_trait]
pub trait NotificationPreferences: Send + Sync {
    async fn load(&self, account: &SignedInAccount) -> Result<SettingsView, ServiceError>;

    async fn save(
        &self,
        account: &SignedInAccount,
        settings: NotificationSettings,
    ) -> Result<SettingsView, ServiceError>;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_read_back() {
        for event in NoticeEvent::ALL {
            assert_eq!(NoticeEvent::parse(event.as_str()), Some(event));
        }
        for channel in NoticeChannel::ALL {
            assert_eq!(NoticeChannel::parse(channel.as_str()), Some(channel));
        }
        assert_eq!(NoticeEvent::parse("push"), None);
    }

    #[test]
    fn defaults_are_email_and_the_personal_account() {
        let settings = NotificationSettings::default();
        for event in NoticeEvent::ALL {
            assert!(settings.allows(event, NoticeChannel::Email));
            assert!(settings.allows(event, NoticeChannel::InApp));
            assert!(!settings.allows(event, NoticeChannel::Sms));
        }
    }

    #[test]
    fn a_choice_is_normalised_once_in_order() {
        let sms = Choice {
            event: NoticeEvent::FinalDecision,
            channel: NoticeChannel::Sms,
        };
        let mail = Choice {
            event: NoticeEvent::Submitted,
            channel: NoticeChannel::Email,
        };
        let settings = NotificationSettings {
            chosen: vec![sms, mail, sms],
        };
        assert_eq!(settings.normalised().chosen, [mail, sms]);
    }
}
