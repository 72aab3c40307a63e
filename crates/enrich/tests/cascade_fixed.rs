//! Fixed cascades run off-design, ideal designs and batch recycling: published and hand-computed
//! cases, the design-point capacity rule, and balance invariants over random cascades.

use approx::assert_relative_eq;
use enrich::cascade::{
    FeedRate, FixedCascade, IdealCascade, MachineFeed, Passes, StageSeparation, Stream,
    batch_recycle, interconnect, machine_feed_from_rating,
};
use enrich::{Assay, Composition, EnrichError, Isotope};
use proptest::prelude::*;

fn sep(a: f64) -> StageSeparation {
    StageSeparation::new(a).unwrap()
}

fn wt(pct: f64) -> Assay {
    Assay::from_wt_pct(pct).unwrap()
}

fn limit() -> MachineFeed {
    MachineFeed::new(50.0).unwrap()
}

/// Mass and per-isotope (mass) balance of a run: F = P + T for every isotope, per kg feed.
fn check_balances(run: &enrich::cascade::CascadeRun) {
    assert!((run.product_per_feed + run.tails_per_feed - 1.0).abs() <= 1e-10);
    let (f, p, t) = (
        run.feed.wt_fractions(),
        run.product.wt_fractions(),
        run.tails.wt_fractions(),
    );
    for i in 0..5 {
        let err = f[i] - run.product_per_feed * p[i] - run.tails_per_feed * t[i];
        assert!(err.abs() <= 1e-10, "isotope {i}: {err:e}");
    }
    assert!(run.separative_work_per_feed >= -1e-12);
    let max_load = run
        .stages
        .iter()
        .map(|s| s.load_at_max_feed)
        .fold(0.0, f64::max);
    assert_relative_eq!(max_load, 1.0, max_relative = 1e-12);
    // Every stage enriches its heads; the cascade enriches its product and depletes its tails.
    for st in &run.stages {
        assert!(ratio(&st.heads) > ratio(&st.tails), "stage {}", st.stage);
    }
    assert!(ratio(&run.product) > ratio(&run.feed) && ratio(&run.feed) > ratio(&run.tails));
}

/// The abundance ratio R = x235/x238.
fn ratio(c: &Composition) -> f64 {
    c.at_fraction(Isotope::U235) / c.at_fraction(Isotope::U238)
}

/// In a designed (near-ideal) cascade R rises from each stage's feed to the next's.
fn check_monotone(run: &enrich::cascade::CascadeRun) {
    for w in run.stages.windows(2) {
        assert!(
            ratio(&w[1].feed) > ratio(&w[0].feed),
            "stage {}",
            w[1].stage
        );
    }
}

#[test]
fn single_stage_matches_hand_solution() {
    // One stage, θ = 0.5, α = 1.5, feed 50 at-%: y = 1 − w and (1 − w)/w = √1.5, so
    // w = 1/(1 + √1.5) = 0.449490 and y = 0.550510.
    let c = FixedCascade::new(vec![1], vec![0.5], 1, sep(1.5), limit()).unwrap();
    let feed = Composition::from_at_fractions_balance_u238(&[(Isotope::U235, 0.5)]).unwrap();
    let run = c.run(&feed).unwrap();
    let w = 1.0 / (1.0 + 1.5f64.sqrt());
    assert_relative_eq!(
        run.tails.at_fraction(Isotope::U235),
        w,
        max_relative = 1e-12
    );
    assert_relative_eq!(
        run.product.at_fraction(Isotope::U235),
        1.0 - w,
        max_relative = 1e-12
    );
    check_balances(&run);
}

