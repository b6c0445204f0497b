//! The import: the job `diary.import` reads a pupil's lessons of the previous and the current
//! school year from the school's system and replaces the stored ones in one transaction, telling
//! the family of new grades and absences when they chose it; `diary.sweep` (06:00 Moscow) books
//! an import of every connected diary. The diary page's averages and trends are built here from
//! the stored lessons.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use time::macros::time;
use time::{Date, Month};

use app::diary::school::{
    AttendanceView, CommentView, Diary, GradeView, PeriodAverage, SubjectRow, Trend,
};
use app::domain::diary::{Grade, SchoolYear, average, format_average};
use app::domain::{format_ru_date, format_ru_datetime, moscow_today};

use super::DiaryService;
use super::school_registry::School;
use crate::db::{Database, StorageError, Tx, accounts, diary, link_codes};
use crate::jobs::{self, DailySweep, JobError, JobHandler};

pub const IMPORT: &str = "diary.import";

pub const DIARY_SWEEP: DailySweep = DailySweep {
    kind: "diary.sweep",
    at: time!(06:00),
};

#[derive(Debug, Serialize, Deserialize)]
pub struct ImportJob {
    pub minor: i64,
}

/// Whether a day is in a school term (not the summer holidays).
pub fn in_term(day: Date) -> bool {
    SchoolYear::quarter_of(day).is_some()
}

/// Books an import now, in the caller's transaction.
pub async fn book(tx: &mut Tx, minor: i64, at: time::OffsetDateTime) -> Result<(), StorageError> {
    jobs::enqueue(tx, IMPORT, &ImportJob { minor }, at).await?;
    Ok(())
}

#[derive(Clone)]
pub struct ImportHandler(pub std::sync::Arc<DiaryService>);

#[async_trait::async_trait]
impl JobHandler for ImportHandler {
    fn kind(&self) -> &'static str {
        IMPORT
    }

    async fn run(&self, payload: &str) -> Result<(), JobError> {
        let job: ImportJob = jobs::parse_payload(payload)?;
        self.0.import(job.minor).await
    }
}

#[derive(Clone)]
pub struct DiarySweep(pub std::sync::Arc<DiaryService>);

#[async_trait::async_trait]
impl JobHandler for DiarySweep {
    fn kind(&self) -> &'static str {
        DIARY_SWEEP.kind
    }

    async fn run(&self, payload: &str) -> Result<(), JobError> {
        jobs::parse_payload::<jobs::SweepPayload>(payload)?;
        let service = &self.0;
        let now = service.clock.now();
        for minor in diary::connected(&service.db).await? {
            let mut tx = service.db.begin().await?;
            book(&mut tx, minor, now).await?;
            tx.commit().await?;
        }
        DIARY_SWEEP.book_next(&service.db, now).await?;
        Ok(())
    }

    async fn gave_up(&self, _payload: &str, _error: &str) -> Result<(), JobError> {
        DIARY_SWEEP
            .book_next(&self.0.db, self.0.clock.now())
            .await?;
        Ok(())
    }
}

impl DiaryService {
    async fn import(&self, minor: i64) -> Result<(), JobError> {
        let Some(link) = diary::link(&self.db, minor).await? else {
            return Ok(());
        };
        if !link.connected() {
            return Ok(());
        }
        let Some(account) = accounts::by_id(&self.db, minor).await? else {
            return Ok(());
        };
        let now = self.clock.now();
        let today = moscow_today(now);
        let school = School {
            number: link.school_number,
            name: link.school_name.clone(),
        };
        let from = SchoolYear::of(today).previous().starts();
        let lessons = self
            .schools
            .lessons(&school, &account.snils, from, today)
            .map_err(|e| JobError::Retry(e.to_string()))?;
        let stored: Vec<diary::StoredLesson> = lessons
            .into_iter()
            .map(|l| diary::StoredLesson {
                day: l.date.to_string(),
                subject: l.subject.to_owned(),
                grade: l.grade.map(i64::from),
                attendance: l.attendance.map(str::to_owned),
                teacher: l.teacher.to_owned(),
                comment: l.comment.to_owned(),
            })
            .collect();
        let mut tx = self.db.begin().await?;
        let (grades, absences) = diary::replace(&mut tx, minor, &stored, now).await?;
        // The first import is everything: nothing is «new» yet.
        if link.notify && link.imported_at.is_some() && grades + absences > 0 {
            let text = format!(
                "В электронном дневнике {}: новых оценок — {grades}, пропусков и опозданий — \
                 {absences}. Учебные данные: {}/my-school",
                account.first_name, self.public_url
            );
            let mut people = vec![(account.id, account.email.clone())];
            for parent in link_codes::guardians_in(&mut tx, minor).await? {
                people.push((parent.account_id, parent.email));
            }
            for (id, email) in people {
                self.outbox
                    .tell(&mut tx, (id, &email), "Новые оценки и пропуски", &text, now)
                    .await?;
            }
        }
        tx.commit().await?;
        self.outbox.wake();
        tracing::info!(
            event = "diary.imported",
            minor_account_id = minor,
            grades,
            absences,
            "imported"
        );
        Ok(())
    }
}

