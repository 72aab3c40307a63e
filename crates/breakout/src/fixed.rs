//! The fixed-cascade model: batch recycling through the state's real cascades.
//!
//! A country that breaks out with cascades built to make reactor fuel from natural uranium
//! cannot set their assays: fed with 60 % material, a cascade designed for 0.711 % → 5 % gives
//! whatever the hardware gives. This model runs the scenario's cascade hardware
//! ([`enrich::cascade::FixedCascade`]) off-design, pass after pass:
//!
//! 1. The material on hand (stocks, then products and tails of earlier passes) is kept as lots.
//!    Material at or above the goal assay counts toward the goal after blending down with
//!    natural uranium.
//! 2. Each pass takes the richest lot below the goal assay (merged with lots of nearly the same
//!    assay, and with the next ones down while it is smaller than half a day's feed) and feeds
//!    it to all cascades at once. The hardware sets the product and tails assays; the product
//!    returns to the lots, the tails too while they are richer than natural uranium (tails
//!    recycling), otherwise they are discarded.
//! 3. When no lot richer than natural uranium is left and the goal is not met, a batch of
//!    natural uranium is fed, sized to the U-235 still missing.
//! 4. Every pass costs a set-up time (changing the feed, re-establishing equilibrium) and the
//!    separative capacity its feed takes: the cascades' feed limit is molar and set by the
//!    hardware, so a pass's time is its feed over the cascades' maximum feed rate, expressed as
//!    the nominal separative work the same time would deliver. Capacity over time
//!    (reinstallation, construction) is the scenario's [`CapacitySchedule`], as in the ideal
//!    model.
//!
//! The transfer function of the hardware (product and tails assay, product per feed, relative
//! feed limit, as functions of the feed assay) does not depend on the machines' rating or on
//! the flow (the cuts are fixed), so it is tabulated once per scenario on a grid in
//! log-abundance ratio and interpolated; the Monte Carlo path never solves a cascade.
//! What is ignored: hold-up and equilibrium inventory, re-tuning the cuts per pass, running
//! different passes in different cascades at the same time (interconnection), and minor
//! isotopes (binary U-235/U-238 feeds). See docs/models.md.

use std::sync::Arc;

use enrich::cascade::rating::symmetric_stage_work_per_feed;
use enrich::cascade::{CascadeRun, FixedCascade, IdealCascade};
use enrich::{Assay, Composition, Days, KgU, Stock, Swu};

use crate::capacity::CapacitySchedule;
use crate::error::BreakoutError;
use crate::estimate::{
    CurvePoint, Estimate, Estimator, FeedDraw, Model, Scratch, Step, StepKind, capacity_steps,
    opt_days,
};
use crate::ideal::NATURAL_WT_PCT;
use crate::scenario::{GroupStatus, Scenario};

/// Grid points of the tabulated transfer function.
const GRID: usize = 121;
/// Lowest and highest feed weight fraction tabulated.
const GRID_MIN: f64 = 1e-3;
const GRID_MAX: f64 = 0.985;
/// Lots whose abundance ratios differ by less than this factor are merged into one feed.
const MERGE_RATIO: f64 = 1.3;
/// Short of material for the goal, a lot waits for more of its kind below this many days' feed.
const MIN_BATCH_DAYS: f64 = 0.5;
/// With material enough for the goal in hand, lots below this many days' feed are left as dust.
const DUST_BATCH_DAYS: f64 = 0.1;
/// Most passes one estimate may take before it reports that it cannot reach the goal.
pub const MAX_PASSES: usize = 5_000;
/// A unit counts as made within this fraction of it (0.1 %: 28 g of a significant quantity),
/// so that the last unit does not take a tail of ever smaller passes.
const UNIT_TOLERANCE: f64 = 1e-3;
/// Lots below this mass, kg U, are dropped (they would take more set-up than enrichment).
const DUST_KG: f64 = 1e-3;

fn ratio(x: f64) -> f64 {
    x / (1.0 - x)
}

fn from_ratio(r: f64) -> f64 {
    r / (1.0 + r)
}

/// One tabulated point: feed assay (as ln of its abundance ratio) and what the hardware does.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Point {
    ln_r: f64,
    /// Product assay, weight fraction.
    product: f64,
    /// Tails assay, weight fraction.
    tails: f64,
    /// ln of the product's and the tails' abundance ratios, kept because the interpolation
    /// works in them and the Monte Carlo path asks for points millions of times.
    ln_r_product: f64,
    ln_r_tails: f64,
    /// kg U product per kg U feed.
    product_per_feed: f64,
    /// kg U of this feed the hardware takes per kg-SWU of its rated (nominal) output.
    kg_per_nominal_swu: f64,
}

/// The cascade hardware as a transfer function of the feed assay.
#[derive(Debug, Clone, PartialEq)]
pub struct Transfer {
    points: Vec<Point>,
    /// Separative work the hardware delivers fed with natural uranium over its rated output.
    utilization: f64,
    /// Product and tails assays for natural feed (weight fractions).
    natural: (f64, f64),
    /// One step of the hardware's enrichment chain: ln of the abundance-ratio gain of a
    /// natural-feed pass.
    step: f64,
}

/// One kind of cascade in a scenario: its hardware and how much rated output it stands for.
#[derive(Debug, Clone, PartialEq)]
pub struct Hardware {
    /// The cascade as built (machines per stage, feed stage, α, machine feed limit).
    pub cascade: FixedCascade,
    /// Rated output of all cascades of this kind in scope, kg-SWU/yr (the weight of this kind).
    pub nominal_swu_per_yr: f64,
    /// Where the layout comes from, for the output.
    pub label: String,
    /// The cascades are built for the step they run, not re-piped: at each feed assay the same
    /// machines form the symmetric ideal cascade of `cascade`'s stage counts designed for that
    /// feed (whole machines per stage, [`IdealCascade::fitted_to_machines`]). This is the plant
    /// when no layout is given (quick mode): a newly built plant's cascades are piped for what
    /// they will run. `cascade` is then the design for natural feed.
    pub built_for_each_step: bool,
    /// Assays (wt-%) of the steps these cascades already run besides natural feed and its
    /// product (their groups' `handles_wt_pct`): the optimum model runs feeds at those levels
    /// of the chain ([`levels_mask`]) without set-up, on these cascades only.
    pub handles_wt_pct: Vec<f64>,
    /// The scenario's groups (indices into [`crate::Scenario::groups`]) these cascades are: the
    /// optimum model runs each kind on its own groups' capacity. Empty: the kind takes its
    /// share (`nominal_swu_per_yr`) of the plant's pooled capacity, as in the other models; the
    /// optimum does so for every kind unless all kinds name their groups.
    pub groups: Vec<usize>,
}

impl Hardware {
    /// What one cascade of this kind does fed at `feed`: built for it
    /// ([`Hardware::built_for_each_step`]), or the hardware re-piped for it
    /// ([`Transfer::retuned`]).
    ///
    /// # Errors
    /// [`BreakoutError::Enrich`] if the design or the cascade solve fails.
    pub fn run_at(&self, feed: Assay) -> Result<CascadeRun, BreakoutError> {
        if !self.built_for_each_step {
            return Transfer::retuned(&self.cascade, feed);
        }
        let c = &self.cascade;
        let (n, k) = (c.stages(), c.feed_stage());
        let machines = u32::try_from(c.total_machines()).map_err(|_| {
            BreakoutError::Inconsistent(format!(
                "{} machines in one cascade: expected at most {}",
                c.total_machines(),
                u32::MAX
            ))
        })?;
        let built = IdealCascade::with_stages(feed, n - k + 1, k - 1, c.separation())?
            .fitted_to_machines(machines, c.machine_feed())?
            .cascade;
        Ok(built.run(&Composition::binary(feed))?)
    }
}

/// The kinds of cascade a scenario recycles material through, with their transfer function
/// tabulated once. Tabulating is most of the cost of a fixed-cascade estimate, so a caller that
/// meets the same hardware again (a server, a sweep over states) can share one `CascadeHardware`.
#[derive(Debug, Clone, PartialEq)]
pub struct CascadeHardware {
    kinds: Vec<Hardware>,
    transfer: Transfer,
}

impl CascadeHardware {
    /// Tabulates `kinds` (see [`Transfer::new`]).
    ///
    /// # Errors
    /// As [`Transfer::new`].
    pub fn new(kinds: Vec<Hardware>) -> Result<Self, BreakoutError> {
        let transfer = Transfer::new(&kinds)?;
        Ok(CascadeHardware { kinds, transfer })
    }

    /// The kinds of cascade, weighted by rated output.
    pub fn kinds(&self) -> &[Hardware] {
        &self.kinds
    }

    /// Their pooled transfer function.
    pub fn transfer(&self) -> &Transfer {
        &self.transfer
    }
}

