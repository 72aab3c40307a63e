//! `breakout sweep`: `run` over a grid of options, one row per point, evaluated in parallel.
//!
//! A sweep is a [`SweepRequest`]: a grid (axes, each a `run` option with a list of values,
//! expanded as their cartesian product in the axes' order, the last axis varying fastest) or
//! points given one by one. [`sweep`] evaluates every point as `breakout run` with those options
//! on rayon's pool and returns a [`SweepResult`] in the points' order whatever the thread count:
//! the point's options as the first columns, then every numeric result of `run` at that point
//! (`first_sq_days`, `goal_days`, `ideal_first_sq_days`, `separative_work_swu`, … with their
//! units in their names). The CLI (`breakout sweep GRID.toml`, [`grid`] reads the file) and the
//! Python package (`breakout.sweep`) both call [`sweep`], so their tables cannot differ.
//!
//! The number of points is counted from the axes' lengths and checked against
//! [`limits::MAX_SWEEP_POINTS`] before any point is built.

pub mod grid;

use std::sync::atomic::{AtomicU64, Ordering};

use clap::Args;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

use crate::commands::run::RunArgs;
use crate::document::{Document, Table, num};
use crate::error::{AppError, Outcome};
use crate::progress::Silent;
use crate::records::Records;
use crate::{Answer, Progress, Request, cancel, limits};

/// `breakout sweep GRID.toml`: `run` at every point of a grid file (docs/sweep.md).
#[derive(Debug, Clone, Default, PartialEq, Args, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SweepArgs {
    /// The grid file (TOML): `[[axis]]` tables, each a `run` option (its long flag's name,
    /// underscored) with `values = [...]` or `range = { min, max, step }`.
    #[arg(value_name = "GRID.toml")]
    pub grid: String,
}

/// One axis of a grid: a `run` option and the values it takes, in order.
#[derive(Debug, Clone, PartialEq)]
pub struct Axis {
    /// The option's name as in `run`'s JSON form (`setup_days_per_step`).
    pub option: String,
    /// Its values, as JSON.
    pub values: Vec<Value>,
}

/// One point: `run` options and their values, in the order their columns take.
pub type Point = Vec<(String, Value)>;

/// What to sweep.
#[derive(Debug, Clone, PartialEq)]
pub enum SweepRequest {
    /// Every combination of the axes' values, the last axis varying fastest.
    Grid(Vec<Axis>),
    /// The points as given.
    Points(Vec<Point>),
}

impl SweepRequest {
    /// The number of points, counted without building any (`None`: more than `u64` holds).
    pub fn size(&self) -> Option<u64> {
        match self {
            SweepRequest::Grid(axes) if axes.is_empty() => Some(0),
            SweepRequest::Grid(axes) => axes
                .iter()
                .try_fold(1u64, |n, a| n.checked_mul(a.values.len() as u64)),
            SweepRequest::Points(p) => Some(p.len() as u64),
        }
    }

    /// The points (a grid's in its fixed order, each point's options in the axes' order).
    ///
    /// # Errors
    /// [`AppError::Usage`] when there are more than [`limits::MAX_SWEEP_POINTS`], before any is
    /// built.
    pub fn points(&self) -> Result<Vec<Point>, AppError> {
        check_size(self.size())?;
        match self {
            SweepRequest::Points(p) => Ok(p.clone()),
            SweepRequest::Grid(axes) => {
                let n = self.size().unwrap_or(0) as usize;
                let mut points = Vec::with_capacity(n);
                for mut i in 0..n {
                    let mut point = Point::with_capacity(axes.len());
                    // Mixed radix, the last axis the least significant digit.
                    let mut digits = vec![0; axes.len()];
                    for (d, a) in digits.iter_mut().zip(axes).rev() {
                        *d = i % a.values.len();
                        i /= a.values.len();
                    }
                    for (a, d) in axes.iter().zip(digits) {
                        point.push((a.option.clone(), a.values[d].clone()));
                    }
                    points.push(point);
                }
                Ok(points)
            }
        }
    }
}

/// Refuses a sweep of more than [`limits::MAX_SWEEP_POINTS`] points.
fn check_size(size: Option<u64>) -> Result<(), AppError> {
    let max = limits::MAX_SWEEP_POINTS;
    match size {
        Some(n) if n <= max => Ok(()),
        Some(n) => Err(AppError::Usage(format!(
            "the grid has {n} points, which exceeds the maximum of {max} (limits::MAX_SWEEP_POINTS)"
        ))),
        None => Err(AppError::Usage(format!(
            "the grid has more than {} points, which exceeds the maximum of {max} \
             (limits::MAX_SWEEP_POINTS)",
            u64::MAX
        ))),
    }
}

