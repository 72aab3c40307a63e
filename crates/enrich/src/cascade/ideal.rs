//! The symmetric ideal binary cascade: stages, flows, cuts and machines for a feed and product
//! and tails targets, sized for a product rate or fitted to a machine budget.
//!
//! Every stage is symmetric (heads abundance ratio √α above its feed, tails √α below), so the
//! streams that meet at a stage have the same composition and nothing is lost to mixing. Stage s
//! (1-based from the tails end, feed stage k) is fed at R = R_F·α^((s − k)/2); with nₑ enriching
//! stages (k..N, the feed stage included) and nₛ = k − 1 stripping stages the cascade reaches
//! R_P = R_F·α^(nₑ/2) and R_T = R_F·α^(−(nₛ + 1)/2). Stage counts are whole numbers, so a design
//! for targets rounds them up and reports the assays actually reached (at least as good as the
//! targets). Reference: M. Benedict, T. Pigford, H. Levi, "Nuclear Chemical Engineering", 2nd
//! ed. (1981), ch. 12 (ideal cascades); D. Avery, E. Davies, "Uranium Enrichment by Gas
//! Centrifuge" (1973).

use super::fixed::{FixedCascade, MachineFeed};
use super::multivalue::multicomponent_value;
use super::separation::StageSeparation;
use crate::EnrichError;
use crate::assay::Assay;
use crate::composition::Composition;
use crate::error::positive;

/// Stage-count cap of a design (matches [`super::fixed::MAX_STAGES`]).
const MAX_DESIGN_STAGES: usize = super::fixed::MAX_STAGES;

/// One stage of an ideal design (atom fractions U-235, binary).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct IdealStage {
    /// Stage number, 1-based from the tails end.
    pub stage: usize,
    /// Molar cut θ.
    pub cut: f64,
    /// Stage feed over cascade feed, molar.
    pub flow_per_feed: f64,
    /// U-235 atom fraction of the stage feed.
    pub feed_at: f64,
    /// U-235 atom fraction of the heads.
    pub heads_at: f64,
    /// U-235 atom fraction of the tails.
    pub tails_at: f64,
}

/// A symmetric ideal binary cascade, per unit feed.
#[derive(Debug, Clone, PartialEq)]
pub struct IdealCascade {
    /// Feed assay.
    pub feed: Assay,
    /// Product assay reached (≥ the target).
    pub product: Assay,
    /// Tails assay reached (≤ the target).
    pub tails: Assay,
    /// Stage separation factor.
    pub separation: StageSeparation,
    /// Enriching stages, the feed stage included.
    pub enriching_stages: usize,
    /// Stripping stages.
    pub stripping_stages: usize,
    /// Enriching stages needed for the product target exactly (real number).
    pub enriching_stages_exact: f64,
    /// Stripping stages needed for the tails target exactly (real number).
    pub stripping_stages_exact: f64,
    /// Stages, tails end first.
    pub stages: Vec<IdealStage>,
    /// Molar product per mole of feed.
    pub product_per_feed_mol: f64,
}

/// An ideal design turned into hardware, with its design rates.
#[derive(Debug, Clone, PartialEq)]
pub struct SizedCascade {
    /// The hardware.
    pub cascade: FixedCascade,
    /// Design feed rate, kg U/yr.
    pub feed_kg_u_per_yr: f64,
    /// Design product rate, kg U/yr.
    pub product_kg_u_per_yr: f64,
    /// Design tails rate, kg U/yr.
    pub tails_kg_u_per_yr: f64,
    /// Design feed assay.
    pub feed_assay: Assay,
}

fn ratio(x: f64) -> f64 {
    x / (1.0 - x)
}

fn from_ratio(r: f64) -> f64 {
    r / (1.0 + r)
}

