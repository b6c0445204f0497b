//! «Сеанс скоро завершится»: two minutes before the session ends for inactivity, a warning with
//! «Продолжить работу»; when it has ended, a way to sign in again. The server decides — this only
//! keeps the user from losing a half-filled form without notice.

use leptos::prelude::*;

use super::profile::ExtendSession;
use super::session::use_session;
use crate::messages::wait_text;

/// Seconds before the end at which the warning appears.
pub const WARN_BEFORE: i64 = 120;

/// What the user should see with this many seconds of the session left.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expiry {
    Quiet,
    Warning(u32),
    Ended,
}

pub fn expiry(seconds_left: i64) -> Expiry {
    if seconds_left <= 0 {
        Expiry::Ended
    } else if seconds_left <= WARN_BEFORE {
        Expiry::Warning(seconds_left as u32)
    } else {
        Expiry::Quiet
    }
}

#[component]
pub fn ExpiryWarning() -> impl IntoView {
    let session = use_session();
    let left = RwSignal::new(None::<i64>);
    let extend = ServerAction::<ExtendSession>::new();
    // A fresh answer from the server restarts the countdown.
    Effect::new(move |_| left.set(session.user().map(|u| u.idle_seconds_left)));
    Effect::new(move |_| {
        if let Some(Ok(seconds)) = extend.value().get() {
            left.set(Some(seconds));
        }
    });
    #[cfg(feature = "hydrate")]
    {
        if let Ok(handle) = set_interval_with_handle(
            move || left.update(|l| *l = l.map(|s| s - 1)),
            std::time::Duration::from_secs(1),
        ) {
            on_cleanup(move || handle.clear());
        }
    }
    let state = move || left.get().map(expiry).unwrap_or(Expiry::Quiet);
    let focus_on_warning = move || {
        crate::components::focus_element("expiry-warning");
    };
    Effect::new(move |previous: Option<Expiry>| {
        let now = state();
        if matches!(now, Expiry::Warning(_) | Expiry::Ended) && previous == Some(Expiry::Quiet) {
            focus_on_warning();
        }
        now
    });
    view! {
        {move || match state() {
            Expiry::Quiet => ().into_any(),
            Expiry::Warning(seconds) => view! {
                <div id="expiry-warning" class="expiry" role="alertdialog" aria-labelledby="expiry-title" tabindex="-1">
                    <h2 id="expiry-title" class="expiry__title">"Сеанс скоро завершится"</h2>
                    <p>{format!("Через {} вы выйдете из учётной записи, если не продолжите работу. Несохранённые данные будут потеряны.", wait_text(seconds))}</p>
                    <button type="button" class="button" on:click=move |_| { extend.dispatch(ExtendSession {}); }>
                        "Продолжить работу"
                    </button>
                </div>
            }.into_any(),
            Expiry::Ended => view! {
                <div id="expiry-warning" class="expiry" role="alertdialog" aria-labelledby="expiry-title" tabindex="-1">
                    <h2 id="expiry-title" class="expiry__title">"Сеанс завершён"</h2>
                    <p>"Вы долго не пользовались порталом, и мы завершили сеанс, чтобы никто не воспользовался вашей учётной записью."</p>
                    <a class="button" href="/sign-in">"Войти снова"</a>
                </div>
            }.into_any(),
        }}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn warns_in_the_last_two_minutes_then_ends() {
        assert_eq!(expiry(1800), Expiry::Quiet);
        assert_eq!(expiry(121), Expiry::Quiet);
        assert_eq!(expiry(120), Expiry::Warning(120));
        assert_eq!(expiry(1), Expiry::Warning(1));
        assert_eq!(expiry(0), Expiry::Ended);
    }
}
