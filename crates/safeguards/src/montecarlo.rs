//! Monte Carlo detection probabilities of the sequential tests for a loss pattern.
//!
//! Under a loss pattern μ the MUF vector is N(μ, Σ); with Σ = L Lᵀ and z ~ N(0, I),
//! SITMUF = z + L⁻¹μ and the total MUF is 1ᵀμ + (Lᵀ1)·z. So one simulated sequence costs n
//! normal draws and a few dot products, whatever the number of items behind Σ.
//!
//! Tests compared, each with overall false-alarm probability α over the n periods:
//! Page's test on SITMUF (k, h from [`crate::page::threshold`]), a Shewhart test on each
//! SITMUF_i (per-period level 1 − (1 − α)^{1/n}, exact since SITMUF is iid), the total MUF at
//! the end (one-sided z_{1−α}), and GEMUF at the end (χ²_n upper α point).
//!
//! Reproducibility: sequences are simulated in fixed chunks of [`CHUNK`]; chunk c draws from
//! `Pcg64Mcg::seed_from_u64(seed ⊕ (c+1)·φ)`, and only integer counts are added up, so results are
//! identical for any number of threads.

use rand::SeedableRng;
use rand_distr::{Distribution, StandardNormal};
use rand_pcg::Pcg64Mcg;
use rayon::prelude::*;

use crate::error::{SafeguardsError, finite, non_negative, open_interval};
use crate::normal;
use crate::page;
use crate::sequence::{MufSequence, chi_squared_threshold};

/// Sequences per chunk (the unit of work and of seeding).
pub const CHUNK: usize = 4096;

/// How the diverted material is spread over the periods.
#[derive(Debug, Clone, PartialEq)]
pub enum LossPattern {
    /// Everything taken in one (1-based) period.
    Abrupt {
        /// 1-based period of the diversion.
        period: usize,
        /// Amount diverted, kg.
        total_kg: f64,
    },
    /// The same amount taken in every period.
    Protracted {
        /// Total amount diverted over the sequence, kg.
        total_kg: f64,
    },
    /// An explicit amount per period, kg.
    Custom(Vec<f64>),
}

impl LossPattern {
    /// The loss per period, kg, for a sequence of `periods`.
    ///
    /// # Errors
    /// [`SafeguardsError::OutOfRange`] for a negative or non-finite amount or an abrupt period
    /// outside 1..=periods; [`SafeguardsError::Inconsistent`] for a custom pattern of another length.
    pub fn per_period(&self, periods: usize) -> Result<Vec<f64>, SafeguardsError> {
        match self {
            LossPattern::Abrupt { period, total_kg } => {
                non_negative("loss (kg)", *total_kg)?;
                if *period < 1 || *period > periods {
                    return Err(SafeguardsError::OutOfRange {
                        what: "period of the abrupt loss".into(),
                        value: *period as f64,
                        expected: format!("1 to {periods}"),
                    });
                }
                let mut v = vec![0.0; periods];
                v[period - 1] = *total_kg;
                Ok(v)
            }
            LossPattern::Protracted { total_kg } => {
                non_negative("loss (kg)", *total_kg)?;
                Ok(vec![total_kg / periods as f64; periods])
            }
            LossPattern::Custom(v) => {
                if v.len() != periods {
                    return Err(SafeguardsError::Inconsistent(format!(
                        "the loss pattern has {} values but the sequence has {periods} periods",
                        v.len()
                    )));
                }
                for (i, &x) in v.iter().enumerate() {
                    finite(&format!("loss of period {} (kg)", i + 1), x)?;
                }
                Ok(v.clone())
            }
        }
    }
}

/// Test settings for a simulation.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TestSettings {
    /// Overall false-alarm probability of each test over the sequence.
    pub alpha: f64,
    /// Page's reference value k (in SITMUF standard deviations).
    pub page_k: f64,
}

