//! `GET /applications/history/export`: the rows chosen in «История обращений» (or, none chosen,
//! every row the filter finds, up to [`EXPORT_LIMIT`]) as a CSV file for a spreadsheet or as a
//! signed PDF extract from the receipt machinery. Only the signed-in parent's own applications
//! are ever read; another family's id matches nothing.
//!
//! The CSV is UTF-8 with a byte-order mark and `;` between cells (what a spreadsheet set to
//! Russian opens as columns without an import dialog), lines end in CRLF, and a cell that a
//! spreadsheet would run as a formula (it begins with `=`, `+`, `-`, `@`, a tab or a CR) is
//! written with a leading apostrophe, so it shows as text.

use app::benefits::history::{EXPORT_LIMIT, ExportFormat, HistoryFilter, HistoryRow, MAX_CHOSEN};
use app::domain::date::MOSCOW;
use app::receipts::check::ReceiptKind;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::receipt::ApplicationReceiptState;
use crate::db::application_history;
use crate::receipts::download::respond;
use crate::receipts::{Block, ReceiptDocument};

/// The columns, in order.
const HEADINGS: [&str; 7] = [
    "Номер обращения",
    "Льгота",
    "Ребёнок",
    "Дата подачи (МСК)",
    "Статус",
    "Статус с (МСК)",
    "Комментарий специалиста",
];

fn cells(row: &HistoryRow) -> [&str; 7] {
    [
        &row.number,
        &row.benefit_name,
        &row.child_name,
        &row.submitted_at,
        row.status.label(),
        &row.status_since,
        &row.officer_comment,
    ]
}

/// The CSV file of `rows`.
pub fn csv_file(rows: &[HistoryRow]) -> Result<Vec<u8>, csv::Error> {
    crate::csv_file::write(&HEADINGS, rows.iter().map(cells))
}

/// The PDF extract's content and its facts (none personal: how many applications it lists).
fn extract(rows: &[HistoryRow]) -> (ReceiptDocument, Vec<(String, String)>) {
    let mut blocks = vec![Block::Row {
        label: "Заявлений в выписке".to_owned(),
        value: rows.len().to_string(),
    }];
    for row in rows {
        blocks.push(Block::Heading(format!("Заявление № {}", row.number)));
        for (label, value) in HEADINGS.iter().zip(cells(row)).skip(1) {
            if !value.is_empty() {
                blocks.push(Block::Row {
                    label: (*label).to_owned(),
                    value: value.to_owned(),
                });
            }
        }
    }
    let facts = vec![("Заявлений в выписке".to_owned(), rows.len().to_string())];
    (
        ReceiptDocument {
            title: ReceiptKind::History.title().to_owned(),
            blocks,
        },
        facts,
    )
}

/// What the export's address asks for.
#[derive(Debug, PartialEq, Eq)]
struct ExportRequest {
    format: ExportFormat,
    filter: HistoryFilter,
    chosen: Vec<i64>,
}

impl ExportRequest {
    fn read(query: &str) -> Result<Self, &'static str> {
        let pairs: Vec<(String, String)> = form_urlencoded::parse(query.as_bytes())
            .into_owned()
            .collect();
        let get = |name: &str| {
            pairs
                .iter()
                .find(|(key, _)| key == name)
                .map(|(_, value)| value.clone())
        };
        let format = get("format")
            .and_then(|f| ExportFormat::parse(&f))
            .ok_or("Выберите формат выгрузки: CSV или PDF")?;
        let chosen = pairs
            .iter()
            .filter(|(key, _)| key == "id")
            .map(|(_, value)| value.parse::<i64>())
            .collect::<Result<Vec<_>, _>>()
            .map_err(|_| "Выбраны неизвестные заявления: обновите страницу и выберите снова")?;
        if chosen.len() > MAX_CHOSEN {
            return Err("Выберите не больше 100 заявлений или снимите выбор, чтобы выгрузить все");
        }
        Ok(ExportRequest {
            format,
            filter: HistoryFilter::from_query(get),
            chosen,
        })
    }
}

