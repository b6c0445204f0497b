//! The wording of what the portal sends: e-mails, SMS and in-app notifications.

use crate::outbox::{Channel, Message};

pub fn confirm_email(account_id: i64, email: &str, first_name: &str, url: &str) -> Message {
    Message {
        account_id: Some(account_id),
        channel: Channel::Email,
        recipient: email.to_owned(),
        subject: "Подтвердите адрес электронной почты".to_owned(),
        body: format!(
            "Здравствуйте, {first_name}!\n\n\
             Этот адрес указан в учётной записи на портале «Госуслуги · Семья и дети». \
             Чтобы подтвердить его, перейдите по ссылке:\n\n{url}\n\n\
             Ссылка действует 24 часа и срабатывает один раз.\n\
             Если вы не регистрировались на портале, ничего не делайте — адрес не будет подтверждён."
        ),
    }
}

pub fn phone_code(account_id: i64, phone: &str, code: &str) -> Message {
    Message {
        account_id: Some(account_id),
        channel: Channel::Sms,
        recipient: phone.to_owned(),
        subject: "Код подтверждения".to_owned(),
        body: format!(
            "Код подтверждения: {code}. Действует 10 минут. Никому не сообщайте его. Госуслуги"
        ),
    }
}

pub fn welcome(account_id: i64) -> Message {
    Message {
        account_id: Some(account_id),
        channel: Channel::InApp,
        recipient: account_id.to_string(),
        subject: "Учётная запись создана".to_owned(),
        body: "Подтвердите телефон и электронную почту, чтобы восстанавливать доступ и получать \
               уведомления о заявлениях."
            .to_owned(),
    }
}

/// Sent to the e-mail and phone on record when the password changes, so the owner learns of a
/// change they did not make.
pub fn password_changed(account_id: i64, email: &str, phone: &str, at: &str) -> [Message; 2] {
    [
        Message {
            account_id: Some(account_id),
            channel: Channel::Email,
            recipient: email.to_owned(),
            subject: "Пароль изменён".to_owned(),
            body: format!(
                "Пароль от вашей учётной записи изменён {at} (московское время).\n\n\
                 Если это сделали не вы, сразу восстановите доступ на странице входа и выйдите \
                 на всех устройствах в профиле."
            ),
        },
        Message {
            account_id: Some(account_id),
            channel: Channel::Sms,
            recipient: phone.to_owned(),
            subject: "Пароль изменён".to_owned(),
            body: format!(
                "Пароль от Госуслуг изменён {at}. Если это были не вы, восстановите доступ. Госуслуги"
            ),
        },
    ]
}
