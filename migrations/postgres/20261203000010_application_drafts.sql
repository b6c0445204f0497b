-- «Оформить новую льготу» (issue 13): the application's draft, saved after every page so it
-- resumes on another device. One per child and benefit. `answers` holds each page's answer as
-- JSON once it passed the page's rules; `version` is bumped by every save, so «Отправить» can
-- say which answers the parent checked. Untouched drafts are purged by the retention sweep.
CREATE TABLE application_drafts (
    id                  BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    parent_account_id   BIGINT  NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    child_id            BIGINT  NOT NULL REFERENCES children (id) ON DELETE CASCADE,
    benefit_code        TEXT    NOT NULL,
    answers             TEXT    NOT NULL,
    version             BIGINT  NOT NULL DEFAULT 1,
    created_at          TIMESTAMPTZ NOT NULL,
    updated_at          TIMESTAMPTZ NOT NULL,
    UNIQUE (child_id, benefit_code)
);
CREATE INDEX application_drafts_parent ON application_drafts (parent_account_id);
CREATE INDEX application_drafts_updated ON application_drafts (updated_at);
