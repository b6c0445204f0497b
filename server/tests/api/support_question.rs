use reqwest::header::{HeaderMap, HeaderValue};
use serde_json::Value;

use crate::engine_tests;
use crate::helpers::TestApp;

engine_tests!(
    a_valid_question_is_registered_with_a_number,
    wrong_fields_come_back_with_codes_and_nothing_is_saved,
    cross_site_posts_are_refused,
    oversized_requests_are_refused,
);

fn same_origin(app: &TestApp) -> HeaderMap {
    let mut headers = HeaderMap::new();
    headers.insert("origin", HeaderValue::from_str(&app.address).unwrap());
    headers
}

async fn a_valid_question_is_registered_with_a_number(app: &TestApp) {
    let res = app
        .submit_question(
            "112 233 445 95",
            " Anna@Mail.RU ",
            "  Как добавить ребёнка?  ",
            same_origin(app),
        )
        .await;
    assert_eq!(res.status(), 200);
    let receipt: Value = res.json().await.unwrap();
    assert_eq!(receipt["number"], "ВП-000001");
    assert_eq!(receipt["registered_at"], "25.11.2026 12:30");

    let stored = app.stored_questions().await;
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].snils, "11223344595");
    assert_eq!(stored[0].email, "Anna@mail.ru");
    assert_eq!(stored[0].text, "Как добавить ребёнка?");
    assert_eq!(stored[0].created_at, crate::helpers::NOW);
}

async fn wrong_fields_come_back_with_codes_and_nothing_is_saved(app: &TestApp) {
    let res = app
        .submit_question("112-233-445 96", "anna", "", same_origin(app))
        .await;
    assert_eq!(res.status(), 422);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["code"], "invalid");
    let fields: Vec<(String, String)> = body["details"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["field"].as_str().unwrap().to_owned(),
                e["code"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        fields,
        [
            ("snils".to_owned(), "snils.checksum".to_owned()),
            ("email".to_owned(), "email.format".to_owned()),
            ("text".to_owned(), "text.empty".to_owned()),
        ]
    );
    assert_eq!(
        body["details"][0]["message"],
        "СНИЛС указан с ошибкой — проверьте цифры"
    );
    assert!(app.stored_questions().await.is_empty());
}

async fn cross_site_posts_are_refused(app: &TestApp) {
    let mut foreign_origin = HeaderMap::new();
    foreign_origin.insert("origin", HeaderValue::from_static("https://evil.example"));
    let res = app
        .submit_question("112-233-445 95", "a@b.ru", "?", foreign_origin)
        .await;
    assert_eq!(res.status(), 403);

    let mut cross_site = HeaderMap::new();
    cross_site.insert("sec-fetch-site", HeaderValue::from_static("cross-site"));
    let res = app
        .submit_question("112-233-445 95", "a@b.ru", "?", cross_site)
        .await;
    assert_eq!(res.status(), 403);

    assert!(app.stored_questions().await.is_empty());
}

async fn oversized_requests_are_refused(app: &TestApp) {
    let huge = "я".repeat(100 * 1024);
    let res = app
        .submit_question("112-233-445 95", "a@b.ru", &huge, same_origin(app))
        .await;
    assert_eq!(res.status(), 413);
    assert!(app.stored_questions().await.is_empty());
}
