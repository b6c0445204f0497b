//! The frame around every page: skip link, header, the seed's sections as navigation, footer.

use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_navigate};

use crate::account::{ExpiryWarning, SignOut, provide_session, use_session};
use crate::notifications::{UnreadBadge, provide_unread};

/// The portal's sections, in the order the portal shows them.
pub const SECTIONS: [(&str, &str); 6] = [
    ("/", "Главная"),
    ("/documents", "Документы"),
    ("/benefits", "Льготы"),
    ("/applications", "Заявки"),
    ("/notifications", "Уведомления"),
    ("/help", "Помощь"),
];

fn is_current(section: &str, path: &str) -> bool {
    if section == "/" {
        path == "/"
    } else {
        path == section || path.starts_with(&format!("{section}/"))
    }
}

#[component]
pub fn Layout(children: Children) -> impl IntoView {
    // One view of who is signed in for the header, the pages and the expiry warning.
    provide_session();
    provide_unread();
    let location = use_location();
    let links = SECTIONS
        .into_iter()
        .map(|(href, name)| {
            let current = move || is_current(href, &location.pathname.get()).then_some("page");
            view! {
                <li>
                    <a class="nav__link" href=href aria-current=current>
                        {name}{(href == "/notifications").then(|| view! { <UnreadBadge/> })}
                    </a>
                </li>
            }
        })
        .collect_view();
    // Officers and administrators also get their back office; the server checks the role. The
    // session is a resource: read inside a Transition, as the account menu reads it, so the
    // server and the hydrating browser draw the same list (outside one, the server drew no link
    // and the browser expected it, and hydration failed on every page an officer opened).
    let session = use_session();
    let back_office = move || {
        session.user().filter(|u| u.officer).map(|_| {
            let current = is_current("/officer", &location.pathname.get()).then_some("page");
            view! { <li><a class="nav__link" href="/officer" aria-current=current>"Рабочее место"</a></li> }
        })
    };
    view! {
        <a class="skip-link" href="#main">"Перейти к основному содержанию"</a>
        <header class="header">
            <div class="container header__inner">
                <a class="header__brand" href="/">
                    <span class="header__logo" aria-hidden="true">"Г"</span>
                    <span>"Госуслуги · Семья и дети"</span>
                </a>
                <AccountMenu/>
            </div>
            <nav class="nav" aria-label="Разделы портала">
                <ul class="container nav__list">{links}<Transition fallback=|| ()>{back_office}</Transition></ul>
            </nav>
        </header>
        <main id="main" class="container main" tabindex="-1">{children()}</main>
        <ExpiryWarning/>
        <footer class="footer">
            <div class="container">
                <p>"Портал государственных услуг для семей с детьми"</p>
                <p><a href="/help">"Помощь и поддержка"</a></p>
            </div>
        </footer>
    }
}

/// The header's right side: «Войти», or the signed-in user's name and «Выйти».
#[component]
fn AccountMenu() -> impl IntoView {
    let session = use_session();
    let sign_out = ServerAction::<SignOut>::new();
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(())) = sign_out.value().get() {
            session.refresh();
            navigate("/sign-in", Default::default());
        }
    });
    view! {
        <div class="header__account">
            <Transition fallback=|| ()>
                {move || match session.known() {
                    Some(true) => {
                        let name = session.user().map(|u| u.name).unwrap_or_default();
                        view! {
                            <a class="header__link" href="/profile">{name}</a>
                            <button type="button" class="header__button"
                                on:click=move |_| { sign_out.dispatch(SignOut {}); }>
                                "Выйти"
                            </button>
                        }.into_any()
                    }
                    Some(false) => view! { <a class="header__link" href="/sign-in">"Войти"</a> }.into_any(),
                    None => ().into_any(),
                }}
            </Transition>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::is_current;

    #[test]
    fn marks_the_section_of_nested_pages() {
        assert!(is_current("/", "/"));
        assert!(!is_current("/", "/help"));
        assert!(is_current("/help", "/help/question"));
        assert!(!is_current("/help", "/helpful"));
    }
}
