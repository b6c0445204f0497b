//! An application's status journal as pages show it: the same entries for the family and for
//! officers, an officer named by role and public number only.

use app::api::ServiceError;
use app::benefits::journal::{AttachedFile, JournalEntry, officer_label};
use app::domain::format_ru_datetime;

use crate::db::Database;
use crate::db::application_events::{self, ActorKind};

/// The journal of an application the caller may read, oldest first.
pub async fn entries(db: &Database, application: i64) -> Result<Vec<JournalEntry>, ServiceError> {
    let events = application_events::of_application(db, application).await?;
    let attachments = application_events::attachments(db, application).await?;
    events
        .into_iter()
        .map(|event| {
            let change = event.change()?;
            let who = match (event.actor, event.officer_number) {
                (ActorKind::Officer, Some(number)) => officer_label(number),
                (ActorKind::System, _) => "Портал".to_owned(),
                _ => "Заявитель".to_owned(),
            };
            let files = attachments
                .iter()
                .filter(|file| file.event_id == event.id)
                .map(|file| AttachedFile {
                    document_id: file.document_id,
                    file_name: file.file_name.clone(),
                })
                .collect();
            Ok(JournalEntry {
                number: event.id,
                at: format_ru_datetime(event.at),
                who,
                event: event.kind,
                from: change.and_then(|(from, _)| from),
                to: change.map(|(_, to)| to),
                comment: event.comment,
                files,
            })
        })
        .collect()
}
