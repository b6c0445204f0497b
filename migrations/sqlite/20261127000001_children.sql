-- «Семья и дети» (issue 4): a parent's children with their documents, and where each document
-- stands with the registries. Every query is scoped to one parent or one child.
CREATE TABLE children (
    id                      INTEGER PRIMARY KEY AUTOINCREMENT,
    parent_account_id       INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    last_name               TEXT    NOT NULL,
    first_name              TEXT    NOT NULL,
    middle_name             TEXT,
    sex                     TEXT    NOT NULL CHECK (sex IN ('male', 'female')),
    birth_date              TEXT    NOT NULL,
    -- russia | other: only a Russian certificate is checked in ЕГР ЗАГС
    birth_country           TEXT    NOT NULL CHECK (birth_country IN ('russia', 'other')),
    certificate_number      TEXT    NOT NULL,
    certificate_date        TEXT    NOT NULL,
    act_record_number       TEXT,
    act_record_date         TEXT,
    certificate_issued_by   TEXT    NOT NULL,
    -- domain::DocumentStatus; *_problem is the registry's answer code (not_found, mismatch:…)
    certificate_status      TEXT    NOT NULL CHECK (certificate_status IN ('manual', 'checking',
                                'not_found_in_zags', 'confirmed', 'registry_unavailable')),
    certificate_problem     TEXT,
    snils                   TEXT    CHECK (snils IS NULL OR length(snils) = 11),
    snils_status            TEXT    NOT NULL CHECK (snils_status IN ('absent', 'manual',
                                'checking', 'searching', 'not_found_in_sfr', 'confirmed',
                                'registry_unavailable')),
    snils_problem           TEXT,
    oms_policy              TEXT,
    inn                     TEXT,
    paternity_number        TEXT,
    paternity_date          TEXT,
    name_change_number      TEXT,
    name_change_date        TEXT,
    parental_rights_title   TEXT,
    parental_rights_date    TEXT,
    -- «Автообновление для сохранения актуальности документов»
    auto_update             INTEGER NOT NULL DEFAULT 0,
    -- bumped by every request and every edit: a check job carries the round it was made for
    -- and changes nothing once the round has moved on
    check_round             INTEGER NOT NULL DEFAULT 0,
    -- bumped by every change: the page polls with the versions it shows
    version                 INTEGER NOT NULL DEFAULT 1,
    created_at              TEXT    NOT NULL,
    updated_at              TEXT    NOT NULL
);
CREATE INDEX children_parent ON children (parent_account_id);

-- Every status a document went through, in order, for the card's history and for audits.
CREATE TABLE child_status_events (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    child_id    INTEGER NOT NULL REFERENCES children (id) ON DELETE CASCADE,
    document    TEXT    NOT NULL CHECK (document IN ('certificate', 'snils')),
    status      TEXT    NOT NULL,
    problem     TEXT,
    at          TEXT    NOT NULL
);
CREATE INDEX child_status_events_child ON child_status_events (child_id, id);
