//! MARC cascades: PyNE's published multicomponent cases, reduction to the binary ideal cascade,
//! a stress grid that must always converge, and typed errors for unreachable targets.

use approx::assert_relative_eq;
use enrich::cascade::{KeyFraction, MarcCascade, StageSeparation};
use enrich::{Assay, Balance, Composition, EnrichError, Given, Isotope, KgU};
use proptest::prelude::*;

fn sep(g: f64) -> StageSeparation {
    StageSeparation::new(g).unwrap()
}

fn check_balances(c: &MarcCascade) {
    let (f, p, t) = (
        c.feed.at_fractions(),
        c.product.at_fractions(),
        c.tails.at_fractions(),
    );
    let pm = c.product_per_feed_mol;
    for i in 0..5 {
        assert!(
            (f[i] - pm * p[i] - (1.0 - pm) * t[i]).abs() <= 1e-10,
            "isotope {i}"
        );
    }
    assert!((c.product_per_feed + c.tails_per_feed - 1.0).abs() <= 1e-10);
    assert!(c.separative_work_per_feed > 0.0 && c.separative_work_per_feed.is_finite());
}

/// PyNE `tests/test_enrichment.py` (enrichment-physics.md §1.7): α = 1.05 per mass unit, i.e.
/// γ₂₃₅ = 1.05³ between U-235 and U-238. P and T per unit feed are molar and follow from the
/// U-235 balance alone, so they must match exactly; N, M and the minor isotopes depend on the
/// split model (PyNE optimises M*, we use aᵢ = γᵢ/√γ) and match to the stated tolerances.
#[test]
fn pyne_multicomponent_cases() {
    let g = sep(1.05f64.powi(3));
    struct Case {
        feed: [f64; 5],
        xp: f64,
        p: f64,
        n: f64,
        m: f64,
        /// (isotope, PyNE's product or tails fraction, our tolerance, in product?)
        minor: &'static [(Isotope, f64, f64, bool)],
    }
    for c in [
        Case {
            feed: [1.1e-9, 2.1e-4, 0.0092, 0.0042, 0.986_389_998_9],
            xp: 0.06,
            p: 0.116_521_739_130_434_79,
            n: 26.864_660_071_132_583,
            m: 16.637_884_564_470_365,
            // usersguide/enrichment.rst product composition.
            minor: &[
                (Isotope::U234, 0.001_605_533_842_04, 0.01, true),
                (Isotope::U236, 0.019_325_250_879_8, 0.025, true),
                (Isotope::U238, 0.919_069_206_016, 1e-3, true),
            ],
        },
        Case {
            feed: [0.0, 5.5e-5, 0.0072, 0.0, 0.992_745],
            xp: 0.05,
            p: 0.098_947_368_421_1,
            n: 27.183_583_424_704_818,
            m: 13.387_464_890_476_533,
            // NU tails U-234 1.00925405e-5.
            minor: &[(Isotope::U234, 1.009_254_05e-5, 0.07, false)],
        },
    ] {
        let feed = Composition::from_at_fractions(c.feed).unwrap();
        let r =
            MarcCascade::solve(&feed, KeyFraction::At(c.xp), KeyFraction::At(0.0025), g).unwrap();
        assert_relative_eq!(r.product_per_feed_mol, c.p, max_relative = 1e-11);
        assert_relative_eq!(
            r.product.at_fraction(Isotope::U235),
            c.xp,
            max_relative = 1e-11
        );
        assert_relative_eq!(
            r.tails.at_fraction(Isotope::U235),
            0.0025,
            max_relative = 1e-11
        );
        assert_relative_eq!(r.enriching_stages, c.n, max_relative = 0.015);
        assert_relative_eq!(r.stripping_stages, c.m, max_relative = 0.025);
        for &(iso, v, tol, in_product) in c.minor {
            let got = if in_product { &r.product } else { &r.tails }.at_fraction(iso);
            assert_relative_eq!(got, v, max_relative = tol);
        }
        check_balances(&r);
    }
}

proptest! {
    /// Two isotopes: N and M are the closed forms of the symmetric ideal cascade, and the SWU is
    /// the binary balance's (same value function, weight basis).
    #[test]
    fn two_isotopes_reduce_to_the_binary_cascade(
        xf in 0.003f64..0.6, up in 0.05f64..0.9, down in 0.05f64..0.9, g in 1.02f64..2.5,
    ) {
        let xp = xf + up * (0.97 - xf);
        let xt = xf * (1.0 - down);
        let feed = Composition::from_at_fractions_balance_u238(&[(Isotope::U235, xf)]).unwrap();
        let r = MarcCascade::solve(&feed, KeyFraction::At(xp), KeyFraction::At(xt), sep(g)).unwrap();
        let ratio = |x: f64| x / (1.0 - x);
        let half = 0.5 * g.ln();
        assert_relative_eq!(r.enriching_stages, (ratio(xp) / ratio(xf)).ln() / half, max_relative = 1e-9);
        assert_relative_eq!(r.stripping_stages + 1.0, (ratio(xf) / ratio(xt)).ln() / half, max_relative = 1e-9);
        let a = |x: f64| Assay::from_at_fraction_binary(x).unwrap();
        let b = Balance::solve(a(xf), a(xp), a(xt), Given::Feed(KgU::new(1.0).unwrap())).unwrap();
        assert_relative_eq!(r.separative_work_per_feed, b.separative_work.kg_swu(), max_relative = 1e-9);
        assert_relative_eq!(r.product_per_feed, b.product.kg(), max_relative = 1e-9);
        check_balances(&r);
    }
}

