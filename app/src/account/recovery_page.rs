use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::contacts::check_code;
use super::password_field::NewPasswordFields;
use super::recovery::{
    RecoverByCode, RecoverByLink, RecoveryChannel, StartRecovery, fields, validate_new_password,
    validate_request,
};
use super::registration::{check_password, check_password_repeat};
use super::sign_in::check_login;
use crate::components::{
    Button, ButtonLink, ConfirmationPanel, ErrorSummary, Field, FieldInput, FormErrors, Radios,
    focus_element, interactive,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    Request,
    Sent(RecoveryChannel),
    Done,
}

/// «Восстановление доступа»: where to send a code or link, then the new password.
#[component]
pub fn RecoveryPage() -> impl IntoView {
    let step = RwSignal::new(Step::Request);
    let login = RwSignal::new(String::new());
    view! {
        <Title text="Восстановление доступа — Госуслуги"/>
        {move || match step.get() {
            Step::Request => view! { <RequestStep login=login step=step/> }.into_any(),
            Step::Sent(RecoveryChannel::Email) => view! {
                <h1 id="page-title" tabindex="-1">"Проверьте почту"</h1>
                <p>"Если учётная запись с такими данными есть и её электронная почта подтверждена, мы отправили письмо со ссылкой. Перейдите по ссылке, чтобы задать новый пароль. Ссылка действует 24 часа."</p>
                <p>"Письма нет? Проверьте папку «Спам» или " <a href="/recover">"выберите восстановление по СМС"</a> "."</p>
            }.into_any(),
            Step::Sent(RecoveryChannel::Sms) => view! { <CodeStep login=login step=step/> }.into_any(),
            Step::Done => view! { <PasswordSaved/> }.into_any(),
        }}
    }
}

#[component]
fn RequestStep(login: RwSignal<String>, step: RwSignal<Step>) -> impl IntoView {
    let channel = RwSignal::new("sms".to_owned());
    let form = FormErrors::new();
    let interactive = interactive();
    let start = ServerAction::<StartRecovery>::new();
    let login_blur = form.watch(fields::LOGIN, login, |v| check_login(v).err());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match validate_request(&login.get_untracked(), &channel.get_untracked()) {
            Ok(_) => {
                form.clear();
                start.dispatch(StartRecovery {
                    login: login.get_untracked(),
                    channel: channel.get_untracked(),
                });
            }
            Err(found) => form.show(found, None),
        }
    };
    Effect::new(move |_| match start.value().get() {
        Some(Ok(())) => {
            if let Ok(sent) = RecoveryChannel::parse(&channel.get_untracked()) {
                step.set(Step::Sent(sent));
                focus_element("page-title");
            }
        }
        Some(Err(error)) => form.show_api_error(error),
        None => {}
    });
    view! {
        <h1 id="page-title" tabindex="-1">"Восстановление доступа"</h1>
        <p class="lead">"Укажите данные учётной записи — мы пришлём код или ссылку, чтобы вы задали новый пароль."</p>
        <ErrorSummary errors=form.summary() message=form.message()/>
        <form novalidate on:submit=submit class="narrow">
            <Field id=fields::LOGIN label="Телефон / Email / СНИЛС" value=login
                error=form.for_field(fields::LOGIN) autocomplete="username" on_blur=login_blur/>
            <Radios name=fields::CHANNEL legend="Как восстановить" selected=channel
                error=form.for_field(fields::CHANNEL)
                options=vec![("sms", "Кодом из СМС на подтверждённый телефон"), ("email", "Ссылкой на подтверждённую электронную почту")]/>
            <Button submit=true disabled=Signal::derive(move || start.pending().get() || !interactive.get())>
                "Продолжить"
            </Button>
        </form>
    }
}

