//! The IAEA timeliness goal against a breakout time: would a balance-based verification scheme
//! know of a diversion or misuse within the goal, and before the state has a significant
//! quantity of HEU?
//!
//! Timeliness goals (IAEA Safeguards Glossary 2001, §3.20, as cited in the project's
//! `iran-program.md` §5 and `safeguards.md` §2.3): 1 month for unirradiated direct-use material
//! (HEU, Pu), 3 months for irradiated direct-use material, 1 year for indirect-use material
//! (LEU, natural and depleted U). A month here is 365.25/12 days.
//!
//! The detection time of a balance scheme is taken as the balance period plus the time to close
//! and evaluate the balance; its wiring to facility states of the breakout engine is not done here.

use enrich::units::DAYS_PER_MONTH;

use crate::error::{SafeguardsError, non_negative, positive};

/// Timeliness goal for unirradiated direct-use material (HEU, Pu): one month, days.
pub const DIRECT_USE_UNIRRADIATED_DAYS: f64 = DAYS_PER_MONTH;
/// Timeliness goal for irradiated direct-use material: three months, days.
pub const DIRECT_USE_IRRADIATED_DAYS: f64 = 3.0 * DAYS_PER_MONTH;
/// Timeliness goal for indirect-use material (LEU, natural, depleted U): one year, days.
pub const INDIRECT_USE_DAYS: f64 = 12.0 * DAYS_PER_MONTH;

/// How a balance scheme compares with a timeliness goal and a breakout time.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Timeliness {
    /// Timeliness goal, days.
    pub goal_days: f64,
    /// Balance period plus evaluation time: the latest a loss is known, days.
    pub detection_days: f64,
    /// Breakout time of the facility state, days.
    pub breakout_days: f64,
    /// goal − detection, days: ≥ 0 means the goal is met.
    pub goal_margin_days: f64,
    /// breakout − detection, days: > 0 means a balance closes before the state has the
    /// material (warning time left); ≤ 0 means the breakout completes first.
    pub warning_margin_days: f64,
}

impl Timeliness {
    /// Whether the scheme meets the timeliness goal.
    pub fn goal_met(&self) -> bool {
        self.goal_margin_days >= 0.0
    }

    /// Whether the balance closes before the breakout completes.
    pub fn detected_before_breakout(&self) -> bool {
        self.warning_margin_days > 0.0
    }
}

/// Compares a balance period (plus evaluation time) with a timeliness goal and a breakout time.
///
/// # Errors
/// [`SafeguardsError::OutOfRange`] for a non-positive breakout time, balance period or goal,
/// or a negative evaluation time.
pub fn assess(
    breakout_days: f64,
    balance_period_days: f64,
    evaluation_days: f64,
    goal_days: f64,
) -> Result<Timeliness, SafeguardsError> {
    positive("breakout time (days)", breakout_days)?;
    positive("balance period (days)", balance_period_days)?;
    non_negative("evaluation time (days)", evaluation_days)?;
    positive("timeliness goal (days)", goal_days)?;
    let detection_days = balance_period_days + evaluation_days;
    Ok(Timeliness {
        goal_days,
        detection_days,
        breakout_days,
        goal_margin_days: goal_days - detection_days,
        warning_margin_days: breakout_days - detection_days,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use approx::assert_abs_diff_eq;

    #[test]
    fn monthly_and_annual_balances_against_the_heu_goal() {
        // Monthly balance, 7 days to evaluate, breakout in 12 days (order of ISIS estimates):
        // 30.4375 + 7 = 37.4375 days → goal missed by 7 days, breakout first by 25.4 days.
        let t = assess(12.0, DAYS_PER_MONTH, 7.0, DIRECT_USE_UNIRRADIATED_DAYS).unwrap();
        assert_abs_diff_eq!(t.goal_margin_days, -7.0, epsilon = 1e-12);
        assert_abs_diff_eq!(t.warning_margin_days, 12.0 - 37.4375, epsilon = 1e-12);
        assert!(!t.goal_met() && !t.detected_before_breakout());
        // Weekly closure, instant evaluation, breakout in 60 days.
        let t = assess(60.0, 7.0, 0.0, DIRECT_USE_UNIRRADIATED_DAYS).unwrap();
        assert!(t.goal_met() && t.detected_before_breakout());
        assert_abs_diff_eq!(t.goal_margin_days, 23.4375, epsilon = 1e-12);
        // Exactly at the goal counts as met.
        assert!(
            assess(60.0, DAYS_PER_MONTH, 0.0, DIRECT_USE_UNIRRADIATED_DAYS)
                .unwrap()
                .goal_met()
        );
        assert_abs_diff_eq!(INDIRECT_USE_DAYS, 365.25, epsilon = 1e-12);
    }

    #[test]
    fn bad_times_are_rejected() {
        let e = assess(-3.0, 30.0, 0.0, 30.0).unwrap_err().to_string();
        assert!(e.contains("breakout") && e.contains("-3"), "{e}");
        assert!(assess(3.0, 0.0, 0.0, 30.0).is_err());
        assert!(assess(3.0, 30.0, -1.0, 30.0).is_err());
    }
}
