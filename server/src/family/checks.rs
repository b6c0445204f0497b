//! The registry checks of a child's documents, as jobs: first ЕГР ЗАГС confirms the birth
//! certificate and that the record names the card's parent (knowing a certificate's details
//! proves nothing), then СФР finds (or checks) the СНИЛС. Each job carries the child and the round
//! it was made for; a result is written only while the child is still in that round and the
//! document still waits for it, so a job that runs twice — after a crash, or an operator's
//! retry — or after the parent edited the child changes nothing.

use std::sync::Arc;

use registry_sim::protocol::{
    Answer, Applicant, ApplicantTie, BirthRecord, BirthRecordQuery, PersonQuery, SnilsCheck,
    SnilsSearch,
};
use serde::{Deserialize, Serialize};
use time::Duration;

use app::domain::DocumentStatus::{self, *};
use app::domain::verification::{Document, Event};
use app::family::status_text::NOT_A_PARENT;

use super::letters::{self, Outcome};
use super::view::full_name;
use crate::clock::Clock;
use crate::db::accounts::StoredAccount;
use crate::db::children::{self, CheckResult, Statuses, StoredChild};
use crate::db::{Database, StorageError, accounts, child_accounts};
use crate::jobs::{self, JobError, JobHandler};
use crate::outbox::Outbox;
use crate::registries::{Registries, mismatch_code};

pub const CERTIFICATE_CHECK: &str = "child.certificate_check";
pub const SNILS_CHECK: &str = "child.snils_check";
/// «Автообновление для сохранения актуальности документов»: a confirmed certificate is asked
/// for again every [`REFRESH_EVERY`]; if ЕГР ЗАГС no longer confirms it, the parent is told.
pub const CERTIFICATE_REFRESH: &str = "child.certificate_refresh";
pub const REFRESH_EVERY: Duration = Duration::days(30);

/// A job to write with the result, due this long after it.
pub struct NextJob {
    pub kind: &'static str,
    pub after: Duration,
}

impl NextJob {
    fn now(kind: &'static str) -> Self {
        Self {
            kind,
            after: Duration::ZERO,
        }
    }
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
pub struct CheckJob {
    pub child_id: i64,
    pub round: i64,
}

/// What one run of a check learned, for [`Checks::finish`].
pub(super) struct Step<'a> {
    pub after: Statuses,
    /// The СНИЛС СФР found, when it searched.
    pub found_snils: Option<&'a str>,
    /// ЕГР ЗАГС named the card's parent on the birth record.
    pub parent_proven: bool,
    /// The statuses (certificate, СНИЛС) the child must still be in for the result to count.
    pub expected: (&'a [DocumentStatus], &'a [DocumentStatus]),
    pub next: Option<NextJob>,
    pub outcome: Option<Outcome>,
}

impl<'a> Step<'a> {
    pub fn new(after: Statuses, expected: (&'a [DocumentStatus], &'a [DocumentStatus])) -> Self {
        Self {
            after,
            found_snils: None,
            parent_proven: false,
            expected,
            next: None,
            outcome: None,
        }
    }
}

/// What both checks need.
#[derive(Clone)]
pub struct Checks {
    pub db: Database,
    pub clock: Arc<dyn Clock>,
    pub registries: Registries,
    pub outbox: Outbox,
    /// Where the e-mail's link points.
    pub public_url: String,
}

impl Checks {
    /// The two job handlers.
    pub fn handlers(self) -> Vec<Arc<dyn JobHandler>> {
        vec![
            Arc::new(CertificateCheck(self.clone())),
            Arc::new(SnilsCheckJob(self.clone())),
            Arc::new(CertificateRefresh(self.clone())),
            Arc::new(super::parent_tie::ParentTieCheck(self)),
        ]
    }

    /// The card's parent, as ЕГР ЗАГС is asked about them.
    pub(super) async fn parent_of(&self, child: &StoredChild) -> Result<StoredAccount, JobError> {
        accounts::by_id(&self.db, child.parent_account_id)
            .await?
            .ok_or_else(|| JobError::Permanent("the card's parent is gone".to_owned()))
    }

