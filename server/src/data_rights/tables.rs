//! What the portal holds about a child, table by table: the one list both «Скачать все данные о
//! ребёнке» and «Удалить все данные о ребёнке» read. `$1` is the parent's card of the child, `$2`
//! the minor's account (−1 when there is none). A table about a child that is in neither
//! [`ABOUT_A_CHILD`] nor [`NOT_ABOUT_A_CHILD`] fails `data_rights_cover_every_table`.

/// One table's rows about the child.
#[derive(Debug, Clone, Copy)]
pub struct TableSpec {
    pub table: &'static str,
    /// The condition on the table's rows (aliased `t`).
    pub rows: &'static str,
    /// Columns left out of the export: secrets' hashes and sealed values.
    pub secret_columns: &'static [&'static str],
}

/// Every table with rows about the child, children's rows before their parents' (the order the
/// deletion goes in; the export reads them in reverse).
pub const ABOUT_A_CHILD: &[TableSpec] = &[
    // The minor's account and everything hanging off it.
    spec("diary_lessons", "t.minor_account_id = $2"),
    spec("school_links", "t.minor_account_id = $2"),
    spec("service_day_counts", "t.minor_account_id = $2"),
    spec("service_records", "t.minor_account_id = $2"),
    secret("access_grants", "t.minor_account_id = $2", &["code_hash"]),
    spec("access_changes", "t.minor_account_id = $2"),
    spec("access_settings", "t.minor_account_id = $2"),
    secret("activity_journal", "t.minor_account_id = $2", &[]),
    spec(
        "outbox_events",
        "t.message_id IN (SELECT id FROM outbox_messages WHERE account_id = $2)",
    ),
    spec("outbox_messages", "t.account_id = $2"),
    spec("notification_settings", "t.account_id = $2"),
    secret(
        "push_subscriptions",
        "t.account_id = $2",
        &["sealed", "endpoint_sha256"],
    ),
    spec("sent_reminders", "t.account_id = $2"),
    spec("identity_checks", "t.account_id = $2"),
    spec("age_notices", "t.account_id = $2"),
    secret(
        "link_codes",
        "t.minor_account_id = $2 OR t.child_id = $1",
        &["code_hash"],
    ),
    spec(
        "consent_events",
        "t.consent_id IN (SELECT id FROM consents WHERE minor_account_id = $2)",
    ),
    spec("consents", "t.minor_account_id = $2"),
    secret(
        "sign_in_failures",
        "t.account_id = $2",
        &["device_hash", "login_key"],
    ),
    secret("sign_in_challenges", "t.account_id = $2", &["token_hash"]),
    secret("backup_codes", "t.account_id = $2", &["code_hash"]),
    secret("phone_codes", "t.account_id = $2", &["code_hash"]),
    secret("email_links", "t.account_id = $2", &["token_hash"]),
    secret("known_devices", "t.account_id = $2", &["token_hash"]),
    secret("sessions", "t.account_id = $2", &["token_hash"]),
    spec(
        "guardianships",
        "t.minor_account_id = $2 OR t.child_id = $1",
    ),
    secret(
        "accounts",
        "t.id = $2",
        &[
            "password_hash",
            "totp_secret",
            "totp_pending_secret",
            "totp_last_step",
        ],
    ),
    // The parent's card of the child and what was asked and sent about the child.
    spec(
        "support_questions",
        "t.application_id IN (SELECT id FROM applications WHERE child_id = $1)",
    ),
    spec(
        "document_reviews",
        "t.application_id IN (SELECT id FROM applications WHERE child_id = $1)",
    ),
    spec(
        "application_attachments",
        "t.application_id IN (SELECT id FROM applications WHERE child_id = $1)",
    ),
    spec(
        "application_uploads",
        "t.application_id IN (SELECT id FROM applications WHERE child_id = $1)",
    ),
    spec(
        "application_documents",
        "t.application_id IN (SELECT id FROM applications WHERE child_id = $1)",
    ),
    spec(
        "application_events",
        "t.application_id IN (SELECT id FROM applications WHERE child_id = $1)",
    ),
    spec(
        "draft_documents",
        "t.draft_id IN (SELECT id FROM application_drafts WHERE child_id = $1)",
    ),
    spec("documents", DOCUMENTS),
    spec("applications", "t.child_id = $1"),
    spec("application_drafts", "t.child_id = $1"),
    spec("eligibility_checks", "t.child_id = $1"),
    secret(
        "child_account_drafts",
        "t.child_id = $1",
        &["phone_code_hash", "email_token_hash"],
    ),
    spec("child_status_events", "t.child_id = $1"),
    spec("children", "t.id = $1"),
];

/// The files uploaded for the child, or sent or kept for the child's applications and drafts —
/// but not a file another child's application or draft also uses (it stays, sealed again under
/// that child's key).
pub const DOCUMENTS: &str = "(t.child_id = $1 OR t.id IN (SELECT document_id FROM draft_documents WHERE draft_id IN \
    (SELECT id FROM application_drafts WHERE child_id = $1) \
    UNION SELECT document_id FROM application_documents WHERE application_id IN \
    (SELECT id FROM applications WHERE child_id = $1) \
    UNION SELECT document_id FROM application_uploads WHERE application_id IN \
    (SELECT id FROM applications WHERE child_id = $1) \
    UNION SELECT document_id FROM application_attachments WHERE application_id IN \
    (SELECT id FROM applications WHERE child_id = $1))) \
    AND t.id NOT IN (SELECT document_id FROM draft_documents WHERE draft_id IN \
    (SELECT id FROM application_drafts WHERE child_id <> $1) \
    UNION SELECT document_id FROM application_documents WHERE application_id IN \
    (SELECT id FROM applications WHERE child_id <> $1))";

/// Tables that hold nothing about a particular child, each with the reason.
pub const NOT_ABOUT_A_CHILD: &[(&str, &str)] = &[
    ("_sqlx_migrations", "the schema's own history"),
    ("sqlite_sequence", "SQLite's counters"),
    ("jobs", "work queued by the portal; payloads carry ids only"),
    (
        "receipts",
        "non-personal facts and hashes by design, so a receipt can be checked",
    ),
    (
        "data_deletions",
        "the parent's own record that a deletion happened, with counts only",
    ),
    (
        "child_file_keys",
        "the child's file key: destroyed by the deletion, never exported",
    ),
];

const fn spec(table: &'static str, rows: &'static str) -> TableSpec {
    TableSpec {
        table,
        rows,
        secret_columns: &[],
    }
}

const fn secret(
    table: &'static str,
    rows: &'static str,
    secret_columns: &'static [&'static str],
) -> TableSpec {
    TableSpec {
        table,
        rows,
        secret_columns,
    }
}
