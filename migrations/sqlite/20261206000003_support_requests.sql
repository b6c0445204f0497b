-- Support requests (issue 14): «Задать вопрос» tied to the signed-in account and, when asked about
-- an application, to that application; an officer answers it in the back office and the family
-- follows its status («Зарегистрировано» → «Ответ получен»). Questions asked signed out keep
-- both empty and are answered by e-mail, as before.
ALTER TABLE support_questions ADD COLUMN account_id INTEGER
    REFERENCES accounts (id) ON DELETE CASCADE;
ALTER TABLE support_questions ADD COLUMN application_id INTEGER
    REFERENCES applications (id) ON DELETE CASCADE;
ALTER TABLE support_questions ADD COLUMN status TEXT NOT NULL DEFAULT 'registered'
    CHECK (status IN ('registered', 'answered'));
ALTER TABLE support_questions ADD COLUMN answer TEXT NOT NULL DEFAULT '';
-- the officer who answered, and the public number the family sees
ALTER TABLE support_questions ADD COLUMN answered_by INTEGER REFERENCES accounts (id);
ALTER TABLE support_questions ADD COLUMN answered_by_number INTEGER;
ALTER TABLE support_questions ADD COLUMN answered_at TEXT;
CREATE INDEX support_questions_account ON support_questions (account_id, id);
CREATE INDEX support_questions_open ON support_questions (status, application_id);
