//! The child's new password, as the wizard's last step and «Сменить пароль» both ask for it:
//! «Пароль», «Повторите пароль», checked as typed; `submit` runs once both are right.

use leptos::prelude::*;

use super::wizard::{fields, validate_password};
use crate::account::password_field::NewPasswordFields;
use crate::account::registration::{check_password, check_password_repeat};
use crate::components::{Button, ErrorSummary, FormErrors, interactive};

#[component]
pub fn ChildPasswordForm(
    #[prop(into)] legend: String,
    password: RwSignal<String>,
    repeat: RwSignal<String>,
    form: FormErrors,
    #[prop(into)] pending: Signal<bool>,
    submit: Callback<()>,
) -> impl IntoView {
    let ready = interactive();
    let password_blur = form.watch(fields::PASSWORD, password, |v| check_password(v).err());
    let repeat_blur = Callback::new(move |_| {
        form.recheck(
            fields::PASSWORD_REPEAT,
            check_password_repeat(&password.get_untracked(), &repeat.get_untracked()).err(),
        )
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match validate_password(&password.get_untracked(), &repeat.get_untracked()) {
            Ok(_) => submit.run(()),
            Err(found) => form.show(found, None),
        }
    };
    view! {
        <ErrorSummary errors=form.summary() message=form.message()/>
        <form novalidate on:submit=on_submit>
            <NewPasswordFields legend=legend password=password repeat=repeat
                password_error=form.for_field(fields::PASSWORD) repeat_error=form.for_field(fields::PASSWORD_REPEAT)
                password_blur=password_blur repeat_blur=repeat_blur/>
            <Button submit=true disabled=Signal::derive(move || pending.get() || !ready.get())>"Сохранить"</Button>
        </form>
    }
}
