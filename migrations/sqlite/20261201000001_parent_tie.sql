-- The parent–child tie (issue 11): a certificate is «Подтверждено» for a card only when ЕГР ЗАГС
-- names the card's parent on the birth record. Set with that answer; cleared whenever the
-- certificate leaves «Подтверждено». Cards confirmed before the tie was asked have NULL here and
-- are asked again once (job child.parent_tie_check, booked at start-up).
ALTER TABLE children ADD COLUMN parent_proven_at TEXT;
