//! The typed answer of `breakout run`: [`estimate`] resolves the flags, runs the headline model,
//! the ideal bound and (with `--samples`) the Monte Carlo, and returns a [`RunEstimate`] whose
//! [`RunResult`] serialises to exactly the `results` object of `breakout run --json`. The
//! document (text, CSV, JSON) and the HTML/Markdown report are both rendered from it, so they
//! cannot disagree.

use breakout::montecarlo::{self, RNG_NAME};
use breakout::{Estimate, Model, Scenario, StepKind, Weaponization};
use enrich::units::{DAYS_PER_MONTH, significant};
use enrich::{Assay, Days, KgU, Swu};
use serde::Serialize;

use super::{RunArgs, days_text, resolve, seed_from_os};
use crate::Progress;
use crate::data::bundled_machines;
use crate::document::num;
use crate::error::AppError;
use crate::states;
use crate::verification::{self, VerificationResult};

// The engine's typed days, masses and separative work become the result's unit-named numbers
// through these few conversions only, so each unit is unwrapped in one place.

/// Days from the decision.
fn days(d: Days) -> f64 {
    d.days()
}

/// Days, or `None` for "never".
fn opt_days(d: Option<Days>) -> Option<f64> {
    d.map(days)
}

/// Separative work, kg-SWU.
fn swu(x: Swu) -> f64 {
    x.kg_swu()
}

/// A mass of uranium, kg U.
fn kg_u(x: KgU) -> f64 {
    x.kg()
}

/// An assay, wt-% U-235.
fn wt_pct(a: Assay) -> f64 {
    a.wt_pct()
}

/// A range of days: weaponization added to the time to the goal.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct DaysRange {
    /// Shortest, days.
    pub low: f64,
    /// Longest, days.
    pub high: f64,
}

/// Whether a timeline step adds capacity or enriches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum StepKindName {
    /// Cascades come on line.
    Capacity,
    /// Material is enriched.
    Enrichment,
    /// Cascades are re-piped for a step they do not yet handle.
    #[serde(rename = "set-up")]
    SetUp,
}

/// A lot of material on hand.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LotResult {
    /// Mass, kg U.
    pub kg_u: f64,
    /// Assay, wt-% U-235.
    pub wt_pct: f64,
}

/// One entry of the schedule: which cascades do what, when, and what is on hand after it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScheduleEntry {
    /// Enrichment or set-up.
    pub activity: StepKindName,
    /// The cascades doing it.
    pub cascades: String,
    /// What they do.
    pub what: String,
    /// First day.
    pub from_day: f64,
    /// Last day (`None`: never ends).
    pub to_day: Option<f64>,
    /// Feed, kg U (enrichment).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub feed_kg_u: Option<f64>,
    /// Feed assay, wt-% U-235 (enrichment).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub feed_wt_pct: Option<f64>,
    /// Product, kg U.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub product_kg_u: Option<f64>,
    /// Product assay, wt-% U-235.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub product_wt_pct: Option<f64>,
    /// Tails, kg U.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tails_kg_u: Option<f64>,
    /// Tails assay, wt-% U-235.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tails_wt_pct: Option<f64>,
    /// Material on hand after an enrichment step, leanest first.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub on_hand_after: Vec<LotResult>,
}

/// One draw on a stock in an enrichment step.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FeedResult {
    /// The stock's label.
    pub stock: String,
    /// The site it is held at.
    pub site: String,
    /// Mass drawn, kg U.
    pub kg_u: f64,
    /// Its assay, wt-% U-235.
    pub wt_pct: f64,
}

/// One step of the timeline.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StepResult {
    /// Capacity or enrichment.
    pub kind: StepKindName,
    /// What happens.
    pub what: String,
    /// Where, on which cascades.
    pub cascades: String,
    /// First day.
    pub start_days: f64,
    /// Last day (`None`: never ends).
    pub end_days: Option<f64>,
    /// Capacity added (capacity steps), kg-SWU/yr.
    pub capacity_swu_per_yr: f64,
    /// Stocks drawn.
    pub feeds: Vec<FeedResult>,
    /// Product, kg U.
    pub product_kg_u: Option<f64>,
    /// Product assay, wt-% U-235.
    pub product_wt_pct: Option<f64>,
    /// Tails, kg U.
    pub tails_kg_u: Option<f64>,
    /// Tails assay, wt-% U-235.
    pub tails_wt_pct: Option<f64>,
    /// Separative work of the step, kg-SWU.
    pub separative_work_swu: f64,
}

