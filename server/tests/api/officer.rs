//! The officer's desk, on both engines: the queue, claims with a lease (of two officers claiming
//! at once exactly one wins; a claim left alone expires), decisions through the status machine
//! with each refusal the issue names, the journal, the family's messages, and who may call it.

use reqwest::StatusCode;
use serde_json::Value;

use crate::applications::{filled_draft, send};
use crate::browser::{Browser, call, pairs};
use crate::child_accounts::{child_sign_in, consent_id, create_child_account, decide};
use crate::engine_tests;
use crate::family::{another_confirmed_parent, execute, officer_browser, scalar};
use crate::helpers::TestApp;

engine_tests!(
    an_officer_claims_asks_for_clarification_and_the_family_is_told,
    concurrent_claims_have_exactly_one_winner,
    a_claim_left_alone_expires,
    a_refusal_needs_a_reason_and_records_who_refused,
    the_queue_filters_and_puts_the_overdue_first,
    only_officers_reach_the_desk,
);

const KEY: &str = "6a1f0c3e-7b2d-4c5a-8e9f-0a1b2c3d4e5f";

pub(crate) async fn desk(
    app: &TestApp,
    browser: &mut Browser,
    endpoint: &str,
    form: &[(&str, &str)],
) -> (StatusCode, Value) {
    let (status, body, _) = call(app, browser, &format!("officer/{endpoint}"), &pairs(form)).await;
    (status, body)
}

/// A parent's application, sent; (parent, application id, number).
pub(crate) async fn sent(app: &TestApp) -> (Browser, i64, String) {
    let (mut anna, _, draft, version) = filled_draft(app).await;
    let (status, body) = send(app, &mut anna, draft, version, KEY).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    (
        anna,
        body["application_id"].as_i64().unwrap(),
        body["number"].as_str().unwrap().to_owned(),
    )
}

/// A second officer, made as `officer_browser` makes the first.
pub(crate) async fn second_officer(app: &TestApp) -> Browser {
    let mut officer = Browser::at("198.51.100.21");
    let form = crate::browser::registration_as(
        ("Смирнов", "Олег", "Игоревич", "03.03.1980"),
        "444-555-666 05",
        "+7 913 111-22-55",
        "officer2@mail.ru",
    );
    let (status, body, _) = call(app, &mut officer, "account/register", &form).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    execute(
        app,
        "UPDATE accounts SET role = 'officer' WHERE email = 'officer2@mail.ru'",
    )
    .await;
    officer
}

pub(crate) async fn decide_as(
    app: &TestApp,
    officer: &mut Browser,
    id: i64,
    action: &str,
    comment: &str,
    version: i64,
) -> (StatusCode, Value) {
    let (id, version) = (id.to_string(), version.to_string());
    desk(
        app,
        officer,
        "decide",
        &[
            ("id", &id),
            ("decision[action]", action),
            ("decision[comment]", comment),
            ("decision[version]", &version),
        ],
    )
    .await
}

/// A fresh session after the clock moved past the old one's life.
async fn sign_in_again(app: &TestApp, browser: &mut Browser, login: &str) {
    let form = pairs(&[("login", login), ("password", crate::browser::PASSWORD)]);
    let (status, body, _) = call(app, browser, "account/sign-in", &form).await;
    assert_eq!(status, StatusCode::OK, "{login}: {body}");
}

/// A refusal's code (`details` of `{"code": "refused"}`), or the error's own.
pub(crate) fn code(body: &Value) -> &str {
    match body["code"].as_str() {
        Some("refused") => body["details"].as_str().unwrap_or_default(),
        other => other.unwrap_or_default(),
    }
}

