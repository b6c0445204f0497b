//! The draft's «Документы» page: each document the benefit requires, with «Добавить документ»
//! (choose a file, «Сохранить»), the file's status followed live («В обработке» → «Одобрено» or
//! «Отклонено» with the reason), «Удалить», and a file uploaded earlier to reuse.

use leptos::html::Input;
use leptos::prelude::*;

use super::catalogue::RequiredDocument;
use super::documents::{
    ACCEPT, DeleteDocument, DocumentView, DraftDocuments, ReuseDocument, Slot, fields,
    load_draft_documents,
};
use crate::api::polling::{Polled, keep_polling};
use crate::api::{ApiError, FieldError};
use crate::components::{Button, ButtonKind, ButtonLink, ErrorSummary, StatusChip, interactive};

#[component]
pub fn DocumentsPage(draft_id: i64, slots: Vec<Slot>, next_href: String) -> impl IntoView {
    let page = RwSignal::new(DraftDocuments {
        draft_id,
        slots,
        earlier: Vec::new(),
        version: String::new(),
    });
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let message = RwSignal::new(None::<String>);
    // The files uploaded earlier come with the first ask; then it asks while a check runs.
    let ask = move || async move {
        let known = page.with_untracked(|p| p.version.clone());
        match load_draft_documents(draft_id, Some(known)).await {
            Ok(Some(fresh)) => {
                let still_running = fresh.checking();
                page.try_set(fresh);
                Polled::Changed { still_running }
            }
            Ok(None) | Err(_) => Polled::Unchanged,
        }
    };
    let running = RwSignal::new(true);
    keep_polling(
        move || running.get() || page.with(DraftDocuments::checking),
        ask,
    );
    Effect::new(move |_| {
        if !page.with(|p| p.version.is_empty()) {
            running.set(false);
        }
    });
    let show = move |error: ApiError| match error {
        ApiError::Invalid(found) => {
            message.set(None);
            errors.set(found);
        }
        other => message.set(Some(other.summary_message())),
    };
    let reuse = ServerAction::<ReuseDocument>::new();
    let delete = ServerAction::<DeleteDocument>::new();
    let apply = move |done: Option<Result<DraftDocuments, ApiError>>| match done {
        Some(Ok(fresh)) => {
            errors.set(Vec::new());
            page.set(fresh);
        }
        Some(Err(e)) => show(e),
        None => {}
    };
    Effect::new(move |_| apply(reuse.value().get()));
    Effect::new(move |_| apply(delete.value().get()));
    let on_change = Callback::new(move |fresh: Result<DocumentView, ApiError>| match fresh {
        Ok(document) => {
            errors.update(|all| all.retain(|e| e.field != fields::slot(document.requirement)));
            message.set(None);
            page.update(|p| {
                if let Some(slot) = p
                    .slots
                    .iter_mut()
                    .find(|s| s.requirement == document.requirement)
                {
                    slot.attached = Some(document);
                }
                p.version.clear();
            });
            running.set(true);
        }
        Err(e) => show(e),
    });
    view! {
        <p>"Загрузите скан или фото каждого документа: PDF, JPEG или PNG, не больше 5 МБ. "
           "Снимок должен быть чётким, с разрешением не ниже 300 dpi — мы проверяем число точек по размеру документа."</p>
        <ErrorSummary errors=errors message=message/>
        // Keyed cards: a status arriving re-draws a card's file, never another card's chosen file.
        <For
            each=move || page.with(|p| p.slots.iter().map(|s| s.requirement).collect::<Vec<_>>())
            key=|requirement| requirement.code()
            children=move |requirement| {
                let attached = Memo::new(move |_| page.with(|p| p.slots.iter()
                    .find(|s| s.requirement == requirement).and_then(|s| s.attached.clone())));
                let earlier = Memo::new(move |_| page.with(|p| p.earlier.iter()
                    .filter(|d| d.requirement == requirement).cloned().collect::<Vec<_>>()));
                view! {
                    <SlotCard requirement=requirement attached=attached earlier=earlier draft_id=draft_id
                        errors=errors on_uploaded=on_change reuse=reuse delete=delete/>
                }
            }
        />
        <p><ButtonLink href=next_href>"Продолжить"</ButtonLink></p>
    }
}

