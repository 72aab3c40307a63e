//! Estimator checks: hand-computed timelines, invariants over random inputs, and Monte Carlo
//! determinism across thread counts.

use breakout::montecarlo::{sample_goal_days, summarize};
use breakout::{
    CascadeGroup, Domain, Goal, GoalUnit, GroupStatus, Model, Param, Scenario, StockEntry,
    TailsPolicy,
};
use enrich::Assay;
use proptest::prelude::*;

fn a(p: f64) -> Assay {
    Assay::from_wt_pct(p).unwrap()
}

/// A scenario with one capacity term (kg-SWU/yr, optionally triangular ±30 %) and stocks.
fn scenario(
    unit: GoalUnit,
    count: u32,
    swu_per_yr: f64,
    uncertain: bool,
    stocks: &[(f64, f64)],
) -> Scenario {
    let goal = Goal::new(unit, a(90.0), count).unwrap();
    let mut s = Scenario::new(
        "test",
        goal,
        TailsPolicy::Float { ceiling: a(20.0) },
        a(0.4),
    );
    let f =
        |s: &mut Scenario, k: &str, p: Param, d: Domain| s.input(k, k, "", p, d, "test").unwrap();
    let one = f(&mut s, "one", Param::Fixed(1.0), Domain::NON_NEGATIVE);
    let zero = f(&mut s, "zero", Param::Fixed(0.0), Domain::FRACTION);
    let cap = if uncertain {
        Param::Triangular {
            min: 0.7 * swu_per_yr,
            mode: swu_per_yr,
            max: 1.3 * swu_per_yr,
        }
    } else {
        Param::Fixed(swu_per_yr)
    };
    let cap = f(&mut s, "cap", cap, Domain::NON_NEGATIVE);
    s.groups.push(CascadeGroup {
        site: "x".into(),
        machine: "capacity".into(),
        status: GroupStatus::Operating,
        machines: one,
        cascades: 1,
        swu_per_machine_yr: cap,
        efficiency: one,
        damage_fraction: zero,
        handles_wt_pct: Vec::new(),
    });
    for (i, &(kg, pct)) in stocks.iter().enumerate() {
        let m = f(
            &mut s,
            &format!("m{i}"),
            Param::Fixed(kg),
            Domain::NON_NEGATIVE,
        );
        s.stocks.push(StockEntry {
            site: "x".into(),
            label: format!("{pct} %"),
            assay: a(pct),
            mass_kg_u: m,
            available_fraction: one,
        });
    }
    s
}

fn estimate(s: &Scenario) -> breakout::Estimate {
    Model::Ideal
        .prepare(s)
        .unwrap()
        .estimate(&s.central_values())
        .unwrap()
}

/// Hand-checked against iran-program.md §4.2 (derived there with the same value function).
#[test]
fn hand_checked_first_unit_times() {
    for (what, unit, swu_per_yr, stocks, lo, hi) in [
        // 25 kg WGU from 408.6 kg of 60 % at 9,000 SWU/yr: 56 SWU at 20 % tails → 2.27 days;
        // §4.2: "2.3–3.0 days at 8,500–9,000 SWU/yr".
        (
            "WGU from 60 %",
            GoalUnit::WeaponGradeKg25,
            9000.0,
            vec![(408.6, 60.0)],
            2.2,
            3.0,
        ),
        // One SQ (27.8 kg) from the same: 62 SWU → 2.5 days.
        (
            "SQ from 60 %",
            GoalUnit::SignificantQuantity,
            9000.0,
            vec![(408.6, 60.0)],
            2.3,
            3.0,
        ),
        // JCPOA design point, ideal: 5,060 SWU/yr, 202.8 kg U at 3.67 % then natural at 0.4 %
        // tails: §4.2 gives 8.3 months at 5,000 SWU/yr for 25 kg; 1 SQ is 27.8 kg → 8–10 months.
        (
            "JCPOA SQ",
            GoalUnit::SignificantQuantity,
            5060.0,
            vec![(202.8, 3.67)],
            8.0 * 30.44,
            10.0 * 30.44,
        ),
        // Natural uranium only, 25 kg WGU at 0.4 % tails: 4,261 SWU at 5,000 SWU/yr = 311 days.
        (
            "natural only",
            GoalUnit::WeaponGradeKg25,
            5000.0,
            vec![],
            310.0,
            312.5,
        ),
    ] {
        let d = estimate(&scenario(unit, 1, swu_per_yr, false, &stocks))
            .first_unit_days
            .unwrap()
            .days();
        assert!(d > lo && d < hi, "{what}: {d} days, expected {lo}–{hi}");
    }
}

