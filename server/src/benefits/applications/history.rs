//! `ApplicationHistory`: «История обращений» for its own parent only. A number searched for is
//! read back into its application, benefit and year, so the search is one indexed lookup.

use app::api::{ServiceError, SignedInAccount};
use app::benefits::history::{
    ApplicationHistory, HISTORY_PAGE, HistoryPage, HistoryQuery, HistoryRow,
};
use app::domain::date::MOSCOW;
use app::domain::format_ru_datetime;
use time::{Date, Duration, Month, OffsetDateTime, PrimitiveDateTime, Time};

use super::Applications;
use crate::db::application_history::{self as history, HistoryQuery as Stored};
use crate::db::applications::SentContent;

/// Midnight of `day` in Moscow.
fn moscow_midnight(day: Date) -> OffsetDateTime {
    PrimitiveDateTime::new(day, Time::MIDNIGHT).assume_offset(MOSCOW)
}

impl Applications {
    /// The stored query for a checked filter; `None` when nothing can match (a number of
    /// another benefit than the one chosen, or of a year outside the dates).
    pub(crate) fn stored_query<'a>(&'a self, query: &'a HistoryQuery) -> Option<Stored<'a>> {
        let mut from = query.from.map(moscow_midnight);
        let mut until = query
            .to
            .map(|to| moscow_midnight(to.saturating_add(Duration::days(1))));
        let mut benefit = query.benefit.as_deref();
        let mut id = None;
        if let Some(number) = &query.number {
            let numbered = self.catalogue.by_service_number(&number.service_number)?;
            if benefit.is_some_and(|chosen| chosen != numbered.code) {
                return None;
            }
            benefit = Some(numbered.code.as_str());
            let year_starts = Date::from_calendar_date(number.year, Month::January, 1).ok()?;
            let next_year = Date::from_calendar_date(number.year + 1, Month::January, 1).ok()?;
            from = from.max(Some(moscow_midnight(year_starts)));
            until = Some(until.map_or(moscow_midnight(next_year), |u| {
                u.min(moscow_midnight(next_year))
            }));
            id = Some(number.id);
        }
        Some(Stored {
            from,
            until,
            status: query.status,
            benefit,
            id,
        })
    }

    /// A stored row as the history shows it.
    pub(crate) fn history_row(&self, row: history::HistoryRow) -> Result<HistoryRow, ServiceError> {
        let benefit = self.benefit(&row.benefit_code)?;
        let content: SentContent = serde_json::from_str(&row.content)
            .map_err(|e| ServiceError::unexpected(format!("application {}: {e}", row.id)))?;
        Ok(HistoryRow {
            id: row.id,
            number: benefit.application_number(row.submitted_at, row.id),
            benefit_name: benefit.name.clone(),
            child_name: content.child.name,
            submitted_at: format_ru_datetime(row.submitted_at),
            status: row.status,
            status_since: format_ru_datetime(row.status_since),
            officer_comment: row.officer_comment,
        })
    }
}

#[async_trait::async_trait]
impl ApplicationHistory for Applications {
    async fn page(
        &self,
        parent: &SignedInAccount,
        query: HistoryQuery,
    ) -> Result<HistoryPage, ServiceError> {
        let Some(stored) = self.stored_query(&query) else {
            return Ok(HistoryPage {
                rows: Vec::new(),
                total: 0,
                page: 0,
            });
        };
        let limit = i64::from(HISTORY_PAGE);
        let (rows, total) = history::page(
            &self.db,
            parent.account_id,
            &stored,
            limit,
            i64::from(query.page) * limit,
        )
        .await?;
        Ok(HistoryPage {
            rows: rows
                .into_iter()
                .map(|row| self.history_row(row))
                .collect::<Result<_, _>>()?,
            total,
            page: query.page,
        })
    }
}
