//! Applying for a benefit, on both engines: the draft is saved page by page and resumes anywhere;
//! «Отправить» is idempotent (the same key and answers give the same application, other answers
//! are refused, twenty concurrent repeats make one); the application's receipt is a signed PDF
//! anyone can check; and nobody but the child's proven parent reaches any of it.

use reqwest::StatusCode;
use serde_json::Value;

use crate::browser::{Browser, call, pairs};
use crate::child_accounts::{
    child_sign_in, consent_id, create_child_account, decide, parent_with_confirmed_child,
};
use crate::documents::attach_all;
use crate::engine_tests;
use crate::family::{another_confirmed_parent, execute, officer_browser, run_queue, scalar};
use crate::helpers::TestApp;
use crate::receipts::pdf_text;

engine_tests!(
    a_draft_is_saved_page_by_page_and_resumes_where_it_was_left,
    bad_answers_are_refused_at_their_field_and_change_nothing,
    sending_is_idempotent_by_key_and_answers,
    twenty_concurrent_sends_make_one_application,
    a_sent_application_has_a_signed_receipt_and_a_live_page,
    nobody_but_the_proven_parent_reaches_a_draft_or_an_application,
    a_failed_rule_needs_the_applicants_acknowledgement,
);

const CODE: &str = "maternity-capital";

async fn api(
    app: &TestApp,
    browser: &mut Browser,
    endpoint: &str,
    form: &[(&str, &str)],
) -> (StatusCode, Value) {
    let (status, body, _) = call(app, browser, &format!("benefits/{endpoint}"), &pairs(form)).await;
    (status, body)
}

async fn start(app: &TestApp, browser: &mut Browser, child: i64) -> (StatusCode, Value) {
    api(
        app,
        browser,
        "application-start",
        &[("code", CODE), ("child_id", &child.to_string())],
    )
    .await
}

/// One page's answer, as the browser's form sends it.
async fn save(
    app: &TestApp,
    browser: &mut Browser,
    draft: i64,
    page: &str,
    fields: &[(&str, &str)],
) -> (StatusCode, Value) {
    let id = draft.to_string();
    let names: Vec<String> = fields
        .iter()
        .map(|(k, _)| format!("answer[{page}][{k}]"))
        .collect();
    let mut form: Vec<(&str, &str)> = vec![("id", &id)];
    form.extend(
        names
            .iter()
            .zip(fields)
            .map(|(name, (_, v))| (name.as_str(), *v)),
    );
    api(app, browser, "draft-answer", &form).await
}

/// Every page answered; returns the draft's version.
async fn fill(app: &TestApp, browser: &mut Browser, draft: i64) -> i64 {
    let pages: [(&str, &[(&str, &str)]); 5] = [
        ("Child", &[("birth_place", "г. Москва")]),
        (
            "Passport",
            &[
                ("number", "4510 123456"),
                ("issued_on", "05.03.2015"),
                ("issued_by", "ОВД района Арбат г. Москвы"),
            ],
        ),
        (
            "Snils",
            &[
                ("second_parent", "222-333-444 16"),
                ("single_parent", "false"),
            ],
        ),
        (
            "Addresses",
            &[
                ("registration", "119002, г. Москва, ул. Арбат, д. 1, кв. 2"),
                ("actual", ""),
                ("same_as_registration", "true"),
            ],
        ),
        (
            "Contacts",
            &[("phone", "+7 912 345-67-89"), ("email", "anna@mail.ru")],
        ),
    ];
    let mut version = 0;
    for (page, fields) in pages {
        let (status, body) = save(app, browser, draft, page, fields).await;
        assert_eq!(status, StatusCode::OK, "{page}: {body}");
        version = body["version"].as_i64().unwrap();
    }
    version
}

/// «Отправить» with the declaration given and no failed rule acknowledged.
pub(crate) async fn send(
    app: &TestApp,
    browser: &mut Browser,
    draft: i64,
    version: i64,
    key: &str,
) -> (StatusCode, Value) {
    let (status, body, _) = send_with(app, browser, (draft, version), key, [true, false]).await;
    (status, body)
}

