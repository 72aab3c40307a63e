//! `breakout cascade`: ideal binary cascade design, multi-isotope MARC cascades, and fixed
//! cascades run off-design (with batch recycling), as stage tables and JSON.
//!
//! Stages are counted from the tails end. Compositions on the command line are percent lists
//! with U-238 the balance (`U234=0.0054,U235=0.72`) or a bare U-235 percent (`0.711`).
//!
//! Each subcommand has a typed result, computed without a document: [`design()`] →
//! [`DesignResult`], [`marc()`] → [`MarcResult`], [`fixed_run`] → [`FixedRunResult`]. The document
//! is built from it, and the result serialises to exactly the document's JSON `results`.

mod design;
mod fixed;
mod marc;
mod output;

pub use design::{DesignResult, design};
pub use fixed::{Capacity, FixedRunResult, Pass, RecycleDetail, Recycling, fixed_run};
pub use marc::{MarcResult, marc};
pub use output::{PctMap, StageRow, Stream};

use clap::{ArgGroup, Args, Subcommand};
use enrich::cascade::{MachineFeed, StageSeparation, machine_feed_from_rating};
use enrich::{Composition, Isotope, Machine, MachineLibrary};
use serde_json::json;
use std::str::FromStr;

use super::parse_composition_pct;
use crate::Answer;
use crate::data::bundled_machines;
use crate::document::Document;
use crate::error::{AppError, Outcome};

/// `breakout cascade ...`.
#[derive(Debug, Args, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CascadeArgs {
    #[command(subcommand)]
    command: CascadeCommand,
}

#[derive(Debug, Subcommand, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
enum CascadeCommand {
    /// Design a symmetric ideal binary cascade for assay targets or a stage layout.
    Design(DesignArgs),
    /// Solve a multi-isotope matched-abundance-ratio (MARC) cascade for U-235 targets.
    Marc(MarcArgs),
    /// Run a fixed cascade (flags, a cascade file or a bundled cascade) on any feed.
    Run(RunArgs),
}

/// Where the stage separation factor and the machine feed limit come from.
#[derive(Debug, Args, serde::Serialize, serde::Deserialize)]
struct MachineSpec {
    /// Machine type from the library (gives α and the feed limit per machine), e.g. IR-1.
    #[arg(long, value_name = "ID")]
    machine: Option<String>,
    /// Stage separation factor α (U-235/U-238, heads over tails); overrides the machine's.
    #[arg(long, allow_negative_numbers = true, value_name = "ALPHA")]
    alpha: Option<f64>,
    /// Feed limit per machine, kg U/yr (natural-U equivalent); overrides the derived one.
    #[arg(long, allow_negative_numbers = true, value_name = "KG_U_PER_YR")]
    machine_feed_kg_u_per_yr: Option<f64>,
}

/// A machine resolved: its library id (if one was named), stage separation and feed limit.
struct Resolved {
    machine: Option<String>,
    separation: StageSeparation,
    limit: Option<MachineFeed>,
}

impl MachineSpec {
    /// The machine of these flags, from `lib`: α and the feed limit, given or derived.
    fn resolve(&self, lib: &MachineLibrary) -> Result<Resolved, AppError> {
        let machine: Option<&Machine> = self.machine.as_deref().map(|m| lib.get(m)).transpose()?;
        let separation = match (self.alpha, machine) {
            (Some(a), _) => {
                StageSeparation::new(a).map_err(|e| AppError::Input(format!("--alpha: {e}")))?
            }
            (None, Some(m)) => m.separation()?,
            (None, None) => {
                return Err(AppError::Usage(
                    "give --alpha or --machine (the stage separation factor)".into(),
                ));
            }
        };
        let limit = match (self.machine_feed_kg_u_per_yr, machine) {
            (Some(l), _) => Some(
                MachineFeed::new(l)
                    .map_err(|e| AppError::Input(format!("--machine-feed-kg-u-per-yr: {e}")))?,
            ),
            (None, Some(m)) => Some(machine_feed_from_rating(
                m.separative_power.central.kg_swu_per_yr(),
                separation,
            )?),
            (None, None) => None,
        };
        Ok(Resolved {
            machine: machine.map(|m| m.id.clone()),
            separation,
            limit,
        })
    }

