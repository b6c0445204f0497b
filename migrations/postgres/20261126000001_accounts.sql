-- Accounts, their one-time confirmations, sessions, sign-in throttling and the outbox of
-- outgoing messages (issue 3). Timestamps are UTC.

CREATE TABLE accounts (
    id                  BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- citizen | officer | admin
    role                TEXT        NOT NULL DEFAULT 'citizen'
                        CHECK (role IN ('citizen', 'officer', 'admin')),
    -- simplified | standard | confirmed («упрощённая», «стандартная», «подтверждённая»)
    level               TEXT        NOT NULL DEFAULT 'simplified'
                        CHECK (level IN ('simplified', 'standard', 'confirmed')),
    last_name           TEXT        NOT NULL,
    first_name          TEXT        NOT NULL,
    middle_name         TEXT,
    birth_date          DATE        NOT NULL,
    snils               TEXT        NOT NULL UNIQUE CHECK (length(snils) = 11),
    -- lower-cased; unique so one address never signs in to two accounts
    email               TEXT        NOT NULL UNIQUE,
    email_confirmed_at  TIMESTAMPTZ,
    -- E.164, +7XXXXXXXXXX
    phone               TEXT        NOT NULL UNIQUE,
    phone_confirmed_at  TIMESTAMPTZ,
    password_hash       TEXT        NOT NULL,
    consent_at          TIMESTAMPTZ NOT NULL,
    created_at          TIMESTAMPTZ NOT NULL
);

-- Single-use links sent by e-mail; only the SHA-256 of the token is kept.
CREATE TABLE email_links (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account_id  BIGINT      NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    -- confirm_email | recover_password
    purpose     TEXT        NOT NULL,
    email       TEXT        NOT NULL,
    token_hash  TEXT        NOT NULL UNIQUE,
    created_at  TIMESTAMPTZ NOT NULL,
    expires_at  TIMESTAMPTZ NOT NULL,
    used_at     TIMESTAMPTZ
);
CREATE INDEX email_links_account ON email_links (account_id, purpose);

-- Six-digit codes sent by SMS. `resend_streak` counts resends in a row, for the cooldown.
CREATE TABLE phone_codes (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account_id    BIGINT      NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    -- confirm_phone | recover_password
    purpose       TEXT        NOT NULL,
    phone         TEXT        NOT NULL,
    code_hash     TEXT        NOT NULL,
    wrong_tries   INTEGER     NOT NULL DEFAULT 0,
    resend_streak INTEGER     NOT NULL DEFAULT 0,
    created_at    TIMESTAMPTZ NOT NULL,
    expires_at    TIMESTAMPTZ NOT NULL,
    used_at       TIMESTAMPTZ
);
CREATE INDEX phone_codes_account ON phone_codes (account_id, purpose, id);

-- Server-side sessions; the cookie carries a random token, the table its SHA-256.
CREATE TABLE sessions (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    token_hash    TEXT        NOT NULL UNIQUE,
    account_id    BIGINT      NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    user_agent    TEXT        NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL,
    last_seen_at  TIMESTAMPTZ NOT NULL,
    -- the absolute limit; the idle limit is last_seen_at + idle timeout
    expires_at    TIMESTAMPTZ NOT NULL,
    ended_at      TIMESTAMPTZ
);
CREATE INDEX sessions_account ON sessions (account_id);

-- Failed sign-ins, kept for an hour of throttling. login_key is the normalised login typed (so
-- unknown logins are throttled like known ones); account_id is NULL when no account matched.
CREATE TABLE sign_in_failures (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account_id  BIGINT REFERENCES accounts (id) ON DELETE CASCADE,
    login_key   TEXT        NOT NULL,
    address     TEXT        NOT NULL,
    at          TIMESTAMPTZ NOT NULL
);
CREATE INDEX sign_in_failures_account ON sign_in_failures (account_id, at);
CREATE INDEX sign_in_failures_login ON sign_in_failures (login_key, at);
CREATE INDEX sign_in_failures_address ON sign_in_failures (address, at);

-- Outgoing messages, written in the same transaction as the change that causes them.
CREATE TABLE outbox_messages (
    id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account_id       BIGINT REFERENCES accounts (id) ON DELETE SET NULL,
    -- email | sms | in_app
    channel          TEXT        NOT NULL CHECK (channel IN ('email', 'sms', 'in_app')),
    recipient        TEXT        NOT NULL,
    subject          TEXT        NOT NULL,
    body             TEXT        NOT NULL,
    -- queued | sending | sent | delivered | failed
    status           TEXT        NOT NULL
                     CHECK (status IN ('queued', 'sending', 'sent', 'delivered', 'failed')),
    attempts         INTEGER     NOT NULL DEFAULT 0,
    next_attempt_at  TIMESTAMPTZ NOT NULL,
    -- a dispatcher that claimed the message holds it until then
    lease_until      TIMESTAMPTZ,
    created_at       TIMESTAMPTZ NOT NULL,
    read_at          TIMESTAMPTZ
);
CREATE INDEX outbox_messages_due ON outbox_messages (status, next_attempt_at);
CREATE INDEX outbox_messages_account ON outbox_messages (account_id, channel, id);

-- Delivery status history of each message.
CREATE TABLE outbox_events (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    message_id  BIGINT      NOT NULL REFERENCES outbox_messages (id) ON DELETE CASCADE,
    status      TEXT        NOT NULL,
    detail      TEXT        NOT NULL,
    at          TIMESTAMPTZ NOT NULL
);
CREATE INDEX outbox_events_message ON outbox_events (message_id, id);
