//! What the family is told when an officer changes their application's status, with what the
//! officer wrote and the link to the application: on the channels the family chose for the kind
//! of event («Настройки уведомлений»).

use app::benefits::catalogue::Benefit;
use app::domain::application_status::ApplicationStatus;
use app::notifications::settings::NoticeEvent;

use super::OfficerDeskService;
use crate::outbox::Notice;

impl OfficerDeskService {
    pub(super) fn status_notice(
        &self,
        number: &str,
        application: i64,
        benefit: &Benefit,
        status: ApplicationStatus,
        comment: &str,
    ) -> Notice {
        let (event, what) = match status {
            ApplicationStatus::ClarificationNeeded => (
                NoticeEvent::DocumentsRequested,
                "Специалист просит уточнить данные. Откройте заявление, нажмите «Добавить документ» \
                 или напишите ответ и отправьте повторно.",
            ),
            ApplicationStatus::Approved => {
                (NoticeEvent::FinalDecision, "Льгота назначена и действует.")
            }
            ApplicationStatus::Rejected => (
                NoticeEvent::FinalDecision,
                "В льготе отказано. Если вы считаете решение ошибочным, нажмите «Оспорить решение» \
                 в течение 30 дней.",
            ),
            ApplicationStatus::AppealDismissed => (
                NoticeEvent::FinalDecision,
                "Жалоба рассмотрена, отказ оставлен в силе.",
            ),
            ApplicationStatus::UnderReview | ApplicationStatus::Appealed => {
                (NoticeEvent::StatusChanged, "")
            }
        };
        let comment = if comment.is_empty() {
            String::new()
        } else {
            format!(" Комментарий специалиста: {comment}")
        };
        Notice {
            event,
            subject: format!("Заявление № {number}: «{}»", status.label()),
            text: format!(
                "Заявление «{}»: статус «{}». {what}{comment}",
                benefit.name,
                status.label(),
            ),
            link: format!("{}/applications/{application}", self.public_url),
        }
    }
}
