//! «Уведомления»: what the portal told the signed-in user in the app (the in-app channel of the
//! outbox), newest first; opening the page marks them read.

use leptos::prelude::*;
use leptos_meta::Title;
use serde::{Deserialize, Serialize};

use crate::api::ApiError;
#[cfg(feature = "ssr")]
use crate::api::{ServiceError, SignedInAccount};
use crate::components::{StatusChip, Tone};

pub mod history;
mod history_page;
pub mod push;
mod push_section;
pub mod settings;
mod settings_page;
mod unread;

pub use history_page::NotificationHistoryPage;
pub use settings_page::NotificationSettingsPage;
pub use unread::{UnreadBadge, provide_unread};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notification {
    pub id: i64,
    pub title: String,
    pub text: String,
    /// «25.11.2026 12:30», Moscow time.
    pub at: String,
    /// Not seen before this visit.
    pub new: bool,
}

/// `None` when nobody is signed in.
#[server(prefix = "/api", endpoint = "notifications")]
pub async fn my_notifications() -> Result<Option<Vec<Notification>>, ApiError> {
    use crate::api::{request, service};
    let Some(account) = request::signed_in_account().await? else {
        return Ok(None);
    };
    Ok(Some(
        service::<dyn NotificationService>()?
            .notifications(&account)
            .await?,
    ))
}

/// How many in-app notifications the person has not seen; `None` when nobody is signed in. It
/// does not extend the session: the header asks it in the background.
#[server(prefix = "/api", endpoint = "notifications/unread")]
pub async fn unread_notifications() -> Result<Option<u32>, ApiError> {
    use crate::api::{request, service};
    let Some(account) = request::peek_account().await? else {
        return Ok(None);
    };
    Ok(Some(
        service::<dyn NotificationService>()?
            .unread(&account)
            .await?,
    ))
}

#[component]
pub fn NotificationsPage() -> impl IntoView {
    let list = Resource::new(|| (), |_| my_notifications());
    // Opening the page marks them read: the header's count follows at once.
    let unread = unread::use_unread();
    Effect::new(move |_| {
        if let Some(Ok(Some(_))) = list.get() {
            unread.set(Some(0));
        }
    });
    view! {
        <Title text="Уведомления — Госуслуги"/>
        <h1>"Уведомления"</h1>
        <p>
            <a href="/notifications/settings">"Настройки уведомлений"</a>" · "
            <a href="/notifications/history">"История уведомлений"</a>
        </p>
        <Suspense fallback=|| view! { <p>"Загружаем…"</p> }>
            {move || list.get().map(|result| match result {
                Ok(Some(items)) if items.is_empty() => view! { <p>"Уведомлений пока нет."</p> }.into_any(),
                Ok(Some(items)) => view! { <NotificationList items=items/> }.into_any(),
                Ok(None) => view! {
                    <p class="lead">
                        "Портал сообщает о проверке документов детей, входах в учётные записи детей, \
                         запросах согласия и решениях по заявлениям — по СМС, электронной почте и в личном кабинете."
                    </p>
                    <p><a href="/sign-in?next=/notifications">"Войдите"</a>", чтобы увидеть свои уведомления."</p>
                }.into_any(),
                Err(e) => view! { <p class="error-text">{e.summary_message()}</p> }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
fn NotificationList(items: Vec<Notification>) -> impl IntoView {
    view! {
        <ul class="notifications">
            {items.into_iter().map(|n| view! {
                <li class="card notifications__item">
                    <h2 class="card__title">
                        {n.title}
                        {n.new.then(|| view! { " " <StatusChip tone=Tone::Info text="Новое"/> })}
                    </h2>
                    <p>{n.text}</p>
                    <p class="hint">{n.at}</p>
                </li>
            }).collect_view()}
        </ul>
    }
}

/// The account's in-app notifications.
#[cfg(feature = "ssr")]
#[async_trait::async_trait]
pub trait NotificationService: Send + Sync {
    /// The account's in-app notifications, newest first; marks them read.
    async fn notifications(
        &self,
        account: &SignedInAccount,
    ) -> Result<Vec<Notification>, ServiceError>;

    /// How many of them are not read yet.
    async fn unread(&self, account: &SignedInAccount) -> Result<u32, ServiceError>;
}
