//! One material balance: the test MUF > z_{1−α} σ, its detection probability for a loss M, the
//! loss detectable with a given probability ("σ_MUF ≤ SQ/3.29") and the largest plant for which
//! an annual balance meets a detection goal (safeguards.md §1.4, §5).

use crate::error::{SafeguardsError, non_negative, open_interval, positive};
use crate::normal;

/// Which alternatives the one-balance test looks at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sided {
    /// Losses only (MUF > threshold): the usual safeguards test.
    One,
    /// Losses and gains (|MUF| > threshold).
    Two,
}

/// Probability that the one-balance test alarms when `loss_kg` is missing, with σ_MUF
/// `sigma_kg` and false-alarm probability `alpha`: Φ(M/σ − z_{1−α}) one-sided, and
/// Φ(M/σ − z_{1−α/2}) + Φ(−M/σ − z_{1−α/2}) two-sided.
///
/// # Errors
/// [`SafeguardsError::OutOfRange`] for a negative or non-finite loss, a non-positive σ or
/// α outside (0, 1).
pub fn detection_probability(
    loss_kg: f64,
    sigma_kg: f64,
    alpha: f64,
    sided: Sided,
) -> Result<f64, SafeguardsError> {
    non_negative("loss (kg)", loss_kg)?;
    positive("sigma_MUF (kg)", sigma_kg)?;
    open_interval("false-alarm probability alpha", alpha, 0.0, 1.0)?;
    let r = loss_kg / sigma_kg;
    Ok(match sided {
        Sided::One => normal::cdf(r - normal::quantile("alpha", 1.0 - alpha)?),
        Sided::Two => {
            let z = normal::quantile("alpha", 1.0 - alpha / 2.0)?;
            normal::cdf(r - z) + normal::cdf(-r - z)
        }
    })
}

/// The one-sided alarm threshold z_{1−α} σ, kg.
///
/// # Errors
/// As [`detection_probability`].
pub fn threshold_kg(sigma_kg: f64, alpha: f64) -> Result<f64, SafeguardsError> {
    positive("sigma_MUF (kg)", sigma_kg)?;
    Ok(sigma_kg * normal::quantile("false-alarm probability alpha", 1.0 - alpha)?)
}

/// (z_{1−α} + z_P): the loss detectable with probability P is this many σ_MUF
/// (3.2897 for α = 5 %, P = 95 %).
///
/// # Errors
/// [`SafeguardsError::OutOfRange`] for α or P outside (0, 1).
pub fn detectable_multiple(alpha: f64, probability: f64) -> Result<f64, SafeguardsError> {
    Ok(
        normal::quantile("false-alarm probability alpha", 1.0 - alpha)?
            + normal::quantile("detection probability", probability)?,
    )
}

/// The smallest loss detected with probability `probability`, σ (z_{1−α} + z_P), kg.
///
/// # Errors
/// As [`detectable_multiple`], and for a non-positive σ.
pub fn detectable_loss_kg(
    sigma_kg: f64,
    alpha: f64,
    probability: f64,
) -> Result<f64, SafeguardsError> {
    positive("sigma_MUF (kg)", sigma_kg)?;
    Ok(sigma_kg * detectable_multiple(alpha, probability)?)
}

