//! The header's count of unread notifications, beside «Уведомления». It is asked after the page
//! is interactive (so hydration meets the server's HTML), then again with the polling back-off
//! (1 s doubling to 30 s, back to 1 s after a change) while someone is signed in.

use leptos::prelude::*;

use crate::api::polling::{Polled, keep_polling};

/// The count, shared by the header and the «Уведомления» page (which zeroes it on reading).
#[derive(Clone, Copy)]
struct Unread(RwSignal<Option<u32>>);

pub fn provide_unread() {
    provide_context(Unread(RwSignal::new(None)));
}

pub(super) fn use_unread() -> RwSignal<Option<u32>> {
    use_context::<Unread>()
        .map(|u| u.0)
        .unwrap_or_else(|| RwSignal::new(None))
}

/// The badge: nothing until known, nothing at zero.
#[component]
pub fn UnreadBadge() -> impl IntoView {
    let unread = use_unread();
    let session = crate::account::use_session();
    keep_polling(
        move || session.known() == Some(true),
        move || async move {
            match super::unread_notifications().await {
                Ok(None) => {
                    unread.try_set(None);
                    Polled::Changed {
                        still_running: false,
                    }
                }
                Ok(Some(count)) if Some(count) != unread.get_untracked() => {
                    unread.try_set(Some(count));
                    Polled::Changed {
                        still_running: true,
                    }
                }
                _ => Polled::Unchanged,
            }
        },
    );
    move || {
        unread.get().filter(|n| *n > 0).map(|n| {
            view! {
                <span class="visually-hidden">", непрочитанных: "</span>
                <span class="nav__badge" data-testid="unread-count">{n.to_string()}</span>
            }
        })
    }
}