impl Transfer {
    /// Tabulates the hardware over feed assays from 0.1 to 98.5 wt-%. With several kinds of
    /// cascade, every kind takes its share of each pass at its own maximum feed rate, and their
    /// products and tails are mixed.
    ///
    /// # Errors
    /// [`BreakoutError::Inconsistent`] for no hardware or no positive weight;
    /// [`BreakoutError::Enrich`] if the cascade solver fails on a grid point (a typed
    /// no-convergence error, never a NaN).
    pub fn new(hardware: &[Hardware]) -> Result<Self, BreakoutError> {
        let total: f64 = hardware.iter().map(|h| h.nominal_swu_per_yr).sum();
        if hardware.is_empty() || !(total.is_finite() && total > 0.0) {
            return Err(BreakoutError::Inconsistent(
                "the fixed-cascade model needs cascade hardware with a positive rated output"
                    .into(),
            ));
        }
        let (lo, hi) = (ratio(GRID_MIN).ln(), ratio(GRID_MAX).ln());
        let mut points: Vec<Point> = (0..GRID)
            .map(|i| Point {
                ln_r: lo + (hi - lo) * i as f64 / (GRID - 1) as f64,
                product: 0.0,
                tails: 0.0,
                ln_r_product: 0.0,
                ln_r_tails: 0.0,
                product_per_feed: 0.0,
                kg_per_nominal_swu: 0.0,
            })
            .collect();
        // Accumulators per point: feed rate, product, product U-235, tails U-235.
        let mut acc = vec![[0.0f64; 4]; GRID];
        let (mut delivered_nat, mut nat_p, mut nat_pu, mut nat_f) = (0.0, 0.0, 0.0, 0.0);
        for h in hardware {
            let share = h.nominal_swu_per_yr / total;
            // Rated output of one such cascade: machines × δU, δU = L·Φ(α) (enrich::cascade::rating).
            let phi = symmetric_stage_work_per_feed(Assay::NATURAL, h.cascade.separation())?;
            let rated =
                h.cascade.total_machines() as f64 * h.cascade.machine_feed().kg_u_per_yr() * phi;
            let add = |acc: &mut [f64; 4], feed: Assay| -> Result<f64, BreakoutError> {
                let run = h.run_at(feed)?;
                // kg/yr of this feed per kg-SWU/yr of rated output, weighted by this kind's share.
                let rate = share * run.max_feed_kg_u_per_yr / rated;
                let (y, t) = (
                    run.product.assay().wt_fraction(),
                    run.tails.assay().wt_fraction(),
                );
                acc[0] += rate;
                acc[1] += rate * run.product_per_feed;
                acc[2] += rate * run.product_per_feed * y;
                acc[3] += rate * run.tails_per_feed * t;
                Ok(rate * run.separative_work_per_feed)
            };
            for (i, pt) in points.iter().enumerate() {
                let feed = Assay::from_wt_fraction(from_ratio(pt.ln_r.exp()))?;
                add(&mut acc[i], feed)?;
            }
            let mut nat = [0.0; 4];
            delivered_nat += add(&mut nat, Assay::NATURAL)?;
            nat_f += nat[0];
            nat_p += nat[1];
            nat_pu += nat[2];
        }
        for (pt, a) in points.iter_mut().zip(&acc) {
            let x = from_ratio(pt.ln_r.exp());
            pt.kg_per_nominal_swu = a[0];
            pt.product_per_feed = a[1] / a[0];
            pt.product = a[2] / a[1];
            // Tails from the U-235 balance of the mixed streams.
            pt.tails = ((a[0] * x - a[2]) / (a[0] - a[1]))
                .max(f64::MIN_POSITIVE)
                .min(x);
            debug_assert!((a[3] - (a[0] * x - a[2])).abs() <= 1e-9 * a[0].max(1.0));
            pt.ln_r_product = ratio(pt.product).ln();
            pt.ln_r_tails = ratio(pt.tails).ln();
        }
        let nat = NATURAL_WT_PCT / 100.0;
        let natural = (nat_pu / nat_p, (nat_f * nat - nat_pu) / (nat_f - nat_p));
        Ok(Transfer {
            points,
            utilization: delivered_nat,
            natural,
            step: (ratio(natural.0) / ratio(nat)).ln(),
        })
    }

    /// The same machines per stage run on `feed` the way an operator would set them: the feed
    /// point moved to the stage where the cascade delivers the most separative work, and the
    /// stage cuts re-tuned to those of the symmetric ideal cascade with that feed point. Valves
    /// and pressures set the cuts, and the feed header can be moved; the machine counts per
    /// stage are the hardware and stay. At its design feed this is the hardware unchanged.
    pub(crate) fn retuned(
        cascade: &FixedCascade,
        feed: Assay,
    ) -> Result<CascadeRun, BreakoutError> {
        let n = cascade.stages();
        // With the ideal cuts for a feed point, two-isotope feed at its assay flows through the
        // hardware exactly as through the ideal design, so each feed point's separative work
        // comes from the design; only the best is solved.
        let mut best: Option<(f64, usize, IdealCascade)> = None;
        for k in 1..=n {
            let ideal = IdealCascade::with_stages(feed, n - k + 1, k - 1, cascade.separation())?;
            let work = ideal.separative_work_per_feed()
                * ideal.max_feed_kg_u_per_yr(cascade.machines(), cascade.machine_feed())?;
            if best.as_ref().is_none_or(|b| work > b.0) {
                best = Some((work, k, ideal));
            }
        }
        let (_, k, ideal) = best.ok_or_else(|| {
            BreakoutError::Inconsistent("a cascade needs at least one stage".into())
        })?;
        Ok(FixedCascade::new(
            cascade.machines().to_vec(),
            ideal.stages.iter().map(|s| s.cut).collect(),
            k,
            cascade.separation(),
            cascade.machine_feed(),
        )?
        .run(&Composition::binary(feed))?)
    }

    /// The hardware's response to a feed of weight fraction `x` (interpolated).
    fn at(&self, x: f64) -> Point {
        let ln_r = ratio(x.clamp(GRID_MIN, GRID_MAX)).ln();
        let (lo, hi) = (self.points[0].ln_r, self.points[GRID - 1].ln_r);
        let pos = (ln_r - lo) / (hi - lo) * (GRID - 1) as f64;
        let i = (pos.floor() as usize).min(GRID - 2);
        let w = pos - i as f64;
        let (a, b) = (self.points[i], self.points[i + 1]);
        // Assays are interpolated in log-ratio, where the hardware is nearly linear.
        let ln_r_product = (1.0 - w) * a.ln_r_product + w * b.ln_r_product;
        let ln_r_tails = (1.0 - w) * a.ln_r_tails + w * b.ln_r_tails;
        Point {
            ln_r,
            product: from_ratio(ln_r_product.exp()),
            tails: from_ratio(ln_r_tails.exp()),
            ln_r_product,
            ln_r_tails,
            product_per_feed: (1.0 - w) * a.product_per_feed + w * b.product_per_feed,
            kg_per_nominal_swu: (1.0 - w) * a.kg_per_nominal_swu + w * b.kg_per_nominal_swu,
        }
    }

    /// kg of goal-assay material one kg of feed at `x` gives: the batch-sizing rule. When one
    /// pass takes `x` to goal grade, exactly what that pass gives (after blending down with
    /// natural uranium). Lower down, what it can give once its U-235 has gone up the chain and
    /// its tails have been recycled down to the hardware's natural-feed tails assay: optimistic
    /// on purpose (a batch too small is topped up by the next pass from the same lot; a batch
    /// too large would hold the cascades for nothing).
    fn chain_yield(&self, x: f64, goal: f64) -> f64 {
        let p = self.at(x);
        if p.product >= goal {
            let nat = NATURAL_WT_PCT / 100.0;
            return (p.product_per_feed * (p.product - nat) / (goal - nat)).max(f64::MIN_POSITIVE);
        }
        let waste = self.natural.1;
        ((x - waste) / (goal - waste)).max(f64::MIN_POSITIVE)
    }

    /// How many steps of the hardware's enrichment chain `x` lies above natural uranium (in
    /// log-abundance ratio; not rounded).
    fn steps_above_natural(&self, x: f64) -> f64 {
        let nat = NATURAL_WT_PCT / 100.0;
        (ratio(x) / ratio(nat)).ln() / self.step
    }

    /// The cylinder a lot is kept in: half-steps of the hardware's enrichment chain.
    fn bin(&self, x: f64) -> u32 {
        (2.0 * self.steps_above_natural(x)).round().max(0.0) as u32
    }

    /// The step of the hardware's enrichment chain a feed at `x` belongs to: 0 for natural
    /// uranium, 1 for the product of a natural pass, and so on (nearest step in log-ratio).
    pub fn level(&self, x: f64) -> u32 {
        self.steps_above_natural(x).round().max(0.0) as u32
    }

    /// Share of the rated output the hardware delivers at its design point (whole-machine
    /// rounding keeps it just below 1).
    pub fn utilization(&self) -> f64 {
        self.utilization
    }

