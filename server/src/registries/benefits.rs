//! The benefits registry (Минтруд) over SOAP 1.1. Each request is checked against the XSD in the
//! repository before it leaves: a request the registry would refuse is a bug here, reported as
//! [`RegistryError::Protocol`] (never retried), and the registry is not bothered with it.

use registry_sim::benefits::soap::{self, FaultCode, SoapError};
use registry_sim::benefits::{FamilyAnswer, FamilyQuery, PATH, check_family};

use super::http::HttpRegistries;
use super::in_process::InProcessRegistries;
use super::{BenefitsRegistry, RegistryError};

/// The request as it will be sent, once the schema has passed it.
fn checked_request(query: &FamilyQuery) -> Result<String, RegistryError> {
    let xml = soap::request(query);
    soap::read_request(&xml)
        .map_err(|e| RegistryError::Protocol(format!("request not sent: {e}")))?;
    Ok(xml)
}

/// A fault the registry blames on itself is worth retrying; any other unreadable answer is not.
fn answer_error(error: SoapError) -> RegistryError {
    match error {
        SoapError::Fault {
            code: FaultCode::Server,
            text,
        } => RegistryError::Unavailable(text),
        other => RegistryError::Protocol(format!("answer: {other}")),
    }
}

#[async_trait::async_trait]
impl BenefitsRegistry for HttpRegistries {
    async fn check_family(&self, query: &FamilyQuery) -> Result<FamilyAnswer, RegistryError> {
        let body = checked_request(query)?;
        let (status, text) = self
            .post_soap(PATH, soap::ACTION, soap::CONTENT_TYPE, body)
            .await?;
        // SOAP 1.1 sends faults with 500; other 5xx and 429 are a registry that is down.
        if status.is_success() || status == reqwest::StatusCode::INTERNAL_SERVER_ERROR {
            let answer = soap::read_answer(&text).map_err(answer_error);
            if let Err(error) = &answer {
                tracing::warn!(path = PATH, %status, "benefits registry: {error}");
            }
            answer
        } else if status.is_server_error() || status == reqwest::StatusCode::TOO_MANY_REQUESTS {
            Err(RegistryError::Unavailable(status.to_string()))
        } else {
            Err(RegistryError::Protocol(status.to_string()))
        }
    }
}

/// In process, through the same envelopes and schema checks as over HTTP.
#[async_trait::async_trait]
impl BenefitsRegistry for InProcessRegistries {
    async fn check_family(&self, query: &FamilyQuery) -> Result<FamilyAnswer, RegistryError> {
        let body = checked_request(query)?;
        let received = soap::read_request(&body)
            .map_err(|e| RegistryError::Protocol(format!("registry refused: {e}")))?;
        let today = time::OffsetDateTime::now_utc().date();
        let reply = soap::answer(&check_family(self.dataset(), &received, today));
        soap::read_answer(&reply).map_err(answer_error)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn query(snils: &str) -> FamilyQuery {
        let mut query = registry_sim::benefits::example_query("600101");
        query.applicant_snils = snils.into();
        query
    }

    #[test]
    fn a_request_that_breaks_the_schema_is_never_sent() {
        assert!(checked_request(&query("11223344595")).is_ok());
        let Err(RegistryError::Protocol(reason)) = checked_request(&query("1122334459")) else {
            panic!("a ten-digit СНИЛС passed");
        };
        assert!(reason.contains("Snils"), "{reason}");
    }

    #[test]
    fn only_a_server_fault_is_retried() {
        let server = SoapError::Fault {
            code: FaultCode::Server,
            text: "down".into(),
        };
        assert_eq!(
            answer_error(server),
            RegistryError::Unavailable("down".into())
        );
        let client = SoapError::Fault {
            code: FaultCode::Client,
            text: "bad".into(),
        };
        assert!(matches!(answer_error(client), RegistryError::Protocol(_)));
        assert!(matches!(
            answer_error(SoapError::Malformed),
            RegistryError::Protocol(_)
        ));
    }
}
