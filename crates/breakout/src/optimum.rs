//! The optimum model: the operator's best schedule through the scenario's cascade hardware, as
//! a time-indexed linear program over material flows between assay pools.
//!
//! Formulation (docs/models.md, 'Optimum model'):
//!
//! * **Pools.** `pools` assay levels on a uniform grid in ln of the abundance ratio, from natural
//!   uranium (pool 0, unlimited) to the goal assay. Material is kept in the pool at or below its
//!   assay: stocks and every product or tails stream lose the U-235 between their assay and their
//!   pool's (pessimistic; the loss per kg is below one grid step, reported for the stocks).
//!   Material may always be moved down a pool (blending down is free).
//! * **Configurations.** Every kind of cascade of [`Scenario::hardware`] can run fed from any
//!   pool either *as built* (the hardware unchanged: no set-up) or *re-piped* for that feed (feed
//!   point moved, cuts reset: [`crate::fixed::Transfer`]'s off-design solve), each with the
//!   product and tails assays, product per feed and maximum feed rate the solver gives. A product
//!   at or above the goal assay is blended down with natural uranium to exactly the goal assay
//!   and counts as goal material (mass × (y − x_nat)/(x_goal − x_nat)); tails go to their pool,
//!   or are discarded below natural.
//! * **Time.** Buckets over the horizon, with the set-up day and capacity additions as edges
//!   (up to [`MAX_BUCKETS`]). In a bucket each kind shares its nominal separative capacity
//!   (the pooled [`CapacitySchedule`] × the kind's weight) among configurations; flows are
//!   constant within a bucket, so pools shared within the bucket are tandem operation (one
//!   configuration's product feeding another continuously) and inventories checked at the bucket
//!   ends are non-negative throughout (they are linear in time within it).
//! * **Set-up.** A share `r_k` of each kind is re-piped: it is idle until `setup_days_per_step`
//!   and then runs re-piped configurations (or as-built ones). With
//!   [`OptimumOptions::setup_idles_hall`] re-piping idles every cascade of the kind instead
//!   (`r_k ∈ {0, 1}`, enumerated). Cascades built for the steps they run
//!   ([`crate::fixed::Hardware::built_for_each_step`], quick mode) need no set-up.
//! * **Objective.** Goal material by the horizon, maximised. Its optimum is non-decreasing in the
//!   horizon, so the time to `k` units is found by bracketing and regula falsi on the horizon.
//!
//! Relaxations: time-sharing instead of integer cascade assignments, switching between
//! configurations after the set-up at no cost, no hold-up or equilibrium time. Discretisation:
//! the pool grid (pessimistic) and capacity averaged within a bucket where more events than
//! [`MAX_BUCKETS`] fall in the horizon.

use enrich::cascade::rating::symmetric_stage_work_per_feed;
use enrich::units::DAYS_PER_YEAR;
use enrich::{Assay, Composition, Days, KgU, Stock, Swu};
use good_lp::{
    Expression, ProblemVariables, Solution, SolverModel, Variable, constraint, microlp, variable,
};

use crate::capacity::CapacitySchedule;
use crate::error::BreakoutError;
use crate::estimate::{
    CurvePoint, Estimate, Estimator, FeedDraw, Model, Scratch, Step, StepKind, capacity_steps,
    goal_kg, opt_days,
};
use crate::fixed::Transfer;
use crate::ideal::{IdealPlanner, NATURAL_WT_PCT};
use crate::scenario::Scenario;

/// Default number of assay pools (natural and goal included).
pub const DEFAULT_POOLS: usize = 64;
/// Default number of uniform time buckets (set-up and capacity events add edges).
pub const DEFAULT_BUCKETS: usize = 4;
/// Most assay pools.
pub const MAX_POOLS: usize = 128;
/// Most time buckets, events included.
pub const MAX_BUCKETS: usize = 24;
/// Most kinds of cascade.
pub const MAX_KINDS: usize = 8;
/// Most kinds of cascade when re-piping idles the whole hall (2^kinds programs per horizon).
pub const MAX_HALL_KINDS: usize = 4;
/// Most LP variables in one program (checked before building).
pub const MAX_VARIABLES: usize = 20_000;
/// Relative tolerance on the horizon found for a goal.
const DAYS_TOLERANCE: f64 = 1e-4;
/// Longest horizon searched, days (beyond: never).
const MAX_HORIZON_DAYS: f64 = 100.0 * DAYS_PER_YEAR;
/// Most LP solves per time-to-goal search.
const MAX_SOLVES: usize = 80;
/// Product assay from which a configuration counts as HEU production (wt fraction).
const HEU: f64 = 0.20;
/// Most production-curve points.
const MAX_CURVE_UNITS: u32 = 40;
/// Flows below this share of the largest are not listed in the timeline.
const LISTED_SHARE: f64 = 1e-4;