    /// The child if this job is still current for it.
    async fn current(&self, job: &CheckJob) -> Result<Option<StoredChild>, JobError> {
        let child = children::by_id(&self.db, job.child_id).await?;
        Ok(child.filter(|c| c.check_round == job.round))
    }

    /// Writes the new statuses (if the child still waits for them), the history and, when the
    /// checks are over, the parent's notifications; and the next job, if any — one transaction.
    /// A birth record that does not name the parent also ends the parent's link to the child's
    /// account through this card.
    pub(super) async fn finish(
        &self,
        child: &StoredChild,
        job: &CheckJob,
        step: Step<'_>,
    ) -> Result<(), StorageError> {
        let Step {
            after,
            found_snils,
            parent_proven,
            expected,
            next,
            outcome,
        } = step;
        let now = self.clock.now();
        let before = Statuses::of(child);
        let mut tx = self.db.begin().await?;
        let result = CheckResult {
            id: child.id,
            round: job.round,
            statuses: &after,
            found_snils,
            parent_proven,
        };
        if !children::apply_check(&mut tx, result, expected.0, expected.1, now).await? {
            // Already recorded by an earlier run, or the child moved on: nothing to do.
            return Ok(());
        }
        if before.certificate != after.certificate {
            children::record_status(
                &mut tx,
                child.id,
                Document::BirthCertificate,
                after.certificate,
                after.certificate_problem.as_deref(),
                now,
            )
            .await?;
        }
        if before.snils != after.snils {
            children::record_status(
                &mut tx,
                child.id,
                Document::Snils,
                after.snils,
                after.snils_problem.as_deref(),
                now,
            )
            .await?;
        }
        if let Some(NextJob { kind, after }) = next {
            jobs::enqueue(&mut tx, kind, job, now + after).await?;
        }
        if matches!(outcome, Some(Outcome::NotAParent)) {
            child_accounts::end_link_of_card(&mut tx, child.parent_account_id, child.id, now)
                .await?;
        }
        let mut notified = false;
        if let Some(outcome) = outcome
            && let Some(parent) = accounts::by_id_in(&mut tx, child.parent_account_id).await?
        {
            let url = format!("{}/documents/family/children/{}", self.public_url, child.id);
            let notice = letters::check_finished(&full_name(child), &outcome, &url);
            self.outbox.notify(&mut tx, &parent, &notice, now).await?;
            notified = true;
        }
        tx.commit().await?;
        if notified {
            self.outbox.wake();
        }
        Ok(())
    }
}

impl Checks {
    /// Every retry failed: the document the job was for shows «Ведомство не ответило», and the
    /// parent is told.
    async fn gave_up(&self, payload_text: &str, document: Document) -> Result<(), JobError> {
        let job = jobs::parse_payload::<CheckJob>(payload_text)?;
        let Some(child) = self.current(&job).await? else {
            return Ok(());
        };
        let mut after = Statuses::of(&child);
        let expected: (&[DocumentStatus], &[DocumentStatus]) = if document == Document::Snils {
            after.snils = next(Document::Snils, after.snils, Event::RegistryDown);
            (&[Confirmed], &[Searching, Checking])
        } else {
            after.certificate = next(
                Document::BirthCertificate,
                after.certificate,
                Event::RegistryDown,
            );
            (&[Checking], &[Absent, Manual])
        };
        let step = Step {
            outcome: Some(Outcome::RegistryUnavailable),
            ..Step::new(after, expected)
        };
        self.finish(&child, &job, step)
            .await
            .map_err(JobError::from)
    }
}

fn person(c: &StoredChild) -> PersonQuery {
    PersonQuery {
        last_name: c.last_name.clone(),
        first_name: c.first_name.clone(),
        middle_name: c.middle_name.clone(),
        birth_date: c.birth_date,
    }
}