async fn an_officer_claims_asks_for_clarification_and_the_family_is_told(app: &TestApp) {
    let (mut anna, id, number) = sent(app).await;
    let mut officer = officer_browser(app).await;
    let a = id.to_string();

    // The queue shows it, free, «На рассмотрении».
    let (status, queue) = desk(app, &mut officer, "queue", &[]).await;
    assert_eq!(status, StatusCode::OK, "{queue}");
    assert_eq!(queue["total"], 1);
    assert_eq!(queue["rows"][0]["number"], number.as_str());
    assert_eq!(queue["rows"][0]["status"], "under_review");
    assert_eq!(queue["rows"][0]["claim"], "Free");

    // Opening it is journaled; deciding before claiming is refused and changes nothing.
    let (status, case) = desk(app, &mut officer, "case", &[("id", &a)]).await;
    assert_eq!(status, StatusCode::OK, "{case}");
    let version = case["version"].as_i64().unwrap();
    let (status, body) = decide_as(app, &mut officer, id, "approve", "", version).await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::CONFLICT, "not_claimed"),
        "{body}"
    );

    let (status, case) = desk(app, &mut officer, "claim", &[("id", &a)]).await;
    assert_eq!(status, StatusCode::OK, "{case}");
    assert!(case["claim"]["Mine"].is_object(), "{case}");
    let version = case["version"].as_i64().unwrap();
    let actions: Vec<&str> = case["actions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a.as_str().unwrap())
        .collect();
    assert_eq!(actions, ["request_clarification", "approve", "reject"]);

    // An empty request is refused at its field; a request with text moves the status.
    let (status, body) = decide_as(
        app,
        &mut officer,
        id,
        "request_clarification",
        "  ",
        version,
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["details"][0]["field"], "comment", "{body}");
    let ask = "Приложите справку о составе семьи";
    let (status, case) =
        decide_as(app, &mut officer, id, "request_clarification", ask, version).await;
    assert_eq!(status, StatusCode::OK, "{case}");
    assert_eq!(case["status"], "clarification_needed");
    assert_eq!(case["claim"], "Free", "a decision ends the claim");

    // A stale form (the old version) and an approval now are refused.
    let (status, body) = decide_as(app, &mut officer, id, "approve", "", version).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");

    // The journal: sent, viewed, claimed, the request — the officer by number only.
    let events: Vec<&str> = case["journal"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["event"].as_str().unwrap_or("action"))
        .collect();
    assert_eq!(
        events,
        ["submitted", "viewed", "claimed", "action"],
        "{case}"
    );
    let last = &case["journal"][3];
    assert_eq!(last["comment"], ask);
    assert_eq!(
        (last["from"].as_str(), last["to"].as_str()),
        (Some("under_review"), Some("clarification_needed"))
    );
    let who = last["who"].as_str().unwrap();
    assert!(who.starts_with("Специалист № "), "{who}");
    assert!(!case.to_string().contains("officer@mail.ru"));

    // The family's page shows the new status; the family is told in the portal and by e-mail.
    let (_, page) = {
        let (s, b, _) = call(
            app,
            &mut anna,
            "benefits/application",
            &pairs(&[("id", &a)]),
        )
        .await;
        (s, b)
    };
    assert_eq!(page["summary"]["status"], "clarification_needed", "{page}");
    assert_eq!(
        scalar(
            app,
            "SELECT COUNT(*) FROM outbox_messages WHERE subject LIKE '%Требуется уточнение%'"
        )
        .await,
        2
    );
}

async fn concurrent_claims_have_exactly_one_winner(app: &TestApp) {
    let (_, id, _) = sent(app).await;
    let first = officer_browser(app).await;
    let second = second_officer(app).await;
    let a = id.to_string();
    let tries = (0..10).map(|i| {
        let mut browser = if i % 2 == 0 {
            first.clone()
        } else {
            second.clone()
        };
        let a = a.clone();
        async move {
            let (status, body, _) =
                call(app, &mut browser, "officer/claim", &pairs(&[("id", &a)])).await;
            (i % 2, status, body)
        }
    });
    let answers = futures::future::join_all(tries).await;
    let mut winners = std::collections::BTreeSet::new();
    for (who, status, body) in answers {
        match status {
            StatusCode::OK => {
                winners.insert(who);
            }
            StatusCode::CONFLICT => assert_eq!(code(&body), "claimed_by_another", "{body}"),
            other => panic!("{other}: {body}"),
        }
    }
    assert_eq!(winners.len(), 1, "exactly one officer holds the claim");
    assert_eq!(
        scalar(
            app,
            "SELECT COUNT(DISTINCT officer_id) FROM application_events WHERE kind = 'claimed'"
        )
        .await,
        1
    );
}

