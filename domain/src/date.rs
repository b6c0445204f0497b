//! Dates as people write them on Russian forms, ДД.ММ.ГГГГ, and age in full years.

use time::{Date, Month, OffsetDateTime, UtcOffset};

/// Moscow time (UTC+3, no daylight saving since 2014): how the portal shows moments to people.
pub const MOSCOW: UtcOffset = match UtcOffset::from_hms(3, 0, 0) {
    Ok(offset) => offset,
    Err(_) => panic!("UTC+3 is a valid offset"),
};

/// Why a text is not a date in the form ДД.ММ.ГГГГ.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum DateError {
    #[error("date is empty")]
    Empty,
    #[error("date must be written as ДД.ММ.ГГГГ")]
    Format,
    #[error("no such day in the calendar")]
    NoSuchDay,
}

/// Parses «05.03.2014». One-digit day and month («5.3.2014») are accepted as people type them.
pub fn parse_ru_date(input: &str) -> Result<Date, DateError> {
    let input = input.trim();
    if input.is_empty() {
        return Err(DateError::Empty);
    }
    let mut parts = input.split('.');
    let (Some(day), Some(month), Some(year), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(DateError::Format);
    };
    let number = |s: &str, max_len: usize| -> Result<u32, DateError> {
        if s.is_empty() || s.len() > max_len || !s.bytes().all(|b| b.is_ascii_digit()) {
            return Err(DateError::Format);
        }
        s.parse().map_err(|_| DateError::Format)
    };
    let day = number(day, 2)?;
    let month = number(month, 2)?;
    if year.len() != 4 {
        return Err(DateError::Format);
    }
    let year = number(year, 4)?;
    let month = u8::try_from(month)
        .ok()
        .and_then(|m| Month::try_from(m).ok())
        .ok_or(DateError::NoSuchDay)?;
    let day = u8::try_from(day).map_err(|_| DateError::NoSuchDay)?;
    Date::from_calendar_date(year as i32, month, day).map_err(|_| DateError::NoSuchDay)
}

/// «05.03.2014».
pub fn format_ru_date(date: Date) -> String {
    format!(
        "{:02}.{:02}.{:04}",
        date.day(),
        u8::from(date.month()),
        date.year()
    )
}

/// «25.11.2026 17:05», in Moscow time.
pub fn format_ru_datetime(moment: OffsetDateTime) -> String {
    let local = moment.to_offset(MOSCOW);
    format!(
        "{} {:02}:{:02}",
        format_ru_date(local.date()),
        local.hour(),
        local.minute()
    )
}

/// Today's date in Moscow, the date the portal's rules (ages, deadlines) are counted in.
pub fn moscow_today(now: OffsetDateTime) -> Date {
    now.to_offset(MOSCOW).date()
}

/// Age in full years on `on`. Someone born on 29 February has a birthday on 28 February in
/// common years (the last day of the month, as ГК РФ ст. 192 counts periods in years).
/// Returns 0 for dates before birth.
pub fn full_years(birth: Date, on: Date) -> u32 {
    if on < birth {
        return 0;
    }
    let years = on.year() - birth.year();
    let birthday_this_year = birthday_in(birth, on.year());
    let years = if on < birthday_this_year {
        years - 1
    } else {
        years
    };
    years.max(0) as u32
}

fn birthday_in(birth: Date, year: i32) -> Date {
    Date::from_calendar_date(year, birth.month(), birth.day()).unwrap_or_else(|_| {
        // only 29 February in a common year gets here
        Date::from_calendar_date(year, Month::February, 28).expect("28 February exists every year")
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use time::macros::date;

    #[test]
    fn parses_the_written_form() {
        assert_eq!(parse_ru_date("05.03.2014"), Ok(date!(2014 - 03 - 05)));
        assert_eq!(parse_ru_date(" 5.3.2014 "), Ok(date!(2014 - 03 - 05)));
        assert_eq!(parse_ru_date("29.02.2024"), Ok(date!(2024 - 02 - 29)));
    }

    #[test]
    fn rejects_wrong_input_with_the_right_reason() {
        let cases = [
            ("", DateError::Empty),
            ("2014-03-05", DateError::Format),
            ("05.03.14", DateError::Format),
            ("05/03/2014", DateError::Format),
            ("05.03.2014.", DateError::Format),
            ("005.03.2014", DateError::Format),
            ("+5.03.2014", DateError::Format),
            ("32.01.2014", DateError::NoSuchDay),
            ("29.02.2023", DateError::NoSuchDay),
            ("01.13.2014", DateError::NoSuchDay),
            ("00.01.2014", DateError::NoSuchDay),
        ];
        for (input, expected) in cases {
            assert_eq!(parse_ru_date(input), Err(expected), "{input:?}");
        }
    }

    #[test]
    fn shows_moments_in_moscow_time() {
        use time::macros::datetime;
        assert_eq!(
            format_ru_datetime(datetime!(2026-11-25 21:05 UTC)),
            "26.11.2026 00:05"
        );
    }

    #[test]
    fn counts_full_years() {
        let birth = date!(2012 - 06 - 15);
        assert_eq!(full_years(birth, date!(2026 - 06 - 14)), 13);
        assert_eq!(full_years(birth, date!(2026 - 06 - 15)), 14);
        assert_eq!(full_years(birth, date!(2012 - 06 - 15)), 0);
        assert_eq!(full_years(birth, date!(2000 - 01 - 01)), 0);
    }

    #[test]
    fn leap_day_birthdays_fall_on_28_february_in_common_years() {
        let birth = date!(2012 - 02 - 29);
        assert_eq!(full_years(birth, date!(2026 - 02 - 27)), 13);
        assert_eq!(full_years(birth, date!(2026 - 02 - 28)), 14);
        assert_eq!(full_years(birth, date!(2028 - 02 - 28)), 15);
        assert_eq!(full_years(birth, date!(2028 - 02 - 29)), 16);
    }

    proptest! {
        #[test]
        fn formatting_and_parsing_round_trip(days in 0i32..200_000) {
            let d = date!(1900 - 01 - 01) + time::Duration::days(days.into());
            prop_assert_eq!(parse_ru_date(&format_ru_date(d)), Ok(d));
        }

        #[test]
        fn age_grows_by_one_each_birthday(days in 0i32..40_000, years in 0i32..100) {
            let birth = date!(1950 - 01 - 01) + time::Duration::days(days.into());
            let on = birthday_in(birth, birth.year() + years);
            prop_assert_eq!(full_years(birth, on), years as u32);
            if years > 0 {
                prop_assert_eq!(full_years(birth, on.previous_day().unwrap()), years as u32 - 1);
            }
        }
    }
}
