use leptos::prelude::*;

/// «Шаг 2 из 3» with the step names, for wizards. `current` counts from 0.
#[component]
pub fn StepIndicator(
    steps: Vec<&'static str>,
    #[prop(into)] current: Signal<usize>,
) -> impl IntoView {
    let total = steps.len();
    let items = steps
        .into_iter()
        .enumerate()
        .map(|(index, name)| {
            let state = move || match current.get().cmp(&index) {
                std::cmp::Ordering::Greater => "steps__item steps__item--done",
                std::cmp::Ordering::Equal => "steps__item steps__item--current",
                std::cmp::Ordering::Less => "steps__item",
            };
            view! {
                <li class=state aria-current=move || (current.get() == index).then_some("step")>
                    {name}
                </li>
            }
        })
        .collect_view();
    // More than four steps do not fit a phone: the stylesheet then names only the current one.
    let nav_class = if total > 4 {
        "steps steps--many"
    } else {
        "steps"
    };
    view! {
        <nav class=nav_class aria-label="Этапы">
            <p class="steps__count">{move || format!("Шаг {} из {}", current.get() + 1, total)}</p>
            <ol class="steps__list">{items}</ol>
        </nav>
    }
}
