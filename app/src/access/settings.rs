//! «Настройки доступа» of a linked minor, as the parent sets them on the child's card: per
//! category on/off, «Ограниченный» or «Полный», a maximum age and a switch-off date; per service
//! on/off; the limits (requests a day, document types, the second factor). Every save is written
//! to the history of changes (who, when, old → new). Only a parent with a live link changes them;
//! the minor sees them read-only.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use time::Date;

pub use super::services::years;
use crate::api::{ApiError, FieldError};
#[cfg(feature = "ssr")]
use crate::api::{ServiceError, SignedInAccount};
pub use crate::domain::access::{
    AccessLevel, AccessSettings, CategoryAccess, DocumentType, MAX_REQUESTS_PER_DAY, MinorService,
    ServiceCategory,
};
use crate::field_checks::optional_date;

/// The parent's page of their card of the child.
pub fn settings_path(child: i64) -> String {
    format!("/documents/family/children/{child}/access")
}

/// Field ids.
pub mod fields {
    use super::ServiceCategory;

    pub const REQUESTS_PER_DAY: &str = "requests_per_day";
    pub const DOCUMENTS: &str = "allowed_documents";

    pub fn max_age(category: ServiceCategory) -> &'static str {
        match category {
            ServiceCategory::Education => "max_age-education",
            ServiceCategory::Medical => "max_age-medical",
            ServiceCategory::Social => "max_age-social",
            ServiceCategory::Civil => "max_age-civil",
        }
    }

    pub fn off_on(category: ServiceCategory) -> &'static str {
        match category {
            ServiceCategory::Education => "off_on-education",
            ServiceCategory::Medical => "off_on-medical",
            ServiceCategory::Social => "off_on-social",
            ServiceCategory::Civil => "off_on-civil",
        }
    }

    pub fn level(category: ServiceCategory) -> &'static str {
        match category {
            ServiceCategory::Education => "level-education",
            ServiceCategory::Medical => "level-medical",
            ServiceCategory::Social => "level-social",
            ServiceCategory::Civil => "level-civil",
        }
    }
}

/// One category as typed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CategoryForm {
    pub category: ServiceCategory,
    #[serde(default)]
    pub enabled: bool,
    #[serde(default)]
    pub level: AccessLevel,
    /// Full years, empty for none.
    #[serde(default)]
    pub max_age: String,
    /// ДД.ММ.ГГГГ, empty for none.
    #[serde(default)]
    pub off_on: String,
}

/// The whole form as typed.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct AccessForm {
    pub categories: Vec<CategoryForm>,
    pub services: Vec<MinorService>,
    pub requests_per_day: String,
    pub allowed_documents: Vec<DocumentType>,
    pub second_factor: bool,
}

/// What the settings' checks need to know of the child.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChildFacts {
    pub age: u32,
    pub today: Date,
}

impl AccessForm {
    /// The form of stored settings.
    pub fn of(settings: &AccessSettings) -> Self {
        AccessForm {
            categories: ServiceCategory::ALL
                .into_iter()
                .map(|category| {
                    let c = settings.category(category);
                    CategoryForm {
                        category,
                        enabled: c.enabled,
                        level: c.level,
                        max_age: c.max_age.map(|a| a.to_string()).unwrap_or_default(),
                        off_on: c
                            .off_on
                            .map(crate::domain::format_ru_date)
                            .unwrap_or_default(),
                    }
                })
                .collect(),
            services: settings.services.clone(),
            requests_per_day: settings.requests_per_day.to_string(),
            allowed_documents: settings.allowed_documents.clone(),
            second_factor: settings.second_factor,
        }
    }

