//! The registries over HTTP, in the wire format of [`registry_sim::protocol`]: one JSON `POST`
//! per check. The simulator serves it in development and tests; a gateway to the real
//! registries would speak it in production.

use std::time::Duration;

use registry_sim::protocol::{
    Answer, BIRTH_RECORDS_CHECK, BirthRecord, BirthRecordQuery, Confirmed, PASSPORT_CHECK,
    PassportCheck, SNILS_CHECK, SNILS_SEARCH, SnilsCheck, SnilsFound, SnilsSearch, Unavailable,
};
use reqwest::StatusCode;
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::{BirthRegistry, PassportRegistry, Registries, RegistryError, SnilsRegistry};

/// All three registries behind one base URL (`http://127.0.0.1:3100`).
#[derive(Clone)]
pub struct HttpRegistries {
    client: reqwest::Client,
    base_url: String,
}

impl HttpRegistries {
    /// `timeout` bounds each check from connecting to the last byte of the answer.
    pub fn new(base_url: &str, timeout: Duration) -> Result<Self, String> {
        let url =
            reqwest::Url::parse(base_url).map_err(|e| format!("registry URL {base_url:?}: {e}"))?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(format!(
                "registry URL {base_url:?}: expected http:// or https://"
            ));
        }
        let client = reqwest::Client::builder()
            .connect_timeout(timeout)
            .timeout(timeout)
            .build()
            .map_err(|e| e.to_string())?;
        Ok(Self {
            client,
            base_url: base_url.trim_end_matches('/').to_owned(),
        })
    }

    /// The same client as each of the three registries.
    pub fn into_registries(self) -> Registries {
        let shared = std::sync::Arc::new(self);
        Registries {
            births: shared.clone(),
            snils: shared.clone(),
            passports: shared.clone(),
            benefits: shared,
        }
    }

    async fn post<Q: Serialize + Sync, T: DeserializeOwned>(
        &self,
        route: &str,
        query: &Q,
    ) -> Result<Answer<T>, RegistryError> {
        let url = format!("{}{route}", self.base_url);
        let response = self
            .client
            .post(&url)
            .json(query)
            .send()
            .await
            .map_err(|e| transport_error(&url, e))?;
        let status = response.status();
        let body = response
            .bytes()
            .await
            .map_err(|e| transport_error(&url, e))?;
        let answer = read_answer(status, &body);
        if let Err(error) = &answer {
            tracing::warn!(%url, %status, "registry check failed: {error}");
        }
        answer
    }
}

impl HttpRegistries {
    /// One SOAP exchange: the status and the body as text.
    pub(super) async fn post_soap(
        &self,
        route: &str,
        action: &str,
        content_type: &str,
        body: String,
    ) -> Result<(StatusCode, String), RegistryError> {
        let url = format!("{}{route}", self.base_url);
        let response = self
            .client
            .post(&url)
            .header("content-type", content_type)
            .header("soapaction", format!("\"{action}\""))
            .body(body)
            .send()
            .await
            .map_err(|e| transport_error(&url, e))?;
        let status = response.status();
        let text = response
            .text()
            .await
            .map_err(|e| transport_error(&url, e))?;
        Ok((status, text))
    }
}

/// What a status and body mean: 200 is an answer; 5xx and 429 say «try later»; anything else is
/// a request or answer one side does not understand.
fn read_answer<T: DeserializeOwned>(
    status: StatusCode,
    body: &[u8],
) -> Result<Answer<T>, RegistryError> {
    if status == StatusCode::OK {
        return serde_json::from_slice(body)
            .map_err(|e| RegistryError::Protocol(format!("answer: {e}")));
    }
    if status.is_server_error() || status == StatusCode::TOO_MANY_REQUESTS {
        let reason = serde_json::from_slice::<Unavailable>(body)
            .map(|u| u.error)
            .unwrap_or_else(|_| status.to_string());
        return Err(RegistryError::Unavailable(reason));
    }
    let text = String::from_utf8_lossy(body);
    let excerpt: String = text.chars().take(200).collect();
    Err(RegistryError::Protocol(format!("{status}: {excerpt}")))
}

fn transport_error(url: &str, error: reqwest::Error) -> RegistryError {
    if error.is_timeout() {
        RegistryError::Timeout
    } else if error.is_decode() || error.is_builder() {
        RegistryError::Protocol(error.to_string())
    } else {
        // Refused or reset connections, DNS failures, a body cut short.
        RegistryError::Unavailable(format!("{url}: {error}"))
    }
}

#[async_trait::async_trait]
impl BirthRegistry for HttpRegistries {
    async fn check_birth_record(
        &self,
        query: &BirthRecordQuery,
    ) -> Result<Answer<BirthRecord>, RegistryError> {
        self.post(BIRTH_RECORDS_CHECK, query).await
    }
}

#[async_trait::async_trait]
impl SnilsRegistry for HttpRegistries {
    async fn find_snils(&self, query: &SnilsSearch) -> Result<Answer<SnilsFound>, RegistryError> {
        self.post(SNILS_SEARCH, query).await
    }

    async fn check_snils(&self, query: &SnilsCheck) -> Result<Answer<Confirmed>, RegistryError> {
        self.post(SNILS_CHECK, query).await
    }
}

#[async_trait::async_trait]
impl PassportRegistry for HttpRegistries {
    async fn check_passport(
        &self,
        query: &PassportCheck,
    ) -> Result<Answer<Confirmed>, RegistryError> {
        self.post(PASSPORT_CHECK, query).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(status: u16, body: &str) -> Result<Answer<Confirmed>, RegistryError> {
        read_answer(StatusCode::from_u16(status).unwrap(), body.as_bytes())
    }

    #[test]
    fn maps_each_status_to_an_answer_or_error() {
        assert_eq!(
            read(200, r#"{"result":"found","record":{}}"#),
            Ok(Answer::Found {
                record: Confirmed {}
            })
        );
        assert!(matches!(
            read(200, "<html>"),
            Err(RegistryError::Protocol(_))
        ));
        assert_eq!(
            read(503, r#"{"error":"maintenance"}"#),
            Err(RegistryError::Unavailable("maintenance".into()))
        );
        assert!(matches!(read(502, ""), Err(RegistryError::Unavailable(s)) if s.contains("502")));
        assert!(matches!(read(429, ""), Err(RegistryError::Unavailable(_))));
        assert!(matches!(read(422, "bad"), Err(RegistryError::Protocol(s)) if s.contains("bad")));
        assert!(matches!(read(404, ""), Err(RegistryError::Protocol(_))));
        assert!(matches!(read(204, ""), Err(RegistryError::Protocol(_))));
    }

    #[test]
    fn refuses_a_base_url_that_is_not_http() {
        let timeout = Duration::from_secs(1);
        assert!(HttpRegistries::new("127.0.0.1:3100", timeout).is_err());
        assert!(HttpRegistries::new("ftp://registry", timeout).is_err());
        let ok = HttpRegistries::new("http://127.0.0.1:3100/", timeout).unwrap();
        assert_eq!(ok.base_url, "http://127.0.0.1:3100");
    }
}
