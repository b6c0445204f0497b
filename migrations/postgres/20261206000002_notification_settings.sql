-- «Настройки уведомлений» (issue 14): which events of a person's applications reach them, by
-- which channel. Once the person saves, one row per account, event and channel; an account with
-- no rows has the defaults (e-mail and the personal account, no SMS).
CREATE TABLE notification_settings (
    account_id  BIGINT  NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    event       TEXT    NOT NULL CHECK (event IN ('submitted', 'status_changed',
                    'documents_requested', 'final_decision')),
    channel     TEXT    NOT NULL CHECK (channel IN ('email', 'sms', 'in_app')),
    enabled     BOOLEAN NOT NULL,
    saved_at    TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (account_id, event, channel)
);
