//! The application layer of `breakout`: everything between the pure engines (`enrich`,
//! `breakout`, `safeguards`) and the front ends (the `breakout` CLI, its web server and reports,
//! and any program that links this crate).
//!
//! It owns
//! - the bundled data, compiled in, and the file formats read from text (machines, cascades,
//!   facility states, deals, stockpile histories, material balances), every error located by
//!   file, line, column and field ([`data`], [`states`], [`deals`], [`histories`]);
//! - one typed request per command ([`Request`] and the `*Args` types in [`commands`]), the
//!   same type whether it comes from command-line flags (clap) or from JSON (serde, unknown
//!   fields refused), and [`execute`], the one function every front end calls;
//! - the modelling choices that turn data into engine inputs (which cascade hardware a site
//!   gets, the quick-mode plant, the most favourable state a deal permits);
//! - the answer of every command as a typed result (`RunResult`, `FloorResult`, `CheckResult`,
//!   `BalanceResult`, …: one per command, each computed by a public function in its module of
//!   [`commands`] and serialising to exactly its command's JSON `results`) and as a
//!   [`Document`]: inputs with defaults marked, results, tables and notes, serialised as the
//!   versioned JSON envelope ([`document::SCHEMA_VERSION`]), and laid out as text within a
//!   given width or as CSV ([`render`]), the same for the CLI and the Python package.
//!
//! It does not print, parse a command line or serve HTTP: those are the front ends' jobs.
//!
//! # Examples
//! ```
//! use breakout_app::{Request, commands::run::RunArgs, execute};
//! let (doc, _outcome) = execute(Request::Run(Box::default()))?;
//! let json = doc.to_json();
//! assert!(json["results"]["first_sq_days"].as_f64().unwrap() > 0.0);
//! # Ok::<(), breakout_app::AppError>(())
//! ```

pub mod cancel;
pub mod commands;
pub mod data;
pub mod deals;
pub mod design;
pub mod document;
pub mod error;
pub mod histories;
pub mod limits;
pub mod progress;
pub mod records;
pub mod regimes;
pub mod render;
pub mod states;
pub mod verification;

pub use cancel::Cancel;
pub use document::{Document, Table};
pub use error::{AppError, Outcome};
pub use progress::Progress;

/// One command of `breakout`, as typed data: parsed from flags by the CLI (clap) or from a JSON
/// object by the server (serde), then run by [`execute`].
#[derive(Debug, clap::Subcommand, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub enum Request {
    /// Separative work: the feed/product/tails balance, multi-stock plans, cost-optimum tails.
    Swu(commands::swu::SwuArgs),
    /// Convert a mass between kg U, kg U-235 and chemical forms (UF6, U3O8, UO2).
    Convert(commands::convert::ConvertArgs),
    /// Deals as data: their clauses, windows and sources.
    Deal(commands::deal::DealArgs),
    /// The centrifuge library: machine types, separative power and sources.
    Machine(commands::machine::MachineArgs),
    /// Cascades: ideal design, multi-isotope MARC, fixed cascades run off-design and recycling.
    Cascade(commands::cascade::CascadeArgs),
    /// Verification statistics: MUF, σ_MUF, sequential tests, sampling, enrichment-plant balances.
    Safeguards(commands::safeguards::SafeguardsArgs),
    /// The main job: breakout timeline, production curve and every assumption, for a facility
    /// state (default iran-2025-05), a state file, or quick-mode capacity and stocks.
    Run(Box<commands::run::RunArgs>),
    /// The breakout estimate for every bundled dated state, as a table.
    History(commands::history::HistoryArgs),
    /// `run` at every point of a grid of options (a TOML grid file), in parallel: one row per
    /// point, the options then the numeric results (`--parquet FILE` writes the table).
    Sweep(commands::sweep::SweepArgs),
}

/// What every command returns: its document and how it ends (a finding exits 1).
pub type Answer = Result<(Document, Outcome), AppError>;

/// Runs one request to its document. Every front end calls this (or [`execute_with`]), so the
/// CLI's `--json`, the server's answers and a program linking this crate cannot disagree.
///
/// # Errors
/// [`AppError::Usage`] for options that do not fit together, [`AppError::Input`] for values or
/// files the engines reject, [`AppError::Internal`] when a solver fails on valid input.
pub fn execute(request: Request) -> Answer {
    execute_with(request, &progress::Silent)
}

/// As [`execute`], reporting the progress of long computations (Monte Carlo) to `progress`.
///
/// # Errors
/// As [`execute`].
pub fn execute_with(request: Request, progress: &dyn Progress) -> Answer {
    execute_cancellable(request, progress, &Cancel::new())
}

/// As [`execute_with`], stopping early with [`AppError::Cancelled`] once `cancel` is set (or
/// `progress` says [`Progress::cancelled`]).
///
/// # Errors
/// As [`execute`]; [`AppError::Usage`] for a count above the bounds of [`limits`] (checked
/// before anything is computed); [`AppError::Cancelled`].
pub fn execute_cancellable(request: Request, progress: &dyn Progress, cancel: &Cancel) -> Answer {
    check_bounds(&request)?;
    let both = progress::WithCancel {
        inner: progress,
        cancel,
    };
    let (doc, outcome) = cancel::scope(cancel, || match request {
        Request::Swu(args) => commands::swu::run(args),
        Request::Convert(args) => commands::convert::run(args),
        Request::Deal(args) => commands::deal::run(args, &both),
        Request::Machine(args) => commands::machine::run(args),
        Request::Cascade(args) => commands::cascade::run(args),
        Request::Safeguards(args) => commands::safeguards::run(args),
        Request::Run(args) => commands::run::run(*args, &both),
        Request::History(args) => commands::history::run(args, &both),
        Request::Sweep(args) => commands::sweep::run(args, &both),
    })?;
    // The last guard of "every printed number is finite": inputs far outside what the models
    // compute in (1e308 kg, a cut of 1e-320) can overflow where no single check saw it coming.
    if let Some(what) = doc.non_finite() {
        return Err(AppError::Input(format!(
            "the inputs give a result that is not a finite number ({what}): they lie outside \
             the range the model computes in; check the magnitudes given"
        )));
    }
    Ok((doc, outcome))
}

