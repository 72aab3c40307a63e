//! `breakout cascade`: ideal binary cascade design, multi-isotope MARC cascades, and fixed
//! cascades run off-design (with batch recycling), as stage tables and JSON.
//!
//! Stages are counted from the tails end. Compositions on the command line are percent lists
//! with U-238 the balance (`U234=0.0054,U235=0.72`) or a bare U-235 percent (`0.711`).

use clap::{ArgGroup, Args, Subcommand};
use enrich::cascade::{
    CascadeRun, FeedRate, FixedCascade, IdealCascade, KeyFraction, MachineFeed, MarcCascade,
    Passes, StageSeparation, Throughput, batch_recycle, machine_feed_from_rating,
};
use enrich::{Assay, Composition, Isotope, Machine, MachineLibrary};
use serde_json::{Map, Value, json};
use std::str::FromStr;

use super::parse_composition_pct;
use crate::Answer;
use crate::data::{bundled_cascade, bundled_machines, cascade_from_toml};
use crate::document::{Document, Table, num};
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
    /// Product target, wt-% U-235.
    #[arg(long, allow_negative_numbers = true, value_name = "WT_PCT", conflicts_with_all = ["product_at_pct", "stages"])]
    product_wt_pct: Option<f64>,
    /// Product target, at-% U-235.
    #[arg(
        long,
        allow_negative_numbers = true,
        value_name = "AT_PCT",
        conflicts_with = "stages"
    )]
    product_at_pct: Option<f64>,
    /// Tails target, wt-% U-235 (with a product target).
    #[arg(long, allow_negative_numbers = true, value_name = "WT_PCT", conflicts_with_all = ["tails_at_pct", "stages"])]
    tails_wt_pct: Option<f64>,
    /// Tails target, at-% U-235.
    #[arg(
        long,
        allow_negative_numbers = true,
        value_name = "AT_PCT",
        conflicts_with = "stages"
    )]
    tails_at_pct: Option<f64>,
    /// Number of stages (instead of assay targets; with --feed-stage).
    #[arg(long, value_name = "N", requires = "feed_stage")]
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
    /// Product target, at-% U-235.
    #[arg(long, allow_negative_numbers = true, value_name = "AT_PCT")]
    product_at_pct: Option<f64>,
    /// Product target, wt-% U-235.
    #[arg(long, allow_negative_numbers = true, value_name = "WT_PCT")]
    product_wt_pct: Option<f64>,
    /// Tails target, at-% U-235.
    #[arg(long, allow_negative_numbers = true, value_name = "AT_PCT")]
    tails_at_pct: Option<f64>,
    /// Tails target, wt-% U-235.
    #[arg(long, allow_negative_numbers = true, value_name = "WT_PCT")]
    tails_wt_pct: Option<f64>,
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
        CascadeCommand::Design(a) => design(a, &lib)?,
        CascadeCommand::Marc(a) => marc(a, &lib)?,
        CascadeCommand::Run(a) => run_fixed(a, &lib)?,
    };
    Ok((report, Outcome::Success))
}

/// `{"U234": x, ...}` in percent for the isotopes present.
fn pct_map(c: &Composition, wt: bool) -> Value {
    let mut m = Map::new();
    for iso in Isotope::ALL {
        if c.at_fraction(iso) > 0.0 {
            let v = if wt {
                c.wt_fraction(iso)
            } else {
                c.at_fraction(iso)
            };
            m.insert(iso.name().into(), json!(100.0 * v));
        }
    }
    Value::Object(m)
}

/// A stream: mass, rate (if any) and composition in at-% and wt-%.
fn stream_json(c: &Composition, kg_u: f64, kg_u_per_yr: Option<f64>) -> Value {
    let mut v = json!({ "kg_u": kg_u, "at_pct": pct_map(c, false), "wt_pct": pct_map(c, true) });
    if let Some(r) = kg_u_per_yr {
        v["kg_u_per_yr"] = json!(r);
    }
    v
}

