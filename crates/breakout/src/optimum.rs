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
//! * **Time.** One bucket between consecutive events (the set-up day, capacity additions), no
//!   others: capacity is constant between events, so a finer split cannot raise the optimum
//!   (any split schedule, averaged over the bucket, is feasible unsplit). In a bucket each kind
//!   shares its nominal separative capacity among configurations; flows are constant within a
//!   bucket, so pools shared within the bucket are tandem operation (one configuration's
//!   product feeding another continuously) and inventories checked at the bucket ends are
//!   non-negative throughout (they are linear in time within it).
//! * **Set-up.** A configuration runs from day 0 only if its feed pool is a step its own kind
//!   already runs: natural feed and its product, and the chain levels of the kind's
//!   [`crate::fixed::Hardware::handles_wt_pct`] (as built means its current feed). Others, as
//!   built or re-piped, need the set-up: a share `r_k` of each kind is re-piped, idle until
//!   `setup_days_per_step`, and runs any configuration after it. With
//!   [`OptimumOptions::setup_idles_hall`] re-piping idles every cascade of the kind instead
//!   (`r_k ∈ {0, 1}`, enumerated). Cascades built for the steps they run
//!   ([`crate::fixed::Hardware::built_for_each_step`], quick mode) need no set-up.
//! * **Capacity.** Each kind runs on its own groups' capacity
//!   ([`crate::fixed::Hardware::groups`]) when every group belongs to a kind, else on its
//!   rated share of the pooled [`CapacitySchedule`].
//! * **Objective.** Goal material by a horizon, maximised; or, for the time to `k` units, the
//!   earliest horizon itself, minimised: between two events the last bucket's capacity is
//!   linear in its end, so with the re-piped shares given the earliest time is one linear
//!   program (the search, `OptimumEstimator::days_to`, says how the interval and the shares are
//!   found).
//!
//! Relaxations: time-sharing instead of integer cascade assignments, switching between
//! configurations after the set-up at no cost, no hold-up or equilibrium time; capacity averaged
//! within a merged bucket where more events fall in the horizon than [`MAX_BUCKETS`] (or the
//! flow budget) allows (exact where every kind grows at the plant's pace; otherwise the
//! estimate checks its schedule on the unmerged timetable and, where that fails, bounds it).
//! Discretisation: the pool grid (pessimistic).

use enrich::cascade::rating::symmetric_stage_work_per_feed;
use enrich::units::DAYS_PER_YEAR;
use enrich::{Assay, Composition, Days, KgU, Stock, Swu};
use std::cell::RefCell;

use good_lp::ResolutionError;

use crate::capacity::CapacitySchedule;
use crate::error::BreakoutError;
use crate::estimate::{
    CurvePoint, Estimate, Estimator, FeedDraw, Model, Scratch, Step, StepKind, capacity_steps,
    goal_kg, opt_days,
};
use crate::fixed::{Hardware, Transfer};
use crate::ideal::{IdealPlanner, NATURAL_WT_PCT};
use crate::lp::{Lp, Method, Sense, WarmStarts};
use crate::scenario::Scenario;

/// Default number of assay pools (natural and goal included).
pub const DEFAULT_POOLS: usize = 64;
/// Most assay pools.
pub const MAX_POOLS: usize = 128;
/// Most time buckets, events included.
pub const MAX_BUCKETS: usize = 24;
/// Most kinds of cascade.
pub const MAX_KINDS: usize = 16;
/// Most kinds of cascade when re-piping idles the whole hall (2^kinds programs per horizon).
pub const MAX_HALL_KINDS: usize = 4;
/// Most flow variables (configurations × buckets) in one program: past it, events are merged
/// into fewer buckets. The simplex's cost grows steeply with size (measured on jcpoa-2016 with
/// cascades reinstalled: 0.85 s per program at 8 buckets, 12 ms at 2), and at 24 buckets it
/// can fail on a singular basis.
const MAX_FLOWS: usize = 3_000;
/// Rows from which a program whose value alone is wanted goes to the interior-point solver.
/// Measured (docs/benchmarks.md): the simplex is as fast at 150 rows, 3–4× slower at 355 and
/// 5–15× slower at 2,500–3,800 (the merged-bucket check of a reinstalling deal floor).
const INTERIOR_POINT_ROWS: usize = 300;
/// Most LP variables in one program (checked before building).
pub const MAX_VARIABLES: usize = 20_000;
/// Relative tolerance on the horizon found for a goal.
const DAYS_TOLERANCE: f64 = 1e-4;
/// Longest horizon searched, days (beyond: never).
const MAX_HORIZON_DAYS: f64 = 100.0 * DAYS_PER_YEAR;
/// Most LP solves per regula-falsi search.
const MAX_SOLVES: usize = 80;
/// Most rounds of re-piped shares tried before the regula-falsi search.
const MAX_SHARE_ROUNDS: usize = 3;
/// Most intervals between events tried in turn from day 0 before bracketing.
const MAX_SCANNED: usize = 3;
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

/// What one cascade of a kind delivers fed at one pool's assay, in one configuration.
struct Response {
    /// Product and tails assays, weight fractions.
    product: f64,
    tails: f64,
    product_per_feed: f64,
    max_feed_kg_u_per_yr: f64,
    repiped: bool,
}

impl Response {
    /// The configurations of `h` at `feed`: as built and re-piped, or, for cascades built for
    /// each step, the one they are built as.
    fn of(h: &Hardware, feed: Assay) -> Result<Vec<Response>, BreakoutError> {
        let runs = if h.built_for_each_step {
            vec![(h.run_at(feed)?, true)]
        } else {
            vec![
                (h.cascade.run(&Composition::binary(feed))?, false),
                (Transfer::retuned(&h.cascade, feed)?, true),
            ]
        };
        Ok(runs
            .into_iter()
            .map(|(run, repiped)| Response {
                product: run.product.assay().wt_fraction(),
                tails: run.tails.assay().wt_fraction(),
                product_per_feed: run.product_per_feed,
                max_feed_kg_u_per_yr: run.max_feed_kg_u_per_yr,
                repiped,
            })
            .collect())
    }
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
    /// Re-piped for its feed (as opposed to the hardware as built).
    repiped: bool,
    /// Runs from day 0: a step its kind already runs, or cascades built for each step.
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

impl Config {
    /// kg each pool gains per kg of feed (the feed pool loses one; a product blended to the goal
    /// is not in a pool): the material balance of the programs and of their check.
    fn moves(&self) -> impl Iterator<Item = (usize, f64)> {
        let product = match self.product {
            Dest::Pool(j) => Some((j, self.product_per_feed, self.product_up)),
            Dest::Goal(_) => None,
        };
        let tails = self
            .tails
            .map(|t| (t, 1.0 - self.product_per_feed, self.tails_up));
        let split = |(pool, kg, up): (usize, f64, f64)| {
            [(pool, (1.0 - up) * kg), (pool + 1, up * kg)]
                .into_iter()
                .filter(|&(_, kg)| kg > 0.0)
        };
        std::iter::once((self.feed, -1.0))
            .chain(product.into_iter().flat_map(split))
            .chain(tails.into_iter().flat_map(split))
    }
}

/// Inputs of one program that depend on the values.
struct Inputs {
    /// kg U in each pool at day 0 (pool 0, natural, unused).
    stock: Vec<f64>,
    /// The whole plant's capacity (its events, its final rate).
    schedule: CapacitySchedule,
    /// Each kind's capacity.
    kind_schedules: Vec<CapacitySchedule>,
    setup_days: f64,
    /// Capacity factor in HEU configurations (plant-weighted over machine types).
    heu_factor: f64,
    /// Each kind runs in each bucket on its lowest share of the plant's capacity there, every
    /// flow following the plant's capacity in proportion (inventories then stay between their
    /// values at the bucket's ends): the same where capacity is constant in a bucket or every
    /// kind grows at the plant's pace; where kinds grow at different paces inside a merged
    /// bucket, a schedule the plant can run, so the time it gives bounds the merge from above.
    lowest_in_bucket: bool,
    /// Optimal bases of the programs solved so far, to warm-start the next of each shape.
    warm: RefCell<WarmStarts>,
}

/// A solved program.
struct Solved {
    goal_kg: f64,
    edges: Vec<f64>,
    /// (config, bucket, kg feed).
    flows: Vec<(usize, usize, f64)>,
    /// kg moved down from each pool to the one below, per bucket (recorded with the flows, of a
    /// program where every configuration may run).
    down: Vec<Vec<f64>>,
    /// Share re-piped per kind.
    repiped: Vec<f64>,
}

/// The re-piped share of a kind in one program.
#[derive(Clone, Copy)]
enum Share {
    Fixed(f64),
    /// Chosen by the program: this variable.
    Chosen(usize),
}

/// One linear program over the material flows.
struct Program<'a> {
    /// Bucket edges from day 0 (at least day 0 itself).
    edges: &'a [f64],
    /// Re-piped share of each kind, given (`None`: chosen by the program).
    shares: Option<&'a [f64]>,
    /// `(target kg, end)`: minimise the day, after the last edge and at most `end`, by which
    /// the goal material reaches the target (a last bucket runs to it); `None`: maximise the
    /// goal material by the last edge.
    earliest: Option<(f64, f64)>,
    record: bool,
    /// Only these configurations may run (`None`: all).
    only: Option<&'a [bool]>,
}

