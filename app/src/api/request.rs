//! Server side: what a server function may know about the request it serves (who is calling,
//! from where, with which session) and the session cookie it may set.

use leptos::prelude::*;

use super::{ApiError, SessionLookup, SignedInAccount, service};

/// Where a request comes from, for throttling and the list of sessions.
#[derive(Debug, Clone)]
pub struct ClientInfo {
    pub address: String,
    pub user_agent: String,
    /// The browser's `portal_device` cookie, or a fresh random one to set after a sign-in: a
    /// device that signed in before is not held back by failures from elsewhere.
    pub device: String,
}

/// A session just opened: the secret for the cookie and how long the cookie may live.
#[derive(Debug, Clone)]
pub struct NewSession {
    pub token: String,
    pub max_age_seconds: i64,
}

/// The caller's network address as the server's middleware determined it (the peer address,
/// or `X-Forwarded-For` when the server is told to trust a proxy). Put into request extensions.
#[derive(Debug, Clone)]
pub struct ClientAddress(pub String);

/// The session cookie's name on plain HTTP (development); over TLS it carries the `__Host-`
/// prefix (see [`CookiePolicy::session_cookie`]).
pub const SESSION_COOKIE: &str = "portal_session";

/// The cookie that holds a sign-in waiting for its second factor (minutes only).
pub const CHALLENGE_COOKIE: &str = "portal_challenge";

/// A random id the browser keeps for a year once it signed in; the server knows its hash.
pub const DEVICE_COOKIE: &str = "portal_device";
const DEVICE_MAX_AGE_SECONDS: i64 = 365 * 24 * 3600;

/// How the session cookie is written.
#[derive(Debug, Clone, Copy)]
pub struct CookiePolicy {
    /// `Secure` and the `__Host-` prefix: set when the portal is served over TLS. The prefix makes
    /// the browser refuse the cookie unless it is Secure, host-only and for `/`, so a sibling
    /// subdomain or a plain-HTTP page cannot plant or shadow a session.
    pub secure: bool,
}

impl CookiePolicy {
    pub fn session_cookie(self) -> &'static str {
        if self.secure {
            "__Host-portal_session"
        } else {
            SESSION_COOKIE
        }
    }

    pub fn challenge_cookie(self) -> &'static str {
        if self.secure {
            "__Host-portal_challenge"
        } else {
            CHALLENGE_COOKIE
        }
    }

    pub fn device_cookie(self) -> &'static str {
        if self.secure {
            "__Host-portal_device"
        } else {
            DEVICE_COOKIE
        }
    }

    /// The `Set-Cookie` value of a cookie of ours.
    pub fn set_cookie(self, name: &str, value: &str, max_age_seconds: i64) -> String {
        let secure = if self.secure { "; Secure" } else { "" };
        format!("{name}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age_seconds}{secure}")
    }
}

/// Whether a request carries a session cookie of either name (for `Cache-Control`).
pub fn has_session_cookie(headers: &http::HeaderMap) -> bool {
    [SESSION_COOKIE, "__Host-portal_session"]
        .into_iter()
        .any(|name| cookie_in(headers, name).is_some())
}

fn parts() -> Option<http::request::Parts> {
    use_context::<http::request::Parts>()
}

pub fn client() -> ClientInfo {
    let parts = parts();
    let address = parts
        .as_ref()
        .and_then(|p| p.extensions.get::<ClientAddress>())
        .map(|a| a.0.clone())
        .unwrap_or_else(|| "unknown".to_owned());
    let user_agent = parts
        .as_ref()
        .and_then(|p| p.headers.get(http::header::USER_AGENT))
        .and_then(|v| v.to_str().ok())
        .map(|ua| ua.chars().take(300).collect())
        .unwrap_or_default();
    let device_cookie = policy()
        .unwrap_or(CookiePolicy { secure: false })
        .device_cookie();
    let device = parts
        .as_ref()
        .and_then(|p| cookie_in(&p.headers, device_cookie))
        .filter(|d| d.len() == 32 && d.bytes().all(|b| b.is_ascii_hexdigit()))
        .unwrap_or_else(|| format!("{:032x}", rand::random::<u128>()));
    ClientInfo {
        address,
        user_agent,
        device,
    }
}

/// Keeps the device id after a complete sign-in, so the device is known next time.
pub fn remember_device(client: &ClientInfo, policy: CookiePolicy) {
    write_cookie(
        policy.device_cookie(),
        &client.device,
        DEVICE_MAX_AGE_SECONDS,
        policy,
    );
}

fn cookie(wanted: &str) -> Option<String> {
    cookie_in(&parts()?.headers, wanted)
}

/// A cookie's value from request headers; also for plain axum handlers outside Leptos.
pub fn cookie_in(headers: &http::HeaderMap, wanted: &str) -> Option<String> {
    headers
        .get_all(http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|header| header.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, value)| *name == wanted && !value.is_empty())
        .map(|(_, value)| value.to_owned())
}

