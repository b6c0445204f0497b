//! The schools' information systems, as one adapter trait like the registries', and the simulator
//! the portal runs against here. A school is found by its number in the name («Школа № 1234»);
//! its code for a pupil and every lesson of the pupil are derived from the school, the pupil's
//! СНИЛС and the day, so a pupil always has the same diary.

use sha2::{Digest, Sha256};
use time::{Date, Weekday};

/// A school the registry knows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct School {
    pub number: i64,
    pub name: String,
}

/// One lesson of a pupil, as the school's system reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lesson {
    pub date: Date,
    pub subject: &'static str,
    pub grade: Option<u8>,
    /// `absent` or `late`.
    pub attendance: Option<&'static str>,
    pub teacher: &'static str,
    pub comment: &'static str,
}

#[derive(Debug, thiserror::Error)]
pub enum SchoolRegistryError {
    #[error("the school's system did not answer")]
    Unavailable,
}

pub trait SchoolRegistry: Send + Sync {
    /// The school a typed name means, if the registry knows it.
    fn find(&self, name: &str) -> Option<School>;

    /// The code the school gives the pupil's family to connect the diary.
    fn code_for(&self, school: &School, snils: &str) -> String;

    /// The pupil's lessons from `from` to `to`, both included.
    fn lessons(
        &self,
        school: &School,
        snils: &str,
        from: Date,
        to: Date,
    ) -> Result<Vec<Lesson>, SchoolRegistryError>;
}

pub struct SimulatedSchools;

const SUBJECTS: [(&str, &str); 6] = [
    ("Русский язык", "Смирнова Е. В."),
    ("Математика", "Кузнецов А. П."),
    ("Литература", "Смирнова Е. В."),
    ("История", "Орлова Н. С."),
    ("Английский язык", "Волкова М. И."),
    ("Биология", "Лебедева О. А."),
];

const COMMENTS: [&str; 4] = [
    "Хорошо работал на уроке",
    "Не выполнено домашнее задание",
    "Отличный ответ у доски",
    "Нужно повторить тему",
];

fn digest(parts: &[&str]) -> [u8; 32] {
    Sha256::digest(parts.join(":")).into()
}

impl SchoolRegistry for SimulatedSchools {
    fn find(&self, name: &str) -> Option<School> {
        let digits: String = name.chars().filter(char::is_ascii_digit).collect();
        let number: i64 = digits.parse().ok()?;
        (1..=9999).contains(&number).then(|| School {
            number,
            name: format!("ГБОУ «Школа № {number}»"),
        })
    }

    fn code_for(&self, school: &School, snils: &str) -> String {
        let d = digest(&["school-code", &school.number.to_string(), snils]);
        let n = u32::from_be_bytes([d[0], d[1], d[2], d[3]]) % 1_000_000;
        format!("{n:06}")
    }

    fn lessons(
        &self,
        school: &School,
        snils: &str,
        from: Date,
        to: Date,
    ) -> Result<Vec<Lesson>, SchoolRegistryError> {
        let mut lessons = Vec::new();
        let mut day = from;
        let school = school.number.to_string();
        while day <= to {
            let school_day = !matches!(day.weekday(), Weekday::Saturday | Weekday::Sunday)
                && crate::diary::import::in_term(day);
            if school_day {
                let date = day.to_string();
                for (i, (subject, teacher)) in SUBJECTS.iter().enumerate() {
                    let d = digest(&[&school, snils, &date, subject]);
                    // Four lessons a day, the subjects in turn.
                    if (day.ordinal() as usize + i).is_multiple_of(3) {
                        continue;
                    }
                    let graded = d[0] % 10 < 3;
                    // A pupil's own level: grades lean towards it.
                    let level = 3 + digest(&[snils, subject])[0] % 3;
                    let grade = graded
                        .then(|| (level + d[1] % 3).clamp(3, 6) - 1)
                        .map(|g| g.clamp(2, 5));
                    let attendance = match d[2] % 50 {
                        0 => Some("absent"),
                        1 => Some("late"),
                        _ => None,
                    };
                    let comment = if d[3].is_multiple_of(25) {
                        COMMENTS[usize::from(d[4]) % COMMENTS.len()]
                    } else {
                        ""
                    };
                    if grade.is_some() || attendance.is_some() || !comment.is_empty() {
                        lessons.push(Lesson {
                            date: day,
                            subject,
                            grade: if attendance == Some("absent") {
                                None
                            } else {
                                grade
                            },
                            attendance,
                            teacher,
                            comment,
                        });
                    }
                }
            }
            match day.next_day() {
                Some(next) => day = next,
                None => break,
            }
        }
        Ok(lessons)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn schools_are_found_by_number_and_codes_are_the_same_each_time() {
        let registry = SimulatedSchools;
        let school = registry.find("школа №1234").unwrap();
        assert_eq!(school.name, "ГБОУ «Школа № 1234»");
        assert!(registry.find("Лицей").is_none());
        let code = registry.code_for(&school, "14611764855");
        assert_eq!(code.len(), 6);
        assert_eq!(code, registry.code_for(&school, "14611764855"));
        assert_ne!(code, registry.code_for(&school, "16036744456"));
    }

    #[test]
    fn a_pupil_has_the_same_lessons_each_time_and_grades_from_2_to_5() {
        let registry = SimulatedSchools;
        let school = registry.find("Школа № 1234").unwrap();
        let lessons = registry
            .lessons(
                &school,
                "14611764855",
                date!(2026 - 09 - 01),
                date!(2026 - 12 - 07),
            )
            .unwrap();
        assert!(lessons.iter().filter(|l| l.grade.is_some()).count() > 50);
        assert!(
            lessons
                .iter()
                .all(|l| l.grade.is_none_or(|g| (2..=5).contains(&g)))
        );
        assert!(
            lessons
                .iter()
                .all(|l| !matches!(l.date.weekday(), Weekday::Saturday | Weekday::Sunday))
        );
        let again = registry
            .lessons(
                &school,
                "14611764855",
                date!(2026 - 09 - 01),
                date!(2026 - 12 - 07),
            )
            .unwrap();
        assert_eq!(lessons, again);
    }
}
