use leptos::prelude::*;
use leptos_meta::Title;

use super::contacts::{
    ConfirmPhone, ContactStatus, MAX_RESENDS, PhoneCodeState, ResendEmailLink, ResendPhoneCode,
    load_contacts,
};
use super::sms_code_form::SmsCodeForm;
use crate::api::ApiError;
use crate::components::{
    Button, ButtonKind, ButtonLink, ErrorSummary, FormErrors, StatusChip, Tone, interactive,
};
use crate::messages::wait_text;

/// «Подтверждение контактов»: the e-mail link and the SMS code after registration.
#[component]
pub fn ContactsPage() -> impl IntoView {
    let version = RwSignal::new(0u32);
    let status = Resource::new(move || version.get(), |_| load_contacts());
    let reload = Callback::new(move |_| version.update(|v| *v += 1));
    view! {
        <Title text="Подтверждение контактов — Госуслуги"/>
        <h1 id="page-title" tabindex="-1">"Подтверждение контактов"</h1>
        <Suspense fallback=|| view! { <p>"Загружаем…"</p> }>
            {move || status.get().map(|result| match result {
                Ok(contacts) => view! { <Contacts contacts=contacts reload=reload/> }.into_any(),
                Err(ApiError::SignInRequired) => view! { <SignInFirst next="/account/contacts"/> }.into_any(),
                Err(other) => view! { <p class="error-text">{other.summary_message()}</p> }.into_any(),
            })}
        </Suspense>
    }
}

/// For pages that need a signed-in user, when there is none.
#[component]
pub fn SignInFirst(next: &'static str) -> impl IntoView {
    view! {
        <p>"Чтобы продолжить, войдите в учётную запись."</p>
        <ButtonLink href=format!("/sign-in?next={next}")>"Войти"</ButtonLink>
    }
}

/// «Подтверждён» / «Не подтверждён»: a contact's status, as every page shows it.
pub(super) fn confirmation(confirmed: bool) -> (Tone, &'static str) {
    if confirmed {
        (Tone::Success, "Подтверждён")
    } else {
        (Tone::Warning, "Не подтверждён")
    }
}

fn confirmed_chip(confirmed: bool) -> impl IntoView {
    let (tone, text) = confirmation(confirmed);
    view! { <StatusChip tone=tone text=text/> }
}

#[component]
fn Contacts(contacts: ContactStatus, reload: Callback<()>) -> impl IntoView {
    let all_done = contacts.email_confirmed && contacts.phone_confirmed;
    view! {
        {all_done.then(|| view! {
            <div class="notice notice--success" role="status">
                <p>"Телефон и электронная почта подтверждены. Теперь вы можете пользоваться порталом."</p>
                <p><a href="/">"Перейти на главную"</a></p>
            </div>
        })}
        {contacts.unfinished_until.clone().filter(|_| !all_done).map(|day| view! {
            <div class="notice" role="note">
                <p>{format!(
                    "Подтвердите телефон и электронную почту до {day} включительно. Иначе \
                     регистрация будет удалена, а СНИЛС, телефон и почту можно будет \
                     зарегистрировать заново."
                )}</p>
            </div>
        })}
        <section class="card" aria-labelledby="email-title">
            <h2 id="email-title">"Электронная почта " {confirmed_chip(contacts.email_confirmed)}</h2>
            <p class="contact-value">{contacts.email.clone()}</p>
            {(!contacts.email_confirmed).then(|| view! { <EmailLinkResend/> })}
        </section>
        <section class="card" aria-labelledby="phone-title">
            <h2 id="phone-title">"Мобильный телефон " {confirmed_chip(contacts.phone_confirmed)}</h2>
            <p class="contact-value">{contacts.phone.clone()}</p>
            {(!contacts.phone_confirmed).then(|| view! { <PhoneCodeForm state=contacts.phone_code.clone() reload=reload/> })}
        </section>
    }
}

