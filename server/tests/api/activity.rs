//! «Журнал активности»: what is written (a minor's sign-ins with device and address, a parent's
//! consents and settings, a parent's and an officer's views, an application sent for the child),
//! who may read it (the minor and linked parents only), the CSV export, and the hash chain — an
//! altered or removed row is found by the page and by `server admin verify-journal`; concurrent
//! appends keep the chain whole.

use reqwest::StatusCode;
use serde_json::Value;
use server::clock::Clock;
use time::Duration;

use crate::applications::{filled_draft, send};
use crate::browser::{Browser, call};
use crate::child_accounts::{
    child_sign_in, consent_id, create_child_account, decide, parent_with_confirmed_child,
};
use crate::engine_tests;
use crate::family::{another_confirmed_parent, child_details, execute, officer_browser};
use crate::helpers::TestApp;
use crate::officer::desk;

engine_tests!(
    sign_ins_settings_and_views_are_journaled_and_the_chain_is_intact,
    only_the_minor_and_linked_parents_read_the_journal,
    an_altered_or_removed_entry_is_found_by_the_page_and_the_command,
    an_officer_opening_an_application_about_the_child_is_journaled,
    concurrent_appends_keep_one_chain,
    a_journal_of_ten_thousand_entries_is_verified_and_paged_quickly,
);

/// A page of the journal: the parent's card `child`, or the caller's own.
async fn journal(
    app: &TestApp,
    browser: &mut Browser,
    child: Option<i64>,
    filter: &[(&str, &str)],
) -> (StatusCode, Value) {
    let mut form: Vec<(String, String)> = filter
        .iter()
        .map(|(k, v)| (format!("filter[{k}]"), (*v).to_owned()))
        .collect();
    if let Some(child) = child {
        form.push(("child".into(), child.to_string()));
    }
    let (status, body, _) = call(app, browser, "activity/journal", &form).await;
    (status, body)
}

async fn export(app: &TestApp, browser: Option<&Browser>, query: &str) -> reqwest::Response {
    let mut request = app
        .client
        .get(format!("{}/activity/export?{query}", app.address));
    if let Some(cookie) = browser.and_then(|b| b.cookie.as_ref()) {
        request = request.header("cookie", format!("__Host-portal_session={cookie}"));
    }
    request.send().await.expect("GET")
}

