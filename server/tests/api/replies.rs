//! The family's replies on both engines: the answer to «Требуется уточнение» (refused without
//! what was asked, held back while a file is checked, then back in the officer's queue with the
//! new material marked), and «Оспорить решение» (within 30 days, decided by another officer than
//! the one who refused; after the 30 days the page says why it is gone and the server refuses).

use reqwest::StatusCode;
use serde_json::Value;

use crate::browser::{Browser, call, pairs};
use crate::documents::upload_for_reply;
use crate::engine_tests;
use crate::family::{another_confirmed_parent, officer_browser, run_queue, scalar};
use crate::helpers::TestApp;
use crate::officer::{code, decide_as, desk, second_officer, sent};

engine_tests!(
    a_clarification_is_answered_with_a_document_and_goes_back_to_the_queue,
    a_refusal_is_appealed_and_decided_by_another_officer,
    an_appeal_after_thirty_days_is_refused,
);

async fn page(app: &TestApp, parent: &mut Browser, id: i64) -> Value {
    let (status, body, _) = call(
        app,
        parent,
        "benefits/application",
        &pairs(&[("id", &id.to_string())]),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body
}

async fn reply(
    app: &TestApp,
    parent: &mut Browser,
    endpoint: &str,
    id: i64,
    text: &str,
    version: i64,
) -> (StatusCode, Value) {
    let form = pairs(&[
        ("id", &id.to_string()),
        ("reply[text]", text),
        ("reply[version]", &version.to_string()),
    ]);
    let (status, body, _) = call(app, parent, &format!("benefits/{endpoint}"), &form).await;
    (status, body)
}

/// The officer takes the application and decides it; the case file after.
pub(crate) async fn claimed_and_decided(
    app: &TestApp,
    officer: &mut Browser,
    id: i64,
    action: &str,
    comment: &str,
) -> Value {
    let (status, case) = desk(app, officer, "claim", &[("id", &id.to_string())]).await;
    assert_eq!(status, StatusCode::OK, "{case}");
    let version = case["version"].as_i64().unwrap();
    let (status, case) = decide_as(app, officer, id, action, comment, version).await;
    assert_eq!(status, StatusCode::OK, "{case}");
    case
}

async fn a_clarification_is_answered_with_a_document_and_goes_back_to_the_queue(app: &TestApp) {
    let (mut anna, id, _) = sent(app).await;
    let mut officer = officer_browser(app).await;
    let ask = "Приложите справку о доходах за 12 месяцев";
    claimed_and_decided(app, &mut officer, id, "request_clarification", ask).await;

    let shown = page(app, &mut anna, id).await;
    assert_eq!(shown["reply"]["Clarification"]["request"], ask, "{shown}");
    assert!(
        shown["accepted"]
            .as_array()
            .unwrap()
            .contains(&Value::from("other"))
    );
    let version = shown["version"].as_i64().unwrap();

    // Nothing written and nothing added: refused at the answer's field, nothing changes.
    let (status, body) = reply(app, &mut anna, "application-resend", id, "  ", version).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["details"][0]["field"], "comment", "{body}");
    assert_eq!(
        body["details"][0]["code"], "decision.nothing_sent",
        "{body}"
    );

    // Another family can neither add a file to it nor reply to it.
    let mut stranger = another_confirmed_parent(app).await;
    let (status, _) = upload_for_reply(app, Some(&stranger), id, "other", "чужое.pdf").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    for endpoint in ["application-resend", "application-appeal"] {
        let (status, body) = reply(app, &mut stranger, endpoint, id, "Ответ", version).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{endpoint}: {body}");
    }

    // A file being checked holds the reply back; once checked it goes with it.
    let (status, body) = upload_for_reply(app, Some(&anna), id, "other", "справка.pdf").await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let (status, body) = reply(app, &mut anna, "application-resend", id, "", version).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["details"][0]["field"], "reply-documents", "{body}");
    run_queue(app).await;
    let shown = page(app, &mut anna, id).await;
    assert_eq!(shown["held"][0]["status"], "approved", "{shown}");
    let (status, shown) = reply(
        app,
        &mut anna,
        "application-resend",
        id,
        "Справка приложена",
        version,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{shown}");
    assert_eq!(shown["summary"]["status"], "under_review");
    assert_eq!(shown["held"], Value::Array(vec![]), "{shown}");
    assert_eq!(shown["reply"], "Nothing");
    let last = shown["journal"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["event"]["action"], "resend", "{last}");
    assert_eq!(last["who"], "Заявитель");
    assert_eq!(last["files"][0]["file_name"], "справка.pdf", "{last}");

    // Back in the queue, the new material marked; the officer opens the new file inline.
    let (_, queue) = desk(app, &mut officer, "queue", &[]).await;
    assert_eq!(queue["rows"][0]["new_material"], true, "{queue}");
    let (_, case) = desk(app, &mut officer, "case", &[("id", &id.to_string())]).await;
    let added: Vec<&Value> = case["documents"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["new"] == true)
        .collect();
    assert_eq!(added.len(), 1, "{case}");
    assert_eq!(added[0]["file_name"], "справка.pdf");

    // Now nothing may be added: the application waits for the officer.
    let (status, body) = upload_for_reply(app, Some(&anna), id, "other", "ещё.pdf").await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(
        scalar(app, "SELECT COUNT(*) FROM application_uploads").await,
        0
    );
}

