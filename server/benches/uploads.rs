//! The server's memory under uploads (a program, not a test): `cargo bench -p server --bench uploads`.
//!
//! Starts the real server binary as its own process (so the client's bytes are not counted), on a
//! fresh SQLite database and documents directory, signs in one parent with a draft over HTTP, and
//! sends 100 uploads of a 5 MB PDF at once through the route the browser uses. It prints how many
//! were accepted, the time, and the server's peak resident memory (`VmHWM` of /proc) before and
//! after, against the 256 MB target.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use server::db::Database;

#[allow(dead_code)] // each program uses its part of what they share
mod common;

const UPLOADS: usize = 100;
const FILE_BYTES: usize = 5 * 1024 * 1024 - 4096;
const TARGET_PEAK_MB: f64 = 256.0;
const BOUNDARY: &str = "----bench-boundary";

/// A parent (confirmed), a confirmed child and a draft, straight into the database.
async fn prepare(url: &str) -> i64 {
    let db = Database::connect(url).await.expect("database");
    db.migrate().await.expect("migrate");
    common::families(&db, 1, 1, "{}").await;
    let draft = common::count(&db, "SELECT MAX(id) FROM application_drafts").await;
    db.close().await;
    draft
}

/// A PDF of one text page and an incompressible stream: just under 5 MB, valid throughout.
fn five_megabyte_pdf() -> Vec<u8> {
    let out = server::benefits::documents::samples::text_pdf(FILE_BYTES - 2048);
    assert!(out.len() <= 5 * 1024 * 1024, "{} bytes", out.len());
    out
}

fn body(draft: i64, file: &[u8]) -> Vec<u8> {
    let mut body = format!(
        "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"draft\"\r\n\r\n{draft}\r\n\
         --{BOUNDARY}\r\nContent-Disposition: form-data; name=\"requirement\"\r\n\r\npassport\r\n\
         --{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"scan.pdf\"\r\n\
         Content-Type: application/pdf\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(file);
    body.extend(format!("\r\n--{BOUNDARY}--\r\n").bytes());
    body
}

/// `VmHWM` (peak resident set) and `VmRSS` of the process, in MB.
fn memory_mb(pid: u32) -> (f64, f64) {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|kb| kb.parse::<f64>().ok())
            .map_or(0.0, |kb| kb / 1024.0)
    };
    (field("VmHWM:"), field("VmRSS:"))
}

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[tokio::main]
async fn main() {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite://{}", dir.path().join("bench.db").display());
    let draft = prepare(&url).await;
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let config = common::config(dir.path());
    let server = Server(
        Command::new(env!("CARGO_BIN_EXE_server"))
            .env("DATABASE_URL", &url)
            .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
            .env("DOCUMENTS_DIR", dir.path().join("documents"))
            .env("UPLOADS_PER_ACCOUNT_PER_HOUR", "1000")
            .env("UPLOADS_IN_FLIGHT", "128")
            .env("DOCUMENTS_PER_ACCOUNT", "1000")
            .env("JOB_WORKERS", "1")
            .env("DEV_MAILBOX", "false")
            .env("REGISTRY_URL", "http://127.0.0.1:9")
            .env("TOTP_KEY", config.totp_key.clone().unwrap())
            .env(
                "RECEIPT_SIGNING_KEY",
                config.receipt_signing_key.clone().unwrap(),
            )
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .spawn()
            .expect("server binary"),
    );
    let pid = server.0.id();
    let address = format!("http://127.0.0.1:{port}");
    let client = reqwest::Client::new();
    for _ in 0..100 {
        if client
            .get(format!("{address}/healthz"))
            .send()
            .await
            .is_ok()
        {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let cookie = common::sign_in(&client, &address, 0).await;
    let payload = bytes::Bytes::from(body(draft, &five_megabyte_pdf()));
    let (before, _) = memory_mb(pid);
    println!(
        "uploads: {UPLOADS} × {:.2} MB PDF at once; server peak RSS before: {before:.1} MB",
        payload.len() as f64 / 1048576.0
    );
    let started = Instant::now();
    let tasks: Vec<_> = (0..UPLOADS)
        .map(|_| {
            let (client, address, cookie, payload) = (
                client.clone(),
                address.clone(),
                cookie.clone(),
                payload.clone(),
            );
            tokio::spawn(async move {
                let sent = Instant::now();
                let status = client
                    .post(format!("{address}/documents/uploads"))
                    .header("cookie", cookie)
                    .header(
                        "content-type",
                        format!("multipart/form-data; boundary={BOUNDARY}"),
                    )
                    .body(payload)
                    .send()
                    .await
                    .map(|r| r.status().as_u16())
                    .unwrap_or(0);
                (status, sent.elapsed())
            })
        })
        .collect();
    let mut latencies = Vec::new();
    let (mut accepted, mut throttled, mut failed) = (0, 0, 0);
    for task in tasks {
        let (status, took) = task.await.expect("task");
        latencies.push(took);
        match status {
            201 => accepted += 1,
            429 => throttled += 1,
            _ => failed += 1,
        }
    }
    let elapsed = started.elapsed();
    latencies.sort();
    let (peak, now) = memory_mb(pid);
    println!(
        "  accepted {accepted}, 429: {throttled}, other: {failed}, in {:.1} s; latency p50 {:.0} ms, p99 {:.0} ms",
        elapsed.as_secs_f64(),
        common::percentile(&latencies, 0.5).as_secs_f64() * 1e3,
        common::percentile(&latencies, 0.99).as_secs_f64() * 1e3,
    );
    println!(
        "  server peak RSS {peak:.1} MB (now {now:.1} MB): {:.2} of the {TARGET_PEAK_MB:.0} MB target",
        peak / TARGET_PEAK_MB
    );
    drop(server);
}