/// A sweep's table: one row per point, in the points' order.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SweepResult {
    /// The column names: the options (in the order first met), then the numeric results of
    /// `run` (in the order first met; a result named as an option gets the suffix `_result`).
    pub columns: Vec<String>,
    /// One object per point: its options, then its numeric results.
    pub rows: Vec<Map<String, Value>>,
}

impl SweepResult {
    /// The table as typed columns, for columnar output.
    pub fn records(&self) -> Records {
        Records::from_json_rows(&self.columns, &self.rows)
    }
}

/// The `run` request of one point: its options as `run`'s JSON form, the offending field named.
fn run_args(point: &[(String, Value)]) -> Result<RunArgs, AppError> {
    let object: Map<String, Value> = point.iter().cloned().collect();
    serde_path_to_error::deserialize::<_, RunArgs>(Value::Object(object)).map_err(|e| {
        let at = e.path().to_string();
        let inner = e.into_inner().to_string();
        AppError::Usage(if at.is_empty() || at == "." {
            inner
        } else {
            format!("field `{at}`: {inner}")
        })
    })
}

/// The `run` request of one point of a sweep: its options, and a seed wherever it draws.
fn point_args(point: &[(String, Value)]) -> Result<RunArgs, AppError> {
    let args = run_args(point)?;
    if args.samples.is_some() && args.seed.is_none() {
        // `run` would draw a seed from the OS and print it; a row has nowhere to print.
        return Err(AppError::Usage(
            "`samples` without `seed`: a sweep's Monte Carlo points need a seed to be \
             reproducible (give `seed` a value or an axis)"
                .into(),
        ));
    }
    Ok(args)
}

/// The row of one point: its options, then every numeric result of its `run` document.
fn row(point: &[(String, Value)], results: &Map<String, Value>) -> Map<String, Value> {
    let mut row: Map<String, Value> = point.iter().cloned().collect();
    for (k, v) in results {
        if v.is_number() {
            let key = if point.iter().any(|(o, _)| o == k) {
                format!("{k}_result")
            } else {
                k.clone()
            };
            row.insert(key, v.clone());
        }
    }
    row
}

/// `err` as the error of point `i`, of the same kind.
fn at_point(i: usize, err: AppError) -> AppError {
    match err {
        AppError::Usage(m) => AppError::Usage(format!("sweep point {i}: {m}")),
        AppError::Input(m) => AppError::Input(format!("sweep point {i}: {m}")),
        AppError::Internal(m) => AppError::Internal(format!("sweep point {i}: {m}")),
        AppError::Cancelled(m) => AppError::Cancelled(m),
    }
}

/// Runs `run` at every point of `request` in parallel (rayon), reporting each finished point to
/// `progress` and stopping at the next point once the computation is cancelled (the calling
/// thread's token, or [`Progress::cancelled`]).
///
/// # Errors
/// [`AppError::Usage`] for too many points (before any is built); the error of the first point
/// (in order) that fails, prefixed `sweep point I:`; [`AppError::Cancelled`].
pub fn sweep(request: &SweepRequest, progress: &dyn Progress) -> Result<SweepResult, AppError> {
    let points = request.points()?;
    let token = cancel::current();
    let total = points.len() as u64;
    let done = AtomicU64::new(0);
    // Every point's options first, in order: a refused option fails the sweep before any run.
    let requests = points
        .iter()
        .enumerate()
        .map(|(i, p)| point_args(p).map_err(|e| at_point(i, e)))
        .collect::<Result<Vec<_>, _>>()?;
    let answers: Vec<Result<Map<String, Value>, AppError>> = requests
        .into_par_iter()
        .zip(points.par_iter())
        .map(|(args, point)| {
            if token.is_cancelled() || progress.cancelled() {
                return Err(cancel::cancelled());
            }
            let (doc, _) =
                crate::execute_cancellable(Request::Run(Box::new(args)), &Silent, &token)?;
            let row = row(point, doc.results_json());
            progress.update("points", done.fetch_add(1, Ordering::Relaxed) + 1, total);
            Ok(row)
        })
        .collect();
    progress.finish();
    let rows = answers
        .into_iter()
        .enumerate()
        .map(|(i, a)| a.map_err(|e| at_point(i, e)))
        .collect::<Result<Vec<_>, _>>()?;
    let mut columns: Vec<String> = Vec::new();
    for p in &points {
        for (k, _) in p {
            if !columns.contains(k) {
                columns.push(k.clone());
            }
        }
    }
    let inputs = columns.len();
    for r in &rows {
        for k in r.keys() {
            if !columns[..inputs].contains(k) && !columns[inputs..].contains(k) {
                columns.push(k.clone());
            }
        }
    }
    Ok(SweepResult { columns, rows })
}

