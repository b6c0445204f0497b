use leptos::prelude::*;

/// «Предыдущая» · «Страница 2 из 7» · «Следующая» under a list of many pages; nothing for one
/// page. `href` gives the address of a page counted from 0.
#[component]
pub fn Pager(
    /// From 0.
    shown: u32,
    pages: u32,
    #[prop(into)] label: String,
    href: Callback<u32, String>,
) -> impl IntoView {
    (pages > 1).then(|| {
        let previous = (shown > 0).then(|| href.run(shown - 1));
        let next = (shown + 1 < pages).then(|| href.run(shown + 1));
        view! {
            <nav class="pager" aria-label=label>
                {previous.map(|href| view! { <a href=href rel="prev">"Предыдущая"</a> })}
                <span>{format!("Страница {} из {}", shown + 1, pages)}</span>
                {next.map(|href| view! { <a href=href rel="next">"Следующая"</a> })}
            </nav>
        }
    })
}
