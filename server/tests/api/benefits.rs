//! «Льготы»: the catalogue is public, read from the repository's data file; a benefit's page asks
//! for one by its code. «Проверка права на льготу»: the benefits registry is asked over SOAP by a
//! job, the three rules are judged on its answer, and only a parent proven to be the child's
//! parent can ask — on both engines.

use reqwest::StatusCode;
use reqwest::header::{HeaderMap, HeaderValue};
use serde_json::{Value, json};

use crate::browser::{Browser, call, pairs};
use crate::child_accounts::{
    child_sign_in, consent_id, create_child_account, decide, parent_with_confirmed_child,
};
use crate::engine_tests;
use crate::family::{
    NIGHTLY_SWEEPS, add, another_confirmed_parent, app_with_registries_down, confirmed_parent,
    execute, maria, officer_browser, peter, run_queue, scalar,
};
use crate::helpers::TestApp;

engine_tests!(
    anyone_reads_the_whole_catalogue,
    a_benefit_is_read_by_its_code_and_an_unknown_one_is_not_found,
    the_registry_answer_is_judged_rule_by_rule,
    a_name_the_register_holds_otherwise_is_named,
    only_the_proven_parent_of_a_child_of_the_right_age_can_ask,
    repeated_and_concurrent_requests_make_one_registry_call,
);

async fn post(app: &TestApp, endpoint: &str, form: &[(&str, &str)]) -> reqwest::Response {
    let mut headers = HeaderMap::new();
    headers.insert("origin", HeaderValue::from_str(&app.address).unwrap());
    app.client
        .post(format!("{}/api/benefits/{endpoint}", app.address))
        .headers(headers)
        .form(form)
        .send()
        .await
        .expect("POST")
}

async fn anyone_reads_the_whole_catalogue(app: &TestApp) {
    // Signed out: the catalogue holds nothing personal.
    let res = post(app, "catalogue", &[]).await;
    assert_eq!(res.status(), 200);
    let list: Vec<Value> = res.json().await.unwrap();
    assert_eq!(list.len(), 8);
    let unified = list
        .iter()
        .find(|b| b["code"] == "unified-allowance")
        .expect("the единое пособие");
    assert_eq!(unified["name"], "Единое пособие на детей");
    assert_eq!(unified["requires"], "low_income");
    assert_eq!(unified["child_age"]["to"], 16);
}

async fn a_benefit_is_read_by_its_code_and_an_unknown_one_is_not_found(app: &TestApp) {
    let res = post(app, "benefit", &[("code", "maternity-capital")]).await;
    assert_eq!(res.status(), 200);
    let benefit: Value = res.json().await.unwrap();
    assert_eq!(benefit["service_number"], "600102");
    assert_eq!(
        benefit["documents"],
        serde_json::json!(["birth_certificate", "passport", "snils"])
    );

    for unknown in ["no-such-benefit", "../maternity-capital", ""] {
        let res = post(app, "benefit", &[("code", unknown)]).await;
        assert_eq!(res.status(), 404, "{unknown:?}");
        let body: Value = res.json().await.unwrap();
        assert_eq!(body["details"], "not_found");
    }
}

/// The panel for one benefit: the caller's children with their latest checks.
async fn panel(app: &TestApp, browser: &mut Browser, code: &str) -> (StatusCode, Value) {
    let (status, body, _) = call(
        app,
        browser,
        "benefits/eligibility",
        &pairs(&[("code", code)]),
    )
    .await;
    (status, body)
}

async fn ask(app: &TestApp, browser: &mut Browser, code: &str, child: i64) -> (StatusCode, Value) {
    let (status, body, _) = call(
        app,
        browser,
        "benefits/check-eligibility",
        &pairs(&[("code", code), ("child_id", &child.to_string())]),
    )
    .await;
    (status, body)
}

/// The latest check of the parent's only child for the benefit, after the queue ran.
async fn checked(app: &TestApp, browser: &mut Browser, code: &str, child: i64) -> Value {
    let (status, body) = ask(app, browser, code, child).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (_, before) = panel(app, browser, code).await;
    assert_eq!(before["Children"][0]["check"], "Checking", "{before}");
    run_queue(app).await;
    let (status, after) = panel(app, browser, code).await;
    assert_eq!(status, StatusCode::OK, "{after}");
    after["Children"][0]["check"]["Done"]["facts"].clone()
}

