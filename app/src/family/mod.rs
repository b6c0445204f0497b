//! «Документы → Семья и дети»: a parent's children, their documents and the registry checks.
//! `child_form` holds the form's rules; `status_text` the wording of every status and failure;
//! the pages are `family_page` (block «Дети», the request dialog, polling), `child_page` (the
//! child's card) and `child_editor` («Добавить» / «Редактировать»). The server implements
//! [`Family`].

mod child_editor;
pub mod child_form;
mod child_page;
mod family_page;
mod polling;
mod request_dialog;
pub mod status_text;

pub use child_editor::{AddChildPage, EditChildPage};
pub use child_page::ChildPage;
pub use family_page::FamilyPage;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::api::ApiError;
#[cfg(feature = "ssr")]
use crate::api::{ServiceError, SignedInAccount};
use crate::domain::DocumentStatus;
use child_form::ChildForm;
#[cfg(feature = "ssr")]
use child_form::NewChild;

/// Cards one parent may hold: more than any family has, few enough that nobody can fill the
/// table through one account (the refusal's text says the number).
pub const MAX_CHILDREN: i64 = 20;

/// One document's state as the page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentState {
    pub status: DocumentStatus,
    /// What the registry said was wrong, as stored (see [`status_text::explanation`]).
    pub problem: Option<String>,
    /// The number once it is confirmed («123-456-789 64» for a СНИЛС СФР found).
    pub confirmed_number: Option<String>,
}

/// A child in the block «Дети».
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChildSummary {
    pub id: i64,
    /// «Иванов Пётр Андреевич».
    pub full_name: String,
    /// «05.03.2016».
    pub birth_date: String,
    pub certificate: DocumentState,
    pub snils: DocumentState,
    /// A foreign certificate cannot be checked in ЕГР ЗАГС.
    pub russian_certificate: bool,
}

impl ChildSummary {
    pub fn in_progress(&self) -> bool {
        self.certificate.status.in_progress() || self.snils.status.in_progress()
    }

    /// «Запросить» is offered: a Russian certificate and nothing running or settled.
    pub fn can_request(&self) -> bool {
        use DocumentStatus::*;
        self.russian_certificate
            && !self.in_progress()
            && (matches!(
                self.certificate.status,
                Manual | NotFoundInZags | RegistryUnavailable
            ) || matches!(self.snils.status, NotFoundInSfr | RegistryUnavailable))
    }
}

/// The block «Дети» and everything the page needs to draw it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FamilyOverview {
    /// Changes whenever anything shown here changes; the page sends it back when polling.
    pub version: String,
    pub children: Vec<ChildSummary>,
    /// Consent requests about the parent's children that wait for a decision.
    pub pending_consents: u32,
}

impl FamilyOverview {
    pub fn in_progress(&self) -> bool {
        self.children.iter().any(ChildSummary::in_progress)
    }
}

/// The answer to a poll: nothing new, or the whole block again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum FamilyUpdate {
    Unchanged,
    Changed(FamilyOverview),
}

/// One line of the child's card: «Номер актовой записи» — «170016770001234».
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Detail {
    pub label: String,
    pub value: String,
}

/// The child's card.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChildDetails {
    pub summary: ChildSummary,
    pub personal: Vec<Detail>,
    pub certificate: Vec<Detail>,
    /// ОМС, ИНН and the other certificates, those given.
    pub other_documents: Vec<Detail>,
    /// «Создать», why it is not offered, or the child's account and consent.
    pub account: crate::child_account::AccountBlock,
    /// The form as saved, for «Редактировать».
    pub form: ChildForm,
    /// Benefits approved for the child, newest first.
    pub benefits: Vec<ActiveBenefit>,
}

/// A benefit approved for the child: it is active, and its application says why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActiveBenefit {
    pub name: String,
    /// The day it was approved, ДД.ММ.ГГГГ.
    pub since: String,
    pub application_id: i64,
    /// «600101-2026-0000042».
    pub number: String,
}

/// What «Семья и дети» shows: it serves everyone, and only a confirmed parent sees children.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum FamilySection {
    SignedOut,
    /// Signed in below «подтверждённая».
    LevelTooLow,
    Children(FamilyOverview),
}

