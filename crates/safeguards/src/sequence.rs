//! A sequence of material balances (MUF_1..MUF_n with covariance Σ) and the statistics computed
//! on it: σ_MUF, CUMUF, ITMUF/SITMUF, GEMUF, the Neyman–Pearson test for a known loss pattern and
//! the diverter's worst-case pattern (safeguards.md §1.5–1.10).
//!
//! Σ is factorised once (Σ = L Lᵀ); SITMUF = L⁻¹ MUF by forward substitution, never an inverse.
//! Sign convention: MUF > 0 is an apparent loss; tests on losses are one-sided, GEMUF is two-sided.

use statrs::distribution::{ChiSquared, Continuous, ContinuousCDF};

use crate::error::{SafeguardsError, finite, non_negative, open_interval, positive};
use crate::linalg::{Cholesky, SymMatrix};
use crate::normal;

/// MUF values (kg) with their covariance matrix Σ (kg²) and its Cholesky factor.
#[derive(Debug, Clone, PartialEq)]
pub struct MufSequence {
    muf: Vec<f64>,
    cov: SymMatrix,
    chol: Cholesky,
}

/// The most powerful test for one specified loss pattern μ.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct NeymanPearson {
    /// Observed standardised statistic μᵀΣ⁻¹MUF / sqrt(μᵀΣ⁻¹μ), N(0,1) under no loss.
    pub statistic: f64,
    /// sqrt(μᵀΣ⁻¹μ): the pattern's signal-to-noise ratio.
    pub signal_to_noise: f64,
    /// Threshold z_{1−α}.
    pub threshold: f64,
    /// Probability of detecting the pattern, Φ(sqrt(μᵀΣ⁻¹μ) − z_{1−α}).
    pub detection_probability: f64,
}

/// The loss pattern with a given total that minimises the best test's detection probability.
#[derive(Debug, Clone, PartialEq)]
pub struct WorstCase {
    /// μ* = M Σ1 / (1ᵀΣ1), kg per period.
    pub pattern_kg: Vec<f64>,
    /// Φ(M / sqrt(1ᵀΣ1) − z_{1−α}); the best test against it is the total MUF.
    pub detection_probability: f64,
    /// True if μ* has a negative entry (possible with strong positive systematic correlations):
    /// then it is not a physical loss pattern and the bound is only a lower bound.
    pub has_negative_entries: bool,
}

impl MufSequence {
    /// A sequence from MUF values (kg) and their covariance (kg²).
    ///
    /// # Errors
    /// [`SafeguardsError::Inconsistent`] if the lengths differ or the sequence is empty;
    /// [`SafeguardsError::OutOfRange`] for a non-finite MUF;
    /// [`SafeguardsError::NotPositiveDefinite`] if Σ is not positive definite.
    pub fn new(muf: Vec<f64>, cov: SymMatrix) -> Result<Self, SafeguardsError> {
        if muf.is_empty() || muf.len() != cov.dim() {
            return Err(SafeguardsError::Inconsistent(format!(
                "{} MUF values but a {}×{} covariance matrix",
                muf.len(),
                cov.dim(),
                cov.dim()
            )));
        }
        for (i, &m) in muf.iter().enumerate() {
            finite(&format!("MUF of period {}", i + 1), m)?;
        }
        let chol = Cholesky::new(&cov)?;
        Ok(MufSequence { muf, cov, chol })
    }

