//! The support desk behind «Задать вопрос» (`SupportDesk`) and the requests about applications
//! that officers answer (`SupportRequests`, in [`requests`]).

mod requests;

use std::sync::Arc;

use app::api::{FieldError, ServiceError, SignedInAccount};
use app::domain::{ApplicationNumber, format_ru_datetime};
use app::support::{Question, QuestionReceipt, SupportDesk, fields};

use crate::benefits::Catalogue;
use crate::clock::Clock;
use crate::db::support_questions::{self, Asker};
use crate::db::{Database, applications};
use crate::outbox::Outbox;

pub struct SupportDeskService {
    pub db: Database,
    pub clock: Arc<dyn Clock>,
    pub outbox: Outbox,
    /// Numbers applications as families know them.
    pub catalogue: Arc<Catalogue>,
    pub public_url: String,
}

/// «ВП-000042»: the number the applicant quotes when calling support.
pub fn question_number(id: i64) -> String {
    format!("ВП-{id:06}")
}

impl SupportDeskService {
    /// The asker's own application with this number; another's reads as none.
    async fn own_application(
        &self,
        asker: &SignedInAccount,
        number: &ApplicationNumber,
    ) -> Result<i64, ServiceError> {
        let found = applications::of_parent(&self.db, asker.account_id, number.id).await?;
        let matches = found.is_some_and(|stored| {
            self.catalogue.find(&stored.benefit_code).is_some_and(|b| {
                b.application_number(stored.submitted_at, stored.id) == number.to_string()
            })
        });
        if matches {
            Ok(number.id)
        } else {
            Err(ServiceError::Invalid(vec![FieldError::new(
                fields::APPLICATION,
                "application_number.not_found",
                "Среди ваших заявлений нет заявления с таким номером — проверьте номер",
            )]))
        }
    }
}

#[async_trait::async_trait]
impl SupportDesk for SupportDeskService {
    async fn register(
        &self,
        question: Question,
        asker: Option<&SignedInAccount>,
        about: Option<ApplicationNumber>,
    ) -> Result<QuestionReceipt, ServiceError> {
        let application = match (asker, &about) {
            (Some(asker), Some(number)) => Some(self.own_application(asker, number).await?),
            (None, Some(_)) => return Err(ServiceError::SignInRequired),
            (_, None) => None,
        };
        let at = self.clock.now();
        let who = Asker {
            account: asker.map(|a| a.account_id),
            application,
        };
        let id = support_questions::insert(&self.db, &question, who, at).await?;
        tracing::info!(
            question_id = id,
            account_id = who.account,
            application_id = who.application,
            "support question registered"
        );
        Ok(QuestionReceipt {
            number: question_number(id),
            registered_at: format_ru_datetime(at),
        })
    }
}
