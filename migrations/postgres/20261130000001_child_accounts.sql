-- Accounts of minors (issue 5): a child's account created by a parent, teens linked by a link
-- code, the parents' consents, and the wizard a parent is in the middle of.

-- A child's account may have no phone («Пропустить»).
ALTER TABLE accounts ALTER COLUMN phone DROP NOT NULL;
-- adult | teen (14–17) | child (under 14, created by a parent); moved on by the scheduler
ALTER TABLE accounts ADD COLUMN age_group TEXT NOT NULL DEFAULT 'adult'
    CHECK (age_group IN ('adult', 'teen', 'child'));
-- «Место рождения» and «Адрес постоянной регистрации» (a child's account; a parent's own
-- address, when known, fills the child's with «Совпадает с вашим адресом»)
ALTER TABLE accounts ADD COLUMN birth_place TEXT;
ALTER TABLE accounts ADD COLUMN registration_address TEXT;

-- «Кем вы приходитесь ребёнку»: a guardian creates the child's account in a service centre.
ALTER TABLE children ADD COLUMN relation TEXT NOT NULL DEFAULT 'parent'
    CHECK (relation IN ('parent', 'guardian'));

-- Which parent may act for which minor's account. `child_id` is that parent's card of the
-- child, when there is one. A link ends (ended_at) when the minor turns 18; the parent then
-- keeps read-only history.
CREATE TABLE guardianships (
    id                  BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    parent_account_id   BIGINT  NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    minor_account_id    BIGINT  NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    child_id            BIGINT  REFERENCES children (id) ON DELETE SET NULL,
    -- created (the parent made the account) | link_code (linked later)
    origin              TEXT    NOT NULL CHECK (origin IN ('created', 'link_code')),
    linked_at           TIMESTAMPTZ NOT NULL,
    ended_at            TIMESTAMPTZ,
    UNIQUE (parent_account_id, minor_account_id)
);
CREATE INDEX guardianships_minor ON guardianships (minor_account_id);
-- One child card holds at most one account.
CREATE UNIQUE INDEX guardianships_child ON guardianships (child_id) WHERE child_id IS NOT NULL;

-- «Создание учётной записи ребёнка» in progress: one per child card, resumable, removed when
-- the account is made, and cleaned up when abandoned (expires_at).
CREATE TABLE child_account_drafts (
    id                      BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    parent_account_id       BIGINT  NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    child_id                BIGINT  NOT NULL UNIQUE REFERENCES children (id) ON DELETE CASCADE,
    birth_place             TEXT,
    registration_address    TEXT,
    phone                   TEXT,
    phone_code_hash         TEXT,
    phone_code_expires_at   TIMESTAMPTZ,
    phone_wrong_tries       INTEGER NOT NULL DEFAULT 0,
    phone_codes_sent        INTEGER NOT NULL DEFAULT 0,
    phone_code_sent_at      TIMESTAMPTZ,
    phone_confirmed_at      TIMESTAMPTZ,
    phone_skipped           BOOLEAN NOT NULL DEFAULT FALSE,
    email                   TEXT,
    email_token_hash        TEXT UNIQUE,
    email_link_expires_at   TIMESTAMPTZ,
    email_confirmed_at      TIMESTAMPTZ,
    -- «Даю согласие на использование персональных данных для создания учётной записи ребёнка»
    creation_consent_at     TIMESTAMPTZ,
    created_at              TIMESTAMPTZ NOT NULL,
    expires_at              TIMESTAMPTZ NOT NULL
);

-- A parent's consent about a minor's account: requested, then granted or declined; a granted
-- one can be revoked. The text the parent saw is named by its version.
CREATE TABLE consents (
    id                  BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    parent_account_id   BIGINT  NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    minor_account_id    BIGINT  NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    -- personal_data_transfer: the child may sign in (their data passes to the services)
    purpose             TEXT    NOT NULL CHECK (purpose IN ('personal_data_transfer')),
    text_version        TEXT    NOT NULL,
    status              TEXT    NOT NULL CHECK (status IN ('requested', 'granted', 'declined',
                            'revoked')),
    requested_at        TIMESTAMPTZ NOT NULL,
    decided_at          TIMESTAMPTZ,
    decided_from        TEXT,
    revoked_at          TIMESTAMPTZ,
    revoked_from        TEXT
);
CREATE INDEX consents_parent ON consents (parent_account_id, id);
CREATE INDEX consents_minor ON consents (minor_account_id, purpose);
-- At most one open request per minor and purpose, even when two requests race.
CREATE UNIQUE INDEX consents_one_request ON consents (minor_account_id, purpose)
    WHERE status = 'requested';

-- The journal of consents: every request, decision and revocation, by whom, from where.
CREATE TABLE consent_events (
    id                  BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    consent_id          BIGINT  NOT NULL REFERENCES consents (id) ON DELETE CASCADE,
    actor_account_id    BIGINT  REFERENCES accounts (id) ON DELETE SET NULL,
    event               TEXT    NOT NULL CHECK (event IN ('requested', 'granted', 'declined',
                            'revoked')),
    address             TEXT,
    at                  TIMESTAMPTZ NOT NULL
);
CREATE INDEX consent_events_consent ON consent_events (consent_id, id);
