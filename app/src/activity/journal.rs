//! «Журнал активности» of a minor: sign-ins (time, device, address), services used, operations,
//! changes of settings, and every view of the minor's data by a parent or an officer. Only the
//! minor and their linked parents read it. Each entry is chained to the one before it by a hash,
//! and the page says whether the chain is intact. The filter lives in the address (a plain GET
//! form), so a reload and the CSV export read the same filter.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use time::Date;

use crate::api::{ApiError, FieldError, with_query};
#[cfg(feature = "ssr")]
use crate::api::{ServiceError, SignedInAccount};
use crate::field_checks;

/// Entries per page.
pub const JOURNAL_PAGE: u32 = 20;
/// The most entries one CSV file holds (the newest of what the filter finds).
pub const EXPORT_LIMIT: i64 = 5000;
/// The minor's own journal.
pub const OWN_PATH: &str = "/profile/activity";
/// `GET` with the filter (and `child` for a parent): the CSV file.
pub const EXPORT_PATH: &str = "/activity/export";

/// A parent's page of their card of the child.
pub fn child_path(child: i64) -> String {
    format!("/documents/family/children/{child}/activity")
}

/// Field ids of the filter form.
pub mod fields {
    pub const FROM: &str = "from";
    pub const TO: &str = "to";
    pub const KIND: &str = "kind";
}

/// What an entry records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ActivityKind {
    SignIn,
    Service,
    Operation,
    Settings,
    DataView,
}

impl ActivityKind {
    pub const ALL: [ActivityKind; 5] = [
        ActivityKind::SignIn,
        ActivityKind::Service,
        ActivityKind::Operation,
        ActivityKind::Settings,
        ActivityKind::DataView,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ActivityKind::SignIn => "sign_in",
            ActivityKind::Service => "service",
            ActivityKind::Operation => "operation",
            ActivityKind::Settings => "settings",
            ActivityKind::DataView => "data_view",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            ActivityKind::SignIn => "Вход",
            ActivityKind::Service => "Использование сервиса",
            ActivityKind::Operation => "Операция",
            ActivityKind::Settings => "Изменение настроек",
            ActivityKind::DataView => "Просмотр данных",
        }
    }
}

/// Who acted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ActorKind {
    /// The minor themself.
    Minor,
    Parent,
    Officer,
    /// The portal's own jobs.
    Portal,
}

impl ActorKind {
    pub const ALL: [ActorKind; 4] = [
        ActorKind::Minor,
        ActorKind::Parent,
        ActorKind::Officer,
        ActorKind::Portal,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ActorKind::Minor => "minor",
            ActorKind::Parent => "parent",
            ActorKind::Officer => "officer",
            ActorKind::Portal => "portal",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == code)
    }
}

/// Whose journal a caller asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum JournalOf {
    /// The signed-in minor's own.
    Own,
    /// The minor linked to the parent's card with this id.
    Child(i64),
}

/// The filter as typed; [`JournalFilter::check`] reads it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct JournalFilter {
    /// On or after, ДД.ММ.ГГГГ; empty for any.
    pub from: String,
    /// On or before, ДД.ММ.ГГГГ; empty for any.
    pub to: String,
    pub kind: Option<ActivityKind>,
    /// From 0.
    pub page: u32,
}

/// The filter read and checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JournalQuery {
    pub from: Option<Date>,
    pub to: Option<Date>,
    pub kind: Option<ActivityKind>,
    pub page: u32,
}

impl JournalFilter {
    /// Reads the filter; every wrong field is reported at once.
    pub fn check(&self) -> Result<JournalQuery, Vec<FieldError>> {
        let (from, to, errors) =
            field_checks::date_range((fields::FROM, &self.from), (fields::TO, &self.to));
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(JournalQuery {
            from,
            to,
            kind: self.kind,
            page: self.page,
        })
    }

    /// The filter as the page's address says it (pages counted from 1 there).
    pub fn from_query(get: impl Fn(&str) -> Option<String>) -> Self {
        JournalFilter {
            from: get(fields::FROM).unwrap_or_default(),
            to: get(fields::TO).unwrap_or_default(),
            kind: get(fields::KIND).and_then(|k| ActivityKind::parse(&k)),
            page: get("page")
                .and_then(|p| p.parse::<u32>().ok())
                .map_or(0, |p| p.saturating_sub(1)),
        }
    }

    /// The filter's query pairs, without the page.
    pub fn pairs(&self) -> Vec<(&'static str, String)> {
        let mut pairs = Vec::new();
        for (name, value) in [
            (fields::FROM, self.from.trim()),
            (fields::TO, self.to.trim()),
            (fields::KIND, self.kind.map_or("", |k| k.as_str())),
        ] {
            if !value.is_empty() {
                pairs.push((name, value.to_owned()));
            }
        }
        pairs
    }

