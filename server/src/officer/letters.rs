//! What the family is told when an officer changes their application's status: in the portal and
//! by e-mail, with what the officer wrote and the link to the application.

use app::benefits::catalogue::Benefit;
use app::domain::application_status::ApplicationStatus;

use super::OfficerDeskService;
use crate::db::accounts::StoredAccount;
use crate::outbox::{Channel, Message};

impl OfficerDeskService {
    pub(super) fn status_letters(
        &self,
        parent: &StoredAccount,
        number: &str,
        application: i64,
        benefit: &Benefit,
        status: ApplicationStatus,
        comment: &str,
    ) -> [Message; 2] {
        let subject = format!("Заявление № {number}: «{}»", status.label());
        let what = match status {
            ApplicationStatus::ClarificationNeeded => {
                "Специалист просит уточнить данные. Откройте заявление, нажмите «Добавить документ» \
                 или напишите ответ и отправьте повторно."
            }
            ApplicationStatus::Approved => "Льгота назначена и действует.",
            ApplicationStatus::Rejected => {
                "В льготе отказано. Если вы считаете решение ошибочным, нажмите «Оспорить решение» \
                 в течение 30 дней."
            }
            ApplicationStatus::AppealDismissed => "Жалоба рассмотрена, отказ оставлен в силе.",
            ApplicationStatus::UnderReview | ApplicationStatus::Appealed => "",
        };
        let comment = if comment.is_empty() {
            String::new()
        } else {
            format!(" Комментарий специалиста: {comment}")
        };
        let body = format!(
            "Заявление «{}»: статус «{}». {what}{comment} Подробности: {}/applications/{application}",
            benefit.name,
            status.label(),
            self.public_url,
        );
        [
            Message {
                account_id: Some(parent.id),
                channel: Channel::InApp,
                recipient: parent.id.to_string(),
                subject: subject.clone(),
                body: body.clone(),
            },
            Message {
                account_id: Some(parent.id),
                channel: Channel::Email,
                recipient: parent.email.clone(),
                subject,
                body,
            },
        ]
    }
}
