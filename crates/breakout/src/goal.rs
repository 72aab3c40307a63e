//! What "a bomb's worth" means in a run: the unit of the goal and how many of them.
//!
//! Two conventions are in use and differ by 11 %: the IAEA significant quantity (25 kg of U-235
//! contained in HEU; IAEA Safeguards Glossary 2001, via NSSPI \[C1\]\[C2\]) and ISIS's "25 kg of
//! weapon-grade uranium" (25 kg U at ~90 %, i.e. 22.5 kg U-235 \[B1\]\[B3\]). Every result states
//! which one it counts.

use enrich::Assay;

use crate::error::BreakoutError;

/// kg U-235 in one IAEA significant quantity of HEU \[C1\].
pub const SQ_KG_U235: f64 = 25.0;
/// kg U in ISIS's "25 kg WGU" \[B1\].
pub const WGU_KG_U: f64 = 25.0;
/// wt-% U-235 of weapon-grade uranium in both conventions (ISIS: ≥ 90 % \[B3\]).
pub const WEAPON_GRADE_WT_PCT: f64 = 90.0;

/// The unit a goal is counted in.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum GoalUnit {
    /// The IAEA significant quantity: 25 kg U-235 contained in product of the goal's assay.
    SignificantQuantity,
    /// ISIS's 25 kg U of product.
    WeaponGradeKg25,
    /// Any mass of product, kg U.
    KgU(f64),
}

/// N units of product at an assay.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Goal {
    /// The unit.
    pub unit: GoalUnit,
    /// Product assay (≥ 20 wt-% for a significant quantity: the SQ is defined for HEU).
    pub product_assay: Assay,
    /// How many units the headline time is for (≥ 1).
    pub count: u32,
}

impl Goal {
    /// A validated goal.
    ///
    /// # Errors
    /// [`BreakoutError::Invalid`] for a count of 0, a non-positive mass, or a significant
    /// quantity asked for at an assay below 20 wt-% (the direct-use SQ is defined for HEU \[C1\]).
    pub fn new(unit: GoalUnit, product_assay: Assay, count: u32) -> Result<Goal, BreakoutError> {
        if count == 0 {
            return Err(BreakoutError::invalid("count", 0, "at least 1 unit"));
        }
        if let GoalUnit::KgU(kg) = unit
            && !(kg.is_finite() && kg > 0.0)
        {
            return Err(BreakoutError::invalid("goal mass (kg U)", kg, "a mass > 0"));
        }
        if matches!(unit, GoalUnit::SignificantQuantity) && product_assay.wt_pct() < 20.0 {
            return Err(BreakoutError::invalid(
                "product assay (wt-% U-235)",
                product_assay.wt_pct(),
                "≥ 20 wt-% for a significant quantity of HEU (use a kg goal for LEU)",
            ));
        }
        Ok(Goal {
            unit,
            product_assay,
            count,
        })
    }

    /// kg U of product in one unit.
    pub fn unit_kg_u(&self) -> f64 {
        match self.unit {
            GoalUnit::SignificantQuantity => SQ_KG_U235 / self.product_assay.wt_fraction(),
            GoalUnit::WeaponGradeKg25 => WGU_KG_U,
            GoalUnit::KgU(kg) => kg,
        }
    }

    /// The unit's short name for tables: "SQ", "WGU" or "unit".
    pub fn unit_name(&self) -> &'static str {
        match self.unit {
            GoalUnit::SignificantQuantity => "SQ",
            GoalUnit::WeaponGradeKg25 => "WGU",
            GoalUnit::KgU(_) => "unit",
        }
    }

    /// One sentence saying exactly what is counted.
    pub fn describe(&self) -> String {
        let kg = enrich::units::significant(self.unit_kg_u(), 5);
        let pct = enrich::units::significant(self.product_assay.wt_pct(), 5);
        match self.unit {
            GoalUnit::SignificantQuantity => format!(
                "IAEA significant quantity: 25 kg U-235 in HEU, i.e. {kg} kg U at {pct} wt-% U-235 [C1]"
            ),
            GoalUnit::WeaponGradeKg25 => format!(
                "ISIS convention: 25 kg of weapon-grade uranium at {pct} wt-% U-235 [B1] (= {} kg U-235)",
                enrich::units::significant(WGU_KG_U * self.product_assay.wt_fraction(), 5)
            ),
            GoalUnit::KgU(_) => format!("{kg} kg U at {pct} wt-% U-235"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use approx::assert_relative_eq;

    #[test]
    fn units_in_kg_u() {
        let a90 = Assay::from_wt_pct(90.0).unwrap();
        let a60 = Assay::from_wt_pct(60.0).unwrap();
        for (unit, assay, kg) in [
            (GoalUnit::SignificantQuantity, a90, 27.777_777_8),
            // The IAEA yardstick "≈42 kg of 60 %" [D2]: 25/0.6 = 41.7 kg.
            (GoalUnit::SignificantQuantity, a60, 41.666_666_7),
            (GoalUnit::WeaponGradeKg25, a90, 25.0),
            (GoalUnit::KgU(10.0), a60, 10.0),
        ] {
            let g = Goal::new(unit, assay, 1).unwrap();
            assert_relative_eq!(g.unit_kg_u(), kg, max_relative = 1e-8);
        }
    }

    #[test]
    fn invalid_goals() {
        let a = Assay::from_wt_pct(5.0).unwrap();
        assert!(Goal::new(GoalUnit::SignificantQuantity, a, 1).is_err());
        assert!(Goal::new(GoalUnit::KgU(-1.0), a, 1).is_err());
        assert!(Goal::new(GoalUnit::KgU(1.0), a, 0).is_err());
    }
}
