//! The child's card: documents with their statuses (kept fresh while a check runs), the data as
//! saved, «Запросить», «Редактировать» and removal.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_params_map};

use super::family_page::DocumentStatusBlock;
use super::polling::keep_fresh;
use super::request_dialog::RequestDialog;
use super::status_text::Document;
use super::{ActiveBenefit, ChildDetails, Detail, FamilyOverview, RemoveChild, load_child};
use crate::child_account::ChildAccountBlock;
use crate::components::{Button, ButtonKind, ButtonLink, StatusChip, Tone, interactive};

#[component]
pub fn ChildPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").and_then(|id| id.parse::<i64>().ok()));
    let version = RwSignal::new(0u32);
    let child = Resource::new(
        move || (id(), version.get()),
        |(id, _)| async move {
            match id {
                Some(id) => load_child(id).await,
                None => Err(crate::api::ApiError::Refused(crate::api::Refusal::NotFound)),
            }
        },
    );
    let reload = Callback::new(move |_| version.update(|v| *v += 1));
    view! {
        <Title text="Сведения о ребёнке — Семья и дети"/>
        <p class="breadcrumbs"><a href="/documents/family">"Семья и дети"</a>" → Ребёнок"</p>
        <Suspense fallback=|| view! { <p>"Загружаем…"</p> }>
            // Keyed by the reload count: after a consent decision the card is mounted afresh
            // rather than rebuilt in place (which left form controls with stale values).
            <For
                each=move || child.get().map(|result| (version.get_untracked(), result))
                key=|(loaded, _)| *loaded
                children=move |(_, result)| match result {
                    Ok(details) => view! { <ChildCardPage details=details reload=reload/> }.into_any(),
                    Err(e) => view! {
                        <h1 id="page-title" tabindex="-1">"Сведения о ребёнке"</h1>
                        <p class="error-text" role="alert">{e.summary_message()}</p>
                    }.into_any(),
                }
            />
        </Suspense>
    }
}

#[component]
fn DetailList(title: &'static str, rows: Vec<Detail>) -> impl IntoView {
    (!rows.is_empty()).then(|| {
        view! {
            <h2>{title}</h2>
            <dl class="summary">
                {rows.into_iter().map(|row| view! {
                    <div class="summary__row">
                        <dt class="summary__key">{row.label}</dt>
                        <dd class="summary__value">{row.value}</dd>
                    </div>
                }).collect_view()}
            </dl>
        }
    })
}

