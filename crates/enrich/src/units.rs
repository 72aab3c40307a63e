//! Separative work, capacity and time: [`Swu`], [`SwuPerYear`], [`Days`].
//!
//! One SWU here is one kilogram-SWU (kg-SWU), the unit IAEA and industry use. A year is the
//! Julian year of 365.25 days, so capacities convert to days without a hidden calendar.
//!
//! With the `serde` feature each serialises as its bare number in its unit (no wrapper object).

use std::fmt;
use std::ops::{Add, AddAssign, Div, Mul, Sub};

use crate::EnrichError;
use crate::error::{non_negative, positive};

/// Days in a year for capacity conversions (Julian year).
pub const DAYS_PER_YEAR: f64 = 365.25;

/// Days in a month when durations are shown in months (365.25 / 12).
pub const DAYS_PER_MONTH: f64 = DAYS_PER_YEAR / 12.0;

/// Separative work in kg-SWU.
#[cfg_attr(feature = "serde", derive(serde::Serialize), serde(transparent))]
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Default)]
pub struct Swu(f64);

impl Swu {
    /// Separative work from kg-SWU, finite and ≥ 0.
    ///
    /// # Errors
    /// [`EnrichError::Negative`] for a negative or non-finite value.
    pub fn new(kg_swu: f64) -> Result<Self, EnrichError> {
        non_negative("separative work", kg_swu, "kg-SWU").map(Swu)
    }

    /// Separative work that the caller guarantees is finite (results of this crate's arithmetic).
    pub(crate) const fn raw(kg_swu: f64) -> Self {
        Swu(kg_swu)
    }

    /// kg-SWU.
    pub const fn kg_swu(self) -> f64 {
        self.0
    }
}

impl Add for Swu {
    type Output = Swu;
    fn add(self, rhs: Swu) -> Swu {
        Swu(self.0 + rhs.0)
    }
}

impl AddAssign for Swu {
    fn add_assign(&mut self, rhs: Swu) {
        self.0 += rhs.0;
    }
}

impl Sub for Swu {
    type Output = Swu;
    fn sub(self, rhs: Swu) -> Swu {
        Swu(self.0 - rhs.0)
    }
}

impl Div<SwuPerYear> for Swu {
    type Output = Days;
    /// How long a capacity takes to deliver this much separative work.
    fn div(self, rhs: SwuPerYear) -> Days {
        Days(self.0 / rhs.0 * DAYS_PER_YEAR)
    }
}

impl fmt::Display for Swu {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} kg-SWU", significant(self.0, 6))
    }
}

/// Separative capacity in kg-SWU per (Julian) year.
#[cfg_attr(feature = "serde", derive(serde::Serialize), serde(transparent))]
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd)]
pub struct SwuPerYear(f64);

impl SwuPerYear {
    /// A capacity, positive and finite.
    ///
    /// # Errors
    /// [`EnrichError::NotPositive`] otherwise.
    pub fn new(kg_swu_per_yr: f64) -> Result<Self, EnrichError> {
        positive("capacity", kg_swu_per_yr, "kg-SWU/yr").map(SwuPerYear)
    }

    /// kg-SWU per year.
    pub const fn kg_swu_per_yr(self) -> f64 {
        self.0
    }

    /// Separative work delivered in `days`.
    pub fn over(self, days: Days) -> Swu {
        Swu(self.0 * days.0 / DAYS_PER_YEAR)
    }
}

impl Mul<f64> for SwuPerYear {
    type Output = SwuPerYear;
    fn mul(self, rhs: f64) -> SwuPerYear {
        SwuPerYear(self.0 * rhs)
    }
}

/// A duration in days.
#[cfg_attr(feature = "serde", derive(serde::Serialize), serde(transparent))]
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Default)]
pub struct Days(f64);

impl Days {
    /// A duration, finite and ≥ 0.
    ///
    /// # Errors
    /// [`EnrichError::Negative`] otherwise.
    pub fn new(days: f64) -> Result<Self, EnrichError> {
        non_negative("duration", days, "days").map(Days)
    }

    /// Days.
    pub const fn days(self) -> f64 {
        self.0
    }

    /// Months of [`DAYS_PER_MONTH`] days.
    pub fn months(self) -> f64 {
        self.0 / DAYS_PER_MONTH
    }
}

impl Add for Days {
    type Output = Days;
    fn add(self, rhs: Days) -> Days {
        Days(self.0 + rhs.0)
    }
}

/// Formats `x` with `digits` significant digits and no trailing zeros: 7.78594, 0.3, 4823.15.
pub fn significant(x: f64, digits: usize) -> String {
    if x == 0.0 || !x.is_finite() {
        return format!("{x}");
    }
    let magnitude = x.abs().log10().floor() as i64;
    let decimals = (digits as i64 - 1 - magnitude).max(0) as usize;
    let s = format!("{x:.decimals$}");
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn capacity_converts_to_days_on_a_julian_year() {
        let d = Swu::new(5000.0).unwrap() / SwuPerYear::new(5000.0).unwrap();
        assert!((d.days() - 365.25).abs() < 1e-12);
        assert!((d.months() - 12.0).abs() < 1e-12);
        let s = SwuPerYear::new(730.5)
            .unwrap()
            .over(Days::new(10.0).unwrap());
        assert!((s.kg_swu() - 20.0).abs() < 1e-12);
    }

    #[test]
    fn rejects_bad_values() {
        assert!(Swu::new(-1.0).is_err());
        assert!(Swu::new(f64::NAN).is_err());
        assert!(SwuPerYear::new(0.0).is_err());
        assert!(Days::new(f64::INFINITY).is_err());
    }

    #[test]
    fn significant_digits() {
        for (x, d, s) in [
            (7.785_944, 6, "7.78594"),
            (0.3, 6, "0.3"),
            (4_823.154_9, 6, "4823.15"),
            (123_456_789.0, 4, "123456789"),
            (0.000_123_456, 3, "0.000123"),
            (-2.5, 3, "-2.5"),
        ] {
            assert_eq!(significant(x, d), s);
        }
    }
}
