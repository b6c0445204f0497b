//! Where a child's document stands with the registries, with the seed's wording, and the only
//! moves between those states. The birth certificate is checked in ЕГР ЗАГС first; once it is
//! confirmed, СФР finds the child's СНИЛС (or checks the one a 14+ child's parent typed).

use std::fmt;

use serde::{Deserialize, Serialize};

/// One document's state. The labels are the portal's statuses word for word.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DocumentStatus {
    /// СНИЛС only: not typed; СФР will find it once the certificate is confirmed.
    Absent,
    /// «Данные введены вручную»: typed by the parent, not checked yet (or edited since).
    Manual,
    /// «Проверка данных»: a registry is checking what the parent typed.
    Checking,
    /// «Поиск данных»: СФР is searching for the child's СНИЛС.
    Searching,
    /// «Не найдено в загсе».
    NotFoundInZags,
    /// «Не найден в СФР».
    NotFoundInSfr,
    /// «Подтверждено».
    Confirmed,
    /// The registry did not answer after every retry (the job is dead): ask again later.
    RegistryUnavailable,
}

/// What happened to a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    /// The parent pressed «Запросить» / «Отправить».
    Requested,
    /// СНИЛС only: asked again after a failure, with the certificate already confirmed; a
    /// typed number is checked, a missing one searched for.
    Retried {
        has_value: bool,
    },
    /// СНИЛС only: ЕГР ЗАГС confirmed the certificate, so СФР is asked next.
    CertificateConfirmed,
    Found,
    NotFound,
    /// Every retry failed.
    RegistryDown,
    /// The parent changed the document's data.
    Edited {
        has_value: bool,
    },
}

/// A move the state machine does not allow, e.g. «Запросить» while a check is running.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("{event:?} is not possible in {from:?}")]
pub struct InvalidTransition {
    pub from: DocumentStatus,
    pub event: Event,
}

impl DocumentStatus {
    pub const ALL: [DocumentStatus; 8] = [
        Self::Absent,
        Self::Manual,
        Self::Checking,
        Self::Searching,
        Self::NotFoundInZags,
        Self::NotFoundInSfr,
        Self::Confirmed,
        Self::RegistryUnavailable,
    ];

    /// The status as the portal shows it.
    pub fn label(self) -> &'static str {
        match self {
            Self::Absent => "Не указан",
            Self::Manual => "Данные введены вручную",
            Self::Checking => "Проверка данных",
            Self::Searching => "Поиск данных",
            Self::NotFoundInZags => "Не найдено в загсе",
            Self::NotFoundInSfr => "Не найден в СФР",
            Self::Confirmed => "Подтверждено",
            Self::RegistryUnavailable => "Ведомство не ответило",
        }
    }

    /// The stored form.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Absent => "absent",
            Self::Manual => "manual",
            Self::Checking => "checking",
            Self::Searching => "searching",
            Self::NotFoundInZags => "not_found_in_zags",
            Self::NotFoundInSfr => "not_found_in_sfr",
            Self::Confirmed => "confirmed",
            Self::RegistryUnavailable => "registry_unavailable",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == text)
    }

    /// A registry is working on it: the page keeps asking for news.
    pub fn in_progress(self) -> bool {
        matches!(self, Self::Checking | Self::Searching)
    }

    /// The certificate's next state.
    pub fn certificate_after(self, event: Event) -> Result<Self, InvalidTransition> {
        use DocumentStatus::*;
        let next = match (self, event) {
            (_, Event::Edited { .. }) => Manual,
            (Manual | NotFoundInZags | RegistryUnavailable, Event::Requested) => Checking,
            (Checking, Event::Found) => Confirmed,
            (Checking, Event::NotFound) => NotFoundInZags,
            (Checking, Event::RegistryDown) => RegistryUnavailable,
            // An operator's retry of a dead check runs it again and its answer counts.
            (RegistryUnavailable, Event::Found) => Confirmed,
            (RegistryUnavailable, Event::NotFound) => NotFoundInZags,
            // «Автообновление»: ЕГР ЗАГС no longer confirms a certificate it once did.
            (Confirmed, Event::NotFound) => NotFoundInZags,
            (from, event) => return Err(InvalidTransition { from, event }),
        };
        Ok(next)
    }

    /// The СНИЛС's next state: searched for when absent, checked when typed.
    pub fn snils_after(self, event: Event) -> Result<Self, InvalidTransition> {
        use DocumentStatus::*;
        let next = match (self, event) {
            (_, Event::Edited { has_value: true }) => Manual,
            (_, Event::Edited { has_value: false }) => Absent,
            (Absent, Event::CertificateConfirmed) => Searching,
            (Manual, Event::CertificateConfirmed) => Checking,
            (NotFoundInSfr | RegistryUnavailable, Event::Retried { has_value: false }) => Searching,
            (NotFoundInSfr | RegistryUnavailable, Event::Retried { has_value: true }) => Checking,
            (Searching | Checking | RegistryUnavailable, Event::Found) => Confirmed,
            (Searching | Checking | RegistryUnavailable, Event::NotFound) => NotFoundInSfr,
            (Searching | Checking, Event::RegistryDown) => RegistryUnavailable,
            (from, event) => return Err(InvalidTransition { from, event }),
        };
        Ok(next)
    }
}

