//! `breakout cascade`: ideal binary cascade design, multi-isotope MARC cascades, and fixed
//! cascades run off-design (with batch recycling), as stage tables and JSON.
//!
//! Stages are counted from the tails end. Compositions on the command line are percent lists
//! with U-238 the balance (`U234=0.0054,U235=0.72`) or a bare U-235 percent (`0.711`).

mod design;
mod fixed;
mod marc;
mod output;

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

struct Resolved {
    separation: StageSeparation,
    limit: Option<MachineFeed>,
}

impl MachineSpec {
    fn resolve(&self, lib: &MachineLibrary, r: &mut Document) -> Result<Resolved, AppError> {
        let machine: Option<&Machine> = self.machine.as_deref().map(|m| lib.get(m)).transpose()?;
        if let Some(m) = machine {
            r.input_value("machine", "Machine", json!(m.id), m.id.clone());
        }
        let separation = match (self.alpha, machine) {
            (Some(a), _) => {
                let s = StageSeparation::new(a)
                    .map_err(|e| AppError::Input(format!("--alpha: {e}")))?;
                r.input("alpha", "Stage separation factor α", a, "", false);
                s
            }
            (None, Some(m)) => {
                let s = m.separation()?;
                r.input(
                    "alpha",
                    "Stage separation factor α",
                    s.alpha_235(),
                    &format!("(from {})", m.id),
                    true,
                );
                s
            }
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
        if let Some(l) = limit {
            r.input(
                "machine_feed_kg_u_per_yr",
                "Feed limit per machine",
                l.kg_u_per_yr(),
                "kg U/yr",
                self.machine_feed_kg_u_per_yr.is_none(),
            );
        }
        Ok(Resolved { separation, limit })
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
    fn resolve(&self, r: &mut Document) -> Result<Composition, AppError> {
        let c = match (&self.feed_at_pct, &self.feed_wt_pct) {
            (Some(s), _) => {
                let c =
                    Composition::from_at_fractions_balance_u238(&parse_list(s, "--feed-at-pct")?)
                        .map_err(|e| AppError::Input(format!("--feed-at-pct `{s}`: {e}")))?;
                r.input_value("feed_at_pct", "Feed", json!(s), c.to_string());
                c
            }
            (None, Some(s)) => {
                let c =
                    Composition::from_wt_fractions_balance_u238(&parse_list(s, "--feed-wt-pct")?)
                        .map_err(|e| AppError::Input(format!("--feed-wt-pct `{s}`: {e}")))?;
                r.input_value("feed_wt_pct", "Feed", json!(s), c.to_string());
                c
            }
            (None, None) => {
                let c = Composition::natural();
                r.input_value(
                    "feed_at_pct",
                    "Feed",
                    json!("natural"),
                    format!("{c}  (default: natural uranium)"),
                );
                c
            }
        };
        Ok(c)
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

#[derive(Debug, Args, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
#[group(skip)]
#[command(group(ArgGroup::new("layout").required(true).multiple(true).args(["product_wt_pct", "product_at_pct", "stages"])))]
#[command(group(ArgGroup::new("size").required(true).multiple(false).args(["product_kg_u_per_yr", "machines"])))]
struct DesignArgs {
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

#[derive(Debug, Args, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
#[group(skip)]
#[command(group(ArgGroup::new("product").required(true).multiple(false).args(["product_at_pct", "product_wt_pct"])))]
#[command(group(ArgGroup::new("tails").required(true).multiple(false).args(["tails_at_pct", "tails_wt_pct"])))]
#[command(group(ArgGroup::new("gamma_src").required(true).multiple(false).args(["gamma", "machine"])))]
struct MarcArgs {
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

#[derive(Debug, Args, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
#[group(skip)]
struct RunArgs {
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
        CascadeCommand::Design(a) => design::design(a, &lib)?,
        CascadeCommand::Marc(a) => marc::marc(a, &lib)?,
        CascadeCommand::Run(a) => fixed::run_fixed(a, &lib)?,
    };
    Ok((report, Outcome::Success))
}
