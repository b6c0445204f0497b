//! `/my-services`: «Мои сервисы» of a child or teen — each category with its services, each
//! service's two levels as buttons, what was refused and why, and the latest answers.

use leptos::prelude::*;
use leptos_meta::Title;

use super::grants::{
    CODE_FIELD, ConfirmFullAccess, RequestFullAccess, ServiceCategory, WaitingRequest,
};
use super::services::{
    AccessLevel, CategoryCard, MinorCatalogue, RecordStatus, ServiceCard, ServiceLevel, UseOutcome,
    UseService, load_catalogue, refusal_text,
};
use crate::account::reauth_gate::ReauthGate;
use crate::components::{Field, FieldInput, StatusChip, Tone};

#[component]
pub fn MinorServicesPage() -> impl IntoView {
    let use_service = ServerAction::<UseService>::new();
    let request = ServerAction::<RequestFullAccess>::new();
    let confirm = ServerAction::<ConfirmFullAccess>::new();
    let refresh = RwSignal::new(0u32);
    // Read again after each use, request and code: the day's count, levels and records change.
    let catalogue = Resource::new(
        move || {
            (
                use_service.version().get(),
                request.version().get(),
                confirm.version().get(),
                refresh.get(),
            )
        },
        |_| load_catalogue(),
    );
    let actions = Actions {
        use_service,
        request,
        confirm,
        refresh,
    };
    view! {
        <Title text="Мои сервисы — Госуслуги"/>
        <p class="breadcrumbs"><a href="/profile">"Профиль"</a>" → Мои сервисы"</p>
        <h1 id="page-title" tabindex="-1">"Мои сервисы"</h1>
        <p class="lead">
            "Сервисы для детей и подростков. Какие из них вам доступны, решает родитель в \
             «Настройках доступа»; каждое действие записывается в журнал активности."
        </p>
        <Outcome action=use_service/>
        <Transition fallback=|| view! { <p>"Загружаем…"</p> }>
            {move || catalogue.get().map(|answer| match answer {
                Ok(catalogue) => view! { <Catalogue catalogue=catalogue actions=actions/> }.into_any(),
                Err(e) => view! { <p class="error-text" role="alert">{e.summary_message()}</p> }.into_any(),
            })}
        </Transition>
    }
}

/// What the last use gave: the answer, the wait for a parent, or the refusal with its reason.
#[component]
fn Outcome(action: ServerAction<UseService>) -> impl IntoView {
    move || {
        action.value().get().map(|answer| match answer {
            Ok(UseOutcome::Done(record)) => view! {
                <div class="notice notice--success" role="status">
                    <p><strong>{format!("{}: готово.", record.service.title())}</strong></p>
                    <p>{record.result}</p>
                </div>
            }
            .into_any(),
            Ok(UseOutcome::AwaitingParent(record)) => view! {
                <div class="notice" role="status">
                    <p><strong>{format!("{}: ожидает подтверждения родителя.", record.service.title())}</strong></p>
                    <p>"Оплату детей до 14 лет подтверждает родитель. Мы сообщили ему."</p>
                </div>
            }
            .into_any(),
            Ok(UseOutcome::Refused(refusal)) => view! {
                <div class="notice notice--error" role="alert">
                    <p><strong>"Отказано."</strong>" "{refusal_text(refusal)}</p>
                    <p>"Родитель получит уведомление о попытке."</p>
                </div>
            }
            .into_any(),
            Err(e) => view! { <p class="error-text" role="alert">{e.summary_message()}</p> }.into_any(),
        })
    }
}

/// The page's three kinds of action.
#[derive(Clone, Copy)]
struct Actions {
    use_service: ServerAction<UseService>,
    request: ServerAction<RequestFullAccess>,
    confirm: ServerAction<ConfirmFullAccess>,
    /// Read the catalogue again (after confirming operations).
    refresh: RwSignal<u32>,
}

