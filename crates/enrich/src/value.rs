//! The separative-work value function.
//!
//! V(x) = (2x − 1)·ln(x/(1 − x)) on the **fraction** x (not the percent), so that SWU comes out
//! in kg-SWU. The percent form used by some calculators carries an extra factor and is a classic
//! source of 100× errors; this crate never uses it. V is convex with V''(x) = 1/(x²(1 − x)²) and
//! has its minimum V(½) = 0. References: A. de la Garza et al., Chem. Eng. Sci. 15 (1961);
//! S. Whitley, Rev. Mod. Phys. 56, 41 (1984).

use crate::assay::Assay;

/// V(x) for an assay (weight fraction U-235).
///
/// # Examples
/// ```
/// let v = enrich::value_function(enrich::Assay::from_wt_pct(0.72)?);
/// assert!((v - 4.855_507_353_675_08).abs() < 1e-12); // PyNE test_value
/// # Ok::<(), enrich::EnrichError>(())
/// ```
pub fn value_function(x: Assay) -> f64 {
    value_of_fraction(x.wt_fraction())
}

/// V(x) on a raw fraction in (0, 1).
pub(crate) fn value_of_fraction(x: f64) -> f64 {
    (2.0 * x - 1.0) * (x / (1.0 - x)).ln()
}

/// V'(x) = 2·ln(x/(1 − x)) + (2x − 1)/(x(1 − x)).
pub(crate) fn value_derivative(x: f64) -> f64 {
    2.0 * (x / (1.0 - x)).ln() + (2.0 * x - 1.0) / (x * (1.0 - x))
}

#[cfg(test)]
mod tests {
    use super::*;
    use approx::assert_relative_eq;
    use proptest::prelude::*;

    #[test]
    fn reference_values() {
        // By hand: V(0.5) = 0; V(0.0072) from PyNE's test suite; V(0.9) = 0.8·ln 9.
        for (x, v) in [
            (0.5, 0.0),
            (0.0072, 4.855_507_353_675_08),
            (0.9, 0.8 * 9f64.ln()),
            (0.1, 0.8 * 9f64.ln()),
        ] {
            assert!((value_of_fraction(x) - v).abs() < 1e-12, "V({x})");
        }
    }

    proptest! {
        #[test]
        fn derivative_matches_finite_difference(x in 1e-4f64..0.9999) {
            let h = 1e-6 * x.min(1.0 - x);
            let fd = (value_of_fraction(x + h) - value_of_fraction(x - h)) / (2.0 * h);
            assert_relative_eq!(value_derivative(x), fd, epsilon = 1e-6, max_relative = 1e-6);
        }

        #[test]
        fn non_negative_and_symmetric(x in 1e-9f64..0.999_999_999) {
            prop_assert!(value_of_fraction(x) >= 0.0);
            assert_relative_eq!(value_of_fraction(x), value_of_fraction(1.0 - x), max_relative = 1e-9, epsilon = 1e-12);
        }
    }
}
