use leptos::prelude::*;

/// A bordered block with a heading; with `href` the whole heading is a link to the section.
#[component]
pub fn Card(
    #[prop(into)] title: String,
    #[prop(optional, into)] href: Option<String>,
    children: Children,
) -> impl IntoView {
    let heading = match href {
        Some(href) => view! { <a class="card__link" href=href>{title}</a> }.into_any(),
        None => title.into_any(),
    };
    view! {
        <section class="card">
            <h2 class="card__title">{heading}</h2>
            <div class="card__body">{children()}</div>
        </section>
    }
}
