//! Time from the start of a breakout to its detection under a verification regime, for the three
//! breakout pathways: misuse of declared cascades, diversion of declared stocks, and a covert plant.
//!
//! A regime is a set of independent [`Measure`]s (inspector access, on-line enrichment monitors,
//! electronic seals, cameras, material balances, complementary access), each an *opportunity to
//! detect* that recurs every `interval_days`, with a probability per opportunity of seeing each
//! pathway, and a delay for reporting a finding to the IAEA Board. The breakout starts at a
//! uniformly random phase of every measure's interval (the state does not know, or cannot use, the
//! inspectors' schedule), so for one measure with interval τ and probability p the number of
//! opportunities until detection N is geometric and the time to detection is T = (U + N − 1)·τ,
//! U ~ U(0, 1):
//!
//! ```text
//! P(T > s) = (1 − p)^k · (1 − p·u),   s = (k + u)·τ, k integer, 0 ≤ u < 1
//! E[T]     = τ·(1/p − 1/2)
//! ```
//!
//! Independent measures (independent phases) multiply their survival functions: detection is the
//! first of them, and the finding is known at the Board `reporting_delay_days` later. The mean is
//! integrated exactly (the survival is a product of linear functions between breakpoints).
//!
//! What it ignores: correlation between measures (a camera and an inspector who fail for the same
//! reason), a breakout that hides from scheduled opportunities (the random phase is the inspector's
//! protection: unannounced or daily access), and the time a state needs before breakout can start.
//! A measure that sees a covert plant is taken to see the same activity at a declared plant under
//! its eyes at least as readily (validated), so a covert plant is never detected earlier than
//! misuse of a declared plant under the same regime.

use crate::error::{SafeguardsError, non_negative, positive};

/// Shortest interval between detection opportunities, days (one hour): a continuous monitor's
/// data are read at some interval, and below an hour the reporting delay dominates anyway.
pub const MIN_INTERVAL_DAYS: f64 = 1.0 / 24.0;
/// Longest interval between detection opportunities, days (ten years).
pub const MAX_INTERVAL_DAYS: f64 = 3652.5;
/// Smallest non-zero detection probability per opportunity: keeps the exact integration of the
/// mean to at most a few hundred thousand intervals per measure.
pub const MIN_PROBABILITY: f64 = 1e-3;
/// Longest reporting delay to the Board, days (ten years).
pub const MAX_REPORTING_DELAY_DAYS: f64 = 3652.5;
/// Most measures in one regime.
pub const MAX_MEASURES: usize = 32;

/// A way to break out, as the inspectors would have to see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Pathway {
    /// Reconfiguring or running declared cascades to make HEU at a declared site.
    DeclaredMisuse,
    /// Removing declared enriched stock from where it is verified.
    StockDiversion,
    /// Enriching in an undeclared plant (fed with diverted or undeclared material: with diverted
    /// feed, the diversion is the [`Pathway::StockDiversion`] line and the earlier of the two counts).
    CovertPlant,
}

impl Pathway {
    /// Every pathway, in report order.
    pub const ALL: [Pathway; 3] = [
        Pathway::DeclaredMisuse,
        Pathway::StockDiversion,
        Pathway::CovertPlant,
    ];

    /// Its id in files and JSON.
    pub fn id(self) -> &'static str {
        match self {
            Pathway::DeclaredMisuse => "declared-misuse",
            Pathway::StockDiversion => "stock-diversion",
            Pathway::CovertPlant => "covert-plant",
        }
    }

    /// A short description for people.
    pub fn label(self) -> &'static str {
        match self {
            Pathway::DeclaredMisuse => "declared-plant misuse",
            Pathway::StockDiversion => "stock diversion",
            Pathway::CovertPlant => "covert plant",
        }
    }
}

/// One recurring opportunity to detect a breakout.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Measure {
    interval_days: f64,
    p_declared_misuse: f64,
    p_stock_diversion: f64,
    p_covert_plant: f64,
}

fn probability(what: &str, p: f64) -> Result<f64, SafeguardsError> {
    if p == 0.0 || (p.is_finite() && (MIN_PROBABILITY..=1.0).contains(&p)) {
        Ok(p)
    } else {
        Err(SafeguardsError::OutOfRange {
            what: what.into(),
            value: p,
            expected: format!("0, or a probability from {MIN_PROBABILITY} to 1"),
        })
    }
}

