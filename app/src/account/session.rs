//! Sessions. The browser's view of who is signed in (`current_user`): one resource for the whole
//! page, refreshed after sign-in, registration and sign-out, only for display — the server checks
//! the session on every call. And the account's sessions as the server keeps them
//! (`SessionService`: sign-out, «Сеансы», ending them all, staying signed in).

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::AccountLevel;
use crate::api::ApiError;
#[cfg(feature = "ssr")]
use crate::api::{ServiceError, SignedInAccount};

/// What the browser may know about the signed-in user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignedIn {
    /// «Анна Иванова».
    pub name: String,
    pub level: AccountLevel,
    /// Seconds until the session ends for inactivity.
    pub idle_seconds_left: i64,
    /// An officer or administrator: the navigation offers the back office.
    pub officer: bool,
}

/// The signed-in user, or `None`.
#[server(prefix = "/api", endpoint = "account/current")]
pub async fn current_user() -> Result<Option<SignedIn>, ApiError> {
    use crate::api::request;

    let now = crate::api::now()?;
    let Some(account) = request::signed_in_account().await? else {
        return Ok(None);
    };
    Ok(Some(SignedIn {
        name: format!("{} {}", account.first_name, account.last_name),
        level: account.level,
        idle_seconds_left: (account.idle_expires_at - now).whole_seconds(),
        officer: account.role != crate::api::Role::Citizen,
    }))
}

/// One signed-in device, for «Сеансы».
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionInfo {
    pub id: i64,
    /// «Chrome, Android».
    pub device: String,
    pub started_at: String,
    pub last_seen_at: String,
    /// The session this page is open in.
    pub current: bool,
}

#[derive(Clone, Copy)]
pub struct Session {
    version: RwSignal<u32>,
    user: Resource<Result<Option<SignedIn>, ApiError>>,
}

impl Session {
    /// Asks the server again, after something changed who is signed in.
    pub fn refresh(self) {
        self.version.update(|v| *v += 1);
    }

    /// The signed-in user once known; `None` while loading, signed out or on error.
    pub fn user(self) -> Option<SignedIn> {
        self.user.get().and_then(|r| r.ok()).flatten()
    }

    /// `Some(true/false)` once the server has answered.
    pub fn known(self) -> Option<bool> {
        self.user.get().map(|r| matches!(r, Ok(Some(_))))
    }
}

/// Called once by the layout, above everything that uses it.
pub fn provide_session() -> Session {
    let version = RwSignal::new(0u32);
    let user = Resource::new(move || version.get(), |_| current_user());
    let session = Session { version, user };
    provide_context(session);
    session
}

pub fn use_session() -> Session {
    use_context::<Session>().unwrap_or_else(provide_session)
}

/// The account's sessions: sign-out, the list, ending them all, staying signed in.
#[cfg(feature = "ssr")]
#[async_trait::async_trait]
pub trait SessionService: Send + Sync {
    async fn sign_out(&self, token: &str) -> Result<(), ServiceError>;

    /// The account's live sessions, newest activity first.
    async fn sessions(&self, account: &SignedInAccount) -> Result<Vec<SessionInfo>, ServiceError>;

    async fn end_all_sessions(&self, account: &SignedInAccount) -> Result<(), ServiceError>;

    /// Records activity now; returns the session with its new idle deadline.
    async fn extend_session(
        &self,
        account: &SignedInAccount,
    ) -> Result<SignedInAccount, ServiceError>;
}
