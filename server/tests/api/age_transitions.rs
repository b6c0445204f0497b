//! Age transitions on the moved clock: the daily sweep reminds the child and the parent a month
//! before 14 and before 18, makes the child's account a teen's at 14 (no parent's consent needed
//! to sign in any more) and an adult's at 18 (the parent's link ends; the consents' history
//! stays, read-only). Both sides get the same notice, once — on both engines.

use reqwest::StatusCode;
use serde_json::Value;
use time::macros::datetime;
use time::{Date, OffsetDateTime};

use crate::browser::{Browser, PASSWORD, call, confirm_contacts, pairs, registration};
use crate::child_accounts::{
    CHILD_EMAIL, child_sign_in, consent_id, create_child_account, decide,
    parent_with_confirmed_child,
};
use crate::engine_tests;
use crate::family::{expect_notification, run_queue};
use crate::helpers::TestApp;

const SWEEP: &str = "minors.age_sweep";
const BEFORE_14: &str = "Через месяц учётная запись станет учётной записью подростка";
const TURNED_14: &str = "Учётная запись стала учётной записью подростка";
const BEFORE_18: &str = "Через месяц родительский контроль закончится";
const TURNED_18: &str = "Родительский контроль закончился";

/// Moves the clock forward to this moment.
fn move_to(app: &TestApp, at: OffsetDateTime) {
    let by = at - app.clock_now();
    assert!(by.is_positive(), "the clock only moves forward");
    app.clock.advance(by);
}

/// 12:30 in Moscow on that day.
fn midday(date: Date) -> OffsetDateTime {
    date.with_hms(9, 30, 0).unwrap().assume_utc()
}

/// One number from the server's database (what no page shows).
async fn number(app: &TestApp, sql: &'static str) -> i64 {
    match &app.db {
        server::db::Database::Sqlite { writer, .. } => sqlx::query_scalar::<_, i64>(sql)
            .fetch_one(writer)
            .await
            .unwrap(),
        server::db::Database::Postgres(pool) => sqlx::query_scalar::<_, i64>(sql)
            .fetch_one(pool)
            .await
            .unwrap(),
    }
}

async fn age_group(app: &TestApp, email: &str) -> String {
    let sql = "SELECT age_group FROM accounts WHERE email = $1";
    match &app.db {
        server::db::Database::Sqlite { writer, .. } => sqlx::query_scalar::<_, String>(sql)
            .bind(email)
            .fetch_one(writer)
            .await
            .unwrap(),
        server::db::Database::Postgres(pool) => sqlx::query_scalar::<_, String>(sql)
            .bind(email)
            .fetch_one(pool)
            .await
            .unwrap(),
    }
}

async fn notices(app: &TestApp, email: &str) -> Vec<String> {
    let account = server::db::accounts::by_login(&app.db, None, Some(email), None)
        .await
        .unwrap();
    server::db::age_transitions::notices(&app.db, account[0].id)
        .await
        .unwrap()
}

/// The sweeps waiting in the queue, by when they run.
async fn queued_sweeps(app: &TestApp) -> Vec<OffsetDateTime> {
    server::db::jobs::list(&app.db, Some(app::operations::JobStatus::Queued), 100)
        .await
        .unwrap()
        .into_iter()
        .filter(|j| j.kind == SWEEP)
        .map(|j| j.run_at)
        .collect()
}