impl Measure {
    /// A measure recurring every `interval_days` with the given probabilities per opportunity.
    ///
    /// # Errors
    /// [`SafeguardsError::OutOfRange`] for an interval outside
    /// [[`MIN_INTERVAL_DAYS`], [`MAX_INTERVAL_DAYS`]], a probability that is neither 0 nor in
    /// [[`MIN_PROBABILITY`], 1], or a covert-plant probability above the declared-misuse one.
    pub fn new(
        interval_days: f64,
        p_declared_misuse: f64,
        p_stock_diversion: f64,
        p_covert_plant: f64,
    ) -> Result<Self, SafeguardsError> {
        if !(interval_days.is_finite()
            && (MIN_INTERVAL_DAYS..=MAX_INTERVAL_DAYS).contains(&interval_days))
        {
            return Err(SafeguardsError::OutOfRange {
                what: "interval between opportunities (days)".into(),
                value: interval_days,
                expected: format!("from {MIN_INTERVAL_DAYS:.6} (one hour) to {MAX_INTERVAL_DAYS}"),
            });
        }
        let p_declared_misuse = probability("declared-misuse probability", p_declared_misuse)?;
        let p_stock_diversion = probability("stock-diversion probability", p_stock_diversion)?;
        let p_covert_plant = probability("covert-plant probability", p_covert_plant)?;
        if p_covert_plant > p_declared_misuse {
            return Err(SafeguardsError::OutOfRange {
                what: "covert-plant probability".into(),
                value: p_covert_plant,
                expected: format!(
                    "at most the declared-misuse probability {p_declared_misuse}: a measure sees \
                     activity at a declared site under its eyes at least as readily as a hidden plant"
                ),
            });
        }
        Ok(Measure {
            interval_days,
            p_declared_misuse,
            p_stock_diversion,
            p_covert_plant,
        })
    }

    /// Days between opportunities.
    pub fn interval_days(&self) -> f64 {
        self.interval_days
    }

    /// Probability per opportunity of detecting `pathway`.
    pub fn probability(&self, pathway: Pathway) -> f64 {
        match pathway {
            Pathway::DeclaredMisuse => self.p_declared_misuse,
            Pathway::StockDiversion => self.p_stock_diversion,
            Pathway::CovertPlant => self.p_covert_plant,
        }
    }
}

/// A verification regime: independent measures and the delay to report a finding to the Board.
#[derive(Debug, Clone, PartialEq)]
pub struct Regime {
    measures: Vec<Measure>,
    reporting_delay_days: f64,
}

impl Regime {
    /// A regime of `measures` (none: no verification at all).
    ///
    /// # Errors
    /// [`SafeguardsError::OutOfRange`] for more than [`MAX_MEASURES`] measures or a reporting
    /// delay that is negative or above [`MAX_REPORTING_DELAY_DAYS`].
    pub fn new(measures: Vec<Measure>, reporting_delay_days: f64) -> Result<Self, SafeguardsError> {
        if measures.len() > MAX_MEASURES {
            return Err(SafeguardsError::OutOfRange {
                what: "number of measures".into(),
                value: measures.len() as f64,
                expected: format!("at most {MAX_MEASURES}"),
            });
        }
        non_negative("reporting delay (days)", reporting_delay_days)?;
        if reporting_delay_days > MAX_REPORTING_DELAY_DAYS {
            return Err(SafeguardsError::OutOfRange {
                what: "reporting delay (days)".into(),
                value: reporting_delay_days,
                expected: format!("at most {MAX_REPORTING_DELAY_DAYS}"),
            });
        }
        Ok(Regime {
            measures,
            reporting_delay_days,
        })
    }

    /// The distribution of the time from the start of breakout by `pathway` to the Board's
    /// knowing of it.
    pub fn detection(&self, pathway: Pathway) -> DetectionTime {
        DetectionTime {
            chances: self
                .measures
                .iter()
                .map(|m| (m.interval_days, m.probability(pathway)))
                .filter(|&(_, p)| p > 0.0)
                .collect(),
            reporting_delay_days: self.reporting_delay_days,
        }
    }
}

/// The distribution of the time from the start of breakout to the Board's knowing of it, days.
#[derive(Debug, Clone, PartialEq)]
pub struct DetectionTime {
    /// (interval, probability per opportunity) of each measure that can see the pathway.
    chances: Vec<(f64, f64)>,
    reporting_delay_days: f64,
}

