//! `SupportRequests`: a family follows its questions; an officer answers the open ones about
//! applications, seeing the question and the application's number only (never the asker's СНИЛС
//! or e-mail), and the family is told in the portal and by e-mail.

use app::api::{Refusal, ServiceError, SignedInAccount};
use app::benefits::journal::officer_label;
use app::domain::format_ru_datetime;
use app::support::requests::{AboutApplication, OpenRequest, SupportRequest, SupportRequests};

use super::{SupportDeskService, question_number};
use crate::db::support_questions::{self, Request};
use crate::db::{accounts, decisions};
use crate::family::not_found;

/// The most requests one list shows.
const LIST: i64 = 100;

impl SupportDeskService {
    fn about(&self, request: &Request) -> Option<AboutApplication> {
        let (id, code, at) = (
            request.application_id?,
            request.benefit_code.as_deref()?,
            request.application_submitted_at?,
        );
        Some(AboutApplication {
            id,
            number: self.catalogue.find(code)?.application_number(at, id),
        })
    }

    fn open_requests(&self, requests: Vec<Request>) -> Vec<OpenRequest> {
        requests
            .into_iter()
            .filter_map(|r| {
                Some(OpenRequest {
                    application: self.about(&r)?,
                    id: r.id,
                    number: question_number(r.id),
                    asked_at: format_ru_datetime(r.created_at),
                    text: r.text,
                })
            })
            .collect()
    }

    /// The officer's public number; anyone else is refused.
    async fn officer_number(&self, officer: &SignedInAccount) -> Result<i64, ServiceError> {
        decisions::officer_number(&self.db, officer.account_id)
            .await?
            .ok_or(ServiceError::Refused(Refusal::OfficersOnly))
    }
}

#[async_trait::async_trait]
impl SupportRequests for SupportDeskService {
    async fn mine(&self, account: &SignedInAccount) -> Result<Vec<SupportRequest>, ServiceError> {
        let requests = support_questions::of_account(&self.db, account.account_id, LIST).await?;
        Ok(requests
            .into_iter()
            .map(|r| SupportRequest {
                application: self.about(&r),
                id: r.id,
                number: question_number(r.id),
                asked_at: format_ru_datetime(r.created_at),
                status: r.status,
                answered_by: r.answered_by_number.map(officer_label),
                answered_at: r.answered_at.map(format_ru_datetime),
                text: r.text,
                answer: r.answer,
            })
            .collect())
    }

    async fn open(&self, officer: &SignedInAccount) -> Result<Vec<OpenRequest>, ServiceError> {
        self.officer_number(officer).await?;
        let open = support_questions::open_about_applications(&self.db, LIST).await?;
        Ok(self.open_requests(open))
    }

    async fn answer(
        &self,
        officer: &SignedInAccount,
        id: i64,
        answer: String,
    ) -> Result<Vec<OpenRequest>, ServiceError> {
        let number = self.officer_number(officer).await?;
        let request = support_questions::by_id(&self.db, id)
            .await?
            .filter(|r| r.application_id.is_some())
            .ok_or_else(not_found)?;
        let now = self.clock.now();
        let mut tx = self.db.begin().await?;
        if !support_questions::answer(&mut tx, id, &answer, (officer.account_id, number), now)
            .await?
        {
            return Err(ServiceError::Refused(Refusal::AlreadyAnswered));
        }
        let family = match request.account_id {
            Some(account) => accounts::by_id_in(&mut tx, account).await?,
            None => None,
        };
        if let Some(family) = family {
            let subject = format!("Ответ на обращение {}", question_number(id));
            let body = format!(
                "Специалист ответил на ваш вопрос: {answer} Все обращения: {}/help/requests",
                self.public_url
            );
            self.outbox
                .tell(&mut tx, (family.id, &family.email), &subject, &body, now)
                .await?;
        }
        tx.commit().await?;
        self.outbox.wake();
        tracing::info!(
            event = "support.answered",
            account_id = officer.account_id,
            question_id = id,
            "answered"
        );
        self.open(officer).await
    }
}
