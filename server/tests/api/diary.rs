//! «Учебные данные»: a school connected by the code the school sends (a wrong school or code at
//! its field, the code's tries reserved before the comparison), the import job filling the diary
//! with averages per quarter, absences and comments, notices of new grades when chosen, and who
//! may read it — the minor while «Проверка успеваемости» is on, linked parents always.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::activity::family_with_a_child_account;
use crate::browser::{Browser, call};
use crate::engine_tests;
use crate::family::{another_confirmed_parent, run_queue, scalar};
use crate::helpers::TestApp;

engine_tests!(
    a_parent_connects_the_school_by_its_code_and_the_diary_is_imported,
    the_minor_sees_the_diary_only_within_the_access_settings,
    wrong_school_codes_are_counted_before_the_comparison,
);

async fn diary(
    app: &TestApp,
    browser: &mut Browser,
    endpoint: &str,
    child: Option<i64>,
    rest: &[(&str, &str)],
) -> (StatusCode, Value) {
    let mut form: Vec<(String, String)> = rest
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    if let Some(child) = child {
        form.push(("child".to_owned(), child.to_string()));
    }
    let (status, body, _) = call(app, browser, &format!("diary/{endpoint}"), &form).await;
    (status, body)
}

/// The code in the school's newest letter.
async fn school_code(app: &TestApp) -> String {
    let letter = app.messages(&["email"], 1).await.remove(0);
    assert_eq!(letter.subject, "Код подключения к электронному дневнику");
    let at = letter.body.rfind(": ").unwrap() + 2;
    letter.body[at..at + 6].to_owned()
}

