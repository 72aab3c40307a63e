//! One module per subcommand: flag definitions, resolution into engine inputs, the report.

pub mod cascade;
pub mod convert;
pub mod deal;
pub mod floor;
pub mod history;
pub mod machine;
pub mod run;
pub mod safeguards;
pub mod swu;

use enrich::Isotope;

use crate::error::AppError;

/// Parses `U234=0.0054,U235=0.72` (percent, U-238 the balance) into fractions; the caller
/// says whether they are at-% or wt-%.
pub(crate) fn parse_composition_pct(s: &str) -> Result<Vec<(Isotope, f64)>, AppError> {
    s.split(',')
        .filter(|p| !p.trim().is_empty())
        .map(|part| {
            let (iso, pct) = part.split_once('=').ok_or_else(|| {
                AppError::Input(format!(
                    "`{part}` in `{s}` is not ISOTOPE=PERCENT, e.g. U235=0.72"
                ))
            })?;
            let iso: Isotope = iso.parse()?;
            let pct: f64 = pct.trim().parse().map_err(|_| {
                AppError::Input(format!("`{pct}` for {iso} in `{s}` is not a percentage"))
            })?;
            Ok((iso, pct / 100.0))
        })
        .collect()
}

/// Parses `KG_U@WT_PCT`.
pub(crate) fn parse_stock(s: &str) -> Result<(f64, f64), String> {
    let expected = "expected KG_U@WT_PCT, e.g. 408.6@60";
    let (kg, pct) = s
        .split_once('@')
        .ok_or_else(|| format!("`{s}` has no `@`: {expected}"))?;
    let kg: f64 = kg
        .trim()
        .parse()
        .map_err(|_| format!("`{kg}` in `{s}` is not a number of kg U: {expected}"))?;
    let pct: f64 = pct
        .trim()
        .parse()
        .map_err(|_| format!("`{pct}` in `{s}` is not an assay in wt-%: {expected}"))?;
    if !(kg.is_finite() && kg > 0.0) {
        return Err(format!("`{s}`: the mass must be > 0 kg U"));
    }
    Ok((kg, pct))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_stocks_and_explains_bad_ones() {
        assert_eq!(parse_stock("408.6@60").unwrap(), (408.6, 60.0));
        assert_eq!(parse_stock(" 5000 @ 3.67 ").unwrap(), (5000.0, 3.67));
        for (bad, needle) in [("408.6", "no `@`"), ("x@60", "`x`"), ("10@y", "`y`")] {
            let e = parse_stock(bad).unwrap_err();
            assert!(e.contains(needle) && e.contains("KG_U@WT_PCT"), "{e}");
        }
    }
}
