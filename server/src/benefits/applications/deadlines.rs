//! «Напоминание о предстоящих сроках»: three days before the 30 days to appeal a refusal run
//! out (and on each day after, once), the family is reminded on the channels they chose for the
//! event. Run by the daily sweep of `overdue`; one reminder per application, ever.

use time::{Duration, OffsetDateTime};

use app::domain::application_status::{APPEAL_DAYS, appeal_closes_after};
use app::domain::date::MOSCOW;
use app::domain::{format_ru_date, moscow_today};
use app::notifications::settings::NoticeEvent;

use super::Applications;
use crate::db::{accounts, decisions, sent_reminders};
use crate::jobs::JobError;
use crate::outbox::Notice;

/// How many days before the window closes the reminder goes.
pub const REMIND_DAYS_BEFORE: i64 = 3;
const ROUND: i64 = 1_000;

impl Applications {
    /// Returns how many families were reminded.
    pub(super) async fn remind_appeals(&self, now: OffsetDateTime) -> Result<usize, JobError> {
        let today = moscow_today(now);
        let since = now - Duration::days(APPEAL_DAYS + 1);
        let mut told = 0;
        for row in decisions::refused_since(&self.db, since, ROUND).await? {
            let Some(refused_at) = row.refused_at else {
                continue;
            };
            let last_day = appeal_closes_after(refused_at.to_offset(MOSCOW).date());
            let days_left = (last_day - today).whole_days();
            if !(0..=REMIND_DAYS_BEFORE).contains(&days_left) {
                continue;
            }
            let Some(parent) = accounts::by_id(&self.db, row.parent_account_id).await? else {
                continue;
            };
            let Some(benefit) = self.catalogue.find(&row.benefit_code) else {
                continue;
            };
            let number = benefit.application_number(row.submitted_at, row.id);
            let mut tx = self.db.begin().await?;
            let about = format!("appeal:{}", row.id);
            if !sent_reminders::mark(&mut tx, parent.id, &about, now).await? {
                continue;
            }
            let notice = Notice {
                event: NoticeEvent::DeadlineReminder,
                subject: format!("Срок обжалования по заявлению № {number} истекает"),
                text: format!(
                    "Оспорить отказ по заявлению «{}» можно до {} включительно. После этого \
                     жалоба не принимается.",
                    benefit.name,
                    format_ru_date(last_day)
                ),
                link: format!("{}/applications/{}", self.public_url, row.id),
            };
            self.outbox.notify(&mut tx, &parent, &notice, now).await?;
            tx.commit().await?;
            told += 1;
        }
        Ok(told)
    }
}
