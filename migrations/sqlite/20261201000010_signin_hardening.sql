-- Devices that signed in to an account before (the portal_device cookie; only its SHA-256 is
-- kept). Failures from elsewhere do not hold such a device back.
CREATE TABLE known_devices (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id    INTEGER      NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    token_hash    TEXT        NOT NULL,
    created_at    TEXT NOT NULL,
    last_seen_at  TEXT NOT NULL,
    UNIQUE (account_id, token_hash)
);

-- The known device a failure came from, if any: a known device is limited by its own failures.
ALTER TABLE sign_in_failures ADD COLUMN device_hash TEXT;
CREATE INDEX sign_in_failures_device ON sign_in_failures (account_id, device_hash, at);
