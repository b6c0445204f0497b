use leptos::prelude::*;

use crate::components::{StatusChip, Tone};

/// What each status of an application means, under «Мои заявки».
#[component]
pub fn StatusGuide() -> impl IntoView {
    view! {
        <h2>"Что означают статусы"</h2>
        <dl class="statuses">
            <dt><StatusChip tone=Tone::Info text="На рассмотрении"/></dt>
            <dd>"Заявление получено, ведомство его проверяет."</dd>
            <dt><StatusChip tone=Tone::Warning text="Требуется уточнение"/></dt>
            <dd>"Ведомству нужен документ или исправление: добавьте его и отправьте заявление повторно."</dd>
            <dt><StatusChip tone=Tone::Success text="Одобрено"/></dt>
            <dd>"Решение принято в вашу пользу."</dd>
            <dt><StatusChip tone=Tone::Error text="Отклонено"/></dt>
            <dd>"В решении указана причина. Его можно оспорить в течение 30 дней."</dd>
        </dl>
        <p>
            "Если решения нет больше 30 дней, "
            <a href="/help/question">"обратитесь в поддержку"</a>
            "."
        </p>
    }
}