/// The section's page in one answer (one resource, so the page hydrates from one piece of data).
#[server(prefix = "/api", endpoint = "family/section")]
pub async fn load_family_section() -> Result<FamilySection, ApiError> {
    use crate::api::AccountLevel;
    use crate::api::{request, service};
    Ok(match request::signed_in_account().await? {
        None => FamilySection::SignedOut,
        Some(a) if a.level < AccountLevel::Confirmed => FamilySection::LevelTooLow,
        Some(parent) => FamilySection::Children(
            service::<dyn Family>()?
                .overview(&parent)
                .await
                .map_err(ApiError::from)?,
        ),
    })
}

/// The block «Дети». With the version the page already shows, answers `Unchanged` when nothing
/// changed — the cheap answer the page gets while it polls.
#[server(prefix = "/api", endpoint = "family/children")]
pub async fn load_family(known_version: Option<String>) -> Result<FamilyUpdate, ApiError> {
    use crate::api::service;
    let account = crate::api::request::require_confirmed_account().await?;
    let overview = service::<dyn Family>()?
        .overview(&account)
        .await
        .map_err(ApiError::from)?;
    Ok(
        if known_version.as_deref() == Some(overview.version.as_str()) {
            FamilyUpdate::Unchanged
        } else {
            FamilyUpdate::Changed(overview)
        },
    )
}

#[server(prefix = "/api", endpoint = "family/child")]
pub async fn load_child(id: i64) -> Result<ChildDetails, ApiError> {
    use crate::api::service;
    let account = crate::api::request::require_confirmed_account().await?;
    service::<dyn Family>()?
        .child(&account, id)
        .await
        .map_err(ApiError::from)
}

/// «Сохранить»: a new child (`id` empty) or changes to one. Returns the child's id.
#[server(prefix = "/api", endpoint = "family/save-child")]
pub async fn save_child(id: Option<i64>, form: ChildForm) -> Result<i64, ApiError> {
    use crate::api::service;
    let account = crate::api::request::require_confirmed_account().await?;
    let today = crate::domain::moscow_today(crate::api::now()?);
    let child = child_form::validate(&form, today).map_err(ApiError::Invalid)?;
    service::<dyn Family>()?
        .save_child(&account, id, child)
        .await
        .map_err(ApiError::from)
}

#[server(prefix = "/api", endpoint = "family/remove-child")]
pub async fn remove_child(id: i64) -> Result<(), ApiError> {
    use crate::api::service;
    let account = crate::api::request::require_confirmed_account().await?;
    service::<dyn Family>()?
        .remove_child(&account, id)
        .await
        .map_err(ApiError::from)
}

/// «Отправить» in «Запрос на получение данных из ЕГР ЗАГС»: checks for the chosen children.
#[server(prefix = "/api", endpoint = "family/request-checks")]
pub async fn request_checks(children: Vec<i64>, auto_update: bool) -> Result<(), ApiError> {
    use crate::api::{FieldError, service};
    let account = crate::api::request::require_confirmed_account().await?;
    if children.is_empty() {
        return Err(ApiError::Invalid(vec![FieldError::new(
            request_dialog::CHILDREN_FIELD,
            "children.none",
            "Выберите хотя бы одного ребёнка",
        )]));
    }
    service::<dyn Family>()?
        .request_checks(&account, &children, auto_update)
        .await
        .map_err(ApiError::from)
}

/// «Семья и дети»: a parent's children and their registry checks. Every method is scoped to
/// the signed-in parent: another family's child reads as `Refusal::NotFound`.
#[cfg(feature = "ssr")]
#[async_trait::async_trait]
pub trait Family: Send + Sync {
    async fn overview(&self, parent: &SignedInAccount) -> Result<FamilyOverview, ServiceError>;

    async fn child(&self, parent: &SignedInAccount, id: i64) -> Result<ChildDetails, ServiceError>;

    /// Adds (`id` empty) or changes a child; a changed document goes back to «Данные введены
    /// вручную». Returns the child's id.
    async fn save_child(
        &self,
        parent: &SignedInAccount,
        id: Option<i64>,
        child: NewChild,
    ) -> Result<i64, ServiceError>;

    async fn remove_child(&self, parent: &SignedInAccount, id: i64) -> Result<(), ServiceError>;

    /// Starts the registry checks for these children, each in one transaction with its job.
    async fn request_checks(
        &self,
        parent: &SignedInAccount,
        children: &[i64],
        auto_update: bool,
    ) -> Result<(), ServiceError>;
}
