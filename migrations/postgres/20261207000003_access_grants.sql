-- «Полный» access to a category of a minor's services (issue 15) is a parent's consent: asked for
-- by the minor with a code sent to the parents (the code's hash only; five wrong tries), or given
-- by a parent in «Настройки доступа». It expires, can be revoked, and has a signed receipt.
CREATE TABLE access_grants (
    id                  BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    minor_account_id    BIGINT  NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    category            TEXT    NOT NULL CHECK (category IN ('education', 'medical', 'social',
                            'civil')),
    status              TEXT    NOT NULL CHECK (status IN ('requested', 'granted', 'declined',
                            'revoked', 'expired')),
    code_hash           TEXT,
    wrong_tries         BIGINT  NOT NULL DEFAULT 0 CHECK (wrong_tries >= 0),
    code_expires_at     TIMESTAMPTZ,
    requested_at        TIMESTAMPTZ NOT NULL,
    -- the parent who granted or declined (none when the minor entered the parent's code)
    decided_by          BIGINT,
    decided_by_label    TEXT,
    decided_at          TIMESTAMPTZ,
    -- how: 'code' (the minor entered the code) | 'parent' (pressed in the parent's cabinet)
    decided_how         TEXT    CHECK (decided_how IN ('code', 'parent')),
    expires_at          TIMESTAMPTZ,
    revoked_at          TIMESTAMPTZ
);
CREATE INDEX access_grants_minor ON access_grants (minor_account_id, category, status);
CREATE UNIQUE INDEX access_grants_one_request ON access_grants (minor_account_id, category)
    WHERE status = 'requested';
CREATE UNIQUE INDEX access_grants_one_granted ON access_grants (minor_account_id, category)
    WHERE status = 'granted';

ALTER TABLE receipts DROP CONSTRAINT receipts_kind_check;
ALTER TABLE receipts ADD CONSTRAINT receipts_kind_check
    CHECK (kind IN ('consent', 'application', 'history', 'access'));
