//! Sweep throughput against a plain Rust loop (docs/benchmarks.md): the same `run` points
//! evaluated (a) one after another by `execute` in a `for` loop, (b) by the application's
//! `sweep` on a rayon pool of one thread, (c) on a pool of every core. (b) against (a) is the
//! sweep's own overhead per core (JSON points, the row of results); (c) is the parallel speed-up.
//!
//! `cargo run --release -p breakout-app --example sweep-throughput`: prints points per second.

use std::time::Instant;

use breakout_app::commands::run::RunArgs;
use breakout_app::commands::sweep::{Axis, SweepRequest, sweep};
use breakout_app::progress::Silent;
use breakout_app::{AppError, Request, execute};
use serde_json::json;

/// 2 states × 31 set-up times × 3 goal counts = 186 points.
fn grid() -> SweepRequest {
    let axis = |option: &str, values: Vec<serde_json::Value>| Axis {
        option: option.into(),
        values,
    };
    SweepRequest::Grid(vec![
        axis("state", vec![json!("jcpoa-2016"), json!("iran-2025-05")]),
        axis(
            "setup_days_per_step",
            (0..31).map(|d| json!(d * 3)).collect(),
        ),
        axis("count", vec![json!(1), json!(2), json!(3)]),
    ])
}

/// Runs `f` three times and returns the best wall time, seconds.
fn best(mut f: impl FnMut() -> Result<(), AppError>) -> Result<f64, AppError> {
    let mut best = f64::INFINITY;
    for _ in 0..3 {
        let t = Instant::now();
        f()?;
        best = best.min(t.elapsed().as_secs_f64());
    }
    Ok(best)
}

fn main() -> Result<(), AppError> {
    let request = grid();
    let points = request.points()?;
    let n = points.len() as f64;
    // Typed requests built once, outside the timed loop, as a Rust program would hold them.
    let typed: Vec<RunArgs> = points
        .iter()
        .map(|p| {
            let object: serde_json::Map<_, _> = p.iter().cloned().collect();
            serde_json::from_value(serde_json::Value::Object(object))
                .map_err(|e| AppError::Usage(e.to_string()))
        })
        .collect::<Result<_, _>>()?;
    // Warm the process-wide memos (parsed states, tabulated hardware) before timing anything.
    sweep(&request, &Silent)?;

    let looped = best(|| {
        for args in &typed {
            execute(Request::Run(Box::new(args.clone())))?;
        }
        Ok(())
    })?;
    let on = |threads: usize| -> Result<f64, AppError> {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .map_err(|e| AppError::Internal(e.to_string()))?;
        best(|| pool.install(|| sweep(&request, &Silent).map(|_| ())))
    };
    let one = on(1)?;
    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    let all = on(cores)?;
    println!("{n} points");
    println!("plain loop, 1 thread:  {:8.1} points/s", n / looped);
    println!(
        "sweep, 1 thread:       {:8.1} points/s  ({:.1} % of the loop)",
        n / one,
        100.0 * looped / one
    );
    println!(
        "sweep, {cores} threads:      {:8.1} points/s  ({:.1} points/s per core, {:.2}× one thread)",
        n / all,
        n / all / cores as f64,
        one / all
    );
    Ok(())
}
