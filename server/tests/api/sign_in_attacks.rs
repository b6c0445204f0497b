//! Attacks on signing in and its neighbours, each performed: racing the attempt limits, making
//! the server hash for free, a stolen session binding its own app, locking a parent out from
//! elsewhere, and sessions or consents that should no longer let anyone in.

use reqwest::StatusCode;
use serde_json::Value;
use server::db::sign_in_failures::{self, Failure, Key};
use time::Duration;

use crate::browser::*;
use crate::engine_tests;
use crate::helpers::TestApp;
use crate::recovery::confirm_phone;

const NEW_PASSWORD: &str = "Novyi-Parol-2027";

async fn account_id(app: &TestApp) -> i64 {
    server::db::accounts::by_login(&app.db, None, Some("anna@mail.ru"), None)
        .await
        .unwrap()[0]
        .id
}

async fn failures(app: &TestApp) -> i64 {
    let id = account_id(app).await;
    let since = app.clock_now() - Duration::hours(2);
    sign_in_failures::since(&app.db, Key::Account(id), since)
        .await
        .unwrap()
        .count
}

/// Registered, phone confirmed, signing in with a code by SMS.
async fn anna_with_sms_factor(app: &TestApp) -> Browser {
    let mut browser = Browser::new();
    register(app, &mut browser).await;
    confirm_phone(app, &mut browser).await;
    let (status, body, _) = call(
        app,
        &mut browser,
        "account/sms-factor/enable",
        &pairs(&[("password", PASSWORD)]),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    browser
}

async fn sign_in(app: &TestApp, browser: &mut Browser, password: &str) -> (StatusCode, Value) {
    let (status, body, _) = call(
        app,
        browser,
        "account/sign-in",
        &pairs(&[("login", "anna@mail.ru"), ("password", password)]),
    )
    .await;
    (status, body)
}

async fn fifty_concurrent_wrong_second_factor_codes_count_as_fifty_tries(app: &TestApp) {
    anna_with_sms_factor(app).await;
    let mut laptop = Browser::at("198.51.100.20");
    let (status, body) = sign_in(app, &mut laptop, PASSWORD).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let right = sms_code(&delivered_to(app, "+79123456789").await);
    let wrong = if right == "000000" {
        "111111"
    } else {
        "000000"
    };
    let challenge = laptop.challenge.clone().unwrap();
    let before = failures(app).await;

    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..50 {
        let request = app
            .client
            .post(format!("{}/api/account/sign-in/second-factor", app.address))
            .header("x-forwarded-for", format!("198.51.101.{i}"))
            .header("cookie", format!("__Host-portal_challenge={challenge}"))
            .form(&[("code", wrong)]);
        tasks.spawn(async move { request.send().await.unwrap().status() });
    }
    let statuses = tasks.join_all().await;
    let compared = statuses
        .iter()
        .filter(|s| **s == StatusCode::UNPROCESSABLE_ENTITY)
        .count();
    assert!(compared <= 4, "{statuses:?}");
    assert!(
        statuses
            .iter()
            .all(|s| *s == StatusCode::UNPROCESSABLE_ENTITY || *s == StatusCode::CONFLICT),
        "{statuses:?}"
    );
    // Five comparisons at most, each counted against the account; the rest never compared.
    assert_eq!(failures(app).await - before, 5);
    // The challenge is dead: not even the right code opens it now.
    let (status, body, _) = call(
        app,
        &mut laptop,
        "account/sign-in/second-factor",
        &pairs(&[("code", &right)]),
    )
    .await;
    assert_eq!(
        (status, body["details"].as_str()),
        (StatusCode::CONFLICT, Some("challenge_expired"))
    );
}

async fn a_recovery_request_with_a_random_token_costs_no_hash(app: &TestApp) {
    let mut browser = Browser::new();
    register(app, &mut browser).await;
    confirm_phone(app, &mut browser).await;
    let before = app.hasher.computations();
    let (status, body, _) = call(
        app,
        &mut Browser::at("198.51.100.40"),
        "account/recovery/link",
        &pairs(&[
            ("token", "bm90LWEtcmVhbC10b2tlbi1hdC1hbGwtMTIzNDU2Nzg"),
            ("password", NEW_PASSWORD),
            ("password_repeat", NEW_PASSWORD),
        ]),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    // A wrong code for a real account and any code for an unknown login: no hash either.
    call(
        app,
        &mut Browser::new(),
        "account/recovery/start",
        &pairs(&[("login", "anna@mail.ru"), ("channel", "sms")]),
    )
    .await;
    let right = sms_code(&newest_sms(app).await);
    let wrong = if right == "000000" {
        "111111"
    } else {
        "000000"
    };
    for login in ["anna@mail.ru", "nobody@mail.ru"] {
        let (status, body, _) = call(
            app,
            &mut Browser::at("198.51.100.41"),
            "account/recovery/code",
            &pairs(&[
                ("login", login),
                ("code", wrong),
                ("password", NEW_PASSWORD),
                ("password_repeat", NEW_PASSWORD),
            ]),
        )
        .await;
        assert!(status.is_client_error(), "{login}: {status} {body}");
    }
    assert_eq!(app.hasher.computations(), before);
}

async fn a_stolen_session_cannot_enrol_an_authenticator(app: &TestApp) {
    let mut thief = Browser::new();
    register(app, &mut thief).await;
    for endpoint in ["account/totp/begin", "account/totp/confirm"] {
        let form = pairs(&[("code", "123456")]);
        let form = if endpoint.ends_with("begin") {
            &[][..]
        } else {
            &form[..]
        };
        let (status, body, _) = call(app, &mut thief, endpoint, form).await;
        assert_eq!(
            (status, body["details"].as_str()),
            (StatusCode::CONFLICT, Some("reauth_required")),
            "{endpoint}"
        );
    }
    let (_, profile, _) = call(app, &mut thief, "account/profile", &[]).await;
    assert_eq!(profile["profile"]["second_factor"], "none", "{profile}");
    // The owner, who knows the password, can.
    let (status, _, _) = call(
        app,
        &mut thief,
        "account/reauthenticate",
        &pairs(&[("password", PASSWORD)]),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let (status, body, _) = call(app, &mut thief, "account/totp/begin", &[]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

async fn a_parent_keeps_signing_in_while_someone_else_fails_200_times_from_other_addresses(
    app: &TestApp,
) {
    register(app, &mut Browser::new()).await;
    let mut phone = Browser::at("203.0.113.77");
    let (status, body) = sign_in(app, &mut phone, PASSWORD).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(
        phone.device.is_some(),
        "a complete sign-in leaves a device cookie"
    );

    for i in 0..200 {
        let mut attacker = Browser::at(&format!("198.18.{}.{}", i / 250, i % 250));
        let (status, _) = sign_in(app, &mut attacker, "Wrong-2026").await;
        assert!(
            status == StatusCode::CONFLICT || status == StatusCode::TOO_MANY_REQUESTS,
            "attempt {i}: {status}"
        );
    }
    // The ceiling still holds for everyone else…
    let (status, _) = sign_in(app, &mut Browser::at("192.0.2.1"), PASSWORD).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    // …but the parent's own phone gets in.
    phone.cookie = None;
    let (status, body) = sign_in(app, &mut phone, PASSWORD).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(current_name(app, &mut phone).await, "Анна Иванова");
}

async fn changing_the_factor_ends_the_other_sessions(app: &TestApp) {
    let mut owner = Browser::new();
    register(app, &mut owner).await;
    confirm_phone(app, &mut owner).await;
    let mut other = Browser::at("198.51.100.60");
    let (status, _) = sign_in(app, &mut other, PASSWORD).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(current_name(app, &mut other).await, "Анна Иванова");

    let (status, body, _) = call(
        app,
        &mut owner,
        "account/sms-factor/enable",
        &pairs(&[("password", PASSWORD)]),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(current_name(app, &mut owner).await, "Анна Иванова");
    assert_eq!(current_name(app, &mut other).await, Value::Null);
}

async fn the_second_step_rechecks_the_child_consent_gate(app: &TestApp) {
    anna_with_sms_factor(app).await;
    let mut laptop = Browser::at("198.51.100.20");
    let (status, _) = sign_in(app, &mut laptop, PASSWORD).await;
    assert_eq!(status, StatusCode::OK);
    let code = sms_code(&delivered_to(app, "+79123456789").await);
    // Between the two steps the account is a child's without a granted consent (a parent
    // revoked it, say).
    server::pool_execute!(
        &app.db,
        "UPDATE accounts SET age_group = 'child' WHERE email = $1",
        "anna@mail.ru"
    )
    .unwrap();
    let (status, body, _) = call(
        app,
        &mut laptop,
        "account/sign-in/second-factor",
        &pairs(&[("code", &code)]),
    )
    .await;
    assert_eq!(
        (status, body["details"].as_str()),
        (StatusCode::CONFLICT, Some("parent_consent_required")),
        "{body}"
    );
    assert!(laptop.cookie.is_none());
}

async fn recovery_code_failures_count_toward_the_sign_in_ceiling(app: &TestApp) {
    let mut browser = Browser::new();
    register(app, &mut browser).await;
    confirm_phone(app, &mut browser).await;
    call(
        app,
        &mut Browser::new(),
        "account/recovery/start",
        &pairs(&[("login", "anna@mail.ru"), ("channel", "sms")]),
    )
    .await;
    let right = sms_code(&newest_sms(app).await);
    let wrong = if right == "000000" {
        "111111"
    } else {
        "000000"
    };
    let finish = |code: &str| {
        pairs(&[
            ("login", "anna@mail.ru"),
            ("code", code),
            ("password", NEW_PASSWORD),
            ("password_repeat", NEW_PASSWORD),
        ])
    };
    let before = failures(app).await;
    let (status, _, _) = call(
        app,
        &mut Browser::new(),
        "account/recovery/code",
        &finish(wrong),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(failures(app).await, before + 1);

    // At the ceiling, even the right code waits: recovery is no side door for guessing.
    let id = account_id(app).await;
    for _ in 0..99 {
        sign_in_failures::record(
            &app.db,
            Failure {
                account_id: Some(id),
                login_key: "anna@mail.ru",
                address: "198.51.100.99",
                device_hash: None,
            },
            app.clock_now(),
        )
        .await
        .unwrap();
    }
    let (status, _, _) = call(
        app,
        &mut Browser::new(),
        "account/recovery/code",
        &finish(&right),
    )
    .await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
}

engine_tests!(
    fifty_concurrent_wrong_second_factor_codes_count_as_fifty_tries,
    a_recovery_request_with_a_random_token_costs_no_hash,
    a_stolen_session_cannot_enrol_an_authenticator,
    a_parent_keeps_signing_in_while_someone_else_fails_200_times_from_other_addresses,
    changing_the_factor_ends_the_other_sessions,
    the_second_step_rechecks_the_child_consent_gate,
    recovery_code_failures_count_toward_the_sign_in_ceiling,
);
