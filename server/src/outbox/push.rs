//! Web Push (RFC 8030) with VAPID (RFC 8292): each push encrypted for its browser alone
//! (aes128gcm, RFC 8291) and signed with the server's key, in pure Rust by `web-push-native`.
//!
//! A subscription's endpoint is an address the browser gave: the server sends to it only when it
//! belongs to a known push service ([`PushServices`]), never follows a redirect, and keeps the
//! subscription sealed with the server key.

use std::sync::Arc;
use std::time::Duration;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sha2::{Digest, Sha256};
use web_push_native::jwt_simple::algorithms::ES256KeyPair;
use web_push_native::p256::elliptic_curve::sec1::ToEncodedPoint;
use web_push_native::{Auth, WebPushBuilder, p256};

use app::notifications::push::BrowserSubscription;

use super::transport::{Delivery, DeliveryError, Transport};
use crate::db::outbox::StoredMessage;
use crate::db::{Database, push_subscriptions};
use crate::secret_box::SecretBox;

/// The fixed, public key a development server signs pushes with when `VAPID_PRIVATE_KEY` is not
/// set (production refuses to start without one).
const DEVELOPMENT_KEY_SEED: &str = "family-portal development VAPID key; never in production";

/// The server's VAPID key pair: it signs every push; browsers subscribe with its public half.
#[derive(Clone)]
pub struct Vapid {
    key_pair: Arc<ES256KeyPair>,
    /// The uncompressed public point, base64url: what `pushManager.subscribe` takes.
    public: String,
    /// Who runs this server, as the push service may want to reach them.
    pub contact: String,
}

impl Vapid {
    /// From the base64url (or base64) of the 32-byte private scalar.
    pub fn from_base64(text: &str, contact: &str) -> Result<Self, String> {
        let bytes = URL_SAFE_NO_PAD
            .decode(text.trim().trim_end_matches('='))
            .or_else(|_| base64::engine::general_purpose::STANDARD.decode(text.trim()))
            .map_err(|_| "not base64".to_owned())?;
        Self::from_bytes(&bytes, contact)
    }

    pub fn development(contact: &str) -> Self {
        let seed: [u8; 32] = Sha256::digest(DEVELOPMENT_KEY_SEED.as_bytes()).into();
        Self::from_bytes(&seed, contact).expect("the development key is a valid scalar")
    }

    fn from_bytes(bytes: &[u8], contact: &str) -> Result<Self, String> {
        let secret =
            p256::SecretKey::from_slice(bytes).map_err(|_| "not a P-256 private key".to_owned())?;
        let public = URL_SAFE_NO_PAD.encode(secret.public_key().to_encoded_point(false).as_bytes());
        let key_pair = ES256KeyPair::from_bytes(bytes).map_err(|e| e.to_string())?;
        Ok(Self {
            key_pair: Arc::new(key_pair),
            public,
            contact: contact.to_owned(),
        })
    }

    pub fn public_key(&self) -> &str {
        &self.public
    }
}

/// The push services a subscription may point at: `https://host` origins, a leading `*.` for
/// any subdomain. Tests add their local endpoint (`http://127.0.0.1:port`).
#[derive(Debug, Clone)]
pub struct PushServices(Vec<String>);

/// The browsers' own push services: Chrome and Edge (FCM), Firefox, Safari, Windows.
pub const KNOWN_PUSH_SERVICES: &str = "https://fcm.googleapis.com,https://updates.push.services.mozilla.com,https://web.push.apple.com,https://*.notify.windows.com";

impl PushServices {
    pub fn parse(list: &str) -> Self {
        PushServices(
            list.split(',')
                .map(|o| o.trim().trim_end_matches('/').to_ascii_lowercase())
                .filter(|o| !o.is_empty())
                .collect(),
        )
    }

