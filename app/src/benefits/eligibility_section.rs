//! «Проверка права на льготу» on a benefit's page: the parent's children, a «Проверить право»
//! button each, and the rules as the registries judged them, followed live while the check runs.

use leptos::prelude::*;

use leptos_router::hooks::use_navigate;

use super::answers::Question;
use super::application::{DraftRef, StartApplication, draft_href};
use super::catalogue::{AgeRange, FamilyStatus};
use super::eligibility::{
    CheckEligibility, CheckState, ChildEligibility, EligibilityPanel, NotCheckable, judge,
    load_eligibility,
};
use crate::api::polling::{Polled, keep_polling};
use crate::components::{Button, ButtonKind, ButtonLink, StatusChip, Tone, interactive};

#[component]
pub fn EligibilitySection(
    code: String,
    requires: Option<FamilyStatus>,
    child_age: AgeRange,
) -> impl IntoView {
    let loaded = Resource::new(
        {
            let code = code.clone();
            move || code.clone()
        },
        load_eligibility,
    );
    // Answers polled after the first load, which the section prefers.
    let polled = RwSignal::new(None::<EligibilityPanel>);
    let shows = Signal::derive(move || polled.get().or_else(|| loaded.get().and_then(Result::ok)));
    let running = move || {
        shows.with(|panel| match panel {
            Some(EligibilityPanel::Children(children)) => children.iter().any(|c| c.checking()),
            _ => false,
        })
    };
    let ask = {
        let code = code.clone();
        move || {
            let code = code.clone();
            async move {
                match load_eligibility(code).await {
                    Ok(fresh) => {
                        let changed = shows.with_untracked(|now| now.as_ref() != Some(&fresh));
                        let still_running = match &fresh {
                            EligibilityPanel::Children(c) => c.iter().any(|c| c.checking()),
                            _ => false,
                        };
                        if changed {
                            polled.try_set(Some(fresh));
                            Polled::Changed { still_running }
                        } else {
                            Polled::Unchanged
                        }
                    }
                    Err(_) => Polled::Unchanged,
                }
            }
        }
    };
    keep_polling(running, ask);
    let start = ServerAction::<CheckEligibility>::new();
    // After «Проверить право» the fresh panel says «checking», which starts the polling.
    Effect::new(move |_| {
        if let Some(Ok(())) = start.value().get() {
            polled.set(None);
            loaded.refetch();
        }
    });
    let start_error = move || match start.value().get() {
        Some(Err(e)) => Some(e.summary_message()),
        _ => None,
    };

    view! {
        <section class="eligibility" aria-labelledby="eligibility-title">
            <h2 id="eligibility-title">"Проверка права на льготу"</h2>
            <p>
                "До заполнения заявления система сверит данные ребёнка и семьи с реестрами: \
                 совпадение ФИО ребёнка, статус семьи и то, что эту льготу на ребёнка ещё не получают."
            </p>
            <Transition fallback=|| view! { <p>"Загружаем…"</p> }>
                {move || shows.get().map(|panel| match panel {
                    EligibilityPanel::SignedOut => view! {
                        <p>"Чтобы проверить право на льготу, войдите в личный кабинет."</p>
                        <ButtonLink href="/sign-in" kind=ButtonKind::Secondary>"Войти"</ButtonLink>
                    }.into_any(),
                    EligibilityPanel::LevelTooLow => view! {
                        <p class="notice">
                            "Проверка доступна с подтверждённой учётной записью. Подтвердите личность в "
                            <a href="/profile">"профиле"</a>"."
                        </p>
                    }.into_any(),
                    EligibilityPanel::Children(children) if children.is_empty() => view! {
                        <p>
                            "Добавьте ребёнка в разделе "
                            <a href="/documents/family">"«Семья и дети»"</a>
                            " — проверка использует подтверждённые данные из его карточки."
                        </p>
                    }.into_any(),
                    EligibilityPanel::Children(children) => view! {
                        <ul class="eligibility__children">
                            {children.into_iter().map(|child| view! {
                                <ChildCheck child=child code=code.clone() requires=requires
                                    child_age=child_age start=start/>
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                })}
            </Transition>
            {move || start_error().map(|message| view! {
                <p class="error-text" role="alert">{message}</p>
            })}
        </section>
    }
}

#[component]
fn ChildCheck(
    child: ChildEligibility,
    code: String,
    requires: Option<FamilyStatus>,
    child_age: AgeRange,
    start: ServerAction<CheckEligibility>,
) -> impl IntoView {
    let ready = interactive();
    let id = child.child_id;
    let apply_code = code.clone();
    let heading_id = format!("eligibility-child-{id}");
    let pending = start.pending();
    let button = move |label: &'static str| {
        view! {
            <Button kind=ButtonKind::Secondary
                disabled=Signal::derive(move || !ready.get() || pending.get())
                on_click=Callback::new({
                    let code = code.clone();
                    move |_| { start.dispatch(CheckEligibility { code: code.clone(), child_id: id }); }
                })>
                {label}
            </Button>
        }
    };
    let body = match (child.not_checkable, child.check) {
        (Some(NotCheckable::CardNotConfirmed), _) => view! {
            <p>
                "Свидетельство о рождении ещё не подтверждено реестром ЗАГС. "
                <a href=format!("/documents/family/children/{id}")>"Открыть карточку ребёнка"</a>
            </p>
        }.into_any(),
        (Some(NotCheckable::Age), _) => view! {
            <p>{format!("Льгота назначается на детей {}: по возрасту ребёнок не подходит.", child_age.describe())}</p>
        }.into_any(),
        (None, None) => button("Проверить право").into_any(),
        (None, Some(CheckState::Checking)) => view! {
            <p role="status"><StatusChip tone=Tone::Info text="Проверка в реестрах"/>
                " Обычно это занимает несколько секунд; страницу можно не обновлять."</p>
        }.into_any(),
        (None, Some(CheckState::Unavailable)) => view! {
            <p role="status"><StatusChip tone=Tone::Warning text="Реестр не ответил"/>
                " Проверка не состоялась. Попробуйте ещё раз позже."</p>
            {button("Проверить снова")}
        }.into_any(),
        (None, Some(CheckState::Done { facts, checked_at })) => {
            let judged = judge(requires, &facts, id);
            let all_passed = judged.iter().all(|j| j.passed);
            view! {
                <p role="status">
                    {if all_passed {
                        view! { <StatusChip tone=Tone::Success text="Право подтверждено"/> }.into_any()
                    } else {
                        view! { <StatusChip tone=Tone::Warning text="Есть несоответствия"/> }.into_any()
                    }}
                    {format!(" Проверено {checked_at}.")}
                </p>
                <ul class="rules">
                    {judged.into_iter().map(|j| view! {
                        <li class=if j.passed { "rules__item rules__item--passed" } else { "rules__item rules__item--failed" }>
                            <strong>{if j.passed { "Выполнено: " } else { "Не выполнено: " }}{j.rule.title()}</strong>
                            <span class="rules__reason">{j.reason}</span>
                            {j.fix.map(|fix| view! {
                                <a class="rules__fix" href=fix.href>{format!("Что исправить: {}", fix.field)}</a>
                            })}
                        </li>
                    }).collect_view()}
                </ul>
                {(!all_passed).then(|| view! {
                    <p class="notice">
                        "Заявление можно подать и с несоответствием: специалист увидит отметку о нём \
                         и может отказать. Лучше сначала исправить данные и проверить снова."
                    </p>
                })}
                {button("Проверить снова")}
            }.into_any()
        }
    };
    let apply = child
        .not_checkable
        .is_none()
        .then(|| view! { <ApplyButton code=apply_code child_id=id draft=child.draft/> });
    let active = child.approved.map(|approved| view! {
        <p class="notice notice--success" role="note">
            <StatusChip tone=Tone::Success text="Льгота действует"/>
            {format!(" Назначена {} по заявлению ", approved.since)}
            <a href=format!("/applications/{}", approved.application_id)>{format!("№ {}", approved.number)}</a>"."
        </p>
    });
    view! {
        <li class="card eligibility__child">
            <h3 class="card__title" id=heading_id>{child.name}{format!(", {} {}", child.age, years(child.age))}</h3>
            {active}
            {body}
            {apply}
        </li>
    }
}

/// «Оформить новую льготу» for one child, or «Продолжить заполнение» of the draft begun.
#[component]
fn ApplyButton(code: String, child_id: i64, draft: Option<DraftRef>) -> impl IntoView {
    let ready = interactive();
    let start = ServerAction::<StartApplication>::new();
    Effect::new(move |_| {
        if let Some(Ok(id)) = start.value().get() {
            use_navigate()(&draft_href(id, Some(Question::Child)), Default::default());
        }
    });
    let error = move || match start.value().get() {
        Some(Err(e)) => Some(e.summary_message()),
        _ => None,
    };
    match draft {
        Some(draft) => view! {
            <p class="eligibility__apply">
                {format!("Черновик заявления сохранён {} (МСК). ", draft.saved_at)}
                <ButtonLink href=draft.href()>"Продолжить заполнение"</ButtonLink>
            </p>
        }
        .into_any(),
        None => view! {
            <div class="eligibility__apply">
                <Button disabled=Signal::derive(move || !ready.get() || start.pending().get())
                    on_click=Callback::new(move |_| {
                        start.dispatch(StartApplication { code: code.clone(), child_id });
                    })>
                    "Оформить новую льготу"
                </Button>
                {move || error().map(|message| view! { <p class="error-text" role="alert">{message}</p> })}
            </div>
        }
        .into_any(),
    }
}

/// «год», «года», «лет» after a number.
fn years(n: u32) -> &'static str {
    match (n % 10, n % 100) {
        (_, 11..=14) => "лет",
        (1, _) => "год",
        (2..=4, _) => "года",
        _ => "лет",
    }
}
