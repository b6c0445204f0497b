//! Age transitions, run by the job queue once a day at 03:00 Moscow time on the injectable clock.
//!
//! For each child's and teen's account the sweep counts the age in full years on today's Moscow
//! date and does what is due:
//! - a month before 14 (`before_14`) and before 18 (`before_18`), a reminder;
//! - at 14 a child's account becomes a teen's (`turned_14`): the teen consents for themself, and
//!   a passport is needed to go on using services;
//! - at 18 the account becomes an adult's (`turned_18`): the parents' links end, and they keep the
//!   consents' history read-only.
//!
//! The minor and every parent with a live link get the same notice (in-app, and by e-mail to a
//! confirmed address). Each minor's changes and notices are one transaction, and `age_notices`
//! holds one row per account and notice, so a sweep that runs twice sends nothing twice. A
//! birthday already passed when the account is first seen (a teen registering at 15) gets no
//! reminder. The sweep books the next one unless one is already waiting, and removes child-account
//! wizards abandoned for more than a week.

use std::sync::Arc;

use serde::{Deserialize, Serialize};
use time::macros::time;
use time::{Date, Month, OffsetDateTime};

use app::domain::minor::{ADULT_AGE, TEEN_AGE};
use app::domain::{AgeGroup, full_years, moscow_today};

use super::letters::{self, Person};
use crate::clock::Clock;
use crate::db::age_transitions::{self as ages, Notice};
use crate::db::{Database, StorageError};
use crate::jobs::{self, JobError, JobHandler};
use crate::outbox::{Channel, Message, Outbox};
use app::domain::full_name;
use app::operations::JobStatus;

pub const AGE_SWEEP: &str = "minors.age_sweep";
/// A reminder goes out this many days before the birthday (or later, if the account is first
/// seen within them).
pub const REMIND_DAYS: i64 = 30;

/// The sweep's payload: nothing, the sweep looks at every minor.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct SweepJob {}

/// The next sweep: tomorrow (in Moscow) at 03:00 Moscow time.
pub fn next_sweep_at(now: OffsetDateTime) -> OffsetDateTime {
    jobs::tomorrow_in_moscow_at(now, time!(03:00))
}

/// The `n`th birthday; someone born on 29 February has it on 28 February in a common year, as
/// `full_years` counts.
fn birthday(birth: Date, n: u32) -> Date {
    let year = birth.year() + n as i32;
    Date::from_calendar_date(year, birth.month(), birth.day())
        .or_else(|_| Date::from_calendar_date(year, Month::February, 28))
        .unwrap_or(Date::MAX)
}

/// What is due today for an account of this age group, and the birthday it is about.
pub fn due(birth: Date, group: AgeGroup, today: Date) -> Option<(Notice, Date)> {
    let soon = |day: Date| (1..=REMIND_DAYS).contains(&(day - today).whole_days());
    match (group, AgeGroup::of_age(full_years(birth, today))) {
        (AgeGroup::Adult, _) => None,
        (_, AgeGroup::Adult) => Some((Notice::Turned18, birthday(birth, ADULT_AGE))),
        (AgeGroup::Child, AgeGroup::Teen) => Some((Notice::Turned14, birthday(birth, TEEN_AGE))),
        (_, AgeGroup::Teen) => {
            let day = birthday(birth, ADULT_AGE);
            soon(day).then_some((Notice::Before18, day))
        }
        (_, AgeGroup::Child) => {
            let day = birthday(birth, TEEN_AGE);
            soon(day).then_some((Notice::Before14, day))
        }
    }
}

/// Books the next sweep unless one of `pending` statuses already holds one.
async fn book_next(
    db: &Database,
    now: OffsetDateTime,
    pending: &[JobStatus],
) -> Result<bool, StorageError> {
    jobs::book_unless_pending(db, AGE_SWEEP, &SweepJob {}, next_sweep_at(now), pending).await
}

/// At start-up: the first sweep, unless one is waiting or running (in this or another process).
pub async fn schedule_first_sweep(
    db: &Database,
    now: OffsetDateTime,
) -> Result<bool, StorageError> {
    book_next(db, now, &[JobStatus::Queued, JobStatus::Running]).await
}

/// The job handler of [`AGE_SWEEP`].
#[derive(Clone)]
pub struct AgeSweep {
    pub db: Database,
    pub clock: Arc<dyn Clock>,
    pub outbox: Outbox,
}

#[async_trait::async_trait]
impl JobHandler for AgeSweep {
    fn kind(&self) -> &'static str {
        AGE_SWEEP
    }

    async fn run(&self, payload: &str) -> Result<(), JobError> {
        jobs::parse_payload::<SweepJob>(payload)?;
        let now = self.clock.now();
        let today = moscow_today(now);
        for minor in ages::minors(&self.db).await? {
            self.transition(minor.id, today, now).await?;
        }
        // The nightly round also clears «Создание учётной записи ребёнка» wizards left for more
        // than a week (their codes and links die with them).
        let abandoned = crate::db::child_accounts::delete_expired_drafts(&self.db, now).await?;
        if abandoned > 0 {
            tracing::info!(abandoned, "abandoned child-account wizards removed");
        }
        // This job is `running`: only another queued sweep counts as booked.
        book_next(&self.db, now, &[JobStatus::Queued]).await?;
        Ok(())
    }

    /// The sweep failed for good: the next day's still runs (an operator may retry this one).
    async fn gave_up(&self, _payload: &str, _error: &str) -> Result<(), JobError> {
        book_next(&self.db, self.clock.now(), &[JobStatus::Queued]).await?;
        Ok(())
    }
}