    /// Reads the form; every contradiction is reported at its field. «Полный» is not refused
    /// here: the server grants it only with the parent's consent (see `AccessControl::save`).
    pub fn check(&self, child: ChildFacts) -> Result<AccessSettings, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut categories = Vec::new();
        for category in ServiceCategory::ALL {
            let typed = self
                .categories
                .iter()
                .find(|c| c.category == category)
                .cloned()
                .unwrap_or(CategoryForm {
                    category,
                    enabled: false,
                    level: AccessLevel::Limited,
                    max_age: String::new(),
                    off_on: String::new(),
                });
            let max_age = match typed.max_age.trim() {
                "" => None,
                text => match text.parse::<i64>() {
                    Ok(age) if age < 0 => {
                        errors.push(FieldError::new(
                            fields::max_age(category),
                            "max_age.negative",
                            "Возраст не может быть меньше нуля",
                        ));
                        None
                    }
                    Ok(age) if age > 17 => {
                        errors.push(FieldError::new(
                            fields::max_age(category),
                            "max_age.adult",
                            "Максимальный возраст — не больше 17 лет: в 18 лет доступ перестаёт \
                             зависеть от родителя",
                        ));
                        None
                    }
                    Ok(age) if (age as u32) < child.age => {
                        errors.push(FieldError::new(
                            fields::max_age(category),
                            "max_age.below_child",
                            &format!(
                                "Ребёнку уже {} — максимальный возраст не может быть меньше. \
                                 Чтобы закрыть доступ, снимите отметку «Включено»",
                                years(child.age)
                            ),
                        ));
                        None
                    }
                    Ok(age) => Some(age as u32),
                    Err(_) => {
                        errors.push(FieldError::new(
                            fields::max_age(category),
                            "max_age.format",
                            "Введите возраст числом полных лет, например 16",
                        ));
                        None
                    }
                },
            };
            let off_on = match optional_date(fields::off_on(category), &typed.off_on) {
                Ok(Some(date)) if date <= child.today => {
                    errors.push(FieldError::new(
                        fields::off_on(category),
                        "off_on.past",
                        "Дата отключения должна быть позже сегодняшней",
                    ));
                    None
                }
                Ok(date) => date,
                Err(e) => {
                    errors.push(e);
                    None
                }
            };
            categories.push(CategoryAccess {
                category,
                enabled: typed.enabled,
                level: typed.level,
                max_age,
                off_on,
            });
        }
        let requests_per_day = match self.requests_per_day.trim().parse::<i64>() {
            Ok(n) if n < 0 => {
                errors.push(FieldError::new(
                    fields::REQUESTS_PER_DAY,
                    "requests.negative",
                    "Число запросов не может быть меньше нуля",
                ));
                0
            }
            Ok(n) if n > i64::from(MAX_REQUESTS_PER_DAY) => {
                errors.push(FieldError::new(
                    fields::REQUESTS_PER_DAY,
                    "requests.too_many",
                    "Не больше 100 запросов в сутки",
                ));
                0
            }
            Ok(n) => n as u32,
            Err(_) => {
                errors.push(FieldError::new(
                    fields::REQUESTS_PER_DAY,
                    "requests.format",
                    "Введите число запросов в сутки, например 5",
                ));
                0
            }
        };
        if !errors.is_empty() {
            return Err(errors);
        }
        let mut services = self.services.clone();
        services.sort();
        services.dedup();
        let mut allowed_documents = self.allowed_documents.clone();
        allowed_documents.sort();
        allowed_documents.dedup();
        Ok(AccessSettings {
            categories,
            services,
            requests_per_day,
            allowed_documents,
            second_factor: self.second_factor,
        })
    }
}

/// One value that differs between two settings: what, old, new — in the page's words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Difference {
    pub what: String,
    pub old: String,
    pub new: String,
}

fn on_off(on: bool) -> String {
    if on {
        "включено"
    } else {
        "выключено"
    }
    .to_owned()
}

fn or_none(value: Option<String>) -> String {
    value.unwrap_or_else(|| "не задано".to_owned())
}