impl IdealCascade {
    /// The smallest symmetric ideal cascade that takes `feed` to at least `product` with tails
    /// at most `tails` (binary, wt-% assays).
    ///
    /// # Errors
    /// [`EnrichError::AssaysNotOrdered`] unless tails < feed < product;
    /// [`EnrichError::Inconsistent`] if it would need more than 200 stages.
    pub fn for_assays(
        feed: Assay,
        product: Assay,
        tails: Assay,
        separation: StageSeparation,
    ) -> Result<Self, EnrichError> {
        if !(tails < feed && feed < product) {
            return Err(EnrichError::AssaysNotOrdered {
                feed_wt_pct: feed.wt_pct(),
                product_wt_pct: product.wt_pct(),
                tails_wt_pct: tails.wt_pct(),
            });
        }
        let ln_b = 0.5 * separation.alpha_235().ln();
        let rf = ratio(feed.at_fraction_binary());
        let ne = (ratio(product.at_fraction_binary()) / rf).ln() / ln_b;
        let ns = ((rf / ratio(tails.at_fraction_binary())).ln() / ln_b - 1.0).max(0.0);
        // Round up, forgiving rounding noise when a target sits exactly on a stage.
        let up = |x: f64| (x - 1e-9).ceil().max(0.0);
        let (ne_i, ns_i) = (up(ne).max(1.0), up(ns));
        if ne_i + ns_i > MAX_DESIGN_STAGES as f64 {
            return Err(EnrichError::Inconsistent(format!(
                "the design needs {} stages (at α = {}), more than the {MAX_DESIGN_STAGES} supported",
                ne_i + ns_i,
                separation.alpha_235()
            )));
        }
        let mut c = Self::with_stages(feed, ne_i as usize, ns_i as usize, separation)?;
        c.enriching_stages_exact = ne;
        c.stripping_stages_exact = ns;
        Ok(c)
    }

    /// The symmetric ideal cascade with `enriching` stages (feed stage included, ≥ 1) and
    /// `stripping` stages, fed at `feed`.
    ///
    /// # Errors
    /// [`EnrichError::Inconsistent`] for no enriching stage or more than 200 stages;
    /// [`EnrichError::OutOfRange`] if product or tails leave the representable assays.
    pub fn with_stages(
        feed: Assay,
        enriching: usize,
        stripping: usize,
        separation: StageSeparation,
    ) -> Result<Self, EnrichError> {
        let n = enriching + stripping;
        if enriching == 0 || n > MAX_DESIGN_STAGES {
            return Err(EnrichError::Inconsistent(format!(
                "an ideal cascade needs at least one enriching stage and at most {MAX_DESIGN_STAGES} stages, got {enriching} enriching and {stripping} stripping"
            )));
        }
        let alpha = separation.alpha_235();
        let b = alpha.sqrt();
        let xf = feed.at_fraction_binary();
        let rf = ratio(xf);
        let k = stripping + 1;
        let r_stage = |s: usize| rf * alpha.powf((s as f64 - k as f64) / 2.0);
        let xp = from_ratio(r_stage(n) * b);
        let xt = from_ratio(r_stage(1) / b);
        let product = Assay::from_at_fraction_binary(xp)?;
        let tails = Assay::from_at_fraction_binary(xt)?;
        let p = (xf - xt) / (xp - xt);
        let w = 1.0 - p;
        let mut stages = Vec::with_capacity(n);
        for s in 1..=n {
            let r = r_stage(s);
            let (x, y, t) = (from_ratio(r), from_ratio(r * b), from_ratio(r / b));
            let cut = (x - t) / (y - t);
            // Heads flow from the net transport across the section boundary above stage s.
            let heads = if s == n {
                p
            } else {
                let w_next = from_ratio(r_stage(s + 1) / b);
                if s >= k {
                    p * (xp - w_next) / (y - w_next)
                } else {
                    w * (w_next - xt) / (y - w_next)
                }
            };
            stages.push(IdealStage {
                stage: s,
                cut,
                flow_per_feed: heads / cut,
                feed_at: x,
                heads_at: y,
                tails_at: t,
            });
        }
        Ok(IdealCascade {
            feed,
            product,
            tails,
            separation,
            enriching_stages: enriching,
            stripping_stages: stripping,
            enriching_stages_exact: enriching as f64,
            stripping_stages_exact: stripping as f64,
            stages,
            product_per_feed_mol: p,
        })
    }

