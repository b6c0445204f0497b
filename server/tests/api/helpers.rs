use std::sync::Arc;

use reqwest::header::HeaderMap;
use server::cli::{Config, LogFormat, Mode};
use server::clock::Clock;
use server::db::Database;
use server::startup::Application;
use time::OffsetDateTime;
use time::macros::datetime;

#[derive(Debug, Clone, Copy)]
pub enum Engine {
    Sqlite,
    Postgres,
}

/// Tests see a fixed moment, so receipts have predictable dates.
pub const NOW: OffsetDateTime = datetime!(2026-11-25 09:30 UTC);

struct FixedClock;
impl Clock for FixedClock {
    fn now(&self) -> OffsetDateTime {
        NOW
    }
}

/// A running server with a database of its own, removed when the test ends (even on panic).
pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
    /// The server's own pools, for checking what was stored.
    pub db: Database,
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
                    if let Ok(admin) = sqlx::PgPool::connect(&admin_url).await {
                        let _ = sqlx::query(sqlx::AssertSqlSafe(format!(
                            "DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"
                        )))
                        .execute(&admin)
                        .await;
                        admin.close().await;
                    }
                });
            })
            .join();
        }
    }
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
        let (database_url, storage) = match engine {
            Engine::Sqlite => {
                let dir = tempfile::tempdir().expect("temp dir");
                let url = format!("sqlite://{}", dir.path().join("portal.db").display());
                (url, Storage::Sqlite { _dir: dir })
            }
            Engine::Postgres => {
                let admin_url = postgres_admin_url();
                let admin = match sqlx::PgPool::connect(&admin_url).await {
                    Ok(pool) => pool,
                    Err(err) => {
                        if std::env::var("REQUIRE_POSTGRES").is_ok_and(|v| v == "1") {
                            panic!(
                                "PostgreSQL is required (REQUIRE_POSTGRES=1) but {admin_url} is unreachable: {err}"
                            );
                        }
                        eprintln!(
                            "SKIPPED (PostgreSQL): cannot connect to {admin_url}: {err}. \
                             Start PostgreSQL or set TEST_POSTGRES_URL to run the PostgreSQL half of this test."
                        );
                        return None;
                    }
                };
                let name = format!("portal_test_{:016x}", rand::random::<u64>());
                sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE \"{name}\"")))
                    .execute(&admin)
                    .await
                    .expect("create test database");
                admin.close().await;
                (
                    with_database(&admin_url, &name),
                    Storage::Postgres { admin_url, name },
                )
            }
        };
        let config = Config {
            database_url,
            addr: "127.0.0.1:0".parse().unwrap(),
            site_root: "target/site".into(),
            site_pkg_dir: "pkg".into(),
            output_name: "portal".into(),
            hash_files: false,
            mode: Mode::Prod,
            reload_port: 3001,
            max_body_bytes: 64 * 1024,
            log_format: LogFormat::Text,
        };
        let app = Application::build_with_clock(&config, Arc::new(FixedClock))
            .await
            .expect("server starts");
        let address = format!("http://127.0.0.1:{}", app.port());
        let db = app.database();
        tokio::spawn(app.run_until(std::future::pending()));
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        Some(TestApp {
            address,
            client,
            db,
            _storage: storage,
        })
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
