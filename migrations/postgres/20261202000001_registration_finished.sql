-- When the registration was finished: both contacts confirmed for the first time. A new phone or
-- e-mail later unconfirms only that contact, never this. Registrations left unfinished for a week
-- are purged, which frees their СНИЛС, e-mail and phone for their real owner.
ALTER TABLE accounts ADD COLUMN registered_at TIMESTAMPTZ;
-- Accounts from before: any confirmed contact counts as finished, so no account in use is purged.
UPDATE accounts SET registered_at = created_at
    WHERE email_confirmed_at IS NOT NULL OR phone_confirmed_at IS NOT NULL OR role <> 'citizen';
CREATE INDEX accounts_unfinished ON accounts (created_at) WHERE registered_at IS NULL;
