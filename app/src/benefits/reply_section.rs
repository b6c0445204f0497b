//! The application page's part that asks something of the family: at «Требуется уточнение» what
//! the officer asked, «Добавить документ» and the answer, «Отправить повторно»; after a refusal
//! «Оспорить решение» for 30 days, and after them why the button is gone.

use leptos::html::Input;
use leptos::prelude::*;

use super::catalogue::RequiredDocument;
use super::documents::{ACCEPT, DocumentView, UploadTarget, fields};
use super::my_applications::{ApplicationDetails, ReplyState, load_application};
use super::reply::{
    AppealDecision, REPLY_DOCUMENTS_FIELD, RemoveHeldDocument, Reply, ResendApplication,
};
use super::status::COMMENT_FIELD;
use crate::api::FieldError;
use crate::components::{
    Button, ButtonKind, ErrorSummary, Field, FieldInput, FormErrors, StatusChip, interactive,
};

/// Where the chosen file's kind is picked and its errors show.
const FILE_FIELD: &str = "reply-file";

#[component]
pub fn ReplySection(details: RwSignal<ApplicationDetails>) -> impl IntoView {
    // Drawn again only when what is asked changes, not at every refresh of the page's data, so
    // what the family is typing stays.
    let reply = Memo::new(move |_| details.with(|d| d.reply.clone()));
    move || {
        match reply.get() {
        ReplyState::Nothing => ().into_any(),
        ReplyState::Clarification { request } => view! {
            <section class="card notice notice--warning" aria-labelledby="reply-title">
                <h2 id="reply-title">"Требуется уточнение"</h2>
                <p>"Специалист просит:"</p>
                <p class="journal__comment"><strong>{request}</strong></p>
                <p>"Нажмите «Добавить документ», загрузите недостающие файлы или напишите ответ и отправьте запрос повторно."</p>
                <ReplyForm details=details appeal=false/>
            </section>
        }
        .into_any(),
        ReplyState::AppealOpen { decision, decided_on, reason, until } => view! {
            <AppealCard details=details decision=decision decided_on=decided_on reason=reason until=until/>
        }
        .into_any(),
        ReplyState::AppealClosed { decision, closed_on } => view! {
            <section class="card" aria-labelledby="reply-title">
                <h2 id="reply-title">"Срок обжалования истёк"</h2>
                <p>{format!(
                    "Решение № {decision} можно было оспорить в течение 30 дней после отказа, до {closed_on} включительно. \
                     Срок прошёл, поэтому кнопки «Оспорить решение» больше нет. Вы можете подать новое заявление."
                )}</p>
            </section>
        }
        .into_any(),
    }
    }
}

#[component]
fn AppealCard(
    details: RwSignal<ApplicationDetails>,
    decision: i64,
    decided_on: String,
    reason: String,
    until: String,
) -> impl IntoView {
    let open = RwSignal::new(false);
    view! {
        <section class="card" aria-labelledby="reply-title">
            <h2 id="reply-title">{format!("Отказ: решение № {decision} от {decided_on}")}</h2>
            <p>"Причина отказа: "<strong>{reason}</strong></p>
            <p>{format!("Если вы считаете решение ошибочным, его можно оспорить до {until} включительно. Жалобу рассмотрит другой специалист в течение 30 дней.")}</p>
            <Show when=move || open.get() fallback=move || view! {
                <Button on_click=Callback::new(move |_| open.set(true))>"Оспорить решение"</Button>
            }>
                <p>{format!("Жалоба на решение № {decision}. Кратко изложите аргументы и приложите подтверждающие документы: справки о доходах, выписку из реестра семьи, копию паспорта ребёнка.")}</p>
                <ReplyForm details=details appeal=true/>
            </Show>
        </section>
    }
}

/// The text, the files added for it, and the button that sends both.
#[component]
fn ReplyForm(details: RwSignal<ApplicationDetails>, appeal: bool) -> impl IntoView {
    let form = FormErrors::new();
    let text = RwSignal::new(String::new());
    let resend = ServerAction::<ResendApplication>::new();
    let appealed = ServerAction::<AppealDecision>::new();
    Effect::new(move |_| {
        for result in [resend.value().get(), appealed.value().get()]
            .into_iter()
            .flatten()
        {
            match result {
                Ok(fresh) => {
                    form.clear();
                    text.set(String::new());
                    details.set(fresh);
                }
                Err(error) => form.show_api_error(error),
            }
        }
    });
    let id = details.with_untracked(|d| d.summary.id);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let reply = Reply {
            text: text.get_untracked(),
            version: details.with_untracked(|d| d.version),
        };
        if appeal {
            appealed.dispatch(AppealDecision { id, reply });
        } else {
            resend.dispatch(ResendApplication { id, reply });
        }
    };
    let busy = Signal::derive(move || resend.pending().get() || appealed.pending().get());
    let (label, button) = if appeal {
        ("Аргументы", "Отправить жалобу")
    } else {
        ("Ответ специалисту", "Отправить повторно")
    };
    view! {
        <ErrorSummary errors=form.summary() message=form.message()/>
        <HeldFiles details=details form=form/>
        <AddDocument details=details/>
        <form novalidate on:submit=submit>
            <Field id=COMMENT_FIELD label=label hint="До 2000 символов" value=text
                error=form.for_field(COMMENT_FIELD) input=FieldInput::Multiline/>
            <Button submit=true disabled=busy>{button}</Button>
        </form>
    }
}

