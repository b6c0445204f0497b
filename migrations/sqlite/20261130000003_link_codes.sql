-- «Привязать» (issue 5): a parent links a child's account that exists already (a teen's own, or
-- one the other parent created) with a link code the child enters after signing in. Only the
-- code's hash is kept; wrong tries count against all of the minor's open codes.
CREATE TABLE link_codes (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    parent_account_id   INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    minor_account_id    INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    child_id            INTEGER REFERENCES children (id) ON DELETE CASCADE,
    code_hash           TEXT    NOT NULL,
    wrong_tries         INTEGER NOT NULL DEFAULT 0,
    created_at          TEXT NOT NULL,
    expires_at          TEXT NOT NULL,
    used_at             TEXT,
    -- replaced by a newer code from the same parent, or used up by wrong tries
    voided_at           TEXT
);
CREATE INDEX link_codes_minor ON link_codes (minor_account_id);
