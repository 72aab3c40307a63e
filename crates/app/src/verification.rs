//! Would inspectors notice in time? The typed `verification` section that `breakout run`,
//! `deal compare`, `deal floor` and `breakout history` add to their results: for a regime
//! (`data/regimes/`) and the breakout time of the answer, each pathway's time to detection, the
//! probability of detection before the first significant quantity, and the warning time.
//!
//! The breakout time is the answer's time to the first unit at the declared plants. A covert
//! plant or diverted stock still has to be enriched, and a covert plant must first be built, so
//! for those pathways the same breakout time makes the warning time a lower bound.

use safeguards::timeliness::DIRECT_USE_UNIRRADIATED_DAYS;
use safeguards::verification::{self, Pathway};
use serde::Serialize;

use crate::error::AppError;
use crate::regimes::Regime;

/// Probability of detection within the timeliness goal that counts as meeting it: the IAEA's
/// "high" planning detection probability, 90 % (NSSPI glossary, as cited in the project's
/// `safeguards.md` §2.1).
pub const GOAL_DETECTION_PROBABILITY: f64 = 0.9;

/// One pathway under the regime.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PathwayResult {
    /// `declared-misuse`, `stock-diversion` or `covert-plant`.
    pub pathway: String,
    /// Mean days from the start of breakout to the Board's knowing (`None`: never).
    pub detection_days: Option<f64>,
    /// 5th percentile of the same, days.
    pub detection_p5_days: Option<f64>,
    /// Median, days.
    pub detection_p50_days: Option<f64>,
    /// 95th percentile, days.
    pub detection_p95_days: Option<f64>,
    /// P(detected before the first unit is made).
    pub p_detect_before_first_sq: f64,
    /// Breakout time − mean detection time, days (`None`: never detected, or no breakout).
    pub warning_days: Option<f64>,
    /// Breakout time − 95th-percentile detection time, days: the warning in 19 cases of 20.
    pub warning_p5_days: Option<f64>,
    /// P(detected within the IAEA's one-month timeliness goal).
    pub p_detect_within_timeliness_goal: f64,
    /// The warning time as a distribution over the Monte Carlo draws of the breakout time
    /// (`run --samples` with one goal unit).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub warning_monte_carlo: Option<WarningDistribution>,
}

/// The warning time W = B − D with B the Monte Carlo draws of the breakout time and D the
/// detection time, independent (`safeguards::verification::WarningSample`).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct WarningDistribution {
    /// Draws of the breakout time.
    pub samples: usize,
    /// 5th percentile of W, days: the warning in 19 cases of 20 (`None`: never detected, or
    /// among the draws that never reach the goal).
    pub warning_p5_days: Option<f64>,
    /// Median of W, days.
    pub warning_p50_days: Option<f64>,
    /// 95th percentile of W, days.
    pub warning_p95_days: Option<f64>,
    /// P(detected before the first unit), over the draws.
    pub p_detect_before_first_sq: f64,
}

/// The `verification` section of a result.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VerificationResult {
    /// The regime's id.
    pub regime: String,
    /// Its title.
    pub regime_title: String,
    /// Days from detection to the Board's knowing.
    pub reporting_delay_days: f64,
    /// The breakout time the warning is counted against: days to the first unit (`None`: never).
    pub breakout_days: Option<f64>,
    /// The IAEA timeliness goal for unirradiated direct-use material (HEU), days.
    pub timeliness_goal_days: f64,
    /// The pathways, declared misuse first.
    pub pathways: Vec<PathwayResult>,
}

impl VerificationResult {
    /// The pathway with this id.
    pub fn pathway(&self, id: &str) -> Option<&PathwayResult> {
        self.pathways.iter().find(|p| p.pathway == id)
    }

    /// Adds each pathway's warning time as a distribution over `breakout_days`, the Monte Carlo
    /// draws of the breakout time (infinite: never reached), under `regime`.
    ///
    /// # Errors
    /// [`AppError::Internal`] if the model refuses the draws (they are positive by
    /// construction, so this is a bug).
    pub fn add_monte_carlo(
        &mut self,
        regime: &Regime,
        breakout_days: &[f64],
    ) -> Result<(), AppError> {
        let internal = |e: safeguards::SafeguardsError| AppError::Internal(e.to_string());
        for result in &mut self.pathways {
            // By id, not by position: the section may be built or filtered elsewhere.
            let Some(&p) = Pathway::ALL.iter().find(|p| p.id() == result.pathway) else {
                return Err(AppError::Internal(format!(
                    "verification: unknown pathway `{}`",
                    result.pathway
                )));
            };
            let d = regime.model.detection(p);
            let w = verification::WarningSample::new(&d, breakout_days).map_err(internal)?;
            let [p5, p50, p95] = verification::PERCENTILES;
            let q = |x| w.quantile_days(x).map_err(internal);
            result.warning_monte_carlo = Some(WarningDistribution {
                samples: breakout_days.len(),
                warning_p5_days: q(p5)?,
                warning_p50_days: q(p50)?,
                warning_p95_days: q(p95)?,
                p_detect_before_first_sq: w.p_detect_before_breakout(),
            });
        }
        Ok(())
    }
}

