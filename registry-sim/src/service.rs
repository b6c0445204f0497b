//! The simulator over HTTP: the routes of [`crate::protocol`] answered by [`crate::lookup`], with
//! the delays and failures of real registries as [`Behaviour`] knobs.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use rand::Rng;
use tokio::net::TcpListener;

use crate::benefits::{self, soap};
use crate::dataset::Dataset;
use crate::lookup;
use crate::protocol::{
    Answer, BIRTH_RECORDS_CHECK, BirthRecord, BirthRecordQuery, Confirmed, PASSPORT_CHECK,
    PassportCheck, SNILS_CHECK, SNILS_SEARCH, SnilsCheck, SnilsFound, SnilsSearch, Unavailable,
};

/// How the simulated registries misbehave. The default answers at once, always.
#[derive(Debug, Clone, PartialEq)]
pub struct Behaviour {
    /// Every answer waits this long…
    pub latency: Duration,
    /// …give or take up to this much.
    pub jitter: Duration,
    /// The share (0.0–1.0) of requests answered 503.
    pub error_rate: f64,
    /// The share (0.0–1.0) of requests that wait [`Behaviour::hang`] before answering, so that
    /// the client's timeout fires first.
    pub timeout_rate: f64,
    pub hang: Duration,
}

impl Default for Behaviour {
    fn default() -> Self {
        Self {
            latency: Duration::ZERO,
            jitter: Duration::ZERO,
            error_rate: 0.0,
            timeout_rate: 0.0,
            hang: Duration::from_secs(30),
        }
    }
}

/// What happens to one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fate {
    Answer { after: Duration },
    Unavailable { after: Duration },
    Hang { during: Duration },
}

impl Behaviour {
    pub fn draw(&self, rng: &mut impl Rng) -> Fate {
        if rng.random::<f64>() < self.timeout_rate {
            return Fate::Hang { during: self.hang };
        }
        let jitter = self.jitter.as_millis() as i64;
        let millis = self.latency.as_millis() as i64 + rng.random_range(-jitter..=jitter);
        let after = Duration::from_millis(millis.max(0) as u64);
        if rng.random::<f64>() < self.error_rate {
            Fate::Unavailable { after }
        } else {
            Fate::Answer { after }
        }
    }
}

/// The four registry routes and `GET /healthz`.
pub fn router(dataset: Arc<Dataset>, behaviour: Behaviour) -> Router {
    let registries = Router::new()
        .route(BIRTH_RECORDS_CHECK, post(check_birth_record))
        .route(SNILS_SEARCH, post(find_snils))
        .route(SNILS_CHECK, post(check_snils))
        .route(PASSPORT_CHECK, post(check_passport))
        .route(benefits::PATH, post(check_family))
        .route_layer(middleware::from_fn_with_state(
            Arc::new(behaviour),
            misbehave,
        ))
        .with_state(dataset);
    Router::new()
        .route("/healthz", get(|| async { "ok" }))
        .merge(registries)
}

/// Serves until the listener fails.
pub async fn serve(
    listener: TcpListener,
    dataset: Arc<Dataset>,
    behaviour: Behaviour,
) -> std::io::Result<()> {
    axum::serve(listener, router(dataset, behaviour)).await
}

/// Starts the simulator on a free port of 127.0.0.1 in the current runtime (for tests); it runs
/// until the runtime ends.
pub async fn spawn(dataset: Arc<Dataset>, behaviour: Behaviour) -> std::io::Result<SocketAddr> {
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let address = listener.local_addr()?;
    tokio::spawn(serve(listener, dataset, behaviour));
    Ok(address)
}

async fn misbehave(
    State(behaviour): State<Arc<Behaviour>>,
    request: Request,
    next: Next,
) -> Response {
    let fate = behaviour.draw(&mut rand::rng());
    match fate {
        Fate::Answer { after } => {
            tokio::time::sleep(after).await;
            next.run(request).await
        }
        Fate::Hang { during } => {
            tracing::info!(path = %request.uri().path(), "hanging for {during:?}");
            tokio::time::sleep(during).await;
            next.run(request).await
        }
        Fate::Unavailable { after } => {
            tokio::time::sleep(after).await;
            tracing::info!(path = %request.uri().path(), "answering 503");
            let body = Unavailable {
                error: "registry temporarily unavailable (simulated)".into(),
            };
            (StatusCode::SERVICE_UNAVAILABLE, Json(body)).into_response()
        }
    }
}

fn reply<T>(route: &str, answer: Answer<T>) -> Json<Answer<T>> {
    let result = match &answer {
        Answer::Found { .. } => "found".to_owned(),
        Answer::NotFound => "not found".to_owned(),
        Answer::Mismatch { fields } => format!("mismatch {fields:?}"),
    };
    tracing::info!(route, "{result}");
    Json(answer)
}

async fn check_birth_record(
    State(dataset): State<Arc<Dataset>>,
    Json(query): Json<BirthRecordQuery>,
) -> Json<Answer<BirthRecord>> {
    reply(
        BIRTH_RECORDS_CHECK,
        lookup::check_birth_record(&dataset, &query),
    )
}

