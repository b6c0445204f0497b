//! Enumerations are stored as their codes and read back through `db::codes::Code`: a code the
//! portal does not know is an error the caller sees as 503, never a silent default (a level of
//! «gold» must not read as «упрощённая», nor a role nobody knows as a citizen's). The schema's
//! CHECK constraints refuse such codes, so the test first lets them through, as a schema that
//! drifted from the code would (a variant renamed, a constraint widened).

use reqwest::StatusCode;

use crate::browser::{Browser, call, register};
use crate::engine_tests;
use crate::family::execute;
use crate::helpers::TestApp;

engine_tests!(an_unknown_stored_code_is_an_error_not_a_default);

/// Writes `sql` past the CHECK constraints on the accounts' codes.
async fn write_past_the_checks(app: &TestApp, sql: &str) {
    match &app.db {
        // One writer connection: the pragma holds for the statement after it.
        server::db::Database::Sqlite { .. } => {
            execute(app, "PRAGMA ignore_check_constraints = ON").await;
            execute(app, sql).await;
            execute(app, "PRAGMA ignore_check_constraints = OFF").await;
        }
        server::db::Database::Postgres(_) => {
            execute(
                app,
                "ALTER TABLE accounts DROP CONSTRAINT IF EXISTS accounts_role_check",
            )
            .await;
            execute(
                app,
                "ALTER TABLE accounts DROP CONSTRAINT IF EXISTS accounts_level_check",
            )
            .await;
            execute(app, sql).await;
        }
    }
}

async fn an_unknown_stored_code_is_an_error_not_a_default(app: &TestApp) {
    let mut anna = Browser::new();
    register(app, &mut anna).await;
    let (status, body, _) = call(app, &mut anna, "account/current", &[]).await;
    assert_eq!(status, StatusCode::OK, "{body}");

    write_past_the_checks(
        app,
        "UPDATE accounts SET role = 'superuser' WHERE email = 'anna@mail.ru'",
    )
    .await;
    let (status, body, _) = call(app, &mut anna, "account/current", &[]).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
    assert_eq!(body["code"], "unavailable", "{body}");

    write_past_the_checks(
        app,
        "UPDATE accounts SET role = 'citizen', level = 'gold' WHERE email = 'anna@mail.ru'",
    )
    .await;
    let (status, body, _) = call(app, &mut anna, "account/current", &[]).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");

    execute(
        app,
        "UPDATE accounts SET level = 'simplified' WHERE email = 'anna@mail.ru'",
    )
    .await;
    let (status, body, _) = call(app, &mut anna, "account/current", &[]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
}