impl AgeSweep {
    /// What is due for one minor today, in one transaction: the new age group, the parents'
    /// links ended at 18, the notice recorded and sent to the minor and the parents.
    async fn transition(
        &self,
        minor_id: i64,
        today: Date,
        now: OffsetDateTime,
    ) -> Result<(), StorageError> {
        let mut tx = self.db.begin().await?;
        // Read again inside the transaction: another sweep may have moved the account on.
        let Some(minor) = ages::minor_in(&mut tx, minor_id).await? else {
            return Ok(());
        };
        let Some((notice, day)) = due(minor.birth_date, minor.age_group, today) else {
            return Ok(());
        };
        // Before the links end: the parents are told too.
        let guardians = ages::live_guardians(&mut tx, minor.id).await?;
        match notice {
            Notice::Turned14 => ages::set_age_group(&mut tx, minor.id, AgeGroup::Teen).await?,
            Notice::Turned18 => {
                ages::set_age_group(&mut tx, minor.id, AgeGroup::Adult).await?;
                ages::end_guardianships(&mut tx, minor.id, now).await?;
            }
            Notice::Before14 | Notice::Before18 => {}
        }
        let fresh = ages::record_notice(&mut tx, minor.id, notice, now).await?;
        if fresh {
            let name = full_name(
                &minor.last_name,
                &minor.first_name,
                minor.middle_name.as_deref(),
            );
            let minor_side = (
                Person {
                    account_id: minor.id,
                    email: &minor.email,
                    first_name: &minor.first_name,
                },
                minor.email_confirmed_at.is_some(),
            );
            let parents = guardians.iter().map(|g| {
                (
                    Person {
                        account_id: g.account_id,
                        email: &g.email,
                        first_name: &g.first_name,
                    },
                    g.email_confirmed_at.is_some(),
                )
            });
            for (person, email_confirmed) in std::iter::once(minor_side).chain(parents) {
                for message in letters::age_notice(&person, notice, &name, day) {
                    if sendable(&message, email_confirmed) {
                        self.outbox.enqueue(&mut tx, &message, now).await?;
                    }
                }
            }
        }
        tx.commit().await?;
        if fresh {
            self.outbox.wake();
        }
        Ok(())
    }
}

/// In-app always; e-mail only to a confirmed address.
fn sendable(message: &Message, email_confirmed: bool) -> bool {
    message.channel != Channel::Email || email_confirmed
}

#[cfg(test)]
mod tests {
    use time::macros::{date, datetime};

    use super::*;

    const PETER: Date = date!(2016 - 03 - 05);

    #[test]
    fn reminders_come_a_month_ahead_and_not_for_a_passed_birthday() {
        let child = AgeGroup::Child;
        assert_eq!(due(PETER, child, date!(2030 - 02 - 02)), None);
        assert_eq!(
            due(PETER, child, date!(2030 - 02 - 03)),
            Some((Notice::Before14, date!(2030 - 03 - 05)))
        );
        assert_eq!(
            due(PETER, child, date!(2030 - 03 - 04)),
            Some((Notice::Before14, date!(2030 - 03 - 05)))
        );
        assert_eq!(
            due(PETER, child, date!(2030 - 03 - 05)),
            Some((Notice::Turned14, date!(2030 - 03 - 05)))
        );
        // A teen (registered at 15) is reminded only of 18.
        let teen = AgeGroup::Teen;
        assert_eq!(due(PETER, teen, date!(2031 - 06 - 01)), None);
        assert_eq!(
            due(PETER, teen, date!(2034 - 02 - 20)),
            Some((Notice::Before18, date!(2034 - 03 - 05)))
        );
        assert_eq!(
            due(PETER, teen, date!(2034 - 03 - 05)),
            Some((Notice::Turned18, date!(2034 - 03 - 05)))
        );
        // A child's account not swept for years goes straight to an adult's.
        assert_eq!(
            due(PETER, child, date!(2035 - 01 - 01)),
            Some((Notice::Turned18, date!(2034 - 03 - 05)))
        );
        assert_eq!(due(PETER, AgeGroup::Adult, date!(2035 - 01 - 01)), None);
    }

    #[test]
    fn a_leap_day_birthday_is_on_the_28th_in_a_common_year() {
        let leap = date!(2016 - 02 - 29);
        assert_eq!(birthday(leap, 14), date!(2030 - 02 - 28));
        assert_eq!(
            due(leap, AgeGroup::Child, date!(2030 - 02 - 28)),
            Some((Notice::Turned14, date!(2030 - 02 - 28)))
        );
    }

    #[test]
    fn the_next_sweep_is_tomorrow_at_three_in_moscow() {
        // 12:30 in Moscow on 25.11 → 03:00 in Moscow on 26.11.
        assert_eq!(
            next_sweep_at(datetime!(2026-11-25 09:30 UTC)),
            datetime!(2026-11-26 00:00 UTC)
        );
        // 23:30 UTC is already 26.11 in Moscow → 27.11.
        assert_eq!(
            next_sweep_at(datetime!(2026-11-25 23:30 UTC)),
            datetime!(2026-11-27 00:00 UTC)
        );
    }
}
