-- no-transaction
-- The officer's verdict on each document of an application (issue 14): «Одобрено», or rejected
-- with a reason; and the files a family uploads for its answer to a clarification or for an
-- appeal, until they are sent with it. The latest verdict per document is kept here; each one is
-- also a journal entry,
-- so the journal's kinds grow by two (SQLite changes a CHECK only by rebuilding the table).
PRAGMA foreign_keys = OFF;
BEGIN;

CREATE TABLE application_events_rebuilt (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    application_id      INTEGER  NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
    at                  TEXT NOT NULL,
    actor               TEXT    NOT NULL CHECK (actor IN ('applicant', 'officer', 'system')),
    officer_id          INTEGER  REFERENCES accounts (id),
    officer_number      INTEGER,
    kind                TEXT    NOT NULL CHECK (kind IN ('submitted', 'viewed', 'claimed',
                            'released', 'overdue', 'request_clarification', 'approve', 'reject',
                            'resend', 'appeal', 'uphold_appeal', 'dismiss_appeal',
                            'document_approved', 'document_rejected')),
    from_status         TEXT,
    to_status           TEXT,
    comment             TEXT    NOT NULL DEFAULT '',
    CHECK ((actor = 'officer') = (officer_id IS NOT NULL AND officer_number IS NOT NULL)),
    CHECK (from_status IS NULL OR to_status IS NOT NULL)
);
INSERT INTO application_events_rebuilt (id, application_id, at, actor, officer_id,
        officer_number, kind, from_status, to_status, comment)
    SELECT id, application_id, at, actor, officer_id, officer_number, kind, from_status,
        to_status, comment
    FROM application_events;
DROP TABLE application_events;
ALTER TABLE application_events_rebuilt RENAME TO application_events;
CREATE INDEX application_events_application ON application_events (application_id, id);

CREATE TABLE document_reviews (
    application_id      INTEGER  NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
    document_id         INTEGER  NOT NULL REFERENCES documents (id),
    verdict             TEXT    NOT NULL CHECK (verdict IN ('approved', 'rejected')),
    reason              TEXT    NOT NULL DEFAULT '',
    officer_id          INTEGER  NOT NULL REFERENCES accounts (id),
    officer_number      INTEGER  NOT NULL,
    at                  TEXT NOT NULL,
    CHECK ((verdict = 'rejected') = (reason <> '')),
    PRIMARY KEY (application_id, document_id)
);
CREATE INDEX document_reviews_document ON document_reviews (document_id);

-- Uploaded for the application's next answer or appeal and not sent yet; sending moves them to
-- `application_attachments`. A file that is never sent goes with the retention of unused files.
CREATE TABLE application_uploads (
    application_id      INTEGER  NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
    document_id         INTEGER  NOT NULL UNIQUE REFERENCES documents (id) ON DELETE CASCADE,
    PRIMARY KEY (application_id, document_id)
);

PRAGMA foreign_key_check;
COMMIT;
PRAGMA foreign_keys = ON;
