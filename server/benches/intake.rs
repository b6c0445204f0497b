//! Application intake under load (a program, not a test): `cargo bench -p server --bench intake`.
//!
//! Runs the real server (release build) on SQLite, then on PostgreSQL when it is reachable
//! (`BENCH_POSTGRES_URL`, default the local server; a database of its own, dropped after). Many
//! applicants sign in over HTTP; each has confirmed children with a filled-in draft, so the timed
//! part is «Отправить» alone, through the endpoint the browser uses, with the browser's
//! idempotency keys. Two paced phases: the seed's peak (10,000 a minute) and the target
//! (100,000 a minute). It prints accepted per minute, p50/p99, 429s and errors, the ratios to
//! both rates, and on SQLite the ratio to the raw rate of fsync'd commits on the same disk. At
//! the end every accepted application is counted in the database (none lost, none twice) and a
//! sample is sent again with its key (the same number back).

use std::sync::Arc;
use std::time::{Duration, Instant};

use app::benefits::answers::{
    AddressesAnswer, Answers, ChildAnswer, ContactsAnswer, PassportAnswer, SnilsAnswer,
};
use server::db::Database;
use server::startup::Application;
use time::OffsetDateTime;

#[allow(dead_code)] // each program uses its part of what they share
mod common;
use common::{count, execute, percentile};

const APPLICANTS: usize = 500;
const CHILDREN_EACH: usize = 20;
const SEED_PER_MINUTE: f64 = 10_000.0;
const TARGET_PER_MINUTE: f64 = 100_000.0;

fn answers() -> String {
    serde_json::to_string(&Answers {
        child: Some(ChildAnswer {
            birth_place: "г. Москва".into(),
        }),
        passport: Some(PassportAnswer {
            number: "4510 123456".into(),
            issued_on: "05.03.2015".into(),
            issued_by: "ОВД района Арбат".into(),
        }),
        snils: Some(SnilsAnswer {
            second_parent: String::new(),
            single_parent: true,
        }),
        addresses: Some(AddressesAnswer {
            registration: "119002, г. Москва, ул. Арбат, д. 1".into(),
            actual: String::new(),
            same_as_registration: true,
        }),
        contacts: Some(ContactsAnswer {
            phone: "+7 912 345-67-89".into(),
            email: "bench@bench.test".into(),
        }),
    })
    .expect("answers")
}

/// Applicants, their confirmed children and a draft per child, and each applicant's approved
/// files attached to every draft, written straight into the database. Returns the account ids.
async fn prepare(db: &Database) -> Vec<i64> {
    let ids = common::families(db, APPLICANTS, CHILDREN_EACH, &answers()).await;
    let stamp = OffsetDateTime::now_utc()
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap();
    // Each applicant's three approved files, attached to every draft (the benefit's documents).
    let sum = "0".repeat(64);
    for (n, requirement) in ["birth_certificate", "passport", "snils"]
        .into_iter()
        .enumerate()
    {
        execute(
            db,
            format!(
                "INSERT INTO documents (parent_account_id, requirement, file_name, kind, \
                 size_bytes, sha256, storage_key, status, uploaded_at) \
                 SELECT id, '{requirement}', 'scan.pdf', 'pdf', 1000, '{sum}', \
                 'documents/bench-' || id || '-{n}', 'approved', '{stamp}' FROM accounts"
            ),
        )
        .await;
        execute(
            db,
            format!(
                "INSERT INTO draft_documents (draft_id, requirement, document_id) \
                 SELECT r.id, '{requirement}', d.id FROM application_drafts r \
                 JOIN documents d ON d.parent_account_id = r.parent_account_id \
                 AND d.requirement = '{requirement}'"
            ),
        )
        .await;
    }
    ids
}

/// Signs every applicant in over HTTP; their session cookies.
async fn sign_in(address: &str, count: usize) -> Vec<String> {
    let client = reqwest::Client::new();
    let mut cookies = Vec::new();
    for n in 0..count {
        cookies.push(common::sign_in(&client, address, n).await);
    }
    cookies
}

/// One submission to make: whose, which draft, which key.
#[derive(Clone)]
struct Send {
    cookie: String,
    draft: i64,
    key: String,
}

