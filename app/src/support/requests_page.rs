//! `/help/requests` («Мои обращения в поддержку»: each question with its status and answer,
//! followed without a reload while one waits) and `/officer/support` (the open questions about
//! applications, answered one by one).

use leptos::prelude::*;
use leptos_meta::Title;

use super::requests::{
    ANSWER_FIELD, AnswerSupportRequest, OpenRequest, SupportRequest, SupportStatus, check_answer,
    my_support_requests, open_support_requests,
};
use crate::api::polling::{Polled, keep_polling};
use crate::api::{ApiError, FieldError};
use crate::components::{Button, Field, FieldInput, FormErrors, StatusChip, Tone};

fn tone(status: SupportStatus) -> Tone {
    match status {
        SupportStatus::Registered => Tone::Info,
        SupportStatus::Answered => Tone::Success,
    }
}

#[component]
pub fn MySupportRequestsPage() -> impl IntoView {
    let loaded = Resource::new(|| (), |_| my_support_requests());
    view! {
        <Title text="Мои обращения в поддержку — Госуслуги"/>
        <p class="breadcrumbs"><a href="/help">"Помощь"</a>" → Мои обращения"</p>
        <h1 id="page-title" tabindex="-1">"Мои обращения в поддержку"</h1>
        <Suspense fallback=|| view! { <p>"Загружаем…"</p> }>
            {move || loaded.get().map(|answer| match answer {
                Ok(list) => view! { <MyRequests initial=list/> }.into_any(),
                Err(e) => view! {
                    <p class="error-text" role="alert">{e.summary_message()}</p>
                    <p><a href="/sign-in?next=/help/requests">"Войти"</a></p>
                }.into_any(),
            })}
        </Suspense>
        <p><a href="/help/question">"Задать вопрос"</a></p>
    }
}

#[component]
fn MyRequests(initial: Vec<SupportRequest>) -> impl IntoView {
    let shown = RwSignal::new(initial);
    let waiting =
        move || shown.with(|list| list.iter().any(|r| r.status == SupportStatus::Registered));
    keep_polling(waiting, move || async move {
        match my_support_requests().await {
            Ok(fresh) if fresh != shown.get_untracked() => {
                let still = fresh.iter().any(|r| r.status == SupportStatus::Registered);
                shown.try_set(fresh);
                Polled::Changed {
                    still_running: still,
                }
            }
            _ => Polled::Unchanged,
        }
    });
    move || {
        let list = shown.get();
        if list.is_empty() {
            return view! { <p>"Вы ещё не обращались в поддержку."</p> }.into_any();
        }
        view! {
            <ul class="support-requests">
                {list.into_iter().map(|r| view! {
                    <li class="card">
                        <h2 class="card__title">{format!("Обращение {}", r.number)}</h2>
                        <p role="status"><StatusChip tone=tone(r.status) text=r.status.label()/></p>
                        <p class="catalogue__meta">
                            {format!("Зарегистрировано {} (МСК)", r.asked_at)}
                            {r.application.clone().map(|a| view! {
                                " · о заявлении "<a href=format!("/applications/{}", a.id)>{format!("№ {}", a.number)}</a>
                            })}
                        </p>
                        <p class="journal__comment">{r.text}</p>
                        {(r.status == SupportStatus::Answered).then(|| view! {
                            <h3>"Ответ"</h3>
                            <p class="journal__comment">{r.answer.clone()}</p>
                            <p class="hint">{format!(
                                "{}, {} (МСК)",
                                r.answered_by.clone().unwrap_or_default(),
                                r.answered_at.clone().unwrap_or_default()
                            )}</p>
                        })}
                    </li>
                }).collect_view()}
            </ul>
        }
        .into_any()
    }
}