/// Operating constraints of the optimum model: options of the model, per machine type or plant
/// wide, never per state.
#[derive(Debug, Clone, PartialEq)]
pub struct OptimumOptions {
    /// Re-piping idles every cascade of the kind for the set-up time, not only those re-piped.
    pub setup_idles_hall: bool,
    /// Efficiency in HEU configurations (product ≥ 20 wt-%) per machine type, × rated output:
    /// (type, factor). Machine-time in such configurations delivers this share of its rating.
    pub heu_efficiency: Vec<(String, f64)>,
    /// Assay pools, natural and goal included (2..=[`MAX_POOLS`]).
    pub pools: usize,
    /// Uniform time buckets before event edges (1..=[`MAX_BUCKETS`]).
    pub buckets: usize,
    /// Split each stream (stocks, products, tails) between the two pools around its assay by
    /// the lever rule (mass and U-235 kept: optimistic by O(Δ²), an un-mixing the plant cannot
    /// do) instead of keeping it in the pool at or below (pessimistic by O(Δ), the default).
    /// The two bracket the converged optimum.
    pub split_streams: bool,
}

impl Default for OptimumOptions {
    fn default() -> Self {
        OptimumOptions {
            setup_idles_hall: false,
            heu_efficiency: Vec::new(),
            pools: DEFAULT_POOLS,
            buckets: DEFAULT_BUCKETS,
            split_streams: false,
        }
    }
}

fn ratio(x: f64) -> f64 {
    x / (1.0 - x)
}

fn from_ratio(r: f64) -> f64 {
    r / (1.0 + r)
}

/// Where a configuration's product goes.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Dest {
    Pool(usize),
    /// Goal material: kg of goal-assay material per kg feed after blending down.
    Goal(f64),
}

/// One way a kind of cascade can run.
#[derive(Debug, Clone, PartialEq)]
struct Config {
    kind: usize,
    /// Re-piped for its feed (needs the set-up unless free).
    repiped: bool,
    /// Available from day 0 although re-piped (a level already handled, or designed per step).
    free: bool,
    feed: usize,
    product: Dest,
    /// Share of the product going to the pool above `product`'s (lever rule; 0 unless split).
    product_up: f64,
    tails: Option<usize>,
    /// Share of the tails going to the pool above `tails`' (lever rule; 0 unless split).
    tails_up: f64,
    product_per_feed: f64,
    product_assay: f64,
    tails_assay: f64,
    /// kg U of feed per kg-SWU of the kind's rated output.
    kg_per_nominal_swu: f64,
    heu: bool,
}

/// Inputs of one program that depend on the values.
struct Inputs {
    /// kg U in each pool at day 0 (pool 0, natural, unused).
    stock: Vec<f64>,
    schedule: CapacitySchedule,
    setup_days: f64,
    /// Capacity factor in HEU configurations (plant-weighted over machine types).
    heu_factor: f64,
}

/// A solved program.
struct Solved {
    goal_kg: f64,
    edges: Vec<f64>,
    /// (config, bucket, kg feed).
    flows: Vec<(usize, usize, f64)>,
    /// Share re-piped per kind.
    repiped: Vec<f64>,
}

/// The optimum estimator.
pub struct OptimumEstimator<'a> {
    scenario: &'a Scenario,
    /// Pool assays, weight fractions; pool 0 natural, the last the goal.
    pools: Vec<f64>,
    configs: Vec<Config>,
    /// Weight of each kind (share of the pooled capacity).
    weights: Vec<f64>,
    labels: Vec<String>,
    planner: IdealPlanner,
}

