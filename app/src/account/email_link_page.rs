use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::contacts::confirm_email;
use crate::components::{ButtonLink, ConfirmationPanel};

/// The page an e-mail confirmation link opens: confirms the address and says what happened.
#[component]
pub fn EmailLinkPage() -> impl IntoView {
    let query = use_query_map();
    let outcome = Resource::new(
        move || query.with(|q| q.get("token").unwrap_or_default()),
        confirm_email,
    );
    view! {
        <Title text="Подтверждение электронной почты — Госуслуги"/>
        <Suspense fallback=|| view! { <p>"Проверяем ссылку…"</p> }>
            {move || outcome.get().map(|result| match result {
                Ok(()) => view! {
                    <div id="confirmation" tabindex="-1">
                        <ConfirmationPanel title="Электронная почта подтверждена"/>
                        <p>"На этот адрес будут приходить уведомления о заявлениях и ссылки для восстановления доступа."</p>
                        <ButtonLink href="/account/contacts">"К подтверждению контактов"</ButtonLink>
                    </div>
                }.into_any(),
                Err(error) => {
                    let offer_new = error.is_dead_link();
                    view! {
                        <h1 id="page-title" tabindex="-1">"Не удалось подтвердить почту"</h1>
                        <p class="error-text">{error.summary_message()}</p>
                        {offer_new.then(|| view! {
                            <p>"Новую ссылку можно отправить со страницы подтверждения контактов."</p>
                            <ButtonLink href="/account/contacts">"Отправить новую ссылку"</ButtonLink>
                        })}
                    }.into_any()
                }
            })}
        </Suspense>
    }
}