#[component]
pub fn OfficerSupportPage() -> impl IntoView {
    let loaded = Resource::new(|| (), |_| open_support_requests());
    view! {
        <Title text="Обращения в поддержку — Рабочее место — Госуслуги"/>
        <p class="breadcrumbs"><a href="/officer">"Очередь заявлений"</a>" → Обращения"</p>
        <h1 id="page-title" tabindex="-1">"Обращения в поддержку"</h1>
        <p class="lead">"Вопросы заявителей о заявлениях, самые давние первыми. Ответ заявитель увидит в личном кабинете и получит уведомление."</p>
        <Suspense fallback=|| view! { <p>"Загружаем…"</p> }>
            {move || loaded.get().map(|answer| match answer {
                Ok(list) => view! { <OpenRequests initial=list/> }.into_any(),
                Err(e) => view! { <p class="error-text" role="alert">{e.summary_message()}</p> }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
fn OpenRequests(initial: Vec<OpenRequest>) -> impl IntoView {
    let shown = RwSignal::new(initial);
    let answered = RwSignal::new(None::<String>);
    move || {
        let list = shown.get();
        view! {
            {move || answered.get().map(|number| view! {
                <div class="notice notice--success" role="status">
                    <p>{format!("Ответ на обращение {number} отправлен.")}</p>
                </div>
            })}
            {if list.is_empty() {
                view! { <p>"Открытых обращений нет."</p> }.into_any()
            } else {
                view! {
                    <ul class="support-requests">
                        {list.into_iter().map(|r| view! { <AnswerCard request=r shown=shown answered=answered/> }).collect_view()}
                    </ul>
                }.into_any()
            }}
        }
    }
}

#[component]
fn AnswerCard(
    request: OpenRequest,
    shown: RwSignal<Vec<OpenRequest>>,
    answered: RwSignal<Option<String>>,
) -> impl IntoView {
    let text = RwSignal::new(String::new());
    let form = FormErrors::new();
    let send = ServerAction::<AnswerSupportRequest>::new();
    let id = request.id;
    let number = request.number.clone();
    // Each card's field has its own id; the server names it `answer`.
    let field = format!("{ANSWER_FIELD}-{id}");
    let at_card = {
        let field = field.clone();
        move |errors: Vec<FieldError>| -> Vec<FieldError> {
            errors
                .into_iter()
                .map(|mut e| {
                    if e.field == ANSWER_FIELD {
                        e.field = field.clone();
                    }
                    e
                })
                .collect()
        }
    };
    let show = at_card.clone();
    Effect::new(move |_| match send.value().get() {
        Some(Ok(fresh)) => {
            answered.set(Some(number.clone()));
            shown.set(fresh);
        }
        Some(Err(ApiError::Invalid(errors))) => form.show(show(errors), None),
        Some(Err(error)) => form.show_api_error(error),
        None => {}
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match check_answer(&text.get_untracked()) {
            Ok(answer) => {
                send.dispatch(AnswerSupportRequest { id, answer });
            }
            Err(error) => form.show(at_card(vec![error]), None),
        }
    };
    let error = {
        let field = field.clone();
        Signal::derive(move || {
            form.summary()
                .get()
                .into_iter()
                .find(|e| e.field == field)
                .map(|e| e.message)
        })
    };
    view! {
        <li class="card">
            <h2 class="card__title">{format!("Обращение {}", request.number)}</h2>
            <p class="catalogue__meta">
                {format!("Зарегистрировано {} (МСК) · заявление ", request.asked_at)}
                <a href=format!("/officer/applications/{}", request.application.id)>{format!("№ {}", request.application.number)}</a>
            </p>
            <p class="journal__comment">{request.text}</p>
            // One field per card: its error stands at the field (a summary per card would repeat
            // the page's one summary id).
            {move || form.message().get().map(|m| view! { <p class="error-text" role="alert">{m}</p> })}
            <form novalidate on:submit=submit>
                <Field id=field label="Ответ заявителю" hint="До 2000 символов" value=text
                    error=error input=FieldInput::Multiline/>
                <Button submit=true disabled=send.pending()>"Ответить"</Button>
            </form>
        </li>
    }
}