async fn a_claim_left_alone_expires(app: &TestApp) {
    let (_, id, _) = sent(app).await;
    let mut first = officer_browser(app).await;
    let mut second = second_officer(app).await;
    let a = id.to_string();
    let (status, case) = desk(app, &mut first, "claim", &[("id", &a)]).await;
    assert_eq!(status, StatusCode::OK, "{case}");
    let version = case["version"].as_i64().unwrap();
    let (status, body) = desk(app, &mut second, "claim", &[("id", &a)]).await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::CONFLICT, "claimed_by_another")
    );
    // The second officer sees who holds it, by number.
    let (_, case) = desk(app, &mut second, "case", &[("id", &a)]).await;
    let holder = case["claim"]["Other"]["officer"].as_str().unwrap();
    assert!(holder.starts_with("Специалист № "), "{case}");
    assert_eq!(case["actions"], serde_json::json!([]));

    // Both stay signed in (a call within the session's idle time), neither touches the claim.
    app.clock.advance(time::Duration::minutes(20));
    for browser in [&mut first, &mut second] {
        let (status, _) = desk(app, browser, "queue", &[]).await;
        assert_eq!(status, StatusCode::OK);
    }
    app.clock.advance(time::Duration::minutes(11));
    let (status, body) = decide_as(app, &mut first, id, "approve", "", version).await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::CONFLICT, "not_claimed"),
        "{body}"
    );
    let (status, case) = desk(app, &mut second, "claim", &[("id", &a)]).await;
    assert_eq!(status, StatusCode::OK, "{case}");
    let version = case["version"].as_i64().unwrap();
    let (status, case) = decide_as(
        app,
        &mut second,
        id,
        "approve",
        "Все условия выполнены",
        version,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{case}");
    assert_eq!(case["status"], "approved");
}

async fn a_refusal_needs_a_reason_and_records_who_refused(app: &TestApp) {
    let (_, id, _) = sent(app).await;
    let mut officer = officer_browser(app).await;
    let a = id.to_string();
    let (_, case) = desk(app, &mut officer, "claim", &[("id", &a)]).await;
    let version = case["version"].as_i64().unwrap();
    let (status, body) = decide_as(app, &mut officer, id, "reject", "", version).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(
        body["details"][0]["message"]
            .as_str()
            .unwrap()
            .contains("причину отказа")
    );
    assert_eq!(
        scalar(
            app,
            "SELECT COUNT(*) FROM applications WHERE status = 'under_review'"
        )
        .await,
        1,
        "nothing changed"
    );
    let long = "я".repeat(2001);
    let (status, _) = decide_as(app, &mut officer, id, "reject", &long, version).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    // An officer cannot take the family's actions.
    let (status, body) = decide_as(app, &mut officer, id, "appeal", "x", version).await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::CONFLICT, "transition_not_allowed")
    );

    let (status, case) = decide_as(
        app,
        &mut officer,
        id,
        "reject",
        "Доход семьи выше порога",
        version,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{case}");
    assert_eq!(case["status"], "rejected");
    assert_eq!(
        scalar(
            app,
            "SELECT COUNT(*) FROM applications WHERE refused_by IS NOT NULL AND refused_at IS NOT NULL"
        )
        .await,
        1
    );
    // A refused application waits for the family: no officer can claim it.
    let (status, body) = desk(app, &mut officer, "claim", &[("id", &a)]).await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::CONFLICT, "transition_not_allowed")
    );
}