/// A fresh session (the old one expired while the clock moved).
async fn sign_in(app: &TestApp, browser: &mut Browser, login: &str, password: &str) {
    let (status, body, _) = call(
        app,
        browser,
        "account/sign-in",
        &pairs(&[("login", login), ("password", password)]),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{login}: {body}");
}

async fn notifications(app: &TestApp, browser: &mut Browser) -> Vec<Value> {
    let (status, body, _) = call(app, browser, "notifications", &[]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body.as_array().unwrap().clone()
}

/// The parent and the child both have the notice, with the same text, once.
async fn both_told(app: &TestApp, parent: &mut Browser, child: &mut Browser, title: &str) {
    expect_notification(app, parent, title).await;
    expect_notification(app, child, title).await;
    let (to_parent, to_child) = (
        notifications(app, parent).await,
        notifications(app, child).await,
    );
    let text = |list: &[Value]| {
        list.iter()
            .find(|n| n["title"] == title)
            .map(|n| n["text"].clone())
    };
    assert_eq!(text(&to_parent), text(&to_child));
    for list in [&to_parent, &to_child] {
        let copies = list.iter().filter(|n| n["title"] == title).count();
        assert_eq!(copies, 1, "{title}: {list:?}");
    }
}

async fn a_child_account_becomes_a_teens_at_14_and_an_adults_at_18(app: &TestApp) {
    let (mut parent, id) = parent_with_confirmed_child(app).await;
    create_child_account(app, &mut parent, id).await;
    let consent = consent_id(app, &mut parent, id).await;
    let (status, body) = decide(app, &mut parent, consent, "grant").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let mut child = Browser::at("198.51.100.7");

    // The server booked the first sweep at start-up: tomorrow, 03:00 in Moscow.
    assert_eq!(queued_sweeps(app).await, [datetime!(2026-11-26 00:00 UTC)]);
    assert_eq!(age_group(app, CHILD_EMAIL).await, "child");

    // A month before 14: a reminder to both, and the next sweep booked for the next night.
    move_to(
        app,
        midday(Date::from_calendar_date(2030, time::Month::February, 3).unwrap()),
    );
    run_queue(app).await;
    assert_eq!(notices(app, CHILD_EMAIL).await, ["before_14"]);
    assert_eq!(queued_sweeps(app).await, [datetime!(2030-02-04 00:00 UTC)]);
    sign_in(app, &mut parent, "anna@mail.ru", PASSWORD).await;
    let (status, body) = child_sign_in(app, &mut child).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    both_told(app, &mut parent, &mut child, BEFORE_14).await;
    let text = notifications(app, &mut child).await[0]["text"].clone();
    assert!(
        text.as_str().unwrap().contains("05.03.2030") && text.as_str().unwrap().contains("паспорт"),
        "{text}"
    );

    // The next night's sweep sends nothing again, and books exactly one successor.
    move_to(
        app,
        midday(Date::from_calendar_date(2030, time::Month::February, 4).unwrap()),
    );
    run_queue(app).await;
    assert_eq!(notices(app, CHILD_EMAIL).await, ["before_14"]);
    assert_eq!(queued_sweeps(app).await, [datetime!(2030-02-05 00:00 UTC)]);
    sign_in(app, &mut parent, "anna@mail.ru", PASSWORD).await;
    child_sign_in(app, &mut child).await;
    both_told(app, &mut parent, &mut child, BEFORE_14).await;

    // Without the parent's consent a child cannot sign in…
    let (status, body) = decide(app, &mut parent, consent, "revoke").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, body) = child_sign_in(app, &mut child).await;
    assert_eq!(
        (status, body["details"].as_str()),
        (StatusCode::CONFLICT, Some("parent_consent_required"))
    );

    // …a teen can: at 14 the account is a teen's.
    move_to(
        app,
        midday(Date::from_calendar_date(2030, time::Month::March, 5).unwrap()),
    );
    run_queue(app).await;
    assert_eq!(age_group(app, CHILD_EMAIL).await, "teen");
    assert_eq!(notices(app, CHILD_EMAIL).await, ["before_14", "turned_14"]);
    let (status, body) = child_sign_in(app, &mut child).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    sign_in(app, &mut parent, "anna@mail.ru", PASSWORD).await;
    both_told(app, &mut parent, &mut child, TURNED_14).await;
    // Until 18 the parent still acts for the teen.
    let guardians = "SELECT COUNT(*) FROM guardianships g JOIN accounts a ON a.id = g.minor_account_id \
         WHERE a.email = 'petya@mail.ru' AND g.ended_at IS NULL";
    assert_eq!(number(app, guardians).await, 1);

    // A month before 18.
    move_to(
        app,
        midday(Date::from_calendar_date(2034, time::Month::February, 3).unwrap()),
    );
    run_queue(app).await;
    assert_eq!(
        notices(app, CHILD_EMAIL).await,
        ["before_14", "turned_14", "before_18"]
    );
    sign_in(app, &mut parent, "anna@mail.ru", PASSWORD).await;
    child_sign_in(app, &mut child).await;
    both_told(app, &mut parent, &mut child, BEFORE_18).await;

    // At 18 the account is an adult's and the parent's link ends.
    move_to(
        app,
        midday(Date::from_calendar_date(2034, time::Month::March, 5).unwrap()),
    );
    run_queue(app).await;
    assert_eq!(age_group(app, CHILD_EMAIL).await, "adult");
    assert_eq!(
        notices(app, CHILD_EMAIL).await,
        ["before_14", "turned_14", "before_18", "turned_18"]
    );
    assert_eq!(number(app, guardians).await, 0);
    let ended = "SELECT COUNT(*) FROM guardianships WHERE ended_at IS NOT NULL";
    assert_eq!(number(app, ended).await, 1);
    sign_in(app, &mut parent, "anna@mail.ru", PASSWORD).await;
    let (status, body) = child_sign_in(app, &mut child).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    both_told(app, &mut parent, &mut child, TURNED_18).await;

    // The parent keeps the consents' history, but no longer decides them.
    let (status, body) = decide(app, &mut parent, consent, "grant").await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
    let (status, list, _) = call(app, &mut parent, "consents/list", &[]).await;
    assert_eq!(status, StatusCode::OK, "{list}");
    assert!(!list.as_array().unwrap().is_empty(), "{list}");

    // The e-mail says the same as the in-app notice.
    app.outbox.run_once().await.unwrap();
    let letter = crate::browser::delivered_to(app, CHILD_EMAIL).await;
    assert_eq!(letter.subject, TURNED_18);

    // Later sweeps find nobody left to move on.
    move_to(
        app,
        midday(Date::from_calendar_date(2034, time::Month::March, 6).unwrap()),
    );
    run_queue(app).await;
    assert_eq!(notices(app, CHILD_EMAIL).await.len(), 4);
    assert_eq!(queued_sweeps(app).await.len(), 1);
}

/// A teen who registered at 15 was never a child here: no reminder of the 14th birthday that
/// passed, none of a change to a teen's account; only 18, to the teen alone (no parent linked).
async fn a_teen_registered_at_15_hears_only_of_18(app: &TestApp) {
    const TEEN_EMAIL: &str = "sasha@mail.ru";
    let mut form = registration("123-456-789 64", "+7 913 111-22-44", TEEN_EMAIL);
    form.retain(|(k, _)| k != "form[birth_date]");
    form.push(("form[birth_date]".into(), "10.12.2010".into()));
    let mut teen = Browser::at("198.51.100.30");
    let (status, body, _) = call(app, &mut teen, "account/register", &form).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(age_group(app, TEEN_EMAIL).await, "teen");
    // The teen finishes the registration (an unfinished one is removed after a week).
    confirm_contacts(app, &mut teen, TEEN_EMAIL, "+79131112244").await;

    move_to(
        app,
        midday(Date::from_calendar_date(2026, time::Month::November, 26).unwrap()),
    );
    run_queue(app).await;
    assert!(notices(app, TEEN_EMAIL).await.is_empty());
    assert_eq!(queued_sweeps(app).await, [datetime!(2026-11-27 00:00 UTC)]);

    move_to(
        app,
        midday(Date::from_calendar_date(2028, time::Month::November, 10).unwrap()),
    );
    run_queue(app).await;
    assert_eq!(notices(app, TEEN_EMAIL).await, ["before_18"]);
    sign_in(app, &mut teen, TEEN_EMAIL, PASSWORD).await;
    expect_notification(app, &mut teen, BEFORE_18).await;

    move_to(
        app,
        midday(Date::from_calendar_date(2028, time::Month::December, 10).unwrap()),
    );
    run_queue(app).await;
    assert_eq!(age_group(app, TEEN_EMAIL).await, "adult");
    assert_eq!(notices(app, TEEN_EMAIL).await, ["before_18", "turned_18"]);
    sign_in(app, &mut teen, TEEN_EMAIL, PASSWORD).await;
    expect_notification(app, &mut teen, TURNED_18).await;
}

engine_tests!(
    a_child_account_becomes_a_teens_at_14_and_an_adults_at_18,
    a_teen_registered_at_15_hears_only_of_18,
);
