//! The documents of applications on the server: the upload route ([`upload`]: the caller and the
//! limits first, then the file streamed to a temporary file under the 5 MB limit, checked by
//! content, stored under a server-made name, and recorded «В обработке» with its scan check job
//! in one transaction), the scan check job ([`scan`]), the owner's download ([`download`]), and
//! the drafts' documents ([`library`]: reuse and delete).

mod content;
pub mod download;
mod library;
#[doc(hidden)]
pub mod samples;
pub mod scan;
pub mod upload;

use std::sync::Arc;

use app::api::ServiceError;
use app::benefits::catalogue::RequiredDocument;
use app::benefits::documents::{DocumentView, DraftDocuments, Slot};
use app::domain::format_ru_datetime;
use governor::DefaultKeyedRateLimiter;
use object_store::ObjectStore;
use tokio::sync::Semaphore;

use super::Catalogue;
use super::applications::admission::per_account_per_hour;
use crate::clock::Clock;
use crate::db::application_drafts::StoredDraft;
use crate::db::documents::{self, StoredDocument};
use crate::db::{Database, StorageError};
use crate::family::not_found;

/// How many earlier files the documents page offers for reuse.
const EARLIER_SHOWN: i64 = 50;

/// The ceilings, from the configuration.
#[derive(Debug, Clone, Copy)]
pub struct UploadLimits {
    pub per_account_per_hour: u32,
    /// Uploads streaming in at once; more get 429 at once.
    pub in_flight: usize,
    /// Files one account may keep.
    pub files_per_account: i64,
}

/// Where an uploaded file goes.
pub enum Place {
    Draft(StoredDraft),
    /// Held for the application's next answer or appeal.
    Reply {
        application: i64,
        benefit_code: String,
        /// The child the application is about (none if the card was removed).
        child: Option<i64>,
    },
}

pub struct Documents {
    pub db: Database,
    pub clock: Arc<dyn Clock>,
    pub catalogue: Arc<Catalogue>,
    pub store: Arc<dyn ObjectStore>,
    /// Seals each file with its child's key.
    pub file_keys: crate::file_keys::FileKeys,
    /// Where uploads stream to before they are checked (never in memory whole).
    pub spool: std::path::PathBuf,
    limits: UploadLimits,
    per_account: Arc<DefaultKeyedRateLimiter<i64>>,
    in_flight: Arc<Semaphore>,
    /// Files held in memory to be checked or stored: at most one per core, which bounds the
    /// memory of many uploads at once.
    in_memory: Arc<Semaphore>,
}

impl Documents {
    pub fn new(
        db: Database,
        clock: Arc<dyn Clock>,
        catalogue: Arc<Catalogue>,
        store: Arc<dyn ObjectStore>,
        file_keys: crate::file_keys::FileKeys,
        spool: std::path::PathBuf,
        limits: UploadLimits,
    ) -> Self {
        let per_account = per_account_per_hour(limits.per_account_per_hour);
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        Self {
            db,
            clock,
            catalogue,
            store,
            file_keys,
            spool,
            limits,
            per_account,
            in_flight: Arc::new(Semaphore::new(limits.in_flight.max(1))),
            in_memory: Arc::new(Semaphore::new(cores)),
        }
    }

    /// What the benefit of the draft requires, in the catalogue's order.
    fn required(&self, draft: &StoredDraft) -> Result<Vec<RequiredDocument>, ServiceError> {
        Ok(self
            .catalogue
            .find(&draft.benefit_code)
            .ok_or_else(not_found)?
            .documents
            .clone())
    }

    /// What an upload to `place` may be: a draft's required documents; for a reply, any of the
    /// benefit's documents or «Дополнительный документ».
    fn accepted_for(&self, place: &Place) -> Result<Vec<RequiredDocument>, ServiceError> {
        match place {
            Place::Draft(draft) => self.required(draft),
            Place::Reply { benefit_code, .. } => {
                let mut accepted = self
                    .catalogue
                    .find(benefit_code)
                    .ok_or_else(not_found)?
                    .documents
                    .clone();
                accepted.push(RequiredDocument::Other);
                Ok(accepted)
            }
        }
    }

    /// The parent's application, while the family may send it something (an answer to
    /// «Требуется уточнение», or an appeal of a refusal); «not found» for anyone else's.
    async fn reply_of(&self, parent: i64, application: i64) -> Result<Place, ServiceError> {
        let stored = crate::db::applications::of_parent(&self.db, parent, application)
            .await?
            .ok_or_else(not_found)?;
        let now = self.clock.now();
        let row = crate::db::decisions::case(&self.db, application, now)
            .await?
            .ok_or_else(not_found)?;
        if crate::benefits::applications::reply::open_reply(&row, now).is_none() {
            return Err(ServiceError::Refused(
                app::api::Refusal::TransitionNotAllowed,
            ));
        }
        Ok(Place::Reply {
            application: stored.id,
            benefit_code: stored.benefit_code,
            child: stored.child_id,
        })
    }

    /// The parent's draft, or «not found».
    async fn draft_of(&self, parent: i64, draft: i64) -> Result<StoredDraft, ServiceError> {
        crate::db::application_drafts::of_parent(&self.db, parent, draft)
            .await?
            .ok_or_else(not_found)
    }

    /// The documents page of a draft.
    async fn draft_documents(&self, draft: &StoredDraft) -> Result<DraftDocuments, ServiceError> {
        let attached = documents::of_draft(&self.db, draft.id).await?;
        let slots = slots(&self.required(draft)?, &attached)?;
        let earlier = documents::for_parent(&self.db, draft.parent_account_id, EARLIER_SHOWN)
            .await?
            .iter()
            .filter(|d| !attached.iter().any(|a| a.id == d.id))
            .map(view)
            .collect::<Result<Vec<_>, StorageError>>()?;
        let version = digest(&slots, &earlier);
        Ok(DraftDocuments {
            draft_id: draft.id,
            slots,
            earlier,
            version,
        })
    }
}

/// Each required document with the draft's file for it, if any.
pub(crate) fn slots(
    required: &[RequiredDocument],
    attached: &[StoredDocument],
) -> Result<Vec<Slot>, StorageError> {
    required
        .iter()
        .map(|requirement| {
            let attached = attached
                .iter()
                .find(|d| d.requirement == *requirement)
                .map(view)
                .transpose()?;
            Ok(Slot {
                requirement: *requirement,
                attached,
            })
        })
        .collect()
}

/// A stored file as the pages show it.
pub(crate) fn view(stored: &StoredDocument) -> Result<DocumentView, StorageError> {
    Ok(DocumentView {
        id: stored.id,
        requirement: stored.requirement,
        file_name: stored.file_name.clone(),
        kind: stored.kind,
        size_bytes: u64::try_from(stored.size_bytes).unwrap_or_default(),
        sha256: stored.sha256.clone(),
        uploaded_at: format_ru_datetime(stored.uploaded_at),
        status: stored.status,
        rejection: stored.rejection()?,
    })
}

/// Changes whenever a slot's file, a status or the earlier files do.
fn digest(slots: &[Slot], earlier: &[DocumentView]) -> String {
    let mut text = String::new();
    for slot in slots {
        let (id, status) = slot
            .attached
            .as_ref()
            .map_or((0, ""), |d| (d.id, d.status.as_str()));
        text.push_str(&format!("{}={id}:{status};", slot.requirement.code()));
    }
    for d in earlier {
        text.push_str(&format!("{}:{};", d.id, d.status.as_str()));
    }
    crate::receipts::signing::sha256_hex(text.as_bytes())
}
