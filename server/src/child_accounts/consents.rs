//! The parent's consents: the list, decisions (grant, decline, revoke) with the journal and the
//! child told, and what a revocation stops.

use app::activity::journal::ActivityKind;
use app::api::Refusal;
use app::api::request::ClientInfo;
use app::api::{ServiceError, SignedInAccount};
use app::child_account::consents::ConsentService;
use app::child_account::consents::{CONSENT_TEXT_VERSION, ConsentView};
use app::domain::minor::{ConsentDecision, ConsentStatus};
use app::domain::{format_ru_datetime, full_name};

use super::letters::{self, Person};
use super::refusals::log_refused;
use super::{ChildAccountService, not_found};
use crate::db::{accounts, child_accounts, consents, sessions};

pub fn view(c: &consents::StoredConsent) -> ConsentView {
    ConsentView {
        id: c.id,
        child_name: c.minor_name(),
        status: c.status,
        text_version: c.text_version.clone(),
        requested_at: format_ru_datetime(c.requested_at),
        decided_at: c.decided_at.map(format_ru_datetime),
        revoked_at: c.revoked_at.map(format_ru_datetime),
    }
}

impl ChildAccountService {
    async fn try_decide_consent(
        &self,
        parent: &SignedInAccount,
        id: i64,
        decision: ConsentDecision,
        client: &ClientInfo,
    ) -> Result<(), ServiceError> {
        let now = self.clock.now();
        let mut tx = self.db.begin().await?;
        let consent = consents::of_parent(&mut tx, parent.account_id, id)
            .await?
            .ok_or_else(|| {
                log_refused(
                    "not_found_or_other_family",
                    "consent",
                    parent.account_id,
                    id,
                );
                not_found()
            })?;
        // A parent whose link ended (the child turned 18) keeps the history, not the say.
        if !child_accounts::is_guardian(&mut tx, parent.account_id, consent.minor_account_id)
            .await?
        {
            log_refused("no_live_guardianship", "consent", parent.account_id, id);
            return Err(not_found());
        }
        let from = consent.status;
        let (id, from, to) = match (from, decision) {
            // Consent after a refusal or a revocation is a new record with today's text.
            (ConsentStatus::Declined | ConsentStatus::Revoked, ConsentDecision::Grant) => {
                // The second of two clicks, after the first committed: already granted.
                if consents::transfer_granted_in(&mut tx, consent.minor_account_id).await? {
                    return Ok(());
                }
                let fresh = match consents::request(
                    &mut tx,
                    parent.account_id,
                    consent.minor_account_id,
                    CONSENT_TEXT_VERSION,
                    now,
                )
                .await
                {
                    Err(e) if e.is_unique_violation() => return grant_raced(parent, id),
                    other => other?,
                };
                (fresh, ConsentStatus::Requested, ConsentStatus::Granted)
            }
            (from, decision) => {
                let to = from
                    .after(decision)
                    .map_err(|_| ServiceError::Refused(Refusal::ConsentAlreadyDecided))?;
                (id, from, to)
            }
        };
        let moved = match consents::decide(
            &mut tx,
            id,
            parent.account_id,
            from,
            to,
            &client.address,
            now,
        )
        .await
        {
            Err(e) if e.is_unique_violation() && to == ConsentStatus::Granted => {
                return grant_raced(parent, id);
            }
            other => other?,
        };
        if !moved {
            return Err(ServiceError::Refused(Refusal::ConsentAlreadyDecided));
        }
        tracing::info!(
            event = "consent.decided",
            consent_id = id,
            parent_account_id = parent.account_id,
            minor_account_id = consent.minor_account_id,
            from = from.as_str(),
            to = to.as_str(),
            "consent decision"
        );
        if to == ConsentStatus::Revoked {
            // Access stops now, not at the next sign-in.
            sessions::end_all(&mut tx, consent.minor_account_id, None, now).await?;
        }
        let minor = accounts::by_id_in(&mut tx, consent.minor_account_id)
            .await?
            .ok_or_else(not_found)?;
        let parent_name = full_name(&parent.last_name, &parent.first_name, None);
        let child = Person {
            account_id: minor.id,
            email: &minor.email,
            first_name: &minor.first_name,
        };
        for message in letters::consent_decided(
            &child,
            &parent_name,
            to == ConsentStatus::Granted,
            to == ConsentStatus::Revoked,
        ) {
            self.outbox.enqueue(&mut tx, &message, now).await?;
        }
        let action = match to {
            ConsentStatus::Granted => "Дано согласие на передачу персональных данных",
            ConsentStatus::Declined => "Отказ в согласии на передачу персональных данных",
            ConsentStatus::Revoked => "Отозвано согласие на передачу персональных данных",
            ConsentStatus::Requested => "Запрошено согласие на передачу персональных данных",
        };
        crate::activity::record_by_parent(
            &mut tx,
            minor.id,
            parent.account_id,
            ActivityKind::Settings,
            action,
            now,
        )
        .await?;
        tx.commit().await?;
        self.outbox.wake();
        Ok(())
    }
}

/// Two grants raced (a double click on «Дать согласие» after a revocation): the unique index
/// keeps one granted consent; the loser's transaction is dropped (rolled back) and the parent has
/// what they asked for.
fn grant_raced(parent: &SignedInAccount, consent_id: i64) -> Result<(), ServiceError> {
    tracing::info!(
        event = "consent.grant_raced",
        parent_account_id = parent.account_id,
        consent_id,
        "a concurrent grant already holds the consent"
    );
    Ok(())
}

#[async_trait::async_trait]
impl ConsentService for ChildAccountService {
    async fn consents(&self, parent: &SignedInAccount) -> Result<Vec<ConsentView>, ServiceError> {
        let stored = consents::all_of_parent(&self.db, parent.account_id).await?;
        Ok(stored.iter().map(view).collect())
    }

    async fn decide_consent(
        &self,
        parent: &SignedInAccount,
        id: i64,
        decision: ConsentDecision,
        client: &ClientInfo,
    ) -> Result<(), ServiceError> {
        self.try_decide_consent(parent, id, decision, client).await
    }
}
