use registry_sim::service::Behaviour;
use server::registries::in_process::InProcessRegistries;
use std::sync::{Arc, Mutex};

use reqwest::header::HeaderMap;
use server::cli::{Config, LogFormat, Mode};
use server::clock::Clock;
use server::db::Database;
use server::startup::Application;
use sqlx::Connection;
use time::macros::datetime;
use time::{Duration, OffsetDateTime};

#[derive(Debug, Clone, Copy)]
pub enum Engine {
    Sqlite,
    Postgres,
}

/// Tests start at a fixed moment, so receipts have predictable dates; tests of expiry move the
/// clock forward.
pub const NOW: OffsetDateTime = datetime!(2026-11-25 09:30 UTC);

/// A test key for sealing TOTP secrets (the base64 of 32 bytes of 0x42), as production
/// configures one; never used outside tests.
pub const TEST_TOTP_KEY: &str = "QkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkI=";

/// A test seed for signing receipts (the base64 of 32 bytes of 0x43); never used outside tests.
pub const TEST_RECEIPT_SIGNING_KEY: &str = "Q0NDQ0NDQ0NDQ0NDQ0NDQ0NDQ0NDQ0NDQ0NDQ0NDQ0M=";

pub struct TestClock(Mutex<OffsetDateTime>);

impl TestClock {
    pub fn advance(&self, by: Duration) {
        *self.0.lock().unwrap() += by;
    }
}

impl Clock for TestClock {
    fn now(&self) -> OffsetDateTime {
        *self.0.lock().unwrap()
    }
}

/// Warnings and errors the in-process servers logged, one line each (all tests of the binary
/// together: a test finds its own by an address it alone uses).
static WARNINGS: std::sync::OnceLock<Arc<Mutex<Vec<u8>>>> = std::sync::OnceLock::new();

#[derive(Clone)]
struct WarningWriter(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for WarningWriter {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn capture_warnings() {
    WARNINGS.get_or_init(|| {
        let buffer = Arc::new(Mutex::new(Vec::new()));
        let writer = WarningWriter(buffer.clone());
        let subscriber = tracing_subscriber::fmt()
            .with_max_level(tracing::Level::WARN)
            .with_ansi(false)
            .with_writer(move || writer.clone())
            .finish();
        let _ = tracing::subscriber::set_global_default(subscriber);
        buffer
    });
}

/// The logged warning lines that contain every one of `needles`.
pub fn warnings_with(needles: &[&str]) -> Vec<String> {
    let buffer = WARNINGS.get().expect("a test app was spawned");
    let text = String::from_utf8_lossy(&buffer.lock().unwrap()).into_owned();
    text.lines()
        .filter(|line| needles.iter().all(|n| line.contains(n)))
        .map(str::to_owned)
        .collect()
}

/// A running server with a database of its own, removed when the test ends (even on panic).
pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
    /// The server's own pools, for checking what was stored.
    pub db: Database,
    pub clock: Arc<TestClock>,
    /// The outbox dispatcher, to deliver due messages now rather than at its next poll.
    pub outbox: server::outbox::dispatcher::Dispatcher,
    /// The server's configuration, for running `server admin …` against the same database.
    pub config: Config,
    /// A job-queue worker of the server (the server runs none of its own in tests).
    pub worker: server::jobs::Worker,
    /// The server's password hasher, to count the argon2 work a request caused.
    pub hasher: server::passwords::PasswordHasher,
    /// The development mailbox's copies of delivered texts (the outbox keeps none).
    pub mailbox: server::outbox::mailbox::MailboxCopies,
    /// Where this server keeps uploaded documents (removed with the test).
    pub documents: tempfile::TempDir,
    _storage: Storage,
}

enum Storage {
    /// Kept so the directory lives as long as the test.
    Sqlite {
        _dir: tempfile::TempDir,
    },
    Postgres {
        admin_url: String,
        name: String,
    },
}

impl Drop for Storage {
    fn drop(&mut self) {
        if let Storage::Postgres { admin_url, name } = self {
            let (admin_url, name) = (admin_url.clone(), name.clone());
            // Drop runs inside the test's runtime; a thread with its own runtime may block.
            let _ = std::thread::spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .unwrap();
                rt.block_on(async {
                    if let Ok(mut admin) = sqlx::PgConnection::connect(&admin_url).await {
                        let _ = sqlx::query(sqlx::AssertSqlSafe(format!(
                            "DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"
                        )))
                        .execute(&mut admin)
                        .await;
                        let _ = admin.close().await;
                    }
                });
            })
            .join();
        }
    }
}

