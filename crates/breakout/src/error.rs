//! Errors of the breakout engine.

use enrich::EnrichError;

/// Why an estimate could not be made.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum BreakoutError {
    /// An input value outside its domain; names the input, repeats the value, says what was
    /// expected.
    #[error("{input} = {value} is invalid: expected {expected}")]
    Invalid {
        /// Which input (a state-file field or a flag).
        input: String,
        /// The value given.
        value: String,
        /// What would have been accepted.
        expected: String,
    },
    /// Inputs that do not fit together.
    #[error("{0}")]
    Inconsistent(String),
    /// The separative-work arithmetic rejected a plan.
    #[error(transparent)]
    Enrich(#[from] EnrichError),
    /// The caller cancelled the computation before it finished.
    #[error("the computation was cancelled")]
    Cancelled,
}

impl BreakoutError {
    /// Shorthand for [`BreakoutError::Invalid`].
    pub fn invalid(
        input: impl Into<String>,
        value: impl ToString,
        expected: impl Into<String>,
    ) -> Self {
        BreakoutError::Invalid {
            input: input.into(),
            value: value.to_string(),
            expected: expected.into(),
        }
    }
}
