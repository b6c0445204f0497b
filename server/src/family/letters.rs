//! What the parent is told when a check ends.

use app::notifications::settings::NoticeEvent;

use crate::outbox::Notice;

/// How a child's checks ended.
pub enum Outcome {
    Confirmed,
    NotFoundInZags,
    /// The birth record exists but does not name the card's parent.
    NotAParent,
    /// A card confirmed earlier: the birth record names the parent too.
    ParentProven,
    NotFoundInSfr,
    RegistryUnavailable,
}

fn wording(outcome: &Outcome, child: &str) -> (String, String) {
    match outcome {
        Outcome::Confirmed => (
            "Сведения о ребёнке подтверждены".to_owned(),
            format!(
                "Свидетельство о рождении и СНИЛС ребёнка ({child}) подтверждены в ЕГР ЗАГС и СФР."
            ),
        ),
        Outcome::NotFoundInZags => (
            "Свидетельство о рождении не найдено в загсе".to_owned(),
            format!(
                "ЕГР ЗАГС не подтвердил свидетельство о рождении ребёнка ({child}). Проверьте данные в разделе «Семья и дети» и запросите снова."
            ),
        ),
        Outcome::NotAParent => (
            "Запись о рождении не подтверждает, что вы родитель".to_owned(),
            format!(
                "В записи акта о рождении ребёнка ({child}) вы не указаны как родитель, поэтому свидетельство о рождении не подтверждено, а учётная запись ребёнка недоступна. Проверьте свои ФИО, дату рождения и СНИЛС в профиле. Если вы опекун или попечитель, обратитесь в центр обслуживания с документами об опеке."
            ),
        ),
        Outcome::ParentProven => (
            "Подтверждено, что вы родитель ребёнка".to_owned(),
            format!(
                "ЕГР ЗАГС подтвердил, что вы указаны родителем в записи акта о рождении ребёнка ({child}). Сведения о ребёнке остаются подтверждёнными."
            ),
        ),
        Outcome::NotFoundInSfr => (
            "СНИЛС ребёнка не найден в СФР".to_owned(),
            format!(
                "СФР не нашёл СНИЛС ребёнка ({child}). Проверьте данные в разделе «Семья и дети» и запросите снова."
            ),
        ),
        Outcome::RegistryUnavailable => (
            "Ведомство не ответило".to_owned(),
            format!(
                "Не удалось проверить документы ребёнка ({child}): ведомство не ответило. Запросите проверку ещё раз позже в разделе «Семья и дети»."
            ),
        ),
    }
}

/// «Регистрация нового документа»: the child's documents checked, on the channels the parent
/// chose for the event.
pub fn check_finished(child: &str, outcome: &Outcome, url: &str) -> Notice {
    let (subject, text) = wording(outcome, child);
    Notice {
        event: NoticeEvent::NewDocument,
        subject,
        text,
        link: url.to_owned(),
    }
}
