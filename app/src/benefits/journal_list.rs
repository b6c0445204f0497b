//! The status journal as a list, the same for the family and the officer: when, who, what, the
//! move between statuses, what was written, and the files sent with it.

use leptos::prelude::*;

use super::journal::JournalEntry;
use super::status::StatusTone;
use crate::components::StatusChip;

/// `file_href` gives each attached file's address for this reader (the family downloads its own
/// files; the officer opens them inline).
#[component]
pub fn JournalList(entries: Vec<JournalEntry>, file_href: Callback<i64, String>) -> impl IntoView {
    if entries.is_empty() {
        return view! { <p>"Записей пока нет."</p> }.into_any();
    }
    view! {
        <ol class="journal">
            {entries.into_iter().rev().map(|entry| {
                let title = entry.decision_title();
                let change = entry.to.map(|to| view! {
                    <p class="journal__change">
                        {entry.from.map(|from| view! {
                            <StatusChip tone=from.tone() text=from.label()/>" → "
                        })}
                        <StatusChip tone=to.tone() text=to.label()/>
                    </p>
                });
                let comment = (!entry.comment.is_empty()).then(|| view! {
                    <p class="journal__comment">{entry.comment.clone()}</p>
                });
                let files = (!entry.files.is_empty()).then(|| view! {
                    <ul class="journal__files">
                        {entry.files.into_iter().map(|file| view! {
                            <li><a href=file_href.run(file.document_id)>{file.file_name}</a></li>
                        }).collect_view()}
                    </ul>
                });
                view! {
                    <li class="journal__entry">
                        <p class="journal__meta">
                            <strong>{entry.event.label()}</strong>
                            {title.map(|title| view! { <span>{format!(" · {title}")}</span> })}
                            <span>{format!(" · {} (МСК) · {}", entry.at, entry.who)}</span>
                        </p>
                        {change}
                        {comment}
                        {files}
                    </li>
                }
            }).collect_view()}
        </ol>
    }
    .into_any()
}
