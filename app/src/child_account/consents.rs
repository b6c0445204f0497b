//! The parent's consents about their children's accounts: the request that appears when a
//! child's account is made («согласие на передачу персональных данных»), the decision, the
//! receipt and revocation. Page «Согласия» (`/documents/family/consents`).

use leptos::prelude::*;
use leptos_meta::Title;
use serde::{Deserialize, Serialize};

use crate::api::ApiError;
#[cfg(feature = "ssr")]
use crate::api::{ServiceError, SignedInAccount, request::ClientInfo};
use crate::components::{Button, ButtonKind, StatusChip, Tone, interactive};
use crate::domain::minor::{ConsentDecision, ConsentStatus};

/// The version of [`CONSENT_TEXT`] a parent agrees to; stored with every consent. Change it
/// whenever the text changes.
pub const CONSENT_TEXT_VERSION: &str = "2026-11-30";

/// What the parent agrees to.
pub const CONSENT_TEXT: &str = "Даю согласие на передачу персональных данных моего ребёнка \
    (фамилия, имя, отчество, дата рождения, СНИЛС, адрес электронной почты и номер телефона) \
    государственным и муниципальным информационным системам, в которые ребёнок входит с учётной \
    записью портала госуслуг, — для его авторизации и получения услуг. Согласие действует до \
    совершеннолетия ребёнка или до его отзыва; отозвать его можно в любой момент в разделе \
    «Семья и дети».";

/// One consent record as the parent sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsentView {
    pub id: i64,
    /// «Иванов Пётр Андреевич».
    pub child_name: String,
    pub status: ConsentStatus,
    pub text_version: String,
    /// «30.11.2026 14:05» (Moscow time), each when it happened.
    pub requested_at: String,
    pub decided_at: Option<String>,
    pub revoked_at: Option<String>,
}

pub fn consent_tone(status: ConsentStatus) -> Tone {
    match status {
        ConsentStatus::Requested => Tone::Warning,
        ConsentStatus::Granted => Tone::Success,
        ConsentStatus::Declined | ConsentStatus::Revoked => Tone::Neutral,
    }
}

/// Where to download a consent's receipt (served by the server, for the signed-in parent only).
pub fn receipt_href(id: i64) -> String {
    format!("/documents/family/consents/{id}/receipt")
}

#[server(prefix = "/api", endpoint = "consents/list")]
pub async fn load_consents() -> Result<Vec<ConsentView>, ApiError> {
    use crate::api::{request, service};
    let parent = request::require_account().await?;
    service::<dyn ConsentService>()?
        .consents(&parent)
        .await
        .map_err(ApiError::from)
}

/// «Дать согласие», «Отказать», «Отозвать согласие». Giving consent again after a refusal or a
/// revocation makes a new record.
#[server(prefix = "/api", endpoint = "consents/decide")]
pub async fn decide_consent(id: i64, decision: ConsentDecision) -> Result<(), ApiError> {
    use crate::api::{request, service};
    let parent = request::require_account().await?;
    let client = request::client();
    service::<dyn ConsentService>()?
        .decide_consent(&parent, id, decision, &client)
        .await
        .map_err(ApiError::from)
}