/// A point of the production curve. The `sq` field counts goal units, whatever the unit
/// ([`RunResult::sq_unit`] names it): that is the JSON key the document has always used.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct CurvePoint {
    /// Days from the decision.
    pub days: f64,
    /// Goal units produced by then.
    pub sq: f64,
}

/// A percentile of the Monte Carlo's days to the goal.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Percentile {
    /// Which percentile, e.g. 5.
    pub percentile: f64,
    /// Days to the goal (`None`: among the samples that never reach it).
    pub days: Option<f64>,
}

/// A histogram bin of days to the goal.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Bin {
    /// Lower edge, days.
    pub low_days: f64,
    /// Upper edge, days.
    pub high_days: f64,
    /// Samples in the bin.
    pub count: usize,
}

/// How the Monte Carlo can be repeated.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Provenance {
    /// The seed.
    pub seed: u64,
    /// The generator.
    pub rng: String,
    /// Number of samples.
    pub samples: usize,
    /// Samples per independently seeded chunk.
    pub chunk: usize,
}

/// One row of the tornado: an uncertain input at its 5th and 95th percentile, others central.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TornadoRow {
    /// The input's key (as in the `assumptions` input).
    pub input: String,
    /// The input's label, for people (not in the JSON: `assumptions` carries it).
    #[serde(skip)]
    pub label: String,
    /// The input's 5th-percentile value.
    pub low_value: f64,
    /// Its 95th-percentile value.
    pub high_value: f64,
    /// Days to the goal at the low value (`None`: never).
    pub days_at_low: Option<f64>,
    /// Days to the goal at the high value (`None`: never).
    pub days_at_high: Option<f64>,
}

impl TornadoRow {
    /// How far the goal moves between the two values, days (`None` if either never reaches it;
    /// 0 within rounding: [`breakout::montecarlo::swing`]).
    pub fn swing_days(&self) -> Option<f64> {
        Some(breakout::montecarlo::swing(
            self.days_at_low?,
            self.days_at_high?,
        ))
    }
}

/// The Monte Carlo over the uncertain inputs (with `--samples`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MonteCarloResult {
    /// Percentiles of the days to the goal.
    pub percentiles: Vec<Percentile>,
    /// Samples that never reach the goal.
    pub samples_never: usize,
    /// Mean days over the samples that reach the goal.
    pub mean_days: Option<f64>,
    /// Equal-width histogram of days to the goal.
    pub histogram: Vec<Bin>,
    /// Seed, generator and sample count.
    pub provenance: Provenance,
    /// Sensitivity to each uncertain input, largest swing first.
    pub tornado: Vec<TornadoRow>,
}

