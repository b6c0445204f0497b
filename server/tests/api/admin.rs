//! `server admin create-officer` and `confirm-account` against the same database as the server.

use server::cli::{AdminCommand, LevelArg};
use server::db::accounts;

use crate::engine_tests;
use crate::helpers::TestApp;

fn officer(snils: &str) -> AdminCommand {
    AdminCommand::CreateOfficer {
        last_name: "Петрова".into(),
        first_name: "Мария".into(),
        middle_name: String::new(),
        birth_date: "12.04.1985".into(),
        snils: snils.into(),
        phone: "+7 913 000-11-22".into(),
        email: "officer@portal.test".into(),
        admin: false,
    }
}

async fn administrators_create_officers_and_set_levels(app: &TestApp) {
    server::admin::run(&app.config, officer("112-233-445 95"))
        .await
        .expect("officer created");
    let found = accounts::by_login(&app.db, None, Some("officer@portal.test"), None)
        .await
        .unwrap();
    let created = &found[0];
    assert_eq!(
        (created.role.as_str(), created.level.as_str()),
        ("officer", "confirmed")
    );
    assert!(created.email_confirmed_at.is_some() && created.phone_confirmed_at.is_some());
    assert!(created.password_hash.starts_with("$argon2id$"));

    // The same person twice, and wrong input, are refused with a reason.
    let again = server::admin::run(&app.config, officer("112-233-445 95")).await;
    assert!(again.unwrap_err().to_string().contains("already exists"));
    let wrong = server::admin::run(&app.config, officer("112-233-445 96")).await;
    assert!(
        wrong
            .unwrap_err()
            .to_string()
            .contains("--snils: СНИЛС указан с ошибкой")
    );

    let confirm = |login: &str, level| AdminCommand::ConfirmAccount {
        login: login.into(),
        level,
    };
    server::admin::run(&app.config, confirm("11223344595", LevelArg::Standard))
        .await
        .unwrap();
    let account = accounts::by_id(&app.db, created.id).await.unwrap().unwrap();
    assert_eq!(account.level.as_str(), "standard");
    let unknown =
        server::admin::run(&app.config, confirm("nobody@mail.ru", LevelArg::Confirmed)).await;
    assert!(unknown.unwrap_err().to_string().contains("no account"));
}

engine_tests!(administrators_create_officers_and_set_levels);
