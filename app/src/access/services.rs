//! «Мои сервисы»: the minor's own catalogue in the seed's four categories. Each service's basic
//! level shows the minor's own information; the extended level asks an agency for something
//! (a certificate, an appointment, an application, a payment). Every use goes through the
//! parent's «Настройки доступа» on the server; a refusal says why, is journaled, and the parent
//! is told. A payment by a child under 14 waits until a parent confirms it.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::api::ApiError;
#[cfg(feature = "ssr")]
use crate::api::{ServiceError, SignedInAccount};
pub use crate::domain::access::{
    AccessLevel, MinorService, ServiceCategory, ServiceLevel, UseRefusal,
};
use crate::domain::format_ru_date;

pub const SERVICES_PATH: &str = "/my-services";

/// Where a use stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RecordStatus {
    Done,
    /// A payment by a child under 14, until a parent confirms it.
    AwaitingParent,
    DeclinedByParent,
}

impl RecordStatus {
    pub const ALL: [RecordStatus; 3] = [
        RecordStatus::Done,
        RecordStatus::AwaitingParent,
        RecordStatus::DeclinedByParent,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RecordStatus::Done => "done",
            RecordStatus::AwaitingParent => "awaiting_parent",
            RecordStatus::DeclinedByParent => "declined_by_parent",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            RecordStatus::Done => "Выполнено",
            RecordStatus::AwaitingParent => "Ожидает подтверждения родителя",
            RecordStatus::DeclinedByParent => "Отклонено родителем",
        }
    }
}

/// One use of a service and what the agency answered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceRecord {
    pub id: i64,
    pub service: MinorService,
    pub level: ServiceLevel,
    pub status: RecordStatus,
    /// What the agency answered; empty while waiting.
    pub result: String,
    /// «07.12.2026 10:15», Moscow time.
    pub at: String,
}

/// A service as the minor's catalogue shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceCard {
    pub service: MinorService,
    /// Why each level would be refused now; `None` when it may be used.
    pub basic_refused: Option<UseRefusal>,
    pub extended_refused: Option<UseRefusal>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CategoryCard {
    pub category: ServiceCategory,
    /// The level in force: «Полный» only with a live grant.
    pub level: AccessLevel,
    /// A request for «Полный» waiting for the code.
    pub waiting: Option<super::grants::WaitingRequest>,
    pub services: Vec<ServiceCard>,
}

/// The minor's catalogue, with the day's count and the latest records.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MinorCatalogue {
    pub categories: Vec<CategoryCard>,
    pub requests_per_day: u32,
    pub used_today: u32,
    pub records: Vec<ServiceRecord>,
    /// The account has a second factor to confirm operations with.
    pub has_second_factor: bool,
    /// Operations are confirmed for the next minutes (a re-authentication with the second factor).
    pub confirmed: bool,
}

/// What became of a use.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum UseOutcome {
    Done(ServiceRecord),
    AwaitingParent(ServiceRecord),
    Refused(UseRefusal),
}

/// «14 лет», «11 лет», «1 год».
pub fn years(n: u32) -> String {
    let word = match (n % 10, n % 100) {
        (_, 11..=14) => "лет",
        (1, _) => "год",
        (2..=4, _) => "года",
        _ => "лет",
    };
    format!("{n} {word}")
}

/// Why a use is refused, in the minor's words.
pub fn refusal_text(refusal: UseRefusal) -> String {
    match refusal {
        UseRefusal::ServiceOff => {
            "Этот сервис выключен в «Настройках доступа». Включить его может родитель".to_owned()
        }
        UseRefusal::TooYoung { min_age } => {
            format!("Сервис доступен с {}", years(min_age))
        }
        UseRefusal::AboveMaxAge { max_age } => format!(
            "Родитель открыл эти сервисы до {}. Попросите родителя изменить настройки",
            years(max_age)
        ),
        UseRefusal::SwitchedOff { on } => format!(
            "Доступ к этим сервисам выключен с {} по настройке родителя",
            format_ru_date(on)
        ),
        UseRefusal::FullAccessRequired => {
            "Для этого нужен полный доступ — запросите согласие родителя".to_owned()
        }
        UseRefusal::DocumentTypeForbidden(document) => format!(
            "Родитель не разрешил операции этого типа: {}",
            document.label().to_lowercase()
        ),
        UseRefusal::SecondFactorRequired => {
            "Родитель просит подтверждать операции вторым фактором: подтвердите вход в разделе \
             «Подтверждение операций» на этой странице"
                .to_owned()
        }
        UseRefusal::DailyLimit { limit } => {
            format!("На сегодня лимит запросов исчерпан ({limit} в сутки). Попробуйте завтра")
        }
    }
}

#[server(prefix = "/api", endpoint = "services/catalogue")]
pub async fn load_catalogue() -> Result<MinorCatalogue, ApiError> {
    use crate::api::{request, service};
    let minor = request::require_account().await?;
    Ok(service::<dyn MinorServices>()?.catalogue(&minor).await?)
}

/// A use of `service` at `level` by the signed-in minor.
#[server(prefix = "/api", endpoint = "services/use")]
pub async fn use_service(
    service: MinorService,
    level: ServiceLevel,
) -> Result<UseOutcome, ApiError> {
    use crate::api::request;
    let minor = request::require_account().await?;
    let client = request::client();
    Ok(crate::api::service::<dyn MinorServices>()?
        .use_service(&minor, service, level, &client)
        .await?)
}

#[cfg(feature = "ssr")]
#[async_trait::async_trait]
pub trait MinorServices: Send + Sync {
    /// The signed-in minor's catalogue; anyone but a minor is told there is none.
    async fn catalogue(&self, minor: &SignedInAccount) -> Result<MinorCatalogue, ServiceError>;

    /// Decides the use by the parent's settings (the day's count reserved before the agency is
    /// asked), then asks the simulated agency and records the answer; a refusal is journaled and
    /// told to the parents.
    async fn use_service(
        &self,
        minor: &SignedInAccount,
        service: MinorService,
        level: ServiceLevel,
        client: &crate::api::request::ClientInfo,
    ) -> Result<UseOutcome, ServiceError>;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_read_back_and_refusals_say_why() {
        for status in RecordStatus::ALL {
            assert_eq!(RecordStatus::parse(status.as_str()), Some(status));
        }
        assert!(refusal_text(UseRefusal::DailyLimit { limit: 3 }).contains("3 в сутки"));
        assert!(refusal_text(UseRefusal::TooYoung { min_age: 14 }).contains("с 14 лет"));
    }
}
