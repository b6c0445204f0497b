//! «Документы → Семья и дети», block «Дети»: each child's card with the status of the birth
//! certificate and the СНИЛС, «Добавить», «Запросить» and the request dialog. Statuses change
//! on screen while checks run (see `polling`).

use leptos::prelude::*;
use leptos_meta::Title;

use super::polling::keep_fresh;
use super::request_dialog::RequestDialog;
use super::status_text::{self, Document};
use super::{ChildSummary, DocumentState, FamilyOverview, FamilySection, load_family_section};
use crate::components::{Button, ButtonKind, ButtonLink, StatusChip, interactive};

#[component]
pub fn FamilyPage() -> impl IntoView {
    let section = Resource::new(|| (), |_| load_family_section());
    view! {
        <Title text="Семья и дети — Документы"/>
        <p class="breadcrumbs"><a href="/documents">"Документы"</a>" → Семья и дети"</p>
        <h1 id="page-title" tabindex="-1">"Семья и дети"</h1>
        <Suspense fallback=|| view! { <p>"Загружаем…"</p> }>
            {move || section.get().map(|result| match result {
                Ok(FamilySection::Children(overview)) => view! { <Children first=overview/> }.into_any(),
                Ok(FamilySection::LevelTooLow) => view! {
                    <p class="lead">"Добавить сведения о ребёнке могут пользователи с подтверждённой учётной записью."</p>
                    <p>"Уровень вашей учётной записи и как его повысить — в "<a href="/profile">"профиле"</a>"."</p>
                    <About/>
                }.into_any(),
                Ok(FamilySection::SignedOut) => view! {
                    <p class="lead">"Добавить сведения о ребёнке могут пользователи с подтверждённой учётной записью."</p>
                    <p><a href="/sign-in?next=/documents/family">"Войдите"</a>", чтобы увидеть сведения о своих детях."</p>
                    <About/>
                }.into_any(),
                Err(e) => view! { <p class="error-text" role="alert">{e.summary_message()}</p> }.into_any(),
            })}
        </Suspense>
    }
}

/// What the section is for, for those who cannot use it yet.
#[component]
fn About() -> impl IntoView {
    view! {
        <h2>"Что можно сделать в разделе"</h2>
        <ul>
            <li>"Указать сведения о рождении ребёнка и его СНИЛС и отправить их на проверку в ЕГР ЗАГС и СФР."</li>
            <li>"Добавить при наличии полис ОМС, ИНН, свидетельство об отцовстве, свидетельство о перемене имени."</li>
        </ul>
        <h2>"Сколько длится проверка"</h2>
        <p>
            "Подтверждение свидетельства о рождении и СНИЛС занимает от 15 минут до 5 дней \
             в зависимости от загрузки ведомства. Без подтверждённых свидетельства о рождении \
             и СНИЛС создать детскую учётную запись не получится."
        </p>
    }
}