    /// Feed stage, 1-based from the tails end.
    pub fn feed_stage(&self) -> usize {
        self.stripping_stages + 1
    }

    /// Molar mass ratio helpers: kg U of feed per mole.
    fn feed_kg_per_mol(&self) -> f64 {
        Composition::binary(self.feed).molar_mass() / 1000.0
    }

    /// kg U of product per kg U of feed.
    pub fn product_per_feed(&self) -> f64 {
        self.product_per_feed_mol * Composition::binary(self.product).molar_mass()
            / Composition::binary(self.feed).molar_mass()
    }

    /// kg U of tails per kg U of feed.
    fn tails_per_feed(&self) -> f64 {
        (1.0 - self.product_per_feed_mol) * Composition::binary(self.tails).molar_mass()
            / Composition::binary(self.feed).molar_mass()
    }

    /// kg-SWU per kg U of feed: the value function of the product and tails less the feed's,
    /// weighted by mass (as [`FixedCascade::run`] reports it).
    pub fn separative_work_per_feed(&self) -> f64 {
        let value = |a: Assay| multicomponent_value(&Composition::binary(a));
        self.product_per_feed() * value(self.product) + self.tails_per_feed() * value(self.tails)
            - value(self.feed)
    }

    /// The largest feed, kg U/yr, that hardware with `machines` per stage (tails end first)
    /// takes with this design's cuts before a stage exceeds `machine_feed`. Fed two-isotope
    /// uranium at the design's feed assay, that hardware's flows are the design's, so this is
    /// what [`FixedCascade::run`] reports, without the solve.
    ///
    /// # Errors
    /// [`EnrichError::Inconsistent`] unless there is one machine count per stage.
    pub fn max_feed_kg_u_per_yr(
        &self,
        machines: &[u32],
        machine_feed: MachineFeed,
    ) -> Result<f64, EnrichError> {
        if machines.len() != self.stages.len() {
            return Err(EnrichError::Inconsistent(format!(
                "{} machine counts for {} stages",
                machines.len(),
                self.stages.len()
            )));
        }
        let lm = machine_feed.mol_per_yr();
        let f_mol = self
            .stages
            .iter()
            .zip(machines)
            .map(|(st, &m)| f64::from(m) * lm / st.flow_per_feed)
            .fold(f64::INFINITY, f64::min);
        Ok(f_mol * self.feed_kg_per_mol())
    }

    fn sized(
        &self,
        machines: Vec<u32>,
        cuts: Vec<f64>,
        feed_kg_u_per_yr: f64,
        machine_feed: MachineFeed,
    ) -> Result<SizedCascade, EnrichError> {
        let cascade = FixedCascade::new(
            machines,
            cuts,
            self.feed_stage(),
            self.separation,
            machine_feed,
        )?;
        let product = feed_kg_u_per_yr * self.product_per_feed();
        Ok(SizedCascade {
            cascade,
            feed_kg_u_per_yr,
            product_kg_u_per_yr: product,
            tails_kg_u_per_yr: feed_kg_u_per_yr - product,
            feed_assay: self.feed,
        })
    }