impl<'a> OptimumEstimator<'a> {
    /// Tabulates every configuration of the scenario's hardware at the pool assays.
    ///
    /// # Errors
    /// [`BreakoutError::Inconsistent`] without hardware, or for sizes beyond the declared
    /// maxima; [`BreakoutError::Enrich`] if the cascade solver fails.
    pub fn new(scenario: &'a Scenario) -> Result<Self, BreakoutError> {
        let opts = &scenario.optimum;
        let Some(hardware) = scenario.hardware.as_deref() else {
            return Err(BreakoutError::Inconsistent(
                "the optimum model needs the cascade hardware (a bundled cascade or a cascade design); this scenario has none".into(),
            ));
        };
        let kinds = hardware.kinds();
        if !(2..=MAX_POOLS).contains(&opts.pools) || !(1..=MAX_BUCKETS).contains(&opts.buckets) {
            return Err(BreakoutError::Inconsistent(format!(
                "optimum model: {} pools and {} buckets (allowed 2..={MAX_POOLS} and 1..={MAX_BUCKETS})",
                opts.pools, opts.buckets
            )));
        }
        if kinds.is_empty() || kinds.len() > MAX_KINDS {
            return Err(BreakoutError::Inconsistent(format!(
                "optimum model: {} kinds of cascade (allowed 1..={MAX_KINDS})",
                kinds.len()
            )));
        }
        if opts.setup_idles_hall && kinds.len() > MAX_HALL_KINDS {
            return Err(BreakoutError::Inconsistent(format!(
                "optimum model: re-piping that idles the hall is enumerated over at most {MAX_HALL_KINDS} kinds of cascade; this scenario has {}",
                kinds.len()
            )));
        }
        let total: f64 = kinds.iter().map(|h| h.nominal_swu_per_yr).sum();
        if !(total.is_finite() && total > 0.0) {
            return Err(BreakoutError::Inconsistent(
                "the optimum model needs cascade hardware with a positive rated output".into(),
            ));
        }
        let nat = NATURAL_WT_PCT / 100.0;
        let g = scenario.goal.product_assay.wt_fraction();
        let n = opts.pools;
        let (lo, hi) = (ratio(nat).ln(), ratio(g).ln());
        let pools: Vec<f64> = (0..n)
            .map(|i| from_ratio((lo + (hi - lo) * i as f64 / (n - 1) as f64).exp()))
            .collect();
        let set_up: Vec<usize> = scenario
            .handled_wt_pct()
            .iter()
            .filter_map(|x| pool_below(&pools, x / 100.0))
            .collect();
        let mut configs = Vec::new();
        for (k, h) in kinds.iter().enumerate() {
            let phi = symmetric_stage_work_per_feed(Assay::NATURAL, h.cascade.separation())?;
            let rated =
                h.cascade.total_machines() as f64 * h.cascade.machine_feed().kg_u_per_yr() * phi;
            for (i, &x) in pools.iter().enumerate().take(n - 1) {
                let feed = Assay::from_wt_fraction(x)?;
                // Cascades built for each step have one configuration per feed: their own.
                let runs = if h.built_for_each_step {
                    vec![(h.run_at(feed)?, true)]
                } else {
                    vec![
                        (h.cascade.run(&Composition::binary(feed))?, false),
                        (Transfer::retuned(&h.cascade, feed)?, true),
                    ]
                };
                for (run, re) in runs {
                    let y = run.product.assay().wt_fraction();
                    let z = run.tails.assay().wt_fraction();
                    let product = if y >= g {
                        Dest::Goal(run.product_per_feed * (y - nat) / (g - nat))
                    } else {
                        match pool_below(&pools, y) {
                            Some(j) if j > i => Dest::Pool(j),
                            // Enriches less than a pool step: useless in this grid.
                            _ => continue,
                        }
                    };
                    let rate = run.max_feed_kg_u_per_yr / rated;
                    if !(rate.is_finite() && rate > 0.0) {
                        continue;
                    }
                    let tails = pool_below(&pools, z);
                    let up = |dest: Option<usize>, x: f64| match dest {
                        Some(j) if opts.split_streams && j + 1 < n => {
                            ((x - pools[j]) / (pools[j + 1] - pools[j])).clamp(0.0, 1.0)
                        }
                        _ => 0.0,
                    };
                    let product_up = match product {
                        Dest::Pool(j) => up(Some(j), y),
                        Dest::Goal(_) => 0.0,
                    };
                    configs.push(Config {
                        kind: k,
                        repiped: re,
                        free: re && (h.built_for_each_step || set_up.contains(&i)),
                        feed: i,
                        product,
                        product_up,
                        tails,
                        tails_up: up(tails, z),
                        product_per_feed: run.product_per_feed,
                        product_assay: y,
                        tails_assay: z,
                        kg_per_nominal_swu: rate,
                        heu: y >= HEU,
                    });
                }
            }
        }
        let planner = IdealPlanner::new(
            scenario.goal.product_assay,
            scenario.natural_tails,
            scenario.tails,
        )?;
        Ok(OptimumEstimator {
            scenario,
            pools,
            configs,
            weights: kinds.iter().map(|h| h.nominal_swu_per_yr / total).collect(),
            labels: kinds.iter().map(|h| h.label.clone()).collect(),
            planner,
        })
    }

    fn inputs(&self, values: &[f64], stocks: &[Stock], schedule: CapacitySchedule) -> Inputs {
        let s = self.scenario;
        let mut stock = vec![0.0; self.pools.len()];
        let n = self.pools.len();
        for st in stocks {
            let x = st.assay.wt_fraction();
            if let Some(p) = pool_below(&self.pools, x) {
                let up = if s.optimum.split_streams && p + 1 < n {
                    ((x - self.pools[p]) / (self.pools[p + 1] - self.pools[p])).clamp(0.0, 1.0)
                } else {
                    0.0
                };
                stock[p] += (1.0 - up) * st.mass.kg();
                if up > 0.0 {
                    stock[p + 1] += up * st.mass.kg();
                }
            }
        }
        // Plant-weighted HEU-mode factor over machine types.
        let (mut w, mut we) = (0.0, 0.0);
        for gr in &s.groups {
            let c = s.group_swu_per_day(gr, values);
            let f = s
                .optimum
                .heu_efficiency
                .iter()
                .find(|(t, _)| t.eq_ignore_ascii_case(&gr.machine))
                .map_or(1.0, |&(_, f)| f);
            w += c;
            we += c * f;
        }
        Inputs {
            stock,
            schedule,
            setup_days: values[s.setup_days_per_step].max(0.0),
            heu_factor: if w > 0.0 { we / w } else { 1.0 },
        }
    }

