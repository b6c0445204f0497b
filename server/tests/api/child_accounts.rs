//! A child's own account: «Создать» only for a confirmed child under 14, the wizard (address,
//! phone code, e-mail link, password), the consent gate on the child's first sign-in, the
//! receipt and revocation, and who may do any of it — on both engines.

use reqwest::StatusCode;
use serde_json::{Value, json};
use time::Duration;

use crate::browser::{Browser, PASSWORD, call, codes, delivered_to, link_token, pairs, sms_code};
use crate::engine_tests;
use crate::family::{add, confirmed_parent, expect_notification, peter, request, run_queue};
use crate::helpers::TestApp;

pub(crate) const CHILD_EMAIL: &str = "petya@mail.ru";
const CHILD_PHONE: &str = "+7 916 555-44-33";
pub(crate) const CHILD_PASSWORD: &str = "Petya-Pass-2026";

fn id_form(child: i64, rest: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut form = pairs(rest);
    form.push(("child_id".into(), child.to_string()));
    form
}

async fn card(app: &TestApp, browser: &mut Browser, id: i64) -> Value {
    crate::family::child_details(app, browser, id).await["account"].clone()
}

/// A confirmed parent with Пётр, whose certificate and СНИЛС are confirmed.
pub(crate) async fn parent_with_confirmed_child(app: &TestApp) -> (Browser, i64) {
    let mut parent = confirmed_parent(app).await;
    let id = add(app, &mut parent, &peter()).await;
    request(app, &mut parent, &[id]).await;
    run_queue(app).await;
    run_queue(app).await;
    (parent, id)
}

async fn step(
    app: &TestApp,
    browser: &mut Browser,
    endpoint: &str,
    form: &[(String, String)],
) -> Value {
    let (status, body, _) = call(app, browser, endpoint, form).await;
    assert_eq!(status, StatusCode::OK, "{endpoint}: {body}");
    body
}

fn address(child: i64) -> Vec<(String, String)> {
    id_form(
        child,
        &[
            ("form[citizenship_russia]", "true"),
            ("form[birth_place]", "г. Москва"),
            (
                "form[registration_address]",
                "г. Москва, ул. Тверская, д. 1, кв. 2",
            ),
        ],
    )
}

/// Walks the wizard to the end; the child's e-mail is confirmed from another browser.
pub(crate) async fn create_child_account(app: &TestApp, parent: &mut Browser, id: i64) {
    step(app, parent, "child-account/wizard", &id_form(id, &[])).await;
    step(app, parent, "child-account/address", &address(id)).await;
    step(app, parent, "child-account/phone-skip", &id_form(id, &[])).await;
    step(
        app,
        parent,
        "child-account/email",
        &id_form(id, &[("email", CHILD_EMAIL), ("consent", "true")]),
    )
    .await;
    app.outbox.run_once().await.unwrap();
    let token = link_token(&delivered_to(app, CHILD_EMAIL).await);
    step(
        app,
        &mut Browser::new(),
        "child-account/email-confirm",
        &pairs(&[("token", &token)]),
    )
    .await;
    step(
        app,
        parent,
        "child-account/create",
        &id_form(
            id,
            &[
                ("password", CHILD_PASSWORD),
                ("password_repeat", CHILD_PASSWORD),
            ],
        ),
    )
    .await;
}

/// «Скачать квитанцию» as a browser with (or without) this session would.
pub(crate) async fn download_receipt(
    app: &TestApp,
    browser: Option<&Browser>,
    consent: i64,
) -> reqwest::Response {
    let mut request = app.client.get(format!(
        "{}/documents/family/consents/{consent}/receipt",
        app.address
    ));
    if let Some(cookie) = browser.and_then(|b| b.cookie.as_ref()) {
        request = request.header("cookie", format!("__Host-portal_session={cookie}"));
    }
    request.send().await.unwrap()
}

async fn drafts(app: &TestApp) -> i64 {
    const SQL: &str = "SELECT COUNT(*) FROM child_account_drafts";
    match &app.db {
        server::db::Database::Sqlite { writer, .. } => {
            sqlx::query_scalar(SQL).fetch_one(writer).await.unwrap()
        }
        server::db::Database::Postgres(pool) => {
            sqlx::query_scalar(SQL).fetch_one(pool).await.unwrap()
        }
    }
}

