//! A fixed cascade run off-design: given the hardware (machines and cut per stage, the feed
//! stage, the stage separation factor and the machine's throughput limit) and any feed
//! composition, the product and tails compositions, every stage's state, and the largest feed
//! rate the most loaded stage allows. This is the model for batch recycling.
//!
//! Model. Stages s = 1..N are counted from the tails end; cascade feed enters stage k. Flows are
//! molar and set by the hardware: Lₛ = θₛ₋₁Lₛ₋₁ + (1 − θₛ₊₁)Lₛ₊₁ + F·[s = k], product θ_N·L_N,
//! tails (1 − θ₁)·L₁. Each stage splits its feed so that for every isotope the heads abundance
//! ratio to U-238 is αᵢ times the tails ratio (αᵢ from [`StageSeparation`]), with atom balance.
//! Because the cuts are fixed, compositions do not depend on the feed rate, and stage flows are
//! proportional to it: the maximum feed is where the first stage reaches Lₛ/nₛ = the machine limit.
//!
//! Method. Write the heads share of isotope i in stage s as hₛᵢ = e·αᵢ/(1 + e·αᵢ) with
//! e = θₛ/(1 − θₛ)·e^{uₛ}, where e^{uₛ} is the stage's heads-to-tails U-238 ratio. For given u
//! the isotope flows solve one tridiagonal M-matrix system per isotope (so they are positive and
//! each isotope balance closes to rounding for any u); Newton's method with a backtracking line
//! search then finds the N values uₛ at which every stage's heads flow equals θₛLₛ. Each Newton
//! step is exact and O(N): it solves the linearised isotope balances and cut equations
//! together, a block-tridiagonal system in (isotope flows, uₛ) per stage, by block elimination
//! (the same step as the dense Jacobian in u, which a test checks). At most [`MAX_ITERATIONS`]
//! steps;
//! if that stalls (cuts far from any design), continuation in the cuts from ½ everywhere; failure
//! is [`EnrichError::NoConvergence`], never a NaN.
//!
//! Ignored (see docs/models.md): hold-up and equilibrium time, the dependence of α and of the
//! throughput limit on the stage's load and cut, and pressure-dependent stage behaviour.

use super::linalg::{MAX_BLOCK, factor_tridiagonal, solve_block, solve_tridiagonal};

// One block of the Newton system per stage: every isotope's flow and the stage's u.
const _: () = assert!(Isotope::ALL.len() < MAX_BLOCK);
use super::multivalue::multicomponent_value;
use super::separation::StageSeparation;
use crate::EnrichError;
use crate::composition::Composition;
use crate::error::positive;
use crate::isotope::Isotope;

/// Most stages a fixed cascade may have: far more than any centrifuge cascade (Iran's have 15–20),
/// and a bound on the scratch space one solve allocates.
pub const MAX_STAGES: usize = 200;

/// Newton iteration cap. Near a design Newton takes ≤ 12 steps; cascades with every cut drawn
/// at random far from any design were seen to need up to ~80 (and one ~550 without the
/// continuation fallback), so the cap leaves room before the fallback is tried.
pub const MAX_ITERATIONS: usize = 200;

/// Converged when every stage's heads flow matches θₛLₛ to this fraction of Lₛ.
const CUT_TOLERANCE: f64 = 1e-12;

/// Throughput limit of one machine: the largest stage feed it takes, as a molar flow quoted in
/// kg U/yr of natural uranium (gas throughput is molar; the quote is the familiar unit).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MachineFeed {
    kg_u_per_yr: f64,
}

impl MachineFeed {
    /// A limit of `kg_u_per_yr` (natural-uranium equivalent) per machine.
    ///
    /// # Errors
    /// [`EnrichError::NotPositive`] unless positive and finite.
    pub fn new(kg_u_per_yr: f64) -> Result<Self, EnrichError> {
        positive("machine feed limit", kg_u_per_yr, "kg U/yr")
            .map(|kg_u_per_yr| MachineFeed { kg_u_per_yr })
    }

    /// kg U/yr of natural uranium.
    pub const fn kg_u_per_yr(self) -> f64 {
        self.kg_u_per_yr
    }

    /// mol U/yr.
    pub fn mol_per_yr(self) -> f64 {
        self.kg_u_per_yr * 1000.0 / Composition::natural().molar_mass()
    }
}

/// The hardware of a cascade.
#[derive(Debug, Clone, PartialEq)]
pub struct FixedCascade {
    machines: Vec<u32>,
    cuts: Vec<f64>,
    feed_stage: usize,
    separation: StageSeparation,
    machine_feed: MachineFeed,
}

