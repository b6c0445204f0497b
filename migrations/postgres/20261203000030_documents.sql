-- A parent's uploaded files (issue 13, «Добавить документ»). The file itself is in the document
-- store (a local directory or S3-compatible storage) under `storage_key`, a name the server made;
-- the parent's own file name is kept only to show and to download under. `status` is the
-- scan check: «В обработке» (processing), «Одобрено» (approved), «Отклонено» (rejected, with the
-- reason's code and its figures). `removed_at`: deleted by the parent while a sent application
-- still needs the file; it is gone from the parent's lists and purged with the application.
CREATE TABLE documents (
    id                  BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    parent_account_id   BIGINT  NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    requirement         TEXT    NOT NULL,
    file_name           TEXT    NOT NULL,
    kind                TEXT    NOT NULL CHECK (kind IN ('pdf', 'jpeg', 'png')),
    size_bytes          BIGINT  NOT NULL CHECK (size_bytes > 0 AND size_bytes <= 5242880),
    sha256              TEXT    NOT NULL CHECK (length(sha256) = 64),
    storage_key         TEXT    NOT NULL UNIQUE,
    status              TEXT    NOT NULL CHECK (status IN ('processing', 'approved', 'rejected')),
    -- the rejection as JSON (its code and figures); set exactly when rejected
    rejection           TEXT,
    uploaded_at         TIMESTAMPTZ NOT NULL,
    checked_at          TIMESTAMPTZ,
    removed_at          TIMESTAMPTZ,
    CHECK ((status = 'rejected') = (rejection IS NOT NULL))
);
CREATE INDEX documents_parent ON documents (parent_account_id, uploaded_at);

-- The draft's document for each required document; replaced by a new upload or a reuse.
CREATE TABLE draft_documents (
    draft_id            BIGINT  NOT NULL REFERENCES application_drafts (id) ON DELETE CASCADE,
    requirement         TEXT    NOT NULL,
    document_id         BIGINT  NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    PRIMARY KEY (draft_id, requirement)
);
CREATE INDEX draft_documents_document ON draft_documents (document_id);

-- What a sent application was sent with: written in the intake transaction, never changed.
CREATE TABLE application_documents (
    application_id      BIGINT  NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
    requirement         TEXT    NOT NULL,
    document_id         BIGINT  NOT NULL REFERENCES documents (id),
    PRIMARY KEY (application_id, requirement)
);
CREATE INDEX application_documents_document ON application_documents (document_id);