    /// Bucket edges over `[0, horizon]`: uniform, plus the set-up day and capacity additions.
    fn edges(&self, inp: &Inputs, horizon: f64) -> Vec<f64> {
        let b = self.scenario.optimum.buckets;
        let mut e: Vec<f64> = (0..=b).map(|i| horizon * i as f64 / b as f64).collect();
        let mut events = vec![inp.setup_days];
        events.extend(inp.schedule.additions().iter().map(|&(d, _)| d));
        for d in events {
            if e.len() > MAX_BUCKETS {
                break;
            }
            if d > 0.0 && d < horizon && !e.iter().any(|&x| (x - d).abs() <= 1e-9 * horizon) {
                e.push(d);
            }
        }
        e.sort_by(f64::total_cmp);
        e
    }

    /// The most goal material (kg U at the goal assay) by `horizon` days.
    fn solve(&self, inp: &Inputs, horizon: f64, record: bool) -> Result<Solved, BreakoutError> {
        let kinds = self.weights.len();
        if self.scenario.optimum.setup_idles_hall {
            let mut best: Option<Solved> = None;
            for mask in 0..(1usize << kinds) {
                let fixed: Vec<f64> = (0..kinds)
                    .map(|k| if mask >> k & 1 == 1 { 1.0 } else { 0.0 })
                    .collect();
                let s = self.solve_with(inp, horizon, record, Some(&fixed))?;
                if best.as_ref().is_none_or(|b| s.goal_kg > b.goal_kg) {
                    best = Some(s);
                }
            }
            best.ok_or_else(|| BreakoutError::Inconsistent("no kind of cascade".into()))
        } else {
            self.solve_with(inp, horizon, record, None)
        }
    }

    fn solve_with(
        &self,
        inp: &Inputs,
        horizon: f64,
        record: bool,
        hall: Option<&[f64]>,
    ) -> Result<Solved, BreakoutError> {
        let edges = self.edges(inp, horizon);
        let nb = edges.len() - 1;
        let np = self.pools.len();
        let kinds = self.weights.len();
        let vars_needed = self.configs.len() * nb + np * nb * 2 + kinds;
        if vars_needed > MAX_VARIABLES {
            return Err(BreakoutError::Inconsistent(format!(
                "optimum model: {vars_needed} LP variables (most {MAX_VARIABLES})"
            )));
        }
        let sch = &inp.schedule;
        let setup = inp.setup_days;
        // Nominal kg-SWU per bucket, before and after the set-up.
        let cap: Vec<(f64, f64)> = (0..nb)
            .map(|b| {
                let (t0, t1) = (edges[b], edges[b + 1]);
                let before = sch.swu_by(t1.min(setup)) - sch.swu_by(t0.min(setup));
                let all = sch.swu_by(t1) - sch.swu_by(t0);
                (before.max(0.0), (all - before).max(0.0))
            })
            .collect();
        let mut vars = ProblemVariables::new();
        let r: Vec<Variable> = (0..kinds)
            .map(|k| match hall {
                Some(z) => vars.add(variable().min(z[k]).max(z[k])),
                None => vars.add(variable().min(0.0).max(1.0)),
            })
            .collect();
        let mut flows: Vec<(usize, usize, Variable)> = Vec::new();
        for (c, cfg) in self.configs.iter().enumerate() {
            for (b, &(before, after)) in cap.iter().enumerate() {
                let usable = if cfg.repiped && !cfg.free {
                    after
                } else {
                    before + after
                };
                if usable > 0.0 {
                    flows.push((c, b, vars.add(variable().min(0.0))));
                }
            }
        }
        // Inventories of pools 1.. at each bucket end, and moves down a pool.
        let inv: Vec<Vec<Variable>> = (0..np)
            .map(|_| (0..nb).map(|_| vars.add(variable().min(0.0))).collect())
            .collect();
        let down: Vec<Vec<Variable>> = (0..np)
            .map(|_| (0..nb).map(|_| vars.add(variable().min(0.0))).collect())
            .collect();
        let mut objective = Expression::from(0.0);
        let mut balance: Vec<Vec<Expression>> = vec![vec![Expression::from(0.0); nb]; np];
        let mut used: Vec<Vec<Expression>> = vec![vec![Expression::from(0.0); nb]; kinds];
        let mut used_repiped: Vec<Vec<Expression>> = vec![vec![Expression::from(0.0); nb]; kinds];
        for &(c, b, f) in &flows {
            let cfg = &self.configs[c];
            let eff = if cfg.heu { inp.heu_factor } else { 1.0 };
            let swu_per_kg = 1.0 / (cfg.kg_per_nominal_swu * eff.max(f64::MIN_POSITIVE));
            used[cfg.kind][b] += swu_per_kg * f;
            if cfg.repiped && !cfg.free {
                used_repiped[cfg.kind][b] += swu_per_kg * f;
            }
            balance[cfg.feed][b] -= f;
            match cfg.product {
                Dest::Pool(j) => {
                    balance[j][b] += (1.0 - cfg.product_up) * cfg.product_per_feed * f;
                    if cfg.product_up > 0.0 {
                        balance[j + 1][b] += cfg.product_up * cfg.product_per_feed * f;
                    }
                }
                Dest::Goal(per_feed) => objective += per_feed * f,
            }
            if let Some(t) = cfg.tails {
                let tails = 1.0 - cfg.product_per_feed;
                balance[t][b] += (1.0 - cfg.tails_up) * tails * f;
                if cfg.tails_up > 0.0 {
                    balance[t + 1][b] += cfg.tails_up * tails * f;
                }
            }
        }
        let mut model = vars.maximise(objective.clone()).using(microlp);
        for p in 1..np {
            for b in 0..nb {
                let mut e = std::mem::take(&mut balance[p][b]);
                e += down
                    .get(p + 1)
                    .map_or(Expression::from(0.0), |d| d[b].into());
                e -= down[p][b];
                let prev = if b == 0 {
                    Expression::from(inp.stock[p])
                } else {
                    inv[p][b - 1].into()
                };
                model = model.with(constraint!(inv[p][b] == prev + e));
            }
        }
        for k in 0..kinds {
            let w = self.weights[k];
            for (b, &(before, after)) in cap.iter().enumerate() {
                let u = std::mem::take(&mut used[k][b]);
                model = model.with(constraint!(u + w * before * r[k] <= w * (before + after)));
                let ur = std::mem::take(&mut used_repiped[k][b]);
                model = model.with(constraint!(ur - w * after * r[k] <= 0.0));
            }
        }
        let sol = model.solve().map_err(|e| {
            BreakoutError::Inconsistent(format!("optimum model: the LP solver failed: {e}"))
        })?;
        let goal_kg = sol.eval(&objective).max(0.0);
        Ok(Solved {
            goal_kg,
            flows: if record {
                flows
                    .iter()
                    .map(|&(c, b, v)| (c, b, sol.value(v).max(0.0)))
                    .collect()
            } else {
                Vec::new()
            },
            repiped: r.iter().map(|&v| sol.value(v)).collect(),
            edges,
        })
    }

