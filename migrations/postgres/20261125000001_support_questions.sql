-- Questions to the support desk («Помощь → Задать вопрос»).
CREATE TABLE support_questions (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    snils      TEXT        NOT NULL CHECK (length(snils) = 11),
    email      TEXT        NOT NULL,
    text       TEXT        NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);
