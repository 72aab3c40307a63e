//! Invariants of the balance and the multi-stock plan over random valid inputs.

use enrich::balance::{product_yield, tails_assay_for};
use enrich::{
    Assay, Balance, EnrichError, Given, KgU, Plan, Stock, Swu, TailsChoice, value_function,
};
use proptest::prelude::*;

/// Three ordered assays (fractions) spanning depleted to weapon grade.
fn ordered_assays() -> impl Strategy<Value = (f64, f64, f64)> {
    (1e-4f64..0.95, 1e-4f64..0.95, 1e-4f64..0.95)
        .prop_filter("distinct", |(a, b, c)| {
            let mut v = [*a, *b, *c];
            v.sort_by(f64::total_cmp);
            v[1] - v[0] > 1e-4 && v[2] - v[1] > 1e-4
        })
        .prop_map(|(a, b, c)| {
            let mut v = [a, b, c];
            v.sort_by(f64::total_cmp);
            (v[1], v[2], v[0]) // feed, product, tails
        })
}

fn assay(x: f64) -> Assay {
    Assay::from_wt_fraction(x).unwrap()
}

fn swu_of(stocks: &[(f64, f64)], draws: &[f64], p: f64, xp: f64) -> Option<f64> {
    let feed: f64 = draws.iter().sum();
    let u235: f64 = stocks.iter().zip(draws).map(|((_, x), d)| d * x).sum();
    let t = feed - p;
    if t <= 0.0 {
        return None;
    }
    let xt = (u235 - p * xp) / t;
    if xt <= 0.0 {
        return None;
    }
    let v = |x: f64| value_function(assay(x));
    // A stream cannot be fed below the tails end: only stocks above the tails assay may be drawn.
    if stocks
        .iter()
        .zip(draws)
        .any(|((_, x), d)| *d > 0.0 && *x <= xt)
    {
        return None;
    }
    Some(
        p * v(xp) + t * v(xt)
            - stocks
                .iter()
                .zip(draws)
                .map(|((_, x), d)| d * v(*x))
                .sum::<f64>(),
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// F = P + T and F·x_F = P·x_P + T·x_T to 1e-12 relative; SWU ≥ 0; whichever quantity is given.
    #[test]
    fn balance_conserves_mass_and_u235((xf, xp, xt) in ordered_assays(), q in 1e-3f64..1e6, which in 0usize..4) {
        let given = match which {
            0 => Given::Product(KgU::new(q).unwrap()),
            1 => Given::Feed(KgU::new(q).unwrap()),
            2 => Given::Tails(KgU::new(q).unwrap()),
            _ => Given::Swu(Swu::new(q).unwrap()),
        };
        let b = Balance::solve(assay(xf), assay(xp), assay(xt), given).unwrap();
        let (f, p, t) = (b.feed.kg(), b.product.kg(), b.tails.kg());
        prop_assert!(f > 0.0 && p > 0.0 && t > 0.0);
        prop_assert!(((f - p - t) / f).abs() <= 1e-12, "mass {f} {p} {t}");
        prop_assert!(((f * xf - p * xp - t * xt) / (f * xf)).abs() <= 1e-12, "U-235");
        prop_assert!(b.separative_work.kg_swu() >= 0.0);
    }

    /// SWU per kg product rises with the product assay and falls as the tails assay rises toward
    /// the feed (more feed, less stripping); feed per kg product falls as the feed gets richer.
    #[test]
    fn monotone_in_each_assay((xf, xp, xt) in ordered_assays(), bump in 1e-4f64..0.02) {
        let one = KgU::new(1.0).unwrap();
        let base = Balance::from_product(assay(xf), assay(xp), assay(xt), one).unwrap();
        if xp + bump < 0.999 {
            let up = Balance::from_product(assay(xf), assay(xp + bump), assay(xt), one).unwrap();
            prop_assert!(up.separative_work > base.separative_work);
            prop_assert!(up.feed > base.feed);
        }
        if xt + bump < xf {
            let up = Balance::from_product(assay(xf), assay(xp), assay(xt + bump), one).unwrap();
            prop_assert!(up.separative_work < base.separative_work);
            prop_assert!(up.feed > base.feed);
        }
        if xf + bump < xp {
            let up = Balance::from_product(assay(xf + bump), assay(xp), assay(xt), one).unwrap();
            prop_assert!(up.separative_work < base.separative_work);
            prop_assert!(up.feed < base.feed);
        }
    }

    /// The tails assay from masses inverts the balance.
    #[test]
    fn tails_from_masses_round_trips((xf, xp, xt) in ordered_assays(), p in 1e-2f64..1e4) {
        let b = Balance::from_product(assay(xf), assay(xp), assay(xt), KgU::new(p).unwrap()).unwrap();
        let got = tails_assay_for(b.feed, assay(xf), b.product, assay(xp)).unwrap();
        prop_assert!((got.wt_fraction() - xt).abs() <= 1e-10 * xt.max(1e-3));
    }

    /// Floating-tails yield never uses more than the budgets and beats every fixed tails assay.
    #[test]
    fn yield_respects_budgets((xf, xp, xt) in ordered_assays(), s in 1.0f64..1e5, f in 1.0f64..1e5) {
        // Floor at the fixed tails assay: the free optimum lies at or above it, or the floor binds.
        let floor = Some(assay(xt));
        let free = product_yield(assay(xf), assay(xp), TailsChoice::Optimal { floor, ceiling: None },
            Swu::new(s).unwrap(), KgU::new(f).unwrap()).unwrap();
        let fixed = product_yield(assay(xf), assay(xp), TailsChoice::Fixed(assay(xt)),
            Swu::new(s).unwrap(), KgU::new(f).unwrap()).unwrap();
        for y in [&free, &fixed] {
            prop_assert!(y.balance.separative_work.kg_swu() <= s * (1.0 + 1e-9));
            prop_assert!(y.balance.feed.kg() <= f * (1.0 + 1e-12));
        }
        prop_assert!(fixed.balance.product.kg() <= free.balance.product.kg() * (1.0 + 1e-9));
    }

    /// The exact plan is never beaten by a brute-force search over draws (two stocks, a grid of
    /// 201 × 201 draw pairs, tails from the balance), and the plan itself closes its balances.
    #[test]
    fn plan_beats_brute_force(
        m1 in 1.0f64..500.0, x1 in 0.002f64..0.7,
        m2 in 1.0f64..500.0, x2 in 0.002f64..0.7,
        p in 0.5f64..50.0, xp in 0.72f64..0.95,
    ) {
        let stocks = [(m1, x1), (m2, x2)];
        let input: Vec<Stock> = stocks.iter().map(|&(m, x)| Stock { mass: KgU::new(m).unwrap(), assay: assay(x) }).collect();
        let plan = match Plan::least_swu(KgU::new(p).unwrap(), assay(xp), &input, TailsChoice::Optimal { floor: None, ceiling: None }) {
            Ok(plan) => plan,
            Err(EnrichError::InsufficientFeed { .. }) => {
                // Then no draw at all can make the product.
                prop_assert!(m1 * x1 + m2 * x2 <= p * xp || m1 + m2 <= p);
                return Ok(());
            }
            Err(e) => return Err(TestCaseError::fail(e.to_string())),
        };
        let draws: Vec<f64> = plan.draws.iter().map(|d| d.drawn.kg()).collect();
        let best = plan.separative_work.kg_swu();
        let check = swu_of(&stocks, &draws, p, xp).expect("the plan is feasible");
        prop_assert!((check - best).abs() <= 1e-9 * best.max(1.0));
        let u235_in: f64 = stocks.iter().zip(&draws).map(|((_, x), d)| d * x).sum();
        let u235_out = p * xp + plan.tails.kg() * plan.tails_assay.wt_fraction();
        prop_assert!(((u235_in - u235_out) / u235_in).abs() <= 1e-12);
        for i in 0..=200 {
            for j in 0..=200 {
                let d = [m1 * i as f64 / 200.0, m2 * j as f64 / 200.0];
                if let Some(s) = swu_of(&stocks, &d, p, xp) {
                    prop_assert!(s >= best * (1.0 - 1e-9) - 1e-9, "draws {d:?}: {s} < {best}");
                }
            }
        }
    }

    /// With a fixed tails assay the plan also beats brute force: one free draw, the other set by
    /// the U-235 balance.
    #[test]
    fn fixed_tails_plan_beats_brute_force(
        m1 in 1.0f64..500.0, x1 in 0.01f64..0.7,
        m2 in 1.0f64..500.0, x2 in 0.01f64..0.7,
        p in 0.5f64..20.0, xt in 0.001f64..0.009,
    ) {
        let xp = 0.9;
        let stocks = [(m1, x1), (m2, x2)];
        let input: Vec<Stock> = stocks.iter().map(|&(m, x)| Stock { mass: KgU::new(m).unwrap(), assay: assay(x) }).collect();
        let Ok(plan) = Plan::least_swu(KgU::new(p).unwrap(), assay(xp), &input, TailsChoice::Fixed(assay(xt))) else {
            return Ok(());
        };
        let best = plan.separative_work.kg_swu();
        let need = p * (xp - xt);
        for i in 0..=400 {
            let d1 = m1 * i as f64 / 400.0;
            let d2 = (need - d1 * (x1 - xt)) / (x2 - xt);
            if !(0.0..=m2).contains(&d2) {
                continue;
            }
            let t = d1 + d2 - p;
            let v = |x: f64| value_function(assay(x));
            let s = p * v(xp) + t * v(xt) - d1 * v(x1) - d2 * v(x2);
            prop_assert!(s >= best * (1.0 - 1e-9) - 1e-9, "draws {d1} {d2}: {s} < {best}");
        }
    }
}
