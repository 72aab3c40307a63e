//! One module per subcommand: flag definitions, resolution into engine inputs, the report.

pub mod cascade;
pub mod convert;
pub mod deal;
pub mod floor;
pub mod history;
pub mod machine;
pub mod report;
pub mod run;
pub mod safeguards;
pub mod swu;

use enrich::Isotope;

use crate::error::CliError;

/// Parses `U234=0.0054,U235=0.72` (percent, U-238 the balance) into fractions; the caller
/// says whether they are at-% or wt-%.
pub(crate) fn parse_composition_pct(s: &str) -> Result<Vec<(Isotope, f64)>, CliError> {
    s.split(',')
        .filter(|p| !p.trim().is_empty())
        .map(|part| {
            let (iso, pct) = part.split_once('=').ok_or_else(|| {
                CliError::Input(format!(
                    "`{part}` in `{s}` is not ISOTOPE=PERCENT, e.g. U235=0.72"
                ))
            })?;
            let iso: Isotope = iso.parse()?;
            let pct: f64 = pct.trim().parse().map_err(|_| {
                CliError::Input(format!("`{pct}` for {iso} in `{s}` is not a percentage"))
            })?;
            Ok((iso, pct / 100.0))
        })
        .collect()
}
