//! A child's data under 152-ФЗ, from the parent's card: «Скачать все данные о ребёнке» — one
//! archive with every record about the child as JSON and a readable, signed PDF — and «Удалить все
//! данные о ребёнке» — after re-authentication and a plain statement of what goes, every row and
//! file about the child removed in one go, a minimal signed deletion receipt left.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::api::ApiError;
#[cfg(feature = "ssr")]
use crate::api::{ServiceError, SignedInAccount};

pub fn page_path(child: i64) -> String {
    format!("/documents/family/children/{child}/data")
}

/// `GET`: the archive.
pub fn export_path(child: i64) -> String {
    format!("/documents/family/children/{child}/data/export")
}

/// `GET`: a deletion's receipt.
pub fn deletion_receipt_path(deletion: i64) -> String {
    format!("/documents/family/deletions/{deletion}/receipt")
}

pub const CONFIRM_FIELD: &str = "understood";

/// What will go, in plain words, and how many of each.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeletionStatement {
    pub child_name: String,
    /// «Карточка ребёнка и история проверок» — 1.
    pub items: Vec<(String, i64)>,
    /// Files stored for the child's applications.
    pub files: i64,
    pub reauthenticated: bool,
}

/// What a deletion left.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deleted {
    pub id: i64,
    pub rows: i64,
    pub files: i64,
    /// «07.12.2026 10:15», Moscow time.
    pub at: String,
}

#[server(prefix = "/api", endpoint = "data/preview")]
pub async fn deletion_preview(child: i64) -> Result<DeletionStatement, ApiError> {
    use crate::api::{request, service};
    let parent = request::require_confirmed_account().await?;
    Ok(service::<dyn ChildDataRights>()?
        .preview(&parent, child)
        .await?)
}

/// «Удалить все данные о ребёнке»: only with «Я понимаю…» ticked and a fresh re-authentication.
#[server(prefix = "/api", endpoint = "data/delete")]
pub async fn delete_child_data(
    child: i64,
    #[server(default)] understood: bool,
) -> Result<Deleted, ApiError> {
    use crate::api::{request, service};
    if !understood {
        return Err(ApiError::Invalid(vec![crate::api::FieldError::new(
            CONFIRM_FIELD,
            "deletion.not_confirmed",
            "Подтвердите, что понимаете: удалённые данные восстановить нельзя",
        )]));
    }
    let parent = request::require_confirmed_account().await?;
    Ok(service::<dyn ChildDataRights>()?
        .delete(&parent, child)
        .await?)
}

#[cfg(feature = "ssr")]
#[async_trait::async_trait]
pub trait ChildDataRights: Send + Sync {
    /// The parent's own card of the child only; another family's reads as none.
    async fn preview(
        &self,
        parent: &SignedInAccount,
        child: i64,
    ) -> Result<DeletionStatement, ServiceError>;

    /// Removes every row about the child in one transaction, then the files; refused without a
    /// re-authentication within ten minutes.
    async fn delete(&self, parent: &SignedInAccount, child: i64) -> Result<Deleted, ServiceError>;
}