/// The buttons a consent offers in its state.
#[component]
pub fn ConsentActions(id: i64, status: ConsentStatus, on_done: Callback<()>) -> impl IntoView {
    let decide = ServerAction::<DecideConsent>::new();
    let ready = interactive();
    let busy = Signal::derive(move || decide.pending().get() || !ready.get());
    Effect::new(move |_| {
        if let Some(Ok(())) = decide.value().get() {
            on_done.run(());
        }
    });
    let send = move |decision| {
        Callback::new(move |_| {
            decide.dispatch(DecideConsent { id, decision });
        })
    };
    let buttons = match status {
        ConsentStatus::Requested => view! {
            <Button disabled=busy on_click=send(ConsentDecision::Grant)>"Дать согласие"</Button>
            <Button kind=ButtonKind::Secondary disabled=busy on_click=send(ConsentDecision::Decline)>"Отказать"</Button>
        }
        .into_any(),
        ConsentStatus::Granted => view! {
            <a class="button button--secondary" href=receipt_href(id) download="">"Скачать квитанцию" <span class="visually-hidden">" (PDF, с электронной подписью)"</span></a>
            <Button kind=ButtonKind::Secondary disabled=busy on_click=send(ConsentDecision::Revoke)>"Отозвать согласие"</Button>
        }
        .into_any(),
        ConsentStatus::Declined | ConsentStatus::Revoked => view! {
            <Button disabled=busy on_click=send(ConsentDecision::Grant)>"Дать согласие"</Button>
        }
        .into_any(),
    };
    view! {
        {move || decide.value().get().and_then(|r| r.err()).map(|e| view! {
            <p class="error-text" role="alert">{e.summary_message()}</p>
        })}
        <div class="button-group">{buttons}</div>
    }
}

/// The consent's wording as the parent reads it before deciding.
#[component]
pub fn ConsentText() -> impl IntoView {
    view! {
        <details class="details">
            <summary class="details__summary">"Текст согласия"</summary>
            <p class="details__text">{CONSENT_TEXT}</p>
            <p class="hint">"Редакция от " {CONSENT_TEXT_VERSION}</p>
        </details>
    }
}

/// «Согласия»: every consent about the parent's children, newest first.
#[component]
pub fn ConsentsPage() -> impl IntoView {
    let consents = Resource::new(|| (), |_| load_consents());
    let reload = Callback::new(move |_| consents.refetch());
    view! {
        <Title text="Согласия — Семья и дети"/>
        <p class="breadcrumbs"><a href="/documents/family">"Семья и дети"</a>" → Согласия"</p>
        <h1 id="page-title" tabindex="-1">"Согласия на передачу персональных данных детей"</h1>
        <p class="lead">
            "Без вашего согласия ребёнок не может войти в свою учётную запись. "
            "Каждое решение записывается: кто, когда и с какого адреса его принял. "
            "Отозвать согласие можно в любой момент — ребёнок сразу выйдет со всех устройств."
        </p>
        <ConsentText/>
        <Suspense fallback=|| view! { <p>"Загружаем…"</p> }>
            {move || consents.get().map(|result| match result {
                Ok(list) if list.is_empty() => view! { <p>"Запросов согласия пока нет."</p> }.into_any(),
                Ok(list) => view! {
                    <ul class="consent-list">
                        {list.into_iter().map(|c| view! { <ConsentItem consent=c reload=reload/> }).collect_view()}
                    </ul>
                }.into_any(),
                Err(e) => view! { <p class="error-text" role="alert">{e.summary_message()}</p> }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
fn ConsentItem(consent: ConsentView, reload: Callback<()>) -> impl IntoView {
    let when = [
        Some(format!("Запрошено {}", consent.requested_at)),
        consent
            .decided_at
            .as_ref()
            .map(|at| format!("Решение {at}")),
        consent
            .revoked_at
            .as_ref()
            .map(|at| format!("Отозвано {at}")),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" · ");
    view! {
        <li class="card">
            <h2 class="card__title">{consent.child_name.clone()}</h2>
            <p><StatusChip tone=consent_tone(consent.status) text=consent.status.label()/></p>
            <p class="hint">{when}</p>
            <ConsentActions id=consent.id status=consent.status on_done=reload/>
        </li>
    }
}

/// The parent's consents about their children.
#[cfg(feature = "ssr")]
#[async_trait::async_trait]
pub trait ConsentService: Send + Sync {
    /// Every consent about the parent's children, newest first.
    async fn consents(&self, parent: &SignedInAccount) -> Result<Vec<ConsentView>, ServiceError>;

    async fn decide_consent(
        &self,
        parent: &SignedInAccount,
        id: i64,
        decision: ConsentDecision,
        client: &ClientInfo,
    ) -> Result<(), ServiceError>;
}
