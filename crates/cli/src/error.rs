//! Errors of the `breakout` command and the exit codes they map to.
//!
//! Exit codes are a contract: 0 success, 1 a finding (e.g. a deal violated), 2 usage or input
//! error. A panic is a bug and keeps Rust's 101.

use std::process::ExitCode;

/// A failure that ends a command with a one-line message on stderr and exit code 2.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// Flags that do not fit together or a missing required flag.
    #[error("{0}")]
    Usage(String),
    /// Input values the engine rejects, or input files that do not parse.
    #[error("{0}")]
    Input(String),
}

impl From<enrich::EnrichError> for CliError {
    fn from(e: enrich::EnrichError) -> Self {
        CliError::Input(e.to_string())
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

impl From<Outcome> for ExitCode {
    fn from(o: Outcome) -> Self {
        match o {
            Outcome::Success => ExitCode::SUCCESS,
            Outcome::Finding => ExitCode::from(1),
        }
    }
}

/// What every command returns: the report to print (or serve) and how the command ends.
pub type CmdResult = Result<(crate::report::Report, Outcome), CliError>;
