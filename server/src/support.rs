//! The support desk service behind `app::support::submit_question`.

use std::sync::Arc;

use app::api::ServiceError;
use app::domain::format_ru_datetime;
use app::support::SupportDesk;
use app::support::{Question, QuestionReceipt};

use crate::clock::Clock;
use crate::db::{self, Database};

pub struct SupportDeskService {
    pub db: Database,
    pub clock: Arc<dyn Clock>,
}

/// «ВП-000042»: the number the applicant quotes when calling support.
pub fn question_number(id: i64) -> String {
    format!("ВП-{id:06}")
}

#[async_trait::async_trait]
impl SupportDesk for SupportDeskService {
    async fn register(&self, question: Question) -> Result<QuestionReceipt, ServiceError> {
        let at = self.clock.now();
        let id = db::support_questions::insert(&self.db, &question, at).await?;
        tracing::info!(question_id = id, "support question registered");
        Ok(QuestionReceipt {
            number: question_number(id),
            registered_at: format_ru_datetime(at),
        })
    }
}
