-- The durable job queue (issue 4): work that must happen after a change commits (registry checks,
-- notifications), written in the same transaction as the change that needs it.
CREATE TABLE jobs (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    kind          TEXT        NOT NULL,
    -- JSON input of the handler
    payload       TEXT        NOT NULL,
    -- queued | running | done | dead
    status        TEXT        NOT NULL
                  CHECK (status IN ('queued', 'running', 'done', 'dead')),
    attempts      INTEGER     NOT NULL DEFAULT 0,
    max_attempts  INTEGER     NOT NULL,
    run_at        TEXT        NOT NULL,
    -- the worker holding a running job, and until when; an expired lease is claimed again
    locked_by     TEXT,
    lease_until   TEXT,
    last_error    TEXT,
    created_at    TEXT        NOT NULL,
    finished_at   TEXT
);
CREATE INDEX jobs_due ON jobs (status, run_at);