/// P(T > s) for one measure: (1 − p)^k (1 − p·u) with s = (k + u)·τ.
fn measure_survival(interval_days: f64, p: f64, s: f64) -> f64 {
    let x = s / interval_days;
    let k = x.floor();
    (1.0 - p).powf(k) * (1.0 - p * (x - k))
}

impl DetectionTime {
    /// Whether nothing in the regime can see the pathway: detection never comes.
    pub fn never(&self) -> bool {
        self.chances.is_empty()
    }

    /// P(not known at the Board by `days` after the start of breakout).
    pub fn survival(&self, days: f64) -> f64 {
        let s = days - self.reporting_delay_days;
        if s <= 0.0 {
            return 1.0;
        }
        self.chances
            .iter()
            .map(|&(tau, p)| measure_survival(tau, p, s))
            .product::<f64>()
            .clamp(0.0, 1.0)
    }

    /// P(known at the Board within `days` of the start of breakout): with the breakout time,
    /// the probability of detection before the state has its first significant quantity.
    pub fn probability_by(&self, days: f64) -> f64 {
        1.0 - self.survival(days)
    }

    /// Mean days to detection (`None`: never).
    pub fn mean_days(&self) -> Option<f64> {
        match self.chances.as_slice() {
            [] => None,
            &[(tau, p)] => Some(self.reporting_delay_days + tau * (1.0 / p - 0.5)),
            chances => Some(self.reporting_delay_days + integrate_survival(chances)),
        }
    }

    /// Days by which detection has come with probability `q` (`None`: never).
    ///
    /// # Errors
    /// [`SafeguardsError::OutOfRange`] for `q` outside (0, 1).
    pub fn quantile_days(&self, q: f64) -> Result<Option<f64>, SafeguardsError> {
        crate::error::open_interval("detection quantile", q, 0.0, 1.0)?;
        if self.never() {
            return Ok(None);
        }
        let target = 1.0 - q;
        let mut hi = self
            .chances
            .iter()
            .map(|c| c.0)
            .fold(f64::INFINITY, f64::min);
        // The survival falls at least geometrically, so doubling reaches the target quickly.
        while self.survival(self.reporting_delay_days + hi) > target {
            hi *= 2.0;
        }
        let mut lo = 0.0;
        for _ in 0..200 {
            let mid = 0.5 * (lo + hi);
            if self.survival(self.reporting_delay_days + mid) > target {
                lo = mid;
            } else {
                hi = mid;
            }
            if hi - lo <= 1e-12 * hi {
                break;
            }
        }
        Ok(Some(self.reporting_delay_days + hi))
    }
}

/// ∫₀^∞ Π_m P(T_m > s) ds, exactly: between consecutive breakpoints (multiples of any τ_m) each
/// factor is linear in s, so the product is a polynomial integrated term by term. Stops once a
/// bound on the rest is below 1e-9 days: (1 − p)^⌊x⌋ ≤ (1 − p)^(x − 1) gives
/// Π_m S_m(r) ≤ C·e^(−λr) with λ = Σ −ln(1 − p_m)/τ_m and C = Π 1/(1 − p_m), whose tail from s is
/// C·e^(−λs)/λ; a certain measure (p = 1) ends the integral at its first interval. The number of
/// intervals is thus about 25/p per measure, whatever the τ_m.
fn integrate_survival(chances: &[(f64, f64)]) -> f64 {
    let certain_end = chances
        .iter()
        .filter(|c| c.1 >= 1.0)
        .map(|c| c.0)
        .fold(f64::INFINITY, f64::min);
    let uncertain = chances.iter().filter(|c| c.1 < 1.0);
    let lambda: f64 = uncertain
        .clone()
        .map(|&(tau, p)| -(1.0 - p).ln() / tau)
        .sum();
    let ln_c: f64 = uncertain.map(|&(_, p)| -(1.0 - p).ln()).sum();
    let mut total = 0.0;
    let mut s = 0.0;
    // Opportunities passed per measure, counted rather than taken from ⌊s/τ⌋, which rounding can
    // leave one short exactly at a breakpoint.
    let mut passed = vec![0.0f64; chances.len()];
    let mut coeffs = Vec::with_capacity(chances.len() + 1);
    loop {
        if s >= certain_end || (lambda > 0.0 && (ln_c - lambda * s).exp() / lambda < 1e-9) {
            return total;
        }
        let next = chances
            .iter()
            .zip(&passed)
            .map(|(&(tau, _), &k)| (k + 1.0) * tau)
            .fold(f64::INFINITY, f64::min);
        let width = next.min(certain_end) - s;
        // Each factor on [s, next): a + b·r, r = local time from s.
        coeffs.clear();
        coeffs.push(1.0);
        for (&(tau, p), &k) in chances.iter().zip(&passed) {
            let g = (1.0 - p).powf(k);
            let u = (s / tau - k).clamp(0.0, 1.0);
            let (a, b) = (g * (1.0 - p * u), -g * p / tau);
            coeffs.push(0.0);
            for j in (0..coeffs.len()).rev() {
                let lower = if j > 0 { coeffs[j - 1] } else { 0.0 };
                coeffs[j] = coeffs[j] * a + lower * b;
            }
        }
        total += coeffs
            .iter()
            .enumerate()
            .map(|(j, c)| c * width.powi(j as i32 + 1) / (j as f64 + 1.0))
            .sum::<f64>();
        s = next;
        for (&(tau, _), k) in chances.iter().zip(passed.iter_mut()) {
            if (*k + 1.0) * tau <= s {
                *k += 1.0;
            }
        }
    }
}

