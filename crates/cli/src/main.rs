//! `breakout`: the command-line shell over the `enrich`, `breakout` and `safeguards` engines.
//!
//! This binary owns everything the engines must not do: parsing flags and files, resolving
//! defaults (and showing them), rendering text and JSON, and mapping errors to exit codes
//! (0 success, 1 a finding, 2 usage or input error).

mod commands;
mod data;
mod error;
mod report;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::error::CliError;

/// Nuclear-breakout arithmetic from first principles and public data.
///
/// Assays are wt-% U-235 unless a flag says at-%; masses are kg U unless a flag names another
/// form; separative work is kg-SWU; times are days. Exit codes: 0 success, 1 a finding, 2 usage
/// or input error.
#[derive(Debug, Parser)]
#[command(name = "breakout", version, about, long_about)]
struct Cli {
    /// Print one JSON document ({"schema_version", "command", "inputs", "results"}) instead of text.
    #[arg(long, global = true)]
    json: bool,

    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Separative work: the feed/product/tails balance, multi-stock plans, cost-optimum tails.
    Swu(commands::swu::SwuArgs),
    /// Convert a mass between kg U, kg U-235 and chemical forms (UF6, U3O8, UO2).
    Convert(commands::convert::ConvertArgs),
    /// The centrifuge library: machine types, separative power and sources.
    Machine(commands::machine::MachineArgs),
    /// Cascades: ideal design, multi-isotope MARC, fixed cascades run off-design and recycling.
    Cascade(commands::cascade::CascadeArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Swu(args) => commands::swu::run(args, cli.json),
        Command::Convert(args) => commands::convert::run(args, cli.json),
        Command::Machine(args) => commands::machine::run(args, cli.json),
        Command::Cascade(args) => commands::cascade::run(args, cli.json),
    };
    match result {
        Ok(outcome) => outcome.into(),
        Err(e) => {
            let kind = match e {
                CliError::Usage(_) => "usage",
                CliError::Input(_) => "input",
            };
            eprintln!("error ({kind}): {e}");
            ExitCode::from(2)
        }
    }
}
