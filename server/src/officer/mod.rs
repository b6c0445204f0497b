//! The officer's back office on the server: `OfficerDesk` ([`queue`], [`case`]: open, claim,
//! release; [`decide`]: the status machine's decisions). An officer reaches applications and
//! their documents only; every action and every viewing goes into the application's journal.

mod case;
mod decide;
pub mod documents;
mod letters;
mod queue;

use std::sync::Arc;

use app::api::{Refusal, ServiceError, SignedInAccount};
use app::benefits::catalogue::Benefit;
use app::domain::application_status::{ActionKind, OfficerId};
use app::domain::format_ru_datetime;
use app::officer::desk::ClaimView;
use time::OffsetDateTime;

use crate::benefits::Catalogue;
use crate::clock::Clock;
use crate::db::Database;
use crate::db::application_events::EventActor;
use crate::db::decisions::{self, CaseRow};
use crate::family::not_found;
use crate::outbox::Outbox;

pub struct OfficerDeskService {
    pub db: Database,
    pub clock: Arc<dyn Clock>,
    pub catalogue: Arc<Catalogue>,
    pub outbox: Outbox,
    /// The portal's address, for the links in the family's messages.
    pub public_url: String,
    /// Opens the files sealed with a child's key.
    pub file_keys: crate::file_keys::FileKeys,
    /// Where the documents' bytes are.
    pub store: Arc<dyn object_store::ObjectStore>,
}

/// The officer acting, with the public number the journal shows.
#[derive(Debug, Clone, Copy)]
struct Officer {
    id: OfficerId,
    number: i64,
}

impl Officer {
    /// The officer as a journal entry records them.
    fn actor(self) -> EventActor {
        EventActor::Officer {
            id: self.id,
            number: self.number,
        }
    }
}

impl OfficerDeskService {
    async fn officer(&self, account: &SignedInAccount) -> Result<Officer, ServiceError> {
        let number = decisions::officer_number(&self.db, account.account_id)
            .await?
            .ok_or(ServiceError::Refused(Refusal::OfficersOnly))?;
        Ok(Officer {
            id: OfficerId(account.account_id),
            number,
        })
    }

    fn benefit(&self, code: &str) -> Result<&Benefit, ServiceError> {
        self.catalogue.find(code).ok_or_else(not_found)
    }

    fn number(&self, row: &CaseRow) -> Result<String, ServiceError> {
        Ok(self
            .benefit(&row.benefit_code)?
            .application_number(row.submitted_at, row.id))
    }

    async fn row(&self, id: i64, now: OffsetDateTime) -> Result<CaseRow, ServiceError> {
        decisions::case(&self.db, id, now)
            .await?
            .ok_or_else(not_found)
    }
}

fn claim_view(row: &CaseRow, officer: Officer, now: OffsetDateTime) -> ClaimView {
    match (row.live_claim(now), row.claim_expires_at) {
        (Some(holder), Some(until)) if holder == officer.id.0 => ClaimView::Mine {
            until: format_ru_datetime(until),
        },
        (Some(_), _) => ClaimView::Other {
            officer: row
                .claimed_by_number
                .map(app::benefits::journal::officer_label)
                .unwrap_or_else(|| "другой специалист".to_owned()),
        },
        _ => ClaimView::Free,
    }
}

/// What the officer may do now: each officer action the status machine would accept with some
/// text (the text itself is checked when it is sent).
fn allowed_actions(row: &CaseRow, officer: Officer, now: OffsetDateTime) -> Vec<ActionKind> {
    let facts = row.facts(now);
    ActionKind::ALL
        .into_iter()
        .filter(|kind| kind.by_officer())
        .filter(|kind| {
            let action = decide::action(*kind, "—".to_owned());
            row.status
                .apply(
                    app::domain::application_status::Actor::Officer(officer.id),
                    &action,
                    &facts,
                )
                .is_ok()
        })
        .collect()
}
