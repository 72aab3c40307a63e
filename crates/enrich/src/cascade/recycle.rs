//! Batch recycling and interconnection of fixed cascades.
//!
//! Batch recycling: a batch of material is fed through the same cascade; the product of pass j
//! is the feed of pass j + 1, each pass running at the cascade's maximum feed rate for the
//! current composition (or a lower rate the caller sets). Pass times are feed mass over feed
//! rate. Interconnection: the product (or tails) of one cascade is fed to another, and the pair
//! runs at the rate the tighter of the two allows.
//!
//! Ignored: the time to reconfigure or purge a cascade between passes, hold-up and equilibrium
//! time (the cascade is assumed to reach steady state at once), and losses.

use super::fixed::{CascadeRun, FixedCascade};
use crate::EnrichError;
use crate::assay::Assay;
use crate::composition::Composition;
use crate::error::positive;
use crate::units::DAYS_PER_YEAR;

/// Most passes a batch-recycling run may make.
pub const MAX_PASSES: usize = 1000;

/// How fast each pass is fed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum FeedRate {
    /// At the cascade's maximum for the pass's feed composition.
    Max,
    /// At this rate (kg U/yr), or the cascade's maximum if that is lower.
    AtMost(f64),
}

/// When batch recycling stops.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Passes {
    /// After exactly this many passes.
    Count(usize),
    /// After the first pass whose product reaches `target` (U-235 wt), at most `max_passes`.
    UntilAssay {
        /// Product assay to reach.
        target: Assay,
        /// Give up after this many passes.
        max_passes: usize,
    },
}

/// One pass of a batch through the cascade.
#[derive(Debug, Clone, PartialEq)]
pub struct RecyclePass {
    /// Pass number, from 1.
    pub pass: usize,
    /// The cascade run on this pass's feed.
    pub run: CascadeRun,
    /// Feed of this pass, kg U.
    pub feed_kg_u: f64,
    /// Feed rate used, kg U/yr.
    pub feed_kg_u_per_yr: f64,
    /// Product, kg U.
    pub product_kg_u: f64,
    /// Tails, kg U.
    pub tails_kg_u: f64,
    /// Duration of the pass, days.
    pub days: f64,
    /// Separative work of the pass, kg-SWU.
    pub separative_work_swu: f64,
}

/// A batch-recycling campaign.
#[derive(Debug, Clone, PartialEq)]
pub struct BatchRecycle {
    /// The passes in order.
    pub passes: Vec<RecyclePass>,
}

impl BatchRecycle {
    /// The last pass's product composition.
    pub fn product(&self) -> &Composition {
        &self.last().run.product
    }

    /// The last pass's product, kg U.
    pub fn product_kg_u(&self) -> f64 {
        self.last().product_kg_u
    }

    /// Total time, days.
    pub fn total_days(&self) -> f64 {
        self.passes.iter().map(|p| p.days).sum()
    }

    /// Total separative work, kg-SWU.
    pub fn separative_work_swu(&self) -> f64 {
        self.passes.iter().map(|p| p.separative_work_swu).sum()
    }

    /// Tails of all passes, kg U.
    pub fn tails_kg_u(&self) -> f64 {
        self.passes.iter().map(|p| p.tails_kg_u).sum()
    }

    fn last(&self) -> &RecyclePass {
        self.passes
            .last()
            .expect("a campaign has at least one pass")
    }
}

