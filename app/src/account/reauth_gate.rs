use leptos::prelude::*;

use super::reauth::{Reauthenticate, ReauthenticateSecondFactor};
use super::second_factor::{
    SecondFactor, SignInOutcome, check_factor_code, check_factor_password, fields,
};
use super::session::use_session;
use crate::api::{ApiError, Refusal};
use crate::components::{
    Button, ButtonKind, ErrorSummary, Field, FieldInput, FormErrors, interactive,
};

/// Shows `children` only after the user has re-authenticated: the password, then the second
/// factor's code if the account has one. `done` runs when the session has been marked.
#[component]
pub fn ReauthGate(
    reauthenticated: bool,
    done: Callback<()>,
    /// «Отменить»: leave without doing the operation.
    cancel: Callback<()>,
    children: ChildrenFn,
) -> impl IntoView {
    let factor = RwSignal::new(None::<SecondFactor>);
    let password = RwSignal::new(String::new());
    let code = RwSignal::new(String::new());
    let form = FormErrors::new();
    let interactive = interactive();
    let first = ServerAction::<Reauthenticate>::new();
    let second = ServerAction::<ReauthenticateSecondFactor>::new();
    let session = use_session();
    let password_blur = form.watch(fields::PASSWORD, password, |v| {
        check_factor_password(v).err()
    });
    let code_blur = form.watch(fields::CODE, code, |v| check_factor_code(v).err());
    let finished = move || {
        session.refresh();
        done.run(());
    };
    Effect::new(move |_| match first.value().get() {
        Some(Ok(SignInOutcome::SignedIn)) => finished(),
        Some(Ok(SignInOutcome::SecondFactor(f))) => factor.set(Some(f)),
        Some(Err(error)) => {
            password.set(String::new());
            form.show_api_error(error);
        }
        None => {}
    });
    Effect::new(move |_| match second.value().get() {
        Some(Ok(())) => finished(),
        Some(Err(error @ ApiError::Refused(Refusal::ChallengeExpired))) => {
            factor.set(None);
            form.show_api_error(error);
        }
        Some(Err(error)) => form.show_api_error(error),
        None => {}
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if factor.get_untracked().is_some() {
            match check_factor_code(&code.get_untracked()) {
                Ok(_) => {
                    form.clear();
                    second.dispatch(ReauthenticateSecondFactor {
                        code: code.get_untracked(),
                    });
                }
                Err(found) => form.show(vec![found], None),
            }
        } else {
            match check_factor_password(&password.get_untracked()) {
                Ok(()) => {
                    form.clear();
                    first.dispatch(Reauthenticate {
                        password: password.get_untracked(),
                    });
                }
                Err(found) => form.show(vec![found], None),
            }
        }
    };
    let pending = move || first.pending().get() || second.pending().get();
    if reauthenticated {
        return children().into_any();
    }
    view! {
        <div class="reauth">
            <p>"Подтвердите, что это вы: это защищает учётную запись, если кто-то другой воспользуется вашим устройством."</p>
            <ErrorSummary errors=form.summary() message=form.message()/>
            <form novalidate on:submit=submit class="narrow">
                {move || match factor.get() {
                    None => view! {
                        <Field id=fields::PASSWORD label="Пароль" value=password
                            error=form.for_field(fields::PASSWORD) input=FieldInput::Password
                            autocomplete="current-password" on_blur=password_blur/>
                    }.into_any(),
                    Some(f) => view! {
                        <Field id=fields::CODE label=f.code_label() hint="6 цифр или резервный ключ" value=code
                            error=form.for_field(fields::CODE) input=FieldInput::Numeric
                            autocomplete="one-time-code" on_blur=code_blur/>
                    }.into_any(),
                }}
                <div class="button-group">
                    <Button submit=true disabled=Signal::derive(move || pending() || !interactive.get())>
                        "Продолжить"
                    </Button>
                    <Button kind=ButtonKind::Secondary on_click=cancel>"Отменить"</Button>
                </div>
            </form>
        </div>
    }
    .into_any()
}
