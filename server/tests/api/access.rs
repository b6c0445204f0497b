//! «Настройки доступа» and the minor's services: the parent saves settings at the version read,
//! each change goes to the history and the journal, contradictions are refused at their fields
//! with nothing saved, a minor cannot change their own, and the server enforces every setting —
//! service or category off, the service's minimum age, the maximum age, the switch-off date, the
//! level, the document types, the second factor, the day's limit even under parallel requests,
//! and a payment of a child under 14 waiting for a parent — telling the parent of each refusal.

use reqwest::StatusCode;
use serde_json::{Value, json};
use server::clock::Clock;

use crate::activity::family_with_a_child_account;
use crate::browser::{Browser, call};
use crate::engine_tests;
use crate::family::{another_confirmed_parent, execute, expect_notification, run_queue, scalar};
use crate::helpers::TestApp;

engine_tests!(
    settings_are_saved_with_their_history_and_contradictions_refused_at_fields,
    only_a_linked_parent_changes_access,
    every_setting_is_enforced_on_the_server,
    the_day_limit_holds_under_parallel_requests,
    a_payment_under_fourteen_waits_for_a_parent,
    switch_offs_and_age_reminders_are_carried_out_by_the_job,
    full_access_is_a_parents_consent_by_code_or_in_the_cabinet,
    wrong_codes_are_counted_before_the_comparison,
);

/// The settings as the parent's form sends them: `categories` as (code, enabled, level, max_age,
/// off_on), then services, requests a day, document types, second factor.
struct Settings<'a> {
    categories: &'a [(&'a str, bool, &'a str, &'a str, &'a str)],
    services: &'a [&'a str],
    requests: &'a str,
    documents: &'a [&'a str],
    second_factor: bool,
}

fn form(child: i64, version: i64, s: &Settings<'_>) -> Vec<(String, String)> {
    let mut form = vec![
        ("child".to_owned(), child.to_string()),
        ("version".to_owned(), version.to_string()),
        ("form[requests_per_day]".to_owned(), s.requests.to_owned()),
        (
            "form[second_factor]".to_owned(),
            s.second_factor.to_string(),
        ),
    ];
    for (i, (code, enabled, level, max_age, off_on)) in s.categories.iter().enumerate() {
        let at = |field: &str| format!("form[categories][{i}][{field}]");
        form.push((at("category"), (*code).to_owned()));
        form.push((at("enabled"), enabled.to_string()));
        form.push((at("level"), (*level).to_owned()));
        form.push((at("max_age"), (*max_age).to_owned()));
        form.push((at("off_on"), (*off_on).to_owned()));
    }
    for (i, service) in s.services.iter().enumerate() {
        form.push((format!("form[services][{i}]"), (*service).to_owned()));
    }
    for (i, document) in s.documents.iter().enumerate() {
        form.push((
            format!("form[allowed_documents][{i}]"),
            (*document).to_owned(),
        ));
    }
    form
}

async fn view(app: &TestApp, parent: &mut Browser, child: i64) -> (StatusCode, Value) {
    let (status, body, _) = call(
        app,
        parent,
        "access/settings",
        &[("child".to_owned(), child.to_string())],
    )
    .await;
    (status, body)
}

async fn save(
    app: &TestApp,
    parent: &mut Browser,
    child: i64,
    settings: &Settings<'_>,
) -> (StatusCode, Value) {
    let version = view(app, parent, child).await.1["version"]
        .as_i64()
        .unwrap_or(0);
    let (status, body, _) = call(app, parent, "access/save", &form(child, version, settings)).await;
    (status, body)
}

async fn use_service(app: &TestApp, minor: &mut Browser, service: &str, level: &str) -> Value {
    let (status, body, _) = call(
        app,
        minor,
        "services/use",
        &[
            ("service".to_owned(), service.to_owned()),
            ("level".to_owned(), level.to_owned()),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body
}

/// Education on at `level` with its two services; everything else as given.
fn education(
    level: &'static str,
    documents: &'static [&'static str],
    requests: &'static str,
    second_factor: bool,
) -> Settings<'static> {
    Settings {
        categories: if level == "full" {
            &[("education", true, "full", "", "")]
        } else {
            &[("education", true, "limited", "", "")]
        },
        services: &["school_certificate", "grades"],
        requests,
        documents,
        second_factor,
    }
}

