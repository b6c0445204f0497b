//! «Подтвердите личность»: a simplified account asks for the passport (МВД) and СНИЛС (СФР)
//! check; the job runs against the registry simulator and makes the account standard, or says
//! what to check. On both engines.

use reqwest::StatusCode;
use serde_json::Value;

use crate::browser::{Browser, call, codes, registration};
use crate::engine_tests;
use crate::helpers::TestApp;

/// The data set's documented adult: Иванова Анна Сергеевна, born 12.04.1990.
async fn anna(app: &TestApp, birth_date: &str) -> Browser {
    let mut browser = Browser::new();
    let form: Vec<(String, String)> =
        registration("112-233-445 95", "+7 912 345-67-89", "anna@mail.ru")
            .into_iter()
            .map(|(k, v)| {
                let v = if k == "form[birth_date]" {
                    birth_date.to_owned()
                } else {
                    v
                };
                (k, v)
            })
            .collect();
    let (status, body, _) = call(app, &mut browser, "account/register", &form).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    browser
}

async fn request(
    app: &TestApp,
    browser: &mut Browser,
    passport: &str,
    date: &str,
) -> (StatusCode, Value) {
    let form = vec![
        ("form[passport]".to_owned(), passport.to_owned()),
        ("form[passport_date]".to_owned(), date.to_owned()),
    ];
    let (status, body, _) = call(app, browser, "account/identity-check", &form).await;
    (status, body)
}

async fn profile(app: &TestApp, browser: &mut Browser) -> Value {
    let (status, body, _) = call(app, browser, "account/profile", &[]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body["profile"].clone()
}

async fn notifications(app: &TestApp, browser: &mut Browser) -> Value {
    let (status, body, _) = call(app, browser, "notifications", &[]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body
}

/// The notifications once the dispatcher has delivered the newest one with this title.
async fn told(app: &TestApp, browser: &mut Browser, title: &str) -> Value {
    for _ in 0..100 {
        let notes = notifications(app, browser).await;
        if notes[0]["title"] == title {
            return notes;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("no notification «{title}»");
}

async fn a_confirmed_passport_and_snils_make_the_account_standard(app: &TestApp) {
    let mut browser = anna(app, "12.04.1990").await;
    assert_eq!(profile(app, &mut browser).await["level"], "simplified");
    assert_eq!(
        profile(app, &mut browser).await["identity_check"],
        Value::Null
    );

    let (status, body) = request(app, &mut browser, "4510 123456", "20.05.2015").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let p = profile(app, &mut browser).await;
    assert_eq!(p["identity_check"]["status"], "checking", "{p}");
    assert_eq!(p["level"], "simplified");

    // A second request while the check runs is refused.
    let (status, body) = request(app, &mut browser, "4510 123456", "20.05.2015").await;
    assert_eq!(
        (status, body["details"].as_str()),
        (StatusCode::CONFLICT, Some("nothing_to_check")),
        "{body}"
    );

    assert_eq!(app.worker.run_once().await.expect("worker runs").done, 1);
    let p = profile(app, &mut browser).await;
    assert_eq!(p["level"], "standard", "{p}");
    assert_eq!(p["identity_check"]["status"], "confirmed", "{p}");
    let notes = told(app, &mut browser, "Учётная запись стандартная").await;

    // The job again changes nothing: no second notification.
    // The first check of a fresh database.
    let check = server::db::identity_checks::by_id(&app.db, 1)
        .await
        .unwrap()
        .expect("the check");
    assert_eq!(check.status.as_str(), "confirmed");
    let handler = app
        .worker
        .handlers
        .get("account.identity_check")
        .expect("handler")
        .clone();
    let payload = format!(r#"{{"check_id":{}}}"#, check.id);
    assert!(handler.run(&payload).await.is_ok());
    assert!(handler.gave_up(&payload, "late").await.is_ok());
    assert_eq!(
        server::db::identity_checks::by_id(&app.db, 1)
            .await
            .unwrap()
            .unwrap()
            .status
            .as_str(),
        "confirmed"
    );
    let again = notifications(app, &mut browser).await;
    assert_eq!(
        again.as_array().unwrap().len(),
        notes.as_array().unwrap().len()
    );

    // A standard account has nothing more to check this way.
    let (status, _) = request(app, &mut browser, "4510 123456", "20.05.2015").await;
    assert_eq!(status, StatusCode::CONFLICT);
}

async fn an_unknown_passport_fails_and_says_what_to_check(app: &TestApp) {
    let mut browser = anna(app, "12.04.1990").await;
    let (status, body) = request(app, &mut browser, "4510 654321", "20.05.2015").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(app.worker.run_once().await.expect("worker runs").done, 1);
    let p = profile(app, &mut browser).await;
    assert_eq!(p["level"], "simplified", "{p}");
    assert_eq!(p["identity_check"]["status"], "failed", "{p}");
    assert_eq!(p["identity_check"]["problem"], "passport_not_found", "{p}");
    let notes = told(app, &mut browser, "Данные не подтверждены").await;
    assert!(
        notes[0]["text"]
            .as_str()
            .unwrap()
            .starts_with("МВД не нашло паспорт"),
        "{notes}"
    );

    // After a failure the parent may send corrected data.
    let (status, body) = request(app, &mut browser, "4510 123456", "20.05.2015").await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

async fn a_different_birth_date_is_a_mismatch(app: &TestApp) {
    // 05.03.1990 is not the birth date МВД holds for Анна (12.04.1990).
    let mut browser = anna(app, "05.03.1990").await;
    let (status, body) = request(app, &mut browser, "4510 123456", "20.05.2015").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    app.worker.run_once().await.expect("worker runs");
    let p = profile(app, &mut browser).await;
    assert_eq!(p["identity_check"]["status"], "failed", "{p}");
    assert_eq!(
        p["identity_check"]["problem"], "passport_mismatch:birth_date",
        "{p}"
    );
    assert_eq!(p["level"], "simplified");
}

async fn bad_input_is_refused_at_its_fields(app: &TestApp) {
    let mut browser = anna(app, "12.04.1990").await;
    let (status, body) = request(app, &mut browser, "4510 12", "01.01.2999").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(codes(&body), ["passport.format", "date.future"]);
    let (status, body) = request(app, &mut browser, "", "31.02.2015").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(codes(&body), ["passport.empty", "date.format"]);
    assert_eq!(
        profile(app, &mut browser).await["identity_check"],
        Value::Null
    );

    // Without a session: sign in first.
    let (status, _) = request(app, &mut Browser::new(), "4510 123456", "20.05.2015").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

engine_tests!(
    a_confirmed_passport_and_snils_make_the_account_standard,
    an_unknown_passport_fails_and_says_what_to_check,
    a_different_birth_date_is_a_mismatch,
    bad_input_is_refused_at_its_fields,
);
