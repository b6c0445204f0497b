//! «Настройки доступа»: which state services a minor may use, and the one rule that decides each
//! use. A service belongs to one of the seed's four categories and has two levels: the basic one
//! (seeing one's own information, «виден без подтверждения») and the extended one (requests,
//! applications, payments), which needs «Полный» access to the category — the parent's consent.
//! «Ограниченный» is the basic level of the chosen services, with no change of personal data.
//! The defaults are the most private: everything off.

use serde::{Deserialize, Serialize};
use time::Date;

use crate::minor::TEEN_AGE;

/// The seed's four groups of services.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ServiceCategory {
    Education,
    Medical,
    Social,
    Civil,
}

impl ServiceCategory {
    pub const ALL: [ServiceCategory; 4] = [
        ServiceCategory::Education,
        ServiceCategory::Medical,
        ServiceCategory::Social,
        ServiceCategory::Civil,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ServiceCategory::Education => "education",
            ServiceCategory::Medical => "medical",
            ServiceCategory::Social => "social",
            ServiceCategory::Civil => "civil",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            ServiceCategory::Education => "Образовательные",
            ServiceCategory::Medical => "Медицинские",
            ServiceCategory::Social => "Социальные",
            ServiceCategory::Civil => "Гражданские",
        }
    }

    pub fn services(self) -> impl Iterator<Item = MinorService> {
        MinorService::ALL
            .into_iter()
            .filter(move |s| s.category() == self)
    }
}

/// What kind of document or act an operation is («Ограничения по типу документов»).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DocumentType {
    /// Seeing one's own information.
    Record,
    Certificate,
    Application,
    /// A payment.
    Financial,
}

impl DocumentType {
    pub const ALL: [DocumentType; 4] = [
        DocumentType::Record,
        DocumentType::Certificate,
        DocumentType::Application,
        DocumentType::Financial,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            DocumentType::Record => "record",
            DocumentType::Certificate => "certificate",
            DocumentType::Application => "application",
            DocumentType::Financial => "financial",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.as_str() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            DocumentType::Record => "Просмотр сведений",
            DocumentType::Certificate => "Справки",
            DocumentType::Application => "Заявления",
            DocumentType::Financial => "Финансовые операции",
        }
    }
}

/// A category's access level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AccessLevel {
    /// The basic level of the chosen services; no change of personal data.
    #[default]
    Limited,
    /// The extended level too; needs the parent's consent.
    Full,
}

impl AccessLevel {
    pub fn as_str(self) -> &'static str {
        match self {
            AccessLevel::Limited => "limited",
            AccessLevel::Full => "full",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        [AccessLevel::Limited, AccessLevel::Full]
            .into_iter()
            .find(|l| l.as_str() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            AccessLevel::Limited => "Ограниченный",
            AccessLevel::Full => "Полный",
        }
    }
}

/// Which of a service's two levels a use is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ServiceLevel {
    Basic,
    Extended,
}

impl ServiceLevel {
    pub fn as_str(self) -> &'static str {
        match self {
            ServiceLevel::Basic => "basic",
            ServiceLevel::Extended => "extended",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        [ServiceLevel::Basic, ServiceLevel::Extended]
            .into_iter()
            .find(|l| l.as_str() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            ServiceLevel::Basic => "Базовый",
            ServiceLevel::Extended => "Расширенный",
        }
    }
}

/// One operation of a service.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Operation {
    /// The button: «Заказать справку».
    pub label: &'static str,
    pub document: DocumentType,
}

/// The services of a minor's cabinet: a few per category.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MinorService {
    SchoolCertificate,
    Grades,
    VaccinationCalendar,
    DoctorAppointment,
    StatusCertificate,
    StateDuty,
    Passport,
    Residence,
}

