//! `/documents/family/children/:id/data`: «Данные о ребёнке» — download everything, or delete
//! everything after re-authentication and a plain statement of what goes.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use super::rights::{
    CONFIRM_FIELD, DeleteChildData, DeletionStatement, deletion_preview, deletion_receipt_path,
    export_path,
};
use crate::account::reauth_gate::ReauthGate;
use crate::components::{Button, ButtonKind, ErrorSummary, FormErrors, interactive};

#[component]
pub fn ChildDataPage() -> impl IntoView {
    let params = use_params_map();
    let child = Memo::new(move |_| {
        params.with(|p| {
            p.get("id")
                .and_then(|id| id.parse::<i64>().ok())
                .unwrap_or_default()
        })
    });
    // The re-authentication reloads the statement; the count keys it so it mounts afresh.
    let generation = RwSignal::new(0u32);
    let loaded = Resource::new(
        move || (child.get(), generation.get()),
        |(child, _)| deletion_preview(child),
    );
    let delete = ServerAction::<DeleteChildData>::new();
    view! {
        <Title text="Данные о ребёнке — Госуслуги"/>
        <p class="breadcrumbs">
            <a href="/documents/family">"Семья и дети"</a>" → "
            <a href=move || format!("/documents/family/children/{}", child.get())>"Карточка ребёнка"</a>
            " → Данные о ребёнке"
        </p>
        <h1 id="page-title" tabindex="-1">"Данные о ребёнке"</h1>
        {move || match delete.value().get() {
            Some(Ok(done)) => view! {
                <div class="notice notice--success" role="status">
                    <p><strong>"Все данные о ребёнке удалены."</strong></p>
                    <p>{format!("{} — удалено записей: {}, файлов: {}.", done.at, done.rows, done.files)}</p>
                    <p><a href=deletion_receipt_path(done.id) download="">"Скачать квитанцию об удалении"</a></p>
                    <p><a href="/documents/family">"Вернуться в «Семья и дети»"</a></p>
                </div>
            }.into_any(),
            _ => view! {
                <Transition fallback=|| view! { <p>"Загружаем…"</p> }>
                    <For
                        each=move || loaded.get().map(|answer| (generation.get_untracked(), answer))
                        key=|(loaded, _)| *loaded
                        children=move |(_, answer)| match answer {
                            Ok(preview) => view! {
                                <Export child=child.get_untracked()/>
                                <Deletion child=child.get_untracked() preview=preview action=delete
                                    reload=Callback::new(move |_| generation.update(|n| *n += 1))/>
                            }.into_any(),
                            Err(e) => view! { <p class="error-text" role="alert">{e.summary_message()}</p> }.into_any(),
                        }
                    />
                </Transition>
            }.into_any(),
        }}
    }
}

#[component]
fn Export(child: i64) -> impl IntoView {
    view! {
        <section class="card" aria-labelledby="export-title">
            <h2 id="export-title">"Скачать все данные о ребёнке"</h2>
            <p>
                "Один архив: все сведения о ребёнке в машиночитаемом виде (JSON), файлы документов \
                 и читаемая выписка в PDF с электронной подписью портала."
            </p>
            <p><a class="button button--secondary" href=export_path(child) download="">"Скачать архив"</a></p>
        </section>
    }
}

#[component]
fn Deletion(
    child: i64,
    preview: DeletionStatement,
    action: ServerAction<DeleteChildData>,
    reload: Callback<()>,
) -> impl IntoView {
    let understood = RwSignal::new(false);
    let form = FormErrors::new();
    let ready = interactive();
    Effect::new(move |_| {
        if let Some(Err(error)) = action.value().get() {
            form.show_api_error(error);
        }
    });
    let navigate = leptos_router::hooks::use_navigate();
    let cancel = Callback::new(move |_| {
        navigate(
            &format!("/documents/family/children/{child}"),
            Default::default(),
        );
    });
    let items = preview.items.clone();
    let files = preview.files;
    view! {
        <section class="card" aria-labelledby="delete-title">
            <h2 id="delete-title">"Удалить все данные о ребёнке"</h2>
            <p>{format!("Будет удалено всё, что портал хранит о ребёнке ({}):", preview.child_name)}</p>
            <ul>
                {items.into_iter().map(|(what, count)| view! { <li>{format!("{what} — {count}")}</li> }).collect_view()}
                <li>{format!("Файлы документов — {files}")}</li>
            </ul>
            <p>
                "Удаление нельзя отменить. Файлы зашифрованы ключом ребёнка, который будет уничтожен, \
                 поэтому их нельзя прочитать и из резервных копий. Останется только квитанция об \
                 удалении без персональных данных."
            </p>
            <ReauthGate reauthenticated=preview.reauthenticated done=reload cancel=cancel>
                <ErrorSummary errors=form.summary() message=form.message()/>
                <form novalidate on:submit=move |ev: leptos::ev::SubmitEvent| {
                    ev.prevent_default();
                    action.dispatch(DeleteChildData { child, understood: understood.get_untracked() });
                }>
                    <div class="field checkbox" class:field--error=move || form.for_field(CONFIRM_FIELD).get().is_some()>
                        <p id="understood-error" class="field__error" hidden=move || form.for_field(CONFIRM_FIELD).get().is_none()>
                            {move || form.for_field(CONFIRM_FIELD).get().unwrap_or_default()}
                        </p>
                        <div class="checkbox__item">
                            <input type="checkbox" class="checkbox__input" id=CONFIRM_FIELD
                                prop:checked=move || understood.get()
                                on:change=move |ev| understood.set(event_target_checked(&ev))/>
                            <label class="checkbox__label" for=CONFIRM_FIELD>
                                "Я понимаю, что данные удалятся безвозвратно"
                            </label>
                        </div>
                    </div>
                    <Button submit=true kind=ButtonKind::Primary
                        disabled=Signal::derive(move || !ready.get() || action.pending().get())>
                        "Удалить все данные о ребёнке"
                    </Button>
                </form>
            </ReauthGate>
        </section>
    }
}
