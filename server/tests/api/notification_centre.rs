//! The notification centre on both engines: the event × channel matrix honoured for push and
//! the new events, Web Push encrypted and signed for a local push endpoint that decrypts it,
//! subscriptions only to push services, «История уведомлений» with a refused message and
//! «Отправить повторно» (once, its owner only), the unread count that does not keep a session
//! alive, the appeal deadline reminder and the weekly journal summary.

use std::collections::HashSet;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::routing::post;
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use reqwest::StatusCode;
use serde_json::Value;
use time::Duration;
use web_push_native::jwt_simple::prelude::*;
use web_push_native::p256;
use web_push_native::p256::elliptic_curve::sec1::ToEncodedPoint;

use crate::activity::family_with_a_child_account;
use crate::browser::{Browser, call, pairs};
use crate::child_accounts::child_sign_in;
use crate::engine_tests;
use crate::family::{another_confirmed_parent, execute, officer_browser, run_queue, scalar};
use crate::helpers::{Engine, TestApp};
use crate::notification_settings::save;
use crate::officer::{code, sent};
use crate::replies::claimed_and_decided;

engine_tests!(
    a_refused_notice_is_in_the_history_and_sent_again_once,
    the_unread_count_follows_and_does_not_keep_the_session_alive,
    the_appeal_deadline_is_reminded_once,
    the_weekly_summary_goes_to_the_parent_who_chose_it_once,
);

/// What the local push service received: the path, the headers and the encrypted body.
type Received = Arc<Mutex<Vec<(String, HeaderMap, Vec<u8>)>>>;

/// A push service on loopback: 201 for `/push/<id>`, 410 for `/push/gone` (a browser that
/// unsubscribed).
async fn push_service() -> (String, Received) {
    async fn receive(
        State(received): State<Received>,
        Path(id): Path<String>,
        headers: HeaderMap,
        body: Bytes,
    ) -> axum::http::StatusCode {
        let gone = id == "gone";
        received.lock().unwrap().push((id, headers, body.to_vec()));
        if gone {
            axum::http::StatusCode::GONE
        } else {
            axum::http::StatusCode::CREATED
        }
    }
    let received: Received = Arc::default();
    let router = Router::new()
        .route("/push/{id}", post(receive))
        .with_state(received.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let origin = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, router).await });
    (origin, received)
}

/// A browser's push keys: its private key (to decrypt), and what `PushSubscription` gives.
struct BrowserKeys {
    secret: p256::SecretKey,
    auth: [u8; 16],
}

impl BrowserKeys {
    fn new() -> Self {
        BrowserKeys {
            secret: p256::SecretKey::from_slice(&rand::random::<[u8; 32]>()).unwrap(),
            auth: rand::random(),
        }
    }

    fn form(&self, endpoint: &str) -> Vec<(String, String)> {
        let public = self.secret.public_key().to_encoded_point(false);
        pairs(&[
            ("subscription[endpoint]", endpoint),
            (
                "subscription[p256dh]",
                &URL_SAFE_NO_PAD.encode(public.as_bytes()),
            ),
            ("subscription[auth]", &URL_SAFE_NO_PAD.encode(self.auth)),
        ])
    }

    fn decrypt(&self, body: &[u8]) -> Value {
        let plain = web_push_native::decrypt(
            body.to_vec(),
            &self.secret,
            &web_push_native::Auth::from(self.auth),
        )
        .expect("the push decrypts with the browser's keys");
        serde_json::from_slice(&plain).unwrap()
    }
}