    /// Product and tails assays of the hardware fed with natural uranium (weight fractions).
    pub fn natural_assays(&self) -> (f64, f64) {
        self.natural
    }

    /// Nominal separative work a kg U of this feed costs: the same machine-time delivers this
    /// much separative work at the rating.
    fn nominal_swu_per_kg(&self, p: &Point) -> f64 {
        1.0 / p.kg_per_nominal_swu
    }

    /// kg U of natural uranium per kg-SWU of rated output.
    fn natural_kg_per_nominal_swu(&self) -> f64 {
        let nat = NATURAL_WT_PCT / 100.0;
        self.at(nat).kg_per_nominal_swu
    }
}

/// A lot of material on hand.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Lot {
    /// Weight fraction U-235.
    x: f64,
    /// kg U.
    kg: f64,
    /// Goal material per kg it can give ([`Transfer::chain_yield`]), cached; `None` until
    /// computed (new or merged lots).
    per_kg: Option<f64>,
}

impl Lot {
    fn new(x: f64, kg: f64) -> Self {
        Lot {
            x,
            kg,
            per_kg: None,
        }
    }
}

/// One batch-recycling pass as the timeline shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct Pass {
    /// Start (after set-up), days.
    pub start_days: f64,
    /// End, days (`None`: capacity never suffices).
    pub end_days: Option<f64>,
    /// Feed, kg U and weight fraction.
    pub feed: (f64, f64),
    /// Product, kg U and weight fraction.
    pub product: (f64, f64),
    /// Tails, kg U and weight fraction.
    pub tails: (f64, f64),
    /// True if the tails go back into the lots.
    pub tails_recycled: bool,
    /// True for a batch of natural uranium.
    pub natural: bool,
    /// Nominal separative work the pass occupies, kg-SWU.
    pub nominal_swu: f64,
    /// True if only the cascades already handling this step ran it, while the rest were set up.
    pub ready_only: bool,
    /// The level of the hardware's enrichment chain the feed belongs to.
    pub level: u32,
    /// The lots on hand after the pass (kg U, weight fraction), leanest first.
    pub on_hand: Vec<(f64, f64)>,
}

/// Cascades being set up for a new step.
#[derive(Debug, Clone, PartialEq)]
pub struct SetUp {
    /// Start, days.
    pub start_days: f64,
    /// End, days.
    pub end_days: f64,
    /// The level of the hardware's enrichment chain.
    pub level: u32,
    /// The assay of the feed that opened the step (weight fraction).
    pub feed: f64,
}

/// The outcome of a simulation.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Simulation {
    /// Days at which each goal unit is complete, in order.
    pub unit_days: Vec<f64>,
    /// The passes, when recorded.
    pub passes: Vec<Pass>,
    /// The set-ups, when recorded.
    pub set_ups: Vec<SetUp>,
    /// Goal units that exist before any pass (stocks at or above the goal assay).
    pub initial_units: f64,
    /// When the first natural-uranium batch starts and the goal units made by then: the
    /// stocks are used up (`None`: natural uranium was not needed).
    pub stocks_exhausted: Option<(f64, f64)>,
    /// Nominal separative work of all passes, kg-SWU.
    pub nominal_swu: f64,
    /// The pass limit [`MAX_PASSES`] stopped the simulation before the goal.
    pub truncated: bool,
}

/// What a simulation needs besides the hardware.
pub struct Run<'a> {
    /// Stocks usable as feed.
    pub stocks: &'a [Stock],
    /// Capacity over time.
    pub schedule: &'a CapacitySchedule,
    /// Set-up time per new step.
    pub setup_days: Days,
    /// Per level of the hardware's enrichment chain, the share of the day-0 capacity already
    /// handling it (1 for natural feed and its product): those cascades run a new step at once,
    /// the rest join when set up.
    pub ready_share: [f64; LEVELS],
    /// Per level only some cascades handle, the hardware of those cascades (what runs the level
    /// while the rest are set up); a level not listed uses the whole plant's transfer.
    pub ready_hardware: &'a [(u32, Arc<CascadeHardware>)],
    /// Goal assay.
    pub goal_assay: Assay,
    /// Goal-assay product per unit.
    pub unit_kg: KgU,
    /// Units to make.
    pub units: u32,
    /// Record every pass (for the timeline) or only the unit times (Monte Carlo).
    pub record: bool,
}

/// Levels of the enrichment chain tracked for set-up (natural uranium is level 0; the bundled
/// hardware reaches 90 wt-% in about 6).
pub const LEVELS: usize = 64;

/// The levels of `transfer`'s chain that cascades handling these assays (weight fractions) run
/// without set-up: natural feed and its product, and the levels of the assays.
pub fn levels_mask(transfer: &Transfer, handled: &[f64]) -> u64 {
    handled.iter().fold(0b11, |m, &x| {
        m | 1u64 << (transfer.level(x) as usize).min(LEVELS - 1)
    })
}

/// Per level, the share of the capacity of `groups` (each its [`levels_mask`] and its rate)
/// that handles it. A level every group with capacity handles is exactly 1.
pub fn ready_share(groups: impl Iterator<Item = (u64, f64)> + Clone) -> [f64; LEVELS] {
    let total: f64 = groups.clone().map(|(_, r)| r.max(0.0)).sum();
    let mut share = [0.0; LEVELS];
    for (level, s) in share.iter_mut().enumerate() {
        let bit = 1u64 << level;
        let missing = groups.clone().any(|(m, r)| r > 0.0 && m & bit == 0);
        *s = if !missing || level < 2 {
            1.0
        } else {
            let handled: f64 = groups
                .clone()
                .filter(|(m, _)| m & bit != 0)
                .map(|(_, r)| r.max(0.0))
                // From +0.0: an empty `sum()` of f64 is −0.0.
                .fold(0.0, |a, b| a + b);
            handled / total
        };
    }
    share
}

/// A new step's set-up window, when part of the plant handles the step already: that part runs
/// it from day `t` at its `share` of the capacity while the rest is set up, until `t` plus the
/// set-up time (full-plant kg-SWU `swu_full` on the schedule's cumulative scale), and has `swu`
/// of separative work in that time. Capacity being set up is lost, so the cumulative position
/// advances by a ready pass's work over `share`.
struct ReadyWindow<'t> {
    share: f64,
    swu_t: f64,
    swu_full: f64,
    swu: f64,
    /// The ready cascades' transfer (`None`: the whole plant's stands in).
    transfer: Option<&'t Transfer>,
}

impl<'t> ReadyWindow<'t> {
    /// `None` when nothing is ready (the whole step waits for set-up), everything is, or the
    /// window holds no capacity.
    fn new(run: &Run<'t>, t: f64, swu_used: f64, level: usize) -> Option<Self> {
        let share = run.ready_share[level];
        if !(share > 0.0 && share < 1.0) {
            return None;
        }
        let swu_t = run.schedule.swu_by(t).max(swu_used);
        let swu_full = run.schedule.swu_by(t + run.setup_days.days()).max(swu_t);
        let swu = share * (swu_full - swu_t);
        (swu > 0.0).then(|| ReadyWindow {
            share,
            swu_t,
            swu_full,
            swu,
            transfer: run
                .ready_hardware
                .iter()
                .find(|(l, _)| *l as usize == level)
                .map(|(_, h)| h.transfer()),
        })
    }
}

/// Keeps one lot per half-step of the hardware's enrichment chain: material of the same step is
/// stored together (a batch-recycling plant keeps a few intermediate cylinders, not one per
/// pass), which costs some mixing; goal-grade material is one pool. Sorted by assay.
fn tidy(lots: &mut Vec<Lot>, transfer: &Transfer, goal: f64) {
    lots.retain(|l| l.kg > DUST_KG);
    lots.sort_by(|a, b| a.x.total_cmp(&b.x));
    let bin = |x: f64| if x >= goal { u32::MAX } else { transfer.bin(x) };
    // Merge neighbours of the same bin in place (no allocation on the Monte Carlo path). A
    // merged lot's assay lies between its parts', so it stays in their bin: each lot's bin is
    // computed once.
    let mut w = 0;
    let mut last_bin = None;
    for r in 0..lots.len() {
        let b = bin(lots[r].x);
        if w > 0 && last_bin == Some(b) {
            let (prev, l) = (lots[w - 1], lots[r]);
            let kg = prev.kg + l.kg;
            lots[w - 1] = Lot::new((prev.x * prev.kg + l.x * l.kg) / kg, kg);
        } else {
            lots[w] = lots[r];
            w += 1;
            last_bin = Some(b);
        }
    }
    lots.truncate(w);
    for l in lots.iter_mut().filter(|l| l.per_kg.is_none()) {
        l.per_kg = Some(transfer.chain_yield(l.x, goal));
    }
}

