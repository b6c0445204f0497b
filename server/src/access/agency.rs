//! The agencies behind the minor's services (school, clinic, social fund, migration office), as
//! one adapter trait like the registries', and the simulator the portal runs against here: it
//! answers each operation for a person, deterministically from their СНИЛС, so the same child
//! always sees the same school and clinic.

use app::domain::access::{MinorService, ServiceLevel};
use sha2::{Digest, Sha256};
use time::Date;

use app::domain::format_ru_date;

/// Who the agency is asked about.
#[derive(Debug, Clone)]
pub struct Person {
    pub snils: String,
    pub first_name: String,
    pub birth_date: Date,
    /// The school connected in «Учебные данные», if any: the school's own services answer for it.
    pub school: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum AgencyError {
    #[error("the agency did not answer")]
    Unavailable,
}

pub trait Agency: Send + Sync {
    /// The agency's answer to one operation, as the minor reads it.
    fn perform(
        &self,
        person: &Person,
        service: MinorService,
        level: ServiceLevel,
        today: Date,
    ) -> Result<String, AgencyError>;
}

/// The simulated agencies.
pub struct SimulatedAgencies;

fn seed(person: &Person, service: MinorService) -> u32 {
    let digest = Sha256::digest(format!("{}:{}", person.snils, service.as_str()));
    u32::from_be_bytes([digest[0], digest[1], digest[2], digest[3]])
}

impl Agency for SimulatedAgencies {
    fn perform(
        &self,
        person: &Person,
        service: MinorService,
        level: ServiceLevel,
        today: Date,
    ) -> Result<String, AgencyError> {
        let n = seed(person, service);
        let school = person
            .school
            .clone()
            .unwrap_or_else(|| format!("ГБОУ «Школа № {}»", 1000 + n % 900));
        let ready = format_ru_date(today.next_day().and_then(Date::next_day).unwrap_or(today));
        let number = format!("{:06}", n % 1_000_000);
        Ok(match (service, level) {
            (MinorService::SchoolCertificate, ServiceLevel::Basic) => {
                format!("{school}, {} класс", 1 + n % 11)
            }
            (MinorService::SchoolCertificate, ServiceLevel::Extended) => {
                format!("Справка об обучении № СО-{number} будет готова {ready} в {school}")
            }
            (MinorService::Grades, ServiceLevel::Basic) => {
                format!("Средний балл за текущую четверть: {},{}", 3 + n % 2, n % 10)
            }
            (MinorService::Grades, ServiceLevel::Extended) => {
                format!("Выписка с оценками № ВО-{number} отправлена в личный кабинет")
            }
            (MinorService::VaccinationCalendar, ServiceLevel::Basic) => {
                "Следующая прививка по календарю: ревакцинация против дифтерии и столбняка"
                    .to_owned()
            }
            (MinorService::VaccinationCalendar, ServiceLevel::Extended) => {
                format!("Справка о прививках (форма 063/у) № ПР-{number} будет готова {ready}")
            }
            (MinorService::DoctorAppointment, ServiceLevel::Basic) => format!(
                "Ближайшее свободное время у педиатра: {} в {}:{:02}",
                ready,
                9 + n % 8,
                (n % 4) * 15
            ),
            (MinorService::DoctorAppointment, ServiceLevel::Extended) => {
                format!("Запись к педиатру на {ready}, талон № ТЛ-{number}")
            }
            (MinorService::StatusCertificate, ServiceLevel::Basic) => {
                format!("{}: статус учащегося подтверждён", person.first_name)
            }
            (MinorService::StatusCertificate, ServiceLevel::Extended) => {
                format!("Справка о статусе № СС-{number} будет готова {ready}")
            }
            (MinorService::StateDuty, ServiceLevel::Basic) => {
                "Неоплаченных начислений нет".to_owned()
            }
            (MinorService::StateDuty, ServiceLevel::Extended) => {
                format!("Госпошлина 300 ₽ оплачена, квитанция № ГП-{number}")
            }
            (MinorService::Passport, ServiceLevel::Basic) => {
                "Нужны: свидетельство о рождении, фотография 35×45 мм, госпошлина 300 ₽".to_owned()
            }
            (MinorService::Passport, ServiceLevel::Extended) => format!(
                "Заявление на паспорт № ЗП-{number} принято, приглашение придёт в течение 10 дней"
            ),
            (MinorService::Residence, ServiceLevel::Basic) => {
                "Адрес регистрации совпадает с адресом родителя".to_owned()
            }
            (MinorService::Residence, ServiceLevel::Extended) => {
                format!("Заявление о регистрации № РГ-{number} принято")
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn the_same_child_gets_the_same_answer_and_every_operation_answers() {
        let person = Person {
            snils: "12345678964".into(),
            first_name: "Пётр".into(),
            birth_date: date!(2016 - 03 - 05),
            school: None,
        };
        let today = date!(2026 - 12 - 07);
        for service in MinorService::ALL {
            for level in [ServiceLevel::Basic, ServiceLevel::Extended] {
                let first = SimulatedAgencies
                    .perform(&person, service, level, today)
                    .unwrap();
                let again = SimulatedAgencies
                    .perform(&person, service, level, today)
                    .unwrap();
                assert!(!first.is_empty());
                assert_eq!(first, again);
            }
        }
    }
}