impl MinorService {
    pub const ALL: [MinorService; 8] = [
        MinorService::SchoolCertificate,
        MinorService::Grades,
        MinorService::VaccinationCalendar,
        MinorService::DoctorAppointment,
        MinorService::StatusCertificate,
        MinorService::StateDuty,
        MinorService::Passport,
        MinorService::Residence,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            MinorService::SchoolCertificate => "school_certificate",
            MinorService::Grades => "grades",
            MinorService::VaccinationCalendar => "vaccination_calendar",
            MinorService::DoctorAppointment => "doctor_appointment",
            MinorService::StatusCertificate => "status_certificate",
            MinorService::StateDuty => "state_duty",
            MinorService::Passport => "passport",
            MinorService::Residence => "residence",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == code)
    }

    pub fn category(self) -> ServiceCategory {
        match self {
            MinorService::SchoolCertificate | MinorService::Grades => ServiceCategory::Education,
            MinorService::VaccinationCalendar | MinorService::DoctorAppointment => {
                ServiceCategory::Medical
            }
            MinorService::StatusCertificate | MinorService::StateDuty => ServiceCategory::Social,
            MinorService::Passport | MinorService::Residence => ServiceCategory::Civil,
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            MinorService::SchoolCertificate => "Справка об обучении",
            MinorService::Grades => "Проверка успеваемости",
            MinorService::VaccinationCalendar => "Прививочный календарь",
            MinorService::DoctorAppointment => "Запись к врачу",
            MinorService::StatusCertificate => "Справка о статусе для льготы",
            MinorService::StateDuty => "Оплата госпошлины",
            MinorService::Passport => "Заявление на получение паспорта",
            MinorService::Residence => "Регистрация по месту жительства",
        }
    }

    /// The youngest age the service is for at all.
    pub fn min_age(self) -> u32 {
        match self {
            MinorService::Passport => TEEN_AGE,
            _ => 0,
        }
    }

    /// What each level does.
    pub fn operation(self, level: ServiceLevel) -> Operation {
        use DocumentType::*;
        let (label, document) = match (self, level) {
            (MinorService::SchoolCertificate, ServiceLevel::Basic) => {
                ("Посмотреть сведения о школе", Record)
            }
            (MinorService::SchoolCertificate, ServiceLevel::Extended) => {
                ("Заказать справку об обучении", Certificate)
            }
            (MinorService::Grades, ServiceLevel::Basic) => ("Посмотреть оценки", Record),
            (MinorService::Grades, ServiceLevel::Extended) => {
                ("Заказать выписку с оценками", Certificate)
            }
            (MinorService::VaccinationCalendar, ServiceLevel::Basic) => {
                ("Посмотреть прививки", Record)
            }
            (MinorService::VaccinationCalendar, ServiceLevel::Extended) => {
                ("Заказать справку о прививках", Certificate)
            }
            (MinorService::DoctorAppointment, ServiceLevel::Basic) => {
                ("Посмотреть свободное время", Record)
            }
            (MinorService::DoctorAppointment, ServiceLevel::Extended) => {
                ("Записаться к врачу", Application)
            }
            (MinorService::StatusCertificate, ServiceLevel::Basic) => ("Посмотреть статус", Record),
            (MinorService::StatusCertificate, ServiceLevel::Extended) => {
                ("Заказать справку о статусе", Certificate)
            }
            (MinorService::StateDuty, ServiceLevel::Basic) => ("Посмотреть начисления", Record),
            (MinorService::StateDuty, ServiceLevel::Extended) => ("Оплатить госпошлину", Financial),
            (MinorService::Passport, ServiceLevel::Basic) => {
                ("Посмотреть, какие нужны документы", Record)
            }
            (MinorService::Passport, ServiceLevel::Extended) => {
                ("Подать заявление на паспорт", Application)
            }
            (MinorService::Residence, ServiceLevel::Basic) => {
                ("Посмотреть адрес регистрации", Record)
            }
            (MinorService::Residence, ServiceLevel::Extended) => {
                ("Подать заявление о регистрации", Application)
            }
        };
        Operation { label, document }
    }
}

/// The most requests a day a parent may allow.
pub const MAX_REQUESTS_PER_DAY: u32 = 100;

/// One category's settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CategoryAccess {
    pub category: ServiceCategory,
    pub enabled: bool,
    pub level: AccessLevel,
    /// «Максимальный возраст»: the group is for the child up to this age (in full years).
    pub max_age: Option<u32>,
    /// Switched off automatically on this day.
    pub off_on: Option<Date>,
}

/// Everything a parent set for one minor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessSettings {
    pub categories: Vec<CategoryAccess>,
    /// The services switched on (within an enabled category).
    pub services: Vec<MinorService>,
    pub requests_per_day: u32,
    pub allowed_documents: Vec<DocumentType>,
    /// Each extended operation is confirmed by the minor's second factor.
    pub second_factor: bool,
}

impl Default for AccessSettings {
    /// The most private: nothing on, one request a day, only seeing one's own information, the
    /// second factor asked.
    fn default() -> Self {
        AccessSettings {
            categories: ServiceCategory::ALL
                .into_iter()
                .map(|category| CategoryAccess {
                    category,
                    enabled: false,
                    level: AccessLevel::Limited,
                    max_age: None,
                    off_on: None,
                })
                .collect(),
            services: Vec::new(),
            requests_per_day: 1,
            allowed_documents: vec![DocumentType::Record],
            second_factor: true,
        }
    }
}

/// The facts of one use, besides the settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UseFacts {
    pub age: u32,
    pub today: Date,
    /// The minor confirmed with their second factor within the last minutes.
    pub second_factor_proven: bool,
    /// Extended uses already made today.
    pub used_today: u32,
}

