-- «Полный» access to a category of a minor's services (issue 15) is a parent's consent: asked for
-- by the minor with a code sent to the parents (the code's hash only; five wrong tries), or given
-- by a parent in «Настройки доступа». It expires, can be revoked, and has a signed receipt.
CREATE TABLE access_grants (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    minor_account_id    INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    category            TEXT    NOT NULL CHECK (category IN ('education', 'medical', 'social',
                            'civil')),
    status              TEXT    NOT NULL CHECK (status IN ('requested', 'granted', 'declined',
                            'revoked', 'expired')),
    code_hash           TEXT,
    wrong_tries         INTEGER NOT NULL DEFAULT 0 CHECK (wrong_tries >= 0),
    code_expires_at     TEXT,
    requested_at        TEXT    NOT NULL,
    -- the parent who granted or declined (none when the minor entered the parent's code)
    decided_by          INTEGER,
    decided_by_label    TEXT,
    decided_at          TEXT,
    -- how: 'code' (the minor entered the code) | 'parent' (pressed in the parent's cabinet)
    decided_how         TEXT    CHECK (decided_how IN ('code', 'parent')),
    expires_at          TEXT,
    revoked_at          TEXT
);
CREATE INDEX access_grants_minor ON access_grants (minor_account_id, category, status);
CREATE UNIQUE INDEX access_grants_one_request ON access_grants (minor_account_id, category)
    WHERE status = 'requested';
CREATE UNIQUE INDEX access_grants_one_granted ON access_grants (minor_account_id, category)
    WHERE status = 'granted';

-- Receipts get a fourth kind; SQLite changes a CHECK only by rebuilding the table.
CREATE TABLE receipts_rebuilt (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    kind            TEXT    NOT NULL CHECK (kind IN ('consent', 'application', 'history',
                        'access')),
    -- the consent's, application's, grant's or (an extract) account's id; receipts outlive what
    -- they were about, so no FK
    subject_id      INTEGER NOT NULL,
    issued_at       TEXT    NOT NULL,
    facts           TEXT    NOT NULL,
    content_sha256  TEXT    NOT NULL CHECK (length(content_sha256) = 64),
    signature       TEXT    NOT NULL,
    file_sha256     TEXT,
    UNIQUE (kind, subject_id, content_sha256)
);
INSERT INTO receipts_rebuilt (id, kind, subject_id, issued_at, facts, content_sha256, signature,
        file_sha256)
    SELECT id, kind, subject_id, issued_at, facts, content_sha256, signature, file_sha256
    FROM receipts;
DROP TABLE receipts;
ALTER TABLE receipts_rebuilt RENAME TO receipts;
