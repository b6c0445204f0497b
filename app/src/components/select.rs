use leptos::prelude::*;

/// A choice in a GET form (a filter): the first option is «any» (an empty value), then each
/// `(value, text)`; the one matching `selected` is chosen.
#[component]
pub fn Select(
    /// The control's id and the query parameter's name.
    id: &'static str,
    label: &'static str,
    /// The text of the empty choice: «Любой», «Любая».
    any: &'static str,
    options: Vec<(String, String)>,
    selected: Option<String>,
) -> impl IntoView {
    view! {
        <div class="field">
            <label class="field__label" for=id>{label}</label>
            <select id=id name=id class="field__input">
                <option value="" selected=selected.is_none()>{any}</option>
                {options.into_iter().map(|(value, text)| {
                    let chosen = selected.as_deref() == Some(value.as_str());
                    view! { <option value=value selected=chosen>{text}</option> }
                }).collect_view()}
            </select>
        </div>
    }
}
