use crate::engine_tests;
use crate::helpers::TestApp;

engine_tests!(
    healthz_answers_ok,
    readyz_answers_when_the_database_does,
    readyz_fails_without_a_database,
    server_functions_answer_503_without_a_database,
);

async fn healthz_answers_ok(app: &TestApp) {
    let res = app.get("/healthz").await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.text().await.unwrap(), "ok");
}

async fn readyz_answers_when_the_database_does(app: &TestApp) {
    let res = app.get("/readyz").await;
    assert_eq!(res.status(), 200);
}

async fn readyz_fails_without_a_database(app: &TestApp) {
    // The test's handle shares the server's pools: closing it takes the database away.
    app.db.close().await;
    let res = app.get("/readyz").await;
    assert_eq!(res.status(), 503);
    assert_eq!(app.get("/healthz").await.status(), 200);
}

/// With the database gone, server functions answer 503 with the Russian «try later» — never a
/// 500 — whether the failure comes through a service or the session lookup behind every
/// signed-in call.
async fn server_functions_answer_503_without_a_database(app: &TestApp) {
    use crate::browser::*;
    let mut browser = Browser::new();
    register(app, &mut browser).await;
    app.db.close().await;
    for (endpoint, form) in [
        ("account/current", vec![]),
        ("account/contacts", vec![]),
        ("family/children", vec![]),
        (
            "account/sign-in",
            pairs(&[("login", "anna@mail.ru"), ("password", PASSWORD)]),
        ),
        (
            "account/register",
            registration("444-555-666 05", "+7 903 222-33-44", "igor@mail.ru"),
        ),
    ] {
        let (status, body, _) = call(app, &mut browser, endpoint, &form).await;
        assert_eq!(
            status,
            reqwest::StatusCode::SERVICE_UNAVAILABLE,
            "{endpoint}: {body}"
        );
        assert_eq!(body["code"], "unavailable", "{endpoint}");
    }
}
