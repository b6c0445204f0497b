//! `/applications/history`: «История обращений». The filter is a plain GET form, so the choice
//! becomes the address (a reload or a shared link shows the same rows); the rows are a second
//! GET form whose buttons download the chosen ones as CSV or PDF.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::catalogue::load_catalogue;
use super::history::{
    EXPORT_PATH, HISTORY_PATH, HistoryFilter, HistoryPage, HistoryRow, fields, load_history,
};
use super::status::{StatusTone, status_choices};
use crate::api::{ApiError, FieldError};
use crate::components::{ErrorSummary, Field, Pager, Select, StatusChip};

#[component]
pub fn ApplicationHistoryPage() -> impl IntoView {
    let query = use_query_map();
    let filter = Memo::new(move |_| query.with(|q| HistoryFilter::from_query(|name| q.get(name))));
    let page = Resource::new(move || filter.get(), load_history);
    let catalogue = Resource::new(|| (), |_| load_catalogue());
    view! {
        <Title text="История обращений — Госуслуги"/>
        <p class="breadcrumbs"><a href="/applications">"Мои заявки"</a>" → История обращений"</p>
        <h1 id="page-title" tabindex="-1">"История обращений"</h1>
        <p class="lead">
            "Все ваши заявления: статус, дата подачи и номер обращения. Откройте заявление — там \
             журнал с датами изменения статуса, комментариями специалиста и документами."
        </p>
        <Suspense fallback=|| view! { <p>"Загружаем…"</p> }>
            // Keyed by the filter: each new filter mounts the form afresh. Rebuilding it in place
            // left its inputs showing "undefined" after «Сбросить».
            <For
                each=move || {
                    let benefits: Vec<(String, String)> = catalogue
                        .get()
                        .and_then(Result::ok)
                        .map(|all| all.into_iter().map(|b| (b.code, b.name)).collect())
                        .unwrap_or_default();
                    page.get().map(|loaded| {
                        let shown = filter.get();
                        (shown.href(shown.page), benefits.len(), (loaded, benefits))
                    })
                }
                key=|(shown, benefits, _)| (shown.clone(), *benefits)
                children=move |(_, _, (loaded, benefits))| view! {
                    <HistoryView loaded=loaded filter=filter.get_untracked() benefits=benefits/>
                }
            />
        </Suspense>
    }
}

/// A loaded page of the history, or why not, with its filter form.
#[component]
fn HistoryView(
    loaded: Result<HistoryPage, ApiError>,
    filter: HistoryFilter,
    benefits: Vec<(String, String)>,
) -> impl IntoView {
    let errors = match &loaded {
        Err(e) => e.field_errors().to_vec(),
        Ok(_) => Vec::new(),
    };
    view! {
        <ErrorSummary errors=errors.clone()/>
        <Filters filter=filter.clone() benefits=benefits errors=errors/>
        {match loaded {
            Ok(page) => view! { <Results page=page filter=filter/> }.into_any(),
            Err(ApiError::Invalid(_)) => ().into_any(),
            Err(e) => view! {
                <p class="error-text" role="alert">{e.summary_message()}</p>
            }.into_any(),
        }}
    }
}

/// The filter: a plain GET form to this page.
#[component]
fn Filters(
    filter: HistoryFilter,
    benefits: Vec<(String, String)>,
    errors: Vec<FieldError>,
) -> impl IntoView {
    let error_at = |field: &'static str| {
        let message = errors
            .iter()
            .find(|e| e.field == field)
            .map(|e| e.message.clone());
        Signal::derive(move || message.clone())
    };
    view! {
        <form class="queue-filters" method="get" action=HISTORY_PATH>
            <Field id=fields::FROM label="Подано с" hint="ДД.ММ.ГГГГ"
                value=RwSignal::new(filter.from.clone()) error=error_at(fields::FROM) maxlength=10/>
            <Field id=fields::TO label="Подано по" hint="ДД.ММ.ГГГГ"
                value=RwSignal::new(filter.to.clone()) error=error_at(fields::TO) maxlength=10/>
            <Select id="status" label="Статус" any="Любой" options=status_choices()
                selected=filter.status.map(|s| s.as_str().to_owned())/>
            <Select id="benefit" label="Льгота" any="Любая" options=benefits selected=filter.benefit.clone()/>
            <Field id=fields::NUMBER label="Поиск по номеру обращения"
                hint="Например, 600101-2026-0000042"
                value=RwSignal::new(filter.number.clone()) error=error_at(fields::NUMBER) maxlength=40/>
            <p class="queue-filters__actions">
                <button type="submit" class="button">"Показать"</button>
                " "<a href=HISTORY_PATH>"Сбросить"</a>
            </p>
        </form>
    }
}

