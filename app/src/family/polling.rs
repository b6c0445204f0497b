//! While a registry check runs, the page asks the server for news with the version it already
//! shows; an unchanged answer is a few bytes. The rhythm is `api::polling`'s.

use leptos::prelude::*;

use super::FamilyOverview;
use crate::api::polling::{Polled, keep_polling};

/// While any check in what the page `shows` is running, asks for news and writes fresh answers
/// into `polled` (which the page prefers over its first load). Returns whether polling is on.
pub fn keep_fresh(
    shows: Signal<Option<FamilyOverview>>,
    polled: RwSignal<Option<FamilyOverview>>,
) -> ReadSignal<bool> {
    let running = move || shows.with(|o| o.as_ref().is_some_and(FamilyOverview::in_progress));
    let ask = move || async move {
        use super::{FamilyUpdate, load_family};
        let known = shows
            .try_with_untracked(|o| o.as_ref().map(|o| o.version.clone()))
            .flatten();
        match load_family(known).await {
            Ok(FamilyUpdate::Changed(fresh)) => {
                let still_running = fresh.in_progress();
                polled.try_set(Some(fresh));
                Polled::Changed { still_running }
            }
            Ok(FamilyUpdate::Unchanged) | Err(_) => Polled::Unchanged,
        }
    };
    keep_polling(running, ask)
}
