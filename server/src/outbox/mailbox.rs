//! The development mailbox: without SMTP or an SMS gateway, e-mails and SMS are "delivered" by
//! staying in the outbox table, and `/dev/mailbox` shows them with their delivery history.

use std::collections::HashMap;

use app::api::services::{DevMailbox, ServiceError};
use app::domain::format_ru_datetime;
use app::mailbox::{DeliveryEvent, MailboxMessage};

use super::Channel;
use super::transport::{Delivery, DeliveryError, Transport};
use crate::db::outbox::StoredMessage;
use crate::db::{self, Database};

/// The transport that delivers into the mailbox.
pub struct Mailbox;

#[async_trait::async_trait]
impl Transport for Mailbox {
    async fn deliver(&self, _: &StoredMessage) -> Result<Delivery, DeliveryError> {
        Ok(Delivery::Delivered(
            "Доставлено в почтовый ящик разработчика".to_owned(),
        ))
    }
}

fn status_title(status: &str) -> &'static str {
    match status {
        "queued" => "В очереди",
        "retry" => "Повторная попытка",
        "sent" => "Отправлено",
        "delivered" => "Доставлено",
        "failed" => "Не доставлено",
        _ => "Отправляется",
    }
}

/// The page's reader.
pub struct MailboxReader {
    pub db: Database,
}

#[async_trait::async_trait]
impl DevMailbox for MailboxReader {
    async fn newest(&self, limit: u32) -> Result<Vec<MailboxMessage>, ServiceError> {
        let channels = [Channel::Email.as_str(), Channel::Sms.as_str()];
        let messages = db::outbox::newest(&self.db, &channels, i64::from(limit)).await?;
        let ids: Vec<i64> = messages.iter().map(|m| m.id).collect();
        let mut history: HashMap<i64, Vec<DeliveryEvent>> = HashMap::new();
        for event in db::outbox::events(&self.db, &ids).await? {
            history
                .entry(event.message_id)
                .or_default()
                .push(DeliveryEvent {
                    status: status_title(&event.status).to_owned(),
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
}
