//! The browser's view of who is signed in: one resource for the whole page, refreshed after
//! sign-in, registration and sign-out. Only for display — the server checks the session on every
//! call.

use leptos::prelude::*;

use super::sign_in::{SignedIn, current_user};
use crate::api::ApiError;

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