/// Everything `breakout run` finds, typed; serialises to the `results` object of its JSON.
///
/// Times are for the goal of [`RunEstimate::scenario`]: `goal.count` units of [`Self::sq_unit`]
/// (the `sq` in the key names is historical: the unit may be WGU or a mass).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RunResult {
    /// The model of the headline figures, e.g. "fixed-cascade".
    pub headline_model: String,
    /// The goal unit: "SQ", "WGU" or a mass.
    pub sq_unit: String,
    /// Days to the first goal unit (`None`: never).
    pub first_sq_days: Option<f64>,
    /// The same, as text with weeks and months.
    pub first_sq: String,
    /// Days to the first unit with the model's operating constraints relaxed (no set-up: every
    /// cascade takes every step at once; for the optimum also no hall idled by re-piping and
    /// no HEU efficiency) — what the hardware alone allows; the smaller of that run and the
    /// model's own, since the batch heuristic is not exactly monotone in set-up (the optimum
    /// is, to its search tolerance). Not for the ideal model, which has no such constraint.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fastest_first_sq_days: Option<f64>,
    /// The same, as text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fastest_first_sq: Option<String>,
    /// The ideal model's lower bound on days to the first unit.
    pub ideal_first_sq_days: Option<f64>,
    /// The same, as text.
    pub ideal_first_sq: String,
    /// Days to all `goal.count` units.
    pub goal_days: Option<f64>,
    /// The same, as text (only when the goal is more than one unit).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub goal: Option<String>,
    /// Separative work for all `goal.count` units, kg-SWU.
    pub separative_work_swu: f64,
    /// Capacity at day 0, kg-SWU/yr.
    pub capacity_swu_per_yr: f64,
    /// Capacity once all additions are on line, kg-SWU/yr (only if it grows).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub final_capacity_swu_per_yr: Option<f64>,
    /// Goal units the stocks give before natural uranium is the limit.
    pub stock_limit_sq: f64,
    /// Days until then (`None`: never).
    pub stock_limit_days: Option<f64>,
    /// Days to a weapon: the goal plus weaponization (with `--weaponization-months`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub weapon_days: Option<DaysRange>,
    /// The same, as text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub weapon: Option<String>,
    /// The timeline.
    pub steps: Vec<StepResult>,
    /// The schedule up to the goal: which cascades enrich or are set up when, with the flows
    /// and the material on hand after each pass (fixed-cascade model; the other models list
    /// their enrichment steps without inventories).
    pub schedule: Vec<ScheduleEntry>,
    /// Goal units produced against days.
    pub production_curve: Vec<CurvePoint>,
    /// What the model did that bounds its answer (the optimum's pool grid, merged time
    /// buckets), each with its size.
    pub model_notes: Vec<String>,
    /// The Monte Carlo (with `--samples`); its fields sit beside the others in the JSON.
    #[serde(flatten)]
    pub monte_carlo: Option<MonteCarloResult>,
    /// Would inspectors notice? Detection against the time to the first unit under the state's
    /// regime or `--regime` (`None`: quick mode without `--regime`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub verification: Option<VerificationResult>,
}

/// One numeric input with its source, as listed under the `assumptions` input.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Assumption {
    /// Its key (not in the JSON object: the key of the map holds it).
    #[serde(skip)]
    pub key: String,
    /// What it is.
    pub label: String,
    /// Central value.
    pub value: f64,
    /// The value or distribution as text.
    pub distribution: String,
    /// Its unit.
    pub unit: String,
    /// Where it comes from.
    pub source: String,
}

/// The resolved inputs of a run and its typed result.
#[derive(Debug)]
pub struct RunEstimate {
    /// The request as given (which flags were left at their defaults).
    pub args: RunArgs,
    /// The engine's inputs: goal, tails, capacity, stocks and every numeric input with its source.
    pub scenario: Scenario,
    /// The facility state (`None` in quick mode).
    pub state: Option<states::State>,
    /// The headline model.
    pub model: Model,
    /// Weaponization time, if asked for.
    pub weaponization: Option<Weaponization>,
    /// Lowest tails the stock cascade floats to (below it natural uranium is cheaper).
    pub stock_tails_floor: Assay,
    /// The answer.
    pub result: RunResult,
}

