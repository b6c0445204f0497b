//! «Код из СМС» and «Подтвердить»: the one form every SMS code is typed into — the account's own
//! phone after registration, a child's phone in the wizard and in the child's settings. The code
//! is checked as it is typed and on submit; only a well-formed code reaches `on_code`.

use leptos::prelude::*;

use super::contacts::{check_code, fields};
use crate::components::{Button, Field, FieldInput, FormErrors};

#[component]
pub fn SmsCodeForm(
    /// The typed code; the caller clears it when a new code is sent.
    code: RwSignal<String>,
    form: FormErrors,
    /// While a request is on its way, or before the page is interactive.
    #[prop(into)]
    busy: Signal<bool>,
    /// Gets the code, spaces removed, once it has six digits.
    on_code: Callback<String>,
    /// More buttons beside «Подтвердить» («Получить код ещё раз», «Пропустить»…).
    #[prop(optional)]
    children: Option<Children>,
) -> impl IntoView {
    let code_blur = form.watch(fields::CODE, code, |v| check_code(v).err());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match check_code(&code.get_untracked()) {
            Ok(digits) => {
                form.clear();
                on_code.run(digits);
            }
            Err(found) => form.show(vec![found], None),
        }
    };
    view! {
        <form novalidate on:submit=submit>
            <Field id=fields::CODE label="Код из СМС" hint="6 цифр" value=code
                error=form.for_field(fields::CODE) input=FieldInput::Numeric
                autocomplete="one-time-code" maxlength=7 on_blur=code_blur/>
            <div class="button-group">
                <Button submit=true disabled=busy>"Подтвердить"</Button>
                {children.map(|more| more())}
            </div>
        </form>
    }
}
