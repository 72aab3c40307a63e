//! Issue 11's speed targets for the optimum model: one estimate on the embedded May 2025 state,
//! all sites, 1 SQ (≤ 20 ms single-threaded), and its Monte Carlo (≥ 2,000 samples/s on two
//! cores): one `goal_days`, cold and warm-started, and a whole 1,024-sample run. The
//! scenario is built by the application layer exactly as `breakout run iran-2025-05 --model
//! optimum` builds it, bundled cascade hardware included.

use breakout::{Model, Scratch};
use breakout_app::commands::run::{RunArgs, resolve};
use breakout_app::data::bundled_machines;

fn main() {
    divan::main();
}

fn scenario() -> breakout::Scenario {
    let args = RunArgs {
        state: Some("iran-2025-05".into()),
        model: "optimum".into(),
        ..RunArgs::default()
    };
    resolve(&args, &bundled_machines().unwrap()).unwrap().0
}

/// Tabulating every configuration of the eight kinds of cascade at the pool assays.
#[divan::bench(sample_count = 10)]
fn prepare(b: divan::Bencher) {
    let s = scenario();
    b.bench(|| Model::Optimum.prepare(&s).map(|_| ()).unwrap());
}

/// The horizon search, the production curve and the timeline of the schedule.
#[divan::bench(sample_count = 30)]
fn estimate(b: divan::Bencher) {
    let s = scenario();
    let est = Model::Optimum.prepare(&s).unwrap();
    let v = s.central_values();
    b.bench(|| est.estimate(divan::black_box(&v)).unwrap());
}

/// What one Monte Carlo draw costs: the horizon search alone, its programs warm-started from
/// the previous draw's (the same values: no pivot, the floor of a draw's cost).
#[divan::bench(sample_count = 30)]
fn goal_days(b: divan::Bencher) {
    let s = scenario();
    let est = Model::Optimum.prepare(&s).unwrap();
    let v = s.central_values();
    let mut scratch = Scratch::default();
    b.bench_local(|| est.goal_days(divan::black_box(&v), &mut scratch).unwrap());
}

/// The first draw of a chunk: every program from its slack basis.
#[divan::bench(sample_count = 30)]
fn goal_days_cold(b: divan::Bencher) {
    let s = scenario();
    let est = Model::Optimum.prepare(&s).unwrap();
    let v = s.central_values();
    b.bench_local(|| {
        est.goal_days(divan::black_box(&v), &mut Scratch::default())
            .unwrap()
    });
}

/// 1,024 draws as `breakout run --samples 1024` makes them (64-draw chunks on every core),
/// the samples/s target's own measure.
#[divan::bench(sample_count = 10)]
fn monte_carlo_1024(b: divan::Bencher) {
    let s = scenario();
    let est = Model::Optimum.prepare(&s).unwrap();
    b.bench(|| breakout::montecarlo::sample_goal_days(est.as_ref(), &s, 1024, 1, &|_| {}).unwrap());
}