    /// The inputs of `m`, resolved from these flags: what was given and what was derived.
    fn record(&self, m: &Resolved, r: &mut Document) {
        if let Some(id) = &m.machine {
            r.input_value("machine", "Machine", json!(id), id.clone());
        }
        let alpha = m.separation.alpha_235();
        match (self.alpha, &m.machine) {
            (None, Some(id)) => r.input(
                "alpha",
                "Stage separation factor α",
                alpha,
                &format!("(from {id})"),
                true,
            ),
            _ => r.input("alpha", "Stage separation factor α", alpha, "", false),
        };
        if let Some(l) = m.limit {
            r.input(
                "machine_feed_kg_u_per_yr",
                "Feed limit per machine",
                l.kg_u_per_yr(),
                "kg U/yr",
                self.machine_feed_kg_u_per_yr.is_none(),
            );
        }
    }
}

/// A feed composition given as at-% or wt-% (U-238 the balance).
#[derive(Debug, Args, serde::Serialize, serde::Deserialize)]
#[group(skip)]
struct FeedSpec {
    /// Feed composition in at-%, U-238 the balance: U234=0.0054,U235=0.72 (or just 0.72 for U-235)
    /// [default: natural uranium, IUPAC].
    #[arg(long, value_name = "ISO=AT_PCT,...", conflicts_with = "feed_wt_pct")]
    feed_at_pct: Option<String>,
    /// Feed composition in wt-%, U-238 the balance: U235=0.711 (or just 0.711).
    #[arg(long, value_name = "ISO=WT_PCT,...")]
    feed_wt_pct: Option<String>,
}

fn parse_list(s: &str, flag: &str) -> Result<Vec<(Isotope, f64)>, AppError> {
    if let Ok(x) = s.trim().parse::<f64>() {
        return Ok(vec![(Isotope::U235, x / 100.0)]);
    }
    parse_composition_pct(s).map_err(|e| AppError::Input(format!("{flag}: {e}")))
}

impl FeedSpec {
    /// The feed composition: natural uranium unless one of the two forms is given.
    fn resolve(&self) -> Result<Composition, AppError> {
        // clap enforces this on the command line; a request built from JSON is checked here.
        super::check_pair(
            "feed_wt_pct",
            self.feed_wt_pct.is_some(),
            "feed_at_pct",
            self.feed_at_pct.is_some(),
            true,
        )?;
        match (&self.feed_at_pct, &self.feed_wt_pct) {
            (Some(s), _) => {
                Composition::from_at_fractions_balance_u238(&parse_list(s, "--feed-at-pct")?)
                    .map_err(|e| AppError::Input(format!("--feed-at-pct `{s}`: {e}")))
            }
            (None, Some(s)) => {
                Composition::from_wt_fractions_balance_u238(&parse_list(s, "--feed-wt-pct")?)
                    .map_err(|e| AppError::Input(format!("--feed-wt-pct `{s}`: {e}")))
            }
            (None, None) => Ok(Composition::natural()),
        }
    }

    /// The feed input row of `c`, resolved from these flags.
    fn record(&self, c: &Composition, r: &mut Document) {
        match (&self.feed_at_pct, &self.feed_wt_pct) {
            (Some(s), _) => r.input_value("feed_at_pct", "Feed", json!(s), c.to_string()),
            (None, Some(s)) => r.input_value("feed_wt_pct", "Feed", json!(s), c.to_string()),
            (None, None) => r.input_value(
                "feed_at_pct",
                "Feed",
                json!("natural"),
                format!("{c}  (default: natural uranium)"),
            ),
        };
    }
}

