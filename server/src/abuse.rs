//! A per-address ceiling on the requests that send messages or create accounts (registration,
//! recovery (asking, and setting the new password by code or link), resending codes and links, a new e-mail or phone, questions to support): one machine
//! cannot make the portal send SMS by the thousand or fill the database. The per-account limits (code cooldowns, failed
//! sign-ins) live in the services; this is the coarse layer in front, in memory, per process.

use std::num::NonZeroU32;
use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

use app::api::ApiError;
use app::api::request::ClientAddress;

/// The server functions the ceiling applies to.
const LIMITED: [&str; 15] = [
    "/api/account/register",
    "/api/account/recovery/start",
    // Recovery by code or link sets a password (argon2) for whoever holds the secret.
    "/api/account/recovery/code",
    "/api/account/recovery/link",
    "/api/account/resend-phone-code",
    "/api/account/resend-email-link",
    "/api/account/change-email",
    "/api/account/change-phone",
    "/api/support/question",
    // A child's account: codes, letters and the account itself.
    "/api/child-account/phone-code",
    "/api/child-account/email",
    "/api/child-account/create",
    "/api/child-account/settings-phone",
    "/api/child-account/settings-email",
    "/api/linking/issue-code",
];

#[derive(Clone)]
pub struct SensitivePostLimit {
    limiter: Arc<DefaultKeyedRateLimiter<String>>,
}

impl SensitivePostLimit {
    /// `per_hour` requests per address, a sixth of them at once.
    pub fn new(per_hour: u32) -> Self {
        let per_hour = NonZeroU32::new(per_hour.max(1)).unwrap_or(NonZeroU32::MIN);
        let burst = NonZeroU32::new((per_hour.get() / 6).max(1)).unwrap_or(NonZeroU32::MIN);
        let limiter = Arc::new(RateLimiter::keyed(
            Quota::per_hour(per_hour).allow_burst(burst),
        ));
        forget_idle_keys(Arc::downgrade(&limiter));
        Self { limiter }
    }
}

/// How often the limiter drops the addresses whose allowance is full again.
const FORGET_EVERY: std::time::Duration = std::time::Duration::from_secs(10 * 60);

/// A keyed limiter keeps one entry per key (address, account) it has seen; without this, a
/// stream of new addresses (or IPv6 /64s) grows the map without bound. A key back at its full
/// allowance is as good as unseen, so forgetting it changes no answer. Stops when the limiter is
/// dropped.
pub(crate) fn forget_idle_keys<K>(limiter: std::sync::Weak<DefaultKeyedRateLimiter<K>>)
where
    K: std::hash::Hash + Eq + Clone + Send + Sync + 'static,
{
    tokio::spawn(async move {
        let mut every = tokio::time::interval(FORGET_EVERY);
        every.tick().await;
        loop {
            every.tick().await;
            let Some(limiter) = limiter.upgrade() else {
                return;
            };
            limiter.retain_recent();
            limiter.shrink_to_fit();
        }
    });
}

pub async fn limit_sensitive_posts(
    State(limit): State<SensitivePostLimit>,
    req: Request,
    next: Next,
) -> Response {
    if req.method() == Method::POST && LIMITED.contains(&req.uri().path()) {
        // Already the limit key: an IPv6 client's /64 (see `client_address`).
        let address = req
            .extensions()
            .get::<ClientAddress>()
            .map(|a| a.0.clone())
            .unwrap_or_default();
        if let Err(not_until) = limit.limiter.check_key(&address) {
            let wait = not_until.wait_time_from(DefaultClock::default().now());
            let seconds = u32::try_from(wait.as_secs() + 1).unwrap_or(u32::MAX);
            let body = serde_json::to_string(&ApiError::Throttled {
                retry_after_seconds: seconds,
            })
            .unwrap_or_default();
            return (
                StatusCode::TOO_MANY_REQUESTS,
                [
                    (header::RETRY_AFTER, HeaderValue::from(seconds)),
                    (
                        header::CONTENT_TYPE,
                        HeaderValue::from_static("application/json"),
                    ),
                ],
                body,
            )
                .into_response();
        }
    }
    next.run(req).await
}
