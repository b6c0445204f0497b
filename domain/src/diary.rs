//! «Учебные данные»: the school year and its quarters, a grade, and the averages per subject and
//! period with the trend against the period before — what the diary page shows.

use serde::{Deserialize, Serialize};
use time::{Date, Month};

/// A school year by the calendar year it starts in: 2026 is «2026/2027», 1 September to 31 May.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct SchoolYear(pub i32);

impl SchoolYear {
    /// The school year a day belongs to (summer belongs to the year just ended).
    pub fn of(date: Date) -> Self {
        if date.month() as u8 >= Month::September as u8 {
            SchoolYear(date.year())
        } else {
            SchoolYear(date.year() - 1)
        }
    }

    pub fn previous(self) -> Self {
        SchoolYear(self.0 - 1)
    }

    pub fn label(self) -> String {
        format!("{}/{}", self.0, self.0 + 1)
    }

    /// The quarter a school day falls in: I Sep–Oct, II Nov–Dec, III Jan–Mar, IV Apr–May; none
    /// in summer.
    pub fn quarter_of(date: Date) -> Option<u8> {
        match date.month() {
            Month::September | Month::October => Some(1),
            Month::November | Month::December => Some(2),
            Month::January | Month::February | Month::March => Some(3),
            Month::April | Month::May => Some(4),
            _ => None,
        }
    }

    pub fn starts(self) -> Date {
        Date::from_calendar_date(self.0, Month::September, 1).expect("1 September exists")
    }

    pub fn ends(self) -> Date {
        Date::from_calendar_date(self.0 + 1, Month::May, 31).expect("31 May exists")
    }
}

/// A mark from 2 to 5, as Russian schools give them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Grade(u8);

impl Grade {
    pub fn new(value: u8) -> Option<Self> {
        (2..=5).contains(&value).then_some(Grade(value))
    }

    pub fn value(self) -> u8 {
        self.0
    }
}

/// Which way an average went since the period before.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Trend {
    Up,
    Down,
    Same,
    /// No period before to compare with.
    New,
}

impl Trend {
    /// Averages closer than a tenth are the same.
    pub fn between(before: Option<f64>, now: f64) -> Self {
        match before {
            None => Trend::New,
            Some(before) if now - before >= 0.1 => Trend::Up,
            Some(before) if before - now >= 0.1 => Trend::Down,
            Some(_) => Trend::Same,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Trend::Up => "растёт",
            Trend::Down => "снижается",
            Trend::Same => "без изменений",
            Trend::New => "—",
        }
    }

    pub fn arrow(self) -> &'static str {
        match self {
            Trend::Up => "↑",
            Trend::Down => "↓",
            Trend::Same => "→",
            Trend::New => "",
        }
    }
}

/// The mean of the grades, to two places; `None` for none.
pub fn average(grades: &[Grade]) -> Option<f64> {
    if grades.is_empty() {
        return None;
    }
    let sum: u32 = grades.iter().map(|g| u32::from(g.0)).sum();
    Some((f64::from(sum) / grades.len() as f64 * 100.0).round() / 100.0)
}

/// «4,57»: a Russian decimal comma.
pub fn format_average(value: f64) -> String {
    format!("{value:.2}").replace('.', ",")
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use time::macros::date;

    #[test]
    fn the_school_year_and_its_quarters() {
        assert_eq!(SchoolYear::of(date!(2026 - 12 - 07)), SchoolYear(2026));
        assert_eq!(SchoolYear::of(date!(2027 - 05 - 20)), SchoolYear(2026));
        assert_eq!(SchoolYear::of(date!(2027 - 07 - 01)), SchoolYear(2026));
        assert_eq!(SchoolYear(2026).label(), "2026/2027");
        assert_eq!(SchoolYear::quarter_of(date!(2026 - 12 - 07)), Some(2));
        assert_eq!(SchoolYear::quarter_of(date!(2027 - 03 - 31)), Some(3));
        assert_eq!(SchoolYear::quarter_of(date!(2027 - 07 - 01)), None);
    }

    #[test]
    fn averages_and_trends() {
        let g = |v| Grade::new(v).unwrap();
        assert_eq!(average(&[]), None);
        assert_eq!(average(&[g(5), g(4), g(4)]), Some(4.33));
        assert_eq!(format_average(4.33), "4,33");
        assert_eq!(Trend::between(None, 4.0), Trend::New);
        assert_eq!(Trend::between(Some(4.0), 4.2), Trend::Up);
        assert_eq!(Trend::between(Some(4.0), 3.85), Trend::Down);
        assert_eq!(Trend::between(Some(4.0), 4.05), Trend::Same);
        assert_eq!(Grade::new(1), None);
        assert_eq!(Grade::new(6), None);
    }

    proptest! {
        /// An average lies between the lowest and the highest grade.
        #[test]
        fn an_average_lies_within_its_grades(values in proptest::collection::vec(2u8..=5, 1..40)) {
            let grades: Vec<Grade> = values.iter().map(|v| Grade::new(*v).unwrap()).collect();
            let mean = average(&grades).unwrap();
            let (low, high) = (*values.iter().min().unwrap(), *values.iter().max().unwrap());
            prop_assert!(mean >= f64::from(low) - 0.005 && mean <= f64::from(high) + 0.005);
        }
    }
}
