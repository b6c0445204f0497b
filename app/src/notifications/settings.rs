//! «Настройки уведомлений»: which events reach the person, and by which channels — e-mail, SMS,
//! push to a connected browser, or in their personal account. Saved with «Сохранить»; the
//! server's outbox reads them whenever an event is told, so a channel switched off gets nothing
//! about that event. Until the person saves, [`NotificationSettings::default`] applies.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::api::ApiError;
#[cfg(feature = "ssr")]
use crate::api::{ServiceError, SignedInAccount};

/// What happened, as the seeds list the kinds of message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NoticeEvent {
    /// The application was sent and registered.
    Submitted,
    /// A document registered: a child's documents confirmed by the registries, or not.
    NewDocument,
    /// Any other move between statuses (an answer sent, an appeal taken, a long review).
    StatusChanged,
    /// «Требуется уточнение»: the officer asks for a document or an answer.
    DocumentsRequested,
    /// An approval, a refusal, an appeal's outcome.
    FinalDecision,
    /// A date coming up: the last days to appeal a refusal.
    DeadlineReminder,
    /// A minor's sign-in, or someone opening a minor's data (a parent, an officer).
    ChildActivity,
    /// Once a week, what a linked minor's journal holds for the week. By e-mail only.
    JournalSummary,
}

impl NoticeEvent {
    pub const ALL: [NoticeEvent; 8] = [
        NoticeEvent::Submitted,
        NoticeEvent::NewDocument,
        NoticeEvent::StatusChanged,
        NoticeEvent::DocumentsRequested,
        NoticeEvent::FinalDecision,
        NoticeEvent::DeadlineReminder,
        NoticeEvent::ChildActivity,
        NoticeEvent::JournalSummary,
    ];

    /// The stored code.
    pub fn as_str(self) -> &'static str {
        match self {
            NoticeEvent::Submitted => "submitted",
            NoticeEvent::NewDocument => "new_document",
            NoticeEvent::StatusChanged => "status_changed",
            NoticeEvent::DocumentsRequested => "documents_requested",
            NoticeEvent::FinalDecision => "final_decision",
            NoticeEvent::DeadlineReminder => "deadline_reminder",
            NoticeEvent::ChildActivity => "child_activity",
            NoticeEvent::JournalSummary => "journal_summary",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|e| e.as_str() == code)
    }

    /// The seeds' words.
    pub fn label(self) -> &'static str {
        match self {
            NoticeEvent::Submitted => "Подтверждение подачи заявления",
            NoticeEvent::NewDocument => "Регистрация нового документа",
            NoticeEvent::StatusChanged => "Изменение статуса",
            NoticeEvent::DocumentsRequested => "Запрос дополнительных документов",
            NoticeEvent::FinalDecision => "Окончательное решение",
            NoticeEvent::DeadlineReminder => "Напоминание о предстоящих сроках",
            NoticeEvent::ChildActivity => "Входы и обращения к данным ребёнка",
            NoticeEvent::JournalSummary => "Еженедельная сводка журнала активности",
        }
    }

    /// The channels this event can come by: the weekly summary is a letter.
    pub fn channels(self) -> &'static [NoticeChannel] {
        match self {
            NoticeEvent::JournalSummary => &[NoticeChannel::Email],
            _ => &NoticeChannel::ALL,
        }
    }

    pub fn offers(self, channel: NoticeChannel) -> bool {
        self.channels().contains(&channel)
    }
}

/// How a notice reaches the person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NoticeChannel {
    Email,
    Sms,
    /// Web Push to each browser the person connected.
    Push,
    /// «Уведомления» in the personal account.
    InApp,
}

impl NoticeChannel {
    pub const ALL: [NoticeChannel; 4] = [
        NoticeChannel::Email,
        NoticeChannel::Sms,
        NoticeChannel::Push,
        NoticeChannel::InApp,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            NoticeChannel::Email => "email",
            NoticeChannel::Sms => "sms",
            NoticeChannel::Push => "push",
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
            NoticeChannel::Push => "Push-уведомления",
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
    /// Before the person chooses: applications and documents by e-mail and in the personal
    /// account; a minor's sign-ins and the views of their data in the personal account only (they
    /// can be many); no SMS, no push (a browser must be connected first), no weekly summary.
    fn default() -> Self {
        let chosen = NoticeEvent::ALL
            .into_iter()
            .flat_map(|event| {
                let channels: &[NoticeChannel] = match event {
                    NoticeEvent::ChildActivity => &[NoticeChannel::InApp],
                    NoticeEvent::JournalSummary => &[],
                    _ => &[NoticeChannel::Email, NoticeChannel::InApp],
                };
                channels
                    .iter()
                    .map(move |&channel| Choice { event, channel })
            })
            .collect();
        NotificationSettings { chosen }
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

    /// A chosen pair the event does not come by (the weekly summary by SMS, say).
    pub fn first_unoffered(&self) -> Option<Choice> {
        self.chosen
            .iter()
            .copied()
            .find(|c| !c.event.offers(c.channel))
    }

    pub fn wants(&self, channel: NoticeChannel) -> bool {
        self.chosen.iter().any(|c| c.channel == channel)
    }
}

/// A browser connected for push, as the settings page lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PushDevice {
    pub id: i64,
    /// «Chrome, Android».
    pub device: String,
    /// «07.12.2026 09:15».
    pub connected_at: String,
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
    /// The browsers connected for push, newest first.
    pub push_devices: Vec<PushDevice>,
    /// The server's VAPID public key (base64url), which a browser subscribes with.
    pub push_key: String,
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
/// The field a push choice without a connected browser is refused at.
pub const PUSH_FIELD: &str = "notify-push";

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
    if let Some(choice) = settings.first_unoffered() {
        return Err(ApiError::Invalid(vec![crate::api::FieldError::new(
            &box_id(choice),
            "notifications.channel_not_offered",
            &format!(
                "«{}» приходит только по электронной почте",
                choice.event.label()
            ),
        )]));
    }
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
            let (mail, in_app) = match event {
                NoticeEvent::ChildActivity => (false, true),
                NoticeEvent::JournalSummary => (false, false),
                _ => (true, true),
            };
            assert_eq!(
                settings.allows(event, NoticeChannel::Email),
                mail,
                "{event:?}"
            );
            assert_eq!(
                settings.allows(event, NoticeChannel::InApp),
                in_app,
                "{event:?}"
            );
            assert!(!settings.allows(event, NoticeChannel::Sms));
            assert!(!settings.allows(event, NoticeChannel::Push));
        }
        assert_eq!(settings.first_unoffered(), None);
    }

    #[test]
    fn the_weekly_summary_comes_by_e_mail_only() {
        let by_sms = Choice {
            event: NoticeEvent::JournalSummary,
            channel: NoticeChannel::Sms,
        };
        let settings = NotificationSettings {
            chosen: vec![by_sms],
        };
        assert_eq!(settings.first_unoffered(), Some(by_sms));
        assert!(NoticeEvent::JournalSummary.offers(NoticeChannel::Email));
        assert!(NoticeEvent::ChildActivity.offers(NoticeChannel::Push));
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