#[test]
fn three_weeks_of_fordow_output_matches_isis() {
    // V1: 233 kg WGU (9.3 units) in 21 days at 9,000 SWU/yr; V2: 174 kg (7 units) from 274.8 kg.
    for (stock, units, lo, hi) in [(408.6, 9, 18.0, 23.0), (274.8, 7, 19.0, 23.0)] {
        let s = scenario(
            GoalUnit::WeaponGradeKg25,
            units,
            9000.0,
            false,
            &[(stock, 60.0)],
        );
        let d = estimate(&s).goal_days.unwrap().days();
        assert!(d > lo && d < hi, "{stock}: {d}");
    }
}

#[test]
fn timeline_balances_mass_and_u235() {
    let s = scenario(
        GoalUnit::SignificantQuantity,
        3,
        5000.0,
        false,
        &[(30.0, 60.0), (200.0, 20.0)],
    );
    let e = estimate(&s);
    let mut product = 0.0;
    for st in e.steps.iter().filter(|s| s.product.is_some()) {
        let (p, xp) = st.product.unwrap();
        let (t, xt) = st.tails.unwrap();
        let (p, t) = (p.kg(), t.kg());
        let feed: f64 = st.feeds.iter().map(|f| f.kg_u.kg()).sum();
        let u235: f64 = st
            .feeds
            .iter()
            .map(|f| f.kg_u.kg() * f.assay.wt_fraction())
            .sum();
        assert!((feed - p - t).abs() < 1e-9 * feed);
        assert!((u235 - p * xp.wt_fraction() - t * xt.wt_fraction()).abs() < 1e-9 * u235);
        assert!(st.separative_work_swu.kg_swu() >= 0.0);
        product += p;
    }
    assert!((product - 3.0 * 25.0 / 0.9).abs() < 1e-6);
}

#[test]
fn monte_carlo_is_identical_for_one_and_two_threads() {
    let s = scenario(
        GoalUnit::SignificantQuantity,
        1,
        9000.0,
        true,
        &[(408.6, 60.0)],
    );
    let est = Model::Ideal.prepare(&s).unwrap();
    let run = |threads: usize| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap()
            .install(|| sample_goal_days(est.as_ref(), &s, 10_000, 42, &|_| {}).unwrap())
    };
    let (one, two) = (run(1), run(2));
    assert!(
        one.iter()
            .zip(&two)
            .all(|(x, y)| x.to_bits() == y.to_bits())
    );
    let other_seed = sample_goal_days(est.as_ref(), &s, 10_000, 43, &|_| {}).unwrap();
    assert_ne!(one, other_seed);
    // The median of a symmetric ±30 % capacity lies near the central estimate.
    let median = summarize(one, 10).percentiles[2].1.unwrap();
    let central = estimate(&s).first_unit_days.unwrap().days();
    assert!(
        (median / central - 1.0).abs() < 0.05,
        "{median} vs {central}"
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    #[test]
    fn invariants(cap in 100.0..20_000.0f64, extra in 0.0..5000.0f64, kg in 1.0..1000.0f64, more in 0.0..500.0f64, pct in 1.0..85.0f64, n in 1u32..6) {
        let e = estimate(&scenario(GoalUnit::SignificantQuantity, n, cap, false, &[(kg, pct)]));
        let d = e.goal_days.unwrap().days();
        // More capacity is never slower; more stock is never slower.
        let faster = estimate(&scenario(GoalUnit::SignificantQuantity, n, cap + extra, false, &[(kg, pct)]));
        prop_assert!(faster.goal_days.unwrap().days() <= d * (1.0 + 1e-9));
        let richer = estimate(&scenario(GoalUnit::SignificantQuantity, n, cap, false, &[(kg + more, pct)]));
        prop_assert!(richer.goal_days.unwrap().days() <= d * (1.0 + 1e-9));
        // The production curve is monotone, and N units take longer than N − 1.
        for w in e.curve.windows(2) {
            prop_assert!(w[1].days >= w[0].days && w[1].units > w[0].units);
        }
        let next = estimate(&scenario(GoalUnit::SignificantQuantity, n + 1, cap, false, &[(kg, pct)]));
        prop_assert!(next.goal_days.unwrap().days() > d);
    }
}