/// Feeds `feed_kg_u` of `feed` through `cascade` repeatedly.
///
/// # Errors
/// [`EnrichError::NotPositive`] for a non-positive mass or rate; [`EnrichError::Inconsistent`]
/// for zero passes, more than [`MAX_PASSES`], or a target that the passes do not reach (the
/// product stops rising, e.g. when U-234 crowds out U-235 near the top of the assay range);
/// solver errors of [`FixedCascade::run`].
pub fn batch_recycle(
    cascade: &FixedCascade,
    feed: &Composition,
    feed_kg_u: f64,
    passes: Passes,
    rate: FeedRate,
) -> Result<BatchRecycle, EnrichError> {
    let mut mass = positive("batch feed", feed_kg_u, "kg U")?;
    if let FeedRate::AtMost(r) = rate {
        positive("feed rate", r, "kg U/yr")?;
    }
    let (limit, target) = match passes {
        Passes::Count(n) => (n, None),
        Passes::UntilAssay { target, max_passes } => (max_passes, Some(target)),
    };
    if limit == 0 || limit > MAX_PASSES {
        return Err(EnrichError::Inconsistent(format!(
            "batch recycling needs 1 to {MAX_PASSES} passes, got {limit}"
        )));
    }
    let mut comp = *feed;
    let mut out = Vec::new();
    for pass in 1..=limit {
        let run = cascade.run(&comp)?;
        let r = match rate {
            FeedRate::Max => run.max_feed_kg_u_per_yr,
            FeedRate::AtMost(r) => r.min(run.max_feed_kg_u_per_yr),
        };
        let product = mass * run.product_per_feed;
        let reached = run.product.assay();
        let previous = comp.assay();
        out.push(RecyclePass {
            pass,
            feed_kg_u: mass,
            feed_kg_u_per_yr: r,
            product_kg_u: product,
            tails_kg_u: mass * run.tails_per_feed,
            days: mass / r * DAYS_PER_YEAR,
            separative_work_swu: mass * run.separative_work_per_feed,
            run,
        });
        if let Some(t) = target {
            if reached >= t {
                return Ok(BatchRecycle { passes: out });
            }
            if reached <= previous {
                return Err(EnrichError::Inconsistent(format!(
                    "batch recycling cannot reach {} wt-% U-235: pass {pass} took the product from {} to {} wt-% (no further gain)",
                    t.wt_pct(),
                    previous.wt_pct(),
                    reached.wt_pct()
                )));
            }
        }
        mass = product;
        comp = out.last().expect("just pushed").run.product;
    }
    match target {
        Some(t) => Err(EnrichError::Inconsistent(format!(
            "batch recycling did not reach {} wt-% U-235 in {limit} passes (last product {} wt-%)",
            t.wt_pct(),
            comp.assay().wt_pct()
        ))),
        None => Ok(BatchRecycle { passes: out }),
    }
}

/// Which stream of the first cascade feeds the second.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stream {
    /// The first cascade's product.
    Product,
    /// The first cascade's tails.
    Tails,
}

/// Two cascades in series.
#[derive(Debug, Clone, PartialEq)]
pub struct Interconnection {
    /// The first cascade on the outside feed.
    pub first: CascadeRun,
    /// The second cascade on the chosen stream of the first.
    pub second: CascadeRun,
    /// Outside feed rate, kg U/yr: the most both cascades allow.
    pub feed_kg_u_per_yr: f64,
    /// Rate of the connecting stream, kg U/yr.
    pub stream_kg_u_per_yr: f64,
    /// True if the second cascade sets the rate.
    pub second_limits: bool,
}

/// Feeds `feed` to `first` and its `stream` to `second`, at the largest rate both allow.
///
/// # Errors
/// Solver errors of [`FixedCascade::run`].
pub fn interconnect(
    first: &FixedCascade,
    second: &FixedCascade,
    feed: &Composition,
    stream: Stream,
) -> Result<Interconnection, EnrichError> {
    let a = first.run(feed)?;
    let (comp, share) = match stream {
        Stream::Product => (a.product, a.product_per_feed),
        Stream::Tails => (a.tails, a.tails_per_feed),
    };
    let b = second.run(&comp)?;
    let by_second = b.max_feed_kg_u_per_yr / share;
    let second_limits = by_second < a.max_feed_kg_u_per_yr;
    let f = a.max_feed_kg_u_per_yr.min(by_second);
    Ok(Interconnection {
        first: a,
        second: b,
        feed_kg_u_per_yr: f,
        stream_kg_u_per_yr: f * share,
        second_limits,
    })
}
