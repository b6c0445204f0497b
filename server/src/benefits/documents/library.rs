//! `DocumentLibrary`: a draft's documents page, reusing a file uploaded earlier, and deleting one.
//! Every change bumps the draft's version, in the transaction of the change.

use app::api::{FieldError, ServiceError, SignedInAccount};
use app::benefits::catalogue::RequiredDocument;
use app::benefits::documents::{DocumentLibrary, DraftDocuments, fields};

use super::Documents;
use crate::db::{application_drafts, documents};
use crate::family::{not_found, require_confirmed};

#[async_trait::async_trait]
impl DocumentLibrary for Documents {
    async fn for_draft(
        &self,
        parent: &SignedInAccount,
        draft_id: i64,
        known: Option<String>,
    ) -> Result<Option<DraftDocuments>, ServiceError> {
        require_confirmed(parent)?;
        let draft = self.draft_of(parent.account_id, draft_id).await?;
        let page = self.draft_documents(&draft).await?;
        Ok((known.as_deref() != Some(page.version.as_str())).then_some(page))
    }

    async fn reuse(
        &self,
        parent: &SignedInAccount,
        draft_id: i64,
        requirement: RequiredDocument,
        document_id: i64,
    ) -> Result<DraftDocuments, ServiceError> {
        require_confirmed(parent)?;
        let draft = self.draft_of(parent.account_id, draft_id).await?;
        if !self.required(&draft)?.contains(&requirement) {
            return Err(ServiceError::Invalid(vec![not_required(requirement)]));
        }
        documents::of_parent(&self.db, parent.account_id, document_id)
            .await?
            .ok_or_else(not_found)?;
        let now = self.clock.now();
        let mut tx = self.db.begin().await?;
        documents::attach(&mut tx, draft.id, requirement, document_id).await?;
        application_drafts::touch(&mut tx, draft.id, now).await?;
        tx.commit().await?;
        self.draft_documents(&draft).await
    }

    async fn delete(
        &self,
        parent: &SignedInAccount,
        draft_id: i64,
        document_id: i64,
    ) -> Result<DraftDocuments, ServiceError> {
        require_confirmed(parent)?;
        let draft = self.draft_of(parent.account_id, draft_id).await?;
        documents::of_parent(&self.db, parent.account_id, document_id)
            .await?
            .ok_or_else(not_found)?;
        let now = self.clock.now();
        let mut tx = self.db.begin().await?;
        let gone = documents::delete(&mut tx, parent.account_id, document_id, now).await?;
        application_drafts::touch(&mut tx, draft.id, now).await?;
        tx.commit().await?;
        if let Some(key) = gone {
            // The row is gone; a file left behind by a failure here is unreachable, and logged.
            if let Err(error) = self.store.delete(&key.as_str().into()).await {
                tracing::warn!(%error, document_id, "stored file not deleted");
            }
        }
        tracing::info!(
            event = "document.deleted",
            account_id = parent.account_id,
            document_id
        );
        self.draft_documents(&draft).await
    }
}

pub(super) fn not_required(requirement: RequiredDocument) -> FieldError {
    FieldError::new(
        &fields::slot(requirement),
        "documents.not_required",
        "Этот документ для льготы не нужен",
    )
}