async fn the_registry_answer_is_judged_rule_by_rule(app: &TestApp) {
    execute(app, NIGHTLY_SWEEPS).await;
    let (mut anna, peter) = parent_with_confirmed_child(app).await;
    let (status, body) = panel(app, &mut anna, "unified-allowance").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["Children"][0]["name"], "Иванов Пётр Андреевич");
    assert_eq!(body["Children"][0]["not_checkable"], Value::Null);
    assert_eq!(body["Children"][0]["check"], Value::Null);

    // The family of the README: three children under 18, income not low, and the large-family
    // payment already paid for Пётр.
    let facts = checked(app, &mut anna, "unified-allowance", peter).await;
    assert_eq!(
        facts,
        json!({"child_record": "Found", "large_family": true, "low_income": false,
               "child_disability": false, "already_receiving": false})
    );
    let facts = checked(app, &mut anna, "large-family-payment", peter).await;
    assert_eq!(facts["already_receiving"], true);
    assert_eq!(facts["large_family"], true);

    // The rules as the page judges them: the единое пособие fails on income only.
    let facts: app::benefits::eligibility::RegistryFacts =
        serde_json::from_value(checked(app, &mut anna, "unified-allowance", peter).await).unwrap();
    let judged = app::benefits::eligibility::judge(
        Some(app::benefits::catalogue::FamilyStatus::LowIncome),
        &facts,
        peter,
    );
    let passed: Vec<bool> = judged.iter().map(|j| j.passed).collect();
    assert_eq!(passed, [true, false, true]);
}

async fn a_name_the_register_holds_otherwise_is_named(app: &TestApp) {
    let (mut anna, peter) = parent_with_confirmed_child(app).await;
    // The register's record and the card part ways (the card is confirmed, so no page edit can
    // do this: a record corrected in the registry can).
    execute(
        app,
        format!("UPDATE children SET first_name = 'Павел' WHERE id = {peter}"),
    )
    .await;
    let facts = checked(app, &mut anna, "maternity-capital", peter).await;
    assert_eq!(facts["child_record"], json!({"Mismatch": ["FirstName"]}));
}

async fn only_the_proven_parent_of_a_child_of_the_right_age_can_ask(app: &TestApp) {
    let (mut anna, peter) = parent_with_confirmed_child(app).await;

    // Anonymous: the panel says «sign in», the check is refused before anything runs.
    let mut anonymous = Browser::at("198.51.100.60");
    let (status, body) = panel(app, &mut anonymous, "unified-allowance").await;
    assert_eq!((status, body), (StatusCode::OK, json!("SignedOut")));
    let (status, _) = ask(app, &mut anonymous, "unified-allowance", peter).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);

    // Another family's parent who knows the card's id: «not found», like no card at all.
    let mut stranger = another_confirmed_parent(app).await;
    let (status, body) = ask(app, &mut stranger, "unified-allowance", peter).await;
    assert_eq!(
        (status, body["details"].as_str()),
        (StatusCode::NOT_FOUND, Some("not_found"))
    );
    let (_, body) = panel(app, &mut stranger, "unified-allowance").await;
    assert_eq!(body, json!({"Children": []}));

    // A card whose certificate is not confirmed, and a child of the wrong age: refused at the
    // field, nothing asked.
    let maria = add(app, &mut anna, &maria()).await;
    let (status, body) = ask(app, &mut anna, "unified-allowance", maria).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["details"][0]["field"], "child");
    let (status, body) = ask(app, &mut anna, "birth-lump-sum", peter).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let (_, body) = panel(app, &mut anna, "birth-lump-sum").await;
    let list = body["Children"].as_array().unwrap();
    let reason = |id: i64| {
        list.iter()
            .find(|c| c["child_id"] == id)
            .map(|c| c["not_checkable"].clone())
    };
    assert_eq!(reason(peter), Some(json!("Age")));
    assert_eq!(reason(maria), Some(json!("CardNotConfirmed")));

    // An unknown benefit.
    let (status, _) = ask(app, &mut anna, "no-such-benefit", peter).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // An officer has no business with a family's children.
    let mut officer = officer_browser(app).await;
    execute(
        app,
        "UPDATE accounts SET level = 'confirmed' WHERE email = 'officer@mail.ru'",
    )
    .await;
    let (status, _) = ask(app, &mut officer, "unified-allowance", peter).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // The child's own account cannot ask about itself.
    create_child_account(app, &mut anna, peter).await;
    let consent = consent_id(app, &mut anna, peter).await;
    let (status, _) = decide(app, &mut anna, consent, "grant").await;
    assert_eq!(status, StatusCode::OK);
    let mut child = Browser::at("198.51.100.61");
    let (status, body) = child_sign_in(app, &mut child).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, body) = ask(app, &mut child, "unified-allowance", peter).await;
    assert_eq!(
        (status, body["details"].as_str()),
        (StatusCode::FORBIDDEN, Some("confirmed_level_required"))
    );

    // None of the refused calls left a check or a job behind.
    let checks = scalar(app, "SELECT COUNT(*) FROM eligibility_checks").await;
    assert_eq!(checks, 0);
    let jobs = scalar(
        app,
        "SELECT COUNT(*) FROM jobs WHERE kind = 'benefits.eligibility_check'",
    )
    .await;
    assert_eq!(jobs, 0);
}

