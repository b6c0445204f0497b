//! «Семья и дети»: a confirmed parent adds children and asks ЕГР ЗАГС and СФР; the checks run
//! through the job queue against the registry simulator over HTTP. Statuses, notifications,
//! authorization, stale jobs, retries and the dead-letter state, on both engines.

use reqwest::StatusCode;
use serde_json::Value;
use time::Duration;

use app::domain::verification::Document;
use server::cli::{AdminCommand, LevelArg};
use server::db::children;

use crate::browser::{Browser, call, codes, pairs, register};
use crate::engine_tests;
use crate::helpers::{TestApp, simulator};

/// Пётр from the simulator's data set: found in ЕГР ЗАГС and in СФР.
pub(crate) fn peter() -> Vec<(&'static str, &'static str)> {
    vec![
        ("last_name", "Иванов"),
        ("first_name", "Пётр"),
        ("middle_name", "Андреевич"),
        ("sex", "male"),
        ("birth_date", "05.03.2016"),
        ("birth_country", "russia"),
        ("certificate", "VI-МЮ 123456"),
        ("certificate_date", "15.03.2016"),
        ("act_record_number", "170016770001234"),
        ("act_record_date", "15.03.2016"),
        ("issued_by", "Отдел ЗАГС Москвы № 77"),
    ]
}

/// Мария: in ЕГР ЗАГС, but СФР has no СНИЛС for her.
pub(crate) fn maria() -> Vec<(&'static str, &'static str)> {
    vec![
        ("last_name", "Иванова"),
        ("first_name", "Мария"),
        ("middle_name", "Андреевна"),
        ("sex", "female"),
        ("birth_date", "21.07.2019"),
        ("birth_country", "russia"),
        ("certificate", "II-МЮ 654321"),
        ("certificate_date", "01.08.2019"),
        ("act_record_number", "170019770005678"),
        ("act_record_date", "01.08.2019"),
        ("issued_by", "Отдел ЗАГС Москвы № 77"),
    ]
}

pub(crate) fn with(
    mut form: Vec<(&'static str, &'static str)>,
    field: &'static str,
    value: &'static str,
) -> Vec<(&'static str, &'static str)> {
    form.retain(|(k, _)| *k != field);
    form.push((field, value));
    form
}

pub(crate) fn child_form(id: Option<i64>, fields: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut form: Vec<(String, String)> = fields
        .iter()
        .map(|(k, v)| (format!("form[{k}]"), v.to_string()))
        .collect();
    if let Some(id) = id {
        form.push(("id".into(), id.to_string()));
    }
    form
}

pub(crate) async fn confirmed_parent(app: &TestApp) -> Browser {
    let mut browser = Browser::new();
    register(app, &mut browser).await;
    server::admin::run(
        &app.config,
        AdminCommand::ConfirmAccount {
            login: "anna@mail.ru".into(),
            level: LevelArg::Confirmed,
        },
    )
    .await
    .unwrap();
    browser
}