impl FixedCascade {
    /// A cascade from per-stage machine counts and cuts (tails end first) and the feed stage
    /// `feed_stage` (1-based from the tails end).
    ///
    /// # Errors
    /// [`EnrichError::Inconsistent`] if the lists differ in length, are empty or longer than
    /// [`MAX_STAGES`], a stage has no machine, the feed stage is outside 1..=N;
    /// [`EnrichError::OutOfRange`] for a cut outside (0, 1).
    pub fn new(
        machines: Vec<u32>,
        cuts: Vec<f64>,
        feed_stage: usize,
        separation: StageSeparation,
        machine_feed: MachineFeed,
    ) -> Result<Self, EnrichError> {
        let n = machines.len();
        if n == 0 || n > MAX_STAGES {
            return Err(EnrichError::Inconsistent(format!(
                "a cascade needs 1 to {MAX_STAGES} stages, got {n}"
            )));
        }
        if cuts.len() != n {
            return Err(EnrichError::Inconsistent(format!(
                "{n} stages need {n} cuts, got {}",
                cuts.len()
            )));
        }
        if let Some(s) = machines.iter().position(|&m| m == 0) {
            return Err(EnrichError::Inconsistent(format!(
                "stage {} has no machine: every stage needs at least one",
                s + 1
            )));
        }
        for &c in &cuts {
            if !(c.is_finite() && c > 0.0 && c < 1.0) {
                return Err(EnrichError::OutOfRange {
                    what: "stage cut θ",
                    value: c,
                    unit: "fraction of stage feed to heads",
                    min: 0.0,
                    max: 1.0,
                });
            }
        }
        if !(1..=n).contains(&feed_stage) {
            return Err(EnrichError::Inconsistent(format!(
                "feed stage {feed_stage} is not a stage of this {n}-stage cascade (expected 1..={n}, counted from the tails end)"
            )));
        }
        Ok(FixedCascade {
            machines,
            cuts,
            feed_stage,
            separation,
            machine_feed,
        })
    }

    /// Number of stages.
    pub fn stages(&self) -> usize {
        self.machines.len()
    }

    /// Machines per stage, tails end first.
    pub fn machines(&self) -> &[u32] {
        &self.machines
    }

    /// Total machines.
    pub fn total_machines(&self) -> u64 {
        self.machines.iter().map(|&m| u64::from(m)).sum()
    }

    /// Cut per stage, tails end first.
    pub fn cuts(&self) -> &[f64] {
        &self.cuts
    }

    /// Feed stage, 1-based from the tails end.
    pub fn feed_stage(&self) -> usize {
        self.feed_stage
    }

    /// Stage separation factors.
    pub fn separation(&self) -> StageSeparation {
        self.separation
    }

    /// Throughput limit per machine.
    pub fn machine_feed(&self) -> MachineFeed {
        self.machine_feed
    }

    /// Stage feed flows per unit cascade feed (molar), tails end first. They depend only on the
    /// cuts: the solution of Lₛ = θₛ₋₁Lₛ₋₁ + (1 − θₛ₊₁)Lₛ₊₁ + [s = k].
    pub fn flows_per_feed(&self) -> Vec<f64> {
        let n = self.stages();
        // Scratch on the stack (N ≤ MAX_STAGES): every cascade run calls this.
        let (mut sup, mut mult, mut pivot) =
            ([0.0; MAX_STAGES], [0.0; MAX_STAGES], [0.0; MAX_STAGES]);
        let (sup, mult, pivot) = (&mut sup[..n], &mut mult[..n], &mut pivot[..n]);
        for (u, c) in sup.iter_mut().zip(&self.cuts[1..]) {
            *u = -(1.0 - c);
        }
        factor_tridiagonal(mult, pivot, sup, |s| -self.cuts[s - 1]);
        let mut l = vec![0.0; n];
        l[self.feed_stage - 1] = 1.0;
        solve_tridiagonal(mult, pivot, sup, &mut l);
        l
    }

    /// Runs the cascade on `feed`: compositions everywhere and the feed-rate limit.
    ///
    /// # Errors
    /// [`EnrichError::NoConvergence`] if Newton's method does not meet its tolerance within
    /// [`MAX_ITERATIONS`]; [`EnrichError::Inconsistent`] if a stream's composition underflows
    /// (U-235 or U-238 below the smallest double), which only extreme inputs produce.
    pub fn run(&self, feed: &Composition) -> Result<CascadeRun, EnrichError> {
        let mut w = Solver::new(self, feed);
        match w.solve() {
            Ok(iterations) => w.into_run(self, feed, iterations),
            Err(first @ EnrichError::NoConvergence { .. }) => {
                // Far off design (cuts that no operator would set together) Newton can stall at
                // a local minimum of the residual. Continuation: start from every cut at ½,
                // where it converges, and move the cuts to their values in steps, each solve
                // starting from the last answer. Finer steps if coarse ones fail.
                for steps in CONTINUATION_STEPS {
                    if let Ok(run) = self.run_by_continuation(feed, steps) {
                        return Ok(run);
                    }
                }
                Err(first)
            }
            Err(e) => Err(e),
        }
    }

