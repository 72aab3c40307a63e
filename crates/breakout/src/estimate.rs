//! Estimators: from a scenario to a breakout timeline, a production curve and the time to the
//! goal.
//!
//! An estimator is chosen by [`Model`] and prepared once per scenario ([`Model::prepare`]): the
//! preparation does everything that does not depend on the input values (the planner's split
//! assay, the stocks when they are certain), so the Monte Carlo path
//! ([`Estimator::goal_days`]) is a capacity schedule and at most one plan per draw.

use std::fmt;
use std::str::FromStr;

use enrich::units::DAYS_PER_YEAR;
use enrich::{Assay, Days, KgU, Stock, Swu};

use crate::capacity::CapacitySchedule;
use crate::error::BreakoutError;
use crate::goal::Goal;
use crate::ideal::{IdealPlanner, Production};
use crate::scenario::{GroupStatus, Scenario};

/// A production model.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Model {
    /// Least-SWU use of all stocks through ideal cascades at full capacity: the lower bound.
    Ideal,
    /// Batch recycling through the scenario's real cascade hardware run off-design.
    FixedCascade,
    /// The operator's best schedule: a time-indexed linear program over material flows between
    /// assay pools through the scenario's cascade hardware.
    Optimum,
}

/// The model behind the headline figure (`results.first_sq_days`): the operator's best schedule.
pub const HEADLINE: Model = Model::Optimum;

/// The model `deal design` screens its candidates with. A design evaluates a thousand floors or
/// more (1,375 on the bundled space), and a floor under the optimum takes 0.1–2 s where the
/// fixed-cascade heuristic's takes milliseconds, so the design sweeps with the heuristic, says
/// so in its output, and `deal floor --model fixed-cascade` reproduces each point.
pub const SCREENING: Model = Model::FixedCascade;

impl Model {
    /// Every model, in the order reports list them.
    pub const ALL: [Model; 3] = [Model::FixedCascade, Model::Optimum, Model::Ideal];

    /// The id used by `--model`.
    pub fn id(self) -> &'static str {
        match self {
            Model::Ideal => "ideal",
            Model::FixedCascade => "fixed-cascade",
            Model::Optimum => "optimum",
        }
    }

    /// One sentence on what the model assumes.
    pub fn describe(self) -> &'static str {
        match self {
            Model::Ideal => {
                "ideal: all capacity pooled into ideal cascades at rated output × efficiency; every \
                 usable stock drawn through the least-SWU plan with floating tails, then natural \
                 uranium; no set-up or reconfiguration time (a lower bound on time)"
            }
            Model::FixedCascade => {
                "fixed-cascade (a heuristic, not the headline): batch recycling through the \
                 cascade hardware (a state's cascades run off-design; in quick mode, cascades \
                 built for each step), which sets each \
                 pass's product and tails assays; products re-fed, tails \
                 richer than natural uranium recycled, goal-grade product blended down with natural \
                 uranium; a set-up time per new step, during which only the cascades already \
                 handling that step run it; capacity otherwise pooled as in the ideal model"
            }
            Model::Optimum => {
                "optimum: the operator's best schedule through \
                 the state's cascade hardware, a linear program over flows between assay pools in \
                 time buckets; known bias: the assay-pool grid rounds streams down, so it errs \
                 slow on long chains from natural or low-enriched uranium (--pool-split gives the \
                 fast side)"
            }
        }
    }

    /// Prepares the estimator for `scenario`.
    ///
    /// # Errors
    /// [`BreakoutError`] if the scenario's tails settings do not fit its goal.
    pub fn prepare(self, scenario: &Scenario) -> Result<Box<dyn Estimator + '_>, BreakoutError> {
        match self {
            Model::Ideal => Ok(Box::new(IdealEstimator::new(scenario)?)),
            Model::FixedCascade => Ok(Box::new(crate::fixed::FixedCascadeEstimator::new(
                scenario,
            )?)),
            Model::Optimum => Ok(Box::new(crate::optimum::OptimumEstimator::new(scenario)?)),
        }
    }
}