async fn repeated_and_concurrent_requests_make_one_registry_call(app: &TestApp) {
    let (anna, peter) = parent_with_confirmed_child(app).await;
    let calls = (0..10).map(|_| {
        let mut browser = Browser {
            cookie: anna.cookie.clone(),
            challenge: None,
            device: anna.device.clone(),
            address: anna.address.clone(),
        };
        async move { ask(app, &mut browser, "maternity-capital", peter).await.0 }
    });
    let statuses = futures::future::join_all(calls).await;
    assert!(
        statuses.iter().all(|s| *s == StatusCode::OK),
        "{statuses:?}"
    );
    let jobs = "SELECT COUNT(*) FROM jobs WHERE kind = 'benefits.eligibility_check'";
    assert_eq!(scalar(app, jobs).await, 1);
    run_queue(app).await;
    // Once done, «Проверить снова» is a new round with its own job.
    let mut anna = anna;
    let (status, _) = ask(app, &mut anna, "maternity-capital", peter).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(scalar(app, jobs).await, 2);
}

#[tokio::test]
async fn sqlite_a_registry_that_never_answers_ends_the_check_as_unavailable() {
    registry_down(crate::helpers::Engine::Sqlite).await;
}

#[tokio::test]
async fn postgres_a_registry_that_never_answers_ends_the_check_as_unavailable() {
    registry_down(crate::helpers::Engine::Postgres).await;
}

/// Every SOAP call answered 503: the job retries with backoff, then the check says so; the page
/// never waited on the registry.
async fn registry_down(engine: crate::helpers::Engine) {
    let Some(app) = app_with_registries_down(engine).await else {
        return;
    };
    let mut anna = confirmed_parent(&app).await;
    let peter = add(&app, &mut anna, &peter()).await;
    // Confirmed while ЕГР ЗАГС still answered (the same registry host is down now).
    execute(
        &app,
        format!(
            "UPDATE children SET certificate_status = 'confirmed', parent_proven_at = \
             (SELECT created_at FROM accounts WHERE email = 'anna@mail.ru') WHERE id = {peter}"
        ),
    )
    .await;
    let (status, body) = ask(&app, &mut anna, "maternity-capital", peter).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    for _ in 0..server::jobs::DEFAULT_MAX_ATTEMPTS {
        let report = run_queue(&app).await;
        if report.dead == 1 {
            break;
        }
        // Past the next retry's backoff; the page keeps asking, so the session stays alive.
        app.clock.advance(time::Duration::minutes(20));
        let (_, body) = panel(&app, &mut anna, "maternity-capital").await;
        assert_eq!(body["Children"][0]["check"], "Checking", "{body}");
    }
    let (_, body) = panel(&app, &mut anna, "maternity-capital").await;
    assert_eq!(body["Children"][0]["check"], "Unavailable", "{body}");
}
