//! «История уведомлений»: the person's own messages with their delivery status, and «Отправить
//! повторно» — reserved once per message in the transaction that writes the new one.

use app::api::{Refusal, ServiceError, SignedInAccount};
use app::domain::{Phone, format_ru_datetime};
use app::notifications::history::{
    DeliveryState, HISTORY_LIMIT, HistoryEntry, HistoryFilter, HistoryPage, NotificationHistory,
    Resend,
};

use super::NotificationCentre;
use crate::db::outbox::{self, DeliveryStep, HistoryRow, MessageStatus};
use crate::db::{accounts, push_subscriptions};
use crate::family::not_found;
use crate::outbox::Channel;

/// The statuses a state is stored as (a retry is a queued message with a retry line).
fn statuses(state: DeliveryState) -> &'static [MessageStatus] {
    match state {
        DeliveryState::Sending | DeliveryState::Retrying => {
            &[MessageStatus::Queued, MessageStatus::Sending]
        }
        DeliveryState::Sent => &[MessageStatus::Sent],
        DeliveryState::Delivered => &[MessageStatus::Delivered],
        DeliveryState::Rejected => &[MessageStatus::Failed],
    }
}

fn state_of(row: &HistoryRow) -> DeliveryState {
    let retried =
        row.last_step.as_deref().and_then(DeliveryStep::parse) == Some(DeliveryStep::Retry);
    match row.status {
        MessageStatus::Queued | MessageStatus::Sending if retried => DeliveryState::Retrying,
        MessageStatus::Queued | MessageStatus::Sending => DeliveryState::Sending,
        MessageStatus::Sent => DeliveryState::Sent,
        MessageStatus::Delivered => DeliveryState::Delivered,
        MessageStatus::Failed => DeliveryState::Rejected,
    }
}

/// The text shown: a secret's is never shown (removed once delivered; not yet, while queued).
fn text_of(row: &HistoryRow, channel: Channel) -> Option<String> {
    if row.holds_secret {
        return None;
    }
    match channel {
        // The push body is the service worker's JSON: show its text.
        Channel::Push => serde_json::from_str::<serde_json::Value>(&row.body)
            .ok()
            .and_then(|v| v["body"].as_str().map(str::to_owned)),
        _ => Some(row.body.clone()),
    }
}

impl NotificationCentre {
    fn entry(&self, row: HistoryRow, devices: &[(i64, String)]) -> Option<HistoryEntry> {
        let channel = Channel::parse(&row.channel)?;
        let state = state_of(&row);
        let device = devices
            .iter()
            .find(|(id, _)| id.to_string() == row.recipient)
            .map(|(_, d)| d.clone());
        // A push goes again only to the same browser, while it is connected.
        let reachable = channel != Channel::Push || device.is_some();
        let recipient = match channel {
            Channel::Email => row.recipient.clone(),
            Channel::Sms => Phone::parse(&row.recipient)
                .map_or_else(|_| row.recipient.clone(), |p| p.to_string()),
            Channel::InApp => "Личный кабинет".to_owned(),
            Channel::Push => device.unwrap_or_else(|| "Отключённый браузер".to_owned()),
        };
        let reason = match state {
            DeliveryState::Rejected | DeliveryState::Retrying => row.last_detail.clone(),
            _ => None,
        };
        let resend = match (state, row.holds_secret, row.resent_at) {
            (DeliveryState::Rejected, _, Some(_)) => Resend::Done,
            (DeliveryState::Rejected, true, None) => Resend::HeldASecret,
            (DeliveryState::Rejected, false, None) if reachable => Resend::Possible,
            _ => Resend::NotNeeded,
        };
        Some(HistoryEntry {
            id: row.id,
            channel: channel.notice_channel(),
            recipient,
            subject: row.subject.clone(),
            text: text_of(&row, channel),
            at: format_ru_datetime(row.created_at),
            state,
            reason,
            resend,
        })
    }
}

#[async_trait::async_trait]
impl NotificationHistory for NotificationCentre {
    async fn history(
        &self,
        account: &SignedInAccount,
        filter: &HistoryFilter,
    ) -> Result<HistoryPage, ServiceError> {
        let rows = outbox::history(
            &self.db,
            account.account_id,
            filter.channel.map(|c| c.as_str()),
            filter.state.map_or(&[][..], statuses),
            i64::from(HISTORY_LIMIT),
        )
        .await?;
        let devices: Vec<(i64, String)> =
            push_subscriptions::of_account(&self.db, account.account_id)
                .await?
                .into_iter()
                .map(|s| (s.id, s.device))
                .collect();
        let entries = rows
            .into_iter()
            .filter_map(|row| self.entry(row, &devices))
            .filter(|e| filter.state.is_none_or(|s| s == e.state))
            .collect();
        Ok(HistoryPage { entries })
    }

    async fn resend(&self, account: &SignedInAccount, id: i64) -> Result<(), ServiceError> {
        if let Err(not_until) = self.resends.check_key(&account.account_id) {
            return Err(ServiceError::Throttled {
                retry_after_seconds: crate::benefits::applications::admission::retry_after(
                    &not_until,
                ),
            });
        }
        let now = self.clock.now();
        let stored = accounts::by_id(&self.db, account.account_id)
            .await?
            .ok_or_else(not_found)?;
        let mut tx = self.db.begin().await?;
        let Some(new_id) = self.outbox.resend(&mut tx, &stored, id, now).await? else {
            drop(tx);
            // Why not: another's or missing (404), sent again already, or not a refused notice.
            let resent_at = outbox::resent_at_of(&self.db, account.account_id, id)
                .await?
                .ok_or_else(not_found)?;
            return Err(ServiceError::Refused(if resent_at.is_some() {
                Refusal::AlreadyResent
            } else {
                Refusal::NotResendable
            }));
        };
        tx.commit().await?;
        self.outbox.wake();
        tracing::info!(
            event = "notifications.resent",
            account_id = account.account_id,
            message_id = id,
            new_message_id = new_id,
            "notice sent again"
        );
        Ok(())
    }
}
