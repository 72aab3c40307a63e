//! Inspector verification sampling: attribute sample sizes for gross/partial defects and the
//! variables-sampling D statistic with the inspector-corrected balance MUF − D
//! (safeguards.md §2.1–2.2).
//!
//! Sample sizes are rounded up; the exact size uses the hypergeometric probability of finding
//! no defect, Π_{k<n} (N − r − k)/(N − k), as a running product (no large binomials).

use crate::error::{SafeguardsError, non_negative, open_interval, positive};

/// The three attribute sample sizes for N items of which r are defective, non-detection β.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SampleSizes {
    /// IAEA formula ⌈N (1 − β^{1/r})⌉.
    pub iaea: usize,
    /// Improved binomial approximation ⌈(N − (r − 1)/2)(1 − β^{1/r})⌉ (Jaech).
    pub improved: usize,
    /// Smallest n with hypergeometric P(no defect in the sample) ≤ β.
    pub exact: usize,
}

/// Rounding guard so that 9.000000000000002 is taken as 9 items.
fn ceil_count(x: f64) -> usize {
    (x - 1e-9).ceil().max(0.0) as usize
}

fn check_population(items: usize, defects: usize) -> Result<(), SafeguardsError> {
    if items == 0 || defects == 0 || defects > items {
        return Err(SafeguardsError::OutOfRange {
            what: "defects".into(),
            value: defects as f64,
            expected: format!("1 to the number of items ({items}), with at least one item"),
        });
    }
    Ok(())
}

/// Probability that a random sample of n from N items, r of them defective, holds no defect.
///
/// # Errors
/// [`SafeguardsError::OutOfRange`] unless 1 ≤ r ≤ N and n ≤ N.
pub fn non_detection_probability(
    items: usize,
    defects: usize,
    sample: usize,
) -> Result<f64, SafeguardsError> {
    check_population(items, defects)?;
    if sample > items {
        return Err(SafeguardsError::OutOfRange {
            what: "sample size".into(),
            value: sample as f64,
            expected: format!("at most the number of items ({items})"),
        });
    }
    let (nn, r) = (items as f64, defects as f64);
    let mut p = 1.0;
    for k in 0..sample {
        let k = k as f64;
        p *= ((nn - r - k) / (nn - k)).max(0.0);
    }
    Ok(p)
}

/// The attribute sample sizes for `items` items, `defects` defective, non-detection `beta`.
///
/// # Errors
/// [`SafeguardsError::OutOfRange`] unless 1 ≤ r ≤ N and 0 < β < 1.
pub fn sample_sizes(
    items: usize,
    defects: usize,
    beta: f64,
) -> Result<SampleSizes, SafeguardsError> {
    check_population(items, defects)?;
    open_interval("non-detection probability beta", beta, 0.0, 1.0)?;
    let (nn, r) = (items as f64, defects as f64);
    let f = 1.0 - beta.powf(1.0 / r);
    let mut p = 1.0;
    let mut exact = items;
    for k in 0..items {
        let kf = k as f64;
        p *= ((nn - r - kf) / (nn - kf)).max(0.0);
        // Relative guard: (N − n)/N = β exactly must count as meeting β despite rounding.
        if p <= beta * (1.0 + 1e-12) {
            exact = k + 1;
            break;
        }
    }
    Ok(SampleSizes {
        iaea: ceil_count(nn * f).min(items),
        improved: ceil_count((nn - (r - 1.0) / 2.0) * f).min(items),
        exact,
    })
}

/// Defective items needed to divert the goal quantity: ⌈M_g / (f · x̄)⌉, with x̄ the content
/// of one item and f the falsified fraction (1 for a gross defect).
///
/// # Errors
/// [`SafeguardsError::OutOfRange`] for a non-positive goal or item content, or f outside (0, 1].
pub fn defects_for_goal(
    goal_kg: f64,
    item_kg: f64,
    falsified_fraction: f64,
) -> Result<usize, SafeguardsError> {
    positive("goal quantity (kg)", goal_kg)?;
    positive("item content (kg)", item_kg)?;
    open_interval("falsified fraction", falsified_fraction, 0.0, 1.000_000_001)?;
    Ok(ceil_count(goal_kg / (falsified_fraction * item_kg)).max(1))
}

/// Operator-declared (x) and inspector-measured (y) values of the verified items of a stratum.
#[derive(Debug, Clone, PartialEq)]
pub struct VerifiedStratum {
    /// N, items in the stratum.
    pub population: usize,
    /// Sign of the stratum in the MUF (+1 receipts and opening inventory, −1 shipments and
    /// closing inventory), so that E[MUF − D] is the amount removed however it was hidden.
    pub sign: f64,
    /// (declared, measured) pairs of the n verified items, kg.
    pub pairs: Vec<(f64, f64)>,
}

