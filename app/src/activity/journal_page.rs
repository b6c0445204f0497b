//! «Журнал активности»: the minor's own at `/profile/activity`, a parent's from the child's card
//! at `/documents/family/children/:id/activity`. The filter is a plain GET form, so the choice is
//! the address; «Скачать CSV» downloads what the filter finds.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::journal::{
    ActivityKind, ChainState, EXPORT_PATH, JournalEntry, JournalFilter, JournalPage, OWN_PATH,
    child_path, fields, load_journal,
};
use crate::api::{ApiError, FieldError, with_query};
use crate::components::{ErrorSummary, Field, Pager, Select, StatusChip, Tone};

#[component]
pub fn ActivityJournalPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let child =
        Memo::new(move |_| params.with(|p| p.get("id").and_then(|id| id.parse::<i64>().ok())));
    let filter = Memo::new(move |_| query.with(|q| JournalFilter::from_query(|name| q.get(name))));
    let page = Resource::new(
        move || (child.get(), filter.get()),
        |(child, filter)| load_journal(child, filter),
    );
    view! {
        <Title text="Журнал активности — Госуслуги"/>
        {move || match child.get() {
            Some(id) => view! {
                <p class="breadcrumbs">
                    <a href="/documents/family">"Семья и дети"</a>" → "
                    <a href=format!("/documents/family/children/{id}")>"Карточка ребёнка"</a>
                    " → Журнал активности"
                </p>
            }.into_any(),
            None => view! {
                <p class="breadcrumbs"><a href="/profile">"Профиль"</a>" → Журнал активности"</p>
            }.into_any(),
        }}
        <h1 id="page-title" tabindex="-1">"Журнал активности"</h1>
        <p class="lead">
            "Входы в личный кабинет, использованные сервисы, операции, изменения настроек и каждый \
             просмотр данных ребёнка родителем или специалистом. Журнал видят только ребёнок и \
             его родители."
        </p>
        <Suspense fallback=|| view! { <p>"Загружаем…"</p> }>
            // Keyed by the filter: each new filter mounts the form afresh. Rebuilding it in place
            // left its inputs showing "undefined" after «Сбросить».
            <For
                each=move || page.get().map(|loaded| {
                    let shown = filter.get();
                    (shown.href("", shown.page), loaded)
                })
                key=|(shown, _)| shown.clone()
                children=move |(_, loaded)| view! {
                    <JournalView loaded=loaded filter=filter.get_untracked() child=child.get_untracked()/>
                }
            />
        </Suspense>
    }
}

/// A loaded page of the journal, or why not, with its filter form.
#[component]
fn JournalView(
    loaded: Result<JournalPage, ApiError>,
    filter: JournalFilter,
    child: Option<i64>,
) -> impl IntoView {
    let path = child.map_or_else(|| OWN_PATH.to_owned(), child_path);
    let errors = match &loaded {
        Err(e) => e.field_errors().to_vec(),
        Ok(_) => Vec::new(),
    };
    view! {
        <ErrorSummary errors=errors.clone()/>
        {match &loaded {
            Ok(page) => view! {
                <p class="lead">{format!("Чей журнал: {}", page.minor_name)}</p>
                <Chain state=page.chain/>
            }.into_any(),
            Err(_) => ().into_any(),
        }}
        <Filters filter=filter.clone() path=path.clone() errors=errors/>
        {match loaded {
            Ok(page) => view! {
                <Results page=page filter=filter path=path child=child/>
            }.into_any(),
            Err(ApiError::Invalid(_)) => ().into_any(),
            Err(e) => view! {
                <p class="error-text" role="alert">{e.summary_message()}</p>
            }.into_any(),
        }}
    }
}