/// One pathway under a regime against a breakout time: the probability of detection before the
/// state has its first significant quantity, and the warning time (breakout − detection).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Warning {
    /// Mean days to detection (`None`: never).
    pub detection_mean_days: Option<f64>,
    /// 5th, 50th and 95th percentiles of days to detection (`None`: never).
    pub detection_percentiles_days: Option<[f64; 3]>,
    /// P(detected before the breakout completes).
    pub p_detect_before_breakout: f64,
    /// Breakout − mean detection, days (`None`: never detected).
    pub warning_mean_days: Option<f64>,
}

/// Percentiles reported by [`warning`].
pub const PERCENTILES: [f64; 3] = [0.05, 0.5, 0.95];

/// The detection of `pathway` under `regime` against a breakout of `breakout_days`.
///
/// # Errors
/// [`SafeguardsError::OutOfRange`] for a breakout time that is not positive and finite.
pub fn warning(
    regime: &Regime,
    pathway: Pathway,
    breakout_days: f64,
) -> Result<Warning, SafeguardsError> {
    positive("breakout time (days)", breakout_days)?;
    let d = regime.detection(pathway);
    let mean = d.mean_days();
    let percentiles = match d.never() {
        true => None,
        false => {
            let mut out = [0.0; 3];
            for (o, q) in out.iter_mut().zip(PERCENTILES) {
                *o = d.quantile_days(q)?.unwrap_or(f64::INFINITY);
            }
            Some(out)
        }
    };
    Ok(Warning {
        detection_mean_days: mean,
        detection_percentiles_days: percentiles,
        p_detect_before_breakout: d.probability_by(breakout_days),
        warning_mean_days: mean.map(|m| breakout_days - m),
    })
}

/// The warning time W = B − D when the breakout time B is uncertain: B is the empirical
/// distribution of `breakout_days` (Monte Carlo samples; samples that never reach the goal,
/// infinite, give an infinite warning) and D the detection time, independent of B.
///
/// P(W ≤ w) = (1/n) Σᵢ P(D ≥ bᵢ − w), exact for the sample; `P(D ≥ t)` is the survival, D being
/// continuous (uniform phase).
#[derive(Debug, Clone, Copy)]
pub struct WarningSample<'a> {
    detection: &'a DetectionTime,
    breakout_days: &'a [f64],
}

impl<'a> WarningSample<'a> {
    /// The warning of `detection` against the breakout samples.
    ///
    /// # Errors
    /// [`SafeguardsError::OutOfRange`] for no samples, or a sample that is not positive (an
    /// infinite sample is allowed: the goal never reached).
    pub fn new(
        detection: &'a DetectionTime,
        breakout_days: &'a [f64],
    ) -> Result<Self, SafeguardsError> {
        let out_of_range = |value: f64, expected: &str| SafeguardsError::OutOfRange {
            what: "breakout sample (days)".into(),
            value,
            expected: expected.into(),
        };
        if breakout_days.is_empty() {
            return Err(out_of_range(0.0, "at least one sample"));
        }
        if let Some(&b) = breakout_days.iter().find(|b| b.is_nan() || **b <= 0.0) {
            return Err(out_of_range(
                b,
                "> 0 days (infinite: the goal never reached)",
            ));
        }
        Ok(WarningSample {
            detection,
            breakout_days,
        })
    }

