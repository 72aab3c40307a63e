//! Assays: how much U-235 a stream of uranium holds.
//!
//! An [`Assay`] is always a **weight** fraction of U-235 in uranium, the basis of the value
//! function, of WISE-style calculators and of IAEA reporting. Atom fractions exist only behind
//! functions whose names say so (`*_at_*`), because mixing the two bases moves results by about
//! 1 % at natural assay (0.711 wt-% is 0.720 at-%).

use std::fmt;

use crate::EnrichError;
use crate::isotope::Isotope;

/// Weight fraction of U-235 in uranium, strictly between 0 and 1.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd)]
pub struct Assay(f64);

impl Assay {
    /// Natural uranium: 0.711 wt-% U-235 (0.7204 at-%, IUPAC; see [`crate::Composition::natural`]).
    pub const NATURAL: Assay = Assay(0.007_11);

    /// An assay from a weight fraction in (0, 1).
    ///
    /// # Errors
    /// [`EnrichError::OutOfRange`] if `fraction` is not finite or not strictly between 0 and 1.
    pub fn from_wt_fraction(fraction: f64) -> Result<Self, EnrichError> {
        Self::checked("assay", fraction, "weight fraction U-235", 1.0)
    }

    /// An assay from weight percent U-235 in (0, 100).
    ///
    /// # Errors
    /// [`EnrichError::OutOfRange`] if `pct` is not finite or not strictly between 0 and 100.
    ///
    /// # Examples
    /// ```
    /// let x = enrich::Assay::from_wt_pct(3.67)?;
    /// assert!((x.wt_fraction() - 0.0367).abs() < 1e-15);
    /// # Ok::<(), enrich::EnrichError>(())
    /// ```
    pub fn from_wt_pct(pct: f64) -> Result<Self, EnrichError> {
        Self::checked("assay", pct, "wt-% U-235", 100.0)
    }

    /// The same as [`Assay::from_wt_pct`] with the input's name in the error message.
    ///
    /// # Errors
    /// As [`Assay::from_wt_pct`].
    pub fn named_wt_pct(what: &'static str, pct: f64) -> Result<Self, EnrichError> {
        Self::checked(what, pct, "wt-% U-235", 100.0)
    }

    /// An assay from the **atom** fraction of U-235 in a binary U-235/U-238 mixture.
    ///
    /// # Errors
    /// [`EnrichError::OutOfRange`] if `fraction` is not strictly between 0 and 1.
    pub fn from_at_fraction_binary(fraction: f64) -> Result<Self, EnrichError> {
        let a = Self::checked("assay", fraction, "atom fraction U-235", 1.0)?.0;
        let m5 = a * Isotope::U235.atomic_mass();
        let m8 = (1.0 - a) * Isotope::U238.atomic_mass();
        Ok(Assay(m5 / (m5 + m8)))
    }

    /// An assay from **atom** percent U-235 in a binary U-235/U-238 mixture.
    ///
    /// # Errors
    /// [`EnrichError::OutOfRange`] if `pct` is not strictly between 0 and 100.
    pub fn from_at_pct_binary(pct: f64) -> Result<Self, EnrichError> {
        Self::checked("assay", pct, "at-% U-235", 100.0)?;
        Self::from_at_fraction_binary(pct / 100.0)
    }

    fn checked(
        what: &'static str,
        value: f64,
        unit: &'static str,
        max: f64,
    ) -> Result<Self, EnrichError> {
        if value.is_finite() && value > 0.0 && value < max {
            Ok(Assay(value / max))
        } else {
            Err(EnrichError::OutOfRange {
                what,
                value,
                unit,
                min: 0.0,
                max,
            })
        }
    }

    /// Weight fraction of U-235, in (0, 1).
    pub const fn wt_fraction(self) -> f64 {
        self.0
    }

    /// Weight percent U-235, in (0, 100).
    pub fn wt_pct(self) -> f64 {
        self.0 * 100.0
    }

    /// Atom fraction of U-235 if the rest of the uranium is U-238.
    pub fn at_fraction_binary(self) -> f64 {
        let n5 = self.0 / Isotope::U235.atomic_mass();
        let n8 = (1.0 - self.0) / Isotope::U238.atomic_mass();
        n5 / (n5 + n8)
    }

    /// Atom percent U-235 if the rest of the uranium is U-238.
    pub fn at_pct_binary(self) -> f64 {
        self.at_fraction_binary() * 100.0
    }
}

impl fmt::Display for Assay {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} wt-% U-235",
            crate::units::significant(self.wt_pct(), 6)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use approx::assert_relative_eq;
    use proptest::prelude::*;

    /// wt-% → at-% for binary mixtures, computed by hand from the AME2020 masses
    /// (and matching the table in shared/reference/users-and-dependencies.md §5 to 4 decimals).
    #[test]
    fn wt_to_at_binary_reference_values() {
        for (wt, at) in [
            (0.711, 0.7200),
            (3.67, 3.7152),
            (19.75, 19.9522),
            (60.0, 60.3047),
            (90.0, 90.1138),
        ] {
            let got = Assay::from_wt_pct(wt).unwrap().at_pct_binary();
            assert!(
                (got - at).abs() < 5e-5,
                "{wt} wt-% -> {got} at-%, expected {at}"
            );
        }
    }

    #[test]
    fn rejects_out_of_range_naming_value_and_bounds() {
        for bad in [0.0, 100.0, -1.0, 120.0, f64::NAN, f64::INFINITY] {
            let err = Assay::from_wt_pct(bad).unwrap_err().to_string();
            assert!(err.contains("wt-% U-235") && err.contains("100"), "{err}");
        }
        assert!(Assay::from_wt_fraction(1.0).is_err());
        assert!(Assay::from_at_pct_binary(0.0).is_err());
    }

    proptest! {
        #[test]
        fn at_wt_round_trip(a in 1e-6f64..0.999_999) {
            let x = Assay::from_at_fraction_binary(a).unwrap();
            assert_relative_eq!(x.at_fraction_binary(), a, max_relative = 1e-12);
        }

        /// U-235 is lighter than U-238, so the atom fraction is always the larger.
        #[test]
        fn atom_fraction_exceeds_weight_fraction(w in 1e-6f64..0.999_999) {
            let x = Assay::from_wt_fraction(w).unwrap();
            prop_assert!(x.at_fraction_binary() > w);
        }
    }
}
