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
    assert_eq!(Some(h.violations as f64), check["violations"].as_f64());
    assert!(h.violations > 0, "{h:?}");
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

/// The typed deal results serialise to exactly the `results` of the commands' documents: the
/// floor with and without the yearly series and a weaponization range, the check of a violated
/// and of a complied-with deal, and the comparison.
#[test]
fn deal_results_are_the_json_results() {
    use breakout_app::commands::MonthRange;
    use breakout_app::commands::deal::check;
    use breakout_app::commands::floor::{self, FloorOptions, Series};
    let options = |weapon: Option<MonthRange>| FloorOptions {
        weaponization_months: weapon,
        ..example::floor_options()
    };
    let floors = [
        (
            "jcpoa-2015",
            Series::Yearly,
            None,
            vec!["breakout", "deal", "floor", "jcpoa-2015"],
        ),
        (
            "jcpoa-2015",
            Series::None,
            Some(MonthRange { lo: 6.0, hi: 18.0 }),
            vec![
                "breakout",
                "deal",
                "floor",
                "jcpoa-2015",
                "--series",
                "none",
                "--weaponization-months",
                "6..18",
            ],
        ),
    ];
    for (deal, series, weapon, argv) in floors {
        let typed = floor::floor_estimate(
            deal,
            None,
            series,
            &options(weapon),
            &floor::PercentileOptions::default(),
            &breakout_app::progress::Silent,
        )
        .unwrap();
        assert_eq!(
            serde_json::to_value(&typed.result).unwrap(),
            cli_results(&argv),
            "{argv:?}"
        );
    }
    let checks = [
        ("jcpoa-2015", "iran-2025-05", None),
        ("jcpoa-2015", "jcpoa-2016", Some("2016-06-01")),
    ];
    for (deal, state, date) in checks {
        let typed = check::check_deal(deal, state, date).unwrap();
        let mut argv = vec!["breakout", "deal", "check", deal, state];
        argv.extend(date.iter().flat_map(|d| ["--date", d]));
        assert_eq!(
            serde_json::to_value(&typed.result).unwrap(),
            cli_results(&argv),
            "{argv:?}"
        );
    }
    let deals = ["jcpoa-2015".to_string()];
    let typed = floor::compare(&deals, &options(None), &breakout_app::progress::Silent).unwrap();
    assert_eq!(
        serde_json::to_value(&typed).unwrap(),
        cli_results(&["breakout", "deal", "compare", "jcpoa-2015"])
    );
}

/// The example's `main` runs to the end (it prints the three lines).
#[test]
fn example_main_runs() {
    example::main().unwrap();
}
