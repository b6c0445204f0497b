use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_query_map};

use super::SignIn;
use super::password_field::RevealToggle;
use super::second_factor::{self, SecondFactor, SignInOutcome, check_factor_code};
use super::session::use_session;
use super::sign_in::{SignInSecondFactor, check_login, check_password, fields, validate};
use crate::api::{ApiError, Refusal};
use crate::components::{
    Button, ErrorSummary, Field, FieldInput, FormErrors, focus_element, interactive,
};

/// Where to go after signing in: a local path from `?next=`, never another site.
fn local_path(next: Option<String>) -> String {
    next.filter(|p| p.starts_with('/') && !p.starts_with("//") && !p.contains('\\'))
        .unwrap_or_else(|| "/".to_owned())
}

/// «Вход»: «Телефон / Email / СНИЛС», «Пароль», «Войти».
#[component]
pub fn SignInPage() -> impl IntoView {
    let login = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let revealed = RwSignal::new(false);
    let form = FormErrors::new();
    let interactive = interactive();
    let sign_in = ServerAction::<SignIn>::new();
    let session = use_session();
    let query = use_query_map();

    let login_blur = form.watch(fields::LOGIN, login, |v| check_login(v).err());
    let password_blur = form.watch(fields::PASSWORD, password, |v| check_password(v).err());

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match validate(&login.get_untracked(), &password.get_untracked()) {
            Ok(()) => {
                form.clear();
                sign_in.dispatch(SignIn {
                    login: login.get_untracked(),
                    password: password.get_untracked(),
                });
            }
            Err(found) => form.show(found, None),
        }
    };

    let navigate = use_navigate();
    let signed_in = Callback::new(move |_| {
        session.refresh();
        let next = local_path(query.with_untracked(|q| q.get("next")));
        let navigate = navigate.clone();
        // A child whose parent sent a link code is asked for it right after signing in.
        leptos::task::spawn_local(async move {
            let code_waits = matches!(
                crate::child_account::linking::link_code_waits().await,
                Ok(true)
            );
            let next = if code_waits {
                "/profile#link".to_owned()
            } else {
                next
            };
            navigate(&next, Default::default());
        });
    });
    let factor = RwSignal::new(None::<SecondFactor>);
    Effect::new(move |_| match sign_in.value().get() {
        Some(Ok(SignInOutcome::SignedIn)) => signed_in.run(()),
        Some(Ok(SignInOutcome::SecondFactor(f))) => {
            password.set(String::new());
            factor.set(Some(f));
            focus_element("page-title");
        }
        Some(Err(error)) => {
            password.set(String::new());
            form.show_api_error(error);
        }
        None => {}
    });
    // The second step gave up (too slow, too many wrong codes): back to the password.
    let restart = Callback::new(move |error: ApiError| {
        factor.set(None);
        form.show_api_error(error);
    });

    view! {
        <Title text="Вход — Госуслуги"/>
        {move || match factor.get() {
            Some(f) => view! { <SecondStep factor=f signed_in=signed_in restart=restart/> }.into_any(),
            None => view! {
        <h1 id="page-title" tabindex="-1">"Вход"</h1>
        <ErrorSummary errors=form.summary() message=form.message()/>
        <form novalidate on:submit=submit class="narrow">
            <Field id=fields::LOGIN label="Телефон / Email / СНИЛС" value=login
                error=form.for_field(fields::LOGIN) autocomplete="username" on_blur=login_blur/>
            <Field id=fields::PASSWORD label="Пароль" value=password
                error=form.for_field(fields::PASSWORD) input=FieldInput::Password revealed=revealed
                autocomplete="current-password" on_blur=password_blur/>
            <p class="sign-in__links">
                <RevealToggle revealed=revealed/>
                <a href="/recover">"Восстановить"</a>
            </p>
            <Button submit=true disabled=Signal::derive(move || sign_in.pending().get() || !interactive.get())>
                {move || if sign_in.pending().get() { "Входим…" } else { "Войти" }}
            </Button>
        </form>
        <details class="details">
            <summary class="details__summary">"Не удаётся войти?"</summary>
            <div class="details__text">
                <p>"Проверьте, что вводите номер телефона, адрес почты или СНИЛС, указанные при регистрации, и пароль с учётом регистра и раскладки клавиатуры."</p>
                <p>"Забыли пароль — " <a href="/recover">"восстановите доступ"</a> " кодом из СМС или ссылкой на электронную почту."</p>
                <p>"После нескольких неудачных попыток вход временно приостанавливается — на экране будет указано, через сколько можно попробовать снова."</p>
                <p>"Если ничего не помогает, " <a href="/help/question">"задайте вопрос в поддержку"</a> "."</p>
            </div>
        </details>
        // Seed 002, рисунок 1: the link under «Не удаётся войти?».
        <p><a href="/register">"Зарегистрироваться"</a></p>
            }.into_any(),
        }}
    }
}