fn actions(page: &Value) -> Vec<String> {
    page["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap().to_owned())
        .collect()
}

/// A parent, the card of Пётр with his own account, the consent granted and Пётр signed in once.
pub(crate) async fn family_with_a_child_account(app: &TestApp) -> (Browser, i64, Browser) {
    let (mut parent, id) = parent_with_confirmed_child(app).await;
    create_child_account(app, &mut parent, id).await;
    let consent = consent_id(app, &mut parent, id).await;
    let (status, body) = decide(app, &mut parent, consent, "grant").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let mut child = Browser::at("198.51.100.77");
    let (status, body) = child_sign_in(app, &mut child).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    (parent, id, child)
}

async fn sign_ins_settings_and_views_are_journaled_and_the_chain_is_intact(app: &TestApp) {
    // The parent read the card to find the consent: a view, then the consent, then the sign-in.
    let (mut parent, id, mut child) = family_with_a_child_account(app).await;
    // Two readings of the card within a quarter of an hour are one view.
    app.clock.advance(Duration::minutes(16));
    child_details(app, &mut parent, id).await;
    child_details(app, &mut parent, id).await;

    let (status, page) = journal(app, &mut child, None, &[]).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert_eq!(page["minor_name"], "Иванов Пётр Андреевич");
    assert_eq!(
        actions(&page),
        [
            "Просмотр карточки ребёнка",
            "Вход в личный кабинет",
            "Дано согласие на передачу персональных данных",
            "Просмотр карточки ребёнка",
        ],
        "{page}"
    );
    let sign_in = &page["entries"][1];
    assert_eq!(sign_in["kind"], "sign_in");
    assert_eq!(sign_in["address"], "198.51.100.77");
    assert!(!sign_in["device"].as_str().unwrap().is_empty());
    assert_eq!(
        page["entries"][0]["actor"],
        "Иванова Анна Сергеевна (родитель)"
    );
    assert_eq!(page["entries"][2]["kind"], "settings");
    assert_eq!(page["chain"]["Intact"]["entries"], 4);

    // The parent's reading of the journal is itself a view the child sees.
    let (status, by_parent) = journal(app, &mut parent, Some(id), &[]).await;
    assert_eq!(status, StatusCode::OK, "{by_parent}");
    assert_eq!(actions(&by_parent)[0], "Просмотр журнала активности");
    assert_eq!(by_parent["chain"]["Intact"]["entries"], 5);

    // The filter: by type, by date; a wrong date at its field.
    let (_, sign_ins) = journal(app, &mut parent, Some(id), &[("kind", "sign_in")]).await;
    assert_eq!(actions(&sign_ins), ["Вход в личный кабинет"]);
    assert_eq!(sign_ins["total"], 1);
    let (_, long_ago) = journal(app, &mut child, None, &[("to", "01.01.2020")]).await;
    assert_eq!(long_ago["total"], 0);
    let (status, wrong) = journal(app, &mut child, None, &[("from", "31.02.2026")]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(wrong["details"][0]["field"], "from", "{wrong}");

    // The CSV: a spreadsheet's columns, what the filter finds.
    let file = export(app, Some(&parent), &format!("child={id}&kind=sign_in")).await;
    assert_eq!(file.status(), StatusCode::OK);
    assert_eq!(
        file.headers()["content-type"].to_str().unwrap(),
        "text/csv; charset=utf-8"
    );
    let bytes = file.bytes().await.unwrap();
    assert!(bytes.starts_with("\u{feff}".as_bytes()));
    let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
    let lines: Vec<&str> = text.trim_end().split("\r\n").collect();
    assert_eq!(lines.len(), 2, "{text}");
    assert!(lines[0].starts_with("№;Дата и время (МСК);Тип;Кто;Что"));
    assert!(lines[1].contains("Вход в личный кабинет") && lines[1].contains("198.51.100.77"));
    let own = export(app, Some(&child), "").await;
    assert_eq!(own.status(), StatusCode::OK);
}

async fn execute_count(app: &TestApp, sql: &'static str) -> i64 {
    crate::family::scalar(app, sql).await
}

async fn only_the_minor_and_linked_parents_read_the_journal(app: &TestApp) {
    let (_parent, id, _child) = family_with_a_child_account(app).await;
    let before = execute_count(app, "SELECT COUNT(*) FROM activity_journal").await;

    // Another family's parent, by the card's id: as if there were none.
    let mut stranger = another_confirmed_parent(app).await;
    let (status, _) = journal(app, &mut stranger, Some(id), &[]).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    // An adult has no journal of their own.
    let (status, _) = journal(app, &mut stranger, None, &[]).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    // An officer neither.
    let mut officer = officer_browser(app).await;
    let (status, _) = journal(app, &mut officer, Some(id), &[]).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    // Nobody signed in.
    let (status, _) = journal(app, &mut Browser::new(), None, &[]).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    // The CSV likewise.
    assert_eq!(
        export(app, Some(&stranger), &format!("child={id}"))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        export(app, Some(&officer), &format!("child={id}"))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        export(app, None, &format!("child={id}")).await.status(),
        StatusCode::UNAUTHORIZED
    );
    // None of the refusals wrote anything.
    let after = execute_count(app, "SELECT COUNT(*) FROM activity_journal").await;
    assert_eq!(after, before);
}

async fn an_altered_or_removed_entry_is_found_by_the_page_and_the_command(app: &TestApp) {
    let (mut parent, id, mut child) = family_with_a_child_account(app).await;
    child_details(app, &mut parent, id).await;
    let verify = || {
        server::admin::run(
            &app.config,
            server::cli::AdminCommand::VerifyJournal { minor: None },
        )
    };
    verify().await.expect("an untouched journal is intact");

    // Someone with access to the database rewrites where the sign-in came from.
    execute(
        app,
        "UPDATE activity_journal SET address = '203.0.113.99' WHERE seq = 3",
    )
    .await;
    let (status, page) = journal(app, &mut child, None, &[]).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(page["chain"]["Broken"]["seq"], 3, "{page}");
    let refused = verify().await.unwrap_err().to_string();
    assert!(refused.contains("activity journal broken"), "{refused}");

    // Put back, the chain holds again; then an entry removed is found where it was.
    execute(
        app,
        "UPDATE activity_journal SET address = '198.51.100.77' WHERE seq = 3",
    )
    .await;
    verify().await.expect("restored");
    execute(app, "DELETE FROM activity_journal WHERE seq = 1").await;
    let (_, page) = journal(app, &mut child, None, &[]).await;
    assert_eq!(page["chain"]["Broken"]["seq"], 1, "{page}");
}

async fn an_officer_opening_an_application_about_the_child_is_journaled(app: &TestApp) {
    let (mut parent, id, draft, version) = filled_draft(app).await;
    create_child_account(app, &mut parent, id).await;
    let (status, sent) = send(
        app,
        &mut parent,
        draft,
        version,
        "3b0e6c1d-1111-4c5a-8e9f-0a1b2c3d4e5f",
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{sent}");
    let number = sent["number"].as_str().unwrap().to_owned();
    let application = sent["application_id"].as_i64().unwrap().to_string();
    let mut officer = officer_browser(app).await;
    let (status, body) = desk(app, &mut officer, "case", &[("id", &application)]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    desk(app, &mut officer, "case", &[("id", &application)]).await;

    let (_, page) = journal(app, &mut parent, Some(id), &[("kind", "data_view")]).await;
    let views = page["entries"].as_array().unwrap();
    let by_officer: Vec<&Value> = views
        .iter()
        .filter(|e| e["action"] == "Просмотр заявления специалистом")
        .collect();
    assert_eq!(by_officer.len(), 1, "{page}");
    assert!(
        by_officer[0]["actor"]
            .as_str()
            .unwrap()
            .starts_with("Специалист № ")
    );
    assert_eq!(by_officer[0]["detail"], format!("Заявление № {number}"));
    let (_, operations) = journal(app, &mut parent, Some(id), &[("kind", "operation")]).await;
    assert_eq!(actions(&operations), ["Подано заявление"]);
    assert!(
        operations["entries"][0]["detail"]
            .as_str()
            .unwrap()
            .contains(&number)
    );
}

async fn concurrent_appends_keep_one_chain(app: &TestApp) {
    let (_parent, _id, _child) = family_with_a_child_account(app).await;
    let minor = execute_count(app, "SELECT id FROM accounts WHERE email = 'petya@mail.ru'").await;
    let before = execute_count(app, "SELECT COUNT(*) FROM activity_journal").await;
    let now = app.clock.now();
    let tasks: Vec<_> = (0..20)
        .map(|n| {
            let db = app.db.clone();
            tokio::spawn(async move {
                let mut tx = db.begin().await.unwrap();
                let activity = server::activity::Activity {
                    kind: app_kind(),
                    actor: server::activity::Actor::portal(),
                    action: "Проверка",
                    detail: format!("№ {n}"),
                    client: None,
                };
                server::activity::record(&mut tx, minor, &activity, now)
                    .await
                    .unwrap();
                tx.commit().await.unwrap();
            })
        })
        .collect();
    for task in tasks {
        task.await.unwrap();
    }
    let chain = server::db::activity_journal::chain(&app.db, minor)
        .await
        .unwrap();
    assert_eq!(chain.len() as i64, before + 20);
    assert_eq!(
        server::activity::chain::verify(&chain),
        app::activity::journal::ChainState::Intact {
            entries: before + 20
        }
    );
}

fn app_kind() -> app::activity::journal::ActivityKind {
    app::activity::journal::ActivityKind::Operation
}

/// A figure for BENCHMARKS.md: a journal of 10,000 entries (a busy teen's years) is read,
/// verified whole and paged within the page's time. Fails above one second.
async fn a_journal_of_ten_thousand_entries_is_verified_and_paged_quickly(app: &TestApp) {
    let (mut parent, id, mut child) = family_with_a_child_account(app).await;
    let minor = execute_count(app, "SELECT id FROM accounts WHERE email = 'petya@mail.ru'").await;
    let started = std::time::Instant::now();
    let mut tx = app.db.begin().await.unwrap();
    for n in 0..10_000 {
        let activity = server::activity::Activity {
            kind: app_kind(),
            actor: server::activity::Actor::portal(),
            action: "Проверка",
            detail: format!("№ {n}"),
            client: None,
        };
        server::activity::record(&mut tx, minor, &activity, app.clock.now())
            .await
            .unwrap();
    }
    tx.commit().await.unwrap();
    println!(
        "10,000 entries appended in {:?} ({})",
        started.elapsed(),
        app.db.engine()
    );
    let mut slowest = std::time::Duration::ZERO;
    for (who, filter) in [
        ("child, first page", vec![]),
        ("child, page 400", vec![("page", "399")]),
        ("child, sign-ins", vec![("kind", "sign_in")]),
    ] {
        let started = std::time::Instant::now();
        let (status, page) = journal(app, &mut child, None, &filter).await;
        let took = started.elapsed();
        assert_eq!(status, StatusCode::OK, "{page}");
        assert!(page["chain"]["Intact"]["entries"].as_i64().unwrap() > 10_000);
        println!("{who}: {took:?} ({})", app.db.engine());
        slowest = slowest.max(took);
    }
    let started = std::time::Instant::now();
    let (status, _) = journal(app, &mut parent, Some(id), &[]).await;
    assert_eq!(status, StatusCode::OK);
    println!(
        "parent, first page: {:?} ({})",
        started.elapsed(),
        app.db.engine()
    );
    assert!(
        slowest < std::time::Duration::from_secs(1),
        "slowest {slowest:?}"
    );
}
