//! Cards confirmed before ЕГР ЗАГС was asked whether the card's parent is on the birth record.
//! Each is asked once more by one job, booked at start-up while such cards exist: the record
//! names the parent — the tie is recorded and the parent told; it does not — the certificate
//! becomes «Не найдено в загсе» with the reason, the parent's link to the child's account ends,
//! and the parent is told. Nobody loses a card silently.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use app::domain::DocumentStatus::{self, Confirmed};
use app::domain::verification::{Document, Event};

use super::checks::{CheckJob, Checks, Step, birth_record_query, certificate_problem, next};
use super::letters::Outcome;
use crate::db::children::{self, Statuses};
use crate::db::{Database, StorageError};
use crate::jobs::{self, JobError, JobHandler};
use app::operations::JobStatus;

pub const PARENT_TIE_CHECK: &str = "child.parent_tie_check";

#[derive(Debug, Serialize, Deserialize)]
struct TieJob {}

/// At start-up: the re-check, if any card needs it and none is waiting or running.
pub async fn schedule_recheck(db: &Database, now: OffsetDateTime) -> Result<bool, StorageError> {
    if children::unproven_confirmed(db).await?.is_empty() {
        return Ok(false);
    }
    jobs::book_unless_pending(
        db,
        PARENT_TIE_CHECK,
        &TieJob {},
        now,
        &[JobStatus::Queued, JobStatus::Running],
    )
    .await
}

pub struct ParentTieCheck(pub Checks);

#[async_trait::async_trait]
impl JobHandler for ParentTieCheck {
    fn kind(&self) -> &'static str {
        PARENT_TIE_CHECK
    }

    /// Each card is finished in its own transaction, so a registry failure halfway retries only
    /// the cards still unproven.
    async fn run(&self, _payload: &str) -> Result<(), JobError> {
        let checks = &self.0;
        for (child_id, round) in children::unproven_confirmed(&checks.db).await? {
            let job = CheckJob { child_id, round };
            let Some(child) = children::by_id(&checks.db, child_id).await? else {
                continue;
            };
            let parent = checks.parent_of(&child).await?;
            let query = birth_record_query(&child, &parent);
            let answer = checks.registries.births.check_birth_record(&query).await?;
            let before = Statuses::of(&child);
            // The СНИЛС stays where it is; only the certificate's standing is in question.
            let snils: &[DocumentStatus] = &[before.snils];
            let step = match certificate_problem(answer) {
                Ok(()) => Step {
                    parent_proven: true,
                    outcome: Some(Outcome::ParentProven),
                    ..Step::new(before.clone(), (&[Confirmed], snils))
                },
                Err(problem) => {
                    let mut after = before.clone();
                    after.certificate = next(
                        Document::BirthCertificate,
                        before.certificate,
                        Event::NotFound,
                    );
                    after.certificate_problem = Some(problem);
                    Step {
                        outcome: Some(Outcome::NotAParent),
                        ..Step::new(after, (&[Confirmed], snils))
                    }
                }
            };
            checks.finish(&child, &job, step).await?;
        }
        Ok(())
    }
}
