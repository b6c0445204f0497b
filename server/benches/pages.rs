//! Page benchmark (a program, not a test): `cargo bench -p server --bench pages`.
//!
//! Runs the real server (release build, SQLite in a temporary directory) and fetches, from 32
//! kept-alive connections, the anonymous home page `/`, `/sign-in` and a signed-in parent's
//! `/documents/family`, each against `/healthz` of the same process: the price of rendering a
//! page over the cheapest answer the server has. Target: an anonymous page at 25 % or more of
//! `/healthz`'s rate, with p50 under 5 ms.

use std::time::{Duration, Instant};

use app::account::registration::{RegistrationForm, validate};
use app::account::{AccountLevel, Role};
use server::db::accounts::{self, NewAccount};
use server::passwords::PasswordHasher;
use server::startup::Application;
use time::OffsetDateTime;
use time::macros::date;

#[allow(dead_code)] // each program uses its part of what they share
mod common;
use common::percentile;

const PASSWORD: &str = "Kozlik-2026";
const CLIENTS: usize = 32;
const RUN_FOR: Duration = Duration::from_secs(5);

struct Run {
    pages: usize,
    failed: usize,
    latencies: Vec<Duration>,
    elapsed: Duration,
}

async fn run(client: &reqwest::Client, url: &str, cookie: Option<&str>) -> Run {
    let started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..CLIENTS {
        let (client, url) = (client.clone(), url.to_owned());
        let cookie = cookie.map(str::to_owned);
        tasks.push(tokio::spawn(async move {
            let mut results = Vec::new();
            while started.elapsed() < RUN_FOR {
                let sent = Instant::now();
                let mut request = client.get(&url);
                if let Some(cookie) = &cookie {
                    request = request.header("cookie", cookie);
                }
                // The whole body: a streamed page counts when its last byte arrives.
                let ok = match request.send().await {
                    Ok(r) if r.status().is_success() => r.bytes().await.is_ok(),
                    _ => false,
                };
                results.push((ok, sent.elapsed()));
            }
            results
        }));
    }
    let mut run = Run {
        pages: 0,
        failed: 0,
        latencies: Vec::new(),
        elapsed: Duration::ZERO,
    };
    for task in tasks {
        for (ok, latency) in task.await.expect("client") {
            if ok {
                run.pages += 1;
                run.latencies.push(latency);
            } else {
                run.failed += 1;
            }
        }
    }
    run.elapsed = started.elapsed();
    run.latencies.sort();
    run
}

#[tokio::main]
async fn main() {
    let dir = tempfile::tempdir().expect("temp dir");
    let app = Application::build(&common::config(dir.path()))
        .await
        .expect("server starts");
    let address = format!("http://127.0.0.1:{}", app.port());
    let db = app.database();
    tokio::spawn(app.run_until(std::future::pending()));

    // A confirmed parent, signed in once over HTTP for the session cookie.
    let hasher = PasswordHasher::new(Some(1), Duration::from_secs(60));
    let hash = hasher.hash(PASSWORD).await.expect("hash");
    let form = RegistrationForm {
        last_name: "Иванова".into(),
        first_name: "Анна".into(),
        birth_date: "12.04.1990".into(),
        snils: "11223344595".into(),
        phone: "+7 912 345-67-89".into(),
        email: "anna@bench.test".into(),
        password: PASSWORD.into(),
        password_repeat: PASSWORD.into(),
        consent: true,
        ..RegistrationForm::default()
    };
    let registration = validate(&form, date!(2026 - 11 - 25)).expect("valid account");
    let now = OffsetDateTime::now_utc();
    let mut tx = db.begin().await.expect("begin");
    let account = NewAccount {
        registration: &registration,
        password_hash: &hash,
        role: Role::Citizen,
        level: AccountLevel::Confirmed,
        contacts_confirmed_at: Some(now),
    };
    accounts::insert(&mut tx, account, now)
        .await
        .expect("insert");
    tx.commit().await.expect("commit");
    let client = reqwest::Client::new();
    let signed_in = client
        .post(format!("{address}/api/account/sign-in"))
        .form(&[("login", "anna@bench.test"), ("password", PASSWORD)])
        .send()
        .await
        .expect("sign-in");
    assert!(
        signed_in.status().is_success(),
        "sign-in: {}",
        signed_in.status()
    );
    let cookie = signed_in
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("portal_session="))
        .and_then(|c| c.split(';').next())
        .expect("session cookie")
        .to_owned();

    // Warm-up: connections, SQLite pages, the allocator.
    let _ = run(&client, &format!("{address}/"), None).await;
    let health = run(&client, &format!("{address}/healthz"), None).await;
    let health_rate = health.pages as f64 / health.elapsed.as_secs_f64();
    println!(
        "{CLIENTS} kept-alive connections, {} s per address:",
        RUN_FOR.as_secs()
    );
    for (path, cookie) in [
        ("/healthz", None),
        ("/", None),
        ("/sign-in", None),
        ("/documents/family", Some(cookie.as_str())),
    ] {
        let r = run(&client, &format!("{address}{path}"), cookie).await;
        let rate = r.pages as f64 / r.elapsed.as_secs_f64();
        let p50 = percentile(&r.latencies, 0.50);
        println!();
        println!(
            "{path}{}: {rate:.0} pages/s, p50 {:.2} ms, p99 {:.2} ms, failed {}",
            if cookie.is_some() { " (signed in)" } else { "" },
            p50.as_secs_f64() * 1e3,
            percentile(&r.latencies, 0.99).as_secs_f64() * 1e3,
            r.failed
        );
        println!(
            "  ratio to target: {:.2} of /healthz's {health_rate:.0}/s (target ≥ 0.25), p50 {:.2} of 5 ms (target ≤ 1.00)",
            rate / health_rate,
            p50.as_secs_f64() * 1e3 / 5.0
        );
    }
}
