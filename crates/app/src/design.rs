//! Reading a deal design space (`data/design/*.toml`): the levers of a deal, each with the values
//! it may take from the most to the least restrictive, for `breakout deal design`.
//!
//! The format is documented in `docs/deal-design.md`. A numeric lever is a range and a step
//! (`min`, `max`, `step`) or, for the enrichment cap, a list of values; every lever carries its
//! `source`. Errors name the file, line and field; command-line overrides
//! ([`DesignSpace::override_with`]) name the flag.

use std::ops::Range;

use serde::Deserialize;
use toml::Spanned;

use crate::data::{Source, located, parse_toml};
use crate::error::AppError;
use crate::limits::{MAX_DESIGN_GRID, MAX_LEVER_VALUES};

/// The bundled design space: (id, file contents).
pub const BUNDLED: (&str, &str) = ("iran-2025", include_str!("../../../data/design/2025.toml"));

/// How the enriched-stock cap is counted: kg of UF6 (or the equivalent), or kg U.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum StockForm {
    /// kg UF6, as the JCPOA counts its 300 kg.
    #[serde(rename = "UF6")]
    Uf6,
    /// kg U.
    #[serde(rename = "U")]
    U,
}

/// What becomes of the machines a deal does not allow to enrich.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Fate {
    /// Destroyed or removed from the country: nothing to reinstall if the deal is broken.
    Destroyed,
    /// Stored under seal in the country: reinstalled if the deal is broken.
    Stored,
}

impl Fate {
    /// The name used in files, flags and JSON.
    pub fn name(self) -> &'static str {
        match self {
            Fate::Destroyed => "destroyed",
            Fate::Stored => "stored",
        }
    }

    fn parse(s: &str) -> Result<Self, String> {
        match s {
            "destroyed" => Ok(Fate::Destroyed),
            "stored" => Ok(Fate::Stored),
            other => Err(format!(
                "`{other}` is not a fate: expected `destroyed` or `stored`"
            )),
        }
    }
}

/// Machines of one type allowed to enrich at one site: the values of the cap.
#[derive(Debug, Clone, PartialEq)]
pub struct MachineLever {
    /// Site id of the base state.
    pub site: String,
    /// Machine type id.
    pub machine: String,
    /// Machines allowed to enrich, increasing.
    pub values: Vec<u32>,
    /// Where the range comes from.
    pub source: String,
}

