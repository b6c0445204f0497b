use leptos::prelude::*;

use super::registration::fields;
use crate::components::{Field, FieldInput};
use crate::domain::password::{self, MAX_LENGTH, PasswordRule};
use crate::messages;

/// «Пароль» and «Повторите пароль» for a new password: the requirements are listed before the
/// user types and tick off as they are met; «сгенерируйте» fills both fields with a strong
/// password and shows it; «Показать пароль» toggles both fields. Pasting is never blocked.
#[component]
pub fn NewPasswordFields(
    password: RwSignal<String>,
    repeat: RwSignal<String>,
    password_error: Signal<Option<String>>,
    repeat_error: Signal<Option<String>>,
    password_blur: Callback<()>,
    repeat_blur: Callback<()>,
    /// «Пароль для входа на Госуслуги» at registration, «Новый пароль» when changing it.
    #[prop(into)]
    legend: String,
    /// Shared with other password fields of the form, so one toggle shows them all.
    #[prop(optional)]
    revealed: Option<RwSignal<bool>>,
) -> impl IntoView {
    let revealed = revealed.unwrap_or_else(|| RwSignal::new(false));
    let generate = move |_| {
        let generated = password::generate(&mut rand::rng());
        password.set(generated.expose().to_owned());
        repeat.set(generated.expose().to_owned());
        revealed.set(true);
    };
    let rules = PasswordRule::ALL
        .into_iter()
        .map(|rule| {
            // An empty password meets no rule, not even "only allowed characters".
            let met = move || password.with(|p| !p.is_empty() && rule.is_met_by(p));
            view! {
                <li class="password-rules__rule" class:password-rules__rule--met=met>
                    <span class="visually-hidden">{move || if met() { "Выполнено: " } else { "Не выполнено: " }}</span>
                    {messages::password_rule(rule)}
                </li>
            }
        })
        .collect_view();
    view! {
        <fieldset class="fieldset">
            <legend class="fieldset__legend">{legend}</legend>
            <p>
                "Придумайте или "
                <button type="button" class="link-button" on:click=generate>"сгенерируйте"</button>
                " пароль"
            </p>
            <div id="password-rules" class="password-rules">
                <p class="password-rules__title">"Требования к паролю:"</p>
                <ul>{rules}</ul>
            </div>
            <Field
                id=fields::PASSWORD
                label="Пароль"
                value=password
                error=password_error
                input=FieldInput::Password
                revealed=revealed
                autocomplete="new-password"
                maxlength=MAX_LENGTH
                on_blur=password_blur
            />
            <Field
                id=fields::PASSWORD_REPEAT
                label="Повторите пароль"
                value=repeat
                error=repeat_error
                input=FieldInput::Password
                revealed=revealed
                autocomplete="new-password"
                maxlength=MAX_LENGTH
                on_blur=repeat_blur
            />
            <RevealToggle revealed=revealed/>
        </fieldset>
    }
}

/// «Показать пароль» / «Скрыть пароль».
#[component]
pub fn RevealToggle(revealed: RwSignal<bool>) -> impl IntoView {
    view! {
        <button
            type="button"
            class="link-button"
            aria-pressed=move || if revealed.get() { "true" } else { "false" }
            on:click=move |_| revealed.update(|r| *r = !*r)
        >
            {move || if revealed.get() { "Скрыть пароль" } else { "Показать пароль" }}
        </button>
    }
}
