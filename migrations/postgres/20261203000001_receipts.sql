-- Signed receipts (issue 13): what each receipt asserted and its Ed25519 signature, so
-- «Проверить квитанцию» can answer without personal data. Nothing personal is stored here: the
-- facts are non-personal by construction, the content is kept only as its SHA-256. One row per
-- subject and content: downloading the same receipt again gives the same number and file.
CREATE TABLE receipts (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind            TEXT    NOT NULL CHECK (kind IN ('consent', 'application')),
    -- the consent's or application's id; receipts outlive what they were about, so no FK
    subject_id      BIGINT  NOT NULL,
    issued_at       TIMESTAMPTZ NOT NULL,
    -- JSON array of [label, value] pairs
    facts           TEXT    NOT NULL,
    content_sha256  TEXT    NOT NULL CHECK (length(content_sha256) = 64),
    -- set in the transaction that inserts the row (it signs the number, made from the id)
    signature       TEXT    NOT NULL,
    -- the PDF's SHA-256, set once the file is drawn
    file_sha256     TEXT,
    UNIQUE (kind, subject_id, content_sha256)
);
