//! Who may call what, for every server function of deciding: anonymous, the applicant, another
//! parent, the applicant's child (an account of their own), a teen and an officer. Each forbidden
//! call is refused and changes nothing: the application, its journal, the support questions and
//! the settings stay as they were.

use reqwest::StatusCode;
use serde_json::Value;

use crate::browser::{Browser, call, pairs};
use crate::child_accounts::{child_sign_in, consent_id, create_child_account, decide};
use crate::engine_tests;
use crate::family::{another_confirmed_parent, execute, officer_browser, scalar};
use crate::helpers::TestApp;
use crate::linking::teen;
use crate::officer::{decide_as, desk, sent};

engine_tests!(every_deciding_function_refuses_whoever_may_not_call_it);

/// What must not move when someone is refused.
async fn footprint(app: &TestApp) -> [i64; 5] {
    [
        scalar(app, "SELECT MAX(version) FROM applications").await,
        scalar(app, "SELECT COUNT(*) FROM application_events").await,
        scalar(app, "SELECT COUNT(*) FROM support_questions").await,
        scalar(app, "SELECT COUNT(*) FROM notification_settings").await,
        scalar(app, "SELECT COUNT(*) FROM document_reviews").await,
    ]
}

async fn every_deciding_function_refuses_whoever_may_not_call_it(app: &TestApp) {
    let (mut anna, id, number) = sent(app).await;
    let peter = scalar(app, "SELECT MAX(child_id) FROM applications").await;
    let document = scalar(app, "SELECT MAX(document_id) FROM application_documents").await;
    let mut officer = officer_browser(app).await;
    execute(
        app,
        "UPDATE accounts SET level = 'confirmed' WHERE email = 'officer@mail.ru'",
    )
    .await;
    // Refused, so an appeal is open to the applicant.
    let (_, case) = desk(app, &mut officer, "claim", &[("id", &id.to_string())]).await;
    let version = case["version"].as_i64().unwrap();
    let (status, body) = decide_as(app, &mut officer, id, "reject", "Нет справки", version).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let version = scalar(app, "SELECT MAX(version) FROM applications").await;

    let mut other = another_confirmed_parent(app).await;
    create_child_account(app, &mut anna, peter).await;
    let consent = consent_id(app, &mut anna, peter).await;
    decide(app, &mut anna, consent, "grant").await;
    let mut child = Browser::at("198.51.100.61");
    let (status, body) = child_sign_in(app, &mut child).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let mut teen = teen(app).await;
    let mut anonymous = Browser::at("198.51.100.62");
    let before = footprint(app).await;

    let (a, v, d, p) = (
        id.to_string(),
        version.to_string(),
        document.to_string(),
        peter.to_string(),
    );
    // The applicant's own moves on the application.
    let family_calls: Vec<(&str, Vec<(&str, &str)>)> = vec![
        ("benefits/application", vec![("id", &a)]),
        (
            "benefits/application-resend",
            vec![("id", &a), ("reply[text]", "ответ"), ("reply[version]", &v)],
        ),
        (
            "benefits/application-appeal",
            vec![
                ("id", &a),
                ("reply[text]", "жалоба"),
                ("reply[version]", &v),
            ],
        ),
        (
            "benefits/application-held-remove",
            vec![("id", &a), ("document", &d)],
        ),
        (
            "support/question",
            vec![
                ("snils", "112-233-445 95"),
                ("email", "anna@mail.ru"),
                ("text", "вопрос"),
                ("application", &number),
            ],
        ),
    ];
    // The officers' desk.
    let officer_calls: Vec<(&str, Vec<(&str, &str)>)> = vec![
        ("officer/queue", vec![]),
        ("officer/case", vec![("id", &a)]),
        ("officer/claim", vec![("id", &a)]),
        ("officer/release", vec![("id", &a)]),
        (
            "officer/decide",
            vec![
                ("id", &a),
                ("decision[action]", "approve"),
                ("decision[comment]", ""),
                ("decision[version]", &v),
            ],
        ),
        (
            "officer/review-document",
            vec![("id", &a), ("document", &d), ("verdict", "Approved")],
        ),
        ("officer/support", vec![]),
        (
            "officer/support-answer",
            vec![("id", "1"), ("answer", "ответ")],
        ),
    ];

    for (who, browser) in [
        ("anonymous", &mut anonymous),
        ("another parent", &mut other),
        ("the child", &mut child),
        ("a teen", &mut teen),
        ("an officer", &mut officer),
    ] {
        for (endpoint, form) in &family_calls {
            let (status, body, _) = call(app, browser, endpoint, &pairs(form)).await;
            let expected = match who {
                "anonymous" => StatusCode::UNAUTHORIZED,
                // A child's or teen's account is not a confirmed parent's.
                "the child" | "a teen" if *endpoint != "support/question" => {
                    assert!(
                        [StatusCode::FORBIDDEN, StatusCode::NOT_FOUND].contains(&status),
                        "{who} {endpoint}: {status} {body}"
                    );
                    continue;
                }
                _ if *endpoint == "support/question" => StatusCode::UNPROCESSABLE_ENTITY,
                _ => StatusCode::NOT_FOUND,
            };
            assert_eq!(status, expected, "{who} {endpoint}: {body}");
        }
        if who != "an officer" {
            for (endpoint, form) in &officer_calls {
                let (status, body, _) = call(app, browser, endpoint, &pairs(form)).await;
                let expected = if who == "anonymous" {
                    StatusCode::UNAUTHORIZED
                } else {
                    StatusCode::FORBIDDEN
                };
                assert_eq!(status, expected, "{who} {endpoint}: {body}");
            }
        }
        // What is scoped to the caller shows none of Anna's, and the export reads nothing of hers.
        for endpoint in ["benefits/history", "support/mine", "notifications/settings"] {
            let (status, body, _) = call(app, browser, endpoint, &[]).await;
            if who == "anonymous" {
                assert_eq!(status, StatusCode::UNAUTHORIZED, "{who} {endpoint}");
                continue;
            }
            assert_eq!(status, StatusCode::OK, "{who} {endpoint}: {body}");
            let shown = body.to_string();
            assert!(!shown.contains(&number), "{who} {endpoint}: {shown}");
            assert!(!shown.contains("anna@mail.ru"), "{who} {endpoint}: {shown}");
        }
        let mut export = app.client.get(format!(
            "{}/applications/history/export?format=csv&id={id}",
            app.address
        ));
        if let Some(cookie) = &browser.cookie {
            export = export.header("cookie", format!("__Host-portal_session={cookie}"));
        }
        let response = export.send().await.unwrap();
        if who == "anonymous" {
            assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
        } else {
            assert_eq!(response.status(), StatusCode::OK, "{who} export");
            assert!(
                !response.text().await.unwrap().contains(&number),
                "{who} export"
            );
        }
    }
    // An officer sees applications, never a child's card.
    let (status, body, _) = call(app, &mut officer, "family/child", &pairs(&[("id", &p)])).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
    // The officer's own reads are journaled viewings; nothing else moved.
    let after = footprint(app).await;
    assert_eq!(after[0], before[0], "the application's version");
    assert_eq!(&after[2..], &before[2..], "questions, settings, verdicts");
    let (_, page, _) = call(
        app,
        &mut anna,
        "benefits/application",
        &pairs(&[("id", &a)]),
    )
    .await;
    assert_eq!(page["summary"]["status"], "rejected", "{page}");
    assert_eq!(page["version"], Value::from(version));
}