impl RunEstimate {
    /// Every numeric input with its source, and (fixed-cascade model) the cascade hardware.
    pub fn assumptions(&self) -> Vec<Assumption> {
        let mut out: Vec<Assumption> = self
            .scenario
            .inputs
            .iter()
            .map(|i| Assumption {
                key: i.key.clone(),
                label: i.label.clone(),
                value: i.param.central(),
                distribution: i.param.describe(),
                unit: i.unit.clone(),
                source: i.source.clone(),
            })
            .collect();
        let kinds = self
            .scenario
            .hardware
            .as_deref()
            .map_or(&[][..], |h| h.kinds());
        if matches!(self.model, Model::FixedCascade | Model::Optimum) {
            // Same shape as the other inputs, so every consumer of `assumptions` reads them alike.
            out.extend(kinds.iter().enumerate().map(|(n, h)| Assumption {
                key: format!("cascade_hardware.{}", n + 1),
                label: format!("Cascade hardware ({} model)", self.model.id()),
                value: h.nominal_swu_per_yr,
                distribution: num(h.nominal_swu_per_yr),
                unit: "kg-SWU/yr rated (its weight; idle cascades included)".into(),
                source: h.label.clone(),
            }));
        }
        if self.model == Model::Optimum {
            let o = &self.scenario.optimum;
            out.push(Assumption {
                key: "optimum.setup_idles_hall".into(),
                label: "Re-piping idles the whole hall (optimum model)".into(),
                value: if o.setup_idles_hall { 1.0 } else { 0.0 },
                distribution: if o.setup_idles_hall { "yes" } else { "no" }.into(),
                unit: "yes/no".into(),
                source: if kinds.iter().all(|h| h.built_for_each_step) {
                    "no cascade layout given: cascades built for the steps they run, no set-up"
                        .into()
                } else if o.setup_idles_hall {
                    "--setup-idles-hall (operating constraint)".into()
                } else {
                    "default: only the cascades being re-piped are idle during the set-up".into()
                },
            });
            out.extend(o.heu_efficiency.iter().map(|(t, f)| Assumption {
                key: format!("optimum.heu_efficiency.{t}"),
                label: format!("{t} efficiency in HEU configurations (optimum model)"),
                value: *f,
                distribution: num(*f),
                unit: "× rated output".into(),
                source: "--heu-efficiency (operating constraint)".into(),
            }));
        }
        out
    }
}

/// The schedule: the enrichment and set-up steps of the estimate, up to the goal — who does
/// what, when, with the flows and what is on hand after each pass.
fn schedule(e: &Estimate) -> Vec<ScheduleEntry> {
    let goal = e.goal_days.map_or(f64::INFINITY, days);
    e.steps
        .iter()
        .filter(|s| s.kind != StepKind::Capacity)
        .filter(|s| s.start_days.is_some_and(|d| days(d) <= goal))
        .map(|s| {
            let feed_kg: f64 = s.feeds.iter().map(|f| kg_u(f.kg_u)).sum();
            let feed_pct = (feed_kg > 0.0).then(|| {
                s.feeds
                    .iter()
                    .map(|f| kg_u(f.kg_u) * wt_pct(f.assay))
                    .sum::<f64>()
                    / feed_kg
            });
            ScheduleEntry {
                activity: match s.kind {
                    StepKind::SetUp => StepKindName::SetUp,
                    _ => StepKindName::Enrichment,
                },
                cascades: s.cascades.clone(),
                what: s.what.clone(),
                from_day: s.start_days.map_or(f64::INFINITY, days),
                to_day: opt_days(s.end_days),
                feed_kg_u: feed_pct.map(|_| feed_kg),
                feed_wt_pct: feed_pct,
                product_kg_u: s.product.map(|p| kg_u(p.0)),
                product_wt_pct: s.product.map(|p| wt_pct(p.1)),
                tails_kg_u: s.tails.map(|t| kg_u(t.0)),
                tails_wt_pct: s.tails.map(|t| wt_pct(t.1)),
                on_hand_after: s
                    .on_hand
                    .iter()
                    .map(|&(kg, x)| LotResult {
                        kg_u: kg_u(kg),
                        wt_pct: wt_pct(x),
                    })
                    .collect(),
            }
        })
        .collect()
}