/// Batch recycling until `run.units` goal units exist.
///
/// Stops early, with [`Simulation::truncated`] set, after [`MAX_PASSES`] passes.
///
/// # Errors
/// [`BreakoutError::Inconsistent`] if the hardware cannot enrich natural uranium.
pub fn simulate(transfer: &Transfer, run: &Run<'_>) -> Result<Simulation, BreakoutError> {
    let nat = NATURAL_WT_PCT / 100.0;
    // The pass loop works in raw weight fractions, kg and days.
    let g = run.goal_assay.wt_fraction();
    let goal_kg_each = run.unit_kg.kg();
    let setup_days = run.setup_days.days();
    // Goal material counted after blending down with natural uranium.
    let equivalent = |l: &Lot| l.kg * (l.x - nat) / (g - nat);
    let mut lots: Vec<Lot> = run
        .stocks
        .iter()
        .map(|s| Lot::new(s.assay.wt_fraction(), s.mass.kg()))
        .collect();
    tidy(&mut lots, transfer, g);
    let mut sim = Simulation::default();
    // Sums start from +0.0 so that no goal-grade material reads as 0, not −0.
    let goal_units = |lots: &[Lot]| -> f64 {
        lots.iter()
            .filter(|l| l.x >= g)
            .map(equivalent)
            .fold(0.0, |a, b| a + b)
            / goal_kg_each
    };
    sim.initial_units = goal_units(&lots);
    let mut done = sim.initial_units;
    for _ in 0..(done.floor() as u32).min(run.units) {
        sim.unit_days.push(0.0);
    }
    // Batch sizes refer to the feed rate at the start, or once capacity arrives if there is none.
    let reference_swu_per_day = if run.schedule.initial_swu_per_day() > 0.0 {
        run.schedule.initial_swu_per_day()
    } else {
        run.schedule.final_swu_per_day()
    };
    let day0_rate_kg_per_day = reference_swu_per_day * transfer.natural_kg_per_nominal_swu();
    let (nat_product, nat_tails) = transfer.natural;
    let mut t = 0.0;
    let mut swu_used = 0.0;
    let mut passes = 0usize;
    // Levels the whole plant handles already need no set-up.
    let mut levels_seen = run
        .ready_share
        .iter()
        .enumerate()
        .filter(|(_, s)| **s >= 1.0)
        .fold(0u64, |m, (l, _)| m | 1u64 << l);
    // Reused across passes so that a Monte Carlo draw allocates only its lots.
    let mut below: Vec<usize> = Vec::new();
    let mut potential: Vec<f64> = Vec::new();
    while (sim.unit_days.len() as u32) < run.units {
        passes += 1;
        if passes > MAX_PASSES {
            sim.truncated = true;
            break;
        }
        // The richest lots below the goal assay, richer than natural uranium.
        let min_batch = MIN_BATCH_DAYS * day0_rate_kg_per_day;
        let still_needed = (f64::from(run.units) - done).max(0.0) * goal_kg_each;
        // Lots worth a pass of their own: below the goal assay and clearly richer than natural
        // uranium (leaner ones go in with the next natural batch).
        let near_natural = |x: f64| ratio(x) < ratio(nat) * MERGE_RATIO;
        below.clear();
        below.extend((0..lots.len()).filter(|&i| lots[i].x < g && !near_natural(lots[i].x)));
        // What each lot can still give toward the goal through the chain of passes.
        potential.clear();
        potential.extend(below.iter().map(|&i| {
            lots[i].kg
                * lots[i]
                    .per_kg
                    .unwrap_or_else(|| transfer.chain_yield(lots[i].x, g))
        }));
        let in_hand: f64 = potential.iter().sum();
        // With enough material in the lots, work them richest first (anything above dust);
        // short of it, only lots worth a full batch go before natural uranium is fed: smaller
        // ones wait for more of their kind to arrive in their step's cylinder.
        let threshold = if in_hand >= still_needed {
            DUST_BATCH_DAYS * day0_rate_kg_per_day
        } else {
            min_batch
        };
        // Lots that hold enough for the goal are never left aside for natural uranium: on a
        // plant so large that every lot is under a tenth of a day's feed, the richest is worked.
        let top_pos = (0..below.len())
            .rev()
            .find(|&p| lots[below[p]].kg >= threshold)
            .or_else(|| {
                (in_hand >= still_needed)
                    .then(|| below.len().checked_sub(1))
                    .flatten()
            });
        // Goal material the lots richer than the chosen one will give anyway.
        let richer = |p: usize| potential[p + 1..].iter().sum::<f64>();
        let top = top_pos.map(|p| below[p]);
        let need_from_top = top_pos.map_or(still_needed, |p| (still_needed - richer(p)).max(0.0));
        let (feed, natural) = if let Some(top) = top {
            let mut taken = vec![top];
            let mut kg = lots[top].kg;
            for &i in below.iter().rev().filter(|&&i| i < top) {
                if ratio(lots[top].x) / ratio(lots[i].x) < MERGE_RATIO {
                    taken.push(i);
                    kg += lots[i].kg;
                } else {
                    break;
                }
            }
            let x = taken.iter().map(|&i| lots[i].x * lots[i].kg).sum::<f64>() / kg;
            // Just enough: what the remaining goal needs from this lot through the chain of
            // passes of the cascades that will run it (tails recycling gives some back later),
            // at least a small batch.
            let level = (transfer.level(x) as usize).min(LEVELS - 1);
            let runs_it = if levels_seen & (1u64 << level) == 0 {
                ReadyWindow::new(run, t, swu_used, level).and_then(|w| w.transfer)
            } else {
                None
            };
            let want = (need_from_top / runs_it.unwrap_or(transfer).chain_yield(x, g) * 1.05)
                .max(threshold);
            let fraction = (want / kg).min(1.0);
            taken.sort_unstable();
            for &i in taken.iter().rev() {
                if fraction < 1.0 {
                    lots[i].kg *= 1.0 - fraction;
                } else {
                    lots.remove(i);
                }
            }
            (Lot::new(x, kg * fraction), false)
        } else {
            // Natural uranium in one campaign sized to the U-235 still missing from the goal (at
            // the hardware's natural-feed recovery); lots close to natural go in with it.
            let missing_u235 = (still_needed - in_hand).max(0.0) * g;
            let recovered_per_kg = nat - nat_tails;
            let mut kg = (missing_u235 / recovered_per_kg).max(min_batch);
            if !(kg.is_finite() && kg > 0.0) {
                break;
            }
            if sim.stocks_exhausted.is_none() {
                sim.stocks_exhausted = Some((t, done));
            }
            let mut u235 = kg * nat;
            lots.retain(|l| {
                if l.x < g && near_natural(l.x) {
                    kg += l.kg;
                    u235 += l.kg * l.x;
                    false
                } else {
                    true
                }
            });
            (Lot::new(u235 / kg, kg), true)
        };
        // Set-up is paid once per step: the first time the plant is fed at a level of the
        // hardware's enrichment chain it does not already handle everywhere. Cascades already
        // handling the level run it at once, at their share of the capacity and with their own
        // transfer function; the rest are re-piped meanwhile and join when set up.
        let level = (transfer.level(feed.x) as usize).min(LEVELS - 1);
        let new_step = levels_seen & (1u64 << level) == 0;
        levels_seen |= 1u64 << level;
        let window = if new_step {
            ReadyWindow::new(run, t, swu_used, level)
        } else {
            None
        };
        let tr = window
            .as_ref()
            .map_or(transfer, |w| w.transfer.unwrap_or(transfer));
        let p = tr.at(feed.x);
        let mut feed = feed;
        let mut pass_swu = feed.kg * tr.nominal_swu_per_kg(&p);
        let (start, end_swu) = match &window {
            Some(w) if pass_swu <= w.swu => (t, w.swu_t + pass_swu / w.share),
            Some(w) => {
                // The ready cascades work what they can before the rest are set up; the
                // remainder goes back to its lot for the whole plant.
                let done_fraction = w.swu / pass_swu;
                lots.push(Lot::new(feed.x, feed.kg * (1.0 - done_fraction)));
                feed.kg *= done_fraction;
                pass_swu = w.swu;
                (t, w.swu_full)
            }
            None if new_step => {
                let start = t + setup_days;
                (start, run.schedule.swu_by(start).max(swu_used) + pass_swu)
            }
            None => (t, run.schedule.swu_by(t).max(swu_used) + pass_swu),
        };
        let end = run.schedule.days_for(end_swu);
        swu_used = end_swu;
        if run.record && new_step && setup_days > 0.0 {
            sim.set_ups.push(SetUp {
                start_days: t,
                end_days: t + setup_days,
                level: level as u32,
                feed: feed.x,
            });
        }
        sim.nominal_swu += pass_swu;
        let product = Lot::new(p.product, feed.kg * p.product_per_feed);
        let tails = Lot::new(p.tails, feed.kg - product.kg);
        let recycled = tails.x > nat * 1.000_001;
        if run.record {
            sim.passes.push(Pass {
                start_days: start,
                end_days: end,
                feed: (feed.kg, feed.x),
                product: (product.kg, product.x),
                tails: (tails.kg, tails.x),
                tails_recycled: recycled,
                natural,
                nominal_swu: pass_swu,
                ready_only: window.is_some(),
                level: level as u32,
                on_hand: Vec::new(),
            });
        }
        let Some(end) = end else {
            break;
        };
        t = end;
        lots.push(product);
        if recycled {
            lots.push(tails);
        }
        tidy(&mut lots, transfer, g);
        if let (true, Some(pass)) = (run.record, sim.passes.last_mut()) {
            pass.on_hand = lots.iter().map(|l| (l.kg, l.x)).collect();
        }
        done = goal_units(&lots);
        while (sim.unit_days.len() as u32) < run.units
            && (sim.unit_days.len() as f64) + 1.0 <= done + UNIT_TOLERANCE
        {
            sim.unit_days.push(t);
        }
        // A natural batch with the hardware's own product below natural is impossible for any
        // sane cascade; guard against a design that cannot enrich at all.
        if natural && nat_product <= nat {
            return Err(BreakoutError::Inconsistent(
                "the cascade hardware does not enrich natural uranium".into(),
            ));
        }
    }
    Ok(sim)
}