#[component]
fn CodeStep(login: RwSignal<String>, step: RwSignal<Step>) -> impl IntoView {
    let code = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let repeat = RwSignal::new(String::new());
    let form = FormErrors::new();
    let interactive = interactive();
    let recover = ServerAction::<RecoverByCode>::new();
    let code_blur = form.watch(fields::CODE, code, |v| check_code(v).err());
    let password_blur = form.watch(fields::PASSWORD, password, |v| check_password(v).err());
    let repeat_blur = form.watch(fields::PASSWORD_REPEAT, repeat, move |v| {
        check_password_repeat(&password.get_untracked(), v).err()
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (c, p, r) = (
            code.get_untracked(),
            password.get_untracked(),
            repeat.get_untracked(),
        );
        match validate_new_password(Some(&c), &p, &r) {
            Ok(_) => {
                form.clear();
                recover.dispatch(RecoverByCode {
                    login: login.get_untracked(),
                    code: c,
                    password: p,
                    password_repeat: r,
                });
            }
            Err(found) => form.show(found, None),
        }
    };
    Effect::new(move |_| match recover.value().get() {
        Some(Ok(())) => step.set(Step::Done),
        Some(Err(error)) => form.show_api_error(error),
        None => {}
    });
    view! {
        <h1 id="page-title" tabindex="-1">"Введите код из СМС"</h1>
        <p>"Если учётная запись с такими данными есть и её телефон подтверждён, мы отправили СМС с кодом. Код действует 10 минут."</p>
        <ErrorSummary errors=form.summary() message=form.message()/>
        <form novalidate on:submit=submit>
            <Field id=fields::CODE label="Код из СМС" hint="6 цифр" value=code
                error=form.for_field(fields::CODE) input=FieldInput::Numeric
                autocomplete="one-time-code" maxlength=7 on_blur=code_blur/>
            <NewPasswordFields legend="Новый пароль" password=password repeat=repeat
                password_error=form.for_field(fields::PASSWORD)
                repeat_error=form.for_field(fields::PASSWORD_REPEAT)
                password_blur=password_blur repeat_blur=repeat_blur/>
            <Button submit=true disabled=Signal::derive(move || recover.pending().get() || !interactive.get())>
                "Сохранить пароль"
            </Button>
        </form>
        <p><a href="/recover">"Код не пришёл — запросить снова"</a></p>
    }
}

#[component]
fn PasswordSaved() -> impl IntoView {
    view! {
        <div id="confirmation" tabindex="-1">
            <ConfirmationPanel title="Пароль изменён"/>
            <p>"Все сеансы на других устройствах завершены. Войдите с новым паролем."</p>
            <ButtonLink href="/sign-in">"Войти"</ButtonLink>
        </div>
    }
}

/// The page a recovery e-mail's link opens: the new password.
#[component]
pub fn RecoveryLinkPage() -> impl IntoView {
    let query = use_query_map();
    let password = RwSignal::new(String::new());
    let repeat = RwSignal::new(String::new());
    let form = FormErrors::new();
    let interactive = interactive();
    let recover = ServerAction::<RecoverByLink>::new();
    let done = RwSignal::new(false);
    let password_blur = form.watch(fields::PASSWORD, password, |v| check_password(v).err());
    let repeat_blur = form.watch(fields::PASSWORD_REPEAT, repeat, move |v| {
        check_password_repeat(&password.get_untracked(), v).err()
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (p, r) = (password.get_untracked(), repeat.get_untracked());
        match validate_new_password(None, &p, &r) {
            Ok(_) => {
                form.clear();
                recover.dispatch(RecoverByLink {
                    token: query.with_untracked(|q| q.get("token").unwrap_or_default()),
                    password: p,
                    password_repeat: r,
                });
            }
            Err(found) => form.show(found, None),
        }
    };
    Effect::new(move |_| match recover.value().get() {
        Some(Ok(())) => done.set(true),
        Some(Err(error)) => form.show_api_error(error),
        None => {}
    });
    view! {
        <Title text="Новый пароль — Госуслуги"/>
        {move || if done.get() {
            view! { <PasswordSaved/> }.into_any()
        } else {
            view! {
                <h1 id="page-title" tabindex="-1">"Новый пароль"</h1>
                <ErrorSummary errors=form.summary() message=form.message()/>
                <form novalidate on:submit=submit>
                    <NewPasswordFields legend="Новый пароль" password=password repeat=repeat
                        password_error=form.for_field(fields::PASSWORD)
                        repeat_error=form.for_field(fields::PASSWORD_REPEAT)
                        password_blur=password_blur repeat_blur=repeat_blur/>
                    <Button submit=true disabled=Signal::derive(move || recover.pending().get() || !interactive.get())>
                        "Сохранить пароль"
                    </Button>
                </form>
                <p><a href="/recover">"Запросить новую ссылку"</a></p>
            }.into_any()
        }}
    }
}
