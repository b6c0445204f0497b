//! `GET /activity/export`: «Скачать CSV» of the journal, with the page's filter (and `child`, the
//! parent's card). The same rule as the page: the minor's own journal, or a parent's with a live
//! link; anyone else gets 404. A parent's download is journaled as a view.

use std::sync::Arc;

use app::activity::journal::{EXPORT_LIMIT, JournalFilter, JournalOf};
use app::api::request::{CookiePolicy, session_in};
use app::api::{Refusal, ServiceError, SessionLookup};
use app::domain::date::MOSCOW;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use governor::DefaultKeyedRateLimiter;

use super::{ActivityService, shown, stored_filter};
use crate::db::activity_journal;

/// CSV files one account may download in an hour.
pub const EXPORTS_PER_HOUR: u32 = 30;

#[derive(Clone)]
pub struct ExportState {
    pub service: Arc<ActivityService>,
    pub sessions: Arc<dyn SessionLookup>,
    pub cookie_policy: CookiePolicy,
    pub exports: Arc<DefaultKeyedRateLimiter<i64>>,
}

const HEADINGS: [&str; 8] = [
    "№",
    "Дата и время (МСК)",
    "Тип",
    "Кто",
    "Что",
    "Подробности",
    "Устройство",
    "Адрес",
];

fn unavailable(error: impl std::fmt::Display) -> Response {
    tracing::error!(%error, what = "activity export", "export failed");
    (
        StatusCode::SERVICE_UNAVAILABLE,
        "Сервис временно недоступен",
    )
        .into_response()
}

pub async fn export(
    State(state): State<ExportState>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Response {
    let Some(account) = session_in(&headers, state.cookie_policy, state.sessions.as_ref()).await
    else {
        return (StatusCode::UNAUTHORIZED, "Войдите, чтобы скачать журнал").into_response();
    };
    if let Err(not_until) = state.exports.check_key(&account.account_id) {
        let wait = crate::benefits::applications::admission::retry_after(&not_until);
        return (
            StatusCode::TOO_MANY_REQUESTS,
            [(header::RETRY_AFTER, wait.to_string())],
            "Слишком много выгрузок подряд. Попробуйте позже",
        )
            .into_response();
    }
    let pairs: Vec<(String, String)> =
        form_urlencoded::parse(query.as_deref().unwrap_or_default().as_bytes())
            .into_owned()
            .collect();
    let get = |name: &str| {
        pairs
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.clone())
    };
    let of = match get("child").map(|c| c.parse::<i64>()) {
        None => JournalOf::Own,
        Some(Ok(card)) => JournalOf::Child(card),
        Some(Err(_)) => return (StatusCode::NOT_FOUND, "Журнал не найден").into_response(),
    };
    let Ok(query) = JournalFilter::from_query(get).check() else {
        return (
            StatusCode::BAD_REQUEST,
            "Исправьте условия отбора на странице «Журнал активности» и скачайте снова",
        )
            .into_response();
    };
    let minor = match state.service.reader_of(&account, of).await {
        Ok((minor, _)) => minor,
        Err(ServiceError::Refused(Refusal::NotFound)) => {
            tracing::info!(
                event = "authz.refused",
                account_id = account.account_id,
                what = "activity_export",
                "refused"
            );
            return (StatusCode::NOT_FOUND, "Журнал не найден").into_response();
        }
        Err(error) => return unavailable(error),
    };
    let rows = match activity_journal::page(
        &state.service.db,
        minor,
        stored_filter(&query),
        EXPORT_LIMIT,
        0,
    )
    .await
    {
        Ok((rows, _)) => rows,
        Err(error) => return unavailable(error),
    };
    let entries: Vec<_> = rows.into_iter().map(shown).collect();
    let numbers: Vec<String> = entries.iter().map(|e| e.seq.to_string()).collect();
    let file = crate::csv_file::write(
        &HEADINGS,
        entries.iter().zip(&numbers).map(|(e, seq)| {
            [
                seq.as_str(),
                &e.at,
                e.kind.label(),
                &e.actor,
                &e.action,
                &e.detail,
                &e.device,
                &e.address,
            ]
        }),
    );
    let file = match file {
        Ok(file) => file,
        Err(error) => return unavailable(error),
    };
    tracing::info!(
        event = "activity.exported",
        account_id = account.account_id,
        minor_account_id = minor,
        rows = entries.len(),
        "exported"
    );
    let today = state.service.clock.now().to_offset(MOSCOW).date();
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"activity-{today}.csv\""),
            ),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        file,
    )
        .into_response()
}
