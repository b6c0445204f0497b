use leptos::prelude::*;

/// The kind of control, which also picks the phone keyboard.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FieldInput {
    #[default]
    Text,
    Email,
    /// Digits with separators, e.g. СНИЛС: a numeric keyboard on phones.
    Numeric,
    /// A mobile number: the phone keypad.
    Tel,
    /// A secret, hidden unless the `revealed` signal says otherwise («Показать пароль»).
    Password,
    Multiline,
}

/// A form field: label, hint and error message tied to the control for screen readers
/// (`aria-describedby`, `aria-invalid`). The label is the question; the hint says the format;
/// the error says how to fix it.
#[component]
pub fn Field(
    #[prop(into)] id: String,
    #[prop(into)] label: String,
    #[prop(optional, into)] hint: Option<String>,
    value: RwSignal<String>,
    #[prop(into)] error: Signal<Option<String>>,
    #[prop(optional)] input: FieldInput,
    #[prop(optional)] autocomplete: Option<&'static str>,
    #[prop(optional)] on_blur: Option<Callback<()>>,
    /// For [`FieldInput::Password`]: show the characters instead of dots.
    #[prop(optional, into)]
    revealed: Signal<bool>,
    #[prop(optional)] maxlength: Option<usize>,
) -> impl IntoView {
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    let described_by = {
        let hint_id = hint.as_ref().map(|_| hint_id.clone());
        let error_id = error_id.clone();
        move || {
            let parts: Vec<String> = hint_id
                .iter()
                .cloned()
                .chain(error.get().map(|_| error_id.clone()))
                .collect();
            (!parts.is_empty()).then(|| parts.join(" "))
        }
    };
    let invalid = move || error.get().map(|_| "true");
    // After a reload the browser may restore what was typed into the server-rendered control
    // before the page hydrates; take that text into the signal so the form and screen agree.
    let input_ref = NodeRef::<leptos::html::Input>::new();
    let textarea_ref = NodeRef::<leptos::html::Textarea>::new();
    Effect::new(move |_| {
        let restored = input_ref
            .get()
            .map(|el| el.value())
            .or_else(|| textarea_ref.get().map(|el| el.value()));
        if let Some(text) = restored.filter(|t| !t.is_empty())
            && value.get_untracked().is_empty()
        {
            value.set(text);
        }
    });
    let blur = move |ev: leptos::ev::FocusEvent| {
        // Leaving the field by pressing the form's submit button: the submit checks every field
        // itself, and an error appearing now would shift the button away from under the pointer.
        if let Some(cb) = on_blur
            && !moves_focus_to_submit_button(&ev)
        {
            cb.run(());
        }
    };
    let control = match input {
        FieldInput::Multiline => view! {
            <textarea
                node_ref=textarea_ref
                id=id.clone()
                name=id.clone()
                class="field__input field__input--multiline"
                rows="6"
                aria-describedby=described_by
                aria-invalid=invalid
                prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev))
                on:blur=blur
            >
                {value.get_untracked()}
            </textarea>
        }
        .into_any(),
        _ => {
            let kind = move || match input {
                FieldInput::Email => "email",
                FieldInput::Tel => "tel",
                FieldInput::Password if !revealed.get() => "password",
                _ => "text",
            };
            let inputmode = (input == FieldInput::Numeric).then_some("numeric");
            view! {
                <input
                    node_ref=input_ref
                    id=id.clone()
                    name=id.clone()
                    type=kind
                    inputmode=inputmode
                    autocomplete=autocomplete
                    spellcheck="false"
                    autocapitalize=(input == FieldInput::Password).then_some("none")
                    maxlength=maxlength
                    class="field__input"
                    aria-describedby=described_by
                    aria-invalid=invalid
                    value=value.get_untracked()
                    prop:value=move || value.get()
                    on:input=move |ev| value.set(event_target_value(&ev))
                    on:blur=blur
                />
            }
            .into_any()
        }
    };
    view! {
        <div class="field" class:field--error=move || error.get().is_some()>
            <label class="field__label" for=id.clone()>{label}</label>
            {hint.map(|hint| view! { <div id=hint_id class="field__hint">{hint}</div> })}
            <p id=error_id class="field__error" hidden=move || error.get().is_none()>
                <span class="visually-hidden">"Ошибка: "</span>
                {move || error.get().unwrap_or_default()}
            </p>
            {control}
        </div>
    }
}

#[cfg(feature = "hydrate")]
fn moves_focus_to_submit_button(ev: &leptos::ev::FocusEvent) -> bool {
    use wasm_bindgen::JsCast;
    ev.related_target()
        .and_then(|target| target.dyn_into::<web_sys::HtmlButtonElement>().ok())
        .is_some_and(|button| button.type_() == "submit")
}

#[cfg(not(feature = "hydrate"))]
fn moves_focus_to_submit_button(_: &leptos::ev::FocusEvent) -> bool {
    false
}
