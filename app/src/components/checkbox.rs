use leptos::prelude::*;

/// A single checkbox with its own error, for agreements such as consent to personal-data
/// processing. The label is the statement the user agrees to.
#[component]
pub fn Checkbox(
    #[prop(into)] id: String,
    checked: RwSignal<bool>,
    #[prop(into)] error: Signal<Option<String>>,
    children: Children,
) -> impl IntoView {
    let error_id = format!("{id}-error");
    let described_by = {
        let error_id = error_id.clone();
        move || error.get().map(|_| error_id.clone())
    };
    view! {
        <div class="field checkbox" class:field--error=move || error.get().is_some()>
            <p id=error_id class="field__error" hidden=move || error.get().is_none()>
                <span class="visually-hidden">"Ошибка: "</span>
                {move || error.get().unwrap_or_default()}
            </p>
            <div class="checkbox__item">
                <input
                    type="checkbox"
                    class="checkbox__input"
                    id=id.clone()
                    name=id.clone()
                    aria-describedby=described_by
                    aria-invalid=move || error.get().map(|_| "true")
                    prop:checked=move || checked.get()
                    on:change=move |ev| checked.set(event_target_checked(&ev))
                />
                <label class="checkbox__label" for=id>{children()}</label>
            </div>
        </div>
    }
}
