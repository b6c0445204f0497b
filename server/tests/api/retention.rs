//! The nightly retention sweep on the moved clock: a registration left unfinished for a week is
//! removed and its СНИЛС, e-mail and phone can be registered by their real owner; dead sessions,
//! old sign-in failures and old e-mails and SMS go, while a finished account and its
//! notifications stay — on both engines.

use reqwest::StatusCode;
use time::Duration;

use crate::browser::*;
use crate::engine_tests;
use crate::family::{run_queue, scalar};
use crate::helpers::TestApp;
use server::clock::Clock;

const ANNA: (&str, &str, &str) = ("112-233-445 95", "+7 912 345-67-89", "anna@mail.ru");
const IGOR: (&str, &str, &str) = ("444-555-666 05", "+7 903 222-33-44", "igor@mail.ru");

async fn register_as(
    app: &TestApp,
    browser: &mut Browser,
    (snils, phone, email): (&str, &str, &str),
) -> StatusCode {
    let (status, _, _) = call(
        app,
        browser,
        "account/register",
        &registration(snils, phone, email),
    )
    .await;
    status
}

/// Moves the clock by `days` and runs what the queue has due (the nightly sweeps among it).
async fn nights_pass(app: &TestApp, days: i64) {
    app.clock.advance(Duration::days(days));
    run_queue(app).await;
}

async fn an_unfinished_registration_is_removed_after_a_week_and_frees_its_snils_email_and_phone(
    app: &TestApp,
) {
    // Анна confirms her e-mail only: the registration is not finished.
    let mut anna = Browser::new();
    assert_eq!(register_as(app, &mut anna, ANNA).await, StatusCode::OK);
    confirm_email(app, &mut anna, ANNA.2).await;
    // Игорь finishes his: both contacts confirmed.
    let mut igor = Browser::at("198.51.100.40");
    assert_eq!(register_as(app, &mut igor, IGOR).await, StatusCode::OK);
    confirm_contacts(app, &mut igor, IGOR.2, "+79032223344").await;

    // The real owner of Анна's details cannot register while the unfinished one holds them.
    let mut owner = Browser::at("198.51.100.77");
    assert_eq!(
        register_as(app, &mut owner, ANNA).await,
        StatusCode::UNPROCESSABLE_ENTITY
    );

    // Анна's page says until when she can finish; Игорь's says nothing of it.
    let (_, contacts, _) = call(app, &mut anna, "account/contacts", &[]).await;
    assert_eq!(contacts["unfinished_until"], "02.12.2026");
    let (_, contacts, _) = call(app, &mut igor, "account/contacts", &[]).await;
    assert!(contacts["unfinished_until"].is_null(), "{contacts}");

    // Six days on, the sweeps have run and everything is still there.
    nights_pass(app, 6).await;
    let anna_count = "SELECT COUNT(*) FROM accounts WHERE email = 'anna@mail.ru'";
    let igor_count = "SELECT COUNT(*) FROM accounts WHERE email = 'igor@mail.ru'";
    assert_eq!(scalar(app, anna_count).await, 1);

    // Past the week: Анна's registration is gone with what hung on it, Игорь's stays.
    nights_pass(app, 2).await;
    assert_eq!(scalar(app, anna_count).await, 0);
    assert_eq!(scalar(app, igor_count).await, 1);
    assert_eq!(
        scalar(app, "SELECT COUNT(*) FROM email_links e JOIN accounts a ON a.id = e.account_id WHERE a.email = 'anna@mail.ru'").await,
        0
    );
    // …and the same СНИЛС, e-mail and phone register again.
    assert_eq!(register_as(app, &mut owner, ANNA).await, StatusCode::OK);
}

