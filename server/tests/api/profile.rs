//! «Профиль»: personal data, password change, sessions and sign-out everywhere.

use reqwest::StatusCode;
use serde_json::Value;
use time::Duration;

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
    assert_eq!(profile["birth_date"], "12.04.1990");
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
    let told = app.messages(&["email", "sms"], 2).await;
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

async fn changing_a_contact_needs_the_password_and_tells_the_old_one(app: &TestApp) {
    let mut browser = Browser::new();
    register(app, &mut browser).await;
    let mut other = Browser::at("198.51.100.9");
    call(
        app,
        &mut other,
        "account/register",
        &registration("123-456-789 64", "+7 912 000-00-01", "other@mail.ru"),
    )
    .await;
    let email = |email: &str| pairs(&[("email", email)]);
    // Not without re-authenticating first.
    let (status, body, _) = call(
        app,
        &mut browser,
        "account/change-email",
        &email("new@mail.ru"),
    )
    .await;
    assert_eq!(
        (status, body["details"].clone()),
        (StatusCode::CONFLICT, "reauth_required".into())
    );
    let reauth = |password: &str| pairs(&[("password", password)]);
    let (status, body, _) = call(
        app,
        &mut browser,
        "account/reauthenticate",
        &reauth("Wrong-2026"),
    )
    .await;
    assert_eq!(
        (status, codes(&body)),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            vec!["factor_password.wrong".to_owned()]
        )
    );
    let before = browser.cookie.clone();
    let (status, body, _) = call(
        app,
        &mut browser,
        "account/reauthenticate",
        &reauth(PASSWORD),
    )
    .await;
    assert_eq!((status, body), (StatusCode::OK, Value::from("signed_in")));
    assert_ne!(
        browser.cookie, before,
        "re-authentication gives the session a new id"
    );

    let (_, body, _) = call(
        app,
        &mut browser,
        "account/change-email",
        &email("Other@mail.ru"),
    )
    .await;
    assert_eq!(codes(&body), ["email.taken"]);
    let (status, body, _) = call(
        app,
        &mut browser,
        "account/change-email",
        &email("new@mail.ru"),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");

    let (_, page, _) = call(app, &mut browser, "account/profile", &[]).await;
    assert_eq!(
        (
            page["profile"]["email"].clone(),
            page["profile"]["email_confirmed"].clone()
        ),
        ("new@mail.ru".into(), false.into())
    );
    let notice = delivered_to(app, "anna@mail.ru").await;
    assert_eq!(notice.subject, "Адрес электронной почты изменён");
    assert!(notice.body.contains("new@mail.ru"));
    let link = link_token(&delivered_to(app, "new@mail.ru").await);
    let (status, _, _) = call(
        app,
        &mut Browser::new(),
        "account/confirm-email",
        &pairs(&[("token", &link)]),
    )
    .await;
    assert_eq!(status, StatusCode::OK);

    // Ten minutes later the re-authentication has lapsed.
    app.clock.advance(Duration::minutes(11));
    let phone = pairs(&[("phone", "+7 913 111-22-33")]);
    let (_, body, _) = call(app, &mut browser, "account/change-phone", &phone).await;
    assert_eq!(body["details"], "reauth_required");
    call(
        app,
        &mut browser,
        "account/reauthenticate",
        &reauth(PASSWORD),
    )
    .await;
    let (status, body, _) = call(app, &mut browser, "account/change-phone", &phone).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let notice = delivered_to(app, "+79123456789").await;
    assert_eq!(notice.subject, "Номер телефона изменён");
    let code = sms_code(&delivered_to(app, "+79131112233").await);
    let (status, _, _) = call(
        app,
        &mut browser,
        "account/confirm-phone",
        &pairs(&[("code", &code)]),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    // The new contacts sign in; the old ones no longer do.
    let sign_in = |login: &str| pairs(&[("login", login), ("password", PASSWORD)]);
    assert_eq!(
        call(
            app,
            &mut Browser::new(),
            "account/sign-in",
            &sign_in("+7 913 111-22-33")
        )
        .await
        .0,
        StatusCode::OK
    );
    assert_eq!(
        call(
            app,
            &mut Browser::new(),
            "account/sign-in",
            &sign_in("anna@mail.ru")
        )
        .await
        .0,
        StatusCode::CONFLICT
    );
}

async fn in_app_notifications_are_listed_and_marked_read(app: &TestApp) {
    let (status, body, _) = call(app, &mut Browser::new(), "notifications", &[]).await;
    assert_eq!((status, body), (StatusCode::OK, Value::Null));
    let mut browser = Browser::new();
    register(app, &mut browser).await;
    for _ in 0..100 {
        let (_, body, _) = call(app, &mut browser, "notifications", &[]).await;
        if let Some(first) = body.as_array().and_then(|items| items.first()).cloned() {
            assert_eq!(first["title"], "Учётная запись создана");
            assert_eq!(first["new"], true);
            let (_, again, _) = call(app, &mut browser, "notifications", &[]).await;
            assert_eq!(again[0]["new"], false);
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("the welcome notification never arrived");
}

engine_tests!(
    in_app_notifications_are_listed_and_marked_read,
    changing_a_contact_needs_the_password_and_tells_the_old_one,
    the_profile_shows_the_account_as_registered,
    changing_the_password_needs_the_current_one_and_ends_other_sessions,
    signing_out_everywhere_ends_every_session,
);
