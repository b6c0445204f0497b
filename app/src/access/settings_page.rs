//! `/documents/family/children/:id/access`: «Настройки доступа» of the child's account — the four
//! categories with their services, the limits, «Сохранить», and the history of changes.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use super::grants::{GrantStatus, receipt_path};
use super::settings::{
    AccessChange, AccessForm, AccessLevel, AccessView, CategoryForm, DecideGrant, DecideOperation,
    DocumentType, MinorService, RevokeGrant, SaveAccess, ServiceCategory, fields, load_access,
};
use crate::components::{Button, ErrorSummary, Field, FormErrors, StatusChip, Tone, interactive};

#[component]
pub fn AccessSettingsPage() -> impl IntoView {
    let params = use_params_map();
    let child = Memo::new(move |_| {
        params.with(|p| {
            p.get("id")
                .and_then(|id| id.parse::<i64>().ok())
                .unwrap_or_default()
        })
    });
    // Each decision reloads the page's data; the count keys the sections so they mount afresh.
    let generation = RwSignal::new(0u32);
    let loaded = Resource::new(
        move || (child.get(), generation.get()),
        |(child, _)| load_access(child),
    );
    let reload = Callback::new(move |_| generation.update(|n| *n += 1));
    view! {
        <Title text="Настройки доступа — Госуслуги"/>
        <p class="breadcrumbs">
            <a href="/documents/family">"Семья и дети"</a>" → "
            <a href=move || format!("/documents/family/children/{}", child.get())>"Карточка ребёнка"</a>
            " → Настройки доступа"
        </p>
        <h1 id="page-title" tabindex="-1">"Настройки доступа"</h1>
        <Suspense fallback=|| view! { <p>"Загружаем…"</p> }>
            // Keyed by the reload count: rebuilding the form in place would leave its inputs
            // showing "undefined".
            <For
                each=move || loaded.get().map(|answer| (generation.get_untracked(), answer))
                key=|(loaded, _)| *loaded
                children=move |(_, answer)| match answer {
                    Ok(view) => view! {
                        <AccessEditor initial=view.clone()/>
                        <Grants view=view.clone() reload=reload/>
                        <PendingOperations view=view reload=reload/>
                    }.into_any(),
                    Err(e) => view! { <p class="error-text" role="alert">{e.summary_message()}</p> }.into_any(),
                }
            />
        </Suspense>
    }
}

/// The signals of one category's fieldset.
#[derive(Clone, Copy)]
struct CategoryFields {
    category: ServiceCategory,
    enabled: RwSignal<bool>,
    level: RwSignal<String>,
    max_age: RwSignal<String>,
    off_on: RwSignal<String>,
}

