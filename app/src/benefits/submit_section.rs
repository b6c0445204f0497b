//! The end of «Проверьте ответы»: the eligibility warning, the declaration and «Отправить».
//! The browser makes one idempotency key per draft version and keeps it for the tab, so a retry
//! (a lost answer, a reload, «Слишком много заявок») can never send a second application.

use leptos::prelude::*;

use super::application::{DraftEligibility, DraftView};
use super::submission::{
    Submission, SubmitApplication, Submitted, check_accept_warnings, check_declaration, fields,
};
use crate::api::ApiError;
use crate::components::{
    Button, ButtonKind, ButtonLink, Checkbox, ConfirmationPanel, ErrorSummary, FormErrors,
    interactive,
};

/// The key for this draft at this version: made once, then read back from the tab's storage.
#[cfg(feature = "hydrate")]
fn submission_key(draft_id: i64, version: i64) -> String {
    let name = format!("submission-key-{draft_id}-{version}");
    let storage = web_sys::window().and_then(|w| w.session_storage().ok().flatten());
    if let Some(kept) = storage
        .as_ref()
        .and_then(|s| s.get_item(&name).ok().flatten())
    {
        return kept;
    }
    let mut bytes = [0u8; 16];
    // Without randomness there is no key; the server refuses an empty one at «Отправить».
    if getrandom::fill(&mut bytes).is_err() {
        return String::new();
    }
    let key: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    if let Some(storage) = storage {
        let _ = storage.set_item(&name, &key);
    }
    key
}

/// Buttons do nothing on the server, which never sends.
#[cfg(not(feature = "hydrate"))]
fn submission_key(_draft_id: i64, _version: i64) -> String {
    String::new()
}

/// Up to a second more than the server asked, so throttled browsers do not return together.
#[cfg(feature = "hydrate")]
fn jitter_ms() -> u64 {
    let mut byte = [0u8; 2];
    let _ = getrandom::fill(&mut byte);
    u64::from(u16::from_le_bytes(byte)) % 1_000
}

