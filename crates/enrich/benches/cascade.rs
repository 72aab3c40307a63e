//! Benchmarks of the cascade models (targets on the reference 2-core machine: MARC with five
//! isotopes ≤ 10 µs, a 15-stage four-isotope fixed-cascade solve ≤ 20 µs, a 200-stage one
//! ≤ 100 µs: each Newton step is O(stages)).

use divan::{Bencher, black_box};
use enrich::cascade::{
    IdealCascade, KeyFraction, MarcCascade, StageSeparation, machine_feed_from_rating,
};
use enrich::{Assay, Composition, Isotope};

fn main() {
    divan::main();
}

/// The 164-machine, 15-stage IR-1-like cascade (feed stage 6 from the tails end) run on 3.67 %
/// LEU with U-234 and U-236: one batch-recycling pass.
#[divan::bench]
fn fixed_cascade_15_stages_4_isotopes(b: Bencher) {
    let s = StageSeparation::new(1.5).unwrap();
    let lm = machine_feed_from_rating(1.0, s).unwrap();
    let c = IdealCascade::with_stages(Assay::NATURAL, 10, 5, s)
        .unwrap()
        .fitted_to_machines(164, lm)
        .unwrap()
        .cascade;
    let feed = Composition::from_wt_fractions_balance_u238(&[
        (Isotope::U234, 3e-4),
        (Isotope::U235, 0.0367),
        (Isotope::U236, 2e-3),
    ])
    .unwrap();
    b.bench(|| black_box(&c).run(black_box(&feed)).unwrap());
}

/// Fixed cascades of 10 to 200 stages (an ideal natural-feed cascade of that length, two thirds
/// enriching, fitted to 10 machines a stage) on natural uranium, at a stage separation factor of
/// 1.05 so that 200 stages still give a product within double precision (~16 % U-235): the
/// cost of a solve against the stage count.
#[divan::bench(args = [10, 80, 200])]
fn fixed_cascade_stages(b: Bencher, stages: usize) {
    let s = StageSeparation::new(1.05).unwrap();
    let lm = machine_feed_from_rating(1.0, s).unwrap();
    let c = IdealCascade::with_stages(Assay::NATURAL, stages - stages / 3, stages / 3, s)
        .unwrap()
        .fitted_to_machines(10 * stages as u32, lm)
        .unwrap()
        .cascade;
    let feed = Composition::natural();
    b.bench(|| black_box(&c).run(black_box(&feed)).unwrap());
}

/// MARC with five isotopes: PyNE's `sample_feed` (U-232, U-234, U-235, U-236, U-238) to 6 at-%
/// product, 0.25 at-% tails (PyNE: ~0.1 ms with its symbolic solver and M* search, ~15 ms
/// numeric).
#[divan::bench]
fn marc_5_isotopes_pyne_sample_feed(b: Bencher) {
    let feed =
        Composition::from_at_fractions([1.1e-9, 2.1e-4, 0.0092, 0.0042, 0.986_389_998_9]).unwrap();
    let g = StageSeparation::new(1.05f64.powi(3)).unwrap();
    b.bench(|| {
        MarcCascade::solve(
            black_box(&feed),
            KeyFraction::At(0.06),
            KeyFraction::At(0.0025),
            g,
        )
        .unwrap()
    });
}

/// MARC with five isotopes, natural-like feed with traces to 90 at-% (where PyNE returns NaN).
#[divan::bench]
fn marc_5_isotopes_to_90_pct(b: Bencher) {
    let feed =
        Composition::from_at_fractions([1e-10, 5.4e-5, 0.0072, 1e-5, 0.992_735_999_9]).unwrap();
    let g = StageSeparation::new(1.3).unwrap();
    b.bench(|| {
        MarcCascade::solve(
            black_box(&feed),
            KeyFraction::At(0.9),
            KeyFraction::At(0.0025),
            g,
        )
        .unwrap()
    });
}
