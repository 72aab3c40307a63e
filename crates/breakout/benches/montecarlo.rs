//! Monte Carlo throughput: ideal model (target ≥ 2·10⁶ samples/s on 2 cores) and fixed-cascade
//! model (target ≥ 2·10⁴ samples/s).
//!
//! Two scenarios like the May 2025 Fordow case: capacity uncertain only (the plan is computed
//! once), and capacity plus an uncertain 60 % stock (one least-SWU plan per draw).

use breakout::montecarlo::sample_goal_days;
use breakout::{
    CascadeGroup, Domain, Goal, GoalUnit, GroupStatus, Model, Param, Scenario, StockEntry,
    TailsPolicy,
};
use enrich::Assay;

fn main() {
    divan::main();
}

const SAMPLES: usize = 1 << 20;

fn scenario(stock_uncertain: bool) -> Scenario {
    let a = |p: f64| Assay::from_wt_pct(p).unwrap();
    let goal = Goal::new(GoalUnit::SignificantQuantity, a(90.0), 1).unwrap();
    let mut s = Scenario::new(
        "bench",
        goal,
        TailsPolicy::Float { ceiling: a(20.0) },
        a(0.4),
    );
    let one = s
        .input(
            "eff",
            "efficiency",
            "",
            Param::Fixed(1.0),
            Domain::NON_NEGATIVE,
            "",
        )
        .unwrap();
    let zero = s
        .input("dmg", "damage", "", Param::Fixed(0.0), Domain::FRACTION, "")
        .unwrap();
    for (m, n, lo, c, hi) in [
        ("IR-6", 1740.0, 3.5, 5.0, 7.0),
        ("IR-1", 1044.0, 0.65, 1.0, 1.12),
    ] {
        let machines = s
            .input(
                format!("{m}.n"),
                "machines",
                "",
                Param::Fixed(n),
                Domain::NON_NEGATIVE,
                "",
            )
            .unwrap();
        let power = s
            .input(
                format!("{m}.swu"),
                "swu",
                "",
                Param::Triangular {
                    min: lo,
                    mode: c,
                    max: hi,
                },
                Domain::NON_NEGATIVE,
                "",
            )
            .unwrap();
        s.groups.push(CascadeGroup {
            site: "fordow".into(),
            machine: m.into(),
            status: GroupStatus::Operating,
            machines,
            cascades: 10,
            swu_per_machine_yr: power,
            efficiency: one,
            damage_fraction: zero,
            handles_wt_pct: Vec::new(),
        });
    }
    let mass = if stock_uncertain {
        Param::Triangular {
            min: 300.0,
            mode: 408.6,
            max: 440.9,
        }
    } else {
        Param::Fixed(408.6)
    };
    let mass = s
        .input("m60", "60 %", "kg U", mass, Domain::NON_NEGATIVE, "")
        .unwrap();
    let avail = s
        .input(
            "a60",
            "available",
            "",
            Param::Fixed(1.0),
            Domain::FRACTION,
            "",
        )
        .unwrap();
    s.stocks.push(StockEntry {
        site: "fordow".into(),
        label: "60 %".into(),
        assay: a(60.0),
        mass_kg_u: mass,
        available_fraction: avail,
    });
    s
}

#[divan::bench(args = [false, true], sample_count = 5)]
fn ideal_samples_2pow20(bencher: divan::Bencher, stock_uncertain: bool) {
    let s = scenario(stock_uncertain);
    let est = Model::Ideal.prepare(&s).unwrap();
    bencher
        .counter(divan::counter::ItemsCount::new(SAMPLES))
        .bench(|| sample_goal_days(est.as_ref(), &s, SAMPLES, 42, &|_| {}).unwrap());
}

/// Samples for the fixed-cascade model: each draw runs the batch-recycling simulation.
const FIXED_SAMPLES: usize = 1 << 14;

