-- Applications for benefits (issue 13). An application stands on its own: `content` is the JSON
-- of what was sent (the child as the card held them, the applicant, every answer), so editing or
-- removing the card later changes nothing in it. «Отправить» carries an idempotency key the
-- browser made for the draft: the same key with the same request (`request_sha256`: the draft
-- and the version checked) answers the same application; one draft gives one application.
CREATE TABLE applications (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    parent_account_id   INTEGER  NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    child_id            INTEGER  REFERENCES children (id) ON DELETE SET NULL,
    benefit_code        TEXT    NOT NULL,
    status              TEXT    NOT NULL CHECK (status IN ('under_review', 'clarification_needed',
                            'approved', 'rejected')),
    -- what the eligibility check said at sending; the officer sees it
    eligibility         TEXT    NOT NULL CHECK (eligibility IN ('passed', 'failed', 'unchecked')),
    content             TEXT    NOT NULL,
    idempotency_key     TEXT    NOT NULL,
    request_sha256      TEXT    NOT NULL CHECK (length(request_sha256) = 64),
    draft_id            INTEGER  NOT NULL UNIQUE,
    submitted_at        TEXT NOT NULL,
    -- bumped by every change: the application's page asks with the version it shows
    version             INTEGER  NOT NULL DEFAULT 1,
    UNIQUE (parent_account_id, idempotency_key)
);
CREATE INDEX applications_parent ON applications (parent_account_id, submitted_at);
