//! What the benchmark programs share: a production-mode server configuration on a temporary
//! SQLite database, percentiles, bench accounts (their registrations, their families written
//! straight into the database, their sign-in over HTTP).

use std::time::Duration;

use app::account::{AccountLevel, Role};
use server::cli::{Config, LogFormat, Mode};
use server::db::Database;
use server::db::accounts::{self, NewAccount};
use server::passwords::PasswordHasher;
use time::OffsetDateTime;

/// Every bench account's password.
pub const PASSWORD: &str = "Kozlik-2026";

/// The real server's settings for a benchmark: production mode, no registries, no job workers.
pub fn config(dir: &std::path::Path) -> Config {
    Config {
        database_url: format!("sqlite://{}", dir.join("bench.db").display()),
        addr: "127.0.0.1:0".parse().unwrap(),
        site_root: "target/site".into(),
        site_pkg_dir: "pkg".into(),
        output_name: "portal".into(),
        hash_files: false,
        mode: Mode::Prod,
        reload_port: 3001,
        max_body_bytes: 64 * 1024,
        log_format: LogFormat::Text,
        public_url: None,
        trusted_proxy_hops: 1,
        smtp_url: None,
        mail_from: "noreply@bench.test".into(),
        sms_gateway_url: None,
        sms_gateway_token: None,
        dev_mailbox: Some(false),
        mailbox_in_production_mode_for_tests: false,
        password_hash_permits: None,
        sensitive_posts_per_hour: 120,
        submissions_per_account_per_minute: 10,
        submissions_per_second: 1_000,
        submissions_in_flight: 256,
        documents_dir: dir.join("documents"),
        documents_s3_bucket: None,
        uploads_per_account_per_hour: 60,
        uploads_in_flight: 64,
        documents_per_account: 100,
        registry_url: "http://127.0.0.1:9".into(),
        registry_timeout_ms: 1_000,
        job_workers: 0,
        // A bench key (production mode needs one): the base64 of 32 bytes of 0x42.
        totp_key: Some("QkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkI=".into()),
        receipt_signing_key: Some("Q0NDQ0NDQ0NDQ0NDQ0NDQ0NDQ0NDQ0NDQ0NDQ0NDQ0M=".into()),
        vapid_private_key: None,
        push_contact: "mailto:support@localhost".into(),
        push_services: server::outbox::push::KNOWN_PUSH_SERVICES.into(),
    }
}

/// The `p` quantile of sorted latencies.
pub fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index]
}

/// A valid СНИЛС for bench account `n`.
fn snils(n: usize) -> String {
    // Nine digits from the account number, then the checksum (ПФР rules).
    let digits: Vec<u32> = format!("{:09}", 100_000_000 + n * 7919)
        .bytes()
        .map(|b| u32::from(b - b'0'))
        .collect();
    let sum: u32 = digits
        .iter()
        .enumerate()
        .map(|(i, d)| d * (9 - i as u32))
        .sum();
    let check = match sum {
        s if s < 100 => s,
        100 | 101 => 0,
        s => (s % 101) % 100,
    };
    format!(
        "{}{:02}",
        digits.iter().map(|d| d.to_string()).collect::<String>(),
        check
    )
}

/// Bench account `n`'s registration: «Иванова Анна», its own СНИЛС, phone and
/// `user{n}@bench.test`.
pub fn registration(n: usize, password: &str) -> app::account::registration::Registration {
    use app::account::registration::{RegistrationForm, validate};
    let form = RegistrationForm {
        last_name: "Иванова".into(),
        first_name: "Анна".into(),
        birth_date: "05.03.1990".into(),
        snils: snils(n),
        phone: format!("+7 9{:09}", n),
        email: format!("user{n}@bench.test"),
        password: password.into(),
        password_repeat: password.into(),
        consent: true,
        ..RegistrationForm::default()
    };
    validate(&form, time::macros::date!(2026 - 11 - 25)).expect("valid account")
}

