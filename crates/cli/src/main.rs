//! `breakout`: the command-line shell over the `enrich`, `breakout` and `safeguards` engines.
//!
//! This binary owns everything the engines must not do: parsing flags and files, resolving
//! defaults (and showing them), rendering text and JSON, serving the local workbench, and mapping
//! errors to exit codes (0 success, 1 a finding, 2 usage or input error).

mod commands;
mod data;
mod deals;
mod error;
mod histories;
mod report;
mod serve;
mod states;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::error::{CliError, CmdResult};

/// Nuclear-breakout arithmetic from first principles and public data.
///
/// Assays are wt-% U-235 unless a flag says at-%; masses are kg U unless a flag names another
/// form; separative work is kg-SWU; times are days. Exit codes: 0 success, 1 a finding, 2 usage
/// or input error.
#[derive(Debug, Parser)]
#[command(name = "breakout", version, about, long_about)]
pub(crate) struct Cli {
    /// Print one JSON document ({"schema_version", "command", "inputs", "results"}) instead of text.
    #[arg(long, global = true)]
    json: bool,

    /// Print CSV instead of text: inputs and results, then every table, each block under a
    /// `# title` line.
    #[arg(long, global = true, conflicts_with = "json")]
    csv: bool,

    /// Without a subcommand: `breakout run` on the default state (iran-2025-05).
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
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
    /// A self-contained HTML (or Markdown) report of one breakout estimate: answer, charts,
    /// timeline, assumptions with sources, and the published estimates for the state's date.
    Report(Box<commands::report::ReportArgs>),
    /// The local workbench: a web page and a JSON API over the same engine, on 127.0.0.1.
    Serve(serve::ServeArgs),
}

/// Runs one command to its report. The web API calls this too, so the CLI's `--json` and the
/// API's answers are the same document.
pub(crate) fn execute(command: Command) -> CmdResult {
    match command {
        Command::Swu(args) => commands::swu::run(args),
        Command::Convert(args) => commands::convert::run(args),
        Command::Deal(args) => commands::deal::run(args),
        Command::Machine(args) => commands::machine::run(args),
        Command::Cascade(args) => commands::cascade::run(args),
        Command::Safeguards(args) => commands::safeguards::run(args),
        Command::Run(args) => commands::run::run(*args),
        Command::History(args) => commands::history::run(args),
        Command::Report(args) => commands::report::run(*args),
        Command::Serve(_) => Err(CliError::Usage(
            "`serve` cannot be run from inside the server".into(),
        )),
    }
}

fn fail(e: &CliError) -> ExitCode {
    let kind = match e {
        CliError::Usage(_) => "usage",
        CliError::Input(_) => "input",
    };
    eprintln!("error ({kind}): {e}");
    ExitCode::from(2)
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let command = cli
        .command
        .unwrap_or_else(|| Command::Run(Box::new(commands::run::defaults())));
    if let Command::Serve(args) = command {
        return match serve::run(args) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => fail(&e),
        };
    }
    match execute(command) {
        Ok((report, outcome)) => match report.emit(if cli.json {
            report::Output::Json
        } else if cli.csv {
            report::Output::Csv
        } else {
            report::Output::Text
        }) {
            Ok(()) => outcome.into(),
            Err(e) => fail(&CliError::Input(format!("could not write the output: {e}"))),
        },
        Err(e) => fail(&e),
    }
}
