//! An application's status journal: each transition, claim, release and viewing, who did it and
//! what they wrote. Rows are only ever added; an officer is stored with the public number the
//! family sees, so reading the journal never reads `accounts`.

use serde::{Deserialize, Serialize};
use sqlx::FromRow;
use time::OffsetDateTime;

use app::benefits::journal::JournalEvent;
use app::domain::application_status::{ApplicationStatus, OfficerId};

use super::codes::{Code, StoredCode};
use super::{Database, StorageError, Tx};
use crate::{pool_read, tx_execute};

/// Who acted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum EventActor {
    Applicant,
    /// An officer: the account, and the public number shown for it.
    Officer {
        id: OfficerId,
        number: i64,
    },
    /// The portal itself (the 30-day reminder).
    System,
}

/// `application_events.actor`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActorKind {
    Applicant,
    Officer,
    System,
}

impl StoredCode for ActorKind {
    const WHAT: &'static str = "event actor";

    fn code(self) -> &'static str {
        match self {
            ActorKind::Applicant => "applicant",
            ActorKind::Officer => "officer",
            ActorKind::System => "system",
        }
    }

    fn from_code(code: &str) -> Option<Self> {
        [ActorKind::Applicant, ActorKind::Officer, ActorKind::System]
            .into_iter()
            .find(|kind| kind.code() == code)
    }
}

impl From<Code<ActorKind>> for ActorKind {
    fn from(code: Code<ActorKind>) -> Self {
        code.0
    }
}

/// One entry to write.
pub struct NewEvent<'a> {
    pub application: i64,
    pub at: OffsetDateTime,
    pub actor: EventActor,
    pub kind: JournalEvent,
    /// The move, when the entry is a transition (`from` is `None` for the submission).
    pub from: Option<ApplicationStatus>,
    pub to: Option<ApplicationStatus>,
    pub comment: &'a str,
}

/// Writes the entry in the caller's transaction and returns its id.
pub async fn record(tx: &mut Tx, event: NewEvent<'_>) -> Result<i64, StorageError> {
    let (actor, officer_id, officer_number) = match event.actor {
        EventActor::Applicant => (ActorKind::Applicant, None, None),
        EventActor::Officer { id, number } => (ActorKind::Officer, Some(id.0), Some(number)),
        EventActor::System => (ActorKind::System, None, None),
    };
    const SQL: &str = "INSERT INTO application_events (application_id, at, actor, officer_id, \
        officer_number, kind, from_status, to_status, comment) \
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id";
    let id = crate::on_tx!(tx, |conn| {
        sqlx::query_scalar::<_, i64>(SQL)
            .bind(event.application)
            .bind(event.at)
            .bind(Code(actor))
            .bind(officer_id)
            .bind(officer_number)
            .bind(Code(event.kind))
            .bind(event.from.map(Code))
            .bind(event.to.map(Code))
            .bind(event.comment)
            .fetch_one(conn)
            .await
    })?;
    Ok(id)
}

/// A stored entry, as the journal shows it.
#[derive(Debug, Clone, FromRow)]
pub struct StoredEvent {
    pub id: i64,
    pub at: OffsetDateTime,
    #[sqlx(try_from = "Code<ActorKind>")]
    pub actor: ActorKind,
    pub officer_number: Option<i64>,
    #[sqlx(try_from = "Code<JournalEvent>")]
    pub kind: JournalEvent,
    from_status: Option<String>,
    to_status: Option<String>,
    pub comment: String,
}

impl StoredEvent {
    /// The move, when the entry is a transition.
    pub fn change(
        &self,
    ) -> Result<Option<(Option<ApplicationStatus>, ApplicationStatus)>, StorageError> {
        let read = |code: &str| {
            ApplicationStatus::parse(code)
                .ok_or_else(|| StorageError::Corrupt(format!("application status {code:?}")))
        };
        let Some(to) = self.to_status.as_deref() else {
            return Ok(None);
        };
        let from = self.from_status.as_deref().map(read).transpose()?;
        Ok(Some((from, read(to)?)))
    }
}

/// The journal of one application, oldest first. The caller has checked that the reader may see
/// the application.
pub async fn of_application(
    db: &Database,
    application: i64,
) -> Result<Vec<StoredEvent>, StorageError> {
    Ok(pool_read!(
        db,
        StoredEvent,
        fetch_all,
        "SELECT id, at, actor, officer_number, kind, from_status, to_status, comment \
         FROM application_events WHERE application_id = $1 ORDER BY id",
        application
    )?)
}

/// Links files a family sent with an answer or an appeal to the entry they came with.
pub async fn attach(
    tx: &mut Tx,
    event: i64,
    application: i64,
    documents: &[i64],
) -> Result<(), StorageError> {
    for document in documents {
        tx_execute!(
            tx,
            "INSERT INTO application_attachments (event_id, application_id, document_id) \
             VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
            event,
            application,
            document
        )?;
    }
    Ok(())
}

/// A file sent with a journal entry.
#[derive(Debug, Clone, FromRow)]
pub struct StoredAttachment {
    pub event_id: i64,
    pub document_id: i64,
    pub file_name: String,
}

/// Every file sent with an answer or an appeal to the application, oldest first.
pub async fn attachments(
    db: &Database,
    application: i64,
) -> Result<Vec<StoredAttachment>, StorageError> {
    Ok(pool_read!(
        db,
        StoredAttachment,
        fetch_all,
        "SELECT t.event_id, t.document_id, d.file_name FROM application_attachments t \
         JOIN documents d ON d.id = t.document_id WHERE t.application_id = $1 \
         ORDER BY t.event_id, t.document_id",
        application
    )?)
}