    /// [`FixedCascade::run`] by continuation in the cuts from ½ everywhere, in `steps` steps.
    fn run_by_continuation(
        &self,
        feed: &Composition,
        steps: usize,
    ) -> Result<CascadeRun, EnrichError> {
        let mut u: Option<Vec<f64>> = None;
        let mut iterations = 0;
        for i in 0..steps {
            let t = i as f64 / steps as f64;
            let cuts = self.cuts.iter().map(|c| 0.5 + t * (c - 0.5)).collect();
            let c = FixedCascade {
                cuts,
                ..self.clone()
            };
            let mut w = Solver::new(&c, feed);
            if let Some(u) = &u {
                w.u.copy_from_slice(u);
            }
            iterations += w.solve()?;
            u = Some(w.u);
        }
        let mut w = Solver::new(self, feed);
        if let Some(u) = &u {
            w.u.copy_from_slice(u);
        }
        iterations += w.solve()?;
        w.into_run(self, feed, iterations)
    }
}

/// Steps of cut continuation tried, in turn, when Newton stalls from the ideal-cascade guess.
const CONTINUATION_STEPS: [usize; 3] = [8, 32, 128];

/// One stage of a solved cascade.
#[derive(Debug, Clone, PartialEq)]
pub struct StageState {
    /// Stage number, 1-based from the tails end.
    pub stage: usize,
    /// Machines in the stage.
    pub machines: u32,
    /// Cut θ (molar heads flow over stage feed).
    pub cut: f64,
    /// Stage feed over cascade feed, molar.
    pub flow_per_feed: f64,
    /// Composition of the stage feed (after mixing).
    pub feed: Composition,
    /// Composition of the stage heads.
    pub heads: Composition,
    /// Composition of the stage tails.
    pub tails: Composition,
    /// Load per machine over the machine limit when the cascade runs at its maximum feed rate.
    pub load_at_max_feed: f64,
}

/// The result of running a fixed cascade on one feed composition.
#[derive(Debug, Clone, PartialEq)]
pub struct CascadeRun {
    /// The feed.
    pub feed: Composition,
    /// Product (heads of the last stage).
    pub product: Composition,
    /// Tails (tails of the first stage).
    pub tails: Composition,
    /// kg U of product per kg U of feed.
    pub product_per_feed: f64,
    /// kg U of tails per kg U of feed.
    pub tails_per_feed: f64,
    /// kg-SWU per kg U of feed (de la Garza value function on weight fractions).
    pub separative_work_per_feed: f64,
    /// Largest feed rate before a stage exceeds the machine limit, kg U/yr.
    pub max_feed_kg_u_per_yr: f64,
    /// The stage that sets the maximum feed (1-based from the tails end).
    pub limiting_stage: usize,
    /// Every stage, tails end first.
    pub stages: Vec<StageState>,
    /// Newton iterations used.
    pub iterations: usize,
}

/// Rates of a cascade fed at a given rate.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Throughput {
    /// Feed, kg U/yr.
    pub feed_kg_u_per_yr: f64,
    /// Product, kg U/yr.
    pub product_kg_u_per_yr: f64,
    /// Tails, kg U/yr.
    pub tails_kg_u_per_yr: f64,
    /// Separative power delivered, kg-SWU/yr.
    pub separative_power_swu_per_yr: f64,
    /// Load of the most loaded stage's machines over their limit (≤ 1 within capacity).
    pub peak_load: f64,
}

impl CascadeRun {
    /// Rates at `feed_kg_u_per_yr`. A rate above the maximum is allowed and shows as
    /// `peak_load` > 1 (machines overloaded).
    ///
    /// # Errors
    /// [`EnrichError::NotPositive`] for a non-positive rate.
    pub fn at_feed_rate(&self, feed_kg_u_per_yr: f64) -> Result<Throughput, EnrichError> {
        let f = positive("cascade feed rate", feed_kg_u_per_yr, "kg U/yr")?;
        Ok(Throughput {
            feed_kg_u_per_yr: f,
            product_kg_u_per_yr: f * self.product_per_feed,
            tails_kg_u_per_yr: f * self.tails_per_feed,
            separative_power_swu_per_yr: f * self.separative_work_per_feed,
            peak_load: f / self.max_feed_kg_u_per_yr,
        })
    }

    /// Rates at the maximum feed rate (the limiting stage exactly at its machine limit).
    pub fn at_max_feed(&self) -> Throughput {
        self.at_feed_rate(self.max_feed_kg_u_per_yr)
            .expect("the maximum feed rate is positive and finite")
    }
}

