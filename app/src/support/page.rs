use leptos::prelude::*;
use leptos_meta::Title;

use super::{
    QuestionReceipt, SubmitQuestion, check_email, check_snils, check_text, fields, validate,
};
use crate::api::{ApiError, FieldError};
use crate::components::{
    Button, ButtonKind, ConfirmationPanel, ErrorSummary, Field, FieldInput, StatusChip,
    StepIndicator, SummaryList, SummaryRow, Tone, focus_element,
};

#[derive(Debug, Clone, PartialEq)]
enum Step {
    Write,
    Check,
    Sent(QuestionReceipt),
}

impl Step {
    fn index(&self) -> usize {
        match self {
            Step::Write => 0,
            Step::Check | Step::Sent(_) => 1,
        }
    }
}

/// «Задать вопрос»: write the question, check the answers, send, get a number.
#[component]
pub fn AskQuestionPage() -> impl IntoView {
    let step = RwSignal::new(Step::Write);
    let snils = RwSignal::new(String::new());
    let email = RwSignal::new(String::new());
    let text = RwSignal::new(String::new());
    let errors = RwSignal::new(Vec::<FieldError>::new());
    // The summary appears only after a submit; inline errors may come earlier, on blur.
    let submitted = RwSignal::new(false);
    let summary_message = RwSignal::new(None::<String>);
    let submit = ServerAction::<SubmitQuestion>::new();

    // Buttons work only once the page is interactive, so nothing is sent by a half-loaded page.
    let interactive = RwSignal::new(false);
    Effect::new(move |_| interactive.set(true));

    let error_for = move |field: &'static str| {
        Signal::derive(move || {
            errors.with(|all| {
                all.iter()
                    .find(|e| e.field == field)
                    .map(|e| e.message.clone())
            })
        })
    };
    let has_error = move |field: &'static str| {
        errors.with_untracked(|all| all.iter().any(|e| e.field == field))
    };
    // Re-checks one field on blur, and as the user types once it has been marked wrong, so an
    // error disappears the moment it is fixed.
    let recheck = move |field: &'static str, error: Option<FieldError>| {
        errors.update(|all| {
            all.retain(|e| e.field != field);
            all.extend(error);
        });
    };
    let check_field = move |field: &'static str| match field {
        fields::SNILS => recheck(field, check_snils(&snils.get_untracked()).err()),
        fields::EMAIL => recheck(field, check_email(&email.get_untracked()).err()),
        _ => recheck(field, check_text(&text.get_untracked()).err()),
    };
    // On blur only what the user typed is checked: tabbing through empty fields is not an error
    // until they try to continue.
    let check_on_blur = move |field: &'static str, value: RwSignal<String>| {
        if has_error(field) || !value.get_untracked().trim().is_empty() {
            check_field(field);
        }
    };
    for (field, value) in [
        (fields::SNILS, snils),
        (fields::EMAIL, email),
        (fields::TEXT, text),
    ] {
        Effect::new(move |_| {
            value.track();
            if has_error(field) {
                check_field(field);
            }
        });
    }

    let show_errors = move |found: Vec<FieldError>, message: Option<String>| {
        submitted.set(true);
        errors.set(found);
        summary_message.set(message);
        focus_element(crate::components::ERROR_SUMMARY_ID);
    };

    let go_to_check = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match validate(
            &snils.get_untracked(),
            &email.get_untracked(),
            &text.get_untracked(),
        ) {
            Ok(_) => {
                errors.set(Vec::new());
                summary_message.set(None);
                step.set(Step::Check);
                focus_element("page-title");
            }
            Err(found) => show_errors(found, None),
        }
    };

    let change = move |field: &'static str| {
        Callback::new(move |_| {
            step.set(Step::Write);
            focus_element(field);
        })
    };

    let send = move |_| {
        summary_message.set(None);
        submit.dispatch(SubmitQuestion {
            snils: snils.get_untracked(),
            email: email.get_untracked(),
            text: text.get_untracked(),
        });
    };

    Effect::new(move |_| {
        let Some(result) = submit.value().get() else {
            return;
        };
        match result {
            Ok(receipt) => {
                step.set(Step::Sent(receipt));
                focus_element("confirmation");
            }
            Err(ApiError::Invalid(found)) => {
                step.set(Step::Write);
                show_errors(found, None);
            }
            Err(other) => show_errors(Vec::new(), Some(other.summary_message().to_owned())),
        }
    });

    let write_step = move || {
        view! {
            <form novalidate on:submit=go_to_check>
                <Field
                    id=fields::SNILS
                    label="СНИЛС"
                    hint="11 цифр, например 123-456-789 01"
                    value=snils
                    error=error_for(fields::SNILS)
                    input=FieldInput::Numeric
                    on_blur=Callback::new(move |_| check_on_blur(fields::SNILS, snils))
                />
                <Field
                    id=fields::EMAIL
                    label="Электронная почта"
                    hint="На этот адрес придёт ответ"
                    value=email
                    error=error_for(fields::EMAIL)
                    input=FieldInput::Email
                    autocomplete="email"
                    on_blur=Callback::new(move |_| check_on_blur(fields::EMAIL, email))
                />
                <Field
                    id=fields::TEXT
                    label="Ваш вопрос"
                    hint="Не более 2000 знаков. Не пишите пароли и коды из СМС"
                    value=text
                    error=error_for(fields::TEXT)
                    input=FieldInput::Multiline
                    on_blur=Callback::new(move |_| check_on_blur(fields::TEXT, text))
                />
                <Button submit=true disabled=Signal::derive(move || !interactive.get())>
                    "Продолжить"
                </Button>
            </form>
        }
    };

    let check_step = move || {
        let rows = vec![
            SummaryRow {
                key: "СНИЛС",
                value: check_snils(&snils.get_untracked())
                    .map(|s| s.to_string())
                    .unwrap_or_default(),
                change: Some(change(fields::SNILS)),
            },
            SummaryRow {
                key: "Электронная почта",
                value: email.get_untracked().trim().to_owned(),
                change: Some(change(fields::EMAIL)),
            },
            SummaryRow {
                key: "Ваш вопрос",
                value: text.get_untracked().trim().to_owned(),
                change: Some(change(fields::TEXT)),
            },
        ];
        view! {
            <SummaryList rows=rows/>
            <div class="button-group">
                <Button
                    on_click=Callback::new(send)
                    disabled=Signal::derive(move || submit.pending().get() || !interactive.get())
                >
                    {move || if submit.pending().get() { "Отправляем…" } else { "Отправить" }}
                </Button>
                <Button kind=ButtonKind::Secondary on_click=Callback::new(move |_| step.set(Step::Write))>
                    "Назад"
                </Button>
            </div>
        }
    };

    let sent_step = move |receipt: QuestionReceipt| {
        view! {
            <div id="confirmation" tabindex="-1">
                <ConfirmationPanel
                    title="Вопрос отправлен"
                    reference_label="Номер обращения"
                    reference=receipt.number.clone()
                />
                <p>"Статус: " <StatusChip tone=Tone::Success text="Зарегистрировано"/></p>
                <p>{format!("Дата регистрации: {}", receipt.registered_at)}</p>
                <h2>"Что дальше"</h2>
                <p>
                    "Специалист поддержки ответит на электронную почту, указанную в обращении. "
                    "Сохраните номер обращения — назовите его, если будете звонить в поддержку."
                </p>
                <p><a href="/help">"Вернуться в раздел «Помощь»"</a></p>
            </div>
        }
    };

    view! {
        <Title text="Задать вопрос — Помощь"/>
        {move || match step.get() {
            Step::Sent(receipt) => sent_step(receipt).into_any(),
            current => view! {
                <h1 id="page-title" tabindex="-1">
                    {if current == Step::Check { "Проверьте данные" } else { "Задать вопрос" }}
                </h1>
                <StepIndicator steps=vec!["Вопрос", "Проверка"] current=Signal::derive(move || step.get().index())/>
                <ErrorSummary
                    errors=Signal::derive(move || if submitted.get() { errors.get() } else { Vec::new() })
                    message=summary_message
                />
                {if current == Step::Check { check_step().into_any() } else { write_step().into_any() }}
            }
            .into_any(),
        }}
    }
}
