use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::{
    QuestionReceipt, SubmitQuestion, check_email, check_snils, check_text, fields, validate,
};
use crate::api::ApiError;
use crate::components::{
    Button, ButtonKind, ConfirmationPanel, ErrorSummary, Field, FieldInput, FormErrors, StatusChip,
    StepIndicator, SummaryList, SummaryRow, Tone, focus_element, interactive,
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
    let form = FormErrors::new();
    let submit = ServerAction::<SubmitQuestion>::new();
    // «Задать вопрос о заявлении» on an application's page names it in the address.
    let query = use_query_map();
    let application = query.with_untracked(|q| q.get(fields::APPLICATION).unwrap_or_default());
    let about = StoredValue::new(application.clone());

    let interactive = interactive();

    let snils_blur = form.watch(fields::SNILS, snils, |v| check_snils(v).err());
    let email_blur = form.watch(fields::EMAIL, email, |v| check_email(v).err());
    let text_blur = form.watch(fields::TEXT, text, |v| check_text(v).err());

    let go_to_check = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match validate(
            &snils.get_untracked(),
            &email.get_untracked(),
            &text.get_untracked(),
        ) {
            Ok(_) => {
                form.clear();
                step.set(Step::Check);
                focus_element("page-title");
            }
            Err(found) => form.show(found, None),
        }
    };

    let change = move |field: &'static str| {
        Callback::new(move |_| {
            step.set(Step::Write);
            focus_element(field);
        })
    };

    let send = move |_| {
        form.clear();
        submit.dispatch(SubmitQuestion {
            snils: snils.get_untracked(),
            email: email.get_untracked(),
            text: text.get_untracked(),
            application: about.get_value(),
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
            Err(error) => {
                if matches!(error, ApiError::Invalid(_)) {
                    step.set(Step::Write);
                }
                form.show_api_error(error);
            }
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
                    error=form.for_field(fields::SNILS)
                    input=FieldInput::Numeric
                    on_blur=snils_blur
                />
                <Field
                    id=fields::EMAIL
                    label="Электронная почта"
                    hint="На этот адрес придёт ответ"
                    value=email
                    error=form.for_field(fields::EMAIL)
                    input=FieldInput::Email
                    autocomplete="email"
                    on_blur=email_blur
                />
                <Field
                    id=fields::TEXT
                    label="Ваш вопрос"
                    hint="Не более 2000 знаков. Не пишите пароли и коды из СМС"
                    value=text
                    error=form.for_field(fields::TEXT)
                    input=FieldInput::Multiline
                    on_blur=text_blur
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
                status: None,
                change: Some(change(fields::SNILS)),
            },
            SummaryRow {
                key: "Электронная почта",
                value: email.get_untracked().trim().to_owned(),
                status: None,
                change: Some(change(fields::EMAIL)),
            },
            SummaryRow {
                key: "Ваш вопрос",
                value: text.get_untracked().trim().to_owned(),
                status: None,
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
                <p><a href="/help/requests">"Мои обращения в поддержку"</a>" · "<a href="/help">"Вернуться в раздел «Помощь»"</a></p>
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
                {(!application.is_empty()).then(|| view! {
                    <p class="notice" id=fields::APPLICATION tabindex="-1">
                        {format!("Вопрос о заявлении № {}. Ответ появится в разделе «Мои обращения в поддержку».", application.clone())}
                    </p>
                })}
                <ErrorSummary
                    errors=form.summary()
                    message=form.message()
                />
                {if current == Step::Check { check_step().into_any() } else { write_step().into_any() }}
            }
            .into_any(),
        }}
    }
}
