use leptos::prelude::*;

/// The confirmation at the end of a journey: what happened and the reference number to quote.
#[component]
pub fn ConfirmationPanel(
    #[prop(into)] title: String,
    #[prop(into)] reference_label: String,
    #[prop(into)] reference: String,
) -> impl IntoView {
    view! {
        <div class="panel">
            <h1 class="panel__title" tabindex="-1">{title}</h1>
            <p class="panel__body">
                {reference_label}
                <br/>
                <strong class="panel__reference">{reference}</strong>
            </p>
        </div>
    }
}
