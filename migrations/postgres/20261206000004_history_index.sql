-- «История обращений» filtered by status (issue 14): one family's applications of one status,
-- newest first, read from the index.
CREATE INDEX applications_parent_status ON applications (parent_account_id, status, submitted_at);