    /// Whether `endpoint` is an address of one of the services: scheme, host and port exactly
    /// (no user part, no other port).
    pub fn admits(&self, endpoint: &str) -> bool {
        let Ok(url) = reqwest::Url::parse(endpoint) else {
            return false;
        };
        if !url.username().is_empty() || url.password().is_some() {
            return false;
        }
        let Some(host) = url.host_str() else {
            return false;
        };
        let origin = match url.port() {
            Some(port) => format!("{}://{host}:{port}", url.scheme()),
            None => format!("{}://{host}", url.scheme()),
        };
        self.0
            .iter()
            .any(|allowed| match allowed.split_once("://*.") {
                Some((scheme, suffix)) => {
                    url.scheme() == scheme
                        && url.port().is_none()
                        && host.ends_with(&format!(".{suffix}"))
                }
                None => *allowed == origin,
            })
    }
}

/// The stored form of a subscription (sealed as JSON).
#[derive(serde::Serialize, serde::Deserialize)]
struct Sealed {
    endpoint: String,
    p256dh: String,
    auth: String,
}

/// Why a subscription was refused: the person's words.
pub fn check(subscription: &BrowserSubscription, services: &PushServices) -> Result<(), String> {
    if subscription.endpoint.len() > 2048 || !services.admits(&subscription.endpoint) {
        return Err("Адрес подписки не принадлежит службе push-уведомлений браузера".to_owned());
    }
    if browser_keys(&subscription.p256dh, &subscription.auth).is_none() {
        return Err("Браузер передал ключи шифрования не того вида".to_owned());
    }
    Ok(())
}

/// The browser's public key (an uncompressed P-256 point) and its 16-byte auth secret, from
/// their base64url: checked when a browser connects, read again for each push.
fn browser_keys(p256dh: &str, auth: &str) -> Option<(p256::PublicKey, [u8; 16])> {
    let key = URL_SAFE_NO_PAD
        .decode(p256dh.trim_end_matches('='))
        .ok()
        .filter(|k| k.len() == 65)
        .and_then(|k| p256::PublicKey::from_sec1_bytes(&k).ok())?;
    let auth = URL_SAFE_NO_PAD
        .decode(auth.trim_end_matches('='))
        .ok()?
        .try_into()
        .ok()?;
    Some((key, auth))
}

/// The endpoint's hash (the subscription's identity) and the sealed subscription.
pub fn seal(subscription: &BrowserSubscription, sealer: &SecretBox) -> (String, String) {
    let hash = Sha256::digest(subscription.endpoint.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let plain = serde_json::to_string(&Sealed {
        endpoint: subscription.endpoint.clone(),
        p256dh: subscription.p256dh.trim_end_matches('=').to_owned(),
        auth: subscription.auth.trim_end_matches('=').to_owned(),
    })
    .unwrap_or_default();
    (hash, sealer.seal(&plain))
}

/// Delivers push messages: the recipient is a `push_subscriptions` id, the body the JSON the
/// service worker shows.
pub struct WebPush {
    pub db: Database,
    pub sealer: SecretBox,
    pub vapid: Vapid,
    pub services: PushServices,
    client: reqwest::Client,
}

impl WebPush {
    pub fn new(
        db: Database,
        sealer: SecretBox,
        vapid: Vapid,
        services: PushServices,
    ) -> Result<Self, String> {
        let client = reqwest::Client::builder()
            .timeout(Duration::from_secs(10))
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| e.to_string())?;
        Ok(Self {
            db,
            sealer,
            vapid,
            services,
            client,
        })
    }

    fn request(
        &self,
        subscription: &Sealed,
        body: &str,
    ) -> Result<axum::http::Request<Vec<u8>>, String> {
        let endpoint = subscription
            .endpoint
            .parse()
            .map_err(|_| "адрес подписки повреждён".to_owned())?;
        let (key, auth) = browser_keys(&subscription.p256dh, &subscription.auth)
            .ok_or("ключ подписки повреждён")?;
        WebPushBuilder::new(endpoint, key, Auth::from(auth))
            .with_valid_duration(Duration::from_secs(24 * 60 * 60))
            .with_vapid(&self.vapid.key_pair, &self.vapid.contact)
            .build(body.as_bytes().to_vec())
            .map_err(|e| format!("шифрование: {e}"))
    }
}

