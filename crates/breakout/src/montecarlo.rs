//! Monte Carlo over uncertain inputs, percentiles, a histogram and a one-at-a-time tornado.
//!
//! **Determinism.** Samples are cut into fixed chunks of [`CHUNK`] draws; chunk i gets its own
//! `Pcg64Mcg` seeded from (seed, i) by SplitMix64, and results are gathered in chunk order. The
//! output therefore depends only on the seed and the sample count, never on the number of
//! threads rayon uses. Only inputs whose [`crate::Param`] is uncertain are drawn, each in input
//! order, so adding a fixed input does not change the stream.

use rand::SeedableRng;
use rand_pcg::Pcg64Mcg;
use rayon::prelude::*;

use crate::error::BreakoutError;
use crate::estimate::{Estimator, Scratch};
use crate::scenario::Scenario;

/// Samples per chunk: the unit of parallel work, of seeding and of cancellation. Small because
/// an optimum draw costs up to ~0.1 s: a few hundred samples still spread over every core,
/// and a cancelled request stops within one chunk.
pub const CHUNK: usize = 64;
/// The name of the generator, for provenance.
pub const RNG_NAME: &str =
    "rand_pcg::Pcg64Mcg (seeded per 64-sample chunk by SplitMix64(seed, chunk))";
/// Percentiles reported.
pub const PERCENTILES: [f64; 5] = [5.0, 25.0, 50.0, 75.0, 95.0];

/// SplitMix64 finaliser (Steele, Lea & Flood 2014): decorrelates the per-chunk seeds.
fn splitmix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Days to the goal for `samples` draws; `f64::INFINITY` marks draws that never get there.
/// `progress` is called with the number of samples done after each chunk.
///
/// # Errors
/// The first [`BreakoutError`] in chunk order, if a draw cannot be planned.
pub fn sample_goal_days(
    estimator: &dyn Estimator,
    scenario: &Scenario,
    samples: usize,
    seed: u64,
    progress: &(dyn Fn(usize) + Sync),
) -> Result<Vec<f64>, BreakoutError> {
    sample_goal_days_cancellable(estimator, scenario, samples, seed, progress, &|| false)
}

/// As [`sample_goal_days`], ending with [`BreakoutError::Cancelled`] once `cancelled()` is true
/// (checked before each chunk of [`CHUNK`] samples).
///
/// # Errors
/// As [`sample_goal_days`]; [`BreakoutError::Cancelled`].
pub fn sample_goal_days_cancellable(
    estimator: &dyn Estimator,
    scenario: &Scenario,
    samples: usize,
    seed: u64,
    progress: &(dyn Fn(usize) + Sync),
    cancelled: &(dyn Fn() -> bool + Sync),
) -> Result<Vec<f64>, BreakoutError> {
    let central = scenario.central_values();
    let uncertain: Vec<usize> = (0..scenario.inputs.len())
        .filter(|&i| scenario.inputs[i].param.is_uncertain())
        .collect();
    let chunks = samples.div_ceil(CHUNK);
    let done = std::sync::atomic::AtomicUsize::new(0);
    let parts: Vec<Result<Vec<f64>, BreakoutError>> = (0..chunks)
        .into_par_iter()
        .map(|c| {
            if cancelled() {
                return Err(BreakoutError::Cancelled);
            }
            let n = CHUNK.min(samples - c * CHUNK);
            let mut rng = Pcg64Mcg::seed_from_u64(splitmix(seed ^ splitmix(c as u64)));
            let mut values = central.clone();
            let mut scratch = Scratch::default();
            let mut out = Vec::with_capacity(n);
            for _ in 0..n {
                for &i in &uncertain {
                    let input = &scenario.inputs[i];
                    values[i] = input.param.sample(&mut rng, input.domain);
                }
                out.push(estimator.goal_days(&values, &mut scratch)?);
            }
            let total = done.fetch_add(n, std::sync::atomic::Ordering::Relaxed) + n;
            progress(total);
            Ok(out)
        })
        .collect();
    let mut all = Vec::with_capacity(samples);
    for p in parts {
        all.extend(p?);
    }
    Ok(all)
}

/// A histogram bin.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bin {
    /// Lower edge, days.
    pub low_days: f64,
    /// Upper edge, days.
    pub high_days: f64,
    /// Samples in [low, high) (the last bin includes its upper edge).
    pub count: usize,
}

