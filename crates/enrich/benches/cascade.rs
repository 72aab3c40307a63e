//! Benchmarks of the cascade models (targets on the reference 2-core machine: MARC with five
//! isotopes ≤ 10 µs, a 15-stage four-isotope fixed-cascade solve ≤ 20 µs).

use divan::{Bencher, black_box};
use enrich::cascade::{IdealCascade, StageSeparation, machine_feed_from_rating};
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
