//! The floor at a percentile of the Monte Carlo distribution (`--percentile P`), shared by
//! `deal floor` and `deal design`.
//!
//! **Reading.** "At least N months at percentile P" means that the P-th percentile of the
//! draws' days to the first goal unit is at least N months: P10 ≥ 12 months says that at
//! least 90 % of the draws take 12 months or longer — the cautious reading. The percentile is
//! the nearest rank ([`breakout::montecarlo::nearest_rank`]); a draw that never reaches the goal
//! (no capacity) counts as longer than any target, and a percentile that falls among such
//! draws is "never". The draws are those of `breakout run --samples` on the deal's permitted
//! state: every uncertain input of that state (machine ratings, stocks not set by the deal) is
//! drawn, with the prepared estimator of the central value, so the Monte Carlo adds no
//! preparation.
//!
//! **Determinism.** Without `--seed` the seed is [`DEFAULT_SEED`], not drawn from the system,
//! so a design and the `deal floor` of each of its points give the same numbers; the seed and
//! the sample count are printed with the result.

use clap::Args;

use super::super::check_pair;
use crate::error::AppError;

/// Draws when `--percentile` is given without `--samples`: 1,000 puts the P10 at the 100th draw.
pub const DEFAULT_SAMPLES: usize = 1_000;
/// Seed when `--percentile` is given without `--seed`: fixed, so the output is deterministic.
pub const DEFAULT_SEED: u64 = 1;

/// `--percentile`, `--samples`, `--seed` of `deal floor` and `deal design`.
#[derive(Debug, Clone, Default, Args, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct PercentileOptions {
    /// The floor at the P-th percentile of the Monte Carlo over the permitted state's uncertain
    /// inputs (0 < P < 100), besides the central value: P10 = 90 % of draws take at least that
    /// long; draws that never reach the goal count as longer than any time.
    #[arg(long, value_name = "P")]
    pub percentile: Option<f64>,
    /// Monte Carlo draws for --percentile [default: 1000].
    #[arg(long, value_name = "N", requires = "percentile")]
    pub samples: Option<usize>,
    /// Monte Carlo seed for --percentile [default: 1, fixed; printed with the result].
    #[arg(long, value_name = "S", requires = "percentile")]
    pub seed: Option<u64>,
}

/// A checked `--percentile` request: which percentile, how many draws, which seed.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct MonteCarloFloor {
    /// The percentile, 0 < P < 100.
    pub percentile: f64,
    /// Draws.
    pub samples: usize,
    /// Seed.
    pub seed: u64,
    /// The generator, for provenance.
    pub rng: &'static str,
}

impl PercentileOptions {
    /// The checked request, `None` without `--percentile`.
    ///
    /// # Errors
    /// [`AppError::Usage`] for a percentile outside (0, 100), 0 samples, or `samples`/`seed`
    /// without `percentile` (clap enforces that on the command line; a JSON request is checked
    /// here).
    pub fn resolve(&self) -> Result<Option<MonteCarloFloor>, AppError> {
        check_pair(
            "samples",
            self.samples.is_some(),
            "percentile",
            self.percentile.is_some(),
            false,
        )?;
        check_pair(
            "seed",
            self.seed.is_some(),
            "percentile",
            self.percentile.is_some(),
            false,
        )?;
        let Some(p) = self.percentile else {
            return Ok(None);
        };
        if !(p.is_finite() && p > 0.0 && p < 100.0) {
            return Err(AppError::Usage(format!(
                "--percentile {p}: expected a percentile between 0 and 100, exclusive (10: 90 % of draws at least that long)"
            )));
        }
        let samples = self.samples.unwrap_or(DEFAULT_SAMPLES);
        if samples == 0 {
            return Err(AppError::Usage(
                "--samples 0: expected at least 1 sample".into(),
            ));
        }
        Ok(Some(MonteCarloFloor {
            percentile: p,
            samples,
            seed: self.seed.unwrap_or(DEFAULT_SEED),
            rng: breakout::montecarlo::RNG_NAME,
        }))
    }
}

/// The floor at a percentile: days to the first goal unit while the deal holds and if broken.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct PercentileDays {
    /// P-th percentile of the days while the deal holds (`None`: never).
    pub permitted_first_sq_days: Option<f64>,
    /// P-th percentile of the days if broken that day, reinstalling (`None`: never).
    pub first_sq_days: Option<f64>,
    /// Draws that never reach the goal while the deal holds.
    pub permitted_never_draws: usize,
    /// Draws that never reach the goal if broken.
    pub never_draws: usize,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolve_checks_each_field() {
        let o = |percentile, samples, seed| PercentileOptions {
            percentile,
            samples,
            seed,
        };
        assert_eq!(o(None, None, None).resolve().unwrap(), None);
        let d = o(Some(10.0), None, None).resolve().unwrap().unwrap();
        assert_eq!(
            (d.percentile, d.samples, d.seed),
            (10.0, DEFAULT_SAMPLES, DEFAULT_SEED)
        );
        for (bad, needle) in [
            (o(Some(0.0), None, None), "--percentile 0"),
            (o(Some(100.0), None, None), "--percentile 100"),
            (o(Some(f64::NAN), None, None), "--percentile NaN"),
            (o(Some(10.0), Some(0), None), "--samples 0"),
            (o(None, Some(10), None), "samples"),
            (o(None, None, Some(3)), "seed"),
        ] {
            let e = bad.resolve().unwrap_err();
            assert!(
                matches!(&e, AppError::Usage(m) if m.contains(needle)),
                "{needle}: {e}"
            );
        }
    }
}
