//! «Проверьте ответы»: every answer with «Изменить», then the declaration and «Отправить».

use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

use super::application::{DiscardDraft, DraftView, documents_href, summary_rows};
use super::documents::missing_documents;
use super::submission::Submitted;
use super::submit_section::{SentPanel, SubmitSection};
use crate::components::{Button, ButtonKind, SummaryList, SummaryRow, interactive};

#[component]
pub fn CheckAnswers(view: DraftView) -> impl IntoView {
    let navigate = use_navigate();
    let ready = interactive();
    let rows = summary_rows(&view.child, &view.applicant, &view.saved)
        .into_iter()
        .map(|(question, key, value)| {
            let change = question.map(|question| {
                let href = format!("{}?from=check", view.href(Some(question)));
                let navigate = navigate.clone();
                Callback::new(move |_| navigate(&href, Default::default()))
            });
            SummaryRow {
                key,
                value: value.unwrap_or_else(|| "Не заполнено".to_owned()),
                status: None,
                change,
            }
        })
        .collect::<Vec<_>>();
    let documents_page = documents_href(view.id);
    let rows = rows
        .into_iter()
        .chain(view.documents.iter().map(|slot| {
            let href = documents_page.clone();
            let navigate = navigate.clone();
            SummaryRow {
                key: slot.requirement.title(),
                value: slot.attached.as_ref().map_or_else(
                    || "Не добавлен".to_owned(),
                    |d| format!("{} — {}", d.file_name, d.status.label()),
                ),
                status: None,
                change: Some(Callback::new(move |_| navigate(&href, Default::default()))),
            }
        }))
        .collect::<Vec<_>>();
    let missing = view.next_question();
    let documents_missing = missing.is_none() && !missing_documents(&view.documents).is_empty();
    let discard = ServerAction::<DiscardDraft>::new();
    let benefit_href = format!("/benefits/{}", view.benefit_code);
    Effect::new({
        let navigate = navigate.clone();
        move |_| {
            if let Some(Ok(())) = discard.value().get() {
                navigate(&benefit_href, Default::default());
            }
        }
    });
    let id = view.id;
    let sent = RwSignal::new(None::<Submitted>);
    view! {
        {move || match sent.get() {
            Some(submitted) => view! { <SentPanel submitted=submitted/> }.into_any(),
            None => view! {
                <SummaryList rows=rows.clone()/>
                {missing.map(|question| view! {
                    <p class="notice" role="alert">
                        {format!("Не заполнена страница «{}». ", question.title())}
                        <a href=view.href(Some(question))>"Заполнить"</a>
                    </p>
                })}
                {documents_missing.then(|| view! {
                    <p class="notice" role="alert">
                        "Не все документы добавлены и одобрены. "
                        <a href=documents_page.clone()>"Добавить документы"</a>
                    </p>
                })}
                <SubmitSection view=view.clone() sent=sent/>
                <p class="wizard-cancel">
                    <Button kind=ButtonKind::Secondary
                        disabled=Signal::derive(move || discard.pending().get() || !ready.get())
                        on_click=Callback::new(move |_| { discard.dispatch(DiscardDraft { id }); })>
                        "Удалить черновик"
                    </Button>
                </p>
            }.into_any(),
        }}
    }
}
