//! `deal design --percentile P`: the target at a percentile of the Monte Carlo.
//!
//! Checked on small sub-spaces around the JCPOA's limits (a few candidates, each a `deal
//! floor` with 200 draws):
//! - every frontier point's percentile floor is what `deal floor FILE --model fixed-cascade
//!   --percentile P --samples N --seed S` gives for its deal file (the designer sweeps with
//!   `SCREENING`, the fixed-cascade model), and meets the target there;
//! - the percentile is `breakout run`'s Monte Carlo on the deal's permitted state: the same
//!   draws summarised by run's own code give the same P25 and P50, and the nearest-rank
//!   reading holds by counting (at least 90 % of the draws at or above P10);
//! - P50 lies near the central value, and a higher percentile never gives a shorter floor.

use breakout::SCREENING;
use breakout::montecarlo::{sample_goal_days, summarize};
use breakout_app::commands::NumList;
use breakout_app::commands::design::{DesignArgs, design};
use breakout_app::commands::floor::{
    FloorOptions, PercentileOptions, Series, base_date, floor_at, floor_estimate, permitted_state,
};
use breakout_app::commands::run::{self, RunArgs};
use breakout_app::data::bundled_machines;
use breakout_app::deals::deal_from_toml;
use breakout_app::progress::Silent;
use breakout_app::states::{self, State};
use enrich::units::DAYS_PER_MONTH;

const SAMPLES: usize = 200;
const SEED: u64 = 7;

/// A sub-space of the stock caps `stock` at 3.67 wt-%, 5,060 IR-1 at FEP, the rest stored.
fn jcpoa_line(stock: &str, percentile: Option<f64>) -> DesignArgs {
    DesignArgs {
        cap_wt_pct: Some(NumList(vec![3.67])),
        stock_cap_kg: Some(stock.into()),
        machines: vec![
            "fep:IR-1=5060".into(),
            "fep:IR-2m=0".into(),
            "fordow:IR-6=0".into(),
        ],
        fates: Some(vec!["stored".into()]),
        percentile,
        samples: percentile.map(|_| SAMPLES),
        seed: percentile.map(|_| SEED),
        ..DesignArgs::default()
    }
}

fn pct(p: f64) -> PercentileOptions {
    PercentileOptions {
        percentile: Some(p),
        samples: Some(SAMPLES),
        seed: Some(SEED),
    }
}

/// Every frontier point of a sub-space is reproduced by `deal floor FILE --percentile P
/// --samples N --seed S`, and meets the target at the percentile.
#[test]
fn frontier_points_are_reproduced_by_deal_floor() {
    for (stock, machines) in [
        (
            "0..1200:400",
            vec!["fep:IR-1=5060", "fep:IR-2m=0", "fordow:IR-6=0"],
        ),
        (
            "600",
            vec!["fep:IR-1=4048..5060:1012", "fep:IR-2m=0", "fordow:IR-6=0"],
        ),
    ] {
        let mut a = jcpoa_line(stock, Some(10.0));
        a.machines = machines.iter().map(|m| m.to_string()).collect();
        a.if_broken = false;
        let res = design(&a, &Silent).unwrap();
        let mc = res.monte_carlo.expect("the Monte Carlo is reported");
        assert_eq!((mc.percentile, mc.samples, mc.seed), (10.0, SAMPLES, SEED));
        assert!(!res.frontier.is_empty());
        for (i, p) in res.frontier.iter().enumerate() {
            let dir = std::env::temp_dir().join(format!("breakout-pct-{}", std::process::id()));
            std::fs::create_dir_all(&dir).unwrap();
            let path = dir.join(format!("{i}.toml"));
            std::fs::write(&path, &p.deal_toml).unwrap();
            let f = floor_estimate(
                path.to_str().unwrap(),
                None,
                Series::None,
                &a.floor_options(),
                &a.percentile_options(),
                &breakout_app::progress::Silent,
            )
            .unwrap()
            .result;
            assert_eq!(f.at_percentile, p.at_percentile, "{}", p.levers.describe());
            assert_eq!(f.monte_carlo, res.monte_carlo);
            assert_eq!(f.permitted_first_sq_days, p.permitted_first_sq_days);
            let p10 = p.at_percentile.unwrap().permitted_first_sq_days;
            assert!(p10.is_none_or(|d| d >= 12.0 * DAYS_PER_MONTH), "{p10:?}");
        }
        // Every point the target rejected misses it at the percentile.
        for q in res.points.iter().filter(|q| !q.meets_target) {
            let d = q.at_percentile.unwrap().permitted_first_sq_days.unwrap();
            assert!(d < 12.0 * DAYS_PER_MONTH, "{}: {d}", q.levers.describe());
        }
    }
}

/// The deal of one candidate: 3.67 wt-%, 600 kg UF6, 5,060 IR-1, the rest stored.
fn one_deal() -> (breakout::deal::Deal, State) {
    let a = jcpoa_line("600", Some(10.0));
    let res = design(&a, &Silent).unwrap();
    assert_eq!(res.grid_size, 1);
    let deal = deal_from_toml(&res.frontier[0].deal_toml, "one.toml").unwrap();
    let base = states::load("iran-2025-05").unwrap();
    (deal, base)
}

