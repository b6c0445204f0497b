//! «Настройки уведомлений» on both engines: the defaults, «Сохранить», and the outbox honouring
//! the choice per event and channel for every message an application causes — each message
//! with the link to the application.

use reqwest::StatusCode;
use serde_json::Value;

use crate::applications::{filled_draft, send};
use crate::browser::{Browser, call, pairs};
use crate::engine_tests;
use crate::family::{execute, officer_browser};
use crate::helpers::TestApp;
use crate::officer::{decide_as, desk};

engine_tests!(
    the_outbox_sends_each_event_only_by_the_channels_chosen,
    sms_needs_a_phone_and_nobody_else_reads_or_saves_the_settings,
);

const KEY: &str = "0b5e2c8d-4f6a-4e1b-9c3d-7a8b9c0d1e2f";

async fn settings(app: &TestApp, browser: &mut Browser) -> (StatusCode, Value) {
    let (status, body, _) = call(app, browser, "notifications/settings", &[]).await;
    (status, body)
}

/// «Сохранить» with these `(event, channel)` pairs on.
pub(crate) async fn save(
    app: &TestApp,
    browser: &mut Browser,
    chosen: &[(&str, &str)],
) -> (StatusCode, Value) {
    let mut form = Vec::new();
    for (i, (event, channel)) in chosen.iter().enumerate() {
        form.push((format!("settings[chosen][{i}][event]"), (*event).to_owned()));
        form.push((
            format!("settings[chosen][{i}][channel]"),
            (*channel).to_owned(),
        ));
    }
    let (status, body, _) = call(app, browser, "notifications/settings/save", &form).await;
    (status, body)
}

/// The channels of the messages whose subject contains `needle`, sorted.
async fn channels_of(app: &TestApp, needle: &str) -> Vec<String> {
    let mut channels: Vec<String> = app
        .messages(&["email", "sms", "in_app"], 200)
        .await
        .into_iter()
        .filter(|m| m.subject.contains(needle))
        .map(|m| m.channel)
        .collect();
    channels.sort();
    channels
}

async fn the_outbox_sends_each_event_only_by_the_channels_chosen(app: &TestApp) {
    let (mut anna, _, draft, version) = filled_draft(app).await;

    // The defaults: e-mail and the personal account, not yet saved.
    let (status, shown) = settings(app, &mut anna).await;
    assert_eq!(status, StatusCode::OK, "{shown}");
    assert_eq!(shown["saved_at"], Value::Null);
    // Applications and documents by e-mail and in the account (12), a child's sign-ins and
    // views in the account (1).
    assert_eq!(shown["settings"]["chosen"].as_array().unwrap().len(), 13);
    assert_eq!(shown["email"], "anna@mail.ru");

    // Nothing on sending; the request by e-mail only; decisions by SMS and in the account.
    let (status, saved) = save(
        app,
        &mut anna,
        &[
            ("documents_requested", "email"),
            ("final_decision", "sms"),
            ("final_decision", "in_app"),
            ("final_decision", "sms"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{saved}");
    assert_ne!(saved["saved_at"], Value::Null);
    assert_eq!(
        saved["settings"]["chosen"].as_array().unwrap().len(),
        3,
        "{saved}"
    );
    let (_, reread) = settings(app, &mut anna).await;
    assert_eq!(reread["settings"], saved["settings"]);

    let (status, sent) = send(app, &mut anna, draft, version, KEY).await;
    assert_eq!(status, StatusCode::OK, "{sent}");
    let id = sent["application_id"].as_i64().unwrap();
    let number = sent["number"].as_str().unwrap().to_owned();
    assert_eq!(channels_of(app, "принято").await, Vec::<String>::new());

    let mut officer = officer_browser(app).await;
    let (status, case) = desk(app, &mut officer, "claim", &[("id", &id.to_string())]).await;
    assert_eq!(status, StatusCode::OK, "{case}");
    let version = case["version"].as_i64().unwrap();
    let (status, case) = decide_as(
        app,
        &mut officer,
        id,
        "request_clarification",
        "Приложите справку",
        version,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{case}");
    assert_eq!(channels_of(app, "Требуется уточнение").await, ["email"]);

    // The family answers; the officer approves: by SMS and in the account, each with the link.
    let form = pairs(&[
        ("id", &id.to_string()),
        ("reply[text]", "Справка в приложении к заявлению"),
        ("reply[version]", &case["version"].to_string()),
    ]);
    let (status, body, _) = call(app, &mut anna, "benefits/application-resend", &form).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, case) = desk(app, &mut officer, "claim", &[("id", &id.to_string())]).await;
    assert_eq!(status, StatusCode::OK, "{case}");
    let version = case["version"].as_i64().unwrap();
    let (status, body) = decide_as(app, &mut officer, id, "approve", "", version).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(channels_of(app, "«Одобрено»").await, ["in_app", "sms"]);
    let link = format!("https://portal.test/applications/{id}");
    for message in app.messages(&["sms", "in_app", "email"], 200).await {
        if message.subject.contains(&number) {
            assert!(
                message.body.contains(&link),
                "{}: {}",
                message.channel,
                message.body
            );
        }
    }
    let sms = app
        .messages(&["sms"], 10)
        .await
        .into_iter()
        .find(|m| m.subject.contains("«Одобрено»"))
        .unwrap();
    assert_eq!(sms.recipient, "+79123456789");
}

async fn sms_needs_a_phone_and_nobody_else_reads_or_saves_the_settings(app: &TestApp) {
    let (mut anna, _, _, _) = filled_draft(app).await;
    // Signed out: nothing.
    let mut stranger = Browser::at("198.51.100.99");
    assert_eq!(
        settings(app, &mut stranger).await.0,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        save(app, &mut stranger, &[("submitted", "sms")]).await.0,
        StatusCode::UNAUTHORIZED
    );

    // An unknown event or channel is refused whole; nothing is saved.
    let (status, _) = save(app, &mut anna, &[("newsletter", "email")]).await;
    assert!(status.is_client_error(), "{status}");
    let (_, shown) = settings(app, &mut anna).await;
    assert_eq!(shown["saved_at"], Value::Null);

    // Without a phone, SMS cannot be chosen: the refusal names the field, nothing is saved.
    execute(
        app,
        "UPDATE accounts SET phone = NULL WHERE email = 'anna@mail.ru'",
    )
    .await;
    let (status, body) = save(app, &mut anna, &[("final_decision", "sms")]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["details"][0]["field"], "notify-sms", "{body}");
    let (_, shown) = settings(app, &mut anna).await;
    assert_eq!(shown["saved_at"], Value::Null);
    assert_eq!(shown["phone"], Value::Null);
}
