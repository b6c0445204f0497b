-- «Журнал активности» (issue 15): what happened in and around a minor's account. Append-only;
-- each entry's hash covers the previous entry's hash and its own fields, so a changed, removed
-- or reordered entry breaks the chain (`server admin verify-journal`). The actor is kept by id
-- and by the label shown, with no foreign key: the entry must not change when the actor's
-- account does. Kept while the minor's account exists: it is the family's record.
CREATE TABLE activity_journal (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    minor_account_id    INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    seq                 INTEGER NOT NULL CHECK (seq >= 1),
    occurred_at         TEXT    NOT NULL,
    kind                TEXT    NOT NULL CHECK (kind IN ('sign_in', 'service', 'operation',
                            'settings', 'data_view')),
    actor_kind          TEXT    NOT NULL CHECK (actor_kind IN ('minor', 'parent', 'officer',
                            'portal')),
    actor_account_id    INTEGER,
    actor_label         TEXT    NOT NULL,
    action              TEXT    NOT NULL,
    detail              TEXT    NOT NULL,
    device              TEXT    NOT NULL,
    address             TEXT    NOT NULL,
    prev_hash           TEXT    NOT NULL CHECK (length(prev_hash) = 64),
    hash                TEXT    NOT NULL CHECK (length(hash) = 64),
    UNIQUE (minor_account_id, seq)
);
CREATE INDEX activity_journal_kind ON activity_journal (minor_account_id, kind, occurred_at);
CREATE INDEX activity_journal_time ON activity_journal (minor_account_id, occurred_at);
