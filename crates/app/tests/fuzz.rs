//! The fuzzing harness of the command line (hardening, issue 12): random flags with random and
//! extreme numbers for every command, and mutated bundled state and deal files, run in-process
//! through `breakout_app::execute_cancellable` exactly as the `breakout` binary runs them.
//!
//! Each case must end without a panic, within [`LIMIT`], either with a document whose every
//! number is finite or with an error that has a message (the binary maps every error kind to
//! exit 2). The argument lists are built from clap's own description of `Request`, so a new
//! command or flag is fuzzed without editing this file. The seed is `PROPTEST_RNG_SEED` from
//! `.cargo/config.toml`; `BREAKOUT_FUZZ_CASES=N` runs N cases per property instead of the CI
//! default (e.g. `BREAKOUT_FUZZ_CASES=5000 cargo test --release -p breakout-app --test fuzz`).

use std::sync::mpsc;
use std::time::{Duration, Instant};

use breakout_app::{AppError, Cancel, Request, execute_cancellable, progress::Silent};
use clap::{CommandFactory, Parser};
use proptest::prelude::*;
use proptest::test_runner::FileFailurePersistence;
use serde_json::Value;

/// `breakout`'s command line, as the binary parses it (its global flags only render output).
#[derive(Debug, Parser)]
#[command(name = "breakout")]
struct Argv {
    #[command(subcommand)]
    request: Request,
}

/// Longest a case may compute before it is cancelled.
const LIMIT: Duration = Duration::from_secs(5);

/// How long a cancelled case may take to stop: the longest step between two cancellation checks
/// (one state's estimate of `history`, tabulating its cascade hardware, takes ~5 s in a debug
/// build on a busy machine, ~0.3 s in release).
const STOP: Duration = Duration::from_secs(15);

/// Values given to flags and positionals: the extremes of the hardening issue, plausible values,
/// and names of bundled data (so that commands get past their first check).
const VALUES: &[&str] = &[
    "0",
    "-0",
    "1e-320",
    "1e308",
    "-1e308",
    "NaN",
    "inf",
    "-inf",
    "18446744073709551616",
    "18446744073709551615",
    "4294967296",
    "-1",
    "",
    "1",
    "0.5",
    "0.711",
    "3.67",
    "20",
    "60",
    "90",
    "100",
    "1740",
    "IR-6=1740",
    "IR-6=1e308",
    "IR-1=-5",
    "IR-1=1e-320",
    "IR-99=1",
    "408.6@60",
    "1e308@90",
    "5@1e-320",
    "U235=0.711",
    "U234=0.0054,U235=0.711",
    "6..18",
    "18..6",
    "0.1,0.2,0.3",
    "sq",
    "wgu",
    "kg-u",
    "uf6",
    "fixed-cascade",
    "ideal",
    "yearly",
    "iran-2025-05",
    "jcpoa-2016",
    "jcpoa-2015",
    "zero-enrichment",
    "ir1-164",
    "fep",
    "fordow",
    "2016-01-16",
    "2025-13-45",
    "/dev/zero",
];

/// The numbers of [`VALUES`], which the edits of a valid command line put in place of its
/// numbers.
const NUMBERS: &[&str] = &[
    "0",
    "-0",
    "1e-320",
    "1e308",
    "-1e308",
    "NaN",
    "inf",
    "-inf",
    "18446744073709551616",
    "4294967296",
    "-1",
    "",
    "0.5",
    "1",
    "3.67",
    "20",
    "90",
    "1e6",
];

/// `old` with a number replaced by `number`: the value of `TYPE=N`, one side of `KG@PCT`
/// (`first`: the mass), one item of a list, or the whole value.
fn with_number(old: &str, number: &str, first: bool) -> String {
    if let Some((name, _)) = old.split_once('=').filter(|_| !old.contains(',')) {
        format!("{name}={number}")
    } else if let Some((kg, pct)) = old.split_once('@') {
        if first {
            format!("{number}@{pct}")
        } else {
            format!("{kg}@{number}")
        }
    } else if let Some((head, _)) = old.rsplit_once(',') {
        format!("{head},{number}")
    } else {
        number.to_string()
    }
}

/// An argument of a command: its long name (`None` for a positional) and whether it takes a value.
type Arg = (Option<String>, bool);

/// A command: its path of subcommand names and its arguments.
type Command = (Vec<String>, Vec<Arg>);

