-- «Настройки доступа» and the minor's own services (issue 15). The settings are one typed
-- document per minor (`domain::access::AccessSettings` as JSON), written at the version read; no
-- row means the defaults, the most private. Every change is kept in `access_changes`.
CREATE TABLE access_settings (
    minor_account_id    BIGINT  PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
    settings            TEXT    NOT NULL,
    version             BIGINT  NOT NULL CHECK (version >= 1),
    updated_at          TIMESTAMPTZ NOT NULL
);

-- «История изменений»: who changed what, when, old → new. The actor is kept by id and by name,
-- with no foreign key, so the history does not change when the actor's account does.
CREATE TABLE access_changes (
    id                  BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    minor_account_id    BIGINT  NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    at                  TIMESTAMPTZ NOT NULL,
    actor_account_id    BIGINT,
    actor_label         TEXT    NOT NULL,
    what                TEXT    NOT NULL,
    old_value           TEXT    NOT NULL,
    new_value           TEXT    NOT NULL
);
CREATE INDEX access_changes_minor ON access_changes (minor_account_id, id);

-- An extended use of a service and the agency's answer; a payment of a child under 14 waits
-- here for a parent.
CREATE TABLE service_records (
    id                  BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    minor_account_id    BIGINT  NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    service             TEXT    NOT NULL CHECK (service IN ('school_certificate', 'grades',
                            'vaccination_calendar', 'doctor_appointment', 'status_certificate',
                            'state_duty', 'passport', 'residence')),
    level               TEXT    NOT NULL CHECK (level IN ('basic', 'extended')),
    status              TEXT    NOT NULL CHECK (status IN ('done', 'awaiting_parent',
                            'declined_by_parent')),
    result              TEXT    NOT NULL,
    created_at          TIMESTAMPTZ NOT NULL,
    decided_at          TIMESTAMPTZ,
    decided_by          BIGINT
);
CREATE INDEX service_records_minor ON service_records (minor_account_id, id);

-- Extended uses per minor and Moscow day, reserved before the agency is asked: one conditional
-- upsert, so parallel requests cannot pass the limit. Purged after two days.
CREATE TABLE service_day_counts (
    minor_account_id    BIGINT  NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    day                 TEXT    NOT NULL,
    used                BIGINT  NOT NULL CHECK (used >= 0),
    PRIMARY KEY (minor_account_id, day)
);
