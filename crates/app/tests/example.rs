//! The `may-2025` example's numbers are the CLI's: each typed request the example builds gives
//! the same headline numbers as the command line it stands for, parsed as the `breakout` binary
//! parses it and run through [`execute`] (whose JSON document is what `--json` prints).

use breakout_app::{Request, execute};
use clap::Parser;
use serde_json::Value;

#[path = "../examples/may-2025.rs"]
mod example;

/// The binary's subcommands, as its parser sees them.
#[derive(Parser)]
struct Cli {
    #[command(subcommand)]
    command: Request,
}

/// The `results` of the JSON document of a command line.
fn cli_results(args: &[&str]) -> Value {
    let cli = Cli::try_parse_from(args).unwrap();
    let (doc, _) = execute(cli.command).unwrap();
    doc.to_json()["results"].clone()
}

#[test]
fn example_numbers_are_the_cli_numbers() {
    let h = example::headlines().unwrap();

    let run = cli_results(&["breakout", "run", "iran-2025-05"]);
    assert_eq!(h.unit, run["sq_unit"]);
    assert_eq!(h.first_sq_days, run["first_sq_days"].as_f64());
    assert!(h.first_sq_days.is_some_and(|d| d > 0.0), "{h:?}");

    let floor = cli_results(&["breakout", "deal", "floor", "jcpoa-2015"]);
    assert_eq!(
        h.floor_holds_days,
        floor["permitted_first_sq_days"].as_f64()
    );
    assert_eq!(h.floor_broken_days, floor["first_sq_days"].as_f64());
    // Reinstalling stored cascades can only shorten breakout.
    assert!(
        matches!((h.floor_broken_days, h.floor_holds_days), (Some(b), Some(p)) if b < p),
        "{h:?}"
    );

    let check = cli_results(&["breakout", "deal", "check", "jcpoa-2015", "iran-2025-05"]);
    assert_eq!(h.violations, check["violations"].as_f64());
    assert!(h.violations.is_some_and(|v| v > 0.0), "{h:?}");
}

/// The typed run result serialises to exactly the `results` of the run's document, for the
/// example's request and for runs with a multi-unit goal, weaponization and a Monte Carlo.
#[test]
fn run_result_is_the_json_results() {
    use breakout_app::commands::run::{self, RunArgs};
    use breakout_app::progress::Silent;
    let cases = [
        example::run_request(),
        RunArgs {
            state: Some("iran-2025-02".into()),
            sites: vec!["fordow".into()],
            count: 3,
            weaponization_months: Some(breakout_app::commands::MonthRange { lo: 6.0, hi: 18.0 }),
            samples: Some(50),
            seed: Some(7),
            ..RunArgs::default()
        },
        RunArgs {
            capacity_swu_per_yr: Some(10_000.0),
            model: "ideal".into(),
            no_stocks: true,
            ..RunArgs::default()
        },
    ];
    for a in cases {
        let est = run::estimate(a.clone(), &Silent).unwrap();
        let typed = serde_json::to_value(&est.result).unwrap();
        let (doc, _) = execute(Request::Run(Box::new(a))).unwrap();
        assert_eq!(typed, doc.to_json()["results"]);
    }
}

/// The example's `main` runs to the end (it prints the three lines).
#[test]
fn example_main_runs() {
    example::main().unwrap();
}