async fn the_queue_filters_and_puts_the_overdue_first(app: &TestApp) {
    let (_, id, _) = sent(app).await;
    let mut officer = officer_browser(app).await;
    let (_, queue) = desk(
        app,
        &mut officer,
        "queue",
        &[("filter[overdue_only]", "true")],
    )
    .await;
    assert_eq!(queue["total"], 0, "{queue}");
    let (_, queue) = desk(
        app,
        &mut officer,
        "queue",
        &[("filter[status]", "approved")],
    )
    .await;
    assert_eq!(queue["total"], 0, "{queue}");
    let (_, queue) = desk(app, &mut officer, "queue", &[("filter[mine_only]", "true")]).await;
    assert_eq!(queue["total"], 0, "{queue}");
    let (status, body) = desk(
        app,
        &mut officer,
        "queue",
        &[("filter[benefit]", "no-such-benefit")],
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["details"][0]["field"], "benefit");

    app.clock.advance(time::Duration::days(31));
    sign_in_again(app, &mut officer, "officer@mail.ru").await;
    let (_, queue) = desk(
        app,
        &mut officer,
        "queue",
        &[("filter[overdue_only]", "true")],
    )
    .await;
    assert_eq!(queue["total"], 1, "{queue}");
    assert_eq!(queue["rows"][0]["id"], id);
    assert_eq!(queue["rows"][0]["overdue"], true);
    assert!(queue["rows"][0]["waiting_days"].as_i64().unwrap() >= 31);
    let (_, queue) = desk(app, &mut officer, "claim", &[("id", &id.to_string())]).await;
    assert_eq!(queue["overdue"], true);
    let (_, mine) = desk(app, &mut officer, "queue", &[("filter[mine_only]", "true")]).await;
    assert_eq!(mine["total"], 1, "{mine}");
}

/// Every desk call × anonymous, the applicant, another parent and a child's account: refused,
/// and nothing changed. The officer's own calls succeed.
async fn only_officers_reach_the_desk(app: &TestApp) {
    let (mut anna, id, _) = sent(app).await;
    let a = id.to_string();
    let mut stranger = another_confirmed_parent(app).await;
    let peter = scalar(app, "SELECT MIN(id) FROM children").await;
    create_child_account(app, &mut anna, peter).await;
    let consent = consent_id(app, &mut anna, peter).await;
    decide(app, &mut anna, consent, "grant").await;
    let mut child = Browser::at("198.51.100.61");
    let (status, body) = child_sign_in(app, &mut child).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let mut anonymous = Browser::at("198.51.100.62");

    let calls: [(&str, Vec<(&str, &str)>); 6] = [
        ("queue", vec![]),
        ("case", vec![("id", &a)]),
        ("claim", vec![("id", &a)]),
        ("release", vec![("id", &a)]),
        (
            "decide",
            vec![
                ("id", &a),
                ("decision[action]", "approve"),
                ("decision[comment]", ""),
                ("decision[version]", "1"),
            ],
        ),
        (
            "review-document",
            vec![("id", &a), ("document", "1"), ("verdict", "Approved")],
        ),
    ];
    for (who, browser, expected) in [
        ("anonymous", &mut anonymous, StatusCode::UNAUTHORIZED),
        ("the applicant", &mut anna, StatusCode::FORBIDDEN),
        ("another parent", &mut stranger, StatusCode::FORBIDDEN),
        ("a child", &mut child, StatusCode::FORBIDDEN),
    ] {
        for (endpoint, form) in &calls {
            let (status, body) = desk(app, browser, endpoint, form).await;
            assert_eq!(status, expected, "{who} {endpoint}: {body}");
        }
    }
    assert_eq!(
        scalar(app, "SELECT COUNT(*) FROM application_events").await,
        1,
        "only the submission is journaled"
    );
    assert_eq!(
        scalar(
            app,
            "SELECT COUNT(*) FROM applications WHERE claimed_by IS NULL"
        )
        .await,
        1
    );

    // An officer sees applications, never the family's children.
    let mut officer = officer_browser(app).await;
    let (status, _) = desk(app, &mut officer, "case", &[("id", &a)]).await;
    assert_eq!(status, StatusCode::OK);
    let (status, _, _) = call(
        app,
        &mut officer,
        "family/child",
        &pairs(&[("id", &peter.to_string())]),
    )
    .await;
    assert!(
        [StatusCode::NOT_FOUND, StatusCode::FORBIDDEN].contains(&status),
        "{status}"
    );
    let (status, body) = desk(app, &mut officer, "case", &[("id", "999999")]).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
}
