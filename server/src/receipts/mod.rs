//! Signed PDF receipts, the machinery every receipt goes through: a feature describes the content
//! (`pdf::ReceiptDocument`) and its non-personal facts; [`Receipts::issue`] numbers it, signs it
//! (`signing`), records it (`db::receipts`) and draws the PDF (`pdf`) with a QR code that opens
//! «Проверить квитанцию». The same content for the same subject is the same receipt: the same
//! number, signature and file, however often it is downloaded. [`Receipts`] also answers that
//! public check, and `/receipts/public-key.pem` publishes the key.

pub mod download;
pub mod pdf;
pub mod signing;

use std::sync::Arc;

use app::api::{Clock, ServiceError};
use app::domain::format_ru_datetime;
use app::receipts::check::{
    GenuineReceipt, ReceiptCheck, ReceiptKind, ReceiptNumber, ReceiptVerdict,
};
use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use time::UtcOffset;
use time::format_description::well_known::Rfc3339;

use crate::db::{Database, StorageError, receipts};
pub use pdf::{Block, ReceiptDocument};
use pdf::{PdfError, Seal};
pub use signing::ReceiptSigner;
use signing::{SignedFacts, sha256_hex};

#[derive(Debug, thiserror::Error)]
pub enum ReceiptError {
    #[error(transparent)]
    Storage(#[from] StorageError),
    #[error("receipt PDF: {0}")]
    Pdf(#[from] PdfError),
    #[error("receipt facts do not serialize: {0}")]
    Facts(#[from] serde_json::Error),
    #[error("a racing receipt for the same content vanished")]
    Vanished,
    /// The feature could not say what the receipt holds.
    #[error("receipt content")]
    Content(#[source] Box<ServiceError>),
}

impl From<ServiceError> for ReceiptError {
    fn from(error: ServiceError) -> Self {
        ReceiptError::Content(Box::new(error))
    }
}

impl From<ReceiptError> for ServiceError {
    fn from(error: ReceiptError) -> Self {
        ServiceError::unexpected(error)
    }
}

/// A receipt ready to hand over.
#[derive(Debug, Clone)]
pub struct IssuedReceipt {
    pub number: ReceiptNumber,
    pub pdf: Vec<u8>,
}

#[derive(Clone)]
pub struct Receipts {
    db: Database,
    signer: ReceiptSigner,
    clock: Arc<dyn Clock>,
    public_url: String,
}

impl Receipts {
    pub fn new(
        db: Database,
        signer: ReceiptSigner,
        clock: Arc<dyn Clock>,
        public_url: String,
    ) -> Self {
        Self {
            db,
            signer,
            clock,
            public_url,
        }
    }

    /// The receipt of `subject_id` with this content: issued now, or the one issued before for
    /// exactly this content. `facts` must hold nothing personal: anyone with the number and
    /// signature sees them.
    pub async fn issue(
        &self,
        kind: ReceiptKind,
        subject_id: i64,
        facts: &[(String, String)],
        content: &ReceiptDocument,
    ) -> Result<IssuedReceipt, ReceiptError> {
        let content_sha256 = sha256_hex(content.content_text().as_bytes());
        let stored =
            match receipts::for_content(&self.db, kind, subject_id, &content_sha256).await? {
                Some(stored) => stored,
                None => {
                    self.record(kind, subject_id, facts, &content_sha256)
                        .await?
                }
            };
        let number = number_of(&stored);
        let pdf = pdf::render(content, &self.seal(&stored, &number))?;
        if stored.file_sha256.is_none() {
            receipts::set_file_sha256(&self.db, stored.id, &sha256_hex(&pdf)).await?;
        }
        Ok(IssuedReceipt { number, pdf })
    }

    /// Numbers and signs a new receipt in one transaction; a racing request for the same content
    /// finds the row it made.
    async fn record(
        &self,
        kind: ReceiptKind,
        subject_id: i64,
        facts: &[(String, String)],
        content_sha256: &str,
    ) -> Result<receipts::StoredReceipt, ReceiptError> {
        // Whole seconds: the signed time reads the same from both engines.
        let now = self
            .clock
            .now()
            .replace_nanosecond(0)
            .unwrap_or(self.clock.now());
        let facts = serde_json::to_string(facts)?;
        let mut tx = self.db.begin().await?;
        let Some(id) =
            receipts::insert(&mut tx, kind, subject_id, now, &facts, content_sha256).await?
        else {
            drop(tx);
            return receipts::for_content(&self.db, kind, subject_id, content_sha256)
                .await?
                .ok_or(ReceiptError::Vanished);
        };
        let mut stored = receipts::StoredReceipt {
            id,
            kind,
            subject_id,
            issued_at: now,
            facts,
            content_sha256: content_sha256.to_owned(),
            signature: String::new(),
            file_sha256: None,
        };
        stored.signature = self
            .signer
            .sign(&signed_facts(&stored, &number_of(&stored)));
        receipts::set_signature(&mut tx, id, &stored.signature).await?;
        tx.commit().await?;
        Ok(stored)
    }

    fn seal(&self, stored: &receipts::StoredReceipt, number: &ReceiptNumber) -> Seal {
        Seal {
            number: number.to_string(),
            issued_at: format!("{} (МСК)", format_ru_datetime(stored.issued_at)),
            content_sha256: stored.content_sha256.clone(),
            signature: stored.signature.clone(),
            check_url: format!(
                "{}/receipts/check?number={number}&signature={}",
                self.public_url, stored.signature
            ),
        }
    }

    pub fn public_key_pem(&self) -> String {
        self.signer.public_key_pem()
    }
}

/// The year in a number is the year of issue in Moscow.
fn number_of(stored: &receipts::StoredReceipt) -> ReceiptNumber {
    ReceiptNumber {
        kind: stored.kind,
        year: app::domain::date::moscow_today(stored.issued_at).year(),
        serial: stored.id,
    }
}

/// What the signature covers, from the stored row.
fn signed_facts(stored: &receipts::StoredReceipt, number: &ReceiptNumber) -> SignedFacts {
    SignedFacts {
        number: number.to_string(),
        kind: stored.kind.as_str(),
        issued_at: stored
            .issued_at
            .to_offset(UtcOffset::UTC)
            .format(&Rfc3339)
            .unwrap_or_default(),
        facts: stored.facts.clone(),
        content_sha256: stored.content_sha256.clone(),
    }
}

#[async_trait::async_trait]
impl ReceiptCheck for Receipts {
    async fn check(
        &self,
        number: ReceiptNumber,
        signature: &str,
    ) -> Result<ReceiptVerdict, ServiceError> {
        let Some(stored) = receipts::by_id(&self.db, number.serial).await? else {
            return Ok(ReceiptVerdict::NotGenuine);
        };
        // The number as typed must be the one issued: kind and year too.
        if number_of(&stored) != number
            || !self
                .signer
                .verify(&signed_facts(&stored, &number), signature)
        {
            return Ok(ReceiptVerdict::NotGenuine);
        }
        let facts: Vec<(String, String)> =
            serde_json::from_str(&stored.facts).map_err(ServiceError::unexpected)?;
        Ok(ReceiptVerdict::Genuine(GenuineReceipt {
            number: number.to_string(),
            kind: stored.kind,
            issued_at: format_ru_datetime(stored.issued_at),
            facts,
            file_sha256: stored.file_sha256.unwrap_or_default(),
        }))
    }
}

/// `GET /receipts/public-key.pem`: the key every receipt's signature is checked with.
pub async fn public_key(State(receipts): State<Arc<Receipts>>) -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "application/x-pem-file"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        receipts.public_key_pem(),
    )
}