/// «Отправить» as the browser sends it; `[declaration, accept_warnings]`.
async fn send_with(
    app: &TestApp,
    browser: &mut Browser,
    (draft, version): (i64, i64),
    key: &str,
    [declaration, accept]: [bool; 2],
) -> (StatusCode, Value, reqwest::header::HeaderMap) {
    let (draft, version) = (draft.to_string(), version.to_string());
    let form = pairs(&[
        ("submission[draft_id]", &draft),
        ("submission[version]", &version),
        ("submission[key]", key),
        ("submission[declaration]", &declaration.to_string()),
        ("submission[accept_warnings]", &accept.to_string()),
    ]);
    call(app, browser, "benefits/submit", &form).await
}

/// A parent with a confirmed child, the eligibility check done, and a draft's questions
/// answered (no documents yet).
pub(crate) async fn filled_draft_without_documents(app: &TestApp) -> (Browser, i64, i64, i64) {
    let (mut anna, peter) = parent_with_confirmed_child(app).await;
    let (status, body) = start(app, &mut anna, peter).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let draft = body.as_i64().unwrap();
    run_queue(app).await;
    let version = fill(app, &mut anna, draft).await;
    (anna, peter, draft, version)
}

/// The same, with every required document uploaded and approved: ready to send.
pub(crate) async fn filled_draft(app: &TestApp) -> (Browser, i64, i64, i64) {
    let (mut anna, peter, draft, _) = filled_draft_without_documents(app).await;
    let version = attach_all(app, &mut anna, draft).await;
    (anna, peter, draft, version)
}

