//! «Журнал активности»: every feature that signs a minor in, uses a service for them, changes
//! their settings or shows their data to a parent or an officer appends an entry here, in the
//! same transaction as the change. `ActivityService` shows the journal to the minor and their
//! linked parents only, with the chain's verdict; `export` serves it as CSV.

pub mod chain;
pub mod export;
mod notices;

use std::sync::Arc;

use app::account::device;
use app::activity::journal::{
    ActivityJournal, ActivityKind, ActorKind, ChainState, JOURNAL_PAGE, JournalEntry, JournalOf,
    JournalPage, JournalQuery,
};
use app::api::request::ClientInfo;
use app::api::{Clock, ServiceError, SignedInAccount};
use app::benefits::journal::officer_label;
use app::domain::date::MOSCOW;
use app::domain::minor::AgeGroup;
use app::domain::{format_ru_datetime, full_name};
use time::{Date, Duration, OffsetDateTime, Time};

use crate::db::activity_journal::{self, Filter, StoredEntry};
use crate::db::{Database, StorageError, Tx, accounts, child_accounts};
use crate::family::not_found;

/// A view of the same data by the same person within this window is one view: a page read
/// again, or followed live, does not fill the journal.
pub const VIEW_WINDOW: Duration = Duration::minutes(15);

/// Who acted, as the entry records them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub kind: ActorKind,
    pub account_id: Option<i64>,
    pub label: String,
}

impl Actor {
    pub fn portal() -> Self {
        Actor {
            kind: ActorKind::Portal,
            account_id: None,
            label: "Портал".to_owned(),
        }
    }

    pub fn officer(account_id: i64, number: i64) -> Self {
        Actor {
            kind: ActorKind::Officer,
            account_id: Some(account_id),
            label: officer_label(number),
        }
    }

    /// The minor themself or a parent, named from their account.
    pub async fn person(
        tx: &mut Tx,
        kind: ActorKind,
        account_id: i64,
    ) -> Result<Self, StorageError> {
        let name = accounts::by_id_in(tx, account_id)
            .await?
            .map(|a| full_name(&a.last_name, &a.first_name, a.middle_name.as_deref()))
            .unwrap_or_default();
        let role = match kind {
            ActorKind::Parent => " (родитель)",
            _ => "",
        };
        Ok(Actor {
            kind,
            account_id: Some(account_id),
            label: format!("{name}{role}"),
        })
    }
}

/// What happened, to be written to a minor's journal.
#[derive(Debug, Clone)]
pub struct Activity<'a> {
    pub kind: ActivityKind,
    pub actor: Actor,
    /// «Вход в личный кабинет».
    pub action: &'a str,
    pub detail: String,
    /// Where it came from, for a sign-in or the minor's own request.
    pub client: Option<&'a ClientInfo>,
}

/// Appends `activity` to `minor`'s journal inside the caller's transaction: the next number, the
/// previous entry's hash, its own.
pub async fn record(
    tx: &mut Tx,
    minor: i64,
    activity: &Activity<'_>,
    at: OffsetDateTime,
) -> Result<(), StorageError> {
    let head = activity_journal::head_locked(tx, minor).await?;
    let (seq, prev_hash) = match head {
        Some((seq, hash)) => (seq + 1, hash),
        None => (1, chain::GENESIS.to_owned()),
    };
    let mut entry = StoredEntry {
        minor_account_id: minor,
        seq,
        occurred_at: chain::stored_moment(at),
        kind: activity.kind,
        actor_kind: activity.actor.kind,
        actor_account_id: activity.actor.account_id,
        actor_label: activity.actor.label.clone(),
        action: activity.action.to_owned(),
        detail: activity.detail.clone(),
        device: activity
            .client
            .map(|c| device::describe(&c.user_agent))
            .unwrap_or_default(),
        address: activity
            .client
            .map(|c| c.address.clone())
            .unwrap_or_default(),
        prev_hash,
        hash: String::new(),
    };
    entry.hash = chain::hash(&entry.prev_hash, &entry);
    activity_journal::insert(tx, &entry).await
}

/// A parent's act on the minor's account (a consent, a setting, an operation for them).
pub async fn record_by_parent(
    tx: &mut Tx,
    minor: i64,
    parent: i64,
    kind: ActivityKind,
    action: &str,
    at: OffsetDateTime,
) -> Result<(), StorageError> {
    let activity = Activity {
        kind,
        actor: Actor::person(tx, ActorKind::Parent, parent).await?,
        action,
        detail: String::new(),
        client: None,
    };
    record(tx, minor, &activity, at).await
}

/// A view of the minor's data: written unless the same person's same view is within
/// [`VIEW_WINDOW`].
pub async fn record_view(
    tx: &mut Tx,
    minor: i64,
    activity: &Activity<'_>,
    at: OffsetDateTime,
) -> Result<(), StorageError> {
    let seen = activity_journal::written_since(
        tx,
        minor,
        activity.actor.account_id,
        activity.action,
        at - VIEW_WINDOW,
    )
    .await?;
    if seen {
        return Ok(());
    }
    record(tx, minor, activity, at).await?;
    notices::tell(tx, minor, activity, at).await
}

