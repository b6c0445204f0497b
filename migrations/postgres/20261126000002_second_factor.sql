-- Second factor (authenticator app or SMS), backup codes, the pending step of a two-step
-- sign-in, and re-authentication for sensitive operations (issue 3).

-- none | totp | sms
ALTER TABLE accounts ADD COLUMN second_factor TEXT NOT NULL DEFAULT 'none'
    CHECK (second_factor IN ('none', 'totp', 'sms'));
-- Base32 TOTP secret once confirmed; the pending one while the user scans the QR code.
ALTER TABLE accounts ADD COLUMN totp_secret TEXT;
ALTER TABLE accounts ADD COLUMN totp_pending_secret TEXT;
-- The last 30-second step a TOTP code was accepted for: a code works once.
ALTER TABLE accounts ADD COLUMN totp_last_step BIGINT;

-- «Резервный ключ»: one-time codes for when the phone is lost; only hashes are kept.
CREATE TABLE backup_codes (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account_id  BIGINT      NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    code_hash   TEXT        NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL,
    used_at     TIMESTAMPTZ
);
CREATE INDEX backup_codes_account ON backup_codes (account_id);

-- The password was right; the second factor is awaited. The browser holds the token in an
-- HttpOnly cookie for a few minutes.
CREATE TABLE sign_in_challenges (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    token_hash   TEXT        NOT NULL UNIQUE,
    account_id   BIGINT      NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    user_agent   TEXT        NOT NULL,
    wrong_tries  INTEGER     NOT NULL DEFAULT 0,
    created_at   TIMESTAMPTZ NOT NULL,
    expires_at   TIMESTAMPTZ NOT NULL,
    used_at      TIMESTAMPTZ
);

-- When the session's user last proved again who they are (password and second factor), for
-- sensitive operations such as changing the e-mail or phone.
ALTER TABLE sessions ADD COLUMN reauthenticated_at TIMESTAMPTZ;