impl fmt::Display for Model {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

impl FromStr for Model {
    type Err = BreakoutError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Model::ALL
            .into_iter()
            .find(|m| m.id().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| {
                let known: Vec<&str> = Model::ALL.iter().map(|m| m.id()).collect();
                BreakoutError::invalid("--model", s, format!("one of {}", known.join(", ")))
            })
    }
}

/// Reusable buffers for the Monte Carlo path.
#[derive(Debug, Default)]
pub struct Scratch {
    pub(crate) stocks: Vec<Stock>,
    pub(crate) schedule: CapacitySchedule,
    /// The optimum model's last optimal bases, to warm-start the next draw's programs.
    pub(crate) warm: crate::lp::WarmStarts,
}

/// What every production model provides.
pub trait Estimator: Sync {
    /// The model.
    fn model(&self) -> Model;

    /// The full estimate for these input values (one per [`Scenario::inputs`]).
    ///
    /// # Errors
    /// [`BreakoutError`] if a plan cannot be made from these values.
    fn estimate(&self, values: &[f64]) -> Result<Estimate, BreakoutError>;

    /// Days to the goal (all `count` units) for these values; `f64::INFINITY` if capacity never
    /// suffices. The Monte Carlo path: no allocation beyond `scratch`.
    ///
    /// # Errors
    /// As [`Estimator::estimate`].
    fn goal_days(&self, values: &[f64], scratch: &mut Scratch) -> Result<f64, BreakoutError>;
}

/// A point of the cumulative production curve.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CurvePoint {
    /// Days from the start of breakout.
    pub days: Days,
    /// Goal units made by then.
    pub units: f64,
}

/// What a step of the timeline is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepKind {
    /// Capacity comes on line.
    Capacity,
    /// Enrichment: feed in, product and tails out.
    Enrichment,
    /// Cascades re-piped for a step they do not yet handle (feed and withdrawal points moved,
    /// stage cuts reset); they enrich nothing meanwhile.
    SetUp,
}

/// A feed drawn by an enrichment step.
#[derive(Debug, Clone, PartialEq)]
pub struct FeedDraw {
    /// What the feed is (band and form, or "natural uranium").
    pub label: String,
    /// Where it is.
    pub site: String,
    /// Uranium drawn.
    pub kg_u: KgU,
    /// Assay.
    pub assay: Assay,
}

/// One step of a breakout timeline.
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    /// What kind of step.
    pub kind: StepKind,
    /// What happens.
    pub what: String,
    /// Where, and with which cascades.
    pub cascades: String,
    /// Start (`None`: never, after a step that never ends).
    pub start_days: Option<Days>,
    /// End, days (`None`: never, for lack of capacity).
    pub end_days: Option<Days>,
    /// Capacity added by a capacity step, kg-SWU/yr.
    pub capacity_swu_per_yr: f64,
    /// Feeds drawn.
    pub feeds: Vec<FeedDraw>,
    /// Product and its assay.
    pub product: Option<(KgU, Assay)>,
    /// Tails and their assay.
    pub tails: Option<(KgU, Assay)>,
    /// Separative work.
    pub separative_work_swu: Swu,
    /// Material on hand after the step, kg U at its assay, leanest first (the fixed-cascade
    /// model's lots and goal-grade pool; empty for the other models and for capacity steps).
    pub on_hand: Vec<(KgU, Assay)>,
}

impl Step {
    /// A step that moves no material: capacity coming on line, a set-up, a note on how the
    /// answer was found.
    pub(crate) fn event(
        kind: StepKind,
        what: String,
        cascades: String,
        (start_days, end_days): (Days, Days),
        capacity_swu_per_yr: f64,
    ) -> Step {
        Step {
            kind,
            what,
            cascades,
            start_days: Some(start_days),
            end_days: Some(end_days),
            capacity_swu_per_yr,
            feeds: Vec::new(),
            product: None,
            tails: None,
            separative_work_swu: Swu::default(),
            on_hand: Vec::new(),
        }
    }
}