#[component]
pub fn SubmitSection(view: DraftView, sent: RwSignal<Option<Submitted>>) -> impl IntoView {
    let form = FormErrors::new();
    let ready = interactive();
    let declaration = RwSignal::new(false);
    let accept = RwSignal::new(false);
    let submit = ServerAction::<SubmitApplication>::new();
    // Seconds until the automatic retry after a 429.
    let wait = RwSignal::new(None::<u32>);
    let (draft_id, version) = (view.id, view.version);
    let rule_failed = matches!(view.eligibility, DraftEligibility::Failed(_));
    let send = move || {
        submit.dispatch(SubmitApplication {
            submission: Submission {
                draft_id,
                version,
                key: submission_key(draft_id, version),
                declaration: declaration.get_untracked(),
                accept_warnings: accept.get_untracked(),
            },
        });
    };
    Effect::new(move |_| match submit.value().get() {
        Some(Ok(submitted)) => {
            form.clear();
            sent.set(Some(submitted));
            crate::components::focus_element("page-title");
        }
        Some(Err(ApiError::Throttled {
            retry_after_seconds,
        })) => {
            wait.set(Some(retry_after_seconds.max(1)));
            #[cfg(feature = "hydrate")]
            {
                let delay = u64::from(retry_after_seconds.max(1)) * 1_000 + jitter_ms();
                set_timeout(
                    move || {
                        wait.set(None);
                        send();
                    },
                    std::time::Duration::from_millis(delay),
                );
            }
        }
        Some(Err(error)) => form.show_api_error(error),
        None => {}
    });
    #[cfg(feature = "hydrate")]
    if let Ok(handle) = set_interval_with_handle(
        move || {
            if wait.get_untracked().is_some_and(|s| s > 1) {
                wait.update(|w| *w = w.map(|s| s - 1));
            }
        },
        std::time::Duration::from_secs(1),
    ) {
        on_cleanup(move || handle.clear());
    }
    let busy =
        Signal::derive(move || submit.pending().get() || wait.get().is_some() || !ready.get());
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let refused: Vec<_> = [
            check_accept_warnings(rule_failed, accept.get_untracked()).err(),
            check_declaration(declaration.get_untracked()).err(),
        ]
        .into_iter()
        .flatten()
        .collect();
        if refused.is_empty() {
            send();
        } else {
            form.show(refused, None);
        }
    };
    let warning = match view.eligibility.clone() {
        DraftEligibility::Passed => None,
        DraftEligibility::Unchecked => Some(view! {
            <p class="notice">
                "Проверка права на льготу ещё не завершена или реестр не ответил. Её повторят \
                 после отправки, а специалист увидит результат."
            </p>
        }.into_any()),
        DraftEligibility::Failed(rules) => Some(view! {
            <div class="notice notice--warning">
                <h2>"Проверка нашла несоответствия"</h2>
                <ul>
                    {rules.into_iter().map(|(title, reason)| view! {
                        <li><strong>{title}</strong>": "{reason}</li>
                    }).collect_view()}
                </ul>
                <p>"Заявление можно отправить и так, но специалист увидит отметку о несоответствии и может отказать."</p>
                <Checkbox id=fields::ACCEPT_WARNINGS checked=accept error=form.for_field(fields::ACCEPT_WARNINGS)>
                    "Понимаю и всё равно отправляю заявление"
                </Checkbox>
            </div>
        }.into_any()),
    };
    let benefit_name = view.benefit_name.clone();
    view! {
                <ErrorSummary errors=form.summary() message=form.message()/>
                <form novalidate on:submit=on_submit>
                    {warning}
                    <h2>"Отправка заявления"</h2>
                    <p>
                        {format!("Нажимая «Отправить», вы подаёте заявление «{benefit_name}» в ведомство. ")}
                        "Заявление получит номер и статус «На рассмотрении», а квитанция с электронной подписью \
                         портала будет доступна сразу. Изменить отправленное заявление нельзя."
                    </p>
                    <Checkbox id=fields::DECLARATION checked=declaration error=form.for_field(fields::DECLARATION)>
                        "Подтверждаю, что сведения в заявлении верны и полны"
                    </Checkbox>
                    {move || wait.get().map(|seconds| view! {
                        <p class="notice" role="status">{format!("Слишком много заявок, повторим через {seconds} с")}</p>
                    })}
                    <div id=fields::SUBMISSION>
                        <Button submit=true disabled=busy>"Отправить"</Button>
                    </div>
                </form>
    }
}

#[component]
pub fn SentPanel(submitted: Submitted) -> impl IntoView {
    let page = format!("/applications/{}", submitted.application_id);
    let receipt = format!("/applications/{}/receipt", submitted.application_id);
    view! {
        <ConfirmationPanel title="Заявление отправлено"/>
        <div role="status">
        <dl class="summary">
            <div class="summary__row">
                <dt class="summary__key">"Номер заявления"</dt>
                <dd class="summary__value">{submitted.number.clone()}</dd>
            </div>
            <div class="summary__row">
                <dt class="summary__key">"Дата и время подачи"</dt>
                <dd class="summary__value">{format!("{} (МСК)", submitted.submitted_at)}</dd>
            </div>
            <div class="summary__row">
                <dt class="summary__key">"Статус"</dt>
                <dd class="summary__value">{submitted.status.label()}</dd>
            </div>
        </dl>
        </div>
        <p>"Сохраните или распечатайте квитанцию: она подписана порталом и служит доказательством подачи."</p>
        <div class="button-group">
            <a class="button" href=receipt download="">"Скачать квитанцию" <span class="visually-hidden">" (PDF, с электронной подписью)"</span></a>
            <ButtonLink href=page kind=ButtonKind::Secondary>"Открыть заявление"</ButtonLink>
        </div>
    }
}
