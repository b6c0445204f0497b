//! «Учебные данные»: the school diary of a minor. «Подключить школу» names the school; the school
//! (the simulated school registry) sends its code by e-mail, and the code connects the diary. A
//! job imports the current and the previous school year — grades with their dates, averages per
//! quarter and subject with the trend, absences and late arrivals, teachers' comments — within
//! seconds of connecting and every night. The minor sees it while «Проверка успеваемости» is on
//! in «Настройки доступа»; linked parents always.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::api::{ApiError, FieldError};
#[cfg(feature = "ssr")]
use crate::api::{ServiceError, SignedInAccount};
pub use crate::domain::diary::Trend;

pub const OWN_PATH: &str = "/my-school";

pub fn child_path(child: i64) -> String {
    format!("/documents/family/children/{child}/school")
}

pub mod fields {
    pub const SCHOOL: &str = "school";
    pub const CODE: &str = "school_code";
}

pub const MAX_SCHOOL_CHARS: usize = 200;

pub fn check_school(input: &str) -> Result<String, FieldError> {
    let name = input.trim();
    if name.is_empty() {
        Err(FieldError::new(
            fields::SCHOOL,
            "school.empty",
            "Укажите название учебного заведения, например «Школа № 1234»",
        ))
    } else if name.chars().count() > MAX_SCHOOL_CHARS {
        Err(FieldError::new(
            fields::SCHOOL,
            "school.too_long",
            "Название должно быть не длиннее 200 знаков",
        ))
    } else {
        Ok(name.to_owned())
    }
}

pub fn check_code(input: &str) -> Result<String, FieldError> {
    let code: String = input.chars().filter(|c| !c.is_whitespace()).collect();
    if code.is_empty() {
        return Err(FieldError::new(
            fields::CODE,
            "school_code.empty",
            "Введите код из письма школы",
        ));
    }
    if code.len() != 6 || !code.chars().all(|c| c.is_ascii_digit()) {
        return Err(FieldError::new(
            fields::CODE,
            "school_code.format",
            "Код школы — 6 цифр",
        ));
    }
    Ok(code)
}

/// One grade as the diary lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GradeView {
    /// «07.12.2026».
    pub date: String,
    pub value: u8,
}

/// A quarter's average and how it moved since the quarter before.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PeriodAverage {
    pub quarter: u8,
    /// «4,33»; `None` without grades.
    pub average: Option<String>,
    pub trend: Trend,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SubjectRow {
    pub subject: String,
    /// Newest first.
    pub grades: Vec<GradeView>,
    pub quarters: Vec<PeriodAverage>,
    pub year_average: Option<String>,
    /// Against the year before.
    pub year_trend: Trend,
}

/// An absence or a late arrival.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttendanceView {
    pub date: String,
    pub subject: String,
    /// «Пропуск» or «Опоздание».
    pub kind: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommentView {
    pub date: String,
    pub subject: String,
    pub teacher: String,
    pub text: String,
}

/// One school year of the diary.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Diary {
    pub school: String,
    /// «2026/2027».
    pub year_label: String,
    /// The year shown, by the calendar year it starts in.
    pub year: i32,
    /// The years there are: the current and the previous one.
    pub years: Vec<(i32, String)>,
    pub subjects: Vec<SubjectRow>,
    pub absences: u32,
    pub lates: u32,
    /// Newest first.
    pub attendance: Vec<AttendanceView>,
    pub comments: Vec<CommentView>,
    /// «07.12.2026 10:15»; `None` until the first import.
    pub imported_at: Option<String>,
    /// Notices of new grades and absences chosen.
    pub notify: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum DiaryState {
    /// The parent's access settings keep the minor from the diary: why.
    SwitchedOff {
        reason: String,
    },
    /// «Подключить школу».
    NotConnected,
    /// The school sent its code; it waits to be entered.
    CodeSent {
        school: String,
        sent_to: String,
    },
    /// Connected; the first import is under way.
    Importing {
        school: String,
    },
    Connected(Diary),
}

#[server(prefix = "/api", endpoint = "diary/load")]
pub async fn load_diary(
    #[server(default)] child: Option<i64>,
    #[server(default)] year: Option<i32>,
) -> Result<DiaryState, ApiError> {
    use crate::api::{request, service};
    let account = request::require_account().await?;
    Ok(service::<dyn SchoolDiary>()?
        .load(&account, child, year)
        .await?)
}

/// «Подключить школу»: the school's name; the school sends its code.
#[server(prefix = "/api", endpoint = "diary/connect")]
pub async fn connect_school(
    #[server(default)] child: Option<i64>,
    school: String,
) -> Result<DiaryState, ApiError> {
    use crate::api::{request, service};
    let school = check_school(&school).map_err(|e| ApiError::Invalid(vec![e]))?;
    let account = request::require_account().await?;
    Ok(service::<dyn SchoolDiary>()?
        .connect(&account, child, school)
        .await?)
}

/// The code from the school's letter.
#[server(prefix = "/api", endpoint = "diary/confirm")]
pub async fn confirm_school(
    #[server(default)] child: Option<i64>,
    code: String,
) -> Result<DiaryState, ApiError> {
    use crate::api::{request, service};
    let code = check_code(&code).map_err(|e| ApiError::Invalid(vec![e]))?;
    let account = request::require_account().await?;
    Ok(service::<dyn SchoolDiary>()?
        .confirm(&account, child, &code)
        .await?)
}

/// «Сообщать о новых оценках и пропусках».
#[server(prefix = "/api", endpoint = "diary/notify")]
pub async fn set_diary_notices(
    #[server(default)] child: Option<i64>,
    notify: bool,
) -> Result<DiaryState, ApiError> {
    use crate::api::{request, service};
    let account = request::require_account().await?;
    Ok(service::<dyn SchoolDiary>()?
        .set_notify(&account, child, notify)
        .await?)
}

#[cfg(feature = "ssr")]
#[async_trait::async_trait]
pub trait SchoolDiary: Send + Sync {
    /// The minor's own (`child: None`, while «Проверка успеваемости» is on) or the diary of the
    /// minor linked to the parent's card `child`; anyone else 404.
    async fn load(
        &self,
        account: &SignedInAccount,
        child: Option<i64>,
        year: Option<i32>,
    ) -> Result<DiaryState, ServiceError>;

    async fn connect(
        &self,
        account: &SignedInAccount,
        child: Option<i64>,
        school: String,
    ) -> Result<DiaryState, ServiceError>;

    /// The code's try is reserved before the comparison; five wrong ones end the attempt.
    async fn confirm(
        &self,
        account: &SignedInAccount,
        child: Option<i64>,
        code: &str,
    ) -> Result<DiaryState, ServiceError>;

    async fn set_notify(
        &self,
        account: &SignedInAccount,
        child: Option<i64>,
        notify: bool,
    ) -> Result<DiaryState, ServiceError>;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_school_and_its_code_are_checked() {
        assert_eq!(
            check_school("  Школа № 1234 "),
            Ok("Школа № 1234".to_owned())
        );
        assert_eq!(check_school(" ").unwrap_err().code, "school.empty");
        assert_eq!(check_code("123 456"), Ok("123456".to_owned()));
        assert_eq!(check_code("").unwrap_err().code, "school_code.empty");
        assert_eq!(check_code("12a456").unwrap_err().code, "school_code.format");
    }
}
