//! One application on the officer's desk: opening it (journaled), claiming it with a lease and
//! giving it back, and the case file every answer returns.

use app::activity::journal::ActivityKind;
use app::api::{Refusal, ServiceError, SignedInAccount};
use app::benefits::application::summary_rows;
use app::benefits::journal::JournalEvent;
use app::benefits::journal::officer_label;
use app::domain::format_ru_datetime;
use app::officer::desk::{CLAIM_MINUTES, CaseDocument, CaseFile, DocumentReview};
use time::{Duration, OffsetDateTime};

use super::{Officer, OfficerDeskService, allowed_actions, claim_view};
use crate::activity::{self, Activity, Actor};
use crate::benefits::applications::journal;
use crate::db::application_events::{self, NewEvent};
use crate::db::decisions::{self, CaseRow};
use crate::db::document_reviews::{self, VerdictKind};
use crate::db::{Tx, activity_journal, applications, documents};
use crate::family::not_found;

impl OfficerDeskService {
    /// The case file as `officer` sees it at `now`.
    pub(super) async fn case_file(
        &self,
        row: &CaseRow,
        officer: Officer,
        now: OffsetDateTime,
    ) -> Result<CaseFile, ServiceError> {
        let benefit = self.benefit(&row.benefit_code)?;
        let stored = applications::by_id(&self.db, row.id)
            .await?
            .ok_or_else(not_found)?;
        let content = stored.content()?;
        let answers = summary_rows(&content.child, &content.applicant, &content.answers)
            .into_iter()
            .map(|(_, label, value)| (label.to_owned(), value.unwrap_or_default()))
            .collect();
        let mut documents: Vec<CaseDocument> = documents::of_application(&self.db, row.id)
            .await?
            .into_iter()
            .map(|d| CaseDocument {
                id: d.id,
                title: d.requirement.title().to_owned(),
                file_name: d.file_name,
                media_type: d.kind.mime().to_owned(),
                new: false,
                review: None,
            })
            .collect();
        let attachments = application_events::attachments(&self.db, row.id).await?;
        let latest = attachments.last().map(|a| a.event_id);
        for attached in attachments {
            let Some(document) = documents::by_id(&self.db, attached.document_id).await? else {
                continue;
            };
            documents.push(CaseDocument {
                id: document.id,
                title: "Дополнительный документ".to_owned(),
                file_name: document.file_name,
                media_type: document.kind.mime().to_owned(),
                new: row.new_material && Some(attached.event_id) == latest,
                review: None,
            });
        }
        for review in document_reviews::of_application(&self.db, row.id).await? {
            if let Some(shown) = documents.iter_mut().find(|d| d.id == review.document_id) {
                shown.review = Some(DocumentReview {
                    approved: review.verdict == VerdictKind::Approved,
                    reason: review.reason,
                    by: officer_label(review.officer_number),
                    at: format_ru_datetime(review.at),
                });
            }
        }
        Ok(CaseFile {
            id: row.id,
            number: self.number(row)?,
            benefit_name: benefit.name.clone(),
            decision_days: benefit.decision_days,
            submitted_at: format_ru_datetime(row.submitted_at),
            status: row.status,
            eligibility: row.eligibility,
            overdue: row.overdue(now),
            claim: claim_view(row, officer, now),
            answers,
            documents,
            journal: journal::entries(&self.db, row.id).await?,
            actions: allowed_actions(row, officer, now),
            version: row.version,
        })
    }

    pub(super) async fn open_case(
        &self,
        account: &SignedInAccount,
        id: i64,
    ) -> Result<CaseFile, ServiceError> {
        let officer = self.officer(account).await?;
        let now = self.clock.now();
        let row = self.row(id, now).await?;
        let mut tx = self.db.begin().await?;
        officer_entry(&mut tx, id, officer, JournalEvent::Viewed, "", now).await?;
        if let Some(minor) = activity_journal::minor_of_application(&mut tx, id).await? {
            let number = self
                .catalogue
                .find(&row.benefit_code)
                .map(|b| b.application_number(row.submitted_at, row.id))
                .unwrap_or_default();
            let activity = Activity {
                kind: ActivityKind::DataView,
                actor: Actor::officer(account.account_id, officer.number),
                action: "Просмотр заявления специалистом",
                detail: format!("Заявление № {number}"),
                client: None,
            };
            activity::record_view(&mut tx, minor, &activity, now).await?;
        }
        tx.commit().await?;
        tracing::info!(
            event = "officer.viewed",
            account_id = account.account_id,
            application_id = id,
            "application viewed"
        );
        self.case_file(&row, officer, now).await
    }

    pub(super) async fn claim_case(
        &self,
        account: &SignedInAccount,
        id: i64,
    ) -> Result<CaseFile, ServiceError> {
        let officer = self.officer(account).await?;
        let now = self.clock.now();
        let before = self.row(id, now).await?;
        let until = now + Duration::minutes(CLAIM_MINUTES);
        let mut tx = self.db.begin().await?;
        if !decisions::claim(&mut tx, id, officer.id.0, now, until).await? {
            return Err(ServiceError::Refused(if before.status.awaits_officer() {
                Refusal::ClaimedByAnother
            } else {
                Refusal::TransitionNotAllowed
            }));
        }
        officer_entry(&mut tx, id, officer, JournalEvent::Claimed, "", now).await?;
        tx.commit().await?;
        let row = self.row(id, now).await?;
        self.case_file(&row, officer, now).await
    }

    pub(super) async fn release_case(
        &self,
        account: &SignedInAccount,
        id: i64,
    ) -> Result<CaseFile, ServiceError> {
        let officer = self.officer(account).await?;
        let now = self.clock.now();
        let before = self.row(id, now).await?;
        if before.live_claim(now) != Some(officer.id.0) {
            return Err(ServiceError::Refused(Refusal::NotClaimed));
        }
        let mut tx = self.db.begin().await?;
        if !decisions::release(&mut tx, id, officer.id.0).await? {
            return Err(ServiceError::Refused(Refusal::NotClaimed));
        }
        officer_entry(&mut tx, id, officer, JournalEvent::Released, "", now).await?;
        tx.commit().await?;
        let row = self.row(id, now).await?;
        self.case_file(&row, officer, now).await
    }
}

/// A journal entry by the officer that changes no status (a viewing, a claim, a release, a
/// document's verdict), with what it says.
pub(super) async fn officer_entry(
    tx: &mut Tx,
    id: i64,
    officer: Officer,
    event: JournalEvent,
    comment: &str,
    now: OffsetDateTime,
) -> Result<(), ServiceError> {
    application_events::record(
        tx,
        NewEvent {
            application: id,
            at: now,
            actor: officer.actor(),
            kind: event,
            from: None,
            to: None,
            comment,
        },
    )
    .await?;
    Ok(())
}
