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
//! - the answer of every command as a [`Document`]: inputs with defaults marked, results,
//!   tables and notes, serialised as the versioned JSON envelope ([`document::SCHEMA_VERSION`]);
//!   `breakout run` also as the typed [`commands::run::RunResult`].
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

pub mod commands;
pub mod data;
pub mod deals;
pub mod document;
pub mod error;
pub mod histories;
pub mod progress;
pub mod states;

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
    match request {
        Request::Swu(args) => commands::swu::run(args),
        Request::Convert(args) => commands::convert::run(args),
        Request::Deal(args) => commands::deal::run(args),
        Request::Machine(args) => commands::machine::run(args),
        Request::Cascade(args) => commands::cascade::run(args),
        Request::Safeguards(args) => commands::safeguards::run(args),
        Request::Run(args) => commands::run::run(*args, progress),
        Request::History(args) => commands::history::run(args, progress),
    }
}