    /// The tridiagonal case of safeguards.md §1.5: independent inventory measurements
    /// I_0..I_n (s.d. `sigma_inventory_kg`, n + 1 values) and net transfers D_1..D_n
    /// (`sigma_transfer_kg`, n values, or one value used for every period).
    ///
    /// # Errors
    /// [`SafeguardsError::Inconsistent`] for wrong list lengths; [`SafeguardsError::OutOfRange`]
    /// for a negative or non-finite s.d.; [`SafeguardsError::NotPositiveDefinite`] if a period
    /// has zero variance.
    pub fn from_independent(
        muf: Vec<f64>,
        sigma_inventory_kg: &[f64],
        sigma_transfer_kg: &[f64],
    ) -> Result<Self, SafeguardsError> {
        let n = muf.len();
        if sigma_inventory_kg.len() != n + 1 {
            return Err(SafeguardsError::Inconsistent(format!(
                "{n} MUF values need {} inventory standard deviations (opening and each period's \
                 end), got {}",
                n + 1,
                sigma_inventory_kg.len()
            )));
        }
        let transfer: Vec<f64> = match sigma_transfer_kg.len() {
            1 => vec![sigma_transfer_kg[0]; n],
            l if l == n => sigma_transfer_kg.to_vec(),
            l => {
                return Err(SafeguardsError::Inconsistent(format!(
                    "{n} MUF values need 1 or {n} transfer standard deviations, got {l}"
                )));
            }
        };
        for (k, &s) in sigma_inventory_kg.iter().enumerate() {
            non_negative(&format!("inventory s.d. {} (kg)", k), s)?;
        }
        for (k, &s) in transfer.iter().enumerate() {
            non_negative(&format!("transfer s.d. of period {} (kg)", k + 1), s)?;
        }
        let mut cov = SymMatrix::zeros(n);
        for i in 0..n {
            let v = sigma_inventory_kg[i].powi(2)
                + transfer[i].powi(2)
                + sigma_inventory_kg[i + 1].powi(2);
            cov.add_sym(i, i, v);
            if i + 1 < n {
                cov.add_sym(i, i + 1, -sigma_inventory_kg[i + 1].powi(2));
            }
        }
        MufSequence::new(muf, cov)
    }

    /// Number of periods n.
    pub fn periods(&self) -> usize {
        self.muf.len()
    }

    /// MUF per period, kg.
    pub fn muf_kg(&self) -> &[f64] {
        &self.muf
    }

    /// Σ, kg².
    pub fn covariance(&self) -> &SymMatrix {
        &self.cov
    }

    /// The Cholesky factor of Σ.
    pub fn cholesky(&self) -> &Cholesky {
        &self.chol
    }

    /// σ_MUF per period, sqrt(Σ_ii), kg.
    pub fn sigma_muf_kg(&self) -> Vec<f64> {
        (0..self.periods())
            .map(|i| self.cov.get(i, i).sqrt())
            .collect()
    }

    /// CUMUF_k = Σ_{i≤k} MUF_i, kg.
    pub fn cumuf_kg(&self) -> Vec<f64> {
        self.muf
            .iter()
            .scan(0.0, |acc, m| {
                *acc += m;
                Some(*acc)
            })
            .collect()
    }

    /// σ of CUMUF_k, sqrt(1ᵀ Σ_{1:k} 1), kg.
    pub fn sigma_cumuf_kg(&self) -> Vec<f64> {
        let n = self.periods();
        let mut out = Vec::with_capacity(n);
        let mut var = 0.0;
        for k in 0..n {
            // Adding period k adds Σ_kk + 2 Σ_{j<k} Σ_jk.
            var += self.cov.get(k, k) + 2.0 * (0..k).map(|j| self.cov.get(j, k)).sum::<f64>();
            out.push(var.max(0.0).sqrt());
        }
        out
    }

    /// SITMUF = L⁻¹ MUF: iid N(0,1) under no loss when Σ is right.
    pub fn sitmuf(&self) -> Vec<f64> {
        self.chol.forward(&self.muf)
    }

    /// ITMUF_i = MUF_i − E[MUF_i | MUF_1..i−1] = L_ii · SITMUF_i, kg.
    pub fn itmuf_kg(&self) -> Vec<f64> {
        self.sitmuf()
            .iter()
            .enumerate()
            .map(|(i, s)| s * self.chol.l(i, i))
            .collect()
    }

    /// σ of ITMUF_i, L_ii, kg.
    pub fn sigma_itmuf_kg(&self) -> Vec<f64> {
        (0..self.periods()).map(|i| self.chol.l(i, i)).collect()
    }

