//! Outgoing messages. A change that must tell someone (a new account, a code, a status) writes
//! the message into `outbox_messages` in its own transaction — so a message exists exactly when
//! the change does — and the [`dispatcher`] delivers it afterwards through a [`transport`], with
//! retries, keeping a delivery history per message.

pub mod dispatcher;
pub mod mailbox;
pub mod transport;

use std::sync::Arc;

use time::OffsetDateTime;
use tokio::sync::Notify;

use app::notifications::settings::{NoticeChannel, NoticeEvent};

use crate::db::accounts::StoredAccount;
use crate::db::outbox::{self, NewMessage};
use crate::db::{StorageError, Tx, notification_settings};

/// How a message reaches its recipient.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Channel {
    Email,
    Sms,
    /// Shown in «Уведомления» on the portal.
    InApp,
}

impl Channel {
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Email => "email",
            Channel::Sms => "sms",
            Channel::InApp => "in_app",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        [Self::Email, Self::Sms, Self::InApp]
            .into_iter()
            .find(|c| c.as_str() == text)
    }

    /// As the mailbox page names it.
    pub fn title(self) -> &'static str {
        match self {
            Channel::Email => "Электронная почта",
            Channel::Sms => "СМС",
            Channel::InApp => "Уведомление на портале",
        }
    }
}

/// A message to write into the outbox.
#[derive(Debug, Clone)]
pub struct Message {
    pub account_id: Option<i64>,
    pub channel: Channel,
    /// An e-mail address, an E.164 phone number, or the account id for in-app messages.
    pub recipient: String,
    pub subject: String,
    pub body: String,
}

/// Something to tell a person about their application, on the channels their «Настройки
/// уведомлений» choose for its event.
#[derive(Debug, Clone)]
pub struct Notice {
    pub event: NoticeEvent,
    pub subject: String,
    /// What happened, without the link: every message ends with the link.
    pub text: String,
    /// The application's page.
    pub link: String,
}

/// Writes messages inside the caller's transaction and wakes the dispatcher after commit.
#[derive(Clone, Default)]
pub struct Outbox {
    wake: Arc<Notify>,
}

impl Outbox {
    pub async fn enqueue(
        &self,
        tx: &mut Tx,
        message: &Message,
        at: OffsetDateTime,
    ) -> Result<i64, StorageError> {
        outbox::insert(
            tx,
            NewMessage {
                account_id: message.account_id,
                channel: message.channel.as_str(),
                recipient: &message.recipient,
                subject: &message.subject,
                body: &message.body,
            },
            at,
        )
        .await
    }

    /// Tells one person the same thing in the personal account and by e-mail, for what is not one
    /// of «Настройки уведомлений»'s events.
    pub async fn tell(
        &self,
        tx: &mut Tx,
        (account_id, email): (i64, &str),
        subject: &str,
        body: &str,
        at: OffsetDateTime,
    ) -> Result<(), StorageError> {
        for (channel, recipient) in [
            (Channel::InApp, account_id.to_string()),
            (Channel::Email, email.to_owned()),
        ] {
            let message = Message {
                account_id: Some(account_id),
                channel,
                recipient,
                subject: subject.to_owned(),
                body: body.to_owned(),
            };
            self.enqueue(tx, &message, at).await?;
        }
        Ok(())
    }

    /// Writes one message for each channel the person chose for the notice's event, read in the
    /// same transaction; returns how many. SMS carries only the subject and the link.
    pub async fn notify(
        &self,
        tx: &mut Tx,
        account: &StoredAccount,
        notice: &Notice,
        at: OffsetDateTime,
    ) -> Result<usize, StorageError> {
        let settings = notification_settings::of_account_in(tx, account.id).await?;
        let full = format!("{} Подробности: {}", notice.text, notice.link);
        let mut written = 0;
        for choice in NoticeChannel::ALL {
            if !settings.allows(notice.event, choice) {
                continue;
            }
            let (channel, recipient, body) = match (choice, &account.phone) {
                (NoticeChannel::Email, _) => (Channel::Email, account.email.clone(), full.clone()),
                (NoticeChannel::InApp, _) => (Channel::InApp, account.id.to_string(), full.clone()),
                (NoticeChannel::Sms, Some(phone)) => (
                    Channel::Sms,
                    phone.clone(),
                    format!("{}. {} Госуслуги", notice.subject, notice.link),
                ),
                (NoticeChannel::Sms, None) => continue,
            };
            let message = Message {
                account_id: Some(account.id),
                channel,
                recipient,
                subject: notice.subject.clone(),
                body,
            };
            self.enqueue(tx, &message, at).await?;
            written += 1;
        }
        Ok(written)
    }

    /// Call after the transaction that enqueued messages has committed. (If it is not called, or
    /// another process wrote the message, the dispatcher finds it on its next poll.)
    pub fn wake(&self) {
        self.wake.notify_one();
    }

    pub(crate) fn waker(&self) -> Arc<Notify> {
        self.wake.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::Channel;

    #[test]
    fn channels_round_trip_through_their_stored_names() {
        for channel in [Channel::Email, Channel::Sms, Channel::InApp] {
            assert_eq!(Channel::parse(channel.as_str()), Some(channel));
        }
    }
}
