use leptos::prelude::*;

/// The confirmation at the end of a journey: what happened and, where there is one, the
/// reference number to quote.
#[component]
pub fn ConfirmationPanel(
    #[prop(into)] title: String,
    #[prop(optional, into)] reference_label: Option<String>,
    #[prop(optional, into)] reference: Option<String>,
) -> impl IntoView {
    view! {
        <div class="panel">
            <h1 class="panel__title" tabindex="-1">{title}</h1>
            {reference.map(|reference| view! {
                <p class="panel__body">
                    {reference_label}
                    <br/>
                    <strong class="panel__reference">{reference}</strong>
                </p>
            })}
        </div>
    }
}
