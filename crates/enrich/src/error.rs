//! The one error type of the enrichment arithmetic.
//!
//! Every variant repeats the value it was given and says what was expected, so that a caller
//! (the CLI, the web API) can show it to a user without adding context of its own.

use thiserror::Error;

/// Why an enrichment calculation could not be done.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum EnrichError {
    /// An assay or fraction outside the open interval (0, 1), or not finite.
    #[error(
        "{what} = {value} is not a valid {unit}: expected a finite value strictly between {min} and {max}"
    )]
    OutOfRange {
        /// Which input (e.g. "feed assay").
        what: &'static str,
        /// The value as given, in `unit`.
        value: f64,
        /// The unit the value was given in (e.g. "wt-% U-235").
        unit: &'static str,
        /// Exclusive lower bound, in `unit`.
        min: f64,
        /// Exclusive upper bound, in `unit`.
        max: f64,
    },
    /// A mass, separative work or rate that must be positive and finite but is not.
    #[error("{what} = {value} {unit} is not valid: expected a positive, finite number")]
    NotPositive {
        /// Which input (e.g. "product mass").
        what: &'static str,
        /// The value as given.
        value: f64,
        /// Its unit (e.g. "kg U").
        unit: &'static str,
    },
    /// A quantity that may be zero but must be finite and not negative.
    #[error("{what} = {value} {unit} is not valid: expected a finite number ≥ 0")]
    Negative {
        /// Which input.
        what: &'static str,
        /// The value as given.
        value: f64,
        /// Its unit.
        unit: &'static str,
    },
    /// The three assays of a balance are not ordered tails < feed < product.
    #[error(
        "assays must be ordered tails < feed < product, got tails {} wt-%, feed {} wt-%, product {} wt-%",
        sig(*.tails_wt_pct), sig(*.feed_wt_pct), sig(*.product_wt_pct)
    )]
    AssaysNotOrdered {
        /// Feed assay, wt-% U-235.
        feed_wt_pct: f64,
        /// Product assay, wt-% U-235.
        product_wt_pct: f64,
        /// Tails assay, wt-% U-235.
        tails_wt_pct: f64,
    },
    /// An isotopic composition that does not describe uranium (negative, empty, no U-238...).
    #[error("invalid isotopic composition: {reason}")]
    Composition {
        /// What is wrong with it.
        reason: String,
    },
    /// The stocks on hand cannot produce the requested product.
    #[error(
        "stocks are insufficient: {} kg U at {} wt-% needs {} kg U-235 above the tails assay ({} wt-%), the stocks hold {}",
        sig(*.requested_kg_u), sig(*.product_wt_pct), sig(*.needed_kg_u235), sig(*.tails_wt_pct), sig(*.available_kg_u235)
    )]
    InsufficientFeed {
        /// Requested product mass, kg U.
        requested_kg_u: f64,
        /// Requested product assay, wt-% U-235.
        product_wt_pct: f64,
        /// Tails assay used for the check, wt-% U-235.
        tails_wt_pct: f64,
        /// U-235 needed above the tails assay, kg.
        needed_kg_u235: f64,
        /// U-235 the usable stocks hold above the tails assay, kg.
        available_kg_u235: f64,
    },
    /// Inputs that are each valid but do not fit together.
    #[error("{0}")]
    Inconsistent(String),
    /// A numerical solver stopped without meeting its tolerance.
    #[error("{solver} did not converge after {iterations} iterations (residual {residual:e})")]
    NoConvergence {
        /// Which solver.
        solver: &'static str,
        /// Iterations spent.
        iterations: usize,
        /// The residual when it stopped.
        residual: f64,
    },
}

/// Ten significant digits: enough to tell close assays apart, without binary noise (0.9, not
/// 0.9000000000000001).
fn sig(x: f64) -> String {
    crate::units::significant(x, 10)
}

/// Checks that `value` is finite and strictly positive.
pub(crate) fn positive(
    what: &'static str,
    value: f64,
    unit: &'static str,
) -> Result<f64, EnrichError> {
    if value.is_finite() && value > 0.0 {
        Ok(value)
    } else {
        Err(EnrichError::NotPositive { what, value, unit })
    }
}

/// Checks that `value` is finite and not negative.
pub(crate) fn non_negative(
    what: &'static str,
    value: f64,
    unit: &'static str,
) -> Result<f64, EnrichError> {
    if value.is_finite() && value >= 0.0 {
        Ok(value)
    } else {
        Err(EnrichError::Negative { what, value, unit })
    }
}
