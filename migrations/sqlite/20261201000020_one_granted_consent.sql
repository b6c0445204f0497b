-- One granted consent per minor and purpose: two grants racing after a revocation (a double
-- click on «Дать согласие») cannot both stand; the second fails on this index and is a no-op.
CREATE UNIQUE INDEX consents_one_granted ON consents (minor_account_id, purpose)
    WHERE status = 'granted';
