-- Accounts, their one-time confirmations, sessions, sign-in throttling and the outbox of
-- outgoing messages (issue 3). Timestamps are UTC.

CREATE TABLE accounts (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    -- citizen | officer | admin
    role                TEXT        NOT NULL DEFAULT 'citizen'
                        CHECK (role IN ('citizen', 'officer', 'admin')),
    -- simplified | standard | confirmed («упрощённая», «стандартная», «подтверждённая»)
    level               TEXT        NOT NULL DEFAULT 'simplified'
                        CHECK (level IN ('simplified', 'standard', 'confirmed')),
    last_name           TEXT        NOT NULL,
    first_name          TEXT        NOT NULL,
    middle_name         TEXT,
    birth_date          TEXT        NOT NULL,
    snils               TEXT        NOT NULL UNIQUE CHECK (length(snils) = 11),
    -- lower-cased; unique so one address never signs in to two accounts
    email               TEXT        NOT NULL UNIQUE,
    email_confirmed_at  TEXT,
    -- E.164, +7XXXXXXXXXX
    phone               TEXT        NOT NULL UNIQUE,
    phone_confirmed_at  TEXT,
    password_hash       TEXT        NOT NULL,
    consent_at          TEXT        NOT NULL,
    created_at          TEXT        NOT NULL
);

-- Single-use links sent by e-mail; only the SHA-256 of the token is kept.
CREATE TABLE email_links (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id  INTEGER     NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    -- confirm_email | recover_password
    purpose     TEXT        NOT NULL,
    email       TEXT        NOT NULL,
    token_hash  TEXT        NOT NULL UNIQUE,
    created_at  TEXT        NOT NULL,
    expires_at  TEXT        NOT NULL,
    used_at     TEXT
);
CREATE INDEX email_links_account ON email_links (account_id, purpose);

-- Six-digit codes sent by SMS. `resend_streak` counts resends in a row, for the cooldown.
CREATE TABLE phone_codes (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id    INTEGER     NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    -- confirm_phone | recover_password
    purpose       TEXT        NOT NULL,
    phone         TEXT        NOT NULL,
    code_hash     TEXT        NOT NULL,
    wrong_tries   INTEGER     NOT NULL DEFAULT 0,
    resend_streak INTEGER     NOT NULL DEFAULT 0,
    created_at    TEXT        NOT NULL,
    expires_at    TEXT        NOT NULL,
    used_at       TEXT
);
CREATE INDEX phone_codes_account ON phone_codes (account_id, purpose, id);

-- Server-side sessions; the cookie carries a random token, the table its SHA-256.
CREATE TABLE sessions (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    token_hash    TEXT        NOT NULL UNIQUE,
    account_id    INTEGER     NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    user_agent    TEXT        NOT NULL,
    created_at    TEXT        NOT NULL,
    last_seen_at  TEXT        NOT NULL,
    -- the absolute limit; the idle limit is last_seen_at + idle timeout
    expires_at    TEXT        NOT NULL,
    ended_at      TEXT
);
CREATE INDEX sessions_account ON sessions (account_id);

-- Failed sign-ins, kept for an hour of throttling. login_key is the normalised login typed (so
-- unknown logins are throttled like known ones); account_id is NULL when no account matched.
CREATE TABLE sign_in_failures (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id  INTEGER REFERENCES accounts (id) ON DELETE CASCADE,
    login_key   TEXT        NOT NULL,
    address     TEXT        NOT NULL,
    at          TEXT        NOT NULL
);
CREATE INDEX sign_in_failures_account ON sign_in_failures (account_id, at);
CREATE INDEX sign_in_failures_login ON sign_in_failures (login_key, at);
CREATE INDEX sign_in_failures_address ON sign_in_failures (address, at);

-- Outgoing messages, written in the same transaction as the change that causes them.
CREATE TABLE outbox_messages (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id       INTEGER REFERENCES accounts (id) ON DELETE SET NULL,
    -- email | sms | in_app
    channel          TEXT        NOT NULL CHECK (channel IN ('email', 'sms', 'in_app')),
    recipient        TEXT        NOT NULL,
    subject          TEXT        NOT NULL,
    body             TEXT        NOT NULL,
    -- queued | sending | sent | delivered | failed
    status           TEXT        NOT NULL
                     CHECK (status IN ('queued', 'sending', 'sent', 'delivered', 'failed')),
    attempts         INTEGER     NOT NULL DEFAULT 0,
    next_attempt_at  TEXT        NOT NULL,
    -- a dispatcher that claimed the message holds it until then
    lease_until      TEXT,
    created_at       TEXT        NOT NULL,
    read_at          TEXT
);
CREATE INDEX outbox_messages_due ON outbox_messages (status, next_attempt_at);
CREATE INDEX outbox_messages_account ON outbox_messages (account_id, channel, id);

-- Delivery status history of each message.
CREATE TABLE outbox_events (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    message_id  INTEGER     NOT NULL REFERENCES outbox_messages (id) ON DELETE CASCADE,
    status      TEXT        NOT NULL,
    detail      TEXT        NOT NULL,
    at          TEXT        NOT NULL
);
CREATE INDEX outbox_events_message ON outbox_events (message_id, id);
