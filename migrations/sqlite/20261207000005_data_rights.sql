-- A child's data under 152-ФЗ (issue 15). Files about a child are sealed with a key of that
-- child's (`child_file_keys`, the key sealed by the server key); deleting the child's data
-- destroys the key, so copies of the files in the store's backups cannot be read.
CREATE TABLE child_file_keys (
    child_id    INTEGER PRIMARY KEY REFERENCES children (id) ON DELETE CASCADE,
    sealed_key  TEXT    NOT NULL
);

-- Which child a stored file is about (the key it is sealed with); files kept before are backfilled
-- from the drafts and applications that use them.
ALTER TABLE documents ADD COLUMN child_id INTEGER REFERENCES children (id) ON DELETE SET NULL;
UPDATE documents SET child_id = (SELECT d.child_id FROM draft_documents x
    JOIN application_drafts d ON d.id = x.draft_id WHERE x.document_id = documents.id LIMIT 1);
UPDATE documents SET child_id = (SELECT a.child_id FROM application_documents x
    JOIN applications a ON a.id = x.application_id WHERE x.document_id = documents.id LIMIT 1)
    WHERE child_id IS NULL;

-- That a deletion happened, for the parent and its receipt: counts only, nothing about the child.
CREATE TABLE data_deletions (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    parent_account_id   INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    deleted_at          TEXT    NOT NULL,
    rows_deleted        INTEGER NOT NULL,
    files_deleted       INTEGER NOT NULL
);

-- Receipts get two more kinds; SQLite changes a CHECK only by rebuilding the table.
CREATE TABLE receipts_rebuilt (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    kind            TEXT    NOT NULL CHECK (kind IN ('consent', 'application', 'history',
                        'access', 'data_export', 'deletion')),
    -- what the receipt is about (a consent's, application's, grant's, card's or deletion's id,
    -- or an account's for an extract); receipts outlive it, so no FK
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