/// The results people see in the text table beside the options: the first goal unit, the
/// whole goal and the ideal (least-SWU) bound, in days.
const ANSWER_COLUMNS: [&str; 3] = ["first_sq_days", "goal_days", "ideal_first_sq_days"];

/// A cell of the human table: numbers to six significant digits, text as is, `—` for none.
fn cell(v: Option<&Value>) -> String {
    match v {
        None | Some(Value::Null) => "—".into(),
        Some(Value::String(s)) => s.clone(),
        Some(v) => v.as_f64().map_or_else(|| v.to_string(), num),
    }
}

/// `breakout sweep GRID.toml`: the document of [`sweep`] over the grid file.
pub fn run(args: SweepArgs, progress: &dyn Progress) -> Answer {
    let axes = grid::read(&args.grid)?;
    let request = SweepRequest::Grid(axes.clone());
    let res = sweep(&request, progress)?;
    let mut doc = Document::new("sweep", format!("`run` at {} points", res.rows.len()));
    let shape = axes
        .iter()
        .map(|a| format!("{} ({})", a.option, a.values.len()))
        .collect::<Vec<_>>()
        .join(" × ");
    doc.input_value("grid", "Grid file", json!(args.grid), args.grid.clone())
        .input_value(
            "axes",
            "Axes",
            json!(
                axes.iter()
                    .map(|a| json!({"option": a.option, "values": a.values}))
                    .collect::<Vec<_>>()
            ),
            shape,
        )
        .result("points", "Points", res.rows.len() as f64, "points");
    // People read the options and the answer, headers wrapping at spaces; the full table, its
    // columns named exactly as in JSON and Parquet, is for CSV.
    let inputs = axes.len();
    let shown: Vec<&String> = res.columns[..inputs]
        .iter()
        .chain(
            res.columns[inputs..]
                .iter()
                .filter(|c| ANSWER_COLUMNS.contains(&c.as_str())),
        )
        .collect();
    let header: Vec<String> = shown.iter().map(|c| c.replace('_', " ")).collect();
    let header: Vec<&str> = header.iter().map(String::as_str).collect();
    let mut t = Table::new(
        "Breakout at each point (the last axis varies fastest)",
        &header,
    );
    for r in &res.rows {
        t.row(shown.iter().map(|c| cell(r.get(*c))).collect());
    }
    doc.table(t);
    let header: Vec<&str> = res.columns.iter().map(String::as_str).collect();
    let mut all = Table::new(
        "Every point: its options, then every numeric result of run",
        &header,
    )
    .detail("--csv");
    for r in &res.rows {
        all.row(res.columns.iter().map(|c| cell(r.get(c))).collect());
    }
    doc.table(all);
    doc.note(
        "each row is `breakout run` with that point's options (days from the start of \
         breakout; a result not reached is — here, null in JSON and Parquet); a result named \
         as an option carries the suffix `_result`; `--parquet FILE` writes the full table as \
         Parquet",
    );
    doc.records(res.records());
    // The rows move into the JSON last: up to a million of them, not copied.
    doc.result_json("columns", json!(res.columns)).result_json(
        "rows",
        Value::Array(res.rows.into_iter().map(Value::Object).collect()),
    );
    Ok((doc, Outcome::Success))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn axis(option: &str, values: Value) -> Axis {
        Axis {
            option: option.into(),
            values: values.as_array().unwrap().clone(),
        }
    }

    #[test]
    fn a_grid_expands_with_the_last_axis_fastest() {
        let g = SweepRequest::Grid(vec![
            axis("state", json!(["a", "b"])),
            axis("count", json!([1, 2, 3])),
        ]);
        assert_eq!(g.size(), Some(6));
        let got = g.points().unwrap();
        let want: Vec<Point> = [("a", 1), ("a", 2), ("a", 3), ("b", 1), ("b", 2), ("b", 3)]
            .iter()
            .map(|(s, c)| vec![("state".into(), json!(s)), ("count".into(), json!(c))])
            .collect();
        assert_eq!(got, want);
    }

    proptest::proptest! {
        /// Any grid of small axes: its points are every combination exactly once, as many as
        /// its size says, in mixed-radix order (the last axis the fastest digit).
        #[test]
        fn a_grid_is_every_combination_once_in_order(
            lengths in proptest::collection::vec(1usize..5, 1..5)
        ) {
            let axes: Vec<Axis> = lengths
                .iter()
                .enumerate()
                .map(|(a, &n)| Axis {
                    option: format!("o{a}"),
                    values: (0..n).map(|v| json!(v)).collect(),
                })
                .collect();
            let g = SweepRequest::Grid(axes);
            let points = g.points().unwrap();
            let product: usize = lengths.iter().product();
            proptest::prop_assert_eq!(g.size(), Some(product as u64));
            proptest::prop_assert_eq!(points.len(), product);
            for (i, p) in points.iter().enumerate() {
                // The point's digits read back as its index.
                let index = p.iter().zip(&lengths).fold(0, |acc, ((_, v), &n)| {
                    acc * n + v.as_u64().unwrap() as usize
                });
                proptest::prop_assert_eq!(index, i);
            }
        }
    }

    #[test]
    fn sizes_are_counted_before_building() {
        let big = |n: usize| axis("count", Value::Array(vec![json!(1); n]));
        let cases: [(SweepRequest, Option<u64>, bool); 4] = [
            (SweepRequest::Grid(vec![]), Some(0), true),
            (SweepRequest::Grid(vec![big(2), big(0)]), Some(0), true),
            (
                SweepRequest::Grid(vec![big(1000); 3]),
                Some(1_000_000_000),
                false,
            ),
            (SweepRequest::Grid(vec![big(1 << 16); 5]), None, false),
        ];
        for (req, size, ok) in cases {
            assert_eq!(req.size(), size);
            let got = req.points();
            assert_eq!(got.is_ok(), ok, "{size:?}");
            if let Err(e) = got {
                assert!(matches!(e, AppError::Usage(_)));
                assert!(
                    e.to_string()
                        .contains("which exceeds the maximum of 1000000")
                );
            }
        }
    }

    #[test]
    fn each_row_is_run_at_its_point_in_order() {
        let req = SweepRequest::Grid(vec![
            axis("state", json!(["jcpoa-2016", "iran-2025-05"])),
            axis("count", json!([1, 2])),
        ]);
        let res = sweep(&req, &Silent).unwrap();
        assert_eq!(res.rows.len(), 4);
        assert_eq!(&res.columns[..2], ["state", "count"]);
        for (r, (state, count)) in res.rows.iter().zip([
            ("jcpoa-2016", 1),
            ("jcpoa-2016", 2),
            ("iran-2025-05", 1),
            ("iran-2025-05", 2),
        ]) {
            let args = RunArgs {
                state: Some(state.into()),
                count,
                ..RunArgs::default()
            };
            let (doc, _) = crate::execute(Request::Run(Box::new(args))).unwrap();
            let want = doc.to_json()["results"].clone();
            assert_eq!(r["state"], json!(state));
            for key in ["first_sq_days", "goal_days", "separative_work_swu"] {
                assert_eq!(r[key], want[key], "{state} {count} {key}");
            }
        }
        // Two goal units take longer than one.
        assert!(res.rows[1]["goal_days"].as_f64() > res.rows[0]["goal_days"].as_f64());
    }

    #[test]
    fn a_result_named_as_an_option_is_suffixed() {
        let req = SweepRequest::Points(vec![vec![("capacity_swu_per_yr".into(), json!(10000.0))]]);
        let res = sweep(&req, &Silent).unwrap();
        assert_eq!(res.columns[0], "capacity_swu_per_yr");
        assert!(
            res.columns
                .contains(&"capacity_swu_per_yr_result".to_string())
        );
    }

    #[test]
    fn the_first_failing_point_is_named_with_its_kind() {
        let req = SweepRequest::Points(vec![
            vec![("count".into(), json!(1))],
            vec![("setup_days".into(), json!(3))],
        ]);
        let e = sweep(&req, &Silent).unwrap_err();
        assert!(matches!(e, AppError::Usage(_)));
        let m = e.to_string();
        assert!(
            m.starts_with("sweep point 1: ") && m.contains("setup_days"),
            "{m}"
        );
    }

    #[test]
    fn monte_carlo_points_need_a_seed() {
        let samples = ("samples".to_string(), json!(50));
        let seed = ("seed".to_string(), json!(7));
        let unseeded = SweepRequest::Points(vec![vec![samples.clone()]]);
        let e = sweep(&unseeded, &Silent).unwrap_err();
        assert!(
            e.to_string()
                .starts_with("sweep point 0: `samples` without `seed`"),
            "{e}"
        );
        let seeded = SweepRequest::Points(vec![vec![samples.clone(), seed.clone()]; 2]);
        let res = sweep(&seeded, &Silent).unwrap();
        assert_eq!(res.rows[0], res.rows[1]);
        assert!(res.rows[0]["mean_days"].is_number());
    }

    #[test]
    fn a_cancelled_sweep_stops() {
        let c = crate::Cancel::new();
        c.cancel();
        let req = SweepRequest::Points(vec![Point::new(); 3]);
        let e = cancel::scope(&c, || sweep(&req, &Silent)).unwrap_err();
        assert!(matches!(e, AppError::Cancelled(_)));
    }
}
