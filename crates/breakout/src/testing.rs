//! Test scenarios shared by the estimators' tests: one kind of cascade hardware (a 15-stage
//! IR-6-like design), capacity split over groups, stocks and a set-up time.

use crate::estimate::Model;
use crate::fixed::{CascadeHardware, Hardware};
use crate::scenario::{CascadeGroup, GroupStatus, Scenario, StockEntry};
use crate::{Domain, Goal, GoalUnit, Param, TailsPolicy};
use enrich::Assay;
use enrich::cascade::rating::machine_feed_from_rating;
use enrich::cascade::{IdealCascade, StageSeparation};
use std::sync::{Arc, LazyLock};

static HARDWARE: LazyLock<Arc<CascadeHardware>> = LazyLock::new(|| {
    let s = StageSeparation::new(1.5).unwrap();
    let cascade = IdealCascade::with_stages(Assay::NATURAL, 10, 5, s)
        .unwrap()
        .fitted_to_machines(174, machine_feed_from_rating(5.0, s).unwrap())
        .unwrap()
        .cascade;
    Arc::new(
        CascadeHardware::new(vec![Hardware {
            cascade,
            nominal_swu_per_yr: 8700.0,
            label: "test".into(),
            built_for_each_step: false,
            handles_wt_pct: Vec::new(),
            groups: Vec::new(),
        }])
        .unwrap(),
    )
});

/// One kind of hardware (the bundled IR-6 design: α = 1.5, 15 stages, 174 machines),, capacity split over `caps` groups (kg-SWU/yr), stocks (kg U, wt-%).
pub(crate) fn scenario(caps: &[f64], stocks: &[(f64, f64)], setup: f64, count: u32) -> Scenario {
    let goal = Goal::new(
        GoalUnit::WeaponGradeKg25,
        Assay::from_wt_pct(90.0).unwrap(),
        count,
    )
    .unwrap();
    let mut s = Scenario::new(
        "test",
        goal,
        TailsPolicy::Float {
            ceiling: Assay::from_wt_pct(20.0).unwrap(),
        },
        Assay::from_wt_pct(0.4).unwrap(),
    );
    let f = |s: &mut Scenario, k: &str, v: f64| {
        s.input(k, k, "", Param::Fixed(v), Domain::NON_NEGATIVE, "test")
            .unwrap()
    };
    let one = f(&mut s, "one", 1.0);
    let zero = f(&mut s, "zero", 0.0);
    let d = f(&mut s, "setup", setup);
    s.setup_days_per_step = d;
    for (i, &c) in caps.iter().enumerate() {
        let cap = f(&mut s, &format!("cap{i}"), c);
        s.groups.push(CascadeGroup {
            site: "x".into(),
            machine: "IR-6".into(),
            status: GroupStatus::Operating,
            machines: one,
            cascades: 1,
            swu_per_machine_yr: cap,
            efficiency: one,
            damage_fraction: zero,
            handles_wt_pct: Vec::new(),
        });
    }
    for (i, &(kg, pct)) in stocks.iter().enumerate() {
        let m = f(&mut s, &format!("m{i}"), kg);
        s.stocks.push(StockEntry {
            site: "x".into(),
            label: format!("{pct} %"),
            assay: Assay::from_wt_pct(pct).unwrap(),
            mass_kg_u: m,
            available_fraction: one,
        });
    }
    s.hardware = Some(Arc::clone(&HARDWARE));
    // A coarse optimum grid keeps its tests fast; the fixed-cascade model ignores it.
    s.optimum.pools = 9;
    s
}

/// The ideal model's first unit, days.
pub(crate) fn ideal(s: &Scenario) -> f64 {
    Model::Ideal
        .prepare(s)
        .unwrap()
        .estimate(&s.central_values())
        .unwrap()
        .first_unit_days
        .unwrap()
        .days()
}