    /// GEMUF (Seifert's V1) per period: ZG_i = MUF_{1:i}ᵀ Σ_{1:i}⁻¹ MUF_{1:i} = Σ_{j≤i} SITMUF_j²,
    /// χ² with i degrees of freedom under no loss.
    pub fn gemuf(&self) -> Vec<f64> {
        self.sitmuf()
            .iter()
            .scan(0.0, |acc, s| {
                *acc += s * s;
                Some(*acc)
            })
            .collect()
    }

    /// The total MUF over all periods: value and σ, kg. Intermediate inventories cancel.
    pub fn total(&self) -> (f64, f64) {
        let ones = vec![1.0; self.periods()];
        (
            self.muf.iter().sum(),
            self.cov.bilinear(&ones, &ones).sqrt(),
        )
    }

    /// The Neyman–Pearson test for the loss pattern `loss_kg` (one value per period).
    ///
    /// # Errors
    /// [`SafeguardsError::Inconsistent`] for a wrong length or an all-zero pattern;
    /// [`SafeguardsError::OutOfRange`] for α outside (0, 1) or a non-finite loss.
    pub fn neyman_pearson(
        &self,
        loss_kg: &[f64],
        alpha: f64,
    ) -> Result<NeymanPearson, SafeguardsError> {
        if loss_kg.len() != self.periods() {
            return Err(SafeguardsError::Inconsistent(format!(
                "the loss pattern has {} values but the sequence has {} periods",
                loss_kg.len(),
                self.periods()
            )));
        }
        for (i, &m) in loss_kg.iter().enumerate() {
            finite(&format!("loss of period {} (kg)", i + 1), m)?;
        }
        let z = normal::quantile(
            "false-alarm probability alpha",
            1.0 - open_interval("alpha", alpha, 0.0, 1.0)?,
        )?;
        let w = self.chol.forward(loss_kg);
        let snr2: f64 = w.iter().map(|x| x * x).sum();
        if snr2 <= 0.0 {
            return Err(SafeguardsError::Inconsistent(
                "the loss pattern is zero in every period".into(),
            ));
        }
        let snr = snr2.sqrt();
        // μᵀΣ⁻¹MUF = (L⁻¹μ)·(L⁻¹MUF).
        let t: f64 = w.iter().zip(self.sitmuf()).map(|(a, b)| a * b).sum();
        Ok(NeymanPearson {
            statistic: t / snr,
            signal_to_noise: snr,
            threshold: z,
            detection_probability: normal::cdf(snr - z),
        })
    }

    /// The diverter's worst pattern for a total loss `total_kg` and its detection probability.
    ///
    /// # Errors
    /// [`SafeguardsError::OutOfRange`] for a non-positive total or α outside (0, 1).
    pub fn worst_case(&self, total_kg: f64, alpha: f64) -> Result<WorstCase, SafeguardsError> {
        positive("total loss (kg)", total_kg)?;
        let z = normal::quantile(
            "false-alarm probability alpha",
            1.0 - open_interval("alpha", alpha, 0.0, 1.0)?,
        )?;
        let ones = vec![1.0; self.periods()];
        let s1 = self.cov.mul_vec(&ones);
        let var: f64 = s1.iter().sum();
        let pattern_kg: Vec<f64> = s1.iter().map(|v| total_kg * v / var).collect();
        Ok(WorstCase {
            has_negative_entries: pattern_kg.iter().any(|&m| m < 0.0),
            pattern_kg,
            detection_probability: normal::cdf(total_kg / var.sqrt() - z),
        })
    }
}

/// Upper α point of χ² with `dof` degrees of freedom (GEMUF alarm threshold).
///
/// # Errors
/// [`SafeguardsError::OutOfRange`] for α outside (0, 1) or zero degrees of freedom.
pub fn chi_squared_threshold(dof: usize, alpha: f64) -> Result<f64, SafeguardsError> {
    open_interval("alpha", alpha, 0.0, 1.0)?;
    let d = ChiSquared::new(dof as f64).map_err(|_| SafeguardsError::OutOfRange {
        what: "degrees of freedom".into(),
        value: dof as f64,
        expected: "at least 1".into(),
    })?;
    // statrs bisects to a relative accuracy of about 1e-9, and its last digits shift with the
    // math routines a build links (seen between test and release builds); a few Newton steps
    // on the survival function take the quantile to rounding, so every build agrees.
    let mut x = d.inverse_cdf(1.0 - alpha);
    for _ in 0..3 {
        let density = d.pdf(x);
        if !(density.is_finite() && density > 0.0) {
            break;
        }
        let next = x + (d.sf(x) - alpha) / density;
        if !(next.is_finite() && next > 0.0) {
            break;
        }
        x = next;
    }
    Ok(x)
}