/// Scratch space and state of one solve.
struct Solver<'c> {
    n: usize,
    /// Number of isotopes present in the feed, m: the first m entries of the next three.
    m: usize,
    /// Isotopes present in the feed (indices into `Isotope::ALL`).
    iso: [usize; 5],
    alpha: [f64; 5],
    feed_at: [f64; 5],
    k: usize,
    cut: &'c [f64],
    ln_q: Vec<f64>,
    flow: Vec<f64>,
    u: Vec<f64>,
    /// Heads share per (stage, isotope), stage-major.
    h: Vec<f64>,
    /// Isotope molar flow into each stage per unit feed, stage-major.
    x: Vec<f64>,
    /// Reciprocal pivots of the isotope balances' elimination, stage-major.
    inv_pivot: Vec<f64>,
    residual: Vec<f64>,
    /// The eliminated Newton system in one buffer (one allocation): per stage, D'⁻¹·U
    /// ((isotopes + 1)², row-major) and the right-hand side / solution (isotopes + 1).
    newton: Vec<f64>,
}

/// Newton steps of the one-stage starting guess.
const INITIAL_STEPS: usize = 3;

/// Bound on ln(θ/(1 − θ)·σ) so that e^z·αᵢ stays finite (αᵢ ≤ 1 + 2·(MAX_ALPHA − 1)).
const LN_BOUND: f64 = 600.0;

/// Heads shares hᵢ = e·αᵢ/(1 + e·αᵢ) of one stage with e = θ/(1 − θ)·σ, one `exp` per stage.
fn heads_shares(ln_q: f64, u: f64, alpha: &[f64], out: &mut [f64]) {
    let e = (ln_q + u).clamp(-LN_BOUND, LN_BOUND).exp();
    for (h, a) in out.iter_mut().zip(alpha) {
        let ea = e * a;
        *h = ea / (1.0 + ea);
    }
}

/// A starting point for stage s: assume its feed is what an ideal cascade would hold there
/// (`z`, ratios to U-238 scaled by αᵢ^((s − k)/2), normalised) and split it at its cut; a few
/// safeguarded Newton steps on that one-stage equation suffice, since Newton on the whole
/// cascade follows. The steps are in e = θ/(1 − θ)·e^u, in which the heads shares are rational,
/// so a stage costs one `exp` and one `ln`. The equation is increasing and concave in e, so after
/// its first step Newton approaches the root from below; a step is kept within a factor e² (2 in
/// u), which also keeps e positive.
fn initial_u(z: &[f64], alpha: &[f64], ln_alpha: &[f64], ln_q: f64, cut: f64) -> f64 {
    let u = -z.iter().zip(ln_alpha).map(|(f, a)| f * a).sum::<f64>();
    let mut e = (ln_q + u).clamp(-LN_BOUND, LN_BOUND).exp();
    for _ in 0..INITIAL_STEPS {
        let (mut g, mut dg) = (-cut, 0.0);
        for (zj, aj) in z.iter().zip(alpha) {
            let tails = 1.0 / (1.0 + e * aj);
            g += zj * e * aj * tails;
            dg += zj * aj * tails * tails;
        }
        if dg.is_nan() || dg <= 0.0 {
            break;
        }
        e = (e - g / dg).clamp(e * E_MINUS_2, e * E_PLUS_2);
    }
    e.ln() - ln_q
}

/// e² and e⁻², the bounds of one starting-point step in e.
const E_PLUS_2: f64 = 7.389_056_098_930_65;
const E_MINUS_2: f64 = 0.135_335_283_236_612_7;

impl<'c> Solver<'c> {
    // The per-isotope values live in fixed arrays and the per-stage ones in as few vectors as
    // the solve needs: a tabulation of the transfer function builds tens of thousands of
    // solvers, most of which start converged, and allocation was a sixth of its instructions.
    fn new(c: &'c FixedCascade, feed: &Composition) -> Self {
        let n = c.stages();
        let at = feed.at_fractions();
        let (mut m, mut iso) = (0, [0; 5]);
        for i in (0..5).filter(|&i| at[i] > 0.0) {
            iso[m] = i;
            m += 1;
        }
        let (mut ln_alpha, mut alpha, mut feed_at, mut step) =
            ([0.0; 5], [0.0; 5], [0.0; 5], [0.0; 5]);
        for j in 0..m {
            ln_alpha[j] = c.separation.alpha(Isotope::ALL[iso[j]]).ln();
            alpha[j] = ln_alpha[j].exp();
            feed_at[j] = at[iso[j]];
            // Ideal-cascade guess of the stage compositions: ratios scale by √αᵢ per stage (at
            // most √19 over 199 stages, ~1e127: no overflow).
            step[j] = (0.5 * ln_alpha[j]).exp();
        }
        let ln_q: Vec<f64> = c.cuts.iter().map(|t| (t / (1.0 - t)).ln()).collect();
        let k = c.feed_stage - 1;
        let mut ratio = [0.0; 5];
        for j in 0..m {
            ratio[j] = feed_at[j] * step[j].powi(-(k as i32));
        }
        let mut u = vec![0.0; n];
        let mut z = [0.0; 5];
        for (s, us) in u.iter_mut().enumerate() {
            let inv_total = 1.0 / ratio[..m].iter().sum::<f64>();
            for j in 0..m {
                z[j] = ratio[j] * inv_total;
                ratio[j] *= step[j];
            }
            *us = initial_u(&z[..m], &alpha[..m], &ln_alpha[..m], ln_q[s], c.cuts[s]);
        }
        Solver {
            n,
            m,
            iso,
            alpha,
            feed_at,
            k,
            cut: &c.cuts,
            ln_q,
            flow: c.flows_per_feed(),
            u,
            h: vec![0.0; n * m],
            x: vec![0.0; n * m],
            inv_pivot: vec![0.0; n * m],
            residual: vec![0.0; n],
            // Allocated by the first Newton step, so a run that starts converged pays nothing.
            newton: Vec::new(),
        }
    }

