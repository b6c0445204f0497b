//! Delivers what the outbox holds: claims due messages with a lease, hands each to its channel's
//! transport, records the outcome, and retries temporary failures with exponential backoff and
//! jitter until [`MAX_ATTEMPTS`]. A crashed dispatcher's lease runs out and the message is
//! claimed again, so delivery is at least once.

use std::sync::Arc;
use std::time::Duration as StdDuration;

use rand::Rng;
use time::Duration;
use tokio::sync::Notify;

use super::Channel;
use super::transport::{Delivery, DeliveryError, Transport};
use crate::backoff::retry_delay;
use crate::clock::Clock;
use crate::db::outbox::{self, Attempt, StoredMessage};
use crate::db::{Database, StorageError};

pub const MAX_ATTEMPTS: i32 = 8;
const LEASE: Duration = Duration::minutes(2);
const BATCH: i64 = 20;

/// The transport of each channel.
#[derive(Clone)]
pub struct Transports {
    pub email: Arc<dyn Transport>,
    pub sms: Arc<dyn Transport>,
    pub push: Arc<dyn Transport>,
    pub in_app: Arc<dyn Transport>,
}

#[derive(Clone)]
pub struct Dispatcher {
    pub db: Database,
    pub clock: Arc<dyn Clock>,
    pub transports: Transports,
    pub wake: Arc<Notify>,
    /// How often to look for due messages when nothing wakes it.
    pub poll_every: StdDuration,
}

impl Dispatcher {
    fn transport(&self, channel: &str) -> Option<&Arc<dyn Transport>> {
        match Channel::parse(channel)? {
            Channel::Email => Some(&self.transports.email),
            Channel::Sms => Some(&self.transports.sms),
            Channel::Push => Some(&self.transports.push),
            Channel::InApp => Some(&self.transports.in_app),
        }
    }

    /// Claims and delivers one batch; returns how many messages it handled.
    pub async fn run_once(&self) -> Result<usize, StorageError> {
        let now = self.clock.now();
        let claimed = outbox::claim(&self.db, now, LEASE, BATCH).await?;
        for message in &claimed {
            self.deliver(message).await?;
        }
        Ok(claimed.len())
    }

    async fn deliver(&self, message: &StoredMessage) -> Result<(), StorageError> {
        let outcome = match self.transport(&message.channel) {
            Some(transport) => transport.deliver(message).await,
            None => Err(DeliveryError::Permanent(format!(
                "неизвестный канал {}",
                message.channel
            ))),
        };
        let at = self.clock.now();
        let (attempt, detail) = match outcome {
            Ok(Delivery::Sent(detail)) => (Attempt::Sent, detail),
            Ok(Delivery::Delivered(detail)) => (Attempt::Delivered, detail),
            Err(DeliveryError::Permanent(reason)) => (Attempt::Failed, reason),
            Err(DeliveryError::Temporary(reason)) if message.attempts >= MAX_ATTEMPTS => (
                Attempt::Failed,
                format!("{reason}; попыток: {}", message.attempts),
            ),
            Err(DeliveryError::Temporary(reason)) => {
                let delay = retry_delay(message.attempts, rand::rng().random());
                (Attempt::RetryAt(at + delay), reason)
            }
        };
        if attempt == Attempt::Failed {
            tracing::warn!(message_id = message.id, channel = %message.channel, %detail, "message not delivered");
        }
        outbox::record_attempt(&self.db, message.id, attempt, &detail, at).await
    }

    /// Runs until the task is dropped.
    pub async fn run(self) {
        loop {
            match self.run_once().await {
                Ok(handled) if handled > 0 => continue,
                Ok(_) => {}
                Err(e) => tracing::error!(error = %e, "outbox dispatcher failed"),
            }
            tokio::select! {
                () = self.wake.notified() => {}
                () = tokio::time::sleep(self.poll_every) => {}
            }
        }
    }
}
