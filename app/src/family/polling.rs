//! While a registry check runs, the page asks the server for news with the version it already
//! shows; an unchanged answer is a few bytes. It waits 1 s, then twice as long after each
//! unchanged (or failed) answer, up to 30 s; back to 1 s after a change; it stops as soon as no
//! check is running, and when the page is left.

use leptos::prelude::*;

use super::FamilyOverview;

const FIRST_DELAY_MS: u64 = 1_000;
const MAX_DELAY_MS: u64 = 30_000;

/// The next wait after an answer: `None` when polling should stop.
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
fn next_delay_ms(previous_ms: u64, changed: bool, still_running: bool) -> Option<u64> {
    match (still_running, changed) {
        (false, _) => None,
        (true, true) => Some(FIRST_DELAY_MS),
        (true, false) => Some((previous_ms * 2).min(MAX_DELAY_MS)),
    }
}

/// While any check in what the page `shows` is running, asks for news and writes fresh answers
/// into `polled` (which the page prefers over its first load). Returns whether polling is on.
/// Nothing is written before the first change, so hydration meets the server's HTML unchanged.
pub fn keep_fresh(
    shows: Signal<Option<FamilyOverview>>,
    polled: RwSignal<Option<FamilyOverview>>,
) -> ReadSignal<bool> {
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
            let running = shows.with(|o| o.as_ref().is_some_and(FamilyOverview::in_progress));
            if running && !polling.get_untracked() {
                polling.set(true);
                schedule(shows, polled, polling, left.clone(), FIRST_DELAY_MS);
            }
        });
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (shows, polled);
    polling.read_only()
}

#[cfg(feature = "hydrate")]
fn schedule(
    shows: Signal<Option<FamilyOverview>>,
    polled: RwSignal<Option<FamilyOverview>>,
    polling: RwSignal<bool>,
    left: std::sync::Arc<std::sync::atomic::AtomicBool>,
    delay_ms: u64,
) {
    use super::{FamilyUpdate, load_family};
    use std::sync::atomic::Ordering;
    set_timeout(
        move || {
            if left.load(Ordering::Relaxed) {
                return;
            }
            let known = shows
                .try_with_untracked(|o| o.as_ref().map(|o| o.version.clone()))
                .flatten();
            leptos::task::spawn_local(async move {
                let (changed, running) = match load_family(known).await {
                    Ok(FamilyUpdate::Changed(fresh)) => {
                        let running = fresh.in_progress();
                        polled.try_set(Some(fresh));
                        (true, running)
                    }
                    // Unchanged, or the network failed: try again, later.
                    Ok(FamilyUpdate::Unchanged) | Err(_) => (false, true),
                };
                if left.load(Ordering::Relaxed) {
                    return;
                }
                match next_delay_ms(delay_ms, changed, running) {
                    Some(next) => schedule(shows, polled, polling, left, next),
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
    use super::next_delay_ms;

    #[test]
    fn backs_off_while_nothing_changes_and_stops_at_a_final_status() {
        assert_eq!(next_delay_ms(1_000, false, true), Some(2_000));
        assert_eq!(next_delay_ms(16_000, false, true), Some(30_000));
        assert_eq!(next_delay_ms(30_000, false, true), Some(30_000));
        assert_eq!(next_delay_ms(8_000, true, true), Some(1_000));
        assert_eq!(next_delay_ms(8_000, true, false), None);
    }
}
