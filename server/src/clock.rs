//! Time comes from an injectable clock so tests can fix or move it. The trait lives in `app` so
//! server functions can read the same clock.

use time::OffsetDateTime;

pub use app::api::Clock;

pub struct SystemClock;

impl Clock for SystemClock {
    /// Whole seconds: SQLite keeps timestamps as RFC 3339 text, and text of one shape sorts in
    /// time order, so range queries (`at > $1`) work the same on both engines.
    fn now(&self) -> OffsetDateTime {
        let now = OffsetDateTime::now_utc();
        now.replace_nanosecond(0).unwrap_or(now)
    }
}