/// Every value `new` changes, in the form's order.
pub fn differences(old: &AccessSettings, new: &AccessSettings) -> Vec<Difference> {
    let mut found = Vec::new();
    let mut differ = |what: String, old: String, new: String| {
        if old != new {
            found.push(Difference { what, old, new });
        }
    };
    for category in ServiceCategory::ALL {
        let (a, b) = (old.category(category), new.category(category));
        let name = category.label();
        differ(name.to_owned(), on_off(a.enabled), on_off(b.enabled));
        differ(
            format!("{name}: уровень доступа"),
            a.level.label().to_owned(),
            b.level.label().to_owned(),
        );
        differ(
            format!("{name}: максимальный возраст"),
            or_none(a.max_age.map(years)),
            or_none(b.max_age.map(years)),
        );
        differ(
            format!("{name}: отключить с"),
            or_none(a.off_on.map(crate::domain::format_ru_date)),
            or_none(b.off_on.map(crate::domain::format_ru_date)),
        );
        for service in category.services() {
            differ(
                format!("Сервис «{}»", service.title()),
                on_off(old.services.contains(&service)),
                on_off(new.services.contains(&service)),
            );
        }
    }
    differ(
        "Запросов в сутки".to_owned(),
        old.requests_per_day.to_string(),
        new.requests_per_day.to_string(),
    );
    for document in DocumentType::ALL {
        differ(
            format!("Тип документов «{}»", document.label()),
            on_off(old.allowed_documents.contains(&document)),
            on_off(new.allowed_documents.contains(&document)),
        );
    }
    differ(
        "Подтверждение вторым фактором".to_owned(),
        on_off(old.second_factor),
        on_off(new.second_factor),
    );
    found
}

/// One change, as the history shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessChange {
    /// «07.12.2026 10:15», Moscow time.
    pub at: String,
    /// «Иванова Анна Сергеевна (родитель)», «Портал».
    pub by: String,
    /// «Медицинские: уровень».
    pub what: String,
    pub old: String,
    pub new: String,
}

/// The settings page's data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessView {
    pub child_id: i64,
    pub child_name: String,
    pub age: u32,
    pub form: AccessForm,
    /// The version the form was read at; a save at another one is refused.
    pub version: i64,
    pub history: Vec<AccessChange>,
    /// Requests for «Полный» waiting for a parent, and the grants (live and past).
    pub grants: Vec<super::grants::AccessGrant>,
    /// Payments of a child under 14 waiting for a parent.
    pub pending: Vec<super::services::ServiceRecord>,
}

/// The settings of the minor linked to the parent's card `child`.
#[server(prefix = "/api", endpoint = "access/settings")]
pub async fn load_access(child: i64) -> Result<AccessView, ApiError> {
    use crate::api::{request, service};
    let account = request::require_account().await?;
    Ok(service::<dyn AccessControl>()?
        .view(&account, child)
        .await?)
}

/// «Сохранить».
#[server(prefix = "/api", endpoint = "access/save")]
pub async fn save_access(
    child: i64,
    version: i64,
    #[server(default)] form: AccessForm,
) -> Result<AccessView, ApiError> {
    use crate::api::{request, service};
    let account = request::require_account().await?;
    Ok(service::<dyn AccessControl>()?
        .save(&account, child, version, form)
        .await?)
}

/// «Подтвердить» (`approve`) or «Отклонить» a payment the child is waiting on.
#[server(prefix = "/api", endpoint = "access/decide-operation")]
pub async fn decide_operation(
    child: i64,
    record: i64,
    approve: bool,
) -> Result<AccessView, ApiError> {
    use crate::api::{request, service};
    let account = request::require_account().await?;
    Ok(service::<dyn AccessControl>()?
        .decide_operation(&account, child, record, approve)
        .await?)
}

/// The parent's «Одобрить» (`approve`) or «Отклонить» of a waiting request.
#[server(prefix = "/api", endpoint = "access/decide-grant")]
pub async fn decide_grant(child: i64, grant: i64, approve: bool) -> Result<AccessView, ApiError> {
    use crate::api::{request, service};
    let parent = request::require_account().await?;
    Ok(service::<dyn AccessControl>()?
        .decide_grant(&parent, child, grant, approve)
        .await?)
}

/// «Отозвать»: the category goes back to «Ограниченный» at once.
#[server(prefix = "/api", endpoint = "access/revoke-grant")]
pub async fn revoke_grant(child: i64, grant: i64) -> Result<AccessView, ApiError> {
    use crate::api::{request, service};
    let parent = request::require_account().await?;
    Ok(service::<dyn AccessControl>()?
        .revoke_grant(&parent, child, grant)
        .await?)
}

#[cfg(feature = "ssr")]
#[async_trait::async_trait]
pub trait AccessControl: Send + Sync {
    /// Only a parent with a live link to the card's minor; a minor is told that only a parent
    /// changes access, anyone else that there is no such card.
    async fn view(&self, parent: &SignedInAccount, child: i64) -> Result<AccessView, ServiceError>;