#[component]
fn EmailLinkResend() -> impl IntoView {
    let resend = ServerAction::<ResendEmailLink>::new();
    let interactive = interactive();
    view! {
        <p>"Мы отправили письмо со ссылкой для подтверждения. Перейдите по ссылке из письма — она действует 24 часа."</p>
        <p role="status">
            {move || match resend.value().get() {
                Some(Ok(())) => "Новое письмо отправлено. Ссылки из прежних писем больше не действуют".to_owned(),
                Some(Err(e)) => e.summary_message(),
                None => String::new(),
            }}
        </p>
        <Button kind=ButtonKind::Secondary
            disabled=Signal::derive(move || resend.pending().get() || !interactive.get())
            on_click=Callback::new(move |_| { resend.dispatch(ResendEmailLink {}); })>
            "Отправить письмо ещё раз"
        </Button>
    }
}

/// Seconds left of a cooldown, counting down once a second in the browser.
fn countdown(start: Option<u32>) -> RwSignal<Option<u32>> {
    let left = RwSignal::new(start);
    #[cfg(feature = "hydrate")]
    {
        if let Ok(handle) = set_interval_with_handle(
            move || {
                left.update(|l| {
                    *l = l.and_then(|s| s.checked_sub(1)).filter(|s| *s > 0);
                })
            },
            std::time::Duration::from_secs(1),
        ) {
            on_cleanup(move || handle.clear());
        }
    }
    left
}

#[component]
fn PhoneCodeForm(state: PhoneCodeState, reload: Callback<()>) -> impl IntoView {
    let code = RwSignal::new(String::new());
    let form = FormErrors::new();
    let interactive = interactive();
    let confirm = ServerAction::<ConfirmPhone>::new();
    let resend = ServerAction::<ResendPhoneCode>::new();
    let resends_left = RwSignal::new(state.resends_left);
    let cooldown = countdown(state.retry_after_seconds);
    let on_code = Callback::new(move |code| {
        confirm.dispatch(ConfirmPhone { code });
    });
    Effect::new(move |_| match confirm.value().get() {
        Some(Ok(())) => reload.run(()),
        Some(Err(error)) => form.show_api_error(error),
        None => {}
    });
    // A finished cooldown starts a new series of resends.
    Effect::new(move |_| {
        if cooldown.get().is_none() && resends_left.get_untracked() == 0 {
            resends_left.set(MAX_RESENDS);
        }
    });
    let sent_note = RwSignal::new(None::<String>);
    Effect::new(move |_| match resend.value().get() {
        Some(Ok(state)) => {
            resends_left.set(state.resends_left);
            cooldown.set(state.retry_after_seconds);
            code.set(String::new());
            form.clear();
            sent_note.set(Some(
                "Новый код отправлен. Прежний код больше не действует".to_owned(),
            ));
        }
        Some(Err(ApiError::Throttled {
            retry_after_seconds,
        })) => {
            resends_left.set(0);
            cooldown.set(Some(retry_after_seconds));
        }
        Some(Err(error)) => form.show_api_error(error),
        None => {}
    });

    view! {
        <p>"Мы отправили СМС с кодом подтверждения. Код действует 10 минут."</p>
        <ErrorSummary errors=form.summary() message=form.message()/>
        <SmsCodeForm code=code form=form on_code=on_code
            busy=Signal::derive(move || confirm.pending().get() || !interactive.get())>
            <Button kind=ButtonKind::Secondary
                disabled=Signal::derive(move || resend.pending().get() || !interactive.get() || cooldown.get().is_some())
                on_click=Callback::new(move |_| { resend.dispatch(ResendPhoneCode {}); })>
                "Получить код ещё раз"
            </Button>
        </SmsCodeForm>
        <p class="hint" role="status">{move || sent_note.get()}</p>
        <p class="hint">
            {move || match cooldown.get() {
                Some(seconds) => format!("Получить код ещё раз можно через {}", wait_text(seconds)),
                None => format!("Повторных отправок осталось: {}", resends_left.get()),
            }}
        </p>
    }
}
