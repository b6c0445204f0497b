//! The account's in-app notifications («Уведомления»).

use app::api::{ServiceError, SignedInAccount};
use app::domain::format_ru_datetime;
use app::notifications::{Notification, NotificationService};

use super::AccountService;
use crate::db::outbox;

#[async_trait::async_trait]
impl NotificationService for AccountService {
    async fn notifications(
        &self,
        signed_in: &SignedInAccount,
    ) -> Result<Vec<Notification>, ServiceError> {
        let now = self.clock.now();
        let items = outbox::in_app_for(&self.db, signed_in.account_id, 100).await?;
        if let Some(newest) = items.first() {
            outbox::mark_read(&self.db, signed_in.account_id, newest.id, now).await?;
        }
        Ok(items
            .into_iter()
            .map(|m| Notification {
                id: m.id,
                title: m.subject,
                text: m.body,
                at: format_ru_datetime(m.created_at),
                new: m.read_at.is_none(),
            })
            .collect())
    }

    async fn unread(&self, signed_in: &SignedInAccount) -> Result<u32, ServiceError> {
        let count = outbox::unread_count(&self.db, signed_in.account_id).await?;
        Ok(u32::try_from(count).unwrap_or(u32::MAX))
    }
}
