//! The page the «Подтвердить адрес» letter opens (`/child-account/email?token=…`): confirms the
//! child's address and says what the parent does next.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::wizard::confirm_child_email;
use crate::components::{ButtonLink, ConfirmationPanel};

#[component]
pub fn ChildEmailLinkPage() -> impl IntoView {
    let query = use_query_map();
    let outcome = Resource::new(
        move || query.with(|q| q.get("token").unwrap_or_default()),
        confirm_child_email,
    );
    view! {
        <Title text="Подтверждение электронной почты ребёнка — Госуслуги"/>
        <Suspense fallback=|| view! { <p>"Проверяем ссылку…"</p> }>
            {move || outcome.get().map(|result| match result {
                Ok(confirmed) => view! {
                    <div id="confirmation" tabindex="-1">
                        <ConfirmationPanel title="Адрес электронной почты подтверждён"/>
                        <p>{format!(
                            "Осталось задать пароль для входа в учётную запись ребёнка ({}). Это делает родитель, который начал её создавать, — в своём личном кабинете.",
                            confirmed.child_first_name
                        )}</p>
                        <ButtonLink href=format!("/documents/family/children/{}/account", confirmed.child_id)>"Задать пароль"</ButtonLink>
                    </div>
                }.into_any(),
                Err(error) => {
                    let offer_new = error.is_dead_link();
                    view! {
                        <h1 id="page-title" tabindex="-1">"Не удалось подтвердить почту"</h1>
                        <p class="error-text">{error.summary_message()}</p>
                        {offer_new.then(|| view! {
                            <p>"Родитель может отправить новое письмо: «Семья и дети» → карточка ребёнка → «Продолжить создание»."</p>
                        })}
                    }.into_any()
                }
            })}
        </Suspense>
    }
}