#[derive(Default)]
struct Phase {
    accepted: usize,
    throttled: usize,
    errors: usize,
    latencies: Vec<Duration>,
    elapsed: Duration,
    numbers: Vec<(Send, String)>,
}

async fn submit(client: &reqwest::Client, address: &str, send: &Send) -> (u16, String) {
    let draft = send.draft.to_string();
    let response = client
        .post(format!("{address}/api/benefits/submit"))
        .header("cookie", &send.cookie)
        .form(&[
            ("submission[draft_id]", draft.as_str()),
            ("submission[version]", "1"),
            ("submission[key]", send.key.as_str()),
            ("submission[declaration]", "true"),
            ("submission[accept_warnings]", "true"),
        ])
        .send()
        .await;
    match response {
        Ok(r) => {
            let status = r.status().as_u16();
            (status, r.text().await.unwrap_or_default())
        }
        Err(_) => (0, String::new()),
    }
}

/// Sends `sends` at `per_minute`, each at its own moment (an open-loop load: a slow server does
/// not slow the arrivals down).
async fn paced(address: &str, sends: Vec<Send>, per_minute: f64) -> Phase {
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(512)
        .build()
        .expect("client");
    let gap = Duration::from_secs_f64(60.0 / per_minute);
    let started = Instant::now();
    let address: Arc<str> = address.into();
    let mut tasks = Vec::new();
    for (i, send) in sends.into_iter().enumerate() {
        let at = started + gap * i as u32;
        let client = client.clone();
        let address = address.clone();
        tasks.push(tokio::spawn(async move {
            tokio::time::sleep_until(at.into()).await;
            let sent = Instant::now();
            let (status, body) = submit(&client, &address, &send).await;
            (send, status, body, sent.elapsed())
        }));
    }
    let mut phase = Phase::default();
    for task in tasks {
        let (send, status, body, latency) = task.await.expect("client");
        match status {
            200 => {
                phase.accepted += 1;
                phase.latencies.push(latency);
                let number = serde_json::from_str::<serde_json::Value>(&body)
                    .ok()
                    .and_then(|v| v["number"].as_str().map(str::to_owned))
                    .unwrap_or_default();
                phase.numbers.push((send, number));
            }
            429 => phase.throttled += 1,
            _ => phase.errors += 1,
        }
    }
    phase.elapsed = started.elapsed();
    phase.latencies.sort();
    phase
}

/// Single-row transactions, each fsync'd, on a scratch SQLite file beside the server's: what the
/// disk allows one writer.
async fn raw_commit_rate(dir: &std::path::Path) -> f64 {
    use sqlx::sqlite::{
        SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous,
    };
    let options = SqliteConnectOptions::new()
        .filename(dir.join("raw.db"))
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Full);
    let pool = SqlitePoolOptions::new()
        .max_connections(1)
        .connect_with(options)
        .await
        .expect("raw sqlite");
    sqlx::query("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)")
        .execute(&pool)
        .await
        .expect("table");
    let started = Instant::now();
    let mut commits = 0u32;
    while started.elapsed() < Duration::from_secs(3) {
        let mut tx = pool.begin().await.expect("begin");
        sqlx::query("INSERT INTO t (v) VALUES ('x')")
            .execute(&mut *tx)
            .await
            .expect("insert");
        tx.commit().await.expect("commit");
        commits += 1;
    }
    f64::from(commits) / started.elapsed().as_secs_f64()
}

fn report(name: &str, phase: &Phase, raw: Option<f64>) {
    let per_minute = phase.accepted as f64 * 60.0 / phase.elapsed.as_secs_f64();
    println!(
        "  {name}: {} accepted in {:.1} s = {per_minute:.0}/min; 429: {}; errors: {}",
        phase.accepted,
        phase.elapsed.as_secs_f64(),
        phase.throttled,
        phase.errors
    );
    println!(
        "    latency p50 {:.1} ms, p99 {:.1} ms",
        percentile(&phase.latencies, 0.50).as_secs_f64() * 1e3,
        percentile(&phase.latencies, 0.99).as_secs_f64() * 1e3
    );
    println!(
        "    ratio: {:.2} of 10,000/min (seed), {:.2} of 100,000/min (target){}",
        per_minute / SEED_PER_MINUTE,
        per_minute / TARGET_PER_MINUTE,
        raw.map(|r| format!(
            ", {:.2} of the raw fsync'd commit rate",
            per_minute / 60.0 / r
        ))
        .unwrap_or_default()
    );
}

