//! «История обращений» on both engines: filters by date, status and benefit, «Поиск по номеру
//! обращения», pages that stay fast with 10,000 applications (the query times are printed), and
//! the export of the chosen rows as CSV (hostile cells neutralised) and as a signed PDF — each
//! only ever of the caller's own applications.

use std::time::{Duration, Instant};

use reqwest::StatusCode;
use serde_json::Value;

use crate::browser::{Browser, call};
use crate::engine_tests;
use crate::family::{another_confirmed_parent, execute, officer_browser, scalar};
use crate::helpers::TestApp;
use crate::officer::{decide_as, desk, sent};
use crate::receipts::pdf_text;

engine_tests!(
    the_history_filters_searches_and_exports_only_the_familys_own,
    ten_thousand_applications_page_and_search_quickly,
);

/// A formula an officer's comment might carry into a spreadsheet.
const HOSTILE: &str = "=HYPERLINK(\"http://evil.example\";\"Открыть\")";

async fn history(
    app: &TestApp,
    parent: &mut Browser,
    filter: &[(&str, &str)],
) -> (StatusCode, Value) {
    let form: Vec<(String, String)> = filter
        .iter()
        .map(|(k, v)| (format!("filter[{k}]"), (*v).to_owned()))
        .collect();
    let (status, body, _) = call(app, parent, "benefits/history", &form).await;
    (status, body)
}

async fn export(app: &TestApp, parent: Option<&Browser>, query: &str) -> reqwest::Response {
    let mut request = app.client.get(format!(
        "{}/applications/history/export?{query}",
        app.address
    ));
    if let Some(cookie) = parent.and_then(|b| b.cookie.as_ref()) {
        request = request.header("cookie", format!("__Host-portal_session={cookie}"));
    }
    request.send().await.expect("GET")
}

