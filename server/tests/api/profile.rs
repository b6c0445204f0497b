//! «Профиль»: personal data, password change, sessions and sign-out everywhere.

use reqwest::StatusCode;
use serde_json::Value;

use crate::browser::*;
use crate::engine_tests;
use crate::helpers::TestApp;

const NEW_PASSWORD: &str = "Novyi-Parol-2027";

async fn the_profile_shows_the_account_as_registered(app: &TestApp) {
    let mut browser = Browser::new();
    register(app, &mut browser).await;
    let (status, page, _) = call(app, &mut browser, "account/profile", &[]).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    let profile = &page["profile"];
    assert_eq!(profile["full_name"], "Иванова Анна Сергеевна");
    assert_eq!(profile["birth_date"], "05.03.1990");
    assert_eq!(profile["snils"], "112-233-445 95");
    assert_eq!(profile["phone"], "+7 912 345-67-89");
    assert_eq!(profile["level"], "simplified");
    assert_eq!(page["sessions"].as_array().unwrap().len(), 1);
    assert_eq!(page["sessions"][0]["current"], true);
}

async fn changing_the_password_needs_the_current_one_and_ends_other_sessions(app: &TestApp) {
    let mut here = Browser::new();
    register(app, &mut here).await;
    let mut elsewhere = Browser::at("198.51.100.7");
    call(
        app,
        &mut elsewhere,
        "account/sign-in",
        &pairs(&[("login", "anna@mail.ru"), ("password", PASSWORD)]),
    )
    .await;
    let (_, page, _) = call(app, &mut here, "account/profile", &[]).await;
    assert_eq!(page["sessions"].as_array().unwrap().len(), 2);

    let change = |current: &str| {
        pairs(&[
            ("current_password", current),
            ("password", NEW_PASSWORD),
            ("password_repeat", NEW_PASSWORD),
        ])
    };
    let (status, body, _) = call(
        app,
        &mut here,
        "account/change-password",
        &change("Wrong-2026"),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(codes(&body), ["current_password.wrong"]);
    let (status, body, _) =
        call(app, &mut here, "account/change-password", &change(PASSWORD)).await;
    assert_eq!(status, StatusCode::OK, "{body}");

    assert_eq!(current_name(app, &mut here).await, "Анна Иванова");
    assert_eq!(current_name(app, &mut elsewhere).await, Value::Null);
    let told = server::db::outbox::newest(&app.db, &["email", "sms"], 2)
        .await
        .unwrap();
    assert!(told.iter().all(|m| m.subject == "Пароль изменён"));
    let (status, _, _) = call(
        app,
        &mut Browser::new(),
        "account/sign-in",
        &pairs(&[("login", "anna@mail.ru"), ("password", NEW_PASSWORD)]),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
}

async fn signing_out_everywhere_ends_every_session(app: &TestApp) {
    let mut here = Browser::new();
    register(app, &mut here).await;
    let mut elsewhere = Browser::at("198.51.100.7");
    call(
        app,
        &mut elsewhere,
        "account/sign-in",
        &pairs(&[("login", "anna@mail.ru"), ("password", PASSWORD)]),
    )
    .await;
    let (status, _, headers) = call(app, &mut here, "account/sign-out-everywhere", &[]).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        headers
            .get("set-cookie")
            .unwrap()
            .to_str()
            .unwrap()
            .contains("Max-Age=0")
    );
    for browser in [&mut here, &mut elsewhere] {
        let (status, _, _) = call(app, browser, "account/profile", &[]).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
    }
}

engine_tests!(
    the_profile_shows_the_account_as_registered,
    changing_the_password_needs_the_current_one_and_ends_other_sessions,
    signing_out_everywhere_ends_every_session,
);
