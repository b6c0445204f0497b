-- Deciding applications (issue 14). The status machine's appeal states («Обжалование» and a
-- dismissed appeal), the officer's claim with its lease, who refused and when (what an appeal is
-- checked against), the status journal, and what a family sends with an answer or an appeal.
ALTER TABLE applications DROP CONSTRAINT applications_status_check;
ALTER TABLE applications ADD CONSTRAINT applications_status_check CHECK (status IN ('under_review',
    'clarification_needed', 'approved', 'rejected', 'appealed', 'appeal_dismissed'));
-- when it entered its present status: the 30-day rule counts from here
ALTER TABLE applications ADD COLUMN status_since TIMESTAMPTZ;
UPDATE applications SET status_since = submitted_at;
ALTER TABLE applications ALTER COLUMN status_since SET NOT NULL;
-- the officer working on it and until when (a lease; a claim left alone expires)
ALTER TABLE applications ADD COLUMN claimed_by BIGINT REFERENCES accounts (id);
ALTER TABLE applications ADD COLUMN claim_expires_at TIMESTAMPTZ;
-- set by a refusal: the appeal's 30 days and the officer who may not decide it
ALTER TABLE applications ADD COLUMN refused_by BIGINT REFERENCES accounts (id);
ALTER TABLE applications ADD COLUMN refused_at TIMESTAMPTZ;
-- the applicant was told it is past 30 days (once per stay «На рассмотрении»)
ALTER TABLE applications ADD COLUMN overdue_notified_at TIMESTAMPTZ;
ALTER TABLE applications ADD CHECK ((claimed_by IS NULL) = (claim_expires_at IS NULL));
ALTER TABLE applications ADD CHECK ((refused_by IS NULL) = (refused_at IS NULL));
-- the officers' queue: by status, the longest waiting first
CREATE INDEX applications_queue ON applications (status, status_since);

-- An officer's public number: how the family's journal names who decided, without private data.
ALTER TABLE accounts ADD COLUMN officer_number BIGINT;
CREATE UNIQUE INDEX accounts_officer_number ON accounts (officer_number)
    WHERE officer_number IS NOT NULL;
UPDATE accounts SET officer_number = 100 + id WHERE role IN ('officer', 'admin');

-- The status journal: every transition, claim, release and viewing, with its actor. An officer
-- appears by `officer_number` only (copied, so the family's journal never reads accounts).
CREATE TABLE application_events (
    id                  BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    application_id      BIGINT  NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
    at                  TIMESTAMPTZ NOT NULL,
    actor               TEXT    NOT NULL CHECK (actor IN ('applicant', 'officer', 'system')),
    officer_id          BIGINT  REFERENCES accounts (id),
    officer_number      BIGINT,
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
    event_id            BIGINT  NOT NULL REFERENCES application_events (id) ON DELETE CASCADE,
    application_id      BIGINT  NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
    document_id         BIGINT  NOT NULL REFERENCES documents (id),
    PRIMARY KEY (event_id, document_id)
);
CREATE INDEX application_attachments_application ON application_attachments (application_id);
CREATE INDEX application_attachments_document ON application_attachments (document_id);
