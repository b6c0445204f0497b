-- The officer's verdict on each document of an application (issue 14): «Одобрено», or rejected
-- with a reason; and the files a family uploads for its answer to a clarification or for an
-- appeal, until they are sent with it. The latest verdict per document is kept here; each one is
-- also a journal entry.
ALTER TABLE application_events DROP CONSTRAINT application_events_kind_check;
ALTER TABLE application_events ADD CONSTRAINT application_events_kind_check CHECK (kind IN (
    'submitted', 'viewed', 'claimed', 'released', 'overdue', 'request_clarification', 'approve',
    'reject', 'resend', 'appeal', 'uphold_appeal', 'dismiss_appeal', 'document_approved',
    'document_rejected'));

CREATE TABLE document_reviews (
    application_id      BIGINT  NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
    document_id         BIGINT  NOT NULL REFERENCES documents (id),
    verdict             TEXT    NOT NULL CHECK (verdict IN ('approved', 'rejected')),
    reason              TEXT    NOT NULL DEFAULT '',
    officer_id          BIGINT  NOT NULL REFERENCES accounts (id),
    officer_number      BIGINT  NOT NULL,
    at                  TIMESTAMPTZ NOT NULL,
    CHECK ((verdict = 'rejected') = (reason <> '')),
    PRIMARY KEY (application_id, document_id)
);
CREATE INDEX document_reviews_document ON document_reviews (document_id);

-- Uploaded for the application's next answer or appeal and not sent yet; sending moves them to
-- `application_attachments`. A file that is never sent goes with the retention of unused files.
CREATE TABLE application_uploads (
    application_id      BIGINT  NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
    document_id         BIGINT  NOT NULL UNIQUE REFERENCES documents (id) ON DELETE CASCADE,
    PRIMARY KEY (application_id, document_id)
);