/// Delivers everything due now, waiting for what the server's own dispatcher holds.
async fn deliver(app: &TestApp) {
    for _ in 0..100 {
        while app.outbox.run_once().await.unwrap() > 0 {}
        let waiting = scalar(
            app,
            "SELECT COUNT(*) FROM outbox_messages WHERE status = 'sending' \
             OR (status = 'queued' AND attempts = 0)",
        )
        .await;
        if waiting == 0 {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("messages still on their way");
}

/// Waits until the push service has received `count` pushes (the server's own dispatcher may
/// hold a message when the test asks).
async fn arrived(app: &TestApp, received: &Received, count: usize) {
    for _ in 0..100 {
        deliver(app).await;
        if received.lock().unwrap().len() >= count {
            // Its outcome is recorded just after the push service answers.
            tokio::time::sleep(std::time::Duration::from_millis(200)).await;
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!(
        "the push service received {} pushes, not {count}",
        received.lock().unwrap().len()
    );
}

async fn history(app: &TestApp, browser: &mut Browser, filter: &[(&str, &str)]) -> Vec<Value> {
    let form: Vec<(String, String)> = filter
        .iter()
        .map(|(k, v)| (format!("filter[{k}]"), (*v).to_owned()))
        .collect();
    let (status, body, _) = call(app, browser, "notifications/history", &form).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body["entries"].as_array().unwrap().clone()
}

async fn resend(app: &TestApp, browser: &mut Browser, id: i64) -> (StatusCode, Value) {
    let (status, body, _) = call(
        app,
        browser,
        "notifications/resend",
        &pairs(&[("id", &id.to_string())]),
    )
    .await;
    (status, body)
}

fn field_errors(body: &Value) -> Vec<String> {
    body["details"]
        .as_array()
        .map(|errors| {
            errors
                .iter()
                .map(|e| e["field"].as_str().unwrap_or_default().to_owned())
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test]
async fn sqlite_push_is_encrypted_signed_and_only_sent_to_push_services() {
    push_journey(Engine::Sqlite).await;
}

#[tokio::test]
async fn postgres_push_is_encrypted_signed_and_only_sent_to_push_services() {
    push_journey(Engine::Postgres).await;
}

async fn push_journey(engine: Engine) {
    let (origin, received) = push_service().await;
    let services = origin.clone();
    let Some(app) = TestApp::spawn_with(engine, |c| c.push_services = services).await else {
        return;
    };
    let (mut parent, _, _) = family_with_a_child_account(&app).await;
    let keys = BrowserKeys::new();

    // Push cannot be chosen before a browser is connected; nothing is saved.
    let (status, body) = save(&app, &mut parent, &[("child_activity", "push")]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(field_errors(&body), ["notify-push"], "{body}");
    // The weekly summary comes by e-mail only.
    let (status, body) = save(&app, &mut parent, &[("journal_summary", "sms")]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(
        field_errors(&body),
        ["notify-journal_summary-sms"],
        "{body}"
    );

    // A subscription pointing anywhere but a push service is refused at its field, unstored:
    // the server would otherwise post to any address it is given.
    for endpoint in [
        "http://169.254.169.254/latest/meta-data".to_owned(),
        "https://fcm.googleapis.com.evil.example/fcm/send/x".to_owned(),
        format!("{origin}@127.0.0.1:1/push/x"),
        "file:///etc/passwd".to_owned(),
    ] {
        let (status, body, _) = call(
            &app,
            &mut parent,
            "notifications/push/connect",
            &keys.form(&endpoint),
        )
        .await;
        assert_eq!(
            status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{endpoint}: {body}"
        );
        assert_eq!(field_errors(&body), ["push-connect"], "{body}");
    }
    let mut bad_keys = keys.form(&format!("{origin}/push/1"));
    bad_keys[1].1 = "AAAA".to_owned();
    let (status, body, _) = call(&app, &mut parent, "notifications/push/connect", &bad_keys).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(
        scalar(&app, "SELECT COUNT(*) FROM push_subscriptions").await,
        0
    );
    // Nobody signed in connects nothing.
    let (status, _, _) = call(
        &app,
        &mut Browser::new(),
        "notifications/push/connect",
        &keys.form(&format!("{origin}/push/1")),
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);

    // This browser, connected; the subscription is kept sealed, not as it came.
    let endpoint = format!("{origin}/push/1");
    let (status, shown, _) = call(
        &app,
        &mut parent,
        "notifications/push/connect",
        &keys.form(&endpoint),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{shown}");
    assert_eq!(
        shown["push_devices"].as_array().unwrap().len(),
        1,
        "{shown}"
    );
    let device = shown["push_devices"][0]["id"].as_i64().unwrap();
    assert_eq!(
        scalar(
            &app,
            "SELECT COUNT(*) FROM push_subscriptions WHERE sealed LIKE '%push/1%'"
        )
        .await,
        0,
        "the endpoint is not stored in plain text"
    );
    // Another family cannot disconnect it.
    let mut other = another_confirmed_parent(&app).await;
    let (status, _, _) = call(
        &app,
        &mut other,
        "notifications/push/disconnect",
        &pairs(&[("id", &device.to_string())]),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // Sign-ins of the child by push and in the account, nothing by e-mail.
    let (status, body) = save(
        &app,
        &mut parent,
        &[("child_activity", "push"), ("child_activity", "in_app")],
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    deliver(&app).await;
    received.lock().unwrap().clear();
    let before_mail = scalar(
        &app,
        "SELECT COUNT(*) FROM outbox_messages WHERE channel = 'email' AND subject LIKE '%вход в личный кабинет%'",
    )
    .await;
    let (status, body) = child_sign_in(&app, &mut Browser::at("198.51.100.78")).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    arrived(&app, &received, 1).await;

    let pushes = received.lock().unwrap().clone();
    let all = history(&app, &mut parent, &[("channel", "push")]).await;
    assert_eq!(pushes.len(), 1, "one push for one browser: {all:?}");
    let (path, headers, body) = &pushes[0];
    assert_eq!(path, "1");
    assert_eq!(headers["content-encoding"], "aes128gcm");
    assert!(headers.contains_key("ttl"));
    // Only this browser's keys open it.
    assert!(
        web_push_native::decrypt(
            body.clone(),
            &BrowserKeys::new().secret,
            &web_push_native::Auth::from(keys.auth)
        )
        .is_err()
    );
    let shown = keys.decrypt(body);
    assert_eq!(shown["title"], "Пётр: вход в личный кабинет", "{shown}");
    assert!(
        shown["body"].as_str().unwrap().contains("198.51.100.78"),
        "{shown}"
    );
    assert_eq!(shown["url"], "https://portal.test/documents/family");
    // Signed with the server's VAPID key for this push service.
    let authorization = headers["authorization"].to_str().unwrap();
    let (token, key) = authorization
        .strip_prefix("vapid t=")
        .and_then(|rest| rest.split_once(", k="))
        .expect("vapid t=…, k=…");
    let public = ES256PublicKey::from_bytes(&URL_SAFE_NO_PAD.decode(key).unwrap()).unwrap();
    let claims = public
        .verify_token::<NoCustomClaims>(
            token,
            Some(VerificationOptions {
                // web-push-native names the scheme and host without the port: the same for the
                // push services, which listen on 443.
                allowed_audiences: Some(HashSet::from(["http://127.0.0.1".to_owned()])),
                ..Default::default()
            }),
        )
        .unwrap_or_else(|e| panic!("a valid VAPID signature: {e}: {authorization}"));
    assert_eq!(
        claims.subject.as_deref(),
        Some("mailto:support@portal.test")
    );
    assert_eq!(
        scalar(
            &app,
            "SELECT COUNT(*) FROM outbox_messages WHERE channel = 'email' AND subject LIKE '%вход в личный кабинет%'",
        )
        .await,
        before_mail,
        "no e-mail: the parent chose push and the account"
    );
    let in_app = history(&app, &mut parent, &[("channel", "in_app")]).await;
    assert!(
        in_app
            .iter()
            .any(|e| e["subject"] == "Пётр: вход в личный кабинет" && e["state"] == "delivered"),
        "{in_app:?}"
    );

    // A browser that unsubscribed: its push is refused with the reason, and it is forgotten.
    let gone = BrowserKeys::new();
    let (status, body, _) = call(
        &app,
        &mut parent,
        "notifications/push/connect",
        &gone.form(&format!("{origin}/push/gone")),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, body) = child_sign_in(&app, &mut Browser::at("198.51.100.79")).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    arrived(&app, &received, 3).await;
    let refused = history(
        &app,
        &mut parent,
        &[("channel", "push"), ("state", "rejected")],
    )
    .await;
    assert_eq!(refused.len(), 1, "{refused:?}");
    assert!(
        refused[0]["reason"].as_str().unwrap().contains("410"),
        "{refused:?}"
    );
    assert_eq!(refused[0]["recipient"], "Отключённый браузер");
    assert_eq!(refused[0]["resend"], "NotNeeded");
    assert_eq!(
        scalar(&app, "SELECT COUNT(*) FROM push_subscriptions").await,
        1
    );
    let delivered = history(&app, &mut parent, &[("channel", "push"), ("state", "sent")]).await;
    assert_eq!(delivered.len(), 2, "{delivered:?}");

    // Twelve more browsers connected at once: the count is kept under a lock, so exactly nine
    // join the one there (ten in all) and three are told to disconnect one first.
    let connects = (2..14).map(|n| {
        let mut browser = parent.clone();
        let (app, form) = (&app, BrowserKeys::new().form(&format!("{origin}/push/{n}")));
        async move { call(app, &mut browser, "notifications/push/connect", &form).await }
    });
    let answers = futures::future::join_all(connects).await;
    let connected = answers.iter().filter(|a| a.0 == StatusCode::OK).count();
    assert_eq!(connected, 9, "{answers:?}");
    for (status, body, _) in answers.iter().filter(|a| a.0 != StatusCode::OK) {
        assert_eq!(*status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_eq!(field_errors(body), ["push-connect"], "{body}");
    }
    assert_eq!(
        scalar(&app, "SELECT COUNT(*) FROM push_subscriptions").await,
        10
    );
}

async fn a_refused_notice_is_in_the_history_and_sent_again_once(app: &TestApp) {
    let (mut parent, _, _) = family_with_a_child_account(app).await;
    let (status, body) = save(
        app,
        &mut parent,
        &[("child_activity", "email"), ("child_activity", "in_app")],
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    deliver(app).await;
    // The parent's mail server refuses (the development mailbox plays it).
    let refuse = |refuse: &str| pairs(&[("recipient", "anna@mail.ru"), ("refuse", refuse)]);
    let (status, body, _) = call(app, &mut parent, "dev/mailbox/refusals", &refuse("true")).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, body) = child_sign_in(app, &mut Browser::at("198.51.100.78")).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    deliver(app).await;

    let refused = history(app, &mut parent, &[("state", "rejected")]).await;
    assert_eq!(refused.len(), 1, "{refused:?}");
    let entry = &refused[0];
    assert_eq!(entry["channel"], "email");
    assert_eq!(entry["recipient"], "anna@mail.ru");
    assert_eq!(entry["resend"], "Possible");
    assert!(
        entry["reason"].as_str().unwrap().contains("отклонил"),
        "{entry}"
    );
    assert!(
        entry["text"].as_str().unwrap().contains("198.51.100.78"),
        "{entry}"
    );
    let id = entry["id"].as_i64().unwrap();

    // Not another person's, nor anyone's without a session.
    let mut other = another_confirmed_parent(app).await;
    assert_eq!(resend(app, &mut other, id).await.0, StatusCode::NOT_FOUND);
    assert_eq!(
        resend(app, &mut Browser::new(), id).await.0,
        StatusCode::UNAUTHORIZED
    );

    // The mail server accepts again; eight presses at once make one new message.
    let (status, _, _) = call(app, &mut parent, "dev/mailbox/refusals", &refuse("false")).await;
    assert_eq!(status, StatusCode::OK);
    let presses = (0..8).map(|_| {
        let mut browser = parent.clone();
        async move { resend(app, &mut browser, id).await }
    });
    let answers = futures::future::join_all(presses).await;
    let ok = answers.iter().filter(|(s, _)| *s == StatusCode::OK).count();
    assert_eq!(ok, 1, "{answers:?}");
    for (status, body) in answers.iter().filter(|(s, _)| *s != StatusCode::OK) {
        assert_eq!(*status, StatusCode::CONFLICT, "{body}");
        assert_eq!(code(body), "already_resent", "{body}");
    }
    deliver(app).await;
    let mail = history(app, &mut parent, &[("channel", "email")]).await;
    let same: Vec<&Value> = mail
        .iter()
        .filter(|e| e["subject"] == entry["subject"])
        .collect();
    assert_eq!(same.len(), 2, "{mail:?}");
    assert_eq!(same[0]["state"], "delivered", "the new one, newest first");
    assert_eq!(same[1]["resend"], "Done");

    // A message with a code or a link is never sent again, and its text is not shown.
    execute(
        app,
        "UPDATE outbox_messages SET status = 'failed' WHERE holds_secret AND recipient = 'anna@mail.ru'",
    )
    .await;
    let secrets: Vec<Value> = history(app, &mut parent, &[("state", "rejected")])
        .await
        .into_iter()
        .filter(|e| e["resend"] == "HeldASecret")
        .collect();
    assert!(!secrets.is_empty());
    assert!(secrets.iter().all(|e| e["text"].is_null()), "{secrets:?}");
    let secret = secrets[0]["id"].as_i64().unwrap();
    let (status, body) = resend(app, &mut parent, secret).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(code(&body), "not_resendable");
}

async fn the_unread_count_follows_and_does_not_keep_the_session_alive(app: &TestApp) {
    let (mut parent, _, _) = family_with_a_child_account(app).await;
    deliver(app).await;
    let unread = |browser: &mut Browser| {
        let mut browser = browser.clone();
        async move {
            let (status, body, _) = call(app, &mut browser, "notifications/unread", &[]).await;
            assert_eq!(status, StatusCode::OK, "{body}");
            body
        }
    };
    assert_eq!(unread(&mut Browser::new()).await, Value::Null);
    let before = unread(&mut parent).await.as_u64().unwrap();
    assert!(before > 0, "the child's sign-in and more");

    // A new sign-in of the child: one more, without reading the list.
    let (status, _) = child_sign_in(app, &mut Browser::at("198.51.100.78")).await;
    assert_eq!(status, StatusCode::OK);
    deliver(app).await;
    assert_eq!(unread(&mut parent).await.as_u64().unwrap(), before + 1);
    let (status, body, _) = call(app, &mut parent, "notifications", &[]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(unread(&mut parent).await, 0);

    // Asked in the background for 40 minutes, the count does not extend the session: it ends
    // after its 30 idle minutes like any left tab.
    for _ in 0..8 {
        app.clock.advance(Duration::minutes(5));
        unread(&mut parent).await;
    }
    assert_eq!(unread(&mut parent).await, Value::Null);
}

/// A fresh session after the clock moved past the old one's life.
async fn signed_in(app: &TestApp, login: &str) -> Browser {
    let mut browser = Browser::new();
    let form = pairs(&[("login", login), ("password", crate::browser::PASSWORD)]);
    let (status, body, _) = call(app, &mut browser, "account/sign-in", &form).await;
    assert_eq!(status, StatusCode::OK, "{login}: {body}");
    browser
}

async fn the_appeal_deadline_is_reminded_once(app: &TestApp) {
    // A refused application: three days before the 30 days to appeal end, one reminder.
    let (_, id, number) = sent(app).await;
    let mut officer = officer_browser(app).await;
    claimed_and_decided(app, &mut officer, id, "reject", "Доход семьи выше порога").await;
    let subject = format!("Срок обжалования по заявлению № {number} истекает");
    let mut told_on = Vec::new();
    for day in 1..=31 {
        app.clock.advance(Duration::days(1));
        run_queue(app).await;
        let count = scalar(
            app,
            "SELECT COUNT(*) FROM sent_reminders WHERE about LIKE 'appeal:%'",
        )
        .await;
        if count > told_on.len() as i64 {
            told_on.push(day);
        }
    }
    assert_eq!(told_on, [27], "once, three days before the 30 days end");
    deliver(app).await;
    let mut anna = signed_in(app, "anna@mail.ru").await;
    let told: Vec<String> = history(app, &mut anna, &[])
        .await
        .into_iter()
        .filter(|e| e["subject"] == subject.as_str())
        .map(|e| e["channel"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(told, ["in_app", "email"], "the defaults for the event");
}

async fn the_weekly_summary_goes_to_the_parent_who_chose_it_once(app: &TestApp) {
    // To the parent who chose it, on a Monday, once a week.
    let (mut parent, _, _) = family_with_a_child_account(app).await;
    let (status, body) = save(app, &mut parent, &[("journal_summary", "email")]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    for _ in 0..8 {
        app.clock.advance(Duration::days(1));
        run_queue(app).await;
    }
    deliver(app).await;
    let mut parent = signed_in(app, "anna@mail.ru").await;
    let summaries: Vec<Value> = history(app, &mut parent, &[])
        .await
        .into_iter()
        .filter(|e| e["subject"] == "Журнал активности: Пётр за неделю")
        .collect();
    assert_eq!(summaries.len(), 1, "{summaries:?}");
    assert_eq!(summaries[0]["channel"], "email");
    let text = summaries[0]["text"].as_str().unwrap();
    assert!(text.contains("Вход — "), "{text}");
    assert!(text.contains("Целостность журнала подтверждена"), "{text}");
    assert_eq!(
        scalar(
            app,
            "SELECT COUNT(*) FROM sent_reminders WHERE about LIKE 'journal:%'"
        )
        .await,
        1
    );
}
