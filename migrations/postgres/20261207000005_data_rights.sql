-- A child's data under 152-ФЗ (issue 15). Files about a child are sealed with a key of that
-- child's (`child_file_keys`, the key sealed by the server key); deleting the child's data
-- destroys the key, so copies of the files in the store's backups cannot be read.
CREATE TABLE child_file_keys (
    child_id    BIGINT  PRIMARY KEY REFERENCES children (id) ON DELETE CASCADE,
    sealed_key  TEXT    NOT NULL
);

-- Which child a stored file is about (the key it is sealed with); files kept before are backfilled
-- from the drafts and applications that use them.
ALTER TABLE documents ADD COLUMN child_id BIGINT REFERENCES children (id) ON DELETE SET NULL;
UPDATE documents SET child_id = (SELECT d.child_id FROM draft_documents x
    JOIN application_drafts d ON d.id = x.draft_id WHERE x.document_id = documents.id LIMIT 1);
UPDATE documents SET child_id = (SELECT a.child_id FROM application_documents x
    JOIN applications a ON a.id = x.application_id WHERE x.document_id = documents.id LIMIT 1)
    WHERE child_id IS NULL;

-- That a deletion happened, for the parent and its receipt: counts only, nothing about the child.
CREATE TABLE data_deletions (
    id                  BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    parent_account_id   BIGINT  NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    deleted_at          TIMESTAMPTZ NOT NULL,
    rows_deleted        BIGINT  NOT NULL,
    files_deleted       BIGINT  NOT NULL
);

ALTER TABLE receipts DROP CONSTRAINT receipts_kind_check;
ALTER TABLE receipts ADD CONSTRAINT receipts_kind_check
    CHECK (kind IN ('consent', 'application', 'history', 'access', 'data_export', 'deletion'));