    /// Isotope flows and cut residuals for the current `u`; returns the largest |residual|.
    fn evaluate(&mut self) -> f64 {
        match self.m {
            2 => self.evaluate_for::<2>(),
            3 => self.evaluate_for::<3>(),
            4 => self.evaluate_for::<4>(),
            5 => self.evaluate_for::<5>(),
            m => unreachable!("{m} isotopes: a composition has U-235, U-238 and up to 3 more"),
        }
    }

    /// [`Solver::evaluate`] for `M` isotopes (a constant, so the per-stage loops unroll).
    fn evaluate_for<const M: usize>(&mut self) -> f64 {
        let n = self.n;
        let alpha: &[f64; M] = &self.alpha.as_chunks().0[0];
        let feed: &[f64; M] = &self.feed_at.as_chunks().0[0];
        let (h, _) = self.h.as_chunks_mut::<M>();
        for ((hs, ln_q), u) in h.iter_mut().zip(&self.ln_q).zip(&self.u) {
            heads_shares(*ln_q, *u, alpha, hs);
        }
        // Every isotope's balance xₛ − hₛ₋₁·xₛ₋₁ − (1 − hₛ₊₁)·xₛ₊₁ = f·[s = k] at once, stage
        // by stage: the isotopes' eliminations are independent chains that overlap in the CPU,
        // and reciprocal pivots keep divisions out of the back substitution.
        let h: &[[f64; M]] = h;
        let (x, _) = self.x.as_chunks_mut::<M>();
        let (inv_pivot, _) = self.inv_pivot.as_chunks_mut::<M>();
        inv_pivot[0] = [1.0; M];
        x[0] = if self.k == 0 { *feed } else { [0.0; M] };
        for s in 1..n {
            for j in 0..M {
                // Multiplier sub/pivot with sub = −hₛ₋₁; the pivot's update uses sup of the
                // row above, −(1 − hₛ).
                let mult = -h[s - 1][j] * inv_pivot[s - 1][j];
                inv_pivot[s][j] = 1.0 / (1.0 - mult * (h[s][j] - 1.0));
                let f = if s == self.k { feed[j] } else { 0.0 };
                x[s][j] = f - mult * x[s - 1][j];
            }
        }
        for j in 0..M {
            x[n - 1][j] *= inv_pivot[n - 1][j];
        }
        for s in (0..n - 1).rev() {
            for j in 0..M {
                x[s][j] = (x[s][j] + (1.0 - h[s + 1][j]) * x[s + 1][j]) * inv_pivot[s][j];
            }
        }
        let mut worst: f64 = 0.0;
        for s in 0..n {
            let heads: f64 = (0..M).map(|j| h[s][j] * x[s][j]).sum();
            let r = (heads - self.cut[s] * self.flow[s]) / self.flow[s];
            self.residual[s] = r;
            worst = worst.max(r.abs());
        }
        worst
    }

    /// The Newton step in u for the current state, into `step`: false if the system is
    /// singular.
    ///
    /// Unknowns per stage s: the changes of its isotope flows δxₛⱼ and of uₛ. Rows per stage: the
    /// linearised balance of each isotope, δxₛⱼ − hₛ₋₁ⱼ·δxₛ₋₁ⱼ − dₛ₋₁ⱼ·xₛ₋₁ⱼ·δuₛ₋₁ −
    /// (1 − hₛ₊₁ⱼ)·δxₛ₊₁ⱼ + dₛ₊₁ⱼ·xₛ₊₁ⱼ·δuₛ₊₁ = 0 (the flows already solve the balances for
    /// the current u), with dᵢⱼ = ∂h/∂u = h(1 − h); and the cut equation
    /// (Σⱼ hₛⱼ·δxₛⱼ + Σⱼ dₛⱼ·xₛⱼ·δuₛ)/Lₛ = −residualₛ. Eliminating δx gives exactly the dense
    /// Newton system in u; keeping it makes the system block-tridiagonal with blocks of
    /// b = isotopes + 1, solved by block elimination from the tails end in O(N·b³).
    fn newton_step(&mut self, step: &mut [f64]) -> bool {
        match self.m {
            2 => self.block_newton_step::<3>(step),
            3 => self.block_newton_step::<4>(step),
            4 => self.block_newton_step::<5>(step),
            5 => self.block_newton_step::<6>(step),
            m => unreachable!("{m} isotopes: a composition has U-235, U-238 and up to 3 more"),
        }
    }

