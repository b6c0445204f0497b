//! The application's documents on the officer's desk, on both engines: shown inline to officers
//! only and only as documents of that application, each opening journaled; and the officer's
//! verdict on each one, which needs the claim and, for a rejection, a reason.

use reqwest::StatusCode;
use serde_json::Value;

use crate::browser::Browser;
use crate::engine_tests;
use crate::family::{officer_browser, scalar};
use crate::helpers::TestApp;
use crate::officer::{code, desk, second_officer, sent};

engine_tests!(
    documents_are_shown_inline_to_the_officer_only,
    an_officer_marks_each_document,
);

async fn shown(app: &TestApp, browser: &Browser, id: i64, document: i64) -> reqwest::Response {
    let mut request = app.client.get(format!(
        "{}/officer/applications/{id}/documents/{document}",
        app.address
    ));
    if let Some(cookie) = &browser.cookie {
        request = request.header("cookie", format!("__Host-portal_session={cookie}"));
    }
    request.send().await.unwrap()
}

fn first_document(case: &Value) -> i64 {
    case["documents"][0]["id"]
        .as_i64()
        .expect("the case has documents")
}

async fn documents_are_shown_inline_to_the_officer_only(app: &TestApp) {
    let (anna, id, _) = sent(app).await;
    let mut officer = officer_browser(app).await;
    let (status, case) = desk(app, &mut officer, "case", &[("id", &id.to_string())]).await;
    assert_eq!(status, StatusCode::OK, "{case}");
    let document = first_document(&case);
    let viewings = "SELECT COUNT(*) FROM application_events WHERE kind = 'viewed' \
        AND comment LIKE 'Открыт документ%'";

    let response = shown(app, &officer, id, document).await;
    assert_eq!(response.status(), StatusCode::OK);
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .map(|v| v.to_str().unwrap().to_owned())
            .unwrap_or_default()
    };
    assert!(
        header("content-disposition").starts_with("inline;"),
        "{}",
        header("content-disposition")
    );
    assert_eq!(header("cache-control"), "no-store");
    assert_eq!(header("x-content-type-options"), "nosniff");
    assert_eq!(header("x-frame-options"), "SAMEORIGIN");
    assert!(header("content-security-policy").contains("frame-ancestors 'self'"));
    assert!(header("content-security-policy").starts_with("default-src 'none'"));
    assert!(
        ["application/pdf", "image/png", "image/jpeg"].contains(&header("content-type").as_str())
    );
    assert!(!response.bytes().await.unwrap().is_empty());
    assert_eq!(scalar(app, viewings).await, 1, "the opening is journaled");

    // The family's own file is not theirs to open here; nor anyone's signed out; nor through
    // another application's address.
    assert_eq!(
        shown(app, &anna, id, document).await.status(),
        StatusCode::NOT_FOUND
    );
    let anonymous = Browser::at("198.51.100.70");
    assert_eq!(
        shown(app, &anonymous, id, document).await.status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        shown(app, &officer, id + 1000, document).await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        shown(app, &officer, id, document + 1000).await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(scalar(app, viewings).await, 1, "refusals journal nothing");

    // Every other page still may be framed by no one.
    let page = app
        .client
        .get(format!("{}/officer", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(
        page.headers()
            .get("x-frame-options")
            .unwrap()
            .to_str()
            .unwrap(),
        "DENY"
    );
}

async fn an_officer_marks_each_document(app: &TestApp) {
    let (_, id, _) = sent(app).await;
    let a = id.to_string();
    let mut officer = officer_browser(app).await;
    let (_, case) = desk(app, &mut officer, "case", &[("id", &a)]).await;
    let document = first_document(&case).to_string();
    let approve = [
        ("id", a.as_str()),
        ("document", document.as_str()),
        ("verdict", "Approved"),
    ];
    let reviews = "SELECT COUNT(*) FROM document_reviews";

    // Not before the claim.
    let (status, body) = desk(app, &mut officer, "review-document", &approve).await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::CONFLICT, "not_claimed"),
        "{body}"
    );
    let (status, _) = desk(app, &mut officer, "claim", &[("id", &a)]).await;
    assert_eq!(status, StatusCode::OK);

    // A rejection without a reason is refused at its field and writes nothing.
    let reject = |reason: &'static str| {
        [
            ("id", a.clone()),
            ("document", document.clone()),
            ("verdict[Rejected][reason]", reason.to_owned()),
        ]
    };
    let form = reject("   ");
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let (status, body) = desk(app, &mut officer, "review-document", &form).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["details"][0]["field"], "document-reason", "{body}");
    assert_eq!(scalar(app, reviews).await, 0);

    let form = reject("Скан нечитаем");
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let (status, case) = desk(app, &mut officer, "review-document", &form).await;
    assert_eq!(status, StatusCode::OK, "{case}");
    assert_eq!(case["documents"][0]["review"]["approved"], false, "{case}");
    assert_eq!(case["documents"][0]["review"]["reason"], "Скан нечитаем");
    let last = case["journal"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["event"], "document_rejected", "{last}");
    assert!(
        last["comment"]
            .as_str()
            .unwrap()
            .ends_with(": Скан нечитаем"),
        "{last}"
    );
    assert!(
        last["who"].as_str().unwrap().starts_with("Специалист № "),
        "{last}"
    );

    // Another officer may not mark what this one holds.
    let mut other = second_officer(app).await;
    let (status, body) = desk(app, &mut other, "review-document", &approve).await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::CONFLICT, "claimed_by_another"),
        "{body}"
    );

    // «Одобрено» replaces the rejection: one verdict per document.
    let (status, case) = desk(app, &mut officer, "review-document", &approve).await;
    assert_eq!(status, StatusCode::OK, "{case}");
    assert_eq!(case["documents"][0]["review"]["approved"], true);
    assert_eq!(scalar(app, reviews).await, 1);
    assert_eq!(
        scalar(
            app,
            "SELECT COUNT(*) FROM application_events WHERE kind LIKE 'document_%'"
        )
        .await,
        2
    );

    // A document of no application of this one's is not found.
    let form = [
        ("id", a.as_str()),
        ("document", "999999"),
        ("verdict", "Approved"),
    ];
    let (status, body) = desk(app, &mut officer, "review-document", &form).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
}
