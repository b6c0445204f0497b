//! «Льготы»: search as the parent types, filters by category and the child's age, and a card per
//! benefit. Without scripts the same form is sent as a query (`?q=&kind=&age=`) and the server
//! renders the same results.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::catalogue::{Benefit, BenefitKind, Filters, find, load_catalogue, parse_age};
use crate::components::{Field, FieldInput};

/// How many names the search suggests under the field.
const SUGGESTIONS: usize = 5;

#[component]
pub fn CataloguePage() -> impl IntoView {
    let query_map = use_query_map();
    let from_url = |key: &str| query_map.with_untracked(|q| q.get(key)).unwrap_or_default();
    let query = RwSignal::new(from_url("q"));
    let kind = RwSignal::new(from_url("kind"));
    let age = RwSignal::new(from_url("age"));
    let age_error = Signal::derive(move || age.with(|a| parse_age(a).err().map(str::to_owned)));
    let filters = move || Filters {
        kind: kind.with(|k| BenefitKind::parse(k)),
        // A wrong age is shown at its field and filters nothing.
        age: age.with(|a| parse_age(a).ok().flatten()),
    };
    let catalogue = Resource::new(|| (), |_| load_catalogue());

    view! {
        <Title text="Льготы — Госуслуги"/>
        <h1 id="page-title" tabindex="-1">"Льготы"</h1>
        <p class="lead">
            "Пособия и выплаты семьям с детьми оформляются онлайн: система сама проверяет данные \
             в реестрах, фиксирует дату подачи и сообщает о решении."
        </p>
        <form method="get" action="/benefits" role="search" class="catalogue__search"
            on:submit=|ev| ev.prevent_default()>
            <Field id="q" label="Поиск льготы" hint="Название, слова из описания или номер услуги"
                value=query error=Signal::derive(|| None::<String>) autocomplete="off"/>
            <Suggestions catalogue=catalogue query=query/>
            <div class="catalogue__filters">
                <div class="field">
                    <label class="field__label" for="kind">"Категория"</label>
                    <select id="kind" name="kind" class="field__input"
                        on:change=move |ev| kind.set(event_target_value(&ev))>
                        <option value="" selected=move || kind.with(String::is_empty)>"Все категории"</option>
                        {BenefitKind::ALL.iter().map(|&k| view! {
                            <option value=k.code() selected=move || kind.with(|v| v == k.code())>{k.title()}</option>
                        }).collect_view()}
                    </select>
                </div>
                <Field id="age" label="Возраст ребёнка, полных лет" hint="Например, 7"
                    value=age error=age_error input=FieldInput::Numeric maxlength=2/>
            </div>
            <noscript><button type="submit" class="button">"Найти"</button></noscript>
        </form>
        <Suspense fallback=|| view! { <p>"Загружаем список льгот…"</p> }>
            {move || catalogue.get().map(|loaded| match loaded {
                Ok(benefits) => view! { <Results benefits=benefits query=query filters=Signal::derive(filters)/> }.into_any(),
                Err(e) => view! { <p class="error-text" role="alert">{e.summary_message()}</p> }.into_any(),
            })}
        </Suspense>
        <h2>"Как оформить льготу"</h2>
        <ol>
            <li>"Войдите в личный кабинет с подтверждённой учётной записью."</li>
            <li>"Добавьте сведения о ребёнке в разделе «Документы → Семья и дети»."</li>
            <li>"Выберите льготу, заполните заявление и прикрепите документы: PDF, JPEG или PNG, не больше 5 МБ."</li>
            <li>"Отправьте заявление и следите за статусом в разделе «Заявки»."</li>
        </ol>
    }
}

/// Names that answer what is typed, as links, while something is typed.
#[component]
fn Suggestions(
    catalogue: Resource<Result<Vec<Benefit>, crate::api::ApiError>>,
    query: RwSignal<String>,
) -> impl IntoView {
    let names = move || {
        let typed = query.get();
        if typed.trim().is_empty() {
            return Vec::new();
        }
        catalogue.with(|loaded| match loaded {
            Some(Ok(benefits)) => find(benefits, &typed, Filters::default())
                .into_iter()
                .take(SUGGESTIONS)
                .map(|b| (b.code.clone(), b.name.clone()))
                .collect(),
            _ => Vec::new(),
        })
    };
    view! {
        <Show when=move || !names().is_empty()>
            <ul class="suggestions" aria-label="Подсказки">
                {move || names().into_iter().map(|(code, name)| view! {
                    <li><a class="suggestions__item" href=format!("/benefits/{code}")>{name}</a></li>
                }).collect_view()}
            </ul>
        </Show>
    }
}

#[component]
fn Results(
    benefits: Vec<Benefit>,
    query: RwSignal<String>,
    filters: Signal<Filters>,
) -> impl IntoView {
    let found = Memo::new(move |_| {
        let typed = query.get();
        find(&benefits, &typed, filters.get())
            .into_iter()
            .cloned()
            .collect::<Vec<_>>()
    });
    view! {
        <p class="catalogue__count" role="status">
            {move || match found.with(Vec::len) {
                0 => "Ничего не найдено. Измените запрос или сбросьте фильтры".to_owned(),
                n => format!("Найдено льгот: {n}"),
            }}
        </p>
        <Show when=move || found.with(Vec::is_empty)>
            <p><a href="/benefits">"Сбросить фильтры"</a></p>
        </Show>
        <ul class="catalogue__list">
            {move || found.get().into_iter().map(|b| view! {
                <li class="card catalogue__item">
                    <h2 class="card__title">
                        <a class="card__link" href=format!("/benefits/{}", b.code)>{b.name.clone()}</a>
                    </h2>
                    <p class="catalogue__meta">{b.kind.title()} " · " {b.child_age.describe()} " · номер услуги " {b.service_number.clone()}</p>
                    <p>{b.summary.clone()}</p>
                </li>
            }).collect_view()}
        </ul>
    }
}
