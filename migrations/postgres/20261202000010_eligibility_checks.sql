-- «Проверка права на льготу» (issue 13): the latest check of one child for one benefit. Each
-- «Проверить право» starts a new round; the job carries its round, so an older job changes
-- nothing. The registries' answer is kept as typed facts; the rules are judged on them when read.
CREATE TABLE eligibility_checks (
    id                  BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    parent_account_id   BIGINT  NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    child_id            BIGINT  NOT NULL REFERENCES children (id) ON DELETE CASCADE,
    benefit_code        TEXT    NOT NULL,
    round               BIGINT  NOT NULL,
    state               TEXT    NOT NULL CHECK (state IN ('checking', 'done', 'unavailable')),
    -- set exactly when state = 'done'
    child_record        TEXT    CHECK (child_record IN ('found', 'not_found', 'mismatch')),
    -- comma-separated: last_name, first_name, middle_name, birth_date
    mismatch_fields     TEXT,
    large_family        BOOLEAN,
    low_income          BOOLEAN,
    child_disability    BOOLEAN,
    already_receiving   BOOLEAN,
    requested_at        TIMESTAMPTZ NOT NULL,
    checked_at          TIMESTAMPTZ,
    UNIQUE (child_id, benefit_code),
    CHECK ((state = 'done') = (child_record IS NOT NULL AND large_family IS NOT NULL
        AND low_income IS NOT NULL AND child_disability IS NOT NULL
        AND already_receiving IS NOT NULL AND checked_at IS NOT NULL))
);
CREATE INDEX eligibility_checks_parent ON eligibility_checks (parent_account_id, benefit_code);