#[component]
fn Results(page: HistoryPage, filter: HistoryFilter) -> impl IntoView {
    let pages = page.pages();
    let shown = page.page;
    let total = page.total;
    let pager_filter = filter.clone();
    view! {
        <p role="status">{format!("Найдено обращений: {total}")}</p>
        {if page.rows.is_empty() {
            view! {
                <p>"Под эти условия обращений нет. Измените условия или "<a href=HISTORY_PATH>"сбросьте их"</a>"."</p>
            }.into_any()
        } else {
            view! { <Export rows=page.rows filter=filter/> }.into_any()
        }}
        <Pager shown=shown pages=pages label="Страницы истории"
            href=Callback::new(move |page| pager_filter.href(page))/>
    }
}

/// The rows with a box each, inside the export form: the chosen rows (or, none chosen, all the
/// filter finds) are downloaded by the format's button.
#[component]
fn Export(rows: Vec<HistoryRow>, filter: HistoryFilter) -> impl IntoView {
    view! {
        <form method="get" action=EXPORT_PATH class="history-export">
            {filter.pairs().into_iter().map(|(name, value)| view! {
                <input type="hidden" name=name value=value/>
            }).collect_view()}
            <div class="table-scroll" tabindex="0" role="region" aria-label="Обращения">
            <table class="table">
                <thead><tr>
                    <th scope="col"><span class="visually-hidden">"Выбрать"</span></th>
                    <th scope="col">"Номер обращения"</th>
                    <th scope="col">"Льгота"</th>
                    <th scope="col">"Статус"</th>
                    <th scope="col">"Комментарий специалиста"</th>
                </tr></thead>
                <tbody>
                {rows.into_iter().map(|row| view! { <Row row=row/> }).collect_view()}
                </tbody>
            </table>
            </div>
            <p class="hint" id="export-hint">
                "Отметьте обращения, которые нужно выгрузить. Если ничего не отмечено, выгрузятся \
                 все найденные (не больше 1000)."
            </p>
            <p class="history-export__actions">
                <button type="submit" class="button button--secondary" name="format" value="csv"
                    aria-describedby="export-hint">"Выгрузить в CSV"</button>
                " "
                <button type="submit" class="button button--secondary" name="format" value="pdf"
                    aria-describedby="export-hint">"Выгрузить в PDF"</button>
            </p>
        </form>
    }
}

#[component]
fn Row(row: HistoryRow) -> impl IntoView {
    let pick = format!("pick-{}", row.id);
    let comment = if row.officer_comment.is_empty() {
        "—".to_owned()
    } else {
        row.officer_comment
    };
    view! {
        <tr>
            <td>
                <input type="checkbox" class="history-export__pick" id=pick.clone() name="id"
                    value=row.id.to_string()/>
                <label class="visually-hidden" for=pick>{format!("Выбрать обращение {}", row.number)}</label>
            </td>
            <td>
                <a href=format!("/applications/{}", row.id)>{row.number}</a>
                <br/><span class="catalogue__meta">{format!("подано {} (МСК)", row.submitted_at)}</span>
            </td>
            <td>{row.benefit_name}<br/><span class="catalogue__meta">{row.child_name}</span></td>
            <td>
                <StatusChip tone=row.status.tone() text=row.status.label()/>
                <br/><span class="catalogue__meta">{format!("с {}", row.status_since)}</span>
            </td>
            <td class="history-export__comment">{comment}</td>
        </tr>
    }
}
