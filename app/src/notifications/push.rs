//! Web Push for an installed or open browser: «Подключить этот браузер» registers the service
//! worker (`/sw.js`), subscribes with the server's VAPID key and hands the subscription to the
//! server, which encrypts each push for that browser alone. «Отключить» forgets it.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::api::ApiError;
#[cfg(feature = "ssr")]
use crate::api::{ServiceError, SignedInAccount};

use super::settings::SettingsView;

/// What a browser's `PushSubscription` gives: where to send and the keys to encrypt with
/// (base64url, as `PushSubscription.toJSON()` writes them).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct BrowserSubscription {
    pub endpoint: String,
    pub p256dh: String,
    pub auth: String,
}

/// Where a refused connection is said.
pub const CONNECT_FIELD: &str = "push-connect";

/// At most this many browsers per person: an old one must be disconnected first.
pub const MAX_DEVICES: usize = 10;

/// «Подключить этот браузер».
#[server(prefix = "/api", endpoint = "notifications/push/connect")]
pub async fn connect_push(
    #[server(default)] subscription: BrowserSubscription,
) -> Result<SettingsView, ApiError> {
    use crate::api::{request, service};
    let account = request::require_account().await?;
    let device = crate::account::device::describe(&request::client().user_agent);
    Ok(service::<dyn PushDevices>()?
        .connect(&account, subscription, device)
        .await?)
}

/// «Отключить».
#[server(prefix = "/api", endpoint = "notifications/push/disconnect")]
pub async fn disconnect_push(id: i64) -> Result<SettingsView, ApiError> {
    use crate::api::{request, service};
    let account = request::require_account().await?;
    Ok(service::<dyn PushDevices>()?
        .disconnect(&account, id)
        .await?)
}

#[cfg(feature = "ssr")]
#[async_trait::async_trait]
pub trait PushDevices: Send + Sync {
    /// Checks the subscription (a push service's https address, keys of the right shape) and
    /// keeps it sealed; the same browser again replaces its old subscription.
    async fn connect(
        &self,
        account: &SignedInAccount,
        subscription: BrowserSubscription,
        device: String,
    ) -> Result<SettingsView, ServiceError>;

    /// Another person's browser answers as a missing one.
    async fn disconnect(
        &self,
        account: &SignedInAccount,
        id: i64,
    ) -> Result<SettingsView, ServiceError>;
}

/// Subscribes this browser: registers `/sw.js`, asks the push service for a subscription with
/// the server's key. The error is what to tell the person.
#[cfg(feature = "hydrate")]
pub async fn subscribe_this_browser(server_key: &str) -> Result<BrowserSubscription, String> {
    use base64::Engine as _;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use wasm_bindgen::JsCast;
    use wasm_bindgen_futures::JsFuture;
    use web_sys::js_sys::{ArrayBuffer, Reflect, Uint8Array};
    use web_sys::{
        PushEncryptionKeyName, PushSubscription, PushSubscriptionOptionsInit,
        ServiceWorkerRegistration,
    };

    const DENIED: &str = "уведомления для портала запрещены. Разрешите их в настройках сайта \
                          (значок слева от адреса) и нажмите ещё раз";
    // The browser's own message is in its language and words: say what it means instead.
    fn said(error: wasm_bindgen::JsValue) -> String {
        let name = Reflect::get(&error, &"name".into())
            .ok()
            .and_then(|n| n.as_string())
            .unwrap_or_default();
        match name.as_str() {
            "NotAllowedError" => DENIED,
            "NotSupportedError" => "этот браузер не поддерживает push-уведомления",
            "AbortError" | "NetworkError" => {
                "браузер не смог связаться со своей службой push-уведомлений. Попробуйте позже"
            }
            _ => "браузер отказал в подписке. Попробуйте позже или в другом браузере",
        }
        .to_owned()
    }
    let window = web_sys::window().ok_or("нет окна браузера")?;
    let navigator = window.navigator();
    let has_workers = Reflect::has(&navigator, &"serviceWorker".into()).unwrap_or(false);
    let has_push = Reflect::has(&window, &"PushManager".into()).unwrap_or(false);
    if !has_workers || !has_push {
        return Err("этот браузер не поддерживает push-уведомления".to_owned());
    }
    let workers = navigator.service_worker();
    JsFuture::from(workers.register("/sw.js"))
        .await
        .map_err(said)?;
    let ready: ServiceWorkerRegistration = JsFuture::from(workers.ready().map_err(said)?)
        .await
        .map_err(said)?
        .unchecked_into();
    let key = URL_SAFE_NO_PAD
        .decode(server_key)
        .map_err(|_| "ключ сервера повреждён".to_owned())?;
    let options = PushSubscriptionOptionsInit::new();
    options.set_user_visible_only(true);
    options.set_application_server_key(&Uint8Array::from(key.as_slice()).into());
    let manager = ready.push_manager().map_err(said)?;
    // Browsers name a refusal by the person differently (Chromium: AbortError), so ask first.
    let permission = JsFuture::from(
        manager
            .permission_state_with_options(&options)
            .map_err(said)?,
    )
    .await
    .map_err(said)?;
    if permission.as_string().as_deref() == Some("denied") {
        return Err(DENIED.to_owned());
    }
    let subscription: PushSubscription =
        JsFuture::from(manager.subscribe_with_options(&options).map_err(said)?)
            .await
            .map_err(said)?
            .unchecked_into();
    let key_of = |name| -> Result<String, String> {
        let buffer: ArrayBuffer = subscription
            .get_key(name)
            .map_err(said)?
            .ok_or("браузер не дал ключ шифрования")?;
        Ok(URL_SAFE_NO_PAD.encode(Uint8Array::new(&buffer).to_vec()))
    };
    Ok(BrowserSubscription {
        endpoint: subscription.endpoint(),
        p256dh: key_of(PushEncryptionKeyName::P256dh)?,
        auth: key_of(PushEncryptionKeyName::Auth)?,
    })
}