fn steps(e: &Estimate) -> Vec<StepResult> {
    e.steps
        .iter()
        .map(|s| StepResult {
            kind: match s.kind {
                StepKind::Capacity => StepKindName::Capacity,
                StepKind::Enrichment => StepKindName::Enrichment,
                StepKind::SetUp => StepKindName::SetUp,
            },
            what: s.what.clone(),
            cascades: s.cascades.clone(),
            // A step after one that never ends never starts: infinity, which JSON writes as null.
            start_days: s.start_days.map_or(f64::INFINITY, days),
            end_days: opt_days(s.end_days),
            capacity_swu_per_yr: s.capacity_swu_per_yr,
            feeds: s
                .feeds
                .iter()
                .map(|f| FeedResult {
                    stock: f.label.clone(),
                    site: f.site.clone(),
                    kg_u: kg_u(f.kg_u),
                    wt_pct: wt_pct(f.assay),
                })
                .collect(),
            product_kg_u: s.product.map(|p| kg_u(p.0)),
            product_wt_pct: s.product.map(|p| wt_pct(p.1)),
            tails_kg_u: s.tails.map(|t| kg_u(t.0)),
            tails_wt_pct: s.tails.map(|t| wt_pct(t.1)),
            separative_work_swu: swu(s.separative_work_swu),
        })
        .collect()
}

/// Resolves the flags and computes the estimate, the ideal bound and (with `--samples`) the
/// Monte Carlo. A Monte Carlo without `--seed` draws one from the OS and prints it on stderr.
///
/// # Errors
/// [`AppError::Usage`] for flags that do not fit together, [`AppError::Input`] for a state the
/// engine rejects, [`AppError::Internal`] when a solver fails.
pub fn estimate(a: RunArgs, progress: &dyn Progress) -> Result<RunEstimate, AppError> {
    let model: Model = a
        .model
        .parse()
        .map_err(|e: breakout::BreakoutError| AppError::Usage(e.to_string()))?;
    let weapon = a
        .weaponization_months
        .map(|super::MonthRange { lo, hi }| Weaponization::new(lo, hi))
        .transpose()
        .map_err(|e| AppError::Usage(e.to_string()))?;
    if a.samples == Some(0) {
        return Err(AppError::Usage(
            "--samples 0: expected at least 1 sample".into(),
        ));
    }
    let lib = bundled_machines()?;
    let (sc, state) = resolve(&a, &lib)?;
    let engine = AppError::from;
    let values = sc.central_values();
    let est = model.prepare(&sc).map_err(engine)?;
    let e = est.estimate(&values).map_err(engine)?;
    let ideal_first = if model == Model::Ideal {
        e.first_unit_days
    } else {
        Model::Ideal
            .prepare(&sc)
            .map_err(engine)?
            .estimate(&values)
            .map_err(engine)?
            .first_unit_days
    };
    let fastest = if model == Model::Ideal {
        None
    } else {
        // The optimum's operating constraints are options of the scenario, not values: where
        // the user set one, a copy without them is prepared again.
        let constrained = model == Model::Optimum
            && (sc.optimum.setup_idles_hall || !sc.optimum.heu_efficiency.is_empty());
        let relaxed = if constrained {
            let mut free = sc.clone();
            free.optimum.setup_idles_hall = false;
            free.optimum.heu_efficiency.clear();
            model
                .prepare(&free)
                .and_then(|e| e.estimate(&free.relaxed(&values)))
        } else {
            est.estimate(&sc.relaxed(&values))
        }
        .map_err(engine)?;
        Some(
            opt_days(relaxed.first_unit_days)
                .into_iter()
                .chain(opt_days(e.first_unit_days))
                .reduce(f64::min),
        )
    };
    let goal = sc.goal;
    let unit = goal.unit_name();
    let first = opt_days(e.first_unit_days);
    let ideal_first = opt_days(ideal_first);
    let goal_days = opt_days(e.goal_days);
    let initial = e.initial_capacity_swu_per_yr;
    let last = e.final_capacity_swu_per_yr;
    let weapon_days = weapon.zip(goal_days).map(|(w, d)| {
        let (low, high) = w.weapon_days(d);
        DaysRange { low, high }
    });
    let monte_carlo = match a.samples {
        Some(n) => {
            let seed = match a.seed {
                Some(s) => s,
                None => {
                    let s = seed_from_os();
                    eprintln!("seed: {s}");
                    s
                }
            };
            Some(monte_carlo(est.as_ref(), &sc, n, seed, progress)?)
        }
        None => None,
    };
    let (monte_carlo, samples) = match monte_carlo {
        Some((m, s)) => (Some(m), Some(s)),
        None => (None, None),
    };
    // The prepared model borrows the scenario, which the answer takes.
    drop(est);
    // --regime may be a file; a state names a bundled regime only.
    let regime = match &a.regime {
        Some(r) => Some(crate::regimes::load(r)?),
        None => state
            .as_ref()
            .and_then(|s| s.data.regime.as_deref())
            .map(crate::regimes::load_bundled)
            .transpose()?,
    };
    let mut verification = regime
        .as_ref()
        .map(|r| verification::assess(r, first))
        .transpose()?;
    // The draws time the goal: with one unit that is the first unit, the breakout time the
    // warning is counted against.
    if let (Some(v), Some(r), Some(s), 1) = (&mut verification, &regime, &samples, goal.count) {
        v.add_monte_carlo(r, s)?;
    }
    let result = RunResult {
        headline_model: model.id().to_string(),
        sq_unit: unit.to_string(),
        first_sq_days: first,
        first_sq: days_text(first),
        fastest_first_sq_days: fastest.flatten(),
        fastest_first_sq: fastest.map(days_text),
        ideal_first_sq_days: ideal_first,
        ideal_first_sq: days_text(ideal_first),
        goal_days,
        goal: (goal.count > 1).then(|| days_text(goal_days)),
        separative_work_swu: swu(e.goal_swu),
        capacity_swu_per_yr: initial,
        final_capacity_swu_per_yr: (last > initial).then_some(last),
        stock_limit_sq: e.stock_limit_units,
        stock_limit_days: opt_days(e.stock_limit_days),
        weapon_days,
        weapon: weapon_days.map(|w| {
            format!(
                "{}–{} days ({}–{} months); not breakout time",
                significant(w.low, 4),
                significant(w.high, 4),
                significant(w.low / DAYS_PER_MONTH, 3),
                significant(w.high / DAYS_PER_MONTH, 3)
            )
        }),
        steps: steps(&e),
        schedule: schedule(&e),
        model_notes: e.notes.clone(),
        production_curve: e
            .curve
            .iter()
            .map(|p| CurvePoint {
                days: days(p.days),
                sq: p.units,
            })
            .collect(),
        monte_carlo,
        verification,
    };
    Ok(RunEstimate {
        args: a,
        scenario: sc,
        state,
        model,
        weaponization: weapon,
        stock_tails_floor: e.stock_tails_floor,
        result,
    })
}

