//! The application's errors, and how a command that ran ends.
//!
//! The variant says whose the fault is, so a front end can answer for it: usage and input errors
//! are the caller's (exit 2, HTTP 400), an internal error is ours (exit 2 with a plea to report
//! it, HTTP 500). Messages name the value given and what was expected, in the request's terms
//! (`--samples` on the command line is the `samples` field in JSON).

use breakout::BreakoutError;
use enrich::EnrichError;
use safeguards::SafeguardsError;

/// A failure of a command.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// Options that do not fit together, or a required option missing.
    #[error("{0}")]
    Usage(String),
    /// Values the engines reject, or input files that do not parse (located by file, line and
    /// column where the file format allows).
    #[error("{0}")]
    Input(String),
    /// A computation failed on input it accepted (a solver that did not converge): a bug or a
    /// limit of the model, never the caller's mistake.
    #[error("{0} (an internal limit of the model, not an error in the input: please report it)")]
    Internal(String),
    /// The computation was stopped by its caller (a [`crate::Cancel`] token, e.g. the server's
    /// time limit) before it finished.
    #[error("{0}")]
    Cancelled(String),
}

impl From<EnrichError> for AppError {
    fn from(e: EnrichError) -> Self {
        match e {
            EnrichError::NoConvergence { .. } => AppError::Internal(e.to_string()),
            other => AppError::Input(other.to_string()),
        }
    }
}

impl From<BreakoutError> for AppError {
    fn from(e: BreakoutError) -> Self {
        match e {
            BreakoutError::Enrich(inner) => inner.into(),
            BreakoutError::Cancelled => crate::cancel::cancelled(),
            other => AppError::Input(other.to_string()),
        }
    }
}

impl From<SafeguardsError> for AppError {
    fn from(e: SafeguardsError) -> Self {
        match e {
            SafeguardsError::NoConvergence { .. } => AppError::Internal(e.to_string()),
            SafeguardsError::Cancelled => crate::cancel::cancelled(),
            other => AppError::Input(other.to_string()),
        }
    }
}

/// How a command that ran ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Exit 0.
    Success,
    /// Exit 1: the command ran and found something (a violation, a detected loss).
    Finding,
}