/// The product and tails assay targets of a cascade, each in wt-% or at-% U-235 (binary): one
/// definition of the four flags and their JSON fields for `cascade design` and `cascade marc`.
#[derive(Debug, Args, serde::Serialize, serde::Deserialize)]
#[group(skip)]
struct TargetAssays {
    /// Product target, wt-% U-235.
    #[arg(
        long,
        allow_negative_numbers = true,
        value_name = "WT_PCT",
        conflicts_with = "product_at_pct"
    )]
    product_wt_pct: Option<f64>,
    /// Product target, at-% U-235.
    #[arg(long, allow_negative_numbers = true, value_name = "AT_PCT")]
    product_at_pct: Option<f64>,
    /// Tails target, wt-% U-235.
    #[arg(
        long,
        allow_negative_numbers = true,
        value_name = "WT_PCT",
        conflicts_with = "tails_at_pct"
    )]
    tails_wt_pct: Option<f64>,
    /// Tails target, at-% U-235.
    #[arg(long, allow_negative_numbers = true, value_name = "AT_PCT")]
    tails_at_pct: Option<f64>,
}

/// The ids of [`TargetAssays`]' flags, for the flags that exclude them.
const TARGET_FLAGS: [&str; 4] = [
    "product_wt_pct",
    "product_at_pct",
    "tails_wt_pct",
    "tails_at_pct",
];

impl TargetAssays {
    /// The flags of [`TARGET_FLAGS`], each with whether it is given.
    fn given(&self) -> [(&'static str, bool); 4] {
        let [pw, pa, tw, ta] = TARGET_FLAGS;
        [
            (pw, self.product_wt_pct.is_some()),
            (pa, self.product_at_pct.is_some()),
            (tw, self.tails_wt_pct.is_some()),
            (ta, self.tails_at_pct.is_some()),
        ]
    }

    /// Refuses both forms of one target: clap's `conflicts_with`, for requests from JSON.
    fn check_exclusive(&self) -> Result<(), AppError> {
        let [pw, pa, tw, ta] = self.given();
        super::check_pair(pw.0, pw.1, pa.0, pa.1, true)?;
        super::check_pair(tw.0, tw.1, ta.0, ta.1, true)
    }
}

/// `breakout cascade design`: its flags, or the fields of its JSON request.
#[derive(Debug, Args, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
#[group(skip)]
#[command(group(ArgGroup::new("layout").required(true).multiple(true).args(["product_wt_pct", "product_at_pct", "stages"])))]
#[command(group(ArgGroup::new("size").required(true).multiple(false).args(["product_kg_u_per_yr", "machines"])))]
pub struct DesignArgs {
    /// Feed assay, wt-% U-235 (binary) [default: 0.711].
    #[arg(
        long,
        allow_negative_numbers = true,
        value_name = "WT_PCT",
        conflicts_with = "feed_at_pct"
    )]
    feed_wt_pct: Option<f64>,
    /// Feed assay, at-% U-235 (binary).
    #[arg(long, allow_negative_numbers = true, value_name = "AT_PCT")]
    feed_at_pct: Option<f64>,
    #[command(flatten)]
    #[serde(flatten)]
    targets: TargetAssays,
    /// Number of stages (instead of assay targets; with --feed-stage).
    #[arg(long, value_name = "N", requires = "feed_stage", conflicts_with_all = TARGET_FLAGS)]
    stages: Option<usize>,
    /// Feed stage, counted from the tails end (with --stages).
    #[arg(
        long,
        allow_negative_numbers = true,
        value_name = "K",
        requires = "stages"
    )]
    feed_stage: Option<usize>,
    /// Size for this product rate, kg U/yr.
    #[arg(long, allow_negative_numbers = true, value_name = "KG_U_PER_YR")]
    product_kg_u_per_yr: Option<f64>,
    /// Size for this many machines (placed to maximise the feed).
    #[arg(long, value_name = "N")]
    machines: Option<u32>,
    #[command(flatten)]
    #[serde(flatten)]
    machine: MachineSpec,
}