#[component]
fn SlotCard(
    requirement: RequiredDocument,
    attached: Memo<Option<DocumentView>>,
    earlier: Memo<Vec<DocumentView>>,
    draft_id: i64,
    errors: RwSignal<Vec<FieldError>>,
    on_uploaded: Callback<Result<DocumentView, ApiError>>,
    reuse: ServerAction<ReuseDocument>,
    delete: ServerAction<DeleteDocument>,
) -> impl IntoView {
    let field = fields::slot(requirement);
    let error_id = format!("{field}-error");
    let error = {
        let field = field.clone();
        move || {
            errors.with(|all| {
                all.iter()
                    .find(|e| e.field == field)
                    .map(|e| e.message.clone())
            })
        }
    };
    let input = NodeRef::<Input>::new();
    let busy = RwSignal::new(false);
    let ready = interactive();
    let save = {
        let field = field.clone();
        move |_| {
            super::upload::pick_and_send(
                input,
                &field,
                super::documents::UploadTarget::Draft(draft_id),
                requirement,
                errors,
                busy,
                on_uploaded,
            )
        }
    };
    let title = requirement.title();
    let has_error = {
        let error = error.clone();
        move || error().is_some()
    };
    let describedby = {
        let (has_error, field, error_id) = (has_error.clone(), field.clone(), error_id.clone());
        move || {
            if has_error() {
                format!("{field}-hint {error_id}")
            } else {
                format!("{field}-hint")
            }
        }
    };
    view! {
        <section class="card document-slot" aria-labelledby=format!("{field}-title")>
            <h2 class="card__title" id=format!("{field}-title")>{title}</h2>
            {move || attached.get().map(|d| view! { <AttachedFile document=d draft_id=draft_id delete=delete/> })}
            <div class="field" class:field--error=has_error>
                <label class="field__label" for=field.clone()>
                    {move || if attached.with(Option::is_some) { "Заменить файл" } else { "Добавить документ" }}
                </label>
                <p class="field__hint" id=format!("{field}-hint")>"PDF, JPEG или PNG до 5 МБ"</p>
                {
                    let error = error.clone();
                    let error_id = error_id.clone();
                    move || error().map(|m| view! { <p class="field__error" id=error_id.clone()>{m}</p> })
                }
                <input type="file" id=field.clone() name=fields::FILE accept=ACCEPT node_ref=input
                    class="field__file" aria-describedby=describedby/>
            </div>
            <Button kind=ButtonKind::Secondary
                disabled=Signal::derive(move || busy.get() || !ready.get())
                on_click=Callback::new(save)>
                {move || if busy.get() { "Загружаем…" } else { "Сохранить" }}
            </Button>
            {move || {
                let earlier = earlier.get();
                (!earlier.is_empty()).then(|| view! { <Earlier earlier=earlier requirement=requirement draft_id=draft_id reuse=reuse/> })
            }}
        </section>
    }
}

#[component]
fn AttachedFile(
    document: DocumentView,
    draft_id: i64,
    delete: ServerAction<DeleteDocument>,
) -> impl IntoView {
    let id = document.id;
    view! {
        <dl class="summary">
            <div class="summary__row">
                <dt class="summary__key">"Файл"</dt>
                <dd class="summary__value">
                    <a href=document.href() download="">{document.file_name.clone()}</a>
                    {format!(" ({}), загружен {} (МСК)", document.describe(), document.uploaded_at)}
                </dd>
            </div>
            <div class="summary__row">
                <dt class="summary__key">"Статус"</dt>
                <dd class="summary__value">
                    <span role="status"><StatusChip tone=document.status.tone() text=document.status.label()/></span>
                    {document.rejection.map(|r| view! { <p class="error-text">{r.reason()}</p> })}
                </dd>
            </div>
        </dl>
        <Button kind=ButtonKind::Secondary
            disabled=Signal::derive(move || delete.pending().get())
            on_click=Callback::new(move |_| { delete.dispatch(DeleteDocument { draft_id, document_id: id }); })>
            "Удалить" <span class="visually-hidden">{format!(" файл {}", document.file_name)}</span>
        </Button>
    }
}

#[component]
fn Earlier(
    earlier: Vec<DocumentView>,
    requirement: RequiredDocument,
    draft_id: i64,
    reuse: ServerAction<ReuseDocument>,
) -> impl IntoView {
    let select_id = format!("{}-earlier", fields::slot(requirement));
    let chosen = RwSignal::new(earlier.first().map(|d| d.id));
    view! {
        <div class="field">
            <label class="field__label" for=select_id.clone()>"Или выберите загруженный ранее"</label>
            <select id=select_id class="field__input"
                on:change=move |ev| chosen.set(event_target_value(&ev).parse().ok())>
                {earlier.into_iter().map(|d| view! {
                    <option value=d.id.to_string()>{format!("{} — {}, {}", d.file_name, d.uploaded_at, d.status.label())}</option>
                }).collect_view()}
            </select>
        </div>
        <Button kind=ButtonKind::Secondary
            disabled=Signal::derive(move || reuse.pending().get())
            on_click=Callback::new(move |_| {
                if let Some(document_id) = chosen.get_untracked() {
                    reuse.dispatch(ReuseDocument { draft_id, requirement, document_id });
                }
            })>
            "Выбрать"
        </Button>
    }
}
