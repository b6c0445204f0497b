//! Outgoing messages through real transports: e-mail to a real SMTP server (Python's aiosmtpd,
//! started by the test) and SMS to an HTTP gateway (a small axum server in the test), with the
//! delivery history recorded, and retries when the other side fails.

use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Json;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use serde_json::Value;

use crate::browser::*;
use crate::helpers::{Engine, TestApp};

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// aiosmtpd on a free port, saving each message into a directory; killed on drop.
struct SmtpSink {
    child: Child,
    port: u16,
    dir: tempfile::TempDir,
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl SmtpSink {
    /// `None` (with a note) when Python's aiosmtpd is missing, unless REQUIRE_SMTP_SINK=1.
    fn start() -> Option<Self> {
        let available = Command::new("python3")
            .args(["-c", "import aiosmtpd"])
            .status()
            .is_ok_and(|s| s.success());
        if !available {
            assert!(
                std::env::var("REQUIRE_SMTP_SINK").as_deref() != Ok("1"),
                "REQUIRE_SMTP_SINK=1 but Python's aiosmtpd is not installed \
                 (scripts/setup.sh --with-browser installs it)"
            );
            eprintln!("SKIPPED: aiosmtpd is not installed; run scripts/setup.sh --with-browser");
            return None;
        }
        let port = free_port();
        let dir = tempfile::tempdir().unwrap();
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/smtp_sink.py");
        let mut child = Command::new("python3")
            .arg(script)
            .arg(port.to_string())
            .arg(dir.path())
            .stdout(Stdio::piped())
            .spawn()
            .expect("start the SMTP sink");
        // It prints "ready" once listening.
        use std::io::BufRead;
        let mut line = String::new();
        std::io::BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        assert_eq!(line.trim(), "ready");
        Some(Self { child, port, dir })
    }

    fn messages(&self) -> Vec<String> {
        let mut files: Vec<_> = std::fs::read_dir(self.dir.path())
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        files.sort();
        files
            .iter()
            .map(|p| String::from_utf8_lossy(&std::fs::read(p).unwrap()).into_owned())
            .collect()
    }
}

/// The text of a single-part base64 message.
fn decode_body(mail: &str) -> String {
    use base64::Engine;
    let normalized = mail.replace("\r\n", "\n");
    let (_, encoded) = normalized.split_once("\n\n").expect("headers end");
    let compact: String = encoded.split_whitespace().collect();
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(compact)
        .expect("base64 body");
    String::from_utf8(bytes).unwrap()
}

async fn message_to(
    app: &TestApp,
    recipient: &str,
    status: &str,
) -> server::db::outbox::StoredMessage {
    for _ in 0..100 {
        let messages = app.messages(&["email", "sms"], 50).await;
        if let Some(m) = messages
            .into_iter()
            .find(|m| m.recipient == recipient && m.status.as_str() == status)
        {
            return m;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("no {status} message to {recipient}");
}

async fn history(app: &TestApp, id: i64) -> Vec<(String, String)> {
    server::db::outbox::events(&app.db, &[id])
        .await
        .unwrap()
        .into_iter()
        .map(|e| (e.status.as_str().to_owned(), e.detail))
        .collect()
}

#[tokio::test]
async fn e_mail_goes_through_a_real_smtp_server() {
    let Some(sink) = SmtpSink::start() else {
        return;
    };
    let url = format!("smtp://127.0.0.1:{}", sink.port);
    let app = TestApp::spawn_with(Engine::Sqlite, |c| c.smtp_url = Some(url))
        .await
        .unwrap();
    register(&app, &mut Browser::new()).await;

    let sent = message_to(&app, "anna@mail.ru", "sent").await;
    let events = history(&app, sent.id).await;
    assert_eq!(events[0].0, "queued");
    assert_eq!(events[1].0, "sent");
    assert!(
        events[1].1.starts_with("Принято SMTP-сервером: 250"),
        "{events:?}"
    );
    let received = sink.messages();
    assert_eq!(received.len(), 1);
    let mail = &received[0];
    assert!(mail.contains("To: anna@mail.ru"), "{mail}");
    assert!(mail.contains("noreply@portal.test"), "{mail}");
    // Russian text travels base64-encoded (RFC 2047 words in the subject, the body as a whole).
    assert!(mail.contains("Subject: =?utf-8?b?"), "{mail}");
    let body = decode_body(mail);
    assert!(body.starts_with("Здравствуйте, Анна!"), "{body}");
    assert!(
        body.contains("https://portal.test/account/email?token="),
        "{body}"
    );
    // The SMS still goes to the development mailbox: each channel has its own transport.
    message_to(&app, "+79123456789", "delivered").await;
}

#[tokio::test]
async fn an_unreachable_smtp_server_means_a_retry_later_not_a_lost_message() {
    let port = free_port();
    let url = format!("smtp://127.0.0.1:{port}");
    let app = TestApp::spawn_with(Engine::Sqlite, |c| c.smtp_url = Some(url))
        .await
        .unwrap();
    register(&app, &mut Browser::new()).await;
    let waiting = message_to(&app, "anna@mail.ru", "queued").await;
    for _ in 0..100 {
        if history(&app, waiting.id).await.len() >= 2 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let events = history(&app, waiting.id).await;
    assert_eq!(events[1].0, "retry", "{events:?}");
    // Nothing is due until the backoff passes; then it is tried again.
    app.outbox.run_once().await.unwrap();
    assert_eq!(history(&app, waiting.id).await.len(), 2);
    app.clock.advance(time::Duration::seconds(15));
    app.outbox.run_once().await.unwrap();
    let events = history(&app, waiting.id).await;
    assert_eq!(
        events.iter().filter(|e| e.0 == "retry").count(),
        2,
        "{events:?}"
    );
}

/// What the gateway received: the Authorization header and the JSON body.
type GatewayRequest = (Option<String>, Value);

#[tokio::test]
async fn sms_go_to_the_http_gateway_with_its_token() {
    let received: Arc<Mutex<Vec<GatewayRequest>>> = Arc::default();
    let failures_left = Arc::new(Mutex::new(1));
    let gateway = axum::Router::new().route(
        "/send",
        post({
            let received = received.clone();
            let failures_left = failures_left.clone();
            move |headers: HeaderMap, Json(body): Json<Value>| async move {
                let mut left = failures_left.lock().unwrap();
                if *left > 0 {
                    *left -= 1;
                    return StatusCode::SERVICE_UNAVAILABLE;
                }
                let auth = headers
                    .get("authorization")
                    .map(|v| v.to_str().unwrap().to_owned());
                received.lock().unwrap().push((auth, body));
                StatusCode::ACCEPTED
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/send", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, gateway).await });

    let app = TestApp::spawn_with(Engine::Sqlite, |c| {
        c.sms_gateway_url = Some(url);
        c.sms_gateway_token = Some("secret-token".into());
    })
    .await
    .unwrap();
    register(&app, &mut Browser::new()).await;
    // The first attempt meets a 503: the message waits for its retry.
    let waiting = message_to(&app, "+79123456789", "queued").await;
    for _ in 0..100 {
        if history(&app, waiting.id).await.len() >= 2 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    app.clock.advance(time::Duration::seconds(15));
    app.outbox.run_once().await.unwrap();
    let sent = message_to(&app, "+79123456789", "sent").await;
    let statuses: Vec<String> = history(&app, sent.id)
        .await
        .into_iter()
        .map(|e| e.0)
        .collect();
    assert_eq!(statuses, ["queued", "retry", "sent"]);
    let received = received.lock().unwrap();
    assert_eq!(received.len(), 1);
    assert_eq!(received[0].0.as_deref(), Some("Bearer secret-token"));
    assert_eq!(received[0].1["to"], "+79123456789");
    assert!(
        received[0].1["text"]
            .as_str()
            .unwrap()
            .starts_with("Код подтверждения: ")
    );
}