/// The result of an estimator.
#[derive(Debug, Clone, PartialEq)]
pub struct Estimate {
    /// The model.
    pub model: Model,
    /// The goal.
    pub goal: Goal,
    /// Days to the first unit (`None`: never).
    pub first_unit_days: Option<Days>,
    /// Days to all `goal.count` units (`None`: never).
    pub goal_days: Option<Days>,
    /// Separative work for all `goal.count` units.
    pub goal_swu: Swu,
    /// Capacity at day 0, kg-SWU/yr.
    pub initial_capacity_swu_per_yr: f64,
    /// Capacity once everything is on line, kg-SWU/yr.
    pub final_capacity_swu_per_yr: f64,
    /// The timeline.
    pub steps: Vec<Step>,
    /// Cumulative production: units vs days, starting at (0, 0).
    pub curve: Vec<CurvePoint>,
    /// Units the stocks can give before natural uranium becomes the limit.
    pub stock_limit_units: f64,
    /// When the stocks are used up (`None`: never reached, or no stocks).
    pub stock_limit_days: Option<Days>,
    /// Stock cascade tails floor (split assay below which natural uranium is cheaper).
    pub stock_tails_floor: Assay,
    /// What the model did that bounds its answer (the optimum's pool grid, merged time
    /// buckets), each with its size, for the reader.
    pub notes: Vec<String>,
}

/// Most points of the production curve beyond the goal count.
const MAX_CURVE_UNITS: u32 = 40;

/// The least-SWU lower bound.
pub struct IdealEstimator<'a> {
    scenario: &'a Scenario,
    planner: IdealPlanner,
    /// Stocks and the goal's work, when no stock input is uncertain.
    fixed: Option<(Vec<Stock>, f64)>,
}

impl<'a> IdealEstimator<'a> {
    /// Prepares the estimator.
    ///
    /// # Errors
    /// [`BreakoutError`] for tails settings that do not fit the goal.
    pub fn new(scenario: &'a Scenario) -> Result<Self, BreakoutError> {
        let planner = IdealPlanner::new(
            scenario.goal.product_assay,
            scenario.natural_tails,
            scenario.tails,
        )?;
        let fixed = if scenario.stocks_uncertain() {
            None
        } else {
            let mut stocks = Vec::new();
            scenario.usable_stocks(&scenario.central_values(), &mut stocks);
            let swu = planner.separative_work(goal_kg(&scenario.goal), &stocks)?;
            Some((stocks, swu))
        };
        Ok(IdealEstimator {
            scenario,
            planner,
            fixed,
        })
    }

    fn production(&self, kg: f64, stocks: &[Stock]) -> Result<Production, BreakoutError> {
        self.planner.production(kg, stocks)
    }
}

pub(crate) fn goal_kg(goal: &Goal) -> f64 {
    goal.unit_kg_u() * f64::from(goal.count)
}