/// The files added and not sent yet, each with its check's status and «Удалить». While one is
/// being checked, the list asks the server again.
#[component]
fn HeldFiles(details: RwSignal<ApplicationDetails>, form: FormErrors) -> impl IntoView {
    let id = details.with_untracked(|d| d.summary.id);
    let remove = ServerAction::<RemoveHeldDocument>::new();
    Effect::new(move |_| {
        if let Some(Ok(fresh)) = remove.value().get() {
            details.set(fresh);
        }
    });
    let checking = move || {
        details.with(|d| {
            d.held
                .iter()
                .any(|h| h.status == super::documents::UploadStatus::Processing)
        })
    };
    crate::api::polling::keep_polling(checking, move || async move {
        match load_application(id, None).await {
            Ok(Some(fresh)) => {
                let still = fresh
                    .held
                    .iter()
                    .any(|h| h.status == super::documents::UploadStatus::Processing);
                details.try_set(fresh);
                crate::api::polling::Polled::Changed {
                    still_running: still,
                }
            }
            _ => crate::api::polling::Polled::Unchanged,
        }
    });
    view! {
        <div id=REPLY_DOCUMENTS_FIELD tabindex="-1">
            <p class="field__error" hidden=move || form.for_field(REPLY_DOCUMENTS_FIELD).get().is_none()>
                {move || form.for_field(REPLY_DOCUMENTS_FIELD).get().unwrap_or_default()}
            </p>
            {move || {
                let held = details.with(|d| d.held.clone());
                (!held.is_empty()).then(|| view! {
                    <h3>"Добавленные документы"</h3>
                    <ul class="held">
                        {held.into_iter().map(|d| view! { <HeldFile document=d remove=remove id=id/> }).collect_view()}
                    </ul>
                })
            }}
        </div>
    }
}

#[component]
fn HeldFile(
    document: DocumentView,
    remove: ServerAction<RemoveHeldDocument>,
    id: i64,
) -> impl IntoView {
    let document_id = document.id;
    view! {
        <li class="held__item">
            <a href=document.href() download="">{document.file_name.clone()}</a>
            {format!(" — {} ", document.requirement.title())}
            <span role="status"><StatusChip tone=document.status.tone() text=document.status.label()/></span>
            {document.rejection.map(|r| view! { <p class="error-text">{r.reason()}" Этот файл не будет отправлен."</p> })}
            " "
            <Button kind=ButtonKind::Secondary disabled=Signal::derive(move || remove.pending().get())
                on_click=Callback::new(move |_| { remove.dispatch(RemoveHeldDocument { id, document: document_id }); })>
                "Удалить" <span class="visually-hidden">{format!(" файл {}", document.file_name)}</span>
            </Button>
        </li>
    }
}

/// «Добавить документ»: which document it is, the file, «Сохранить».
#[component]
fn AddDocument(details: RwSignal<ApplicationDetails>) -> impl IntoView {
    let id = details.with_untracked(|d| d.summary.id);
    let accepted = details.with_untracked(|d| d.accepted.clone());
    let kind = RwSignal::new(accepted.last().copied().unwrap_or(RequiredDocument::Other));
    let input = NodeRef::<Input>::new();
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let busy = RwSignal::new(false);
    let ready = interactive();
    let done = Callback::new(
        move |answer: Result<DocumentView, crate::api::ApiError>| match answer {
            Ok(_) => {
                errors.set(Vec::new());
                if let Some(el) = input.get() {
                    el.set_value("");
                }
                leptos::task::spawn_local(async move {
                    if let Ok(Some(fresh)) = load_application(id, None).await {
                        details.try_set(fresh);
                    }
                });
            }
            Err(crate::api::ApiError::Invalid(found)) => errors.set(found),
            Err(other) => errors.set(vec![FieldError::new(
                FILE_FIELD,
                "upload.failed",
                &other.summary_message(),
            )]),
        },
    );
    let error = move || errors.with(|all| all.first().map(|e| e.message.clone()));
    let save = move |_| {
        errors.set(Vec::new());
        super::upload::pick_and_send(
            input,
            FILE_FIELD,
            UploadTarget::Application(id),
            kind.get_untracked(),
            errors,
            busy,
            done,
        )
    };
    view! {
        <div class="field" class:field--error=move || error().is_some()>
            <label class="field__label" for="reply-kind">"Какой это документ"</label>
            <select id="reply-kind" class="field__input"
                on:change=move |ev| {
                    if let Some(k) = RequiredDocument::parse(&event_target_value(&ev)) {
                        kind.set(k);
                    }
                }>
                {accepted.iter().map(|k| {
                    let k = *k;
                    view! { <option value=k.code() selected=move || kind.get() == k>{k.title()}</option> }
                }).collect_view()}
            </select>
        </div>
        <div class="field" class:field--error=move || error().is_some()>
            <label class="field__label" for=FILE_FIELD>"Добавить документ"</label>
            <p class="field__hint" id="reply-file-hint">"PDF, JPEG или PNG до 5 МБ"</p>
            {move || error().map(|m| view! { <p class="field__error" id="reply-file-error">{m}</p> })}
            <input type="file" id=FILE_FIELD name=fields::FILE accept=ACCEPT node_ref=input class="field__file"
                aria-describedby=move || if error().is_some() { "reply-file-hint reply-file-error" } else { "reply-file-hint" }/>
        </div>
        <p>
            <Button kind=ButtonKind::Secondary disabled=Signal::derive(move || busy.get() || !ready.get()) on_click=Callback::new(save)>
                {move || if busy.get() { "Загружаем…" } else { "Сохранить" }}
            </Button>
        </p>
    }
}