fn monte_carlo(
    est: &dyn breakout::Estimator,
    sc: &Scenario,
    n: usize,
    seed: u64,
    progress: &dyn Progress,
) -> Result<(MonteCarloResult, Vec<f64>), AppError> {
    let engine = AppError::from;
    let report = |done: usize| progress.update("samples", done as u64, n as u64);
    let cancelled = || progress.cancelled();
    let sampled = montecarlo::sample_goal_days_cancellable(est, sc, n, seed, &report, &cancelled);
    progress.finish();
    let sampled = sampled.map_err(engine)?;
    let s = montecarlo::summarize(sampled.clone(), 20);
    let finite = |d: f64| d.is_finite().then_some(d);
    let tornado = montecarlo::tornado(est, sc)
        .map_err(engine)?
        .iter()
        .map(|row| {
            let i = &sc.inputs[row.input];
            TornadoRow {
                input: i.key.clone(),
                label: i.label.clone(),
                low_value: row.low_value,
                high_value: row.high_value,
                days_at_low: finite(row.days_at_low),
                days_at_high: finite(row.days_at_high),
            }
        })
        .collect();
    let result = MonteCarloResult {
        percentiles: s
            .percentiles
            .iter()
            .map(|&(percentile, d)| Percentile {
                percentile,
                days: d,
            })
            .collect(),
        samples_never: s.never,
        mean_days: s.mean_days,
        histogram: s
            .histogram
            .iter()
            .map(|b| Bin {
                low_days: b.low_days,
                high_days: b.high_days,
                count: b.count,
            })
            .collect(),
        provenance: Provenance {
            seed,
            rng: RNG_NAME.to_string(),
            samples: n,
            chunk: montecarlo::CHUNK,
        },
        tornado,
    };
    Ok((result, sampled))
}
