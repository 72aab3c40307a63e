//! Page's test (one-sided CUSUM) on standardised balances, and its operating characteristics by
//! the Brook–Evans Markov chain: average run length, probability of an alarm within n periods,
//! and the decision interval h for a false-alarm probability over n periods.
//!
//! Statistic (safeguards.md §1.9): S_0 = 0, S_i = max(0, S_{i−1} + y_i − k), alarm at the first i
//! with S_i > h. k is subtracted from the first period on (MAPIT's first period omits it, §4.1).
//!
//! Chain (Brook & Evans, Biometrika 1972): [0, h] is cut into m states of width w = h/(m − ½);
//! state 0 is [0, w/2] (the atom at zero), state j the interval around j·w. From state i the
//! next value is i·w + y − k with y ~ N(δ, 1); mass above h is absorbed (alarm). The
//! transition matrix is Toeplitz apart from column 0, so one row of 2m normal probabilities
//! builds it. The discretisation error falls as 1/m²; two chains (m and 2m) are combined by
//! Richardson extrapolation.

use crate::error::{SafeguardsError, finite, non_negative, open_interval, positive};
use crate::normal;

/// Number of states of the coarser chain (the finer one has twice as many).
pub const DEFAULT_STATES: usize = 200;

/// The Page statistic path S_1..S_n for standardised observations `y` and reference value `k`.
pub fn page_path(y: &[f64], k: f64) -> Vec<f64> {
    y.iter()
        .scan(0.0f64, |s, &yi| {
            *s = (*s + yi - k).max(0.0);
            Some(*s)
        })
        .collect()
}

/// The first 1-based period whose Page statistic exceeds h.
pub fn first_alarm(path: &[f64], h: f64) -> Option<usize> {
    path.iter().position(|&s| s > h).map(|i| i + 1)
}

/// Transition probabilities of one step with mean shift δ: `g[d + m]` = Φ((d + ½)w + k − δ) for
/// d = −m..m−1, so P(i→j) = g[j−i+m] − g[j−i−1+m] for j ≥ 1 and P(i→0) = g[−i+m].
fn step_table(k: f64, w: f64, m: usize, shift: f64) -> Vec<f64> {
    (0..2 * m)
        .map(|idx| {
            let d = idx as f64 - m as f64;
            normal::cdf((d + 0.5) * w + k - shift)
        })
        .collect()
}

/// One backward step: v'(i) = Σ_j P(i→j) v(j).
fn apply(g: &[f64], m: usize, v: &[f64], out: &mut [f64]) {
    for (i, o) in out.iter_mut().enumerate() {
        let base = m - i; // index of d = −i
        let mut acc = g[base] * v[0];
        for j in 1..m {
            acc += (g[base + j] - g[base + j - 1]) * v[j];
        }
        *o = acc;
    }
}

fn check_kh(k: f64, h: f64) -> Result<(), SafeguardsError> {
    finite("reference value k", k)?;
    positive("decision interval h", h)?;
    Ok(())
}

/// Periods between two checks of the cancellation flag in the Markov chain.
const CANCEL_EVERY: usize = 32;

/// Never cancelled.
fn never() -> bool {
    false
}

/// P(no alarm in n periods) from S_0 = 0 on one chain of m states with per-period shifts.
fn survival_chain(
    k: f64,
    h: f64,
    shifts: &[f64],
    m: usize,
    cancelled: &dyn Fn() -> bool,
) -> Result<f64, SafeguardsError> {
    let w = h / (m as f64 - 0.5);
    let mut v = vec![1.0; m];
    let mut next = vec![0.0; m];
    // Backward in time: v after the last period is 1, each earlier period applies its step.
    for (i, &d) in shifts.iter().rev().enumerate() {
        if i % CANCEL_EVERY == 0 && cancelled() {
            return Err(SafeguardsError::Cancelled);
        }
        let g = step_table(k, w, m, d);
        apply(&g, m, &v, &mut next);
        std::mem::swap(&mut v, &mut next);
    }
    Ok(v[0])
}