/// What a Monte Carlo run reports.
#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    /// Number of samples.
    pub samples: usize,
    /// Samples that never reach the goal (no capacity).
    pub never: usize,
    /// (percentile, days); `None` where the percentile falls among the "never" samples.
    pub percentiles: Vec<(f64, Option<f64>)>,
    /// Mean over the samples that reach the goal.
    pub mean_days: Option<f64>,
    /// Equal-width bins between the smallest and largest finite sample.
    pub histogram: Vec<Bin>,
}

/// The `p`-th percentile (0 < p ≤ 100) of `sorted` days by nearest rank: the value at rank
/// ⌈p/100 · n⌉, so at least p % of the draws are at or below it and at least (100 − p) % at or
/// above it. `None` for no draws, or where the rank falls among the draws that never reach the
/// goal (`f64::INFINITY`, sorted last: longer than any finite time).
pub fn nearest_rank(sorted: &[f64], p: f64) -> Option<f64> {
    let n = sorted.len();
    if n == 0 {
        return None;
    }
    let rank = ((p / 100.0) * n as f64).ceil().max(1.0) as usize - 1;
    sorted
        .get(rank.min(n - 1))
        .copied()
        .filter(|d| d.is_finite())
}

/// Percentiles (nearest rank on the sorted samples), mean and a histogram with `bins` bins.
pub fn summarize(mut days: Vec<f64>, bins: usize) -> Summary {
    days.sort_by(f64::total_cmp);
    let n = days.len();
    let finite: &[f64] = &days[..days.partition_point(|d| d.is_finite())];
    let percentiles = PERCENTILES
        .iter()
        .map(|&p| (p, nearest_rank(&days, p)))
        .collect();
    let mean_days = (!finite.is_empty()).then(|| finite.iter().sum::<f64>() / finite.len() as f64);
    let mut histogram = Vec::new();
    if let (Some(&lo), Some(&hi)) = (finite.first(), finite.last()) {
        let bins = bins.max(1);
        let width = if hi > lo {
            (hi - lo) / bins as f64
        } else {
            1.0
        };
        histogram = (0..bins)
            .map(|b| Bin {
                low_days: lo + width * b as f64,
                high_days: lo + width * (b + 1) as f64,
                count: 0,
            })
            .collect();
        for &d in finite {
            let b = (((d - lo) / width) as usize).min(bins - 1);
            histogram[b].count += 1;
        }
    }
    Summary {
        samples: n,
        never: n - finite.len(),
        percentiles,
        mean_days,
        histogram,
    }
}

/// One row of the tornado table.
#[derive(Debug, Clone, PartialEq)]
pub struct TornadoRow {
    /// The input's id.
    pub input: usize,
    /// Its 5th-percentile value.
    pub low_value: f64,
    /// Its 95th-percentile value.
    pub high_value: f64,
    /// Days to the goal with the input at its 5th percentile, others central.
    pub days_at_low: f64,
    /// Days to the goal with the input at its 95th percentile, others central.
    pub days_at_high: f64,
}

impl TornadoRow {
    /// [`swing`] between the two ends.
    pub fn swing_days(&self) -> f64 {
        swing(self.days_at_low, self.days_at_high)
    }
}

/// Relative difference below which two estimates are one answer: the solvers' rounding (the
/// optimum's programs agree across solvers to ~10⁻¹¹), not a sensitivity to report.
pub const SAME_ANSWER: f64 = 1e-9;

/// |high − low| days; 0 where they differ by less than [`SAME_ANSWER`] of the larger (an input
/// the answer does not depend on printed 5.5 × 10⁻¹⁴ days of rounding as its swing);
/// infinite if either end never reaches the goal.
pub fn swing(low: f64, high: f64) -> f64 {
    if !(low.is_finite() && high.is_finite()) {
        return f64::INFINITY;
    }
    let d = (high - low).abs();
    if d <= SAME_ANSWER * low.abs().max(high.abs()) {
        0.0
    } else {
        d
    }
}