#[async_trait::async_trait]
impl Transport for WebPush {
    async fn deliver(&self, message: &StoredMessage) -> Result<Delivery, DeliveryError> {
        let gone = || DeliveryError::Permanent("браузер отключён от push-уведомлений".to_owned());
        let id: i64 = message.recipient.parse().map_err(|_| gone())?;
        let stored = push_subscriptions::by_id(&self.db, id)
            .await
            .map_err(|e| DeliveryError::Temporary(e.to_string()))?
            .filter(|s| Some(s.account_id) == message.account_id)
            .ok_or_else(gone)?;
        let subscription: Sealed = self
            .sealer
            .open(&stored.sealed)
            .ok()
            .and_then(|plain| serde_json::from_str(&plain).ok())
            .ok_or_else(|| DeliveryError::Permanent("подписка не читается".to_owned()))?;
        if !self.services.admits(&subscription.endpoint) {
            return Err(DeliveryError::Permanent(
                "адрес подписки не принадлежит службе push-уведомлений".to_owned(),
            ));
        }
        let request = self
            .request(&subscription, &message.body)
            .map_err(DeliveryError::Permanent)?;
        let (parts, body) = request.into_parts();
        let response = self
            .client
            .post(parts.uri.to_string())
            .headers(parts.headers)
            .body(body)
            .send()
            .await
            .map_err(|e| DeliveryError::Temporary(format!("служба push недоступна: {e}")))?;
        let status = response.status();
        match status.as_u16() {
            200..=299 => Ok(Delivery::Sent(format!(
                "Принято службой push-уведомлений: {status}"
            ))),
            // The browser unsubscribed or the subscription expired: it never comes back.
            404 | 410 => {
                let _ = push_subscriptions::forget(&self.db, id).await;
                Err(DeliveryError::Permanent(format!(
                    "подписка браузера больше не действует ({status})"
                )))
            }
            429 | 500..=599 => Err(DeliveryError::Temporary(format!(
                "служба push ответила: {status}"
            ))),
            _ => Err(DeliveryError::Permanent(format!(
                "служба push отказала: {status}"
            ))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_push_services_listed_are_admitted() {
        let services = PushServices::parse(KNOWN_PUSH_SERVICES);
        for good in [
            "https://fcm.googleapis.com/fcm/send/abc",
            "https://updates.push.services.mozilla.com/wpush/v2/x",
            "https://db5p.notify.windows.com/w/?token=x",
        ] {
            assert!(services.admits(good), "{good}");
        }
        for bad in [
            "http://fcm.googleapis.com/fcm/send/abc",
            "https://fcm.googleapis.com:8443/x",
            "https://fcm.googleapis.com.evil.example/x",
            "https://user@fcm.googleapis.com/x",
            "https://169.254.169.254/latest/meta-data",
            "https://notify.windows.com/x",
            "https://127.0.0.1/x",
            "not a url",
        ] {
            assert!(!services.admits(bad), "{bad}");
        }
        let local = PushServices::parse("http://127.0.0.1:4000");
        assert!(local.admits("http://127.0.0.1:4000/push/1"));
        assert!(!local.admits("http://127.0.0.1:4001/push/1"));
    }

    #[test]
    fn the_development_key_is_a_valid_p256_point() {
        let vapid = Vapid::development("mailto:dev@localhost");
        let point = URL_SAFE_NO_PAD.decode(vapid.public_key()).unwrap();
        assert_eq!(point.len(), 65);
        assert_eq!(point[0], 4);
        assert!(Vapid::from_base64("AAAA", "mailto:x").is_err());
    }
}
