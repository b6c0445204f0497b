//! Job-queue benchmark (a program, not a test): `cargo bench -p server --bench job_queue`.
//!
//! Enqueues jobs with a no-op handler and drains them with two workers, on SQLite (a file in a
//! temporary directory) and on PostgreSQL (a fresh database, when `TEST_POSTGRES_URL` or the
//! default local server answers). Prints jobs claimed and completed per second, the ratio to the
//! targets (≥ 2,000 jobs/s on SQLite, ≥ 10,000 on PostgreSQL) and the enqueue-to-start latency of
//! single jobs while workers are idle-polling.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use server::clock::{Clock, SystemClock};
use server::db::Database;
use server::jobs::{JobError, JobHandler, Worker};
use sqlx::Connection;

const JOBS: usize = 20_000;

struct NoOp(AtomicUsize);

#[async_trait::async_trait]
impl JobHandler for NoOp {
    fn kind(&self) -> &'static str {
        "bench.noop"
    }
    async fn run(&self, _: &str) -> Result<(), JobError> {
        self.0.fetch_add(1, Ordering::Relaxed);
        Ok(())
    }
}

async fn enqueue(db: &Database, count: usize) {
    let now = SystemClock.now();
    let mut tx = db.begin().await.expect("begin");
    for n in 0..count {
        server::jobs::enqueue(&mut tx, "bench.noop", &n, now)
            .await
            .expect("enqueue");
    }
    tx.commit().await.expect("commit");
}

fn workers(db: &Database, handler: &Arc<NoOp>, poll: Duration) -> Vec<Worker> {
    (0..2)
        .map(|i| {
            let mut w = Worker::new(
                db.clone(),
                Arc::new(SystemClock),
                format!("bench-{i}"),
                vec![handler.clone() as Arc<dyn JobHandler>],
            );
            w.batch = 256;
            w.poll_every = poll;
            w
        })
        .collect()
}

async fn measure(engine: &str, db: Database, target: f64) {
    db.migrate().await.expect("migrate");
    let handler = Arc::new(NoOp(AtomicUsize::new(0)));
    enqueue(&db, JOBS).await;
    let started = Instant::now();
    let tasks: Vec<_> = workers(&db, &handler, Duration::from_millis(5))
        .into_iter()
        .map(|w| {
            tokio::spawn(async move { while w.run_once().await.expect("batch").claimed > 0 {} })
        })
        .collect();
    for t in tasks {
        t.await.expect("worker");
    }
    let elapsed = started.elapsed();
    let rate = handler.0.load(Ordering::Relaxed) as f64 / elapsed.as_secs_f64();
    println!(
        "{engine}: {JOBS} no-op jobs with 2 workers in {:.2} s = {rate:.0} jobs/s (ratio to target {target:.0}: {:.2})",
        elapsed.as_secs_f64(),
        rate / target
    );

    // Latency: one job at a time into idle workers polling every 5 ms.
    let idle: Vec<_> = workers(&db, &handler, Duration::from_millis(5))
        .into_iter()
        .map(|w| tokio::spawn(w.run()))
        .collect();
    let mut latencies = Vec::new();
    for _ in 0..50 {
        let before = handler.0.load(Ordering::Relaxed);
        let sent = Instant::now();
        enqueue(&db, 1).await;
        while handler.0.load(Ordering::Relaxed) == before {
            tokio::time::sleep(Duration::from_micros(200)).await;
        }
        latencies.push(sent.elapsed());
    }
    for t in idle {
        t.abort();
    }
    latencies.sort();
    println!(
        "{engine}: enqueue-to-start p50 {:.1} ms, p99 {:.1} ms (workers poll every 5 ms)",
        latencies[latencies.len() / 2].as_secs_f64() * 1e3,
        latencies[latencies.len() * 99 / 100].as_secs_f64() * 1e3
    );
    db.close().await;
}

#[tokio::main]
async fn main() {
    let dir = tempfile::tempdir().expect("temp dir");
    let sqlite = Database::connect(&format!(
        "sqlite://{}",
        dir.path().join("jobs.db").display()
    ))
    .await
    .expect("sqlite");
    measure("SQLite", sqlite, 2_000.0).await;

    let admin_url = std::env::var("TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into());
    let Ok(mut admin) = sqlx::PgConnection::connect(&admin_url).await else {
        println!("PostgreSQL: not reachable at {admin_url}; skipped");
        return;
    };
    let name = format!("portal_bench_{:08x}", rand::random::<u32>());
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE \"{name}\"")))
        .execute(&mut admin)
        .await
        .expect("create database");
    let url = match admin_url.rsplit_once('/') {
        Some((base, _)) => format!("{base}/{name}"),
        None => format!("{admin_url}/{name}"),
    };
    let pg = Database::connect(&url).await.expect("postgres");
    measure("PostgreSQL", pg, 10_000.0).await;
    let _ = sqlx::query(sqlx::AssertSqlSafe(format!(
        "DROP DATABASE \"{name}\" WITH (FORCE)"
    )))
    .execute(&mut admin)
    .await;
}
