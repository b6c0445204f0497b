//! «Почтовый ящик разработчика» at `/dev/mailbox`: without SMTP or an SMS gateway configured,
//! the outbox delivers e-mails and SMS here, so the portal works out of the box and end-to-end
//! tests read codes and links. Switched off unless the server enables it (development mode).

use leptos::prelude::*;
use leptos_meta::Title;
use serde::{Deserialize, Serialize};

use crate::api::ApiError;
#[cfg(feature = "ssr")]
use crate::api::ServiceError;
use crate::pages::NotFoundPage;

/// One message as the mailbox shows it, with its delivery history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MailboxMessage {
    pub id: i64,
    /// «Электронная почта», «СМС», «Уведомление».
    pub channel: String,
    pub recipient: String,
    pub subject: String,
    pub body: String,
    /// «25.11.2026 12:30», Moscow time.
    pub created_at: String,
    pub history: Vec<DeliveryEvent>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeliveryEvent {
    /// «В очереди», «Отправлено», «Доставлено», «Не доставлено».
    pub status: String,
    pub detail: String,
    pub at: String,
}

/// `None` when the mailbox is switched off: the page then answers 404.
#[server(prefix = "/api", endpoint = "dev/mailbox")]
pub async fn dev_mailbox() -> Result<Option<Vec<MailboxMessage>>, ApiError> {
    // The server provides the mailbox only when it is switched on.
    let Some(mailbox) = use_context::<std::sync::Arc<dyn DevMailboxService>>() else {
        return Ok(None);
    };
    Ok(Some(mailbox.newest(50).await?))
}

/// The addresses and numbers the mailbox refuses, as a mail server or an SMS operator would: to
/// try «История уведомлений» with a refused message and «Отправить повторно».
#[server(prefix = "/api", endpoint = "dev/mailbox/refusals")]
pub async fn mailbox_refusals(
    #[server(default)] recipient: String,
    #[server(default)] refuse: Option<bool>,
) -> Result<Option<Vec<String>>, ApiError> {
    let Some(mailbox) = use_context::<std::sync::Arc<dyn DevMailboxService>>() else {
        return Ok(None);
    };
    if let Some(refuse) = refuse {
        mailbox.set_refusal(&recipient, refuse);
    }
    Ok(Some(mailbox.refusals()))
}

#[component]
pub fn DevMailboxPage() -> impl IntoView {
    let messages = Resource::new(|| (), |_| dev_mailbox());
    view! {
        <Suspense fallback=|| view! { <p>"Загружаем…"</p> }>
            {move || messages.get().map(|result| match result {
                Ok(Some(messages)) => view! { <Mailbox messages=messages/> }.into_any(),
                Ok(None) => view! { <NotFoundPage/> }.into_any(),
                Err(e) => view! { <p class="error-text">{e.summary_message()}</p> }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
fn Mailbox(messages: Vec<MailboxMessage>) -> impl IntoView {
    let empty = messages.is_empty();
    view! {
        <Title text="Почтовый ящик разработчика"/>
        <h1>"Почтовый ящик разработчика"</h1>
        <p class="lead">
            "Письма и СМС, которые портал отправил бы пользователям. Страница есть только в режиме разработки."
        </p>
        <Refusals/>
        {empty.then(|| view! { <p>"Сообщений пока нет."</p> })}
        <ol class="mailbox">
            {messages.into_iter().map(|m| view! {
                <li class="card mailbox__message" data-recipient=m.recipient.clone()>
                    <h2 class="mailbox__subject">{m.subject}</h2>
                    <p class="hint">{format!("{} · {} · {}", m.channel, m.recipient, m.created_at)}</p>
                    <pre class="mailbox__body">{m.body}</pre>
                    <ul class="mailbox__history">
                        {m.history.into_iter().map(|e| view! {
                            <li>{format!("{} — {}: {}", e.at, e.status, e.detail)}</li>
                        }).collect_view()}
                    </ul>
                </li>
            }).collect_view()}
        </ol>
    }
}

/// «Недоставка»: which recipients the mailbox refuses, added and removed.
#[component]
fn Refusals() -> impl IntoView {
    let change = ServerAction::<MailboxRefusals>::new();
    let shown = Resource::new(
        move || change.version().get(),
        |_| mailbox_refusals(String::new(), None),
    );
    let recipient = RwSignal::new(String::new());
    view! {
        <section class="card" aria-labelledby="refusals-title">
            <h2 id="refusals-title">"Недоставка"</h2>
            <p class="hint">
                "Сообщения на эти адреса и номера почтовый ящик отклоняет, как почтовый сервер или \
                 оператор связи: так можно проверить «Историю уведомлений» и «Отправить повторно»."
            </p>
            <Transition fallback=|| ()>
                {move || shown.get().and_then(Result::ok).flatten().map(|list| view! {
                    <ul>
                        {list.into_iter().map(|r| {
                            let again = r.clone();
                            view! {
                                <li>{r.clone()}" "
                                    <button type="button" class="link-button"
                                        on:click=move |_| { change.dispatch(MailboxRefusals { recipient: again.clone(), refuse: Some(false) }); }>
                                        {format!("Снова принимать {r}")}
                                    </button>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                })}
            </Transition>
            <form on:submit=move |ev| {
                ev.prevent_default();
                change.dispatch(MailboxRefusals { recipient: recipient.get_untracked(), refuse: Some(true) });
            }>
                <div class="field">
                    <label class="field__label" for="refuse-recipient">"Адрес электронной почты или номер телефона"</label>
                    <input id="refuse-recipient" class="field__input" type="text"
                        prop:value=move || recipient.get()
                        on:input=move |ev| recipient.set(event_target_value(&ev))/>
                </div>
                <button type="submit" class="button button--secondary">"Отклонять сообщения"</button>
            </form>
        </section>
    }
}

/// The development mailbox: messages the outbox delivered locally instead of by SMTP or SMS.
#[cfg(feature = "ssr")]
#[async_trait::async_trait]
pub trait DevMailboxService: Send + Sync {
    async fn newest(&self, limit: u32) -> Result<Vec<MailboxMessage>, ServiceError>;

    /// The recipients refused, as stored (e-mail lower-cased, phones as +7XXXXXXXXXX).
    fn refusals(&self) -> Vec<String>;

    fn set_refusal(&self, recipient: &str, refuse: bool);
}