/// Schedules the nightly sweep at start-up.
pub async fn schedule(db: &Database, now: time::OffsetDateTime) -> Result<bool, StorageError> {
    DIARY_SWEEP.schedule_first(db, now).await
}

fn grades_of(lessons: &[&diary::StoredLesson]) -> Vec<Grade> {
    lessons
        .iter()
        .filter_map(|l| l.grade.and_then(|g| Grade::new(g as u8)))
        .collect()
}

/// The diary of `year` from the lessons of that year and the one before.
pub fn build(
    link: &diary::SchoolLink,
    lessons: &[diary::StoredLesson],
    year: SchoolYear,
    current: SchoolYear,
) -> Diary {
    let in_year = |y: SchoolYear| {
        move |l: &&diary::StoredLesson| l.date().is_some_and(|d| SchoolYear::of(d) == y)
    };
    let this: Vec<&diary::StoredLesson> = lessons.iter().filter(in_year(year)).collect();
    let before: Vec<&diary::StoredLesson> =
        lessons.iter().filter(in_year(year.previous())).collect();
    let mut by_subject: BTreeMap<&str, Vec<&diary::StoredLesson>> = BTreeMap::new();
    for lesson in &this {
        by_subject
            .entry(lesson.subject.as_str())
            .or_default()
            .push(lesson);
    }
    let subjects = by_subject
        .into_iter()
        .map(|(subject, lessons)| {
            let quarter = |q: u8| -> Vec<&diary::StoredLesson> {
                lessons
                    .iter()
                    .copied()
                    .filter(|l| l.date().and_then(SchoolYear::quarter_of) == Some(q))
                    .collect()
            };
            let mut previous = None;
            let quarters = (1..=4)
                .map(|q| {
                    let mean = average(&grades_of(&quarter(q)));
                    let trend = match mean {
                        Some(m) => Trend::between(previous, m),
                        None => Trend::New,
                    };
                    if mean.is_some() {
                        previous = mean;
                    }
                    PeriodAverage {
                        quarter: q,
                        average: mean.map(format_average),
                        trend,
                    }
                })
                .collect();
            let year_mean = average(&grades_of(&lessons));
            let before_mean = average(&grades_of(
                &before
                    .iter()
                    .copied()
                    .filter(|l| l.subject == subject)
                    .collect::<Vec<_>>(),
            ));
            let mut grades: Vec<GradeView> = lessons
                .iter()
                .filter_map(|l| {
                    Some(GradeView {
                        date: format_ru_date(l.date()?),
                        value: l.grade? as u8,
                    })
                })
                .collect();
            grades.reverse();
            SubjectRow {
                subject: subject.to_owned(),
                grades,
                quarters,
                year_average: year_mean.map(format_average),
                year_trend: year_mean.map_or(Trend::New, |m| Trend::between(before_mean, m)),
            }
        })
        .collect();
    let mut attendance: Vec<AttendanceView> = this
        .iter()
        .filter_map(|l| {
            Some(AttendanceView {
                date: format_ru_date(l.date()?),
                subject: l.subject.clone(),
                kind: match l.attendance.as_deref()? {
                    "absent" => "Пропуск",
                    _ => "Опоздание",
                }
                .to_owned(),
            })
        })
        .collect();
    attendance.reverse();
    let absences = this
        .iter()
        .filter(|l| l.attendance.as_deref() == Some("absent"))
        .count() as u32;
    let lates = this
        .iter()
        .filter(|l| l.attendance.as_deref() == Some("late"))
        .count() as u32;
    let mut comments: Vec<CommentView> = this
        .iter()
        .filter(|l| !l.comment.is_empty())
        .filter_map(|l| {
            Some(CommentView {
                date: format_ru_date(l.date()?),
                subject: l.subject.clone(),
                teacher: l.teacher.clone(),
                text: l.comment.clone(),
            })
        })
        .collect();
    comments.reverse();
    Diary {
        school: link.school_name.clone(),
        year_label: year.label(),
        year: year.0,
        years: vec![
            (current.0, current.label()),
            (current.previous().0, current.previous().label()),
        ],
        subjects,
        absences,
        lates,
        attendance,
        comments,
        imported_at: link.imported_at.map(format_ru_datetime),
        notify: link.notify,
    }
}

/// The first day of the school year before `year`'s: what the diary reads.
pub fn reads_from(current: SchoolYear) -> Date {
    Date::from_calendar_date(current.previous().0, Month::September, 1).unwrap_or(Date::MIN)
}
