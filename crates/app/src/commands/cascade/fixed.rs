//! `cascade run`: given hardware run off-design on any feed, with batch recycling.
//! [`fixed_run`] computes the typed [`FixedRunResult`]; the document is built from it.

use super::output::*;
use super::*;
use crate::data::{CascadeFile, bundled_cascade, cascade_from_toml};
use crate::document::{Document, Table, num};
use crate::error::AppError;
use enrich::MachineLibrary;
use enrich::cascade::{
    BatchRecycle, CascadeRun, FeedRate, FixedCascade, MachineFeed, Passes, batch_recycle,
};
use serde_json::json;

/// The `results` of `cascade run`: the cascade at its feed rate, and batch recycling if asked.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct FixedRunResult {
    /// The cascade's name (a bundled or file cascade), or "N-stage cascade" from flags.
    pub cascade: String,
    /// Enriching stages, the feed stage included (a count).
    pub enriching_stages: f64,
    /// Stripping stages (a count).
    pub stripping_stages: f64,
    /// Product assay, wt-% U-235.
    pub product_wt_pct: f64,
    /// Tails assay, wt-% U-235.
    pub tails_wt_pct: f64,
    /// Product rate, kg U/yr.
    pub product_kg_u_per_yr: f64,
    /// Tails rate, kg U/yr.
    pub tails_kg_u_per_yr: f64,
    /// Separative work in one year, kg-SWU.
    pub separative_work_swu: f64,
    /// Machines and loads, when the machine counts are known.
    #[serde(flatten)]
    pub capacity: Option<Capacity>,
    /// Product stream, one year at the feed rate.
    pub product: Stream,
    /// Tails stream, one year at the feed rate.
    pub tails: Stream,
    /// Every stage, tails end first.
    pub stages: Vec<StageRow>,
    /// Batch recycling, with `--recycle`.
    #[serde(flatten)]
    pub recycling: Option<Recycling>,
}

/// What a cascade with known machine counts can carry.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Capacity {
    /// Machines (a count).
    pub total_machines: f64,
    /// Maximum feed, the most loaded stage at its limit, kg U/yr.
    pub max_feed_kg_u_per_yr: f64,
    /// The stage that sets the maximum feed, from the tails end.
    pub limiting_stage: f64,
    /// Peak machine load at the feed rate, a fraction of the limit (> 1: overloaded).
    pub peak_load: f64,
}

/// Batch recycling: the product of each pass feeds the next.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Recycling {
    /// Total time, days.
    pub recycle_days: f64,
    /// Final product, kg U.
    pub recycle_product_kg_u: f64,
    /// Final product assay, wt-% U-235.
    pub recycle_product_wt_pct: f64,
    /// Separative work of all passes, kg-SWU.
    pub recycle_separative_work_swu: f64,
    /// The passes and totals.
    pub recycle: RecycleDetail,
}

/// The passes of batch recycling and their totals.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct RecycleDetail {
    /// Each pass, in order.
    pub passes: Vec<Pass>,
    /// Total time, days.
    pub days: f64,
    /// Final product.
    pub product: Stream,
    /// Tails of all passes, kg U.
    pub tails_kg_u: f64,
    /// Separative work of all passes, kg-SWU.
    pub separative_work_swu: f64,
}

/// One pass of batch recycling.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Pass {
    /// Pass number, from 1.
    pub pass: usize,
    /// Feed of the pass.
    pub feed: Stream,
    /// Product of the pass.
    pub product: Stream,
    /// Tails of the pass.
    pub tails: Stream,
    /// Feed rate used, kg U/yr.
    pub feed_kg_u_per_yr: f64,
    /// Duration, days.
    pub days: f64,
    /// Separative work, kg-SWU.
    pub separative_work_swu: f64,
}

/// Cut of every stage without `--cut` or `--cuts`: a symmetric stage.
const DEFAULT_CUT: f64 = 0.5;

/// Where the hardware came from, and what its document shows of it.
enum Hardware {
    /// A bundled or file cascade, perhaps with the machine overridden by flags.
    File {
        file: CascadeFile,
        machine: Option<Resolved>,
    },
    /// Flags: stages, cuts and machines per stage.
    Flags {
        machine: Resolved,
        cuts: Vec<f64>,
        machines_per_stage: Option<Vec<u32>>,
        stages: usize,
        feed_stage: usize,
    },
}

/// A fixed-cascade run and what its document shows besides the result.
struct Fixed {
    hardware: Hardware,
    feed: Composition,
    rate: f64,
    run: CascadeRun,
    batch: Option<(f64, BatchRecycle)>,
    result: FixedRunResult,
}

