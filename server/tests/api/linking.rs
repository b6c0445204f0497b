//! «Привязать»: a teen registers on their own; each parent links the account with a link code
//! the teen enters after signing in; the first parent hears when the second links. Codes expire,
//! count wrong tries and work once — on both engines.

use reqwest::StatusCode;
use serde_json::{Value, json};
use time::Duration;

use crate::browser::{Browser, PASSWORD, call, codes, pairs};
use crate::engine_tests;
use crate::family::{
    add, add_checked, another_confirmed_parent, confirmed_parent, expect_notification,
    second_parent,
};
use crate::helpers::TestApp;

const TEEN_EMAIL: &str = "olga@mail.ru";

/// Ольга, 15 at the tests' date and on the simulator's birth records with both parents,
/// registers herself.
pub(crate) async fn teen(app: &TestApp) -> Browser {
    let mut browser = Browser::at("198.51.100.30");
    let form: Vec<(String, String)> = [
        ("last_name", "Иванова"),
        ("first_name", "Ольга"),
        ("middle_name", "Андреевна"),
        ("birth_date", "10.01.2011"),
        ("snils", "111-222-333 72"),
        ("phone", "+7 916 700-00-01"),
        ("email", TEEN_EMAIL),
        ("password", PASSWORD),
        ("password_repeat", PASSWORD),
        ("consent", "true"),
    ]
    .into_iter()
    .map(|(k, v)| (format!("form[{k}]"), v.to_owned()))
    .collect();
    let (status, body, _) = call(app, &mut browser, "account/register", &form).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    browser
}

/// The parent's card for Ольга, with the СНИЛС a 14-year-old's card carries.
fn olga_card() -> Vec<(&'static str, &'static str)> {
    vec![
        ("last_name", "Иванова"),
        ("first_name", "Ольга"),
        ("middle_name", "Андреевна"),
        ("sex", "female"),
        ("birth_date", "10.01.2011"),
        ("birth_country", "russia"),
        ("snils", "111-222-333 72"),
        ("certificate", "I-МЮ 111111"),
        ("certificate_date", "20.01.2011"),
        ("act_record_number", "170011770000001"),
        ("act_record_date", "20.01.2011"),
        ("issued_by", "Отдел ЗАГС Москвы № 77"),
    ]
}

async fn issue(
    app: &TestApp,
    parent: &mut Browser,
    child: i64,
    email: &str,
) -> (StatusCode, Value) {
    issue_ticked(app, parent, child, email, "true").await
}

/// «Продолжить» with the ownership box `ownership` ("true" ticked).
async fn issue_ticked(
    app: &TestApp,
    parent: &mut Browser,
    child: i64,
    email: &str,
    ownership: &str,
) -> (StatusCode, Value) {
    let (status, body, _) = call(
        app,
        parent,
        "linking/issue-code",
        &pairs(&[
            ("child_id", &child.to_string()),
            ("email", email),
            ("ownership", ownership),
        ]),
    )
    .await;
    (status, body)
}

async fn enter(app: &TestApp, teen: &mut Browser, code: &str) -> (StatusCode, Value) {
    let (status, body, _) = call(app, teen, "linking/use-code", &pairs(&[("code", code)])).await;
    (status, body)
}