    /// The address of this filter on `path` at another page (from 0).
    pub fn href(&self, path: &str, page: u32) -> String {
        let mut pairs = self.pairs();
        if page > 0 {
            pairs.push(("page", (page + 1).to_string()));
        }
        with_query(path, &pairs)
    }
}

/// One entry as the journal shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JournalEntry {
    /// The entry's number in this minor's journal, from 1.
    pub seq: i64,
    /// «06.12.2026 14:05», Moscow time.
    pub at: String,
    pub kind: ActivityKind,
    /// «Иванова Анна Сергеевна (родитель)», «Специалист № 105», «Портал».
    pub actor: String,
    /// «Вход в личный кабинет», «Просмотр карточки ребёнка».
    pub action: String,
    /// What the action was about, when it says more: an application's number, a service.
    pub detail: String,
    /// «Chrome на Android»; empty when not a sign-in or a request of the minor.
    pub device: String,
    /// The client's address; empty as for `device`.
    pub address: String,
}

/// Whether the journal is as it was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ChainState {
    /// Every entry follows from the one before it.
    Intact { entries: i64 },
    /// The entry with this number (or one before it was removed) does not follow.
    Broken { seq: i64 },
}

/// A page of the journal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JournalPage {
    /// Whose journal: «Иванов Пётр Андреевич».
    pub minor_name: String,
    pub entries: Vec<JournalEntry>,
    /// Entries the filter finds.
    pub total: i64,
    /// From 0.
    pub page: u32,
    pub chain: ChainState,
}

impl JournalPage {
    pub fn pages(&self) -> u32 {
        (self.total.max(0) as u64)
            .div_ceil(u64::from(JOURNAL_PAGE))
            .max(1) as u32
    }
}

/// A page of the journal: the signed-in minor's own (`child: None`), or that of the minor linked
/// to the parent's card `child`.
#[server(prefix = "/api", endpoint = "activity/journal")]
pub async fn load_journal(
    #[server(default)] child: Option<i64>,
    #[server(default)] filter: JournalFilter,
) -> Result<JournalPage, ApiError> {
    use crate::api::{request, service};
    let query = filter.check().map_err(ApiError::Invalid)?;
    let account = request::require_account().await?;
    let of = child.map_or(JournalOf::Own, JournalOf::Child);
    Ok(service::<dyn ActivityJournal>()?
        .journal(&account, of, &query)
        .await?)
}

#[cfg(feature = "ssr")]
#[async_trait::async_trait]
pub trait ActivityJournal: Send + Sync {
    /// A page of the journal; its reading by a parent is itself journaled. Anyone but the minor
    /// and a parent with a live link to them is refused as if the journal did not exist.
    async fn journal(
        &self,
        account: &SignedInAccount,
        of: JournalOf,
        query: &JournalQuery,
    ) -> Result<JournalPage, ServiceError>;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_read_back() {
        for kind in ActivityKind::ALL {
            assert_eq!(ActivityKind::parse(kind.as_str()), Some(kind));
        }
        for actor in ActorKind::ALL {
            assert_eq!(ActorKind::parse(actor.as_str()), Some(actor));
        }
        assert_eq!(ActivityKind::parse("Вход"), None);
    }

    #[test]
    fn the_filter_goes_through_the_address_and_back() {
        let filter = JournalFilter {
            from: "01.12.2026".into(),
            to: String::new(),
            kind: Some(ActivityKind::SignIn),
            page: 2,
        };
        let href = filter.href(OWN_PATH, filter.page);
        assert_eq!(
            href,
            "/profile/activity?from=01.12.2026&kind=sign_in&page=3"
        );
        let query: Vec<(String, String)> = href
            .split_once('?')
            .unwrap()
            .1
            .split('&')
            .map(|p| {
                let (k, v) = p.split_once('=').unwrap();
                (k.to_owned(), v.to_owned())
            })
            .collect();
        let back = JournalFilter::from_query(|name| {
            query
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.clone())
        });
        assert_eq!(back, filter);
    }

    #[test]
    fn wrong_dates_are_refused_at_their_fields() {
        let filter = JournalFilter {
            from: "32.01.2026".into(),
            to: "2026-01-01".into(),
            ..JournalFilter::default()
        };
        let errors = filter.check().unwrap_err();
        let at: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(at, [fields::FROM, fields::TO]);
        let backwards = JournalFilter {
            from: "02.12.2026".into(),
            to: "01.12.2026".into(),
            ..JournalFilter::default()
        };
        assert_eq!(backwards.check().unwrap_err()[0].code, "date.before_from");
    }

    #[test]
    fn pages_round_up() {
        let page = |total| JournalPage {
            minor_name: String::new(),
            entries: Vec::new(),
            total,
            page: 0,
            chain: ChainState::Intact { entries: total },
        };
        assert_eq!(page(0).pages(), 1);
        assert_eq!(page(20).pages(), 1);
        assert_eq!(page(21).pages(), 2);
    }
}