#[component]
fn AccessEditor(initial: AccessView) -> impl IntoView {
    let child = initial.child_id;
    let version = RwSignal::new(initial.version);
    let history = RwSignal::new(initial.history.clone());
    let form_in = initial.form.clone();
    let categories: Vec<CategoryFields> = ServiceCategory::ALL
        .into_iter()
        .map(|category| {
            let typed = form_in
                .categories
                .iter()
                .find(|c| c.category == category)
                .cloned();
            CategoryFields {
                category,
                enabled: RwSignal::new(typed.as_ref().is_some_and(|c| c.enabled)),
                level: RwSignal::new(
                    typed
                        .as_ref()
                        .map_or(AccessLevel::Limited, |c| c.level)
                        .as_str()
                        .to_owned(),
                ),
                max_age: RwSignal::new(
                    typed
                        .as_ref()
                        .map(|c| c.max_age.clone())
                        .unwrap_or_default(),
                ),
                off_on: RwSignal::new(typed.map(|c| c.off_on).unwrap_or_default()),
            }
        })
        .collect();
    let services: Vec<(MinorService, RwSignal<bool>)> = MinorService::ALL
        .into_iter()
        .map(|s| (s, RwSignal::new(form_in.services.contains(&s))))
        .collect();
    let documents: Vec<(DocumentType, RwSignal<bool>)> = DocumentType::ALL
        .into_iter()
        .map(|d| (d, RwSignal::new(form_in.allowed_documents.contains(&d))))
        .collect();
    let requests = RwSignal::new(form_in.requests_per_day.clone());
    let second_factor = RwSignal::new(form_in.second_factor);

    let save = ServerAction::<SaveAccess>::new();
    let form = FormErrors::new();
    let saved = RwSignal::new(false);
    let ready = interactive();
    Effect::new(move |_| match save.value().get() {
        Some(Ok(fresh)) => {
            form.clear();
            version.set(fresh.version);
            history.set(fresh.history);
            saved.set(true);
        }
        Some(Err(error)) => {
            saved.set(false);
            form.show_api_error(error);
        }
        None => {}
    });
    let (cats, servs, docs) = (categories.clone(), services.clone(), documents.clone());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        saved.set(false);
        let typed = AccessForm {
            categories: cats
                .iter()
                .map(|c| CategoryForm {
                    category: c.category,
                    enabled: c.enabled.get_untracked(),
                    level: AccessLevel::parse(&c.level.get_untracked()).unwrap_or_default(),
                    max_age: c.max_age.get_untracked(),
                    off_on: c.off_on.get_untracked(),
                })
                .collect(),
            services: servs
                .iter()
                .filter(|(_, on)| on.get_untracked())
                .map(|(s, _)| *s)
                .collect(),
            requests_per_day: requests.get_untracked(),
            allowed_documents: docs
                .iter()
                .filter(|(_, on)| on.get_untracked())
                .map(|(d, _)| *d)
                .collect(),
            second_factor: second_factor.get_untracked(),
        };
        save.dispatch(SaveAccess {
            child,
            version: version.get_untracked(),
            form: typed,
        });
    };
    view! {
        <p class="lead">
            {format!(
                "Что может {} на Госуслугах. Базовый уровень сервиса — просмотр своих сведений; \
                 расширенный (справки, заявления, оплата) открывается только при полном доступе, \
                 с вашего согласия. Пока вы ничего не включили, всё выключено.",
                initial.child_name
            )}
        </p>
        <ErrorSummary errors=form.summary() message=form.message()/>
        {move || saved.get().then(|| view! {
            <div class="notice notice--success" role="status">
                <p><strong>"Настройки сохранены."</strong>" Изменения записаны в историю и в журнал активности."</p>
            </div>
        })}
        <form novalidate on:submit=submit class="access-settings">
            {categories.into_iter().map(|c| {
                let in_category: Vec<(MinorService, RwSignal<bool>)> = services
                    .iter()
                    .filter(|(s, _)| s.category() == c.category)
                    .cloned()
                    .collect();
                view! { <CategoryFieldset fields=c services=in_category form=form/> }
            }).collect_view()}
            <fieldset class="card access-settings__limits">
                <legend>"Ограничения"</legend>
                <Field id=fields::REQUESTS_PER_DAY label="Максимальное количество запросов в сутки"
                    hint="Считаются справки, заявления и оплаты; просмотр сведений не считается"
                    value=requests error=form.for_field(fields::REQUESTS_PER_DAY) maxlength=4/>
                <fieldset class="access-settings__documents">
                    <legend>"Разрешённые типы документов"</legend>
                    {documents.into_iter().map(|(document, on)| {
                        let id = format!("document-{}", document.as_str());
                        view! {
                            <div class="checkbox__item">
                                <input type="checkbox" class="checkbox__input" id=id.clone()
                                    prop:checked=move || on.get()
                                    on:change=move |ev| on.set(event_target_checked(&ev))/>
                                <label class="checkbox__label" for=id>{document.label()}</label>
                            </div>
                        }
                    }).collect_view()}
                </fieldset>
                <div class="checkbox__item">
                    <input type="checkbox" class="checkbox__input" id="second_factor"
                        prop:checked=move || second_factor.get()
                        on:change=move |ev| second_factor.set(event_target_checked(&ev))/>
                    <label class="checkbox__label" for="second_factor">
                        "Требовать подтверждение операций двухфакторной аутентификацией"
                    </label>
                </div>
            </fieldset>
            <Button submit=true disabled=Signal::derive(move || !ready.get() || save.pending().get())>"Сохранить"</Button>
        </form>
        <History changes=history/>
    }
}

