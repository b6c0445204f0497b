//! `ApplicationReplies`: the family's answer to a clarification and its appeal of a refusal.
//! Each goes through the status machine with the application's facts as they are now; the
//! change, its journal entry and the files sent with it commit together, at the version the
//! page showed. Files still being checked hold the reply back; rejected ones are not sent.

use app::api::{FieldError, Refusal, ServiceError, SignedInAccount};
use app::benefits::documents::UploadStatus;
use app::benefits::journal::{JournalEntry, JournalEvent};
use app::benefits::my_applications::ReplyState;
use app::benefits::my_applications::{ApplicationDetails, MyApplications};
use app::benefits::reply::{ApplicationReplies, REPLY_DOCUMENTS_FIELD, Reply};
use app::benefits::status::transition_refused;
use app::domain::application_status::{
    Action, ActionKind, Actor, ApplicationStatus, appeal_closes_after,
};
use app::domain::date::{MOSCOW, format_ru_date};
use time::OffsetDateTime;

use super::Applications;
use crate::db::application_events::{self, EventActor, NewEvent};
use crate::db::decisions::{self, CaseRow};
use crate::db::{applications, documents};
use crate::family::{not_found, require_confirmed};

/// What the family may send on `row` at `now`, if anything: the status machine asked.
pub(crate) fn open_reply(row: &CaseRow, now: OffsetDateTime) -> Option<ActionKind> {
    let probe = match row.status {
        ApplicationStatus::ClarificationNeeded => Action::Resend {
            answer: "—".to_owned(),
            new_documents: 0,
        },
        ApplicationStatus::Rejected => Action::Appeal {
            arguments: "—".to_owned(),
        },
        _ => return None,
    };
    let kind = probe.kind();
    row.status
        .apply(Actor::Applicant, &probe, &row.facts(now))
        .ok()
        .map(|_| kind)
}

/// The page's «what may the family send now», from the journal's latest request or refusal.
pub(super) fn reply_state(
    row: &CaseRow,
    journal: &[JournalEntry],
    now: OffsetDateTime,
) -> ReplyState {
    let latest = |kind: ActionKind| {
        journal
            .iter()
            .rev()
            .find(|entry| entry.event == JournalEvent::Action(kind))
    };
    match row.status {
        ApplicationStatus::ClarificationNeeded => ReplyState::Clarification {
            request: latest(ActionKind::RequestClarification)
                .map(|entry| entry.comment.clone())
                .unwrap_or_default(),
        },
        ApplicationStatus::Rejected => {
            let (Some(refusal), Some(refused_at)) = (latest(ActionKind::Reject), row.refused_at)
            else {
                return ReplyState::Nothing;
            };
            let until = appeal_closes_after(refused_at.to_offset(MOSCOW).date());
            if open_reply(row, now).is_some() {
                ReplyState::AppealOpen {
                    decision: refusal.number,
                    decided_on: format_ru_date(refused_at.to_offset(MOSCOW).date()),
                    reason: refusal.comment.clone(),
                    until: format_ru_date(until),
                }
            } else {
                ReplyState::AppealClosed {
                    decision: refusal.number,
                    closed_on: format_ru_date(until),
                }
            }
        }
        _ => ReplyState::Nothing,
    }
}

impl Applications {
    /// The parent's application as the status machine sees it; another family's is «not found».
    async fn own_case(
        &self,
        parent: &SignedInAccount,
        id: i64,
        now: OffsetDateTime,
    ) -> Result<CaseRow, ServiceError> {
        applications::of_parent(&self.db, parent.account_id, id)
            .await?
            .ok_or_else(not_found)?;
        decisions::case(&self.db, id, now)
            .await?
            .ok_or_else(not_found)
    }

    async fn reply(
        &self,
        parent: &SignedInAccount,
        id: i64,
        kind: ActionKind,
        reply: Reply,
    ) -> Result<ApplicationDetails, ServiceError> {
        require_confirmed(parent)?;
        let now = self.clock.now();
        let row = self.own_case(parent, id, now).await?;
        let held = documents::held_for_reply(&self.db, id).await?;
        if let Some(checking) = held.iter().find(|d| d.status == UploadStatus::Processing) {
            return Err(ServiceError::Invalid(vec![FieldError::new(
                REPLY_DOCUMENTS_FIELD,
                "reply.document_processing",
                &format!(
                    "Файл «{}» ещё проверяется — отправьте, когда проверка закончится",
                    checking.file_name
                ),
            )]));
        }
        let sent: Vec<i64> = held
            .iter()
            .filter(|d| d.status == UploadStatus::Approved)
            .map(|d| d.id)
            .collect();
        let text = reply.text.trim().to_owned();
        let action = match kind {
            ActionKind::Resend => Action::Resend {
                answer: text.clone(),
                new_documents: sent.len(),
            },
            _ => Action::Appeal {
                arguments: text.clone(),
            },
        };
        let next = row
            .status
            .apply(Actor::Applicant, &action, &row.facts(now))
            .map_err(|refusal| transition_refused(kind, refusal))?;
        if reply.version != row.version {
            return Err(ServiceError::Refused(Refusal::ApplicationChanged));
        }
        let mut tx = self.db.begin().await?;
        if !decisions::change_status(&mut tx, id, row.version, next, now, None).await? {
            return Err(ServiceError::Refused(Refusal::ApplicationChanged));
        }
        let event = application_events::record(
            &mut tx,
            NewEvent {
                application: id,
                at: now,
                actor: EventActor::Applicant,
                kind: JournalEvent::Action(kind),
                from: Some(row.status),
                to: Some(next),
                comment: &text,
            },
        )
        .await?;
        application_events::attach(&mut tx, event, id, &sent).await?;
        documents::unhold(&mut tx, id, &sent).await?;
        tx.commit().await?;
        tracing::info!(
            event = "application.replied",
            account_id = parent.account_id,
            application_id = id,
            action = kind.as_str(),
            files = sent.len(),
            "the family replied"
        );
        self.details(parent, id, None).await?.ok_or_else(not_found)
    }
}

#[async_trait::async_trait]
impl ApplicationReplies for Applications {
    async fn resend(
        &self,
        parent: &SignedInAccount,
        id: i64,
        reply: Reply,
    ) -> Result<ApplicationDetails, ServiceError> {
        self.reply(parent, id, ActionKind::Resend, reply).await
    }

    async fn appeal(
        &self,
        parent: &SignedInAccount,
        id: i64,
        reply: Reply,
    ) -> Result<ApplicationDetails, ServiceError> {
        self.reply(parent, id, ActionKind::Appeal, reply).await
    }

    async fn remove_held(
        &self,
        parent: &SignedInAccount,
        id: i64,
        document: i64,
    ) -> Result<ApplicationDetails, ServiceError> {
        let now = self.clock.now();
        self.own_case(parent, id, now).await?;
        let mut tx = self.db.begin().await?;
        documents::unhold(&mut tx, id, &[document]).await?;
        tx.commit().await?;
        self.details(parent, id, None).await?.ok_or_else(not_found)
    }
}
