//! What each document status means for the parent, and what to check after a failure. The
//! server stores a registry's answer as a short code (`not_found`, `mismatch:last_name,…`);
//! the wording lives here only.

use crate::components::Tone;
use crate::domain::DocumentStatus;

/// The stored problem of a certificate whose birth record does not name the card's parent.
pub const NOT_A_PARENT: &str = "not_a_parent";

/// Which document a text is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Document {
    Certificate,
    Snils,
}

pub fn tone(status: DocumentStatus) -> Tone {
    use DocumentStatus::*;
    match status {
        Absent | Manual => Tone::Warning,
        Checking | Searching => Tone::Info,
        Confirmed => Tone::Success,
        NotFoundInZags | NotFoundInSfr | RegistryUnavailable => Tone::Error,
    }
}

/// A field a registry holds differently, in words a parent recognises on the certificate.
fn field_name(code: &str) -> Option<&'static str> {
    Some(match code {
        "last_name" => "фамилия",
        "first_name" => "имя",
        "middle_name" => "отчество",
        "birth_date" => "дата рождения",
        "issue_date" => "дата выдачи",
        "act_record_number" => "номер актовой записи",
        "act_record_date" => "дата актовой записи",
        _ => return None,
    })
}

/// The fields named in a stored `mismatch:…` code.
pub fn mismatched_fields(problem: &str) -> Vec<&'static str> {
    problem
        .strip_prefix("mismatch:")
        .map(|list| list.split(',').filter_map(field_name).collect())
        .unwrap_or_default()
}

/// The sentence under the status chip: what is happening, or what to check and do.
pub fn explanation(
    document: Document,
    status: DocumentStatus,
    problem: Option<&str>,
) -> Option<String> {
    use DocumentStatus::*;
    let mismatch = problem.map(mismatched_fields).unwrap_or_default();
    let text = match (document, status) {
        (_, Confirmed) => return None,
        (Document::Certificate, Manual) => "Запросите в загсе для корректной работы услуг".to_owned(),
        (Document::Snils, Absent) => {
            "СНИЛС найдём в СФР автоматически после подтверждения свидетельства о рождении".to_owned()
        }
        (Document::Snils, Manual) => {
            "Будет направлен в СФР для подтверждения после проверки свидетельства о рождении".to_owned()
        }
        (Document::Certificate, Checking) => {
            "Запрос отправлен в ЕГР ЗАГС. Проверка занимает от 15 минут до 5 дней — статус обновится на этой странице сам".to_owned()
        }
        (Document::Snils, Checking) => "СФР проверяет СНИЛС ребёнка".to_owned(),
        (_, Searching) => "Ищем СНИЛС ребёнка в СФР".to_owned(),
        (_, NotFoundInZags) if problem == Some(NOT_A_PARENT) => {
            "Запись о рождении не подтверждает, что вы родитель ребёнка: вы не указаны в ней как мать или отец. Данные ребёнка доступны только родителям из записи акта о рождении. Проверьте свои ФИО, дату рождения и СНИЛС в профиле. Опекуну или попечителю нужно обратиться в центр обслуживания".to_owned()
        }
        (_, NotFoundInZags) if !mismatch.is_empty() => format!(
            "В ЕГР ЗАГС запись о рождении найдена, но не совпадает: {}. Исправьте данные точно по свидетельству и запросите снова",
            mismatch.join(", ")
        ),
        (_, NotFoundInZags) => {
            "В ЕГР ЗАГС нет записи о рождении с такими данными. Проверьте серию и номер свидетельства, номер и дату актовой записи — точно по документу — и запросите снова".to_owned()
        }
        (_, NotFoundInSfr) if !mismatch.is_empty() => format!(
            "В СФР СНИЛС найден, но не совпадает: {}. Проверьте данные ребёнка и запросите снова",
            mismatch.join(", ")
        ),
        (Document::Snils, NotFoundInSfr) if problem == Some("not_found_by_number") => {
            "СФР не нашёл такой СНИЛС. Проверьте номер на карточке СНИЛС ребёнка и запросите снова".to_owned()
        }
        (_, NotFoundInSfr) => {
            "СФР не нашёл СНИЛС ребёнка с такими ФИО и датой рождения. Проверьте их по свидетельству о рождении. Если СНИЛС ребёнку не оформлен, обратитесь в СФР или МФЦ".to_owned()
        }
        (_, RegistryUnavailable) => {
            "Ведомство не ответило, хотя мы обращались несколько раз. Запросите проверку ещё раз позже".to_owned()
        }
        (Document::Certificate, Absent) => return None,
    };
    Some(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mismatch_names_the_fields_in_the_parents_words() {
        let text = explanation(
            Document::Certificate,
            DocumentStatus::NotFoundInZags,
            Some("mismatch:last_name,act_record_date"),
        )
        .unwrap();
        assert!(text.contains("фамилия, дата актовой записи"), "{text}");
    }

    #[test]
    fn manual_certificate_asks_to_request_in_zags() {
        assert_eq!(
            explanation(Document::Certificate, DocumentStatus::Manual, None).as_deref(),
            Some("Запросите в загсе для корректной работы услуг")
        );
        assert_eq!(
            explanation(Document::Snils, DocumentStatus::Confirmed, None),
            None
        );
    }
}
