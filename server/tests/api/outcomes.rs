//! What follows a decision, or its absence, on both engines: an approved benefit is active on the
//! child's card and on the benefit's page (and counts as received for the next check); an
//! application left «На рассмотрении» past 30 days is told to its family once, in the journal
//! and by message, and comes first in the officers' queue.

use reqwest::StatusCode;
use serde_json::Value;

use crate::browser::{Browser, call, pairs};
use crate::engine_tests;
use crate::family::{child_details, officer_browser, run_queue, scalar};
use crate::helpers::TestApp;
use crate::officer::{decide_as, desk, sent};

engine_tests!(
    an_approved_benefit_is_active_on_the_card_and_the_benefit_page,
    thirty_days_without_a_decision_are_told_once,
);

/// The child as the benefit's page shows them.
async fn on_benefit_page(app: &TestApp, parent: &mut Browser, code: &str, child: i64) -> Value {
    let (status, panel, _) = call(
        app,
        parent,
        "benefits/eligibility",
        &pairs(&[("code", code)]),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{panel}");
    panel["Children"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["child_id"] == child)
        .cloned()
        .unwrap_or_else(|| panic!("child {child} on {code}: {panel}"))
}

async fn an_approved_benefit_is_active_on_the_card_and_the_benefit_page(app: &TestApp) {
    let (mut anna, id, number) = sent(app).await;
    let child = scalar(app, "SELECT MAX(child_id) FROM applications").await;
    let card = child_details(app, &mut anna, child).await;
    assert_eq!(card["benefits"], Value::Array(vec![]), "nothing active yet");

    let mut officer = officer_browser(app).await;
    let (status, case) = desk(app, &mut officer, "claim", &[("id", &id.to_string())]).await;
    assert_eq!(status, StatusCode::OK, "{case}");
    let version = case["version"].as_i64().unwrap();
    let (status, body) = decide_as(app, &mut officer, id, "approve", "", version).await;
    assert_eq!(status, StatusCode::OK, "{body}");

    let card = child_details(app, &mut anna, child).await;
    let active = &card["benefits"][0];
    assert_eq!(active["name"], "Материнский (семейный) капитал", "{card}");
    assert_eq!(active["number"], number.as_str());
    assert_eq!(active["application_id"], id);

    let peter = on_benefit_page(app, &mut anna, "maternity-capital", child).await;
    assert_eq!(peter["approved"]["number"], number.as_str(), "{peter}");
    // Another benefit's page shows nothing active for him.
    let other = on_benefit_page(app, &mut anna, "unified-allowance", child).await;
    assert!(other["approved"].is_null(), "{other}");

    // The next check for the same benefit finds it received: no double receipt.
    let (status, body, _) = call(
        app,
        &mut anna,
        "benefits/check-eligibility",
        &pairs(&[
            ("code", "maternity-capital"),
            ("child_id", &child.to_string()),
        ]),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    run_queue(app).await;
    let peter = on_benefit_page(app, &mut anna, "maternity-capital", child).await;
    assert_eq!(
        peter["check"]["Done"]["facts"]["already_receiving"], true,
        "{peter}"
    );
}

async fn sign_in(app: &TestApp, browser: &mut Browser, login: &str) {
    let form = pairs(&[("login", login), ("password", crate::browser::PASSWORD)]);
    let (status, body, _) = call(app, browser, "account/sign-in", &form).await;
    assert_eq!(status, StatusCode::OK, "{login}: {body}");
}

async fn overdue_messages(app: &TestApp) -> i64 {
    scalar(
        app,
        "SELECT COUNT(*) FROM outbox_messages WHERE subject LIKE '%больше 30 дней%'",
    )
    .await
}

async fn thirty_days_without_a_decision_are_told_once(app: &TestApp) {
    let (mut anna, id, number) = sent(app).await;
    let page = |browser: Browser| async move {
        let mut browser = browser;
        let (status, body, _) = call(
            app,
            &mut browser,
            "benefits/application",
            &pairs(&[("id", &id.to_string())]),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        (browser, body)
    };

    // Thirty days are not yet more than thirty: the sweep tells nobody.
    app.clock.advance(time::Duration::days(30));
    run_queue(app).await;
    assert_eq!(overdue_messages(app).await, 0);

    // A day later it is overdue: the family is told in the portal and by e-mail, with the link.
    app.clock.advance(time::Duration::days(1));
    run_queue(app).await;
    assert_eq!(overdue_messages(app).await, 2);
    sign_in(app, &mut anna, "anna@mail.ru").await;
    let (anna, shown) = page(anna).await;
    assert_eq!(shown["overdue"], true, "{shown}");
    let journal = shown["journal"].as_array().unwrap();
    let told = journal.last().unwrap();
    assert_eq!(told["event"], "overdue", "{shown}");
    assert_eq!(told["who"], "Портал");
    let mut anna = anna;
    crate::family::expect_notification(
        app,
        &mut anna,
        &format!("Заявление № {number} рассматривается больше 30 дней"),
    )
    .await;
    let (status, notes, _) = call(app, &mut anna, "notifications", &[]).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        notes[0]["text"]
            .as_str()
            .unwrap()
            .contains(&format!("https://portal.test/applications/{id}")),
        "{notes}"
    );

    // The officers' queue puts it first, marked overdue.
    let mut officer = officer_browser(app).await;
    let (status, queue) = desk(app, &mut officer, "queue", &[]).await;
    assert_eq!(status, StatusCode::OK, "{queue}");
    assert_eq!(queue["rows"][0]["id"], id);
    assert_eq!(queue["rows"][0]["overdue"], true);

    // The next days' sweeps tell nobody again.
    for _ in 0..2 {
        app.clock.advance(time::Duration::days(1));
        run_queue(app).await;
    }
    assert_eq!(overdue_messages(app).await, 2);
    assert_eq!(
        scalar(
            app,
            "SELECT COUNT(*) FROM application_events WHERE kind = 'overdue'"
        )
        .await,
        1
    );
}