/// Detection statistics of one sequential test.
#[derive(Debug, Clone, PartialEq)]
pub struct TestOutcome {
    /// Alarm threshold used (h for Page, z for Shewhart).
    pub threshold: f64,
    /// Fraction of sequences with an alarm in some period.
    pub detection_probability: f64,
    /// Cumulative fraction alarmed by the end of each period.
    pub alarmed_by_period: Vec<f64>,
    /// Mean 1-based period of the first alarm among the sequences that alarmed.
    pub mean_alarm_period: Option<f64>,
}

/// The result of a Monte Carlo run.
#[derive(Debug, Clone, PartialEq)]
pub struct Simulation {
    /// Sequences simulated.
    pub sequences: usize,
    /// Seed used.
    pub seed: u64,
    /// The loss per period, kg.
    pub loss_kg: Vec<f64>,
    /// Page's test on SITMUF.
    pub page: TestOutcome,
    /// Shewhart test on each SITMUF.
    pub shewhart: TestOutcome,
    /// Detection probability of the total MUF tested once at the end.
    pub total_muf: f64,
    /// Detection probability of GEMUF (χ²) tested once at the end.
    pub gemuf: f64,
}

#[derive(Clone)]
struct Tally {
    page_first: Vec<u64>,
    shewhart_first: Vec<u64>,
    total: u64,
    gemuf: u64,
}

impl Tally {
    fn new(n: usize) -> Self {
        Tally {
            page_first: vec![0; n],
            shewhart_first: vec![0; n],
            total: 0,
            gemuf: 0,
        }
    }
    fn add(mut self, o: &Tally) -> Self {
        for (a, b) in self.page_first.iter_mut().zip(&o.page_first) {
            *a += b;
        }
        for (a, b) in self.shewhart_first.iter_mut().zip(&o.shewhart_first) {
            *a += b;
        }
        self.total += o.total;
        self.gemuf += o.gemuf;
        self
    }
}

/// Everything one simulated sequence needs, precomputed from Σ and μ.
struct Plan {
    /// L⁻¹ μ: the SITMUF means.
    shift: Vec<f64>,
    /// Lᵀ 1 / σ_total: weights of z in the standardised total.
    total_w: Vec<f64>,
    /// 1ᵀμ / σ_total.
    total_mean: f64,
    k: f64,
    h: f64,
    z_shewhart: f64,
    z_total: f64,
    chi2: f64,
}

fn chunk_seed(seed: u64, chunk: usize) -> u64 {
    seed ^ (chunk as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15)
}

fn run_chunk(plan: &Plan, seed: u64, chunk: usize, count: usize) -> Tally {
    let n = plan.shift.len();
    let mut rng = Pcg64Mcg::seed_from_u64(chunk_seed(seed, chunk));
    let mut t = Tally::new(n);
    let mut z = vec![0.0f64; n];
    for _ in 0..count {
        for zi in z.iter_mut() {
            *zi = StandardNormal.sample(&mut rng);
        }
        let mut s = 0.0f64;
        let mut page_hit = false;
        let mut shewhart_hit = false;
        let mut q = 0.0;
        let mut total = plan.total_mean;
        for (i, (&zi, (&shift, &w))) in z
            .iter()
            .zip(plan.shift.iter().zip(&plan.total_w))
            .enumerate()
        {
            let y = zi + shift;
            q += y * y;
            total += w * zi;
            s = (s + y - plan.k).max(0.0);
            if !page_hit && s > plan.h {
                page_hit = true;
                t.page_first[i] += 1;
            }
            if !shewhart_hit && y > plan.z_shewhart {
                shewhart_hit = true;
                t.shewhart_first[i] += 1;
            }
        }
        t.total += u64::from(total > plan.z_total);
        t.gemuf += u64::from(q > plan.chi2);
    }
    t
}

fn outcome(first: &[u64], sequences: usize, threshold: f64) -> TestOutcome {
    let hits: u64 = first.iter().sum();
    let weighted: u64 = first
        .iter()
        .enumerate()
        .map(|(i, c)| (i as u64 + 1) * c)
        .sum();
    let mut cum = 0u64;
    TestOutcome {
        threshold,
        detection_probability: hits as f64 / sequences as f64,
        alarmed_by_period: first
            .iter()
            .map(|c| {
                cum += c;
                cum as f64 / sequences as f64
            })
            .collect(),
        mean_alarm_period: (hits > 0).then(|| weighted as f64 / hits as f64),
    }
}