/// The fixed cascade of `a` (a bundled cascade, a cascade file or flags, machines from `lib`)
/// run on its feed, with batch recycling when asked: the typed result of `breakout cascade run`.
///
/// # Errors
/// [`AppError::Usage`] for flags that do not fit together (also when the request came as JSON,
/// past clap's checks), [`AppError::Input`] for a cascade or values the engine rejects.
pub fn fixed_run(a: &RunArgs, lib: &MachineLibrary) -> Result<FixedRunResult, AppError> {
    solve(a, lib).map(|f| f.result)
}

fn solve(a: &RunArgs, lib: &MachineLibrary) -> Result<Fixed, AppError> {
    // clap enforces these rules on the command line; a request built from JSON is checked here.
    for (flag, given) in [
        ("stages", a.stages.is_some()),
        ("cut", a.cut.is_some()),
        ("cuts", a.cuts.is_some()),
    ] {
        super::super::check_pair(flag, given, "cascade", a.cascade.is_some(), true)?;
    }
    super::super::check_pair("cut", a.cut.is_some(), "cuts", a.cuts.is_some(), true)?;
    super::super::check_pair(
        "batch_kg_u",
        a.batch_kg_u.is_some(),
        "recycle",
        a.recycle.is_some(),
        false,
    )?;
    let (hardware, cascade, machines_known, title) = match &a.cascade {
        Some(name) => {
            let file = match bundled_cascade(name)? {
                Some(f) => f,
                None => {
                    let text = crate::data::read_input_file(name).map_err(|e| {
                        AppError::Input(format!(
                            "`{name}` is neither a bundled cascade (ir1-164, ir1-174, ir2m-174, ir6-174) nor a readable file: {e}"
                        ))
                    })?;
                    cascade_from_toml(&text, name, lib)?
                }
            };
            let mut c = file.cascade.clone();
            let overridden = a.machine.alpha.is_some()
                || a.machine.machine_feed_kg_u_per_yr.is_some()
                || a.machine.machine.is_some();
            let machine = if overridden {
                let m = a.machine.resolve(lib)?;
                c = FixedCascade::new(
                    c.machines().to_vec(),
                    c.cuts().to_vec(),
                    c.feed_stage(),
                    m.separation,
                    m.limit.unwrap_or(c.machine_feed()),
                )?;
                Some(m)
            } else {
                None
            };
            let title = file.name.clone();
            (Hardware::File { file, machine }, c, true, title)
        }
        None => {
            let n = a.stages.ok_or_else(|| {
                AppError::Usage("give a cascade FILE|NAME, or --stages N --feed-stage K with --alpha or --machine".into())
            })?;
            // clap enforces this pairing on the command line; JSON requests reach here unchecked.
            let k = a
                .feed_stage
                .ok_or_else(|| AppError::Usage("--stages requires --feed-stage".into()))?;
            let m = a.machine.resolve(lib)?;
            let cuts = match (a.cuts.as_ref().map(|l| &l.0), a.cut) {
                (Some(c), _) => c.clone(),
                (None, c) => vec![c.unwrap_or(DEFAULT_CUT); n],
            };
            let per_stage = a.machines_per_stage.as_ref().map(|l| l.0.clone());
            let known = per_stage.is_some();
            if known && m.limit.is_none() {
                return Err(AppError::Usage(
                    "--machines-per-stage needs --machine or --machine-feed-kg-u-per-yr (the feed limit per machine)".into(),
                ));
            }
            // Without machine counts there is no feed limit: an effectively infinite one keeps
            // the engine's maximum-feed arithmetic out of the way.
            let limit = match m.limit {
                Some(l) if known => l,
                _ => MachineFeed::new(1e300)?,
            };
            let c = FixedCascade::new(
                per_stage.clone().unwrap_or_else(|| vec![1; n]),
                cuts.clone(),
                k,
                m.separation,
                limit,
            )
            .map_err(|e| AppError::Input(format!("cascade flags: {e}")))?;
            let hardware = Hardware::Flags {
                machine: m,
                cuts,
                machines_per_stage: per_stage,
                stages: n,
                feed_stage: k,
            };
            (hardware, c, known, format!("{n}-stage cascade"))
        }
    };
    let feed = a.feed.resolve()?;
    let run = cascade.run(&feed)?;
    let rate = match a.feed_kg_u_per_yr {
        Some(f) => {
            if !(f.is_finite() && f > 0.0) {
                return Err(AppError::Input(format!(
                    "--feed-kg-u-per-yr {f} is not valid: expected a positive rate in kg U/yr"
                )));
            }
            f
        }
        None if machines_known => run.max_feed_kg_u_per_yr,
        None => {
            return Err(AppError::Usage(
                "give --feed-kg-u-per-yr (or --machines-per-stage with a machine, for the maximum feed)".into(),
            ));
        }
    };
    let t = run.at_feed_rate(rate)?;
    let n = cascade.stages();
    let k = cascade.feed_stage();
    let (product, tails) = product_and_tails(&run, &t);
    let batch = match a.recycle {
        Some(passes) => {
            let batch = a.batch_kg_u.unwrap_or(rate);
            // A given rate caps every pass; without it the cascade runs each pass at its
            // maximum, which only machine counts define.
            let rate_rule = if a.feed_kg_u_per_yr.is_some() || !machines_known {
                FeedRate::AtMost(rate)
            } else {
                FeedRate::Max
            };
            let b = batch_recycle(&cascade, &feed, batch, Passes::Count(passes), rate_rule)
                .map_err(|e| AppError::Input(format!("--recycle: {e}")))?;
            Some((batch, b))
        }
        None => None,
    };
    let recycling = batch.as_ref().map(|(_, b)| {
        let passes = b
            .passes
            .iter()
            .map(|p| {
                // Without machine counts every pass runs at the given rate.
                let rate_used = if machines_known {
                    p.feed_kg_u_per_yr
                } else {
                    rate
                };
                Pass {
                    pass: p.pass,
                    feed: Stream::new(&p.run.feed, p.feed_kg_u, None),
                    product: Stream::new(&p.run.product, p.product_kg_u, None),
                    tails: Stream::new(&p.run.tails, p.tails_kg_u, None),
                    feed_kg_u_per_yr: rate_used,
                    days: p.feed_kg_u / rate_used * enrich::units::DAYS_PER_YEAR,
                    separative_work_swu: p.separative_work_swu,
                }
            })
            .collect();
        Recycling {
            recycle_days: b.total_days(),
            recycle_product_kg_u: b.product_kg_u(),
            recycle_product_wt_pct: b.product().assay().wt_pct(),
            recycle_separative_work_swu: b.separative_work_swu(),
            recycle: RecycleDetail {
                passes,
                days: b.total_days(),
                product: Stream::new(b.product(), b.product_kg_u(), None),
                tails_kg_u: b.tails_kg_u(),
                separative_work_swu: b.separative_work_swu(),
            },
        }
    });
    let result = FixedRunResult {
        cascade: title,
        enriching_stages: (n - k + 1) as f64,
        stripping_stages: (k - 1) as f64,
        product_wt_pct: run.product.assay().wt_pct(),
        tails_wt_pct: run.tails.assay().wt_pct(),
        product_kg_u_per_yr: t.product_kg_u_per_yr,
        tails_kg_u_per_yr: t.tails_kg_u_per_yr,
        separative_work_swu: t.separative_power_swu_per_yr,
        capacity: machines_known.then(|| Capacity {
            total_machines: cascade.total_machines() as f64,
            max_feed_kg_u_per_yr: run.max_feed_kg_u_per_yr,
            limiting_stage: run.limiting_stage as f64,
            peak_load: t.peak_load,
        }),
        product,
        tails,
        stages: stage_rows(&run, &t, machines_known),
        recycling,
    };
    Ok(Fixed {
        hardware,
        feed,
        rate,
        run,
        batch,
        result,
    })
}

