-- «История обращений» exports a signed PDF extract (issue 14): receipts get a third kind.
ALTER TABLE receipts DROP CONSTRAINT receipts_kind_check;
ALTER TABLE receipts ADD CONSTRAINT receipts_kind_check
    CHECK (kind IN ('consent', 'application', 'history'));
