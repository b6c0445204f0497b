//! The second factor: authenticator app (TOTP), SMS codes and backup codes at sign-in.

use reqwest::StatusCode;
use serde_json::{Value, json};
use time::Duration;
use totp_rs::{Algorithm, Secret, TOTP};

use crate::browser::*;
use crate::engine_tests;
use crate::helpers::TestApp;

fn code_at(secret: &str, app: &TestApp) -> String {
    let bytes = Secret::Encoded(secret.replace(' ', "")).to_bytes().unwrap();
    let totp = TOTP::new_unchecked(Algorithm::SHA1, 6, 1, 30, bytes, None, String::new());
    totp.generate(app.clock_now().unix_timestamp() as u64)
}

async fn sign_in_with_password(app: &TestApp, browser: &mut Browser) -> Value {
    let (status, body, _) = call(
        app,
        browser,
        "account/sign-in",
        &pairs(&[("login", "anna@mail.ru"), ("password", PASSWORD)]),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body
}

async fn second_step(app: &TestApp, browser: &mut Browser, code: &str) -> (StatusCode, Value) {
    let (status, body, _) = call(
        app,
        browser,
        "account/sign-in/second-factor",
        &pairs(&[("code", code)]),
    )
    .await;
    (status, body)
}

/// Connecting an app needs a fresh re-authentication.
async fn reauthenticate(app: &TestApp, browser: &mut Browser) {
    let (status, body, _) = call(
        app,
        browser,
        "account/reauthenticate",
        &pairs(&[("password", PASSWORD)]),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

async fn an_authenticator_app_guards_sign_in_and_backup_codes_work_once(app: &TestApp) {
    let mut browser = Browser::new();
    register(app, &mut browser).await;
    reauthenticate(app, &mut browser).await;
    let before = browser.cookie.clone();
    let (status, setup, _) = call(app, &mut browser, "account/totp/begin", &[]).await;
    assert_eq!(status, StatusCode::OK, "{setup}");
    assert!(
        setup["qr_code"]
            .as_str()
            .unwrap()
            .starts_with("data:image/svg+xml;base64,")
    );
    let secret = setup["secret"].as_str().unwrap().to_owned();

    let (status, body, _) = call(
        app,
        &mut browser,
        "account/totp/confirm",
        &pairs(&[("code", "000000")]),
    )
    .await;
    assert_eq!(
        (status, codes(&body)),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            vec!["code.wrong".to_owned()]
        )
    );
    let (status, backup, _) = call(
        app,
        &mut browser,
        "account/totp/confirm",
        &pairs(&[("code", &code_at(&secret, app))]),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{backup}");
    let backup: Vec<String> = serde_json::from_value(backup).unwrap();
    assert_eq!(backup.len(), 10);
    // A privilege change: the session continues under a new id.
    assert_ne!(browser.cookie, before);
    assert_eq!(current_name(app, &mut browser).await, "Анна Иванова");

    let mut laptop = Browser::at("198.51.100.20");
    assert_eq!(
        sign_in_with_password(app, &mut laptop).await,
        json!({"second_factor": "totp"})
    );
    assert!(laptop.cookie.is_none() && laptop.challenge.is_some());
    // The code that switched the app on cannot be replayed.
    let (status, _) = second_step(app, &mut laptop, &code_at(&secret, app)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    app.clock.advance(Duration::seconds(30));
    let (status, body) = second_step(app, &mut laptop, &code_at(&secret, app)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(laptop.cookie.is_some() && laptop.challenge.is_none());

    let mut phone = Browser::at("198.51.100.21");
    sign_in_with_password(app, &mut phone).await;
    let (status, _) = second_step(app, &mut phone, &backup[0].to_lowercase()).await;
    assert_eq!(status, StatusCode::OK);
    let mut again = Browser::at("198.51.100.22");
    sign_in_with_password(app, &mut again).await;
    let (status, body) = second_step(app, &mut again, &backup[0]).await;
    assert_eq!(
        (status, codes(&body)),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            vec!["code.wrong".to_owned()]
        )
    );

    // Re-authentication asks for the second factor too.
    let (_, outcome, _) = call(
        app,
        &mut browser,
        "account/reauthenticate",
        &pairs(&[("password", PASSWORD)]),
    )
    .await;
    assert_eq!(outcome, json!({"second_factor": "totp"}));
    app.clock.advance(Duration::seconds(30));
    let (status, body, _) = call(
        app,
        &mut browser,
        "account/reauthenticate/second-factor",
        &pairs(&[("code", &code_at(&secret, app))]),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, _, _) = call(
        app,
        &mut browser,
        "account/change-email",
        &pairs(&[("email", "new@mail.ru")]),
    )
    .await;
    assert_eq!(status, StatusCode::OK);

    let (_, page, _) = call(app, &mut browser, "account/profile", &[]).await;
    assert_eq!(page["profile"]["second_factor"], "totp");
    assert_eq!(page["profile"]["backup_codes_left"], 9);
    let told = app.messages(&["email"], 20).await;
    assert!(told.iter().any(|m| m.subject == "Изменены настройки входа"));
}

async fn the_second_step_expires_and_allows_five_wrong_codes(app: &TestApp) {
    let mut browser = Browser::new();
    register(app, &mut browser).await;
    reauthenticate(app, &mut browser).await;
    let (_, setup, _) = call(app, &mut browser, "account/totp/begin", &[]).await;
    let secret = setup["secret"].as_str().unwrap().to_owned();
    call(
        app,
        &mut browser,
        "account/totp/confirm",
        &pairs(&[("code", &code_at(&secret, app))]),
    )
    .await;

    let mut laptop = Browser::at("198.51.100.20");
    sign_in_with_password(app, &mut laptop).await;
    for left in (1..=4).rev() {
        let (_, body) = second_step(app, &mut laptop, "ABCDE-FGHJK").await;
        assert_eq!(
            body["details"][0]["message"],
            format!("Неверный код. Осталось попыток: {left}")
        );
    }
    let (status, body) = second_step(app, &mut laptop, "ABCDE-FGHJK").await;
    assert_eq!(
        (status, body["details"].clone()),
        (StatusCode::CONFLICT, "challenge_expired".into())
    );

    let mut slow = Browser::at("198.51.100.23");
    sign_in_with_password(app, &mut slow).await;
    app.clock.advance(Duration::minutes(11));
    let (status, body) = second_step(app, &mut slow, &code_at(&secret, app)).await;
    assert_eq!(
        (status, body["details"].clone()),
        (StatusCode::CONFLICT, "challenge_expired".into())
    );
}

async fn sms_codes_as_the_second_factor_need_a_confirmed_phone_and_the_password(app: &TestApp) {
    let mut browser = Browser::new();
    register(app, &mut browser).await;
    let enable = |password: &str| pairs(&[("password", password)]);
    let (status, body, _) = call(
        app,
        &mut browser,
        "account/sms-factor/enable",
        &enable(PASSWORD),
    )
    .await;
    assert_eq!(
        (status, body["details"].clone()),
        (StatusCode::CONFLICT, "phone_not_confirmed".into())
    );

    let code = sms_code(&delivered_to(app, "+79123456789").await);
    call(
        app,
        &mut browser,
        "account/confirm-phone",
        &pairs(&[("code", &code)]),
    )
    .await;
    let (status, body, _) = call(
        app,
        &mut browser,
        "account/sms-factor/enable",
        &enable("Wrong-2026"),
    )
    .await;
    assert_eq!(
        (status, codes(&body)),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            vec!["factor_password.wrong".to_owned()]
        )
    );
    let (status, body, _) = call(
        app,
        &mut browser,
        "account/sms-factor/enable",
        &enable(PASSWORD),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");

    let mut laptop = Browser::at("198.51.100.20");
    assert_eq!(
        sign_in_with_password(app, &mut laptop).await,
        json!({"second_factor": "sms"})
    );
    let sms = newest_sms(app).await;
    assert!(sms.body.starts_with("Код для входа"), "{}", sms.body);
    let (status, body) = second_step(app, &mut laptop, &sms_code(&sms)).await;
    assert_eq!(status, StatusCode::OK, "{body}");

    let (status, _, _) = call(
        app,
        &mut browser,
        "account/second-factor/disable",
        &pairs(&[("password", PASSWORD)]),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        sign_in_with_password(app, &mut Browser::at("198.51.100.24")).await,
        json!("signed_in")
    );
}

engine_tests!(
    an_authenticator_app_guards_sign_in_and_backup_codes_work_once,
    the_second_step_expires_and_allows_five_wrong_codes,
    sms_codes_as_the_second_factor_need_a_confirmed_phone_and_the_password,
);
