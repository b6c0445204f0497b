//! «История обращений»: every application of the family with its status, date and number;
//! filters by date of sending, status and benefit, «Поиск по номеру обращения», pages, and the
//! chosen rows exported as CSV or as a signed PDF. The filter lives in the page's address, so a
//! reload, a shared link and the export all read the same filter.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use time::Date;

use super::status::ApplicationStatus;
pub use crate::api::with_query;
use crate::api::{ApiError, FieldError};
#[cfg(feature = "ssr")]
use crate::api::{ServiceError, SignedInAccount, request, service};
pub use crate::domain::ApplicationNumber;
use crate::field_checks;

/// Rows per page.
pub const HISTORY_PAGE: u32 = 20;
/// The most rows one export holds (a filter matching more exports the newest this many).
pub const EXPORT_LIMIT: i64 = 1000;
/// The most rows one can choose for an export.
pub const MAX_CHOSEN: usize = 100;

pub const HISTORY_PATH: &str = "/applications/history";
/// `GET` with the filter, `format=csv|pdf` and the chosen `id`s.
pub const EXPORT_PATH: &str = "/applications/history/export";

/// Field ids of the filter form.
pub mod fields {
    pub const FROM: &str = "from";
    pub const TO: &str = "to";
    pub const NUMBER: &str = "number";
}

/// The filter as typed; [`HistoryFilter::check`] reads it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct HistoryFilter {
    /// Sent on or after, ДД.ММ.ГГГГ; empty for any.
    pub from: String,
    /// Sent on or before, ДД.ММ.ГГГГ; empty for any.
    pub to: String,
    pub status: Option<ApplicationStatus>,
    /// A benefit's code.
    pub benefit: Option<String>,
    /// «Поиск по номеру обращения»: the whole number, as printed.
    pub number: String,
    /// From 0.
    pub page: u32,
}

/// The filter read and checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryQuery {
    pub from: Option<Date>,
    pub to: Option<Date>,
    pub status: Option<ApplicationStatus>,
    pub benefit: Option<String>,
    pub number: Option<ApplicationNumber>,
    pub page: u32,
}

impl HistoryFilter {
    /// Reads the filter; every wrong field is reported at once, in the form's order.
    pub fn check(&self) -> Result<HistoryQuery, Vec<FieldError>> {
        let (from, to, mut errors) =
            field_checks::date_range((fields::FROM, &self.from), (fields::TO, &self.to));
        let number = match self.number.trim() {
            "" => None,
            typed => match ApplicationNumber::parse(typed) {
                Some(number) => Some(number),
                None => {
                    errors.push(FieldError::new(
                        fields::NUMBER,
                        "number.format",
                        "Введите номер обращения целиком, как в квитанции: например \
                         600101-2026-0000042",
                    ));
                    None
                }
            },
        };
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(HistoryQuery {
            from,
            to,
            status: self.status,
            benefit: self.benefit.clone().filter(|b| !b.is_empty()),
            number,
            page: self.page,
        })
    }

    /// The filter as the page's address says it (`?status=…&page=2`, pages counted from 1).
    pub fn from_query(get: impl Fn(&str) -> Option<String>) -> Self {
        HistoryFilter {
            from: get(fields::FROM).unwrap_or_default(),
            to: get(fields::TO).unwrap_or_default(),
            status: get("status").and_then(|s| ApplicationStatus::parse(&s)),
            benefit: get("benefit").filter(|b| !b.is_empty()),
            number: get(fields::NUMBER).unwrap_or_default(),
            page: get("page")
                .and_then(|p| p.parse::<u32>().ok())
                .map_or(0, |p| p.saturating_sub(1)),
        }
    }

    /// The filter's query pairs, without the page.
    pub fn pairs(&self) -> Vec<(&'static str, String)> {
        let mut pairs = Vec::new();
        let mut text = |name: &'static str, value: &str| {
            let value = value.trim();
            if !value.is_empty() {
                pairs.push((name, value.to_owned()));
            }
        };
        text(fields::FROM, &self.from);
        text(fields::TO, &self.to);
        text("status", self.status.map_or("", |s| s.as_str()));
        text("benefit", self.benefit.as_deref().unwrap_or_default());
        text(fields::NUMBER, &self.number);
        pairs
    }

    /// The address of this filter at another page (from 0).
    pub fn href(&self, page: u32) -> String {
        let mut pairs = self.pairs();
        if page > 0 {
            pairs.push(("page", (page + 1).to_string()));
        }
        with_query(HISTORY_PATH, &pairs)
    }
}