    /// Days to `kg` of goal material (`None`: not within [`MAX_HORIZON_DAYS`]).
    fn days_to(&self, inp: &Inputs, kg: f64) -> Result<Option<f64>, BreakoutError> {
        if kg <= 0.0 {
            return Ok(Some(0.0));
        }
        if inp.schedule.final_swu_per_day() <= 0.0 {
            return Ok(None);
        }
        let target = kg * (1.0 - 1e-9);
        // Bracket: from a guess by the nominal capacity, doubling.
        let guess = inp
            .schedule
            .days_for(self.planner.separative_work(kg, &[])?)
            .unwrap_or(30.0)
            .max(1.0);
        let (mut lo, mut f_lo) = (0.0, 0.0);
        let mut hi = guess.min(MAX_HORIZON_DAYS);
        let mut solves = 0;
        let mut f_hi = loop {
            let f = self.solve(inp, hi, false)?.goal_kg;
            solves += 1;
            if f >= target {
                break f;
            }
            if hi >= MAX_HORIZON_DAYS {
                return Ok(None);
            }
            (lo, f_lo) = (hi, f);
            hi = (hi * 2.0).min(MAX_HORIZON_DAYS);
        };
        // Regula falsi (Illinois) on the non-decreasing optimum value, with bisection steps
        // where it stalls.
        let mut side = 0i8;
        while hi - lo > DAYS_TOLERANCE * hi && solves < MAX_SOLVES {
            let mut t = if f_hi > f_lo {
                lo + (target - f_lo) * (hi - lo) / (f_hi - f_lo)
            } else {
                0.5 * (lo + hi)
            };
            let margin = 0.5 * DAYS_TOLERANCE * hi;
            t = t.clamp(lo + margin, hi - margin);
            let f = self.solve(inp, t, false)?.goal_kg;
            solves += 1;
            if f >= target {
                (hi, f_hi) = (t, f);
                if side == 1 {
                    f_lo = target - 0.5 * (target - f_lo);
                }
                side = 1;
            } else {
                (lo, f_lo) = (t, f);
                if side == -1 {
                    f_hi = target + 0.5 * (f_hi - target);
                }
                side = -1;
            }
        }
        Ok(Some(hi))
    }