/// Says once per run, past libtest's output capture (which hides `eprintln!` of passing tests),
/// that the PostgreSQL tests did not really run.
fn report_postgres_skipped(url: &str, err: &sqlx::Error) {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        use std::io::Write;
        let _ = writeln!(
            std::io::stderr(),
            "\nSKIPPED (PostgreSQL): cannot connect to {url}: {err}.\n\
             The postgres::* tests pass without running. Start PostgreSQL or set TEST_POSTGRES_URL \
             (REQUIRE_POSTGRES=1 makes this a failure).\n"
        );
    });
}

fn postgres_admin_url() -> String {
    std::env::var("TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into())
}

fn with_database(url: &str, name: &str) -> String {
    match url.rsplit_once('/') {
        Some((base, _)) => format!("{base}/{name}"),
        None => format!("{url}/{name}"),
    }
}

impl TestApp {
    /// Starts the server on a fresh database. Returns `None` (and says why) when PostgreSQL is not
    /// reachable, unless `REQUIRE_POSTGRES=1`, as in CI, makes that a failure.
    pub async fn spawn(engine: Engine) -> Option<TestApp> {
        Self::spawn_with(engine, |_| {}).await
    }

    /// As [`TestApp::spawn`], with settings changed first (an SMTP server, an SMS gateway).
    pub async fn spawn_with(
        engine: Engine,
        configure: impl FnOnce(&mut Config),
    ) -> Option<TestApp> {
        capture_warnings();
        let documents = tempfile::tempdir().expect("documents dir");
        let (database_url, storage) = match engine {
            Engine::Sqlite => {
                let dir = tempfile::tempdir().expect("temp dir");
                let url = format!("sqlite://{}", dir.path().join("portal.db").display());
                (url, Storage::Sqlite { _dir: dir })
            }
            Engine::Postgres => {
                let admin_url = postgres_admin_url();
                // One plain connection fails at once when nothing listens, where a pool would
                // keep retrying until its acquire timeout.
                let mut admin = match sqlx::PgConnection::connect(&admin_url).await {
                    Ok(conn) => conn,
                    Err(err) => {
                        if std::env::var("REQUIRE_POSTGRES").is_ok_and(|v| v == "1") {
                            panic!(
                                "PostgreSQL is required (REQUIRE_POSTGRES=1) but {admin_url} is unreachable: {err}"
                            );
                        }
                        report_postgres_skipped(&admin_url, &err);
                        return None;
                    }
                };
                let name = format!("portal_test_{:016x}", rand::random::<u64>());
                sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE \"{name}\"")))
                    .execute(&mut admin)
                    .await
                    .expect("create test database");
                let _ = admin.close().await;
                (
                    with_database(&admin_url, &name),
                    Storage::Postgres { admin_url, name },
                )
            }
        };
        let mut config = Config {
            database_url,
            addr: "127.0.0.1:0".parse().unwrap(),
            site_root: "target/site".into(),
            site_pkg_dir: "pkg".into(),
            output_name: "portal".into(),
            hash_files: false,
            // Dev mode: the development mailbox (which remembers delivered texts the outbox no
            // longer stores) may not run in production mode with an https address.
            mode: Mode::Dev,
            reload_port: 3001,
            max_body_bytes: 64 * 1024,
            log_format: LogFormat::Text,
            public_url: Some("https://portal.test".into()),
            // Tests play several clients by sending X-Forwarded-For, as one proxy would.
            trusted_proxy_hops: 1,
            smtp_url: None,
            mail_from: "Госуслуги <noreply@portal.test>".into(),
            sms_gateway_url: None,
            sms_gateway_token: None,
            dev_mailbox: Some(true),
            mailbox_in_production_mode_for_tests: false,
            password_hash_permits: None,
            sensitive_posts_per_hour: 120,
            submissions_per_account_per_minute: 10,
            submissions_per_second: 1_000,
            submissions_in_flight: 256,
            documents_dir: documents.path().to_path_buf(),
            documents_s3_bucket: None,
            uploads_per_account_per_hour: 60,
            uploads_in_flight: 64,
            documents_per_account: 100,
            registry_url: simulator(Behaviour::default()).await,
            registry_timeout_ms: 2_000,
            // Tests run the queue themselves (`TestApp::worker`), step by step.
            job_workers: 0,
            totp_key: Some(TEST_TOTP_KEY.into()),
            receipt_signing_key: Some(TEST_RECEIPT_SIGNING_KEY.into()),
            vapid_private_key: None,
            push_contact: "mailto:support@portal.test".into(),
            push_services: server::outbox::push::KNOWN_PUSH_SERVICES.into(),
        };
        configure(&mut config);
        let clock = Arc::new(TestClock(Mutex::new(NOW)));
        let app = Application::build_with_clock(&config, clock.clone())
            .await
            .expect("server starts");
        let address = format!("http://127.0.0.1:{}", app.port());
        let db = app.database();
        let outbox = app.dispatcher();
        let worker = app.worker();
        let hasher = app.hasher();
        let mailbox = app.mailbox().unwrap_or_default();
        tokio::spawn(app.run_until(std::future::pending()));
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        Some(TestApp {
            address,
            client,
            db,
            clock,
            outbox,
            worker,
            hasher,
            mailbox,
            config,
            documents,
            _storage: storage,
        })
    }

    pub fn clock_now(&self) -> OffsetDateTime {
        self.clock.now()
    }

    /// The newest e-mails or SMS as the development mailbox shows them: delivered ones with the
    /// text the mailbox remembers (the stored text is removed on delivery).
    pub async fn messages(
        &self,
        channels: &[&str],
        limit: i64,
    ) -> Vec<server::db::outbox::StoredMessage> {
        let stored = server::db::outbox::newest(&self.db, channels, limit)
            .await
            .expect("read outbox");
        self.mailbox.restore(stored)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(format!("{}{path}", self.address))
            .send()
            .await
            .expect("GET")
    }

    /// What the browser sends when the user presses «Отправить».
    pub async fn submit_question(
        &self,
        snils: &str,
        email: &str,
        text: &str,
        headers: HeaderMap,
    ) -> reqwest::Response {
        self.client
            .post(format!("{}/api/support/question", self.address))
            .headers(headers)
            .form(&[("snils", snils), ("email", email), ("text", text)])
            .send()
            .await
            .expect("POST")
    }

    pub async fn stored_questions(&self) -> Vec<server::db::support_questions::StoredQuestion> {
        server::db::support_questions::newest(&self.db, 100)
            .await
            .expect("read questions")
    }
}

/// The registry simulator on the repository's data set, in this process on a free port; its URL.
pub async fn simulator(behaviour: Behaviour) -> String {
    let dataset = InProcessRegistries::from_repository_data()
        .expect("registry-sim/data/people.json loads")
        .dataset()
        .clone();
    let address = registry_sim::service::spawn(dataset, behaviour)
        .await
        .expect("simulator starts");
    format!("http://{address}")
}

/// Generates one `#[tokio::test]` per engine for each named `async fn(&TestApp)` in the module.
#[macro_export]
macro_rules! engine_tests {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test]
                async fn $name() {
                    let app = $crate::helpers::TestApp::spawn($crate::helpers::Engine::Sqlite)
                        .await
                        .expect("SQLite is always available");
                    super::$name(&app).await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test]
                async fn $name() {
                    if let Some(app) = $crate::helpers::TestApp::spawn($crate::helpers::Engine::Postgres).await {
                        super::$name(&app).await;
                    }
                }
            )*
        }
    };
}