#[component]
fn ChildCardPage(details: ChildDetails, reload: Callback<()>) -> impl IntoView {
    let id = details.summary.id;
    // The statuses come from the family overview while polling; the card's data from `details`.
    let polled = RwSignal::new(Some(FamilyOverview {
        version: String::new(),
        children: vec![details.summary.clone()],
        pending_consents: 0,
    }));
    let polling = keep_fresh(polled.into(), polled);
    let summary = Memo::new(move |_| {
        polled.with(|o| {
            o.as_ref()
                .and_then(|o| o.children.iter().find(|c| c.id == id).cloned())
        })
    });
    let fallback = details.summary.clone();
    let first_in_progress = fallback.in_progress();
    // The account block («Создать», «Привязать» or why neither) follows from the statuses: when
    // the checks end, the whole card is loaded again, so it never asks for checks that are done.
    let running = Memo::new(move |_| {
        summary.with(|s| s.as_ref().map_or(first_in_progress, |s| s.in_progress()))
    });
    Effect::new(move |was_running: Option<bool>| {
        let now_running = running.get();
        if was_running == Some(true) && !now_running {
            reload.run(());
        }
        now_running
    });
    let summary = move || summary.get().unwrap_or_else(|| fallback.clone());
    let dialog_for = RwSignal::new(None::<Vec<i64>>);
    let ready = interactive();
    let confirm_remove = RwSignal::new(false);
    let remove = ServerAction::<RemoveChild>::new();
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(())) = remove.value().get() {
            navigate("/documents/family", Default::default());
        }
    });
    view! {
        <h1 id="page-title" tabindex="-1">{details.summary.full_name.clone()}</h1>
        <div aria-live="polite">
            {move || {
                let s = summary();
                let can_request = s.can_request();
                let requestable = if can_request { vec![s.clone()] } else { Vec::new() };
                view! {
                    <section class="card">
                        <DocumentStatusBlock title="Свидетельство о рождении" document=Document::Certificate state=s.certificate.clone() top_level=true/>
                        <DocumentStatusBlock title="СНИЛС" document=Document::Snils state=s.snils.clone() top_level=true/>
                        {s.in_progress().then(|| view! { <p class="progress-note" role="status"><span class="spinner" aria-hidden="true"></span>"Идёт проверка — статус обновится сам"</p> })}
                        {can_request.then(|| view! {
                            <Button disabled=Signal::derive(move || !ready.get())
                                on_click=Callback::new(move |_| dialog_for.set(Some(vec![id])))>"Запросить"</Button>
                        })}
                    </section>
                    <RequestDialog children=requestable chosen=dialog_for
                        on_sent=Callback::new(move |fresh: FamilyOverview| polled.set(Some(fresh)))/>
                }
            }}
        </div>
        <p class="visually-hidden" aria-live="polite">{move || polling.get().then_some("Идёт проверка, статусы обновляются")}</p>
        <ChildAccountBlock child_id=id block=details.account.clone() reload=reload/>
        <ActiveBenefits benefits=details.benefits.clone()/>
        <DetailList title="Сведения о ребёнке" rows=details.personal/>
        <DetailList title="Данные свидетельства о рождении" rows=details.certificate/>
        <DetailList title="Другие документы" rows=details.other_documents/>
        <p><a href=crate::data_rights::rights::page_path(id)>"Скачать или удалить все данные о ребёнке"</a></p>
        <div class="button-group">
            <ButtonLink href=format!("/documents/family/children/{id}/edit") kind=ButtonKind::Secondary>"Редактировать"</ButtonLink>
            <Show when=move || !confirm_remove.get()>
                <Button kind=ButtonKind::Secondary disabled=Signal::derive(move || !ready.get())
                    on_click=Callback::new(move |_| confirm_remove.set(true))>"Удалить сведения о ребёнке"</Button>
            </Show>
        </div>
        <Show when=move || confirm_remove.get()>
            <div class="notice" role="alert">
                <p>"Удалить сведения о ребёнке и его документы из личного кабинета? Запросы в ведомства по нему будут остановлены."</p>
                {move || remove.value().get().and_then(|r| r.err()).map(|e| view! { <p class="error-text">{e.summary_message()}</p> })}
                <div class="button-group">
                    <Button disabled=Signal::derive(move || remove.pending().get())
                        on_click=Callback::new(move |_| { remove.dispatch(RemoveChild { id }); })>"Да, удалить"</Button>
                    <Button kind=ButtonKind::Secondary on_click=Callback::new(move |_| confirm_remove.set(false))>"Не удалять"</Button>
                </div>
            </div>
        </Show>
    }
}

/// «Льготы»: what is approved for the child, each with the application that decided it.
#[component]
fn ActiveBenefits(benefits: Vec<ActiveBenefit>) -> impl IntoView {
    (!benefits.is_empty()).then(|| view! {
        <section class="card">
            <h2 class="card__title">"Льготы"</h2>
            <ul class="active-benefits">
                {benefits.into_iter().map(|b| view! {
                    <li>
                        <StatusChip tone=Tone::Success text="Действует"/>
                        " "<strong>{b.name}</strong>
                        {format!(" — назначена {} по заявлению ", b.since)}
                        <a href=format!("/applications/{}", b.application_id)>{format!("№ {}", b.number)}</a>
                    </li>
                }).collect_view()}
            </ul>
        </section>
    })
}
