-- Age transitions (issue 5): the scheduler's notices to a minor and their parents before and at
-- 14 and 18. One row per account and notice, so a notice is sent once even when the daily sweep
-- runs twice (a retry, an operator's retry, two workers).
CREATE TABLE age_notices (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account_id  BIGINT  NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    -- before_14 | turned_14 (child → teen) | before_18 | turned_18 (→ adult, parents' links end)
    kind        TEXT    NOT NULL
                CHECK (kind IN ('before_14', 'turned_14', 'before_18', 'turned_18')),
    sent_at     TIMESTAMPTZ NOT NULL,
    UNIQUE (account_id, kind)
);

-- The daily sweep reads only the minors' accounts.
CREATE INDEX accounts_minors ON accounts (id) WHERE age_group IN ('child', 'teen');
