//! Civil dates for deal windows and dated facility states.
//!
//! A [`Date`] is a proleptic Gregorian calendar day. Deals count their limits from named days
//! ("Implementation Day + 15 years"), so the arithmetic that matters is adding calendar years and
//! months (clamping to the month's last day, as 31 Jan + 1 month = 28/29 Feb) and comparing days.
//! The engine never reads the clock: "today" is always an input.

use std::fmt;
use std::str::FromStr;

/// A calendar day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    /// Days since 1970-01-01 (negative before).
    days: i64,
}

/// A date that could not be read or built.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{text}` is not a date: expected YYYY-MM-DD ({reason})")]
pub struct DateError {
    text: String,
    reason: &'static str,
}

fn is_leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if is_leap(y) => 29,
        _ => 28,
    }
}

impl Date {
    /// A date from year (1–9999), month (1–12) and day (1–31, checked against the month).
    ///
    /// # Errors
    /// [`DateError`] for a year, month or day out of range.
    pub fn new(year: i64, month: u32, day: u32) -> Result<Self, DateError> {
        let text = || format!("{year:04}-{month:02}-{day:02}");
        if !(1..=9999).contains(&year) {
            return Err(DateError {
                text: text(),
                reason: "year must be 1 to 9999",
            });
        }
        if !(1..=12).contains(&month) {
            return Err(DateError {
                text: text(),
                reason: "month must be 1 to 12",
            });
        }
        if day == 0 || day > days_in_month(year, month) {
            return Err(DateError {
                text: text(),
                reason: "no such day in that month",
            });
        }
        Ok(Self::from_civil_unchecked(year, month, day))
    }

    /// Days from civil (H. Hinnant, "chrono-Compatible Low-Level Date Algorithms").
    fn from_civil_unchecked(year: i64, month: u32, day: u32) -> Self {
        let y = if month <= 2 { year - 1 } else { year };
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let mp = (i64::from(month) + 9) % 12;
        let doy = (153 * mp + 2) / 5 + i64::from(day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        Date {
            days: era * 146_097 + doe - 719_468,
        }
    }

    /// Year, month and day.
    pub fn ymd(self) -> (i64, u32, u32) {
        let z = self.days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let year = yoe + era * 400 + i64::from(month <= 2);
        (year, month, day)
    }

    /// This date plus calendar years, months and days; a day past the month's end clamps to it.
    pub fn plus(self, years: i64, months: i64, days: i64) -> Date {
        let (y, m, d) = self.ymd();
        let total = y * 12 + i64::from(m) - 1 + years * 12 + months;
        let (ny, nm) = (total.div_euclid(12), (total.rem_euclid(12) + 1) as u32);
        let nd = d.min(days_in_month(ny, nm));
        // Beyond year 9999 the result is still a valid day count; only parsing is bounded.
        let base = Date::from_civil_unchecked(ny, nm, nd);
        Date {
            days: base.days + days,
        }
    }

    /// Days from `earlier` to `self` (negative if `earlier` is later).
    pub fn days_since(self, earlier: Date) -> i64 {
        self.days - earlier.days
    }
}

impl FromStr for Date {
    type Err = DateError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = |reason| DateError {
            text: s.to_string(),
            reason,
        };
        let parts: Vec<&str> = s.trim().split('-').collect();
        if parts.len() != 3 || parts[0].len() != 4 || parts[1].len() != 2 || parts[2].len() != 2 {
            return Err(err("three dash-separated fields"));
        }
        let y: i64 = parts[0].parse().map_err(|_| err("year is not a number"))?;
        let m: u32 = parts[1].parse().map_err(|_| err("month is not a number"))?;
        let d: u32 = parts[2].parse().map_err(|_| err("day is not a number"))?;
        Date::new(y, m, d).map_err(|e| DateError {
            text: s.to_string(),
            reason: e.reason,
        })
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (y, m, d) = self.ymd();
        write!(f, "{y:04}-{m:02}-{d:02}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(s: &str) -> Date {
        s.parse().unwrap()
    }

    #[test]
    fn known_dates_and_differences() {
        assert_eq!(Date::new(1970, 1, 1).unwrap().days, 0);
        // JCPOA: Adoption Day 18 Oct 2015 to Implementation Day 16 Jan 2016 is 90 days.
        assert_eq!(d("2016-01-16").days_since(d("2015-10-18")), 90);
        assert_eq!(d("2000-03-01").days_since(d("2000-02-28")), 2);
        assert_eq!(d("1900-03-01").days_since(d("1900-02-28")), 1);
    }

    #[test]
    fn calendar_arithmetic_clamps_month_ends() {
        for (start, (y, m, dd), expected) in [
            ("2015-10-18", (8, 0, 0), "2023-10-18"),  // Transition Day
            ("2015-10-18", (10, 0, 0), "2025-10-18"), // Termination Day
            ("2016-01-16", (15, 0, 0), "2031-01-16"),
            ("2016-01-16", (8, 6, 0), "2024-07-16"),
            ("2024-01-31", (0, 1, 0), "2024-02-29"),
            ("2023-01-31", (0, 1, 0), "2023-02-28"),
            ("2024-02-29", (1, 0, 0), "2025-02-28"),
            ("2025-12-31", (0, 0, 1), "2026-01-01"),
        ] {
            assert_eq!(
                d(start).plus(y, m, dd).to_string(),
                expected,
                "{start} + {y}y{m}m{dd}d"
            );
        }
    }

    #[test]
    fn bad_dates_say_why() {
        for (s, reason) in [
            ("2025-02-30", "no such day"),
            ("2025-13-01", "month"),
            ("25-01-01", "three"),
            ("2025-0a-01", "month"),
        ] {
            let e = s.parse::<Date>().unwrap_err().to_string();
            assert!(e.contains(s) && e.contains(reason), "{e}");
        }
    }

    proptest! {
        #[test]
        fn round_trips(days in -700_000i64..2_900_000) {
            let date = Date { days };
            let (y, m, dd) = date.ymd();
            prop_assert_eq!(Date::new(y, m, dd).unwrap(), date);
            prop_assert_eq!(date.to_string().parse::<Date>().unwrap(), date);
            prop_assert_eq!(date.plus(0, 0, 1).days_since(date), 1);
        }
    }
}