/// The certificate as the card holds it, asked for by the card's parent.
pub(super) fn birth_record_query(c: &StoredChild, parent: &StoredAccount) -> BirthRecordQuery {
    BirthRecordQuery {
        certificate: c.certificate_number.clone(),
        issue_date: c.certificate_date,
        act_record_number: c.act_record_number.clone().unwrap_or_default(),
        act_record_date: c.act_record_date.unwrap_or(c.certificate_date),
        child: person(c),
        applicant: Applicant {
            person: PersonQuery {
                last_name: parent.last_name.clone(),
                first_name: parent.first_name.clone(),
                middle_name: parent.middle_name.clone(),
                birth_date: parent.birth_date,
            },
            snils: parent.snils.clone(),
        },
    }
}

/// What ЕГР ЗАГС's answer means for the card: the record is there and names the parent
/// (`Ok`), or the problem code the card shows.
pub(super) fn certificate_problem(answer: Answer<BirthRecord>) -> Result<(), String> {
    match answer {
        Answer::Found { record } => match record.applicant {
            ApplicantTie::Parent => Ok(()),
            ApplicantTie::NotOnRecord => Err(NOT_A_PARENT.to_owned()),
        },
        Answer::NotFound => Err("not_found".to_owned()),
        Answer::Mismatch { fields } => Err(mismatch_code("mismatch", &fields)),
    }
}

/// The parent's notification for a certificate ЕГР ЗАГС did not confirm.
fn refused(problem: &str) -> Outcome {
    if problem == NOT_A_PARENT {
        Outcome::NotAParent
    } else {
        Outcome::NotFoundInZags
    }
}

pub(super) fn next(document: Document, status: DocumentStatus, event: Event) -> DocumentStatus {
    // `current` and `apply_check` admit only states these events move from.
    document.after(status, event).unwrap_or(status)
}

struct CertificateCheck(Checks);

#[async_trait::async_trait]
impl JobHandler for CertificateCheck {
    fn kind(&self) -> &'static str {
        CERTIFICATE_CHECK
    }

    async fn run(&self, payload_text: &str) -> Result<(), JobError> {
        let job = jobs::parse_payload::<CheckJob>(payload_text)?;
        let Some(child) = self.0.current(&job).await? else {
            return Ok(());
        };
        if !matches!(child.certificate_status, Checking | RegistryUnavailable) {
            return Ok(());
        }
        let parent = self.0.parent_of(&child).await?;
        let query = birth_record_query(&child, &parent);
        let answer = self.0.registries.births.check_birth_record(&query).await?;
        let before = Statuses::of(&child);
        let mut after = before.clone();
        let expected: (&[DocumentStatus], &[DocumentStatus]) =
            (&[Checking, RegistryUnavailable], &[Absent, Manual]);
        // СФР is asked only once the record names this parent.
        let step = match certificate_problem(answer) {
            Ok(()) => {
                after.certificate =
                    next(Document::BirthCertificate, before.certificate, Event::Found);
                after.certificate_problem = None;
                after.snils = next(Document::Snils, before.snils, Event::CertificateConfirmed);
                Step {
                    parent_proven: true,
                    next: Some(NextJob::now(SNILS_CHECK)),
                    ..Step::new(after, expected)
                }
            }
            Err(problem) => {
                after.certificate = next(
                    Document::BirthCertificate,
                    before.certificate,
                    Event::NotFound,
                );
                let outcome = refused(&problem);
                after.certificate_problem = Some(problem);
                Step {
                    outcome: Some(outcome),
                    ..Step::new(after, expected)
                }
            }
        };
        self.0
            .finish(&child, &job, step)
            .await
            .map_err(JobError::from)
    }

    async fn gave_up(&self, payload_text: &str, _error: &str) -> Result<(), JobError> {
        self.0
            .gave_up(payload_text, Document::BirthCertificate)
            .await
    }
}

struct SnilsCheckJob(Checks);

