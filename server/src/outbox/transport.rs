//! Where messages go: real SMTP, an SMS gateway over HTTP, or the development mailbox.

use std::time::Duration;

use lettre::message::header::ContentType;
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};

use crate::db::outbox::StoredMessage;

/// What became of one delivery attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Delivery {
    /// Handed over to the next hop (an SMTP server, an SMS gateway), which will deliver it.
    Sent(String),
    /// Reached the recipient (the mailbox, the portal's own notifications).
    Delivered(String),
}

#[derive(Debug, thiserror::Error)]
pub enum DeliveryError {
    /// May work later: a timeout, a refused connection, a 5xx.
    #[error("{0}")]
    Temporary(String),
    /// Will never work: a malformed address, a 4xx refusal of the message itself.
    #[error("{0}")]
    Permanent(String),
}

#[async_trait::async_trait]
pub trait Transport: Send + Sync {
    async fn deliver(&self, message: &StoredMessage) -> Result<Delivery, DeliveryError>;
}

/// E-mail over SMTP with lettre. `SMTP_URL` is lettre's URL form, e.g.
/// `smtp://user:password@smtp.example.ru:587?tls=required` or `smtp://127.0.0.1:2525`.
pub struct Smtp {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: lettre::message::Mailbox,
}

impl Smtp {
    pub fn new(url: &str, from: &str) -> Result<Self, String> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|e| format!("SMTP_URL: {e}"))?
            .timeout(Some(Duration::from_secs(20)))
            .build();
        let from = from.parse().map_err(|e| format!("MAIL_FROM: {e}"))?;
        Ok(Self { transport, from })
    }
}

#[async_trait::async_trait]
impl Transport for Smtp {
    async fn deliver(&self, message: &StoredMessage) -> Result<Delivery, DeliveryError> {
        let to = message
            .recipient
            .parse()
            .map_err(|e| DeliveryError::Permanent(format!("адрес получателя: {e}")))?;
        let email = lettre::Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(&message.subject)
            .header(ContentType::TEXT_PLAIN)
            .body(message.body.clone())
            .map_err(|e| DeliveryError::Permanent(e.to_string()))?;
        match self.transport.send(email).await {
            Ok(response) => Ok(Delivery::Sent(format!(
                "Принято SMTP-сервером: {}",
                response.code()
            ))),
            Err(e) if e.is_permanent() => Err(DeliveryError::Permanent(e.to_string())),
            Err(e) => Err(DeliveryError::Temporary(e.to_string())),
        }
    }
}

/// SMS through an HTTP gateway: `POST {url}` with JSON `{"to": "+7…", "text": "…"}` and a bearer
/// token. Most Russian SMS providers take this shape or one adapter away from it.
pub struct SmsGateway {
    client: reqwest::Client,
    url: String,
    token: Option<String>,
}

impl SmsGateway {
    pub fn new(url: &str, token: Option<String>) -> Result<Self, String> {
        let client = reqwest::Client::builder()
            .timeout(Duration::from_secs(10))
            .build()
            .map_err(|e| e.to_string())?;
        Ok(Self {
            client,
            url: url.to_owned(),
            token,
        })
    }
}

#[async_trait::async_trait]
impl Transport for SmsGateway {
    async fn deliver(&self, message: &StoredMessage) -> Result<Delivery, DeliveryError> {
        let mut request = self.client.post(&self.url).json(&serde_json::json!({
            "to": message.recipient,
            "text": message.body,
        }));
        if let Some(token) = &self.token {
            request = request.bearer_auth(token);
        }
        let response = request
            .send()
            .await
            .map_err(|e| DeliveryError::Temporary(format!("шлюз СМС недоступен: {e}")))?;
        let status = response.status();
        if status.is_success() {
            Ok(Delivery::Sent(format!("Принято шлюзом СМС: {status}")))
        } else if status.is_client_error() && status.as_u16() != 429 {
            Err(DeliveryError::Permanent(format!(
                "шлюз СМС отказал: {status}"
            )))
        } else {
            Err(DeliveryError::Temporary(format!(
                "шлюз СМС ответил: {status}"
            )))
        }
    }
}

/// In-app notifications are already where they are shown: delivery is marking them so.
pub struct InApp;

#[async_trait::async_trait]
impl Transport for InApp {
    async fn deliver(&self, _: &StoredMessage) -> Result<Delivery, DeliveryError> {
        Ok(Delivery::Delivered(
            "Показано в разделе «Уведомления»".to_owned(),
        ))
    }
}
