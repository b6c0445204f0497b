//! «Настройки уведомлений» of the signed-in person: read, and saved with «Сохранить». The outbox
//! reads the same rows when it tells the person something (`outbox::notify`).

use app::api::{FieldError, ServiceError, SignedInAccount};
use app::domain::{Phone, format_ru_datetime};
use app::notifications::settings::{
    NoticeChannel, NotificationPreferences, NotificationSettings, PUSH_FIELD, PushDevice,
    SMS_FIELD, SettingsView,
};

use super::NotificationCentre;
use crate::db::{accounts, notification_settings, push_subscriptions};
use crate::family::not_found;

impl NotificationCentre {
    pub(super) async fn settings_view(
        &self,
        account_id: i64,
    ) -> Result<SettingsView, ServiceError> {
        let account = accounts::by_id(&self.db, account_id)
            .await?
            .ok_or_else(not_found)?;
        let (settings, saved_at) = notification_settings::of_account(&self.db, account_id).await?;
        Ok(SettingsView {
            settings,
            email: account.email,
            phone: account
                .phone
                .map(|p| Phone::parse(&p).map_or(p, |phone| phone.to_string())),
            saved_at: saved_at.map(format_ru_datetime),
            push_devices: push_subscriptions::of_account(&self.db, account_id)
                .await?
                .into_iter()
                .map(|s| PushDevice {
                    id: s.id,
                    device: s.device,
                    connected_at: format_ru_datetime(s.created_at),
                })
                .collect(),
            push_key: self.push_key.clone(),
        })
    }
}

#[async_trait::async_trait]
impl NotificationPreferences for NotificationCentre {
    async fn load(&self, account: &SignedInAccount) -> Result<SettingsView, ServiceError> {
        self.settings_view(account.account_id).await
    }

    async fn save(
        &self,
        account: &SignedInAccount,
        settings: NotificationSettings,
    ) -> Result<SettingsView, ServiceError> {
        let stored = accounts::by_id(&self.db, account.account_id)
            .await?
            .ok_or_else(not_found)?;
        let mut errors = Vec::new();
        if settings.wants(NoticeChannel::Sms) && stored.phone.is_none() {
            errors.push(FieldError::new(
                SMS_FIELD,
                "notifications.no_phone",
                "SMS некуда отправлять: добавьте номер телефона в профиле или снимите отметки SMS",
            ));
        }
        if settings.wants(NoticeChannel::Push)
            && push_subscriptions::of_account(&self.db, account.account_id)
                .await?
                .is_empty()
        {
            errors.push(FieldError::new(
                PUSH_FIELD,
                "notifications.no_browser",
                "Push-уведомления некуда отправлять: подключите браузер кнопкой «Подключить этот \
                 браузер» или снимите отметки «Push-уведомления»",
            ));
        }
        if !errors.is_empty() {
            return Err(ServiceError::Invalid(errors));
        }
        notification_settings::save(&self.db, account.account_id, &settings, self.clock.now())
            .await?;
        tracing::info!(
            event = "notifications.settings_saved",
            account_id = account.account_id,
            chosen = settings.chosen.len(),
            "saved"
        );
        self.settings_view(account.account_id).await
    }
}
