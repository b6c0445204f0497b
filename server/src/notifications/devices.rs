//! The browsers a person connected for push: checked (a known push service's address, keys of
//! the right shape), kept sealed, at most `MAX_DEVICES`, disconnected by their owner only.

use app::api::{FieldError, ServiceError, SignedInAccount};
use app::notifications::push::{BrowserSubscription, CONNECT_FIELD, MAX_DEVICES, PushDevices};
use app::notifications::settings::SettingsView;

use super::NotificationCentre;
use crate::db::push_subscriptions;
use crate::family::not_found;
use crate::outbox::push;

fn refused(code: &str, message: &str) -> ServiceError {
    ServiceError::Invalid(vec![FieldError::new(CONNECT_FIELD, code, message)])
}

#[async_trait::async_trait]
impl PushDevices for NotificationCentre {
    async fn connect(
        &self,
        account: &SignedInAccount,
        subscription: BrowserSubscription,
        device: String,
    ) -> Result<SettingsView, ServiceError> {
        push::check(&subscription, &self.push_services)
            .map_err(|message| refused("push.subscription_invalid", &message))?;
        let (endpoint_hash, sealed) = push::seal(&subscription, &self.sealer);
        let mut tx = self.db.begin().await?;
        let kept = push_subscriptions::keep(
            &mut tx,
            account.account_id,
            &endpoint_hash,
            &sealed,
            &device,
            MAX_DEVICES as i64,
            self.clock.now(),
        )
        .await?;
        if kept.is_none() {
            return Err(refused(
                "push.too_many_browsers",
                &format!(
                    "Подключено {MAX_DEVICES} браузеров — отключите ненужный, чтобы подключить этот"
                ),
            ));
        }
        tx.commit().await?;
        tracing::info!(
            event = "push.connected",
            account_id = account.account_id,
            "browser connected for push"
        );
        self.settings_view(account.account_id).await
    }

    async fn disconnect(
        &self,
        account: &SignedInAccount,
        id: i64,
    ) -> Result<SettingsView, ServiceError> {
        if !push_subscriptions::remove(&self.db, account.account_id, id).await? {
            return Err(not_found());
        }
        self.settings_view(account.account_id).await
    }
}
