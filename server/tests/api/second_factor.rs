//! The second factor: authenticator app (TOTP), SMS codes and backup codes at sign-in.

use reqwest::StatusCode;
use serde_json::{Value, json};
use time::Duration;
use totp_rs::{Algorithm, Secret, TOTP};

use crate::browser::*;
use crate::engine_tests;
use crate::family::{execute, scalar};
use crate::helpers::{TEST_TOTP_KEY, TestApp};
use server::secret_box::SecretBox;

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

/// One text straight from the server's database.
async fn text(app: &TestApp, sql: &'static str) -> String {
    match &app.db {
        server::db::Database::Sqlite { writer, .. } => {
            sqlx::query_scalar(sql).fetch_one(writer).await.unwrap()
        }
        server::db::Database::Postgres(pool) => {
            sqlx::query_scalar(sql).fetch_one(pool).await.unwrap()
        }
    }
}

/// Registers Анна and switches the authenticator on; the base32 secret the page showed.
async fn enrol_authenticator(app: &TestApp) -> String {
    let mut browser = Browser::new();
    register(app, &mut browser).await;
    reauthenticate(app, &mut browser).await;
    let (status, setup, _) = call(app, &mut browser, "account/totp/begin", &[]).await;
    assert_eq!(status, StatusCode::OK, "{setup}");
    let secret = setup["secret"].as_str().unwrap().replace(' ', "");
    let pending = text(app, "SELECT totp_pending_secret FROM accounts").await;
    assert!(pending.starts_with("v1:"), "{pending}");
    assert!(!pending.contains(&secret));
    let (status, body, _) = call(
        app,
        &mut browser,
        "account/totp/confirm",
        &pairs(&[("code", &code_at(&secret, app))]),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    secret
}

/// Signs in from a new browser with the password and a code from `secret`, a step later.
async fn signs_in_with_code_from(app: &TestApp, secret: &str, address: &str) {
    app.clock.advance(Duration::seconds(30));
    let mut laptop = Browser::at(address);
    assert_eq!(
        sign_in_with_password(app, &mut laptop).await,
        json!({"second_factor": "totp"})
    );
    let (status, body) = second_step(app, &mut laptop, &code_at(secret, app)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(laptop.cookie.is_some());
}

async fn totp_secrets_are_not_stored_in_plain_text(app: &TestApp) {
    let secret = enrol_authenticator(app).await;
    let stored = text(app, "SELECT totp_secret FROM accounts").await;
    assert!(stored.starts_with("v1:"), "{stored}");
    assert!(!stored.contains(&secret), "{stored}");
    assert_eq!(
        scalar(
            app,
            "SELECT COUNT(*) FROM accounts WHERE totp_pending_secret IS NOT NULL"
        )
        .await,
        0
    );
    // The sealed secret opens with the server's key only.
    let key = SecretBox::from_base64(TEST_TOTP_KEY).unwrap();
    assert_eq!(key.open(&stored).unwrap(), secret);
    assert!(SecretBox::development().open(&stored).is_err());
    signs_in_with_code_from(app, &secret, "198.51.100.30").await;
}

/// Rows written before secrets were sealed hold the base32 text; start-up seals them once.
async fn plain_totp_secrets_are_sealed_at_start_up_and_still_work(app: &TestApp) {
    let secret = enrol_authenticator(app).await;
    execute(
        app,
        format!(
            "UPDATE accounts SET totp_secret = '{secret}', \
             totp_pending_secret = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP'"
        ),
    )
    .await;
    let key = SecretBox::from_base64(TEST_TOTP_KEY).unwrap();
    let sealed = server::startup::seal_legacy_totp_secrets(&app.db, &key)
        .await
        .expect("seals");
    assert_eq!(sealed, 2);
    let stored = text(app, "SELECT totp_secret FROM accounts").await;
    let pending = text(app, "SELECT totp_pending_secret FROM accounts").await;
    assert!(
        stored.starts_with("v1:") && !stored.contains(&secret),
        "{stored}"
    );
    assert_eq!(key.open(&stored).unwrap(), secret);
    assert_eq!(
        key.open(&pending).unwrap(),
        "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
    );
    // Idempotent: sealed values are left as they are.
    assert_eq!(
        server::startup::seal_legacy_totp_secrets(&app.db, &key)
            .await
            .expect("seals"),
        0
    );
    assert_eq!(text(app, "SELECT totp_secret FROM accounts").await, stored);
    signs_in_with_code_from(app, &secret, "198.51.100.31").await;
}

/// A stored secret that does not open (changed in the database) refuses the code; it never
/// falls back to some default secret.
async fn a_tampered_totp_secret_is_an_error_not_a_default(app: &TestApp) {
    let secret = enrol_authenticator(app).await;
    let stored = text(app, "SELECT totp_secret FROM accounts").await;
    let mut tampered = stored.clone().into_bytes();
    let last = tampered.len() - 2;
    tampered[last] = if tampered[last] == b'A' { b'B' } else { b'A' };
    let tampered = String::from_utf8(tampered).unwrap();
    execute(
        app,
        format!("UPDATE accounts SET totp_secret = '{tampered}'"),
    )
    .await;
    app.clock.advance(Duration::seconds(30));
    let mut laptop = Browser::at("198.51.100.32");
    sign_in_with_password(app, &mut laptop).await;
    let (status, _) = second_step(app, &mut laptop, &code_at(&secret, app)).await;
    assert!(status.is_server_error(), "{status}");
    assert!(laptop.cookie.is_none());
}

engine_tests!(
    totp_secrets_are_not_stored_in_plain_text,
    plain_totp_secrets_are_sealed_at_start_up_and_still_work,
    a_tampered_totp_secret_is_an_error_not_a_default,
    an_authenticator_app_guards_sign_in_and_backup_codes_work_once,
    the_second_step_expires_and_allows_five_wrong_codes,
    sms_codes_as_the_second_factor_need_a_confirmed_phone_and_the_password,
);