    /// P(W ≤ w).
    fn cdf(&self, w: f64) -> f64 {
        let n = self.breakout_days.len() as f64;
        self.breakout_days
            .iter()
            .filter(|b| b.is_finite())
            .map(|&b| self.detection.survival(b - w))
            .sum::<f64>()
            / n
    }

    /// P(detected before the first unit), averaged over the samples.
    pub fn p_detect_before_breakout(&self) -> f64 {
        let n = self.breakout_days.len() as f64;
        self.breakout_days
            .iter()
            .map(|&b| self.detection.probability_by(b))
            .sum::<f64>()
            / n
    }

    /// The `q`-quantile of W, days (`None`: detection never comes, or the quantile falls among
    /// the samples that never reach the goal, an infinite warning).
    ///
    /// # Errors
    /// [`SafeguardsError::OutOfRange`] for `q` outside (0, 1).
    pub fn quantile_days(&self, q: f64) -> Result<Option<f64>, SafeguardsError> {
        crate::error::open_interval("warning quantile", q, 0.0, 1.0)?;
        if self.detection.never() {
            return Ok(None);
        }
        let finite: Vec<f64> = self
            .breakout_days
            .iter()
            .copied()
            .filter(|b| b.is_finite())
            .collect();
        let reach = finite.len() as f64 / self.breakout_days.len() as f64;
        if finite.is_empty() || q >= reach {
            return Ok(None);
        }
        let (b_min, b_max) = finite
            .iter()
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &b| {
                (lo.min(b), hi.max(b))
            });
        // Below `lo` every sample's detection survival is under q/2, so P(W ≤ lo) < q; at `hi`
        // no detection has come yet (it needs the reporting delay), so P(W ≤ hi) = reach ≥ q.
        let tail = self
            .detection
            .quantile_days(1.0 - 0.5 * q)?
            .unwrap_or(f64::INFINITY);
        let (mut lo, mut hi) = (b_min - tail, b_max - self.detection.reporting_delay_days);
        for _ in 0..200 {
            let mid = 0.5 * (lo + hi);
            if self.cdf(mid) >= q {
                hi = mid;
            } else {
                lo = mid;
            }
            if hi - lo <= 1e-9 * (1.0 + hi.abs()) {
                break;
            }
        }
        Ok(Some(hi))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use approx::assert_relative_eq;
    use proptest::prelude::*;

    fn regime(measures: &[(f64, f64, f64, f64)], delay: f64) -> Regime {
        Regime::new(
            measures
                .iter()
                .map(|&(t, a, b, c)| Measure::new(t, a, b, c).unwrap())
                .collect(),
            delay,
        )
        .unwrap()
    }

    #[test]
    fn one_measure_against_hand_calculations() {
        // (τ, p, delay, t, P(D > t), mean)
        let cases = [
            // Daily, certain: uniform on (0, 1) day: P(> 0.25) = 0.75, mean 0.5.
            (1.0, 1.0, 0.0, 0.25, 0.75, 0.5),
            // Daily, p = 0.5, t = 2.5 days: (0.5)^2 · (1 − 0.5·0.5) = 0.1875; mean 1·(2 − 0.5).
            (1.0, 0.5, 0.0, 2.5, 0.1875, 1.5),
            // Monthly (30 d), p = 0.2, 7-day delay, t = 7 + 45: k = 1, u = 0.5:
            // 0.8 · (1 − 0.1) = 0.72; mean 7 + 30·(5 − 0.5) = 142.
            (30.0, 0.2, 7.0, 52.0, 0.72, 142.0),
            // Before the reporting delay nothing is known.
            (1.0, 1.0, 3.0, 2.9, 1.0, 3.5),
        ];
        for (tau, p, delay, t, surv, mean) in cases {
            let d = regime(&[(tau, p, p, 0.0)], delay).detection(Pathway::DeclaredMisuse);
            assert_relative_eq!(d.survival(t), surv, max_relative = 1e-12);
            assert_relative_eq!(d.mean_days().unwrap(), mean, max_relative = 1e-12);
        }
    }