#[test]
fn ideal_designs_run_at_design_feed_reproduce_design_assays() {
    for (f, p, t, a) in [
        (0.711, 3.5, 0.3, 1.5),
        (0.711, 90.0, 0.3, 1.5),
        (3.67, 90.0, 0.711, 1.3),
        (19.75, 90.0, 3.67, 2.0),
        (60.0, 95.0, 20.0, 1.2),
        (0.3, 5.0, 0.1, 1.05),
    ] {
        let d = IdealCascade::for_assays(wt(f), wt(p), wt(t), sep(a)).unwrap();
        assert!(d.product >= wt(p) && d.tails <= wt(t), "targets met");
        let sized = d.sized_for_product(100.0, limit()).unwrap();
        let run = sized.cascade.run(&Composition::binary(wt(f))).unwrap();
        assert_relative_eq!(
            run.product.assay().wt_fraction(),
            d.product.wt_fraction(),
            max_relative = 1e-9
        );
        assert_relative_eq!(
            run.tails.assay().wt_fraction(),
            d.tails.wt_fraction(),
            max_relative = 1e-9
        );
        for (st, ideal) in run.stages.iter().zip(&d.stages) {
            assert_relative_eq!(
                st.feed.at_fraction(Isotope::U235),
                ideal.feed_at,
                max_relative = 1e-9
            );
            assert_relative_eq!(st.flow_per_feed, ideal.flow_per_feed, max_relative = 1e-9);
        }
        // Machines rounded up: the design feed is within the cascade's maximum.
        assert!(run.max_feed_kg_u_per_yr >= sized.feed_kg_u_per_yr * (1.0 - 1e-9));
        assert_relative_eq!(
            run.product_per_feed * sized.feed_kg_u_per_yr,
            100.0,
            max_relative = 1e-9
        );
        check_balances(&run);
        check_monotone(&run);
        // The design's own throughput and separative work are the solver's, unsolved.
        let machines = sized.cascade.machines();
        assert_relative_eq!(
            d.max_feed_kg_u_per_yr(machines, limit()).unwrap(),
            run.max_feed_kg_u_per_yr,
            max_relative = 1e-9
        );
        assert_relative_eq!(
            d.separative_work_per_feed(),
            run.separative_work_per_feed,
            max_relative = 1e-9
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Any machines per stage with an ideal design's cuts, fed two-isotope uranium at the
    /// design's feed assay, run at the design's flows: the solver's maximum feed and separative
    /// work are the design's closed forms (what the re-piped feed-point search relies on).
    #[test]
    fn ideal_cuts_on_any_machines_run_at_the_design_flows(
        alpha in 1.05..2.0f64,
        enriching in 1usize..30,
        stripping in 0usize..15,
        feed_pct in 0.3..80.0f64,
        machines in proptest::collection::vec(1u32..400, 45),
    ) {
        let Ok(d) = IdealCascade::with_stages(wt(feed_pct), enriching, stripping, sep(alpha)) else {
            // Product or tails beyond the representable assays: no design to compare.
            return Ok(());
        };
        let n = enriching + stripping;
        let machines = &machines[..n];
        let cuts = d.stages.iter().map(|s| s.cut).collect();
        let run = FixedCascade::new(machines.to_vec(), cuts, stripping + 1, sep(alpha), limit())
            .unwrap()
            .run(&Composition::binary(wt(feed_pct)))
            .unwrap();
        let max_feed = d.max_feed_kg_u_per_yr(machines, limit()).unwrap();
        prop_assert!((max_feed / run.max_feed_kg_u_per_yr - 1.0).abs() < 1e-9, "{max_feed} {run:?}");
        let work = d.separative_work_per_feed();
        prop_assert!(
            (work - run.separative_work_per_feed).abs() <= 1e-9 * run.separative_work_per_feed.abs().max(1e-6),
            "{work} {}", run.separative_work_per_feed
        );
        prop_assert!(d.max_feed_kg_u_per_yr(&machines[1..], limit()).is_err());
    }
}

#[test]
fn stage_counts_match_hand_calculation_and_mbmore() {
    // NU (0.711 wt-%) → 3.5 wt-% / 0.3 wt-% at α = 1.5: R_F = 0.0072525, R_P = 0.036733,
    // R_T = 0.0030190 (hand): nₑ = 2·ln(5.0649)/ln 1.5 = 8.0023, nₛ = 2·ln(2.4023)/ln 1.5 − 1 = 3.3264.
    let d = IdealCascade::for_assays(Assay::NATURAL, wt(3.5), wt(0.3), sep(1.5)).unwrap();
    assert!(
        (d.enriching_stages_exact - 8.0023).abs() < 2e-3,
        "{}",
        d.enriching_stages_exact
    );
    assert!(
        (d.stripping_stages_exact - 3.3264).abs() < 5e-2,
        "{}",
        d.stripping_stages_exact
    );
    assert_eq!((d.enriching_stages, d.stripping_stages), (9, 4));
    // mbmore FindNStages(α = 1.16321 heads/feed, 0.0071, 0.035, 0.001) → 11 enriching, 13
    // stripping (enrichment-physics.md §3.3). Its α is our √α.
    let at = |x: f64| Assay::from_at_fraction_binary(x).unwrap();
    let d = IdealCascade::for_assays(
        at(0.0071),
        at(0.035),
        at(0.001),
        sep(1.163_210_314f64.powi(2)),
    )
    .unwrap();
    assert_eq!((d.enriching_stages, d.stripping_stages), (11, 13));
}

#[test]
fn capacity_at_design_point_is_machines_times_separative_power() {
    // Rule of docs/models.md: with L = δU/Φ(α), a cascade delivers machines × δU × utilization
    // at its design point; utilization < 1 only through whole machines.
    for (machines, min_util) in [(164, 0.96), (174, 0.96), (10_000, 0.998)] {
        let s = sep(1.5);
        let lm = machine_feed_from_rating(1.0, s).unwrap();
        let d = IdealCascade::with_stages(Assay::NATURAL, 10, 5, s).unwrap();
        let sized = d.fitted_to_machines(machines, lm).unwrap();
        assert_eq!(sized.cascade.total_machines(), u64::from(machines));
        let run = sized
            .cascade
            .run(&Composition::binary(Assay::NATURAL))
            .unwrap();
        assert_relative_eq!(
            run.max_feed_kg_u_per_yr,
            sized.feed_kg_u_per_yr,
            max_relative = 1e-9
        );
        let swu = run.at_max_feed().separative_power_swu_per_yr;
        let u = sized.utilization();
        assert!(u >= min_util && u <= 1.0, "{machines}: utilization {u}");
        assert_relative_eq!(swu, f64::from(machines) * 1.0 * u, max_relative = 1e-4);
    }
}

#[test]
fn batch_recycling_conserves_uranium_and_times_add_up() {
    let s = sep(1.5);
    let lm = machine_feed_from_rating(1.0, s).unwrap();
    let c = IdealCascade::with_stages(Assay::NATURAL, 10, 5, s)
        .unwrap()
        .fitted_to_machines(164, lm)
        .unwrap()
        .cascade;
    let b = batch_recycle(
        &c,
        &Composition::natural(),
        1000.0,
        Passes::Count(3),
        FeedRate::Max,
    )
    .unwrap();
    assert_eq!(b.passes.len(), 3);
    let total = b.product_kg_u() + b.tails_kg_u();
    assert_relative_eq!(total, 1000.0, max_relative = 1e-12);
    for w in b.passes.windows(2) {
        assert_relative_eq!(w[1].feed_kg_u, w[0].product_kg_u, max_relative = 1e-15);
        assert!(w[1].run.product.assay() > w[0].run.product.assay());
    }
    for p in &b.passes {
        assert_relative_eq!(
            p.days,
            p.feed_kg_u / p.feed_kg_u_per_yr * 365.25,
            max_relative = 1e-12
        );
    }
    // Until 90 %: NU → 5.2 → 35 → 94 wt-% in three passes with this cascade.
    let u = batch_recycle(
        &c,
        &Composition::natural(),
        1000.0,
        Passes::UntilAssay {
            target: wt(90.0),
            max_passes: 10,
        },
        FeedRate::AtMost(100.0),
    )
    .unwrap();
    assert_eq!(u.passes.len(), 3);
    assert!(u.passes.iter().all(|p| p.feed_kg_u_per_yr <= 100.0));
    // Above what U-234 allows: a typed error, not a loop.
    let e = batch_recycle(
        &c,
        &Composition::natural(),
        1000.0,
        Passes::UntilAssay {
            target: wt(99.99),
            max_passes: 50,
        },
        FeedRate::Max,
    )
    .unwrap_err();
    assert!(matches!(e, EnrichError::Inconsistent(_)), "{e}");
}

#[test]
fn interconnection_runs_at_the_tighter_rate() {
    let s = sep(1.5);
    let lm = machine_feed_from_rating(1.0, s).unwrap();
    let d = IdealCascade::with_stages(Assay::NATURAL, 10, 5, s).unwrap();
    let big = d.fitted_to_machines(164, lm).unwrap().cascade;
    let small = d.fitted_to_machines(15, lm).unwrap().cascade;
    let i = interconnect(&big, &small, &Composition::natural(), Stream::Product).unwrap();
    assert!(
        i.second_limits,
        "{} {} {}",
        i.first.max_feed_kg_u_per_yr, i.second.max_feed_kg_u_per_yr, i.first.product_per_feed
    );
    assert_relative_eq!(
        i.stream_kg_u_per_yr,
        i.second.max_feed_kg_u_per_yr,
        max_relative = 1e-12
    );
    assert_relative_eq!(
        i.second.feed.assay().wt_fraction(),
        i.first.product.assay().wt_fraction(),
        max_relative = 1e-15
    );
    let j = interconnect(&big, &big, &Composition::natural(), Stream::Tails).unwrap();
    assert!(!j.second_limits && j.second.tails.assay() < j.first.tails.assay());
}

#[test]
fn bad_hardware_is_a_typed_error() {
    let s = sep(1.5);
    for (m, c, k, needle) in [
        (vec![1, 1], vec![0.5], 1, "2 cuts"),
        (vec![1, 0], vec![0.5, 0.5], 1, "stage 2 has no machine"),
        (vec![1, 1], vec![0.5, 1.0], 1, "stage cut"),
        (vec![1, 1], vec![0.5, 0.5], 3, "feed stage 3"),
        (vec![], vec![], 1, "1 to 200 stages"),
    ] {
        let e = FixedCascade::new(m, c, k, s, limit())
            .unwrap_err()
            .to_string();
        assert!(e.contains(needle), "{e}");
    }
}

/// Feeds over the whole assay range with the trace isotopes of recycled or natural uranium.
fn feed(u235_wt: f64, u234_wt: f64, u236_wt: f64) -> Composition {
    Composition::from_wt_fractions_balance_u238(&[
        (Isotope::U234, u234_wt),
        (Isotope::U235, u235_wt),
        (Isotope::U236, u236_wt),
    ])
    .unwrap()
}

#[test]
fn stress_grid_fixed_cascades_converge_with_balances_closed() {
    let designs = [(1.5, 10, 5), (1.3, 30, 10), (2.0, 6, 3), (1.05, 60, 20)];
    for (a, ne, ns) in designs {
        let c = IdealCascade::with_stages(Assay::NATURAL, ne, ns, sep(a))
            .unwrap()
            .sized_for_product(10.0, limit())
            .unwrap()
            .cascade;
        for pct in [
            0.3, 0.711, 1.0, 3.67, 5.0, 10.0, 19.75, 40.0, 60.0, 80.0, 90.0, 95.0,
        ] {
            for (u4, u6) in [(0.0, 0.0), (0.0055 * pct / 100.0, 0.0), (1e-4, 5e-3)] {
                let run = c
                    .run(&feed(pct / 100.0, u4, u6))
                    .unwrap_or_else(|e| panic!("α {a}, {pct} %: {e}"));
                assert!(
                    run.iterations <= 12,
                    "α {a}, {pct} %: {} iterations",
                    run.iterations
                );
                check_balances(&run);
                check_monotone(&run);
            }
        }
    }
}

/// The benchmarked cascades (`benches/cascade.rs`) converge in the Newton steps measured when
/// the O(N) step was tuned (2026-12-01): the ideal-cascade starting point is exact for U-235
/// and U-238, so the steps correct the minor isotopes (natural U-234) and, in the 15-stage
/// case, the LEU feed in a cascade designed for natural uranium. More steps is a slower start.
#[test]
fn benchmarked_cascades_converge_in_the_measured_newton_steps() {
    let leu = feed(0.0367, 3e-4, 2e-3);
    let s = sep(1.5);
    let ir1_like = IdealCascade::with_stages(Assay::NATURAL, 10, 5, s)
        .unwrap()
        .fitted_to_machines(164, machine_feed_from_rating(1.0, s).unwrap())
        .unwrap()
        .cascade;
    let long = |stages: usize| {
        let s = sep(1.05);
        IdealCascade::with_stages(Assay::NATURAL, stages - stages / 3, stages / 3, s)
            .unwrap()
            .fitted_to_machines(
                10 * stages as u32,
                machine_feed_from_rating(1.0, s).unwrap(),
            )
            .unwrap()
            .cascade
    };
    let natural = Composition::natural();
    for (what, cascade, feed, steps) in [
        ("15 stages, 4 isotopes", ir1_like, &leu, 3),
        ("10 stages", long(10), &natural, 1),
        ("80 stages", long(80), &natural, 2),
        ("200 stages", long(200), &natural, 2),
    ] {
        let run = cascade.run(feed).unwrap();
        assert!(
            run.iterations <= steps,
            "{what}: {} Newton steps, measured {steps}",
            run.iterations
        );
        check_balances(&run);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    /// Every cut drawn on its own anywhere in 0.25–0.75: mostly cascades far from any design,
    /// where damped Newton can need well over 60 steps (continuation in the cuts is the
    /// fallback). All must converge with every balance closed (90,000 draws did, 2026-11-27).
    #[test]
    fn random_cascades_converge_and_balance(
        cuts in proptest::collection::vec(0.25f64..0.75, 1..25),
        k_frac in 0.0f64..1.0,
        a in 1.02f64..2.5,
        u235 in 0.002f64..0.95,
        u234 in 0.0f64..0.002,
        u236 in 0.0f64..0.02,
    ) {
        let n = cuts.len();
        let k = 1 + ((n - 1) as f64 * k_frac).round() as usize;
        let c = FixedCascade::new(vec![3; n], cuts, k, sep(a), limit()).unwrap();
        let run = c.run(&feed(u235, u234, u236)).unwrap();
        check_balances(&run);
    }

    /// Cascades near a design (each cut within ±0.08 of the ideal cascade's cut for the feed's
    /// U-235 assay) must converge, over the whole assay range and α.
    #[test]
    fn near_design_cascades_converge_and_balance(
        enriching in 1usize..16,
        stripping in 1usize..10,
        shifts in proptest::collection::vec(-0.08f64..0.08, 25),
        a in 1.02f64..2.5,
        u235 in 0.002f64..0.95,
        u234 in 0.0f64..0.002,
        u236 in 0.0f64..0.02,
    ) {
        let f = feed(u235, u234, u236);
        let ideal = IdealCascade::with_stages(f.assay(), enriching, stripping, sep(a)).unwrap();
        let cuts: Vec<f64> = ideal
            .stages
            .iter()
            .zip(&shifts)
            .map(|(s, d)| (s.cut + d).clamp(0.02, 0.98))
            .collect();
        let n = cuts.len();
        let c = FixedCascade::new(vec![3; n], cuts, stripping + 1, sep(a), limit()).unwrap();
        let run = c.run(&f).unwrap();
        check_balances(&run);
    }
}

/// A case proptest found on CI (19 stages with cuts far from any design, α ≈ 2.05, 12 % feed
/// with U-234): damped Newton from the ideal-cascade guess had a residual of 0.6 when the cap
/// was 60 steps; it converges now (more steps, continuation in the cuts as the fallback).
#[test]
fn far_off_design_cascade_converges() {
    let cuts = vec![
        0.7003170797258091,
        0.7033810415650573,
        0.6955225714829247,
        0.5699607086574859,
        0.6714647062447971,
        0.5059653130761337,
        0.5278942122763423,
        0.268029421240058,
        0.44922740115509396,
        0.30671224103955297,
        0.27990996316944594,
        0.2707061081888022,
        0.5856909820485613,
        0.3361934297679237,
        0.5514548133924475,
        0.28004160914066184,
        0.3052735868857595,
        0.3481430180376792,
        0.6335075328921868,
    ];
    let n = cuts.len();
    let k = 1 + ((n - 1) as f64 * 0.22040585483049766).round() as usize;
    let c = FixedCascade::new(vec![3; n], cuts, k, sep(2.0482727315460907), limit()).unwrap();
    let run = c
        .run(&feed(0.11994682273620307, 0.0019592620677618884, 0.0))
        .unwrap();
    check_balances(&run);
}
