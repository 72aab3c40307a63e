//! The optimum model: one estimate (the LP solved per horizon of the search, timeline
//! included) and one Monte Carlo `goal_days`, on a two-kind plant with a 60 % stock.

use std::sync::Arc;

use breakout::fixed::{CascadeHardware, Hardware};
use breakout::{
    CascadeGroup, Domain, Goal, GoalUnit, GroupStatus, Model, Param, Scenario, Scratch, StockEntry,
    TailsPolicy,
};
use enrich::Assay;
use enrich::cascade::rating::machine_feed_from_rating;
use enrich::cascade::{IdealCascade, StageSeparation};

fn main() {
    divan::main();
}

fn scenario() -> Scenario {
    let a = |p: f64| Assay::from_wt_pct(p).unwrap();
    let goal = Goal::new(GoalUnit::SignificantQuantity, a(90.0), 1).unwrap();
    let mut s = Scenario::new(
        "bench",
        goal,
        TailsPolicy::Float { ceiling: a(20.0) },
        a(0.4),
    );
    let f = |s: &mut Scenario, k: &str, v: f64| {
        s.input(k, k, "", Param::Fixed(v), Domain::NON_NEGATIVE, "bench")
            .unwrap()
    };
    let one = f(&mut s, "one", 1.0);
    let zero = f(&mut s, "zero", 0.0);
    let mut kinds = Vec::new();
    for (i, (machine, n, swu, alpha)) in [("IR-1", 164u32, 1.0, 1.5), ("IR-6", 174, 5.0, 1.5)]
        .into_iter()
        .enumerate()
    {
        let cap = f(&mut s, &format!("cap{i}"), 20_000.0);
        s.groups.push(CascadeGroup {
            site: "x".into(),
            machine: machine.into(),
            status: GroupStatus::Operating,
            machines: one,
            cascades: 1,
            swu_per_machine_yr: cap,
            efficiency: one,
            damage_fraction: zero,
            handles_wt_pct: Vec::new(),
        });
        let sep = StageSeparation::new(alpha).unwrap();
        let cascade = IdealCascade::with_stages(Assay::NATURAL, 10, 5, sep)
            .unwrap()
            .fitted_to_machines(n, machine_feed_from_rating(swu, sep).unwrap())
            .unwrap()
            .cascade;
        kinds.push(Hardware {
            cascade,
            nominal_swu_per_yr: 20_000.0,
            label: machine.into(),
            built_for_each_step: false,
            handles_wt_pct: Vec::new(),
            groups: Vec::new(),
        });
    }
    let m = f(&mut s, "m", 408.6);
    s.stocks.push(StockEntry {
        site: "x".into(),
        label: "60 %".into(),
        assay: a(60.0),
        mass_kg_u: m,
        available_fraction: one,
    });
    s.hardware = Some(Arc::new(CascadeHardware::new(kinds).unwrap()));
    s
}

#[divan::bench]
fn estimate(b: divan::Bencher) {
    let s = scenario();
    let est = Model::Optimum.prepare(&s).unwrap();
    let v = s.central_values();
    b.bench(|| est.estimate(divan::black_box(&v)).unwrap());
}

#[divan::bench]
fn goal_days(b: divan::Bencher) {
    let s = scenario();
    let est = Model::Optimum.prepare(&s).unwrap();
    let v = s.central_values();
    let mut scratch = Scratch::default();
    b.bench_local(|| est.goal_days(divan::black_box(&v), &mut scratch).unwrap());
}

#[divan::bench(sample_count = 3)]
fn prepare(b: divan::Bencher) {
    let s = scenario();
    b.bench(|| Model::Optimum.prepare(&s).map(|_| ()).unwrap());
}
