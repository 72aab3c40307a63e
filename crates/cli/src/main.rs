//! `breakout`: the command-line front end of the `breakout_app` application layer.
//!
//! It parses flags into the application's typed requests (clap), calls
//! [`breakout_app::execute_with`], renders the answer (text, JSON, CSV; the HTML/Markdown
//! report), serves the local workbench, and maps errors to exit codes (0 success, 1 a finding,
//! 2 usage or input error). It holds no domain logic.

mod columnar;
mod progress;
mod render;
mod report;
mod serve;

use std::process::ExitCode;

use breakout_app::commands::deal::{DealArgs, DealCommand};
use breakout_app::commands::design;
use breakout_app::{AppError, Outcome, Progress, Request};
use clap::{Parser, Subcommand};

/// Nuclear-breakout arithmetic from first principles and public data.
///
/// Assays are wt-% U-235 unless a flag says at-%; masses are kg U unless a flag names another
/// form; separative work is kg-SWU; times are days. Exit codes: 0 success, 1 a finding, 2 usage
/// or input error.
///
/// Text is laid out to fit the terminal: `COLUMNS` if set, else the terminal's width when stdout
/// is a terminal, else 100 columns (piped or redirected output). Long text wraps at spaces;
/// `--json` and `--csv` carry every figure at full precision.
#[derive(Debug, Parser)]
#[command(name = "breakout", version, about, long_about)]
struct Cli {
    /// Print one JSON document ({"schema_version", "command", "inputs", "results"}) instead of text.
    #[arg(long, global = true)]
    json: bool,

    /// Print CSV instead of text: inputs and results, then every table, each block under a
    /// `# title` line.
    #[arg(long, global = true, conflicts_with = "json")]
    csv: bool,

    /// Also write the command's table of records to FILE as Parquet (uncompressed): the points
    /// of `sweep`, every candidate of `deal design`. stdout still gets text, JSON or CSV.
    #[arg(long, global = true, value_name = "FILE")]
    parquet: Option<std::path::PathBuf>,

    /// `deal design` only: also write a self-contained report of the run to FILE — `.html`
    /// (inline CSS and SVG chart, no script) or `.md` (Markdown). stdout is unchanged.
    #[arg(long, global = true, value_name = "FILE")]
    report: Option<std::path::PathBuf>,

    /// Show the table of every assumption with its source in text output (it is always in
    /// `--json` and `--csv`; without this flag text gives a one-line pointer).
    #[arg(long, global = true)]
    assumptions: bool,

    /// The timeline in text output: `steps` (passes grouped by enrichment step, with totals) or
    /// `full` (every pass too). `--json` always carries every pass.
    #[arg(long, global = true, value_enum, default_value_t = Timeline::Steps)]
    timeline: Timeline,

    /// Without a subcommand: `breakout run` on the default state (iran-2025-05).
    #[command(subcommand)]
    command: Option<Command>,
}

/// How much of the timeline text shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Timeline {
    /// Passes grouped by enrichment step, with totals.
    Steps,
    /// Every pass as well.
    Full,
}

#[derive(Debug, Subcommand)]
enum Command {
    #[command(flatten)]
    App(Box<Request>),
    /// A self-contained HTML (or Markdown) report of one breakout estimate: answer, charts,
    /// timeline, assumptions with sources, and the published estimates for the state's date.
    Report(Box<report::ReportArgs>),
    /// The local workbench: a web page and a JSON API over the same engine, on 127.0.0.1.
    Serve(serve::ServeArgs),
}

fn fail(e: &AppError) -> ExitCode {
    let kind = match e {
        AppError::Usage(_) => "usage",
        AppError::Input(_) => "input",
        AppError::Internal(_) => "internal",
        AppError::Cancelled(_) => "cancelled",
    };
    eprintln!("error ({kind}): {e}");
    ExitCode::from(2)
}

/// `deal design` with `--report FILE`: the same document on stdout, and the report of the same
/// typed result written to FILE (its extension checked before the search runs).
fn design_with_report(
    request: Request,
    path: &std::path::Path,
    bar: &progress::Bar,
) -> breakout_app::Answer {
    let Request::Deal(DealArgs {
        command: DealCommand::Design(args),
    }) = request
    else {
        return Err(AppError::Usage(
            "--report FILE: only `deal design` writes a report this way (for one estimate use `breakout report -o FILE`)".into(),
        ));
    };
    let format = report::design::format_of(path)?;
    breakout_app::check_bounds(&Request::Deal(DealArgs {
        command: DealCommand::Design(args.clone()),
    }))?;
    let res = design::design(&args, bar);
    bar.finish();
    let res = res?;
    let doc = design::document(&args, &res);
    // As `execute` guards every document: no printed number may be NaN or infinite.
    if let Some(what) = doc.non_finite() {
        return Err(AppError::Input(format!(
            "the inputs give a result that is not a finite number ({what})"
        )));
    }
    report::design::write(path, format, &args, &res, &doc)?;
    Ok((doc, Outcome::Success))
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let command = cli
        .command
        .unwrap_or_else(|| Command::App(Box::new(Request::Run(Box::default()))));
    let bar = progress::Bar::default();
    let answer = match command {
        Command::Serve(args) => {
            return match serve::run(args) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => fail(&e),
            };
        }
        Command::Report(args) => report::run(*args, &bar),
        Command::App(request) => match &cli.report {
            None => breakout_app::execute_with(*request, &bar),
            Some(path) => design_with_report(*request, path, &bar),
        },
    };
    let format = if cli.json {
        render::Output::Json
    } else if cli.csv {
        render::Output::Csv
    } else {
        render::Output::Text
    };
    let mut shown = Vec::new();
    if cli.assumptions {
        shown.push("--assumptions".to_string());
    }
    if cli.timeline == Timeline::Full {
        shown.push("--timeline full".to_string());
    }
    let layout = breakout_app::render::Layout {
        width: render::width(),
        shown,
    };
    match answer {
        Ok((doc, outcome)) => {
            if let Some(path) = &cli.parquet {
                let Some(records) = doc.records_table() else {
                    return fail(&AppError::Usage(format!(
                        "--parquet: `{}` has no table of records to write (`sweep` and `deal design` have)",
                        doc.command()
                    )));
                };
                if let Err(e) = columnar::write(records, path) {
                    return fail(&AppError::Input(format!(
                        "--parquet: could not write `{}`: {e}",
                        path.display()
                    )));
                }
            }
            match render::emit(&doc, format, &layout) {
                Ok(()) => match outcome {
                    Outcome::Success => ExitCode::SUCCESS,
                    Outcome::Finding => ExitCode::from(1),
                },
                Err(e) => fail(&AppError::Input(format!("could not write the output: {e}"))),
            }
        }
        Err(e) => fail(&e),
    }
}
