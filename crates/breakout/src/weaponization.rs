//! Weaponization: the months from fissile material to a weapon, kept apart from breakout.
//!
//! Breakout time measures fissile material only \[B1\]\[B3\]. Turning HEU into a weapon (conversion
//! to metal, core manufacture, assembly) is a separate range that analysts give in months (Milley:
//! "several more months" \[B14\]; others a year or more \[B14\], 1–2 years \[B40\]). It is an optional
//! input; the engine adds it to the breakout time only in this separate result, never in it.

use enrich::units::DAYS_PER_MONTH;

use crate::error::BreakoutError;

/// A weaponization range in months.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Weaponization {
    /// Shortest, months.
    pub low_months: f64,
    /// Longest, months.
    pub high_months: f64,
}

impl Weaponization {
    /// A validated range.
    ///
    /// # Errors
    /// [`BreakoutError::Invalid`] unless 0 ≤ low ≤ high, both finite.
    pub fn new(low_months: f64, high_months: f64) -> Result<Self, BreakoutError> {
        if !(low_months.is_finite() && high_months.is_finite())
            || low_months < 0.0
            || low_months > high_months
        {
            return Err(BreakoutError::invalid(
                "--weaponization-months",
                format!("{low_months}..{high_months}"),
                "LO..HI with 0 ≤ LO ≤ HI months",
            ));
        }
        Ok(Weaponization {
            low_months,
            high_months,
        })
    }

    /// Days to a weapon, (earliest, latest), for fissile material after `fissile_days`.
    pub fn weapon_days(&self, fissile_days: f64) -> (f64, f64) {
        (
            fissile_days + self.low_months * DAYS_PER_MONTH,
            fissile_days + self.high_months * DAYS_PER_MONTH,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use approx::assert_relative_eq;

    #[test]
    fn adds_the_range_to_fissile_time() {
        let w = Weaponization::new(6.0, 18.0).unwrap();
        let (lo, hi) = w.weapon_days(10.0);
        assert_relative_eq!(lo, 10.0 + 6.0 * 30.4375, max_relative = 1e-12);
        assert_relative_eq!(hi, 10.0 + 18.0 * 30.4375, max_relative = 1e-12);
        assert!(Weaponization::new(3.0, 1.0).is_err());
        assert!(Weaponization::new(-1.0, 1.0).is_err());
    }
}