/// D = Σ_s a_s (N_s / n_s) Σ_j (x_sj − y_sj), kg: the estimated total falsification.
///
/// # Errors
/// [`SafeguardsError::OutOfRange`] for a stratum with no verified item, more verified items than
/// its population, a sign other than ±1 or a negative or non-finite value.
pub fn d_statistic(strata: &[VerifiedStratum]) -> Result<f64, SafeguardsError> {
    let mut d = 0.0;
    for (k, s) in strata.iter().enumerate() {
        let n = s.pairs.len();
        if n == 0 || n > s.population {
            return Err(SafeguardsError::OutOfRange {
                what: format!("verified items of stratum {}", k + 1),
                value: n as f64,
                expected: format!("1 to its population ({})", s.population),
            });
        }
        if (s.sign.abs() - 1.0).abs() > 0.0 {
            return Err(SafeguardsError::OutOfRange {
                what: format!("sign of stratum {}", k + 1),
                value: s.sign,
                expected: "+1 or -1".into(),
            });
        }
        let mut sum = 0.0;
        for &(x, y) in &s.pairs {
            sum +=
                non_negative("declared value (kg)", x)? - non_negative("measured value (kg)", y)?;
        }
        d += s.sign * s.population as f64 / n as f64 * sum;
    }
    Ok(d)
}

/// Planning data of variables sampling in one stratum (relative s.d. as fractions of x̄).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DStratumPlan {
    /// N, items in the stratum.
    pub population: usize,
    /// n, items verified.
    pub sample: usize,
    /// x̄, content of one item, kg.
    pub item_kg: f64,
    /// Operator's random and systematic relative s.d.
    pub operator_rsd: (f64, f64),
    /// Inspector's random and systematic relative s.d.
    pub inspector_rsd: (f64, f64),
}

impl DStratumPlan {
    fn check(&self, k: usize) -> Result<(), SafeguardsError> {
        if self.sample == 0 || self.sample > self.population {
            return Err(SafeguardsError::OutOfRange {
                what: format!("sample size of stratum {}", k + 1),
                value: self.sample as f64,
                expected: format!("1 to its population ({})", self.population),
            });
        }
        positive("item content (kg)", self.item_kg)?;
        for v in [
            self.operator_rsd.0,
            self.operator_rsd.1,
            self.inspector_rsd.0,
            self.inspector_rsd.1,
        ] {
            non_negative("relative standard deviation", v)?;
        }
        Ok(())
    }
}

/// Var(D) under no falsification: Σ_s N_s² [(σ²_ro + σ²_ri)/n_s + σ²_so + σ²_si], kg², with
/// σ = relative s.d. × x̄. (Only measurement errors vary when nothing is falsified, so no
/// finite-population factor applies.)
///
/// # Errors
/// As [`DStratumPlan`] validation: sample 1..=N, positive item content, non-negative s.d.
pub fn d_variance(plans: &[DStratumPlan]) -> Result<f64, SafeguardsError> {
    let mut v = 0.0;
    for (k, p) in plans.iter().enumerate() {
        p.check(k)?;
        let nn = p.population as f64;
        let x2 = p.item_kg * p.item_kg;
        let random = (p.operator_rsd.0.powi(2) + p.inspector_rsd.0.powi(2)) * x2;
        let sys = (p.operator_rsd.1.powi(2) + p.inspector_rsd.1.powi(2)) * x2;
        v += nn * nn * (random / p.sample as f64 + sys);
    }
    Ok(v)
}

/// Var(MUF − D) = Var(MUF) + Var(D) − 2 Cov(MUF, D), kg², where the operator's errors of the
/// verified strata are part of Var(MUF) and give Cov = Σ_s (N_s σ²_ro + N_s² σ²_so).
///
/// # Errors
/// As [`d_variance`], and for a negative Var(MUF) or one smaller than the covariance implies.
pub fn muf_minus_d_variance(
    var_muf_kg2: f64,
    plans: &[DStratumPlan],
) -> Result<f64, SafeguardsError> {
    non_negative("Var(MUF) (kg²)", var_muf_kg2)?;
    let vd = d_variance(plans)?;
    let cov: f64 = plans
        .iter()
        .map(|p| {
            let nn = p.population as f64;
            let x2 = p.item_kg * p.item_kg;
            nn * p.operator_rsd.0.powi(2) * x2 + nn * nn * p.operator_rsd.1.powi(2) * x2
        })
        .sum();
    if var_muf_kg2 < cov * (1.0 - 1e-12) {
        return Err(SafeguardsError::Inconsistent(format!(
            "Var(MUF) = {var_muf_kg2} kg² is smaller than the verified strata's own operator \
             variance ({cov} kg²): the strata are not part of this balance"
        )));
    }
    Ok(var_muf_kg2 + vd - 2.0 * cov)
}

#[cfg(test)]
mod tests {
    use super::*;
    use approx::assert_abs_diff_eq;

