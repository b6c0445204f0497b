//! `/officer/applications/:id`: one application on the officer's desk. On a desktop the
//! application and its documents stand side by side; on a phone, one under the other. Opening
//! the page is journaled by the server; claiming, giving back and deciding answer the new case
//! file, which replaces the one shown.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use super::case_decision::DecisionForm;
use super::case_documents::CaseDocuments;
use super::desk::{CaseFile, ClaimCase, ClaimView, ReleaseCase, document_href, open_case};
use crate::api::{ApiError, Refusal};
use crate::benefits::journal_list::JournalList;
use crate::benefits::status::StatusTone;
use crate::components::{Button, ButtonKind, ErrorSummary, FormErrors, StatusChip, focus_element};

#[component]
pub fn OfficerCasePage() -> impl IntoView {
    let params = use_params_map();
    let loaded = Resource::new(
        move || params.with(|p| p.get("id").and_then(|id| id.parse::<i64>().ok())),
        |id| async move {
            match id {
                Some(id) => open_case(id).await,
                None => Err(ApiError::Refused(Refusal::NotFound)),
            }
        },
    );
    view! {
        <Title text="Заявление — Рабочее место — Госуслуги"/>
        <p class="breadcrumbs"><a href="/officer">"Очередь заявлений"</a>" → Заявление"</p>
        <Suspense fallback=|| view! { <p>"Загружаем…"</p> }>
            {move || loaded.get().map(|answer| match answer {
                Ok(file) => view! { <Case initial=file/> }.into_any(),
                Err(e) => view! {
                    <h1 id="page-title" tabindex="-1">"Заявление не найдено"</h1>
                    <p class="error-text" role="alert">{e.summary_message()}</p>
                    <p><a href="/officer">"Очередь заявлений"</a></p>
                }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
fn Case(initial: CaseFile) -> impl IntoView {
    Effect::new(move |_| focus_element("page-title"));
    let case = RwSignal::new(initial);
    let id = case.with_untracked(|c| c.id);
    let claim = ServerAction::<ClaimCase>::new();
    let release = ServerAction::<ReleaseCase>::new();
    // What claiming or giving back refused, said above the buttons.
    let claim_error = RwSignal::new(None::<String>);
    Effect::new(move |_| {
        for result in [claim.value().get(), release.value().get()]
            .into_iter()
            .flatten()
        {
            match result {
                Ok(file) => {
                    claim_error.set(None);
                    case.set(file);
                }
                Err(e) => claim_error.set(Some(e.summary_message())),
            }
        }
    });
    let busy = Signal::derive(move || claim.pending().get() || release.pending().get());
    let file_href = Callback::new(move |document: i64| document_href(id, document));
    // One summary for the decision and the documents' verdicts: each field is in one of them.
    let form = FormErrors::new();
    view! {
        <p class="caption">{move || format!("Заявление № {}", case.with(|c| c.number.clone()))}</p>
        <h1 id="page-title" tabindex="-1">{move || case.with(|c| c.benefit_name.clone())}</h1>
        <ErrorSummary errors=form.summary() message=form.message()/>
        <div class="case">
            <div class="case__file">
                <Summary case=case/>
                <section aria-labelledby="claim-title" class="card">
                    <h2 id="claim-title">"Работа с заявлением"</h2>
                    {move || claim_error.get().map(|message| view! {
                        <p class="error-text" role="alert">{message}</p>
                    })}
                    {move || match case.with(|c| c.claim.clone()) {
                        ClaimView::Free => view! {
                            <p>"Заявление никто не взял в работу."</p>
                            {case.with(|c| c.status.awaits_officer()).then(|| view! {
                                <Button disabled=busy on_click=Callback::new(move |_| {
                                    claim.dispatch(ClaimCase { id });
                                })>"Взять в работу"</Button>
                            })}
                        }.into_any(),
                        ClaimView::Mine { until } => view! {
                            <p>{format!("Заявление в работе у вас до {until} (МСК). Любое действие продлевает срок.")}</p>
                            <Button kind=ButtonKind::Secondary disabled=busy on_click=Callback::new(move |_| {
                                release.dispatch(ReleaseCase { id });
                            })>"Вернуть в очередь"</Button>
                        }.into_any(),
                        ClaimView::Other { officer } => view! {
                            <p>{format!("Заявление в работе: {officer}. Решение может принять только он.")}</p>
                        }.into_any(),
                    }}
                </section>
                {move || matches!(case.with(|c| c.claim.clone()), ClaimView::Mine { .. })
                    .then(|| view! { <DecisionForm case=case form=form/> })}
                <h2>"Сведения заявления"</h2>
                <dl class="summary">
                    {move || case.with(|c| c.answers.clone()).into_iter().map(|(key, value)| view! {
                        <div class="summary__row">
                            <dt class="summary__key">{key}</dt>
                            <dd class="summary__value">{value}</dd>
                        </div>
                    }).collect_view()}
                </dl>
                <h2>"Журнал заявления"</h2>
                {move || view! { <JournalList entries=case.with(|c| c.journal.clone()) file_href=file_href/> }}
            </div>
            <CaseDocuments case=case form=form/>
        </div>
    }
}

#[component]
fn Summary(case: RwSignal<CaseFile>) -> impl IntoView {
    move || {
        let c = case.get();
        view! {
            <dl class="summary">
                <div class="summary__row">
                    <dt class="summary__key">"Статус"</dt>
                    <dd class="summary__value">
                        <span role="status"><StatusChip tone=c.status.tone() text=c.status.label()/></span>
                        {c.overdue.then(|| view! {
                            " "<StatusChip tone=crate::components::Tone::Error text="Просрочено"/>
                        })}
                    </dd>
                </div>
                <div class="summary__row">
                    <dt class="summary__key">"Подано"</dt>
                    <dd class="summary__value">{format!("{} (МСК)", c.submitted_at)}</dd>
                </div>
                <div class="summary__row">
                    <dt class="summary__key">"Проверка условий"</dt>
                    <dd class="summary__value">{c.eligibility.label()}</dd>
                </div>
                <div class="summary__row">
                    <dt class="summary__key">"Срок рассмотрения"</dt>
                    <dd class="summary__value">{format!("до {} рабочих дней", c.decision_days)}</dd>
                </div>
            </dl>
        }
    }
}