#[async_trait::async_trait]
impl JobHandler for SnilsCheckJob {
    fn kind(&self) -> &'static str {
        SNILS_CHECK
    }

    async fn run(&self, payload_text: &str) -> Result<(), JobError> {
        let job = jobs::parse_payload::<CheckJob>(payload_text)?;
        let Some(child) = self.0.current(&job).await? else {
            return Ok(());
        };
        let before = Statuses::of(&child);
        if before.certificate != Confirmed
            || !matches!(before.snils, Searching | Checking | RegistryUnavailable)
        {
            return Ok(());
        }
        let snils_registry = &self.0.registries.snils;
        let mut after = before.clone();
        let mut found = None;
        // A typed СНИЛС (14+) is checked; otherwise СФР searches by the child and certificate.
        let (event, problem) = match &child.snils {
            Some(snils) => {
                let query = SnilsCheck {
                    snils: snils.clone(),
                    person: person(&child),
                };
                match snils_registry.check_snils(&query).await? {
                    Answer::Found { .. } => (Event::Found, None),
                    Answer::NotFound => (Event::NotFound, Some("not_found_by_number".to_owned())),
                    Answer::Mismatch { fields } => {
                        (Event::NotFound, Some(mismatch_code("mismatch", &fields)))
                    }
                }
            }
            None => {
                let query = SnilsSearch {
                    person: person(&child),
                    certificate: child.certificate_number.clone(),
                };
                match snils_registry.find_snils(&query).await? {
                    Answer::Found { record } => {
                        found = Some(record.snils);
                        (Event::Found, None)
                    }
                    Answer::NotFound => (Event::NotFound, Some("not_found".to_owned())),
                    Answer::Mismatch { fields } => {
                        (Event::NotFound, Some(mismatch_code("mismatch", &fields)))
                    }
                }
            }
        };
        after.snils = next(Document::Snils, before.snils, event);
        after.snils_problem = problem;
        let (outcome, refresh) = if after.snils == Confirmed {
            let refresh = child.auto_update.then_some(NextJob {
                kind: CERTIFICATE_REFRESH,
                after: REFRESH_EVERY,
            });
            (Outcome::Confirmed, refresh)
        } else {
            (Outcome::NotFoundInSfr, None)
        };
        let expected: (&[DocumentStatus], &[DocumentStatus]) =
            (&[Confirmed], &[Searching, Checking, RegistryUnavailable]);
        let step = Step {
            found_snils: found.as_deref(),
            next: refresh,
            outcome: Some(outcome),
            ..Step::new(after, expected)
        };
        self.0
            .finish(&child, &job, step)
            .await
            .map_err(JobError::from)
    }

    async fn gave_up(&self, payload_text: &str, _error: &str) -> Result<(), JobError> {
        self.0.gave_up(payload_text, Document::Snils).await
    }
}

/// The certificate asked for again while «Автообновление» is on and both documents are
/// confirmed. Still confirmed: the next refresh is booked; no longer: «Не найдено в загсе» and the
/// parent is told. An edit or a new request moves the round on and ends the series.
struct CertificateRefresh(Checks);

#[async_trait::async_trait]
impl JobHandler for CertificateRefresh {
    fn kind(&self) -> &'static str {
        CERTIFICATE_REFRESH
    }

    async fn run(&self, payload_text: &str) -> Result<(), JobError> {
        let job = jobs::parse_payload::<CheckJob>(payload_text)?;
        let Some(child) = self.0.current(&job).await? else {
            return Ok(());
        };
        let before = Statuses::of(&child);
        if !child.auto_update || before.certificate != Confirmed || before.snils != Confirmed {
            return Ok(());
        }
        let parent = self.0.parent_of(&child).await?;
        let query = birth_record_query(&child, &parent);
        let answer = self.0.registries.births.check_birth_record(&query).await?;
        let Err(problem) = certificate_problem(answer) else {
            let now = self.0.clock.now();
            let mut tx = self.0.db.begin().await?;
            jobs::enqueue(&mut tx, CERTIFICATE_REFRESH, &job, now + REFRESH_EVERY).await?;
            return Ok(tx.commit().await?);
        };
        let mut after = before.clone();
        after.certificate = next(
            Document::BirthCertificate,
            before.certificate,
            Event::NotFound,
        );
        let outcome = refused(&problem);
        after.certificate_problem = Some(problem);
        let step = Step {
            outcome: Some(outcome),
            ..Step::new(after, (&[Confirmed], &[Confirmed]))
        };
        self.0
            .finish(&child, &job, step)
            .await
            .map_err(JobError::from)
    }
}