pub(crate) async fn child_sign_in(app: &TestApp, child: &mut Browser) -> (StatusCode, Value) {
    let (status, body, _) = call(
        app,
        child,
        "account/sign-in",
        &pairs(&[("login", CHILD_EMAIL), ("password", CHILD_PASSWORD)]),
    )
    .await;
    (status, body)
}

pub(crate) async fn consent_id(app: &TestApp, parent: &mut Browser, id: i64) -> i64 {
    card(app, parent, id).await["Account"]["consent"]["id"]
        .as_i64()
        .unwrap()
}

pub(crate) async fn decide(
    app: &TestApp,
    browser: &mut Browser,
    consent: i64,
    decision: &str,
) -> (StatusCode, Value) {
    let (status, body, _) = call(
        app,
        browser,
        "consents/decide",
        &pairs(&[("id", &consent.to_string()), ("decision", decision)]),
    )
    .await;
    (status, body)
}

async fn create_is_offered_only_once_both_documents_are_confirmed(app: &TestApp) {
    let mut parent = confirmed_parent(app).await;
    let id = add(app, &mut parent, &peter()).await;
    assert_eq!(
        card(app, &mut parent, id).await,
        json!({"Unavailable": {"kind": "documents_not_confirmed", "certificate": true, "snils": true}})
    );
    // The wizard is refused too, not just hidden.
    let (status, body, _) = call(app, &mut parent, "child-account/wizard", &id_form(id, &[])).await;
    assert_eq!(
        (status, body["details"].as_str()),
        (StatusCode::CONFLICT, Some("child_account_not_allowed"))
    );

    request(app, &mut parent, &[id]).await;
    run_queue(app).await;
    assert_eq!(
        card(app, &mut parent, id).await,
        json!({"Unavailable": {"kind": "documents_not_confirmed", "certificate": false, "snils": true}})
    );
    run_queue(app).await;
    assert_eq!(
        card(app, &mut parent, id).await,
        json!({"CanCreate": {"started": false}})
    );
}

