//! TOML input files of `breakout safeguards`: a material balance (error groups and strata) and
//! the instrument uncertainties of the plant generator. Parsing, unknown-field rejection and
//! name resolution happen here; every error carries the file, line and column.

use std::ops::Range;
use std::path::Path;

use serde::Deserialize;
use toml::Spanned;

use safeguards::balance::{Balance, ErrorGroup, ErrorSource, Measures, Role, Stratum};
use safeguards::plant::{Instruments, Rsd};

use crate::error::AppError;

/// `file:line:column` of a byte offset.
fn position(file: &str, text: &str, span: &Range<usize>) -> String {
    let upto = &text[..span.start.min(text.len())];
    let line = upto.matches('\n').count() + 1;
    let col = upto.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    format!("{file}:{line}:{col}")
}

fn parse<T: for<'de> Deserialize<'de>>(file: &str, text: &str) -> Result<T, AppError> {
    toml::from_str(text).map_err(|e| {
        let at = e
            .span()
            .map_or_else(|| file.to_string(), |s| position(file, text, &s));
        AppError::Input(format!(
            "{at}: {}",
            crate::data::clipped(e.message().trim(), crate::limits::MAX_EXCERPT_CHARS)
        ))
    })
}

/// Reads a file to a string with a clear error.
pub fn read(path: &Path) -> Result<String, AppError> {
    crate::data::read_input_file(&path.to_string_lossy())
        .map_err(|e| AppError::Input(format!("cannot read `{}`: {e}", path.display())))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct BalanceFile {
    /// What the balance describes and where its numbers come from.
    #[allow(dead_code)]
    description: Option<String>,
    /// Provenance of the numbers.
    #[allow(dead_code)]
    source: Option<String>,
    periods: Spanned<usize>,
    #[serde(rename = "group")]
    groups: Vec<GroupEntry>,
    #[serde(rename = "stratum")]
    strata: Vec<StratumEntry>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct GroupEntry {
    name: Spanned<String>,
    random_rsd_pct: Spanned<f64>,
    systematic_rsd_pct: Spanned<f64>,
    #[serde(default)]
    recalibrated_each_period: bool,
    #[allow(dead_code)]
    source: Option<String>,
}

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(rename_all = "snake_case")]
enum RoleEntry {
    Receipt,
    Shipment,
    Inventory,
}

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(rename_all = "snake_case")]
enum MeasuresEntry {
    Mass,
    Concentration,
    Enrichment,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SourceEntry {
    group: Spanned<String>,
    measures: MeasuresEntry,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct StratumEntry {
    name: Spanned<String>,
    role: RoleEntry,
    /// Receipt/shipment: the 1-based period; inventory: taken after this period (0 = opening).
    period: Spanned<usize>,
    wt_pct: Spanned<f64>,
    items_kg_u: Option<Spanned<Vec<f64>>>,
    item_count: Option<usize>,
    item_kg_u: Option<Spanned<f64>>,
    errors: Vec<SourceEntry>,
}

/// Loads and validates a balance file.
///
/// # Errors
/// [`AppError::Input`] with `file:line:column` for syntax errors, unknown fields or values,
/// names of undefined error groups, negative masses or relative s.d., and periods outside the
/// sequence.
pub fn load_balance(path: &Path) -> Result<Balance, AppError> {
    let text = read(path)?;
    let file = path.display().to_string();
    let f: BalanceFile = parse(&file, &text)?;
    let at = |s: Range<usize>| position(&file, &text, &s);
    let n = *f.periods.get_ref();
    let mut groups = Vec::new();
    for g in &f.groups {
        for (what, v) in [
            ("random_rsd_pct", &g.random_rsd_pct),
            ("systematic_rsd_pct", &g.systematic_rsd_pct),
        ] {
            let x = *v.get_ref();
            if !(x.is_finite() && (0.0..100.0).contains(&x)) {
                return Err(AppError::Input(format!(
                    "{}: {what} = {x} is out of range: expected a relative standard deviation in % (0 ≤ value < 100)",
                    at(v.span())
                )));
            }
        }
        if groups
            .iter()
            .any(|e: &ErrorGroup| e.name == *g.name.get_ref())
        {
            return Err(AppError::Input(format!(
                "{}: error group `{}` is defined twice",
                at(g.name.span()),
                g.name.get_ref()
            )));
        }
        groups.push(ErrorGroup {
            name: g.name.get_ref().clone(),
            random_rsd: g.random_rsd_pct.get_ref() / 100.0,
            systematic_rsd: g.systematic_rsd_pct.get_ref() / 100.0,
            recalibrated_each_period: g.recalibrated_each_period,
        });
    }
    let known = groups
        .iter()
        .map(|g| format!("`{}`", g.name))
        .collect::<Vec<_>>()
        .join(", ");
    let mut strata = Vec::new();
    for s in &f.strata {
        let name = s.name.get_ref().clone();
        let items = match (&s.items_kg_u, s.item_count, &s.item_kg_u) {
            (Some(list), None, None) => list.get_ref().clone(),
            (None, Some(c), Some(kg)) if c > 0 => vec![*kg.get_ref(); c],
            _ => {
                return Err(AppError::Input(format!(
                    "{}: stratum `{name}`: give either items_kg_u = [..] or item_count (≥ 1) with item_kg_u",
                    at(s.name.span())
                )));
            }
        };
        if let Some((k, x)) = items
            .iter()
            .enumerate()
            .find(|(_, x)| !(x.is_finite() && **x >= 0.0))
        {
            let span = s
                .items_kg_u
                .as_ref()
                .map(|l| l.span())
                .or(s.item_kg_u.as_ref().map(|v| v.span()));
            return Err(AppError::Input(format!(
                "{}: item {} of stratum `{name}` = {x} kg U: expected a non-negative mass",
                at(span.unwrap_or(s.name.span())),
                k + 1
            )));
        }
        let p = *s.period.get_ref();
        let (role, lo) = match s.role {
            RoleEntry::Receipt => (Role::Receipt { period: p }, 1),
            RoleEntry::Shipment => (Role::Shipment { period: p }, 1),
            RoleEntry::Inventory => (Role::Inventory { after_period: p }, 0),
        };
        if p < lo || p > n {
            return Err(AppError::Input(format!(
                "{}: period = {p} of stratum `{name}`: expected {lo} to {n} (periods = {n})",
                at(s.period.span())
            )));
        }
        let mut errors = Vec::new();
        for e in &s.errors {
            let Some(group) = groups.iter().position(|g| g.name == *e.group.get_ref()) else {
                return Err(AppError::Input(format!(
                    "{}: stratum `{name}` names unknown error group `{}`: expected one of {known}",
                    at(e.group.span()),
                    e.group.get_ref()
                )));
            };
            let measures = match e.measures {
                MeasuresEntry::Mass => Measures::Mass,
                MeasuresEntry::Concentration => Measures::Concentration,
                MeasuresEntry::Enrichment => Measures::Enrichment,
            };
            errors.push(ErrorSource { group, measures });
        }
        let wt = *s.wt_pct.get_ref();
        if !(wt.is_finite() && wt > 0.0 && wt <= 100.0) {
            return Err(AppError::Input(format!(
                "{}: wt_pct = {wt} of stratum `{name}`: expected an assay in wt-% U-235 (0 < value ≤ 100)",
                at(s.wt_pct.span())
            )));
        }
        strata.push(Stratum {
            name,
            role,
            items_kg_u: items,
            wt_pct: wt,
            errors,
        });
    }
    Balance::new(n, groups, strata)
        .map_err(|e| AppError::Input(format!("{}: {e}", at(f.periods.span()))))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RsdEntry {
    random_rsd_pct: f64,
    systematic_rsd_pct: f64,
    source: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct InstrumentsFile {
    #[allow(dead_code)]
    description: String,
    #[allow(dead_code)]
    status: String,
    recalibrated_each_period: bool,
    weighing: RsdEntry,
    u_factor: RsdEntry,
    enrichment_feed: RsdEntry,
    enrichment_product: RsdEntry,
    enrichment_tails: RsdEntry,
}

/// The bundled illustrative instrument uncertainties (`data/safeguards/illustrative-uncertainties.toml`).
pub const BUNDLED_INSTRUMENTS: &str =
    include_str!("../../../../../data/safeguards/illustrative-uncertainties.toml");

/// Parses an instruments file (the bundled one when `path` is None); returns the instruments
/// and the source line of each entry.
///
/// # Errors
/// [`AppError::Input`] with file, line and column for syntax errors or unknown fields, and for
/// relative s.d. outside 0..100 %.
pub fn load_instruments(path: Option<&Path>) -> Result<(Instruments, Vec<String>), AppError> {
    let (file, text) = match path {
        Some(p) => (p.display().to_string(), read(p)?),
        None => (
            "data/safeguards/illustrative-uncertainties.toml (bundled)".to_string(),
            BUNDLED_INSTRUMENTS.to_string(),
        ),
    };
    let f: InstrumentsFile = parse(&file, &text)?;
    let mut sources = Vec::new();
    let mut rsd = |what: &str, e: &RsdEntry| -> Result<Rsd, AppError> {
        for (k, v) in [
            ("random_rsd_pct", e.random_rsd_pct),
            ("systematic_rsd_pct", e.systematic_rsd_pct),
        ] {
            if !(v.is_finite() && (0.0..100.0).contains(&v)) {
                return Err(AppError::Input(format!(
                    "{file}: {what}.{k} = {v}: expected a relative standard deviation in % (0 ≤ value < 100)"
                )));
            }
        }
        sources.push(format!("{what}: {}", e.source));
        Ok(Rsd {
            random: e.random_rsd_pct / 100.0,
            systematic: e.systematic_rsd_pct / 100.0,
        })
    };
    let instruments = Instruments {
        weighing: rsd("weighing", &f.weighing)?,
        u_factor: rsd("u_factor", &f.u_factor)?,
        enrichment_feed: rsd("enrichment_feed", &f.enrichment_feed)?,
        enrichment_product: rsd("enrichment_product", &f.enrichment_product)?,
        enrichment_tails: rsd("enrichment_tails", &f.enrichment_tails)?,
        recalibrated_each_period: f.recalibrated_each_period,
    };
    Ok((instruments, sources))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_are_one_based_lines_and_columns() {
        let t = "a = 1\nbb = 2\n";
        assert_eq!(position("f", t, &(0..1)), "f:1:1");
        assert_eq!(position("f", t, &(9..10)), "f:2:4");
    }

    #[test]
    fn bundled_instruments_parse_and_carry_sources() {
        let (i, sources) = load_instruments(None).unwrap();
        assert!(i.weighing.random > 0.0 && i.enrichment_tails.systematic > 0.0);
        assert_eq!(sources.len(), 5);
        assert!(
            sources
                .iter()
                .all(|s| s.to_lowercase().contains("illustrative")),
            "{sources:?}"
        );
    }
}
