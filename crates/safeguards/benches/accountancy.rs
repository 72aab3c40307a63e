//! Benchmarks of the accountancy statistics. Targets: σ_MUF and SITMUF of 12 periods with
//! 10 000 measured items per period; Monte Carlo detection at ≥ 10⁶ balance sequences per
//! second per core (12 periods).

use divan::{Bencher, black_box};
use safeguards::balance::{Balance, ErrorGroup, ErrorSource, Measures, Role, Species, Stratum};
use safeguards::montecarlo::{LossPattern, TestSettings, simulate};

fn main() {
    divan::main();
}

/// 12 periods; per period 10 000 items: 4 000 feed, 2 000 product, 4 000 tails; 13 inventories.
fn big_balance() -> Balance {
    let g = |name: &str, r: f64, s: f64| ErrorGroup {
        name: name.into(),
        random_rsd: r,
        systematic_rsd: s,
        recalibrated_each_period: false,
    };
    let groups = vec![
        g("scale", 5e-4, 5e-4),
        g("u", 5e-4, 5e-4),
        g("ms", 1e-3, 1e-3),
    ];
    let src = vec![
        ErrorSource {
            group: 0,
            measures: Measures::Mass,
        },
        ErrorSource {
            group: 1,
            measures: Measures::Concentration,
        },
        ErrorSource {
            group: 2,
            measures: Measures::Enrichment,
        },
    ];
    let mut strata = Vec::new();
    for p in 1..=12 {
        for (name, count, kg, wt, role) in [
            ("feed", 4000, 100.0, 0.711, Role::Receipt { period: p }),
            ("product", 2000, 20.0, 4.5, Role::Shipment { period: p }),
            ("tails", 4000, 90.0, 0.25, Role::Shipment { period: p }),
        ] {
            strata.push(Stratum {
                name: name.into(),
                role,
                items_kg_u: (0..count).map(|i| kg * (1.0 + 1e-4 * i as f64)).collect(),
                wt_pct: wt,
                errors: src.clone(),
            });
        }
    }
    for t in 0..=12 {
        strata.push(Stratum {
            name: "stock".into(),
            role: Role::Inventory { after_period: t },
            items_kg_u: vec![8000.0; 20],
            wt_pct: 0.711,
            errors: src.clone(),
        });
    }
    Balance::new(12, groups, strata).unwrap()
}

/// Σ (random + systematic, 120 000 items) and σ_MUF per period.
#[divan::bench]
fn sigma_muf_12_periods_10k_items_each(b: Bencher) {
    let bal = big_balance();
    b.bench(|| {
        black_box(&bal)
            .evaluate(Species::Isotope)
            .unwrap()
            .sigma_muf_kg()
    });
}

/// Σ, its Cholesky factor and SITMUF.
#[divan::bench]
fn sitmuf_12_periods_10k_items_each(b: Bencher) {
    let bal = big_balance();
    b.bench(|| black_box(&bal).evaluate(Species::Isotope).unwrap().sitmuf());
}

/// 100 000 simulated 12-period sequences (Page, Shewhart, total MUF, GEMUF) on one thread;
/// divide the time by 10⁵ for the cost of one sequence.
#[divan::bench(sample_count = 20)]
fn monte_carlo_100k_sequences_12_periods_one_thread(b: Bencher) {
    let seq = big_balance().evaluate(Species::Isotope).unwrap();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap();
    let tests = TestSettings {
        alpha: 0.05,
        page_k: 0.5,
    };
    let pattern = LossPattern::Protracted { total_kg: 75.0 };
    b.bench(|| pool.install(|| simulate(black_box(&seq), &pattern, tests, 100_000, 1).unwrap()));
}
