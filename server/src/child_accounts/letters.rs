//! What the child's account creation and the consents send, and to whom.

use crate::outbox::{Channel, Message};

/// «Подтвердите электронную почту» to the child's address, with the «Подтвердить адрес» link.
pub fn confirm_child_email(email: &str, child_first_name: &str, url: &str) -> Message {
    Message {
        account_id: None,
        channel: Channel::Email,
        recipient: email.to_owned(),
        subject: "Подтвердите электронную почту".to_owned(),
        body: format!(
            "Здравствуй!\n\n\
             Вы указали этот адрес электронной почты для учётной записи ребёнка на Госуслугах.\n\
             Подтвердите адрес, чтобы создать учётную запись.\n\n\
             Имя ребёнка: {child_first_name}\n\
             Адрес почты: {email}\n\n\
             Подтвердить адрес: {url}\n\n\
             Ссылка действует 24 часа и срабатывает один раз.\n\
             Если не добавляли адрес, обратитесь в службу поддержки."
        ),
    }
}

/// The SMS with the code for the child's phone.
pub fn child_phone_code(phone: &str, code: &str) -> Message {
    Message {
        account_id: None,
        channel: Channel::Sms,
        recipient: phone.to_owned(),
        subject: "Код подтверждения".to_owned(),
        body: format!(
            "Код подтверждения номера для учётной записи ребёнка: {code}. Действует 10 минут. \
             Никому не сообщайте его. Госуслуги"
        ),
    }
}

/// An in-app notification and the same text by e-mail.
fn both(account_id: i64, email: &str, first_name: &str, subject: &str, text: &str) -> [Message; 2] {
    [
        Message {
            account_id: Some(account_id),
            channel: Channel::InApp,
            recipient: account_id.to_string(),
            subject: subject.to_owned(),
            body: text.to_owned(),
        },
        Message {
            account_id: Some(account_id),
            channel: Channel::Email,
            recipient: email.to_owned(),
            subject: subject.to_owned(),
            body: format!("Здравствуйте, {first_name}!\n\n{text}\n\nГосуслуги · Семья и дети"),
        },
    ]
}

pub struct Person<'a> {
    pub account_id: i64,
    pub email: &'a str,
    pub first_name: &'a str,
}

/// To the parent: the account is made, and consent is needed before the child's first sign-in.
pub fn consent_requested(parent: &Person, child_name: &str, url: &str) -> [Message; 2] {
    both(
        parent.account_id,
        parent.email,
        parent.first_name,
        "Запрос согласия на передачу персональных данных ребёнка",
        &format!(
            "Учётная запись ребёнка ({child_name}) создана. Чтобы ребёнок мог войти, дайте согласие \
             на передачу его персональных данных: {url}"
        ),
    )
}

/// To the child: the account exists and what the parent still has to do.
pub fn account_created(child: &Person) -> [Message; 2] {
    both(
        child.account_id,
        child.email,
        child.first_name,
        "Учётная запись на Госуслугах создана",
        "Родитель создал тебе учётную запись на Госуслугах. Войти можно будет, когда он даст \
         согласие на передачу твоих персональных данных. Для входа используй адрес электронной \
         почты или номер телефона, указанные при регистрации.",
    )
}

/// To the child: what the parent decided. The parent sees the same on the card and in the list.
pub fn consent_decided(
    child: &Person,
    parent_name: &str,
    granted: bool,
    revoked: bool,
) -> [Message; 2] {
    let (subject, text) = if granted {
        (
            "Родитель дал согласие",
            format!(
                "{parent_name} дал(а) согласие на передачу твоих персональных данных. Теперь ты \
                 можешь входить в свою учётную запись."
            ),
        )
    } else if revoked {
        (
            "Родитель отозвал согласие",
            format!(
                "{parent_name} отозвал(а) согласие на передачу твоих персональных данных. Вход в \
                 учётную запись закрыт, пока согласие не будет дано снова."
            ),
        )
    } else {
        (
            "Родитель не дал согласие",
            format!(
                "{parent_name} не дал(а) согласие на передачу твоих персональных данных. Вход в \
                 учётную запись закрыт, пока согласие не будет дано."
            ),
        )
    };
    both(
        child.account_id,
        child.email,
        child.first_name,
        subject,
        &text,
    )
}

/// To the child's e-mail: the link code the parent asked for.
pub fn link_code(email: &str, parent_name: &str, code: &str, valid_until: &str) -> Message {
    Message {
        account_id: None,
        channel: Channel::Email,
        recipient: email.to_owned(),
        subject: "Код привязки учётной записи".to_owned(),
        body: format!(
            "Здравствуй!\n\n{parent_name} хочет привязать твою учётную запись на Госуслугах к своей, \
             чтобы помогать тебе с услугами.\n\nКод привязки: {code}\nДействует до {valid_until} \
             (московское время).\n\nВойди в свою учётную запись и введи код в разделе «Профиль». \
             Если ты не знаешь этого человека, не вводи код и обратись в службу поддержки."
        ),
    }
}

