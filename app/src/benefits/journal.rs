//! An application's status journal as the family and the officer read it: what happened, when,
//! by whom (an officer by role and public number only), the move between statuses and what was
//! written. The seed: «Все изменения статуса фиксируются в журнале заявки, где указаны даты
//! переходов и комментарии экспертов».

use serde::{Deserialize, Serialize};

use crate::domain::application_status::{ActionKind, ApplicationStatus};

/// What a journal entry records: a status machine action, or one of the events around it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum JournalEvent {
    Submitted,
    /// An officer opened the application.
    Viewed,
    /// An officer took it into work (a claim with a lease).
    Claimed,
    /// The claim was given back or ran out.
    Released,
    /// It waited «На рассмотрении» past 30 days; the family was told.
    Overdue,
    /// An officer marked a document «Одобрено» (the comment names it).
    DocumentApproved,
    /// An officer rejected a document (the comment names it and says why).
    DocumentRejected,
    Action(ActionKind),
}

impl JournalEvent {
    /// The stored code.
    pub fn as_str(self) -> &'static str {
        match self {
            JournalEvent::Submitted => "submitted",
            JournalEvent::Viewed => "viewed",
            JournalEvent::Claimed => "claimed",
            JournalEvent::Released => "released",
            JournalEvent::Overdue => "overdue",
            JournalEvent::DocumentApproved => "document_approved",
            JournalEvent::DocumentRejected => "document_rejected",
            JournalEvent::Action(action) => action.as_str(),
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Some(match code {
            "submitted" => JournalEvent::Submitted,
            "viewed" => JournalEvent::Viewed,
            "claimed" => JournalEvent::Claimed,
            "released" => JournalEvent::Released,
            "overdue" => JournalEvent::Overdue,
            "document_approved" => JournalEvent::DocumentApproved,
            "document_rejected" => JournalEvent::DocumentRejected,
            other => JournalEvent::Action(ActionKind::parse(other)?),
        })
    }

    pub fn label(self) -> &'static str {
        match self {
            JournalEvent::Submitted => "Заявление отправлено",
            JournalEvent::Viewed => "Заявление просмотрено специалистом",
            JournalEvent::Claimed => "Заявление взято в работу",
            JournalEvent::Released => "Заявление возвращено в очередь",
            JournalEvent::Overdue => "Рассмотрение длится больше 30 дней",
            JournalEvent::DocumentApproved => "Документ одобрен",
            JournalEvent::DocumentRejected => "Документ отклонён",
            JournalEvent::Action(ActionKind::RequestClarification) => "Запрошено уточнение",
            JournalEvent::Action(ActionKind::Approve) => "Принято решение: одобрено",
            JournalEvent::Action(ActionKind::Reject) => "Принято решение: отказ",
            JournalEvent::Action(ActionKind::Resend) => "Ответ на уточнение отправлен",
            JournalEvent::Action(ActionKind::Appeal) => "Решение оспорено",
            JournalEvent::Action(ActionKind::UpholdAppeal) => "Жалоба удовлетворена: одобрено",
            JournalEvent::Action(ActionKind::DismissAppeal) => {
                "Жалоба отклонена: отказ оставлен в силе"
            }
        }
    }
}

/// A file sent with an entry (an answer to a clarification, an appeal).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttachedFile {
    pub document_id: i64,
    pub file_name: String,
}

/// One row of the journal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JournalEntry {
    /// The entry's number; a decision is known by it («Решение № 41»), and an appeal names it.
    pub number: i64,
    /// «04.12.2026 14:05», Moscow time.
    pub at: String,
    /// «Заявитель», «Специалист № 105» or «Портал».
    pub who: String,
    pub event: JournalEvent,
    /// The move, when the entry changed the status.
    pub from: Option<ApplicationStatus>,
    pub to: Option<ApplicationStatus>,
    pub comment: String,
    pub files: Vec<AttachedFile>,
}

impl JournalEntry {
    /// «Решение № 41» for a decision (an approval, a refusal, an appeal's outcome).
    pub fn decision_title(&self) -> Option<String> {
        matches!(
            self.event,
            JournalEvent::Action(
                ActionKind::Approve
                    | ActionKind::Reject
                    | ActionKind::UpholdAppeal
                    | ActionKind::DismissAppeal
            )
        )
        .then(|| format!("Решение № {}", self.number))
    }
}

/// How an officer is named to anyone: role and public number, never a name.
pub fn officer_label(number: i64) -> String {
    format!("Специалист № {number}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_event_reads_back_from_its_code() {
        let events = [
            JournalEvent::Submitted,
            JournalEvent::Viewed,
            JournalEvent::Claimed,
            JournalEvent::Released,
            JournalEvent::Overdue,
            JournalEvent::DocumentApproved,
            JournalEvent::DocumentRejected,
        ]
        .into_iter()
        .chain(ActionKind::ALL.into_iter().map(JournalEvent::Action));
        for event in events {
            assert_eq!(JournalEvent::parse(event.as_str()), Some(event));
            assert!(!event.label().is_empty());
        }
        assert_eq!(JournalEvent::parse("deleted"), None);
    }
}
