//! The development mailbox: without SMTP or an SMS gateway, e-mails and SMS are "delivered" by
//! staying in the outbox table, and `/dev/mailbox` shows them with their delivery history.
//!
//! Delivery removes a message's text from the table (it may hold a code or a link). While the
//! mailbox page is on (development, or the end-to-end tests' explicit setting), the transport
//! keeps the newest texts in memory, so a developer can still read the code they were sent;
//! nothing of it is at rest, and a production server without the page keeps no copy.

use std::collections::{BTreeSet, HashMap, VecDeque};
use std::sync::{Arc, Mutex};

use app::api::ServiceError;
use app::domain::format_ru_datetime;
use app::mailbox::DevMailboxService;
use app::mailbox::{DeliveryEvent, MailboxMessage};

use super::Channel;
use super::transport::{Delivery, DeliveryError, Transport};
use crate::db::outbox::StoredMessage;
use crate::db::{self, Database};

/// How many texts the mailbox remembers.
const KEPT: usize = 500;

/// The texts of the newest messages delivered into the mailbox, in memory only.
#[derive(Clone, Default)]
pub struct MailboxCopies(Arc<Mutex<VecDeque<(i64, String)>>>);

impl MailboxCopies {
    fn keep(&self, id: i64, body: &str) {
        let mut kept = self.0.lock().unwrap_or_else(|e| e.into_inner());
        if kept.len() >= KEPT {
            kept.pop_front();
        }
        kept.push_back((id, body.to_owned()));
    }

    /// The text of message `id` as it was delivered, if still remembered.
    pub fn text(&self, id: i64) -> Option<String> {
        let kept = self.0.lock().unwrap_or_else(|e| e.into_inner());
        kept.iter()
            .rev()
            .find(|(kept_id, _)| *kept_id == id)
            .map(|(_, body)| body.clone())
    }

    /// The messages with their delivered text where it is remembered.
    pub fn restore(&self, mut messages: Vec<StoredMessage>) -> Vec<StoredMessage> {
        for m in &mut messages {
            if let Some(body) = self.text(m.id) {
                m.body = body;
            }
        }
        messages
    }
}

/// Recipients the mailbox refuses (set on its page), in memory only; at most [`KEPT_REFUSALS`].
#[derive(Clone, Default)]
pub struct Refusals(Arc<Mutex<BTreeSet<String>>>);

const KEPT_REFUSALS: usize = 100;

impl Refusals {
    /// An e-mail lower-cased, a phone as stored (+7XXXXXXXXXX).
    fn normalised(recipient: &str) -> String {
        match app::domain::Phone::parse(recipient) {
            Ok(phone) => phone.e164(),
            Err(_) => recipient.trim().to_lowercase(),
        }
    }

    fn list(&self) -> Vec<String> {
        let kept = self.0.lock().unwrap_or_else(|e| e.into_inner());
        kept.iter().cloned().collect()
    }

    fn set(&self, recipient: &str, refuse: bool) {
        let recipient = Self::normalised(recipient);
        if recipient.is_empty() {
            return;
        }
        let mut kept = self.0.lock().unwrap_or_else(|e| e.into_inner());
        if !refuse {
            kept.remove(&recipient);
        } else if kept.len() < KEPT_REFUSALS {
            kept.insert(recipient);
        }
    }

    fn refuses(&self, recipient: &str) -> bool {
        let kept = self.0.lock().unwrap_or_else(|e| e.into_inner());
        kept.contains(recipient)
    }
}

/// The transport that delivers into the mailbox; with `copies`, it remembers the texts.
#[derive(Clone, Default)]
pub struct Mailbox {
    pub copies: Option<MailboxCopies>,
    pub refusals: Refusals,
}

#[async_trait::async_trait]
impl Transport for Mailbox {
    async fn deliver(&self, message: &StoredMessage) -> Result<Delivery, DeliveryError> {
        if self.refusals.refuses(&message.recipient) {
            return Err(DeliveryError::Permanent(
                match Channel::parse(&message.channel) {
                    Some(Channel::Sms) => "оператор связи отклонил СМС: абонент недоступен",
                    _ => "почтовый сервер получателя отклонил письмо: ящик недоступен",
                }
                .to_owned(),
            ));
        }
        // Kept before the dispatcher records the delivery (and removes the stored text).
        if let Some(copies) = &self.copies {
            copies.keep(message.id, &message.body);
        }
        Ok(Delivery::Delivered(
            "Доставлено в почтовый ящик разработчика".to_owned(),
        ))
    }
}

/// The page's reader.
pub struct MailboxReader {
    pub db: Database,
    pub copies: MailboxCopies,
    pub refusals: Refusals,
}

#[async_trait::async_trait]
impl DevMailboxService for MailboxReader {
    async fn newest(&self, limit: u32) -> Result<Vec<MailboxMessage>, ServiceError> {
        let channels = [Channel::Email.as_str(), Channel::Sms.as_str()];
        let messages = self
            .copies
            .restore(db::outbox::newest(&self.db, &channels, i64::from(limit)).await?);
        let ids: Vec<i64> = messages.iter().map(|m| m.id).collect();
        let mut history: HashMap<i64, Vec<DeliveryEvent>> = HashMap::new();
        for event in db::outbox::events(&self.db, &ids).await? {
            history
                .entry(event.message_id)
                .or_default()
                .push(DeliveryEvent {
                    status: event.status.title().to_owned(),
                    detail: event.detail,
                    at: format_ru_datetime(event.at),
                });
        }
        Ok(messages
            .into_iter()
            .map(|m| MailboxMessage {
                id: m.id,
                channel: Channel::parse(&m.channel)
                    .map(Channel::title)
                    .unwrap_or("—")
                    .to_owned(),
                recipient: m.recipient,
                subject: m.subject,
                body: m.body,
                created_at: format_ru_datetime(m.created_at),
                history: history.remove(&m.id).unwrap_or_default(),
            })
            .collect())
    }

    fn refusals(&self) -> Vec<String> {
        self.refusals.list()
    }

    fn set_refusal(&self, recipient: &str, refuse: bool) {
        self.refusals.set(recipient, refuse);
    }
}