fn richardson(coarse: f64, fine: f64) -> f64 {
    (4.0 * fine - coarse) / 3.0
}

/// Probability that Page's test (k, h) alarms within the periods of `shifts`, where period i's
/// standardised observation is N(`shifts[i]`, 1) (all zero: the false-alarm probability).
///
/// # Errors
/// [`SafeguardsError::OutOfRange`] for a non-finite k or shift, or h ≤ 0.
pub fn alarm_probability(k: f64, h: f64, shifts: &[f64]) -> Result<f64, SafeguardsError> {
    alarm_probability_cancellable(k, h, shifts, &never)
}

/// As [`alarm_probability`], ending with [`SafeguardsError::Cancelled`] once `cancelled()` is
/// true (checked every few periods of the chain).
///
/// # Errors
/// As [`alarm_probability`]; [`SafeguardsError::Cancelled`].
pub fn alarm_probability_cancellable(
    k: f64,
    h: f64,
    shifts: &[f64],
    cancelled: &dyn Fn() -> bool,
) -> Result<f64, SafeguardsError> {
    check_kh(k, h)?;
    for (i, &d) in shifts.iter().enumerate() {
        finite(&format!("standardised loss of period {}", i + 1), d)?;
    }
    let m = DEFAULT_STATES;
    let p = 1.0
        - richardson(
            survival_chain(k, h, shifts, m, cancelled)?,
            survival_chain(k, h, shifts, 2 * m, cancelled)?,
        );
    Ok(p.clamp(0.0, 1.0))
}

/// Average run length of Page's test (k, h) for observations N(δ, 1): the mean number of
/// periods to the first alarm (δ = 0: in control).
///
/// # Errors
/// [`SafeguardsError::OutOfRange`] for a non-finite k or δ, or h ≤ 0.
pub fn average_run_length(k: f64, h: f64, shift: f64) -> Result<f64, SafeguardsError> {
    check_kh(k, h)?;
    finite("shift", shift)?;
    let arl = |m: usize| {
        // Solve (I − R) x = 1 by Gaussian elimination (R is substochastic, I − R an M-matrix,
        // so no pivoting is needed).
        let w = h / (m as f64 - 0.5);
        let g = step_table(k, w, m, shift);
        let mut a = vec![0.0; m * m];
        for i in 0..m {
            let base = m - i;
            a[i * m] = -g[base];
            for j in 1..m {
                a[i * m + j] = -(g[base + j] - g[base + j - 1]);
            }
            a[i * m + i] += 1.0;
        }
        let mut b = vec![1.0; m];
        for c in 0..m {
            let p = a[c * m + c];
            for r in c + 1..m {
                let f = a[r * m + c] / p;
                if f != 0.0 {
                    for j in c..m {
                        a[r * m + j] -= f * a[c * m + j];
                    }
                    b[r] -= f * b[c];
                }
            }
        }
        for r in (0..m).rev() {
            let s: f64 = (r + 1..m).map(|j| a[r * m + j] * b[j]).sum();
            b[r] = (b[r] - s) / a[r * m + r];
        }
        b[0]
    };
    let m = DEFAULT_STATES;
    Ok(richardson(arl(m), arl(2 * m)))
}

/// The decision interval h for which Page's test with reference value k has false-alarm
/// probability α over n periods of iid N(0,1) observations (SITMUF under no loss).
///
/// # Errors
/// [`SafeguardsError::OutOfRange`] for a non-finite k, n = 0, or α outside
/// (0, P(alarm | h → 0)) (at h = 0 every positive S alarms); [`SafeguardsError::NoConvergence`]
/// if bisection fails to bracket (not expected for valid inputs).
pub fn threshold(k: f64, periods: usize, alpha: f64) -> Result<f64, SafeguardsError> {
    threshold_cancellable(k, periods, alpha, &never)
}

