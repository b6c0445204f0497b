use leptos::prelude::*;
use leptos_meta::Title;

/// Answers with HTTP 404 when rendered on the server.
#[component]
pub fn NotFoundPage() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::NOT_FOUND);
    }
    view! {
        <Title text="Страница не найдена — Госуслуги"/>
        <h1>"Страница не найдена"</h1>
        <p>"Если вы ввели адрес вручную, проверьте, нет ли в нём ошибки."</p>
        <p>"Если вы перешли по ссылке, возможно, страница была перемещена."</p>
        <p><a href="/">"Перейти на главную"</a></p>
    }
}
