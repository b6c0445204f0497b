//! Only a child's own parents: ЕГР ЗАГС is asked whether the birth record names the card's
//! parent. An adult who knows a real child's certificate by heart gets «Не найдено в загсе» and
//! no account; each parent on the record is proven on their own; neither family learns of the
//! other; cards confirmed before the question are asked again once — on both engines.

use reqwest::StatusCode;
use serde_json::{Value, json};

use server::clock::Clock;
use server::family::parent_tie::schedule_recheck;

use crate::browser::{Browser, call, pairs};
use crate::child_accounts::{
    child_sign_in, consent_id, create_child_account, decide, parent_with_confirmed_child,
};
use crate::engine_tests;
use crate::family::{
    add_checked, another_confirmed_parent, child_details as child, execute, expect_notification,
    peter, run_queue, second_parent,
};
use crate::helpers::TestApp;

/// The stranger's card says why, offers no account, and the stranger was told.
async fn expect_not_a_parent(app: &TestApp, stranger: &mut Browser, id: i64, snils: &str) {
    let card = child(app, stranger, id).await;
    assert_eq!(
        statuses(&card),
        ("not_found_in_zags", "not_a_parent", snils),
        "{card}"
    );
    assert_eq!(
        card["account"],
        json!({"Unavailable": {"kind": "not_on_birth_record"}})
    );
    expect_notification(
        app,
        stranger,
        "Запись о рождении не подтверждает, что вы родитель",
    )
    .await;
}

async fn children(app: &TestApp, browser: &mut Browser) -> Vec<Value> {
    let (status, body, _) = call(app, browser, "family/children", &[]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body["Changed"]["children"].as_array().unwrap().clone()
}

fn statuses(card: &Value) -> (&str, &str, &str) {
    let details = &card["summary"];
    (
        details["certificate"]["status"]
            .as_str()
            .unwrap_or_default(),
        details["certificate"]["problem"]
            .as_str()
            .unwrap_or_default(),
        details["snils"]["status"].as_str().unwrap_or_default(),
    )
}

async fn a_strangers_card_of_a_real_child_is_never_confirmed_and_the_real_parents_is(
    app: &TestApp,
) {
    // The attack: a confirmed adult who is not on Пётр's birth record adds him and asks.
    let mut stranger = another_confirmed_parent(app).await;
    let stolen = add_checked(app, &mut stranger, &peter()).await;
    expect_not_a_parent(app, &mut stranger, stolen, "absent").await;
    // «Создать» is refused on the server too, not only hidden.
    let (status, body, _) = call(
        app,
        &mut stranger,
        "child-account/wizard",
        &pairs(&[("child_id", &stolen.to_string())]),
    )
    .await;
    assert_eq!(
        (status, body["details"].as_str()),
        (StatusCode::CONFLICT, Some("child_account_not_allowed"))
    );

    // Both parents on the record are proven, each on their own card.
    let (mut anna, anna_card) = parent_with_confirmed_child(app).await;
    let card = child(app, &mut anna, anna_card).await;
    assert_eq!(statuses(&card), ("confirmed", "", "confirmed"), "{card}");
    assert_eq!(card["account"], json!({"CanCreate": {"started": false}}));
    let mut andrey = second_parent(app).await;
    let andrey_card = add_checked(app, &mut andrey, &peter()).await;
    let card = child(app, &mut andrey, andrey_card).await;
    assert_eq!(statuses(&card), ("confirmed", "", "confirmed"), "{card}");

    // Each family sees its own card only, and nothing on it speaks of the others.
    for (browser, own) in [
        (&mut stranger, stolen),
        (&mut anna, anna_card),
        (&mut andrey, andrey_card),
    ] {
        let list = children(app, browser).await;
        assert_eq!(list.len(), 1, "{list:?}");
        assert_eq!(list[0]["id"], own);
    }
    let (status, _, _) = call(
        app,
        &mut stranger,
        "family/child",
        &pairs(&[("id", &anna_card.to_string())]),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

async fn cards_confirmed_before_the_tie_are_asked_again_once(app: &TestApp) {
    // Анна's card and a stranger's, both confirmed the old way (no tie asked); the stranger
    // even made the child's account and consented.
    let (mut anna, anna_card) = parent_with_confirmed_child(app).await;
    let mut stranger = another_confirmed_parent(app).await;
    let stolen = add_checked(app, &mut stranger, &peter()).await;
    execute(
        app,
        format!(
            "UPDATE children SET certificate_status = 'confirmed', certificate_problem = NULL, \
             snils_status = 'confirmed', snils = '12345678964', parent_proven_at = \
             (SELECT parent_proven_at FROM children WHERE id = {anna_card}) WHERE id = {stolen}"
        ),
    )
    .await;
    create_child_account(app, &mut stranger, stolen).await;
    let consent = consent_id(app, &mut stranger, stolen).await;
    decide(app, &mut stranger, consent, "grant").await;
    let mut petya = Browser::at("198.51.100.7");
    assert_eq!(child_sign_in(app, &mut petya).await.0, StatusCode::OK);
    execute(app, "UPDATE children SET parent_proven_at = NULL").await;
    let card = child(app, &mut anna, anna_card).await;
    assert_eq!(
        card["account"],
        json!({"Unavailable": {"kind": "parent_unproven"}})
    );

    // The migration's job: booked once, then nothing is left to book.
    assert!(schedule_recheck(&app.db, app.clock.now()).await.unwrap());
    assert!(!schedule_recheck(&app.db, app.clock.now()).await.unwrap());
    run_queue(app).await;
    assert!(!schedule_recheck(&app.db, app.clock.now()).await.unwrap());

    // Анна keeps her card and is told; the account the stranger made is hers to link.
    let card = child(app, &mut anna, anna_card).await;
    assert_eq!(statuses(&card), ("confirmed", "", "confirmed"), "{card}");
    assert_eq!(card["account"], json!({"CanLink": {"teen": false}}));
    expect_notification(app, &mut anna, "Подтверждено, что вы родитель ребёнка").await;

    // The stranger's card says why; the link and the consent no longer count.
    expect_not_a_parent(app, &mut stranger, stolen, "confirmed").await;
    let mut petya = Browser::at("198.51.100.8");
    let (status, body) = child_sign_in(app, &mut petya).await;
    assert_eq!(
        (status, body["details"].as_str()),
        (StatusCode::CONFLICT, Some("parent_consent_required")),
        "{body}"
    );
    let (status, _) = decide(app, &mut stranger, consent, "revoke").await;
    assert_ne!(status, StatusCode::OK);
}

engine_tests!(
    a_strangers_card_of_a_real_child_is_never_confirmed_and_the_real_parents_is,
    cards_confirmed_before_the_tie_are_asked_again_once,
);
