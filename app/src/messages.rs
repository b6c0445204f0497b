//! Russian wording for domain refusals, in one place so it can be checked against the seeds.
//! Each message says how to fix the input, not only what is wrong.

use crate::api::Refusal;
use crate::domain::{
    BirthCertificateError, DateError, EmailError, InnError, PasswordRule, PersonNameError,
    PhoneError, SnilsError,
};

pub fn snils_error(err: SnilsError) -> &'static str {
    match err {
        SnilsError::Empty => "Введите СНИЛС",
        SnilsError::Format => "СНИЛС должен состоять из 11 цифр, например 123-456-789 01",
        SnilsError::Checksum => "СНИЛС указан с ошибкой — проверьте цифры",
    }
}

pub fn email_error(err: EmailError) -> &'static str {
    match err {
        EmailError::Empty => "Введите адрес электронной почты",
        EmailError::Format => "Введите адрес электронной почты в формате name@example.ru",
    }
}

pub fn phone_error(err: PhoneError) -> &'static str {
    match err {
        PhoneError::Empty => "Введите номер мобильного телефона",
        PhoneError::Format => "Введите номер в формате +7 912 345-67-89",
        PhoneError::NotMobile => "Укажите номер мобильного телефона — на него придёт код из СМС",
    }
}

/// `what` names the field in the accusative case: «фамилию», «имя», «отчество».
pub fn person_name_error(err: PersonNameError, what: &str) -> String {
    match err {
        PersonNameError::Empty => format!("Введите {what}"),
        PersonNameError::TooLong => "Не больше 60 символов".to_owned(),
        PersonNameError::Characters => {
            "Используйте только русские буквы, дефис, апостроф и пробел".to_owned()
        }
        PersonNameError::Shape => {
            "Начните и закончите буквой; между частями — один дефис, апостроф или пробел".to_owned()
        }
    }
}

pub fn date_error(err: DateError) -> &'static str {
    match err {
        DateError::Empty => "Введите дату",
        DateError::Format => "Введите дату в формате ДД.ММ.ГГГГ, например 05.03.2014",
        DateError::NoSuchDay => "Такой даты нет в календаре — проверьте день и месяц",
    }
}

/// The requirement as listed under «Требования к паролю».
pub fn password_rule(rule: PasswordRule) -> &'static str {
    match rule {
        PasswordRule::MinLength => "8 и более символов",
        PasswordRule::Uppercase => "Большие латинские буквы",
        PasswordRule::Lowercase => "Маленькие латинские буквы",
        PasswordRule::Digit => "Цифры",
        PasswordRule::Symbol => "Символы (!\"$%&'()+,-./:;<=>?@[^_{}~)",
        PasswordRule::AllowedCharacters => {
            "Только латинские буквы, цифры и перечисленные символы, не более 128 знаков"
        }
    }
}

/// A machine-readable code for each refusal: stable across wording changes.
pub fn snils_code(err: SnilsError) -> &'static str {
    match err {
        SnilsError::Empty => "snils.empty",
        SnilsError::Format => "snils.format",
        SnilsError::Checksum => "snils.checksum",
    }
}

pub fn email_code(err: EmailError) -> &'static str {
    match err {
        EmailError::Empty => "email.empty",
        EmailError::Format => "email.format",
    }
}

// The stable machine codes of field errors, written out: renaming a variant must not change
// what the API answers.

pub fn phone_code(err: PhoneError) -> &'static str {
    match err {
        PhoneError::Empty => "phone.empty",
        PhoneError::Format => "phone.format",
        PhoneError::NotMobile => "phone.notmobile",
    }
}

pub fn person_name_code(err: PersonNameError) -> &'static str {
    match err {
        PersonNameError::Empty => "name.empty",
        PersonNameError::TooLong => "name.toolong",
        PersonNameError::Characters => "name.characters",
        PersonNameError::Shape => "name.shape",
    }
}

pub fn certificate_code(err: BirthCertificateError) -> &'static str {
    match err {
        BirthCertificateError::Empty => "certificate.empty",
        BirthCertificateError::Format => "certificate.format",
        BirthCertificateError::Roman => "certificate.roman",
        BirthCertificateError::Letters => "certificate.letters",
        BirthCertificateError::Number => "certificate.number",
    }
}

pub fn inn_code(err: InnError) -> &'static str {
    match err {
        InnError::Empty => "inn.empty",
        InnError::Format => "inn.format",
        InnError::Checksum => "inn.checksum",
    }
}