async fn find_snils(
    State(dataset): State<Arc<Dataset>>,
    Json(query): Json<SnilsSearch>,
) -> Json<Answer<SnilsFound>> {
    reply(SNILS_SEARCH, lookup::find_snils(&dataset, &query))
}

async fn check_snils(
    State(dataset): State<Arc<Dataset>>,
    Json(query): Json<SnilsCheck>,
) -> Json<Answer<Confirmed>> {
    reply(SNILS_CHECK, lookup::check_snils(&dataset, &query))
}

async fn check_passport(
    State(dataset): State<Arc<Dataset>>,
    Json(query): Json<PassportCheck>,
) -> Json<Answer<Confirmed>> {
    reply(PASSPORT_CHECK, lookup::check_passport(&dataset, &query))
}

/// The benefits registry, SOAP 1.1: a request that is not a conforming envelope gets a
/// `soap:Client` fault with the reason, as HTTP 500 (SOAP 1.1 over HTTP sends faults so).
async fn check_family(
    State(dataset): State<Arc<Dataset>>,
    headers: axum::http::HeaderMap,
    body: String,
) -> Response {
    let xml = |status: StatusCode, text: String| {
        (status, [("content-type", soap::CONTENT_TYPE)], text).into_response()
    };
    let action = headers
        .get("soapaction")
        .and_then(|v| v.to_str().ok())
        .map(|v| v.trim_matches('"'));
    if action != Some(soap::ACTION) {
        tracing::info!(route = benefits::PATH, "fault: SOAPAction {action:?}");
        let text = format!("unknown SOAPAction; expected \"{}\"", soap::ACTION);
        return xml(
            StatusCode::INTERNAL_SERVER_ERROR,
            soap::fault(soap::FaultCode::Client, &text),
        );
    }
    match soap::read_request(&body) {
        Ok(query) => {
            let today = time::OffsetDateTime::now_utc().date();
            let answer = benefits::check_family(&dataset, &query, today);
            tracing::info!(route = benefits::PATH, "{:?}", answer.child_record);
            xml(StatusCode::OK, soap::answer(&answer))
        }
        Err(e) => {
            tracing::info!(route = benefits::PATH, "fault: {e}");
            xml(
                StatusCode::INTERNAL_SERVER_ERROR,
                soap::fault(soap::FaultCode::Client, &e.to_string()),
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generate::documented_people;
    use axum::body::Body;
    use tower::ServiceExt;

    fn app(behaviour: Behaviour) -> Router {
        router(
            Arc::new(Dataset::new(documented_people()).unwrap()),
            behaviour,
        )
    }

    async fn post_json(app: Router, path: &str, body: &str) -> (StatusCode, String) {
        let request = axum::http::Request::post(path)
            .header("content-type", "application/json")
            .body(Body::from(body.to_owned()))
            .unwrap();
        let response = app.oneshot(request).await.unwrap();
        let status = response.status();
        let bytes = axum::body::to_bytes(response.into_body(), 1 << 20)
            .await
            .unwrap();
        (status, String::from_utf8(bytes.to_vec()).unwrap())
    }

    const PASSPORT: &str = r#"{"passport":"4510123456","issue_date":"2015-05-20",
        "person":{"last_name":"Иванова","first_name":"Анна","middle_name":"Сергеевна",
        "birth_date":"1990-04-12"}}"#;

    #[tokio::test]
    async fn answers_each_route_in_the_wire_format() {
        let (status, body) = post_json(app(Behaviour::default()), PASSPORT_CHECK, PASSPORT).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(body, r#"{"result":"found","record":{}}"#);

        let search = r#"{"certificate":"II-МЮ 654321","person":{"last_name":"Иванова",
            "first_name":"Мария","middle_name":"Андреевна","birth_date":"2019-07-21"}}"#;
        let (_, body) = post_json(app(Behaviour::default()), SNILS_SEARCH, search).await;
        assert_eq!(body, r#"{"result":"not_found"}"#);

        let check = r#"{"snils":"12345678964","person":{"last_name":"Иванов",
            "first_name":"Пётр","birth_date":"2016-03-05"}}"#;
        let (_, body) = post_json(app(Behaviour::default()), SNILS_CHECK, check).await;
        assert_eq!(body, r#"{"result":"mismatch","fields":["middle_name"]}"#);

        let record = r#"{"certificate":"VI-МЮ 123456","issue_date":"2016-03-15",
            "act_record_number":"170016770001234","act_record_date":"2016-03-15",
            "child":{"last_name":"Иванов","first_name":"Петр","middle_name":"Андреевич",
            "birth_date":"2016-03-05"},
            "applicant":{"person":{"last_name":"Иванова","first_name":"Анна",
            "middle_name":"Сергеевна","birth_date":"1990-04-12"},"snils":"11223344595"}}"#;
        let (_, body) = post_json(app(Behaviour::default()), BIRTH_RECORDS_CHECK, record).await;
        assert_eq!(
            body,
            r#"{"result":"found","record":{"issued_by":"Отдел ЗАГС Москвы № 77","applicant":"parent"}}"#
        );
    }

    async fn post_soap(body: &str, action: &str) -> (StatusCode, String) {
        let request = axum::http::Request::post(benefits::PATH)
            .header("content-type", soap::CONTENT_TYPE)
            .header("soapaction", action)
            .body(Body::from(body.to_owned()))
            .unwrap();
        let response = app(Behaviour::default()).oneshot(request).await.unwrap();
        let status = response.status();
        let bytes = axum::body::to_bytes(response.into_body(), 1 << 20)
            .await
            .unwrap();
        (status, String::from_utf8(bytes.to_vec()).unwrap())
    }

    fn family_query(snils: &str) -> benefits::FamilyQuery {
        let mut query = benefits::example_query("600103");
        query.applicant_snils = snils.into();
        query
    }

    #[tokio::test]
    async fn the_benefits_registry_answers_soap_and_faults_what_breaks_the_schema() {
        let action = format!("\"{}\"", soap::ACTION);
        let (status, body) = post_soap(&soap::request(&family_query("11223344595")), &action).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let answer = soap::read_answer(&body).unwrap();
        assert_eq!(answer.child_record, benefits::ChildRecord::Found);
        assert!(answer.statuses.large_family);
        assert_eq!(answer.receiving, ["600103"]);

        // Written by hand, as a careless client would: a СНИЛС with its separators.
        let invalid =
            soap::request(&family_query("11223344595")).replace("11223344595", "112-233-445 95");
        let (status, body) = post_soap(&invalid, &action).await;
        assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
        let Err(soap::SoapError::Fault { code, text }) = soap::read_answer(&body) else {
            panic!("no fault: {body}");
        };
        assert_eq!(code, soap::FaultCode::Client);
        assert!(text.contains("Snils"), "{text}");

        let (status, body) = post_soap("<not-xml", &action).await;
        assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
        assert!(body.contains("soap:Client"), "{body}");

        let (status, body) =
            post_soap(&soap::request(&family_query("11223344595")), "\"other\"").await;
        assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
        assert!(body.contains("SOAPAction"), "{body}");
    }

    #[tokio::test]
    async fn error_rate_one_answers_503_to_every_request_but_health() {
        let failing = Behaviour {
            error_rate: 1.0,
            ..Behaviour::default()
        };
        let (status, body) = post_json(app(failing.clone()), PASSPORT_CHECK, PASSPORT).await;
        assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
        let body: Unavailable = serde_json::from_str(&body).unwrap();
        assert!(body.error.contains("unavailable"));

        let health = axum::http::Request::get("/healthz")
            .body(Body::empty())
            .unwrap();
        let response = app(failing).oneshot(health).await.unwrap();
        assert_eq!(response.status(), StatusCode::OK);
    }

    #[tokio::test]
    async fn malformed_requests_are_refused_as_client_errors() {
        let (status, _) = post_json(app(Behaviour::default()), PASSPORT_CHECK, "{}").await;
        assert!(status.is_client_error(), "{status}");
    }

    #[test]
    fn knobs_decide_each_fate() {
        let mut rng = rand::rng();
        let always = |b: &Behaviour, rng: &mut rand::rngs::ThreadRng| {
            (0..200).map(|_| b.draw(rng)).collect::<Vec<_>>()
        };
        let quiet = Behaviour::default();
        assert!(always(&quiet, &mut rng).iter().all(|f| *f
            == Fate::Answer {
                after: Duration::ZERO
            }));
        let failing = Behaviour {
            error_rate: 1.0,
            latency: Duration::from_millis(5),
            ..Behaviour::default()
        };
        assert!(always(&failing, &mut rng).iter().all(|f| *f
            == Fate::Unavailable {
                after: Duration::from_millis(5)
            }));
        let hanging = Behaviour {
            timeout_rate: 1.0,
            error_rate: 1.0,
            hang: Duration::from_millis(2000),
            ..Behaviour::default()
        };
        assert!(always(&hanging, &mut rng).iter().all(|f| *f
            == Fate::Hang {
                during: Duration::from_millis(2000)
            }));
        let jittery = Behaviour {
            latency: Duration::from_millis(100),
            jitter: Duration::from_millis(20),
            ..Behaviour::default()
        };
        let delays: Vec<_> = always(&jittery, &mut rng)
            .into_iter()
            .map(|f| match f {
                Fate::Answer { after } => after.as_millis(),
                other => panic!("{other:?}"),
            })
            .collect();
        assert!(delays.iter().all(|d| (80..=120).contains(d)));
        assert!(delays.iter().any(|d| *d != 100));
        let half = Behaviour {
            error_rate: 0.5,
            ..Behaviour::default()
        };
        let failures = always(&half, &mut rng)
            .iter()
            .filter(|f| matches!(f, Fate::Unavailable { .. }))
            .count();
        assert!((40..=160).contains(&failures), "{failures} of 200");
    }
}
