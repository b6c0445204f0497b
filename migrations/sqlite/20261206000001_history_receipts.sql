-- «История обращений» exports a signed PDF extract (issue 14): receipts get a third kind.
-- SQLite changes a CHECK only by rebuilding the table; nothing refers to receipts.
CREATE TABLE receipts_rebuilt (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    kind            TEXT    NOT NULL CHECK (kind IN ('consent', 'application', 'history')),
    -- the consent's, application's or (an extract) account's id; receipts outlive what they
    -- were about, so no FK
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
