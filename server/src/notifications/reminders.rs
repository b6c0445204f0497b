//! «Еженедельная сводка журнала активности»: on Mondays (09:30 Moscow) each parent who chose it
//! gets, for each linked minor, a letter with the week's journal by kind of entry and whether
//! the chain is intact. A daily sweep that acts on Mondays, so a missed Monday is not made up
//! twice; one summary per parent, minor and week (`sent_reminders`).

use std::sync::Arc;

use time::macros::time;
use time::{Duration, OffsetDateTime, Weekday};

use app::activity::journal::{ActivityKind, ChainState};
use app::domain::{format_ru_date, moscow_today};
use app::notifications::settings::{NoticeChannel, NoticeEvent};

use super::NotificationCentre;
use crate::activity::chain;
use crate::db::{accounts, activity_journal, link_codes, notification_settings, sent_reminders};
use crate::jobs::{self, DailySweep, JobError, JobHandler};
use crate::outbox::{self, Notice};

pub const JOURNAL_SUMMARY: DailySweep = DailySweep {
    kind: "notices.journal_summary",
    at: time!(09:30),
};

/// The job handler of [`JOURNAL_SUMMARY`].
#[derive(Clone)]
pub struct JournalSummarySweep(pub Arc<NotificationCentre>);

#[async_trait::async_trait]
impl JobHandler for JournalSummarySweep {
    fn kind(&self) -> &'static str {
        JOURNAL_SUMMARY.kind
    }

    async fn run(&self, payload: &str) -> Result<(), JobError> {
        jobs::parse_payload::<jobs::SweepPayload>(payload)?;
        let centre = &self.0;
        let now = centre.clock.now();
        if moscow_today(now).weekday() == Weekday::Monday {
            let sent = centre.send_summaries(now).await?;
            if sent > 0 {
                tracing::info!(event = "notices.journal_summaries", sent, "summaries sent");
                centre.outbox.wake();
            }
        }
        JOURNAL_SUMMARY.book_next(&centre.db, now).await?;
        Ok(())
    }

    async fn gave_up(&self, _payload: &str, _error: &str) -> Result<(), JobError> {
        JOURNAL_SUMMARY
            .book_next(&self.0.db, self.0.clock.now())
            .await?;
        Ok(())
    }
}

/// «входов — 3, использований сервисов — 1, …» for the week's entries.
pub fn summary_line(entries: &[activity_journal::StoredEntry]) -> String {
    let parts: Vec<String> = ActivityKind::ALL
        .into_iter()
        .map(|kind| {
            let count = entries.iter().filter(|e| e.kind == kind).count();
            format!("{} — {count}", kind.label())
        })
        .collect();
    parts.join(", ")
}

impl NotificationCentre {
    /// Returns how many letters were written.
    pub async fn send_summaries(&self, now: OffsetDateTime) -> Result<usize, JobError> {
        let today = moscow_today(now);
        let week_start = today - Duration::days(7);
        let mut sent = 0;
        for minor in activity_journal::minors(&self.db).await? {
            let guardians = link_codes::guardians(&self.db, minor).await?;
            let mut wanting = Vec::new();
            for guardian in guardians {
                let (settings, _) =
                    notification_settings::of_account(&self.db, guardian.account_id).await?;
                if settings.allows(NoticeEvent::JournalSummary, NoticeChannel::Email) {
                    wanting.push(guardian.account_id);
                }
            }
            if wanting.is_empty() {
                continue;
            }
            let Some(minor_account) = accounts::by_id(&self.db, minor).await? else {
                continue;
            };
            let whole = activity_journal::chain(&self.db, minor).await?;
            let verdict = match chain::verify(&whole) {
                ChainState::Intact { .. } => "Целостность журнала подтверждена.".to_owned(),
                ChainState::Broken { seq } => format!(
                    "Внимание: журнал повреждён, запись № {seq}. Сообщите в службу поддержки."
                ),
            };
            let since = now - Duration::days(7);
            let week: Vec<_> = whole
                .into_iter()
                .filter(|e| e.occurred_at >= since)
                .collect();
            let notice = Notice {
                event: NoticeEvent::JournalSummary,
                subject: format!("Журнал активности: {} за неделю", minor_account.first_name),
                text: format!(
                    "За неделю с {} по {} в журнале активности ({}) записей: {}. {}. {verdict}",
                    format_ru_date(week_start),
                    format_ru_date(today - Duration::days(1)),
                    minor_account.first_name,
                    week.len(),
                    summary_line(&week),
                ),
                link: outbox::portal_link("/documents/family"),
            };
            for parent_id in wanting {
                let Some(parent) = accounts::by_id(&self.db, parent_id).await? else {
                    continue;
                };
                let mut tx = self.db.begin().await?;
                let about = format!("journal:{minor}:{today}");
                if !sent_reminders::mark(&mut tx, parent.id, &about, now).await? {
                    continue;
                }
                outbox::notify(&mut tx, &parent, &notice, now).await?;
                tx.commit().await?;
                sent += 1;
            }
        }
        Ok(sent)
    }
}