/// One-at-a-time sensitivity: every uncertain input moved to its 5th and 95th percentile, the
/// others held at their central values; rows sorted by swing, largest first.
///
/// # Errors
/// As [`Estimator::goal_days`].
pub fn tornado(
    estimator: &dyn Estimator,
    scenario: &Scenario,
) -> Result<Vec<TornadoRow>, BreakoutError> {
    let central = scenario.central_values();
    let mut scratch = Scratch::default();
    let mut rows = Vec::new();
    for (i, input) in scenario.inputs.iter().enumerate() {
        if !input.param.is_uncertain() {
            continue;
        }
        let clamp = |x: f64| x.clamp(input.domain.min, input.domain.max);
        let (lo, hi) = (
            clamp(input.param.quantile(0.05)),
            clamp(input.param.quantile(0.95)),
        );
        let mut values = central.clone();
        values[i] = lo;
        let days_at_low = estimator.goal_days(&values, &mut scratch)?;
        values[i] = hi;
        let days_at_high = estimator.goal_days(&values, &mut scratch)?;
        rows.push(TornadoRow {
            input: i,
            low_value: lo,
            high_value: hi,
            days_at_low,
            days_at_high,
        });
    }
    rows.sort_by(|a, b| b.swing_days().total_cmp(&a.swing_days()));
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_swing_within_rounding_is_none() {
        // (low, high, swing): rounding-sized differences are no swing, real ones are kept,
        // however small, and a never is infinite.
        for (low, high, want) in [
            (3.188, 3.188 + 5.46e-14, 0.0),
            (48.9, 48.9 - 7.11e-15, 0.0),
            (1000.0, 1000.0 + 1e-7, 0.0),
            (1000.0, 1000.001, 0.001),
            (3.19, 3.18, 0.01),
            (3.19, 3.19 + 1.21e-3, 1.21e-3),
            (f64::INFINITY, 3.0, f64::INFINITY),
            (3.0, f64::INFINITY, f64::INFINITY),
        ] {
            let got = swing(low, high);
            let same = if want.is_infinite() {
                got.is_infinite()
            } else {
                (got - want).abs() <= 1e-12
            };
            assert!(same, "{low} {high}: {got} (want {want})");
        }
    }

    #[test]
    fn percentiles_and_histogram_by_hand() {
        let s = summarize((1..=100).map(f64::from).collect(), 4);
        let p: Vec<Option<f64>> = s.percentiles.iter().map(|p| p.1).collect();
        assert_eq!(
            p,
            vec![Some(5.0), Some(25.0), Some(50.0), Some(75.0), Some(95.0)]
        );
        let counts: Vec<usize> = s.histogram.iter().map(|b| b.count).collect();
        assert_eq!(counts.iter().sum::<usize>(), 100);
        assert_eq!(counts, vec![25, 25, 25, 25]);
        let s = summarize(vec![1.0, f64::INFINITY, f64::INFINITY, f64::INFINITY], 2);
        assert_eq!(s.never, 3);
        assert_eq!(s.percentiles[0].1, Some(1.0));
        assert_eq!(s.percentiles[2].1, None);
    }

    /// Nearest rank by hand: of 10 draws, P10 is the 1st, P15 the 2nd (⌈1.5⌉), P100 the 10th;
    /// a rank among the never-reaching draws is "never".
    #[test]
    fn nearest_rank_by_hand() {
        let ten: Vec<f64> = (1..=10).map(f64::from).collect();
        let inf = f64::INFINITY;
        let with_never = [1.0, 2.0, inf, inf];
        for (sorted, p, want) in [
            (&ten[..], 10.0, Some(1.0)),
            (&ten[..], 15.0, Some(2.0)),
            (&ten[..], 50.0, Some(5.0)),
            (&ten[..], 100.0, Some(10.0)),
            (&ten[..], 0.001, Some(1.0)),
            (&with_never[..], 50.0, Some(2.0)),
            (&with_never[..], 51.0, None),
            (&[][..], 50.0, None),
        ] {
            assert_eq!(nearest_rank(sorted, p), want, "P{p} of {sorted:?}");
        }
    }

    proptest::proptest! {
        /// Over random draws (some never arriving) and percentiles: a higher percentile is never
        /// shorter ("never" counts as longer than any time), and the nearest rank keeps its
        /// promise — at least (100 − p) % of the draws at or above it.
        #[test]
        fn nearest_rank_is_monotone_and_cautious(
            mut days in proptest::collection::vec(
                proptest::prop_oneof![3 => 0.0..1e4f64, 1 => proptest::strategy::Just(f64::INFINITY)],
                1..300,
            ),
            p in 0.01..99.99f64,
            q in 0.01..99.99f64,
        ) {
            days.sort_by(f64::total_cmp);
            let (lo, hi) = if p <= q { (p, q) } else { (q, p) };
            let at = |x: f64| nearest_rank(&days, x).unwrap_or(f64::INFINITY);
            proptest::prop_assert!(at(lo) <= at(hi));
            let v = at(lo);
            let at_or_above = days.iter().filter(|&&d| d >= v).count() as f64;
            proptest::prop_assert!(at_or_above >= (1.0 - lo / 100.0) * days.len() as f64 - 1e-9);
        }
    }

    #[test]
    fn chunk_seeds_differ() {
        assert_ne!(splitmix(1), splitmix(2));
        assert_ne!(splitmix(0), 0);
    }
}
