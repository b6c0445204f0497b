//! «Вход и безопасность» in the profile: connect an authenticator app or SMS codes, backup codes,
//! switching the second factor off.

use leptos::prelude::*;

use super::reauth_gate::ReauthGate;
use super::second_factor::{
    BeginTotp, ConfirmTotp, DisableSecondFactor, EnableSmsFactor, NewBackupCodes, SecondFactor,
    TotpSetup, check_factor_code, check_factor_password, fields,
};
use super::session::use_session;
use crate::api::{ApiError, Refusal};
use crate::components::{
    Button, ButtonKind, ErrorSummary, Field, FieldInput, FormErrors, focus_element, interactive,
};

/// What needs the password before it happens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Guarded {
    EnableSms,
    Disable,
    NewCodes,
}

impl Guarded {
    fn button(self) -> &'static str {
        match self {
            Guarded::EnableSms => "Включить вход с кодом из СМС",
            Guarded::Disable => "Отключить",
            Guarded::NewCodes => "Создать новые резервные ключи",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Mode {
    Overview,
    /// Connecting an app needs a fresh re-authentication first.
    Reauth,
    Totp(TotpSetup),
    Password(Guarded),
    Codes(Vec<String>),
}

#[component]
pub fn SecuritySection(
    factor: SecondFactor,
    backup_codes_left: u32,
    phone_confirmed: bool,
    reload: Callback<()>,
) -> impl IntoView {
    let mode = RwSignal::new(Mode::Overview);
    let interactive = interactive();
    let begin = ServerAction::<BeginTotp>::new();
    let begin_error = RwSignal::new(None::<String>);
    Effect::new(move |_| match begin.value().get() {
        Some(Ok(setup)) => {
            mode.set(Mode::Totp(setup));
            focus_element("security-step");
        }
        Some(Err(ApiError::Refused(Refusal::ReauthRequired))) => mode.set(Mode::Reauth),
        Some(Err(e)) => begin_error.set(Some(e.summary_message())),
        None => {}
    });
    let show_codes = Callback::new(move |codes: Vec<String>| {
        mode.set(Mode::Codes(codes));
        focus_element("security-step");
    });
    let back = Callback::new(move |_| mode.set(Mode::Overview));

    let overview = move || {
        let on = factor != SecondFactor::None;
        view! {
            <p>{factor.description()}</p>
            {on.then(|| view! { <p>{format!("Неиспользованных резервных ключей: {backup_codes_left}")}</p> })}
            <p class="error-text" role="alert">{move || begin_error.get()}</p>
            <div class="button-group">
                {if on {
                    view! {
                        <Button kind=ButtonKind::Secondary on_click=Callback::new(move |_| mode.set(Mode::Password(Guarded::NewCodes)))>
                            "Создать новые резервные ключи"
                        </Button>
                        <Button kind=ButtonKind::Secondary on_click=Callback::new(move |_| mode.set(Mode::Password(Guarded::Disable)))>
                            "Отключить вход с подтверждением"
                        </Button>
                    }.into_any()
                } else {
                    view! {
                        <Button disabled=Signal::derive(move || begin.pending().get() || !interactive.get())
                            on_click=Callback::new(move |_| { begin.dispatch(BeginTotp {}); })>
                            "Подключить приложение-аутентификатор"
                        </Button>
                        {phone_confirmed.then(|| view! {
                            <Button kind=ButtonKind::Secondary on_click=Callback::new(move |_| mode.set(Mode::Password(Guarded::EnableSms)))>
                                "Включить вход с кодом из СМС"
                            </Button>
                        })}
                    }.into_any()
                }}
            </div>
        }
    };

    view! {
        <h2 id="security-title">"Вход и безопасность"</h2>
        {move || match mode.get() {
            Mode::Overview => overview().into_any(),
            Mode::Reauth => view! {
                <ReauthGate reauthenticated=false
                    done=Callback::new(move |_| { begin.dispatch(BeginTotp {}); }) cancel=back>
                    <p>"Подготавливаем подключение приложения…"</p>
                </ReauthGate>
            }.into_any(),
            Mode::Totp(setup) => view! { <TotpStep setup=setup show_codes=show_codes back=back/> }.into_any(),
            Mode::Password(action) => view! { <PasswordStep action=action show_codes=show_codes reload=reload back=back/> }.into_any(),
            Mode::Codes(codes) => view! { <CodesStep codes=codes reload=reload/> }.into_any(),
        }}
    }
}

#[component]
fn TotpStep(
    setup: TotpSetup,
    show_codes: Callback<Vec<String>>,
    back: Callback<()>,
) -> impl IntoView {
    let code = RwSignal::new(String::new());
    let form = FormErrors::new();
    let interactive = interactive();
    let confirm = ServerAction::<ConfirmTotp>::new();
    let session = use_session();
    let code_blur = form.watch(fields::CODE, code, |v| check_factor_code(v).err());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match check_factor_code(&code.get_untracked()) {
            Ok(_) => {
                form.clear();
                confirm.dispatch(ConfirmTotp {
                    code: code.get_untracked(),
                });
            }
            Err(found) => form.show(vec![found], None),
        }
    };
    Effect::new(move |_| match confirm.value().get() {
        Some(Ok(codes)) => {
            session.refresh();
            show_codes.run(codes);
        }
        Some(Err(error)) => form.show_api_error(error),
        None => {}
    });
    view! {
        <div id="security-step" tabindex="-1">
            <ol class="steps-list">
                <li>"Установите на телефон приложение-аутентификатор, например «Яндекс Ключ» или Google Authenticator."</li>
                <li>"Отсканируйте QR-код приложением или введите ключ вручную."</li>
                <li>"Введите код, который покажет приложение."</li>
            </ol>
            <img class="qr" src=setup.qr_code width="220" height="220" alt="QR-код для подключения приложения-аутентификатора"/>
            <p>"Ключ для ввода вручную: " <code class="secret" id="totp-secret">{setup.secret}</code></p>
            <ErrorSummary errors=form.summary() message=form.message()/>
            <form novalidate on:submit=submit>
                <Field id=fields::CODE label="Код из приложения" hint="6 цифр" value=code
                    error=form.for_field(fields::CODE) input=FieldInput::Numeric
                    autocomplete="one-time-code" on_blur=code_blur/>
                <div class="button-group">
                    <Button submit=true disabled=Signal::derive(move || confirm.pending().get() || !interactive.get())>
                        "Подтвердить"
                    </Button>
                    <Button kind=ButtonKind::Secondary on_click=back>"Отменить"</Button>
                </div>
            </form>
        </div>
    }
}

#[component]
fn PasswordStep(
    action: Guarded,
    show_codes: Callback<Vec<String>>,
    reload: Callback<()>,
    back: Callback<()>,
) -> impl IntoView {
    let password = RwSignal::new(String::new());
    let form = FormErrors::new();
    let interactive = interactive();
    let enable = ServerAction::<EnableSmsFactor>::new();
    let disable = ServerAction::<DisableSecondFactor>::new();
    let codes = ServerAction::<NewBackupCodes>::new();
    let session = use_session();
    let password_blur = form.watch(fields::PASSWORD, password, |v| {
        check_factor_password(v).err()
    });
    let pending =
        move || enable.pending().get() || disable.pending().get() || codes.pending().get();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let typed = password.get_untracked();
        if let Err(found) = check_factor_password(&typed) {
            return form.show(vec![found], None);
        }
        form.clear();
        match action {
            Guarded::EnableSms => {
                enable.dispatch(EnableSmsFactor { password: typed });
            }
            Guarded::Disable => {
                disable.dispatch(DisableSecondFactor { password: typed });
            }
            Guarded::NewCodes => {
                codes.dispatch(NewBackupCodes { password: typed });
            }
        }
    };
    let failed = move |error: ApiError| {
        password.set(String::new());
        form.show_api_error(error);
    };
    Effect::new(
        move |_| match enable.value().get().or_else(|| codes.value().get()) {
            Some(Ok(list)) => {
                session.refresh();
                show_codes.run(list);
            }
            Some(Err(error)) => failed(error),
            None => {}
        },
    );
    Effect::new(move |_| match disable.value().get() {
        Some(Ok(())) => {
            session.refresh();
            reload.run(());
        }
        Some(Err(error)) => failed(error),
        None => {}
    });
    Effect::new(move |_| focus_element(fields::PASSWORD));
    view! {
        <div id="security-step">
            <p>"Введите пароль, чтобы подтвердить, что это вы."</p>
            <ErrorSummary errors=form.summary() message=form.message()/>
            <form novalidate on:submit=submit class="narrow">
                <Field id=fields::PASSWORD label="Пароль" value=password
                    error=form.for_field(fields::PASSWORD) input=FieldInput::Password
                    autocomplete="current-password" on_blur=password_blur/>
                <div class="button-group">
                    <Button submit=true disabled=Signal::derive(move || pending() || !interactive.get())>
                        {action.button()}
                    </Button>
                    <Button kind=ButtonKind::Secondary on_click=back>"Отменить"</Button>
                </div>
            </form>
        </div>
    }
}

#[component]
fn CodesStep(codes: Vec<String>, reload: Callback<()>) -> impl IntoView {
    view! {
        <div id="security-step" tabindex="-1" class="notice notice--success">
            <h3>"Резервные ключи"</h3>
            <p>"Сохраните их или распечатайте: они показываются только сейчас. Каждый ключ позволяет войти один раз, если телефона нет под рукой."</p>
            <ol class="backup-codes">
                {codes.into_iter().map(|c| view! { <li><code>{c}</code></li> }).collect_view()}
            </ol>
            <Button on_click=reload>"Я сохранил ключи"</Button>
        </div>
    }
}
