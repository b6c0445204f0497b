//! How a page follows something that changes on the server (a registry check, an application's
//! status) without a reload: it asks again after 1 s, then twice as long after each unchanged
//! (or failed) answer, up to 30 s; back to 1 s after a change; it stops once nothing runs, and
//! when the page is left. Each feature says what to ask and how to tell a change.

use leptos::prelude::*;

const FIRST_DELAY_MS: u64 = 1_000;
const MAX_DELAY_MS: u64 = 30_000;

/// One answer: whether it changed what the page shows, and whether anything still runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Polled {
    Changed {
        still_running: bool,
    },
    /// Unchanged, or the network failed: ask again, later.
    Unchanged,
}

/// The next wait after an answer: `None` when polling should stop.
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
fn next_delay_ms(previous_ms: u64, answer: Polled) -> Option<u64> {
    match answer {
        Polled::Changed {
            still_running: false,
        } => None,
        Polled::Changed {
            still_running: true,
        } => Some(FIRST_DELAY_MS),
        Polled::Unchanged => Some((previous_ms * 2).min(MAX_DELAY_MS)),
    }
}

/// While `running()` is true, calls `ask()` with back-off; `ask` writes what it learnt into the
/// page's signals and says whether it changed. Returns whether polling is on. Nothing is asked
/// before the first delay, so hydration meets the server's HTML unchanged.
pub fn keep_polling<Running, Ask, Asked>(running: Running, ask: Ask) -> ReadSignal<bool>
where
    Running: Fn() -> bool + 'static,
    Ask: Fn() -> Asked + Clone + 'static,
    Asked: std::future::Future<Output = Polled> + 'static,
{
    let polling = RwSignal::new(false);
    #[cfg(feature = "hydrate")]
    {
        use std::sync::Arc;
        use std::sync::atomic::{AtomicBool, Ordering};
        let left = Arc::new(AtomicBool::new(false));
        on_cleanup({
            let left = left.clone();
            move || left.store(true, Ordering::Relaxed)
        });
        Effect::new(move |_| {
            if running() && !polling.get_untracked() {
                polling.set(true);
                schedule(ask.clone(), polling, left.clone(), FIRST_DELAY_MS);
            }
        });
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (running, ask);
    polling.read_only()
}

#[cfg(feature = "hydrate")]
fn schedule<Ask, Asked>(
    ask: Ask,
    polling: RwSignal<bool>,
    left: std::sync::Arc<std::sync::atomic::AtomicBool>,
    delay_ms: u64,
) where
    Ask: Fn() -> Asked + Clone + 'static,
    Asked: std::future::Future<Output = Polled> + 'static,
{
    use std::sync::atomic::Ordering;
    set_timeout(
        move || {
            if left.load(Ordering::Relaxed) {
                return;
            }
            leptos::task::spawn_local(async move {
                let answer = ask().await;
                if left.load(Ordering::Relaxed) {
                    return;
                }
                match next_delay_ms(delay_ms, answer) {
                    Some(next) => schedule(ask, polling, left, next),
                    None => {
                        polling.try_set(false);
                    }
                }
            });
        },
        std::time::Duration::from_millis(delay_ms),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backs_off_while_nothing_changes_and_stops_once_nothing_runs() {
        let running = Polled::Changed {
            still_running: true,
        };
        let done = Polled::Changed {
            still_running: false,
        };
        assert_eq!(next_delay_ms(1_000, Polled::Unchanged), Some(2_000));
        assert_eq!(next_delay_ms(16_000, Polled::Unchanged), Some(30_000));
        assert_eq!(next_delay_ms(30_000, Polled::Unchanged), Some(30_000));
        assert_eq!(next_delay_ms(8_000, running), Some(1_000));
        assert_eq!(next_delay_ms(8_000, done), None);
    }
}
