//! The application's documents beside it: a list, the chosen one displayed inline from the
//! server (a PDF in a frame, an image as an image; never a public file), and the officer's
//! verdict on it, «Одобрено» or rejected with a reason.

use leptos::prelude::*;

use super::desk::{
    CaseDocument, CaseFile, ClaimView, DocumentVerdict, REASON_FIELD, ReviewDocument, document_href,
};
use crate::components::{Button, ButtonKind, Field, FieldInput, FormErrors, StatusChip, Tone};

#[component]
pub fn CaseDocuments(case: RwSignal<CaseFile>, form: FormErrors) -> impl IntoView {
    let selected = RwSignal::new(case.with_untracked(|c| c.documents.first().map(|d| d.id)));
    let current = Memo::new(move |_| {
        case.with(|c| {
            let id = selected.get();
            c.documents.iter().find(|d| Some(d.id) == id).cloned()
        })
    });
    view! {
        <section class="case__documents" aria-labelledby="documents-title">
            <h2 id="documents-title">"Документы"</h2>
            {move || {
                let documents = case.with(|c| c.documents.clone());
                if documents.is_empty() {
                    return view! { <p>"Документов нет."</p> }.into_any();
                }
                view! {
                    <ul class="case__document-list">
                        {documents.into_iter().map(|d| {
                            let id = d.id;
                            let chosen = move || selected.get() == Some(id);
                            view! {
                                <li>
                                    <button type="button" class="case__document"
                                        aria-pressed=move || if chosen() { "true" } else { "false" }
                                        on:click=move |_| selected.set(Some(id))>
                                        <span class="case__document-title">{d.title.clone()}</span>
                                        <span class="catalogue__meta">{d.file_name.clone()}</span>
                                    </button>
                                    {d.new.then(|| view! { <StatusChip tone=Tone::Info text="Новый"/> })}
                                    {review_chip(&d)}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
            <Viewer case=case document=current form=form/>
        </section>
    }
}

fn review_chip(document: &CaseDocument) -> Option<impl IntoView + use<>> {
    document.review.as_ref().map(|r| {
        if r.approved {
            view! { <StatusChip tone=Tone::Success text="Одобрено"/> }.into_any()
        } else {
            view! { <StatusChip tone=Tone::Error text="Отклонено"/> }.into_any()
        }
    })
}

/// The document's frame, drawn again only when another document is chosen (each load is a
/// journaled viewing), and its verdict, which follows the case file.
#[component]
fn Viewer(
    case: RwSignal<CaseFile>,
    document: Memo<Option<CaseDocument>>,
    form: FormErrors,
) -> impl IntoView {
    let id = case.with_untracked(|c| c.id);
    let frame = Memo::new(move |_| {
        document.with(|d| {
            d.as_ref().map(|d| {
                (
                    d.id,
                    d.media_type.clone(),
                    format!("{}: {}", d.title, d.file_name),
                )
            })
        })
    });
    let mine = move || matches!(case.with(|c| c.claim.clone()), ClaimView::Mine { .. });
    view! {
        {move || frame.get().map(|(document_id, media_type, title)| {
            let href = document_href(id, document_id);
            let shown = if media_type == "application/pdf" {
                view! { <iframe class="case__viewer" src=href.clone() title=title.clone()></iframe> }.into_any()
            } else {
                view! { <img class="case__image" src=href.clone() alt=title.clone()/> }.into_any()
            };
            view! {
                <div class="case__shown">
                    <p><strong>{title}</strong>" · "
                        <a href=href target="_blank" rel="noopener">"Открыть в новой вкладке"</a></p>
                    {move || document.get().and_then(|d| d.review).map(|r| view! {
                        <p class="hint">{if r.approved {
                            format!("Одобрено · {} · {} (МСК)", r.by, r.at)
                        } else {
                            format!("Отклонено: {} · {} · {} (МСК)", r.reason, r.by, r.at)
                        }}</p>
                    })}
                    {shown}
                    {move || mine().then(|| view! { <Review case=case document=document_id form=form/> })}
                </div>
            }
        })}
    }
}

#[component]
fn Review(case: RwSignal<CaseFile>, document: i64, form: FormErrors) -> impl IntoView {
    let reason = RwSignal::new(String::new());
    let review = ServerAction::<ReviewDocument>::new();
    Effect::new(move |_| match review.value().get() {
        Some(Ok(file)) => {
            form.clear();
            reason.set(String::new());
            case.set(file);
        }
        Some(Err(error)) => form.show_api_error(error),
        None => {}
    });
    let id = case.with_untracked(|c| c.id);
    let send = move |verdict: DocumentVerdict| {
        review.dispatch(ReviewDocument {
            id,
            document,
            verdict,
        });
    };
    view! {
        <form class="case__review" novalidate on:submit=move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            send(DocumentVerdict::Rejected { reason: reason.get_untracked() });
        }>
            <Button disabled=review.pending() on_click=Callback::new(move |_| send(DocumentVerdict::Approved))>
                "Одобрено"
            </Button>
            <Field id=REASON_FIELD label="Причина отклонения документа" hint="Например: скан нечитаем, документ просрочен"
                value=reason error=form.for_field(REASON_FIELD) input=FieldInput::Multiline/>
            <Button kind=ButtonKind::Secondary submit=true disabled=review.pending()>"Отклонить документ"</Button>
        </form>
    }
}