/// `breakout cascade marc`: its flags, or the fields of its JSON request.
#[derive(Debug, Args, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
#[group(skip)]
#[command(group(ArgGroup::new("product").required(true).multiple(false).args(["product_at_pct", "product_wt_pct"])))]
#[command(group(ArgGroup::new("tails").required(true).multiple(false).args(["tails_at_pct", "tails_wt_pct"])))]
#[command(group(ArgGroup::new("gamma_src").required(true).multiple(false).args(["gamma", "machine"])))]
pub struct MarcArgs {
    #[command(flatten)]
    #[serde(flatten)]
    feed: FeedSpec,
    #[command(flatten)]
    #[serde(flatten)]
    targets: TargetAssays,
    /// Stage separation factor γ₂₃₅ (heads over tails).
    #[arg(long, allow_negative_numbers = true, value_name = "GAMMA")]
    gamma: Option<f64>,
    /// Machine type whose α to use as γ₂₃₅.
    #[arg(long, value_name = "ID")]
    machine: Option<String>,
    /// Feed mass, kg U [default: 1].
    #[arg(long, allow_negative_numbers = true, value_name = "KG_U")]
    feed_kg_u: Option<f64>,
    /// Round N and M up to whole stages and report the assays reached.
    #[arg(long)]
    #[serde(default)]
    integer_stages: bool,
}

/// `breakout cascade run`: its flags, or the fields of its JSON request.
#[derive(Debug, Args, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
#[group(skip)]
pub struct RunArgs {
    /// A cascade file (TOML) or a bundled cascade: ir1-164, ir1-174, ir2m-174, ir6-174.
    #[arg(value_name = "FILE|NAME", conflicts_with_all = ["stages", "cut", "cuts"])]
    cascade: Option<String>,
    /// Number of stages.
    #[arg(long, value_name = "N", requires = "feed_stage")]
    stages: Option<usize>,
    /// Feed stage, counted from the tails end.
    #[arg(long, allow_negative_numbers = true, value_name = "K")]
    feed_stage: Option<usize>,
    /// One cut θ for every stage [default: 0.5].
    #[arg(
        long,
        allow_negative_numbers = true,
        value_name = "THETA",
        conflicts_with = "cuts"
    )]
    cut: Option<f64>,
    /// Cuts per stage, tails end first: c1,c2,...
    #[arg(long, value_name = "C1,C2,...", value_parser = super::NumList::<f64>::from_str)]
    cuts: Option<super::NumList<f64>>,
    /// Machines per stage, tails end first: n1,n2,... (needed for the maximum feed rate).
    #[arg(
        long = "machines-per-stage",
        value_name = "N1,N2,...",
        value_parser = super::NumList::<u32>::from_str
    )]
    machines_per_stage: Option<super::NumList<u32>>,
    #[command(flatten)]
    #[serde(flatten)]
    machine: MachineSpec,
    #[command(flatten)]
    #[serde(flatten)]
    feed: FeedSpec,
    /// Feed rate, kg U/yr [default: the cascade's maximum, when machines are known].
    #[arg(long, allow_negative_numbers = true, value_name = "KG_U_PER_YR")]
    feed_kg_u_per_yr: Option<f64>,
    /// Batch recycling: feed the product back this many passes in all.
    #[arg(long, value_name = "PASSES")]
    recycle: Option<usize>,
    /// Batch for --recycle, kg U [default: one year of feed].
    #[arg(
        long,
        allow_negative_numbers = true,
        value_name = "KG_U",
        requires = "recycle"
    )]
    batch_kg_u: Option<f64>,
}