#[component]
fn CategoryFieldset(
    fields: CategoryFields,
    services: Vec<(MinorService, RwSignal<bool>)>,
    form: FormErrors,
) -> impl IntoView {
    let category = fields.category;
    let enabled_id = format!("enabled-{}", category.as_str());
    let level_name = super::settings::fields::level(category);
    view! {
        <fieldset class="card access-settings__category">
            <legend>{category.label()}</legend>
            <div class="checkbox__item">
                <input type="checkbox" class="checkbox__input" id=enabled_id.clone()
                    prop:checked=move || fields.enabled.get()
                    on:change=move |ev| fields.enabled.set(event_target_checked(&ev))/>
                <label class="checkbox__label" for=enabled_id>"Включено"</label>
            </div>
            <fieldset class="radios">
                <legend class="field__label">"Уровень доступа"</legend>
                {[AccessLevel::Limited, AccessLevel::Full].into_iter().map(|level| {
                    let id = format!("{level_name}-{}", level.as_str());
                    let hint = match level {
                        AccessLevel::Limited => "выбранные сервисы без изменения личных данных",
                        AccessLevel::Full => "все функции, с вашего согласия",
                    };
                    view! {
                        <div class="radios__item">
                            <input type="radio" class="radios__input" id=id.clone() name=level_name
                                value=level.as_str()
                                prop:checked=move || fields.level.get() == level.as_str()
                                on:change=move |_| fields.level.set(level.as_str().to_owned())/>
                            <label class="radios__label" for=id>
                                {level.label()}<span class="catalogue__meta">{format!(" — {hint}")}</span>
                            </label>
                        </div>
                    }
                }).collect_view()}
            </fieldset>
            <fieldset class="access-settings__services">
                <legend class="field__label">"Сервисы"</legend>
                {services.into_iter().map(|(service, on)| {
                    let id = format!("service-{}", service.as_str());
                    view! {
                        <div class="checkbox__item">
                            <input type="checkbox" class="checkbox__input" id=id.clone()
                                prop:checked=move || on.get()
                                on:change=move |ev| on.set(event_target_checked(&ev))/>
                            <label class="checkbox__label" for=id>{service.title()}</label>
                        </div>
                    }
                }).collect_view()}
            </fieldset>
            <Field id=super::settings::fields::max_age(category) label="Максимальный возраст"
                hint="Полных лет; старше — сервисы группы выключатся сами"
                value=fields.max_age error=form.for_field(super::settings::fields::max_age(category)) maxlength=2/>
            <Field id=super::settings::fields::off_on(category) label="Отключить автоматически с"
                hint="ДД.ММ.ГГГГ, необязательно"
                value=fields.off_on error=form.for_field(super::settings::fields::off_on(category)) maxlength=10/>
        </fieldset>
    }
}

#[component]
fn History(changes: RwSignal<Vec<AccessChange>>) -> impl IntoView {
    view! {
        <section class="card" aria-labelledby="access-history-title">
            <h2 id="access-history-title">"История изменений"</h2>
            {move || {
                let all = changes.get();
                if all.is_empty() {
                    view! { <p>"Настройки ещё не менялись: действуют самые закрытые."</p> }.into_any()
                } else {
                    view! {
                        <div class="table-scroll" tabindex="0" role="region" aria-label="Таблица изменений">
                        <table class="table">
                            <thead><tr>
                                <th scope="col">"Когда (МСК)"</th>
                                <th scope="col">"Кто"</th>
                                <th scope="col">"Что"</th>
                                <th scope="col">"Было → стало"</th>
                            </tr></thead>
                            <tbody>
                            {all.into_iter().map(|c| view! {
                                <tr>
                                    <td>{c.at}</td>
                                    <td>{c.by}</td>
                                    <td>{c.what}</td>
                                    <td>{format!("{} → {}", c.old, c.new)}</td>
                                </tr>
                            }).collect_view()}
                            </tbody>
                        </table>
                        </div>
                    }.into_any()
                }
            }}
        </section>
    }
}

