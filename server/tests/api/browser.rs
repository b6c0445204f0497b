//! A simulated browser for server functions: form posts with the session cookie and a client
//! address, and readers for what the outbox delivered (codes and links).

use reqwest::StatusCode;
use serde_json::Value;

use crate::helpers::TestApp;

pub const PASSWORD: &str = "Kozlik-2026";

/// Анна Сергеевна Иванова as the registries know her (born 12.04.1990), with these contacts.
pub fn registration(snils: &str, phone: &str, email: &str) -> Vec<(String, String)> {
    registration_as(
        ("Иванова", "Анна", "Сергеевна", "12.04.1990"),
        snils,
        phone,
        email,
    )
}

/// The registration form of someone else: (last, first, middle name, birth date).
pub fn registration_as(
    (last_name, first_name, middle_name, birth_date): (&str, &str, &str, &str),
    snils: &str,
    phone: &str,
    email: &str,
) -> Vec<(String, String)> {
    [
        ("last_name", last_name),
        ("first_name", first_name),
        ("middle_name", middle_name),
        ("birth_date", birth_date),
        ("snils", snils),
        ("phone", phone),
        ("email", email),
        ("password", PASSWORD),
        ("password_repeat", PASSWORD),
        ("consent", "true"),
    ]
    .into_iter()
    .map(|(k, v)| (format!("form[{k}]"), v.to_owned()))
    .collect()
}

/// What a signed-in browser holds.
#[derive(Clone)]
pub struct Browser {
    pub cookie: Option<String>,
    /// A sign-in waiting for its second factor.
    pub challenge: Option<String>,
    /// The `portal_device` cookie a complete sign-in leaves.
    pub device: Option<String>,
    pub address: String,
}

impl Browser {
    pub fn new() -> Self {
        Self::at("203.0.113.10")
    }

    /// A browser at another network address.
    pub fn at(address: &str) -> Self {
        Self {
            cookie: None,
            challenge: None,
            device: None,
            address: address.to_owned(),
        }
    }
}

pub async fn call(
    app: &TestApp,
    browser: &mut Browser,
    endpoint: &str,
    form: &[(String, String)],
) -> (StatusCode, Value, reqwest::header::HeaderMap) {
    let mut request = app
        .client
        .post(format!("{}/api/{endpoint}", app.address))
        // One entry: the same client whichever end of the header the server reads.
        .header("x-forwarded-for", &browser.address)
        .form(form);
    let cookies: Vec<String> = [
        ("__Host-portal_session", &browser.cookie),
        ("__Host-portal_challenge", &browser.challenge),
        ("__Host-portal_device", &browser.device),
    ]
    .into_iter()
    .filter_map(|(name, value)| value.as_ref().map(|v| format!("{name}={v}")))
    .collect();
    if !cookies.is_empty() {
        request = request.header("cookie", cookies.join("; "));
    }
    let response = request.send().await.expect("POST");
    let status = response.status();
    let headers = response.headers().clone();
    for set in headers.get_all("set-cookie") {
        let set = set.to_str().unwrap();
        let (name, rest) = set.split_once('=').unwrap();
        let value = rest.split(';').next().unwrap();
        let value = (!value.is_empty()).then(|| value.to_owned());
        match name {
            "__Host-portal_session" => browser.cookie = value,
            "__Host-portal_challenge" => browser.challenge = value,
            "__Host-portal_device" => browser.device = value,
            _ => {}
        }
    }
    let body = response.text().await.unwrap();
    let json = serde_json::from_str(&body).unwrap_or(Value::String(body));
    (status, json, headers)
}

pub fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
    items
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

pub fn codes(body: &Value) -> Vec<String> {
    body["details"]
        .as_array()
        .map(|errors| {
            errors
                .iter()
                .map(|e| e["code"].as_str().unwrap_or_default().to_owned())
                .collect()
        })
        .unwrap_or_default()
}

pub async fn register(app: &TestApp, browser: &mut Browser) {
    let (status, body, _) = call(
        app,
        browser,
        "account/register",
        &registration("112-233-445 95", "+7 912 345-67-89", "anna@mail.ru"),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

/// The newest message to a recipient, once the dispatcher has delivered it.
pub async fn delivered_to(app: &TestApp, recipient: &str) -> server::db::outbox::StoredMessage {
    for _ in 0..100 {
        let messages = app.messages(&["email", "sms"], 50).await;
        // Newest first: wait for the newest to this recipient, not an older one.
        if let Some(m) = messages.into_iter().find(|m| m.recipient == recipient)
            && m.status == server::db::outbox::MessageStatus::Delivered
        {
            return m;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("nothing delivered to {recipient}");
}

/// Confirms the e-mail with the link the registration sent it.
pub async fn confirm_email(app: &TestApp, browser: &mut Browser, email: &str) {
    let token = link_token(&delivered_to(app, email).await);
    let form = pairs(&[("token", &token)]);
    let (status, body, _) = call(app, browser, "account/confirm-email", &form).await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

/// Finishes a registration: the e-mail by its link, the phone (`+79…`) by its SMS code.
pub async fn confirm_contacts(app: &TestApp, browser: &mut Browser, email: &str, phone: &str) {
    confirm_email(app, browser, email).await;
    let code = sms_code(&delivered_to(app, phone).await);
    let form = pairs(&[("code", &code)]);
    let (status, body, _) = call(app, browser, "account/confirm-phone", &form).await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

pub fn sms_code(message: &server::db::outbox::StoredMessage) -> String {
    let start = message.body.find(": ").unwrap() + 2;
    message.body[start..start + 6].to_owned()
}

pub fn link_token(message: &server::db::outbox::StoredMessage) -> String {
    let start = message.body.find("token=").unwrap() + 6;
    message.body[start..]
        .split_whitespace()
        .next()
        .unwrap()
        .to_owned()
}

pub async fn current_name(app: &TestApp, browser: &mut Browser) -> Value {
    let (status, body, _) = call(app, browser, "account/current", &[]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body["name"].clone()
}

pub async fn newest_sms(app: &TestApp) -> server::db::outbox::StoredMessage {
    app.messages(&["sms"], 1).await.remove(0)
}