/// «Оформить новую льготу» of another benefit for the child; the draft's id.
pub(crate) async fn start_for(app: &TestApp, browser: &mut Browser, code: &str, child: i64) -> i64 {
    let (status, body) = api(
        app,
        browser,
        "application-start",
        &[("code", code), ("child_id", &child.to_string())],
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body.as_i64().unwrap()
}

const KEY: &str = "0f8b6a3c-41d2-4e0a-9f7e-2b9c1d3e4f5a";

async fn a_draft_is_saved_page_by_page_and_resumes_where_it_was_left(app: &TestApp) {
    let (mut anna, peter) = parent_with_confirmed_child(app).await;
    let (status, body) = start(app, &mut anna, peter).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let draft = body.as_i64().unwrap();
    // «Оформить» again resumes the same draft; the check runs before the form.
    let (_, again) = start(app, &mut anna, peter).await;
    assert_eq!(again.as_i64(), Some(draft));
    assert_eq!(
        scalar(
            app,
            "SELECT COUNT(*) FROM jobs WHERE kind = 'benefits.eligibility_check'"
        )
        .await,
        1
    );

    // Filled in from the profile: the contacts; from the card: the child.
    let (status, view) = api(app, &mut anna, "draft", &[("id", &draft.to_string())]).await;
    assert_eq!(status, StatusCode::OK, "{view}");
    assert_eq!(view["child"]["name"], "Иванов Пётр Андреевич");
    assert_eq!(view["suggested"]["contacts"]["email"], "anna@mail.ru");
    assert_eq!(view["saved"]["child"], Value::Null);

    let (status, body) = save(
        app,
        &mut anna,
        draft,
        "Child",
        &[("birth_place", "  г.  Москва ")],
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["saved"]["child"]["birth_place"], "г. Москва");

    // Another device: the benefit's page lists the draft and leads to the next page.
    let mut phone = Browser {
        address: "198.51.100.90".into(),
        ..anna.clone()
    };
    let (_, panel, _) = call(
        app,
        &mut phone,
        "benefits/eligibility",
        &pairs(&[("code", CODE)]),
    )
    .await;
    assert_eq!(
        panel["Children"][0]["draft"]["id"].as_i64(),
        Some(draft),
        "{panel}"
    );
    assert_eq!(panel["Children"][0]["draft"]["next"], "passport");

    let version = fill(app, &mut phone, draft).await;
    let (_, panel, _) = call(
        app,
        &mut phone,
        "benefits/eligibility",
        &pairs(&[("code", CODE)]),
    )
    .await;
    assert_eq!(panel["Children"][0]["draft"]["next"], Value::Null);
    assert!(version > 1);

    // «Удалить черновик».
    let (status, _) = api(
        app,
        &mut anna,
        "draft-discard",
        &[("id", &draft.to_string())],
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        scalar(app, "SELECT COUNT(*) FROM application_drafts").await,
        0
    );

    // A draft nobody touches is kept half a year, then the nightly sweep removes it.
    start(app, &mut anna, peter).await;
    let now = app.clock_now();
    let kept = server::retention::purge(&app.db, now + time::Duration::days(179))
        .await
        .unwrap();
    assert_eq!(kept.drafts, 0);
    let purged = server::retention::purge(&app.db, now + time::Duration::days(181))
        .await
        .unwrap();
    assert_eq!(purged.drafts, 1);
}

async fn bad_answers_are_refused_at_their_field_and_change_nothing(app: &TestApp) {
    let (mut anna, _, draft, version) = filled_draft(app).await;
    let long = "а".repeat(301);
    // The page, what is typed, the refusal's code.
    type Case<'a> = (&'a str, Vec<(&'a str, &'a str)>, &'a str);
    let cases: [Case; 7] = [
        ("Child", vec![("birth_place", "")], "birth_place.empty"),
        (
            "Child",
            vec![("birth_place", long.as_str())],
            "birth_place.too_long",
        ),
        (
            "Passport",
            vec![
                ("number", "4510 12345"),
                ("issued_on", "31.02.2015"),
                ("issued_by", "ОВД"),
            ],
            "passport.format",
        ),
        (
            "Snils",
            vec![
                ("second_parent", "112-233-445 96"),
                ("single_parent", "false"),
            ],
            "snils.checksum",
        ),
        // The applicant's own СНИЛС as the other parent's.
        (
            "Snils",
            vec![
                ("second_parent", "112-233-445 95"),
                ("single_parent", "false"),
            ],
            "second_parent_snils.own",
        ),
        (
            "Addresses",
            vec![
                ("registration", "г. Москва, ул. Арбат"),
                ("actual", ""),
                ("same_as_registration", "true"),
            ],
            "registration_address.postal_index",
        ),
        (
            "Contacts",
            vec![("phone", "12"), ("email", "anna@")],
            "phone",
        ),
    ];
    for (page, fields, code) in cases {
        let (status, body) = save(app, &mut anna, draft, page, &fields).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{page}: {body}");
        let codes: Vec<&str> = body["details"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["code"].as_str().unwrap())
            .collect();
        assert!(
            codes.iter().any(|c| c.starts_with(code)),
            "{page}: {codes:?}"
        );
    }
    // A passport issued tomorrow.
    let (status, body) = save(
        app,
        &mut anna,
        draft,
        "Passport",
        &[
            ("number", "4510 123456"),
            ("issued_on", "01.01.2099"),
            ("issued_by", "ОВД"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["details"][0]["code"], "date.future");

    // Nothing was written: the draft is at the version it had.
    let (_, view) = api(app, &mut anna, "draft", &[("id", &draft.to_string())]).await;
    assert_eq!(view["version"].as_i64(), Some(version));
    assert_eq!(view["saved"]["child"]["birth_place"], "г. Москва");

    // Sending without the declaration, or with a page missing: refused, nothing made.
    let (status, body, _) = send_with(app, &mut anna, (draft, version), KEY, [false, false]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["details"][0]["field"], "declaration");
    execute(
        app,
        format!("UPDATE application_drafts SET answers = '{{}}' WHERE id = {draft}"),
    )
    .await;
    let (status, body) = send(app, &mut anna, draft, version, KEY).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["details"][0]["code"], "answers.missing");
    // A key that is not one the browser makes.
    let (status, _) = send(app, &mut anna, draft, version, "x").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(scalar(app, "SELECT COUNT(*) FROM applications").await, 0);
}

async fn sending_is_idempotent_by_key_and_answers(app: &TestApp) {
    let (mut anna, _, draft, version) = filled_draft(app).await;
    // Answers checked at an older version: another tab saved since.
    let (status, body) = send(app, &mut anna, draft, version - 1, KEY).await;
    assert_eq!(
        (status, body["details"][0]["code"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("answers.changed")),
        "{body}"
    );

    let (status, first) = send(app, &mut anna, draft, version, KEY).await;
    assert_eq!(status, StatusCode::OK, "{first}");
    let number = first["number"].as_str().unwrap();
    assert!(number.starts_with("600102-2026-"), "{number}");
    assert_eq!(first["status"], "under_review");

    // The same key and answers (a retry after a lost answer): the same application.
    let (status, again) = send(app, &mut anna, draft, version, KEY).await;
    assert_eq!((status, &again), (StatusCode::OK, &first));
    // The same key with other content: refused.
    let (status, body) = send(app, &mut anna, draft, version + 1, KEY).await;
    assert_eq!(
        (status, body["details"][0]["code"].as_str()),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("submission.key_reused")
        )
    );
    // The same draft under a second key (another device): no second application.
    let (status, body) = send(
        app,
        &mut anna,
        draft,
        version,
        "1f8b6a3c-41d2-4e0a-9f7e-2b9c1d3e4f5b",
    )
    .await;
    assert_eq!(
        (status, body["details"][0]["code"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("answers.changed")),
        "{body}"
    );

    assert_eq!(scalar(app, "SELECT COUNT(*) FROM applications").await, 1);
    assert_eq!(
        scalar(app, "SELECT COUNT(*) FROM application_drafts").await,
        0
    );
    // The intake booked the check again and told the parent, in the same transaction.
    assert_eq!(
        scalar(
            app,
            "SELECT COUNT(*) FROM jobs WHERE kind = 'benefits.eligibility_check'"
        )
        .await,
        2
    );
    let told = "SELECT COUNT(*) FROM outbox_messages WHERE subject LIKE 'Заявление № %'";
    assert_eq!(scalar(app, told).await, 2);
}

async fn twenty_concurrent_sends_make_one_application(app: &TestApp) {
    let (anna, _, draft, version) = filled_draft(app).await;
    let sends = (0..20).map(|_| {
        let mut browser = anna.clone();
        async move { send(app, &mut browser, draft, version, KEY).await }
    });
    let answers = futures::future::join_all(sends).await;
    // Each is the application or «come back later» (past the account's ceiling); none is a
    // second application or an error.
    let mut numbers = std::collections::HashSet::new();
    let mut throttled = 0;
    for (status, body) in &answers {
        match *status {
            StatusCode::OK => {
                numbers.insert(body["number"].as_str().unwrap().to_owned());
            }
            StatusCode::TOO_MANY_REQUESTS => throttled += 1,
            other => panic!("{other}: {body}"),
        }
    }
    assert_eq!(numbers.len(), 1, "{numbers:?}");
    // The browser's retry with the same key, once the ceiling allows: the same application.
    if throttled > 0 {
        let mut again = anna.clone();
        let (status, body) = send(app, &mut again, draft, version, KEY).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert!(numbers.contains(body["number"].as_str().unwrap()));
    }
    assert_eq!(scalar(app, "SELECT COUNT(*) FROM applications").await, 1);
    // …and one entry in its journal: the submission.
    assert_eq!(
        scalar(
            app,
            "SELECT COUNT(*) FROM application_events WHERE kind = 'submitted'"
        )
        .await,
        1
    );
}

/// Past the account's ceiling «Отправить» is told when to come back, before anything is read or
/// written; another family is not held up, and the retry with the same key goes through.
#[tokio::test]
async fn a_submission_past_the_ceiling_gets_429_and_retry_after() {
    let app = crate::helpers::TestApp::spawn_with(crate::helpers::Engine::Sqlite, |c| {
        c.submissions_per_account_per_minute = 1
    })
    .await
    .unwrap();
    let (mut anna, peter, draft, version) = filled_draft(&app).await;
    // The first submission takes the minute's allowance...
    let (status, other) = api(
        &app,
        &mut anna,
        "application-start",
        &[
            ("code", "unified-allowance"),
            ("child_id", &peter.to_string()),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{other}");
    let second = other.as_i64().unwrap();
    fill(&app, &mut anna, second).await;
    let second_version = attach_all(&app, &mut anna, second).await;
    // (The check ran meanwhile and found a rule failed: acknowledged.)
    let (status, body, _) =
        send_with(&app, &mut anna, (second, second_version), KEY, [true, true]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    // ...so the next is refused with Retry-After, and nothing is made.
    let other_key = "4f8b6a3c-41d2-4e0a-9f7e-2b9c1d3e4f5e";
    let (status, body, headers) =
        send_with(&app, &mut anna, (draft, version), other_key, [true, false]).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{body}");
    let wait: u64 = headers["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=60).contains(&wait), "{wait}");
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM applications").await, 1);
    assert_eq!(
        scalar(&app, "SELECT COUNT(*) FROM application_drafts").await,
        1
    );
    // A repeat of the accepted one is still answered: it costs no admission.
    let (status, again) = send(&app, &mut anna, second, second_version, KEY).await;
    assert_eq!(
        (status, again),
        (StatusCode::OK, body_of_first(&app, &mut anna).await)
    );
}

/// The one application «Мои заявки» lists, as «Отправить» answered it.
async fn body_of_first(app: &TestApp, browser: &mut Browser) -> Value {
    let (_, list) = api(app, browser, "applications", &[]).await;
    let id = list[0]["id"].as_i64().unwrap();
    let (_, details) = api(app, browser, "application", &[("id", &id.to_string())]).await;
    serde_json::json!({
        "application_id": id,
        "number": details["summary"]["number"],
        "submitted_at": details["summary"]["submitted_at"],
        "status": details["summary"]["status"],
    })
}

async fn a_sent_application_has_a_signed_receipt_and_a_live_page(app: &TestApp) {
    let (mut anna, _, draft, version) = filled_draft(app).await;
    let (_, sent) = send(app, &mut anna, draft, version, KEY).await;
    let id = sent["application_id"].as_i64().unwrap();
    let number = sent["number"].as_str().unwrap().to_owned();

    // «Мои заявки».
    let (status, list) = api(app, &mut anna, "applications", &[]).await;
    assert_eq!(status, StatusCode::OK, "{list}");
    assert_eq!(list[0]["number"], number.as_str());
    assert_eq!(list[0]["child_name"], "Иванов Пётр Андреевич");
    assert_eq!(list[0]["benefit_name"], "Материнский (семейный) капитал");

    // The page asks with the version it shows: unchanged is `null`, a change is the new page.
    let (_, page) = api(app, &mut anna, "application", &[("id", &id.to_string())]).await;
    let v = page["version"].as_i64().unwrap();
    let (status, same) = api(
        app,
        &mut anna,
        "application",
        &[("id", &id.to_string()), ("known_version", &v.to_string())],
    )
    .await;
    assert_eq!((status, same), (StatusCode::OK, Value::Null));
    execute(
        app,
        format!(
            "UPDATE applications SET status = 'approved', version = version + 1 WHERE id = {id}"
        ),
    )
    .await;
    let (_, changed) = api(
        app,
        &mut anna,
        "application",
        &[("id", &id.to_string()), ("known_version", &v.to_string())],
    )
    .await;
    assert_eq!(changed["summary"]["status"], "approved");

    // The receipt: a signed PDF with the number, the benefit, the child and the answers.
    let response = receipt(app, Some(&anna), id).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(
        response.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .starts_with("attachment;")
    );
    let pdf = response.bytes().await.unwrap().to_vec();
    let text = pdf_text(&pdf);
    for part in [
        number.as_str(),
        "Материнский (семейный) капитал",
        "Иванов Пётр Андреевич",
        "119002, г. Москва",
        "На рассмотрении",
    ] {
        assert!(text.contains(part), "{part} not in {text}");
    }
    // A decision since does not change what the receipt proves: the same file again.
    let again = receipt(app, Some(&anna), id)
        .await
        .bytes()
        .await
        .unwrap()
        .to_vec();
    assert_eq!(again, pdf);
    let receipt_number = format!(
        "A-2026-{:07}",
        scalar(app, "SELECT MAX(id) FROM receipts").await
    );
    let signature: String =
        server::db::receipts::by_id(&app.db, scalar(app, "SELECT MAX(id) FROM receipts").await)
            .await
            .unwrap()
            .unwrap()
            .signature;
    let (status, verdict, _) = call(
        app,
        &mut Browser::new(),
        "receipts/check",
        &pairs(&[("number", &receipt_number), ("signature", &signature)]),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{verdict}");
    let facts = verdict["Genuine"]["facts"].to_string();
    assert!(facts.contains(&number), "{facts}");
    assert!(!facts.contains("Пётр"), "no personal data: {facts}");
}

pub(crate) async fn receipt(
    app: &TestApp,
    browser: Option<&Browser>,
    id: i64,
) -> reqwest::Response {
    let mut request = app
        .client
        .get(format!("{}/applications/{id}/receipt", app.address));
    if let Some(cookie) = browser.and_then(|b| b.cookie.as_ref()) {
        request = request.header("cookie", format!("__Host-portal_session={cookie}"));
    }
    request.send().await.expect("GET")
}

async fn nobody_but_the_proven_parent_reaches_a_draft_or_an_application(app: &TestApp) {
    let (mut anna, peter, draft, version) = filled_draft(app).await;
    let (_, sent) = send(app, &mut anna, draft, version, KEY).await;
    let application = sent["application_id"].as_i64().unwrap();
    let (status, body) = start(app, &mut anna, peter).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let second = body.as_i64().unwrap();
    let (d, a, p) = (
        second.to_string(),
        application.to_string(),
        peter.to_string(),
    );

    let mut stranger = another_confirmed_parent(app).await;
    let mut officer = officer_browser(app).await;
    execute(
        app,
        "UPDATE accounts SET level = 'confirmed' WHERE email = 'officer@mail.ru'",
    )
    .await;
    create_child_account(app, &mut anna, peter).await;
    let consent = consent_id(app, &mut anna, peter).await;
    decide(app, &mut anna, consent, "grant").await;
    let mut child = Browser::at("198.51.100.61");
    let (status, body) = child_sign_in(app, &mut child).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let mut anonymous = Browser::at("198.51.100.62");

    for (who, browser, expected) in [
        ("anonymous", &mut anonymous, StatusCode::UNAUTHORIZED),
        ("another parent", &mut stranger, StatusCode::NOT_FOUND),
        ("an officer", &mut officer, StatusCode::NOT_FOUND),
    ] {
        let calls: [(&str, Vec<(&str, &str)>); 5] = [
            ("application-start", vec![("code", CODE), ("child_id", &p)]),
            ("draft", vec![("id", &d)]),
            (
                "draft-answer",
                vec![("id", &d), ("answer[Child][birth_place]", "г. Тула")],
            ),
            ("draft-discard", vec![("id", &d)]),
            ("application", vec![("id", &a)]),
        ];
        for (endpoint, form) in calls {
            let (status, body) = api(app, browser, endpoint, &form).await;
            assert_eq!(status, expected, "{who} {endpoint}: {body}");
        }
        let (status, _) = send(
            app,
            browser,
            second,
            1,
            "2f8b6a3c-41d2-4e0a-9f7e-2b9c1d3e4f5c",
        )
        .await;
        assert_eq!(status, expected, "{who} submit");
        let response = receipt(app, Some(browser), application).await;
        assert_eq!(response.status(), expected, "{who} receipt");
        if expected != StatusCode::UNAUTHORIZED {
            let (_, list) = api(app, browser, "applications", &[]).await;
            assert_eq!(list, serde_json::json!([]), "{who} sees no applications");
        }
    }
    // The child's own account: not a confirmed parent, and its list is empty.
    let (status, body) = api(app, &mut child, "draft", &[("id", &d)]).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    let (status, body) = send(
        app,
        &mut child,
        second,
        1,
        "3f8b6a3c-41d2-4e0a-9f7e-2b9c1d3e4f5d",
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    let (_, list) = api(app, &mut child, "applications", &[]).await;
    assert_eq!(list, serde_json::json!([]));
    assert_eq!(
        receipt(app, Some(&child), application).await.status(),
        StatusCode::NOT_FOUND
    );

    // Nothing of theirs changed anything: the draft is whole, one application.
    let (_, view) = api(app, &mut anna, "draft", &[("id", &d)]).await;
    assert_eq!(view["saved"]["child"], Value::Null);
    assert_eq!(scalar(app, "SELECT COUNT(*) FROM applications").await, 1);
}

async fn a_failed_rule_needs_the_applicants_acknowledgement(app: &TestApp) {
    let (mut anna, peter) = parent_with_confirmed_child(app).await;
    // The large-family payment is paid for Пётр already: the double-receipt rule fails.
    let (status, body) = api(
        app,
        &mut anna,
        "application-start",
        &[
            ("code", "large-family-payment"),
            ("child_id", &peter.to_string()),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let draft = body.as_i64().unwrap();
    run_queue(app).await;
    fill(app, &mut anna, draft).await;
    let version = attach_all(app, &mut anna, draft).await;
    let (_, view) = api(app, &mut anna, "draft", &[("id", &draft.to_string())]).await;
    assert!(view["eligibility"]["Failed"].is_array(), "{view}");

    let (status, body) = send(app, &mut anna, draft, version, KEY).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["details"][0]["field"], "accept_warnings");
    let (status, body, _) = send_with(app, &mut anna, (draft, version), KEY, [true, true]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    // The officer will see the flag.
    assert_eq!(
        scalar(
            app,
            "SELECT COUNT(*) FROM applications WHERE eligibility = 'failed'"
        )
        .await,
        1
    );
}