/// Requests for «Полный» waiting for a decision, and the grants with their receipts.
#[component]
fn Grants(view: AccessView, reload: Callback<()>) -> impl IntoView {
    let child = view.child_id;
    let decide = ServerAction::<DecideGrant>::new();
    let revoke = ServerAction::<RevokeGrant>::new();
    Effect::new(move |_| {
        if decide.value().get().is_some() || revoke.value().get().is_some() {
            reload.run(());
        }
    });
    let error = move || {
        let failed = decide
            .value()
            .get()
            .and_then(Result::err)
            .or_else(|| revoke.value().get().and_then(Result::err));
        failed.map(|e| view! { <p class="error-text" role="alert">{e.summary_message()}</p> })
    };
    let grants = view.grants;
    view! {
        <section class="card" aria-labelledby="grants-title">
            <h2 id="grants-title">"Полный доступ: запросы и согласия"</h2>
            {error}
            {if grants.is_empty() {
                view! { <p>"Запросов полного доступа не было."</p> }.into_any()
            } else {
                view! {
                    <ul class="grants">
                    {grants.into_iter().map(|grant| {
                        let id = grant.id;
                        let actions = match grant.status {
                            GrantStatus::Requested => view! {
                                <p>{format!("Код отправлен вам, действует до {}.", grant.valid_until)}</p>
                                <p class="grants__actions">
                                    <button type="button" class="button"
                                        on:click=move |_| { decide.dispatch(DecideGrant { child, grant: id, approve: true }); }>
                                        "Одобрить"
                                    </button>
                                    " "
                                    <button type="button" class="button button--secondary"
                                        on:click=move |_| { decide.dispatch(DecideGrant { child, grant: id, approve: false }); }>
                                        "Отклонить"
                                    </button>
                                </p>
                            }.into_any(),
                            GrantStatus::Granted => view! {
                                <p>{format!("Дано: {}. Действует до {}.", grant.decided_by, grant.valid_until)}</p>
                                <p class="grants__actions">
                                    <a href=receipt_path(id) download="">"Скачать квитанцию"</a>
                                    " "
                                    <button type="button" class="button button--secondary"
                                        on:click=move |_| { revoke.dispatch(RevokeGrant { child, grant: id }); }>
                                        "Отозвать"
                                    </button>
                                </p>
                            }.into_any(),
                            _ => view! {
                                <p><a href=receipt_path(id) download="">"Скачать квитанцию"</a></p>
                            }.into_any(),
                        };
                        view! {
                            <li class="grants__item">
                                <p>
                                    <strong>{grant.category.label()}</strong>" · "
                                    {format!("запрошено {}", grant.requested_at)}" "
                                    <StatusChip tone=grant_tone(grant.status) text=grant.status.label()/>
                                </p>
                                {actions}
                            </li>
                        }
                    }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
    }
}

fn grant_tone(status: GrantStatus) -> Tone {
    match status {
        GrantStatus::Requested => Tone::Warning,
        GrantStatus::Granted => Tone::Success,
        GrantStatus::Declined | GrantStatus::Revoked => Tone::Error,
        GrantStatus::Expired => Tone::Neutral,
    }
}

/// Payments of a child under 14 waiting for a parent.
#[component]
fn PendingOperations(view: AccessView, reload: Callback<()>) -> impl IntoView {
    let child = view.child_id;
    let decide = ServerAction::<DecideOperation>::new();
    Effect::new(move |_| {
        if decide.value().get().is_some() {
            reload.run(());
        }
    });
    (!view.pending.is_empty()).then(|| view! {
        <section class="card" aria-labelledby="pending-title">
            <h2 id="pending-title">"Операции ждут вашего подтверждения"</h2>
            <ul class="grants">
            {view.pending.into_iter().map(|record| {
                let id = record.id;
                view! {
                    <li class="grants__item">
                        <p><strong>{record.service.operation(record.level).label}</strong>" · "{record.at}</p>
                        <p class="grants__actions">
                            <button type="button" class="button"
                                on:click=move |_| { decide.dispatch(DecideOperation { child, record: id, approve: true }); }>
                                "Подтвердить"
                            </button>
                            " "
                            <button type="button" class="button button--secondary"
                                on:click=move |_| { decide.dispatch(DecideOperation { child, record: id, approve: false }); }>
                                "Отклонить"
                            </button>
                        </p>
                    </li>
                }
            }).collect_view()}
            </ul>
        </section>
    })
}