/// As [`threshold`], ending with [`SafeguardsError::Cancelled`] once `cancelled()` is true
/// (checked at every step of the search and every few periods of the chain).
///
/// # Errors
/// As [`threshold`]; [`SafeguardsError::Cancelled`].
pub fn threshold_cancellable(
    k: f64,
    periods: usize,
    alpha: f64,
    cancelled: &dyn Fn() -> bool,
) -> Result<f64, SafeguardsError> {
    finite("reference value k", k)?;
    open_interval("false-alarm probability alpha", alpha, 0.0, 1.0)?;
    if periods == 0 {
        return Err(SafeguardsError::OutOfRange {
            what: "periods".into(),
            value: 0.0,
            expected: "at least 1".into(),
        });
    }
    non_negative("periods", periods as f64)?;
    let zeros = vec![0.0; periods];
    // At h = 0 the test alarms as soon as one y_i > k: P = 1 − Φ(k)^n.
    let p0 = 1.0 - normal::cdf(k).powi(periods as i32);
    if alpha >= p0 {
        return Err(SafeguardsError::OutOfRange {
            what: "false-alarm probability alpha".into(),
            value: alpha,
            expected: format!(
                "below {p0:.6}, the false-alarm probability of h = 0 for k = {k} over {periods} periods"
            ),
        });
    }
    let fa = |h: f64| alarm_probability_cancellable(k, h, &zeros, cancelled);
    let (mut lo, mut hi) = (1e-6, 1.0);
    let mut it = 0;
    while fa(hi)? > alpha {
        hi *= 2.0;
        it += 1;
        if it > 60 {
            return Err(SafeguardsError::NoConvergence {
                solver: "Page threshold bracketing",
                iterations: it,
                residual: hi,
            });
        }
    }
    for _ in 0..60 {
        let mid = 0.5 * (lo + hi);
        if fa(mid)? > alpha {
            lo = mid;
        } else {
            hi = mid;
        }
        if hi - lo < 1e-7 * hi.max(1.0) {
            return Ok(0.5 * (lo + hi));
        }
    }
    Err(SafeguardsError::NoConvergence {
        solver: "Page threshold bisection",
        iterations: 60,
        residual: hi - lo,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use approx::assert_abs_diff_eq;
    use rand::SeedableRng;
    use rand_distr::{Distribution, StandardNormal};
    use rand_pcg::Pcg64Mcg;

    #[test]
    fn page_path_starts_at_zero_and_subtracts_k_from_the_first_period() {
        let p = page_path(&[1.0, 2.0, -5.0, 0.7], 0.5);
        for (a, b) in p.iter().zip([0.5, 2.0, 0.0, 0.2]) {
            assert_abs_diff_eq!(*a, b, epsilon = 1e-12);
        }
        assert_eq!(first_alarm(&p, 1.9), Some(2));
        assert_eq!(first_alarm(&p, 2.0), None);
    }

    /// ARLs for k = 0.5 against the classic table (Montgomery, Introduction to Statistical
    /// Quality Control, table "ARL performance of the tabular cusum with k = 1/2 and h = 4 or
    /// h = 5": h = 4: 168, 74.2 (δ=.25), 26.6 (δ=.5), 8.38 (δ=1); h = 5: 465, 139, 38.0, 10.4),
    /// to the table's rounding (≤ 1 %). That table is for the two-sided tabular cusum, whose ARL
    /// is 1/ARL = 1/ARL⁺(δ) + 1/ARL⁺(−δ) from the one-sided ARLs computed here; the one-sided
    /// in-control ARL is therefore twice the table's (≈ 336 for h = 4).
    #[test]
    fn arl_matches_the_classic_table_for_k_one_half() {
        for (h, delta, table) in [
            (4.0, 0.0, 168.0),
            (4.0, 0.25, 74.2),
            (4.0, 0.5, 26.6),
            (4.0, 1.0, 8.38),
            (5.0, 0.0, 465.0),
            (5.0, 0.25, 139.0),
            (5.0, 0.5, 38.0),
            (5.0, 1.0, 10.4),
        ] {
            let up = average_run_length(0.5, h, delta).unwrap();
            let down = average_run_length(0.5, h, -delta).unwrap();
            let arl = 1.0 / (1.0 / up + 1.0 / down);
            assert!(
                (arl / table - 1.0).abs() < 0.01,
                "h={h} δ={delta}: {arl} vs {table}"
            );
        }
        // Siegmund's approximation for the one-sided in-control ARL (±1 %, safeguards.md §1.9):
        // (e^{2b·½} − 2b·½ − 1)/(2·¼) with b = h + 1.166.
        let b: f64 = 4.0 + 1.166;
        let siegmund = (b.exp() - b - 1.0) / 0.5;
        let arl = average_run_length(0.5, 4.0, 0.0).unwrap();
        assert!((arl / siegmund - 1.0).abs() < 0.01, "{arl} vs {siegmund}");
    }

    /// The finite-horizon false-alarm probability against a seeded simulation (independent
    /// method): 100 000 runs of 12 periods, binomial s.e. ≤ 0.0016, tolerance 4 s.e.
    #[test]
    fn alarm_probability_matches_simulation() {
        let mut rng = Pcg64Mcg::seed_from_u64(20_240_601);
        let runs = 100_000;
        for (k, h, shift) in [(0.5, 2.0, 0.0), (0.5, 3.0, 0.3), (1.0, 1.2, 0.0)] {
            let mut hits = 0usize;
            for _ in 0..runs {
                let mut s = 0.0f64;
                for _ in 0..12 {
                    let y: f64 = StandardNormal.sample(&mut rng);
                    s = (s + y + shift - k).max(0.0);
                    if s > h {
                        hits += 1;
                        break;
                    }
                }
            }
            let sim = hits as f64 / runs as f64;
            let p = alarm_probability(k, h, &[shift; 12]).unwrap();
            let se = (p * (1.0 - p) / runs as f64).sqrt();
            assert!(
                (sim - p).abs() < 4.0 * se,
                "k={k} h={h}: chain {p}, simulation {sim}"
            );
        }
    }

    /// Closed form for one period: P(y − k > h) = 1 − Φ(h + k).
    #[test]
    fn one_period_alarm_probability_is_exact() {
        let p = alarm_probability(0.5, 1.5, &[0.0]).unwrap();
        assert_abs_diff_eq!(p, normal::upper_tail(2.0), epsilon = 1e-6);
        let h = threshold(0.5, 1, 0.05).unwrap();
        assert_abs_diff_eq!(h, 1.644_853_626_951_472 - 0.5, epsilon = 1e-4);
    }

    #[test]
    fn threshold_reproduces_alpha_and_grows_with_the_horizon() {
        let h12 = threshold(0.5, 12, 0.05).unwrap();
        assert_abs_diff_eq!(
            alarm_probability(0.5, h12, &[0.0; 12]).unwrap(),
            0.05,
            epsilon = 1e-6
        );
        let h24 = threshold(0.5, 24, 0.05).unwrap();
        assert!(h24 > h12);
        let e = threshold(0.5, 12, 0.995).unwrap_err().to_string();
        assert!(e.contains("0.995") && e.contains("h = 0"), "{e}");
        assert!(threshold(0.5, 0, 0.05).is_err());
    }

    #[test]
    fn alarm_probability_is_monotone_in_the_loss() {
        let mut last = 0.0;
        for i in 0..20 {
            let p = alarm_probability(0.5, 3.0, &[0.1 * i as f64; 12]).unwrap();
            assert!(p >= last - 1e-12);
            last = p;
        }
    }
}
