use leptos::prelude::*;

use super::{StatusChip, Tone};

/// One answer on a «проверьте данные» page, with an optional action to change it.
#[derive(Clone)]
pub struct SummaryRow {
    pub key: &'static str,
    pub value: String,
    /// A status shown after the value, e.g. «Подтверждён».
    pub status: Option<(Tone, &'static str)>,
    pub change: Option<Callback<()>>,
}

/// The answers of a form, shown for checking before sending.
#[component]
pub fn SummaryList(rows: Vec<SummaryRow>) -> impl IntoView {
    let rows = rows
        .into_iter()
        .map(|row| {
            let change = row.change.map(|cb| {
                view! {
                    <dd class="summary__action">
                        <button type="button" class="link-button" on:click=move |_| cb.run(())>
                            "Изменить"
                            <span class="visually-hidden">{format!(" — {}", row.key.to_lowercase())}</span>
                        </button>
                    </dd>
                }
            });
            view! {
                <div class="summary__row">
                    <dt class="summary__key">{row.key}</dt>
                    <dd class="summary__value">
                        {row.value}
                        {row.status.map(|(tone, text)| view! { " " <StatusChip tone=tone text=text/> })}
                    </dd>
                    {change}
                </div>
            }
        })
        .collect_view();
    view! { <dl class="summary">{rows}</dl> }
}