/// Whether the journal is as it was written.
#[component]
fn Chain(state: ChainState) -> impl IntoView {
    let (tone, label, text) = match state {
        ChainState::Intact { entries } => (
            Tone::Success,
            "Целостность подтверждена",
            format!(
                "Все записи журнала ({entries}) связаны между собой контрольными суммами: ни одна \
                 не изменена и не удалена."
            ),
        ),
        ChainState::Broken { seq } => (
            Tone::Error,
            "Журнал повреждён",
            format!(
                "Запись № {seq} не совпадает с контрольной суммой: она или запись перед ней \
                 изменена либо удалена. Сообщите в службу поддержки."
            ),
        ),
    };
    view! {
        <div class="journal-chain">
            <StatusChip tone=tone text=label/>
            <p>{text}</p>
        </div>
    }
}

fn kind_choices() -> Vec<(String, String)> {
    ActivityKind::ALL
        .into_iter()
        .map(|k| (k.as_str().to_owned(), k.label().to_owned()))
        .collect()
}

/// The filter: a plain GET form to this page.
#[component]
fn Filters(filter: JournalFilter, path: String, errors: Vec<FieldError>) -> impl IntoView {
    let error_at = |field: &'static str| {
        let message = errors
            .iter()
            .find(|e| e.field == field)
            .map(|e| e.message.clone());
        Signal::derive(move || message.clone())
    };
    let reset = path.clone();
    view! {
        <form class="queue-filters" method="get" action=path>
            <Select id=fields::KIND label="Тип записи" any="Любой" options=kind_choices()
                selected=filter.kind.map(|k| k.as_str().to_owned())/>
            <Field id=fields::FROM label="С" hint="ДД.ММ.ГГГГ"
                value=RwSignal::new(filter.from.clone()) error=error_at(fields::FROM) maxlength=10/>
            <Field id=fields::TO label="По" hint="ДД.ММ.ГГГГ"
                value=RwSignal::new(filter.to.clone()) error=error_at(fields::TO) maxlength=10/>
            <p class="queue-filters__actions">
                <button type="submit" class="button">"Показать"</button>
                " "<a href=reset>"Сбросить"</a>
            </p>
        </form>
    }
}

#[component]
fn Results(
    page: JournalPage,
    filter: JournalFilter,
    path: String,
    child: Option<i64>,
) -> impl IntoView {
    let pages = page.pages();
    let (shown, total) = (page.page, page.total);
    let mut export = filter.pairs();
    if let Some(child) = child {
        export.push(("child", child.to_string()));
    }
    let pager_filter = filter.clone();
    view! {
        <p role="status">{format!("Найдено записей: {total}")}</p>
        {if page.entries.is_empty() {
            view! { <p>"Под эти условия записей нет."</p> }.into_any()
        } else {
            view! {
                <div class="table-scroll" tabindex="0" role="region" aria-label="Записи журнала">
                <table class="table">
                    <thead><tr>
                        <th scope="col">"Когда (МСК)"</th>
                        <th scope="col">"Кто"</th>
                        <th scope="col">"Что"</th>
                        <th scope="col">"Устройство и адрес"</th>
                    </tr></thead>
                    <tbody>
                    {page.entries.into_iter().map(|entry| view! { <Row entry=entry/> }).collect_view()}
                    </tbody>
                </table>
                </div>
                <p>
                    <a class="button button--secondary" href=with_query(EXPORT_PATH, &export) download="">
                        "Скачать CSV"
                    </a>
                </p>
            }.into_any()
        }}
        <Pager shown=shown pages=pages label="Страницы журнала"
            href=Callback::new(move |page| pager_filter.href(&path, page))/>
    }
}

#[component]
fn Row(entry: JournalEntry) -> impl IntoView {
    let place = [entry.device.as_str(), entry.address.as_str()]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(", ");
    view! {
        <tr>
            <td>{entry.at}<br/><span class="catalogue__meta">{format!("№ {}", entry.seq)}</span></td>
            <td>{entry.actor}</td>
            <td>
                <span class="catalogue__meta">{entry.kind.label()}</span><br/>
                {entry.action}
                {(!entry.detail.is_empty()).then(|| view! { <br/><span>{entry.detail}</span> })}
            </td>
            <td>{if place.is_empty() { "—".to_owned() } else { place }}</td>
        </tr>
    }
}