pub fn linked_to_parent(parent: &Person, minor_name: &str) -> [Message; 2] {
    both(
        parent.account_id,
        parent.email,
        parent.first_name,
        "Учётная запись ребёнка привязана",
        &format!(
            "Учётная запись ребёнка ({minor_name}) привязана к вашей. Управлять ею можно в разделе \
             «Семья и дети»."
        ),
    )
}

pub fn linked_to_minor(minor: &Person, parent_name: &str) -> [Message; 2] {
    both(
        minor.account_id,
        minor.email,
        minor.first_name,
        "Учётная запись привязана к родителю",
        &format!(
            "Твоя учётная запись привязана к учётной записи родителя: {parent_name}. Кто привязан, \
             видно в разделе «Профиль»."
        ),
    )
}

pub fn second_parent_linked(other: &Person, parent_name: &str, minor_name: &str) -> [Message; 2] {
    both(
        other.account_id,
        other.email,
        other.first_name,
        "Второй родитель привязал учётную запись ребёнка",
        &format!(
            "{parent_name} привязал(а) учётную запись ребёнка ({minor_name}) к своей. Теперь ею \
             могут управлять оба родителя."
        ),
    )
}

pub fn password_changed_by_parent(child: &Person, parent_name: &str) -> [Message; 2] {
    both(
        child.account_id,
        child.email,
        child.first_name,
        "Пароль изменён родителем",
        &format!(
            "{parent_name} изменил(а) пароль от твоей учётной записи. Ты вышел(а) на всех \
             устройствах — войди с новым паролем, его знает родитель."
        ),
    )
}

/// To the child's address: the account no longer exists (so no in-app message).
pub fn account_deleted_to_child(email: &str, first_name: &str) -> Message {
    Message {
        account_id: None,
        channel: Channel::Email,
        recipient: email.to_owned(),
        subject: "Учётная запись удалена".to_owned(),
        body: format!(
            "Здравствуй, {first_name}!\n\nРодитель удалил твою учётную запись на Госуслугах. Войти \
             в неё больше нельзя.\n\nГосуслуги · Семья и дети"
        ),
    }
}

pub fn account_deleted_to_parent(parent: &Person, child_name: &str) -> [Message; 2] {
    both(
        parent.account_id,
        parent.email,
        parent.first_name,
        "Учётная запись ребёнка удалена",
        &format!(
            "Учётная запись ребёнка ({child_name}) удалена вместе с её сеансами и согласиями. \
             Карточка ребёнка в разделе «Семья и дети» осталась."
        ),
    )
}

/// What a birthday at 14 or 18 changes, said a month before and on the day. The minor and every
/// parent with a live link get the same subject and text, so nobody learns something the other
/// side was not told.
pub fn age_notice(
    to: &Person,
    notice: crate::db::age_transitions::Notice,
    minor_name: &str,
    birthday: time::Date,
) -> [Message; 2] {
    let (subject, text) = age_notice_text(notice, minor_name, birthday);
    both(to.account_id, to.email, to.first_name, subject, &text)
}

/// The subject and text of an age notice (the same for everyone it goes to).
pub fn age_notice_text(
    notice: crate::db::age_transitions::Notice,
    minor_name: &str,
    birthday: time::Date,
) -> (&'static str, String) {
    use crate::db::age_transitions::Notice;
    let date = app::domain::format_ru_date(birthday);
    match notice {
        Notice::Before14 => (
            "Через месяц учётная запись станет учётной записью подростка",
            format!(
                "Учётная запись: {minor_name}.\n\n\
                 {date} владельцу учётной записи исполнится 14 лет. С этого дня учётная запись \
                 ребёнка станет учётной записью подростка: согласие на передачу своих \
                 персональных данных подросток будет давать сам. Чтобы и дальше пользоваться \
                 услугами, понадобится паспорт — его выдают с 14 лет. Родителям: пересмотрите \
                 настройки доступа к сервисам в карточке ребёнка — с 14 лет доступны новые."
            ),
        ),
        Notice::Turned14 => (
            "Учётная запись стала учётной записью подростка",
            format!(
                "Учётная запись: {minor_name}.\n\n\
                 {date} владельцу учётной записи исполнилось 14 лет, и теперь это учётная запись \
                 подростка. Согласие на передачу своих персональных данных подросток даёт сам. \
                 Чтобы и дальше пользоваться услугами, нужен паспорт — его выдают с 14 лет. \
                 После получения паспорта добавьте его данные в профиль."
            ),
        ),
        Notice::Before18 => (
            "Через месяц родительский контроль закончится",
            format!(
                "Учётная запись: {minor_name}.\n\n\
                 {date} владельцу учётной записи исполнится 18 лет. С этого дня учётная запись \
                 станет учётной записью взрослого: родители больше не будут действовать за него \
                 и давать согласия. История согласий останется у родителей только для просмотра."
            ),
        ),
        Notice::Turned18 => (
            "Родительский контроль закончился",
            format!(
                "Учётная запись: {minor_name}.\n\n\
                 {date} владельцу учётной записи исполнилось 18 лет, и теперь это учётная запись \
                 взрослого. Родители больше не действуют за него и не дают и не отзывают \
                 согласия. История согласий осталась у родителей только для просмотра."
            ),
        ),
    }
}
