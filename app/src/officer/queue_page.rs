//! `/officer`: the queue. Filters by status, benefit, overdue, the eligibility flag and «мои»;
//! the overdue applications come first whatever is chosen. The filters live in the address, so a
//! reload or a shared link shows the same page.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::desk::{ClaimView, QueueFilter, QueuePage, QueueRow, officer_queue};
use crate::benefits::status::{EligibilityFlag, StatusTone, status_choices};
use crate::components::{Pager, Select, StatusChip, Tone};

#[component]
pub fn OfficerQueuePage() -> impl IntoView {
    let query = use_query_map();
    let filter = Memo::new(move |_| query.with(|q| QueueFilter::from_query(|name| q.get(name))));
    let page = Resource::new(move || filter.get(), officer_queue);
    view! {
        <Title text="Очередь заявлений — Госуслуги"/>
        <h1 id="page-title" tabindex="-1">"Очередь заявлений"</h1>
        <p class="lead">"Заявления, которые ждут решения. Просроченные (больше 30 дней без решения) — первыми."</p>
        <p><a href="/officer/support">"Обращения в поддержку"</a>": вопросы заявителей о заявлениях."</p>
        <Suspense fallback=|| view! { <p>"Загружаем…"</p> }>
            {move || page.get().map(|loaded| match loaded {
                Ok(page) => view! { <Queue page=page filter=filter.get()/> }.into_any(),
                Err(e) => view! {
                    <p class="error-text" role="alert">{e.summary_message()}</p>
                    <p><a href="/officer">"Сбросить фильтры"</a></p>
                }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
fn Queue(page: QueuePage, filter: QueueFilter) -> impl IntoView {
    let pages = page.pages();
    let shown = page.page;
    let pager_filter = filter.clone();
    view! {
        <Filters filter=filter.clone() benefits=page.benefits.clone()/>
        <p role="status">{format!("Найдено заявлений: {}", page.total)}</p>
        {if page.rows.is_empty() {
            view! { <p>"Под эти условия заявлений нет."</p> }.into_any()
        } else {
            view! { <QueueTable rows=page.rows/> }.into_any()
        }}
        <Pager shown=shown pages=pages label="Страницы очереди"
            href=Callback::new(move |page| pager_filter.href(page))/>
    }
}

/// A plain GET form: the choice becomes the address.
#[component]
fn Filters(filter: QueueFilter, benefits: Vec<(String, String)>) -> impl IntoView {
    let eligibility_choices = EligibilityFlag::ALL
        .into_iter()
        .map(|f| (f.as_str().to_owned(), f.label().to_owned()))
        .collect::<Vec<_>>();
    view! {
        <form class="queue-filters" method="get" action="/officer">
            <Select id="status" label="Статус" any="Любой" options=status_choices()
                selected=filter.status.map(|s| s.as_str().to_owned())/>
            <Select id="benefit" label="Льгота" any="Любая" options=benefits selected=filter.benefit.clone()/>
            <Select id="eligibility" label="Проверка условий" any="Любая" options=eligibility_choices
                selected=filter.eligibility.map(|f| f.as_str().to_owned())/>
            <div class="checkbox__item">
                <input type="checkbox" class="checkbox__input" id="overdue" name="overdue" value="1" checked=filter.overdue_only/>
                <label class="checkbox__label" for="overdue">"Только просроченные"</label>
            </div>
            <div class="checkbox__item">
                <input type="checkbox" class="checkbox__input" id="mine" name="mine" value="1" checked=filter.mine_only/>
                <label class="checkbox__label" for="mine">"Только мои"</label>
            </div>
            <p class="queue-filters__actions">
                <button type="submit" class="button">"Показать"</button>
                " "<a href="/officer">"Сбросить"</a>
            </p>
        </form>
    }
}

#[component]
fn QueueTable(rows: Vec<QueueRow>) -> impl IntoView {
    view! {
        <div class="table-scroll" tabindex="0" role="region" aria-label="Заявления">
        <table class="table">
            <thead><tr>
                <th scope="col">"Номер"</th>
                <th scope="col">"Льгота"</th>
                <th scope="col">"Статус"</th>
                <th scope="col">"Ждёт"</th>
                <th scope="col">"Проверка условий"</th>
                <th scope="col">"В работе"</th>
            </tr></thead>
            <tbody>
            {rows.into_iter().map(|row| {
                let claim = match row.claim {
                    ClaimView::Free => "—".to_owned(),
                    ClaimView::Mine { until } => format!("у вас до {until}"),
                    ClaimView::Other { officer } => officer,
                };
                let eligibility_tone = match row.eligibility {
                    EligibilityFlag::Passed => Tone::Success,
                    EligibilityFlag::Failed => Tone::Error,
                    EligibilityFlag::Unchecked => Tone::Neutral,
                };
                view! {
                    <tr class:table__row--overdue=row.overdue>
                        <td>
                            <a href=format!("/officer/applications/{}", row.id)>{row.number}</a>
                            <br/><span class="catalogue__meta">{format!("подано {}", row.submitted_at)}</span>
                        </td>
                        <td>{row.benefit_name}</td>
                        <td>
                            <StatusChip tone=row.status.tone() text=row.status.label()/>
                            {row.new_material.then(|| view! { <br/><StatusChip tone=Tone::Info text="Новые материалы"/> })}
                        </td>
                        <td>
                            {format!("{} дн.", row.waiting_days)}
                            {row.overdue.then(|| view! { <br/><StatusChip tone=Tone::Error text="Просрочено"/> })}
                        </td>
                        <td><StatusChip tone=eligibility_tone text=row.eligibility.label()/></td>
                        <td>{claim}</td>
                    </tr>
                }
            }).collect_view()}
            </tbody>
        </table>
        </div>
    }
}