/// «Подтвердите вход»: the code from the app or SMS, or a backup code.
#[component]
fn SecondStep(
    factor: SecondFactor,
    signed_in: Callback<()>,
    restart: Callback<ApiError>,
) -> impl IntoView {
    let code = RwSignal::new(String::new());
    let backup = RwSignal::new(false);
    let form = FormErrors::new();
    let interactive = interactive();
    let confirm = ServerAction::<SignInSecondFactor>::new();
    let code_blur = form.watch(second_factor::fields::CODE, code, |v| {
        check_factor_code(v).err()
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match check_factor_code(&code.get_untracked()) {
            Ok(_) => {
                form.clear();
                confirm.dispatch(SignInSecondFactor {
                    code: code.get_untracked(),
                });
            }
            Err(found) => form.show(vec![found], None),
        }
    };
    Effect::new(move |_| match confirm.value().get() {
        Some(Ok(())) => signed_in.run(()),
        Some(Err(error @ ApiError::Refused(Refusal::ChallengeExpired))) => restart.run(error),
        Some(Err(error)) => form.show_api_error(error),
        None => {}
    });
    let sent = match factor {
        SecondFactor::Sms => "Мы отправили СМС с кодом на ваш телефон. Код действует 10 минут.",
        _ => {
            "Откройте приложение-аутентификатор и введите код, который оно показывает для Госуслуг."
        }
    };
    view! {
        <h1 id="page-title" tabindex="-1">"Подтвердите вход"</h1>
        <p>{move || if backup.get() { "Введите один из резервных ключей, которые вы сохранили при подключении защиты. Каждый ключ действует один раз." } else { sent }}</p>
        <ErrorSummary errors=form.summary() message=form.message()/>
        <form novalidate on:submit=submit class="narrow">
            {move || {
                let (label, hint, input) = if backup.get() {
                    ("Резервный ключ", "10 знаков, например ABCDE-FGHJK", FieldInput::Text)
                } else {
                    (factor.code_label(), "6 цифр", FieldInput::Numeric)
                };
                view! {
                    <Field id=second_factor::fields::CODE label=label hint=hint value=code
                        error=form.for_field(second_factor::fields::CODE) input=input
                        autocomplete="one-time-code" on_blur=code_blur/>
                }
            }}
            <Button submit=true disabled=Signal::derive(move || confirm.pending().get() || !interactive.get())>
                "Войти"
            </Button>
        </form>
        <p>
            <button type="button" class="link-button" on:click=move |_| { backup.update(|b| *b = !*b); code.set(String::new()); form.clear(); }>
                {move || if backup.get() { "Ввести код" } else { "Войти с резервным ключом" }}
            </button>
        </p>
    }
}

#[cfg(test)]
mod tests {
    use super::local_path;

    #[test]
    fn only_local_paths_are_followed_after_sign_in() {
        assert_eq!(local_path(Some("/documents".into())), "/documents");
        assert_eq!(local_path(Some("//evil.example".into())), "/");
        assert_eq!(local_path(Some("https://evil.example".into())), "/");
        assert_eq!(local_path(Some("/\\evil.example".into())), "/");
        assert_eq!(local_path(None), "/");
    }
}
