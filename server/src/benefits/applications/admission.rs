//! Admission control for «Отправить»: a ceiling per account and one for the whole process, and a
//! bound on intakes in flight. Beyond any of them the caller gets `Throttled` (429 with
//! `Retry-After`) before any work is done, so the server stays well inside its capacity; an
//! admitted submission runs to its commit. The browser waits and retries with the same key.
//! In memory, per process: several processes each hold their own share.

use std::num::NonZeroU32;
use std::sync::Arc;

use app::api::ServiceError;
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultDirectRateLimiter, DefaultKeyedRateLimiter, NotUntil, Quota, RateLimiter};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// The ceilings, from the configuration.
#[derive(Debug, Clone, Copy)]
pub struct AdmissionLimits {
    /// Submissions one account may make per minute (a family applies a few times a year).
    pub per_account_per_minute: u32,
    /// Submissions per second for the whole process.
    pub per_second: u32,
    /// Intakes running at once; more wait in no queue, they are told to come back.
    pub in_flight: usize,
}

pub struct Admission {
    per_account: Arc<DefaultKeyedRateLimiter<i64>>,
    global: DefaultDirectRateLimiter,
    in_flight: Arc<Semaphore>,
}

/// Held while an admitted intake runs.
#[derive(Debug)]
pub struct Admitted(#[allow(dead_code)] OwnedSemaphorePermit);

pub(crate) fn nonzero(n: u32) -> NonZeroU32 {
    NonZeroU32::new(n.max(1)).unwrap_or(NonZeroU32::MIN)
}

/// Whole seconds until the limiter has room again, at least one.
pub(crate) fn retry_after(not_until: &NotUntil<<DefaultClock as Clock>::Instant>) -> u32 {
    let wait = not_until.wait_time_from(DefaultClock::default().now());
    u32::try_from(wait.as_secs() + u64::from(wait.subsec_nanos() > 0))
        .unwrap_or(u32::MAX)
        .max(1)
}

/// A ceiling per account and hour, whose idle accounts are forgotten.
pub(crate) fn per_account_per_hour(n: u32) -> Arc<DefaultKeyedRateLimiter<i64>> {
    let limiter = Arc::new(RateLimiter::keyed(
        Quota::per_hour(nonzero(n)).allow_burst(nonzero(n)),
    ));
    crate::abuse::forget_idle_keys(Arc::downgrade(&limiter));
    limiter
}

impl Admission {
    pub fn new(limits: AdmissionLimits) -> Self {
        let per_account = Arc::new(RateLimiter::keyed(
            Quota::per_minute(nonzero(limits.per_account_per_minute))
                .allow_burst(nonzero(limits.per_account_per_minute)),
        ));
        crate::abuse::forget_idle_keys(Arc::downgrade(&per_account));
        Self {
            per_account,
            global: RateLimiter::direct(Quota::per_second(nonzero(limits.per_second))),
            in_flight: Arc::new(Semaphore::new(limits.in_flight.max(1))),
        }
    }

    /// Admits one submission of `account`, or says how long to wait.
    pub fn admit(&self, account: i64) -> Result<Admitted, ServiceError> {
        let throttled = |retry_after_seconds| ServiceError::Throttled {
            retry_after_seconds,
        };
        self.per_account
            .check_key(&account)
            .map_err(|n| throttled(retry_after(&n)))?;
        let permit = self
            .in_flight
            .clone()
            .try_acquire_owned()
            .map_err(|_| throttled(1))?;
        self.global
            .check()
            .map_err(|n| throttled(retry_after(&n)))?;
        Ok(Admitted(permit))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits(per_account: u32, per_second: u32, in_flight: usize) -> AdmissionLimits {
        AdmissionLimits {
            per_account_per_minute: per_account,
            per_second,
            in_flight,
        }
    }

    #[tokio::test]
    async fn one_account_over_its_ceiling_waits_and_others_go_on() {
        let admission = Admission::new(limits(2, 1_000, 10));
        assert!(admission.admit(1).is_ok());
        assert!(admission.admit(1).is_ok());
        match admission.admit(1) {
            Err(ServiceError::Throttled {
                retry_after_seconds,
            }) => assert!((1..=30).contains(&retry_after_seconds)),
            other => panic!("{other:?}"),
        }
        assert!(
            admission.admit(2).is_ok(),
            "another family is not locked out"
        );
    }

    #[tokio::test]
    async fn intakes_in_flight_are_bounded_and_a_finished_one_makes_room() {
        let admission = Admission::new(limits(100, 1_000, 2));
        let first = admission.admit(1).unwrap();
        let _second = admission.admit(2).unwrap();
        assert!(matches!(
            admission.admit(3),
            Err(ServiceError::Throttled { .. })
        ));
        drop(first);
        assert!(admission.admit(3).is_ok());
    }

    #[tokio::test]
    async fn the_process_ceiling_holds_for_everyone() {
        let admission = Admission::new(limits(100, 3, 100));
        let admitted = (0..10).filter(|i| admission.admit(*i).is_ok()).count();
        assert_eq!(admitted, 3);
    }
}