pub fn refusal(refusal: Refusal) -> &'static str {
    match refusal {
        Refusal::SignInFailed => {
            "Неверный логин или пароль. Проверьте, что вводите данные своей учётной записи, \
             или восстановите пароль"
        }
        Refusal::LinkInvalid => {
            "Ссылка не найдена. Скопируйте её из письма целиком или запросите новую"
        }
        Refusal::LinkExpired => "Срок действия ссылки истёк. Запросите новую ссылку",
        Refusal::LinkUsed => "Ссылка уже использована. Если нужно, запросите новую",
        Refusal::CodeExpired => "Срок действия кода истёк. Запросите новый код",
        Refusal::CodeTriesExhausted => "Код введён неверно слишком много раз. Запросите новый код",
        Refusal::AlreadyConfirmed => "Уже подтверждено — ничего делать не нужно",
        Refusal::ChallengeExpired => {
            "Время на ввод кода истекло или код введён неверно слишком много раз. Войдите заново"
        }
        Refusal::ReauthRequired => {
            "Подтвердите, что это вы: введите пароль ещё раз и повторите действие"
        }
        Refusal::PhoneNotConfirmed => {
            "Сначала подтвердите номер телефона — коды для входа придут на него"
        }
        Refusal::ConfirmedLevelRequired => {
            "Добавить сведения о ребёнке могут пользователи с подтверждённой учётной записью"
        }
        Refusal::NotFound => "Не найдено. Возможно, запись удалена — вернитесь к списку",
        Refusal::OfficersOnly => "Раздел доступен только сотрудникам ведомства",
        Refusal::NothingToCheck => {
            "Проверка уже идёт или документ нельзя проверить в ведомстве — обновите страницу"
        }
        Refusal::ParentConsentRequired => {
            "Войти пока нельзя: родитель ещё не дал согласие на передачу ваших персональных \
             данных. Запрос согласия уже в личном кабинете родителя — попросите его открыть \
             «Семья и дети» и дать согласие"
        }
        Refusal::ChildAccountNotAllowed => {
            "Создать учётную запись этому ребёнку сейчас нельзя — причина указана в карточке \
             ребёнка"
        }
        Refusal::WizardStepOutOfOrder => {
            "Этот шаг уже пройден или ещё недоступен — обновите страницу, чтобы продолжить"
        }
        Refusal::LinkCodeExpired => {
            "Кода привязки нет или срок его действия истёк. Попросите родителя запросить новый код \
             в карточке ребёнка"
        }
        Refusal::LinkCodeTriesExhausted => {
            "Код привязки введён неверно слишком много раз. Попросите родителя запросить новый код"
        }
        Refusal::AlreadyLinked => "Учётная запись ребёнка уже привязана к вашей",
        Refusal::LinkNotAllowed => {
            "Привязать учётную запись этого ребёнка сейчас нельзя — причина указана в карточке \
             ребёнка"
        }
        Refusal::TooManyChildren => {
            "В личном кабинете уже 20 карточек детей — больше добавить нельзя. Удалите ненужную \
             карточку или обратитесь в поддержку"
        }
        Refusal::TransitionNotAllowed => {
            "В этом статусе заявки такое действие невозможно. Обновите страницу, чтобы увидеть \
             текущий статус"
        }
        Refusal::NotClaimed => "Сначала возьмите заявку в работу",
        Refusal::ClaimedByAnother => {
            "Заявку уже взял в работу другой специалист. Выберите другую заявку из очереди"
        }
        Refusal::OwnRefusal => {
            "Жалобу на отказ рассматривает другой специалист, не тот, кто принял решение об отказе"
        }
        Refusal::AppealClosed => {
            "Срок обжалования истёк: оспорить решение можно в течение 30 дней после отказа"
        }
        Refusal::ApplicationChanged => {
            "Заявка изменилась, пока вы её смотрели. Обновите страницу и проверьте ещё раз"
        }
        Refusal::AlreadyAnswered => {
            "На это обращение уже ответили. Обновите страницу, чтобы увидеть ответ"
        }
        Refusal::ParentsOnly => {
            "Настройки доступа меняет только родитель. Попросите родителя изменить их в карточке \
             ребёнка"
        }
        Refusal::SettingsChanged => {
            "Настройки изменились, пока вы их смотрели. Обновите страницу и внесите изменения снова"
        }
        Refusal::AlreadyResent => {
            "Это уведомление уже отправлено повторно — новое сообщение в начале списка"
        }
        Refusal::NotResendable => {
            "Повторно отправляется только отклонённое уведомление. Сообщение с кодом или ссылкой              не хранится: запросите новый код там, где запрашивали прежний"
        }
        Refusal::LinkCodeDailyLimit => {
            "За сутки можно запросить не больше 5 кодов привязки. Попробуйте завтра"
        }
        Refusal::ConsentAlreadyDecided => {
            "По этому согласию уже принято решение — обновите страницу"
        }
    }
}

/// «Попробуйте через 2 мин 5 с»: when a throttled action can be tried again.
pub fn throttled(retry_after_seconds: u32) -> String {
    format!(
        "Слишком много попыток. Попробуйте ещё раз через {}",
        wait_text(retry_after_seconds)
    )
}

/// «1 мин 05 с», «45 с»: a wait, as a countdown shows it.
pub fn wait_text(seconds: u32) -> String {
    let (minutes, seconds) = (seconds / 60, seconds % 60);
    if minutes == 0 {
        format!("{seconds} с")
    } else {
        format!("{minutes} мин {seconds:02} с")
    }
}

pub fn certificate_error(err: crate::domain::BirthCertificateError) -> &'static str {
    use crate::domain::BirthCertificateError as E;
    match err {
        E::Empty => "Введите серию и номер свидетельства",
        E::Format => "Введите серию и номер как в свидетельстве, например VI-МЮ 123456",
        E::Roman => "Серия начинается с римских цифр (I, V, X, L), например VI-МЮ",
        E::Letters => "После римских цифр в серии — две русские буквы, например VI-МЮ",
        E::Number => "Номер свидетельства — шесть цифр, например 123456",
    }
}

pub fn inn_error(err: crate::domain::InnError) -> &'static str {
    use crate::domain::InnError as E;
    match err {
        E::Empty => "Введите ИНН",
        E::Format => "ИНН физического лица — 12 цифр",
        E::Checksum => "ИНН указан с ошибкой — проверьте цифры",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_read_as_a_countdown() {
        assert_eq!(wait_text(45), "45 с");
        assert_eq!(wait_text(65), "1 мин 05 с");
        assert_eq!(wait_text(600), "10 мин 00 с");
    }

    #[test]
    fn the_card_cap_says_its_number() {
        let text = refusal(Refusal::TooManyChildren);
        assert!(
            text.contains(&crate::family::MAX_CHILDREN.to_string()),
            "{text}"
        );
    }
}
