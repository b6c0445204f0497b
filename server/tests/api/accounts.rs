//! Registration, confirmation of e-mail and phone, sign-in, sessions and throttling, over HTTP
//! as the browser calls them, on both engines, with the clock moved for expiry and cooldowns.

use reqwest::StatusCode;
use serde_json::Value;
use time::Duration;

use crate::browser::*;
use crate::engine_tests;
use crate::helpers::TestApp;

async fn registration_opens_a_session_and_queues_the_confirmations(app: &TestApp) {
    let mut browser = Browser::new();
    let (status, body, headers) = call(
        app,
        &mut browser,
        "account/register",
        &registration("112-233-445 95", "8 912 345 67 89", "Anna@Mail.ru"),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let cookie = headers.get("set-cookie").unwrap().to_str().unwrap();
    for attribute in [
        "HttpOnly",
        "SameSite=Lax",
        "Path=/",
        "Secure",
        "Max-Age=43200",
    ] {
        assert!(cookie.contains(attribute), "{cookie}");
    }
    assert_eq!(current_name(app, &mut browser).await, "Анна Иванова");

    let email = delivered_to(app, "anna@mail.ru").await;
    assert!(
        email
            .body
            .contains("https://portal.test/account/email?token="),
        "{}",
        email.body
    );
    let sms = delivered_to(app, "+79123456789").await;
    assert_eq!(sms_code(&sms).len(), 6);

    let events = server::db::outbox::events(&app.db, &[email.id])
        .await
        .unwrap();
    let history: Vec<&str> = events.iter().map(|e| e.status.as_str()).collect();
    assert_eq!(history, ["queued", "delivered"]);
}

async fn registration_refuses_bad_input_and_taken_contacts_saving_nothing(app: &TestApp) {
    let mut browser = Browser::new();
    let mut bad = registration("112-233-445 96", "+7 495 123-45-67", "anna");
    bad.retain(|(k, _)| k != "form[consent]");
    let (status, body, _) = call(app, &mut browser, "account/register", &bad).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        codes(&body),
        [
            "snils.checksum",
            "phone.notmobile",
            "email.format",
            "consent.missing"
        ]
    );
    assert_eq!(browser.cookie, None);

    register(app, &mut browser).await;
    let mut other = Browser::new();
    let (status, body, _) = call(
        app,
        &mut other,
        "account/register",
        &registration("123-456-789 64", "+7 912 345-67-89", "anna@mail.ru"),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(codes(&body), ["phone.taken", "email.taken"]);
    let message = body.to_string();
    assert!(!message.contains("Иванова"), "{message}");
    assert_eq!(other.cookie, None);
    let accounts = server::db::accounts::by_login(&app.db, None, None, Some("12345678964"))
        .await
        .unwrap();
    assert!(accounts.is_empty());
}

async fn email_links_work_once_and_expire(app: &TestApp) {
    let mut browser = Browser::new();
    register(app, &mut browser).await;
    let token = link_token(&delivered_to(app, "anna@mail.ru").await);
    let mut stranger = Browser::new();
    let confirm = |t: &str| pairs(&[("token", t)]);

    let (status, body, _) = call(
        app,
        &mut stranger,
        "account/confirm-email",
        &confirm("nonsense"),
    )
    .await;
    assert_eq!(
        (status, body["details"].clone()),
        (StatusCode::CONFLICT, "link_invalid".into())
    );
    // A token far longer than any the portal makes is refused the same way, unhashed.
    let (status, body, _) = call(
        app,
        &mut stranger,
        "account/confirm-email",
        &confirm(&"A".repeat(20_000)),
    )
    .await;
    assert_eq!(
        (status, body["details"].clone()),
        (StatusCode::CONFLICT, "link_invalid".into())
    );
    let (status, _, _) = call(
        app,
        &mut stranger,
        "account/confirm-email",
        &confirm(&token),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let (status, body, _) = call(
        app,
        &mut stranger,
        "account/confirm-email",
        &confirm(&token),
    )
    .await;
    assert_eq!(
        (status, body["details"].clone()),
        (StatusCode::CONFLICT, "link_used".into())
    );

    let (_, contacts, _) = call(app, &mut browser, "account/contacts", &[]).await;
    assert_eq!(contacts["email_confirmed"], true);
    assert_eq!(contacts["phone_confirmed"], false);

    // A second account's link, opened after 24 hours.
    let mut late = Browser::new();
    let (status, _, _) = call(
        app,
        &mut late,
        "account/register",
        &registration("123-456-789 64", "+7 912 000-00-01", "late@mail.ru"),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let token = link_token(&delivered_to(app, "late@mail.ru").await);
    app.clock.advance(Duration::hours(24));
    let (status, body, _) = call(
        app,
        &mut stranger,
        "account/confirm-email",
        &confirm(&token),
    )
    .await;
    assert_eq!(
        (status, body["details"].clone()),
        (StatusCode::CONFLICT, "link_expired".into())
    );
}

async fn phone_codes_allow_five_wrong_tries_and_expire(app: &TestApp) {
    let mut browser = Browser::new();
    register(app, &mut browser).await;
    let code = sms_code(&delivered_to(app, "+79123456789").await);
    let wrong = if code == "000000" { "111111" } else { "000000" };
    let try_code = |c: &str| pairs(&[("code", c)]);

    for left in (1..=4).rev() {
        let (status, body, _) =
            call(app, &mut browser, "account/confirm-phone", &try_code(wrong)).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(
            body["details"][0]["message"],
            format!("Неверный код. Осталось попыток: {left}")
        );
    }
    let (status, body, _) =
        call(app, &mut browser, "account/confirm-phone", &try_code(wrong)).await;
    assert_eq!(
        (status, body["details"].clone()),
        (StatusCode::CONFLICT, "code_tries_exhausted".into())
    );
    // Even the right code is refused now: a new one must be sent.
    let (_, body, _) = call(app, &mut browser, "account/confirm-phone", &try_code(&code)).await;
    assert_eq!(body["details"], "code_tries_exhausted");

    let (status, state, _) = call(app, &mut browser, "account/resend-phone-code", &[]).await;
    assert_eq!(status, StatusCode::OK, "{state}");
    assert_eq!(state["resends_left"], 2);
    let new_code = sms_code(&newest_sms(app).await);
    app.clock.advance(Duration::minutes(10));
    let (_, body, _) = call(
        app,
        &mut browser,
        "account/confirm-phone",
        &try_code(&new_code),
    )
    .await;
    assert_eq!(body["details"], "code_expired");

    app.clock.advance(Duration::minutes(1));
    call(app, &mut browser, "account/resend-phone-code", &[]).await;
    let fresh = sms_code(&newest_sms(app).await);
    let (status, body, _) = call(
        app,
        &mut browser,
        "account/confirm-phone",
        &try_code(&fresh),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (_, contacts, _) = call(app, &mut browser, "account/contacts", &[]).await;
    assert_eq!(contacts["phone_confirmed"], true);
}

async fn resending_a_code_three_times_in_a_row_starts_a_cooldown(app: &TestApp) {
    let mut browser = Browser::new();
    register(app, &mut browser).await;
    for left in [2, 1, 0] {
        let (status, state, _) = call(app, &mut browser, "account/resend-phone-code", &[]).await;
        assert_eq!(status, StatusCode::OK, "{state}");
        assert_eq!(state["resends_left"], left);
    }
    let (status, body, headers) = call(app, &mut browser, "account/resend-phone-code", &[]).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(body["details"]["retry_after_seconds"], 300);
    assert_eq!(headers.get("retry-after").unwrap(), "300");
    app.clock.advance(Duration::minutes(5));
    let (status, state, _) = call(app, &mut browser, "account/resend-phone-code", &[]).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(state["resends_left"], 3);
}

async fn sign_in_by_phone_email_or_snils_rotates_the_session(app: &TestApp) {
    let mut browser = Browser::new();
    register(app, &mut browser).await;
    let registered = browser.cookie.clone();
    for login in ["+7 912 345-67-89", "ANNA@mail.ru", "11223344595"] {
        let (status, body, _) = call(
            app,
            &mut browser,
            "account/sign-in",
            &pairs(&[("login", login), ("password", PASSWORD)]),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{login}: {body}");
    }
    assert_ne!(browser.cookie, registered);
    assert_eq!(current_name(app, &mut browser).await, "Анна Иванова");
    // The session from before sign-in has ended.
    let mut old = Browser {
        cookie: registered,
        ..Browser::new()
    };
    assert_eq!(current_name(app, &mut old).await, Value::Null);

    let (status, _, _) = call(app, &mut browser, "account/sign-out", &[]).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(browser.cookie, None);
}

async fn wrong_and_unknown_logins_get_the_same_answer(app: &TestApp) {
    let mut browser = Browser::new();
    register(app, &mut browser).await;
    let mut answers = Vec::new();
    for (login, password) in [("anna@mail.ru", "Wrong-2026"), ("nobody@mail.ru", PASSWORD)] {
        let (status, body, _) = call(
            app,
            &mut Browser::new(),
            "account/sign-in",
            &pairs(&[("login", login), ("password", password)]),
        )
        .await;
        answers.push((status, body));
    }
    assert_eq!(answers[0], answers[1]);
    assert_eq!(answers[0].0, StatusCode::CONFLICT);
    assert_eq!(answers[0].1["details"], "sign_in_failed");
}

async fn sessions_end_after_idle_and_absolute_timeouts(app: &TestApp) {
    let mut browser = Browser::new();
    register(app, &mut browser).await;
    app.clock.advance(Duration::minutes(29));
    assert_eq!(current_name(app, &mut browser).await, "Анна Иванова");
    // Activity moved the idle deadline: 29 more minutes are fine, 31 are not.
    app.clock.advance(Duration::minutes(29));
    assert_eq!(current_name(app, &mut browser).await, "Анна Иванова");
    app.clock.advance(Duration::minutes(31));
    assert_eq!(current_name(app, &mut browser).await, Value::Null);

    let mut busy = Browser::new();
    let (status, _, _) = call(
        app,
        &mut busy,
        "account/sign-in",
        &pairs(&[("login", "anna@mail.ru"), ("password", PASSWORD)]),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    for _ in 0..(12 * 3) {
        app.clock.advance(Duration::minutes(20));
        let _ = current_name(app, &mut busy).await;
    }
    assert_eq!(current_name(app, &mut busy).await, Value::Null);
}

async fn failed_sign_ins_are_throttled_per_account_and_per_address(app: &TestApp) {
    let mut browser = Browser::new();
    register(app, &mut browser).await;
    // A hundred failures from many addresses: the account's ceiling.
    for i in 0..100 {
        let address: &'static str = Box::leak(format!("198.51.100.{}", i % 50).into_boxed_str());
        let (status, _, _) = call(
            app,
            &mut Browser::at(address),
            "account/sign-in",
            &pairs(&[("login", "anna@mail.ru"), ("password", "Wrong-2026")]),
        )
        .await;
        assert_eq!(status, StatusCode::CONFLICT, "attempt {i}");
        if i % 10 == 9 {
            app.clock.advance(Duration::seconds(30));
        }
    }
    // Now even the right password waits, from a fresh address, with Retry-After.
    let right = pairs(&[("login", "anna@mail.ru"), ("password", PASSWORD)]);
    let mut fresh = Browser::at("192.0.2.1");
    let (status, body, headers) = call(app, &mut fresh, "account/sign-in", &right).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{body}");
    assert_eq!(headers.get("retry-after").unwrap(), "3300");
    // Not a lockout: an hour after the first failure it works again.
    app.clock.advance(Duration::minutes(56));
    let (status, body, _) = call(app, &mut fresh, "account/sign-in", &right).await;
    assert_eq!(status, StatusCode::OK, "{body}");

    // One address failing on many logins is slowed down too.
    let mut scanner = Browser::at("192.0.2.99");
    for i in 0..50 {
        let login = format!("user{i}@mail.ru");
        let (status, _, _) = call(
            app,
            &mut scanner,
            "account/sign-in",
            &pairs(&[("login", &login), ("password", "x")]),
        )
        .await;
        assert_eq!(status, StatusCode::CONFLICT);
    }
    let (status, _, _) = call(app, &mut scanner, "account/sign-in", &right).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
}

async fn functions_for_signed_in_users_refuse_without_a_session(app: &TestApp) {
    let mut nobody = Browser::new();
    for endpoint in [
        "account/contacts",
        "account/resend-phone-code",
        "account/resend-email-link",
    ] {
        let (status, body, _) = call(app, &mut nobody, endpoint, &[]).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{endpoint}");
        assert_eq!(body["code"], "sign_in_required");
    }
    let mut forged = Browser {
        cookie: Some("forged-token".into()),
        ..Browser::new()
    };
    let (status, _, _) = call(app, &mut forged, "account/contacts", &[]).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

engine_tests!(
    registration_opens_a_session_and_queues_the_confirmations,
    registration_refuses_bad_input_and_taken_contacts_saving_nothing,
    email_links_work_once_and_expire,
    phone_codes_allow_five_wrong_tries_and_expire,
    resending_a_code_three_times_in_a_row_starts_a_cooldown,
    sign_in_by_phone_email_or_snils_rotates_the_session,
    wrong_and_unknown_logins_get_the_same_answer,
    sessions_end_after_idle_and_absolute_timeouts,
    failed_sign_ins_are_throttled_per_account_and_per_address,
    functions_for_signed_in_users_refuse_without_a_session,
);

/// One address cannot make the portal send messages without end: past its ceiling it is told
/// when to come back; other addresses are unaffected.
#[tokio::test]
async fn message_sending_functions_have_a_ceiling_per_address() {
    let app = crate::helpers::TestApp::spawn_with(crate::helpers::Engine::Sqlite, |c| {
        c.sensitive_posts_per_hour = 12
    })
    .await
    .unwrap();
    let start = pairs(&[("login", "nobody@mail.ru"), ("channel", "sms")]);
    let mut one = Browser::at("198.51.100.50");
    for _ in 0..2 {
        let (status, _, _) = call(&app, &mut one, "account/recovery/start", &start).await;
        assert_eq!(status, StatusCode::OK);
    }
    let (status, body, headers) = call(&app, &mut one, "account/recovery/start", &start).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(body["code"], "throttled");
    let wait: u32 = headers
        .get("retry-after")
        .unwrap()
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=300).contains(&wait), "{wait}");
    let (status, _, _) = call(
        &app,
        &mut Browser::at("198.51.100.51"),
        "account/recovery/start",
        &start,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
}