/// A complete sign-in: journaled when the account is a minor's.
pub async fn record_sign_in(
    tx: &mut Tx,
    account_id: i64,
    client: &ClientInfo,
    at: OffsetDateTime,
) -> Result<(), StorageError> {
    let Some(account) = accounts::by_id_in(tx, account_id).await? else {
        return Ok(());
    };
    if account.age_group == AgeGroup::Adult {
        return Ok(());
    }
    let activity = Activity {
        kind: ActivityKind::SignIn,
        actor: Actor::person(tx, ActorKind::Minor, account_id).await?,
        action: "Вход в личный кабинет",
        detail: String::new(),
        client: Some(client),
    };
    record(tx, account_id, &activity, at).await?;
    notices::tell(tx, account_id, &activity, at).await
}

/// The minor linked to a parent's card by a live link.
pub async fn minor_of_card(
    db: &Database,
    parent: i64,
    card: i64,
) -> Result<Option<i64>, StorageError> {
    Ok(child_accounts::account_of_child(db, parent, card)
        .await?
        .filter(|a| a.ended_at.is_none())
        .map(|a| a.account_id))
}

/// A view by a parent of their card of a child whose account they are linked to.
pub async fn record_parent_view(
    db: &Database,
    parent: i64,
    card: i64,
    action: &str,
    at: OffsetDateTime,
) -> Result<(), StorageError> {
    let Some(minor) = minor_of_card(db, parent, card).await? else {
        return Ok(());
    };
    let mut tx = db.begin().await?;
    let activity = Activity {
        kind: ActivityKind::DataView,
        actor: Actor::person(&mut tx, ActorKind::Parent, parent).await?,
        action,
        detail: String::new(),
        client: None,
    };
    record_view(&mut tx, minor, &activity, at).await?;
    tx.commit().await
}

/// The journal's pages.
pub struct ActivityService {
    pub db: Database,
    pub clock: Arc<dyn Clock>,
}

/// Midnight in Moscow at the start of `date`.
fn moscow_midnight(date: Date) -> OffsetDateTime {
    date.with_time(Time::MIDNIGHT).assume_offset(MOSCOW)
}

/// The stored filter of a checked query.
pub fn stored_filter(query: &JournalQuery) -> Filter {
    Filter {
        kind: query.kind,
        from: query.from.map(moscow_midnight),
        until: query.to.and_then(|d| d.next_day()).map(moscow_midnight),
    }
}

/// An entry as the page shows it.
pub fn shown(entry: StoredEntry) -> JournalEntry {
    JournalEntry {
        seq: entry.seq,
        at: format_ru_datetime(entry.occurred_at),
        kind: entry.kind,
        actor: entry.actor_label,
        action: entry.action,
        detail: entry.detail,
        device: entry.device,
        address: entry.address,
    }
}

impl ActivityService {
    /// Whose journal the caller may read, and the minor's name; anyone else is told there is
    /// none. A parent's reading is journaled as a view.
    pub async fn reader_of(
        &self,
        account: &SignedInAccount,
        of: JournalOf,
    ) -> Result<(i64, String), ServiceError> {
        let minor = match of {
            JournalOf::Own => account.account_id,
            JournalOf::Child(card) => {
                let minor = minor_of_card(&self.db, account.account_id, card)
                    .await?
                    .ok_or_else(not_found)?;
                record_parent_view(
                    &self.db,
                    account.account_id,
                    card,
                    "Просмотр журнала активности",
                    self.clock.now(),
                )
                .await?;
                minor
            }
        };
        let stored = accounts::by_id(&self.db, minor)
            .await?
            .filter(|a| a.age_group != AgeGroup::Adult)
            .ok_or_else(not_found)?;
        Ok((
            minor,
            full_name(
                &stored.last_name,
                &stored.first_name,
                stored.middle_name.as_deref(),
            ),
        ))
    }

    /// Verifies a minor's whole chain.
    pub async fn verify(&self, minor: i64) -> Result<ChainState, StorageError> {
        Ok(chain::verify(
            &activity_journal::chain(&self.db, minor).await?,
        ))
    }
}

#[async_trait::async_trait]
impl ActivityJournal for ActivityService {
    async fn journal(
        &self,
        account: &SignedInAccount,
        of: JournalOf,
        query: &JournalQuery,
    ) -> Result<JournalPage, ServiceError> {
        let (minor, minor_name) = self.reader_of(account, of).await?;
        let limit = i64::from(JOURNAL_PAGE);
        let (rows, total) = activity_journal::page(
            &self.db,
            minor,
            stored_filter(query),
            limit,
            i64::from(query.page) * limit,
        )
        .await?;
        Ok(JournalPage {
            minor_name,
            entries: rows.into_iter().map(shown).collect(),
            total,
            page: query.page,
            chain: self.verify(minor).await?,
        })
    }
}
