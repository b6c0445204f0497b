//! «Восстановление доступа» by SMS code and by e-mail link.

use reqwest::StatusCode;
use serde_json::Value;

use crate::browser::*;
use crate::engine_tests;
use crate::helpers::TestApp;

const NEW_PASSWORD: &str = "Novyi-Parol-2027";

/// Confirms Анна's phone with the SMS code the registration sent.
pub(crate) async fn confirm_phone(app: &TestApp, browser: &mut Browser) {
    let code = sms_code(&delivered_to(app, "+79123456789").await);
    let (status, body, _) = call(
        app,
        browser,
        "account/confirm-phone",
        &pairs(&[("code", &code)]),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

async fn sign_in(app: &TestApp, password: &str) -> StatusCode {
    call(
        app,
        &mut Browser::new(),
        "account/sign-in",
        &pairs(&[("login", "anna@mail.ru"), ("password", password)]),
    )
    .await
    .0
}

async fn count_sms(app: &TestApp) -> usize {
    app.messages(&["sms"], 100).await.len()
}

async fn recovery_by_sms_needs_a_confirmed_phone_and_ends_every_session(app: &TestApp) {
    let mut browser = Browser::new();
    register(app, &mut browser).await;
    let start = pairs(&[("login", "anna@mail.ru"), ("channel", "sms")]);
    // Unconfirmed phone: the same answer, and nothing is sent.
    let (status, body, _) = call(app, &mut Browser::new(), "account/recovery/start", &start).await;
    assert_eq!((status, body), (StatusCode::OK, Value::Null));
    assert_eq!(count_sms(app).await, 1);

    confirm_phone(app, &mut browser).await;
    let (status, _, _) = call(app, &mut Browser::new(), "account/recovery/start", &start).await;
    assert_eq!(status, StatusCode::OK);
    let sms = newest_sms(app).await;
    assert!(
        sms.body.starts_with("Код для восстановления доступа"),
        "{}",
        sms.body
    );
    let code = sms_code(&sms);

    let finish = |code: &str| {
        pairs(&[
            ("login", "+7 912 345-67-89"),
            ("code", code),
            ("password", NEW_PASSWORD),
            ("password_repeat", NEW_PASSWORD),
        ])
    };
    let wrong = if code == "000000" { "111111" } else { "000000" };
    let (status, body, _) = call(
        app,
        &mut Browser::new(),
        "account/recovery/code",
        &finish(wrong),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(codes(&body), ["code.wrong"]);
    let (status, body, _) = call(
        app,
        &mut Browser::new(),
        "account/recovery/code",
        &finish(&code),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");

    assert_eq!(current_name(app, &mut browser).await, Value::Null);
    assert_eq!(sign_in(app, PASSWORD).await, StatusCode::CONFLICT);
    assert_eq!(sign_in(app, NEW_PASSWORD).await, StatusCode::OK);
    let told = app.messages(&["email", "sms"], 10).await;
    let subjects: Vec<_> = told
        .iter()
        .take(2)
        .map(|m| (m.channel.as_str(), m.subject.as_str()))
        .collect();
    assert_eq!(
        subjects,
        [("sms", "Пароль изменён"), ("email", "Пароль изменён")]
    );
    // The code cannot be used twice.
    let (_, body, _) = call(
        app,
        &mut Browser::new(),
        "account/recovery/code",
        &finish(&code),
    )
    .await;
    assert_eq!(body["details"], "code_expired");
}

async fn unknown_logins_get_the_same_first_answer(app: &TestApp) {
    let mut browser = Browser::new();
    register(app, &mut browser).await;
    let mut answers = Vec::new();
    for login in ["anna@mail.ru", "nobody@mail.ru", "112-233-445 95"] {
        let (status, body, _) = call(
            app,
            &mut Browser::new(),
            "account/recovery/start",
            &pairs(&[("login", login), ("channel", "email")]),
        )
        .await;
        answers.push((status, body));
    }
    assert!(answers.iter().all(|a| *a == (StatusCode::OK, Value::Null)));
    let (status, body, _) = call(
        app,
        &mut Browser::new(),
        "account/recovery/code",
        &pairs(&[
            ("login", "nobody@mail.ru"),
            ("code", "123456"),
            ("password", NEW_PASSWORD),
            ("password_repeat", NEW_PASSWORD),
        ]),
    )
    .await;
    assert_eq!(
        (status, body["details"].clone()),
        (StatusCode::CONFLICT, "code_expired".into())
    );
}

async fn recovery_by_e_mail_link_works_once(app: &TestApp) {
    let mut browser = Browser::new();
    register(app, &mut browser).await;
    let confirm = link_token(&delivered_to(app, "anna@mail.ru").await);
    call(
        app,
        &mut Browser::new(),
        "account/confirm-email",
        &pairs(&[("token", &confirm)]),
    )
    .await;
    let (status, _, _) = call(
        app,
        &mut Browser::new(),
        "account/recovery/start",
        &pairs(&[("login", "112-233-445 95"), ("channel", "email")]),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let letter = app.messages(&["email"], 1).await.remove(0);
    assert_eq!(letter.subject, "Восстановление доступа");
    assert!(
        letter
            .body
            .contains("https://portal.test/recover/email?token="),
        "{}",
        letter.body
    );
    let token = link_token(&letter);
    let finish = pairs(&[
        ("token", &token),
        ("password", NEW_PASSWORD),
        ("password_repeat", NEW_PASSWORD),
    ]);
    let (status, body, _) = call(app, &mut Browser::new(), "account/recovery/link", &finish).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, body, _) = call(app, &mut Browser::new(), "account/recovery/link", &finish).await;
    assert_eq!(
        (status, body["details"].clone()),
        (StatusCode::CONFLICT, "link_used".into())
    );
    // A confirmation link is not a recovery link.
    let wrong_kind = pairs(&[
        ("token", &confirm),
        ("password", NEW_PASSWORD),
        ("password_repeat", NEW_PASSWORD),
    ]);
    let (_, body, _) = call(
        app,
        &mut Browser::new(),
        "account/recovery/link",
        &wrong_kind,
    )
    .await;
    assert_eq!(body["details"], "link_invalid");
    assert_eq!(sign_in(app, NEW_PASSWORD).await, StatusCode::OK);
}

engine_tests!(
    recovery_by_sms_needs_a_confirmed_phone_and_ends_every_session,
    unknown_logins_get_the_same_first_answer,
    recovery_by_e_mail_link_works_once,
);