    fn timeline(&self, sol: &Solved, inp: &Inputs) -> Result<Vec<Step>, BreakoutError> {
        let pct = |x: f64| enrich::units::significant(x * 100.0, 4);
        let assay = |x: f64| {
            Assay::from_wt_fraction(x.clamp(1e-9, 1.0 - 1e-9)).expect("assays lie in (0, 1)")
        };
        let mut steps = Vec::new();
        let mut totals: Vec<(f64, f64, f64)> = vec![(0.0, f64::INFINITY, 0.0); self.configs.len()];
        for &(c, b, kg) in &sol.flows {
            if kg > 0.0 {
                let t = &mut totals[c];
                t.0 += kg;
                t.1 = t.1.min(sol.edges[b]);
                t.2 = t.2.max(sol.edges[b + 1]);
            }
        }
        let largest = totals.iter().map(|t| t.0).fold(0.0, f64::max);
        for (k, &share) in sol.repiped.iter().enumerate() {
            if share > 1e-6 && self.configs.iter().any(|c| c.kind == k && !c.free) {
                steps.push(Step {
                    kind: StepKind::Enrichment,
                    what: format!(
                        "re-pipe {} % of these cascades for new steps ({} idle for the set-up, {} days)",
                        enrich::units::significant(share * 100.0, 3),
                        if self.scenario.optimum.setup_idles_hall {
                            "the whole hall"
                        } else {
                            "only the cascades re-piped"
                        },
                        enrich::units::significant(inp.setup_days, 3)
                    ),
                    cascades: self.labels[k].clone(),
                    start_days: Some(Days::default()),
                    end_days: Some(Days::new(inp.setup_days)?),
                    capacity_swu_per_yr: 0.0,
                    feeds: Vec::new(),
                    product: None,
                    tails: None,
                    separative_work_swu: Swu::default(),
                    on_hand: Vec::new(),
                });
            }
        }
        let mut order: Vec<usize> = (0..self.configs.len())
            .filter(|&c| totals[c].0 > LISTED_SHARE * largest && largest > 0.0)
            .collect();
        order.sort_by(|&a, &b| {
            (totals[a].1, self.configs[a].feed)
                .partial_cmp(&(totals[b].1, self.configs[b].feed))
                .unwrap_or(std::cmp::Ordering::Equal)
        });
        for c in order {
            let cfg = &self.configs[c];
            let (kg, start, end) = totals[c];
            let eff = if cfg.heu { inp.heu_factor } else { 1.0 };
            let y = cfg.product_assay;
            steps.push(Step {
                kind: StepKind::Enrichment,
                what: format!(
                    "{}: feed {} wt-% → product {} wt-%{}, tails {} wt-%{}",
                    if cfg.repiped { "re-piped" } else { "as built" },
                    pct(self.pools[cfg.feed]),
                    pct(y),
                    match cfg.product {
                        Dest::Goal(_) => " (goal grade; blended down)".to_string(),
                        Dest::Pool(j) => format!(" (to the {} wt-% pool)", pct(self.pools[j])),
                    },
                    pct(cfg.tails_assay),
                    match cfg.tails {
                        Some(0) => " (to natural)".to_string(),
                        Some(t) => format!(" (to the {} wt-% pool)", pct(self.pools[t])),
                        None => " (discarded)".to_string(),
                    }
                ),
                cascades: self.labels[cfg.kind].clone(),
                start_days: Some(Days::new(start)?),
                end_days: Some(Days::new(end)?),
                capacity_swu_per_yr: 0.0,
                feeds: vec![FeedDraw {
                    label: if cfg.feed == 0 {
                        "natural uranium (assumed not limiting)".into()
                    } else {
                        format!("{} wt-% pool", pct(self.pools[cfg.feed]))
                    },
                    site: "-".into(),
                    kg_u: KgU::new(kg)?,
                    assay: assay(self.pools[cfg.feed]),
                }],
                product: Some((KgU::new(kg * cfg.product_per_feed)?, assay(y))),
                tails: Some((
                    KgU::new(kg * (1.0 - cfg.product_per_feed))?,
                    assay(cfg.tails_assay),
                )),
                separative_work_swu: Swu::new(kg / (cfg.kg_per_nominal_swu * eff))?,
                on_hand: Vec::new(),
            });
        }
        Ok(steps)
    }

    /// U-235 the stocks give up by entering the pool at or below their assay, kg, and the stocks'
    /// U-235, kg.
    fn pooling_loss(&self, stocks: &[Stock]) -> (f64, f64) {
        let (mut lost, mut all) = (0.0, 0.0);
        for s in stocks {
            let x = s.assay.wt_fraction();
            let kg = s.mass.kg();
            all += kg * x;
            lost += kg * (x - pool_below(&self.pools, x).map_or(0.0, |p| self.pools[p]));
        }
        (lost, all)
    }
}

/// The highest pool at or below `x` (`None` below natural).
fn pool_below(pools: &[f64], x: f64) -> Option<usize> {
    // A relative margin so that an assay on a pool lands in it despite rounding.
    pools.iter().rposition(|&p| p <= x * (1.0 + 1e-12))
}