#[cfg(test)]
mod tests {
    use super::*;
    use approx::assert_abs_diff_eq;
    use proptest::prelude::*;

    fn quick() -> MufSequence {
        MufSequence::from_independent(
            vec![3.0, -2.0, 7.0, 4.0],
            &[4.0, 5.0, 5.0, 5.0, 4.0],
            &[6.0],
        )
        .unwrap()
    }

    /// Hand calculation for the quick form of the issue (MUF 3,−2,7,4; σ_I 4,5,5,5,4; σ_D 6):
    /// Σ_11 = 16+36+25 = 77, Σ_12 = −25, Σ_44 = 25+36+16 = 77, σ_MUF1 = √77;
    /// SITMUF_1 = 3/√77; ITMUF_2 = −2 − (−25/77)·3, V_2 = 86 − 625/77.
    #[test]
    fn quick_form_matches_hand_calculation() {
        let s = quick();
        let c = s.covariance();
        assert_abs_diff_eq!(c.get(0, 0), 77.0);
        assert_abs_diff_eq!(c.get(1, 1), 86.0);
        assert_abs_diff_eq!(c.get(0, 1), -25.0);
        assert_abs_diff_eq!(c.get(0, 2), 0.0);
        let sit = s.sitmuf();
        assert_abs_diff_eq!(sit[0], 3.0 / 77f64.sqrt(), epsilon = 1e-14);
        let it2 = -2.0 + 25.0 / 77.0 * 3.0;
        let v2: f64 = 86.0 - 625.0 / 77.0;
        assert_abs_diff_eq!(s.itmuf_kg()[1], it2, epsilon = 1e-12);
        assert_abs_diff_eq!(s.sigma_itmuf_kg()[1], v2.sqrt(), epsilon = 1e-12);
        assert_abs_diff_eq!(sit[1], it2 / v2.sqrt(), epsilon = 1e-12);
        // CUMUF and its σ telescope: σ²(total) = 16 + 4·36 + 16 = 176.
        assert_abs_diff_eq!(s.cumuf_kg()[3], 12.0);
        assert_abs_diff_eq!(s.sigma_cumuf_kg()[3], 176f64.sqrt(), epsilon = 1e-12);
        assert_abs_diff_eq!(s.total().1, 176f64.sqrt(), epsilon = 1e-12);
        // CUMUF_2 variance: 77 + 86 − 50 = 113.
        assert_abs_diff_eq!(s.sigma_cumuf_kg()[1], 113f64.sqrt(), epsilon = 1e-12);
    }

    #[test]
    fn gemuf_equals_the_quadratic_form_of_each_leading_block() {
        let s = quick();
        let g = s.gemuf();
        for k in 1..=4 {
            let lead =
                MufSequence::new(s.muf_kg()[..k].to_vec(), s.covariance().leading(k)).unwrap();
            let x = lead.cholesky().solve(lead.muf_kg());
            let q: f64 = x.iter().zip(lead.muf_kg()).map(|(a, b)| a * b).sum();
            assert_abs_diff_eq!(g[k - 1], q, epsilon = 1e-12);
            // Sequential SITMUF: entry k of the prefix equals entry k of the whole vector.
            assert_abs_diff_eq!(lead.sitmuf()[k - 1], s.sitmuf()[k - 1], epsilon = 1e-14);
        }
    }