    /// [`Solver::newton_step`] for blocks of `B` = isotopes + 1. The blocks are formed stage by
    /// stage as the elimination reaches them, not stored: the lower block Lₛ has only the
    /// isotope rows' diagonal and u column, so Lₛ·Gₛ₋₁ costs 2·(B − 1)·B, not B³.
    fn block_newton_step<const B: usize>(&mut self, step: &mut [f64]) -> bool {
        let (n, m) = (self.n, B - 1);
        // Per stage, Gₛ = D'ₛ⁻¹·Uₛ (row-major) then gₛ = D'ₛ⁻¹·r'ₛ, appended as computed.
        let per_stage = B * B + B;
        let elim = &mut self.newton;
        elim.clear();
        elim.reserve(n * per_stage);
        let d = |h: f64, x: f64| h * (1.0 - h) * x;
        for s in 0..n {
            let (h, x) = (&self.h[s * m..][..m], &self.x[s * m..][..m]);
            let inv_flow = 1.0 / self.flow[s];
            // Diagonal block: unit isotope rows, then the cut row.
            let mut a = [[0.0; B]; B];
            let mut du = 0.0;
            for j in 0..m {
                a[j][j] = 1.0;
                a[m][j] = h[j] * inv_flow;
                du += d(h[j], x[j]);
            }
            a[m][m] = du * inv_flow;
            // Upper block: the isotope rows' coupling to stage s + 1.
            let mut g = [[0.0; B]; B];
            if s + 1 < n {
                let (hn, xn) = (&self.h[(s + 1) * m..][..m], &self.x[(s + 1) * m..][..m]);
                for j in 0..m {
                    g[j][j] = -(1.0 - hn[j]);
                    g[j][m] = d(hn[j], xn[j]);
                }
            }
            let mut r = [0.0; B];
            r[m] = -self.residual[s];
            if s > 0 {
                // D'ₛ = Dₛ − Lₛ·Gₛ₋₁ and r'ₛ = rₛ − Lₛ·gₛ₋₁, Lₛ's isotope row j being
                // −hₛ₋₁ⱼ at column j and −dₛ₋₁ⱼ·xₛ₋₁ⱼ at column m.
                let (hp, xp) = (&self.h[(s - 1) * m..][..m], &self.x[(s - 1) * m..][..m]);
                let prev = &elim[(s - 1) * per_stage..][..per_stage];
                let (gp, rp) = prev.split_at(B * B);
                for j in 0..m {
                    let (l_flow, l_u) = (-hp[j], -d(hp[j], xp[j]));
                    for c in 0..B {
                        a[j][c] -= l_flow * gp[j * B + c] + l_u * gp[m * B + c];
                    }
                    r[j] -= l_flow * rp[j] + l_u * rp[m];
                }
            }
            if !solve_block(&mut a, &mut g, &mut r) {
                return false;
            }
            elim.extend_from_slice(g.as_flattened());
            elim.extend_from_slice(&r);
        }
        // Back substitution: zₛ = gₛ − Gₛ·zₛ₊₁, into the gₛ slots.
        for s in (0..n - 1).rev() {
            let (cur, next) = elim[s * per_stage..(s + 2) * per_stage].split_at_mut(per_stage);
            let next = &next[B * B..][..B];
            let (gs, zs) = cur.split_at_mut(B * B);
            for (i, zi) in zs.iter_mut().enumerate() {
                *zi -= (0..B).map(|c| gs[i * B + c] * next[c]).sum::<f64>();
            }
        }
        let mut finite = true;
        for (s, ds) in step.iter_mut().enumerate() {
            let z = &elim[s * per_stage + B * B..][..B];
            // A non-finite entry anywhere (the blocks' solutions are not checked) reaches the
            // solution through the elimination and back substitution.
            finite &= z.iter().all(|v| v.is_finite());
            *ds = z[m];
        }
        finite
    }

