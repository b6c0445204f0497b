use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_query_map};

use super::SignIn;
use super::password_field::RevealToggle;
use super::session::use_session;
use super::sign_in::{check_login, check_password, fields, validate};
use crate::components::{Button, ErrorSummary, Field, FieldInput, FormErrors, interactive};

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
    Effect::new(move |_| match sign_in.value().get() {
        Some(Ok(())) => {
            session.refresh();
            let next = local_path(query.with_untracked(|q| q.get("next")));
            navigate(&next, Default::default());
        }
        Some(Err(error)) => {
            password.set(String::new());
            form.show_api_error(error);
        }
        None => {}
    });

    view! {
        <Title text="Вход — Госуслуги"/>
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
        <p>"Нет учётной записи? " <a href="/register">"Зарегистрируйтесь"</a></p>
        <details class="details">
            <summary class="details__summary">"Не удаётся войти?"</summary>
            <div class="details__text">
                <p>"Проверьте, что вводите номер телефона, адрес почты или СНИЛС, указанные при регистрации, и пароль с учётом регистра и раскладки клавиатуры."</p>
                <p>"Забыли пароль — " <a href="/recover">"восстановите доступ"</a> " кодом из СМС или ссылкой на электронную почту."</p>
                <p>"После нескольких неудачных попыток вход временно приостанавливается — на экране будет указано, через сколько можно попробовать снова."</p>
                <p>"Если ничего не помогает, " <a href="/help/question">"задайте вопрос в поддержку"</a> "."</p>
            </div>
        </details>
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