/// `breakout cascade run`: the document of [`fixed_run`].
pub(super) fn fixed_document(a: &RunArgs, lib: &MachineLibrary) -> Result<Document, AppError> {
    let Fixed {
        hardware,
        feed,
        rate,
        run,
        batch,
        result: res,
    } = solve(a, lib)?;
    let mut r = Document::new("cascade run", "Fixed cascade run off-design");
    match &hardware {
        Hardware::File { file, machine } => {
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
            if let Some(m) = machine {
                a.machine.record(m, &mut r);
            }
        }
        Hardware::Flags {
            machine,
            cuts,
            machines_per_stage,
            stages,
            feed_stage,
        } => {
            a.machine.record(machine, &mut r);
            if a.cuts.is_some() {
                r.input_value(
                    "cuts",
                    "Cuts",
                    json!(cuts),
                    cuts.iter().map(|x| num(*x)).collect::<Vec<_>>().join(", "),
                );
            } else {
                r.input(
                    "cut",
                    "Cut, every stage",
                    a.cut.unwrap_or(DEFAULT_CUT),
                    "",
                    a.cut.is_none(),
                );
            }
            if let Some(v) = machines_per_stage {
                r.input_value(
                    "machines_per_stage",
                    "Machines per stage",
                    json!(v),
                    format!("{v:?}"),
                );
            }
            r.input("stages", "Stages", *stages as f64, "", false)
                .input(
                    "feed_stage",
                    "Feed stage (from the tails end)",
                    *feed_stage as f64,
                    "",
                    false,
                );
        }
    }
    a.feed.record(&feed, &mut r);
    match a.feed_kg_u_per_yr {
        Some(f) => r.input("feed_kg_u_per_yr", "Feed rate", f, "kg U/yr", false),
        None => r.input(
            "feed_kg_u_per_yr",
            "Feed rate",
            rate,
            "kg U/yr (the maximum)",
            true,
        ),
    };
    r.result_text("cascade", "Cascade", &res.cascade)
        .result(
            "enriching_stages",
            "Enriching stages (feed stage included)",
            res.enriching_stages,
            "",
        )
        .result(
            "stripping_stages",
            "Stripping stages",
            res.stripping_stages,
            "",
        )
        .result(
            "product_wt_pct",
            "Product",
            res.product_wt_pct,
            "wt-% U-235",
        )
        .result("tails_wt_pct", "Tails", res.tails_wt_pct, "wt-% U-235")
        .result(
            "product_kg_u_per_yr",
            "Product rate",
            res.product_kg_u_per_yr,
            "kg U/yr",
        )
        .result(
            "tails_kg_u_per_yr",
            "Tails rate",
            res.tails_kg_u_per_yr,
            "kg U/yr",
        )
        .result(
            "separative_work_swu",
            "Separative work in one year",
            res.separative_work_swu,
            "kg-SWU",
        );
    if let Some(c) = &res.capacity {
        r.result("total_machines", "Machines", c.total_machines, "")
            .result(
                "max_feed_kg_u_per_yr",
                "Maximum feed (most loaded stage at its limit)",
                c.max_feed_kg_u_per_yr,
                "kg U/yr",
            )
            .result("limiting_stage", "Limiting stage", c.limiting_stage, "")
            .result(
                "peak_load",
                "Peak machine load",
                c.peak_load,
                "of the limit",
            );
        if c.peak_load > 1.0 + 1e-9 {
            r.note(format!(
                "the feed rate exceeds the cascade's maximum of {} kg U/yr: machines in stage {} run at {}× their limit",
                num(c.max_feed_kg_u_per_yr),
                run.limiting_stage,
                num(c.peak_load)
            ));
        }
    }
    r.result_json("product", json!(res.product))
        .result_json("tails", json!(res.tails))
        .result_json("stages", json!(res.stages))
        .table(stage_table(&run, &res.stages));
    if let (Some(passes), Some(rec), Some((batch, b))) = (a.recycle, &res.recycling, &batch) {
        r.input(
            "recycle",
            "Batch-recycling passes",
            passes as f64,
            "",
            false,
        )
        .input(
            "batch_kg_u",
            "Batch",
            *batch,
            "kg U",
            a.batch_kg_u.is_none(),
        );
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
        for (row, p) in rec.recycle.passes.iter().zip(&b.passes) {
            tab.row(vec![
                row.pass.to_string(),
                num(row.feed.kg_u),
                wt(&p.run.feed),
                num(row.product.kg_u),
                wt(&p.run.product),
                wt(&p.run.tails),
                num(row.feed_kg_u_per_yr),
                num(row.days),
                num(row.separative_work_swu),
            ]);
        }
        r.result(
            "recycle_days",
            "Batch recycling, total time",
            rec.recycle_days,
            "days",
        )
        .result(
            "recycle_product_kg_u",
            "Batch recycling, final product",
            rec.recycle_product_kg_u,
            "kg U",
        )
        .result(
            "recycle_product_wt_pct",
            "Batch recycling, final product",
            rec.recycle_product_wt_pct,
            "wt-% U-235",
        )
        .result(
            "recycle_separative_work_swu",
            "Batch recycling, separative work",
            rec.recycle_separative_work_swu,
            "kg-SWU",
        )
        .result_json("recycle", json!(rec.recycle))
        .table(tab)
        .note(
            "batch recycling ignores reconfiguration between passes, hold-up and equilibrium time",
        );
    }
    r.note("stream masses `kg_u` in JSON are for one year at the feed rate; stages are counted from the tails end");
    Ok(r)
}