#[component]
fn Catalogue(catalogue: MinorCatalogue, actions: Actions) -> impl IntoView {
    let asks_second_factor = catalogue.categories.iter().any(|c| {
        c.services
            .iter()
            .any(|s| s.extended_refused == Some(super::services::UseRefusal::SecondFactorRequired))
    });
    let reload = Callback::new(move |_| actions.refresh.update(|n| *n += 1));
    view! {
        <p>{format!(
            "Запросов сегодня: {} из {}",
            catalogue.used_today, catalogue.requests_per_day
        )}</p>
        {asks_second_factor.then(|| view! {
            <section class="card" aria-labelledby="confirm-title">
                <h2 id="confirm-title">"Подтверждение операций"</h2>
                {if catalogue.has_second_factor {
                    view! {
                        <p>"Родитель просит подтверждать справки, заявления и оплату паролем и кодом второго фактора. Подтверждение действует 10 минут."</p>
                        <ReauthGate reauthenticated=catalogue.confirmed done=reload cancel=reload>
                            <p role="status">"Операции подтверждены на 10 минут."</p>
                        </ReauthGate>
                    }.into_any()
                } else {
                    view! {
                        <p>"Родитель просит подтверждать операции вторым фактором. Включите его в "
                            <a href="/profile">"профиле"</a>" (раздел «Безопасность»)."</p>
                    }.into_any()
                }}
            </section>
        })}
        {catalogue.categories.into_iter().map(|category| view! {
            <Category category=category actions=actions/>
        }).collect_view()}
        <section class="card" aria-labelledby="records-title">
            <h2 id="records-title">"Последние обращения"</h2>
            {if catalogue.records.is_empty() {
                view! { <p>"Обращений пока нет."</p> }.into_any()
            } else {
                view! {
                    <ul class="service-records">
                    {catalogue.records.into_iter().map(|record| {
                        let tone = match record.status {
                            RecordStatus::Done => Tone::Success,
                            RecordStatus::AwaitingParent => Tone::Warning,
                            RecordStatus::DeclinedByParent => Tone::Error,
                        };
                        view! {
                            <li>
                                <p><strong>{record.service.title()}</strong>" · "{record.at}</p>
                                <p><StatusChip tone=tone text=record.status.label()/></p>
                                {(!record.result.is_empty()).then(|| view! { <p>{record.result}</p> })}
                            </li>
                        }
                    }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
    }
}

#[component]
fn Category(category: CategoryCard, actions: Actions) -> impl IntoView {
    let action = actions.use_service;
    let heading = format!("services-{}", category.category.as_str());
    let labelled_by = heading.clone();
    view! {
        <section class="card" aria-labelledby=labelled_by>
            <h2 id=heading>{category.category.label()}</h2>
            <p class="catalogue__meta">{format!("Уровень доступа: {}", category.level.label())}</p>
            {(category.level == AccessLevel::Limited).then(|| view! {
                <FullAccessRequest category=category.category waiting=category.waiting.clone() actions=actions/>
            })}
            {category.services.into_iter().map(|card| view! { <Service card=card action=action/> }).collect_view()}
        </section>
    }
}

#[component]
fn Service(card: ServiceCard, action: ServerAction<UseService>) -> impl IntoView {
    let service = card.service;
    let level_button = move |level: ServiceLevel, refused: Option<super::services::UseRefusal>| {
        let label = service.operation(level).label;
        let secondary = level == ServiceLevel::Extended;
        view! {
            <p>
                <button type="button"
                    class=if secondary { "button button--secondary" } else { "button" }
                    disabled=move || action.pending().get()
                    on:click=move |_| { action.dispatch(super::services::UseService { service, level }); }>
                    {label}
                </button>
                {refused.map(|r| view! { <br/><span class="field__hint">{refusal_text(r)}</span> })}
            </p>
        }
    };
    view! {
        <div class="service-card">
            <h3>{service.title()}</h3>
            {level_button(ServiceLevel::Basic, card.basic_refused)}
            {level_button(ServiceLevel::Extended, card.extended_refused)}
        </div>
    }
}

/// «Запросить полный доступ», then the code field while the request waits.
#[component]
fn FullAccessRequest(
    category: ServiceCategory,
    waiting: Option<WaitingRequest>,
    actions: Actions,
) -> impl IntoView {
    let Actions {
        request, confirm, ..
    } = actions;
    let Some(waiting) = waiting else {
        let failed = move || {
            request
                .value()
                .get()
                .and_then(Result::err)
                .map(|e| view! { <p class="error-text" role="alert">{e.summary_message()}</p> })
        };
        return view! {
            <p>
                "Справки, заявления и оплата — расширенный уровень: нужен полный доступ с согласием родителя. "
                <button type="button" class="button button--secondary"
                    on:click=move |_| { request.dispatch(RequestFullAccess { category }); }>
                    "Запросить полный доступ"
                </button>
            </p>
            {failed}
        }
        .into_any();
    };
    let id = waiting.id;
    let field = format!("{CODE_FIELD}-{}", category.as_str());
    let code = RwSignal::new(String::new());
    let error = Signal::derive(move || {
        confirm
            .value()
            .get()
            .and_then(Result::err)
            .map(|e| match e.field_errors().first() {
                Some(field) => field.message.clone(),
                None => e.summary_message(),
            })
    });
    view! {
        <form class="full-access" novalidate on:submit=move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            confirm.dispatch(ConfirmFullAccess { request: id, code: code.get_untracked() });
        }>
            <p>{format!(
                "Код подтверждения отправлен родителю, действует до {}. Попросите его у родителя \
                 или подождите, пока родитель одобрит запрос в своём кабинете.",
                waiting.code_valid_until
            )}</p>
            <Field id=field label="Код подтверждения" hint="6 цифр из SMS или письма родителю"
                value=code error=error maxlength=6 input=FieldInput::Numeric/>
            <button type="submit" class="button">"Подтвердить"</button>
        </form>
    }
    .into_any()
}