async fn a_parent_connects_the_school_by_its_code_and_the_diary_is_imported(app: &TestApp) {
    let (mut parent, id, _child) = family_with_a_child_account(app).await;
    let (status, state) = diary(app, &mut parent, "load", Some(id), &[]).await;
    assert_eq!(
        (status, state.clone()),
        (StatusCode::OK, json!("NotConnected"))
    );

    // A school the registry does not know, and an empty name: at the field.
    let (status, body) = diary(
        app,
        &mut parent,
        "connect",
        Some(id),
        &[("school", "Лицей")],
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["details"][0]["code"], "school.not_found");
    let (status, body) = diary(app, &mut parent, "connect", Some(id), &[("school", " ")]).await;
    assert_eq!(
        (status, body["details"][0]["field"].clone()),
        (StatusCode::UNPROCESSABLE_ENTITY, json!("school"))
    );

    let (status, state) = diary(
        app,
        &mut parent,
        "connect",
        Some(id),
        &[("school", "Школа № 1234")],
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{state}");
    assert_eq!(state["CodeSent"]["school"], "ГБОУ «Школа № 1234»");
    let code = school_code(app).await;
    // A code that does not match: at its field, with the tries left.
    let wrong = if code == "000000" { "111111" } else { "000000" };
    let (status, body) = diary(app, &mut parent, "confirm", Some(id), &[("code", wrong)]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(
        body["details"][0]["message"]
            .as_str()
            .unwrap()
            .contains("Осталось попыток: 4")
    );
    let (status, state) = diary(app, &mut parent, "confirm", Some(id), &[("code", &code)]).await;
    assert_eq!(status, StatusCode::OK, "{state}");
    assert_eq!(state["Importing"]["school"], "ГБОУ «Школа № 1234»");

    // The import job fills it.
    run_queue(app).await;
    let (_, state) = diary(app, &mut parent, "load", Some(id), &[]).await;
    let shown = &state["Connected"];
    assert_eq!(shown["school"], "ГБОУ «Школа № 1234»", "{state}");
    let subjects = shown["subjects"].as_array().unwrap();
    assert!(subjects.len() >= 5, "{shown}");
    assert!(subjects.iter().any(|s| s["year_average"].is_string()));
    assert_eq!(shown["years"].as_array().unwrap().len(), 2);
    // The previous year is there too.
    let previous = shown["years"][1][0].as_i64().unwrap().to_string();
    let (_, last_year) = diary(app, &mut parent, "load", Some(id), &[("year", &previous)]).await;
    assert!(
        !last_year["Connected"]["subjects"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    assert!(
        last_year["Connected"]["subjects"]
            .as_array()
            .unwrap()
            .iter()
            .all(|s| s["quarters"].as_array().unwrap().len() == 4)
    );

    // Notices chosen: the next night's import of new lessons tells the family.
    let (_, state) = diary(app, &mut parent, "notify", Some(id), &[("notify", "true")]).await;
    assert_eq!(state["Connected"]["notify"], true);
    app.clock.advance(time::Duration::days(7));
    run_queue(app).await;
    run_queue(app).await;
    let told = scalar(
        app,
        "SELECT COUNT(*) FROM outbox_messages WHERE subject = 'Новые оценки и пропуски'",
    )
    .await;
    assert!(told > 0);

    // Another family cannot read it.
    let mut stranger = another_confirmed_parent(app).await;
    let (status, _) = diary(app, &mut stranger, "load", Some(id), &[]).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(
        scalar(
            app,
            "SELECT COUNT(*) FROM activity_journal WHERE action = 'Подключена школа'"
        )
        .await,
        1
    );
}

async fn the_minor_sees_the_diary_only_within_the_access_settings(app: &TestApp) {
    let (mut parent, id, mut child) = family_with_a_child_account(app).await;
    // Nothing on: the minor is told why.
    let (status, state) = diary(app, &mut child, "load", None, &[]).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        state["SwitchedOff"]["reason"]
            .as_str()
            .unwrap()
            .contains("выключен"),
        "{state}"
    );
    let (_, state) = diary(
        app,
        &mut child,
        "connect",
        None,
        &[("school", "Школа № 1234")],
    )
    .await;
    assert!(state.get("SwitchedOff").is_some());
    assert_eq!(scalar(app, "SELECT COUNT(*) FROM school_links").await, 0);

    // «Проверка успеваемости» on: the minor connects it.
    let form = vec![
        ("child".to_owned(), id.to_string()),
        ("version".to_owned(), "0".to_owned()),
        ("form[requests_per_day]".to_owned(), "1".to_owned()),
        ("form[second_factor]".to_owned(), "false".to_owned()),
        (
            "form[categories][0][category]".to_owned(),
            "education".to_owned(),
        ),
        ("form[categories][0][enabled]".to_owned(), "true".to_owned()),
        (
            "form[categories][0][level]".to_owned(),
            "limited".to_owned(),
        ),
        ("form[categories][0][max_age]".to_owned(), String::new()),
        ("form[categories][0][off_on]".to_owned(), String::new()),
        ("form[services][0]".to_owned(), "grades".to_owned()),
        ("form[allowed_documents][0]".to_owned(), "record".to_owned()),
    ];
    let (status, body, _) = call(app, &mut parent, "access/save", &form).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (_, state) = diary(app, &mut child, "connect", None, &[("school", "школа 77")]).await;
    assert_eq!(state["CodeSent"]["school"], "ГБОУ «Школа № 77»", "{state}");
    let code = school_code(app).await;
    let (_, state) = diary(app, &mut child, "confirm", None, &[("code", &code)]).await;
    assert!(state.get("Importing").is_some(), "{state}");
    run_queue(app).await;
    let (_, state) = diary(app, &mut child, "load", None, &[]).await;
    assert!(state.get("Connected").is_some());
    // The parent reads the same diary; the reading is journaled for the child.
    let (_, by_parent) = diary(app, &mut parent, "load", Some(id), &[]).await;
    assert_eq!(by_parent["Connected"]["school"], "ГБОУ «Школа № 77»");
    assert_eq!(
        scalar(
            app,
            "SELECT COUNT(*) FROM activity_journal WHERE action = 'Просмотр учебных данных'"
        )
        .await,
        1
    );
    // A minor cannot read another child's diary through a card id.
    let (status, _) = diary(app, &mut child, "load", Some(id), &[]).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

async fn wrong_school_codes_are_counted_before_the_comparison(app: &TestApp) {
    let (mut parent, id, _child) = family_with_a_child_account(app).await;
    diary(
        app,
        &mut parent,
        "connect",
        Some(id),
        &[("school", "Школа № 1234")],
    )
    .await;
    let code = school_code(app).await;
    let wrong = if code == "000000" { "111111" } else { "000000" };
    let guesses = (0..10).map(|_| {
        let mut parent = parent.clone();
        async move { diary(app, &mut parent, "confirm", Some(id), &[("code", wrong)]).await }
    });
    futures::future::join_all(guesses).await;
    assert_eq!(
        scalar(app, "SELECT MAX(wrong_tries) FROM school_links").await,
        5
    );
    let (status, body) = diary(app, &mut parent, "confirm", Some(id), &[("code", &code)]).await;
    assert_eq!(
        (status, body["details"].clone()),
        (StatusCode::CONFLICT, json!("code_tries_exhausted"))
    );
    // «Подключить школу» again starts over.
    diary(
        app,
        &mut parent,
        "connect",
        Some(id),
        &[("school", "Школа № 1234")],
    )
    .await;
    let (status, _) = diary(app, &mut parent, "confirm", Some(id), &[("code", &code)]).await;
    assert_eq!(status, StatusCode::OK);
}
