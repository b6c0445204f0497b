-- The notification centre (issue 15): push as a channel, the new events of «Настройки
-- уведомлений», browsers subscribed to push, which messages may be sent again, and the reminders
-- already sent.
ALTER TABLE notification_settings DROP CONSTRAINT notification_settings_event_check;
ALTER TABLE notification_settings ADD CONSTRAINT notification_settings_event_check
    CHECK (event IN ('submitted', 'new_document', 'status_changed', 'documents_requested',
        'final_decision', 'deadline_reminder', 'child_activity', 'journal_summary'));
ALTER TABLE notification_settings DROP CONSTRAINT notification_settings_channel_check;
ALTER TABLE notification_settings ADD CONSTRAINT notification_settings_channel_check
    CHECK (channel IN ('email', 'sms', 'push', 'in_app'));

-- A push message's recipient is a push_subscriptions id.
ALTER TABLE outbox_messages DROP CONSTRAINT outbox_messages_channel_check;
ALTER TABLE outbox_messages ADD CONSTRAINT outbox_messages_channel_check
    CHECK (channel IN ('email', 'sms', 'push', 'in_app'));
-- TRUE for codes and links (the text goes once nothing will send it again; never sent again),
-- FALSE for notices, whose text stays for «История уведомлений» and «Отправить повторно».
ALTER TABLE outbox_messages ADD COLUMN holds_secret BOOLEAN NOT NULL DEFAULT TRUE;
-- When «Отправить повторно» made a new message of this failed one (at most once).
ALTER TABLE outbox_messages ADD COLUMN resent_at TIMESTAMPTZ;

-- A browser that asked for push notifications: the subscription (endpoint and keys) sealed with
-- the server key, its endpoint's hash to find it again, and what to call it on the page.
CREATE TABLE push_subscriptions (
    id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account_id       BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    endpoint_sha256  TEXT   NOT NULL UNIQUE CHECK (length(endpoint_sha256) = 64),
    sealed           TEXT   NOT NULL,
    device           TEXT   NOT NULL,
    created_at       TIMESTAMPTZ NOT NULL
);
CREATE INDEX push_subscriptions_account ON push_subscriptions (account_id);

-- Reminders and summaries already sent, one row per person and thing («appeal:42»,
-- «journal:7:2026-12-07»), so a sweep run twice tells nobody twice.
CREATE TABLE sent_reminders (
    account_id  BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    about       TEXT   NOT NULL,
    sent_at     TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (account_id, about)
);