impl Estimator for IdealEstimator<'_> {
    fn model(&self) -> Model {
        Model::Ideal
    }

    fn goal_days(&self, values: &[f64], scratch: &mut Scratch) -> Result<f64, BreakoutError> {
        let swu = match &self.fixed {
            Some((_, swu)) => *swu,
            None => {
                self.scenario.usable_stocks(values, &mut scratch.stocks);
                self.planner
                    .separative_work(goal_kg(&self.scenario.goal), &scratch.stocks)?
            }
        };
        self.scenario.capacity(values, &mut scratch.schedule);
        Ok(scratch.schedule.days_for(swu).unwrap_or(f64::INFINITY))
    }

    fn estimate(&self, values: &[f64]) -> Result<Estimate, BreakoutError> {
        let s = self.scenario;
        let goal = s.goal;
        let unit = goal.unit_kg_u();
        let (origins, stocks): (Vec<usize>, Vec<Stock>) =
            s.usable_stock_entries(values).into_iter().unzip();
        let mut schedule = CapacitySchedule::default();
        s.capacity(values, &mut schedule);

        let mut steps = capacity_steps(s, values, &schedule)?;

        let total = self.production(goal_kg(&goal), &stocks)?;
        let goal_swu = total.separative_work_swu();
        let goal_days = schedule.days_for(goal_swu);
        let first_unit_days = schedule.days_for(self.planner.separative_work(unit, &stocks)?);

        let pooled = pooled_description(s);
        let mut t0 = Some(0.0);
        if let Some(plan) = &total.from_stocks {
            let swu = plan.separative_work.kg_swu();
            let end = schedule.days_for(swu);
            let feeds = plan
                .draws
                .iter()
                .zip(&origins)
                .filter(|(d, _)| d.drawn.kg() > 0.0)
                .map(|(d, &i)| FeedDraw {
                    label: s.stocks[i].label.clone(),
                    site: s.stocks[i].site.clone(),
                    kg_u: d.drawn,
                    assay: d.stock.assay,
                })
                .collect();
            steps.push(Step {
                kind: StepKind::Enrichment,
                what: format!(
                    "enrich the stocks to {} wt-% (least-SWU plan, tails {})",
                    enrich::units::significant(goal.product_assay.wt_pct(), 4),
                    match plan.binding {
                        enrich::plan::TailsBinding::Fixed => "fixed",
                        enrich::plan::TailsBinding::StocksExhausted =>
                            "floating: stocks drawn in full",
                        enrich::plan::TailsBinding::Ceiling => "at the ceiling",
                    }
                ),
                cascades: pooled.clone(),
                start_days: Some(Days::default()),
                end_days: opt_days(end)?,
                capacity_swu_per_yr: 0.0,
                feeds,
                product: Some((plan.product, goal.product_assay)),
                tails: Some((plan.tails, plan.tails_assay)),
                separative_work_swu: plan.separative_work,
                on_hand: Vec::new(),
            });
            t0 = end;
        }
        if let Some(n) = total.from_natural {
            steps.push(Step {
                kind: StepKind::Enrichment,
                what: format!(
                    "stocks exhausted: enrich natural uranium to {} wt-% (fixed tails)",
                    enrich::units::significant(goal.product_assay.wt_pct(), 4)
                ),
                cascades: pooled,
                start_days: opt_days(t0)?,
                end_days: opt_days(goal_days)?,
                capacity_swu_per_yr: 0.0,
                feeds: vec![FeedDraw {
                    label: "natural uranium (assumed not limiting)".into(),
                    site: "-".into(),
                    kg_u: KgU::new(n.feed_kg_u)?,
                    assay: Assay::from_wt_pct(crate::ideal::NATURAL_WT_PCT)?,
                }],
                product: Some((KgU::new(n.product_kg_u)?, goal.product_assay)),
                tails: Some((KgU::new(n.tails_kg_u)?, n.tails_assay)),
                separative_work_swu: Swu::new(n.separative_work_swu)?,
                on_hand: Vec::new(),
            });
        }

        // Production curve: each whole unit up to the goal count, and beyond it until the
        // stocks are used up (then one more unit from natural uranium).
        let stock_limit_kg = self.planner.stock_limit_kg(&stocks);
        let stock_limit_units = stock_limit_kg / unit;
        // Saturating: a stock of 1e300 kg or a goal of 1e-320 kg is u32::MAX units.
        let until = (stock_limit_units.floor() as u32)
            .saturating_add(1)
            .min(MAX_CURVE_UNITS)
            .max(goal.count);
        let mut curve = vec![CurvePoint {
            days: Days::default(),
            units: 0.0,
        }];
        let stock_limit_days = if stock_limit_kg > 0.0 {
            schedule.days_for(self.planner.separative_work(stock_limit_kg, &stocks)?)
        } else {
            None
        };
        for k in 1..=until {
            let w = self.planner.separative_work(unit * f64::from(k), &stocks)?;
            let Some(days) = schedule.days_for(w) else {
                break;
            };
            if let Some(d) = stock_limit_days
                && f64::from(k) > stock_limit_units
                && f64::from(k - 1) < stock_limit_units
            {
                curve.push(CurvePoint {
                    days: Days::new(d)?,
                    units: stock_limit_units,
                });
            }
            curve.push(CurvePoint {
                days: Days::new(days)?,
                units: f64::from(k),
            });
        }

        Ok(Estimate {
            model: Model::Ideal,
            goal,
            first_unit_days: opt_days(first_unit_days)?,
            goal_days: opt_days(goal_days)?,
            goal_swu: Swu::new(goal_swu)?,
            initial_capacity_swu_per_yr: schedule.initial_swu_per_day() * DAYS_PER_YEAR,
            final_capacity_swu_per_yr: schedule.final_swu_per_day() * DAYS_PER_YEAR,
            steps,
            curve,
            stock_limit_units,
            stock_limit_days: opt_days(stock_limit_days)?,
            stock_tails_floor: self.planner.stock_floor(),
            notes: Vec::new(),
        })
    }
}