async fn links(app: &TestApp, teen: &mut Browser) -> Value {
    let (status, body, _) = call(app, teen, "linking/status", &[]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body
}

async fn card(app: &TestApp, browser: &mut Browser, id: i64) -> Value {
    crate::family::child_details(app, browser, id).await["account"].clone()
}

async fn both_parents_link_a_teen_and_the_first_is_told(app: &TestApp) {
    let mut olga = teen(app).await;
    // A teen's own account: no parent yet, nothing to enter.
    assert_eq!(
        links(app, &mut olga).await,
        json!({"code_valid_until": null, "parents": []})
    );

    let mut anna = confirmed_parent(app).await;
    // Before the registries confirm the card, «Привязать» is neither shown nor served.
    let unchecked = add(app, &mut anna, &olga_card()).await;
    assert_eq!(
        card(app, &mut anna, unchecked).await,
        json!({"Unavailable": {"kind": "documents_not_confirmed", "certificate": true, "snils": true}})
    );
    let (status, body) = issue(app, &mut anna, unchecked, TEEN_EMAIL).await;
    assert_eq!(
        (status, body["details"].as_str()),
        (StatusCode::CONFLICT, Some("link_not_allowed"))
    );
    let (_, _, _) = call(
        app,
        &mut anna,
        "family/remove-child",
        &pairs(&[("id", &unchecked.to_string())]),
    )
    .await;
    let card_id = add_checked(app, &mut anna, &olga_card()).await;
    assert_eq!(
        card(app, &mut anna, card_id).await,
        json!({"CanLink": {"teen": true}})
    );

    // Wrong address, or the ownership not confirmed: refused at the field.
    let (status, body) = issue(app, &mut anna, card_id, "someone@mail.ru").await;
    assert_eq!(
        (status, codes(&body)),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            vec!["link_email.not_found".to_owned()]
        )
    );
    let (status, body) = issue_ticked(app, &mut anna, card_id, TEEN_EMAIL, "false").await;
    assert_eq!(
        (status, codes(&body)),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            vec!["link_ownership.missing".to_owned()]
        )
    );

    let (status, issued) = issue(app, &mut anna, card_id, TEEN_EMAIL).await;
    assert_eq!(status, StatusCode::OK, "{issued}");
    let code = issued["code"].as_str().unwrap().to_owned();
    assert_eq!(code.len(), 9, "{code}");
    assert!(links(app, &mut olga).await["code_valid_until"].is_string());

    // A wrong code is counted; the right one links (typed in lower case without the dash).
    let (status, body) = enter(app, &mut olga, "AAAA-BBBB").await;
    assert_eq!(
        (status, codes(&body)),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            vec!["link_code.wrong".to_owned()]
        )
    );
    let (status, body) = enter(app, &mut olga, &code.replace('-', "").to_lowercase()).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let seen = links(app, &mut olga).await;
    assert_eq!(seen["code_valid_until"], Value::Null);
    assert_eq!(seen["parents"][0]["name"], "Иванова Анна Сергеевна");
    assert_eq!(
        card(app, &mut anna, card_id).await["Account"]["email"],
        TEEN_EMAIL
    );
    expect_notification(app, &mut anna, "Учётная запись ребёнка привязана").await;
    // The code works once.
    let (status, body) = enter(app, &mut olga, &code).await;
    assert_eq!(
        (status, body["details"].as_str()),
        (StatusCode::CONFLICT, Some("link_code_expired"))
    );

    // The second parent on the birth record links too; the first is told.
    let mut igor = second_parent(app).await;
    let igor_card = add_checked(app, &mut igor, &olga_card()).await;
    let (_, issued) = issue(app, &mut igor, igor_card, TEEN_EMAIL).await;
    let (status, body) = enter(app, &mut olga, issued["code"].as_str().unwrap()).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    expect_notification(
        app,
        &mut anna,
        "Второй родитель привязал учётную запись ребёнка",
    )
    .await;
    let parents = links(app, &mut olga).await["parents"]
        .as_array()
        .unwrap()
        .len();
    assert_eq!(parents, 2);
    // Linked already: no second code.
    let (status, _) = issue(app, &mut igor, igor_card, TEEN_EMAIL).await;
    assert_eq!(status, StatusCode::CONFLICT);
}