fn fields(body: &Value) -> Vec<(String, String)> {
    body["details"]
        .as_array()
        .map(|errors| {
            errors
                .iter()
                .map(|e| {
                    (
                        e["field"].as_str().unwrap_or_default().to_owned(),
                        e["code"].as_str().unwrap_or_default().to_owned(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

async fn the_history_filters_searches_and_exports_only_the_familys_own(app: &TestApp) {
    let (mut anna, id, number) = sent(app).await;
    let mut officer = officer_browser(app).await;
    let a = id.to_string();
    let (status, case) = desk(app, &mut officer, "claim", &[("id", &a)]).await;
    assert_eq!(status, StatusCode::OK, "{case}");
    let version = case["version"].as_i64().unwrap();
    let (status, body) = decide_as(app, &mut officer, id, "reject", HOSTILE, version).await;
    assert_eq!(status, StatusCode::OK, "{body}");

    // Every application, with its status, number and the officer's last word.
    let (status, page) = history(app, &mut anna, &[]).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert_eq!(page["total"], 1);
    let row = &page["rows"][0];
    assert_eq!(row["number"], number.as_str());
    assert_eq!(row["status"], "rejected");
    assert_eq!(row["officer_comment"], HOSTILE);
    assert_eq!(row["child_name"], "Иванов Пётр Андреевич");

    // Filters: status, benefit, dates (the clock's today is the day it was sent).
    let sent_on = app_today(app);
    for (filter, expected) in [
        (vec![("status", "rejected")], 1),
        (vec![("status", "approved")], 0),
        (vec![("benefit", "maternity-capital")], 1),
        (vec![("benefit", "free-school-meals")], 0),
        (
            vec![("from", sent_on.as_str()), ("to", sent_on.as_str())],
            1,
        ),
        (vec![("from", "01.01.2030")], 0),
        (vec![("number", number.as_str())], 1),
    ] {
        let (status, page) = history(app, &mut anna, &filter).await;
        assert_eq!(status, StatusCode::OK, "{filter:?}: {page}");
        assert_eq!(page["total"], expected, "{filter:?}");
    }
    // A number of another year or benefit finds nothing, even with the right serial.
    let (service, rest) = number.split_once('-').unwrap();
    let serial = rest.split_once('-').unwrap().1;
    for other in [
        format!("{service}-2020-{serial}"),
        format!("600101-{}", rest),
    ] {
        let (status, page) = history(app, &mut anna, &[("number", &other)]).await;
        assert_eq!(status, StatusCode::OK, "{page}");
        assert_eq!(page["total"], 0, "{other}");
    }

    // Bad input: each at its field, all at once.
    let (status, body) = history(
        app,
        &mut anna,
        &[
            ("from", "31.02.2026"),
            ("to", "2026-12-01"),
            ("number", "42"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(
        fields(&body),
        [
            ("from".to_owned(), "date.no_such_day".to_owned()),
            ("to".to_owned(), "date.format".to_owned()),
            ("number".to_owned(), "number.format".to_owned()),
        ]
    );
    let (status, body) = history(
        app,
        &mut anna,
        &[("from", "02.12.2026"), ("to", "01.12.2026")],
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(
        fields(&body),
        [("to".to_owned(), "date.before_from".to_owned())]
    );

    // CSV: a byte-order mark, `;` between cells, CRLF, and the formula written as text.
    let response = export(app, Some(&anna), &format!("format=csv&id={id}")).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        response.headers()["content-type"],
        "text/csv; charset=utf-8"
    );
    assert!(
        response.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .starts_with("attachment; filename=\"history-")
    );
    let bytes = response.bytes().await.unwrap();
    assert!(bytes.starts_with("\u{feff}".as_bytes()));
    let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
    let lines: Vec<&str> = text.split("\r\n").collect();
    assert!(
        lines[0].starts_with("Номер обращения;Льгота;Ребёнок;"),
        "{text}"
    );
    assert!(lines[1].starts_with(&format!("{number};")), "{text}");
    assert!(lines[1].contains("Отклонено"), "{text}");
    assert!(
        lines[1].ends_with("\"'=HYPERLINK(\"\"http://evil.example\"\";\"\"Открыть\"\")\""),
        "the formula is text: {text}"
    );

    // PDF: a signed extract from the receipt machinery, with the number and the comment.
    let response = export(app, Some(&anna), "format=pdf").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["content-type"], "application/pdf");
    let pdf = response.bytes().await.unwrap();
    let text = pdf_text(&pdf);
    assert!(text.contains("Выписка из истории обращений"), "{text}");
    assert!(text.contains(&number), "{text}");
    assert_eq!(
        scalar(app, "SELECT COUNT(*) FROM receipts WHERE kind = 'history'").await,
        1
    );

    // Another family finds none of it, by list, by number or by naming the id to export.
    let mut other = another_confirmed_parent(app).await;
    let (status, page) = history(app, &mut other, &[]).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert_eq!(page["total"], 0);
    let (_, page) = history(app, &mut other, &[("number", number.as_str())]).await;
    assert_eq!(page["total"], 0);
    let response = export(app, Some(&other), &format!("format=csv&id={id}")).await;
    assert_eq!(response.status(), StatusCode::OK);
    let text = response.text().await.unwrap();
    assert_eq!(text.trim_end().lines().count(), 1, "headings only: {text}");

    // Signed out: nothing; a wrong format or id: a clear refusal.
    assert_eq!(
        export(app, None, "format=csv").await.status(),
        StatusCode::UNAUTHORIZED
    );
    let (status, _) = history(app, &mut Browser::new(), &[]).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let response = export(app, Some(&anna), "format=xlsx").await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert!(response.text().await.unwrap().contains("CSV или PDF"));
    let response = export(app, Some(&anna), "format=csv&from=31.02.2026").await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);

    // Each PDF is a receipt kept for good: exports have a ceiling per account and hour, and one
    // family past it does not stop another.
    let mut last = StatusCode::OK;
    for _ in 0..30 {
        last = export(app, Some(&anna), "format=csv").await.status();
        if last == StatusCode::TOO_MANY_REQUESTS {
            break;
        }
    }
    assert_eq!(last, StatusCode::TOO_MANY_REQUESTS);
    let refused = export(app, Some(&anna), "format=pdf").await;
    assert_eq!(refused.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(refused.headers().contains_key("retry-after"));
    assert_eq!(
        export(app, Some(&other), "format=csv").await.status(),
        StatusCode::OK
    );
}

/// The clock's today in Moscow, ДД.ММ.ГГГГ.
fn app_today(app: &TestApp) -> String {
    app::domain::date::format_ru_date(app::domain::moscow_today(app.clock_now()))
}

async fn ten_thousand_applications_page_and_search_quickly(app: &TestApp) {
    let (mut anna, id, number) = sent(app).await;
    // 10,000 more of Anna's, copies of the one she sent, a quarter of them approved.
    let started = Instant::now();
    execute(
        app,
        format!(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10000) \
             INSERT INTO applications (parent_account_id, child_id, benefit_code, status, \
                 eligibility, content, idempotency_key, request_sha256, draft_id, submitted_at, \
                 version, status_since) \
             SELECT a.parent_account_id, a.child_id, a.benefit_code, \
                 CASE WHEN n.i % 4 = 0 THEN 'approved' ELSE 'under_review' END, a.eligibility, \
                 a.content, 'bulk-' || n.i, a.request_sha256, 1000000 + n.i, a.submitted_at, 1, \
                 a.status_since \
             FROM n, applications a WHERE a.id = {id}"
        ),
    )
    .await;
    println!("10,000 applications inserted in {:?}", started.elapsed());
    assert_eq!(
        scalar(app, "SELECT COUNT(*) FROM applications").await,
        10_001
    );
    let newest = scalar(app, "SELECT MAX(id) FROM applications").await;
    let (prefix, _) = number.rsplit_once('-').unwrap();
    let newest_number = format!("{prefix}-{newest:07}");

    let mut slowest = Duration::ZERO;
    for (what, filter, total) in [
        ("first page", vec![], 10_001),
        ("last page", vec![("page", "500")], 10_001),
        (
            "approved, page 100",
            vec![("status", "approved"), ("page", "99")],
            2_500,
        ),
        (
            "search by number",
            vec![("number", newest_number.as_str())],
            1,
        ),
    ] {
        let started = Instant::now();
        let (status, page) = history(app, &mut anna, &filter).await;
        let took = started.elapsed();
        println!("history, {what}: {took:?} ({} engine)", app.db.engine());
        assert_eq!(status, StatusCode::OK, "{what}: {page}");
        assert_eq!(page["total"], total, "{what}");
        assert!(!page["rows"].as_array().unwrap().is_empty(), "{what}");
        slowest = slowest.max(took);
    }
    assert_eq!(
        history(app, &mut anna, &[("number", newest_number.as_str())])
            .await
            .1["rows"][0]["id"],
        newest
    );
    // Over HTTP, with the server's own work, a page of 10,000 is far below a second.
    assert!(slowest < Duration::from_secs(1), "slowest {slowest:?}");
}