    /// Hand/independent values (Python math.comb for the exact column):
    /// N=200,r=2,β=.1: 200(1−√.1) = 136.75 → 137; exact: (200−n)(199−n) ≤ 3980 → n = 137.
    #[test]
    fn attribute_sample_sizes() {
        for (n, r, beta, iaea, improved, exact) in [
            (200, 2, 0.1, 137, 137, 137),
            (100, 5, 0.05, 46, 45, 45),
            (10, 1, 0.1, 9, 9, 9),
            (500, 3, 0.1, 268, 268, 268),
            (1000, 10, 0.05, 259, 258, 258),
            (95, 2, 0.1, 65, 65, 65),
        ] {
            let s = sample_sizes(n, r, beta).unwrap();
            assert_eq!(
                (s.iaea, s.improved, s.exact),
                (iaea, improved, exact),
                "N={n} r={r} β={beta}"
            );
        }
    }

    #[test]
    fn exact_size_is_the_smallest_meeting_beta_and_never_above_iaea_by_more_than_rounding() {
        for n in [20usize, 57, 300] {
            for r in 1..6 {
                let s = sample_sizes(n, r, 0.1).unwrap();
                assert!(non_detection_probability(n, r, s.exact).unwrap() <= 0.1 + 1e-12);
                assert!(non_detection_probability(n, r, s.exact - 1).unwrap() > 0.1);
                assert!(s.exact <= s.iaea && s.iaea <= s.exact + 3, "{n} {r} {s:?}");
            }
        }
    }

    /// One LEU SQ (75 kg U-235) in 30B cylinders of 2277 kg UF6 at 4.5 wt-%:
    /// 2277 × 0.676 kg U/kg UF6 ≈ 1539 kg U → 69.3 kg U-235 per cylinder → r = 2 (safeguards.md §5).
    #[test]
    fn defects_for_one_sq() {
        assert_eq!(defects_for_goal(75.0, 69.3, 1.0).unwrap(), 2);
        assert_eq!(defects_for_goal(75.0, 75.0, 1.0).unwrap(), 1);
        assert_eq!(defects_for_goal(75.0, 69.3, 0.5).unwrap(), 3);
        assert!(defects_for_goal(75.0, 0.0, 1.0).is_err());
    }

    /// Hand example: N = 100, n = 10, x̄ = 100 kg, operator 1 %/0.5 %, inspector 2 %/1 %:
    /// Var D = 100²((1+4)/10 + 0.25 + 1) = 17 500; with MUF = this stratum only
    /// (Var = 100·1 + 100²·0.25 = 2600), Var(MUF − D) = 2600 + 17 500 − 2·2600 = 14 900.
    #[test]
    fn d_and_muf_minus_d_variances() {
        let p = DStratumPlan {
            population: 100,
            sample: 10,
            item_kg: 100.0,
            operator_rsd: (0.01, 0.005),
            inspector_rsd: (0.02, 0.01),
        };
        assert_abs_diff_eq!(d_variance(&[p]).unwrap(), 17_500.0, epsilon = 1e-9);
        assert_abs_diff_eq!(
            muf_minus_d_variance(2600.0, &[p]).unwrap(),
            14_900.0,
            epsilon = 1e-9
        );
        // Verifying every item leaves the inspector's errors only: N σ²_ri + N² σ²_si.
        let all = DStratumPlan { sample: 100, ..p };
        assert_abs_diff_eq!(
            muf_minus_d_variance(2600.0, &[all]).unwrap(),
            100.0 * 4.0 + 10_000.0,
            epsilon = 1e-9
        );
        assert!(muf_minus_d_variance(10.0, &[p]).is_err());
    }

    /// D estimates the falsification: 2 of 10 verified items understated by 5 kg in a stratum
    /// of 50 → D = −(50/10)(−10)… with sign −1 for a shipment: D = −1 × 5 × (2 × −5) = 50.
    #[test]
    fn d_statistic_scales_the_sample_difference() {
        let mut pairs = vec![(100.0, 100.0); 10];
        pairs[0] = (95.0, 100.0);
        pairs[1] = (95.0, 100.0);
        let s = VerifiedStratum {
            population: 50,
            sign: -1.0,
            pairs,
        };
        assert_abs_diff_eq!(
            d_statistic(std::slice::from_ref(&s)).unwrap(),
            50.0,
            epsilon = 1e-12
        );
        let bad = VerifiedStratum { sign: 2.0, ..s };
        assert!(d_statistic(&[bad]).is_err());
    }

    #[test]
    fn bad_attribute_inputs_repeat_the_value() {
        let e = sample_sizes(10, 11, 0.1).unwrap_err().to_string();
        assert!(e.contains("11") && e.contains("(10)"), "{e}");
        let e = sample_sizes(10, 2, 1.5).unwrap_err().to_string();
        assert!(e.contains("beta") && e.contains("1.5"), "{e}");
        assert!(sample_sizes(0, 0, 0.1).is_err());
    }
}