/// Simulates `sequences` balance sequences with the loss `pattern` and tallies the tests.
///
/// # Errors
/// As [`LossPattern::per_period`]; [`SafeguardsError::OutOfRange`] for zero sequences, α
/// outside (0, 1) or a bad k; errors of [`page::threshold`].
pub fn simulate(
    seq: &MufSequence,
    pattern: &LossPattern,
    tests: TestSettings,
    sequences: usize,
    seed: u64,
) -> Result<Simulation, SafeguardsError> {
    simulate_cancellable(seq, pattern, tests, sequences, seed, &|| false)
}

/// As [`simulate`], ending with [`SafeguardsError::Cancelled`] once `cancelled()` is true
/// (checked before each chunk of [`CHUNK`] sequences and during the threshold search).
///
/// # Errors
/// As [`simulate`]; [`SafeguardsError::Cancelled`].
pub fn simulate_cancellable(
    seq: &MufSequence,
    pattern: &LossPattern,
    tests: TestSettings,
    sequences: usize,
    seed: u64,
    cancelled: &(dyn Fn() -> bool + Sync),
) -> Result<Simulation, SafeguardsError> {
    let n = seq.periods();
    if sequences == 0 {
        return Err(SafeguardsError::OutOfRange {
            what: "number of simulated sequences".into(),
            value: 0.0,
            expected: "at least 1".into(),
        });
    }
    let alpha = open_interval("false-alarm probability alpha", tests.alpha, 0.0, 1.0)?;
    let loss = pattern.per_period(n)?;
    let chol = seq.cholesky();
    let ones = vec![1.0; n];
    // Lᵀ1: column sums of L.
    let lt1: Vec<f64> = (0..n).map(|j| (j..n).map(|i| chol.l(i, j)).sum()).collect();
    let sigma_total = lt1.iter().map(|x| x * x).sum::<f64>().sqrt();
    let plan = Plan {
        shift: chol.forward(&loss),
        total_w: lt1.iter().map(|x| x / sigma_total).collect(),
        total_mean: loss.iter().zip(&ones).map(|(a, b)| a * b).sum::<f64>() / sigma_total,
        k: tests.page_k,
        h: page::threshold_cancellable(tests.page_k, n, alpha, cancelled)?,
        z_shewhart: normal::quantile("alpha", (1.0 - alpha).powf(1.0 / n as f64))?,
        z_total: normal::quantile("alpha", 1.0 - alpha)?,
        chi2: chi_squared_threshold(n, alpha)?,
    };
    let chunks = sequences.div_ceil(CHUNK);
    let tally = (0..chunks)
        .into_par_iter()
        .map(|c| {
            if cancelled() {
                return Err(SafeguardsError::Cancelled);
            }
            Ok(run_chunk(&plan, seed, c, CHUNK.min(sequences - c * CHUNK)))
        })
        .collect::<Result<Vec<_>, _>>()?
        .iter()
        .fold(Tally::new(n), |acc, t| acc.add(t));
    Ok(Simulation {
        sequences,
        seed,
        loss_kg: loss,
        page: outcome(&tally.page_first, sequences, plan.h),
        shewhart: outcome(&tally.shewhart_first, sequences, plan.z_shewhart),
        total_muf: tally.total as f64 / sequences as f64,
        gemuf: tally.gemuf as f64 / sequences as f64,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn monthly() -> MufSequence {
        // 12 periods, inventories 5 kg, transfers 6 kg (independent errors).
        MufSequence::from_independent(vec![0.0; 12], &[5.0; 13], &[6.0]).unwrap()
    }

    const TESTS: TestSettings = TestSettings {
        alpha: 0.05,
        page_k: 0.5,
    };

    fn se(p: f64, n: usize) -> f64 {
        (p * (1.0 - p) / n as f64).sqrt()
    }

    /// The simulated rates agree with closed forms (total MUF: Φ(M/σ_T − z); no loss: α for
    /// every test) and with the non-stationary Brook–Evans chain for Page, within 4 s.e.
    #[test]
    fn simulation_agrees_with_closed_forms_and_the_chain() {
        let s = monthly();
        let n = 20_000;
        for pattern in [
            LossPattern::Protracted { total_kg: 0.0 },
            LossPattern::Protracted { total_kg: 75.0 },
            LossPattern::Abrupt {
                period: 6,
                total_kg: 37.5,
            },
        ] {
            let sim = simulate(&s, &pattern, TESTS, n, 7).unwrap();
            let loss = pattern.per_period(12).unwrap();
            let (_, sigma_t) = s.total();
            let total: f64 = loss.iter().sum();
            let p_total = normal::cdf(total / sigma_t - 1.644_853_626_951_472_2);
            assert!(
                (sim.total_muf - p_total).abs() < 4.0 * se(p_total, n),
                "{pattern:?}: {} vs {p_total}",
                sim.total_muf
            );
            let shifts = s.cholesky().forward(&loss);
            let p_page = page::alarm_probability(0.5, sim.page.threshold, &shifts).unwrap();
            assert!(
                (sim.page.detection_probability - p_page).abs() < 4.0 * se(p_page, n),
                "{pattern:?}: {} vs {p_page}",
                sim.page.detection_probability
            );
            if total == 0.0 {
                for p in [sim.shewhart.detection_probability, sim.gemuf] {
                    assert!((p - 0.05).abs() < 4.0 * se(0.05, n), "{p}");
                }
            }
        }
    }

    #[test]
    fn results_do_not_depend_on_the_thread_count_and_repeat_with_the_seed() {
        let s = monthly();
        let pattern = LossPattern::Protracted { total_kg: 50.0 };
        let one = rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .build()
            .unwrap();
        let a = one.install(|| simulate(&s, &pattern, TESTS, 3 * CHUNK + 17, 42).unwrap());
        let b = simulate(&s, &pattern, TESTS, 3 * CHUNK + 17, 42).unwrap();
        assert_eq!(a, b);
        let c = simulate(&s, &pattern, TESTS, 3 * CHUNK + 17, 43).unwrap();
        assert_ne!(a, c);
    }

    /// Abrupt losses are caught early by per-period tests; the protracted total by the
    /// accumulating ones (safeguards.md §5, the Avenhaus–Jaech trade-off).
    #[test]
    fn protracted_losses_favour_accumulating_tests() {
        let s = monthly();
        let prot = simulate(
            &s,
            &LossPattern::Protracted { total_kg: 75.0 },
            TESTS,
            20_000,
            1,
        )
        .unwrap();
        assert!(prot.total_muf > prot.shewhart.detection_probability + 0.2);
        assert!(prot.page.detection_probability > prot.shewhart.detection_probability);
        let abrupt = simulate(
            &s,
            &LossPattern::Abrupt {
                period: 3,
                total_kg: 75.0,
            },
            TESTS,
            20_000,
            1,
        )
        .unwrap();
        assert!(abrupt.shewhart.mean_alarm_period.unwrap() < 3.5);
    }

    #[test]
    fn bad_patterns_are_rejected() {
        let s = monthly();
        assert!(
            simulate(
                &s,
                &LossPattern::Abrupt {
                    period: 13,
                    total_kg: 1.0
                },
                TESTS,
                10,
                1
            )
            .is_err()
        );
        assert!(simulate(&s, &LossPattern::Custom(vec![1.0; 3]), TESTS, 10, 1).is_err());
        let e = simulate(
            &s,
            &LossPattern::Protracted { total_kg: -5.0 },
            TESTS,
            10,
            1,
        )
        .unwrap_err();
        assert!(e.to_string().contains("-5"));
        assert!(simulate(&s, &LossPattern::Protracted { total_kg: 5.0 }, TESTS, 0, 1).is_err());
    }
}
