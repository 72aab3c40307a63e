//! One module per subcommand: flag definitions, resolution into engine inputs, the report.

pub mod convert;
pub mod history;
pub mod machine;
pub mod run;
pub mod swu;

use crate::error::CliError;

/// Turns an I/O error while printing into an input/output failure (exit 2).
pub(crate) fn printed(r: std::io::Result<()>) -> Result<(), CliError> {
    r.map_err(|e| CliError::Input(format!("could not write the output: {e}")))
}