/// A child's document the registries check: each has its own state machine.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Document {
    /// Checked in ЕГР ЗАГС first.
    BirthCertificate,
    /// Searched for or checked in СФР once the certificate is confirmed.
    Snils,
}

impl Document {
    /// The stable code in the status history.
    pub fn as_str(self) -> &'static str {
        match self {
            Document::BirthCertificate => "certificate",
            Document::Snils => "snils",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        [Document::BirthCertificate, Document::Snils]
            .into_iter()
            .find(|document| document.as_str() == text)
    }

    /// The document's next state after `event`, by its own machine.
    pub fn after(
        self,
        status: DocumentStatus,
        event: Event,
    ) -> Result<DocumentStatus, InvalidTransition> {
        match self {
            Document::BirthCertificate => status.certificate_after(event),
            Document::Snils => status.snils_after(event),
        }
    }
}

impl fmt::Display for DocumentStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

#[cfg(test)]
mod tests {
    use super::DocumentStatus::*;
    use super::*;

    #[test]
    fn each_document_runs_its_own_machine() {
        for document in [Document::BirthCertificate, Document::Snils] {
            assert_eq!(Document::parse(document.as_str()), Some(document));
        }
        // Only the СНИЛС starts from «absent» when the certificate is confirmed.
        assert_eq!(
            Document::Snils.after(Absent, Event::CertificateConfirmed),
            Ok(Searching)
        );
        assert!(
            Document::BirthCertificate
                .after(Absent, Event::CertificateConfirmed)
                .is_err()
        );
        assert_eq!(
            Document::BirthCertificate.after(Manual, Event::Requested),
            Ok(Checking)
        );
    }

    #[test]
    fn stored_form_round_trips() {
        for status in DocumentStatus::ALL {
            assert_eq!(DocumentStatus::parse(status.as_str()), Some(status));
        }
    }

    #[test]
    fn the_seed_path_to_confirmed() {
        let certificate = Manual.certificate_after(Event::Requested).unwrap();
        assert_eq!(certificate.label(), "Проверка данных");
        assert_eq!(
            certificate.certificate_after(Event::Found).unwrap(),
            Confirmed
        );
        let snils = Absent.snils_after(Event::CertificateConfirmed).unwrap();
        assert_eq!(snils.label(), "Поиск данных");
        assert_eq!(snils.snils_after(Event::Found).unwrap(), Confirmed);
    }

    #[test]
    fn failures_say_which_registry() {
        assert_eq!(
            Checking.certificate_after(Event::NotFound).unwrap().label(),
            "Не найдено в загсе"
        );
        assert_eq!(
            Searching.snils_after(Event::NotFound).unwrap().label(),
            "Не найден в СФР"
        );
    }

    #[test]
    fn no_second_request_while_a_check_runs() {
        assert!(Checking.certificate_after(Event::Requested).is_err());
        assert!(Confirmed.certificate_after(Event::Requested).is_err());
        assert!(
            Searching
                .snils_after(Event::Retried { has_value: false })
                .is_err()
        );
        assert_eq!(
            NotFoundInSfr.snils_after(Event::Retried { has_value: true }),
            Ok(Checking)
        );
    }

    #[test]
    fn editing_a_confirmed_document_makes_it_manual_again() {
        assert_eq!(
            Confirmed
                .certificate_after(Event::Edited { has_value: true })
                .unwrap(),
            Manual
        );
        assert_eq!(
            Confirmed
                .snils_after(Event::Edited { has_value: false })
                .unwrap(),
            Absent
        );
    }
}