impl Estimator for OptimumEstimator<'_> {
    fn model(&self) -> Model {
        Model::Optimum
    }

    fn goal_days(&self, values: &[f64], scratch: &mut Scratch) -> Result<f64, BreakoutError> {
        self.scenario.usable_stocks(values, &mut scratch.stocks);
        self.scenario.capacity(values, &mut scratch.schedule);
        let inp = self.inputs(values, &scratch.stocks, scratch.schedule.clone());
        Ok(self
            .days_to(&inp, goal_kg(&self.scenario.goal))?
            .unwrap_or(f64::INFINITY))
    }

    fn estimate(&self, values: &[f64]) -> Result<Estimate, BreakoutError> {
        let s = self.scenario;
        let goal = s.goal;
        let unit = goal.unit_kg_u();
        let mut stocks = Vec::new();
        s.usable_stocks(values, &mut stocks);
        let mut schedule = CapacitySchedule::default();
        s.capacity(values, &mut schedule);
        let inp = self.inputs(values, &stocks, schedule.clone());
        let mut steps = capacity_steps(s, values, &schedule)?;
        let (lost, all) = self.pooling_loss(&stocks);
        if all > 0.0 && s.optimum.split_streams {
            steps.push(Step {
                kind: StepKind::Enrichment,
                what: format!(
                    "stocks and streams split between the two pools around their assay ({} pools, lever rule: mass and U-235 kept; the optimistic bound)",
                    self.pools.len()
                ),
                cascades: "-".into(),
                start_days: Some(Days::default()),
                end_days: Some(Days::default()),
                capacity_swu_per_yr: 0.0,
                feeds: Vec::new(),
                product: None,
                tails: None,
                separative_work_swu: Swu::default(),
                on_hand: Vec::new(),
            });
        } else if all > 0.0 {
            steps.push(Step {
                kind: StepKind::Enrichment,
                what: format!(
                    "stocks kept in the pool at or below their assay ({} pools from natural to the goal): {} kg U-235 of {} given up ({} %; bound of the pool discretisation)",
                    self.pools.len(),
                    enrich::units::significant(lost, 3),
                    enrich::units::significant(all, 4),
                    enrich::units::significant(100.0 * lost / all, 3)
                ),
                cascades: "-".into(),
                start_days: Some(Days::default()),
                end_days: Some(Days::default()),
                capacity_swu_per_yr: 0.0,
                feeds: Vec::new(),
                product: None,
                tails: None,
                separative_work_swu: Swu::default(),
                on_hand: Vec::new(),
            });
        }
        // Production curve: each unit to the goal count; the first unit does not depend on it.
        let until = goal.count.clamp(1, MAX_CURVE_UNITS);
        let mut curve = vec![CurvePoint {
            days: Days::default(),
            units: 0.0,
        }];
        let mut unit_days = Vec::new();
        let mut last = 0.0_f64;
        for k in 1..=until {
            let Some(d) = self.days_to(&inp, unit * f64::from(k))? else {
                break;
            };
            // Unit k+1 never before unit k (equal within the search tolerance).
            let d = d.max(last);
            last = d;
            unit_days.push(d);
            curve.push(CurvePoint {
                days: Days::new(d)?,
                units: f64::from(k),
            });
        }
        let goal_days = if goal.count <= until {
            unit_days.get(goal.count as usize - 1).copied()
        } else {
            self.days_to(&inp, goal_kg(&goal))?
        };
        let mut goal_swu = 0.0;
        if let Some(h) = goal_days {
            let sol = self.solve(&inp, h.max(1e-6), true)?;
            goal_swu = sol
                .flows
                .iter()
                .map(|&(c, _, kg)| {
                    let cfg = &self.configs[c];
                    let eff = if cfg.heu { inp.heu_factor } else { 1.0 };
                    kg / (cfg.kg_per_nominal_swu * eff)
                })
                .sum();
            steps.extend(self.timeline(&sol, &inp)?);
        }
        Ok(Estimate {
            model: Model::Optimum,
            goal,
            first_unit_days: opt_days(unit_days.first().copied())?,
            goal_days: opt_days(goal_days)?,
            goal_swu: Swu::new(goal_swu)?,
            initial_capacity_swu_per_yr: schedule.initial_swu_per_day() * DAYS_PER_YEAR,
            final_capacity_swu_per_yr: schedule.final_swu_per_day() * DAYS_PER_YEAR,
            steps,
            curve,
            stock_limit_units: self.planner.stock_limit_kg(&stocks) / unit,
            stock_limit_days: None,
            stock_tails_floor: self.planner.stock_floor(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{ideal, scenario};
    use proptest::prelude::*;

    fn days(s: &Scenario) -> (f64, f64) {
        let e = Model::Optimum
            .prepare(s)
            .unwrap()
            .estimate(&s.central_values())
            .unwrap();
        (
            e.first_unit_days.map_or(f64::INFINITY, Days::days),
            e.goal_days.map_or(f64::INFINITY, Days::days),
        )
    }

    /// Not longer, within the horizon search's tolerance.
    fn not_longer(a: f64, b: f64) -> bool {
        a <= b * (1.0 + 3.0 * DAYS_TOLERANCE) + 1e-9
    }

    #[test]
    fn finer_pool_grid_converges_from_above() {
        // Nested grids (8, 16, 32 intervals): a finer grid keeps every coarser pool, so its
        // optimum is never slower; the steps shrink as the pooling loss does.
        let mut s = scenario(&[8700.0], &[(100.0, 60.0)], 0.0, 1);
        let mut t = Vec::new();
        for pools in [9, 17, 33] {
            s.optimum.pools = pools;
            t.push(days(&s).0);
        }
        assert!(not_longer(t[1], t[0]) && not_longer(t[2], t[1]), "{t:?}");
        assert!(t[1] - t[2] <= t[0] - t[1] + 1e-6, "{t:?}");
        assert!(t[2] >= ideal(&s) * 0.98, "{t:?}");
    }

    #[test]
    fn lever_rule_split_brackets_the_pooled_optimum_from_below() {
        // Splitting streams by the lever rule is optimistic, keeping them at or below
        // pessimistic: the split time is never longer, and the bracket narrows on a finer grid.
        let mut s = scenario(&[8700.0], &[(100.0, 60.0)], 0.0, 1);
        let mut gap = Vec::new();
        for pools in [9, 33] {
            s.optimum.pools = pools;
            s.optimum.split_streams = false;
            let below = days(&s).0;
            s.optimum.split_streams = true;
            let split = days(&s).0;
            assert!(not_longer(split, below), "{pools}: {split} {below}");
            gap.push(below - split);
        }
        assert!(gap[1] <= gap[0] + 1e-6, "{gap:?}");
    }

    #[test]
    fn sizes_beyond_the_maxima_are_refused() {
        let mut s = scenario(&[8700.0], &[], 0.0, 1);
        s.optimum.pools = MAX_POOLS + 1;
        assert!(Model::Optimum.prepare(&s).is_err());
        s.optimum.pools = 9;
        s.optimum.buckets = 0;
        assert!(Model::Optimum.prepare(&s).is_err());
    }

    #[test]
    fn hall_idling_and_heu_efficiency_only_slow_down() {
        let base = scenario(&[8700.0], &[(60.0, 60.0)], 21.0, 1);
        let t0 = days(&base).0;
        let mut hall = base.clone();
        hall.optimum.setup_idles_hall = true;
        let t1 = days(&hall).0;
        let mut heu = hall.clone();
        heu.optimum.heu_efficiency = vec![("IR-6".into(), 0.73)];
        let t2 = days(&heu).0;
        assert!(not_longer(t0, t1) && not_longer(t1, t2), "{t0} {t1} {t2}");
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 6, ..ProptestConfig::default() })]

        #[test]
        fn invariants(
            cap in 2000.0..20_000.0f64,
            more in 1.05..2.0f64,
            kg in 5.0..200.0f64,
            pct in 3.0..80.0f64,
            setup in 0.0..30.0f64,
            count in 1u32..4,
        ) {
            let s = scenario(&[cap], &[(kg, pct)], setup, count);
            let (first, all) = days(&s);
            prop_assert!(first.is_finite() && all >= first * (1.0 - 1e-12));
            // More machines, more stock, richer stock, shorter set-up: never longer.
            prop_assert!(not_longer(days(&scenario(&[cap * more], &[(kg, pct)], setup, count)).0, first));
            prop_assert!(not_longer(days(&scenario(&[cap], &[(kg * more, pct)], setup, count)).0, first));
            prop_assert!(not_longer(days(&scenario(&[cap], &[(kg, (pct * more).min(89.0))], setup, count)).0, first));
            prop_assert!(not_longer(days(&scenario(&[cap], &[(kg, pct)], setup * 0.5, count)).0, first));
            // First unit independent of the count.
            let (first1, _) = days(&scenario(&[cap], &[(kg, pct)], setup, 1));
            prop_assert!((first1 - first).abs() <= 1e-9 * first.max(1.0), "{first1} {first}");
            // Order of groups and stocks irrelevant.
            let split = scenario(&[0.3 * cap, 0.7 * cap], &[(0.4 * kg, pct), (0.6 * kg, 1.5)], setup, count);
            let swapped = scenario(&[0.7 * cap, 0.3 * cap], &[(0.6 * kg, 1.5), (0.4 * kg, pct)], setup, count);
            let (a, b) = (days(&split), days(&swapped));
            prop_assert!((a.0 - b.0).abs() <= 3.0 * DAYS_TOLERANCE * a.0 + 1e-9, "{a:?} {b:?}");
            // The ideal bound is a relaxation (tolerance: the rating of off-design runs).
            prop_assert!(ideal(&s) <= first * 1.02, "{} {first}", ideal(&s));
        }
    }
}
