//! `/notifications/history`: «История уведомлений». The filter is a plain GET form, so the choice
//! is the address; the list follows messages on their way without a reload.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::history::{
    DeliveryState, HISTORY_PATH, HistoryEntry, HistoryFilter, HistoryPage, Resend,
    ResendNotification, fields, load_notification_history,
};
use super::settings::NoticeChannel;
use crate::api::polling::{Polled, keep_polling};
use crate::components::{Select, StatusChip, Tone, interactive};

#[component]
pub fn NotificationHistoryPage() -> impl IntoView {
    let query = use_query_map();
    let filter = Memo::new(move |_| query.with(|q| HistoryFilter::from_query(|n| q.get(n))));
    let page = Resource::new(move || filter.get(), load_notification_history);
    view! {
        <Title text="История уведомлений — Госуслуги"/>
        <p class="breadcrumbs"><a href="/notifications">"Уведомления"</a>" → История уведомлений"</p>
        <h1 id="page-title" tabindex="-1">"История уведомлений"</h1>
        <p class="lead">
            "Все сообщения, которые портал отправил вам: канал, время и статус. Если сообщение \
             отклонено, проверьте контакты в "<a href="/profile">"профиле"</a>
            " и отправьте его повторно."
        </p>
        <Suspense fallback=|| view! { <p>"Загружаем…"</p> }>
            // Keyed by the filter, as the journal's list: each filter mounts its list afresh.
            <For
                each=move || page.get().map(|loaded| (filter.get(), loaded))
                key=|(shown, _)| (shown.channel, shown.state)
                children=move |(shown, loaded)| match loaded {
                    Ok(page) => view! {
                        <Filters filter=shown.clone()/>
                        <Entries initial=page filter=shown/>
                    }.into_any(),
                    Err(e) => view! {
                        <p class="error-text" role="alert">{e.summary_message()}</p>
                        <p><a href="/sign-in?next=/notifications/history">"Войти"</a></p>
                    }.into_any(),
                }
            />
        </Suspense>
        <p><a href="/notifications/settings">"Настройки уведомлений"</a></p>
    }
}

#[component]
fn Filters(filter: HistoryFilter) -> impl IntoView {
    let channels = NoticeChannel::ALL
        .into_iter()
        .map(|c| (c.as_str().to_owned(), c.label().to_owned()))
        .collect::<Vec<_>>();
    let states = DeliveryState::ALL
        .into_iter()
        .map(|s| (s.as_str().to_owned(), s.label().to_owned()))
        .collect::<Vec<_>>();
    view! {
        <form class="queue-filters" method="get" action=HISTORY_PATH>
            <Select id=fields::CHANNEL label="Канал" any="Любой" options=channels
                selected=filter.channel.map(|c| c.as_str().to_owned())/>
            <Select id=fields::STATE label="Статус" any="Любой" options=states
                selected=filter.state.map(|s| s.as_str().to_owned())/>
            <p class="queue-filters__actions">
                <button type="submit" class="button">"Показать"</button>
                " "<a href=HISTORY_PATH>"Сбросить"</a>
            </p>
        </form>
    }
}

fn tone(state: DeliveryState) -> Tone {
    match state {
        DeliveryState::Delivered | DeliveryState::Sent => Tone::Success,
        DeliveryState::Sending => Tone::Info,
        DeliveryState::Retrying => Tone::Warning,
        DeliveryState::Rejected => Tone::Error,
    }
}

#[component]
fn Entries(initial: HistoryPage, filter: HistoryFilter) -> impl IntoView {
    let shown = RwSignal::new(initial);
    let ask_filter = filter.clone();
    keep_polling(
        move || shown.with(HistoryPage::pending),
        move || {
            let filter = ask_filter.clone();
            async move {
                match load_notification_history(filter).await {
                    Ok(fresh) if fresh != shown.get_untracked() => {
                        let still = fresh.pending();
                        shown.try_set(fresh);
                        Polled::Changed {
                            still_running: still,
                        }
                    }
                    _ => Polled::Unchanged,
                }
            }
        },
    );
    let resend = ServerAction::<ResendNotification>::new();
    // The message whose button was pressed last, and why it could not go.
    let pressed = RwSignal::new(0_i64);
    let refused = RwSignal::new(None::<(i64, String)>);
    Effect::new(move |_| match resend.value().get() {
        Some(Ok(fresh)) => {
            refused.set(None);
            shown.set(fresh);
        }
        Some(Err(e)) => refused.set(Some((pressed.get_untracked(), e.summary_message()))),
        None => {}
    });
    let ready = interactive();
    move || {
        let page = shown.get();
        if page.entries.is_empty() {
            return view! { <p>"Сообщений не найдено."</p> }.into_any();
        }
        let filter = filter.clone();
        view! {
            <ul class="notify-history">
                {page.entries.into_iter().map(|entry| {
                    let filter = filter.clone();
                    view! { <Entry entry=entry filter=filter resend=resend pressed=pressed refused=refused ready=ready/> }
                }).collect_view()}
            </ul>
        }
        .into_any()
    }
}

#[component]
fn Entry(
    entry: HistoryEntry,
    filter: HistoryFilter,
    resend: ServerAction<ResendNotification>,
    pressed: RwSignal<i64>,
    refused: RwSignal<Option<(i64, String)>>,
    ready: Signal<bool>,
) -> impl IntoView {
    let id = entry.id;
    let error_id = format!("resend-{id}-error");
    let described = error_id.clone();
    let action = match entry.resend {
        Resend::Possible => view! {
            <button type="button" class="button button--secondary" aria-describedby=described
                disabled=move || resend.pending().get() || !ready.get()
                on:click=move |_| {
                    pressed.set(id);
                    resend.dispatch(ResendNotification { id, filter: filter.clone() });
                }>
                "Отправить повторно"
            </button>
            <p class="field__error" id=error_id role="alert"
                hidden=move || refused.with(|r| r.as_ref().is_none_or(|(at, _)| *at != id))>
                {move || refused.with(|r| r.as_ref().filter(|(at, _)| *at == id).map(|(_, m)| m.clone()))}
            </p>
        }.into_any(),
        Resend::Done => view! { <p class="hint">"Отправлено повторно."</p> }.into_any(),
        Resend::HeldASecret => view! {
            <p class="hint">"В сообщении был код или ссылка: оно не хранится. Запросите новый код там, где запрашивали."</p>
        }.into_any(),
        Resend::NotNeeded => ().into_any(),
    };
    view! {
        <li class="card notify-history__item" id=format!("message-{id}")>
            <h2 class="card__title">{entry.subject}</h2>
            <p>
                <StatusChip tone=tone(entry.state) text=entry.state.label()/>
                " "{entry.channel.label()}" · "{entry.recipient}
            </p>
            <p class="hint">{format!("{} (МСК)", entry.at)}</p>
            {entry.text.map(|t| view! { <p>{t}</p> })}
            {entry.reason.map(|r| view! { <p class="notify-history__reason">{format!("Причина: {r}")}</p> })}
            {action}
        </li>
    }
}
