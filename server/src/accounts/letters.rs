//! The wording of what the portal sends: e-mails, SMS and in-app notifications.

use app::domain::format_ru_datetime;
use time::OffsetDateTime;

use crate::db::accounts::StoredAccount;
use crate::db::confirmations::Purpose;
use crate::outbox::{Channel, Message};

pub fn confirm_email(account: &StoredAccount, url: &str) -> Message {
    let first_name = &account.first_name;
    Message {
        account_id: Some(account.id),
        channel: Channel::Email,
        recipient: account.email.clone(),
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

pub fn recovery_link(account: &StoredAccount, url: &str) -> Message {
    let first_name = &account.first_name;
    Message {
        account_id: Some(account.id),
        channel: Channel::Email,
        recipient: account.email.clone(),
        subject: "Восстановление доступа".to_owned(),
        body: format!(
            "Здравствуйте, {first_name}!\n\n\
             Кто-то запросил восстановление доступа к вашей учётной записи на портале \
             «Госуслуги · Семья и дети». Чтобы задать новый пароль, перейдите по ссылке:\n\n{url}\n\n\
             Ссылка действует 24 часа и срабатывает один раз.\n\
             Если это были не вы, ничего не делайте — пароль останется прежним."
        ),
    }
}

/// The SMS with a code; the first words say what the code is for.
pub fn phone_code(account: &StoredAccount, phone: &str, purpose: Purpose, code: &str) -> Message {
    let what = match purpose {
        Purpose::RecoverPassword => "Код для восстановления доступа",
        Purpose::SignIn => "Код для входа",
        Purpose::ConfirmPhone | Purpose::ConfirmEmail => "Код подтверждения",
    };
    Message {
        account_id: Some(account.id),
        channel: Channel::Sms,
        recipient: phone.to_owned(),
        subject: what.to_owned(),
        body: format!("{what}: {code}. Действует 10 минут. Никому не сообщайте его. Госуслуги"),
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
/// (No SMS for an account without a phone.)
pub fn password_changed(
    account_id: i64,
    email: &str,
    phone: Option<&str>,
    at: &str,
) -> Vec<Message> {
    let mut messages = vec![Message {
        account_id: Some(account_id),
        channel: Channel::Email,
        recipient: email.to_owned(),
        subject: "Пароль изменён".to_owned(),
        body: format!(
            "Пароль от вашей учётной записи изменён {at} (московское время).\n\n\
                 Если это сделали не вы, сразу восстановите доступ на странице входа и выйдите \
                 на всех устройствах в профиле."
        ),
    }];
    messages.extend(phone.map(|phone| Message {
        account_id: Some(account_id),
        channel: Channel::Sms,
        recipient: phone.to_owned(),
        subject: "Пароль изменён".to_owned(),
        body: format!(
            "Пароль от Госуслуг изменён {at}. Если это были не вы, восстановите доступ. Госуслуги"
        ),
    }));
    messages
}

/// A change to how the account signs in, told on e-mail and phone.
pub fn security_change(account: &StoredAccount, what: &str, at: OffsetDateTime) -> Vec<Message> {
    let at = format_ru_datetime(at);
    let mut messages = vec![Message {
        account_id: Some(account.id),
        channel: Channel::Email,
        recipient: account.email.clone(),
        subject: "Изменены настройки входа".to_owned(),
        body: format!(
            "{what} ({at}, московское время).\n\n\
                 Если это сделали не вы, восстановите доступ на странице входа и выйдите \
                 на всех устройствах в профиле."
        ),
    }];
    messages.extend(account.phone.clone().map(|phone| Message {
        account_id: Some(account.id),
        channel: Channel::Sms,
        recipient: phone,
        subject: "Изменены настройки входа".to_owned(),
        body: format!("{what} ({at}). Если это были не вы, восстановите доступ. Госуслуги"),
    }));
    messages
}

/// To the old address when the e-mail changes.
pub fn contact_changed_email(account: &StoredAccount, new: &str, at: &str) -> Message {
    Message {
        account_id: Some(account.id),
        channel: Channel::Email,
        recipient: account.email.clone(),
        subject: "Адрес электронной почты изменён".to_owned(),
        body: format!(
            "В вашей учётной записи {at} (московское время) адрес электронной почты изменён на {new}. \
             Сюда уведомления больше приходить не будут.\n\n\
             Если это сделали не вы, восстановите доступ по телефону и смените пароль."
        ),
    }
}

/// To the old phone when the phone changes.
pub fn contact_changed_phone(account: &StoredAccount, new: &str, at: &str) -> Option<Message> {
    Some(Message {
        account_id: Some(account.id),
        channel: Channel::Sms,
        recipient: account.phone.clone()?,
        subject: "Номер телефона изменён".to_owned(),
        body: format!(
            "Номер телефона в учётной записи изменён на {new} ({at}). Если это были не вы, \
             восстановите доступ по почте. Госуслуги"
        ),
    })
}