    /// χ²_{4, 0.95} = 9.487729036781154 (safeguards.md §7), χ²_{1,0.95} = z_{0.975}².
    #[test]
    fn chi_squared_thresholds() {
        assert_abs_diff_eq!(
            chi_squared_threshold(4, 0.05).unwrap(),
            9.487_729_036_781_154,
            epsilon = 1e-12
        );
        // χ²(3) at 95 %: 7.814727903251178 (R: qchisq(0.95, 3)).
        assert_abs_diff_eq!(
            chi_squared_threshold(3, 0.05).unwrap(),
            7.814_727_903_251_178,
            epsilon = 1e-12
        );
        assert_abs_diff_eq!(
            chi_squared_threshold(1, 0.05).unwrap(),
            1.959_963_984_540_054f64.powi(2),
            epsilon = 1e-12
        );
    }

    /// The worst case equals the total-MUF bound and the NP test for it gives the same value
    /// (the saddle point of §1.6); μ* for the quick form is ∝ Σ1 = (16+36, 36, 36, 36+16).
    #[test]
    fn worst_case_is_the_saddle_point() {
        let s = quick();
        let w = s.worst_case(75.0, 0.05).unwrap();
        let expect = [52.0, 36.0, 36.0, 52.0].map(|v| 75.0 * v / 176.0);
        for (a, b) in w.pattern_kg.iter().zip(expect) {
            assert_abs_diff_eq!(*a, b, epsilon = 1e-12);
        }
        assert!(!w.has_negative_entries);
        let z = 1.644_853_626_951_472_2;
        assert_abs_diff_eq!(
            w.detection_probability,
            normal::cdf(75.0 / 176f64.sqrt() - z),
            epsilon = 1e-14
        );
        let np = s.neyman_pearson(&w.pattern_kg, 0.05).unwrap();
        assert_abs_diff_eq!(
            np.detection_probability,
            w.detection_probability,
            epsilon = 1e-12
        );
        // Any other pattern with the same total is detected at least as well.
        let np = s.neyman_pearson(&[75.0, 0.0, 0.0, 0.0], 0.05).unwrap();
        assert!(np.detection_probability > w.detection_probability);
    }

    #[test]
    fn bad_sequences_are_rejected() {
        assert!(MufSequence::from_independent(vec![1.0, 2.0], &[1.0, 1.0], &[1.0]).is_err());
        assert!(
            MufSequence::from_independent(vec![1.0, 2.0], &[1.0, 1.0, 1.0], &[1.0, 1.0, 1.0])
                .is_err()
        );
        let e = MufSequence::from_independent(vec![1.0], &[0.0, 0.0], &[0.0]).unwrap_err();
        assert!(matches!(
            e,
            SafeguardsError::NotPositiveDefinite { period: 1, .. }
        ));
        let e = MufSequence::from_independent(vec![1.0], &[-1.0, 1.0], &[1.0])
            .unwrap_err()
            .to_string();
        assert!(e.contains("inventory s.d. 0") && e.contains("-1"), "{e}");
        assert!(quick().neyman_pearson(&[0.0; 4], 0.05).is_err());
        assert!(quick().neyman_pearson(&[1.0; 3], 0.05).is_err());
    }

    proptest! {
        /// Σ of valid independent errors is symmetric positive definite, and the NP detection
        /// probability grows with the loss.
        #[test]
        fn valid_sequences_are_positive_definite_and_detection_is_monotone(
            si in prop::collection::vec(0.1f64..20.0, 7), sd in prop::collection::vec(0.1f64..20.0, 6),
            loss in 0.0f64..100.0, extra in 0.01f64..50.0,
        ) {
            let s = MufSequence::from_independent(vec![0.0; 6], &si, &sd).unwrap();
            for i in 0..6 { for j in 0..6 {
                prop_assert!((s.covariance().get(i, j) - s.covariance().get(j, i)).abs() < 1e-12);
            }}
            let pat = |m: f64| vec![m / 6.0; 6];
            let p1 = s.neyman_pearson(&pat(loss + 1e-9), 0.05).unwrap().detection_probability;
            let p2 = s.neyman_pearson(&pat(loss + extra), 0.05).unwrap().detection_probability;
            prop_assert!(p2 >= p1);
        }
    }
}
