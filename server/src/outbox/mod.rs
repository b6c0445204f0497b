//! Outgoing messages. A change that must tell someone (a new account, a code, a status) writes
//! the message into `outbox_messages` in its own transaction — so a message exists exactly when
//! the change does — and the [`dispatcher`] delivers it afterwards through a [`transport`], with
//! retries, keeping a delivery history per message.

pub mod dispatcher;
pub mod mailbox;
pub mod push;
pub mod transport;

use std::sync::Arc;

use time::OffsetDateTime;
use tokio::sync::Notify;

use app::notifications::settings::{NoticeChannel, NoticeEvent};

use crate::db::accounts::StoredAccount;
use crate::db::outbox::{self, NewMessage};
use crate::db::{StorageError, Tx, notification_settings, push_subscriptions};

/// How a message reaches its recipient.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Channel {
    Email,
    Sms,
    /// Web Push to one browser; the recipient is its `push_subscriptions` id.
    Push,
    /// Shown in «Уведомления» on the portal.
    InApp,
}

impl Channel {
    pub const ALL: [Channel; 4] = [Self::Email, Self::Sms, Self::Push, Self::InApp];

    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Email => "email",
            Channel::Sms => "sms",
            Channel::Push => "push",
            Channel::InApp => "in_app",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == text)
    }

    /// As the mailbox page names it.
    pub fn title(self) -> &'static str {
        match self {
            Channel::Email => "Электронная почта",
            Channel::Sms => "СМС",
            Channel::Push => "Push-уведомление",
            Channel::InApp => "Уведомление на портале",
        }
    }

    /// The same channel as «Настройки уведомлений» names it.
    pub fn notice_channel(self) -> NoticeChannel {
        match self {
            Channel::Email => NoticeChannel::Email,
            Channel::Sms => NoticeChannel::Sms,
            Channel::Push => NoticeChannel::Push,
            Channel::InApp => NoticeChannel::InApp,
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
    /// A message that may carry a code or a link: its text goes once it is delivered or given
    /// up, and it is never sent again.
    pub async fn enqueue(
        &self,
        tx: &mut Tx,
        message: &Message,
        at: OffsetDateTime,
    ) -> Result<i64, StorageError> {
        write(tx, message, true, at).await
    }

    /// A notice: no secret in it, so its text stays and «Отправить повторно» may send it again.
    pub async fn enqueue_notice(
        &self,
        tx: &mut Tx,
        message: &Message,
        at: OffsetDateTime,
    ) -> Result<i64, StorageError> {
        write(tx, message, false, at).await
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
            self.enqueue_notice(tx, &message, at).await?;
        }
        Ok(())
    }

    /// Writes one message for each channel the person chose for the notice's event, read in the
    /// same transaction (push: one per connected browser); returns how many. SMS carries only
    /// the subject and the link.
    pub async fn notify(
        &self,
        tx: &mut Tx,
        account: &StoredAccount,
        notice: &Notice,
        at: OffsetDateTime,
    ) -> Result<usize, StorageError> {
        notify(tx, account, notice, at).await
    }

    /// «Отправить повторно»: a refused notice of the account's again, as a new message to the
    /// address the account has now (the person may have corrected it). `None` when the message
    /// is not a refused notice of theirs not yet sent again.
    pub async fn resend(
        &self,
        tx: &mut Tx,
        account: &StoredAccount,
        id: i64,
        at: OffsetDateTime,
    ) -> Result<Option<i64>, StorageError> {
        let Some(old) = outbox::reserve_resend(tx, account.id, id, at).await? else {
            return Ok(None);
        };
        let Some(channel) = Channel::parse(&old.channel) else {
            return Ok(None);
        };
        let recipient = match channel {
            Channel::Email => Some(account.email.clone()),
            Channel::Sms => account.phone.clone(),
            Channel::InApp => Some(account.id.to_string()),
            // The same browser, if still connected.
            Channel::Push => push_subscriptions::ids_in(tx, account.id)
                .await?
                .into_iter()
                .map(|id| id.to_string())
                .find(|id| *id == old.recipient),
        };
        let Some(recipient) = recipient else {
            return Ok(None);
        };
        let message = Message {
            account_id: Some(account.id),
            channel,
            recipient,
            subject: old.subject,
            body: old.body,
        };
        Ok(Some(write(tx, &message, false, at).await?))
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

async fn write(
    tx: &mut Tx,
    message: &Message,
    holds_secret: bool,
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
            holds_secret,
        },
        at,
    )
    .await
}

/// [`Outbox::notify`] for writers that hold no `Outbox` (the journal's): the dispatcher finds the
/// messages on its next poll.
pub async fn notify(
    tx: &mut Tx,
    account: &StoredAccount,
    notice: &Notice,
    at: OffsetDateTime,
) -> Result<usize, StorageError> {
    let settings = notification_settings::of_account_in(tx, account.id).await?;
    let full = format!("{} Подробности: {}", notice.text, notice.link);
    let mut messages = Vec::new();
    for choice in NoticeChannel::ALL {
        if !settings.allows(notice.event, choice) {
            continue;
        }
        match (choice, &account.phone) {
            (NoticeChannel::Email, _) => {
                messages.push((Channel::Email, account.email.clone(), full.clone()));
            }
            (NoticeChannel::InApp, _) => {
                messages.push((Channel::InApp, account.id.to_string(), full.clone()));
            }
            (NoticeChannel::Sms, Some(phone)) => messages.push((
                Channel::Sms,
                phone.clone(),
                format!("{}. {} Госуслуги", notice.subject, notice.link),
            )),
            (NoticeChannel::Sms, None) => {}
            (NoticeChannel::Push, _) => {
                for id in push_subscriptions::ids_in(tx, account.id).await? {
                    messages.push((Channel::Push, id.to_string(), push_payload(notice)));
                }
            }
        }
    }
    for (channel, recipient, body) in &messages {
        let message = Message {
            account_id: Some(account.id),
            channel: *channel,
            recipient: recipient.clone(),
            subject: notice.subject.clone(),
            body: body.clone(),
        };
        write(tx, &message, false, at).await?;
    }
    Ok(messages.len())
}

/// The portal's address as users reach it, for links in notices written deep inside other
/// features' transactions (the journal's); set once at start-up from `PUBLIC_URL`.
static PUBLIC_URL: std::sync::OnceLock<String> = std::sync::OnceLock::new();

pub fn set_public_url(url: &str) {
    let _ = PUBLIC_URL.set(url.trim_end_matches('/').to_owned());
}

/// `path` on the portal, as a link in a message.
pub fn portal_link(path: &str) -> String {
    format!("{}{path}", PUBLIC_URL.get().map_or("", String::as_str))
}

/// What the service worker shows: the title, the text and where a tap leads.
fn push_payload(notice: &Notice) -> String {
    serde_json::json!({
        "title": notice.subject,
        "body": notice.text,
        "url": notice.link,
    })
    .to_string()
}

#[cfg(test)]
mod tests {
    use super::Channel;

    #[test]
    fn channels_round_trip_through_their_stored_names() {
        for channel in Channel::ALL {
            assert_eq!(Channel::parse(channel.as_str()), Some(channel));
            assert_eq!(channel.notice_channel().as_str(), channel.as_str());
        }
    }
}
