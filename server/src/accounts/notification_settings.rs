//! «Настройки уведомлений» of the signed-in person: read, and saved with «Сохранить». The outbox
//! reads the same rows when it tells the person something (`Outbox::notify`).

use app::api::{FieldError, ServiceError, SignedInAccount};
use app::domain::{Phone, format_ru_datetime};
use app::notifications::settings::{
    NoticeChannel, NotificationPreferences, NotificationSettings, SMS_FIELD, SettingsView,
};

use super::AccountService;
use crate::db::{accounts, notification_settings};
use crate::family::not_found;

impl AccountService {
    async fn settings_view(&self, account_id: i64) -> Result<SettingsView, ServiceError> {
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
        })
    }
}

#[async_trait::async_trait]
impl NotificationPreferences for AccountService {
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
        let wants_sms = settings
            .chosen
            .iter()
            .any(|c| c.channel == NoticeChannel::Sms);
        if wants_sms && stored.phone.is_none() {
            return Err(ServiceError::Invalid(vec![FieldError::new(
                SMS_FIELD,
                "notifications.no_phone",
                "SMS некуда отправлять: добавьте номер телефона в профиле или снимите отметки SMS",
            )]));
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