/// The block «Дети»: the first load's overview until polling brings a fresher one.
#[component]
fn Children(first: FamilyOverview) -> impl IntoView {
    let polled = RwSignal::new(None::<FamilyOverview>);
    let shows = Signal::derive(move || Some(polled.get().unwrap_or_else(|| first.clone())));
    let polling = keep_fresh(shows, polled);
    let dialog_for = RwSignal::new(None::<Vec<i64>>);
    let sent = RwSignal::new(false);
    view! {
        <section aria-labelledby="children-title">
            <div class="section-head">
                <h2 id="children-title">"Дети"</h2>
                <ButtonLink href="/documents/family/children/new" kind=ButtonKind::Secondary>"Добавить"</ButtonLink>
            </div>
            {move || shows.get().filter(|o| o.pending_consents > 0).map(|o| view! {
                <div class="notice" role="status">
                    <p>{format!("Запросов согласия ждут вашего решения: {}. Без согласия ребёнок не сможет войти в свою учётную запись.", o.pending_consents)}</p>
                    <a href="/documents/family/consents">"Перейти к согласиям"</a>
                </div>
            })}
            <Show when=move || sent.get()>
                <p class="notice" role="status">"Запрос отправлен. Статусы обновятся на этой странице сами, а о результате придёт уведомление."</p>
            </Show>
            {move || shows.get().map(|overview| match overview {
                    overview if overview.children.is_empty() => view! {
                        <p>"Сведений о детях пока нет. Нажмите «Добавить» и укажите данные свидетельства о рождении."</p>
                    }.into_any(),
                    overview => {
                        let requestable: Vec<ChildSummary> = overview.children.iter().filter(|c| c.can_request()).cloned().collect();
                        view! {
                            <ul class="children">
                                {overview.children.into_iter().map(|child| view! {
                                    <li><ChildCard child=child on_request=Callback::new(move |id| dialog_for.set(Some(vec![id])))/></li>
                                }).collect_view()}
                            </ul>
                            <RequestDialog children=requestable chosen=dialog_for
                                on_sent=Callback::new(move |fresh: FamilyOverview| { polled.set(Some(fresh)); sent.set(true); })/>
                        }.into_any()
                    }
                })}
            <p class="visually-hidden" aria-live="polite">{move || polling.get().then_some("Идёт проверка, статусы обновляются")}</p>
            <p><a href="/documents/family/consents">"Согласия на передачу персональных данных детей"</a></p>
        </section>
    }
}

/// A child in the block «Дети».
#[component]
fn ChildCard(child: ChildSummary, on_request: Callback<i64>) -> impl IntoView {
    let id = child.id;
    let ready = interactive();
    let can_request = child.can_request();
    let progress = progress_text(&child);
    view! {
        <article class="card child-card">
            <h3 class="card__title"><a class="card__link" href=format!("/documents/family/children/{id}")>{child.full_name.clone()}</a></h3>
            <p class="hint">"Дата рождения: "{child.birth_date.clone()}</p>
            <DocumentStatusBlock title="Свидетельство о рождении" document=Document::Certificate state=child.certificate.clone()/>
            <DocumentStatusBlock title="СНИЛС" document=Document::Snils state=child.snils.clone()/>
            {(!child.russian_certificate).then(|| view! {
                <p class="hint">"Иностранное свидетельство о рождении не проверяется в ЕГР ЗАГС."</p>
            })}
            {progress.map(|text| view! { <p class="progress-note" role="status"><span class="spinner" aria-hidden="true"></span>{text}</p> })}
            {can_request.then(|| view! {
                <Button disabled=Signal::derive(move || !ready.get()) on_click=Callback::new(move |_| on_request.run(id))>
                    "Запросить"<span class="visually-hidden">{format!(" — {}", child.full_name)}</span>
                </Button>
            })}
        </article>
    }
}

/// «Шаг 1 из 2»: where a running check is.
fn progress_text(child: &ChildSummary) -> Option<String> {
    if child.certificate.status.in_progress() {
        Some("Шаг 1 из 2: проверка свидетельства о рождении в ЕГР ЗАГС".to_owned())
    } else if child.snils.status.in_progress() {
        Some("Шаг 2 из 2: СНИЛС в СФР".to_owned())
    } else {
        None
    }
}

/// A document's name, status chip and what the status means.
#[component]
pub(super) fn DocumentStatusBlock(
    title: &'static str,
    document: Document,
    state: DocumentState,
    /// On the child's own page the documents are the next level below the page title.
    #[prop(optional)]
    top_level: bool,
) -> impl IntoView {
    let explanation = status_text::explanation(document, state.status, state.problem.as_deref());
    let heading = if top_level {
        view! { <h2 class="document-status__title">{title}</h2> }.into_any()
    } else {
        view! { <h4 class="document-status__title">{title}</h4> }.into_any()
    };
    view! {
        <div class="document-status">
            {heading}
            {state.confirmed_number.map(|number| view! { <p class="document-status__number">{number}</p> })}
            <StatusChip tone=status_text::tone(state.status) text=state.status.label()/>
            {explanation.map(|text| view! { <p class="document-status__text">{text}</p> })}
        </div>
    }
}
