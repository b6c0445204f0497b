-- «Учебные данные» (issue 15): a minor's diary connected to a school by the code the school sends,
-- and the lessons imported from the school's system (grades, absences, late arrivals, comments).
CREATE TABLE school_links (
    minor_account_id    BIGINT  PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
    school_number       BIGINT  NOT NULL,
    school_name         TEXT    NOT NULL,
    -- code_sent: waiting for the school's code | connected
    status              TEXT    NOT NULL CHECK (status IN ('code_sent', 'connected')),
    sent_to             TEXT    NOT NULL,
    wrong_tries         BIGINT  NOT NULL DEFAULT 0 CHECK (wrong_tries >= 0),
    code_sent_at        TIMESTAMPTZ NOT NULL,
    connected_at        TIMESTAMPTZ,
    imported_at         TIMESTAMPTZ,
    notify              BOOLEAN NOT NULL DEFAULT FALSE
);

CREATE TABLE diary_lessons (
    id                  BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    minor_account_id    BIGINT  NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    -- ISO date of the lesson
    day                 TEXT    NOT NULL,
    subject             TEXT    NOT NULL,
    grade               BIGINT  CHECK (grade IS NULL OR grade BETWEEN 2 AND 5),
    attendance          TEXT    CHECK (attendance IS NULL OR attendance IN ('absent', 'late')),
    teacher             TEXT    NOT NULL,
    comment             TEXT    NOT NULL,
    UNIQUE (minor_account_id, day, subject)
);
