//! The officer's verdict on each document of an application: the latest one per document. Each
//! verdict is also written to the application's journal by the caller, in the same transaction.

use sqlx::FromRow;
use time::OffsetDateTime;

use super::codes::{Code, StoredCode};
use super::{Database, StorageError, Tx};
use crate::{pool_read, tx_execute};

/// `document_reviews.verdict`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VerdictKind {
    Approved,
    Rejected,
}

impl StoredCode for VerdictKind {
    const WHAT: &'static str = "document verdict";

    fn code(self) -> &'static str {
        match self {
            VerdictKind::Approved => "approved",
            VerdictKind::Rejected => "rejected",
        }
    }

    fn from_code(code: &str) -> Option<Self> {
        [VerdictKind::Approved, VerdictKind::Rejected]
            .into_iter()
            .find(|kind| kind.code() == code)
    }
}

impl From<Code<VerdictKind>> for VerdictKind {
    fn from(code: Code<VerdictKind>) -> Self {
        code.0
    }
}

/// A verdict as stored; `reason` is empty exactly when approved (the table checks it).
#[derive(Debug, Clone, FromRow)]
pub struct StoredReview {
    pub document_id: i64,
    #[sqlx(try_from = "Code<VerdictKind>")]
    pub verdict: VerdictKind,
    pub reason: String,
    pub officer_number: i64,
    pub at: OffsetDateTime,
}

/// A verdict to write.
pub struct NewReview<'a> {
    pub application: i64,
    pub document: i64,
    pub verdict: VerdictKind,
    pub reason: &'a str,
    pub officer: i64,
    pub officer_number: i64,
    pub at: OffsetDateTime,
}

/// Writes the verdict, replacing an earlier one on the same document.
pub async fn record(tx: &mut Tx, review: NewReview<'_>) -> Result<(), StorageError> {
    tx_execute!(
        tx,
        "INSERT INTO document_reviews (application_id, document_id, verdict, reason, officer_id, \
         officer_number, at) VALUES ($1, $2, $3, $4, $5, $6, $7) \
         ON CONFLICT (application_id, document_id) DO UPDATE SET verdict = excluded.verdict, \
         reason = excluded.reason, officer_id = excluded.officer_id, \
         officer_number = excluded.officer_number, at = excluded.at",
        review.application,
        review.document,
        Code(review.verdict),
        review.reason,
        review.officer,
        review.officer_number,
        review.at
    )?;
    Ok(())
}

/// The verdicts on an application's documents.
pub async fn of_application(
    db: &Database,
    application: i64,
) -> Result<Vec<StoredReview>, StorageError> {
    Ok(pool_read!(
        db,
        StoredReview,
        fetch_all,
        "SELECT document_id, verdict, reason, officer_number, at FROM document_reviews \
         WHERE application_id = $1",
        application
    )?)
}

/// Whether the document is one the application was sent with, or sent later with an answer or
/// an appeal: the only documents an officer working the application may open.
pub async fn belongs_to(
    db: &Database,
    application: i64,
    document: i64,
) -> Result<bool, StorageError> {
    #[derive(FromRow)]
    struct Found {
        found: i64,
    }
    let row = pool_read!(
        db,
        Found,
        fetch_optional,
        "SELECT CAST(1 AS BIGINT) AS found FROM application_documents WHERE application_id = $1 \
         AND document_id = $2 UNION ALL SELECT CAST(1 AS BIGINT) AS found FROM application_attachments \
         WHERE application_id = $1 AND document_id = $2 LIMIT 1",
        application,
        document
    )?;
    Ok(row.is_some_and(|r| r.found == 1))
}
