//! `ApplicationSubmission`: «Отправить». The key is looked up first, so a repeat costs one read;
//! a new submission is checked whole again, then the intake writes the application, removes the
//! draft (at the version the parent checked), books the eligibility check again and the
//! confirmation messages — one transaction, acknowledged only once it is committed.

use app::activity::journal::{ActivityKind, ActorKind};
use app::api::{FieldError, ServiceError, SignedInAccount};
use app::benefits::application::DraftEligibility;
use app::benefits::catalogue::Benefit;
use app::benefits::documents::missing_documents;
use app::benefits::status::{ApplicationStatus, EligibilityFlag};
use app::benefits::submission::{
    ApplicationSubmission, Submission, Submitted, answers_changed, check_accept_warnings,
    check_declaration, fields, key_reused,
};
use app::domain::{format_ru_datetime, moscow_today};

use super::Applications;
use crate::activity::{Activity, Actor};
use crate::benefits::eligibility::start_round_in;
use crate::db::activity_journal;
use crate::db::application_drafts;
use crate::db::application_events::{self, EventActor, NewEvent};
use crate::db::applications::{self, NewApplication, SentContent, SentDocument, StoredApplication};
use crate::db::documents;
use crate::family::{not_found, require_confirmed};
use crate::outbox::Notice;
use crate::receipts::signing::sha256_hex;
use app::benefits::journal::JournalEvent;
use app::notifications::settings::NoticeEvent;

/// What a key was used for: the draft and the version of its answers.
fn request_sha256(submission: &Submission) -> String {
    sha256_hex(
        format!(
            "draft {} version {}",
            submission.draft_id, submission.version
        )
        .as_bytes(),
    )
}

impl Applications {
    pub(super) fn submitted(&self, stored: &StoredApplication) -> Result<Submitted, ServiceError> {
        let benefit = self.benefit(&stored.benefit_code)?;
        Ok(Submitted {
            application_id: stored.id,
            number: benefit.application_number(stored.submitted_at, stored.id),
            submitted_at: format_ru_datetime(stored.submitted_at),
            status: stored.status,
        })
    }

    /// The answer a key already has: the same one for the same request, a refusal for another.
    fn replay(
        &self,
        stored: &StoredApplication,
        submission: &Submission,
    ) -> Result<Submitted, ServiceError> {
        if stored.request_sha256 == request_sha256(submission) {
            self.submitted(stored)
        } else {
            Err(ServiceError::Invalid(vec![key_reused()]))
        }
    }

    /// The key's application, or (for a draft already sent under another key, say from a second
    /// device) «answers changed»; nothing when the draft is simply not there.
    async fn after_a_race(
        &self,
        parent: &SignedInAccount,
        submission: &Submission,
    ) -> Result<Submitted, ServiceError> {
        if let Some(stored) =
            applications::by_key(&self.db, parent.account_id, &submission.key).await?
        {
            return self.replay(&stored, submission);
        }
        if applications::by_draft(&self.db, parent.account_id, submission.draft_id)
            .await?
            .is_some()
        {
            return Err(ServiceError::Invalid(vec![answers_changed()]));
        }
        Err(not_found())
    }

    /// «Заявление № … принято», on the channels the parent chose for «Подтверждение подачи
    /// заявления».
    fn confirmation(&self, benefit: &Benefit, child_name: &str, submitted: &Submitted) -> Notice {
        Notice {
            event: NoticeEvent::Submitted,
            subject: format!("Заявление № {} принято", submitted.number),
            text: format!(
                "Заявление «{}» для ребёнка ({child_name}) отправлено {} (МСК). Статус: «{}». \
                 Срок рассмотрения — до {} рабочих дней. Квитанция и статус — в заявлении.",
                benefit.name,
                submitted.submitted_at,
                submitted.status.label(),
                benefit.decision_days,
            ),
            link: format!(
                "{}/applications/{}",
                self.public_url, submitted.application_id
            ),
        }
    }
}