    /// Checks the form against the child's age and today, writes the settings at the version
    /// read, and each changed value to the history and the minor's journal, in one transaction.
    async fn save(
        &self,
        parent: &SignedInAccount,
        child: i64,
        version: i64,
        form: AccessForm,
    ) -> Result<AccessView, ServiceError>;

    /// A waiting request for «Полный» granted or declined, once.
    async fn decide_grant(
        &self,
        parent: &SignedInAccount,
        child: i64,
        grant: i64,
        approve: bool,
    ) -> Result<AccessView, ServiceError>;

    /// A live grant revoked: the category goes back to «Ограниченный».
    async fn revoke_grant(
        &self,
        parent: &SignedInAccount,
        child: i64,
        grant: i64,
    ) -> Result<AccessView, ServiceError>;

    /// A waiting payment, confirmed (the agency is asked now) or declined, once.
    async fn decide_operation(
        &self,
        parent: &SignedInAccount,
        child: i64,
        record: i64,
        approve: bool,
    ) -> Result<AccessView, ServiceError>;
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    const CHILD: ChildFacts = ChildFacts {
        age: 12,
        today: date!(2026 - 12 - 07),
    };

    fn form() -> AccessForm {
        AccessForm::of(&AccessSettings::default())
    }

    fn codes(form: &AccessForm) -> Vec<(String, String)> {
        form.check(CHILD)
            .unwrap_err()
            .into_iter()
            .map(|e| (e.field, e.code))
            .collect()
    }

    #[test]
    fn the_defaults_read_back() {
        assert_eq!(form().check(CHILD), Ok(AccessSettings::default()));
    }

    #[test]
    fn contradictions_are_refused_at_their_fields() {
        let mut past = form();
        past.categories[1].off_on = "07.12.2026".into();
        assert_eq!(
            codes(&past),
            [("off_on-medical".into(), "off_on.past".into())]
        );
        let mut negative = form();
        negative.requests_per_day = "-1".into();
        assert_eq!(
            codes(&negative),
            [("requests_per_day".into(), "requests.negative".into())]
        );
        let mut young = form();
        young.categories[0].max_age = "11".into();
        assert_eq!(
            codes(&young),
            [("max_age-education".into(), "max_age.below_child".into())]
        );
        let mut below_zero = form();
        below_zero.categories[3].max_age = "-3".into();
        assert_eq!(
            codes(&below_zero),
            [("max_age-civil".into(), "max_age.negative".into())]
        );
        let mut words = form();
        words.requests_per_day = "пять".into();
        words.categories[2].off_on = "31.02.2027".into();
        assert_eq!(
            codes(&words),
            [
                ("off_on-social".into(), "date.no_such_day".into()),
                ("requests_per_day".into(), "requests.format".into())
            ]
        );
    }

    #[test]
    fn differences_name_each_changed_value() {
        let old = AccessSettings::default();
        let mut new = old.clone();
        new.categories[1].enabled = true;
        new.categories[1].level = AccessLevel::Full;
        new.services.push(MinorService::VaccinationCalendar);
        new.requests_per_day = 5;
        let found: Vec<(String, String, String)> = differences(&old, &new)
            .into_iter()
            .map(|d| (d.what, d.old, d.new))
            .collect();
        assert_eq!(
            found,
            [
                ("Медицинские".into(), "выключено".into(), "включено".into()),
                (
                    "Медицинские: уровень доступа".into(),
                    "Ограниченный".into(),
                    "Полный".into()
                ),
                (
                    "Сервис «Прививочный календарь»".into(),
                    "выключено".into(),
                    "включено".into()
                ),
                ("Запросов в сутки".into(), "1".into(), "5".into()),
            ]
        );
        assert!(differences(&new, &new).is_empty());
    }

    #[test]
    fn years_agree_with_the_number() {
        assert_eq!(years(1), "1 год");
        assert_eq!(years(3), "3 года");
        assert_eq!(years(11), "11 лет");
        assert_eq!(years(14), "14 лет");
        assert_eq!(years(21), "21 год");
    }
}