/// Fields whose value is a count bounded by [`limits`], with their maxima.
const BOUNDED_COUNTS: [(&str, u64); 11] = [
    ("periods", limits::MAX_PERIODS),
    ("periods_per_year", limits::MAX_PERIODS_PER_YEAR),
    ("loss_period", limits::MAX_PERIODS),
    ("samples", limits::MAX_SAMPLES),
    ("sequences", limits::MAX_SEQUENCES),
    ("items", limits::MAX_ITEMS),
    ("defects", limits::MAX_ITEMS),
    ("stages", limits::MAX_STAGES),
    ("feed_stage", limits::MAX_STAGES),
    ("recycle", limits::MAX_RECYCLE),
    ("count", limits::MAX_GOAL_COUNT),
];

/// Fields whose value is a list (an array, or a comma-separated string) with one value per
/// period or stage, with the maxima of their lengths.
const BOUNDED_LISTS: [(&str, u64); 6] = [
    ("muf", limits::MAX_PERIODS),
    ("sigma_inventory_kg", limits::MAX_PERIODS),
    ("sigma_transfer_kg", limits::MAX_PERIODS),
    ("loss_pattern", limits::MAX_PERIODS),
    ("cuts", limits::MAX_STAGES),
    ("machines_per_stage", limits::MAX_STAGES),
];

/// The number of values of a list field: an array's length, or a string's comma-separated
/// items.
fn list_len(value: &serde_json::Value) -> u64 {
    match value {
        serde_json::Value::Array(a) => a.len() as u64,
        serde_json::Value::String(s) => s.split(',').count() as u64,
        _ => 0,
    }
}

/// Every (field, value) of the request's JSON form, depth first.
fn fields(value: &serde_json::Value, out: &mut Vec<(String, serde_json::Value)>) {
    match value {
        serde_json::Value::Object(m) => {
            for (k, v) in m {
                out.push((k.clone(), v.clone()));
                fields(v, out);
            }
        }
        serde_json::Value::Array(a) => a.iter().for_each(|v| fields(v, out)),
        _ => {}
    }
}

fn request_fields(request: &Request) -> Vec<(String, serde_json::Value)> {
    let mut out = Vec::new();
    if let Ok(v) = serde_json::to_value(request) {
        fields(&v, &mut out);
    }
    out
}

/// Checks every count of `request` that sizes an allocation or a loop against the absolute
/// maxima of [`limits`].
///
/// # Errors
/// [`AppError::Usage`] naming the field, the value and the maximum.
pub fn check_bounds(request: &Request) -> Result<(), AppError> {
    for (key, value) in request_fields(request) {
        let bound = |name: &str, n: u64, max: u64, what: &str| {
            if n > max {
                Err(AppError::Usage(format!(
                    "field `{name}` (--{}): {n}{what} exceeds the maximum of {max}",
                    name.replace('_', "-")
                )))
            } else {
                Ok(())
            }
        };
        if let Some((name, max)) = BOUNDED_COUNTS.iter().find(|(n, _)| *n == key)
            && let Some(n) = value.as_u64()
        {
            bound(name, n, *max, "")?;
        }
        if let Some((name, max)) = BOUNDED_LISTS.iter().find(|(n, _)| *n == key) {
            bound(name, list_len(&value), *max, " values")?;
        }
    }
    Ok(())
}

/// The memory `request` will need at its peak, bytes, estimated from its fields before it runs:
/// four n × n matrices of `f64` for a balance sequence of n periods (covariance, Cholesky factor
/// and work), and a few `f64`s per period of a Page chain, per Monte Carlo sample and per
/// simulated sequence.
pub fn estimated_bytes(request: &Request) -> u64 {
    let (mut periods, mut chain, mut samples, mut sequences) = (0u64, 0u64, 0u64, 0u64);
    for (key, value) in request_fields(request) {
        match key.as_str() {
            "periods" | "loss_period" => chain = chain.max(value.as_u64().unwrap_or(0)),
            "periods_per_year" => periods = periods.max(value.as_u64().unwrap_or(0)),
            "muf" | "sigma_inventory_kg" | "sigma_transfer_kg" | "loss_pattern" => {
                periods = periods.max(list_len(&value));
            }
            "samples" => samples = samples.max(value.as_u64().unwrap_or(0)),
            "sequences" => sequences = sequences.max(value.as_u64().unwrap_or(0)),
            _ => {}
        }
    }
    periods
        .saturating_mul(periods)
        .saturating_mul(4 * 8)
        .saturating_add(chain.saturating_mul(4 * 8))
        .saturating_add(samples.saturating_mul(4 * 8))
        .saturating_add(sequences.saturating_mul(8 * 8))
}