fn pooled_description(s: &Scenario) -> String {
    let mut sites: Vec<&str> = s.groups.iter().map(|g| g.site.as_str()).collect();
    sites.dedup();
    let mut unique: Vec<&str> = Vec::new();
    for site in sites {
        if !unique.contains(&site) {
            unique.push(site);
        }
    }
    format!(
        "all capacity on line, pooled (ideal model): {}",
        if unique.is_empty() {
            "none".to_string()
        } else {
            unique.join(", ")
        }
    )
}

/// Days from the estimators' arithmetic, checked on the way out of the engine: finite and ≥ 0
/// (`None`: never).
///
/// # Errors
/// [`BreakoutError::Enrich`] for a negative or non-finite value.
pub(crate) fn opt_days(d: Option<f64>) -> Result<Option<Days>, BreakoutError> {
    Ok(d.map(Days::new).transpose()?)
}

/// Capacity steps: what is on line at day 0, then each group's additions.
///
/// # Errors
/// [`BreakoutError::Enrich`] for a negative or non-finite on-line day.
pub(crate) fn capacity_steps(
    s: &Scenario,
    values: &[f64],
    schedule: &CapacitySchedule,
) -> Result<Vec<Step>, BreakoutError> {
    let describe = |g: &crate::scenario::CascadeGroup| {
        format!(
            "{}: {} {} in {} cascade{} × {} kg-SWU/yr × efficiency {}{}",
            g.site,
            enrich::units::significant(values[g.machines], 6),
            g.machine,
            g.cascades,
            if g.cascades == 1 { "" } else { "s" },
            enrich::units::significant(values[g.swu_per_machine_yr], 4),
            enrich::units::significant(values[g.efficiency], 3),
            if values[g.damage_fraction] > 0.0 {
                format!(
                    " × (1 − damage {})",
                    enrich::units::significant(values[g.damage_fraction], 3)
                )
            } else {
                String::new()
            }
        )
    };
    let mut steps = Vec::new();
    for g in s
        .groups
        .iter()
        .filter(|g| g.status == GroupStatus::Operating)
    {
        steps.push(Step::event(
            StepKind::Capacity,
            "operating cascades enrich from day 0".into(),
            describe(g),
            (Days::default(), Days::default()),
            s.group_swu_per_day(g, values) * DAYS_PER_YEAR,
        ));
    }
    for g in &s.groups {
        if let GroupStatus::Building { online_after_days } = g.status {
            let d = values[online_after_days];
            steps.push(Step::event(
                StepKind::Capacity,
                "cascades under construction come on line".into(),
                describe(g),
                (Days::default(), Days::new(d)?),
                s.group_swu_per_day(g, values) * DAYS_PER_YEAR,
            ));
        }
    }
    // Reinstallation: the schedule holds one addition per cascade; report each group's span.
    let rate = values[s.reinstall_cascades_per_month];
    if rate > 0.0 {
        let interval = enrich::units::DAYS_PER_MONTH / rate;
        let mut k = 0u32;
        let idle = s
            .groups
            .iter()
            .filter(|g| g.status == GroupStatus::InstalledIdle);
        let stored = s.groups.iter().filter(|g| g.status == GroupStatus::Stored);
        for g in idle.chain(stored) {
            let n = g.cascades.max(1);
            let first = f64::from(k + 1) * interval;
            k += n;
            steps.push(Step::event(
                StepKind::Capacity,
                format!(
                    "reinstall {} cascade{} ({}) at {} cascades/month",
                    n,
                    if n == 1 { "" } else { "s" },
                    if g.status == GroupStatus::InstalledIdle {
                        "installed, idle"
                    } else {
                        "stored"
                    },
                    enrich::units::significant(rate, 4)
                ),
                describe(g),
                (Days::new(first)?, Days::new(f64::from(k) * interval)?),
                s.group_swu_per_day(g, values) * DAYS_PER_YEAR,
            ));
        }
    }
    debug_assert!(schedule.final_swu_per_day() >= schedule.initial_swu_per_day());
    Ok(steps)
}