/// The verification section for `regime` against a breakout of `breakout_days` (`None`: the
/// goal is never reached).
///
/// # Errors
/// [`AppError::Internal`] if the model refuses the regime's own numbers (they are validated on
/// reading, so this is a bug).
pub fn assess(regime: &Regime, breakout_days: Option<f64>) -> Result<VerificationResult, AppError> {
    let internal = |e: safeguards::SafeguardsError| AppError::Internal(e.to_string());
    let breakout = breakout_days.filter(|d| d.is_finite() && *d > 0.0);
    let pathways = Pathway::ALL
        .iter()
        .map(|&p| {
            let d = regime.model.detection(p);
            let q = |x| d.quantile_days(x).map_err(internal);
            let [p5, p50, p95] = verification::PERCENTILES;
            let (p5, p50, p95) = (q(p5)?, q(p50)?, q(p95)?);
            let mean = d.mean_days();
            let p_before = match breakout {
                Some(b) => {
                    verification::warning(&regime.model, p, b)
                        .map_err(internal)?
                        .p_detect_before_breakout
                }
                // No breakout: whatever can be detected eventually is detected first.
                None => f64::from(u8::from(!d.never())),
            };
            Ok(PathwayResult {
                pathway: p.id().to_string(),
                detection_days: mean,
                detection_p5_days: p5,
                detection_p50_days: p50,
                detection_p95_days: p95,
                p_detect_before_first_sq: p_before,
                warning_days: breakout.zip(mean).map(|(b, m)| b - m),
                warning_p5_days: breakout.zip(p95).map(|(b, m)| b - m),
                p_detect_within_timeliness_goal: d.probability_by(DIRECT_USE_UNIRRADIATED_DAYS),
                warning_monte_carlo: None,
            })
        })
        .collect::<Result<Vec<_>, AppError>>()?;
    Ok(VerificationResult {
        regime: regime.id.clone(),
        regime_title: regime.title.clone(),
        reporting_delay_days: regime.reporting_delay_days,
        breakout_days: breakout,
        timeliness_goal_days: DIRECT_USE_UNIRRADIATED_DAYS,
        pathways,
    })
}

/// A warning time as text for tables: "never seen" for `None`.
pub fn warning_text(d: Option<f64>) -> String {
    d.map_or_else(|| "never seen".into(), |d| enrich::units::significant(d, 3))
}

/// The verification section for the bundled regime `id` that a state or deal names (`None`:
/// none named) against `breakout_days`.
///
/// # Errors
/// As [`crate::regimes::load_bundled`] and [`assess`].
pub fn for_regime(
    id: Option<&str>,
    breakout_days: Option<f64>,
) -> Result<Option<VerificationResult>, AppError> {
    id.map(|id| assess(&crate::regimes::load_bundled(id)?, breakout_days))
        .transpose()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::regimes;

    #[test]
    fn monte_carlo_warning_brackets_the_central_one() {
        // Draws spread ±20 % around a one-year breakout: the warning's median sits near the
        // breakout's median minus the detection median, and its percentiles are ordered.
        let r = regimes::load("jcpoa").unwrap();
        let draws: Vec<f64> = (0..101).map(|i| 292.0 + 1.46 * f64::from(i)).collect();
        let mut v = assess(&r, Some(365.0)).unwrap();
        v.add_monte_carlo(&r, &draws).unwrap();
        for p in &v.pathways {
            let w = p.warning_monte_carlo.unwrap();
            assert_eq!(w.samples, 101);
            let (a, b, c) = (w.warning_p5_days, w.warning_p50_days, w.warning_p95_days);
            if let (Some(a), Some(b), Some(c)) = (a, b, c) {
                assert!(a <= b && b <= c, "{} {a} {b} {c}", p.pathway);
            }
        }
        let m = v.pathway("declared-misuse").unwrap();
        let w = m.warning_monte_carlo.unwrap();
        let expected = 365.0 - m.detection_p50_days.unwrap();
        assert!(
            (w.warning_p50_days.unwrap() - expected).abs() < 2.0,
            "{w:?}"
        );
        assert!(w.p_detect_before_first_sq > 0.999);
    }

    #[test]
    fn jcpoa_meets_the_timeliness_goal_for_declared_misuse() {
        let r = regimes::load("jcpoa").unwrap();
        // A one-year breakout (the JCPOA's design point).
        let v = assess(&r, Some(365.0)).unwrap();
        let m = v.pathway("declared-misuse").unwrap();
        assert!(
            m.p_detect_within_timeliness_goal >= GOAL_DETECTION_PROBABILITY,
            "{m:?}"
        );
        assert!(m.warning_days.unwrap() > 0.0 && m.warning_p5_days.unwrap() > 0.0);
        // Hand check of the leading terms: the daily monitor alone (p = 0.9) gives a mean of
        // 1·(1/0.9 − 0.5) = 0.61 day; with the other measures it is shorter; plus 7 days.
        let d = m.detection_days.unwrap();
        assert!(d > 7.0 && d < 7.0 + 0.62, "{d}");
        // A covert plant comes no earlier.
        let c = v.pathway("covert-plant").unwrap();
        assert!(c.detection_days.unwrap() >= d);
    }

    #[test]
    fn no_access_gives_no_chance_before_the_first_sq() {
        for id in ["no-access-2025", "none"] {
            let v = assess(&regimes::load(id).unwrap(), Some(3.0)).unwrap();
            for p in &v.pathways {
                assert!(p.p_detect_before_first_sq <= 0.0, "{id} {}", p.pathway);
                assert_eq!((p.detection_days, p.warning_days), (None, None));
            }
        }
    }

    #[test]
    fn without_a_breakout_there_is_no_warning_time() {
        let v = assess(&regimes::load("jcpoa").unwrap(), None).unwrap();
        let m = v.pathway("declared-misuse").unwrap();
        assert_eq!((m.warning_days, m.p_detect_before_first_sq), (None, 1.0));
    }
}