async fn a_refusal_is_appealed_and_decided_by_another_officer(app: &TestApp) {
    let (mut anna, id, _) = sent(app).await;
    let mut first = officer_browser(app).await;
    let case = claimed_and_decided(app, &mut first, id, "reject", "Доход семьи выше порога").await;
    let refusal = case["journal"].as_array().unwrap().last().unwrap()["number"].clone();

    let shown = page(app, &mut anna, id).await;
    let open = &shown["reply"]["AppealOpen"];
    assert_eq!(open["decision"], refusal, "{shown}");
    assert_eq!(open["reason"], "Доход семьи выше порога");
    let version = shown["version"].as_i64().unwrap();

    // The arguments are required.
    let (status, body) = reply(app, &mut anna, "application-appeal", id, "", version).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["details"][0]["field"], "comment", "{body}");

    let (status, body) = upload_for_reply(app, Some(&anna), id, "other", "выписка.pdf").await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    run_queue(app).await;
    let (status, shown) = reply(
        app,
        &mut anna,
        "application-appeal",
        id,
        "Доход указан за неверный период",
        version,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{shown}");
    assert_eq!(shown["summary"]["status"], "appealed");

    // The officer who refused may take it, but not decide it.
    let (status, case) = desk(app, &mut first, "claim", &[("id", &id.to_string())]).await;
    assert_eq!(status, StatusCode::OK, "{case}");
    assert_eq!(case["actions"], Value::Array(vec![]), "{case}");
    let version = case["version"].as_i64().unwrap();
    let (status, body) = decide_as(app, &mut first, id, "uphold_appeal", "", version).await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::CONFLICT, "own_refusal"),
        "{body}"
    );
    let (status, _) = desk(app, &mut first, "release", &[("id", &id.to_string())]).await;
    assert_eq!(status, StatusCode::OK);

    let mut second = second_officer(app).await;
    let case = claimed_and_decided(app, &mut second, id, "uphold_appeal", "Доход пересчитан").await;
    assert_eq!(case["status"], "approved", "{case}");
    let shown = page(app, &mut anna, id).await;
    assert_eq!(shown["summary"]["status"], "approved");
    let events: Vec<String> = shown["journal"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["event"]["action"].as_str().unwrap_or("-").to_owned())
        .filter(|e| e != "-")
        .collect();
    assert_eq!(events, ["reject", "appeal", "uphold_appeal"], "{shown}");

    // An approval cannot be appealed.
    let version = shown["version"].as_i64().unwrap();
    let (status, body) = reply(
        app,
        &mut anna,
        "application-appeal",
        id,
        "Не согласна",
        version,
    )
    .await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::CONFLICT, "transition_not_allowed"),
        "{body}"
    );
}

async fn an_appeal_after_thirty_days_is_refused(app: &TestApp) {
    let (mut anna, id, _) = sent(app).await;
    let mut officer = officer_browser(app).await;
    claimed_and_decided(
        app,
        &mut officer,
        id,
        "reject",
        "Не подтверждён статус семьи",
    )
    .await;
    let version = page(app, &mut anna, id).await["version"].as_i64().unwrap();

    // Thirty-one days later (signed in again: the session has long ended).
    app.clock.advance(time::Duration::days(31));
    let form = pairs(&[
        ("login", "anna@mail.ru"),
        ("password", crate::browser::PASSWORD),
    ]);
    let (status, body, _) = call(app, &mut anna, "account/sign-in", &form).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let shown = page(app, &mut anna, id).await;
    assert!(shown["reply"]["AppealClosed"].is_object(), "{shown}");
    let (status, body) = reply(
        app,
        &mut anna,
        "application-appeal",
        id,
        "Прошу пересмотреть",
        version,
    )
    .await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::CONFLICT, "appeal_closed"),
        "{body}"
    );
    let (status, _) = upload_for_reply(app, Some(&anna), id, "other", "поздно.pdf").await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(
        page(app, &mut anna, id).await["summary"]["status"],
        "rejected"
    );
}
