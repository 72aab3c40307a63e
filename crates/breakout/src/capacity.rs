//! Separative capacity over time and its integral.
//!
//! Capacity is piecewise constant: a base rate from day 0 plus additions that come on line at
//! given days (reinstalled cascades, a covert plant finishing construction, rebuilt cascades).
//! Breakout time is where the cumulative separative work W(t) = ∫₀ᵗ C(τ) dτ reaches the work the
//! goal needs; W is continuous, piecewise linear and non-decreasing, so its inverse is found
//! exactly by walking the pieces, with no iteration tolerance.

/// Separative capacity as a function of time, kg-SWU per day.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CapacitySchedule {
    base_swu_per_day: f64,
    /// (day on line, added kg-SWU/day), sorted by day.
    additions: Vec<(f64, f64)>,
}

impl CapacitySchedule {
    /// A schedule with `base_swu_per_day` from day 0 and no additions.
    pub fn new(base_swu_per_day: f64) -> Self {
        CapacitySchedule {
            base_swu_per_day: base_swu_per_day.max(0.0),
            additions: Vec::new(),
        }
    }

    /// Empties the schedule and sets a new base rate, keeping the allocation (Monte Carlo reuse).
    pub fn reset(&mut self, base_swu_per_day: f64) {
        self.base_swu_per_day = base_swu_per_day.max(0.0);
        self.additions.clear();
    }

    /// Adds `swu_per_day` from day `day` on; non-positive rates are ignored.
    pub fn add(&mut self, day: f64, swu_per_day: f64) {
        if swu_per_day > 0.0 {
            let day = day.max(0.0);
            let at = self.additions.partition_point(|&(d, _)| d <= day);
            self.additions.insert(at, (day, swu_per_day));
        }
    }

    /// Capacity at day 0, kg-SWU/day (additions on line at day 0 included).
    pub fn initial_swu_per_day(&self) -> f64 {
        self.rate_at(0.0)
    }

    /// Capacity at `day`, kg-SWU/day.
    pub fn rate_at(&self, day: f64) -> f64 {
        self.base_swu_per_day
            + self
                .additions
                .iter()
                .take_while(|&&(d, _)| d <= day)
                .map(|&(_, r)| r)
                .sum::<f64>()
    }

    /// Capacity once everything is on line, kg-SWU/day.
    pub fn final_swu_per_day(&self) -> f64 {
        self.base_swu_per_day + self.additions.iter().map(|&(_, r)| r).sum::<f64>()
    }

    /// This schedule with every rate multiplied by `factor` (≥ 0): a share of the capacity.
    pub fn scaled(&self, factor: f64) -> CapacitySchedule {
        let f = factor.max(0.0);
        CapacitySchedule {
            base_swu_per_day: self.base_swu_per_day * f,
            additions: self.additions.iter().map(|&(d, r)| (d, r * f)).collect(),
        }
    }

    /// The additions, (day, kg-SWU/day), in time order.
    pub fn additions(&self) -> &[(f64, f64)] {
        &self.additions
    }

    /// Cumulative separative work by `day`, kg-SWU.
    pub fn swu_by(&self, day: f64) -> f64 {
        let day = day.max(0.0);
        self.base_swu_per_day * day
            + self
                .additions
                .iter()
                .take_while(|&&(d, _)| d < day)
                .map(|&(d, r)| r * (day - d))
                .sum::<f64>()
    }

    /// The first day by which `swu` kg-SWU have been done, or `None` if capacity never suffices
    /// (no capacity at all, or none left to come).
    pub fn days_for(&self, swu: f64) -> Option<f64> {
        if swu <= 0.0 {
            return Some(0.0);
        }
        let (mut t, mut done, mut rate) = (0.0_f64, 0.0_f64, self.base_swu_per_day);
        for &(d, r) in &self.additions {
            if rate > 0.0 && done + rate * (d - t) >= swu {
                break;
            }
            done += rate * (d - t);
            t = d;
            rate += r;
        }
        (rate > 0.0).then(|| t + (swu - done) / rate)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use approx::assert_relative_eq;
    use proptest::prelude::*;

    #[test]
    fn hand_checked_inverses() {
        // 10 SWU/day from day 0; +10 from day 5: W(5) = 50, then 20/day.
        let mut c = CapacitySchedule::new(10.0);
        c.add(5.0, 10.0);
        for (swu, days) in [(0.0, 0.0), (30.0, 3.0), (50.0, 5.0), (90.0, 7.0)] {
            assert_relative_eq!(c.days_for(swu).unwrap(), days, max_relative = 1e-12);
            assert_relative_eq!(c.swu_by(days), swu, max_relative = 1e-12, epsilon = 1e-12);
        }
        // Nothing until a covert plant comes on line at day 100 with 2 SWU/day.
        let mut c = CapacitySchedule::new(0.0);
        c.add(100.0, 2.0);
        assert_relative_eq!(c.days_for(10.0).unwrap(), 105.0, max_relative = 1e-12);
        assert_eq!(CapacitySchedule::new(0.0).days_for(1.0), None);
    }

    proptest! {
        #[test]
        fn inverse_of_the_integral(base in 0.0..100.0f64, adds in prop::collection::vec((0.0..400.0f64, 0.0..50.0f64), 0..8), swu in 0.0..1e5f64) {
            let mut c = CapacitySchedule::new(base);
            for (d, r) in &adds { c.add(*d, *r); }
            if let Some(t) = c.days_for(swu) {
                prop_assert!((c.swu_by(t) - swu).abs() <= 1e-9 * swu.max(1.0));
                // More capacity is never slower.
                let mut more = c.clone();
                more.add(0.0, 1.0);
                prop_assert!(more.days_for(swu).unwrap() <= t + 1e-9);
            } else {
                prop_assert!(c.final_swu_per_day() <= 0.0);
            }
        }
    }
}
