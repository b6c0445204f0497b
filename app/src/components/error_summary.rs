use leptos::prelude::*;

use crate::api::FieldError;

pub const ERROR_SUMMARY_ID: &str = "error-summary";

/// «Есть ошибки»: the list of what to fix, each a link to its field. Shown above the form after a
/// failed submit; the page moves focus here with [`focus_element`] so screen readers announce it.
#[component]
pub fn ErrorSummary(
    #[prop(into)] errors: Signal<Vec<FieldError>>,
    /// An error that belongs to no field (for example, the server is unavailable).
    #[prop(optional, into)]
    message: Signal<Option<String>>,
) -> impl IntoView {
    let visible = move || !errors.get().is_empty() || message.get().is_some();
    view! {
        <div
            id=ERROR_SUMMARY_ID
            class="error-summary"
            tabindex="-1"
            aria-labelledby="error-summary-title"
            hidden=move || !visible()
        >
            <h2 id="error-summary-title" class="error-summary__title">"Есть ошибки"</h2>
            {move || message.get().map(|m| view! { <p class="error-summary__message">{m}</p> })}
            <ul class="error-summary__list">
                <For
                    each=move || errors.get()
                    key=|e| (e.field.clone(), e.code.clone())
                    children=|e: FieldError| {
                        let field = e.field.clone();
                        view! {
                            <li>
                                <a
                                    href=format!("#{}", e.field)
                                    on:click=move |ev| {
                                        ev.prevent_default();
                                        focus_element(&field);
                                    }
                                >
                                    {e.message}
                                </a>
                            </li>
                        }
                    }
                />
            </ul>
        </div>
    }
}

/// Moves keyboard focus to the element with this id after the current render has settled.
pub fn focus_element(id: &str) {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        let id = id.to_owned();
        request_animation_frame(move || {
            if let Some(el) = document()
                .get_element_by_id(&id)
                .and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok())
            {
                let _ = el.focus();
            }
        });
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = id;
}
