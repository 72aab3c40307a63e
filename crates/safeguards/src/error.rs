//! The one error type of the safeguards engine: every message names the quantity, repeats the
//! value given and says what was expected.

/// Why a safeguards computation could not be done.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SafeguardsError {
    /// A value outside its admissible range.
    #[error("{what} = {value} is out of range: expected {expected}")]
    OutOfRange {
        /// The quantity (field or flag name).
        what: String,
        /// The value given.
        value: f64,
        /// The admissible range in words.
        expected: String,
    },
    /// A covariance matrix that is not symmetric positive definite: the balance is inconsistent
    /// (e.g. a period with no measured quantity, or a duplicated period).
    #[error(
        "the MUF covariance matrix is not positive definite (pivot {pivot:e} at period {period}): \
         the balance is inconsistent, e.g. period {period} has no measured quantity with an \
         uncertainty"
    )]
    NotPositiveDefinite {
        /// 1-based period (row) where the Cholesky factorisation failed.
        period: usize,
        /// The non-positive pivot found there.
        pivot: f64,
    },
    /// Dimensions that do not fit together (loss pattern vs number of periods, …).
    #[error("{0}")]
    Inconsistent(String),
    /// A name that refers to nothing (an error group or stratum that is not defined).
    #[error("unknown {kind} `{name}`: expected one of {known}")]
    Unknown {
        /// What kind of thing was looked up ("error group", "stratum").
        kind: &'static str,
        /// The name given.
        name: String,
        /// The names that exist.
        known: String,
    },
    /// A bounded solver that did not converge.
    #[error("{solver} did not converge after {iterations} iterations (residual {residual:e})")]
    NoConvergence {
        /// Which solver.
        solver: &'static str,
        /// Iterations spent.
        iterations: usize,
        /// Last residual.
        residual: f64,
    },
    /// The caller cancelled the computation before it finished.
    #[error("the computation was cancelled")]
    Cancelled,
}

/// Checks `lo < value < hi` (open interval) and finiteness.
pub(crate) fn open_interval(
    what: &str,
    value: f64,
    lo: f64,
    hi: f64,
) -> Result<f64, SafeguardsError> {
    if value.is_finite() && value > lo && value < hi {
        Ok(value)
    } else {
        Err(SafeguardsError::OutOfRange {
            what: what.into(),
            value,
            expected: format!("a number strictly between {lo} and {hi}"),
        })
    }
}

/// Checks that `value` is finite and > 0.
pub(crate) fn positive(what: &str, value: f64) -> Result<f64, SafeguardsError> {
    if value.is_finite() && value > 0.0 {
        Ok(value)
    } else {
        Err(SafeguardsError::OutOfRange {
            what: what.into(),
            value,
            expected: "a positive, finite number".into(),
        })
    }
}

/// Checks that `value` is finite and ≥ 0.
pub(crate) fn non_negative(what: &str, value: f64) -> Result<f64, SafeguardsError> {
    if value.is_finite() && value >= 0.0 {
        Ok(value)
    } else {
        Err(SafeguardsError::OutOfRange {
            what: what.into(),
            value,
            expected: "a non-negative, finite number".into(),
        })
    }
}

/// Checks that `value` is finite (any sign).
pub(crate) fn finite(what: &str, value: f64) -> Result<f64, SafeguardsError> {
    if value.is_finite() {
        Ok(value)
    } else {
        Err(SafeguardsError::OutOfRange {
            what: what.into(),
            value,
            expected: "a finite number".into(),
        })
    }
}
