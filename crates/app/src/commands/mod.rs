//! One module per subcommand: flag definitions, resolution into engine inputs, the report.

pub mod cascade;
pub mod convert;
pub mod deal;
pub mod design;
pub mod floor;
pub mod history;
pub mod machine;
pub mod run;
pub mod safeguards;
pub mod sweep;
pub mod swu;

use std::fmt;
use std::str::FromStr;

use enrich::Isotope;
use serde::{Deserialize, Serialize};

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

/// A stock given as `KG_U@WT_PCT` (`--stock`, JSON `"stock": ["408.6@60"]`): one parser for
/// clap and serde, so both accept the same text and give the same error.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct StockSpec {
    /// Mass, kg U.
    pub kg_u: f64,
    /// Assay, wt-% U-235.
    pub wt_pct: f64,
}

impl FromStr for StockSpec {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        parse_stock(s).map(|(kg_u, wt_pct)| StockSpec { kg_u, wt_pct })
    }
}

impl fmt::Display for StockSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}@{}", self.kg_u, self.wt_pct)
    }
}

/// A `TYPE=NUMBER` pair (`--efficiency IR-1=0.7`, `--swu-per-machine IR-6=3.5`,
/// `--machines IR-6=1740`): the number finite and ≥ 0.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct TypeValue {
    /// Machine type id as given.
    pub id: String,
    /// The number.
    pub value: f64,
}

impl FromStr for TypeValue {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let expected = "expected TYPE=NUMBER, e.g. IR-6=1740 or IR-1=0.7";
        let (t, v) = s
            .split_once('=')
            .ok_or_else(|| format!("`{s}` has no `=`: {expected}"))?;
        let v: f64 = v
            .trim()
            .parse()
            .map_err(|_| format!("`{v}` in `{s}` is not a number: {expected}"))?;
        if !v.is_finite() || v < 0.0 {
            return Err(format!("`{s}`: the number must be finite and ≥ 0"));
        }
        Ok(TypeValue {
            id: t.trim().to_string(),
            value: v,
        })
    }
}

impl fmt::Display for TypeValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}={}", self.id, self.value)
    }
}

/// A `LO..HI` range of months (`--weaponization-months 6..18`).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct MonthRange {
    /// Low end, months.
    pub lo: f64,
    /// High end, months.
    pub hi: f64,
}

impl FromStr for MonthRange {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let expected = "expected LO..HI in months, e.g. 6..18";
        let (lo, hi) = s
            .split_once("..")
            .ok_or_else(|| format!("`{s}` has no `..`: {expected}"))?;
        let lo: f64 = lo
            .trim()
            .parse()
            .map_err(|_| format!("`{lo}`: {expected}"))?;
        let hi: f64 = hi
            .trim()
            .parse()
            .map_err(|_| format!("`{hi}`: {expected}"))?;
        Ok(MonthRange { lo, hi })
    }
}

impl fmt::Display for MonthRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}..{}", self.lo, self.hi)
    }
}

/// A comma-separated list of numbers (`--muf 3,-2,7`, `--cuts 0.5,0.5`): the text form both on
/// the command line and in JSON, so the two accept the same lists.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
#[serde(bound(serialize = "T: fmt::Display + Clone", deserialize = "T: FromStr"))]
pub struct NumList<T>(pub Vec<T>);

impl<T: FromStr> FromStr for NumList<T> {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        s.split(',')
            .map(|part| {
                part.trim().parse().map_err(|_| {
                    format!("`{part}` in `{s}` is not a number: expected a comma-separated list, e.g. 3,-2,7")
                })
            })
            .collect::<Result<Vec<T>, String>>()
            .map(NumList)
    }
}

impl<T: fmt::Display> fmt::Display for NumList<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, x) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(",")?;
            }
            write!(f, "{x}")?;
        }
        Ok(())
    }
}

macro_rules! string_serde {
    ($($t:ty),* $(,)?) => {$(
        impl TryFrom<String> for $t {
            type Error = String;
            fn try_from(s: String) -> Result<Self, String> {
                s.parse()
            }
        }
        impl From<$t> for String {
            fn from(v: $t) -> String {
                v.to_string()
            }
        }
    )*};
}
string_serde!(StockSpec, TypeValue, MonthRange);

impl<T: FromStr> TryFrom<String> for NumList<T> {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        s.parse()
    }
}

impl<T: fmt::Display> From<NumList<T>> for String {
    fn from(v: NumList<T>) -> String {
        v.to_string()
    }
}