/// Every leaf command of `breakout` as its path of subcommand names, with its arguments.
fn commands() -> Vec<Command> {
    fn walk(cmd: &clap::Command, path: &mut Vec<String>, out: &mut Vec<Command>) {
        let args = cmd
            .get_arguments()
            .filter(|a| !["help", "version"].contains(&a.get_id().as_str()))
            .map(|a| {
                (
                    a.get_long().map(str::to_string),
                    a.get_action().takes_values(),
                )
            })
            .collect();
        out.push((path.clone(), args));
        for sub in cmd.get_subcommands() {
            path.push(sub.get_name().to_string());
            walk(sub, path, out);
            path.pop();
        }
    }
    let mut out = Vec::new();
    walk(&Argv::command(), &mut Vec::new(), &mut out);
    // The root is not a command.
    out.retain(|(path, _)| !path.is_empty());
    out
}

/// Runs `request` with a watchdog that cancels it at [`LIMIT`]; the answer and the time taken.
fn run(request: Request) -> (Result<Value, AppError>, Duration) {
    let cancel = Cancel::new();
    let (done, wait) = mpsc::channel::<()>();
    let watchdog = {
        let cancel = cancel.clone();
        std::thread::spawn(move || {
            if wait.recv_timeout(LIMIT).is_err() {
                cancel.cancel();
            }
        })
    };
    let start = Instant::now();
    let answer = execute_cancellable(request, &Silent, &cancel).map(|(doc, _)| doc.to_json());
    let took = start.elapsed();
    let _ = done.send(());
    watchdog.join().expect("the watchdog ends");
    (answer, took)
}

/// Every number in a document is finite (serde_json writes NaN and inf as `null`, so a
/// non-finite number shows as a `null` where the document's own guard did not catch it; this
/// checks the numbers that are there and the guard in `execute` checks the rest).
fn all_finite(v: &Value) -> bool {
    match v {
        Value::Number(n) => n.as_f64().is_some_and(f64::is_finite),
        Value::Array(a) => a.iter().all(all_finite),
        Value::Object(m) => m.values().all(all_finite),
        _ => true,
    }
}

/// What a case must satisfy, whatever its input: an answer in time, finite numbers or an error
/// with a message.
fn check(what: &str, answer: &Result<Value, AppError>, took: Duration) -> Result<(), String> {
    if took > LIMIT + STOP {
        return Err(format!(
            "{what}: took {took:?}, past the cancellation at {LIMIT:?}"
        ));
    }
    match answer {
        // Cancelled work must say so (the server answers it 503, not 400).
        Err(e) if took >= LIMIT && !matches!(e, AppError::Cancelled(_)) => {
            Err(format!("{what}: cancelled, but reported as {e:?}"))
        }
        Ok(json) if !all_finite(json) => Err(format!("{what}: a number that is not finite")),
        Err(e) if e.to_string().trim().is_empty() => Err(format!("{what}: an empty error")),
        Err(AppError::Internal(e)) => Err(format!("{what}: internal error: {e}")),
        _ => Ok(()),
    }
}

