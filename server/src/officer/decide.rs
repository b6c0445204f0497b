//! Decisions: the officer's action goes through the status machine with the application's facts
//! as they are now, and the change, its journal entry and the family's messages commit together,
//! at the version the officer read.

use app::api::{Refusal, ServiceError, SignedInAccount};
use app::benefits::journal::JournalEvent;
use app::benefits::status::transition_refused;
use app::domain::application_status::{Action, ActionKind, Actor, ApplicationStatus};
use app::officer::desk::{
    CaseFile, Decision, DocumentVerdict, OfficerDesk, QueueFilter, QueuePage,
};

use super::OfficerDeskService;
use crate::db::application_events::{self, NewEvent};
use crate::db::{accounts, decisions};
use crate::family::not_found;

/// The status machine's action for an officer's choice and text.
pub(super) fn action(kind: ActionKind, text: String) -> Action {
    match kind {
        ActionKind::RequestClarification => Action::RequestClarification { request: text },
        ActionKind::Approve => Action::Approve { comment: text },
        ActionKind::Reject => Action::Reject { reason: text },
        ActionKind::Resend => Action::Resend {
            answer: text,
            new_documents: 0,
        },
        ActionKind::Appeal => Action::Appeal { arguments: text },
        ActionKind::UpholdAppeal => Action::UpholdAppeal { comment: text },
        ActionKind::DismissAppeal => Action::DismissAppeal { reason: text },
    }
}

impl OfficerDeskService {
    async fn decide_case(
        &self,
        account: &SignedInAccount,
        id: i64,
        decision: Decision,
    ) -> Result<CaseFile, ServiceError> {
        let officer = self.officer(account).await?;
        if !decision.action.by_officer() {
            return Err(ServiceError::Refused(Refusal::TransitionNotAllowed));
        }
        let now = self.clock.now();
        let row = self.row(id, now).await?;
        let comment = decision.comment.trim().to_owned();
        let action = action(decision.action, comment.clone());
        let next = row
            .status
            .apply(Actor::Officer(officer.id), &action, &row.facts(now))
            .map_err(|refusal| transition_refused(decision.action, refusal))?;
        if decision.version != row.version {
            return Err(ServiceError::Refused(Refusal::ApplicationChanged));
        }
        let refused_by = (next == ApplicationStatus::Rejected).then_some(officer.id.0);
        let mut tx = self.db.begin().await?;
        if !decisions::change_status(&mut tx, id, row.version, next, now, refused_by).await? {
            return Err(ServiceError::Refused(Refusal::ApplicationChanged));
        }
        application_events::record(
            &mut tx,
            NewEvent {
                application: id,
                at: now,
                actor: officer.actor(),
                kind: JournalEvent::Action(decision.action),
                from: Some(row.status),
                to: Some(next),
                comment: &comment,
            },
        )
        .await?;
        let parent = accounts::by_id_in(&mut tx, row.parent_account_id)
            .await?
            .ok_or_else(not_found)?;
        let number = self.number(&row)?;
        let benefit = self.benefit(&row.benefit_code)?;
        let notice = self.status_notice(&number, id, benefit, next, &comment);
        self.outbox.notify(&mut tx, &parent, &notice, now).await?;
        tx.commit().await?;
        self.outbox.wake();
        tracing::info!(
            event = "application.decided",
            account_id = account.account_id,
            application_id = id,
            from = row.status.as_str(),
            to = next.as_str(),
            "status changed"
        );
        let row = self.row(id, now).await?;
        self.case_file(&row, officer, now).await
    }
}

#[async_trait::async_trait]
impl OfficerDesk for OfficerDeskService {
    async fn queue(
        &self,
        officer: &SignedInAccount,
        filter: QueueFilter,
    ) -> Result<QueuePage, ServiceError> {
        self.queue_page(officer, filter).await
    }

    async fn open(&self, officer: &SignedInAccount, id: i64) -> Result<CaseFile, ServiceError> {
        self.open_case(officer, id).await
    }

    async fn claim(&self, officer: &SignedInAccount, id: i64) -> Result<CaseFile, ServiceError> {
        self.claim_case(officer, id).await
    }

    async fn release(&self, officer: &SignedInAccount, id: i64) -> Result<CaseFile, ServiceError> {
        self.release_case(officer, id).await
    }

    async fn decide(
        &self,
        officer: &SignedInAccount,
        id: i64,
        decision: Decision,
    ) -> Result<CaseFile, ServiceError> {
        self.decide_case(officer, id, decision).await
    }

    async fn review_document(
        &self,
        officer: &SignedInAccount,
        id: i64,
        document: i64,
        verdict: DocumentVerdict,
    ) -> Result<CaseFile, ServiceError> {
        self.review(officer, id, document, verdict).await
    }
}
