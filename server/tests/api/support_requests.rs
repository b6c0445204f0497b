//! Support requests about applications, on both engines: a family asks about its own application
//! (the number filled in), follows the status, and an officer answers in the back office seeing
//! the question and the application's number only; asking about another family's application,
//! signed out, or answering twice is refused and changes nothing.

use reqwest::StatusCode;
use serde_json::Value;

use crate::browser::{Browser, call, pairs};
use crate::engine_tests;
use crate::family::{another_confirmed_parent, officer_browser, scalar};
use crate::helpers::TestApp;
use crate::officer::sent;

engine_tests!(
    a_question_about_an_application_is_answered_by_an_officer,
    nobody_asks_about_or_answers_what_is_not_theirs,
);

async fn ask(app: &TestApp, browser: &mut Browser, application: &str) -> (StatusCode, Value) {
    let form = pairs(&[
        ("snils", "112-233-445 95"),
        ("email", "anna@mail.ru"),
        (
            "text",
            "Заявление больше месяца на рассмотрении. Когда решение?",
        ),
        ("application", application),
    ]);
    let (status, body, _) = call(app, browser, "support/question", &form).await;
    (status, body)
}

async fn mine(app: &TestApp, browser: &mut Browser) -> Value {
    let (status, body, _) = call(app, browser, "support/mine", &[]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body
}

async fn answer(app: &TestApp, officer: &mut Browser, id: i64, text: &str) -> (StatusCode, Value) {
    let form = pairs(&[("id", &id.to_string()), ("answer", text)]);
    let (status, body, _) = call(app, officer, "officer/support-answer", &form).await;
    (status, body)
}

async fn a_question_about_an_application_is_answered_by_an_officer(app: &TestApp) {
    let (mut anna, id, number) = sent(app).await;
    let (status, receipt) = ask(app, &mut anna, &number).await;
    assert_eq!(status, StatusCode::OK, "{receipt}");
    let list = mine(app, &mut anna).await;
    assert_eq!(list[0]["number"], receipt["number"]);
    assert_eq!(list[0]["status"], "registered");
    assert_eq!(list[0]["application"]["number"], number.as_str());
    assert_eq!(list[0]["application"]["id"], id);

    // The officer sees the question and the application, nothing of the family.
    let mut officer = officer_browser(app).await;
    let (status, open, _) = call(app, &mut officer, "officer/support", &[]).await;
    assert_eq!(status, StatusCode::OK, "{open}");
    assert_eq!(open.as_array().unwrap().len(), 1);
    assert_eq!(open[0]["application"]["number"], number.as_str());
    let shown = open.to_string();
    assert!(
        !shown.contains("anna@mail.ru") && !shown.contains("11223344595"),
        "{shown}"
    );
    let question = open[0]["id"].as_i64().unwrap();

    // An empty answer is refused at its field; a real one closes the request and tells the family.
    let (status, body) = answer(app, &mut officer, question, "  ").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["details"][0]["field"], "answer");
    let (status, open) = answer(app, &mut officer, question, "Ускорили рассмотрение").await;
    assert_eq!(status, StatusCode::OK, "{open}");
    assert_eq!(open, Value::Array(vec![]));
    let list = mine(app, &mut anna).await;
    assert_eq!(list[0]["status"], "answered");
    assert_eq!(list[0]["answer"], "Ускорили рассмотрение");
    assert!(
        list[0]["answered_by"]
            .as_str()
            .unwrap()
            .starts_with("Специалист № "),
        "{list}"
    );
    crate::family::expect_notification(
        app,
        &mut anna,
        &format!("Ответ на обращение {}", receipt["number"].as_str().unwrap()),
    )
    .await;

    // A second answer (another tab, another officer) is refused and changes nothing.
    let (status, body) = answer(app, &mut officer, question, "Другой ответ").await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(body["details"], "already_answered");
    assert_eq!(
        mine(app, &mut anna).await[0]["answer"],
        "Ускорили рассмотрение"
    );
}

async fn nobody_asks_about_or_answers_what_is_not_theirs(app: &TestApp) {
    let (mut anna, _, number) = sent(app).await;
    let before = scalar(app, "SELECT COUNT(*) FROM support_questions").await;

    // Another family names Anna's number: refused at the field, as if it did not exist.
    let mut other = another_confirmed_parent(app).await;
    let (status, body) = ask(app, &mut other, &number).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["details"][0]["field"], "application");
    // Signed out, a question about an application needs the session; a malformed number is
    // refused at its field.
    let (status, _) = ask(app, &mut Browser::at("198.51.100.77"), &number).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, body) = ask(app, &mut anna, "600101-2026").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["details"][0]["code"], "application_number.format");
    assert_eq!(
        scalar(app, "SELECT COUNT(*) FROM support_questions").await,
        before
    );

    // Families do not reach the officers' side; a question asked without an application is
    // answered by e-mail, not in the back office.
    let (status, receipt) = ask(app, &mut anna, &number).await;
    assert_eq!(status, StatusCode::OK, "{receipt}");
    let question = mine(app, &mut anna).await[0]["id"].as_i64().unwrap();
    for family in [&mut anna, &mut other] {
        let (status, _, _) = call(app, family, "officer/support", &[]).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (status, _) = answer(app, family, question, "Сам себе отвечу").await;
        assert_eq!(status, StatusCode::FORBIDDEN);
    }
    let (status, _) = answer(app, &mut Browser::at("198.51.100.78"), question, "Ответ").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let mut officer = officer_browser(app).await;
    let plain = app
        .submit_question(
            "112-233-445 95",
            "anna@mail.ru",
            "Общий вопрос",
            reqwest::header::HeaderMap::new(),
        )
        .await;
    assert_eq!(plain.status(), 200);
    let plain_id = scalar(app, "SELECT MAX(id) FROM support_questions").await;
    let (status, body) = answer(app, &mut officer, plain_id, "Ответ").await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
    // Another family's list does not show Anna's question.
    assert_eq!(mine(app, &mut other).await, Value::Array(vec![]));
}