async fn a_parent_creates_the_account_and_the_child_signs_in_after_consent(app: &TestApp) {
    let (mut parent, id) = parent_with_confirmed_child(app).await;
    let wizard = step(app, &mut parent, "child-account/wizard", &id_form(id, &[])).await;
    assert_eq!(wizard["step"], "address");
    assert_eq!(
        card(app, &mut parent, id).await,
        json!({"CanCreate": {"started": true}})
    );

    // Address: every missing part named, nothing stored.
    let (status, body, _) = call(
        app,
        &mut parent,
        "child-account/address",
        &id_form(id, &[("form[birth_place]", "")]),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        codes(&body),
        [
            "citizenship.required",
            "birth_place.empty",
            "registration_address.empty"
        ]
    );
    // «Совпадает с вашим адресом» without an address of the parent's on file.
    let mut same = address(id);
    same.push(("form[same_as_parent]".into(), "true".into()));
    same.retain(|(k, _)| k != "form[registration_address]");
    let (status, body, _) = call(app, &mut parent, "child-account/address", &same).await;
    assert_eq!(
        (status, codes(&body)),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            vec!["same_address.unknown".to_owned()]
        )
    );
    // With an address in the parent's profile the box fills the child's.
    let (status, body, _) = call(
        app,
        &mut parent,
        "account/registration-address",
        &pairs(&[("address", "")]),
    )
    .await;
    assert_eq!(
        (status, codes(&body)),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            vec!["registration_address.empty".to_owned()]
        )
    );
    step(
        app,
        &mut parent,
        "account/registration-address",
        &pairs(&[("address", "г. Москва, ул. Тверская, д. 1, кв. 2")]),
    )
    .await;
    let wizard = step(app, &mut parent, "child-account/address", &same).await;
    assert_eq!(
        (
            wizard["step"].as_str(),
            wizard["registration_address"].as_str()
        ),
        (Some("phone"), Some("г. Москва, ул. Тверская, д. 1, кв. 2"))
    );
    // A step already done cannot be redone out of order.
    let (status, body, _) = call(app, &mut parent, "child-account/address", &address(id)).await;
    assert_eq!(
        (status, body["details"].as_str()),
        (StatusCode::CONFLICT, Some("wizard_step_out_of_order"))
    );

    // Phone: not the parent's, then a code; a wrong code is counted.
    let (status, body, _) = call(
        app,
        &mut parent,
        "child-account/phone-code",
        &id_form(id, &[("phone", "+7 912 345-67-89")]),
    )
    .await;
    assert_eq!(
        (status, codes(&body)),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            vec!["child_phone.parent".to_owned()]
        )
    );
    let wizard = step(
        app,
        &mut parent,
        "child-account/phone-code",
        &id_form(id, &[("phone", CHILD_PHONE)]),
    )
    .await;
    assert_eq!(wizard["phone_code_sent_to"], CHILD_PHONE);
    // A second code within a minute waits.
    let (status, _, headers) = call(
        app,
        &mut parent,
        "child-account/phone-code",
        &id_form(id, &[("phone", CHILD_PHONE)]),
    )
    .await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    assert!(headers.get("retry-after").is_some());
    app.outbox.run_once().await.unwrap();
    let code = sms_code(&delivered_to(app, "+79165554433").await);
    let wrong = if code == "000000" { "111111" } else { "000000" };
    let (status, body, _) = call(
        app,
        &mut parent,
        "child-account/phone-confirm",
        &id_form(id, &[("code", wrong)]),
    )
    .await;
    assert_eq!(
        (status, codes(&body)),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            vec!["code.wrong".to_owned()]
        )
    );
    let wizard = step(
        app,
        &mut parent,
        "child-account/phone-confirm",
        &id_form(id, &[("code", &code)]),
    )
    .await;
    assert_eq!(
        (wizard["step"].as_str(), wizard["phone_confirmed"].as_str()),
        (Some("email"), Some(CHILD_PHONE))
    );

    // E-mail: not the parent's, and only with the consent ticked.
    let (status, body, _) = call(
        app,
        &mut parent,
        "child-account/email",
        &id_form(id, &[("email", "anna@mail.ru"), ("consent", "true")]),
    )
    .await;
    assert_eq!(
        (status, codes(&body)),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            vec!["child_email.parent".to_owned()]
        )
    );
    let (status, body, _) = call(
        app,
        &mut parent,
        "child-account/email",
        &id_form(id, &[("email", CHILD_EMAIL), ("consent", "false")]),
    )
    .await;
    assert_eq!(
        (status, codes(&body)),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            vec!["consent.missing".to_owned()]
        )
    );
    let wizard = step(
        app,
        &mut parent,
        "child-account/email",
        &id_form(id, &[("email", CHILD_EMAIL), ("consent", "true")]),
    )
    .await;
    assert_eq!(
        (wizard["step"].as_str(), wizard["email_sent_to"].as_str()),
        (Some("email_sent"), Some("p***@mail.ru"))
    );
    app.outbox.run_once().await.unwrap();
    let letter = delivered_to(app, CHILD_EMAIL).await;
    assert!(
        letter
            .body
            .contains("Подтвердите адрес, чтобы создать учётную запись"),
        "{}",
        letter.body
    );
    assert!(letter.body.contains("Имя ребёнка: Пётр"));
    // The password waits for the link.
    let (status, _, _) = call(
        app,
        &mut parent,
        "child-account/create",
        &id_form(
            id,
            &[
                ("password", CHILD_PASSWORD),
                ("password_repeat", CHILD_PASSWORD),
            ],
        ),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT);

    // The link works once, from any browser.
    let token = link_token(&letter);
    let confirmed = step(
        app,
        &mut Browser::at("198.51.100.7"),
        "child-account/email-confirm",
        &pairs(&[("token", &token)]),
    )
    .await;
    assert_eq!(confirmed["child_first_name"], "Пётр");
    let (status, body, _) = call(
        app,
        &mut Browser::new(),
        "child-account/email-confirm",
        &pairs(&[("token", &token)]),
    )
    .await;
    assert_eq!(
        (status, body["details"].as_str()),
        (StatusCode::CONFLICT, Some("link_used"))
    );
    // A reload lands on the password step.
    let wizard = step(app, &mut parent, "child-account/wizard", &id_form(id, &[])).await;
    assert_eq!(wizard["step"], "password");

    let (status, body, _) = call(
        app,
        &mut parent,
        "child-account/create",
        &id_form(
            id,
            &[("password", CHILD_PASSWORD), ("password_repeat", "other")],
        ),
    )
    .await;
    assert_eq!(
        (status, codes(&body)),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            vec!["password_repeat.mismatch".to_owned()]
        )
    );
    step(
        app,
        &mut parent,
        "child-account/create",
        &id_form(
            id,
            &[
                ("password", CHILD_PASSWORD),
                ("password_repeat", CHILD_PASSWORD),
            ],
        ),
    )
    .await;
    let account = card(app, &mut parent, id).await;
    assert_eq!(account["Account"]["email"], CHILD_EMAIL, "{account}");
    assert_eq!(account["Account"]["phone"], CHILD_PHONE);
    assert_eq!(account["Account"]["consent"]["status"], "requested");
    expect_notification(
        app,
        &mut parent,
        "Запрос согласия на передачу персональных данных ребёнка",
    )
    .await;
    // The wizard is over: «Создать» is gone.
    let (status, _, _) = call(app, &mut parent, "child-account/wizard", &id_form(id, &[])).await;
    assert_eq!(status, StatusCode::CONFLICT);

    // The child's first sign-in is refused until the parent consents.
    let mut child = Browser::at("198.51.100.7");
    let (status, body) = child_sign_in(app, &mut child).await;
    assert_eq!(
        (status, body["details"].as_str()),
        (StatusCode::CONFLICT, Some("parent_consent_required"))
    );
    assert!(child.cookie.is_none());
    // So is the phone as a login, and a wrong password still reads as a wrong password.
    let (_, body, _) = call(
        app,
        &mut child,
        "account/sign-in",
        &pairs(&[("login", CHILD_PHONE), ("password", "Wrong-Pass-1")]),
    )
    .await;
    assert_eq!(body["details"], "sign_in_failed");

    let consent = consent_id(app, &mut parent, id).await;
    let (status, body) = decide(app, &mut parent, consent, "grant").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, body) = child_sign_in(app, &mut child).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    expect_notification(app, &mut child, "Родитель дал согласие").await;
    // Deciding twice is refused: the consent moved on.
    let (status, body) = decide(app, &mut parent, consent, "decline").await;
    assert_eq!(
        (status, body["details"].as_str()),
        (StatusCode::CONFLICT, Some("consent_already_decided"))
    );

    // The receipt names who, for whom, which text, when and from where.
    let receipt = download_receipt(app, Some(&parent), consent).await;
    assert_eq!(receipt.status(), StatusCode::OK);
    let text = crate::receipts::pdf_text(&receipt.bytes().await.unwrap());
    for part in [
        "Иванова Анна Сергеевна",
        "Иванов Пётр Андреевич",
        "2026-11-30",
        "Согласие дано, адрес 203.0.113.10",
    ] {
        assert!(text.contains(part), "{part} not in {text}");
    }
    // Not for anyone without the parent's session.
    let anonymous = download_receipt(app, None, consent).await;
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);

    // Revoking ends the child's sessions at once and closes the door again.
    let (status, _) = decide(app, &mut parent, consent, "revoke").await;
    assert_eq!(status, StatusCode::OK);
    let (status, _, _) = call(app, &mut child, "account/profile", &[]).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, body) = child_sign_in(app, &mut child).await;
    assert_eq!(
        (status, body["details"].as_str()),
        (StatusCode::CONFLICT, Some("parent_consent_required"))
    );

    // Consent again is a new record; the list keeps both.
    let (status, _) = decide(app, &mut parent, consent, "grant").await;
    assert_eq!(status, StatusCode::OK);
    let (_, list, _) = call(app, &mut parent, "consents/list", &[]).await;
    let statuses: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses, ["granted", "revoked"]);
    let (status, _) = child_sign_in(app, &mut child).await;
    assert_eq!(status, StatusCode::OK);
}