/// The factor t by which a plant's throughput can be scaled so that the goal quantity is just
/// detected with probability P at false-alarm α, when σ²_MUF = t·random + t²·systematic
/// (random variance grows with the number of items, systematic with the square of the flow).
///
/// # Errors
/// [`SafeguardsError::OutOfRange`] for negative variances (both zero is also an error),
/// a non-positive goal or α, P outside (0, 1).
pub fn throughput_scale_for_goal(
    random_var_kg2: f64,
    systematic_var_kg2: f64,
    goal_kg: f64,
    alpha: f64,
    probability: f64,
) -> Result<f64, SafeguardsError> {
    non_negative("random variance (kg²)", random_var_kg2)?;
    non_negative("systematic variance (kg²)", systematic_var_kg2)?;
    positive("goal quantity (kg)", goal_kg)?;
    positive("total variance (kg²)", random_var_kg2 + systematic_var_kg2)?;
    let target = (goal_kg / detectable_multiple(alpha, probability)?).powi(2);
    let (a, b) = (systematic_var_kg2, random_var_kg2);
    // a t² + b t − target = 0, positive root, written to avoid cancellation.
    Ok(2.0 * target / (b + (b * b + 4.0 * a * target).sqrt()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use approx::assert_abs_diff_eq;

    /// detect --loss-kg 75 --sigma-kg 20: Φ(3.75 − 1.6448536) = Φ(2.1051464) = 0.982360
    /// (Φ by A&S 26.2.17-level tables: Φ(2.10) = 0.98214, Φ(2.11) = 0.98257).
    #[test]
    fn one_balance_cases() {
        let check = |m: f64, s: f64, a: f64, sided, expect: f64, tol: f64| {
            let p = detection_probability(m, s, a, sided).unwrap();
            assert!(
                (p - expect).abs() < tol,
                "M={m} σ={s} α={a}: {p} vs {expect}"
            );
        };
        check(75.0, 20.0, 0.05, Sided::One, 0.982_36, 2e-5);
        check(0.0, 20.0, 0.05, Sided::One, 0.05, 1e-11);
        check(0.0, 20.0, 0.05, Sided::Two, 0.05, 1e-11);
        // M = (z_.95 + z_.95) σ gives 95 %.
        check(
            3.289_707_253_902_944_4 * 10.0,
            10.0,
            0.05,
            Sided::One,
            0.95,
            1e-11,
        );
        // Two-sided with M/σ = z_.975 + z_.9: Φ(z_.9) + Φ(−2 z_.975 − z_.9) ≈ 0.9 + tiny.
        check(
            (1.959_963_984_540_054 + 1.281_551_565_544_600_5) * 5.0,
            5.0,
            0.05,
            Sided::Two,
            0.900_000_5,
            2e-6,
        );
    }

    #[test]
    fn sq_over_3_29() {
        assert_abs_diff_eq!(
            detectable_multiple(0.05, 0.95).unwrap(),
            3.289_707_253_902_944,
            epsilon = 1e-12
        );
        assert_abs_diff_eq!(
            detectable_multiple(0.05, 0.90).unwrap(),
            2.926_405_192_496_072,
            epsilon = 1e-12
        );
        assert_abs_diff_eq!(
            detectable_loss_kg(10.0, 0.05, 0.95).unwrap(),
            32.897_072_539_029_44,
            epsilon = 1e-10
        );
        assert_abs_diff_eq!(
            threshold_kg(10.0, 0.05).unwrap(),
            16.448_536_269_514_72,
            epsilon = 1e-10
        );
    }

    /// Purely systematic: σ ∝ t, so t = (SQ/3.29)/σ. Purely random: σ² ∝ t.
    #[test]
    fn throughput_scale_closed_forms() {
        let k = 3.289_707_253_902_944;
        let t = throughput_scale_for_goal(0.0, 400.0, 75.0, 0.05, 0.95).unwrap();
        assert_abs_diff_eq!(t, 75.0 / k / 20.0, epsilon = 1e-12);
        let t = throughput_scale_for_goal(400.0, 0.0, 75.0, 0.05, 0.95).unwrap();
        assert_abs_diff_eq!(t, (75.0 / k / 20.0).powi(2), epsilon = 1e-12);
        // Mixed: check the defining equation.
        let t = throughput_scale_for_goal(100.0, 300.0, 75.0, 0.05, 0.95).unwrap();
        assert_abs_diff_eq!((100.0 * t + 300.0 * t * t).sqrt() * k, 75.0, epsilon = 1e-9);
    }

    #[test]
    fn detection_is_monotone_in_the_loss() {
        let mut last = 0.0;
        for i in 0..200 {
            let p = detection_probability(i as f64, 20.0, 0.05, Sided::One).unwrap();
            assert!(p >= last);
            last = p;
        }
    }

    #[test]
    fn bad_inputs_name_the_quantity() {
        let e = detection_probability(75.0, 0.0, 0.05, Sided::One)
            .unwrap_err()
            .to_string();
        assert!(e.contains("sigma_MUF") && e.contains("= 0"), "{e}");
        let e = detection_probability(-1.0, 20.0, 0.05, Sided::One)
            .unwrap_err()
            .to_string();
        assert!(e.contains("loss") && e.contains("-1"), "{e}");
        let e = detection_probability(75.0, 20.0, 1.5, Sided::One)
            .unwrap_err()
            .to_string();
        assert!(e.contains("alpha") && e.contains("1.5"), "{e}");
    }
}
