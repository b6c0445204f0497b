//! The officers' queue: every application with its status, the overdue ones first.

use app::api::{FieldError, ServiceError, SignedInAccount};
use app::domain::format_ru_datetime;
use app::officer::desk::{QUEUE_PAGE, QueueFilter, QueuePage, QueueRow};

use super::{OfficerDeskService, claim_view};
use crate::db::decisions::{self, QueueQuery};

/// Pages past this are refused: 25 × 4,000 is more than any queue holds.
const MAX_PAGE: u32 = 4_000;

impl OfficerDeskService {
    pub(super) async fn queue_page(
        &self,
        account: &SignedInAccount,
        filter: QueueFilter,
    ) -> Result<QueuePage, ServiceError> {
        let officer = self.officer(account).await?;
        if let Some(code) = &filter.benefit
            && self.catalogue.find(code).is_none()
        {
            return Err(ServiceError::Invalid(vec![FieldError::new(
                "benefit",
                "queue.benefit_unknown",
                "Такой льготы нет в каталоге — выберите льготу из списка",
            )]));
        }
        if filter.page > MAX_PAGE {
            return Err(ServiceError::Invalid(vec![FieldError::new(
                "page",
                "queue.page_out_of_range",
                "Такой страницы нет — вернитесь к первой",
            )]));
        }
        let now = self.clock.now();
        let query = QueueQuery {
            status: filter.status,
            benefit: filter.benefit.as_deref(),
            overdue_only: filter.overdue_only,
            eligibility: filter.eligibility,
            claimed_by: filter.mine_only.then_some(officer.id.0),
            limit: i64::from(QUEUE_PAGE),
            offset: i64::from(filter.page) * i64::from(QUEUE_PAGE),
        };
        let (rows, total) = decisions::queue(&self.db, &query, now).await?;
        let rows = rows
            .iter()
            .map(|row| {
                Ok(QueueRow {
                    id: row.id,
                    number: self.number(row)?,
                    benefit_name: self.benefit(&row.benefit_code)?.name.clone(),
                    submitted_at: format_ru_datetime(row.submitted_at),
                    status: row.status,
                    waiting_days: (now - row.status_since).whole_days(),
                    overdue: row.overdue(now),
                    eligibility: row.eligibility,
                    claim: claim_view(row, officer, now),
                    new_material: row.new_material,
                })
            })
            .collect::<Result<_, ServiceError>>()?;
        Ok(QueuePage {
            rows,
            total,
            page: filter.page,
            benefits: self.catalogue.choices(),
        })
    }
}