    /// Hardware for `product_kg_u_per_yr`: ideal cuts, and in each stage the machines its flow
    /// needs, rounded up (so every stage runs at or below its limit at the design feed).
    ///
    /// # Errors
    /// [`EnrichError::NotPositive`] for a non-positive rate; [`EnrichError::Inconsistent`] if a
    /// stage would need more than 2³² machines.
    pub fn sized_for_product(
        &self,
        product_kg_u_per_yr: f64,
        machine_feed: MachineFeed,
    ) -> Result<SizedCascade, EnrichError> {
        let p = positive("product rate", product_kg_u_per_yr, "kg U/yr")?;
        let feed_kg = p / self.product_per_feed();
        let f_mol = feed_kg / self.feed_kg_per_mol();
        let lm = machine_feed.mol_per_yr();
        let machines = self
            .stages
            .iter()
            .map(|st| {
                let need = (st.flow_per_feed * f_mol / lm * (1.0 - 1e-12))
                    .ceil()
                    .max(1.0);
                if need > f64::from(u32::MAX) {
                    Err(EnrichError::Inconsistent(format!(
                        "stage {} would need {need} machines",
                        st.stage
                    )))
                } else {
                    Ok(need as u32)
                }
            })
            .collect::<Result<Vec<_>, _>>()?;
        let cuts = self.stages.iter().map(|s| s.cut).collect();
        self.sized(machines, cuts, feed_kg, machine_feed)
    }

    /// Hardware with exactly `machines` machines and the ideal cuts, placed to maximise the
    /// feed rate: the largest feed at which the machines each stage needs (rounded up) fit the
    /// budget, then any machine left over goes to the stage that limits the feed. Cuts stay
    /// ideal, so at its maximum feed the cascade reproduces the design assays; whole machines
    /// leave the other stages slightly under-loaded (see [`SizedCascade::utilization`]).
    ///
    /// # Errors
    /// [`EnrichError::Inconsistent`] for fewer machines than stages.
    pub fn fitted_to_machines(
        &self,
        machines: u32,
        machine_feed: MachineFeed,
    ) -> Result<SizedCascade, EnrichError> {
        let n = self.stages.len();
        if (machines as usize) < n {
            return Err(EnrichError::Inconsistent(format!(
                "{machines} machines cannot fill {n} stages (at least one per stage)"
            )));
        }
        let lm = machine_feed.mol_per_yr();
        let need = |f_mol: f64| -> Vec<u32> {
            self.stages
                .iter()
                .map(|st| {
                    (st.flow_per_feed * f_mol / lm * (1.0 - 1e-12))
                        .ceil()
                        .max(1.0) as u32
                })
                .collect()
        };
        let total = |c: &[u32]| c.iter().map(|&m| u64::from(m)).sum::<u64>();
        // Bisection on the feed (molar): Σ ceil is monotone in it. Upper bound: all machines in
        // the largest stage.
        let lmax = self
            .stages
            .iter()
            .map(|s| s.flow_per_feed)
            .fold(0.0, f64::max);
        let (mut lo, mut hi) = (0.0, f64::from(machines) * lm / lmax * 2.0);
        for _ in 0..100 {
            let mid = 0.5 * (lo + hi);
            if total(&need(mid)) <= u64::from(machines) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        let mut counts = need(lo);
        let mut left = u64::from(machines) - total(&counts);
        while left > 0 {
            let bottleneck = (0..n)
                .min_by(|&a, &b| {
                    let fa = f64::from(counts[a]) / self.stages[a].flow_per_feed;
                    let fb = f64::from(counts[b]) / self.stages[b].flow_per_feed;
                    fa.total_cmp(&fb)
                })
                .expect("stages exist");
            counts[bottleneck] += 1;
            left -= 1;
        }
        let feed_kg = self.max_feed_kg_u_per_yr(&counts, machine_feed)?;
        let cuts = self.stages.iter().map(|s| s.cut).collect();
        self.sized(counts, cuts, feed_kg, machine_feed)
    }
}

impl SizedCascade {
    /// Machine-feed used at the design feed over the machine-feed installed: the share of the
    /// machines' capacity the design uses (below 1 only through whole-machine rounding).
    pub fn utilization(&self) -> f64 {
        let c = &self.cascade;
        let flows = c.flows_per_feed();
        let f_mol =
            self.feed_kg_u_per_yr * 1000.0 / Composition::binary(self.feed_assay).molar_mass();
        let used: f64 = flows.iter().map(|l| l * f_mol).sum();
        used / (c.total_machines() as f64 * c.machine_feed().mol_per_yr())
    }
}