    /// Newton with backtracking; returns the iterations used.
    fn solve(&mut self) -> Result<usize, EnrichError> {
        let n = self.n;
        let mut worst = self.evaluate();
        if worst <= CUT_TOLERANCE {
            // Before allocating: in a tabulation most runs start converged.
            return Ok(0);
        }
        let mut step = vec![0.0; n];
        let mut u_old = vec![0.0; n];
        for it in 0..MAX_ITERATIONS {
            if worst <= CUT_TOLERANCE {
                return Ok(it);
            }
            if !self.newton_step(&mut step) {
                return Err(EnrichError::NoConvergence {
                    solver: "fixed-cascade Newton (singular Jacobian)",
                    iterations: it,
                    residual: worst,
                });
            }
            // Keep a step within a factor e^4 on every stage ratio.
            let big = step.iter().fold(0.0f64, |a, d| a.max(d.abs()));
            let scale = if big > 4.0 { 4.0 / big } else { 1.0 };
            u_old.copy_from_slice(&self.u);
            let norm_old: f64 = self.residual.iter().map(|r| r * r).sum();
            let mut lambda = scale;
            let mut accepted = false;
            for _ in 0..40 {
                for s in 0..n {
                    self.u[s] = u_old[s] + lambda * step[s];
                }
                worst = self.evaluate();
                let norm: f64 = self.residual.iter().map(|r| r * r).sum();
                if norm.is_finite() && norm <= (1.0 - 1e-4 * lambda) * norm_old {
                    accepted = true;
                    break;
                }
                lambda *= 0.5;
            }
            if !accepted {
                if worst <= 1e3 * CUT_TOLERANCE {
                    // Rounding floor reached slightly above the tolerance: the answer is exact to
                    // ~1e-9 in the cuts, far below any physical meaning.
                    return Ok(it + 1);
                }
                return Err(EnrichError::NoConvergence {
                    solver: "fixed-cascade Newton (line search)",
                    iterations: it + 1,
                    residual: worst,
                });
            }
        }
        if worst <= CUT_TOLERANCE {
            return Ok(MAX_ITERATIONS);
        }
        Err(EnrichError::NoConvergence {
            solver: "fixed-cascade Newton",
            iterations: MAX_ITERATIONS,
            residual: worst,
        })
    }

    fn composition(
        &self,
        at_active: impl Fn(usize) -> f64,
        what: impl FnOnce() -> String,
    ) -> Result<Composition, EnrichError> {
        // The total is summed as the values are made, not read back from `at`: reading a
        // just-written array as vectors stalls store forwarding, and this runs 3 times a stage.
        let mut active = [0.0; 5];
        let mut total = 0.0;
        for (j, a) in active[..self.m].iter_mut().enumerate() {
            *a = at_active(j);
            total += *a;
        }
        let inv_total = 1.0 / total;
        let mut at = [0.0; 5];
        for (&i, a) in self.iso[..self.m].iter().zip(active) {
            at[i] = a * inv_total;
        }
        Composition::from_at_fractions(at).map_err(|e| {
            EnrichError::Inconsistent(format!(
                "the {} composition degenerates ({e}); the cascade separates beyond double precision",
                what()
            ))
        })
    }