/// Runs one statement of bench set-up on either engine.
pub async fn execute(db: &Database, sql: String) {
    let sql = sqlx::AssertSqlSafe(sql);
    match db {
        Database::Sqlite { writer, .. } => {
            sqlx::query(sql).execute(writer).await.expect("sql");
        }
        Database::Postgres(pool) => {
            sqlx::query(sql).execute(pool).await.expect("sql");
        }
    }
}

/// One number from either engine.
pub async fn count(db: &Database, sql: &'static str) -> i64 {
    match db {
        Database::Sqlite { writer, .. } => sqlx::query_scalar(sql).fetch_one(writer).await,
        Database::Postgres(pool) => sqlx::query_scalar(sql).fetch_one(pool).await,
    }
    .expect("count")
}

/// `parents` confirmed accounts `user{n}@bench.test` with [`PASSWORD`], each with
/// `children_each` confirmed children and a draft of «maternity-capital» per child holding
/// `answers` (JSON), written straight into the database: making them is not what a bench
/// measures. Returns the account ids.
pub async fn families(
    db: &Database,
    parents: usize,
    children_each: usize,
    answers: &str,
) -> Vec<i64> {
    let hash = PasswordHasher::new(Some(1), Duration::from_secs(60))
        .hash(PASSWORD)
        .await
        .expect("hash");
    let now = OffsetDateTime::now_utc();
    let mut tx = db.begin().await.expect("begin");
    let mut ids = Vec::new();
    for n in 0..parents {
        let registration = registration(n, PASSWORD);
        let account = NewAccount {
            registration: &registration,
            password_hash: &hash,
            role: Role::Citizen,
            level: AccountLevel::Confirmed,
            contacts_confirmed_at: Some(now),
        };
        ids.push(
            accounts::insert(&mut tx, account, now)
                .await
                .expect("insert"),
        );
    }
    tx.commit().await.expect("commit");
    let stamp = now
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap();
    for chunk in ids.chunks(50) {
        let mut children = Vec::new();
        for id in chunk {
            for c in 0..children_each {
                children.push(format!(
                    "({id}, 'Иванов', 'Пётр', 'Андреевич', 'male', '2016-03-05', 'russia', \
                     'VI-МЮ {:06}', '2016-03-15', 'Отдел ЗАГС', 'confirmed', 'absent', '{stamp}', \
                     '{stamp}', '{stamp}')",
                    id * 100 + c as i64
                ));
            }
        }
        execute(
            db,
            format!(
                "INSERT INTO children (parent_account_id, last_name, first_name, middle_name, sex, \
                 birth_date, birth_country, certificate_number, certificate_date, \
                 certificate_issued_by, certificate_status, snils_status, parent_proven_at, \
                 created_at, updated_at) VALUES {}",
                children.join(", ")
            ),
        )
        .await;
    }
    let answers = answers.replace('\'', "''");
    execute(
        db,
        format!(
            "INSERT INTO application_drafts (parent_account_id, child_id, benefit_code, answers, \
             created_at, updated_at) SELECT parent_account_id, id, 'maternity-capital', \
             '{answers}', '{stamp}', '{stamp}' FROM children"
        ),
    )
    .await;
    ids
}

/// Signs bench account `n` in over HTTP from its own address; its session cookie.
pub async fn sign_in(client: &reqwest::Client, address: &str, n: usize) -> String {
    let response = client
        .post(format!("{address}/api/account/sign-in"))
        .header("x-forwarded-for", format!("10.1.{}.{}", n / 250, n % 250))
        .form(&[
            ("login", format!("user{n}@bench.test")),
            ("password", PASSWORD.into()),
        ])
        .send()
        .await
        .expect("sign-in");
    assert_eq!(response.status(), 200, "sign-in of user{n}");
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("portal_session="))
        .and_then(|v| v.split(';').next())
        .expect("a session cookie")
        .to_owned()
}
