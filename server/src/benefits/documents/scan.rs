//! The job `documents.scan_check`: after an upload, the file is read back from the store and
//! checked as a scan — the 300 dpi rule for its document's paper and a blank image — and becomes
//! «Одобрено» or «Отклонено» with the reason. Only a file still «В обработке» changes, so a
//! repeated job changes nothing. A check that cannot finish (after the last retry) rejects
//! nothing: the file stays «В обработке» and the job is dead for an operator to retry.

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::{Documents, content};
use crate::db::documents;
use crate::jobs::{self, JobError, JobHandler};

pub const KIND: &str = "documents.scan_check";

#[derive(Debug, Serialize, Deserialize)]
pub struct Payload {
    pub document_id: i64,
}

pub struct ScanCheckJob(pub Arc<Documents>);

#[async_trait::async_trait]
impl JobHandler for ScanCheckJob {
    fn kind(&self) -> &'static str {
        KIND
    }

    async fn run(&self, payload: &str) -> Result<(), JobError> {
        let job = jobs::parse_payload::<Payload>(payload)?;
        let service = &self.0;
        let Some(stored) = documents::by_id(&service.db, job.document_id).await? else {
            return Ok(()); // deleted before it was checked
        };
        if stored.status != app::benefits::documents::UploadStatus::Processing {
            return Ok(());
        }
        let _memory = service
            .in_memory
            .clone()
            .acquire_owned()
            .await
            .map_err(|e| JobError::Retry(e.to_string()))?;
        let bytes = service
            .store
            .get(&stored.storage_key.as_str().into())
            .await
            .map_err(|e| JobError::Retry(format!("document store: {e}")))?
            .bytes()
            .await
            .map_err(|e| JobError::Retry(format!("document store: {e}")))?;
        let bytes = service
            .file_keys
            .open(stored.child_id, bytes.to_vec())
            .await
            .map_err(|e| JobError::Permanent(format!("stored file no longer opens: {e}")))?;
        let (kind, requirement) = (stored.kind, stored.requirement);
        let verdict =
            tokio::task::spawn_blocking(move || content::scan_check(&bytes, kind, requirement))
                .await
                .map_err(|e| JobError::Retry(e.to_string()))?
                // The upload decoded it; a store that gives back other bytes is not the parent's fault.
                .map_err(|e| JobError::Permanent(format!("stored file no longer reads: {e}")))?;
        let changed =
            documents::set_checked(&service.db, stored.id, verdict, service.clock.now()).await?;
        if changed {
            tracing::info!(
                event = "document.checked",
                document_id = stored.id,
                approved = verdict.is_none()
            );
        }
        Ok(())
    }
}