/// The percentile floor equals the percentile of `breakout run`'s Monte Carlo (the same draws,
/// summarised by its own code) on the deal's permitted state, and the nearest-rank reading
/// holds by counting.
#[test]
fn percentile_is_runs_monte_carlo_on_the_permitted_state() {
    let (deal, base) = one_deal();
    let date = base_date(&base).unwrap();
    let (permitted, _) = permitted_state(&base.data, &deal, date);
    let state = State {
        file: "permitted".into(),
        data: permitted,
    };
    let lib = bundled_machines().unwrap();
    let sc = states::scenario(&state, &lib, &run::options(&RunArgs::default()).unwrap()).unwrap();
    // What the hand check of P50 below relies on: while the deal holds only IR-1 machines
    // enrich, so of the drawn ratings only the IR-1's matters (the stored types' ratings count
    // only if the deal is broken).
    assert!(
        sc.inputs
            .iter()
            .any(|i| i.key == "IR-1.swu_per_machine_yr" && i.param.is_uncertain())
    );
    assert!(
        state
            .data
            .sites
            .iter()
            .flat_map(|s| &s.cascades)
            .filter(|c| c.status == breakout::MachineStatus::Operating)
            .all(|c| c.machine == "IR-1")
    );
    let est = SCREENING.prepare(&sc).unwrap();
    let draws = sample_goal_days(est.as_ref(), &sc, SAMPLES, SEED, &|_| {}).unwrap();
    let summary = summarize(draws.clone(), 20);
    // The designer's model (`SCREENING`), as its floors are computed.
    let o = FloorOptions {
        model: SCREENING.id().into(),
        ..FloorOptions::default()
    };
    for (i, p) in [(1, 25.0), (2, 50.0)] {
        let f = floor_at(&deal, &base, date, &o, pct(p).resolve().unwrap().as_ref()).unwrap();
        assert!((summary.percentiles[i].0 - p).abs() < 1e-12);
        assert_eq!(
            f.at_percentile.unwrap().permitted_first_sq_days,
            summary.percentiles[i].1,
            "P{p}"
        );
    }
    // P10 by counting: at least 90 % of the draws at or above it, at most 90 % strictly above.
    let f = floor_at(
        &deal,
        &base,
        date,
        &o,
        pct(10.0).resolve().unwrap().as_ref(),
    )
    .unwrap();
    let p10 = f.at_percentile.unwrap().permitted_first_sq_days.unwrap();
    let at_or_above = draws.iter().filter(|&&d| d >= p10).count();
    let above = draws.iter().filter(|&&d| d > p10).count();
    assert!(at_or_above * 10 >= SAMPLES * 9, "{at_or_above}");
    assert!(above * 10 <= SAMPLES * 9, "{above}");
    assert!(draws.iter().all(|d| d.is_finite()));
}

/// P50 by hand: the only uncertain input that matters while this deal holds is the IR-1 rating
/// (checked above),
/// triangular(0.65, 1.0, 1.12) kg-SWU/yr (data/machines.toml), whose median is
/// 0.65 + √(0.5 · 0.47 · 0.35) = 0.9368 (the mode holds 74.5 % of the mass to its left). The
/// days are a fixed set-up time plus work over capacity, so the median draw lies above the
/// central value and at most 1/0.9368 times it (plus the median's sampling error, ≈ 1 % for 200
/// draws: 3 % allowed). And P5 ≤ P10 ≤ P50 ≤ P90 ≤ P95 with the same draws, while the deal
/// holds and if broken.
#[test]
fn median_near_central_and_percentiles_monotone() {
    let (deal, base) = one_deal();
    let date = base_date(&base).unwrap();
    // The designer's model (`SCREENING`), as its floors are computed.
    let o = FloorOptions {
        model: SCREENING.id().into(),
        ..FloorOptions::default()
    };
    let at = |p: f64| {
        floor_at(&deal, &base, date, &o, pct(p).resolve().unwrap().as_ref())
            .unwrap()
            .at_percentile
            .unwrap()
    };
    let central = floor_at(&deal, &base, date, &o, None).unwrap();
    let c = central.permitted.first_unit_days.unwrap().days();
    let p50 = at(50.0).permitted_first_sq_days.unwrap();
    let median_rating = 0.65 + (0.5_f64 * 0.47 * 0.35).sqrt();
    assert!((median_rating - 0.9368).abs() < 1e-4);
    assert!(
        p50 > c && p50 <= 1.03 * c / median_rating,
        "P50 {p50} against central {c}"
    );
    let ps: Vec<_> = [5.0, 10.0, 50.0, 90.0, 95.0].map(at).to_vec();
    for w in ps.windows(2) {
        assert!(w[0].permitted_first_sq_days <= w[1].permitted_first_sq_days);
        assert!(w[0].first_sq_days <= w[1].first_sq_days);
    }
    assert!(ps[0].permitted_first_sq_days < ps[4].permitted_first_sq_days);
}

/// A cautious percentile never admits more than the central value on the same line: the
/// largest stock cap meeting the target at P10 is at most the central one.
#[test]
fn p10_frontier_is_no_more_permissive_than_the_central_one() {
    let stock = |a: &DesignArgs| {
        let r = design(a, &Silent).unwrap();
        r.frontier
            .iter()
            .map(|p| p.levers.stock_cap_kg)
            .fold(-1.0, f64::max)
    };
    let central = stock(&jcpoa_line("400..800:200", None));
    let p10 = stock(&jcpoa_line("400..800:200", Some(10.0)));
    let p90 = stock(&jcpoa_line("400..800:200", Some(90.0)));
    assert!(p10 <= central && central <= p90, "{p10} {central} {p90}");
}