async fn link_codes_expire_and_count_wrong_tries(app: &TestApp) {
    let mut olga = teen(app).await;
    let mut anna = confirmed_parent(app).await;
    let card_id = add_checked(app, &mut anna, &olga_card()).await;

    // Nothing issued yet.
    let (status, body) = enter(app, &mut olga, "K7M4-Q2XP").await;
    assert_eq!(
        (status, body["details"].as_str()),
        (StatusCode::CONFLICT, Some("link_code_expired"))
    );

    // Expired after 24 hours.
    let (_, issued) = issue(app, &mut anna, card_id, TEEN_EMAIL).await;
    app.clock.advance(Duration::hours(25));
    for browser in [&mut anna, &mut olga] {
        let login = if browser.address == "198.51.100.30" {
            TEEN_EMAIL
        } else {
            "anna@mail.ru"
        };
        let (status, body, _) = call(
            app,
            browser,
            "account/sign-in",
            &pairs(&[("login", login), ("password", PASSWORD)]),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }
    let (status, body) = enter(app, &mut olga, issued["code"].as_str().unwrap()).await;
    assert_eq!(
        (status, body["details"].as_str()),
        (StatusCode::CONFLICT, Some("link_code_expired"))
    );

    // Five wrong codes void it; the right one no longer works; a new code does.
    let (_, issued) = issue(app, &mut anna, card_id, TEEN_EMAIL).await;
    for attempt in 1..=5 {
        let (status, body) = enter(app, &mut olga, "AAAA-BBBB").await;
        if attempt < 5 {
            assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        } else {
            assert_eq!(body["details"], "link_code_tries_exhausted", "{body}");
        }
    }
    let (_, body) = enter(app, &mut olga, issued["code"].as_str().unwrap()).await;
    assert_eq!(body["details"], "link_code_expired");
    let (_, issued) = issue(app, &mut anna, card_id, TEEN_EMAIL).await;
    let (status, _) = enter(app, &mut olga, issued["code"].as_str().unwrap()).await;
    assert_eq!(status, StatusCode::OK);

    // Another family's card is not found at all.
    let mut stranger = another_confirmed_parent(app).await;
    let (status, _) = issue(app, &mut stranger, card_id, TEEN_EMAIL).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

/// The attack: an adult who knows a teen's name, birth date and certificate adds her to their
/// own family and asks for a link code to her e-mail.
async fn a_link_code_cannot_be_aimed_at_a_minor_by_name_and_birth_date(app: &TestApp) {
    let _olga = teen(app).await;
    let mut stranger = another_confirmed_parent(app).await;
    let card_id = add_checked(app, &mut stranger, &olga_card()).await;
    assert_eq!(
        card(app, &mut stranger, card_id).await,
        json!({"Unavailable": {"kind": "not_on_birth_record"}})
    );
    let codes_before = count(app, "SELECT COUNT(*) FROM link_codes").await;
    let outbox_before = count(app, "SELECT COUNT(*) FROM outbox_messages").await;
    let (status, body) = issue(app, &mut stranger, card_id, TEEN_EMAIL).await;
    assert_eq!(
        (status, body["details"].as_str()),
        (StatusCode::CONFLICT, Some("link_not_allowed"))
    );
    // Nothing was written and nothing sent.
    assert_eq!(
        count(app, "SELECT COUNT(*) FROM link_codes").await,
        codes_before
    );
    assert_eq!(
        count(app, "SELECT COUNT(*) FROM outbox_messages").await,
        outbox_before
    );

    // The real parent, entering another minor's e-mail, hears what an unknown e-mail gets: the
    // form does not tell whose an address is.
    let mut anna = confirmed_parent(app).await;
    let anna_card = add_checked(app, &mut anna, &olga_card()).await;
    let (_, nobody) = issue(app, &mut anna, anna_card, "nobody@mail.ru").await;
    let mut other_teen = Browser::at("198.51.100.31");
    let other = crate::browser::registration_as(
        ("Петрова", "Вера", "Ивановна", "02.02.2010"),
        "123-123-123 84",
        "+7 916 700-00-02",
        "vera@mail.ru",
    );
    let (status, body, _) = call(app, &mut other_teen, "account/register", &other).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, minor) = issue(app, &mut anna, anna_card, "vera@mail.ru").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(minor, nobody);

    // Codes per parent per day are limited; the refused one writes nothing.
    for _ in 0..5 {
        let (status, body) = issue(app, &mut anna, anna_card, TEEN_EMAIL).await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }
    let issued = count(app, "SELECT COUNT(*) FROM link_codes").await;
    let (status, body) = issue(app, &mut anna, anna_card, TEEN_EMAIL).await;
    assert_eq!(
        (status, body["details"].as_str()),
        (StatusCode::CONFLICT, Some("link_code_daily_limit"))
    );
    assert_eq!(count(app, "SELECT COUNT(*) FROM link_codes").await, issued);
    app.clock.advance(Duration::hours(25));
    let (status, body, _) = call(
        app,
        &mut anna,
        "account/sign-in",
        &pairs(&[("login", "anna@mail.ru"), ("password", PASSWORD)]),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, body) = issue(app, &mut anna, anna_card, TEEN_EMAIL).await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

async fn count(app: &TestApp, sql: &'static str) -> i64 {
    crate::family::scalar(app, sql).await
}

async fn the_second_parent_links_an_account_the_first_created(app: &TestApp) {
    use crate::child_accounts::{
        CHILD_EMAIL, child_sign_in, consent_id, create_child_account, decide,
        parent_with_confirmed_child,
    };
    let (mut anna, anna_card) = parent_with_confirmed_child(app).await;
    create_child_account(app, &mut anna, anna_card).await;
    let consent = consent_id(app, &mut anna, anna_card).await;
    decide(app, &mut anna, consent, "grant").await;

    // Андрей's own card of Пётр, checked in the registries: «Создать» gives way to «Привязать».
    let mut igor = second_parent(app).await;
    let igor_card = add_checked(app, &mut igor, &crate::family::peter()).await;
    assert_eq!(
        card(app, &mut igor, igor_card).await,
        json!({"CanLink": {"teen": false}})
    );
    let (status, _, _) = call(
        app,
        &mut igor,
        "child-account/wizard",
        &pairs(&[("child_id", &igor_card.to_string())]),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT);

    let (status, issued) = issue(app, &mut igor, igor_card, CHILD_EMAIL).await;
    assert_eq!(status, StatusCode::OK, "{issued}");
    let mut petya = Browser::at("198.51.100.7");
    assert_eq!(child_sign_in(app, &mut petya).await.0, StatusCode::OK);
    let (status, body) = enter(app, &mut petya, issued["code"].as_str().unwrap()).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    expect_notification(
        app,
        &mut anna,
        "Второй родитель привязал учётную запись ребёнка",
    )
    .await;
    assert_eq!(
        card(app, &mut igor, igor_card).await["Account"]["email"],
        CHILD_EMAIL
    );
}

engine_tests!(
    the_second_parent_links_an_account_the_first_created,
    both_parents_link_a_teen_and_the_first_is_told,
    link_codes_expire_and_count_wrong_tries,
    a_link_code_cannot_be_aimed_at_a_minor_by_name_and_birth_date,
);