    #[test]
    fn two_measures_against_hand_calculations() {
        // Two certain daily measures, independent phases: D = min(U1, U2), P(D > s) = (1 − s)²,
        // mean 1/3 day; the exact integration must give it, not the one-measure formula.
        let d = regime(&[(1.0, 1.0, 0.0, 0.0), (1.0, 1.0, 0.0, 0.0)], 0.0)
            .detection(Pathway::DeclaredMisuse);
        assert_relative_eq!(d.mean_days().unwrap(), 1.0 / 3.0, max_relative = 1e-9);
        assert_relative_eq!(d.survival(0.4), 0.36, max_relative = 1e-12);
        // Median: (1 − s)² = 0.5 → s = 1 − 1/√2.
        assert_relative_eq!(
            d.quantile_days(0.5).unwrap().unwrap(),
            1.0 - 0.5f64.sqrt(),
            max_relative = 1e-9
        );
        // Certain daily + certain every 2 days: ∫₀¹ (1 − s)(1 − s/2) ds = 1 − 1/4 − 1/2 + 1/6.
        let d = regime(&[(1.0, 1.0, 0.0, 0.0), (2.0, 1.0, 0.0, 0.0)], 0.0)
            .detection(Pathway::DeclaredMisuse);
        assert_relative_eq!(
            d.mean_days().unwrap(),
            1.0 - 0.25 - 0.5 + 1.0 / 6.0,
            max_relative = 1e-9
        );
        // p = 0.5 weekly twice: the integration agrees with the survival summed numerically.
        let d = regime(&[(7.0, 0.5, 0.0, 0.0), (3.0, 0.1, 0.0, 0.0)], 0.0)
            .detection(Pathway::DeclaredMisuse);
        let h = 1e-3;
        let riemann: f64 = (0..400_000)
            .map(|i| d.survival((i as f64 + 0.5) * h) * h)
            .sum();
        assert_relative_eq!(d.mean_days().unwrap(), riemann, max_relative = 1e-6);
    }

    #[test]
    fn warning_of_a_certain_breakout_is_breakout_minus_detection() {
        // All samples equal b: W = b − D, so its q-quantile is b − (the (1 − q)-quantile of D).
        let r = regime(&[(30.0, 0.5, 0.4, 0.1)], 7.0);
        let d = r.detection(Pathway::DeclaredMisuse);
        let samples = vec![200.0; 50];
        let w = WarningSample::new(&d, &samples).unwrap();
        for q in [0.05, 0.5, 0.95] {
            let expected = 200.0 - d.quantile_days(1.0 - q).unwrap().unwrap();
            assert_relative_eq!(
                w.quantile_days(q).unwrap().unwrap(),
                expected,
                max_relative = 1e-7
            );
        }
        assert_relative_eq!(
            w.p_detect_before_breakout(),
            d.probability_by(200.0),
            max_relative = 1e-12
        );
    }

    #[test]
    fn warning_of_two_breakout_values_by_hand() {
        // One measure: τ = 10 days, p = 1 (certain at the first look), no delay: D is uniform on
        // (0, 10]. Breakouts of 20 and 40 days, equally likely: W is uniform on [10, 20) ∪
        // [30, 40), so its median is 20 (anything in [20, 30] has P(W ≤ w) = ½: the smallest).
        let r = regime(&[(10.0, 1.0, 1.0, 1.0)], 0.0);
        let d = r.detection(Pathway::DeclaredMisuse);
        let samples = [20.0, 40.0];
        let w = WarningSample::new(&d, &samples).unwrap();
        assert_relative_eq!(w.quantile_days(0.5).unwrap().unwrap(), 20.0, epsilon = 1e-6);
        assert_relative_eq!(
            w.quantile_days(0.25).unwrap().unwrap(),
            15.0,
            epsilon = 1e-6
        );
        assert_relative_eq!(
            w.quantile_days(0.75).unwrap().unwrap(),
            35.0,
            epsilon = 1e-6
        );
        // Samples that never reach the goal: an infinite warning, beyond the finite quantiles.
        let never = [20.0, f64::INFINITY];
        let w = WarningSample::new(&d, &never).unwrap();
        assert_relative_eq!(
            w.quantile_days(0.25).unwrap().unwrap(),
            15.0,
            epsilon = 1e-6
        );
        assert_eq!(w.quantile_days(0.75).unwrap(), None);
        assert!(WarningSample::new(&d, &[]).is_err());
        assert!(WarningSample::new(&d, &[-1.0]).is_err());
    }

