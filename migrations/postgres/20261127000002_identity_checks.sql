-- Standard account («стандартная»): the parent's passport checked in МВД and СНИЛС in СФР,
-- through the job queue. One row per request; the newest is what the profile shows.
CREATE TABLE identity_checks (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account_id  BIGINT  NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    -- series and number, ten digits
    passport    TEXT    NOT NULL CHECK (length(passport) = 10),
    passport_date DATE  NOT NULL,
    status      TEXT    NOT NULL CHECK (status IN ('checking', 'confirmed', 'failed',
                    'registry_unavailable')),
    -- the registry's answer code: passport_not_found, passport_mismatch:…, snils_not_found, …
    problem     TEXT,
    created_at  TIMESTAMPTZ NOT NULL,
    finished_at TIMESTAMPTZ
);
CREATE INDEX identity_checks_account ON identity_checks (account_id);
-- At most one running check per account, even when two requests race.
CREATE UNIQUE INDEX identity_checks_running ON identity_checks (account_id)
    WHERE status = 'checking';
