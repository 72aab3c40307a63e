//! Benchmarks of the binary balance and the least-SWU plan (targets: ≤ 20 ns and ≤ 5 µs).

use divan::{Bencher, black_box};
use enrich::{Assay, Balance, KgU, Plan, Stock, TailsChoice};

fn main() {
    divan::main();
}

/// One binary balance from product mass: natural → 90 %, 0.3 % tails. Large samples, because a
/// sample of 100 calls sits at the timer's 16 ns precision.
#[divan::bench(sample_size = 10_000)]
fn binary_balance(b: Bencher) {
    let (xf, xp, xt) = (
        Assay::NATURAL,
        Assay::from_wt_pct(90.0).unwrap(),
        Assay::from_wt_pct(0.3).unwrap(),
    );
    let p = KgU::new(25.0).unwrap();
    b.bench(|| Balance::from_product(black_box(xf), black_box(xp), black_box(xt), black_box(p)));
}

fn ten_stocks() -> Vec<Stock> {
    [0.711, 0.9, 1.5, 2.0, 3.67, 4.5, 5.0, 19.75, 20.0, 60.0]
        .iter()
        .enumerate()
        .map(|(i, &pct)| Stock {
            mass: KgU::new(50.0 + 37.0 * i as f64).unwrap(),
            assay: Assay::from_wt_pct(pct).unwrap(),
        })
        .collect()
}

/// Ten stocks, optimal (floating) tails.
#[divan::bench]
fn plan_ten_stocks_optimal_tails(b: Bencher) {
    let stocks = ten_stocks();
    let xp = Assay::from_wt_pct(90.0).unwrap();
    let p = KgU::new(25.0).unwrap();
    let tails = TailsChoice::Optimal {
        floor: None,
        ceiling: None,
    };
    b.bench(|| {
        Plan::least_swu(
            black_box(p),
            black_box(xp),
            black_box(&stocks),
            black_box(tails),
        )
    });
}

/// Ten stocks, optimal tails capped at 0.3 %: the ceiling forces the fixed-tails knapsack.
#[divan::bench]
fn plan_ten_stocks_tails_ceiling(b: Bencher) {
    let stocks = ten_stocks();
    let xp = Assay::from_wt_pct(90.0).unwrap();
    let p = KgU::new(25.0).unwrap();
    let tails = TailsChoice::Optimal {
        floor: None,
        ceiling: Some(Assay::from_wt_pct(0.3).unwrap()),
    };
    b.bench(|| {
        Plan::least_swu(
            black_box(p),
            black_box(xp),
            black_box(&stocks),
            black_box(tails),
        )
    });
}
