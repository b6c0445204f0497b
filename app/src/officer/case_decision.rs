//! The officer's decision on the application they hold: one of the actions the status machine
//! allows now, with the comment the family reads in its journal. Sent at the version read, so a
//! change in between is refused rather than overwritten.

use leptos::prelude::*;

use super::desk::{CaseFile, DecideCase, Decision};
use crate::api::FieldError;
use crate::benefits::status::COMMENT_FIELD;
use crate::components::{Button, Field, FieldInput, FormErrors, Radios};
use crate::domain::application_status::{ActionKind, MAX_TEXT_CHARS};

/// The decision's field of the choice.
const ACTION_FIELD: &str = "action";

/// The choice as the officer reads it.
pub fn action_label(kind: ActionKind) -> &'static str {
    match kind {
        ActionKind::RequestClarification => "Запросить уточнение",
        ActionKind::Approve => "Одобрить",
        ActionKind::Reject => "Отказать",
        ActionKind::UpholdAppeal => "Удовлетворить жалобу — одобрить",
        ActionKind::DismissAppeal => "Отклонить жалобу — оставить отказ",
        ActionKind::Resend => "Отправить ответ",
        ActionKind::Appeal => "Оспорить решение",
    }
}

/// What the comment must say for the chosen action.
fn comment_hint(kind: Option<ActionKind>) -> &'static str {
    match kind {
        Some(ActionKind::RequestClarification) => {
            "Обязательно. Напишите, какой документ или какие сведения нужны — заявитель увидит это в заявлении и в уведомлении"
        }
        Some(ActionKind::Reject) | Some(ActionKind::DismissAppeal) => {
            "Обязательно. Укажите причину отказа — заявитель сможет оспорить решение в течение 30 дней"
        }
        _ => "Заявитель увидит комментарий в журнале заявления",
    }
}

#[component]
pub fn DecisionForm(case: RwSignal<CaseFile>, form: FormErrors) -> impl IntoView {
    let chosen = RwSignal::new(String::new());
    let comment = RwSignal::new(String::new());
    let decide = ServerAction::<DecideCase>::new();
    Effect::new(move |_| match decide.value().get() {
        Some(Ok(file)) => {
            form.clear();
            chosen.set(String::new());
            comment.set(String::new());
            case.set(file);
        }
        Some(Err(error)) => form.show_api_error(error),
        None => {}
    });
    let kind = move || ActionKind::parse(&chosen.get());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(action) = ActionKind::parse(&chosen.get_untracked()) else {
            form.show(
                vec![FieldError::new(
                    ACTION_FIELD,
                    "decision.action_required",
                    "Выберите решение",
                )],
                None,
            );
            return;
        };
        let text = comment.get_untracked();
        if text.trim().chars().count() > MAX_TEXT_CHARS {
            form.show(
                vec![FieldError::new(
                    COMMENT_FIELD,
                    "decision.too_long",
                    "Текст длиннее 2000 символов — сократите его",
                )],
                None,
            );
            return;
        }
        let (id, version) = case.with_untracked(|c| (c.id, c.version));
        decide.dispatch(DecideCase {
            id,
            decision: Decision {
                action,
                comment: text,
                version,
            },
        });
    };
    let options = move || {
        case.with(|c| {
            c.actions
                .iter()
                .map(|k| (k.as_str(), action_label(*k)))
                .collect::<Vec<_>>()
        })
    };
    view! {
        <section aria-labelledby="decision-title" class="card">
            <h2 id="decision-title">"Решение"</h2>
            {move || if options().is_empty() {
                view! { <p>"Сейчас решение принять нельзя."</p> }.into_any()
            } else {
                view! {
                    <form novalidate on:submit=submit>
                        <Radios name=ACTION_FIELD legend="Что решаете" options=options()
                            selected=chosen error=form.for_field(ACTION_FIELD)/>
                        <p class="hint" aria-live="polite">{move || comment_hint(kind())}</p>
                        <Field id=COMMENT_FIELD label="Комментарий для заявителя" hint="До 2000 символов"
                            value=comment error=form.for_field(COMMENT_FIELD) input=FieldInput::Multiline/>
                        <Button submit=true disabled=decide.pending()>"Сохранить решение"</Button>
                    </form>
                }.into_any()
            }}
        </section>
    }
}
