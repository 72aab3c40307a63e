//! The standard normal distribution: Φ, its upper tail and quantiles z_p, via `statrs`.
//!
//! Every test statistic of this crate is standardised to N(0, 1) under "no loss", so these three
//! functions are all the distribution theory the closed forms need.

use statrs::distribution::{ContinuousCDF, Normal};

use crate::error::{SafeguardsError, open_interval};

fn standard() -> Normal {
    Normal::standard()
}

/// Φ(x), the standard normal distribution function.
pub fn cdf(x: f64) -> f64 {
    standard().cdf(x)
}

/// 1 − Φ(x), computed without cancellation for large x.
pub fn upper_tail(x: f64) -> f64 {
    standard().sf(x)
}

/// z_p = Φ⁻¹(p), the standard normal quantile.
///
/// # Errors
/// [`SafeguardsError::OutOfRange`] unless 0 < p < 1 (`what` names the probability).
pub fn quantile(what: &str, p: f64) -> Result<f64, SafeguardsError> {
    open_interval(what, p, 0.0, 1.0)?;
    Ok(standard().inverse_cdf(p))
}

#[cfg(test)]
mod tests {
    use super::*;
    use approx::assert_abs_diff_eq;

    /// Quantiles to 16 digits (safeguards.md §7; Abramowitz & Stegun Table 26.5 to the digits it gives).
    #[test]
    fn quantiles_match_reference_values() {
        for (p, z) in [
            (0.95, 1.644_853_626_951_472_2),
            (0.975, 1.959_963_984_540_054),
            (0.99, 2.326_347_874_040_840_8),
            (0.5, 0.0),
            (0.05, -1.644_853_626_951_472_2),
        ] {
            assert_abs_diff_eq!(quantile("p", p).unwrap(), z, epsilon = 1e-12);
        }
    }

    #[test]
    fn cdf_and_tail_are_consistent() {
        for x in [-5.0, -1.0, 0.0, 0.3, 1.644_853_626_951_472_2, 4.0] {
            assert_abs_diff_eq!(cdf(x) + upper_tail(x), 1.0, epsilon = 1e-15);
        }
        // statrs' Φ is good to a few 1e-12 here.
        assert_abs_diff_eq!(cdf(1.644_853_626_951_472_2), 0.95, epsilon = 1e-11);
        // Upper tail at 8σ (6.22e-16) is not lost to cancellation.
        assert!((upper_tail(8.0) / 6.220_960_574_271_785e-16 - 1.0).abs() < 1e-9);
    }

    #[test]
    fn quantile_rejects_probabilities_outside_the_open_unit_interval() {
        for p in [0.0, 1.0, -0.1, f64::NAN] {
            let e = quantile("--alpha", p).unwrap_err().to_string();
            assert!(
                e.contains("--alpha") && e.contains("between 0 and 1"),
                "{e}"
            );
        }
    }
}