/// Another confirmed adult (Игорь's contacts, Анна's name, a СНИЛС of their own): a parent of
/// another family, on nobody's birth record in the simulator.
pub(crate) async fn another_confirmed_parent(app: &TestApp) -> Browser {
    let mut browser = Browser::at("198.51.100.40");
    let (status, body, _) = call(
        app,
        &mut browser,
        "account/register",
        &crate::browser::registration("444-555-666 05", "+7 903 222-33-44", "igor@mail.ru"),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    execute(
        app,
        "UPDATE accounts SET level = 'confirmed' WHERE email = 'igor@mail.ru'",
    )
    .await;
    browser
}

/// Андрей Викторович Иванов, the children's father on their birth records, confirmed.
pub(crate) async fn second_parent(app: &TestApp) -> Browser {
    let mut browser = Browser::at("198.51.100.41");
    let form = crate::browser::registration_as(
        ("Иванов", "Андрей", "Викторович", "17.06.1988"),
        "222-333-444 16",
        "+7 903 222-33-55",
        "andrey@mail.ru",
    );
    let (status, body, _) = call(app, &mut browser, "account/register", &form).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    execute(
        app,
        "UPDATE accounts SET level = 'confirmed' WHERE email = 'andrey@mail.ru'",
    )
    .await;
    browser
}

/// The child's card as the page loads it (documents, data, the account block).
pub(crate) async fn child_details(app: &TestApp, browser: &mut Browser, id: i64) -> Value {
    let (status, body, _) = call(
        app,
        browser,
        "family/child",
        &pairs(&[("id", &id.to_string())]),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body
}

/// Adds the child and runs both registry checks to their end.
pub(crate) async fn add_checked(
    app: &TestApp,
    browser: &mut Browser,
    fields: &[(&str, &str)],
) -> i64 {
    let id = add(app, browser, fields).await;
    let (status, body) = request(app, browser, &[id]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    run_queue(app).await;
    run_queue(app).await;
    id
}

pub(crate) async fn add(app: &TestApp, browser: &mut Browser, fields: &[(&str, &str)]) -> i64 {
    let (status, body, _) =
        call(app, browser, "family/save-child", &child_form(None, fields)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body.as_i64().unwrap()
}

pub(crate) async fn request(
    app: &TestApp,
    browser: &mut Browser,
    ids: &[i64],
) -> (StatusCode, Value) {
    let mut form = pairs(&[("auto_update", "true")]);
    for (i, id) in ids.iter().enumerate() {
        form.push((format!("children[{i}]"), id.to_string()));
    }
    let (status, body, _) = call(app, browser, "family/request-checks", &form).await;
    (status, body)
}

async fn family(app: &TestApp, browser: &mut Browser) -> Value {
    let (status, body, _) = call(app, browser, "family/children", &[]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body["Changed"].clone()
}

/// (certificate status, СНИЛС status) of the child in the block «Дети».
async fn statuses(app: &TestApp, browser: &mut Browser, id: i64) -> (String, String) {
    let overview = family(app, browser).await;
    let child = overview["children"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == id)
        .unwrap()
        .clone();
    (
        child["certificate"]["status"].as_str().unwrap().to_owned(),
        child["snils"]["status"].as_str().unwrap().to_owned(),
    )
}

/// The newest in-app notification has this title, once the outbox has delivered it (the
/// server's own dispatcher may be delivering it at the same moment). The journal's notices of a
/// minor's sign-ins and of views of their data, which any step may add, are passed over.
pub(crate) async fn expect_notification(app: &TestApp, browser: &mut Browser, title: &str) {
    let mut notes = Value::Null;
    for _ in 0..50 {
        app.outbox.run_once().await.unwrap();
        notes = call(app, browser, "notifications", &[]).await.1;
        let newest = notes.as_array().into_iter().flatten().find(|n| {
            let shown = n["title"].as_str().unwrap_or_default();
            !shown.ends_with(": вход в личный кабинет") && !shown.starts_with("Просмотр данных: ")
        });
        if newest.is_some_and(|n| n["title"] == title) {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("no notification «{title}»: {notes}");
}

/// Removes the server's daily sweeps (ages, retention, overdue applications) from the queue, for
/// tests that count the jobs a journey leaves.
pub(crate) const NIGHTLY_SWEEPS: &str = "DELETE FROM jobs WHERE kind IN ('minors.age_sweep', \
     'retention.sweep', 'applications.overdue_sweep', 'access.sweep', 'diary.sweep', \
     'notices.journal_summary')";

/// A statement straight on the server's database, for what no page can do (a registry's record
/// changing, an officer appointed).
pub(crate) async fn execute(app: &TestApp, sql: impl Into<String>) {
    let sql = sqlx::AssertSqlSafe(sql.into());
    match &app.db {
        server::db::Database::Sqlite { writer, .. } => {
            sqlx::query(sql).execute(writer).await.unwrap();
        }
        server::db::Database::Postgres(pool) => {
            sqlx::query(sql).execute(pool).await.unwrap();
        }
    }
}

/// One number straight from the server's database (a count, say).
pub(crate) async fn scalar(app: &TestApp, sql: &'static str) -> i64 {
    match &app.db {
        server::db::Database::Sqlite { writer, .. } => {
            sqlx::query_scalar(sql).fetch_one(writer).await.unwrap()
        }
        server::db::Database::Postgres(pool) => {
            sqlx::query_scalar(sql).fetch_one(pool).await.unwrap()
        }
    }
}

pub(crate) async fn run_queue(app: &TestApp) -> server::jobs::BatchReport {
    app.worker.run_once().await.expect("worker runs")
}

async fn a_child_goes_through_the_seed_statuses_to_confirmed(app: &TestApp) {
    let mut browser = confirmed_parent(app).await;
    let id = add(app, &mut browser, &peter()).await;
    assert_eq!(
        statuses(app, &mut browser, id).await,
        ("manual".into(), "absent".into())
    );

    let (status, body) = request(app, &mut browser, &[id]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(
        statuses(app, &mut browser, id).await,
        ("checking".into(), "absent".into())
    );
    // A second «Запросить» while the check runs is refused.
    let (status, body) = request(app, &mut browser, &[id]).await;
    assert_eq!(
        (status, body["details"].as_str()),
        (StatusCode::CONFLICT, Some("nothing_to_check"))
    );

    // The page polls with the version it shows: nothing new until a job runs.
    let version = family(app, &mut browser).await["version"]
        .as_str()
        .unwrap()
        .to_owned();
    let (_, unchanged, _) = call(
        app,
        &mut browser,
        "family/children",
        &pairs(&[("known_version", &version)]),
    )
    .await;
    assert_eq!(unchanged, Value::String("Unchanged".into()));

    assert_eq!(run_queue(app).await.done, 1);
    assert_eq!(
        statuses(app, &mut browser, id).await,
        ("confirmed".into(), "searching".into())
    );
    assert_eq!(run_queue(app).await.done, 1);
    assert_eq!(
        statuses(app, &mut browser, id).await,
        ("confirmed".into(), "confirmed".into())
    );

    // Exactly the seed's statuses, in order.
    let history = |doc| children::status_history(&app.db, id, doc);
    assert_eq!(
        history(Document::BirthCertificate).await.unwrap(),
        ["manual", "checking", "confirmed"]
    );
    assert_eq!(
        history(Document::Snils).await.unwrap(),
        ["absent", "searching", "confirmed"]
    );
    let (_, card, _) = call(
        app,
        &mut browser,
        "family/child",
        &pairs(&[("id", &id.to_string())]),
    )
    .await;
    assert_eq!(
        card["summary"]["snils"]["confirmed_number"], "123-456-789 64",
        "{card}"
    );

    // The parent is told in the app.
    expect_notification(app, &mut browser, "Сведения о ребёнке подтверждены").await;

    // Running the finished job again changes nothing (idempotent handlers).
    let job = CheckJobProbe {
        child_id: id,
        round: 1,
    };
    let checks = server::db::jobs::list(&app.db, Some(app::operations::JobStatus::Done), 10)
        .await
        .unwrap();
    assert_eq!(checks.len(), 2);
    let payload = serde_json::to_string(&job).unwrap();
    let again = run_handler(app, "child.certificate_check", &payload).await;
    assert!(again.is_ok());
    assert_eq!(history(Document::BirthCertificate).await.unwrap().len(), 3);

    // Editing a confirmed certificate makes it «Данные введены вручную» again.
    let edited = child_form(
        Some(id),
        &with(peter(), "issued_by", "Отдел ЗАГС Москвы № 77 (Тверской)"),
    );
    let (status, body, _) = call(app, &mut browser, "family/save-child", &edited).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(
        statuses(app, &mut browser, id).await,
        ("manual".into(), "absent".into())
    );
}

#[derive(serde::Serialize)]
struct CheckJobProbe {
    child_id: i64,
    round: i64,
}

async fn run_handler(
    app: &TestApp,
    kind: &str,
    payload: &str,
) -> Result<(), server::jobs::JobError> {
    let handler = app.worker.handlers.get(kind).expect("handler").clone();
    handler.run(payload).await
}

async fn a_parent_holds_at_most_twenty_child_cards(app: &TestApp) {
    let mut browser = confirmed_parent(app).await;
    for _ in 0..app::family::MAX_CHILDREN - 1 {
        add(app, &mut browser, &peter()).await;
    }
    // The last place, asked for twice at once: one add wins, the other is refused.
    let form = child_form(None, &peter());
    let mut other_tab = Browser::at(&browser.address);
    other_tab.cookie = browser.cookie.clone();
    let (first, second) = tokio::join!(
        call(app, &mut browser, "family/save-child", &form),
        call(app, &mut other_tab, "family/save-child", &form),
    );
    let mut statuses = [first.0, second.0];
    statuses.sort();
    assert_eq!(
        statuses,
        [StatusCode::OK, StatusCode::CONFLICT],
        "{} {}",
        first.1,
        second.1
    );
    let refused = if first.0 == StatusCode::CONFLICT {
        first.1
    } else {
        second.1
    };
    assert_eq!(refused["details"], "too_many_children", "{refused}");
    let count = scalar(app, "SELECT COUNT(*) FROM children").await;
    assert_eq!(count, app::family::MAX_CHILDREN);
}

async fn not_found_paths_say_what_to_check(app: &TestApp) {
    let mut browser = confirmed_parent(app).await;
    let maria = add(app, &mut browser, &maria()).await;
    let unknown = add(
        app,
        &mut browser,
        &with(peter(), "certificate", "I-АА 000000"),
    )
    .await;
    let mismatch = add(
        app,
        &mut browser,
        &with(
            with(peter(), "act_record_number", "170016770009999"),
            "first_name",
            "Павел",
        ),
    )
    .await;
    let (status, body) = request(app, &mut browser, &[maria, unknown, mismatch]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    run_queue(app).await;
    run_queue(app).await;

    assert_eq!(
        statuses(app, &mut browser, maria).await,
        ("confirmed".into(), "not_found_in_sfr".into())
    );
    assert_eq!(
        statuses(app, &mut browser, unknown).await,
        ("not_found_in_zags".into(), "absent".into())
    );
    assert_eq!(
        statuses(app, &mut browser, mismatch).await.0,
        "not_found_in_zags"
    );
    let overview = family(app, &mut browser).await;
    let problem = overview["children"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == mismatch)
        .unwrap()["certificate"]["problem"]
        .clone();
    assert_eq!(problem, "mismatch:first_name,act_record_number");

    // After fixing, «Запросить» again starts from the certificate.
    let (status, _) = request(app, &mut browser, &[unknown]).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(statuses(app, &mut browser, unknown).await.0, "checking");
    // Мария's certificate is confirmed: asking again goes straight to СФР.
    let (status, _) = request(app, &mut browser, &[maria]).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        statuses(app, &mut browser, maria).await,
        ("confirmed".into(), "searching".into())
    );
}

async fn a_parent_never_sees_another_familys_children(app: &TestApp) {
    let mut anna = confirmed_parent(app).await;
    let id = add(app, &mut anna, &peter()).await;

    let mut other = Browser::at("198.51.100.7");
    let (status, body, _) = call(
        app,
        &mut other,
        "account/register",
        &crate::browser::registration("123-456-789 64", "+7 913 111-22-33", "other@mail.ru"),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    // Below «подтверждённая»: the section is closed.
    let (status, _, _) = call(app, &mut other, "family/children", &[]).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    server::admin::run(
        &app.config,
        AdminCommand::ConfirmAccount {
            login: "other@mail.ru".into(),
            level: LevelArg::Confirmed,
        },
    )
    .await
    .unwrap();

    assert_eq!(
        family(app, &mut other).await["children"],
        Value::Array(vec![])
    );
    let id_text = id.to_string();
    for (endpoint, form) in [
        ("family/child", pairs(&[("id", &id_text)])),
        ("family/remove-child", pairs(&[("id", &id_text)])),
        ("family/save-child", child_form(Some(id), &peter())),
        (
            "family/request-checks",
            pairs(&[("children[0]", &id_text), ("auto_update", "false")]),
        ),
    ] {
        let (status, body, _) = call(app, &mut other, endpoint, &form).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{endpoint}: {body}");
    }
    // Nothing of Anna's changed.
    assert_eq!(
        statuses(app, &mut anna, id).await,
        ("manual".into(), "absent".into())
    );
    // Signed out: 401.
    let (status, _, _) = call(app, &mut Browser::new(), "family/children", &[]).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

async fn bad_input_is_refused_at_its_field_and_nothing_is_saved(app: &TestApp) {
    let mut browser = confirmed_parent(app).await;
    let cases: [(&str, &str, &str); 7] = [
        ("certificate", "VI-MU 123456", "certificate.letters"),
        ("certificate_date", "2016.03.15", "date.format"),
        ("act_record_number", "17-A", "act_record_number.format"),
        ("birth_date", "25.11.2008", "birth_date.adult"),
        ("birth_date", "26.11.2026", "birth_date.future"),
        ("inn", "500100732258", "inn.checksum"),
        ("snils", "112-233-445 95", "snils.too_young"),
    ];
    for (field, value, code) in cases {
        let (status, body, _) = call(
            app,
            &mut browser,
            "family/save-child",
            &child_form(None, &with(peter(), field, value)),
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{field}: {body}");
        assert!(codes(&body).contains(&code.to_owned()), "{field}: {body}");
    }
    assert_eq!(
        family(app, &mut browser).await["children"],
        Value::Array(vec![])
    );

    // A foreign certificate is kept, but cannot be checked in ЕГР ЗАГС nor give a child account.
    let foreign = with(
        with(
            with(peter(), "birth_country", "other"),
            "certificate",
            "A 7654321",
        ),
        "act_record_number",
        "",
    );
    let id = add(app, &mut browser, &foreign).await;
    let (_, card, _) = call(
        app,
        &mut browser,
        "family/child",
        &pairs(&[("id", &id.to_string())]),
    )
    .await;
    assert_eq!(
        card["account"]["Unavailable"],
        serde_json::json!({"kind": "service_centre", "reason": "foreign_certificate"}),
        "{card}"
    );
    let (status, _) = request(app, &mut browser, &[id]).await;
    assert_eq!(status, StatusCode::CONFLICT);
}

async fn an_edit_during_a_check_wins_over_the_late_answer(app: &TestApp) {
    let mut browser = confirmed_parent(app).await;
    let id = add(app, &mut browser, &peter()).await;
    request(app, &mut browser, &[id]).await;
    let (status, _, _) = call(
        app,
        &mut browser,
        "family/save-child",
        &child_form(Some(id), &with(peter(), "first_name", "Павел")),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    // The job made for the old data finds the round moved on and changes nothing.
    assert_eq!(run_queue(app).await.done, 1);
    assert_eq!(
        statuses(app, &mut browser, id).await,
        ("manual".into(), "absent".into())
    );
}

/// «Автообновление»: once both documents are confirmed, the certificate is asked for again every
/// 30 days; when ЕГР ЗАГС stops confirming it, the status says so and the parent is told.
async fn auto_update_asks_again_every_thirty_days(app: &TestApp) {
    // Only the refresh is counted here, not the server's nightly sweeps.
    execute(app, NIGHTLY_SWEEPS).await;
    let mut browser = confirmed_parent(app).await;
    let id = add(app, &mut browser, &peter()).await;
    request(app, &mut browser, &[id]).await;
    run_queue(app).await;
    run_queue(app).await;
    let queued = server::db::jobs::list(&app.db, Some(app::operations::JobStatus::Queued), 10)
        .await
        .unwrap();
    assert_eq!(
        queued.iter().map(|j| j.kind.as_str()).collect::<Vec<_>>(),
        ["child.certificate_refresh"]
    );
    assert_eq!(run_queue(app).await.claimed, 0, "not due before 30 days");

    app.clock.advance(Duration::days(31));
    assert_eq!(run_queue(app).await.done, 1);
    let queued = server::db::jobs::list(&app.db, Some(app::operations::JobStatus::Queued), 10)
        .await
        .unwrap();
    assert_eq!(queued.len(), 1, "the next refresh is booked");

    // The registry's record changes (here: the stored certificate no longer matches any).
    let sql = "UPDATE children SET certificate_number = 'I-АА 000000'";
    execute(app, sql).await;
    app.clock.advance(Duration::days(31));
    assert_eq!(run_queue(app).await.done, 1);
    assert_eq!(
        children::status_history(&app.db, id, Document::BirthCertificate)
            .await
            .unwrap(),
        ["manual", "checking", "confirmed", "not_found_in_zags"]
    );
}

engine_tests!(
    a_parent_holds_at_most_twenty_child_cards,
    auto_update_asks_again_every_thirty_days,
    a_child_goes_through_the_seed_statuses_to_confirmed,
    not_found_paths_say_what_to_check,
    a_parent_never_sees_another_familys_children,
    bad_input_is_refused_at_its_field_and_nothing_is_saved,
    an_edit_during_a_check_wins_over_the_late_answer,
);

/// A citizen made an officer directly in the database (as `admin create-officer` would), with a
/// СНИЛС that is nobody's in the registries.
pub(crate) async fn officer_browser(app: &TestApp) -> Browser {
    let mut officer = Browser::at("198.51.100.20");
    let (status, body, _) = call(
        app,
        &mut officer,
        "account/register",
        &crate::browser::registration("333-444-555 61", "+7 913 111-22-44", "officer@mail.ru"),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let sql = "UPDATE accounts SET role = 'officer' WHERE email = 'officer@mail.ru'";
    execute(app, sql).await;
    officer
}

#[tokio::test]
async fn sqlite_registry_failures_are_retried_then_dead_then_retried_by_an_operator() {
    registry_failures(crate::helpers::Engine::Sqlite).await;
}

#[tokio::test]
async fn postgres_registry_failures_are_retried_then_dead_then_retried_by_an_operator() {
    registry_failures(crate::helpers::Engine::Postgres).await;
}

/// A server whose registries all answer 503, with no nightly sweep in its queue (so the queue
/// holds only what a test puts in); `None` when the engine is not available.
pub(crate) async fn app_with_registries_down(engine: crate::helpers::Engine) -> Option<TestApp> {
    let broken = simulator(registry_sim::service::Behaviour {
        error_rate: 1.0,
        ..Default::default()
    })
    .await;
    let app = TestApp::spawn_with(engine, |c| c.registry_url = broken).await?;
    execute(&app, NIGHTLY_SWEEPS).await;
    Some(app)
}

/// A registry that always answers 503: retries with backoff, then the dead-letter state the
/// parent sees, then an operator's retry.
async fn registry_failures(engine: crate::helpers::Engine) {
    let Some(app) = app_with_registries_down(engine).await else {
        return;
    };
    let mut browser = confirmed_parent(&app).await;
    let id = add(&app, &mut browser, &peter()).await;
    request(&app, &mut browser, &[id]).await;
    let mut retried = 0;
    for _ in 0..server::jobs::DEFAULT_MAX_ATTEMPTS {
        let report = run_queue(&app).await;
        retried += report.retried;
        if report.dead == 1 {
            break;
        }
        // Past the next retry's backoff, within the session's idle timeout.
        app.clock.advance(Duration::minutes(20));
        assert_eq!(statuses(&app, &mut browser, id).await.0, "checking");
    }
    assert_eq!(retried as i32, server::jobs::DEFAULT_MAX_ATTEMPTS - 1);
    assert_eq!(
        statuses(&app, &mut browser, id).await.0,
        "registry_unavailable"
    );
    expect_notification(&app, &mut browser, "Ведомство не ответило").await;

    // Citizens cannot see the queue; an officer retries the dead job.
    let (status, _, _) = call(&app, &mut browser, "operator/jobs", &[]).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let mut officer = officer_browser(&app).await;
    let (status, jobs, _) = call(
        &app,
        &mut officer,
        "operator/jobs",
        &pairs(&[("status", "dead")]),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{jobs}");
    let job_id = jobs[0]["id"].as_i64().unwrap();
    assert_eq!(
        jobs[0]["kind"],
        "Проверка свидетельства о рождении в ЕГР ЗАГС"
    );
    let (status, body, _) = call(
        &app,
        &mut officer,
        "operator/retry-job",
        &pairs(&[("id", &job_id.to_string())]),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let queued = server::db::jobs::list(&app.db, Some(app::operations::JobStatus::Queued), 10)
        .await
        .unwrap();
    assert_eq!(queued.iter().map(|j| j.id).collect::<Vec<_>>(), [job_id]);
}