/// Feed with natural-ratio U-234 (0.0075 × U-235), optionally U-236 (the grid uses 1 % of the
/// U-235, which keeps 95 % reachable: the cap is 1/(1 + 0.0075 + 0.01) = 98.3 %).
fn feed(u235: f64, u234: bool, u236: f64) -> Composition {
    let mut v = vec![(Isotope::U235, u235)];
    if u234 {
        v.push((Isotope::U234, 0.0075 * u235));
    }
    if u236 > 0.0 {
        v.push((Isotope::U236, u236));
    }
    Composition::from_at_fractions_balance_u238(&v).unwrap()
}

#[test]
fn stress_grid_always_converges_with_targets_exact() {
    let feeds = [
        0.003, 0.0072, 0.02, 0.0367, 0.05, 0.1, 0.1975, 0.3, 0.45, 0.6,
    ];
    let products = [0.05, 0.2, 0.45, 0.6, 0.75, 0.9, 0.93, 0.95];
    let mut solved = 0;
    for g in [1.05, 1.2, 1.3, 1.5, 2.0] {
        for &xf in &feeds {
            for &xp in products.iter().filter(|&&p| p > xf * 1.05) {
                for &tails_share in &[0.2, 0.5, 0.9] {
                    for (u234, u236) in [(false, 0.0), (true, 0.0), (true, 0.01 * xf)] {
                        let f = feed(xf, u234, u236);
                        let xt = xf * tails_share;
                        let r = MarcCascade::solve(
                            &f,
                            KeyFraction::At(xp),
                            KeyFraction::At(xt),
                            sep(g),
                        )
                        .unwrap_or_else(|e| panic!("γ {g}, {xf} → {xp}/{xt}: {e}"));
                        assert!((r.product.at_fraction(Isotope::U235) - xp).abs() <= 1e-11 * xp);
                        assert!((r.tails.at_fraction(Isotope::U235) - xt).abs() <= 1e-11 * xt);
                        assert!(
                            r.iterations <= 12,
                            "γ {g}, {xf} → {xp}: {} iterations",
                            r.iterations
                        );
                        check_balances(&r);
                        solved += 1;
                    }
                }
            }
        }
    }
    assert!(solved > 1500, "{solved}");
}

#[test]
fn where_pyne_fails() {
    // Natural → 90 % (PyNE: NaN) and 3.67 % → 90 % (PyNE symbolic: ~40 %), 3 isotopes.
    for (xf, xp, xt) in [
        (0.0072, 0.9, 0.0025),
        (0.0367, 0.9, 0.00711),
        (0.0072, 0.6, 0.0025),
    ] {
        let f = Composition::from_at_fractions_balance_u238(&[
            (Isotope::U234, xf * 0.0075),
            (Isotope::U235, xf),
        ])
        .unwrap();
        let r = MarcCascade::solve(
            &f,
            KeyFraction::At(xp),
            KeyFraction::At(xt),
            sep(1.05f64.powi(3)),
        )
        .unwrap();
        assert_relative_eq!(
            r.product.at_fraction(Isotope::U235),
            xp,
            max_relative = 1e-11
        );
        check_balances(&r);
    }
}

#[test]
fn weight_targets_and_integer_stages() {
    let f = feed(0.0072, true, 0.0);
    let r = MarcCascade::solve(&f, KeyFraction::Wt(0.9), KeyFraction::Wt(0.003), sep(1.3)).unwrap();
    assert_relative_eq!(
        r.product.wt_fraction(Isotope::U235),
        0.9,
        max_relative = 1e-11
    );
    assert_relative_eq!(
        r.tails.wt_fraction(Isotope::U235),
        0.003,
        max_relative = 1e-11
    );
    let i = r.rounded_up().unwrap();
    assert!(i.enriching_stages.fract().abs() < 1e-12 && i.stripping_stages.fract().abs() < 1e-12);
    assert!(i.enriching_stages >= r.enriching_stages && i.stripping_stages >= r.stripping_stages);
    assert!(
        i.product.wt_fraction(Isotope::U235) >= 0.9 && i.tails.wt_fraction(Isotope::U235) <= 0.003
    );
    check_balances(&i);
}

#[test]
fn unreachable_targets_are_typed_errors() {
    let g = sep(1.3);
    let nat = feed(0.0072, true, 0.0);
    for (f, xp, xt, needle) in [
        (nat, 0.005, 0.0025, "tails < feed < product"),
        (nat, 0.9, 0.008, "tails < feed < product"),
        (nat, 1.0, 0.0025, "product target"),
        (nat, 0.9, 0.0, "tails target"),
        (nat, f64::NAN, 0.0025, "product target"),
        // 2 at-% U-234 with 20 % U-235: MARC cannot pass 20/22 = 90.9 %.
        (
            Composition::from_at_fractions_balance_u238(&[
                (Isotope::U234, 0.02),
                (Isotope::U235, 0.2),
            ])
            .unwrap(),
            0.95,
            0.05,
            "about 90.9091 at-%",
        ),
    ] {
        let e = MarcCascade::solve(&f, KeyFraction::At(xp), KeyFraction::At(xt), g).unwrap_err();
        assert!(!matches!(e, EnrichError::NoConvergence { .. }), "{e}");
        assert!(e.to_string().contains(needle), "{e}");
    }
    assert!(MarcCascade::with_stages(&nat, 0.0, 1.0, g).is_err());
    assert!(MarcCascade::with_stages(&nat, 3.0, -1.0, g).is_err());
}