/// The timeline steps of recorded passes and set-ups, in order of their start (a set-up before
/// the pass that opened it). `cascades` names the whole plant; `who(level, ready)` the cascades
/// that handle a level already (`ready`) or are being set up for it.
///
/// # Errors
/// [`BreakoutError::Enrich`] for a pass whose days or masses are negative or not finite.
pub fn steps(
    sim: &Simulation,
    cascades: &str,
    who: &dyn Fn(u32, bool) -> String,
    goal_assay: Assay,
) -> Result<Vec<Step>, BreakoutError> {
    let pct = |x: f64| enrich::units::significant(x * 100.0, 4);
    let mut out = sim
        .set_ups
        .iter()
        .map(|u| {
            Ok(Step::event(
                StepKind::SetUp,
                format!(
                    "set-up for the {} wt-% step: feed and withdrawal points moved, stage cuts reset",
                    pct(u.feed)
                ),
                who(u.level, false),
                (Days::new(u.start_days)?, Days::new(u.end_days)?),
                0.0,
            ))
        })
        .collect::<Result<Vec<Step>, BreakoutError>>()?;
    out.extend(passes(sim, cascades, who, goal_assay)?);
    // Stable: set-ups (listed first) stay before the passes starting with them.
    out.sort_by(|a, b| {
        let day = |s: &Step| s.start_days.map_or(f64::INFINITY, Days::days);
        day(a).total_cmp(&day(b))
    });
    Ok(out)
}

fn passes(
    sim: &Simulation,
    cascades: &str,
    who: &dyn Fn(u32, bool) -> String,
    goal_assay: Assay,
) -> Result<Vec<Step>, BreakoutError> {
    let goal_assay = goal_assay.wt_fraction();
    sim.passes
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let pct = |x: f64| enrich::units::significant(x * 100.0, 4);
            let what = if p.natural {
                format!(
                    "pass {}: natural uranium → {} wt-%",
                    i + 1,
                    pct(p.product.1)
                )
            } else {
                format!(
                    "pass {}: {} wt-% → {} wt-%{}",
                    i + 1,
                    pct(p.feed.1),
                    pct(p.product.1),
                    if p.product.1 >= goal_assay {
                        " (goal grade; blended down)"
                    } else {
                        ""
                    }
                )
            };
            let assay = |x: f64| Assay::from_wt_fraction(x).expect("cascade assays lie in (0, 1)");
            Ok(Step {
                kind: StepKind::Enrichment,
                what,
                cascades: if p.ready_only {
                    who(p.level, true)
                } else {
                    cascades.to_string()
                },
                start_days: Some(Days::new(p.start_days)?),
                end_days: opt_days(p.end_days)?,
                capacity_swu_per_yr: 0.0,
                feeds: vec![FeedDraw {
                    label: if p.natural {
                        "natural uranium (assumed not limiting)".into()
                    } else {
                        "lots on hand".into()
                    },
                    site: "-".into(),
                    kg_u: KgU::new(p.feed.0)?,
                    assay: assay(p.feed.1),
                }],
                product: Some((KgU::new(p.product.0)?, assay(p.product.1))),
                tails: Some((KgU::new(p.tails.0)?, assay(p.tails.1))),
                separative_work_swu: Swu::new(p.nominal_swu)?,
                on_hand: p
                    .on_hand
                    .iter()
                    .map(|&(kg, x)| Ok((KgU::new(kg)?, assay(x))))
                    .collect::<Result<_, BreakoutError>>()?,
            })
        })
        .collect()
}

/// Most passes listed in a timeline; the rest are summarised in one step.
const MAX_LISTED_PASSES: usize = 60;
/// Most goal units on the production curve.
const MAX_CURVE_UNITS: u32 = 40;

/// The fixed-cascade estimator: [`simulate`] on the scenario's hardware.
pub struct FixedCascadeEstimator<'a> {
    scenario: &'a Scenario,
    /// Per cascade group (in scenario order), the levels of the chain it already handles.
    group_levels: Vec<u64>,
    transfer: &'a Transfer,
    label: String,
}

impl<'a> FixedCascadeEstimator<'a> {
    /// The estimator over the scenario's (already tabulated) cascade hardware.
    ///
    /// # Errors
    /// [`BreakoutError::Inconsistent`] if the scenario names no cascade hardware.
    pub fn new(scenario: &'a Scenario) -> Result<Self, BreakoutError> {
        let Some(hardware) = scenario.hardware.as_deref() else {
            return Err(BreakoutError::Inconsistent(
                "the fixed-cascade model needs the cascade hardware (a bundled cascade or a cascade design); this scenario has none".into(),
            ));
        };
        // One design is named in the timeline; several are counted there and listed, with
        // their sources, among the inputs (the CLI's assumptions table).
        let label = match hardware.kinds() {
            [one] => one.label.clone(),
            many => format!("{} kinds of cascade, weighted by rated output", many.len()),
        };
        let transfer = hardware.transfer();
        let group_levels = scenario
            .groups
            .iter()
            .map(|g| {
                let handled: Vec<f64> = g.handles_wt_pct.iter().map(|x| x / 100.0).collect();
                levels_mask(transfer, &handled)
            })
            .collect();
        Ok(FixedCascadeEstimator {
            scenario,
            group_levels,
            transfer,
            label,
        })
    }

    /// The operating cascade groups that handle `level` already (`ready`) or not, by site, type
    /// and machine count.
    fn who(&self, values: &[f64], level: u32, ready: bool) -> String {
        let bit = 1u64 << (level as usize).min(LEVELS - 1);
        let names: Vec<String> = self
            .scenario
            .groups
            .iter()
            .zip(&self.group_levels)
            .filter(|(g, m)| {
                g.status == GroupStatus::Operating
                    && values[g.machines] > 0.0
                    && ((*m & bit != 0) == ready)
            })
            .map(|(g, _)| format!("{}: {} {}", g.site, values[g.machines].round(), g.machine))
            .collect();
        if names.is_empty() {
            "all operating cascades".into()
        } else {
            names.join(", ")
        }
    }

    fn run<'b>(
        &'b self,
        values: &[f64],
        stocks: &'b [Stock],
        schedule: &'b CapacitySchedule,
        units: u32,
        record: bool,
    ) -> Result<Run<'b>, BreakoutError> {
        let goal = &self.scenario.goal;
        Ok(Run {
            stocks,
            schedule,
            setup_days: Days::new(values[self.scenario.setup_days_per_step])?,
            ready_share: ready_share(
                self.scenario
                    .groups
                    .iter()
                    .zip(&self.group_levels)
                    .filter(|(g, _)| g.status == GroupStatus::Operating)
                    .map(|(g, &m)| (m, self.scenario.group_swu_per_day(g, values))),
            ),
            ready_hardware: &self.scenario.ready_hardware,
            goal_assay: goal.product_assay,
            unit_kg: KgU::new(goal.unit_kg_u())?,
            units,
            record,
        })
    }
}

/// A goal the pass limit cut short is an error, not "never".
fn truncated(sim: &Simulation, units: u32) -> Result<(), BreakoutError> {
    if sim.truncated {
        return Err(BreakoutError::Inconsistent(format!(
            "the fixed-cascade model did not reach {units} unit(s) within {MAX_PASSES} batch-recycling passes"
        )));
    }
    Ok(())
}

