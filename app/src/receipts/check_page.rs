//! `/receipts/check`: «Проверить квитанцию». The QR code on a receipt opens this page with the
//! number and signature in the query, so scanning it checks at once; the same form can be filled
//! in by hand. It is a GET form: without scripts the browser sends it and the server renders the
//! answer.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_query_map};

use super::check::{
    GenuineReceipt, ReceiptVerdict, check_number, check_receipt, check_signature, fields, validate,
};
use crate::api::ApiError;
use crate::components::{Button, ButtonKind, ErrorSummary, Field, FormErrors};

#[component]
pub fn ReceiptCheckPage() -> impl IntoView {
    let query_map = use_query_map();
    let from_url = |key: &str| query_map.with_untracked(|q| q.get(key)).unwrap_or_default();
    let number = RwSignal::new(from_url(fields::NUMBER));
    let signature = RwSignal::new(from_url(fields::SIGNATURE));
    let form = FormErrors::new();
    let number_blur = form.watch(fields::NUMBER, number, |v| check_number(v).err());
    let signature_blur = form.watch(fields::SIGNATURE, signature, |v| check_signature(v).err());

    // The answer follows the address: what the QR code opened, or what the form sent.
    let verdict = Resource::new(
        move || {
            query_map.with(|q| {
                (
                    q.get(fields::NUMBER).unwrap_or_default(),
                    q.get(fields::SIGNATURE).unwrap_or_default(),
                )
            })
        },
        |(number, signature)| async move {
            if number.is_empty() && signature.is_empty() {
                None
            } else {
                Some(check_receipt(number, signature).await)
            }
        },
    );

    let navigate = use_navigate();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match validate(&number.get_untracked(), &signature.get_untracked()) {
            Ok((number, signature)) => {
                form.clear();
                let query = format!(
                    "/receipts/check?{}={}&{}={}",
                    fields::NUMBER,
                    number,
                    fields::SIGNATURE,
                    signature
                );
                navigate(&query, Default::default());
            }
            Err(found) => form.show(found, None),
        }
    };

    view! {
        <Title text="Проверить квитанцию — Госуслуги"/>
        <h1 id="page-title" tabindex="-1">"Проверить квитанцию"</h1>
        <p class="lead">
            "Квитанции портала подписаны электронной подписью. Введите номер и подпись с квитанции \
             или отсканируйте её QR-код — портал ответит, выдавал ли он такую квитанцию. \
             Персональные данные здесь не показываются."
        </p>
        <ErrorSummary errors=form.summary() message=form.message()/>
        <form method="get" action="/receipts/check" novalidate on:submit=submit>
            <Field id=fields::NUMBER label="Номер квитанции" hint="Например, C-2026-0000042"
                value=number error=form.for_field(fields::NUMBER) autocomplete="off"
                on_blur=number_blur maxlength=24/>
            <Field id=fields::SIGNATURE label="Подпись"
                hint="86 знаков под заголовком «Электронная подпись» на квитанции"
                value=signature error=form.for_field(fields::SIGNATURE) autocomplete="off"
                on_blur=signature_blur maxlength=120/>
            // Without scripts the browser sends the form; with them, the page checks it first.
            <Button submit=true kind=ButtonKind::Primary>
                "Проверить"
            </Button>
        </form>
        <Suspense fallback=|| view! { <p role="status">"Проверяем подпись…"</p> }>
            {move || verdict.get().flatten().map(|answer| match answer {
                Ok(ReceiptVerdict::Genuine(receipt)) => view! { <Genuine receipt=receipt/> }.into_any(),
                Ok(ReceiptVerdict::NotGenuine) => view! {
                    <div class="notice notice--error" role="alert" id="receipt-verdict">
                        <h2>"Квитанция не подтверждена"</h2>
                        <p>
                            "Портал не выдавал квитанцию с таким номером и такой подписью. Проверьте, \
                             что номер и подпись введены без ошибок. Если они совпадают с квитанцией, \
                             квитанция изменена или не выдана порталом."
                        </p>
                    </div>
                }.into_any(),
                Err(ApiError::Invalid(found)) => view! {
                    <div class="notice notice--error" role="alert" id="receipt-verdict">
                        <h2>"Квитанция не проверена"</h2>
                        <ul>{found.into_iter().map(|e| view! { <li>{e.message}</li> }).collect_view()}</ul>
                    </div>
                }.into_any(),
                Err(other) => view! {
                    <p class="error-text" role="alert" id="receipt-verdict">{other.summary_message()}</p>
                }.into_any(),
            })}
        </Suspense>
        <h2>"Как устроена проверка"</h2>
        <p>
            "Портал подписывает номер, время выдачи, вид квитанции, её сведения без персональных \
             данных и контрольную сумму содержания ключом Ed25519. "
            <a href="/receipts/public-key.pem" download="portal-receipts-ed25519.pem">"Открытый ключ проверки"</a>
            " опубликован, чтобы подпись можно было проверить и без портала."
        </p>
    }
}

/// «Квитанция подлинная», with the facts that were signed and the file's checksum.
#[component]
fn Genuine(receipt: GenuineReceipt) -> impl IntoView {
    let rows = [
        ("Номер".to_owned(), receipt.number.clone()),
        ("Вид".to_owned(), receipt.kind.title().to_owned()),
        (
            "Выдана".to_owned(),
            format!("{} (московское время)", receipt.issued_at),
        ),
    ]
    .into_iter()
    .chain(receipt.facts)
    .map(|(key, value)| {
        view! {
            <div class="summary__row">
                <dt class="summary__key">{key}</dt>
                <dd class="summary__value">{value}</dd>
            </div>
        }
    })
    .collect_view();
    view! {
        <div class="notice notice--success" role="status" id="receipt-verdict">
            <h2>"Квитанция подлинная"</h2>
            <p>"Портал выдал эту квитанцию, и подпись совпадает: сведения ниже не изменялись."</p>
        </div>
        <dl class="summary">{rows}</dl>
        <p>
            "Контрольная сумма файла квитанции (SHA-256), как он был выдан: "
            <code class="receipt-check__digest">{receipt.file_sha256}</code>
            ". Сравните её с суммой вашего файла (например, "
            <code>"sha256sum квитанция.pdf"</code>
            "): если они различаются, файл изменён."
        </p>
    }
}