/// Refuses a request unless exactly one of `group` (flag name, given) is given: the rule clap
/// enforces on the command line, checked here too because JSON requests bypass clap.
pub(crate) fn exactly_one(group: &[(&str, bool)]) -> Result<(), crate::error::AppError> {
    let given: Vec<&str> = group.iter().filter(|(_, g)| *g).map(|(f, _)| *f).collect();
    if given.len() == 1 {
        return Ok(());
    }
    let names = group
        .iter()
        .map(|(f, _)| format!("--{}", f.replace('_', "-")))
        .collect::<Vec<_>>()
        .join(", ");
    Err(crate::error::AppError::Usage(if given.is_empty() {
        format!("give one of {names}")
    } else {
        format!("give only one of {names}: got {}", given.join(", "))
    }))
}

/// Refuses `flag` given without `needs`, or (with `conflict`) with it: clap's `requires` and
/// `conflicts_with`, for requests that do not come through clap.
pub(crate) fn check_pair(
    flag: &str,
    given: bool,
    other: &str,
    other_given: bool,
    conflict: bool,
) -> Result<(), crate::error::AppError> {
    let dash = |f: &str| format!("--{}", f.replace('_', "-"));
    if given && other_given && conflict {
        return Err(crate::error::AppError::Usage(format!(
            "{} cannot be used with {}",
            dash(flag),
            dash(other)
        )));
    }
    if given && !other_given && !conflict {
        return Err(crate::error::AppError::Usage(format!(
            "{} requires {}",
            dash(flag),
            dash(other)
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each text type reads back what it writes, the same through serde and `FromStr`, and a
    /// bad value is the same error either way.
    #[test]
    fn text_types_round_trip() {
        let s: StockSpec = serde_json::from_str(r#""408.6@60""#).unwrap();
        assert_eq!(s, "408.6@60".parse().unwrap());
        assert_eq!(serde_json::to_string(&s).unwrap(), r#""408.6@60""#);
        let t: TypeValue = serde_json::from_str(r#""IR-6=3.5""#).unwrap();
        assert_eq!(t.to_string(), "IR-6=3.5");
        let m: MonthRange = serde_json::from_str(r#""6..18""#).unwrap();
        assert_eq!(m.to_string(), "6..18");
        let l: NumList<f64> = serde_json::from_str(r#""3,-2,7.5""#).unwrap();
        assert_eq!(l.0, vec![3.0, -2.0, 7.5]);
        assert_eq!(l.to_string(), "3,-2,7.5");
        let e = serde_json::from_str::<TypeValue>(r#""IR-6=-1""#)
            .unwrap_err()
            .to_string();
        assert!(
            e.contains(&"IR-6=-1".parse::<TypeValue>().unwrap_err()),
            "{e}"
        );
        assert!(serde_json::from_str::<NumList<u32>>(r#""1,x""#).is_err());
        assert!(serde_json::from_str::<StockSpec>("408.6").is_err());
    }

    /// Requests read from JSON skip clap's groups and pairings: each broken rule is a usage
    /// error naming the flags, never a panic or a silent choice.
    #[test]
    fn json_requests_get_clap_rules_as_errors() {
        for (json, needle) in [
            (
                r#"{"cascade": {"command": {"marc": {}}}}"#,
                "--product-at-pct",
            ),
            (
                r#"{"cascade": {"command": {"design": {"product_wt_pct": 90}}}}"#,
                "--machines",
            ),
            (
                r#"{"cascade": {"command": {"run": {"stages": 3}}}}"#,
                "--feed-stage",
            ),
            (
                r#"{"cascade": {"command": {"run": {"cascade": "ir6-174", "cut": 0.5, "cuts": "0.5,0.5"}}}}"#,
                "--cut",
            ),
            (
                r#"{"swu": {"product_wt_pct": 90, "tails_wt_pct": 0.3, "swu": 1, "feed_kg_u": 1}}"#,
                "only one",
            ),
            (
                r#"{"swu": {"command": {"cost": {"product_wt_pct": 4, "usd_per_swu": 100}}}}"#,
                "--feed-usd-per-kg-u",
            ),
            (
                r#"{"convert": {"value": 1, "unit": "kg-u", "to": "kg-uf6"}}"#,
                "--wt-pct",
            ),
            (
                r#"{"safeguards": {"command": {"sequence": {"muf": "1,2", "seed": 3}}}}"#,
                "--seed requires --loss-kg",
            ),
            (r#"{"run": {"seed": 3}}"#, "--seed requires --samples"),
        ] {
            let request: crate::Request = serde_json::from_str(json).unwrap();
            match crate::execute(request) {
                Err(crate::AppError::Usage(m)) => assert!(m.contains(needle), "{json}: {m}"),
                other => panic!("{json}: {:?}", other.map(|(d, _)| d.to_json())),
            }
        }
    }

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
