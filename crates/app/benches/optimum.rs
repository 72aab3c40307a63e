//! Issue 11's speed target for the optimum model: one estimate on the embedded May 2025 state,
//! all sites, 1 SQ (≤ 20 ms single-threaded), and one Monte Carlo `goal_days` on it. The
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

/// What one Monte Carlo draw costs: the horizon search alone.
#[divan::bench(sample_count = 30)]
fn goal_days(b: divan::Bencher) {
    let s = scenario();
    let est = Model::Optimum.prepare(&s).unwrap();
    let v = s.central_values();
    let mut scratch = Scratch::default();
    b.bench_local(|| est.goal_days(divan::black_box(&v), &mut scratch).unwrap());
}