#[async_trait::async_trait]
impl ApplicationSubmission for Applications {
    async fn submit(
        &self,
        parent: &SignedInAccount,
        submission: Submission,
    ) -> Result<Submitted, ServiceError> {
        require_confirmed(parent)?;
        if let Some(stored) =
            applications::by_key(&self.db, parent.account_id, &submission.key).await?
        {
            return self.replay(&stored, &submission);
        }
        // A repeat is answered above at the cost of one read; new work is admitted, or told when
        // to come back, before anything else is read or written.
        let _admitted = self.admission.admit(parent.account_id)?;
        let Some(draft) =
            application_drafts::of_parent(&self.db, parent.account_id, submission.draft_id).await?
        else {
            return self.after_a_race(parent, &submission).await;
        };
        if draft.version != submission.version {
            return Err(ServiceError::Invalid(vec![answers_changed()]));
        }
        let child = self.child_of(parent, &draft).await?;
        let view = self.view_without_documents(parent, &draft, &child).await?;
        let now = self.clock.now();
        if let Err((question, mut found)) = view.saved.recheck(moscow_today(now)) {
            if found.is_empty() {
                found.push(FieldError::new(
                    fields::SUBMISSION,
                    "answers.missing",
                    &format!("Заполните страницу «{}»", question.title()),
                ));
            }
            return Err(ServiceError::Invalid(found));
        }
        let mut refused = Vec::new();
        refused.extend(check_declaration(submission.declaration).err());
        let eligibility = match &view.eligibility {
            DraftEligibility::Passed => EligibilityFlag::Passed,
            DraftEligibility::Unchecked => EligibilityFlag::Unchecked,
            DraftEligibility::Failed(_) => {
                refused.extend(check_accept_warnings(true, submission.accept_warnings).err());
                EligibilityFlag::Failed
            }
        };
        if !refused.is_empty() {
            return Err(ServiceError::Invalid(refused));
        }
        let benefit = self.benefit(&draft.benefit_code)?;
        let account = crate::db::accounts::by_id(&self.db, parent.account_id)
            .await?
            .ok_or_else(not_found)?;
        let request = request_sha256(&submission);
        let mut tx = self.db.begin().await?;
        // Read in the transaction that sends them: a file deleted or rejected meanwhile counts.
        let attached = documents::of_draft_in(&mut tx, draft.id).await?;
        let slots = crate::benefits::documents::slots(&benefit.documents, &attached)?;
        let missing = missing_documents(&slots);
        if !missing.is_empty() {
            // A concurrent «Отправить» may have sent the draft (its documents went with it).
            let gone = application_drafts::of_parent_in(&mut tx, parent.account_id, draft.id)
                .await?
                .is_none();
            drop(tx);
            if gone {
                return self.after_a_race(parent, &submission).await;
            }
            return Err(ServiceError::Invalid(missing));
        }
        let content = SentContent {
            child: view.child.clone(),
            applicant: view.applicant.clone(),
            answers: view.saved.clone(),
            documents: slots
                .iter()
                .filter_map(|slot| {
                    let file = slot.attached.as_ref()?;
                    Some(SentDocument {
                        title: slot.requirement.title().to_owned(),
                        file_name: file.file_name.clone(),
                        sha256: file.sha256.clone(),
                    })
                })
                .collect(),
        };
        let Some(id) = applications::insert(
            &mut tx,
            NewApplication {
                parent: parent.account_id,
                child: child.id,
                benefit_code: &benefit.code,
                eligibility,
                content: &content,
                key: &submission.key,
                request_sha256: &request,
                draft_id: draft.id,
                at: now,
            },
        )
        .await?
        else {
            drop(tx);
            return self.after_a_race(parent, &submission).await;
        };
        documents::send_with(&mut tx, draft.id, id).await?;
        application_events::record(
            &mut tx,
            NewEvent {
                application: id,
                at: now,
                actor: EventActor::Applicant,
                kind: JournalEvent::Submitted,
                from: None,
                to: Some(ApplicationStatus::UnderReview),
                comment: "",
            },
        )
        .await?;
        if !application_drafts::consume(&mut tx, parent.account_id, draft.id, draft.version).await?
        {
            // Saved again in between: the parent checked answers that are no longer the draft's.
            drop(tx);
            return Err(ServiceError::Invalid(vec![answers_changed()]));
        }
        start_round_in(&mut tx, parent.account_id, child.id, &benefit.code, now).await?;
        let submitted = Submitted {
            application_id: id,
            number: benefit.application_number(now, id),
            submitted_at: format_ru_datetime(now),
            status: ApplicationStatus::UnderReview,
        };
        let notice = self.confirmation(benefit, &child.first_name, &submitted);
        self.outbox.notify(&mut tx, &account, &notice, now).await?;
        if let Some(minor) = activity_journal::minor_of_application(&mut tx, id).await? {
            let activity = Activity {
                kind: ActivityKind::Operation,
                actor: Actor::person(&mut tx, ActorKind::Parent, parent.account_id).await?,
                action: "Подано заявление",
                detail: format!("{} — заявление № {}", benefit.name, submitted.number),
                client: None,
            };
            crate::activity::record(&mut tx, minor, &activity, now).await?;
        }
        tx.commit().await?;
        self.outbox.wake();
        tracing::info!(
            event = "application.submitted",
            account_id = parent.account_id,
            application_id = id,
            benefit = benefit.code,
            eligibility = eligibility.as_str()
        );
        Ok(submitted)
    }
}
