use leptos::prelude::*;

/// A question with one answer from a short list: a fieldset, its legend as the question, one
/// radio button per option.
#[component]
pub fn Radios(
    /// The group's name; each option's id is `{name}-{value}`.
    #[prop(into)]
    name: String,
    #[prop(into)] legend: String,
    options: Vec<(&'static str, &'static str)>,
    selected: RwSignal<String>,
    #[prop(optional, into)] error: Signal<Option<String>>,
) -> impl IntoView {
    let error_id = format!("{name}-error");
    let items = options
        .into_iter()
        .map(|(value, label)| {
            let id = format!("{name}-{value}");
            view! {
                <div class="radios__item">
                    <input
                        type="radio"
                        class="radios__input"
                        id=id.clone()
                        name=name.clone()
                        value=value
                        prop:checked=move || selected.get() == value
                        on:change=move |_| selected.set(value.to_owned())
                    />
                    <label class="radios__label" for=id>{label}</label>
                </div>
            }
        })
        .collect_view();
    view! {
        <fieldset class="field radios" class:field--error=move || error.get().is_some()
            aria-describedby=move || error.get().map(|_| error_id.clone())>
            <legend class="field__label">{legend}</legend>
            <p id=format!("{name}-error") class="field__error" hidden=move || error.get().is_none()>
                <span class="visually-hidden">"Ошибка: "</span>
                {move || error.get().unwrap_or_default()}
            </p>
            {items}
        </fieldset>
    }
}