/// "product" → "Product".
fn title(what: &str) -> String {
    let mut c = what.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

fn wt(c: &Composition) -> String {
    num(c.assay().wt_pct())
}

fn design(a: DesignArgs, lib: &MachineLibrary) -> Result<Document, AppError> {
    let mut r = Document::new("cascade design", "Symmetric ideal binary cascade");
    // clap enforces this on the command line; a request built from JSON is checked here.
    super::exactly_one(&[
        ("product_kg_u_per_yr", a.product_kg_u_per_yr.is_some()),
        ("machines", a.machines.is_some()),
    ])?;
    let feed = match (a.feed_wt_pct, a.feed_at_pct) {
        (_, Some(at)) => {
            r.input("feed_at_pct", "Feed assay", at, "at-% U-235", false);
            Assay::from_at_pct_binary(at)
                .map_err(|e| AppError::Input(format!("--feed-at-pct: {e}")))?
        }
        (w, None) => {
            r.input(
                "feed_wt_pct",
                "Feed assay",
                w.unwrap_or(0.711),
                "wt-% U-235",
                w.is_none(),
            );
            Assay::named_wt_pct("feed assay", w.unwrap_or(0.711))?
        }
    };
    let m = a.machine.resolve(lib, &mut r)?;
    let design = match (a.stages, a.feed_stage) {
        (Some(n), Some(k)) => {
            if k == 0 || k > n {
                return Err(AppError::Input(format!(
                    "--feed-stage {k} is not a stage of {n} (expected 1..={n}, counted from the tails end)"
                )));
            }
            r.input("stages", "Stages", n as f64, "", false).input(
                "feed_stage",
                "Feed stage (from the tails end)",
                k as f64,
                "",
                false,
            );
            IdealCascade::with_stages(feed, n - k + 1, k - 1, m.separation)?
        }
        _ => {
            let target = |w: Option<f64>,
                          at: Option<f64>,
                          what: &'static str,
                          flag: &str,
                          r: &mut Document| {
                match (w, at) {
                    (Some(x), _) => {
                        r.input(
                            &format!("{what}_wt_pct"),
                            &format!("{} target", title(what)),
                            x,
                            "wt-% U-235",
                            false,
                        );
                        Assay::named_wt_pct(
                            if what == "product" {
                                "product assay"
                            } else {
                                "tails assay"
                            },
                            x,
                        )
                        .map_err(AppError::from)
                    }
                    (None, Some(x)) => {
                        r.input(
                            &format!("{what}_at_pct"),
                            &format!("{} target", title(what)),
                            x,
                            "at-% U-235",
                            false,
                        );
                        Assay::from_at_pct_binary(x)
                            .map_err(|e| AppError::Input(format!("{flag}: {e}")))
                    }
                    (None, None) => Err(AppError::Usage(format!(
                        "give --{what}-wt-pct or --{what}-at-pct (or --stages and --feed-stage)"
                    ))),
                }
            };
            let xp = target(
                a.product_wt_pct,
                a.product_at_pct,
                "product",
                "--product-at-pct",
                &mut r,
            )?;
            let xt = target(
                a.tails_wt_pct,
                a.tails_at_pct,
                "tails",
                "--tails-at-pct",
                &mut r,
            )?;
            IdealCascade::for_assays(feed, xp, xt, m.separation)?
        }
    };
    let limit = m.limit.ok_or_else(|| {
        AppError::Usage("give --machine or --machine-feed-kg-u-per-yr to size the cascade".into())
    })?;
    let sized = match (a.product_kg_u_per_yr, a.machines) {
        (Some(p), _) => {
            r.input("product_kg_u_per_yr", "Product rate", p, "kg U/yr", false);
            design
                .sized_for_product(p, limit)
                .map_err(|e| AppError::Input(format!("--product-kg-u-per-yr: {e}")))?
        }
        (None, Some(n)) => {
            r.input("machines", "Machines", f64::from(n), "", false);
            design
                .fitted_to_machines(n, limit)
                .map_err(|e| AppError::Input(format!("--machines: {e}")))?
        }
        (None, None) => {
            return Err(AppError::Usage(
                "give one of --product-kg-u-per-yr, --machines".into(),
            ));
        }
    };
    let run = sized.cascade.run(&Composition::binary(feed))?;
    let f = sized.feed_kg_u_per_yr;
    let t = run.at_feed_rate(f)?;
    r.result(
        "enriching_stages",
        "Enriching stages (feed stage included)",
        design.enriching_stages as f64,
        "",
    )
    .result(
        "stripping_stages",
        "Stripping stages",
        design.stripping_stages as f64,
        "",
    )
    .result(
        "feed_stage",
        "Feed stage (from the tails end)",
        design.feed_stage() as f64,
        "",
    )
    .result(
        "total_machines",
        "Machines",
        sized.cascade.total_machines() as f64,
        "",
    )
    .result("feed_kg_u_per_yr", "Feed at the design point", f, "kg U/yr")
    .result(
        "product_wt_pct",
        "Product reached",
        design.product.wt_pct(),
        "wt-% U-235",
    )
    .result(
        "tails_wt_pct",
        "Tails reached",
        design.tails.wt_pct(),
        "wt-% U-235",
    )
    .result(
        "product_kg_u_per_yr",
        "Product",
        t.product_kg_u_per_yr,
        "kg U/yr",
    )
    .result(
        "separative_work_swu",
        "Separative work in one year",
        t.separative_power_swu_per_yr,
        "kg-SWU",
    )
    .result(
        "utilization",
        "Machine capacity used",
        sized.utilization(),
        "",
    )
    .result(
        "max_feed_kg_u_per_yr",
        "Maximum feed",
        run.max_feed_kg_u_per_yr,
        "kg U/yr",
    );
    if a.stages.is_none() {
        r.result(
            "enriching_stages_exact",
            "Enriching stages for the exact target",
            design.enriching_stages_exact,
            "",
        )
        .result(
            "stripping_stages_exact",
            "Stripping stages for the exact target",
            design.stripping_stages_exact,
            "",
        );
    }
    stage_outputs(&mut r, &run, &t, true);
    r.note("ideal symmetric stages (heads √α above, tails √α below the stage feed); whole stages, so the assays reached are at least as good as the targets")
        .note("JSON stream masses `kg_u` are for one year at the design feed");
    Ok(r)
}

/// The stage table (text) and `results.stages` (JSON).
/// The product and tails streams (JSON) and the per-stage table of a cascade run at a feed rate.
fn stage_outputs(r: &mut Document, run: &CascadeRun, flows: &Throughput, machines_known: bool) {
    let feed_kg_u_per_yr = flows.feed_kg_u_per_yr;
    r.result_json(
        "product",
        stream_json(
            &run.product,
            flows.product_kg_u_per_yr,
            Some(flows.product_kg_u_per_yr),
        ),
    )
    .result_json(
        "tails",
        stream_json(
            &run.tails,
            flows.tails_kg_u_per_yr,
            Some(flows.tails_kg_u_per_yr),
        ),
    );
    let mut t = Table::new(
        "Stages (1 = tails end)",
        &[
            "stage",
            "machines",
            "cut",
            "feed kg U/yr",
            "load",
            "feed wt-% U-235",
            "heads wt-% U-235",
            "tails wt-% U-235",
        ],
    );
    let feed_mol_per_kg = 1000.0 / run.feed.molar_mass();
    let mut js = Vec::new();
    for s in &run.stages {
        let flow_kg =
            s.flow_per_feed * feed_kg_u_per_yr * feed_mol_per_kg * s.feed.molar_mass() / 1000.0;
        let load = s.load_at_max_feed * feed_kg_u_per_yr / run.max_feed_kg_u_per_yr;
        t.row(vec![
            s.stage.to_string(),
            if machines_known {
                s.machines.to_string()
            } else {
                String::new()
            },
            num(s.cut),
            num(flow_kg),
            if machines_known {
                num(load)
            } else {
                String::new()
            },
            wt(&s.feed),
            wt(&s.heads),
            wt(&s.tails),
        ]);
        let mut v = json!({
            "stage": s.stage, "cut": s.cut, "feed_kg_u_per_yr": flow_kg,
            "feed_at_pct": pct_map(&s.feed, false), "heads_at_pct": pct_map(&s.heads, false),
            "tails_at_pct": pct_map(&s.tails, false),
            "feed_wt_pct": pct_map(&s.feed, true), "heads_wt_pct": pct_map(&s.heads, true),
            "tails_wt_pct": pct_map(&s.tails, true),
        });
        if machines_known {
            v["machines"] = json!(s.machines);
            v["load"] = json!(load);
        }
        js.push(v);
    }
    r.result_json("stages", Value::Array(js)).table(t);
}

fn marc(a: MarcArgs, lib: &MachineLibrary) -> Result<Document, AppError> {
    let mut r = Document::new("cascade marc", "Matched-abundance-ratio (MARC) cascade");
    // clap enforces these groups on the command line; a request built from JSON is checked
    // here, before the key fractions below rely on them.
    super::exactly_one(&[
        ("product_at_pct", a.product_at_pct.is_some()),
        ("product_wt_pct", a.product_wt_pct.is_some()),
    ])?;
    super::exactly_one(&[
        ("tails_at_pct", a.tails_at_pct.is_some()),
        ("tails_wt_pct", a.tails_wt_pct.is_some()),
    ])?;
    super::exactly_one(&[
        ("gamma", a.gamma.is_some()),
        ("machine", a.machine.is_some()),
    ])?;
    let feed = a.feed.resolve(&mut r)?;
    let key = |at: Option<f64>, w: Option<f64>, what: &str, r: &mut Document| -> KeyFraction {
        match (at, w) {
            (Some(x), _) => {
                r.input(
                    &format!("{what}_at_pct"),
                    &format!("{} target", title(what)),
                    x,
                    "at-% U-235",
                    false,
                );
                KeyFraction::At(x / 100.0)
            }
            (None, Some(x)) => {
                r.input(
                    &format!("{what}_wt_pct"),
                    &format!("{} target", title(what)),
                    x,
                    "wt-% U-235",
                    false,
                );
                KeyFraction::Wt(x / 100.0)
            }
            (None, None) => unreachable!("checked above: one of each target"),
        }
    };
    let kp = key(a.product_at_pct, a.product_wt_pct, "product", &mut r);
    let kt = key(a.tails_at_pct, a.tails_wt_pct, "tails", &mut r);
    let sep = match (a.gamma, &a.machine) {
        (Some(g), _) => {
            r.input("gamma", "Stage separation factor γ₂₃₅", g, "", false);
            StageSeparation::new(g).map_err(|e| AppError::Input(format!("--gamma: {e}")))?
        }
        (None, Some(id)) => {
            let m = lib.get(id)?;
            let s = m.separation()?;
            r.input_value("machine", "Machine", json!(m.id), m.id.clone())
                .input(
                    "gamma",
                    "Stage separation factor γ₂₃₅",
                    s.alpha_235(),
                    &format!("(from {})", m.id),
                    true,
                );
            s
        }
        (None, None) => return Err(AppError::Usage("give one of --gamma, --machine".into())),
    };
    let feed_kg = a.feed_kg_u.unwrap_or(1.0);
    if !(feed_kg.is_finite() && feed_kg > 0.0) {
        return Err(AppError::Input(format!(
            "--feed-kg-u {feed_kg} is not valid: expected a positive number of kg U"
        )));
    }
    r.input("feed_kg_u", "Feed", feed_kg, "kg U", a.feed_kg_u.is_none());
    let exact = MarcCascade::solve(&feed, kp, kt, sep)?;
    let c = if a.integer_stages {
        r.input_value(
            "integer_stages",
            "Whole stages",
            json!(true),
            "yes (N and M rounded up)",
        );
        exact.rounded_up()?
    } else {
        exact.clone()
    };
    let p = feed_kg * c.product_per_feed;
    let t = feed_kg * c.tails_per_feed;
    if c.stripping_stages < 0.0 {
        r.note(format!(
            "M = {} < 0: the tails target needs less than one stripping stage (the feed stage's own tails are already below it); the real-valued MARC is still exact",
            num(c.stripping_stages)
        ));
    }
    r.result(
        "enriching_stages",
        "Enriching stages N (feed stage included)",
        c.enriching_stages,
        "",
    )
    .result(
        "stripping_stages",
        "Stripping stages M",
        c.stripping_stages,
        "",
    );
    if a.integer_stages {
        r.result(
            "enriching_stages_exact",
            "N for the exact targets",
            exact.enriching_stages,
            "",
        )
        .result(
            "stripping_stages_exact",
            "M for the exact targets",
            exact.stripping_stages,
            "",
        );
    }
    r.result("product_kg_u", "Product", p, "kg U")
        .result("tails_kg_u", "Tails", t, "kg U")
        .result(
            "separative_work_swu",
            "Separative work",
            feed_kg * c.separative_work_per_feed,
            "kg-SWU",
        )
        .result(
            "iterations",
            "Newton iterations",
            exact.iterations as f64,
            "",
        )
        .result_json("product", stream_json(&c.product, p, None))
        .result_json("tails", stream_json(&c.tails, t, None))
        .result_json("stages", Value::Null);
    let mut tab = Table::new(
        "Compositions",
        &[
            "isotope",
            "feed at-%",
            "product at-%",
            "tails at-%",
            "product wt-%",
            "tails wt-%",
        ],
    );
    for iso in Isotope::ALL
        .into_iter()
        .filter(|i| feed.at_fraction(*i) > 0.0)
    {
        tab.row(vec![
            iso.name().into(),
            num(100.0 * feed.at_fraction(iso)),
            num(100.0 * c.product.at_fraction(iso)),
            num(100.0 * c.tails.at_fraction(iso)),
            num(100.0 * c.product.wt_fraction(iso)),
            num(100.0 * c.tails.wt_fraction(iso)),
        ]);
    }
    r.table(tab)
        .note("γᵢ = 1 + (238 − Aᵢ)(γ₂₃₅ − 1)/3 and aᵢ = γᵢ/√γ₂₃₅ (von Halle); PyNE instead optimises a key mass M*, so its N, M and minor-isotope assays differ slightly")
        .note("separative work uses the de la Garza multicomponent value function on weight fractions; it equals the binary SWU for two isotopes (PyNE's −ln R 'SWU' is not used)");
    Ok(r)
}

fn run_fixed(a: RunArgs, lib: &MachineLibrary) -> Result<Document, AppError> {
    let mut r = Document::new("cascade run", "Fixed cascade run off-design");
    // clap enforces these rules on the command line; a request built from JSON is checked here.
    for (flag, given) in [
        ("stages", a.stages.is_some()),
        ("cut", a.cut.is_some()),
        ("cuts", a.cuts.is_some()),
    ] {
        super::check_pair(flag, given, "cascade", a.cascade.is_some(), true)?;
    }
    super::check_pair("cut", a.cut.is_some(), "cuts", a.cuts.is_some(), true)?;
    super::check_pair(
        "batch_kg_u",
        a.batch_kg_u.is_some(),
        "recycle",
        a.recycle.is_some(),
        false,
    )?;
    super::check_pair(
        "feed_wt_pct",
        a.feed.feed_wt_pct.is_some(),
        "feed_at_pct",
        a.feed.feed_at_pct.is_some(),
        true,
    )?;
    let (cascade, machines_known, title) = match &a.cascade {
        Some(name) => {
            let file = match bundled_cascade(name)? {
                Some(f) => f,
                None => {
                    let text = std::fs::read_to_string(name).map_err(|e| {
                        AppError::Input(format!(
                            "`{name}` is neither a bundled cascade (ir1-164, ir1-174, ir2m-174, ir6-174) nor a readable file: {e}"
                        ))
                    })?;
                    cascade_from_toml(&text, name, lib)?
                }
            };
            r.input_value(
                "cascade",
                "Cascade",
                json!(file.id),
                format!("{} — {}", file.id, file.name),
            );
            if let Some(m) = &file.machine {
                r.input_value("cascade_machine", "Machine type", json!(m), m.clone());
            }
            if let Some(d) = file.design_feed {
                r.note(format!(
                    "the stage profile was designed for {} wt-% U-235 feed",
                    num(d.wt_pct())
                ));
            }
            r.note(format!("source: {}", file.source));
            if let Some(d) = &file.derivation {
                r.note(format!("derivation: {d}"));
            }
            let mut c = file.cascade;
            if a.machine.alpha.is_some()
                || a.machine.machine_feed_kg_u_per_yr.is_some()
                || a.machine.machine.is_some()
            {
                let m = a.machine.resolve(lib, &mut r)?;
                c = FixedCascade::new(
                    c.machines().to_vec(),
                    c.cuts().to_vec(),
                    c.feed_stage(),
                    m.separation,
                    m.limit.unwrap_or(c.machine_feed()),
                )?;
            }
            (c, true, file.name)
        }
        None => {
            let n = a.stages.ok_or_else(|| {
                AppError::Usage("give a cascade FILE|NAME, or --stages N --feed-stage K with --alpha or --machine".into())
            })?;
            // clap enforces this pairing on the command line; JSON requests reach here unchecked.
            let k = a
                .feed_stage
                .ok_or_else(|| AppError::Usage("--stages requires --feed-stage".into()))?;
            let m = a.machine.resolve(lib, &mut r)?;
            let cuts = match (a.cuts.as_ref().map(|l| &l.0), a.cut) {
                (Some(c), _) => {
                    r.input_value(
                        "cuts",
                        "Cuts",
                        json!(c),
                        c.iter().map(|x| num(*x)).collect::<Vec<_>>().join(", "),
                    );
                    c.clone()
                }
                (None, c) => {
                    r.input("cut", "Cut, every stage", c.unwrap_or(0.5), "", c.is_none());
                    vec![c.unwrap_or(0.5); n]
                }
            };
            let (machines, known) = match a.machines_per_stage.as_ref().map(|l| &l.0) {
                Some(v) => {
                    r.input_value(
                        "machines_per_stage",
                        "Machines per stage",
                        json!(v),
                        format!("{v:?}"),
                    );
                    (v.clone(), true)
                }
                None => (vec![1; n], false),
            };
            if known && m.limit.is_none() {
                return Err(AppError::Usage(
                    "--machines-per-stage needs --machine or --machine-feed-kg-u-per-yr (the feed limit per machine)".into(),
                ));
            }
            r.input("stages", "Stages", n as f64, "", false).input(
                "feed_stage",
                "Feed stage (from the tails end)",
                k as f64,
                "",
                false,
            );
            // Without machine counts there is no feed limit: an effectively infinite one keeps
            // the engine's maximum-feed arithmetic out of the way.
            let limit = match m.limit {
                Some(l) if known => l,
                _ => MachineFeed::new(1e300)?,
            };
            let c = FixedCascade::new(machines, cuts, k, m.separation, limit)
                .map_err(|e| AppError::Input(format!("cascade flags: {e}")))?;
            (c, known, format!("{n}-stage cascade"))
        }
    };
    let feed = a.feed.resolve(&mut r)?;
    let run = cascade.run(&feed)?;
    let rate = match a.feed_kg_u_per_yr {
        Some(f) => {
            r.input("feed_kg_u_per_yr", "Feed rate", f, "kg U/yr", false);
            if !(f.is_finite() && f > 0.0) {
                return Err(AppError::Input(format!(
                    "--feed-kg-u-per-yr {f} is not valid: expected a positive rate in kg U/yr"
                )));
            }
            f
        }
        None if machines_known => {
            r.input(
                "feed_kg_u_per_yr",
                "Feed rate",
                run.max_feed_kg_u_per_yr,
                "kg U/yr (the maximum)",
                true,
            );
            run.max_feed_kg_u_per_yr
        }
        None => {
            return Err(AppError::Usage(
                "give --feed-kg-u-per-yr (or --machines-per-stage with a machine, for the maximum feed)".into(),
            ));
        }
    };
    let t = run.at_feed_rate(rate)?;
    let n = cascade.stages();
    let k = cascade.feed_stage();
    r.result_text("cascade", "Cascade", &title)
        .result(
            "enriching_stages",
            "Enriching stages (feed stage included)",
            (n - k + 1) as f64,
            "",
        )
        .result("stripping_stages", "Stripping stages", (k - 1) as f64, "")
        .result(
            "product_wt_pct",
            "Product",
            run.product.assay().wt_pct(),
            "wt-% U-235",
        )
        .result(
            "tails_wt_pct",
            "Tails",
            run.tails.assay().wt_pct(),
            "wt-% U-235",
        )
        .result(
            "product_kg_u_per_yr",
            "Product rate",
            t.product_kg_u_per_yr,
            "kg U/yr",
        )
        .result(
            "tails_kg_u_per_yr",
            "Tails rate",
            t.tails_kg_u_per_yr,
            "kg U/yr",
        )
        .result(
            "separative_work_swu",
            "Separative work in one year",
            t.separative_power_swu_per_yr,
            "kg-SWU",
        );
    if machines_known {
        r.result(
            "total_machines",
            "Machines",
            cascade.total_machines() as f64,
            "",
        )
        .result(
            "max_feed_kg_u_per_yr",
            "Maximum feed (most loaded stage at its limit)",
            run.max_feed_kg_u_per_yr,
            "kg U/yr",
        )
        .result(
            "limiting_stage",
            "Limiting stage",
            run.limiting_stage as f64,
            "",
        )
        .result(
            "peak_load",
            "Peak machine load",
            t.peak_load,
            "of the limit",
        );
        if t.peak_load > 1.0 + 1e-9 {
            r.note(format!(
                "the feed rate exceeds the cascade's maximum of {} kg U/yr: machines in stage {} run at {}× their limit",
                num(run.max_feed_kg_u_per_yr),
                run.limiting_stage,
                num(t.peak_load)
            ));
        }
    }
    stage_outputs(&mut r, &run, &t, machines_known);
    if let Some(passes) = a.recycle {
        let batch = a.batch_kg_u.unwrap_or(rate);
        r.input(
            "recycle",
            "Batch-recycling passes",
            passes as f64,
            "",
            false,
        )
        .input("batch_kg_u", "Batch", batch, "kg U", a.batch_kg_u.is_none());
        let rate_rule = if a.feed_kg_u_per_yr.is_some() || !machines_known {
            FeedRate::AtMost(rate)
        } else {
            FeedRate::Max
        };
        let rate_rule = if machines_known {
            rate_rule
        } else {
            FeedRate::AtMost(rate)
        };
        let b = batch_recycle(&cascade, &feed, batch, Passes::Count(passes), rate_rule)
            .map_err(|e| AppError::Input(format!("--recycle: {e}")))?;
        let mut tab = Table::new(
            "Batch recycling (product of each pass feeds the next)",
            &[
                "pass",
                "feed kg U",
                "feed wt-%",
                "product kg U",
                "product wt-%",
                "tails wt-%",
                "feed kg U/yr",
                "days",
                "kg-SWU",
            ],
        );
        let mut js = Vec::new();
        for p in &b.passes {
            // Without machine counts every pass runs at the given rate.
            let rate_used = if machines_known {
                p.feed_kg_u_per_yr
            } else {
                rate
            };
            let days = p.feed_kg_u / rate_used * enrich::units::DAYS_PER_YEAR;
            tab.row(vec![
                p.pass.to_string(),
                num(p.feed_kg_u),
                wt(&p.run.feed),
                num(p.product_kg_u),
                wt(&p.run.product),
                wt(&p.run.tails),
                num(rate_used),
                num(days),
                num(p.separative_work_swu),
            ]);
            js.push(json!({
                "pass": p.pass, "feed": stream_json(&p.run.feed, p.feed_kg_u, None),
                "product": stream_json(&p.run.product, p.product_kg_u, None),
                "tails": stream_json(&p.run.tails, p.tails_kg_u, None),
                "feed_kg_u_per_yr": rate_used, "days": days, "separative_work_swu": p.separative_work_swu,
            }));
        }
        let total_days = b.total_days();
        r.result(
            "recycle_days",
            "Batch recycling, total time",
            total_days,
            "days",
        )
        .result(
            "recycle_product_kg_u",
            "Batch recycling, final product",
            b.product_kg_u(),
            "kg U",
        )
        .result(
            "recycle_product_wt_pct",
            "Batch recycling, final product",
            b.product().assay().wt_pct(),
            "wt-% U-235",
        )
        .result(
            "recycle_separative_work_swu",
            "Batch recycling, separative work",
            b.separative_work_swu(),
            "kg-SWU",
        )
        .result_json(
            "recycle",
            json!({
                "passes": js, "days": total_days,
                "product": stream_json(b.product(), b.product_kg_u(), None),
                "tails_kg_u": b.tails_kg_u(), "separative_work_swu": b.separative_work_swu(),
            }),
        )
        .table(tab)
        .note(
            "batch recycling ignores reconfiguration between passes, hold-up and equilibrium time",
        );
    }
    r.note("stream masses `kg_u` in JSON are for one year at the feed rate; stages are counted from the tails end");
    Ok(r)
}