async fn the_sweep_removes_dead_sessions_old_failures_and_sent_messages_but_keeps_notifications(
    app: &TestApp,
) {
    let mut anna = Browser::new();
    assert_eq!(register_as(app, &mut anna, ANNA).await, StatusCode::OK);
    confirm_contacts(app, &mut anna, ANNA.2, "+79123456789").await;
    // A wrong password: refused, and recorded for throttling.
    let (status, _, _) = call(
        app,
        &mut Browser::at("198.51.100.9"),
        "account/sign-in",
        &pairs(&[("login", ANNA.2), ("password", "Wrong-password-1")]),
    )
    .await;
    assert!(status.is_client_error(), "{status}");
    let sessions = "SELECT COUNT(*) FROM sessions";
    let failures = "SELECT COUNT(*) FROM sign_in_failures";
    let sent = "SELECT COUNT(*) FROM outbox_messages WHERE channel IN ('email', 'sms')";
    let notifications = "SELECT COUNT(*) FROM outbox_messages WHERE channel = 'in_app'";
    let codes = "SELECT (SELECT COUNT(*) FROM email_links) + (SELECT COUNT(*) FROM phone_codes)";
    assert_eq!(scalar(app, sessions).await, 1);
    assert_eq!(scalar(app, failures).await, 1);
    assert!(scalar(app, sent).await >= 2);
    assert!(scalar(app, codes).await >= 2);
    let kept_notifications = scalar(app, notifications).await;
    assert!(kept_notifications >= 1, "the welcome notification");

    // Four nights on: the session is long idle, the failure past every window, the codes past
    // their life; the e-mails and SMS keep their history a month.
    nights_pass(app, 4).await;
    assert_eq!(scalar(app, sessions).await, 0);
    assert_eq!(scalar(app, failures).await, 0);
    assert_eq!(scalar(app, codes).await, 0);
    assert!(scalar(app, sent).await >= 2);
    nights_pass(app, 31).await;
    assert_eq!(scalar(app, sent).await, 0);
    assert_eq!(scalar(app, notifications).await, kept_notifications);
    // The finished account stays, and signs in.
    let (status, body, _) = call(
        app,
        &mut Browser::new(),
        "account/sign-in",
        &pairs(&[("login", ANNA.2), ("password", PASSWORD)]),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

/// Thirty complete sign-ins from new devices, as the sign-in flow records them (`remember`, called
/// here directly rather than through thirty second-factor sign-ins): the account keeps only its 20
/// most recently seen devices, and none that has not been seen for a year.
async fn known_devices_are_bounded_per_account_and_forgotten_after_a_year(app: &TestApp) {
    let mut anna = Browser::new();
    assert_eq!(register_as(app, &mut anna, ANNA).await, StatusCode::OK);
    confirm_contacts(app, &mut anna, ANNA.2, "+79123456789").await;
    let account_id = scalar(app, "SELECT id FROM accounts WHERE email = 'anna@mail.ru'").await;
    let devices = "SELECT COUNT(*) FROM known_devices";
    let first = server::secrets::hash_token("device-0");
    for n in 0..30 {
        let mut tx = app.db.begin().await.unwrap();
        let hash = server::secrets::hash_token(&format!("device-{n}"));
        let at = app.clock.now() + Duration::minutes(n);
        server::db::known_devices::remember(&mut tx, account_id, &hash, at)
            .await
            .unwrap();
        tx.commit().await.unwrap();
    }
    assert_eq!(scalar(app, devices).await, 20);
    let known = |hash: String| async move {
        server::db::known_devices::is_known(&app.db, account_id, &hash)
            .await
            .unwrap()
    };
    assert!(!known(first).await, "the least recently seen went");
    assert!(known(server::secrets::hash_token("device-29")).await);

    nights_pass(app, 364).await;
    assert_eq!(scalar(app, devices).await, 20);
    nights_pass(app, 2).await;
    assert_eq!(scalar(app, devices).await, 0);
}

engine_tests!(
    an_unfinished_registration_is_removed_after_a_week_and_frees_its_snils_email_and_phone,
    the_sweep_removes_dead_sessions_old_failures_and_sent_messages_but_keeps_notifications,
    known_devices_are_bounded_per_account_and_forgotten_after_a_year,
);