fn cases(default: u32) -> u32 {
    std::env::var("BREAKOUT_FUZZ_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(default)
}

/// Valid command lines, one or more per command (the snapshot tests' cases), that the edits of
/// [`argv`] start from so that most cases get past clap to the engines. `history`, `deal
/// compare`, `safeguards plant` and long Monte Carlo runs are left to the random command lines:
/// each takes seconds in a debug build.
const BASES: &[&[&str]] = &[
    &["run"],
    &["run", "jcpoa-2016", "--model", "ideal"],
    &[
        "run",
        "iran-2025-02",
        "--site",
        "fordow",
        "--goal",
        "wgu",
        "--count",
        "3",
    ],
    &[
        "run",
        "--machines",
        "IR-6=1740",
        "--stock",
        "408.6@60",
        "--goal",
        "wgu",
    ],
    &[
        "run",
        "--goal-kg-u",
        "42",
        "--stock",
        "408.6@60",
        "--model",
        "ideal",
    ],
    &[
        "run",
        "--capacity-swu-per-yr",
        "10000",
        "--model",
        "ideal",
        "--no-stocks",
    ],
    &[
        "run",
        "iran-2025-05",
        "--tails-wt-pct",
        "5",
        "--natural-tails-wt-pct",
        "0.3",
    ],
    &["run", "iran-2025-05", "--samples", "30", "--seed", "7"],
    &["deal", "show", "jcpoa-2015", "--date", "2024-08-01"],
    &["deal", "check", "jcpoa-2015", "iran-2025-05"],
    &["deal", "floor", "us-2025-cap-3.67", "--goal", "wgu"],
    &[
        "deal",
        "floor",
        "jcpoa-reimposed-2025",
        "--reinstall-cascades-per-month",
        "3",
    ],
    &[
        "swu",
        "--product-wt-pct",
        "3.5",
        "--tails-wt-pct",
        "0.3",
        "--product-kg-u",
        "1",
    ],
    &[
        "swu",
        "--product-wt-pct",
        "90",
        "--feed-wt-pct",
        "60",
        "--tails-wt-pct",
        "20",
        "--swu",
        "100",
    ],
    &[
        "swu",
        "plan",
        "--product-kg-u",
        "25",
        "--product-wt-pct",
        "90",
        "--stock",
        "408.6@60",
        "--tails-wt-pct",
        "20",
    ],
    &[
        "swu",
        "cost",
        "--product-wt-pct",
        "4.5",
        "--usd-per-lb-u3o8",
        "80",
        "--conversion-usd-per-kg-u",
        "30",
        "--usd-per-swu",
        "150",
    ],
    &[
        "swu",
        "cost",
        "--product-wt-pct",
        "4.5",
        "--feed-usd-per-kg-u",
        "100",
        "--usd-per-swu",
        "150",
    ],
    &[
        "swu",
        "tails",
        "--product-wt-pct",
        "3.5",
        "--feed-kg-u",
        "1000",
        "--product-kg-u",
        "120",
    ],
    &[
        "swu",
        "yield",
        "--product-wt-pct",
        "90",
        "--feed-wt-pct",
        "3.67",
        "--swu",
        "1000",
        "--feed-kg-u",
        "900",
        "--tails",
        "optimal",
    ],
    &[
        "convert", "300", "kg-uf6", "--wt-pct", "3.67", "--to", "kg-u",
    ],
    &["machine", "dirac", "P-1"],
    &["machine", "raetz", "P-1", "--speed-m-per-s", "350"],
    &[
        "cascade",
        "design",
        "--product-wt-pct",
        "3.5",
        "--tails-wt-pct",
        "0.3",
        "--machine",
        "IR-1",
        "--machines",
        "164",
    ],
    &[
        "cascade",
        "marc",
        "--feed-wt-pct",
        "U234=0.0054,U235=0.711",
        "--product-wt-pct",
        "90",
        "--tails-wt-pct",
        "0.3",
        "--gamma",
        "1.3",
    ],
    &[
        "cascade",
        "run",
        "ir6-174",
        "--feed-wt-pct",
        "U235=20",
        "--recycle",
        "3",
        "--batch-kg-u",
        "100",
    ],
    &[
        "safeguards",
        "detect",
        "--loss-kg",
        "75",
        "--sigma-kg",
        "20",
    ],
    &[
        "safeguards",
        "sequence",
        "--muf",
        "1,-2,3,5",
        "--sigma-inventory-kg",
        "2,2,2,2,2",
        "--sigma-transfer-kg",
        "1,1,1,1",
        "--loss-kg",
        "8",
        "--pattern",
        "protracted",
        "--sequences",
        "20",
        "--seed",
        "3",
    ],
    &[
        "safeguards",
        "page-threshold",
        "--k",
        "0.5",
        "--periods",
        "2",
        "--alpha",
        "0.05",
    ],
    &[
        "safeguards",
        "sample",
        "--items",
        "200",
        "--goal-kg",
        "75",
        "--item-kg",
        "2",
        "--falsified-fraction",
        "1",
        "--beta",
        "0.1",
    ],
];

/// A random command line: either a leaf command with up to five of its arguments at random
/// values, or one of [`BASES`] with one to three values replaced or flags added at random values.
fn argv() -> impl Strategy<Value = Vec<String>> {
    let commands = commands();
    let random = {
        let commands = commands.clone();
        (
            0..commands.len(),
            prop::collection::vec(
                (any::<prop::sample::Index>(), prop::sample::select(VALUES)),
                0..6,
            ),
        )
            .prop_map(move |(i, picks)| {
                let (path, args) = &commands[i];
                let mut argv = vec!["breakout".to_string()];
                argv.extend(path.iter().cloned());
                if args.is_empty() {
                    return argv;
                }
                for (which, value) in picks {
                    let (long, takes_value) = &args[which.index(args.len())];
                    if let Some(long) = long {
                        argv.push(format!("--{long}"));
                    }
                    if *takes_value {
                        argv.push((*value).to_string());
                    }
                }
                argv
            })
    };
    let edited = (
        prop::sample::select(BASES),
        prop::collection::vec(
            (
                any::<bool>(),
                any::<prop::sample::Index>(),
                prop::sample::select(NUMBERS),
            ),
            1..4,
        ),
    )
        .prop_map(move |(base, edits)| {
            let mut argv: Vec<String> = std::iter::once("breakout")
                .chain(base.iter().copied())
                .map(str::to_string)
                .collect();
            let (depth, args) = commands
                .iter()
                .filter(|(path, _)| argv[1..].starts_with(path))
                .max_by_key(|(path, _)| path.len())
                .map(|(path, args)| (path.len() + 1, args.clone()))
                .expect("every base is a command");
            // The values of the base (after its command path), not its flags' names.
            let values: Vec<usize> = (depth..argv.len())
                .filter(|&i| !argv[i].starts_with("--"))
                .collect();
            for (replace, which, number) in edits {
                if replace && !values.is_empty() {
                    let at = values[which.index(values.len())];
                    argv[at] = with_number(&argv[at], number, which.index(2) == 0);
                } else if let Some((Some(long), true)) = args
                    .get(which.index(args.len().max(1)))
                    .filter(|(long, _)| {
                        long.as_ref()
                            .is_none_or(|l| !argv.contains(&format!("--{l}")))
                    })
                {
                    argv.push(format!("--{long}"));
                    argv.push(number.to_string());
                }
            }
            argv
        });
    prop_oneof![1 => random, 3 => edited]
}

/// A bundled file with random lines deleted and random values replaced by values of
/// [`VALUES`].
fn mutated(text: &'static str) -> impl Strategy<Value = String> {
    let lines = text.lines().count();
    prop::collection::vec(
        (0..lines, prop::option::of(prop::sample::select(VALUES))),
        1..4,
    )
    .prop_map(move |edits| {
        let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
        for (at, value) in edits {
            let at = at.min(lines.len().saturating_sub(1));
            match value {
                // A value replaced, quoted where the original was quoted.
                Some(v) => {
                    if let Some((key, old)) = lines[at].split_once(" = ") {
                        let new = if old.trim_start().starts_with('"') {
                            format!("{key} = \"{v}\"")
                        } else if v.is_empty() {
                            format!("{key} = {old}{old}")
                        } else {
                            format!("{key} = {v}")
                        };
                        lines[at] = new;
                    }
                }
                None => {
                    if !lines.is_empty() {
                        lines.remove(at);
                    }
                }
            }
        }
        lines.join("\n")
    })
}

/// A file in the temporary directory, removed when dropped.
struct TempFile(std::path::PathBuf);

impl TempFile {
    fn new(name: &str, text: &str) -> TempFile {
        let path = std::env::temp_dir().join(format!(
            "breakout-fuzz-{}-{name}-{:?}.toml",
            std::process::id(),
            std::thread::current().id()
        ));
        std::fs::write(&path, text).expect("the temporary directory is writable");
        TempFile(path)
    }
    fn path(&self) -> String {
        self.0.display().to_string()
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: cases(300),
        failure_persistence: Some(Box::new(FileFailurePersistence::Direct("tests/fuzz.proptest-regressions"))),
        ..ProptestConfig::default()
    })]

    /// Random flags and numbers at every command.
    #[test]
    fn any_command_line_ends_in_time_with_finite_numbers_or_an_error(argv in argv()) {
        let Ok(parsed) = Argv::try_parse_from(&argv) else {
            // A usage error of clap's: the binary prints it and exits 2.
            return Ok(());
        };
        let (answer, took) = run(parsed.request);
        check(&argv.join(" "), &answer, took).map_err(TestCaseError::fail)?;
    }
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: cases(60),
        failure_persistence: Some(Box::new(FileFailurePersistence::Direct("tests/fuzz.proptest-regressions"))),
        ..ProptestConfig::default()
    })]

    /// Mutated bundled state files, through `run` and `deal check`: both end as above, and
    /// both refuse the same files (one validation path): an error located in the file from one
    /// is an error located in the file from the other.
    #[test]
    fn any_mutated_state_file_is_refused_by_every_command_alike(
        text in mutated(breakout_app::states::BUNDLED[6].1),
    ) {
        let file = TempFile::new("state", &text);
        let path = file.path();
        let mut refused = Vec::new();
        for argv in [
            vec!["breakout", "run", &path],
            vec!["breakout", "deal", "check", "jcpoa-2015", &path],
        ] {
            let request = Argv::try_parse_from(&argv).expect("a valid command line").request;
            let (answer, took) = run(request);
            check(&argv.join(" "), &answer, took).map_err(TestCaseError::fail)?;
            if matches!(answer, Err(AppError::Cancelled(_))) {
                // Slow on a busy machine: nothing to compare.
                return Ok(());
            }
            refused.push(match &answer {
                Err(AppError::Input(e)) if e.starts_with(&path) => Some(e.clone()),
                _ => None,
            });
        }
        prop_assert_eq!(
            refused[0].is_some(),
            refused[1].is_some(),
            "`run` and `deal check` disagree on a state file: {:?}\n{}",
            refused,
            text
        );
    }

    /// Mutated bundled deal files, through `deal show`, `deal check` and `deal floor`.
    #[test]
    fn any_mutated_deal_file_is_refused_or_answered(
        text in mutated(breakout_app::deals::BUNDLED[0].1),
        command in 0..3usize,
    ) {
        let file = TempFile::new("deal", &text);
        let path = file.path();
        let argv: Vec<&str> = match command {
            0 => vec!["breakout", "deal", "show", &path],
            1 => vec!["breakout", "deal", "check", &path, "iran-2025-05"],
            _ => vec!["breakout", "deal", "floor", &path],
        };
        let Ok(parsed) = Argv::try_parse_from(&argv) else {
            return Ok(());
        };
        let (answer, took) = run(parsed.request);
        check(&argv.join(" "), &answer, took).map_err(TestCaseError::fail)?;
    }
}