async fn run(engine: &str, config: server::cli::Config, raw: Option<f64>) {
    let app = Application::build(&config).await.expect("server starts");
    let address = format!("http://127.0.0.1:{}", app.port());
    let db = app.database();
    tokio::spawn(app.run_until(std::future::pending()));
    let ids = prepare(&db).await;
    let cookies = sign_in(&address, ids.len()).await;
    let drafts: Vec<(i64, i64)> = match &db {
        Database::Sqlite { writer, .. } => {
            sqlx::query_as("SELECT id, parent_account_id FROM application_drafts ORDER BY id")
                .fetch_all(writer)
                .await
        }
        Database::Postgres(pool) => {
            sqlx::query_as("SELECT id, parent_account_id FROM application_drafts ORDER BY id")
                .fetch_all(pool)
                .await
        }
    }
    .expect("drafts");
    let first = ids[0];
    // Interleaved so that consecutive sends come from different applicants.
    let mut sends: Vec<Send> = drafts
        .iter()
        .map(|(draft, account)| Send {
            cookie: cookies[(account - first) as usize].clone(),
            draft: *draft,
            key: format!("bench-key-{draft:08}-0000"),
        })
        .collect();
    sends.sort_by_key(|s| (s.draft % CHILDREN_EACH as i64, s.draft));
    let seed_count = (SEED_PER_MINUTE / 6.0) as usize; // ten seconds at the seed's peak
    let target: Vec<Send> = sends.split_off(seed_count);
    println!(
        "\n{engine}: {} applicants, {} drafts",
        ids.len(),
        drafts.len()
    );
    let seed = paced(&address, sends, SEED_PER_MINUTE).await;
    report("seed peak, 10,000/min offered", &seed, raw);
    let high = paced(&address, target, TARGET_PER_MINUTE).await;
    report("target, 100,000/min offered", &high, raw);

    let stored = count(&db, "SELECT COUNT(*) FROM applications").await;
    let accepted = (seed.accepted + high.accepted) as i64;
    println!(
        "  stored applications: {stored}, accepted answers: {accepted} — {}",
        if stored == accepted {
            "none lost, none twice"
        } else {
            "MISMATCH"
        }
    );
    let client = reqwest::Client::new();
    let sample: Vec<&(Send, String)> = seed
        .numbers
        .iter()
        .chain(&high.numbers)
        .step_by(97)
        .collect();
    let mut same = 0;
    for (send, number) in &sample {
        let (status, body) = submit(&client, &address, send).await;
        if status == 200 && body.contains(number.as_str()) {
            same += 1;
        }
    }
    println!(
        "  {same} of {} sent again with their key answered the same number",
        sample.len()
    );
}

#[tokio::main]
async fn main() {
    let dir = tempfile::tempdir().expect("temp dir");
    let raw = raw_commit_rate(dir.path()).await;
    println!(
        "raw fsync'd single-row commits on this disk (SQLite, WAL, synchronous=FULL): {raw:.0}/s"
    );
    let mut config = common::config(dir.path());
    // The ceiling per account is for people; here each applicant sends twenty at once.
    config.submissions_per_account_per_minute = CHILDREN_EACH as u32;
    run("SQLite", config.clone(), Some(raw)).await;

    let admin = std::env::var("BENCH_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into());
    let name = format!("bench_intake_{}", std::process::id());
    match sqlx::PgPool::connect(&admin).await {
        Ok(pool) => {
            sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE \"{name}\"")))
                .execute(&pool)
                .await
                .expect("create database");
            let base = admin.rsplit_once('/').map_or(admin.as_str(), |(b, _)| b);
            config.database_url = format!("{base}/{name}");
            run("PostgreSQL", config, None).await;
            sqlx::query(sqlx::AssertSqlSafe(format!(
                "DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"
            )))
            .execute(&pool)
            .await
            .expect("drop database");
        }
        Err(e) => println!("\nPostgreSQL: skipped ({e})"),
    }
}