/// The same scenario through the fixed-cascade model, with Fordow's cascade hardware (the
/// bundled 174-machine IR-6 profile re-derived for 20 % feed, as in the 2025 states), and the
/// set-up of the 20 % and 60 % steps already done.
#[divan::bench(args = [false, true], sample_count = 5)]
fn fixed_cascade_samples_2pow14(bencher: divan::Bencher, stock_uncertain: bool) {
    use enrich::cascade::{IdealCascade, StageSeparation, machine_feed_from_rating};
    let mut s = scenario(stock_uncertain);
    let alpha = StageSeparation::new(1.5).unwrap();
    let cascade = IdealCascade::with_stages(Assay::from_wt_pct(20.0).unwrap(), 10, 5, alpha)
        .unwrap()
        .fitted_to_machines(174, machine_feed_from_rating(5.0, alpha).unwrap())
        .unwrap()
        .cascade;
    s.hardware = Some(std::sync::Arc::new(
        breakout::fixed::CascadeHardware::new(vec![breakout::fixed::Hardware {
            cascade,
            nominal_swu_per_yr: 9744.0,
            label: "bench".into(),
            built_for_each_step: false,
            handles_wt_pct: Vec::new(),
            groups: Vec::new(),
        }])
        .unwrap(),
    ));
    for g in &mut s.groups {
        g.handles_wt_pct = vec![20.0, 60.0];
    }
    let est = Model::FixedCascade.prepare(&s).unwrap();
    bencher
        .counter(divan::counter::ItemsCount::new(FIXED_SAMPLES))
        .bench(|| sample_goal_days(est.as_ref(), &s, FIXED_SAMPLES, 42, &|_| {}).unwrap());
}

/// A natural-uranium breakout through four steps (the JCPOA design point: 5,060 IR-1 with their
/// rating uncertain, 202.8 kg U of 3.67 %), about 60 passes per draw.
#[divan::bench(sample_count = 5)]
fn fixed_cascade_jcpoa_samples_2pow12(bencher: divan::Bencher) {
    use breakout::fixed::Hardware;
    use enrich::cascade::{IdealCascade, StageSeparation, machine_feed_from_rating};
    let a = |p: f64| Assay::from_wt_pct(p).unwrap();
    let goal = Goal::new(GoalUnit::SignificantQuantity, a(90.0), 1).unwrap();
    let mut s = Scenario::new(
        "jcpoa",
        goal,
        TailsPolicy::Float { ceiling: a(20.0) },
        a(0.4),
    );
    let fixed = |s: &mut Scenario, k: &str, v: f64, d: Domain| {
        s.input(k, k, "", Param::Fixed(v), d, "").unwrap()
    };
    let machines = fixed(&mut s, "n", 5060.0, Domain::NON_NEGATIVE);
    let eff = fixed(&mut s, "eff", 1.0, Domain::NON_NEGATIVE);
    let dmg = fixed(&mut s, "dmg", 0.0, Domain::FRACTION);
    let power = s
        .input(
            "swu",
            "swu",
            "",
            Param::Triangular {
                min: 0.65,
                mode: 1.0,
                max: 1.12,
            },
            Domain::NON_NEGATIVE,
            "",
        )
        .unwrap();
    s.groups.push(CascadeGroup {
        site: "fep".into(),
        machine: "IR-1".into(),
        status: GroupStatus::Operating,
        machines,
        cascades: 30,
        swu_per_machine_yr: power,
        efficiency: eff,
        damage_fraction: dmg,
        handles_wt_pct: Vec::new(),
    });
    let mass = fixed(&mut s, "m", 202.8, Domain::NON_NEGATIVE);
    let avail = fixed(&mut s, "a", 1.0, Domain::FRACTION);
    s.stocks.push(StockEntry {
        site: "fep".into(),
        label: "3.67 %".into(),
        assay: a(3.67),
        mass_kg_u: mass,
        available_fraction: avail,
    });
    let alpha = StageSeparation::new(1.5).unwrap();
    let cascade = IdealCascade::with_stages(Assay::NATURAL, 10, 5, alpha)
        .unwrap()
        .fitted_to_machines(164, machine_feed_from_rating(1.0, alpha).unwrap())
        .unwrap()
        .cascade;
    s.hardware = Some(std::sync::Arc::new(
        breakout::fixed::CascadeHardware::new(vec![Hardware {
            cascade,
            nominal_swu_per_yr: 5060.0,
            label: "bench".into(),
            built_for_each_step: false,
            handles_wt_pct: Vec::new(),
            groups: Vec::new(),
        }])
        .unwrap(),
    ));
    let est = Model::FixedCascade.prepare(&s).unwrap();
    const N: usize = 1 << 12;
    bencher
        .counter(divan::counter::ItemsCount::new(N))
        .bench(|| sample_goal_days(est.as_ref(), &s, N, 42, &|_| {}).unwrap());
}