/// The harness reaches every command: a command added without arguments clap can describe
/// would silently escape the fuzzing.
#[test]
fn every_command_is_fuzzed() {
    let paths: Vec<String> = commands().into_iter().map(|(p, _)| p.join(" ")).collect();
    for want in [
        "run",
        "history",
        "swu cost",
        "deal floor",
        "safeguards plant",
        "cascade run",
    ] {
        assert!(
            paths.iter().any(|p| p == want),
            "{want} missing from {paths:?}"
        );
    }
}

/// Found by the harness: Page's threshold reported a cancellation (the server's time limit) as
/// an input error, which the server would answer 400 instead of 503.
#[test]
fn a_cancelled_page_threshold_says_it_was_cancelled() {
    let request = Argv::try_parse_from([
        "breakout",
        "safeguards",
        "page-threshold",
        "--k",
        "0.5",
        "--periods",
        "12",
        "--alpha",
        "0.05",
    ])
    .expect("a valid command line")
    .request;
    let cancel = Cancel::new();
    cancel.cancel();
    let e = execute_cancellable(request, &Silent, &cancel)
        .err()
        .expect("a cancelled request ends in an error");
    assert!(matches!(e, AppError::Cancelled(_)), "{e:?}");
}

/// Found by the harness: a reinstallation rate of 1e-320 cascades/month made the capacity
/// schedule's days infinite (`duration = inf days`); it is now refused by its range.
#[test]
fn a_denormal_reinstallation_rate_is_refused_by_its_range() {
    for argv in [
        &[
            "breakout",
            "run",
            "--reinstall-cascades-per-month",
            "1e-320",
        ][..],
        &[
            "breakout",
            "deal",
            "floor",
            "jcpoa-reimposed-2025",
            "--reinstall-cascades-per-month",
            "1e-320",
        ],
    ] {
        let request = Argv::try_parse_from(argv)
            .expect("a valid command line")
            .request;
        let (answer, _) = run(request);
        match answer {
            Err(AppError::Usage(e)) => {
                assert!(e.contains("MIN_REINSTALL_CASCADES_PER_MONTH"), "{e}")
            }
            other => panic!("{argv:?}: {other:?}"),
        }
    }
}