/// One row of the history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryRow {
    pub id: i64,
    pub number: String,
    pub benefit_name: String,
    /// «Иванов Пётр Андреевич».
    pub child_name: String,
    /// «03.12.2026 14:05», Moscow time.
    pub submitted_at: String,
    pub status: ApplicationStatus,
    /// When it entered its present status.
    pub status_since: String,
    /// What an officer wrote last (a request, a reason, a comment); empty when nothing.
    pub officer_comment: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryPage {
    pub rows: Vec<HistoryRow>,
    pub total: i64,
    pub page: u32,
}

impl HistoryPage {
    pub fn pages(&self) -> u32 {
        u32::try_from(self.total.max(0))
            .unwrap_or(u32::MAX)
            .div_ceil(HISTORY_PAGE)
    }
}

/// The export's file format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExportFormat {
    /// UTF-8 with a byte-order mark, `;` between cells: opens in a spreadsheet as it is.
    Csv,
    /// A signed PDF from the receipt machinery.
    Pdf,
}

impl ExportFormat {
    pub fn parse(code: &str) -> Option<Self> {
        match code {
            "csv" => Some(ExportFormat::Csv),
            "pdf" => Some(ExportFormat::Pdf),
            _ => None,
        }
    }
}

#[server(prefix = "/api", endpoint = "benefits/history")]
pub async fn load_history(
    #[server(default)] filter: HistoryFilter,
) -> Result<HistoryPage, ApiError> {
    let query = filter.check().map_err(ApiError::Invalid)?;
    let parent = request::require_account().await?;
    Ok(service::<dyn ApplicationHistory>()?
        .page(&parent, query)
        .await?)
}

/// The family's history of applications; every read names the caller.
#[cfg(feature = "ssr")]
#[async_trait::async_trait]
pub trait ApplicationHistory: Send + Sync {
    async fn page(
        &self,
        parent: &SignedInAccount,
        query: HistoryQuery,
    ) -> Result<HistoryPage, ServiceError>;
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn filter(from: &str, to: &str, number: &str) -> HistoryFilter {
        HistoryFilter {
            from: from.to_owned(),
            to: to.to_owned(),
            number: number.to_owned(),
            ..HistoryFilter::default()
        }
    }

    #[test]
    fn a_filter_is_read_with_every_error_at_its_field() {
        let query = filter("01.11.2026", " 30.11.2026", "600101-2026-0000007")
            .check()
            .unwrap();
        assert_eq!(query.from, Some(date!(2026 - 11 - 01)));
        assert_eq!(query.to, Some(date!(2026 - 11 - 30)));
        assert_eq!(query.number.map(|n| n.id), Some(7));
        assert_eq!(filter("", "", "").check().unwrap().from, None);

        let codes = |f: HistoryFilter| -> Vec<(String, String)> {
            f.check()
                .unwrap_err()
                .into_iter()
                .map(|e| (e.field, e.code))
                .collect()
        };
        let pair = |field: &str, code: &str| (field.to_owned(), code.to_owned());
        assert_eq!(
            codes(filter("2026-11-01", "31.11.2026", "7")),
            [
                pair("from", "date.format"),
                pair("to", "date.no_such_day"),
                pair("number", "number.format"),
            ]
        );
        assert_eq!(
            codes(filter("02.11.2026", "01.11.2026", "")),
            [pair("to", "date.before_from")]
        );
    }

    #[test]
    fn the_address_round_trips_and_encodes_what_was_typed() {
        let filter = HistoryFilter {
            from: "01.11.2026".to_owned(),
            status: Some(ApplicationStatus::Rejected),
            benefit: Some("unified-allowance".to_owned()),
            number: "a&b=c d".to_owned(),
            page: 2,
            ..HistoryFilter::default()
        };
        let href = filter.href(2);
        assert_eq!(
            href,
            "/applications/history?from=01.11.2026&status=rejected&benefit=unified-allowance\
             &number=a%26b%3Dc%20d&page=3"
        );
        assert!(!filter.href(0).contains("page"));
        assert_eq!(HistoryFilter::default().href(0), HISTORY_PATH);
    }
}