async fn an_abandoned_wizard_resumes_or_is_cleaned_up(app: &TestApp) {
    let (mut parent, id) = parent_with_confirmed_child(app).await;
    step(app, &mut parent, "child-account/wizard", &id_form(id, &[])).await;
    step(app, &mut parent, "child-account/address", &address(id)).await;
    // Back later: the wizard resumes at the phone, with the address kept.
    let wizard = step(app, &mut parent, "child-account/wizard", &id_form(id, &[])).await;
    assert_eq!(
        (wizard["step"].as_str(), wizard["birth_place"].as_str()),
        (Some("phone"), Some("г. Москва"))
    );
    // «Отменить создание» removes the draft.
    step(app, &mut parent, "child-account/cancel", &id_form(id, &[])).await;
    assert_eq!(
        card(app, &mut parent, id).await,
        json!({"CanCreate": {"started": false}})
    );
    // A draft left for more than a week is gone: the wizard starts over.
    step(app, &mut parent, "child-account/wizard", &id_form(id, &[])).await;
    step(app, &mut parent, "child-account/address", &address(id)).await;
    app.clock.advance(Duration::days(8));
    // The nightly sweep removes it, with its codes and links.
    assert_eq!(drafts(app).await, 1);
    run_queue(app).await;
    assert_eq!(drafts(app).await, 0);
    // (The session would have expired too; sign in again.)
    let (status, body, _) = call(
        app,
        &mut parent,
        "account/sign-in",
        &pairs(&[("login", "anna@mail.ru"), ("password", PASSWORD)]),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(
        card(app, &mut parent, id).await,
        json!({"CanCreate": {"started": false}})
    );
    let wizard = step(app, &mut parent, "child-account/wizard", &id_form(id, &[])).await;
    assert_eq!(wizard["step"], "address");
}

/// A parent whose wizard for Пётр has sent the code to the child's phone.
async fn wizard_waiting_for_the_phone_code(app: &TestApp) -> (Browser, i64) {
    let (mut parent, id) = parent_with_confirmed_child(app).await;
    step(app, &mut parent, "child-account/wizard", &id_form(id, &[])).await;
    step(app, &mut parent, "child-account/address", &address(id)).await;
    step(
        app,
        &mut parent,
        "child-account/phone-code",
        &id_form(id, &[("phone", CHILD_PHONE)]),
    )
    .await;
    (parent, id)
}

async fn expired_and_guessed_codes_and_links_say_so(app: &TestApp) {
    let (mut parent, id) = wizard_waiting_for_the_phone_code(app).await;
    // Five wrong codes use the code up; a new one can be sent.
    for left in (0..5).rev() {
        let (status, body, _) = call(
            app,
            &mut parent,
            "child-account/phone-confirm",
            &id_form(id, &[("code", "000000")]),
        )
        .await;
        if left > 0 {
            assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        } else {
            assert_eq!(body["details"], "code_tries_exhausted", "{body}");
        }
    }
    app.clock.advance(Duration::minutes(11));
    let (_, body, _) = call(
        app,
        &mut parent,
        "child-account/phone-confirm",
        &id_form(id, &[("code", "000000")]),
    )
    .await;
    assert_eq!(body["details"], "code_expired");
    step(
        app,
        &mut parent,
        "child-account/phone-skip",
        &id_form(id, &[]),
    )
    .await;
    step(
        app,
        &mut parent,
        "child-account/email",
        &id_form(id, &[("email", CHILD_EMAIL), ("consent", "true")]),
    )
    .await;
    app.outbox.run_once().await.unwrap();
    let token = link_token(&delivered_to(app, CHILD_EMAIL).await);
    let (_, body, _) = call(
        app,
        &mut Browser::new(),
        "child-account/email-confirm",
        &pairs(&[("token", "guess")]),
    )
    .await;
    assert_eq!(body["details"], "link_invalid");
    app.clock.advance(Duration::hours(25));
    let (_, body, _) = call(
        app,
        &mut Browser::new(),
        "child-account/email-confirm",
        &pairs(&[("token", &token)]),
    )
    .await;
    assert_eq!(body["details"], "link_expired");
    // «Изменить адрес» sends a fresh letter; the old link stays dead.
    call(
        app,
        &mut parent,
        "account/sign-in",
        &pairs(&[("login", "anna@mail.ru"), ("password", PASSWORD)]),
    )
    .await;
    step(
        app,
        &mut parent,
        "child-account/email-change",
        &id_form(id, &[]),
    )
    .await;
    step(
        app,
        &mut parent,
        "child-account/email",
        &id_form(id, &[("email", CHILD_EMAIL), ("consent", "true")]),
    )
    .await;
    let (_, body, _) = call(
        app,
        &mut Browser::new(),
        "child-account/email-confirm",
        &pairs(&[("token", &token)]),
    )
    .await;
    assert_eq!(body["details"], "link_invalid");
}

async fn nobody_else_acts_for_the_child(app: &TestApp) {
    let (mut parent, id) = parent_with_confirmed_child(app).await;
    create_child_account(app, &mut parent, id).await;
    let consent = consent_id(app, &mut parent, id).await;

    // A parent of another family: the child and the consent do not exist for them.
    let mut stranger = crate::family::another_confirmed_parent(app).await;
    let (status, _, _) = call(
        app,
        &mut stranger,
        "child-account/wizard",
        &id_form(id, &[]),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = decide(app, &mut stranger, consent, "grant").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (_, list, _) = call(app, &mut stranger, "consents/list", &[]).await;
    assert_eq!(list, json!([]));
    let receipt = download_receipt(app, Some(&stranger), consent).await;
    assert_eq!(receipt.status(), StatusCode::NOT_FOUND);

    // An officer is no parent either.
    crate::family::execute(
        app,
        "UPDATE accounts SET role = 'officer' WHERE email = 'igor@mail.ru'",
    )
    .await;
    let (status, _) = decide(app, &mut stranger, consent, "grant").await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // Nor can the child consent for themselves (they cannot even sign in yet).
    let (status, _) = child_sign_in(app, &mut Browser::new()).await;
    assert_eq!(status, StatusCode::CONFLICT);
    let (status, _) = decide(app, &mut parent, consent, "grant").await;
    assert_eq!(status, StatusCode::OK);
    let mut child = Browser::at("198.51.100.7");
    assert_eq!(child_sign_in(app, &mut child).await.0, StatusCode::OK);
    let (status, _) = decide(app, &mut child, consent, "revoke").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    // Signed out: nothing.
    let (status, _) = decide(app, &mut Browser::new(), consent, "revoke").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

async fn a_parent_manages_the_childs_account(app: &TestApp) {
    let (mut parent, id) = parent_with_confirmed_child(app).await;
    create_child_account(app, &mut parent, id).await;
    let consent = consent_id(app, &mut parent, id).await;
    decide(app, &mut parent, consent, "grant").await;
    let mut child = Browser::at("198.51.100.7");
    assert_eq!(child_sign_in(app, &mut child).await.0, StatusCode::OK);

    let settings = step(
        app,
        &mut parent,
        "child-account/settings",
        &id_form(id, &[]),
    )
    .await;
    assert_eq!(
        (
            settings["email"].as_str(),
            settings["reauthenticated"].as_bool()
        ),
        (Some(CHILD_EMAIL), Some(false))
    );
    // Every change needs the parent's password again.
    let new_password = "Novyi-Parol-2027";
    let password_form = id_form(
        id,
        &[
            ("password", new_password),
            ("password_repeat", new_password),
        ],
    );
    let (status, body, _) = call(app, &mut parent, "child-account/password", &password_form).await;
    assert_eq!(
        (status, body["details"].as_str()),
        (StatusCode::CONFLICT, Some("reauth_required"))
    );
    step(
        app,
        &mut parent,
        "account/reauthenticate",
        &pairs(&[("password", PASSWORD)]),
    )
    .await;

    // «Сменить пароль»: the child is signed out everywhere and told.
    step(app, &mut parent, "child-account/password", &password_form).await;
    let (status, _, _) = call(app, &mut child, "account/profile", &[]).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, _, _) = call(
        app,
        &mut child,
        "account/sign-in",
        &pairs(&[("login", CHILD_EMAIL), ("password", new_password)]),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    expect_notification(app, &mut child, "Пароль изменён родителем").await;

    // A phone: not the parent's; then a code to the child's number.
    let (status, body, _) = call(
        app,
        &mut parent,
        "child-account/settings-phone",
        &id_form(id, &[("phone", "+7 912 345-67-89")]),
    )
    .await;
    assert_eq!(
        (status, codes(&body)),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            vec!["child_phone.parent".to_owned()]
        )
    );
    step(
        app,
        &mut parent,
        "child-account/settings-phone",
        &id_form(id, &[("phone", CHILD_PHONE)]),
    )
    .await;
    app.outbox.run_once().await.unwrap();
    let code = sms_code(&delivered_to(app, "+79165554433").await);
    step(
        app,
        &mut parent,
        "child-account/settings-phone-confirm",
        &id_form(id, &[("code", &code)]),
    )
    .await;
    let settings = step(
        app,
        &mut parent,
        "child-account/settings",
        &id_form(id, &[]),
    )
    .await;
    assert_eq!(
        (
            settings["phone"].as_str(),
            settings["phone_confirmed"].as_bool()
        ),
        (Some(CHILD_PHONE), Some(true))
    );

    // A new e-mail waits for its link; the old one is no longer a login.
    step(
        app,
        &mut parent,
        "child-account/settings-email",
        &id_form(id, &[("email", "petr.ivanov@mail.ru")]),
    )
    .await;
    app.outbox.run_once().await.unwrap();
    let token = link_token(&delivered_to(app, "petr.ivanov@mail.ru").await);
    step(
        app,
        &mut Browser::new(),
        "account/confirm-email",
        &pairs(&[("token", &token)]),
    )
    .await;
    let settings = step(
        app,
        &mut parent,
        "child-account/settings",
        &id_form(id, &[]),
    )
    .await;
    assert_eq!(
        (
            settings["email"].as_str(),
            settings["email_confirmed"].as_bool()
        ),
        (Some("petr.ivanov@mail.ru"), Some(true))
    );

    // «Удалить учётную запись»: gone, with its consents; the card offers «Создать» again.
    step(app, &mut parent, "child-account/delete", &id_form(id, &[])).await;
    let (status, _, _) = call(
        app,
        &mut child,
        "account/sign-in",
        &pairs(&[("login", "petr.ivanov@mail.ru"), ("password", new_password)]),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(
        card(app, &mut parent, id).await,
        json!({"CanCreate": {"started": false}})
    );
    let (_, list, _) = call(app, &mut parent, "consents/list", &[]).await;
    assert_eq!(list, json!([]));
    expect_notification(app, &mut parent, "Учётная запись ребёнка удалена").await;

    // Another parent cannot reach these settings.
    let mut stranger = crate::family::another_confirmed_parent(app).await;
    let (status, _, _) = call(
        app,
        &mut stranger,
        "child-account/settings",
        &id_form(id, &[]),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

/// Twenty guesses at once at the child's phone code: each try is taken before its comparison, so
/// at most five are compared, and then not even the right code works.
async fn parallel_guesses_at_the_childs_phone_code_get_five_tries(app: &TestApp) {
    let (mut parent, id) = wizard_waiting_for_the_phone_code(app).await;
    let right = sms_code(&delivered_to(app, "+79165554433").await);
    let wrong = if right == "000000" {
        "111111"
    } else {
        "000000"
    };
    let cookie = format!("__Host-portal_session={}", parent.cookie.clone().unwrap());

    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..20 {
        let request = app
            .client
            .post(format!("{}/api/child-account/phone-confirm", app.address))
            .header("x-forwarded-for", &parent.address)
            .header("cookie", &cookie)
            .form(&id_form(id, &[("code", wrong)]));
        tasks.spawn(async move {
            let response = request.send().await.unwrap();
            let status = response.status();
            (status, response.json::<Value>().await.unwrap())
        });
    }
    let answers = tasks.join_all().await;
    let mut left: Vec<String> = answers
        .iter()
        .filter(|(status, _)| *status == StatusCode::UNPROCESSABLE_ENTITY)
        .map(|(_, body)| body["details"][0]["message"].as_str().unwrap().to_owned())
        .collect();
    left.sort();
    // Four answers name the tries left, each a different count; the fifth and the rest say the
    // code is used up.
    assert_eq!(
        left,
        (1..=4)
            .map(|n| format!("Неверный код. Осталось попыток: {n}"))
            .collect::<Vec<_>>(),
        "{answers:?}"
    );
    assert!(
        answers
            .iter()
            .filter(|(status, _)| *status != StatusCode::UNPROCESSABLE_ENTITY)
            .all(|(_, body)| body["details"] == "code_tries_exhausted"),
        "{answers:?}"
    );
    let (_, body, _) = call(
        app,
        &mut parent,
        "child-account/phone-confirm",
        &id_form(id, &[("code", &right)]),
    )
    .await;
    assert_eq!(body["details"], "code_tries_exhausted", "{body}");
}

engine_tests!(
    a_parent_manages_the_childs_account,
    create_is_offered_only_once_both_documents_are_confirmed,
    a_parent_creates_the_account_and_the_child_signs_in_after_consent,
    an_abandoned_wizard_resumes_or_is_cleaned_up,
    expired_and_guessed_codes_and_links_say_so,
    nobody_else_acts_for_the_child,
    parallel_guesses_at_the_childs_phone_code_get_five_tries,
);
