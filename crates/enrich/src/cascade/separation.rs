//! Stage separation factors for every uranium isotope, scaled from the U-235 factor.
//!
//! A gas centrifuge separates by mass difference, so its stage separation factor for isotope i
//! against U-238 grows linearly with the mass difference: γᵢ = 1 + (238 − Aᵢ)(γ₂₃₅ − 1)/3
//! (the centrifuge rule used by MIsoEnrich, after R. L. Wood et al., Sep. Sci. Tech. 34:3, 1999).
//! The fixed-cascade model and MARC both use it; diffusion-plant scaling is out of scope.

use crate::EnrichError;
use crate::isotope::Isotope;

/// Largest U-235 stage separation factor accepted; real single machines are below 2.5, and the
/// bound keeps exponentials in the cascade solvers far from overflow.
pub const MAX_ALPHA: f64 = 10.0;

/// The heads-to-tails separation factor of a stage for U-235 against U-238, and the factors it
/// implies for the other isotopes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StageSeparation {
    alpha_235: f64,
}

impl StageSeparation {
    /// A stage whose heads abundance ratio R = x₂₃₅/x₂₃₈ is `alpha_235` times that of its tails.
    ///
    /// # Errors
    /// [`EnrichError::OutOfRange`] unless 1 < `alpha_235` ≤ [`MAX_ALPHA`].
    pub fn new(alpha_235: f64) -> Result<Self, EnrichError> {
        if alpha_235.is_finite() && alpha_235 > 1.0 && alpha_235 <= MAX_ALPHA {
            Ok(StageSeparation { alpha_235 })
        } else {
            Err(EnrichError::OutOfRange {
                what: "stage separation factor α (U-235/U-238, heads over tails)",
                value: alpha_235,
                unit: "ratio",
                min: 1.0,
                max: MAX_ALPHA,
            })
        }
    }

    /// α for U-235 against U-238.
    pub const fn alpha_235(self) -> f64 {
        self.alpha_235
    }

    /// α for `iso` against U-238: 1 + (238 − A)(α₂₃₅ − 1)/3; exactly 1 for U-238.
    pub fn alpha(self, iso: Isotope) -> f64 {
        1.0 + (238.0 - f64::from(iso.mass_number())) * (self.alpha_235 - 1.0) / 3.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn factors_scale_with_mass_difference() {
        let s = StageSeparation::new(1.3).unwrap();
        for (iso, a) in [
            (Isotope::U232, 1.6),
            (Isotope::U234, 1.4),
            (Isotope::U235, 1.3),
            (Isotope::U236, 1.2),
            (Isotope::U238, 1.0),
        ] {
            assert!((s.alpha(iso) - a).abs() < 1e-12, "{iso}");
        }
    }

    #[test]
    fn rejects_factors_that_do_not_separate() {
        for bad in [1.0, 0.9, f64::NAN, 11.0] {
            let e = StageSeparation::new(bad).unwrap_err().to_string();
            assert!(e.contains("stage separation factor"), "{e}");
        }
    }
}