pub async fn export(
    State(state): State<ApplicationReceiptState>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Response {
    let parent = match state
        .receipts
        .signed_in(&headers, "history_export", 0)
        .await
    {
        Ok(parent) => parent,
        Err(refused) => return refused,
    };
    if let Err(not_until) = state.applications.exports.check_key(&parent.account_id) {
        let wait = super::admission::retry_after(&not_until);
        return (
            StatusCode::TOO_MANY_REQUESTS,
            [(header::RETRY_AFTER, wait.to_string())],
            "Слишком много выгрузок подряд. Попробуйте позже",
        )
            .into_response();
    }
    let request = match ExportRequest::read(query.as_deref().unwrap_or_default()) {
        Ok(request) => request,
        Err(message) => return (StatusCode::BAD_REQUEST, message).into_response(),
    };
    let Ok(query) = request.filter.check() else {
        return (
            StatusCode::BAD_REQUEST,
            "Исправьте условия отбора на странице «История обращений» и выгрузите снова",
        )
            .into_response();
    };
    let service = &state.applications;
    let rows = match service.stored_query(&query) {
        None => Ok(Vec::new()),
        Some(stored) if request.chosen.is_empty() => {
            application_history::page(&service.db, parent.account_id, &stored, EXPORT_LIMIT, 0)
                .await
                .map(|(rows, _)| rows)
        }
        Some(stored) => {
            application_history::chosen(&service.db, parent.account_id, &stored, &request.chosen)
                .await
        }
    };
    let rows: Result<Vec<HistoryRow>, app::api::ServiceError> = match rows {
        Ok(rows) => rows
            .into_iter()
            .map(|row| service.history_row(row))
            .collect(),
        Err(error) => Err(error.into()),
    };
    let rows = match rows {
        Ok(rows) => rows,
        Err(error) => {
            tracing::error!(error = %error, what = "history export", "export failed");
            return (
                StatusCode::SERVICE_UNAVAILABLE,
                "Сервис временно недоступен",
            )
                .into_response();
        }
    };
    tracing::info!(
        event = "history.exported",
        account_id = parent.account_id,
        rows = rows.len(),
        format = ?request.format,
        "exported"
    );
    match request.format {
        ExportFormat::Csv => match csv_file(&rows) {
            Ok(file) => (
                [
                    (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
                    (header::CONTENT_DISPOSITION, attachment("csv", service)),
                    (header::CACHE_CONTROL, "no-store".to_owned()),
                ],
                file,
            )
                .into_response(),
            Err(error) => {
                tracing::error!(%error, "history CSV failed");
                (
                    StatusCode::SERVICE_UNAVAILABLE,
                    "Сервис временно недоступен",
                )
                    .into_response()
            }
        },
        ExportFormat::Pdf => {
            let (document, facts) = extract(&rows);
            let issued = state
                .receipts
                .receipts
                .issue(ReceiptKind::History, parent.account_id, &facts, &document)
                .await
                .map(Some);
            respond(issued, "history extract")
        }
    }
}

/// `attachment; filename="history-2026-12-06.csv"`: the day of the export in Moscow.
fn attachment(extension: &str, service: &super::Applications) -> String {
    let today = service.clock.now().to_offset(MOSCOW).date();
    format!("attachment; filename=\"history-{today}.{extension}\"")
}

#[cfg(test)]
mod tests {
    use super::*;
    use app::benefits::status::ApplicationStatus;
    use proptest::prelude::*;

    fn row(comment: &str) -> HistoryRow {
        HistoryRow {
            id: 7,
            number: "600101-2026-0000007".to_owned(),
            benefit_name: "Единое пособие".to_owned(),
            child_name: "Иванов Пётр Андреевич".to_owned(),
            submitted_at: "03.12.2026 14:05".to_owned(),
            status: ApplicationStatus::Rejected,
            status_since: "04.12.2026 10:00".to_owned(),
            officer_comment: comment.to_owned(),
        }
    }

    #[test]
    fn the_file_opens_as_columns_with_its_bom_and_quotes() {
        let file = csv_file(&[row("=HYPERLINK(\"http://x\";\"a;b\")\r\nдалее")]).unwrap();
        assert!(file.starts_with("\u{feff}".as_bytes()));
        let text = String::from_utf8(file[3..].to_vec()).unwrap();
        let mut lines = text.split("\r\n");
        assert_eq!(
            lines.next().unwrap(),
            "Номер обращения;Льгота;Ребёнок;Дата подачи (МСК);Статус;Статус с (МСК);\
             Комментарий специалиста"
        );
        // Read back with the same dialect, every cell is what was written, the formula as text.
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(b';')
            .from_reader(&file[3..]);
        let record = reader.records().next().unwrap().unwrap();
        assert_eq!(record.len(), 7);
        assert_eq!(&record[4], "Отклонено");
        assert_eq!(&record[6], "'=HYPERLINK(\"http://x\";\"a;b\")\r\nдалее");
    }

    proptest! {
        /// Whatever an officer wrote, its cell never starts a formula and reads back whole.
        #[test]
        fn no_cell_starts_a_formula(comment in "[=+@\\-\t\r a-zа-я;\"\n]{0,12}") {
            let file = csv_file(&[row(&comment)]).unwrap();
            let mut reader = csv::ReaderBuilder::new().delimiter(b';').from_reader(&file[3..]);
            let record = reader.records().next().unwrap().unwrap();
            let cell = &record[6];
            prop_assert!(!cell.trim_start_matches(' ').starts_with(['=', '+', '-', '@', '\t', '\r']));
            let written = format!("'{}", comment);
            prop_assert!(cell == comment || cell == written);
        }
    }

    #[test]
    fn the_address_is_read_with_its_chosen_rows() {
        let request =
            ExportRequest::read("format=csv&id=3&id=9&status=rejected&from=01.11.2026").unwrap();
        assert_eq!(request.format, ExportFormat::Csv);
        assert_eq!(request.chosen, [3, 9]);
        assert_eq!(request.filter.status, Some(ApplicationStatus::Rejected));
        assert_eq!(request.filter.from, "01.11.2026");
        assert!(ExportRequest::read("id=3").is_err());
        assert!(ExportRequest::read("format=xls").is_err());
        assert!(ExportRequest::read("format=pdf&id=x").is_err());
        let many: String = (0..=MAX_CHOSEN).map(|i| format!("&id={i}")).collect();
        assert!(ExportRequest::read(&format!("format=pdf{many}")).is_err());
    }
}