async fn settings_are_saved_with_their_history_and_contradictions_refused_at_fields(app: &TestApp) {
    let (mut parent, id, _child) = family_with_a_child_account(app).await;
    let (status, initial) = view(app, &mut parent, id).await;
    assert_eq!(status, StatusCode::OK, "{initial}");
    assert_eq!(initial["version"], 0);
    // The defaults are the most private: everything off.
    assert!(
        initial["form"]["categories"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["enabled"] == false)
    );
    assert_eq!(initial["form"]["services"], json!([]));

    // Each contradiction at its field, and nothing saved.
    let wrong = Settings {
        categories: &[
            ("education", true, "limited", "9", ""),
            ("medical", true, "limited", "", "01.01.2020"),
        ],
        services: &["grades"],
        requests: "-1",
        documents: &["record"],
        second_factor: false,
    };
    let (status, body) = save(app, &mut parent, id, &wrong).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let fields: Vec<&str> = body["details"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(
        fields,
        ["max_age-education", "off_on-medical", "requests_per_day"]
    );
    assert_eq!(scalar(app, "SELECT COUNT(*) FROM access_settings").await, 0);
    assert_eq!(scalar(app, "SELECT COUNT(*) FROM access_changes").await, 0);

    // A right one: saved, each change in the history and the child's journal.
    let right = Settings {
        categories: &[("medical", true, "full", "16", "01.06.2027")],
        services: &["vaccination_calendar"],
        requests: "2",
        documents: &["record", "certificate"],
        second_factor: false,
    };
    let (status, saved) = save(app, &mut parent, id, &right).await;
    assert_eq!(status, StatusCode::OK, "{saved}");
    assert_eq!(saved["version"], 1);
    let history: Vec<(String, String, String)> = saved["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["what"].as_str().unwrap().to_owned(),
                c["old"].as_str().unwrap().to_owned(),
                c["new"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert!(
        history.contains(&(
            "Медицинские: уровень доступа".into(),
            "Ограниченный".into(),
            "Полный".into()
        )),
        "{history:?}"
    );
    assert!(history.contains(&("Запросов в сутки".into(), "1".into(), "2".into())));
    assert!(history.contains(&(
        "Медицинские: отключить с".into(),
        "не задано".into(),
        "01.06.2027".into()
    )));
    assert_eq!(
        saved["history"][0]["by"],
        "Иванова Анна Сергеевна (родитель)"
    );
    let journaled = scalar(
        app,
        "SELECT COUNT(*) FROM activity_journal WHERE action = 'Изменены настройки доступа'",
    )
    .await;
    assert_eq!(journaled, history.len() as i64);

    // A save at the version read before: refused, nothing written.
    let (status, body, _) = call(app, &mut parent, "access/save", &form(id, 0, &right)).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(body["details"], "settings_changed");
}

async fn only_a_linked_parent_changes_access(app: &TestApp) {
    let (mut parent, id, mut child) = family_with_a_child_account(app).await;
    let settings = education("full", &["record", "certificate"], "5", false);
    // The minor, on their own settings: only a parent may.
    let (status, body, _) = call(app, &mut child, "access/save", &form(id, 0, &settings)).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(body["details"], "parents_only");
    let (status, body) = view(app, &mut child, id).await;
    assert_eq!(
        (status, body["details"].clone()),
        (StatusCode::CONFLICT, json!("parents_only"))
    );
    // Another family's parent: no such card.
    let mut stranger = another_confirmed_parent(app).await;
    let (status, _) = save(app, &mut stranger, id, &settings).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    // Nobody signed in.
    let (status, _, _) = call(
        app,
        &mut Browser::new(),
        "access/save",
        &form(id, 0, &settings),
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(scalar(app, "SELECT COUNT(*) FROM access_settings").await, 0);
    // The parent may; an adult has no catalogue of a minor's services.
    assert_eq!(
        save(app, &mut parent, id, &settings).await.0,
        StatusCode::OK
    );
    let (status, _, _) = call(app, &mut parent, "services/catalogue", &[]).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

fn refused(outcome: &Value) -> Value {
    outcome["Refused"].clone()
}

async fn every_setting_is_enforced_on_the_server(app: &TestApp) {
    let (mut parent, id, mut child) = family_with_a_child_account(app).await;
    // Nothing on yet: refused, journaled and told to the parent.
    let outcome = use_service(app, &mut child, "grades", "basic").await;
    assert_eq!(refused(&outcome), "ServiceOff", "{outcome}");
    expect_notification(app, &mut parent, "Попытка выйти за рамки доступа").await;
    assert_eq!(
        scalar(app, "SELECT COUNT(*) FROM activity_journal WHERE action = 'Отказ в сервисе «Проверка успеваемости»'").await,
        1
    );
    // Asked again within the hour: refused again, but neither journaled nor told twice.
    use_service(app, &mut child, "grades", "basic").await;
    assert_eq!(
        scalar(app, "SELECT COUNT(*) FROM activity_journal WHERE action = 'Отказ в сервисе «Проверка успеваемости»'").await,
        1
    );

    // «Ограниченный»: the basic level only.
    save(
        app,
        &mut parent,
        id,
        &education("limited", &["record", "certificate"], "1", false),
    )
    .await;
    let outcome = use_service(app, &mut child, "grades", "basic").await;
    assert!(
        outcome["Done"]["result"]
            .as_str()
            .unwrap()
            .contains("Средний балл"),
        "{outcome}"
    );
    let outcome = use_service(app, &mut child, "grades", "extended").await;
    assert_eq!(refused(&outcome), "FullAccessRequired");

    // «Полный», but only seeing records allowed: a certificate is a forbidden document type.
    save(
        app,
        &mut parent,
        id,
        &education("full", &["record"], "1", false),
    )
    .await;
    let outcome = use_service(app, &mut child, "school_certificate", "extended").await;
    assert_eq!(refused(&outcome)["DocumentTypeForbidden"], "certificate");

    // The second factor asked and not given.
    save(
        app,
        &mut parent,
        id,
        &education("full", &["record", "certificate"], "1", true),
    )
    .await;
    let outcome = use_service(app, &mut child, "school_certificate", "extended").await;
    assert_eq!(refused(&outcome), "SecondFactorRequired");
    // The page says where: this account has no second factor to confirm with.
    let (_, catalogue, _) = call(app, &mut child, "services/catalogue", &[]).await;
    assert_eq!(
        (
            catalogue["has_second_factor"].clone(),
            catalogue["confirmed"].clone()
        ),
        (json!(false), json!(false))
    );

    // Allowed: done and recorded; the second time today is past the limit of one.
    save(
        app,
        &mut parent,
        id,
        &education("full", &["record", "certificate"], "1", false),
    )
    .await;
    let outcome = use_service(app, &mut child, "school_certificate", "extended").await;
    assert!(
        outcome["Done"]["result"]
            .as_str()
            .unwrap()
            .contains("Справка об обучении"),
        "{outcome}"
    );
    let outcome = use_service(app, &mut child, "grades", "extended").await;
    assert_eq!(refused(&outcome)["DailyLimit"]["limit"], 1);
    assert_eq!(scalar(app, "SELECT COUNT(*) FROM service_records").await, 1);

    // A service off within an enabled category.
    let only_school = Settings {
        categories: &[("education", true, "full", "", "")],
        services: &["school_certificate"],
        requests: "5",
        documents: &["record", "certificate"],
        second_factor: false,
    };
    save(app, &mut parent, id, &only_school).await;
    let outcome = use_service(app, &mut child, "grades", "basic").await;
    assert_eq!(refused(&outcome), "ServiceOff");

    // A passport is for 14 and over (Пётр is 10).
    let civil = Settings {
        categories: &[("civil", true, "full", "", "")],
        services: &["passport"],
        requests: "5",
        documents: &["record", "application"],
        second_factor: false,
    };
    save(app, &mut parent, id, &civil).await;
    let outcome = use_service(app, &mut child, "passport", "basic").await;
    assert_eq!(refused(&outcome)["TooYoung"]["min_age"], 14);

    // A maximum age set when he was younger, and a switch-off day that has come (both written as
    // the settings were saved then: the form refuses them today).
    let minor = scalar(app, "SELECT id FROM accounts WHERE email = 'petya@mail.ru'").await;
    let today = app.clock.now().to_offset(time::macros::offset!(+3)).date();
    let mut stored = app::domain::access::AccessSettings::default();
    for category in &mut stored.categories {
        category.enabled = true;
        category.level = app::domain::access::AccessLevel::Full;
    }
    stored.categories[0].max_age = Some(9);
    stored.categories[1].off_on = Some(today);
    stored.services = vec![
        app::domain::access::MinorService::Grades,
        app::domain::access::MinorService::VaccinationCalendar,
    ];
    let stored = serde_json::to_string(&stored).unwrap();
    execute(
        app,
        format!(
            "UPDATE access_settings SET settings = '{stored}' WHERE minor_account_id = {minor}"
        ),
    )
    .await;
    let outcome = use_service(app, &mut child, "grades", "basic").await;
    assert_eq!(refused(&outcome)["AboveMaxAge"]["max_age"], 9);
    let outcome = use_service(app, &mut child, "vaccination_calendar", "basic").await;
    assert!(refused(&outcome).get("SwitchedOff").is_some(), "{outcome}");
}

async fn the_day_limit_holds_under_parallel_requests(app: &TestApp) {
    let (mut parent, id, child) = family_with_a_child_account(app).await;
    save(
        app,
        &mut parent,
        id,
        &education("full", &["record", "certificate"], "3", false),
    )
    .await;
    let form = [
        ("service".to_owned(), "school_certificate".to_owned()),
        ("level".to_owned(), "extended".to_owned()),
    ];
    let tries = (0..10).map(|_| {
        let mut child = child.clone();
        let form = form.clone();
        async move {
            let (status, body, _) = call(app, &mut child, "services/use", &form).await;
            (status, body)
        }
    });
    let answers = futures::future::join_all(tries).await;
    let mut done = 0;
    for (status, body) in answers {
        assert_eq!(status, StatusCode::OK, "{body}");
        if body.get("Done").is_some() {
            done += 1;
        } else {
            assert_eq!(body["Refused"]["DailyLimit"]["limit"], 3, "{body}");
        }
    }
    assert_eq!(done, 3);
    assert_eq!(scalar(app, "SELECT COUNT(*) FROM service_records").await, 3);
    // The day's count is purged once the day has passed; the records stay.
    let later = app.clock.now() + time::Duration::days(3);
    let purged = server::retention::purge(&app.db, later).await.unwrap();
    assert_eq!(purged.service_day_counts, 1);
    assert_eq!(scalar(app, "SELECT COUNT(*) FROM service_records").await, 3);
}

async fn a_payment_under_fourteen_waits_for_a_parent(app: &TestApp) {
    let (mut parent, id, mut child) = family_with_a_child_account(app).await;
    let social = Settings {
        categories: &[("social", true, "full", "", "")],
        services: &["state_duty"],
        requests: "5",
        documents: &["record", "financial"],
        second_factor: false,
    };
    save(app, &mut parent, id, &social).await;
    let outcome = use_service(app, &mut child, "state_duty", "extended").await;
    let record = outcome["AwaitingParent"]["id"].as_i64().expect("waits");
    expect_notification(app, &mut parent, "Подтвердите операцию ребёнка").await;
    let (_, shown) = view(app, &mut parent, id).await;
    assert_eq!(shown["pending"][0]["id"], record);

    // Another family's parent cannot confirm it.
    let mut stranger = another_confirmed_parent(app).await;
    let decide = |approve: &str| {
        vec![
            ("child".to_owned(), id.to_string()),
            ("record".to_owned(), record.to_string()),
            ("approve".to_owned(), approve.to_owned()),
        ]
    };
    let (status, _, _) = call(
        app,
        &mut stranger,
        "access/decide-operation",
        &decide("true"),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    // The child cannot confirm their own.
    let (status, _, _) = call(app, &mut child, "access/decide-operation", &decide("true")).await;
    assert_eq!(status, StatusCode::CONFLICT);

    let (status, after, _) =
        call(app, &mut parent, "access/decide-operation", &decide("true")).await;
    assert_eq!(status, StatusCode::OK, "{after}");
    assert_eq!(after["pending"], json!([]));
    let (_, catalogue, _) = call(app, &mut child, "services/catalogue", &[]).await;
    assert_eq!(catalogue["records"][0]["status"], "done");
    assert!(
        catalogue["records"][0]["result"]
            .as_str()
            .unwrap()
            .contains("Госпошлина")
    );
    // Decided once: a second press changes nothing.
    call(
        app,
        &mut parent,
        "access/decide-operation",
        &decide("false"),
    )
    .await;
    let (_, catalogue, _) = call(app, &mut child, "services/catalogue", &[]).await;
    assert_eq!(catalogue["records"][0]["status"], "done");
}

async fn switch_offs_and_age_reminders_are_carried_out_by_the_job(app: &TestApp) {
    let (mut parent, id, _child) = family_with_a_child_account(app).await;
    let tomorrow =
        app.clock.now().to_offset(time::macros::offset!(+3)).date() + time::Duration::days(1);
    let off_on = app::domain::format_ru_date(tomorrow);
    let medical = [("medical", true, "limited", "", off_on.as_str())];
    let settings = Settings {
        categories: &medical,
        services: &["vaccination_calendar"],
        requests: "1",
        documents: &["record"],
        second_factor: false,
    };
    assert_eq!(
        save(app, &mut parent, id, &settings).await.0,
        StatusCode::OK
    );

    // The next night's sweep (03:30 Moscow) switches the category off, as «Портал».
    app.clock.advance(time::Duration::days(1));
    run_queue(app).await;
    let told =
        "SELECT COUNT(*) FROM outbox_messages WHERE subject = 'Доступ выключен автоматически'";
    assert_eq!(scalar(app, told).await, 2, "in the portal and by e-mail");
    assert_eq!(
        scalar(
            app,
            "SELECT COUNT(*) FROM access_changes WHERE actor_label = 'Портал'"
        )
        .await,
        2,
        "the category off and its date cleared"
    );
    let minor = scalar(app, "SELECT id FROM accounts WHERE email = 'petya@mail.ru'").await;
    let (stored, _) = server::db::access::settings(&app.db, minor).await.unwrap();
    assert!(
        !stored
            .category(app::domain::access::ServiceCategory::Medical)
            .enabled
    );
    // The next night changes nothing again.
    app.clock.advance(time::Duration::days(1));
    run_queue(app).await;
    assert_eq!(scalar(app, told).await, 2);

    // At 12 (Пётр was born 05.03.2016) the parents are asked to review access, once.
    let birthday = time::macros::datetime!(2028-03-05 12:00 +3);
    app.clock.advance(birthday - app.clock.now());
    run_queue(app).await;
    let reminded =
        "SELECT COUNT(*) FROM outbox_messages WHERE subject = 'Пересмотрите настройки доступа'";
    assert_eq!(scalar(app, reminded).await, 2);
    app.clock.advance(time::Duration::hours(20));
    run_queue(app).await;
    assert_eq!(scalar(app, reminded).await, 2);
}

/// The code in the newest message to the parent about a request for «Полный».
async fn code_sent(app: &TestApp) -> String {
    let sent = app.messages(&["sms", "email"], 1).await.remove(0);
    let at = sent.body.find("Код подтверждения: ").expect("a code") + "Код подтверждения: ".len();
    sent.body[at..at + 6].to_owned()
}

async fn request_full(app: &TestApp, child: &mut Browser, category: &str) -> i64 {
    let (status, body, _) = call(
        app,
        child,
        "services/request-full",
        &[("category".to_owned(), category.to_owned())],
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body["id"].as_i64().unwrap()
}

async fn confirm_full(
    app: &TestApp,
    child: &mut Browser,
    request: i64,
    code: &str,
) -> (StatusCode, Value) {
    let (status, body, _) = call(
        app,
        child,
        "services/confirm-full",
        &[
            ("request".to_owned(), request.to_string()),
            ("code".to_owned(), code.to_owned()),
        ],
    )
    .await;
    (status, body)
}

async fn grant_act(
    app: &TestApp,
    parent: &mut Browser,
    endpoint: &str,
    child: i64,
    grant: i64,
    approve: Option<bool>,
) -> Value {
    let mut form = vec![
        ("child".to_owned(), child.to_string()),
        ("grant".to_owned(), grant.to_string()),
    ];
    if let Some(approve) = approve {
        form.push(("approve".to_owned(), approve.to_string()));
    }
    let (status, body, _) = call(app, parent, endpoint, &form).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body
}

async fn level_of(app: &TestApp, child: &mut Browser, category: usize) -> Value {
    let (_, catalogue, _) = call(app, child, "services/catalogue", &[]).await;
    catalogue["categories"][category]["level"].clone()
}

async fn full_access_is_a_parents_consent_by_code_or_in_the_cabinet(app: &TestApp) {
    let (mut parent, id, mut child) = family_with_a_child_account(app).await;
    save(
        app,
        &mut parent,
        id,
        &education("limited", &["record", "certificate"], "5", false),
    )
    .await;
    assert_eq!(level_of(app, &mut child, 0).await, "limited");

    // The minor asks; the code goes to the parent, the request waits in the parent's cabinet.
    let request = request_full(app, &mut child, "education").await;
    let code = code_sent(app).await;
    let (_, shown) = view(app, &mut parent, id).await;
    assert_eq!(shown["grants"][0]["status"], "requested", "{shown}");
    // Without the code, and with a wrong one: at the field, nothing granted.
    let (status, body) = confirm_full(app, &mut child, request, "").await;
    assert_eq!(
        (status, body["details"][0]["field"].clone()),
        (StatusCode::UNPROCESSABLE_ENTITY, json!("code"))
    );
    let wrong = if code == "000000" { "111111" } else { "000000" };
    let (status, body) = confirm_full(app, &mut child, request, wrong).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(
        body["details"][0]["message"]
            .as_str()
            .unwrap()
            .contains("Осталось попыток: 4")
    );
    assert_eq!(level_of(app, &mut child, 0).await, "limited");
    // The right code grants it: «Полный», and the extended level works.
    let (status, body) = confirm_full(app, &mut child, request, &code).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(level_of(app, &mut child, 0).await, "full");
    let outcome = use_service(app, &mut child, "school_certificate", "extended").await;
    assert!(outcome.get("Done").is_some(), "{outcome}");
    // The parent sees the consent with its receipt; another family cannot fetch it.
    let (_, shown) = view(app, &mut parent, id).await;
    let grant = shown["grants"][0].clone();
    assert_eq!(
        (grant["status"].clone(), grant["decided_by"].clone()),
        (json!("granted"), json!("по коду подтверждения"))
    );
    let receipt = |browser: Option<&Browser>| {
        let mut request = app.client.get(format!(
            "{}/documents/family/access-grants/{}/receipt",
            app.address, grant["id"]
        ));
        if let Some(cookie) = browser.and_then(|b| b.cookie.as_ref()) {
            request = request.header("cookie", format!("__Host-portal_session={cookie}"));
        }
        request.send()
    };
    let pdf = receipt(Some(&parent)).await.unwrap();
    assert_eq!(pdf.status(), StatusCode::OK);
    assert!(pdf.bytes().await.unwrap().starts_with(b"%PDF"));
    let stranger = another_confirmed_parent(app).await;
    assert_eq!(
        receipt(Some(&stranger)).await.unwrap().status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        receipt(Some(&child)).await.unwrap().status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        receipt(None).await.unwrap().status(),
        StatusCode::UNAUTHORIZED
    );

    // Revoked: back to «Ограниченный» at once.
    let grant_id = grant["id"].as_i64().unwrap();
    let after = grant_act(app, &mut parent, "access/revoke-grant", id, grant_id, None).await;
    assert_eq!(after["grants"][0]["status"], "revoked");
    let outcome = use_service(app, &mut child, "school_certificate", "extended").await;
    assert_eq!(refused(&outcome), "FullAccessRequired");

    // Asked again and declined by the parent: the code no longer works.
    let request = request_full(app, &mut child, "education").await;
    let code = code_sent(app).await;
    grant_act(
        app,
        &mut parent,
        "access/decide-grant",
        id,
        request,
        Some(false),
    )
    .await;
    let (status, body) = confirm_full(app, &mut child, request, &code).await;
    assert_eq!(
        (status, body["details"].clone()),
        (StatusCode::CONFLICT, json!("code_expired"))
    );
    assert_eq!(level_of(app, &mut child, 0).await, "limited");

    // Asked again and approved in the parent's cabinet.
    let request = request_full(app, &mut child, "education").await;
    grant_act(
        app,
        &mut parent,
        "access/decide-grant",
        id,
        request,
        Some(true),
    )
    .await;
    assert_eq!(level_of(app, &mut child, 0).await, "full");
    // A minor cannot approve their own request.
    let (status, _, _) = call(
        app,
        &mut child,
        "access/decide-grant",
        &[
            ("child".to_owned(), id.to_string()),
            ("grant".to_owned(), request.to_string()),
            ("approve".to_owned(), "true".to_owned()),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT);

    // A year later the grant has expired: refused at once, and the night's sweep writes it.
    app.clock.advance(time::Duration::days(366));
    let mut child = Browser::at("198.51.100.77");
    crate::child_accounts::child_sign_in(app, &mut child).await;
    assert_eq!(level_of(app, &mut child, 0).await, "limited");
    run_queue(app).await;
    assert_eq!(
        scalar(
            app,
            "SELECT COUNT(*) FROM access_grants WHERE status = 'expired' AND decided_how = 'parent'"
        )
        .await,
        1
    );
    let minor = scalar(app, "SELECT id FROM accounts WHERE email = 'petya@mail.ru'").await;
    let (stored, _) = server::db::access::settings(&app.db, minor).await.unwrap();
    assert_eq!(
        stored.categories[0].level,
        app::domain::access::AccessLevel::Limited
    );
}

async fn wrong_codes_are_counted_before_the_comparison(app: &TestApp) {
    let (mut parent, id, child) = family_with_a_child_account(app).await;
    save(
        app,
        &mut parent,
        id,
        &education("limited", &["record", "certificate"], "5", false),
    )
    .await;
    let mut asking = child.clone();
    let request = request_full(app, &mut asking, "education").await;
    let code = code_sent(app).await;
    let wrong = if code == "000000" { "111111" } else { "000000" };
    // Ten wrong guesses at once: five tries are all there are.
    let guesses = (0..10).map(|_| {
        let mut child = child.clone();
        async move { confirm_full(app, &mut child, request, wrong).await }
    });
    futures::future::join_all(guesses).await;
    assert_eq!(
        scalar(app, "SELECT MAX(wrong_tries) FROM access_grants").await,
        5
    );
    // Even the right code is refused now.
    let (status, body) = confirm_full(app, &mut asking, request, &code).await;
    assert_eq!(
        (status, body["details"].clone()),
        (StatusCode::CONFLICT, json!("code_tries_exhausted"))
    );
}
