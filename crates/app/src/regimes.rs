//! Verification regime files (`data/regimes/*.toml`): what inspectors could see, when, and how
//! often, read into the safeguards crate's detection model.
//!
//! Schema: `data/regimes/README.md`. Unknown keys are rejected with file, line and column; a value
//! the model refuses (an interval out of range, a probability that is neither 0 nor in
//! [0.001, 1], a covert-plant probability above the declared-misuse one) is reported at its line
//! with the field's name; every measure carries a `source` whose `[TAG]`s resolve in the file's
//! `[sources]`, and an `assumption` where a figure is not published. A measure gives its
//! stock-diversion probability either directly or as a material balance (`[measure.balance]`),
//! turned into a probability by the one-balance test of `safeguards::detection`.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use breakout::date::Date;
use safeguards::detection::{Sided, detection_probability};
use safeguards::verification::{self, Measure};
use serde::Deserialize;
use toml::Spanned;

use crate::data::{Source, parse_toml};
use crate::error::AppError;
use crate::states::check_tags;

/// The bundled regimes: (id, file text), the dated ones in the order they came into force.
pub const BUNDLED: [(&str, &str); 5] = [
    ("jcpoa", include_str!("../../../data/regimes/jcpoa.toml")),
    (
        "safeguards-only-2021",
        include_str!("../../../data/regimes/safeguards-only-2021.toml"),
    ),
    (
        "cameras-removed-2022",
        include_str!("../../../data/regimes/cameras-removed-2022.toml"),
    ),
    (
        "no-access-2025",
        include_str!("../../../data/regimes/no-access-2025.toml"),
    ),
    ("none", include_str!("../../../data/regimes/none.toml")),
];

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RegimeFile {
    schema_version: Spanned<u32>,
    id: String,
    title: String,
    in_force_from: Option<Spanned<String>>,
    description: String,
    reporting_delay_days: Spanned<f64>,
    reporting_delay_source: Option<Spanned<String>>,
    reporting_delay_assumption: Option<String>,
    sources: BTreeMap<String, String>,
    #[serde(rename = "measure", default)]
    measures: Vec<MeasureRecord>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct MeasureRecord {
    id: Spanned<String>,
    name: String,
    interval_days: Spanned<f64>,
    p_declared_misuse: Spanned<f64>,
    p_stock_diversion: Option<Spanned<f64>>,
    p_covert_plant: Spanned<f64>,
    balance: Option<Spanned<BalanceRecord>>,
    source: Spanned<String>,
    assumption: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct BalanceRecord {
    loss_kg_u235: f64,
    sigma_muf_kg_u235: f64,
    false_alarm: f64,
}

/// One measure of a regime, as read.
#[derive(Debug, Clone, PartialEq)]
pub struct MeasureInfo {
    /// Id, e.g. `online-enrichment-monitor`.
    pub id: String,
    /// What it is.
    pub name: String,
    /// Days between opportunities.
    pub interval_days: f64,
    /// Probability per opportunity: declared misuse, stock diversion, covert plant.
    pub probabilities: [f64; 3],
    /// Where the measure comes from.
    pub source: String,
    /// What is assumed (intervals and probabilities that are not published).
    pub assumption: Option<String>,
}

/// A verification regime: its record and the detection model built from it.
#[derive(Debug, Clone, PartialEq)]
pub struct Regime {
    /// Id, e.g. `jcpoa`.
    pub id: String,
    /// Title.
    pub title: String,
    /// First day in force (`None`: not a dated regime, e.g. `none`).
    pub in_force_from: Option<Date>,
    /// What it is.
    pub description: String,
    /// Days from detection to the Board's knowing.
    pub reporting_delay_days: f64,
    /// Where the reporting delay comes from (source tags), if published.
    pub reporting_delay_source: Option<String>,
    /// What is assumed about it, if anything.
    pub reporting_delay_assumption: Option<String>,
    /// The source titles by tag (`V2`, `G1`) that the measures' sources cite.
    pub sources: BTreeMap<String, String>,
    /// The measures.
    pub measures: Vec<MeasureInfo>,
    /// The detection model.
    pub model: verification::Regime,
}

/// Reads a regime from TOML text.
///
/// # Errors
/// [`AppError::Input`] with file, line and column for a malformed file, an out-of-range value
/// (naming the field), or a source tag not defined in `[sources]`.
pub fn regime_from_toml(text: &str, file: &str) -> Result<Regime, AppError> {
    let raw: RegimeFile = parse_toml(text, file)?;
    let ctx = Source { text, file };
    ctx.schema_version(&raw.schema_version)?;
    let in_force_from = raw
        .in_force_from
        .as_ref()
        .map(|d| {
            d.get_ref()
                .parse::<Date>()
                .map_err(|e| ctx.err(d.span(), format!("in_force_from: {e}")))
        })
        .transpose()?;
    if let Some(s) = &raw.reporting_delay_source {
        check_tags(s.get_ref(), &raw.sources).map_err(|e| ctx.err(s.span(), e))?;
    }
    if raw.reporting_delay_source.is_none() && raw.reporting_delay_assumption.is_none() {
        return Err(ctx.err(
            raw.reporting_delay_days.span(),
            "reporting_delay_days needs a reporting_delay_source or a reporting_delay_assumption"
                .into(),
        ));
    }
    let mut measures = Vec::with_capacity(raw.measures.len().min(verification::MAX_MEASURES));
    let mut model_measures = Vec::with_capacity(measures.capacity());
    for m in &raw.measures {
        let id = m.id.get_ref();
        check_tags(m.source.get_ref(), &raw.sources)
            .map_err(|e| ctx.err(m.source.span(), format!("measure `{id}`: {e}")))?;
        let (p_diversion, diversion_span) = match (&m.p_stock_diversion, &m.balance) {
            (Some(p), None) => (*p.get_ref(), p.span()),
            (None, Some(b)) => {
                let r = b.get_ref();
                let p = detection_probability(
                    r.loss_kg_u235,
                    r.sigma_muf_kg_u235,
                    r.false_alarm,
                    Sided::One,
                )
                .map_err(|e| ctx.err(b.span(), format!("measure `{id}`: balance: {e}")))?;
                (p, b.span())
            }
            _ => {
                return Err(ctx.err(
                    m.id.span(),
                    format!(
                        "measure `{id}`: give exactly one of p_stock_diversion and [measure.balance]"
                    ),
                ));
            }
        };
        let model = Measure::new(
            *m.interval_days.get_ref(),
            *m.p_declared_misuse.get_ref(),
            p_diversion,
            *m.p_covert_plant.get_ref(),
        )
        .map_err(|e| {
            let msg = e.to_string();
            // Point at the field the engine names.
            let span = if msg.contains("interval") {
                m.interval_days.span()
            } else if msg.contains("covert-plant") {
                m.p_covert_plant.span()
            } else if msg.contains("declared-misuse") {
                m.p_declared_misuse.span()
            } else {
                diversion_span.clone()
            };
            ctx.err(span, format!("measure `{id}`: {msg}"))
        })?;
        model_measures.push(model);
        measures.push(MeasureInfo {
            id: id.clone(),
            name: m.name.clone(),
            interval_days: model.interval_days(),
            probabilities: verification::Pathway::ALL.map(|p| model.probability(p)),
            source: m.source.get_ref().clone(),
            assumption: m.assumption.clone(),
        });
    }
    let model = verification::Regime::new(model_measures, *raw.reporting_delay_days.get_ref())
        .map_err(|e| ctx.err(raw.reporting_delay_days.span(), e.to_string()))?;
    Ok(Regime {
        id: raw.id,
        title: raw.title,
        in_force_from,
        description: raw.description,
        reporting_delay_days: *raw.reporting_delay_days.get_ref(),
        reporting_delay_source: raw.reporting_delay_source.map(Spanned::into_inner),
        reporting_delay_assumption: raw.reporting_delay_assumption,
        sources: raw.sources,
        measures,
        model,
    })
}

/// The `i`-th bundled regime, parsed once per process.
fn bundled(i: usize) -> Result<Regime, AppError> {
    static PARSED: [OnceLock<Regime>; BUNDLED.len()] = [const { OnceLock::new() }; BUNDLED.len()];
    let (id, text) = BUNDLED[i];
    crate::data::parsed_once(&PARSED[i], || {
        regime_from_toml(text, &format!("data/regimes/{id}.toml"))
    })
}

/// A bundled regime by id (case-insensitive) only: what a state or deal file names, so that a
/// file uploaded to the server cannot make it read a path.
///
/// # Errors
/// [`AppError::Input`] for an id that is not bundled, listing the bundled ones.
pub fn load_bundled(id: &str) -> Result<Regime, AppError> {
    match BUNDLED
        .iter()
        .position(|(b, _)| b.eq_ignore_ascii_case(id.trim()))
    {
        Some(i) => bundled(i),
        None => Err(AppError::Input(format!(
            "regime `{id}` is not a bundled regime: expected one of {}",
            BUNDLED.map(|(id, _)| id).join(", ")
        ))),
    }
}

/// A bundled regime by id (case-insensitive), or a regime file by path (`--regime`).
///
/// # Errors
/// [`AppError::Input`] for an unknown id that is not a readable file, or a malformed file.
pub fn load(name_or_path: &str) -> Result<Regime, AppError> {
    if let Ok(r) = load_bundled(name_or_path) {
        return Ok(r);
    }
    match std::fs::read_to_string(name_or_path) {
        Ok(text) => regime_from_toml(&text, name_or_path),
        Err(e) => Err(AppError::Input(format!(
            "`{name_or_path}` is neither a bundled regime ({}) nor a readable file: {e}",
            BUNDLED.map(|(id, _)| id).join(", ")
        ))),
    }
}

/// The bundled dated regime in force on `date` (`None` before the first one).
///
/// # Errors
/// As [`load`], for a bundled file that does not parse.
pub fn in_force_on(date: Date) -> Result<Option<Regime>, AppError> {
    let mut found = None;
    for i in 0..BUNDLED.len() {
        let r = bundled(i)?;
        if r.in_force_from.is_some_and(|from| from <= date) {
            found = Some(r);
        }
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;
    use safeguards::verification::Pathway;

    #[test]
    fn bundled_regimes_parse_in_date_order() {
        let mut last = None;
        for (id, _) in BUNDLED {
            let r = load(id).unwrap();
            assert_eq!(r.id, id);
            if let Some(d) = r.in_force_from {
                assert!(last.is_none_or(|l| l < d), "{id} out of date order");
                last = Some(d);
            }
        }
        // The material balance: one SQ against σ = SQ/3.2897 at α = 5 %: P_D = Φ(3.2897 − 1.6449) = 0.95.
        let j = load("jcpoa").unwrap();
        let balance = j
            .measures
            .iter()
            .find(|m| m.id == "material-balance")
            .unwrap();
        approx::assert_abs_diff_eq!(balance.probabilities[1], 0.95, epsilon = 1e-4);
    }

    #[test]
    fn no_access_regimes_see_nothing_at_declared_sites() {
        for id in ["no-access-2025", "none"] {
            let r = load(id).unwrap();
            for p in Pathway::ALL {
                assert!(r.model.detection(p).never(), "{id} {p:?}");
            }
        }
    }

    #[test]
    fn regimes_in_force_by_date() {
        let cases = [
            ("2015-12-31", None),
            ("2016-01-16", Some("jcpoa")),
            ("2021-02-22", Some("jcpoa")),
            ("2021-02-23", Some("safeguards-only-2021")),
            ("2023-05-13", Some("cameras-removed-2022")),
            ("2025-06-22", Some("no-access-2025")),
        ];
        for (date, want) in cases {
            let got = in_force_on(date.parse().unwrap()).unwrap().map(|r| r.id);
            assert_eq!(got.as_deref(), want, "{date}");
        }
    }

    #[test]
    fn every_state_names_the_regime_in_force_on_its_date_and_every_deal_one() {
        for (id, _) in crate::states::BUNDLED {
            let st = crate::states::load(id).unwrap();
            let date: Date = st.data.as_of.parse().unwrap();
            let want = in_force_on(date).unwrap().map(|r| r.id);
            assert_eq!(st.data.regime, want, "{id}");
        }
        for (id, _) in crate::deals::BUNDLED {
            let deal = crate::deals::load(id).unwrap();
            load(deal.regime.as_deref().unwrap()).unwrap();
            assert!(deal.regime_source.is_some(), "{id}");
        }
    }

    #[test]
    fn states_and_deals_name_bundled_regimes_only() {
        let e = load_bundled("/etc/passwd").unwrap_err().to_string();
        assert!(
            e.contains("not a bundled regime") && e.contains("jcpoa"),
            "{e}"
        );
        assert_eq!(load_bundled("JCPOA").unwrap().id, "jcpoa");
    }

    #[test]
    fn malformed_regimes_get_located_errors() {
        let base = load("jcpoa").unwrap();
        assert!(!base.measures.is_empty());
        let text = BUNDLED[0].1;
        let cases = [
            (
                "p_declared_misuse = 0.9",
                "p_declared_misuse = 1.9",
                ":",
                "declared-misuse probability",
            ),
            (
                "interval_days = 14.6",
                "interval_days = 0.0",
                ":",
                "interval",
            ),
            (
                "p_covert_plant = 0.01",
                "p_covert_plant = 0.5",
                ":",
                "at most the declared-misuse",
            ),
            (
                "source = \"[V4] 40-plus",
                "source = \"[Q7] 40-plus",
                ":",
                "source tag [Q7]",
            ),
            (
                "sigma_muf_kg_u235 = 7.5995",
                "sigma_muf_kg_u235 = -1",
                ":",
                "sigma_MUF",
            ),
            (
                "interval_days = 1.0\n",
                "interval_day = 1.0\n",
                ":",
                "unknown field",
            ),
            (
                "p_stock_diversion = 0.9\n",
                "\n",
                ":",
                "exactly one of p_stock_diversion",
            ),
            (
                "schema_version = 1",
                "schema_version = 2",
                ":6:",
                "schema_version 2",
            ),
        ];
        for (from, to, at, message) in cases {
            assert!(text.contains(from), "{from}");
            let bad = text.replacen(from, to, 1);
            let e = regime_from_toml(&bad, "r.toml").unwrap_err().to_string();
            assert!(
                e.contains(message) && e.contains(&format!("r.toml{at}")),
                "{e}"
            );
        }
    }
}
