-- no-transaction
-- Accounts of minors (issue 5): a child's account created by a parent, teens linked by a link
-- code, the parents' consents, and the wizard a parent is in the middle of.
--
-- A child's account may have no phone («Пропустить»), so `accounts.phone` becomes nullable.
-- SQLite cannot drop NOT NULL in place: the table is rebuilt with foreign keys off (hence no
-- transaction around the file; the rebuild has its own).
PRAGMA foreign_keys = OFF;
BEGIN;

CREATE TABLE accounts_rebuilt (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    role                TEXT        NOT NULL DEFAULT 'citizen'
                        CHECK (role IN ('citizen', 'officer', 'admin')),
    level               TEXT        NOT NULL DEFAULT 'simplified'
                        CHECK (level IN ('simplified', 'standard', 'confirmed')),
    -- adult | teen (14–17) | child (under 14, created by a parent); moved on by the scheduler
    age_group           TEXT        NOT NULL DEFAULT 'adult'
                        CHECK (age_group IN ('adult', 'teen', 'child')),
    last_name           TEXT        NOT NULL,
    first_name          TEXT        NOT NULL,
    middle_name         TEXT,
    birth_date          TEXT        NOT NULL,
    snils               TEXT        NOT NULL UNIQUE CHECK (length(snils) = 11),
    email               TEXT        NOT NULL UNIQUE,
    email_confirmed_at  TEXT,
    -- E.164, +7XXXXXXXXXX; empty only for a child's account created without one
    phone               TEXT        UNIQUE,
    phone_confirmed_at  TEXT,
    password_hash       TEXT        NOT NULL,
    consent_at          TEXT        NOT NULL,
    created_at          TEXT        NOT NULL,
    second_factor       TEXT        NOT NULL DEFAULT 'none'
                        CHECK (second_factor IN ('none', 'totp', 'sms')),
    totp_secret         TEXT,
    totp_pending_secret TEXT,
    totp_last_step      INTEGER,
    -- «Место рождения» and «Адрес постоянной регистрации» (a child's account; a parent's own
    -- address, when known, fills the child's with «Совпадает с вашим адресом»)
    birth_place         TEXT,
    registration_address TEXT
);
INSERT INTO accounts_rebuilt (id, role, level, last_name, first_name, middle_name, birth_date,
        snils, email, email_confirmed_at, phone, phone_confirmed_at, password_hash, consent_at,
        created_at, second_factor, totp_secret, totp_pending_secret, totp_last_step)
    SELECT id, role, level, last_name, first_name, middle_name, birth_date, snils, email,
        email_confirmed_at, phone, phone_confirmed_at, password_hash, consent_at, created_at,
        second_factor, totp_secret, totp_pending_secret, totp_last_step
    FROM accounts;
DROP TABLE accounts;
ALTER TABLE accounts_rebuilt RENAME TO accounts;

-- «Кем вы приходитесь ребёнку»: a guardian creates the child's account in a service centre.
ALTER TABLE children ADD COLUMN relation TEXT NOT NULL DEFAULT 'parent'
    CHECK (relation IN ('parent', 'guardian'));

-- Which parent may act for which minor's account. `child_id` is that parent's card of the
-- child, when there is one. A link ends (ended_at) when the minor turns 18; the parent then
-- keeps read-only history.
CREATE TABLE guardianships (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    parent_account_id   INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    minor_account_id    INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    child_id            INTEGER REFERENCES children (id) ON DELETE SET NULL,
    -- created (the parent made the account) | link_code (linked later)
    origin              TEXT    NOT NULL CHECK (origin IN ('created', 'link_code')),
    linked_at           TEXT    NOT NULL,
    ended_at            TEXT,
    UNIQUE (parent_account_id, minor_account_id)
);
CREATE INDEX guardianships_minor ON guardianships (minor_account_id);
-- One child card holds at most one account.
CREATE UNIQUE INDEX guardianships_child ON guardianships (child_id) WHERE child_id IS NOT NULL;

-- «Создание учётной записи ребёнка» in progress: one per child card, resumable, removed when
-- the account is made, and cleaned up when abandoned (expires_at).
CREATE TABLE child_account_drafts (
    id                      INTEGER PRIMARY KEY AUTOINCREMENT,
    parent_account_id       INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    child_id                INTEGER NOT NULL UNIQUE REFERENCES children (id) ON DELETE CASCADE,
    birth_place             TEXT,
    registration_address    TEXT,
    phone                   TEXT,
    phone_code_hash         TEXT,
    phone_code_expires_at   TEXT,
    phone_wrong_tries       INTEGER NOT NULL DEFAULT 0,
    phone_codes_sent        INTEGER NOT NULL DEFAULT 0,
    phone_code_sent_at      TEXT,
    phone_confirmed_at      TEXT,
    phone_skipped           INTEGER NOT NULL DEFAULT 0,
    email                   TEXT,
    email_token_hash        TEXT UNIQUE,
    email_link_expires_at   TEXT,
    email_confirmed_at      TEXT,
    -- «Даю согласие на использование персональных данных для создания учётной записи ребёнка»
    creation_consent_at     TEXT,
    created_at              TEXT    NOT NULL,
    expires_at              TEXT    NOT NULL
);

-- A parent's consent about a minor's account: requested, then granted or declined; a granted
-- one can be revoked. The text the parent saw is named by its version.
CREATE TABLE consents (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    parent_account_id   INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    minor_account_id    INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    -- personal_data_transfer: the child may sign in (their data passes to the services)
    purpose             TEXT    NOT NULL CHECK (purpose IN ('personal_data_transfer')),
    text_version        TEXT    NOT NULL,
    status              TEXT    NOT NULL CHECK (status IN ('requested', 'granted', 'declined',
                            'revoked')),
    requested_at        TEXT    NOT NULL,
    decided_at          TEXT,
    decided_from        TEXT,
    revoked_at          TEXT,
    revoked_from        TEXT
);
CREATE INDEX consents_parent ON consents (parent_account_id, id);
CREATE INDEX consents_minor ON consents (minor_account_id, purpose);
-- At most one open request per minor and purpose, even when two requests race.
CREATE UNIQUE INDEX consents_one_request ON consents (minor_account_id, purpose)
    WHERE status = 'requested';

-- The journal of consents: every request, decision and revocation, by whom, from where.
CREATE TABLE consent_events (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    consent_id          INTEGER NOT NULL REFERENCES consents (id) ON DELETE CASCADE,
    actor_account_id    INTEGER REFERENCES accounts (id) ON DELETE SET NULL,
    event               TEXT    NOT NULL CHECK (event IN ('requested', 'granted', 'declined',
                            'revoked')),
    address             TEXT,
    at                  TEXT    NOT NULL
);
CREATE INDEX consent_events_consent ON consent_events (consent_id, id);

PRAGMA foreign_key_check;
COMMIT;
PRAGMA foreign_keys = ON;
