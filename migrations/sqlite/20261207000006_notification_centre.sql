-- no-transaction
-- The notification centre (issue 15): push as a channel, the new events of «Настройки
-- уведомлений», browsers subscribed to push, which messages may be sent again, and the reminders
-- already sent. SQLite changes a CHECK only by rebuilding the table, with foreign keys off (hence
-- no transaction around the file; the rebuild has its own).
PRAGMA foreign_keys = OFF;
BEGIN;

CREATE TABLE notification_settings_rebuilt (
    account_id  INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    event       TEXT    NOT NULL CHECK (event IN ('submitted', 'new_document', 'status_changed',
                    'documents_requested', 'final_decision', 'deadline_reminder',
                    'child_activity', 'journal_summary')),
    channel     TEXT    NOT NULL CHECK (channel IN ('email', 'sms', 'push', 'in_app')),
    enabled     INTEGER NOT NULL CHECK (enabled IN (0, 1)),
    saved_at    TEXT    NOT NULL,
    PRIMARY KEY (account_id, event, channel)
);
INSERT INTO notification_settings_rebuilt SELECT account_id, event, channel, enabled, saved_at
    FROM notification_settings;
DROP TABLE notification_settings;
ALTER TABLE notification_settings_rebuilt RENAME TO notification_settings;

CREATE TABLE outbox_messages_rebuilt (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id       INTEGER REFERENCES accounts (id) ON DELETE SET NULL,
    -- email | sms | push | in_app; a push message's recipient is a push_subscriptions id
    channel          TEXT        NOT NULL CHECK (channel IN ('email', 'sms', 'push', 'in_app')),
    recipient        TEXT        NOT NULL,
    subject          TEXT        NOT NULL,
    body             TEXT        NOT NULL,
    status           TEXT        NOT NULL
                     CHECK (status IN ('queued', 'sending', 'sent', 'delivered', 'failed')),
    attempts         INTEGER     NOT NULL DEFAULT 0,
    next_attempt_at  TEXT        NOT NULL,
    lease_until      TEXT,
    created_at       TEXT        NOT NULL,
    read_at          TEXT,
    -- 1 for codes and links (the text goes once nothing will send it again; never sent again),
    -- 0 for notices, whose text stays for «История уведомлений» and «Отправить повторно»
    holds_secret     INTEGER     NOT NULL DEFAULT 1 CHECK (holds_secret IN (0, 1)),
    -- when «Отправить повторно» made a new message of this failed one (at most once)
    resent_at        TEXT
);
INSERT INTO outbox_messages_rebuilt (id, account_id, channel, recipient, subject, body, status,
        attempts, next_attempt_at, lease_until, created_at, read_at)
    SELECT id, account_id, channel, recipient, subject, body, status, attempts, next_attempt_at,
        lease_until, created_at, read_at FROM outbox_messages;
DROP TABLE outbox_messages;
ALTER TABLE outbox_messages_rebuilt RENAME TO outbox_messages;
CREATE INDEX outbox_messages_due ON outbox_messages (status, next_attempt_at);
CREATE INDEX outbox_messages_account ON outbox_messages (account_id, channel, id);

-- A browser that asked for push notifications: the subscription (endpoint and keys) sealed with
-- the server key, its endpoint's hash to find it again, and what to call it on the page.
CREATE TABLE push_subscriptions (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id       INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    endpoint_sha256  TEXT    NOT NULL UNIQUE CHECK (length(endpoint_sha256) = 64),
    sealed           TEXT    NOT NULL,
    device           TEXT    NOT NULL,
    created_at       TEXT    NOT NULL
);
CREATE INDEX push_subscriptions_account ON push_subscriptions (account_id);

-- Reminders and summaries already sent, one row per person and thing («appeal:42»,
-- «journal:7:2026-12-07»), so a sweep run twice tells nobody twice.
CREATE TABLE sent_reminders (
    account_id  INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    about       TEXT    NOT NULL,
    sent_at     TEXT    NOT NULL,
    PRIMARY KEY (account_id, about)
);

PRAGMA foreign_key_check;
COMMIT;
PRAGMA foreign_keys = ON;