/// Runs `breakout cascade ...`.
pub fn run(args: CascadeArgs) -> Answer {
    let lib = bundled_machines()?;
    let report = match args.command {
        CascadeCommand::Design(a) => design::design_document(&a, &lib)?,
        CascadeCommand::Marc(a) => marc::marc_document(&a, &lib)?,
        CascadeCommand::Run(a) => fixed::fixed_document(&a, &lib)?,
    };
    Ok((report, Outcome::Success))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    /// The typed result of each subcommand serialises to exactly its document's `results`.
    #[test]
    fn typed_results_are_the_documents_results() {
        let lib = bundled_machines().unwrap();
        let results = |doc: Document| doc.to_json()["results"].clone();
        let typed = |v: Result<Value, serde_json::Error>| v.unwrap();
        for design_json in [
            json!({"product_wt_pct": 3.5, "tails_wt_pct": 0.3, "machine": "IR-1", "machines": 164}),
            json!({"stages": 10, "feed_stage": 4, "alpha": 1.3,
                   "machine_feed_kg_u_per_yr": 20, "product_kg_u_per_yr": 5}),
        ] {
            let a: DesignArgs = serde_json::from_value(design_json.clone()).unwrap();
            assert_eq!(
                typed(serde_json::to_value(design(&a, &lib).unwrap())),
                results(design::design_document(&a, &lib).unwrap()),
                "{design_json}"
            );
        }
        for marc_json in [
            json!({"feed_wt_pct": "U234=0.0054,U235=0.711", "product_wt_pct": 90,
                   "tails_wt_pct": 0.3, "gamma": 1.3}),
            json!({"product_at_pct": 5, "tails_at_pct": 0.3, "machine": "IR-1",
                   "integer_stages": true, "feed_kg_u": 10}),
        ] {
            let a: MarcArgs = serde_json::from_value(marc_json.clone()).unwrap();
            assert_eq!(
                typed(serde_json::to_value(marc(&a, &lib).unwrap())),
                results(marc::marc_document(&a, &lib).unwrap()),
                "{marc_json}"
            );
        }
        for run_json in [
            json!({"cascade": "ir6-174", "feed_wt_pct": "U235=20", "recycle": 3, "batch_kg_u": 100}),
            json!({"stages": 10, "feed_stage": 4, "alpha": 1.3, "feed_kg_u_per_yr": 100,
                   "recycle": 2}),
        ] {
            let a: RunArgs = serde_json::from_value(run_json.clone()).unwrap();
            assert_eq!(
                typed(serde_json::to_value(fixed_run(&a, &lib).unwrap())),
                results(fixed::fixed_document(&a, &lib).unwrap()),
                "{run_json}"
            );
        }
    }

    /// clap's exclusive flags, sent as JSON (which clap never sees), are refused by name.
    #[test]
    fn json_requests_keep_the_flag_rules() {
        for (command, fields, first, second) in [
            (
                "design",
                json!({"feed_wt_pct": 0.711, "feed_at_pct": 0.72}),
                "--feed-wt-pct",
                "--feed-at-pct",
            ),
            (
                "design",
                json!({"product_wt_pct": 3.5, "product_at_pct": 3.5}),
                "--product-wt-pct",
                "--product-at-pct",
            ),
            (
                "design",
                json!({"product_wt_pct": 3.5, "tails_wt_pct": 0.3, "tails_at_pct": 0.3}),
                "--tails-wt-pct",
                "--tails-at-pct",
            ),
            (
                "design",
                json!({"stages": 10, "feed_stage": 4, "product_wt_pct": 3.5}),
                "--stages",
                "--product-wt-pct",
            ),
            ("design", json!({"stages": 10}), "--stages", "--feed-stage"),
            (
                "design",
                json!({"feed_stage": 4, "product_wt_pct": 3.5}),
                "--feed-stage",
                "--stages",
            ),
            (
                "marc",
                json!({"feed_wt_pct": "0.711", "feed_at_pct": "0.72", "product_wt_pct": 90,
                       "tails_wt_pct": 0.3, "gamma": 1.3}),
                "--feed-wt-pct",
                "--feed-at-pct",
            ),
        ] {
            let mut fields = fields;
            if command == "design" {
                // Valid otherwise: a machine and a size, so only the rule under test fails.
                fields["machine"] = json!("IR-1");
                fields["machines"] = json!(164);
            }
            let request: crate::Request =
                serde_json::from_value(json!({"cascade": {"command": {command: fields}}})).unwrap();
            match crate::execute(request) {
                Err(AppError::Usage(m)) => {
                    assert!(m.contains(first) && m.contains(second), "{command}: {m}");
                }
                other => panic!("{command}: {:?}", other.map(|(d, _)| d.to_json())),
            }
        }
    }
}