    fn into_run(
        self,
        c: &FixedCascade,
        feed: &Composition,
        iterations: usize,
    ) -> Result<CascadeRun, EnrichError> {
        let (n, m) = (self.n, self.m);
        let mut stages = Vec::with_capacity(n);
        for s in 0..n {
            let x = |j: usize| self.x[s * m + j];
            let hx = |j: usize| self.h[s * m + j] * self.x[s * m + j];
            let tx = |j: usize| (1.0 - self.h[s * m + j]) * self.x[s * m + j];
            stages.push(StageState {
                stage: s + 1,
                machines: c.machines[s],
                cut: c.cuts[s],
                flow_per_feed: self.flow[s],
                feed: self.composition(x, || format!("stage {} feed", s + 1))?,
                heads: self.composition(hx, || format!("stage {} heads", s + 1))?,
                tails: self.composition(tx, || format!("stage {} tails", s + 1))?,
                load_at_max_feed: 0.0,
            });
        }
        let product = stages[n - 1].heads;
        let tails = stages[0].tails;
        let mf = feed.molar_mass();
        // Molar product and tails per mole of feed, then to mass.
        let p_mol = c.cuts[n - 1] * self.flow[n - 1];
        let t_mol = (1.0 - c.cuts[0]) * self.flow[0];
        let product_per_feed = p_mol * product.molar_mass() / mf;
        let tails_per_feed = t_mol * tails.molar_mass() / mf;
        // Feed limit: ℓₛ·F_mol ≤ nₛ·L_m for every stage.
        let lm = c.machine_feed.mol_per_yr();
        let (limiting, f_mol) = (0..n)
            .map(|s| (s, f64::from(c.machines[s]) * lm / self.flow[s]))
            .fold((0, f64::INFINITY), |a, b| if b.1 < a.1 { b } else { a });
        for st in &mut stages {
            st.load_at_max_feed = st.flow_per_feed * f_mol / (f64::from(st.machines) * lm);
        }
        let separative_work_per_feed = product_per_feed * multicomponent_value(&product)
            + tails_per_feed * multicomponent_value(&tails)
            - multicomponent_value(feed);
        Ok(CascadeRun {
            feed: *feed,
            product,
            tails,
            product_per_feed,
            tails_per_feed,
            separative_work_per_feed,
            max_feed_kg_u_per_yr: f_mol * mf / 1000.0,
            limiting_stage: limiting + 1,
            stages,
            iterations,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::super::linalg::{solve_dense, solve_tridiagonal_many};
    use super::*;
    use proptest::prelude::*;

    /// The Newton step in u the slow way, as a reference: the dense Jacobian of the scaled
    /// residuals, ∂x/∂u from the inverse columns of each isotope's balance matrix, then a dense
    /// solve. None if singular.
    fn dense_newton_step(w: &Solver) -> Option<Vec<f64>> {
        let (n, m) = (w.n, w.m);
        let mut jac = vec![0.0; n * n];
        for s in 0..n {
            jac[s * n + s] = (0..m)
                .map(|j| {
                    let h = w.h[s * m + j];
                    h * (1.0 - h) * w.x[s * m + j]
                })
                .sum();
        }
        // ∂x/∂u_t = dh_t·x_t·A⁻¹(e_{t+1} − e_{t−1}), for all t at once per isotope.
        let mut cols = vec![0.0; n * n];
        for j in 0..m {
            let sup: Vec<f64> = (0..n)
                .map(|s| {
                    if s + 1 < n {
                        -(1.0 - w.h[(s + 1) * m + j])
                    } else {
                        0.0
                    }
                })
                .collect();
            let (mut mult, mut pivot) = (vec![0.0; n], vec![0.0; n]);
            factor_tridiagonal(&mut mult, &mut pivot, &sup, |s| -w.h[(s - 1) * m + j]);
            cols.iter_mut().for_each(|v| *v = 0.0);
            for t in 0..n {
                if t + 1 < n {
                    cols[(t + 1) * n + t] = 1.0;
                }
                if t > 0 {
                    cols[(t - 1) * n + t] = -1.0;
                }
            }
            solve_tridiagonal_many(&mult, &pivot, &sup, &mut cols, n);
            for s in 0..n {
                for t in 0..n {
                    let (hs, ht) = (w.h[s * m + j], w.h[t * m + j]);
                    jac[s * n + t] += hs * ht * (1.0 - ht) * w.x[t * m + j] * cols[s * n + t];
                }
            }
        }
        for s in 0..n {
            jac[s * n..(s + 1) * n]
                .iter_mut()
                .for_each(|v| *v /= w.flow[s]);
        }
        let mut step: Vec<f64> = w.residual.iter().map(|r| -r).collect();
        solve_dense(&mut jac, &mut step).then_some(step)
    }

    proptest! {
        /// The O(N) block-tridiagonal Newton step equals the dense Newton step in u on random
        /// cascades (2–40 stages, random cuts, 2–4 isotopes) at random points u.
        #[test]
        fn block_step_equals_the_dense_step(
            stages in 2usize..40,
            feed_frac in 0.05f64..0.95,
            cuts in proptest::collection::vec(0.3f64..0.7, 40),
            shift in proptest::collection::vec(-0.3f64..0.3, 40),
            minor in proptest::bool::ANY,
            alpha in 1.1f64..2.2,
        ) {
            let k = ((stages as f64 * feed_frac) as usize).clamp(1, stages);
            let sep = StageSeparation::new(alpha).unwrap();
            let c = FixedCascade::new(
                vec![10; stages],
                cuts[..stages].to_vec(),
                k,
                sep,
                MachineFeed::new(100.0).unwrap(),
            )
            .unwrap();
            let feed = if minor {
                Composition::from_wt_fractions_balance_u238(&[
                    (Isotope::U234, 3e-4),
                    (Isotope::U235, 0.0367),
                    (Isotope::U236, 2e-3),
                ])
                .unwrap()
            } else {
                Composition::natural()
            };
            let mut w = Solver::new(&c, &feed);
            for (u, d) in w.u.iter_mut().zip(&shift) {
                *u += d;
            }
            w.evaluate();
            let dense = dense_newton_step(&w);
            prop_assume!(dense.is_some());
            let dense = dense.unwrap();
            let mut block = vec![0.0; w.n];
            prop_assert!(w.newton_step(&mut block));
            let scale = dense.iter().fold(1e-300f64, |a, d| a.max(d.abs()));
            for (b, d) in block.iter().zip(&dense) {
                prop_assert!((b - d).abs() <= 1e-10 * scale, "{block:?} vs {dense:?}");
            }
        }
    }
}
