//! «Запрос на получение данных из ЕГР ЗАГС»: the window that sends the chosen children's
//! certificates for checking (seed 002, рис. 7). A native `<dialog>`: focus moves into it and
//! Escape closes it.

use leptos::prelude::*;

use super::{ChildSummary, FamilyOverview, FamilyUpdate, load_family, request_checks};
use crate::api::ApiError;
use crate::components::{Button, ButtonKind, Checkbox, ErrorSummary, FormErrors};

/// The field id of the list of children, for its error.
pub const CHILDREN_FIELD: &str = "children";
const AUTO_UPDATE_FIELD: &str = "auto_update";

async fn send(children: Vec<i64>, auto_update: bool) -> Result<FamilyOverview, ApiError> {
    request_checks(children, auto_update).await?;
    match load_family(None).await? {
        FamilyUpdate::Changed(overview) => Ok(overview),
        FamilyUpdate::Unchanged => Err(ApiError::Unavailable),
    }
}

#[component]
pub fn RequestDialog(
    /// The children whose certificates can be requested now.
    children: Vec<ChildSummary>,
    /// Open with these children ticked; `None` closes it.
    chosen: RwSignal<Option<Vec<i64>>>,
    on_sent: Callback<FamilyOverview>,
) -> impl IntoView {
    let dialog = NodeRef::<leptos::html::Dialog>::new();
    let ticked = RwSignal::new(Vec::<i64>::new());
    let auto_update = RwSignal::new(true);
    let form = FormErrors::new();
    let sending = Action::new_local(|(ids, auto): &(Vec<i64>, bool)| send(ids.clone(), *auto));

    Effect::new(move |_| {
        let Some(el) = dialog.get() else { return };
        match chosen.get() {
            Some(ids) => {
                ticked.set(ids);
                form.clear();
                if !el.open() {
                    let _ = el.show_modal();
                }
            }
            None => el.close(),
        }
    });
    Effect::new(move |_| match sending.value().get() {
        Some(Ok(fresh)) => {
            chosen.set(None);
            on_sent.run(fresh);
        }
        Some(Err(error)) => form.show_api_error(error),
        None => {}
    });

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let ids = ticked.get_untracked();
        if ids.is_empty() {
            form.show(
                vec![crate::api::FieldError::new(
                    CHILDREN_FIELD,
                    "children.none",
                    "Выберите хотя бы одного ребёнка",
                )],
                None,
            );
            return;
        }
        sending.dispatch((ids, auto_update.get_untracked()));
    };

    let items = children
        .into_iter()
        .map(|child| {
            let id = child.id;
            let input_id = format!("request-child-{id}");
            view! {
                <div class="checkbox__item">
                    <input type="checkbox" class="checkbox__input" id=input_id.clone()
                        prop:checked=move || ticked.with(|t| t.contains(&id))
                        on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            ticked.update(|t| { t.retain(|x| *x != id); if on { t.push(id); } });
                        }/>
                    <label class="checkbox__label" for=input_id>
                        {child.full_name}
                        <span class="hint">" Дата рождения: "{child.birth_date}</span>
                    </label>
                    <a class="dialog__edit" href=format!("/documents/family/children/{id}/edit")>
                        "Редактировать"
                    </a>
                </div>
            }
        })
        .collect_view();
    let children_error = form.for_field(CHILDREN_FIELD);

    view! {
        <dialog node_ref=dialog class="dialog" aria-labelledby="request-title"
            on:close=move |_| chosen.set(None)>
            <form novalidate on:submit=submit>
                <h2 id="request-title">"Запрос на получение данных из ЕГР ЗАГС"</h2>
                <p>"Запросим ваши свидетельства о рождении, перемене имени и отцовстве, а также сведения о браках и разводах. Если нужно запросить данные по ребёнку, добавьте его свидетельство о рождении"</p>
                <ErrorSummary errors=form.summary() message=form.message()/>
                <fieldset class="field" class:field--error=move || children_error.get().is_some()
                    aria-describedby="children-hint">
                    <legend class="field__label">"Данные детей"</legend>
                    <div id="children-hint" class="field__hint">"Укажите своих несовершеннолетних детей, чтобы получать по ним данные из ЕГР ЗАГС. Они будут добавлены в личный кабинет"</div>
                    <p id=CHILDREN_FIELD class="field__error" tabindex="-1" hidden=move || children_error.get().is_none()>
                        <span class="visually-hidden">"Ошибка: "</span>
                        {move || children_error.get().unwrap_or_default()}
                    </p>
                    {items}
                </fieldset>
                <p><a href="/documents/family/children/new">"Добавить ещё ребёнка"</a></p>
                <Checkbox id=AUTO_UPDATE_FIELD checked=auto_update error=Signal::derive(|| None::<String>)>
                    "Автообновление для сохранения актуальности документов"
                </Checkbox>
                <div class="button-group">
                    <Button submit=true disabled=Signal::derive(move || sending.pending().get())>
                        {move || if sending.pending().get() { "Отправляем…" } else { "Отправить" }}
                    </Button>
                    <Button kind=ButtonKind::Secondary on_click=Callback::new(move |_| chosen.set(None))>"Отменить"</Button>
                </div>
            </form>
        </dialog>
    }
}
