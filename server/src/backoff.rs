//! When to try again after a temporary failure: exponential backoff with jitter, shared by the
//! outbox dispatcher and the job workers.

use time::Duration;

const FIRST_RETRY: Duration = Duration::seconds(10);
const LONGEST_RETRY: Duration = Duration::hours(1);

/// The wait before attempt `attempts + 1`: 10 s, 20 s, 40 s, … at most an hour, with up to a
/// fifth added (`jitter` in 0..1) so failures do not all retry in the same instant.
pub fn retry_delay(attempts: i32, jitter: f64) -> Duration {
    let doubled = FIRST_RETRY * 2f64.powi((attempts - 1).clamp(0, 20));
    let base = doubled.min(LONGEST_RETRY);
    base + base * (jitter.clamp(0.0, 1.0) * 0.2)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_back_off_exponentially_up_to_an_hour() {
        assert_eq!(retry_delay(1, 0.0), Duration::seconds(10));
        assert_eq!(retry_delay(2, 0.0), Duration::seconds(20));
        assert_eq!(retry_delay(4, 0.0), Duration::seconds(80));
        assert_eq!(retry_delay(30, 0.0), Duration::hours(1));
        assert_eq!(retry_delay(1, 1.0), Duration::seconds(12));
    }
}