/// The live session that request headers' cookie names, if any: for plain axum handlers (downloads,
/// uploads) outside Leptos. A lookup that fails reads as signed out.
pub async fn session_in(
    headers: &http::HeaderMap,
    policy: CookiePolicy,
    sessions: &dyn SessionLookup,
) -> Option<SignedInAccount> {
    let token = cookie_in(headers, policy.session_cookie())?;
    sessions.session(&token).await.ok().flatten()
}

fn policy() -> Option<CookiePolicy> {
    use_context::<CookiePolicy>()
}

/// How this server writes its cookies (put into context with the services).
pub fn cookie_policy() -> Result<CookiePolicy, ApiError> {
    policy().ok_or(ApiError::Unavailable)
}

/// The session token from the request's cookie, if any.
pub fn session_token() -> Option<String> {
    cookie(policy()?.session_cookie())
}

/// The pending two-step sign-in's token, if any.
pub fn challenge_token() -> Option<String> {
    cookie(policy()?.challenge_cookie())
}

/// Who this request is signed in as, once known: for the refusal log line.
#[derive(Debug, Clone, Copy)]
struct SignedInAs(i64);

/// The signed-in account of this request, if any, for pages that serve everyone.
pub async fn signed_in_account() -> Result<Option<SignedInAccount>, ApiError> {
    let sessions = service::<dyn SessionLookup>()?;
    let Some(token) = session_token() else {
        return Ok(None);
    };
    let account = sessions.session(&token).await?;
    if let Some(account) = &account {
        provide_context(SignedInAs(account.account_id));
    }
    Ok(account)
}

/// The signed-in account without counting the request as activity (see `SessionLookup::peek`).
pub async fn peek_account() -> Result<Option<SignedInAccount>, ApiError> {
    let Some(token) = session_token() else {
        return Ok(None);
    };
    Ok(service::<dyn SessionLookup>()?.peek(&token).await?)
}

/// The one log line of every refused request (401, 403, and 404 — which is also what another
/// family's child answers), for operators to alert on: the route, the caller's address and
/// account, no personal data.
pub fn log_refused(status: http::StatusCode, reason: &'static str) {
    let parts = parts();
    let path = parts
        .as_ref()
        .map(|p| p.uri.path().to_owned())
        .unwrap_or_default();
    let address = parts
        .as_ref()
        .and_then(|p| p.extensions.get::<ClientAddress>())
        .map(|a| a.0.clone())
        .unwrap_or_default();
    let account_id = use_context::<SignedInAs>().map(|a| a.0);
    tracing::warn!(
        event = "request.refused",
        status = status.as_u16(),
        reason,
        path,
        address,
        account_id,
        "request refused"
    );
}

/// The signed-in account of this request, or `SignInRequired` (401). Every server function that
/// acts for a user starts here: the browser's idea of who is signed in is never trusted.
pub async fn require_account() -> Result<SignedInAccount, ApiError> {
    signed_in_account().await?.ok_or(ApiError::SignInRequired)
}

/// The signed-in account, refused below «подтверждённая» (every family feature needs it).
pub async fn require_confirmed_account() -> Result<SignedInAccount, ApiError> {
    let account = require_account().await?;
    if account.level < super::AccountLevel::Confirmed {
        return Err(ApiError::Refused(super::Refusal::ConfirmedLevelRequired));
    }
    Ok(account)
}

/// The signed-in account, refused unless it is an officer's or an administrator's.
pub async fn require_officer() -> Result<SignedInAccount, ApiError> {
    let account = require_account().await?;
    if account.role == super::Role::Citizen {
        return Err(ApiError::Refused(super::Refusal::OfficersOnly));
    }
    Ok(account)
}

fn write_cookie(name: &str, value: &str, max_age_seconds: i64, policy: CookiePolicy) {
    let Some(response) = use_context::<leptos_axum::ResponseOptions>() else {
        return;
    };
    let cookie = policy.set_cookie(name, value, max_age_seconds);
    if let Ok(value) = http::HeaderValue::from_str(&cookie) {
        response.append_header(http::header::SET_COOKIE, value);
    }
    // Pages that depend on who is signed in must never be served from a shared cache.
    response.insert_header(
        http::header::CACHE_CONTROL,
        http::HeaderValue::from_static("no-store"),
    );
}

pub fn set_session_cookie(session: &NewSession, policy: CookiePolicy) {
    write_cookie(
        policy.session_cookie(),
        &session.token,
        session.max_age_seconds,
        policy,
    );
}

pub fn clear_session_cookie(policy: CookiePolicy) {
    write_cookie(policy.session_cookie(), "", 0, policy);
}

pub fn set_challenge_cookie(token: &str, max_age_seconds: i64, policy: CookiePolicy) {
    write_cookie(policy.challenge_cookie(), token, max_age_seconds, policy);
}

pub fn clear_challenge_cookie(policy: CookiePolicy) {
    write_cookie(policy.challenge_cookie(), "", 0, policy);
}