/// A deal design space: every lever and its values, from the most to the least restrictive.
#[derive(Debug, Clone, PartialEq)]
pub struct DesignSpace {
    /// Id.
    pub id: String,
    /// Title.
    pub name: String,
    /// What the space covers.
    pub summary: String,
    /// Where the space's levers come from.
    pub source: String,
    /// The facility state the deals' limits apply to.
    pub base_state: String,
    /// Term of every limit, years (fixed: not searched).
    pub sunset_years: u32,
    /// Where the term comes from.
    pub sunset_source: String,
    /// Enrichment caps, wt-% U-235, increasing; 0 means no enrichment.
    pub caps_wt_pct: Vec<f64>,
    /// Where the caps come from.
    pub caps_source: String,
    /// How the stock cap is counted.
    pub stock_form: StockForm,
    /// Enriched-stock caps, kg of `stock_form`, increasing.
    pub stock_caps_kg: Vec<f64>,
    /// Where the stock caps come from.
    pub stock_source: String,
    /// Machines allowed to enrich, per site and type.
    pub machines: Vec<MachineLever>,
    /// What becomes of the rest, from the most to the least restrictive.
    pub fates: Vec<Fate>,
    /// Where the fates come from.
    pub fates_source: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DesignFile {
    schema_version: Spanned<u32>,
    id: String,
    name: String,
    summary: String,
    source: String,
    base_state: String,
    sunset: SunsetRecord,
    enrichment_cap: CapRecord,
    stock_cap: Spanned<StockRecord>,
    machines: Vec<Spanned<MachineRecord>>,
    excess: Spanned<ExcessRecord>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SunsetRecord {
    years: u32,
    source: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CapRecord {
    values_wt_pct: Spanned<Vec<f64>>,
    source: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct StockRecord {
    form: String,
    min_kg: f64,
    max_kg: f64,
    step_kg: f64,
    source: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct MachineRecord {
    site: String,
    machine: String,
    min: u32,
    max: u32,
    step: u32,
    source: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ExcessRecord {
    fates: Vec<String>,
    source: String,
}

/// The values `min`, `min + step`, … up to `max` (within a millionth of a step), bounded.
///
/// # Errors
/// A message naming `field` if the range is empty, the step not positive, or the values too many.
pub fn range(field: &str, min: f64, max: f64, step: f64) -> Result<Vec<f64>, String> {
    if !(min.is_finite() && max.is_finite() && step.is_finite()) || step <= 0.0 || max < min {
        return Err(format!(
            "{field}: range {min}..{max} step {step}: expected finite numbers with min ≤ max and step > 0"
        ));
    }
    let n = ((max - min) / step + 1e-6).floor() + 1.0;
    if n > MAX_LEVER_VALUES as f64 {
        return Err(format!(
            "{field}: range {min}..{max} step {step} has {n} values, more than the maximum of {MAX_LEVER_VALUES}"
        ));
    }
    Ok((0..n as usize).map(|i| min + step * i as f64).collect())
}

fn increasing(field: &str, values: &[f64], lo: f64, hi: f64, unit: &str) -> Result<(), String> {
    if values.is_empty() {
        return Err(format!("{field}: expected at least one value"));
    }
    if values.len() > MAX_LEVER_VALUES {
        return Err(format!(
            "{field}: {} values, more than the maximum of {MAX_LEVER_VALUES}",
            values.len()
        ));
    }
    if let Some(v) = values.iter().find(|v| !(lo..=hi).contains(*v)) {
        return Err(format!("{field}: {v} is not between {lo} and {hi} {unit}"));
    }
    if let Some(w) = values.windows(2).find(|w| w[1] <= w[0]) {
        return Err(format!(
            "{field}: {} then {}: expected values increasing from the most to the least restrictive",
            w[0], w[1]
        ));
    }
    Ok(())
}

fn fates(field: &str, names: &[String]) -> Result<Vec<Fate>, String> {
    let f = names
        .iter()
        .map(|n| Fate::parse(n).map_err(|e| format!("{field}: {e}")))
        .collect::<Result<Vec<_>, _>>()?;
    if f.is_empty() || f.windows(2).any(|w| w[1] <= w[0]) {
        return Err(format!(
            "{field}: {names:?}: expected one or both of `destroyed`, `stored`, in that order (the most restrictive first)"
        ));
    }
    Ok(f)
}

fn stock_form(s: &str) -> Result<StockForm, String> {
    match s {
        "UF6" => Ok(StockForm::Uf6),
        "U" => Ok(StockForm::U),
        other => Err(format!(
            "stock_cap.form: `{other}` is not a form: expected `UF6` (kg UF6 or the equivalent) or `U` (kg U)"
        )),
    }
}

/// The JCPOA's own limits as levers of a design space: 3.67 wt-% [S2], [S4]; 300 kg UF6, i.e.
/// 202.8 kg U [S4], [S14]; 5,060 IR-1 enriching at Natanz FEP [S1], [S4]; no other machine
/// enriching (no IR-2m, no enrichment at Fordow [S1], [S2], [S5]); the rest stored under seal
/// (Natanz Hall B [S1], [D37]). Tags: iran-program.md §8.
pub mod jcpoa {
    /// Enrichment cap, wt-% U-235.
    pub const CAP_WT_PCT: f64 = 3.67;
    /// Enriched-stock cap, kg UF6.
    pub const STOCK_KG_UF6: f64 = 300.0;
    /// The same cap, kg U.
    pub const STOCK_KG_U: f64 = 202.8;
    /// The one machine lever the JCPOA sets above zero: (site, type, machines enriching).
    pub const MACHINES: (&str, &str, u32) = ("fep", "IR-1", 5060);
}

impl DesignSpace {
    /// Candidate deals in the space: the product of every lever's number of values.
    pub fn grid_size(&self) -> u64 {
        self.dims().iter().map(|&n| n as u64).product()
    }

    /// The number of values of each lever, in the order of a candidate's indices: enrichment
    /// cap, stock cap, each machine lever, fate.
    pub fn dims(&self) -> Vec<usize> {
        let mut d = vec![self.caps_wt_pct.len(), self.stock_caps_kg.len()];
        d.extend(self.machines.iter().map(|m| m.values.len()));
        d.push(self.fates.len());
        d
    }

    /// The candidate (value indices, as [`DesignSpace::dims`]) with the JCPOA's own limits
    /// ([`jcpoa`]), if every one of them is a value of its lever: the cap, the stock cap in the
    /// space's form, 5,060 IR-1 at FEP, 0 on every other machine lever, the rest stored.
    pub fn jcpoa_candidate(&self) -> Option<Vec<usize>> {
        let near = |a: f64, b: f64| (a - b).abs() < 1e-9;
        let stock = match self.stock_form {
            StockForm::Uf6 => jcpoa::STOCK_KG_UF6,
            StockForm::U => jcpoa::STOCK_KG_U,
        };
        let mut c = vec![
            self.caps_wt_pct
                .iter()
                .position(|&v| near(v, jcpoa::CAP_WT_PCT))?,
            self.stock_caps_kg.iter().position(|&v| near(v, stock))?,
        ];
        let (site, machine, count) = jcpoa::MACHINES;
        // A machine type without a lever is held at 0 by the deal files: the IR-1 needs one.
        self.machines
            .iter()
            .find(|m| m.site == site && m.machine == machine)?;
        for m in &self.machines {
            let want = if m.site == site && m.machine == machine {
                count
            } else {
                0
            };
            c.push(m.values.iter().position(|&v| v == want)?);
        }
        c.push(self.fates.iter().position(|&f| f == Fate::Stored)?);
        Some(c)
    }

    fn check_grid(&self) -> Result<(), String> {
        let n = self.grid_size();
        if n > MAX_DESIGN_GRID {
            return Err(format!(
                "the design space has {n} candidate deals, more than the maximum of {MAX_DESIGN_GRID}: use fewer values or larger steps"
            ));
        }
        Ok(())
    }

    /// Applies command-line overrides: `caps` replaces the enrichment caps, `stock` the stock
    /// range (`MIN..MAX:STEP`, kg of the file's form), each of `machines` one machine lever
    /// (`SITE:TYPE=MIN..MAX:STEP`, added if the file has none for that site and type), `fates`
    /// the fates.
    ///
    /// # Errors
    /// [`AppError::Usage`] naming the flag, the value and what was expected.
    pub fn override_with(
        &mut self,
        caps: Option<&[f64]>,
        stock: Option<&str>,
        machines: &[String],
        fates_arg: Option<&[String]>,
    ) -> Result<(), AppError> {
        let usage = AppError::Usage;
        if let Some(c) = caps {
            increasing("--cap-wt-pct", c, 0.0, 99.999, "wt-%").map_err(usage)?;
            self.caps_wt_pct = c.to_vec();
            self.caps_source = "command line (--cap-wt-pct)".into();
        }
        if let Some(s) = stock {
            self.stock_caps_kg = parse_range("--stock-cap-kg", s)?;
            self.stock_source = "command line (--stock-cap-kg)".into();
        }
        for m in machines {
            let expected = "expected SITE:TYPE=MIN..MAX:STEP, e.g. fep:IR-1=0..6072:1012";
            let (what, r) = m
                .split_once('=')
                .ok_or_else(|| usage(format!("--machines `{m}`: {expected}")))?;
            let (site, machine) = what
                .split_once(':')
                .ok_or_else(|| usage(format!("--machines `{m}`: {expected}")))?;
            let values = parse_range("--machines", r)?;
            if values
                .iter()
                .any(|v| v.fract() != 0.0 || *v > f64::from(u32::MAX))
            {
                return Err(usage(format!(
                    "--machines `{m}`: machine counts must be whole numbers"
                )));
            }
            let lever = MachineLever {
                site: site.trim().to_string(),
                machine: machine.trim().to_string(),
                values: values.iter().map(|v| *v as u32).collect(),
                source: "command line (--machines)".into(),
            };
            match self.machines.iter_mut().find(|l| {
                l.site.eq_ignore_ascii_case(&lever.site)
                    && l.machine.eq_ignore_ascii_case(&lever.machine)
            }) {
                Some(l) => *l = lever,
                None => self.machines.push(lever),
            }
        }
        if let Some(f) = fates_arg {
            self.fates = fates("--fates", f).map_err(usage)?;
            self.fates_source = "command line (--fates)".into();
        }
        self.check_grid().map_err(usage)
    }
}

/// Parses `MIN..MAX:STEP` (or a single value) into its values.
fn parse_range(flag: &str, s: &str) -> Result<Vec<f64>, AppError> {
    let expected = "expected MIN..MAX:STEP (e.g. 0..1200:100) or one value";
    let num = |t: &str| {
        t.trim().parse::<f64>().map_err(|_| {
            AppError::Usage(format!("{flag} `{s}`: `{t}` is not a number: {expected}"))
        })
    };
    let values = match s.split_once("..") {
        None => vec![num(s)?],
        Some((lo, rest)) => {
            let (hi, step) = rest
                .split_once(':')
                .ok_or_else(|| AppError::Usage(format!("{flag} `{s}`: no step: {expected}")))?;
            range(flag, num(lo)?, num(hi)?, num(step)?).map_err(AppError::Usage)?
        }
    };
    if values.iter().any(|v| *v < 0.0) {
        return Err(AppError::Usage(format!(
            "{flag} `{s}`: expected values ≥ 0"
        )));
    }
    Ok(values)
}

/// Reads a design space from TOML text.
///
/// # Errors
/// [`AppError::Input`] with file, line and column, naming the field and what was expected.
pub fn design_from_toml(text: &str, file: &str) -> Result<DesignSpace, AppError> {
    let raw: DesignFile = parse_toml(text, file)?;
    let err = |span: Range<usize>, message: String| {
        AppError::Input(located(text, file, Some(span), &message))
    };
    Source { text, file }.schema_version(&raw.schema_version)?;
    let cap = raw.enrichment_cap;
    let cap_span = cap.values_wt_pct.span();
    let caps_wt_pct = cap.values_wt_pct.into_inner();
    increasing(
        "enrichment_cap.values_wt_pct",
        &caps_wt_pct,
        0.0,
        99.999,
        "wt-%",
    )
    .map_err(|e| err(cap_span, e))?;
    let stock_span = raw.stock_cap.span();
    let stock = raw.stock_cap.into_inner();
    let form = stock_form(&stock.form).map_err(|e| err(stock_span.clone(), e))?;
    let stock_caps_kg = range("stock_cap", stock.min_kg, stock.max_kg, stock.step_kg)
        .and_then(|v| {
            if stock.min_kg < 0.0 {
                Err("stock_cap.min_kg: expected ≥ 0 kg".to_string())
            } else {
                Ok(v)
            }
        })
        .map_err(|e| err(stock_span, e))?;
    let mut machines = Vec::new();
    for m in raw.machines {
        let span = m.span();
        let m = m.into_inner();
        let field = format!("machines ({} at {})", m.machine, m.site);
        let values = range(
            &field,
            f64::from(m.min),
            f64::from(m.max),
            f64::from(m.step),
        )
        .map_err(|e| err(span.clone(), e))?;
        if machines
            .iter()
            .any(|l: &MachineLever| l.site == m.site && l.machine == m.machine)
        {
            return Err(err(span, format!("{field}: given twice")));
        }
        machines.push(MachineLever {
            site: m.site,
            machine: m.machine,
            values: values.iter().map(|v| *v as u32).collect(),
            source: m.source,
        });
    }
    let excess_span = raw.excess.span();
    let excess = raw.excess.into_inner();
    let fates = fates("excess.fates", &excess.fates).map_err(|e| err(excess_span, e))?;
    let space = DesignSpace {
        id: raw.id,
        name: raw.name,
        summary: raw.summary,
        source: raw.source,
        base_state: raw.base_state,
        sunset_years: raw.sunset.years,
        sunset_source: raw.sunset.source,
        caps_wt_pct,
        caps_source: cap.source,
        stock_form: form,
        stock_caps_kg,
        stock_source: stock.source,
        machines,
        fates,
        fates_source: excess.source,
    };
    space
        .check_grid()
        .map_err(|e| AppError::Input(format!("{file}: {e}")))?;
    Ok(space)
}

/// The bundled design space by id, or a design file by path.
///
/// # Errors
/// [`AppError::Input`] for a path that cannot be read or a malformed file.
pub fn load(name_or_path: &str) -> Result<DesignSpace, AppError> {
    let (id, text) = BUNDLED;
    if name_or_path.eq_ignore_ascii_case(id) {
        return design_from_toml(text, "data/design/2025.toml");
    }
    match std::fs::read_to_string(name_or_path) {
        Ok(t) => design_from_toml(&t, name_or_path),
        Err(e) => Err(AppError::Input(format!(
            "`{name_or_path}` is neither the bundled design space ({id}) nor a readable file: {e}"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_space_has_the_jcpoa_values_and_ten_thousand_candidates() {
        let s = load(BUNDLED.0).unwrap();
        assert!(s.grid_size() >= 10_000, "{}", s.grid_size());
        assert_eq!(s.caps_wt_pct[..2], [0.0, 3.67]);
        assert!(s.stock_caps_kg.iter().any(|v| (v - 300.0).abs() < 1e-9));
        assert_eq!(s.stock_form, StockForm::Uf6);
        let ir1 = s.machines.iter().find(|m| m.machine == "IR-1").unwrap();
        assert!(ir1.values.contains(&5060));
        assert_eq!(s.fates, vec![Fate::Destroyed, Fate::Stored]);
    }

    #[test]
    fn the_jcpoa_candidate_is_found_only_where_every_limit_is_a_value() {
        let s = load(BUNDLED.0).unwrap();
        // 3.67 is the 2nd cap, 300 kg the 4th stock value, 5,060 the 6th IR-1 value, stored the 2nd fate.
        assert_eq!(s.jcpoa_candidate(), Some(vec![1, 3, 5, 0, 0, 1]));
        // (caps, stock, machines, fates): each override takes one JCPOA value out of the space.
        type Case<'a> = (
            Option<&'a str>,
            Option<&'a str>,
            &'a [&'a str],
            Option<&'a [String]>,
        );
        let destroyed = ["destroyed".to_string()];
        let cases: [Case; 4] = [
            (Some("0,5"), None, &[], None),
            (None, Some("0..1200:200"), &[], None),
            (None, None, &["fep:IR-2m=870..1740:870"], None),
            (None, None, &[], Some(&destroyed)),
        ];
        for (caps, stock, machines, fates) in cases {
            let mut t = s.clone();
            let caps: Option<Vec<f64>> =
                caps.map(|c| c.split(',').map(|v| v.parse().unwrap()).collect());
            let machines: Vec<String> = machines.iter().map(|m| m.to_string()).collect();
            t.override_with(caps.as_deref(), stock, &machines, fates)
                .unwrap();
            assert_eq!(
                t.jcpoa_candidate(),
                None,
                "{caps:?} {stock:?} {machines:?} {fates:?}"
            );
        }
    }

    #[test]
    fn ranges_include_both_ends_and_refuse_bad_steps() {
        assert_eq!(range("x", 0.0, 1200.0, 100.0).unwrap().len(), 13);
        assert_eq!(
            range("x", 0.0, 6072.0, 1012.0).unwrap()[4..6],
            [4048.0, 5060.0]
        );
        assert_eq!(range("x", 5.0, 5.0, 1.0).unwrap(), vec![5.0]);
        for (lo, hi, step) in [(0.0, 1.0, 0.0), (2.0, 1.0, 1.0), (0.0, f64::NAN, 1.0)] {
            assert!(range("x", lo, hi, step).is_err());
        }
        assert!(range("x", 0.0, 1e9, 1.0).unwrap_err().contains("maximum"));
    }

    /// Each problem names its field, the value and what was expected, at its line.
    #[test]
    fn malformed_spaces_get_located_errors() {
        let text = BUNDLED.1;
        for (from, to, wanted) in [
            (
                "values_wt_pct = [0.0, 3.67,",
                "values_wt_pct = [3.67, 0.0,",
                "d.toml:18:",
            ),
            ("form = \"UF6\"", "form = \"UF4\"", "expected `UF6`"),
            ("step_kg = 100.0", "step_kg = 0.0", "step > 0"),
            (
                "fates = [\"destroyed\", \"stored\"]",
                "fates = [\"stored\", \"destroyed\"]",
                "in that order",
            ),
            (
                "fates = [\"destroyed\", \"stored\"]",
                "fates = [\"melted\"]",
                "`melted` is not a fate",
            ),
            ("schema_version = 1", "schema_version = 2", "expected 1"),
            ("years = 15", "years = 15\nmonths = 2", "unknown field"),
        ] {
            assert!(text.contains(from), "{from}");
            let e = design_from_toml(&text.replacen(from, to, 1), "d.toml")
                .unwrap_err()
                .to_string();
            assert!(e.contains(wanted) && e.contains("d.toml:"), "{from}: {e}");
        }
    }

    #[test]
    fn overrides_replace_levers_and_name_the_flag() {
        let mut s = load(BUNDLED.0).unwrap();
        s.override_with(
            Some(&[0.0, 3.67]),
            Some("0..300:100"),
            &[
                "fep:IR-1=0..5060:1012".into(),
                "pfep:IR-6=0..338:338".into(),
            ],
            Some(&["stored".into()]),
        )
        .unwrap();
        assert_eq!(s.caps_wt_pct, vec![0.0, 3.67]);
        assert_eq!(s.stock_caps_kg, vec![0.0, 100.0, 200.0, 300.0]);
        assert_eq!(s.machines[0].values.last(), Some(&5060));
        assert_eq!(s.machines.len(), 4);
        assert_eq!(s.fates, vec![Fate::Stored]);
        for (caps, stock, machines, wanted) in [
            (Some(&[3.67, 0.0][..]), None, vec![], "--cap-wt-pct"),
            (None, Some("0..300"), vec![], "--stock-cap-kg"),
            (None, None, vec!["fep=0..1:1".to_string()], "--machines"),
            (None, Some("0..1e6:1"), vec![], "maximum"),
        ] {
            let e = load(BUNDLED.0)
                .unwrap()
                .override_with(caps, stock, &machines, None)
                .unwrap_err()
                .to_string();
            assert!(e.contains(wanted), "{e}");
        }
    }
}
