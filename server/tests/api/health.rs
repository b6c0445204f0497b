use crate::engine_tests;
use crate::helpers::TestApp;

engine_tests!(
    healthz_answers_ok,
    readyz_answers_when_the_database_does,
    readyz_fails_without_a_database
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
