-- no-transaction
-- Deciding applications (issue 14). The status machine's appeal states («Обжалование» and a
-- dismissed appeal), the officer's claim with its lease, who refused and when (what an appeal is
-- checked against), the status journal, and what a family sends with an answer or an appeal.
-- SQLite cannot change a CHECK in place: the table is rebuilt with foreign keys off (hence no
-- transaction around the file; the rebuild has its own).
PRAGMA foreign_keys = OFF;
BEGIN;

CREATE TABLE applications_rebuilt (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    parent_account_id   INTEGER  NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    child_id            INTEGER  REFERENCES children (id) ON DELETE SET NULL,
    benefit_code        TEXT    NOT NULL,
    status              TEXT    NOT NULL CHECK (status IN ('under_review', 'clarification_needed',
                            'approved', 'rejected', 'appealed', 'appeal_dismissed')),
    eligibility         TEXT    NOT NULL CHECK (eligibility IN ('passed', 'failed', 'unchecked')),
    content             TEXT    NOT NULL,
    idempotency_key     TEXT    NOT NULL,
    request_sha256      TEXT    NOT NULL CHECK (length(request_sha256) = 64),
    draft_id            INTEGER  NOT NULL UNIQUE,
    submitted_at        TEXT NOT NULL,
    version             INTEGER  NOT NULL DEFAULT 1,
    -- when it entered its present status: the 30-day rule counts from here
    status_since        TEXT NOT NULL,
    -- the officer working on it and until when (a lease; a claim left alone expires)
    claimed_by          INTEGER  REFERENCES accounts (id),
    claim_expires_at    TEXT,
    -- set by a refusal: the appeal's 30 days and the officer who may not decide it
    refused_by          INTEGER  REFERENCES accounts (id),
    refused_at          TEXT,
    -- the applicant was told it is past 30 days (once per stay «На рассмотрении»)
    overdue_notified_at TEXT,
    CHECK ((claimed_by IS NULL) = (claim_expires_at IS NULL)),
    CHECK ((refused_by IS NULL) = (refused_at IS NULL)),
    UNIQUE (parent_account_id, idempotency_key)
);
INSERT INTO applications_rebuilt (id, parent_account_id, child_id, benefit_code, status,
        eligibility, content, idempotency_key, request_sha256, draft_id, submitted_at, version,
        status_since)
    SELECT id, parent_account_id, child_id, benefit_code, status, eligibility, content,
        idempotency_key, request_sha256, draft_id, submitted_at, version, submitted_at
    FROM applications;
DROP TABLE applications;
ALTER TABLE applications_rebuilt RENAME TO applications;
CREATE INDEX applications_parent ON applications (parent_account_id, submitted_at);
-- the officers' queue: by status, the longest waiting first
CREATE INDEX applications_queue ON applications (status, status_since);

-- An officer's public number: how the family's journal names who decided, without private data.
ALTER TABLE accounts ADD COLUMN officer_number INTEGER;
CREATE UNIQUE INDEX accounts_officer_number ON accounts (officer_number)
    WHERE officer_number IS NOT NULL;
UPDATE accounts SET officer_number = 100 + id WHERE role IN ('officer', 'admin');

-- The status journal: every transition, claim, release and viewing, with its actor. An officer
-- appears by `officer_number` only (copied, so the family's journal never reads accounts).
CREATE TABLE application_events (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    application_id      INTEGER  NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
    at                  TEXT NOT NULL,
    actor               TEXT    NOT NULL CHECK (actor IN ('applicant', 'officer', 'system')),
    officer_id          INTEGER  REFERENCES accounts (id),
    officer_number      INTEGER,
    kind                TEXT    NOT NULL CHECK (kind IN ('submitted', 'viewed', 'claimed',
                            'released', 'overdue', 'request_clarification', 'approve', 'reject',
                            'resend', 'appeal', 'uphold_appeal', 'dismiss_appeal')),
    from_status         TEXT,
    to_status           TEXT,
    comment             TEXT    NOT NULL DEFAULT '',
    CHECK ((actor = 'officer') = (officer_id IS NOT NULL AND officer_number IS NOT NULL)),
    CHECK (from_status IS NULL OR to_status IS NOT NULL)
);
CREATE INDEX application_events_application ON application_events (application_id, id);
INSERT INTO application_events (application_id, at, actor, kind, to_status)
    SELECT id, submitted_at, 'applicant', 'submitted', 'under_review'
    FROM applications;

-- Files a family sent with an answer to a clarification or with an appeal, marked by the event
-- they came with (so the officer sees what is new).
CREATE TABLE application_attachments (
    event_id            INTEGER  NOT NULL REFERENCES application_events (id) ON DELETE CASCADE,
    application_id      INTEGER  NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
    document_id         INTEGER  NOT NULL REFERENCES documents (id),
    PRIMARY KEY (event_id, document_id)
);
CREATE INDEX application_attachments_application ON application_attachments (application_id);
CREATE INDEX application_attachments_document ON application_attachments (document_id);

PRAGMA foreign_key_check;
COMMIT;
PRAGMA foreign_keys = ON;