/// Why a use is refused; the page says it, and the parent is told.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum UseRefusal {
    ServiceOff,
    TooYoung { min_age: u32 },
    AboveMaxAge { max_age: u32 },
    SwitchedOff { on: Date },
    FullAccessRequired,
    DocumentTypeForbidden(DocumentType),
    SecondFactorRequired,
    DailyLimit { limit: u32 },
}

/// A use the rules let through.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Admission {
    Allowed,
    /// A payment by a child under 14: held until a parent confirms this one.
    ParentConfirmation,
}

impl AccessSettings {
    pub fn category(&self, category: ServiceCategory) -> CategoryAccess {
        self.categories
            .iter()
            .find(|c| c.category == category)
            .cloned()
            .unwrap_or(CategoryAccess {
                category,
                enabled: false,
                level: AccessLevel::Limited,
                max_age: None,
                off_on: None,
            })
    }

    pub fn service_on(&self, service: MinorService) -> bool {
        self.category(service.category()).enabled && self.services.contains(&service)
    }

    /// The one rule for a use of `service` at `level`, checked in the order a person would
    /// want to hear it: off, age, date, level, document type, second factor, the day's limit.
    pub fn admit(
        &self,
        service: MinorService,
        level: ServiceLevel,
        facts: UseFacts,
    ) -> Result<Admission, UseRefusal> {
        let category = self.category(service.category());
        if !self.service_on(service) {
            return Err(UseRefusal::ServiceOff);
        }
        if facts.age < service.min_age() {
            return Err(UseRefusal::TooYoung {
                min_age: service.min_age(),
            });
        }
        if let Some(max_age) = category.max_age
            && facts.age > max_age
        {
            return Err(UseRefusal::AboveMaxAge { max_age });
        }
        if let Some(on) = category.off_on
            && facts.today >= on
        {
            return Err(UseRefusal::SwitchedOff { on });
        }
        if level == ServiceLevel::Basic {
            return Ok(Admission::Allowed);
        }
        if category.level != AccessLevel::Full {
            return Err(UseRefusal::FullAccessRequired);
        }
        let document = service.operation(level).document;
        if !self.allowed_documents.contains(&document) {
            return Err(UseRefusal::DocumentTypeForbidden(document));
        }
        if self.second_factor && !facts.second_factor_proven {
            return Err(UseRefusal::SecondFactorRequired);
        }
        if facts.used_today >= self.requests_per_day {
            return Err(UseRefusal::DailyLimit {
                limit: self.requests_per_day,
            });
        }
        if document == DocumentType::Financial && facts.age < TEEN_AGE {
            return Ok(Admission::ParentConfirmation);
        }
        Ok(Admission::Allowed)
    }

    /// Categories whose switch-off is due on `today` for a child of `age`: on the date, or past
    /// the maximum age.
    pub fn due_for_switch_off(&self, age: u32, today: Date) -> Vec<ServiceCategory> {
        self.categories
            .iter()
            .filter(|c| c.enabled)
            .filter(|c| {
                c.off_on.is_some_and(|on| today >= on) || c.max_age.is_some_and(|m| age > m)
            })
            .map(|c| c.category)
            .collect()
    }
}

