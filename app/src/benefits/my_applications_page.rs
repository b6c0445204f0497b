//! «Мои заявки» (`/applications`) and an application's page (`/applications/:id`), which follows
//! the status without a reload until a decision.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use super::documents::UPLOAD_PATH;
use super::journal_list::JournalList;
use super::my_applications::{ApplicationDetails, list_applications, load_application};
use super::reply_section::ReplySection;
use super::status::StatusTone;
use crate::api::polling::{Polled, keep_polling};
use crate::components::StatusChip;

/// `/applications`.
#[component]
pub fn MyApplicationsPage() -> impl IntoView {
    let list = Resource::new(|| (), |_| list_applications());
    view! {
        <Title text="Мои заявки — Госуслуги"/>
        <h1 id="page-title" tabindex="-1">"Мои заявки"</h1>
        <p><a href="/applications/history">"История обращений"</a>": поиск по номеру, отбор по дате, статусу и льготе, выгрузка в CSV и PDF."</p>
        <Suspense fallback=|| view! { <p>"Загружаем…"</p> }>
            {move || list.get().map(|loaded| match loaded {
                Ok(rows) if rows.is_empty() => view! {
                    <p>"Вы ещё не подавали заявлений. Выберите льготу в разделе "<a href="/benefits">"«Льготы»"</a>"."</p>
                }.into_any(),
                Ok(rows) => view! {
                    <ul class="applications">
                        {rows.into_iter().map(|row| view! {
                            <li class="card applications__item">
                                <h2 class="card__title">
                                    <a href=format!("/applications/{}", row.id)>{row.benefit_name}</a>
                                </h2>
                                <p><StatusChip tone=row.status.tone() text=row.status.label()/></p>
                                <p class="catalogue__meta">
                                    {format!("№ {} · {} · подано {} (МСК)", row.number, row.child_name, row.submitted_at)}
                                </p>
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any(),
                Err(e) => view! {
                    <p class="error-text" role="alert">{e.summary_message()}</p>
                    <p><a href="/sign-in">"Войти"</a></p>
                }.into_any(),
            })}
        </Suspense>
        <crate::pages::StatusGuide/>
    }
}

/// `/applications/:id`.
#[component]
pub fn ApplicationPage() -> impl IntoView {
    let params = use_params_map();
    let loaded = Resource::new(
        move || params.with(|p| p.get("id").and_then(|id| id.parse::<i64>().ok())),
        |id| async move {
            match id {
                Some(id) => load_application(id, None).await,
                None => Err(crate::api::ApiError::Refused(crate::api::Refusal::NotFound)),
            }
        },
    );
    view! {
        <Title text="Заявление — Госуслуги"/>
        <p class="breadcrumbs"><a href="/applications">"Мои заявки"</a>" → Заявление"</p>
        <Suspense fallback=|| view! { <p>"Загружаем…"</p> }>
            {move || loaded.get().map(|answer| match answer {
                Ok(Some(details)) => view! { <Details initial=details/> }.into_any(),
                Ok(None) | Err(_) => view! {
                    <h1 id="page-title" tabindex="-1">"Заявление не найдено"</h1>
                    <p class="error-text" role="alert">
                        {match answer { Err(e) => e.summary_message(), Ok(_) => String::new() }}
                    </p>
                    <p><a href="/applications">"Мои заявки"</a></p>
                }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
fn Details(initial: ApplicationDetails) -> impl IntoView {
    let shown = RwSignal::new(initial);
    let id = shown.with_untracked(|d| d.summary.id);
    // Asks with the version it shows: an unchanged application answers `None`.
    let ask = move || async move {
        let known = shown.with_untracked(|d| d.version);
        match load_application(id, Some(known)).await {
            Ok(Some(fresh)) => {
                let still_running = !fresh.summary.status.is_final();
                shown.try_set(fresh);
                Polled::Changed { still_running }
            }
            Ok(None) | Err(_) => Polled::Unchanged,
        }
    };
    keep_polling(move || !shown.with(|d| d.summary.status.is_final()), ask);
    view! {
        {move || {
            let d = shown.get();
            let receipt = d.receipt_href();
            view! {
                <p class="caption">{format!("Заявление № {}", d.summary.number)}</p>
                <h1 id="page-title" tabindex="-1">{d.summary.benefit_name.clone()}</h1>
                <dl class="summary">
                    <div class="summary__row">
                        <dt class="summary__key">"Статус"</dt>
                        <dd class="summary__value">
                            <span role="status">
                                <StatusChip tone=d.summary.status.tone() text=d.summary.status.label()/>
                            </span>
                        </dd>
                    </div>
                    <div class="summary__row">
                        <dt class="summary__key">"Подано"</dt>
                        <dd class="summary__value">{format!("{} (МСК)", d.summary.submitted_at)}</dd>
                    </div>
                    <div class="summary__row">
                        <dt class="summary__key">"Срок рассмотрения"</dt>
                        <dd class="summary__value">{format!("до {} рабочих дней", d.decision_days)}</dd>
                    </div>
                </dl>
                <p>
                    <a class="button button--secondary" href=receipt download="">
                        "Скачать квитанцию" <span class="visually-hidden">" (PDF, с электронной подписью)"</span>
                    </a>
                </p>
                {(!d.overdue).then(|| view! {
                    <p>"Есть вопрос? "<a href=format!("/help/question?application={}", d.summary.number)>"Задать вопрос о заявлении"</a></p>
                })}
                {d.overdue.then(|| view! {
                    <div class="notice notice--warning" role="note">
                        <p><strong>"Заявление на рассмотрении больше 30 дней."</strong></p>
                        <p>"Обратитесь в службу поддержки, указав номер заявки: сотрудники проверят процесс и при необходимости ускорят рассмотрение."</p>
                        <p><a href=format!("/help/question?application={}", d.summary.number)>"Задать вопрос о заявлении"</a></p>
                    </div>
                })}
            }
        }}
        <ReplySection details=shown/>
        {move || {
            let d = shown.get();
            view! {
                <h2>"Журнал заявления"</h2>
                <JournalList entries=d.journal file_href=Callback::new(|document: i64| format!("{UPLOAD_PATH}/{document}"))/>
                <h2>"Сведения заявления"</h2>
                <dl class="summary">
                    {d.answers.into_iter().map(|(key, value)| view! {
                        <div class="summary__row">
                            <dt class="summary__key">{key}</dt>
                            <dd class="summary__value">{value}</dd>
                        </div>
                    }).collect_view()}
                </dl>
            }
        }}
    }
}