impl Estimator for FixedCascadeEstimator<'_> {
    fn model(&self) -> Model {
        Model::FixedCascade
    }

    fn goal_days(&self, values: &[f64], scratch: &mut Scratch) -> Result<f64, BreakoutError> {
        self.scenario.usable_stocks(values, &mut scratch.stocks);
        self.scenario.capacity(values, &mut scratch.schedule);
        let count = self.scenario.goal.count;
        let sim = simulate(
            self.transfer,
            &self.run(values, &scratch.stocks, &scratch.schedule, count, false)?,
        )?;
        truncated(&sim, count)?;
        Ok(sim
            .unit_days
            .get(count as usize - 1)
            .copied()
            .unwrap_or(f64::INFINITY))
    }

    fn estimate(&self, values: &[f64]) -> Result<Estimate, BreakoutError> {
        let s = self.scenario;
        let goal = s.goal;
        let stocks: Vec<Stock> = s
            .usable_stock_entries(values)
            .into_iter()
            .map(|(_, st)| st)
            .collect();
        let mut schedule = CapacitySchedule::default();
        s.capacity(values, &mut schedule);
        let sim = simulate(
            self.transfer,
            &self.run(values, &stocks, &schedule, goal.count, true)?,
        )?;
        truncated(&sim, goal.count)?;
        // The curve runs on past the goal until the stocks are used up (or 40 units).
        let reach = simulate(
            self.transfer,
            &self.run(values, &stocks, &schedule, MAX_CURVE_UNITS, false)?,
        )?;
        // At least to the goal, but at most 40 points simulated one by one: a goal beyond 40
        // units takes its later points from the goal run itself (below).
        let until = match reach.stocks_exhausted {
            // Saturating: a stock of 1e300 kg or a goal of 1e-320 kg is u32::MAX units.
            Some((_, units)) => (units.floor() as u32).saturating_add(1).max(goal.count),
            None => MAX_CURVE_UNITS,
        }
        .min(MAX_CURVE_UNITS);
        // Unit k is made by the earliest of the plans aimed at k or more units (a plant aiming
        // for more feeds bigger batches and makes its first units later; one aiming for fewer
        // stops sooner): T(k) = min over j ≥ k of the time plan j makes its k-th unit. So the
        // first unit does not depend on --count, and T(k+1) ≥ T(k) holds by construction: each
        // plan makes its units in order.
        let mut earliest: Vec<f64> = vec![f64::INFINITY; until as usize];
        for j in 1..=until {
            let sim_j = simulate(
                self.transfer,
                &self.run(values, &stocks, &schedule, j, false)?,
            )?;
            if sim_j.truncated {
                continue;
            }
            for (k, &d) in sim_j.unit_days.iter().take(j as usize).enumerate() {
                earliest[k] = earliest[k].min(d);
            }
        }
        // The goal run is one of the plans (j = count), also where count lies beyond the curve.
        for (k, &d) in sim.unit_days.iter().take(goal.count as usize).enumerate() {
            if let Some(e) = earliest.get_mut(k) {
                *e = e.min(d);
            }
        }
        let mut curve = vec![CurvePoint {
            days: Days::default(),
            units: 0.0,
        }];
        for (k, &d) in earliest.iter().enumerate() {
            if !d.is_finite() {
                break;
            }
            curve.push(CurvePoint {
                days: Days::new(d)?,
                units: (k + 1) as f64,
            });
        }
        // Units beyond the simulated points, as the goal run made them.
        let mut latest = curve.last().map_or(0.0, |p| p.days.days());
        for (k, &d) in sim.unit_days.iter().enumerate().skip(until as usize) {
            latest = latest.max(d);
            curve.push(CurvePoint {
                days: Days::new(latest)?,
                units: (k + 1) as f64,
            });
        }
        let cascades = format!(
            "all operating cascades in scope, batch recycling through {} (utilization {:.3})",
            self.label,
            self.transfer.utilization()
        );
        let who = |level: u32, ready: bool| self.who(values, level, ready);
        let mut steps = capacity_steps(s, values, &schedule)?;
        let mut pass_steps = self::steps(&sim, &cascades, &who, goal.product_assay)?;
        if pass_steps.len() > MAX_LISTED_PASSES {
            let rest = pass_steps.split_off(MAX_LISTED_PASSES - 1);
            let swu = rest
                .iter()
                .fold(Swu::default(), |sum, st| sum + st.separative_work_swu);
            pass_steps.push(Step {
                kind: StepKind::Enrichment,
                what: format!(
                    "{} further steps (listed in --json only as totals)",
                    rest.len()
                ),
                cascades: cascades.clone(),
                start_days: rest
                    .first()
                    .map_or(Some(Days::default()), |st| st.start_days),
                end_days: rest.last().and_then(|st| st.end_days),
                capacity_swu_per_yr: 0.0,
                feeds: Vec::new(),
                product: None,
                tails: None,
                separative_work_swu: swu,
                on_hand: Vec::new(),
            });
        }
        steps.extend(pass_steps);
        // The headline and the goal read the curve (the earliest plan for each unit); a goal
        // beyond the curve reads the goal run.
        let at = |k: u32| {
            opt_days(
                curve
                    .get(k as usize)
                    .map(|p| p.days.days())
                    .or_else(|| sim.unit_days.get(k as usize - 1).copied()),
            )
        };
        // What the stocks give before natural uranium is needed is a property of the material
        // and the hardware, not of the pace: with no capacity ever, the reach run above never
        // uses them up, so it is found at a nominal 1 kg-SWU/day instead (the batch rules are in
        // days of feed, so the units hardly depend on the rate: 1.30 WGU with none against 1.33
        // with 10 IR-6, for 50 kg U of 60 %).
        let stock_units = match reach.stocks_exhausted {
            Some((_, units)) => units,
            None if schedule.final_swu_per_day() <= 0.0 => simulate(
                self.transfer,
                &self.run(
                    values,
                    &stocks,
                    &CapacitySchedule::new(1.0),
                    MAX_CURVE_UNITS,
                    false,
                )?,
            )?
            .stocks_exhausted
            .map_or(f64::from(MAX_CURVE_UNITS), |(_, units)| units),
            None => f64::from(MAX_CURVE_UNITS),
        };
        let (nat_p, nat_t) = self.transfer.natural_assays();
        debug_assert!(nat_p > nat_t);
        Ok(Estimate {
            model: Model::FixedCascade,
            goal,
            first_unit_days: at(1)?,
            goal_days: at(goal.count)?,
            goal_swu: Swu::new(sim.nominal_swu)?,
            initial_capacity_swu_per_yr: schedule.initial_swu_per_day()
                * enrich::units::DAYS_PER_YEAR,
            final_capacity_swu_per_yr: schedule.final_swu_per_day() * enrich::units::DAYS_PER_YEAR,
            steps,
            curve,
            stock_limit_units: stock_units,
            stock_limit_days: opt_days(reach.stocks_exhausted.map(|(d, _)| d))?,
            stock_tails_floor: Assay::from_wt_fraction(nat_t)?,
            notes: Vec::new(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use enrich::KgU;
    use enrich::cascade::{IdealCascade, StageSeparation, machine_feed_from_rating};

    /// The bundled IR-6 design: α = 1.5, 15 stages, feed at stage 6, 174 machines at 5 kg-SWU/yr.
    fn cascade(design_feed: Assay) -> FixedCascade {
        let s = StageSeparation::new(1.5).unwrap();
        IdealCascade::with_stages(design_feed, 10, 5, s)
            .unwrap()
            .fitted_to_machines(174, machine_feed_from_rating(5.0, s).unwrap())
            .unwrap()
            .cascade
    }

    fn hardware() -> Vec<Hardware> {
        vec![Hardware {
            cascade: cascade(Assay::NATURAL),
            nominal_swu_per_yr: 8700.0,
            label: "test".into(),
            built_for_each_step: false,
            handles_wt_pct: Vec::new(),
            groups: Vec::new(),
        }]
    }

    /// Cascades built for each step: at every feed the run is the symmetric ideal design for
    /// that feed (same 10 + 5 stages, α = 1.5) — product and tails assays within 1e-6 wt-% of
    /// the design, U-235 balanced — and it delivers at least the separative work of the
    /// natural-feed design re-piped for that feed (whole-machine rounding aside), more than twice
    /// as much on 60 % feed (2.37×), where the natural design's one-machine top stages limit the
    /// feed.
    #[test]
    fn cascades_built_for_each_step_run_their_design() {
        let natural = cascade(Assay::NATURAL);
        let built = Hardware {
            cascade: natural.clone(),
            nominal_swu_per_yr: 8700.0,
            label: "test".into(),
            built_for_each_step: true,
            handles_wt_pct: Vec::new(),
            groups: Vec::new(),
        };
        let repiped = Hardware {
            built_for_each_step: false,
            handles_wt_pct: Vec::new(),
            groups: Vec::new(),
            ..built.clone()
        };
        let s = natural.separation();
        // (feed wt-%, least ratio of delivered separative work, built over re-piped)
        for (pct, gain) in [(0.711, 0.99), (3.5, 0.99), (20.0, 0.99), (60.0, 2.0)] {
            let feed = Assay::from_wt_pct(pct).unwrap();
            let run = built.run_at(feed).unwrap();
            let design = IdealCascade::with_stages(feed, 10, 5, s).unwrap();
            let (y, z) = (run.product.assay(), run.tails.assay());
            assert!(
                (y.wt_pct() - design.product.wt_pct()).abs() < 1e-6,
                "{pct}: {y:?}"
            );
            assert!(
                (z.wt_pct() - design.tails.wt_pct()).abs() < 1e-6,
                "{pct}: {z:?}"
            );
            let balance = run.product_per_feed * y.wt_fraction()
                + run.tails_per_feed * z.wt_fraction()
                - feed.wt_fraction();
            assert!(balance.abs() < 1e-9, "{pct}: {balance}");
            let work = |r: &CascadeRun| r.separative_work_per_feed * r.max_feed_kg_u_per_yr;
            let old = repiped.run_at(feed).unwrap();
            assert!(
                work(&run) >= gain * work(&old),
                "{pct}: built {} re-piped {}",
                work(&run),
                work(&old)
            );
        }
    }

    fn run<'a>(stocks: &'a [Stock], schedule: &'a CapacitySchedule, units: u32) -> Run<'a> {
        Run {
            stocks,
            schedule,
            setup_days: Days::new(1.0).unwrap(),
            ready_share: ready_share(std::iter::once((0b11, 1.0))),
            ready_hardware: &[],
            goal_assay: Assay::from_wt_pct(90.0).unwrap(),
            unit_kg: KgU::new(25.0 / 0.9).unwrap(),
            units,
            record: true,
        }
    }

    #[test]
    fn transfer_reproduces_the_design_point_and_its_rating() {
        let tr = Transfer::new(&hardware()).unwrap();
        let (p, t) = tr.natural_assays();
        assert!(
            (p * 100.0 - 5.157).abs() < 0.01 && (t * 100.0 - 0.2117).abs() < 0.001,
            "{p} {t}"
        );
        assert!(
            (tr.utilization() - 0.969).abs() < 0.002,
            "{}",
            tr.utilization()
        );
        // Interpolation agrees with a direct solve between grid points.
        let feed = 0.2;
        let f = Assay::from_wt_fraction(feed).unwrap();
        let direct = Transfer::retuned(&cascade(Assay::NATURAL), f).unwrap();
        let i = tr.at(feed);
        assert!(
            (i.product - direct.product.assay().wt_fraction()).abs() < 1e-4,
            "{} {}",
            i.product,
            direct.product.assay().wt_fraction()
        );
        assert!((i.product_per_feed - direct.product_per_feed).abs() < 1e-4);
    }

    /// The re-piped feed point found from the ideal designs is the one a solve at every feed
    /// point finds (the search before), with the same run, for cascades of the bundled
    /// families off their design feed from depleted to HEU.
    #[test]
    fn repiped_feed_point_is_the_best_of_every_solve() {
        let exhaustive = |c: &FixedCascade, feed: Assay| {
            let n = c.stages();
            (1..=n)
                .map(|k| {
                    let cuts = IdealCascade::with_stages(feed, n - k + 1, k - 1, c.separation())
                        .unwrap()
                        .stages
                        .iter()
                        .map(|s| s.cut)
                        .collect();
                    FixedCascade::new(
                        c.machines().to_vec(),
                        cuts,
                        k,
                        c.separation(),
                        c.machine_feed(),
                    )
                    .unwrap()
                    .run(&Composition::binary(feed))
                    .unwrap()
                })
                .fold(None::<CascadeRun>, |best, run| {
                    let work = |r: &CascadeRun| r.separative_work_per_feed * r.max_feed_kg_u_per_yr;
                    match best {
                        Some(b) if work(&run) <= work(&b) => Some(b),
                        _ => Some(run),
                    }
                })
                .unwrap()
        };
        for (alpha, enriching, stripping, machines) in [
            (1.5, 10, 5, 174),
            (1.3, 12, 3, 164),
            (1.8, 8, 6, 140),
            (1.05, 30, 10, 400),
        ] {
            let s = StageSeparation::new(alpha).unwrap();
            let c = IdealCascade::with_stages(Assay::NATURAL, enriching, stripping, s)
                .unwrap()
                .fitted_to_machines(machines, machine_feed_from_rating(5.0, s).unwrap())
                .unwrap()
                .cascade;
            for pct in [0.3, 0.711, 2.0, 3.67, 5.0, 19.75, 20.0, 45.0, 60.0, 75.0] {
                let feed = Assay::from_wt_pct(pct).unwrap();
                let (Ok(found), reference) = (Transfer::retuned(&c, feed), exhaustive(&c, feed))
                else {
                    panic!("α {alpha}, {pct} %: no re-piped run");
                };
                assert_eq!(found, reference, "α {alpha}, {pct} %");
            }
        }
    }

    /// Every pass closes its mass and U-235 balance, and U-235 is conserved across the lots:
    /// what the passes made plus what they discarded equals what went in.
    #[test]
    fn passes_balance_and_the_curve_rises() {
        let tr = Transfer::new(&hardware()).unwrap();
        let schedule = CapacitySchedule::new(9000.0 / 365.25);
        let stocks = [Stock {
            mass: KgU::new(408.6).unwrap(),
            assay: Assay::from_wt_pct(60.0).unwrap(),
        }];
        let sim = simulate(&tr, &run(&stocks, &schedule, 5)).unwrap();
        for p in &sim.passes {
            let (f, fx) = p.feed;
            let ((pk, px), (tk, tx)) = (p.product, p.tails);
            assert!(((f - pk - tk) / f).abs() < 1e-12);
            assert!(
                ((f * fx - pk * px - tk * tx) / (f * fx)).abs() < 5e-3,
                "interpolated balance {p:?}"
            );
        }
        assert_eq!(sim.unit_days.len(), 5);
        assert!(sim.unit_days.windows(2).all(|w| w[0] <= w[1]));
    }

    /// ISIS May 2025 (iran-program.md §4.3 V1): 408.6 kg of 60 % at Fordow, ~9,000 kg-SWU/yr:
    /// the first 25 kg WGU in 2–3 days. Fordow's IR-6 cascades were set up for 20 % feed and
    /// 60 % product \[D26\], so the 60 % step needs no set-up; the model must stay in the 2–4 day
    /// band. Cascades built for natural feed take far longer: the hardware mismatch.
    #[test]
    fn fordow_sixty_percent_first_unit_in_days() {
        let stocks = [Stock {
            mass: KgU::new(408.6).unwrap(),
            assay: Assay::from_wt_pct(60.0).unwrap(),
        }];
        let schedule = CapacitySchedule::new(8700.0 / 365.25);
        let days = |design: f64, set_up: &[f64]| {
            let hw = [Hardware {
                cascade: cascade(Assay::from_wt_pct(design).unwrap()),
                nominal_swu_per_yr: 1.0,
                label: String::new(),
                built_for_each_step: false,
                handles_wt_pct: Vec::new(),
                groups: Vec::new(),
            }];
            let tr = Transfer::new(&hw).unwrap();
            let mut r = run(&stocks, &schedule, 1);
            r.unit_kg = KgU::new(25.0).unwrap();
            r.setup_days = Days::new(14.0).unwrap();
            r.ready_share = ready_share(std::iter::once((levels_mask(&tr, set_up), 1.0)));
            simulate(&tr, &r).unwrap().unit_days[0]
        };
        let fordow = days(20.0, &[0.2, 0.6]);
        assert!(
            (2.0..=4.0).contains(&fordow),
            "first WGU after {fordow} days"
        );
        let natural_design = days(0.711, &[]);
        assert!(natural_design > fordow + 14.0, "{natural_design}");
    }

    #[test]
    fn more_capacity_or_less_setup_is_never_slower() {
        let tr = Transfer::new(&hardware()).unwrap();
        let stocks = [Stock {
            mass: KgU::new(202.8).unwrap(),
            assay: Assay::from_wt_pct(3.67).unwrap(),
        }];
        let days = |swu: f64, setup: f64| {
            let schedule = CapacitySchedule::new(swu / 365.25);
            let mut r = run(&stocks, &schedule, 1);
            r.setup_days = Days::new(setup).unwrap();
            simulate(&tr, &r).unwrap().unit_days[0]
        };
        assert!(days(10_000.0, 1.0) < days(5_000.0, 1.0));
        assert!(days(5_000.0, 0.0) < days(5_000.0, 2.0));
    }

    /// A plant of which a `share` handles 60 wt-% feed already: first WGU from 408.6 kg of 60 %
    /// with 30 days of set-up for the rest.
    fn partly_ready_days(tr: &Transfer, share: f64) -> f64 {
        let stocks = [Stock {
            mass: KgU::new(408.6).unwrap(),
            assay: Assay::from_wt_pct(60.0).unwrap(),
        }];
        let schedule = CapacitySchedule::new(8700.0 / 365.25);
        let sixty = levels_mask(tr, &[0.6]);
        let mut r = run(&stocks, &schedule, 1);
        r.unit_kg = KgU::new(25.0).unwrap();
        r.setup_days = Days::new(30.0).unwrap();
        r.ready_share = ready_share([(sixty, share), (0b11, 1.0 - share)].into_iter());
        simulate(tr, &r).unwrap().unit_days[0]
    }

    #[test]
    fn cascades_set_up_for_a_step_run_it_while_the_rest_are_set_up() {
        let tr = Transfer::new(&hardware()).unwrap();
        let (none, all) = (partly_ready_days(&tr, 0.0), partly_ready_days(&tr, 1.0));
        // Nothing ready: the whole plant waits 30 days, then works; all ready: no wait.
        assert!((none - all - 30.0).abs() < 1e-9, "{none} vs {all}");
        // Ready share s: the same work at s of the capacity takes 1/s as long while it fits in
        // the set-up window (hand check: all-ready time over s).
        let quarter = partly_ready_days(&tr, 0.25);
        assert!(4.0 * all < 30.0, "{all}");
        assert!(
            (quarter - 4.0 * all).abs() < 1e-9,
            "{quarter} vs {}",
            4.0 * all
        );
        // Past the window the rest joins: between the two bounds.
        let tenth = partly_ready_days(&tr, 0.1);
        assert!(all < tenth && tenth <= none, "{all} < {tenth} <= {none}");
    }

    proptest::proptest! {
        #[test]
        fn a_larger_ready_share_is_never_slower(a in 0.0f64..1.0, b in 0.0f64..1.0) {
            let tr = Transfer::new(&hardware()).unwrap();
            let (lo, hi) = (a.min(b), a.max(b));
            proptest::prop_assert!(
                partly_ready_days(&tr, hi) <= partly_ready_days(&tr, lo) * (1.0 + 1e-9)
            );
        }
    }

    #[test]
    fn ready_share_counts_capacity_by_level() {
        let (nat, sixty) = (0b11u64, 0b11u64 | 1 << 5);
        let s = ready_share([(sixty, 3.0), (nat, 1.0), (sixty, 0.0)].into_iter());
        assert_eq!(
            [s[0], s[1], s[5], s[4]].map(f64::to_bits),
            [1.0, 1.0, 0.75, 0.0].map(f64::to_bits)
        );
        // Every group with capacity handles it: exactly 1, whatever the rounding.
        let s = ready_share([(sixty, 0.1), (sixty, 0.2), (nat, 0.0)].into_iter());
        assert_eq!(s[5].to_bits(), 1.0f64.to_bits());
        // No capacity at all: nothing waits.
        assert_eq!(
            ready_share(std::iter::empty())[5].to_bits(),
            1.0f64.to_bits()
        );
    }

    #[test]
    fn no_capacity_means_never() {
        let tr = Transfer::new(&hardware()).unwrap();
        let schedule = CapacitySchedule::new(0.0);
        let stocks = [Stock {
            mass: KgU::new(10.0).unwrap(),
            assay: Assay::from_wt_pct(20.0).unwrap(),
        }];
        let sim = simulate(&tr, &run(&stocks, &schedule, 1)).unwrap();
        assert!(sim.unit_days.is_empty());
    }

    mod headline {
        // The first unit and the curve must come out of the same plans whatever the count:
        // equal bits, not merely close.
        #![allow(clippy::float_cmp)]
        use crate::estimate::Model;
        use crate::fixed::{CascadeHardware, Hardware};
        use crate::scenario::Scenario;
        use crate::testing::{ideal, scenario};
        use enrich::Days;
        use proptest::prelude::*;
        use std::sync::Arc;

        /// (first unit, goal, curve) of the fixed-cascade model, days.
        fn fixed(s: &Scenario) -> (f64, f64, Vec<f64>) {
            fixed_at(s, &s.central_values())
        }

        fn fixed_at(s: &Scenario, values: &[f64]) -> (f64, f64, Vec<f64>) {
            let e = Model::FixedCascade
                .prepare(s)
                .unwrap()
                .estimate(values)
                .unwrap();
            (
                e.first_unit_days.map_or(f64::INFINITY, Days::days),
                e.goal_days.map_or(f64::INFINITY, Days::days),
                e.curve.iter().map(|p| p.days.days()).collect(),
            )
        }

        /// With no capacity the answer is never, but what the stocks give is still the
        /// material's, found at a nominal pace: 50 kg U of 60 % hold 30 kg U-235, at most 1.33
        /// units of 22.5 kg U-235 — not the 40-unit cap of the curve it read before.
        #[test]
        fn stocks_give_units_without_capacity() {
            let s = scenario(&[0.0], &[(50.0, 60.0)], 21.0, 1);
            let e = Model::FixedCascade
                .prepare(&s)
                .unwrap()
                .estimate(&s.central_values())
                .unwrap();
            assert!(e.first_unit_days.is_none());
            let units = e.stock_limit_units;
            assert!(units > 0.5 && units <= 30.0 / 22.5, "{units}");
        }

        /// On a plant so large that every lot is under a tenth of a day's feed, lots that hold
        /// enough for the goal are worked, not left aside while natural uranium is fed. 50 kg U
        /// of 60 % through cascades built for each step (quick mode): 2.92 days at Fordow's
        /// 8,700 kg-SWU/yr, and it took 27–35 days, by the natural route, at 10 to 1,000 times
        /// that; now more capacity is never slower.
        #[test]
        fn a_much_larger_plant_still_works_its_stock() {
            let days = |cap: f64| {
                let mut s = scenario(&[cap], &[(50.0, 60.0)], 0.0, 1);
                let kinds = s.hardware.as_ref().unwrap().kinds().to_vec();
                let built = kinds
                    .into_iter()
                    .map(|h| Hardware {
                        built_for_each_step: true,
                        handles_wt_pct: Vec::new(),
                        groups: Vec::new(),
                        ..h
                    })
                    .collect();
                s.hardware = Some(Arc::new(CascadeHardware::new(built).unwrap()));
                fixed(&s).0
            };
            let mut last = f64::INFINITY;
            for cap in [8_700.0, 87_000.0, 870_000.0, 8_700_000.0] {
                let d = days(cap);
                assert!(d <= last * (1.0 + 1e-9), "{cap}: {d} after {last}");
                last = d;
            }
            assert!(last < 1.0, "{last}");
        }

        #[test]
        fn first_unit_does_not_depend_on_the_count() {
            // Issue 11: aiming for 7 units moved the first from 3.4 to 13–19 days (a plan for
            // more units feeds bigger batches); the first unit is now the earliest plan's.
            let one = fixed(&scenario(&[8700.0], &[(100.0, 60.0)], 21.0, 1));
            for count in [2, 3, 7, 20] {
                let many = fixed(&scenario(&[8700.0], &[(100.0, 60.0)], 21.0, count));
                assert_eq!(many.0, one.0, "count {count}");
                // The curve runs at least to the goal, so a larger count may lengthen it.
                let common = one.2.len().min(many.2.len());
                assert_eq!(
                    many.2[..common],
                    one.2[..common],
                    "count {count}: the curve"
                );
                assert_eq!(
                    many.1, many.2[count as usize],
                    "count {count}: goal on the curve"
                );
            }
        }

        proptest! {
            #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

            #[test]
            fn curve_and_count_invariants(
                cap in 2000.0..20_000.0f64,
                kg in 5.0..200.0f64,
                pct in 3.0..80.0f64,
                setup in 0.0..30.0f64,
                count in 1u32..6,
                ready in 0.0..1.0f64,
            ) {
                // A `ready` share of the capacity handles the stock's step already.
                let build = |count| {
                    let mut s =
                        scenario(&[cap * ready, cap * (1.0 - ready)], &[(kg, pct)], setup, count);
                    s.groups[0].handles_wt_pct = vec![pct];
                    s
                };
                let s = build(count);
                let (first, goal, curve) = fixed(&s);
                // Unit k + 1 never before unit k; the goal is the curve's count-th point.
                prop_assert!(curve.windows(2).all(|w| w[1] >= w[0]), "{curve:?}");
                prop_assert!(goal >= first);
                if let Some(&d) = curve.get(count as usize) {
                    prop_assert_eq!(goal, d);
                }
                // The first unit does not depend on the count.
                let (first1, _, _) = fixed(&build(1));
                prop_assert_eq!(first1, first);
                // Not asserted: more capacity, stock or assay never slower. The batch
                // heuristic breaks it by a few per cent (docs/validation.md, issue 11); the
                // optimum model's tests assert it.
                // The ideal model is a lower bound (2 %: off-design runs above their rating),
                // then the run with set-up waived, then the headline — within the batch
                // heuristic's few per cent (measured: 173.7 against 172.2 days), which is why
                // `run` reports the smaller of the two as the fastest.
                let (fastest, _, _) = fixed_at(&s, &s.relaxed(&s.central_values()));
                prop_assert!(ideal(&s) <= fastest * 1.02, "{} {fastest}", ideal(&s));
                prop_assert!(fastest <= first * 1.02, "fastest {fastest} headline {first}");
            }
        }
    }
}
