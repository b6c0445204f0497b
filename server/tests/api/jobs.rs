//! The durable job queue on SQLite and PostgreSQL: no job runs twice at once with two workers, a
//! job held by a dead worker runs again after its lease, failures retry with backoff and end in
//! the dead-letter state, from which an operator's retry brings them back.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use server::db::jobs;
use server::jobs::{JobError, JobHandler, Worker};
use time::Duration;

use crate::engine_tests;
use crate::helpers::TestApp;

/// Counts the runs of each payload; fails with `failure` while it is set.
#[derive(Default)]
struct Recorder {
    runs: Mutex<HashMap<String, u32>>,
    failure: Mutex<Option<JobError>>,
}

#[async_trait::async_trait]
impl JobHandler for Recorder {
    fn kind(&self) -> &'static str {
        "test.record"
    }

    async fn run(&self, payload: &str) -> Result<(), JobError> {
        *self
            .runs
            .lock()
            .unwrap()
            .entry(payload.to_owned())
            .or_default() += 1;
        // Give the other worker a chance to interleave.
        tokio::task::yield_now().await;
        match &*self.failure.lock().unwrap() {
            Some(JobError::Retry(e)) => Err(JobError::Retry(e.clone())),
            Some(JobError::Permanent(e)) => Err(JobError::Permanent(e.clone())),
            None => Ok(()),
        }
    }
}

fn worker(app: &TestApp, name: &str, recorder: &Arc<Recorder>) -> Worker {
    let mut worker = Worker::new(
        app.db.clone(),
        app.clock.clone(),
        name.to_owned(),
        vec![recorder.clone() as Arc<dyn JobHandler>],
    );
    worker.batch = 4;
    worker
}

async fn enqueue(app: &TestApp, count: usize) {
    let mut tx = app.db.begin().await.unwrap();
    for n in 0..count {
        server::jobs::enqueue(
            &mut tx,
            "test.record",
            &serde_json::json!({ "n": n }),
            app.clock_now(),
        )
        .await
        .unwrap();
    }
    tx.commit().await.unwrap();
}

/// The statuses of this test's jobs (the server books its own daily age sweep too).
async fn statuses(app: &TestApp) -> Vec<String> {
    jobs::list(&app.db, None, 1000)
        .await
        .unwrap()
        .into_iter()
        .filter(|j| j.kind == "test.record")
        .map(|j| j.status.as_str().to_owned())
        .collect()
}

async fn no_job_runs_twice_with_two_workers(app: &TestApp) {
    enqueue(app, 40).await;
    let recorder = Arc::new(Recorder::default());
    let (a, b) = (worker(app, "a", &recorder), worker(app, "b", &recorder));
    let drain = |w: Worker| async move {
        let mut done = 0;
        loop {
            let report = w.run_once().await.unwrap();
            if report.claimed == 0 {
                return done;
            }
            done += report.done;
        }
    };
    let (done_a, done_b) = tokio::join!(tokio::spawn(drain(a)), tokio::spawn(drain(b)));
    let (done_a, done_b) = (done_a.unwrap(), done_b.unwrap());
    assert_eq!(done_a + done_b, 40);
    let runs = recorder.runs.lock().unwrap().clone();
    assert_eq!(runs.len(), 40);
    assert!(runs.values().all(|n| *n == 1), "{runs:?}");
    assert!(statuses(app).await.iter().all(|s| s == "done"));
}

async fn a_job_held_by_a_dead_worker_runs_again_after_its_lease(app: &TestApp) {
    enqueue(app, 1).await;
    let recorder = Arc::new(Recorder::default());
    let (dying, other) = (
        worker(app, "dying", &recorder),
        worker(app, "other", &recorder),
    );
    // The first worker claims the job and dies before finishing it.
    let held = dying.claim().await.unwrap();
    assert_eq!(held.len(), 1);
    assert_eq!(
        other.run_once().await.unwrap().claimed,
        0,
        "the lease protects the job"
    );

    app.clock.advance(Duration::minutes(6));
    let report = other.run_once().await.unwrap();
    assert_eq!((report.claimed, report.done), (1, 1));
    // If the first worker was only slow, its late result is not recorded over the other's.
    let mut late = server::jobs::BatchReport::default();
    dying.run_job(&held[0], &mut late).await.unwrap();
    assert_eq!((late.done, late.lost), (0, 1));
    assert_eq!(statuses(app).await, ["done"]);
}

async fn failures_retry_with_backoff_then_wait_in_the_dead_letter_state(app: &TestApp) {
    enqueue(app, 1).await;
    let recorder = Arc::new(Recorder::default());
    *recorder.failure.lock().unwrap() = Some(JobError::Retry("ЗАГС не отвечает".into()));
    let w = worker(app, "w", &recorder);
    let mut retried = 0;
    for _ in 0..server::jobs::DEFAULT_MAX_ATTEMPTS {
        let report = w.run_once().await.unwrap();
        retried += report.retried;
        // Not due again until the backoff passes.
        assert_eq!(w.run_once().await.unwrap().claimed, 0);
        app.clock.advance(Duration::hours(2));
    }
    assert_eq!(retried as i32, server::jobs::DEFAULT_MAX_ATTEMPTS - 1);
    let dead = jobs::list(&app.db, Some(app::operations::JobStatus::Dead), 10)
        .await
        .unwrap();
    assert_eq!(dead.len(), 1);
    assert_eq!(dead[0].last_error.as_deref(), Some("ЗАГС не отвечает"));

    // The operator retries once the registry is back (`server admin jobs retry <id>`).
    *recorder.failure.lock().unwrap() = None;
    let retry = server::cli::AdminCommand::Jobs(server::cli::JobsCommand::Retry { id: dead[0].id });
    server::admin::run(&app.config, retry.clone())
        .await
        .expect("retried");
    assert!(
        server::admin::run(&app.config, retry).await.is_err(),
        "only dead jobs are retried"
    );
    assert_eq!(w.run_once().await.unwrap().done, 1);
    assert_eq!(statuses(app).await, ["done"]);

    // A permanent failure goes straight to the dead letters.
    enqueue(app, 1).await;
    *recorder.failure.lock().unwrap() = Some(JobError::Permanent("неверные данные".into()));
    assert_eq!(w.run_once().await.unwrap().dead, 1);
}

engine_tests!(
    no_job_runs_twice_with_two_workers,
    a_job_held_by_a_dead_worker_runs_again_after_its_lease,
    failures_retry_with_backoff_then_wait_in_the_dead_letter_state,
);
