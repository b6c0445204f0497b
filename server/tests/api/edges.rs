//! The edges an attacker pushes on: a client that rotates `X-Forwarded-For` to escape the
//! per-address ceiling, codes and links left at rest in the outbox, two grants racing, and the
//! headers and cookies of an https portal.

use reqwest::StatusCode;
use reqwest::header::{HeaderMap, HeaderValue};

use crate::browser::{Browser, call, delivered_to, pairs, register, sms_code};
use crate::child_accounts::{
    consent_id, create_child_account, decide, parent_with_confirmed_child,
};
use crate::engine_tests;
use crate::helpers::{Engine, TestApp};

engine_tests!(
    rotating_x_forwarded_for_does_not_escape_the_per_address_limit,
    outbox_text_is_gone_after_delivery,
    a_double_grant_leaves_one_granted_consent,
    an_https_portal_sends_hsts_and_host_prefixed_secure_cookies,
    pages_for_a_signed_in_person_are_not_stored,
    an_over_long_login_is_refused_at_its_field,
);

async fn an_over_long_login_is_refused_at_its_field(app: &TestApp) {
    let long = format!("{}@mail.ru", "a".repeat(300));
    let (status, body, _) = call(
        app,
        &mut Browser::new(),
        "account/sign-in",
        &pairs(&[("login", &long), ("password", "x".repeat(200).as_str())]),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(
        crate::browser::codes(&body),
        ["login.too_long", "password.too_long"]
    );
    assert!(body.to_string().contains("Слишком длинный логин"), "{body}");
}

/// Behind one trusted proxy, the client writes whatever it likes to the left of the entry the
/// proxy appends; only that right-most entry is the client.
async fn rotating_x_forwarded_for_does_not_escape_the_per_address_limit(app: &TestApp) {
    let mut throttled = false;
    // The ceiling lets a sixth of 120 through at once.
    for n in 0..30 {
        let mut headers = HeaderMap::new();
        headers.insert("origin", HeaderValue::from_str(&app.address).unwrap());
        let forwarded = format!("10.9.{}.{}, 203.0.113.77", n / 200, n % 200);
        headers.insert(
            "x-forwarded-for",
            HeaderValue::from_str(&forwarded).unwrap(),
        );
        let res = app.submit_question("", "", "", headers).await;
        if res.status() == StatusCode::TOO_MANY_REQUESTS {
            throttled = true;
            break;
        }
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    }
    assert!(throttled, "a rotating left-most entry escaped the ceiling");
}

async fn raw_messages(app: &TestApp) -> Vec<server::db::outbox::StoredMessage> {
    server::db::outbox::newest(&app.db, &["email", "sms"], 50)
        .await
        .unwrap()
}

async fn outbox_text_is_gone_after_delivery(app: &TestApp) {
    let mut browser = Browser::new();
    register(app, &mut browser).await;
    let sms = delivered_to(app, "+79123456789").await;
    let letter = delivered_to(app, "anna@mail.ru").await;
    // The development mailbox (memory only) still shows what was sent…
    let code = sms_code(&sms);
    assert!(letter.body.contains("token="), "{}", letter.body);
    // …the table does not.
    for stored in raw_messages(app).await {
        assert_eq!(stored.status, server::db::outbox::MessageStatus::Delivered);
        assert_eq!(stored.body, server::db::outbox::REDACTED_BODY);
        assert!(!stored.body.contains(&code));
        assert!(!stored.body.contains("token="));
        let history: Vec<&str> = server::db::outbox::events(&app.db, &[stored.id])
            .await
            .unwrap()
            .into_iter()
            .map(|e| e.status.as_str())
            .collect();
        assert_eq!(history, ["queued", "delivered"]);
    }
    // The code still works: only its text at rest is gone.
    let (status, body, _) = call(
        app,
        &mut browser,
        "account/confirm-phone",
        &pairs(&[("code", &code)]),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

async fn granted(app: &TestApp) -> i64 {
    const SQL: &str = "SELECT COUNT(*) FROM consents WHERE status = 'granted'";
    match &app.db {
        server::db::Database::Sqlite { writer, .. } => {
            sqlx::query_scalar(SQL).fetch_one(writer).await.unwrap()
        }
        server::db::Database::Postgres(pool) => {
            sqlx::query_scalar(SQL).fetch_one(pool).await.unwrap()
        }
    }
}

/// «Дать согласие» pressed twice at once after a revocation: each click would make a fresh
/// request and grant it; the unique index keeps one, and the loser answers like the winner.
async fn a_double_grant_leaves_one_granted_consent(app: &TestApp) {
    let (mut parent, id) = parent_with_confirmed_child(app).await;
    create_child_account(app, &mut parent, id).await;
    let consent = consent_id(app, &mut parent, id).await;
    assert_eq!(
        decide(app, &mut parent, consent, "grant").await.0,
        StatusCode::OK
    );
    assert_eq!(
        decide(app, &mut parent, consent, "revoke").await.0,
        StatusCode::OK
    );
    assert_eq!(granted(app).await, 0);
    let mut tab = Browser {
        cookie: parent.cookie.clone(),
        challenge: None,
        device: parent.device.clone(),
        address: parent.address.clone(),
    };
    let (first, second) = tokio::join!(
        decide(app, &mut parent, consent, "grant"),
        decide(app, &mut tab, consent, "grant"),
    );
    assert_eq!(first.0, StatusCode::OK, "{}", first.1);
    assert_eq!(second.0, StatusCode::OK, "{}", second.1);
    assert_eq!(granted(app).await, 1);
}

async fn an_https_portal_sends_hsts_and_host_prefixed_secure_cookies(app: &TestApp) {
    let home = app.get("/").await;
    assert_eq!(
        home.headers()["strict-transport-security"],
        "max-age=31536000; includeSubDomains"
    );
    let mut browser = Browser::new();
    let (status, _, headers) = call(
        app,
        &mut browser,
        "account/register",
        &crate::browser::registration("112-233-445 95", "+7 912 345-67-89", "anna@mail.ru"),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let cookie = headers["set-cookie"].to_str().unwrap();
    assert!(cookie.starts_with("__Host-portal_session="), "{cookie}");
    assert!(
        cookie.contains("; Secure") && cookie.contains("Path=/"),
        "{cookie}"
    );
    assert!(!cookie.contains("Domain"), "{cookie}");
    // The prefixed cookie is the one that signs in; an unprefixed one planted over plain HTTP
    // is not read.
    assert!(browser.cookie.is_some());
    let planted = app
        .client
        .post(format!("{}/api/account/current", app.address))
        .header(
            "cookie",
            format!("portal_session={}", browser.cookie.clone().unwrap()),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(planted.text().await.unwrap(), "null");
    assert_eq!(
        crate::browser::current_name(app, &mut browser).await,
        "Анна Иванова"
    );
}

/// On plain HTTP (development) neither `Secure` nor the prefix can work, nor HSTS.
#[tokio::test]
async fn a_plain_http_portal_sends_neither() {
    let app = TestApp::spawn_with(Engine::Sqlite, |c| {
        c.public_url = Some("http://127.0.0.1".into());
    })
    .await
    .unwrap();
    assert!(
        app.get("/")
            .await
            .headers()
            .get("strict-transport-security")
            .is_none()
    );
    let (_, _, headers) = call(
        &app,
        &mut Browser::new(),
        "account/register",
        &crate::browser::registration("112-233-445 95", "+7 912 345-67-89", "anna@mail.ru"),
    )
    .await;
    let cookie = headers["set-cookie"].to_str().unwrap();
    assert!(cookie.starts_with("portal_session="), "{cookie}");
    assert!(!cookie.contains("Secure"), "{cookie}");
}

async fn pages_for_a_signed_in_person_are_not_stored(app: &TestApp) {
    let anonymous = app.get("/").await;
    assert_ne!(
        anonymous
            .headers()
            .get("cache-control")
            .map(|v| v.to_str().unwrap()),
        Some("no-store")
    );
    let mut browser = Browser::new();
    register(app, &mut browser).await;
    for path in ["/", "/documents/family", "/notifications"] {
        let page = app
            .client
            .get(format!("{}{path}", app.address))
            .header(
                "cookie",
                format!("__Host-portal_session={}", browser.cookie.clone().unwrap()),
            )
            .send()
            .await
            .unwrap();
        assert_eq!(page.status(), StatusCode::OK, "{path}");
        assert_eq!(page.headers()["cache-control"], "no-store", "{path}");
    }
}