impl UseRefusal {
    pub fn code(self) -> &'static str {
        match self {
            UseRefusal::ServiceOff => "service_off",
            UseRefusal::TooYoung { .. } => "too_young",
            UseRefusal::AboveMaxAge { .. } => "above_max_age",
            UseRefusal::SwitchedOff { .. } => "switched_off",
            UseRefusal::FullAccessRequired => "full_access_required",
            UseRefusal::DocumentTypeForbidden(_) => "document_type_forbidden",
            UseRefusal::SecondFactorRequired => "second_factor_required",
            UseRefusal::DailyLimit { .. } => "daily_limit",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn open(level: AccessLevel) -> AccessSettings {
        AccessSettings {
            categories: ServiceCategory::ALL
                .into_iter()
                .map(|category| CategoryAccess {
                    category,
                    enabled: true,
                    level,
                    max_age: None,
                    off_on: None,
                })
                .collect(),
            services: MinorService::ALL.to_vec(),
            requests_per_day: 3,
            allowed_documents: DocumentType::ALL.to_vec(),
            second_factor: false,
        }
    }

    fn facts(age: u32) -> UseFacts {
        UseFacts {
            age,
            today: date!(2026 - 12 - 07),
            second_factor_proven: false,
            used_today: 0,
        }
    }

    #[test]
    fn the_defaults_allow_nothing() {
        let settings = AccessSettings::default();
        for service in MinorService::ALL {
            for level in [ServiceLevel::Basic, ServiceLevel::Extended] {
                assert_eq!(
                    settings.admit(service, level, facts(15)),
                    Err(UseRefusal::ServiceOff)
                );
            }
        }
    }

    #[test]
    fn each_setting_refuses_with_its_reason() {
        let grades = MinorService::Grades;
        let extended = ServiceLevel::Extended;
        // Limited: the basic level only.
        let limited = open(AccessLevel::Limited);
        assert_eq!(
            limited.admit(grades, ServiceLevel::Basic, facts(12)),
            Ok(Admission::Allowed)
        );
        assert_eq!(
            limited.admit(grades, extended, facts(12)),
            Err(UseRefusal::FullAccessRequired)
        );
        let full = open(AccessLevel::Full);
        assert_eq!(
            full.admit(grades, extended, facts(12)),
            Ok(Admission::Allowed)
        );
        // The service off, or its category.
        let mut off = full.clone();
        off.services.retain(|s| *s != grades);
        assert_eq!(
            off.admit(grades, extended, facts(12)),
            Err(UseRefusal::ServiceOff)
        );
        let mut category_off = full.clone();
        category_off.categories[0].enabled = false;
        assert_eq!(
            category_off.admit(grades, extended, facts(12)),
            Err(UseRefusal::ServiceOff)
        );
        // Age: the service's own minimum and the parent's maximum.
        assert_eq!(
            full.admit(MinorService::Passport, extended, facts(13)),
            Err(UseRefusal::TooYoung { min_age: 14 })
        );
        let mut capped = full.clone();
        capped.categories[0].max_age = Some(11);
        assert_eq!(
            capped.admit(grades, extended, facts(12)),
            Err(UseRefusal::AboveMaxAge { max_age: 11 })
        );
        // The switch-off date, from that day on.
        let mut dated = full.clone();
        dated.categories[0].off_on = Some(date!(2026 - 12 - 07));
        assert_eq!(
            dated.admit(grades, ServiceLevel::Basic, facts(12)),
            Err(UseRefusal::SwitchedOff {
                on: date!(2026 - 12 - 07)
            })
        );
        // Document types.
        let mut certificates_only = full.clone();
        certificates_only.allowed_documents = vec![DocumentType::Record, DocumentType::Certificate];
        assert_eq!(
            certificates_only.admit(MinorService::StateDuty, extended, facts(15)),
            Err(UseRefusal::DocumentTypeForbidden(DocumentType::Financial))
        );
        assert_eq!(
            certificates_only.admit(grades, extended, facts(15)),
            Ok(Admission::Allowed)
        );
        // The second factor.
        let mut second = full.clone();
        second.second_factor = true;
        assert_eq!(
            second.admit(grades, extended, facts(12)),
            Err(UseRefusal::SecondFactorRequired)
        );
        let proven = UseFacts {
            second_factor_proven: true,
            ..facts(12)
        };
        assert_eq!(
            second.admit(grades, extended, proven),
            Ok(Admission::Allowed)
        );
        // The day's limit.
        let used = UseFacts {
            used_today: 3,
            ..facts(12)
        };
        assert_eq!(
            full.admit(grades, extended, used),
            Err(UseRefusal::DailyLimit { limit: 3 })
        );
        // A payment under 14 waits for a parent; at 14 it does not.
        assert_eq!(
            full.admit(MinorService::StateDuty, extended, facts(13)),
            Ok(Admission::ParentConfirmation)
        );
        assert_eq!(
            full.admit(MinorService::StateDuty, extended, facts(14)),
            Ok(Admission::Allowed)
        );
    }

    #[test]
    fn switch_offs_fall_due_on_the_date_or_past_the_age() {
        let mut settings = open(AccessLevel::Full);
        settings.categories[1].off_on = Some(date!(2026 - 12 - 08));
        settings.categories[2].max_age = Some(12);
        assert_eq!(settings.due_for_switch_off(12, date!(2026 - 12 - 07)), []);
        assert_eq!(
            settings.due_for_switch_off(13, date!(2026 - 12 - 08)),
            [ServiceCategory::Medical, ServiceCategory::Social]
        );
    }

    #[test]
    fn codes_read_back_and_every_category_has_services() {
        for s in MinorService::ALL {
            assert_eq!(MinorService::parse(s.as_str()), Some(s));
        }
        for c in ServiceCategory::ALL {
            assert_eq!(ServiceCategory::parse(c.as_str()), Some(c));
            assert!(c.services().count() >= 2);
        }
        for t in DocumentType::ALL {
            assert_eq!(DocumentType::parse(t.as_str()), Some(t));
        }
    }
}