    #[test]
    fn no_access_never_detects() {
        let none = Regime::new(vec![], 0.0).unwrap();
        let w = warning(&none, Pathway::DeclaredMisuse, 10.0).unwrap();
        assert_eq!(w.detection_mean_days, None);
        assert!(
            w.p_detect_before_breakout <= 0.0,
            "a probability ≤ 0 is exactly 0"
        );
        assert_eq!(w.warning_mean_days, None);
        // A regime that only sees covert plants via complementary access still cannot see stock
        // diversion.
        let ca = regime(&[(60.0, 0.2, 0.0, 0.1)], 0.0);
        assert!(ca.detection(Pathway::StockDiversion).never());
    }

    #[test]
    fn bad_measures_are_rejected() {
        let cases = [
            (0.0, 0.5, 0.5, 0.0, "interval"),
            (1.0, 1.5, 0.5, 0.0, "declared-misuse"),
            (1.0, 0.5, 1e-6, 0.0, "stock-diversion"),
            (1.0, 0.5, 0.5, f64::NAN, "covert-plant"),
            (1.0, 0.1, 0.5, 0.2, "at most the declared-misuse"),
        ];
        for (t, a, b, c, what) in cases {
            let e = Measure::new(t, a, b, c).unwrap_err().to_string();
            assert!(e.contains(what), "{e}");
        }
        assert!(Regime::new(vec![], -1.0).is_err());
        assert!(
            warning(
                &Regime::new(vec![], 0.0).unwrap(),
                Pathway::CovertPlant,
                0.0
            )
            .is_err()
        );
    }

    fn measure() -> impl Strategy<Value = (f64, f64, f64, f64)> {
        // Probabilities from 0.01: the exact mean takes about 25/p intervals per measure, and
        // the ordering under test does not depend on how small they get.
        (0.05f64..400.0, 0.01f64..=1.0, 0.01f64..=1.0, 0.0f64..=1.0)
            .prop_map(|(t, a, b, c)| (t, a, b, if c * a < 0.01 { 0.0 } else { c * a }))
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        #[test]
        fn more_access_never_makes_detection_later(
            ms in prop::collection::vec(measure(), 1..5),
            shrink in 0.1f64..1.0,
            boost in 0.0f64..1.0,
            delay in 0.0f64..30.0,
            t in 0.0f64..500.0,
        ) {
            let base = regime(&ms, delay);
            // The first measure more often and more likely to see the misuse.
            let mut more = ms.clone();
            let (tau, p, b, c) = more[0];
            more[0] = ((tau * shrink).max(MIN_INTERVAL_DAYS), p + (1.0 - p) * boost, b, c);
            let more = regime(&more, delay);
            for pathway in Pathway::ALL {
                let (d0, d1) = (base.detection(pathway), more.detection(pathway));
                prop_assert!(d1.survival(t) <= d0.survival(t) + 1e-12);
                if let (Some(m0), Some(m1)) = (d0.mean_days(), d1.mean_days()) {
                    prop_assert!(m1 <= m0 * (1.0 + 1e-9) + 1e-8);
                }
            }
        }

        #[test]
        fn a_covert_plant_is_never_seen_before_declared_misuse(
            ms in prop::collection::vec(measure(), 0..5),
            delay in 0.0f64..30.0,
            t in 0.0f64..500.0,
        ) {
            let r = regime(&ms, delay);
            let (misuse, covert) = (r.detection(Pathway::DeclaredMisuse), r.detection(Pathway::CovertPlant));
            prop_assert!(covert.survival(t) >= misuse.survival(t) - 1e-12);
            match (misuse.mean_days(), covert.mean_days()) {
                (Some(m), Some(c)) => prop_assert!(c >= m * (1.0 - 1e-9) - 1e-8),
                (None, Some(_)) => prop_assert!(false, "covert seen, misuse never"),
                _ => {}
            }
        }

        #[test]
        fn quantiles_invert_the_survival(
            ms in prop::collection::vec(measure(), 1..4),
            delay in 0.0f64..10.0,
            q in 0.01f64..0.99,
        ) {
            let d = regime(&ms, delay).detection(Pathway::DeclaredMisuse);
            let x = d.quantile_days(q).unwrap().unwrap();
            prop_assert!((d.probability_by(x) - q).abs() < 1e-9);
        }
    }
}