/// Re-piped shares of an all-or-nothing choice per kind (bit `k` of `mask`: kind `k` re-piped).
fn hall_shares(mask: usize, kinds: usize) -> Vec<f64> {
    (0..kinds)
        .map(|k| f64::from(u8::from(mask >> k & 1 == 1)))
        .collect()
}

/// The optimum estimator.
pub struct OptimumEstimator<'a> {
    scenario: &'a Scenario,
    /// Pool assays, weight fractions; pool 0 natural, the last the goal.
    pools: Vec<f64>,
    configs: Vec<Config>,
    /// Weight of each kind (share of the pooled capacity).
    weights: Vec<f64>,
    /// The scenario's groups of each kind.
    groups: Vec<Vec<usize>>,
    /// Every group belongs to a kind: each kind runs on its own groups' capacity.
    by_group: bool,
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
        if !(2..=MAX_POOLS).contains(&opts.pools) {
            return Err(BreakoutError::Inconsistent(format!(
                "optimum model: {} pools (allowed 2..={MAX_POOLS})",
                opts.pools
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
        // The feed pools each kind runs without set-up: natural feed and its product, and the
        // levels of the chain its own groups already handle (the fixed-cascade model's levels,
        // plus the pool of each handled assay itself).
        let transfer = hardware.transfer();
        let ready: Vec<Vec<bool>> = kinds
            .iter()
            .map(|h| {
                let handled: Vec<f64> = h.handles_wt_pct.iter().map(|x| x / 100.0).collect();
                let mask = crate::fixed::levels_mask(transfer, &handled);
                pools
                    .iter()
                    .enumerate()
                    .map(|(i, &x)| {
                        let level = (transfer.level(x) as usize).min(crate::fixed::LEVELS - 1);
                        mask >> level & 1 == 1
                            || handled.iter().any(|&y| pool_below(&pools, y) == Some(i))
                    })
                    .collect()
            })
            .collect();
        // Kinds of the same hardware (the same machines per stage at two sites, or one site's
        // groups that run different steps) respond alike: each distinct hardware is solved once.
        let mut responses: Vec<(usize, Vec<Vec<Response>>)> = Vec::new();
        let mut configs = Vec::new();
        for (k, h) in kinds.iter().enumerate() {
            let phi = symmetric_stage_work_per_feed(Assay::NATURAL, h.cascade.separation())?;
            let rated =
                h.cascade.total_machines() as f64 * h.cascade.machine_feed().kg_u_per_yr() * phi;
            let same = |(j, _): &(usize, Vec<Vec<Response>>)| {
                let o = &kinds[*j];
                o.cascade == h.cascade && o.built_for_each_step == h.built_for_each_step
            };
            let at_pools = match responses.iter().position(same) {
                Some(r) => r,
                None => {
                    let solved = pools[..n - 1]
                        .iter()
                        .map(|&x| Response::of(h, Assay::from_wt_fraction(x)?))
                        .collect::<Result<Vec<_>, BreakoutError>>()?;
                    responses.push((k, solved));
                    responses.len() - 1
                }
            };
            for (i, runs) in responses[at_pools].1.iter().enumerate() {
                for run in runs {
                    let (y, z, re) = (run.product, run.tails, run.repiped);
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
                        free: h.built_for_each_step || ready[k][i],
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
            groups: kinds.iter().map(|h| h.groups.clone()).collect(),
            by_group: (0..scenario.groups.len())
                .all(|i| kinds.iter().any(|h| h.groups.contains(&i))),
            labels: kinds.iter().map(|h| h.label.clone()).collect(),
            planner,
        })
    }

    /// A kind of cascade named by its machines and sites ("the IR-1 cascades at fep"), so that
    /// a timeline read without its cascades column (a deal floor's) still says which; a kind
    /// without groups (quick mode) by its label's first clause.
    fn kind_name(&self, k: usize) -> String {
        let mut machines: Vec<&str> = Vec::new();
        let mut sites: Vec<&str> = Vec::new();
        for &g in &self.groups[k] {
            let group = &self.scenario.groups[g];
            for (list, x) in [(&mut machines, &group.machine), (&mut sites, &group.site)] {
                if !list.contains(&x.as_str()) {
                    list.push(x);
                }
            }
        }
        if machines.is_empty() {
            let label = &self.labels[k];
            return label.split(':').next().unwrap_or(label).to_string();
        }
        format!(
            "the {} cascades at {}",
            machines.join(" and "),
            sites.join(" and ")
        )
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
        // Each kind on its own groups' capacity where every group belongs to a kind; otherwise
        // shares of the pooled capacity by rated output.
        let kind_schedules = if self.by_group {
            self.groups
                .iter()
                .map(|g| {
                    let mut c = CapacitySchedule::default();
                    s.capacity_of(values, |i| g.contains(&i), &mut c);
                    c
                })
                .collect()
        } else {
            self.weights.iter().map(|&w| schedule.scaled(w)).collect()
        };
        Inputs {
            stock,
            schedule,
            kind_schedules,
            setup_days: values[s.setup_days_per_step].max(0.0),
            heu_factor: if w > 0.0 { we / w } else { 1.0 },
            lowest_in_bucket: false,
            warm: RefCell::default(),
        }
    }

    /// Days where the capacity or the runnable configurations change (the set-up day, capacity
    /// additions), sorted, within the searched horizon, and [`MAX_HORIZON_DAYS`] last.
    fn events(inp: &Inputs) -> Vec<f64> {
        let mut e: Vec<f64> = inp
            .schedule
            .additions()
            .iter()
            .map(|&(d, _)| d)
            .chain(std::iter::once(inp.setup_days))
            .filter(|&d| d > 0.0 && d < MAX_HORIZON_DAYS)
            .collect();
        e.sort_by(f64::total_cmp);
        e.dedup_by(|a, b| (*a - *b).abs() <= 1e-9 * b.max(1.0));
        e.push(MAX_HORIZON_DAYS);
        e
    }

    /// Bucket edges from day 0 to `until`: the events before it, no others. Capacity is constant
    /// between events, so splitting a bucket further cannot raise the optimum: any split
    /// schedule, averaged over the bucket, is feasible unsplit with the same totals (inventories
    /// are linear within a bucket, so non-negative at its ends means throughout). Beyond
    /// [`MAX_BUCKETS`], or [`MAX_FLOWS`] flow variables, the set-up day and the latest events
    /// are kept and earlier capacity is averaged over merged buckets (optimistic).
    fn edges(&self, inp: &Inputs, events: &[f64], until: f64) -> Vec<f64> {
        let most = self.most_buckets();
        let mut inner: Vec<f64> = events
            .iter()
            .copied()
            .filter(|&d| d < until * (1.0 - 1e-12))
            .collect();
        while inner.len() > most - 1 {
            let drop = inner
                .iter()
                .position(|&d| (d - inp.setup_days).abs() > 1e-9 * d.max(1.0))
                .unwrap_or(0);
            inner.remove(drop);
        }
        let mut e = Vec::with_capacity(inner.len() + 2);
        e.push(0.0);
        e.extend(inner);
        if until > 0.0 {
            e.push(until);
        }
        e
    }

    /// Most buckets in one program: [`MAX_BUCKETS`], fewer where the configurations would
    /// exceed [`MAX_FLOWS`] flow variables.
    fn most_buckets(&self) -> usize {
        (MAX_FLOWS / self.configs.len().max(1)).clamp(2, MAX_BUCKETS)
    }

    /// How many buckets a program to `until` has if it merges events into fewer.
    fn merged_buckets(&self, events: &[f64], until: f64) -> Option<usize> {
        let inner = events
            .iter()
            .filter(|&&d| d < until * (1.0 - 1e-12))
            .count();
        let most = self.most_buckets();
        (inner > most - 1).then_some(most)
    }

    /// Whether a recorded schedule `sol` also runs on the unmerged timetable: inside each of its
    /// buckets every kind's flows follow that kind's own capacity and moves down a pool follow
    /// the plant's, between every pair of events. `Err((pool, day, kg))`: the first pool that
    /// would run short, when and by how much. Passing proves that merging the buckets lost
    /// nothing (the merged program is a relaxation of the unmerged one).
    fn unmerged_shortfall(&self, inp: &Inputs, sol: &Solved) -> Result<(), (usize, f64, f64)> {
        let events = Self::events(inp);
        let mut inv = inp.stock.clone();
        let throughput: f64 =
            inv.iter().sum::<f64>() + sol.flows.iter().map(|&(_, _, kg)| kg).sum::<f64>();
        let tolerance = 1e-7 * throughput.max(1.0);
        let integral = |sch: &CapacitySchedule, a: f64, b: f64| sch.swu_by(b) - sch.swu_by(a);
        for (b, w) in sol.edges.windows(2).enumerate() {
            let cuts: Vec<f64> = std::iter::once(w[0])
                .chain(events.iter().copied().filter(|&d| d > w[0] && d < w[1]))
                .chain(std::iter::once(w[1]))
                .collect();
            let fraction = |sch: &CapacitySchedule, a: f64, c: f64| {
                let whole = integral(sch, w[0], w[1]);
                if whole > 0.0 {
                    integral(sch, a, c) / whole
                } else {
                    (c - a) / (w[1] - w[0])
                }
            };
            for sub in cuts.windows(2) {
                for &(c, bucket, kg) in &sol.flows {
                    if bucket == b && kg > 0.0 {
                        let cfg = &self.configs[c];
                        let kg = kg * fraction(&inp.kind_schedules[cfg.kind], sub[0], sub[1]);
                        for (pool, per_feed) in cfg.moves() {
                            inv[pool] += per_feed * kg;
                        }
                    }
                }
                let plant = fraction(&inp.schedule, sub[0], sub[1]);
                for (p, moved) in sol.down.iter().enumerate() {
                    let kg = moved.get(b).copied().unwrap_or(0.0) * plant;
                    inv[p] -= kg;
                    if p > 0 {
                        inv[p - 1] += kg;
                    }
                }
                // Pool 0, natural uranium, is unlimited.
                if let Some((p, &kg)) = inv
                    .iter()
                    .enumerate()
                    .skip(1)
                    .find(|&(_, &kg)| kg < -tolerance)
                {
                    return Err((p, sub[1], -kg));
                }
            }
        }
        Ok(())
    }

    /// Whether the configurations `sol` runs reach `kg` of goal material by `day` on the
    /// unmerged timetable (a bucket between every pair of events): a schedule the plant can
    /// run, so `day` is then exact. `false` where that program would exceed [`MAX_VARIABLES`]
    /// or the solver fails.
    fn reaches_unmerged(
        &self,
        inp: &Inputs,
        events: &[f64],
        sol: &Solved,
        day: f64,
        kg: f64,
    ) -> bool {
        let mut only = vec![false; self.configs.len()];
        for &(c, _, flow) in &sol.flows {
            only[c] |= flow > 0.0;
        }
        let edges: Vec<f64> = std::iter::once(0.0)
            .chain(events.iter().copied().filter(|&d| d < day * (1.0 - 1e-12)))
            .chain(std::iter::once(day))
            .collect();
        let prog = Program {
            edges: &edges,
            shares: None,
            earliest: None,
            record: false,
            only: Some(&only),
        };
        self.try_build(inp, &prog)
            .is_ok_and(|s| s.goal_kg >= kg * (1.0 - DAYS_TOLERANCE))
    }

    /// The most goal material (kg U at the goal assay) by `horizon` days.
    fn solve(
        &self,
        inp: &Inputs,
        events: &[f64],
        horizon: f64,
        record: bool,
    ) -> Result<Solved, BreakoutError> {
        let edges = self.edges(inp, events, horizon);
        let kinds = self.weights.len();
        if self.scenario.optimum.setup_idles_hall {
            let mut best: Option<Solved> = None;
            for mask in 0..(1usize << kinds) {
                let shares = hall_shares(mask, kinds);
                let prog = Program {
                    edges: &edges,
                    shares: Some(&shares),
                    earliest: None,
                    record,
                    only: None,
                };
                let s = self.build(inp, &prog)?;
                if best.as_ref().is_none_or(|b| s.goal_kg > b.goal_kg) {
                    best = Some(s);
                }
            }
            best.ok_or_else(|| BreakoutError::Inconsistent("no kind of cascade".into()))
        } else {
            let prog = Program {
                edges: &edges,
                shares: None,
                earliest: None,
                record,
                only: None,
            };
            self.build(inp, &prog)
        }
    }

    /// Builds and solves one program.
    fn build(&self, inp: &Inputs, prog: &Program) -> Result<Solved, BreakoutError> {
        self.try_build(inp, prog).map_err(|e| {
            BreakoutError::Inconsistent(format!("optimum model: the LP solver failed: {e}"))
        })
    }

    /// [`Self::build`], with the solver's own error (an earliest-time program may be infeasible).
    fn try_build(&self, inp: &Inputs, prog: &Program) -> Result<Solved, ResolutionError> {
        self.solve_by(inp, prog, None)
    }

    /// [`Self::try_build`] by the given method (`None`: the dense simplex, warm-started, where
    /// the value alone is wanted; else the library simplex where the schedule is recorded (a
    /// vertex runs few configurations, which the timeline can name) or the program has fewer
    /// than [`INTERIOR_POINT_ROWS`] rows; else the interior-point method, whose value agrees to
    /// its tolerance (10⁻⁸ relative) and costs a fraction on large programs).
    fn solve_by(
        &self,
        inp: &Inputs,
        prog: &Program,
        method: Option<Method>,
    ) -> Result<Solved, ResolutionError> {
        let edges = prog.edges;
        let fixed = edges.len() - 1;
        let nb = fixed + usize::from(prog.earliest.is_some());
        let np = self.pools.len();
        let kinds = self.weights.len();
        let allowed = prog
            .only
            .map_or(self.configs.len(), |o| o.iter().filter(|&&x| x).count());
        // Pools with an inventory: all, or with only some configurations those they touch and
        // those holding stock (material moved down passes the others unchanged).
        let kept: Vec<bool> = match prog.only {
            None => vec![true; np],
            Some(o) => {
                let mut k: Vec<bool> = inp.stock.iter().map(|&kg| kg > 0.0).collect();
                for (c, cfg) in self.configs.iter().enumerate() {
                    if o[c] {
                        for (pool, _) in cfg.moves() {
                            k[pool] = true;
                        }
                    }
                }
                k
            }
        };
        let pools_kept = kept.iter().filter(|&&k| k).count();
        let vars_needed = allowed * nb + pools_kept * nb * 2 + kinds + 1;
        if vars_needed > MAX_VARIABLES {
            return Err(ResolutionError::Str(format!(
                "{vars_needed} LP variables (most {MAX_VARIABLES})"
            )));
        }
        let setup = inp.setup_days;
        let mut lp = Lp::default();
        // The time found, in the last bucket of an earliest-time program.
        let (time, last_start, last_before) = match prog.earliest {
            Some((_, end)) => {
                let s = edges.last().copied().unwrap_or(0.0);
                (Some(lp.var(s, end)), s, s < setup)
            }
            None => (None, 0.0, false),
        };
        // Each kind's nominal kg-SWU per fixed bucket, before and after the set-up, and its
        // rate in the last bucket of an earliest-time program.
        let fixed_cap: Vec<Vec<(f64, f64)>> = inp
            .kind_schedules
            .iter()
            .map(|sch| {
                edges
                    .windows(2)
                    .map(|w| {
                        let (before, all) = if inp.lowest_in_bucket {
                            // Every flow follows the plant's capacity in proportion, so each
                            // kind gets its lowest share of the plant within the bucket.
                            let plant = &inp.schedule;
                            let share = lowest_share(sch, plant, w[0], w[1]);
                            (
                                share
                                    * (plant.swu_by(w[1].min(setup))
                                        - plant.swu_by(w[0].min(setup))),
                                share * (plant.swu_by(w[1]) - plant.swu_by(w[0])),
                            )
                        } else {
                            (
                                sch.swu_by(w[1].min(setup)) - sch.swu_by(w[0].min(setup)),
                                sch.swu_by(w[1]) - sch.swu_by(w[0]),
                            )
                        };
                        (before.max(0.0), (all - before).max(0.0))
                    })
                    .collect()
            })
            .collect();
        let last_rate: Vec<f64> = inp
            .kind_schedules
            .iter()
            .map(|sch| sch.rate_at(last_start))
            .collect();
        // Which buckets give each kind any capacity before and after the set-up (the last
        // bucket of an earliest-time program lies wholly on one side: the set-up day is an
        // event).
        let open: Vec<Vec<(bool, bool)>> = fixed_cap
            .iter()
            .zip(&last_rate)
            .map(|(caps, &rate)| {
                caps.iter()
                    .map(|&(before, after)| (before > 0.0, after > 0.0))
                    .chain(time.map(|_| (last_before && rate > 0.0, !last_before && rate > 0.0)))
                    .collect()
            })
            .collect();
        let r: Vec<Share> = (0..kinds)
            .map(|k| match prog.shares {
                Some(z) => Share::Fixed(z[k]),
                None => Share::Chosen(lp.var(0.0, 1.0)),
            })
            .collect();
        let mut flows: Vec<(usize, usize, usize)> = Vec::new();
        for (c, cfg) in self.configs.iter().enumerate() {
            if prog.only.is_some_and(|o| !o[c]) {
                continue;
            }
            for (b, &(before, after)) in open[cfg.kind].iter().enumerate() {
                let usable = if !cfg.free { after } else { before || after };
                if usable {
                    flows.push((c, b, lp.var(0.0, f64::INFINITY)));
                }
            }
        }
        // Inventories of the kept pools at each bucket end, and moves down to the next kept pool
        // below (pool 0, natural uranium, is unlimited: material moved there is discarded).
        let mut per_bucket = |keep: bool| -> Vec<usize> {
            if keep {
                (0..nb).map(|_| lp.var(0.0, f64::INFINITY)).collect()
            } else {
                Vec::new()
            }
        };
        let inv: Vec<Vec<usize>> = kept.iter().map(|&k| per_bucket(k)).collect();
        let down: Vec<Vec<usize>> = kept.iter().map(|&k| per_bucket(k)).collect();
        let mut goal: Vec<(usize, f64)> = Vec::new();
        let mut balance: Vec<Vec<Vec<(usize, f64)>>> = vec![vec![Vec::new(); nb]; np];
        let mut used: Vec<Vec<Vec<(usize, f64)>>> = vec![vec![Vec::new(); nb]; kinds];
        let mut used_repiped: Vec<Vec<Vec<(usize, f64)>>> = vec![vec![Vec::new(); nb]; kinds];
        for &(c, b, f) in &flows {
            let cfg = &self.configs[c];
            let eff = if cfg.heu { inp.heu_factor } else { 1.0 };
            let swu_per_kg = 1.0 / (cfg.kg_per_nominal_swu * eff.max(f64::MIN_POSITIVE));
            used[cfg.kind][b].push((f, swu_per_kg));
            if !cfg.free {
                used_repiped[cfg.kind][b].push((f, swu_per_kg));
            }
            for (pool, per_feed) in cfg.moves() {
                // What a flow takes from or adds to a pool leaves or enters its inventory.
                balance[pool][b].push((f, -per_feed));
            }
            if let Dest::Goal(per_feed) = cfg.product {
                goal.push((f, per_feed));
            }
        }
        // inventory − previous inventory − flows in + flows out − moved down from above +
        // moved down from here = the stock at day 0 (the inventory first: it starts the
        // dense simplex's basis).
        for p in (1..np).filter(|&p| kept[p]) {
            let above = (p + 1..np).find(|&q| kept[q]);
            for b in 0..nb {
                let mut row = vec![(inv[p][b], 1.0)];
                if b > 0 {
                    row.push((inv[p][b - 1], -1.0));
                }
                row.append(&mut balance[p][b]);
                if let Some(q) = above {
                    row.push((down[q][b], -1.0));
                }
                row.push((down[p][b], 1.0));
                let stock = if b == 0 { inp.stock[p] } else { 0.0 };
                lp.constrain(row, Sense::Equal, stock);
            }
        }
        for (k, share) in r.iter().enumerate() {
            for b in 0..nb {
                let mut u = std::mem::take(&mut used[k][b]);
                let mut ur = std::mem::take(&mut used_repiped[k][b]);
                let (before, after) = fixed_cap[k].get(b).copied().unwrap_or((0.0, 0.0));
                // The re-piped share idles before the set-up and may run anything after it.
                match (*share, time) {
                    (Share::Fixed(z), Some(t)) if b == fixed => {
                        // The last bucket, its capacity linear in the time found:
                        // rate × (t − start) × share.
                        let rate = last_rate[k];
                        let (whole, repiped) = if last_before {
                            (1.0 - z, 0.0)
                        } else {
                            (1.0, z)
                        };
                        u.push((t, -whole * rate));
                        lp.constrain(u, Sense::AtMost, -whole * rate * last_start);
                        if repiped > 0.0 {
                            ur.push((t, -repiped * rate));
                        }
                        lp.constrain(ur, Sense::AtMost, -repiped * rate * last_start);
                    }
                    (Share::Fixed(z), _) => {
                        lp.constrain(u, Sense::AtMost, (1.0 - z) * before + after);
                        lp.constrain(ur, Sense::AtMost, z * after);
                    }
                    (Share::Chosen(v), _) => {
                        u.push((v, before));
                        lp.constrain(u, Sense::AtMost, before + after);
                        ur.push((v, -after));
                        lp.constrain(ur, Sense::AtMost, 0.0);
                    }
                }
            }
        }
        match (prog.earliest, time) {
            (Some((target, _)), Some(t)) => {
                lp.constrain(goal.clone(), Sense::AtLeast, target);
                lp.objective(vec![(t, 1.0)], false);
            }
            _ => lp.objective(goal.clone(), true),
        }
        let method = method.unwrap_or(if !prog.record && lp.rows() < INTERIOR_POINT_ROWS {
            Method::Dense
        } else if prog.record || lp.rows() < INTERIOR_POINT_ROWS {
            Method::Simplex
        } else {
            Method::InteriorPoint
        });
        let x = lp.solve(method, &mut inp.warm.borrow_mut())?;
        let mut edges = edges.to_vec();
        if let Some(t) = time {
            edges.push(x[t]);
        }
        Ok(Solved {
            goal_kg: goal.iter().map(|&(f, a)| a * x[f]).sum::<f64>().max(0.0),
            flows: if prog.record {
                flows
                    .iter()
                    .map(|&(c, b, v)| (c, b, x[v].max(0.0)))
                    .collect()
            } else {
                Vec::new()
            },
            down: if prog.record {
                down.iter()
                    .map(|d| d.iter().map(|&v| x[v].max(0.0)).collect())
                    .collect()
            } else {
                Vec::new()
            },
            repiped: r
                .iter()
                .map(|s| match *s {
                    Share::Fixed(z) => z,
                    Share::Chosen(v) => x[v],
                })
                .collect(),
            edges,
        })
    }

    /// Days to `kg` of goal material (`None`: not within [`MAX_HORIZON_DAYS`]).
    ///
    /// Between events capacity is constant, so with the re-piped shares given the earliest
    /// time within an interval is itself a linear program (the last bucket's capacity is linear
    /// in its end). Before the set-up no share is worth re-piping (the re-piped idle), and
    /// without a set-up every share is: there the earliest-time program is exact, and the
    /// intervals are tried in turn from day 0 (infeasible: the goal lies later). Past them the
    /// goal is bracketed by doubling the horizon (the optimum value is non-decreasing in it) and
    /// the events inside the bracket by bisection; after a set-up the shares are taken from the
    /// best schedule found and the time is proven by a probe just below it, with regula falsi on
    /// the horizon where that does not settle it.
    fn days_to(&self, inp: &Inputs, kg: f64) -> Result<Option<f64>, BreakoutError> {
        if kg <= 0.0 {
            return Ok(Some(0.0));
        }
        if inp.schedule.final_swu_per_day() <= 0.0 {
            return Ok(None);
        }
        let target = kg * (1.0 - 1e-9);
        let kinds = self.weights.len();
        let events = Self::events(inp);
        let earliest = |start: f64, end: f64, shares: &[f64]| -> Option<f64> {
            let edges = self.edges(inp, &events, start);
            let prog = Program {
                edges: &edges,
                shares: Some(shares),
                earliest: Some((target, end)),
                record: false,
                only: None,
            };
            // Infeasible: the goal is not reached by `end` with these shares.
            self.try_build(inp, &prog)
                .ok()
                .and_then(|s| s.edges.last().copied())
                .filter(|t| t.is_finite())
        };
        let exact = |start: f64| {
            if start < inp.setup_days {
                Some(vec![0.0; kinds])
            } else if inp.setup_days <= 0.0 {
                Some(vec![1.0; kinds])
            } else {
                None
            }
        };
        // The intervals from day 0 whose shares are known.
        let mut start = 0.0;
        for &end in events.iter().take(MAX_SCANNED) {
            let Some(shares) = exact(start) else { break };
            if let Some(t) = earliest(start, end, &shares) {
                return Ok(Some(t));
            }
            start = end;
        }
        if start >= MAX_HORIZON_DAYS {
            return Ok(None);
        }
        // Bracket: (day, goal by it) short of the target and reaching it.
        let guess = inp
            .schedule
            .days_for(self.planner.separative_work(kg, &[])?)
            .unwrap_or(30.0);
        let mut lo = (start, 0.0);
        let mut h = guess.max(2.0 * start).clamp(1.0, MAX_HORIZON_DAYS);
        let mut hi = loop {
            let s = self.solve(inp, &events, h, false)?;
            if s.goal_kg >= target {
                break (h, s);
            }
            if h >= MAX_HORIZON_DAYS {
                return Ok(None);
            }
            lo = (h, s.goal_kg);
            h = (2.0 * h).min(MAX_HORIZON_DAYS);
        };
        // No event inside the bracket: bisect over those that are.
        loop {
            let inside: Vec<f64> = events
                .iter()
                .copied()
                .filter(|&d| d > lo.0 && d < hi.0)
                .collect();
            let Some(&mid) = inside.get(inside.len() / 2) else {
                break;
            };
            let s = self.solve(inp, &events, mid, false)?;
            if s.goal_kg >= target {
                hi = (mid, s);
            } else {
                lo = (mid, s.goal_kg);
            }
        }
        let start = events
            .iter()
            .copied()
            .take_while(|&d| d <= lo.0)
            .last()
            .unwrap_or(0.0);
        let (end, at_end) = hi;
        if let Some(shares) = exact(start) {
            if let Some(t) = earliest(start, end, &shares) {
                return Ok(Some(t.max(lo.0)));
            }
        } else if self.scenario.optimum.setup_idles_hall {
            // Every all-or-nothing choice, each exact.
            let best = (0..(1usize << kinds))
                .filter_map(|mask| earliest(start, end, &hall_shares(mask, kinds)))
                .reduce(f64::min);
            if let Some(t) = best {
                return Ok(Some(t.max(lo.0)));
            }
        } else {
            let (mut shares, mut hi) = (at_end.repiped, (end, at_end.goal_kg));
            for _ in 0..MAX_SHARE_ROUNDS {
                let Some(t) = earliest(start, hi.0, &shares) else {
                    break;
                };
                let probe = t * (1.0 - DAYS_TOLERANCE);
                if probe <= lo.0 {
                    return Ok(Some(t.max(lo.0)));
                }
                let s = self.solve(inp, &events, probe, false)?;
                if s.goal_kg < target {
                    return Ok(Some(t));
                }
                (shares, hi) = (s.repiped, (probe, s.goal_kg));
            }
            return self.regula_falsi(inp, &events, target, lo, hi);
        }
        self.regula_falsi(inp, &events, target, lo, (end, at_end.goal_kg))
    }

    /// The horizon where the optimum value reaches `target`, between `lo` (short of it) and
    /// `hi` (reaching it), each with its value: regula falsi (Illinois) with bisection steps
    /// where it stalls, to a relative tolerance of [`DAYS_TOLERANCE`].
    fn regula_falsi(
        &self,
        inp: &Inputs,
        events: &[f64],
        target: f64,
        (mut lo, mut f_lo): (f64, f64),
        (mut hi, mut f_hi): (f64, f64),
    ) -> Result<Option<f64>, BreakoutError> {
        let mut side = 0i8;
        let mut solves = 0;
        while hi - lo > DAYS_TOLERANCE * hi && solves < MAX_SOLVES {
            let mut t = if f_hi > f_lo {
                lo + (target - f_lo) * (hi - lo) / (f_hi - f_lo)
            } else {
                0.5 * (lo + hi)
            };
            let margin = 0.5 * DAYS_TOLERANCE * hi;
            t = t.clamp(lo + margin, hi - margin);
            let f = self.solve(inp, events, t, false)?.goal_kg;
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
                steps.push(Step::event(
                    StepKind::Enrichment,
                    format!(
                        "re-pipe {} % of {} for new steps ({} idle for the set-up, {} days)",
                        enrich::units::significant(share * 100.0, 3),
                        self.kind_name(k),
                        if self.scenario.optimum.setup_idles_hall {
                            "the whole hall"
                        } else {
                            "only the cascades re-piped"
                        },
                        enrich::units::significant(inp.setup_days, 3)
                    ),
                    self.labels[k].clone(),
                    (Days::default(), Days::new(inp.setup_days)?),
                    0.0,
                ));
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

/// The lowest share `kind` has of `plant`'s capacity from day `a` to `b` (both piecewise
/// constant, so the lowest is at `a` or at a change inside).
fn lowest_share(kind: &CapacitySchedule, plant: &CapacitySchedule, a: f64, b: f64) -> f64 {
    let changes = kind.additions().iter().chain(plant.additions());
    std::iter::once(a)
        .chain(changes.map(|&(d, _)| d).filter(|&d| d > a && d < b))
        .map(|t| {
            let total = plant.rate_at(t);
            if total > 0.0 {
                (kind.rate_at(t) / total).min(1.0)
            } else {
                0.0
            }
        })
        .fold(f64::INFINITY, f64::min)
}

/// A line of the timeline that says how the answer was found (no material moves).
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
        let inp = Inputs {
            warm: RefCell::new(std::mem::take(&mut scratch.warm)),
            ..self.inputs(values, &scratch.stocks, scratch.schedule.clone())
        };
        let days = self.days_to(&inp, goal_kg(&self.scenario.goal));
        scratch.warm = inp.warm.into_inner();
        Ok(days?.unwrap_or(f64::INFINITY))
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
        let mut notes = Vec::new();
        let (lost, all) = self.pooling_loss(&stocks);
        if all > 0.0 && s.optimum.split_streams {
            notes.push(format!(
                "Stocks and streams split between the two pools around their assay ({} pools, lever rule: mass and U-235 kept; the optimistic bound).",
                self.pools.len()
            ));
        } else if all > 0.0 {
            notes.push(format!(
                "Stocks kept in the pool at or below their assay ({} pools from natural to the goal): {} kg U-235 of {} given up ({} %; the bound of the pool discretisation).",
                self.pools.len(),
                enrich::units::significant(lost, 3),
                enrich::units::significant(all, 4),
                enrich::units::significant(100.0 * lost / all, 3)
            ));
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
            // Never before the last unit on the curve (equal within the search tolerance).
            self.days_to(&inp, goal_kg(&goal))?.map(|d| d.max(last))
        };
        // A goal beyond the curve's points ends the curve, so the curve always reaches the goal.
        if goal.count > until
            && unit_days.len() == until as usize
            && let Some(d) = goal_days
        {
            curve.push(CurvePoint {
                days: Days::new(d)?,
                units: f64::from(goal.count),
            });
        }
        // Capacity additions merged into fewer buckets are averaged over each: exact if the
        // schedule found also runs on the unmerged timetable (checked), else optimistic, and
        // then the same search with each kind on its lowest share of the plant in each
        // bucket, a schedule the plant can run, bounds the first unit from above.
        let events = Self::events(&inp);
        // The schedule recorded for the check, at the first unit's day: the timeline's too
        // when the goal is one unit.
        let mut recorded: Option<Solved> = None;
        if let Some(first) = unit_days.first().copied()
            && let Some(buckets) = self.merged_buckets(&events, first)
        {
            let sol = self.solve(&inp, &events, first.max(1e-6), true)?;
            let what = match self.unmerged_shortfall(&inp, &sol) {
                Ok(()) => format!(
                    "Capacity additions merged into {buckets} time buckets (flow budget), each kind on its average capacity in each: exact here, since the schedule found also runs between every pair of additions (each kind's flows following its own capacity, no pool ever short)."
                ),
                Err(_) if self.reaches_unmerged(&inp, &events, &sol, first, unit) => format!(
                    "Capacity additions merged into {buckets} time buckets (flow budget), each kind on its average capacity in each: exact here, since the configurations of the schedule found reach the first {} by the same day with a bucket between every pair of additions.",
                    goal.unit_name()
                ),
                Err((pool, day, kg)) => {
                    let lowest = Inputs {
                        lowest_in_bucket: true,
                        ..self.inputs(values, &stocks, schedule.clone())
                    };
                    let bound = self.days_to(&lowest, unit)?;
                    format!(
                        "Capacity additions merged into {buckets} time buckets (flow budget), each kind on its average capacity in each: optimistic here (run between every pair of additions, the schedule found would leave the {} wt-% pool {} kg U short on day {}, and its configurations alone do not reach the goal by then); with each kind on its lowest share of the plant's capacity in each bucket, a schedule the plant can run, the first {} takes {} (the bound of the merge).",
                        enrich::units::significant(self.pools[pool] * 100.0, 4),
                        enrich::units::significant(kg, 3),
                        enrich::units::significant(day, 4),
                        goal.unit_name(),
                        bound.map_or_else(
                            || "longer than the horizon searched".to_string(),
                            |d| format!("{} days", enrich::units::significant(d, 4))
                        ),
                    )
                }
            };
            notes.push(what);
            recorded = Some(sol);
        }
        let mut goal_swu = 0.0;
        if let Some(h) = goal_days {
            let sol = match recorded.filter(|_| goal.count == 1) {
                Some(sol) => sol,
                None => self.solve(&inp, &events, h.max(1e-6), true)?,
            };
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
            notes,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixed::{CascadeHardware, Hardware};
    use crate::scenario::GroupStatus;
    use crate::testing::{ideal, scenario};
    use crate::{Domain, Param};
    use proptest::prelude::*;
    use std::sync::Arc;

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
        s.optimum.pools = 1;
        assert!(Model::Optimum.prepare(&s).is_err());
    }

    /// The estimator's inputs at the central values, with capacity `additions` (day, share of
    /// the base rate) on top.
    fn inputs_with(est: &OptimumEstimator, additions: &[(f64, f64)]) -> Inputs {
        let s = est.scenario;
        let v = s.central_values();
        let mut stocks = Vec::new();
        s.usable_stocks(&v, &mut stocks);
        let mut schedule = CapacitySchedule::default();
        s.capacity(&v, &mut schedule);
        let base = schedule.initial_swu_per_day();
        for &(day, share) in additions {
            schedule.add(day, share * base);
        }
        est.inputs(&v, &stocks, schedule)
    }

    #[test]
    fn the_earliest_time_is_the_first_horizon_that_reaches_the_goal() {
        // Each search path: before the set-up, without one, after it (shares from the best
        // schedule), re-piping that idles the hall, capacity coming on line. The time found
        // reaches the goal, and a horizon shorter by twice the search tolerance does not.
        // (capacity kg-SWU/yr, stock (kg U, wt-%), set-up days, additions, idles hall)
        type Case = (f64, Option<(f64, f64)>, f64, &'static [(f64, f64)], bool);
        let cases: [Case; 7] = [
            (8700.0, Some((100.0, 60.0)), 21.0, &[], false),
            (8700.0, Some((100.0, 60.0)), 0.0, &[], false),
            (8700.0, Some((3000.0, 3.5)), 21.0, &[], false),
            (3000.0, None, 21.0, &[], false),
            (3000.0, None, 21.0, &[], true),
            (
                3000.0,
                Some((500.0, 4.5)),
                21.0,
                &[(30.0, 0.5), (90.0, 1.0)],
                false,
            ),
            (
                3000.0,
                Some((30.0, 20.0)),
                5.0,
                &[(2.0, 0.2), (60.0, 2.0)],
                true,
            ),
        ];
        for (cap, stock, setup, additions, hall) in cases {
            let stocks: Vec<(f64, f64)> = stock.into_iter().collect();
            let mut s = scenario(&[cap], &stocks, setup, 1);
            s.optimum.setup_idles_hall = hall;
            let est = OptimumEstimator::new(&s).unwrap();
            let inp = inputs_with(&est, additions);
            let kg = goal_kg(&s.goal);
            let t = est.days_to(&inp, kg).unwrap().unwrap();
            let events = OptimumEstimator::events(&inp);
            let by = |h: f64| est.solve(&inp, &events, h, false).unwrap().goal_kg;
            let case = format!("{cap} {stock:?} {setup} {additions:?} {hall}: {t} days");
            assert!(by(t * (1.0 + 1e-9)) >= kg * (1.0 - 1e-6), "{case}");
            assert!(by(t * (1.0 - 2.0 * DAYS_TOLERANCE)) < kg, "{case}");
        }
    }

    /// [`scenario`] with two groups, each its own kind (the same design) naming its group:
    /// `ready` gives the assays (wt-%) each already handles.
    fn two_kinds(caps: [f64; 2], ready: [&[f64]; 2], stock: (f64, f64), setup: f64) -> Scenario {
        let mut s = scenario(&caps, &[stock], setup, 1);
        s.optimum.pools = DEFAULT_POOLS;
        let one = s.hardware.as_ref().unwrap().kinds()[0].clone();
        let kinds = (0..2)
            .map(|k| Hardware {
                nominal_swu_per_yr: caps[k],
                handles_wt_pct: ready[k].to_vec(),
                groups: vec![k],
                ..one.clone()
            })
            .collect();
        for (g, r) in s.groups.iter_mut().zip(ready) {
            g.handles_wt_pct = r.to_vec();
        }
        s.hardware = Some(Arc::new(CascadeHardware::new(kinds).unwrap()));
        s
    }

    #[test]
    fn each_kind_runs_its_own_capacity_and_only_the_steps_it_is_set_up_for() {
        // 60 % stock, a 21-day set-up. Kind 0 already takes 60 % feed; kind 1, four times its
        // size, does not: before the set-up it can only enrich natural uranium and its product.
        let big = two_kinds([2000.0, 8000.0], [&[60.0], &[]], (100.0, 60.0), 21.0);
        let small = scenario(&[2000.0], &[(100.0, 60.0)], 21.0, 1);
        let mut alone = two_kinds([2000.0, 8000.0], [&[60.0], &[]], (100.0, 60.0), 21.0);
        alone.groups[1].status = GroupStatus::Stored;
        let both_ready = two_kinds([2000.0, 8000.0], [&[60.0], &[60.0]], (100.0, 60.0), 21.0);
        let (t_big, t_alone, t_ready) = (days(&big).0, days(&alone).0, days(&both_ready).0);
        // Kind 1's capacity is its own: it neither dilutes kind 0's nor lends it any before
        // its set-up, and joins after it (kind 0 alone: 29.7 days; with kind 1 from day 21:
        // 22.5).
        assert!(t_big > 21.0 && t_big < t_alone, "{t_big} {t_alone}");
        let t_small = {
            let mut s = small;
            s.optimum.pools = DEFAULT_POOLS;
            s.hardware = alone.hardware.clone();
            s.groups.truncate(1);
            days(&s).0
        };
        assert!(
            (t_alone - t_small).abs() <= 1e-6 * t_small,
            "{t_alone} {t_small}"
        );
        // Set up for 60 % feed, kind 1's capacity joins at once (5.9 days).
        assert!(t_ready < 0.3 * t_big, "{t_ready} {t_big}");
    }

    #[test]
    fn many_capacity_additions_fit_the_bucket_budget() {
        // Forty additions (a reinstalling plant) are more events than buckets: earlier ones are
        // merged. The time stays between the plant without them and the plant with all of
        // them from day 0.
        let s = scenario(&[2000.0], &[(300.0, 4.5)], 21.0, 1);
        let est = OptimumEstimator::new(&s).unwrap();
        let kg = goal_kg(&s.goal);
        let additions: Vec<(f64, f64)> = (1..=40).map(|i| (7.5 * f64::from(i), 0.05)).collect();
        let at_once: Vec<(f64, f64)> = vec![(0.0, 2.0)];
        let days = |a: &[(f64, f64)]| est.days_to(&inputs_with(&est, a), kg).unwrap().unwrap();
        let (none, many, all) = (days(&[]), days(&additions), days(&at_once));
        assert!(
            not_longer(all, many) && not_longer(many, none) && many < none,
            "{all} {many} {none}"
        );
        let inp = inputs_with(&est, &additions);
        let events = OptimumEstimator::events(&inp);
        assert!(est.edges(&inp, &events, 400.0).len() <= MAX_BUCKETS + 1);
    }

    /// The most goal material by the last of `edges`, every configuration free to run.
    fn goal_by(est: &OptimumEstimator, inp: &Inputs, edges: &[f64]) -> f64 {
        let prog = Program {
            edges,
            shares: None,
            earliest: None,
            record: false,
            only: None,
        };
        est.build(inp, &prog).unwrap().goal_kg
    }

    #[test]
    fn every_solver_finds_the_same_optimum() {
        // Programs whose value alone is wanted go to the dense simplex below
        // INTERIOR_POINT_ROWS rows and to the interior-point method from there on. On small and
        // large programs, maximising the goal material and minimising the time, with the
        // re-piped share chosen or given, every solver agrees with microlp.
        let s = scenario(&[2000.0], &[(300.0, 4.5), (20.0, 60.0)], 21.0, 1);
        let est = OptimumEstimator::new(&s).unwrap();
        let ramp: Vec<(f64, f64)> = (1..=30).map(|i| (7.5 * f64::from(i), 0.05)).collect();
        let inp = inputs_with(&est, &ramp);
        let events = OptimumEstimator::events(&inp);
        let unmerged = |until: f64| -> Vec<f64> {
            std::iter::once(0.0)
                .chain(events.iter().copied().filter(|&d| d < until))
                .chain(std::iter::once(until))
                .collect()
        };
        // An earliest-time program's last bucket lies between two events (here days 21 and
        // 22.5): its target lies between the most goal material by each.
        let target =
            0.5 * (goal_by(&est, &inp, &unmerged(21.0)) + goal_by(&est, &inp, &unmerged(22.5)));
        let repiped = [1.0];
        let mut densely = Vec::new();
        for (label, until, shares, earliest) in [
            ("a few buckets", 30.0, None, None),
            (
                "a bucket between every pair of additions",
                200.0,
                None,
                None,
            ),
            ("the re-piped share given", 200.0, Some(&repiped[..]), None),
            (
                "the earliest time after the set-up",
                21.0,
                Some(&repiped[..]),
                Some((target, 22.5)),
            ),
        ] {
            let edges = unmerged(until);
            let prog = Program {
                edges: &edges,
                shares,
                earliest,
                record: false,
                only: None,
            };
            let by = |m| {
                est.solve_by(&inp, &prog, m)
                    .unwrap_or_else(|e| panic!("{label} {m:?}: {e}"))
            };
            let simplex = by(Some(Method::Simplex));
            let close = |a: f64, b: f64| (a - b).abs() <= 1e-6 * a.abs().max(1.0);
            let end = |x: &Solved| x.edges.last().copied().unwrap();
            for other in [Method::InteriorPoint, Method::Dense] {
                let answered = inp.warm.borrow().answered;
                let o = by(Some(other));
                if other == Method::Dense && inp.warm.borrow().answered > answered {
                    densely.push(label);
                }
                assert!(
                    close(simplex.goal_kg, o.goal_kg),
                    "{label} {other:?}: {} {}",
                    simplex.goal_kg,
                    o.goal_kg
                );
                assert!(close(end(&simplex), end(&o)), "{label} {other:?}");
            }
            if earliest.is_some() {
                let t = end(&simplex);
                assert!(t > 21.0 && t < 22.5, "{label}: {t}");
            }
            assert!(
                simplex.goal_kg > 0.0,
                "{label}: the program makes goal material"
            );
        }
        // The dense simplex answered every one itself (all are under 300 rows), not by handing
        // it to microlp.
        assert_eq!(densely.len(), 4, "{densely:?}");
    }

    #[test]
    fn warm_started_draws_find_the_cold_answers() {
        // A Monte Carlo chunk's draws share one scratch: each draw's programs start from the
        // previous draw's optimal bases. Over draws that change capacities, stocks and the
        // set-up (which moves the events, so the programs' shapes too), the warm-started days
        // equal a cold start's (each from its slack basis) to the search's tolerance, and the
        // dense simplex answered every program itself.
        let mut s = scenario(&[2000.0, 1500.0], &[(300.0, 4.5), (150.0, 60.0)], 21.0, 1);
        s.optimum.pools = DEFAULT_POOLS;
        let est = OptimumEstimator::new(&s).unwrap();
        let index = |key: &str| s.inputs.iter().position(|i| i.key == key).unwrap();
        let (caps, stocks, setup) = (
            [index("cap0"), index("cap1")],
            [index("m0"), index("m1")],
            index("setup"),
        );
        let mut warm = Scratch::default();
        for draw in 0..16 {
            let f = |k: usize| 0.6 + 0.8 * f64::from((draw * 7 + 3 * k as u32) % 16) / 15.0;
            let mut v = s.central_values();
            for (k, &i) in caps.iter().chain(&stocks).enumerate() {
                v[i] *= f(k);
            }
            v[setup] = if draw % 4 == 0 { 0.0 } else { 7.0 * f(5) };
            let warmed = est.goal_days(&v, &mut warm).unwrap();
            let cold = est.goal_days(&v, &mut Scratch::default()).unwrap();
            assert!(
                (warmed - cold).abs() <= DAYS_TOLERANCE * cold,
                "draw {draw}: {warmed} {cold}"
            );
        }
        assert!(warm.warm.answered > 16, "{}", warm.warm.answered);
        assert_eq!(warm.warm.declined, 0);
    }

    #[test]
    fn splitting_buckets_between_events_does_not_change_the_optimum() {
        // Capacity is constant between events, so buckets at the events alone lose nothing:
        // the same program on four times finer edges makes the same goal material.
        let s = scenario(&[3000.0], &[(500.0, 4.5), (20.0, 60.0)], 21.0, 1);
        let est = OptimumEstimator::new(&s).unwrap();
        let inp = inputs_with(&est, &[(40.0, 1.0)]);
        let events = OptimumEstimator::events(&inp);
        for horizon in [10.0, 30.0, 75.0] {
            let coarse = est.edges(&inp, &events, horizon);
            let fine: Vec<f64> =
                std::iter::once(0.0)
                    .chain(coarse.windows(2).flat_map(|w| {
                        (1..=4).map(move |i| w[0] + (w[1] - w[0]) * f64::from(i) / 4.0)
                    }))
                    .collect();
            let goal = |edges: &[f64]| goal_by(&est, &inp, edges);
            let (a, b) = (goal(&coarse), goal(&fine));
            assert!((a - b).abs() <= 1e-7 * a.max(1.0), "{horizon}: {a} {b}");
        }
    }

    #[test]
    fn merged_buckets_are_exact_at_the_plants_pace_and_bounded_otherwise() {
        // 26 capacity additions (a reinstalling plant) are more events than buckets, so
        // earlier ones are merged. Where every kind grows at the plant's pace (one kind here)
        // each flow can follow the capacity in proportion inside a merged bucket, inventories
        // staying between their values at its ends: averaging loses nothing, and the bound
        // (each kind on its lowest share of the plant) is the same program. Where one kind
        // grows and the other does not, averaging is optimistic at most and the bound, a
        // schedule the plant can run, makes less material by any horizon (so comes later).
        let ramp: Vec<(f64, f64)> = (1..=26).map(|i| (7.5 * f64::from(i), 0.05)).collect();
        for (label, two, exact_at_pace) in [("one kind", false, true), ("two kinds", true, false)] {
            let mut s = if two {
                two_kinds([2000.0, 2000.0], [&[], &[]], (300.0, 4.5), 21.0)
            } else {
                scenario(&[2000.0], &[(300.0, 4.5)], 21.0, 1)
            };
            s.optimum.pools = 10;
            let est = OptimumEstimator::new(&s).unwrap();
            let mut inp = inputs_with(&est, &[]);
            let base = inp.schedule.initial_swu_per_day();
            for &(day, share) in &ramp {
                inp.schedule.add(day, share * base);
                // The last kind takes every addition.
                if let Some(last) = inp.kind_schedules.last_mut() {
                    last.add(day, share * base);
                }
            }
            let lowest = Inputs {
                lowest_in_bucket: true,
                stock: inp.stock.clone(),
                schedule: inp.schedule.clone(),
                kind_schedules: inp.kind_schedules.clone(),
                ..inputs_with(&est, &[])
            };
            let events = OptimumEstimator::events(&inp);
            let horizon = 300.0;
            assert!(est.merged_buckets(&events, horizon).is_some(), "{label}");
            let merged = est.edges(&inp, &events, horizon);
            let every: Vec<f64> = std::iter::once(0.0)
                .chain(events.iter().copied().filter(|&d| d < horizon))
                .chain(std::iter::once(horizon))
                .collect();
            assert!(every.len() > merged.len(), "{label}: {every:?} {merged:?}");
            let goal = |inp: &Inputs, edges: &[f64]| goal_by(&est, inp, edges);
            let (averaged, exact, low) = (
                goal(&inp, &merged),
                goal(&inp, &every),
                goal(&lowest, &merged),
            );
            let same = |a: f64, b: f64| (a - b).abs() <= 1e-6 * b;
            // The schedule found at the horizon also runs unmerged where every kind grows at
            // the plant's pace (each kind's flows following its own capacity); the two kinds'
            // one feeds a pool from one kind to the other, which run unmerged would leave
            // short (0.044 kg U on day 22.5), so there the check cannot prove the merge exact.
            let found = est.solve(&inp, &events, horizon, true).unwrap();
            let check = est.unmerged_shortfall(&inp, &found);
            assert_eq!(check.is_ok(), exact_at_pace, "{label}: {check:?}");
            // The configurations it runs, each free to run when it likes between every pair
            // of additions, reach what the merged program makes where that is exact (both
            // here), and never more than the unmerged program.
            let reaches = |kg: f64| est.reaches_unmerged(&inp, &events, &found, horizon, kg);
            assert_eq!(
                reaches(averaged * (1.0 - 1e-6)),
                same(averaged, exact),
                "{label}"
            );
            assert!(!reaches(exact * 1.001), "{label}");
            // Unmerged, the bound is the program itself.
            assert!(same(goal(&lowest, &every), exact), "{label}");
            assert!(
                averaged >= exact * (1.0 - 1e-9),
                "{label}: {averaged} {exact}"
            );
            assert!(low <= exact * (1.0 + 1e-9), "{label}: {low} {exact}");
            // Averaging is exact at the plant's pace (and may be where kinds are alike, as
            // these two: the program can move work between them).
            if exact_at_pace {
                assert!(same(averaged, exact), "{label}: {averaged} {exact}");
            }
            assert_eq!(same(low, exact), exact_at_pace, "{label}: {low} {exact}");
        }
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
        #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

        #[test]
        fn invariants(
            cap in 2000.0..20_000.0f64,
            more in 1.05..2.0f64,
            kg in 5.0..200.0f64,
            pct in 3.0..80.0f64,
            setup in 0.0..30.0f64,
            count in 1u32..4,
            damage in 0.05..0.9f64,
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
            // Less damage is never longer: the same plant with a share of it destroyed.
            let mut damaged = scenario(&[cap], &[(kg, pct)], setup, count);
            let share = damaged
                .input("damage", "damage", "", Param::Fixed(damage), Domain::FRACTION, "test")
                .unwrap();
            damaged.groups[0].damage_fraction = share;
            prop_assert!(not_longer(first, days(&damaged).0));
            // ideal ≤ fastest (the same plant, set-up waived) ≤ headline; the ideal bound is a
            // relaxation (tolerance: the rating of off-design runs).
            let fastest = days(&scenario(&[cap], &[(kg, pct)], 0.0, count)).0;
            prop_assert!(not_longer(fastest, first), "{fastest} {first}");
            prop_assert!(ideal(&s) <= fastest * 1.02, "{} {fastest}", ideal(&s));
        }

        #[test]
        fn invariants_with_a_kind_per_group(
            caps in (500.0..8000.0f64, 500.0..8000.0f64),
            more in 1.1..3.0f64,
            kg in 20.0..200.0f64,
            pct in prop::sample::select(vec![4.5, 20.0, 60.0]),
            ready in prop::sample::select(vec![0usize, 1, 2]),
            setup in 1.0..30.0f64,
        ) {
            // Two kinds on their own capacity, `ready` of them already set up for the stock's
            // level: more machines in either kind, more stock, a shorter set-up or one more
            // kind set up never make it longer; the order of the kinds does not matter.
            let handles: [&[f64]; 2] = match ready {
                0 => [&[], &[]],
                1 => [&[pct], &[]],
                _ => [&[pct], &[pct]],
            };
            // 33 pools: a coarser grid keeps the debug-build cases fast.
            let t = |c: [f64; 2], h: [&[f64]; 2], kg: f64, setup: f64| {
                let mut s = two_kinds(c, h, (kg, pct), setup);
                s.optimum.pools = 33;
                days(&s).0
            };
            let base = t([caps.0, caps.1], handles, kg, setup);
            prop_assert!(base.is_finite());
            prop_assert!(not_longer(t([caps.0 * more, caps.1], handles, kg, setup), base));
            prop_assert!(not_longer(t([caps.0, caps.1 * more], handles, kg, setup), base));
            prop_assert!(not_longer(t([caps.0, caps.1], handles, kg * more, setup), base));
            prop_assert!(not_longer(t([caps.0, caps.1], handles, kg, setup * 0.5), base));
            prop_assert!(not_longer(t([caps.0, caps.1], [&[pct], &[pct]], kg, setup), base));
            let swapped = t([caps.1, caps.0], [handles[1], handles[0]], kg, setup);
            prop_assert!((swapped - base).abs() <= 3.0 * DAYS_TOLERANCE * base, "{swapped} {base}");
        }
    }
}
