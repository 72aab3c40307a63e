//! Regressions of the hardening issue's CLI reproductions: each bad input ends with exit 2 and a
//! message that names what was wrong — never a panic (101), an abort (134) or a NaN/inf printed.

use std::process::Command;

/// (arguments, a phrase the error must contain)
const REFUSED: &[(&[&str], &str)] = &[
    (
        &[
            "safeguards",
            "page-threshold",
            "--k",
            "0.5",
            "--periods",
            "4294967296",
            "--alpha",
            "0.05",
        ],
        "exceeds the maximum",
    ),
    (
        &["run", "--samples", "18446744073709551615", "--seed", "1"],
        "exceeds the maximum",
    ),
    (
        &[
            "cascade",
            "run",
            "--stages",
            "4294967296",
            "--feed-stage",
            "1",
            "--cut",
            "0.5",
            "--machine",
            "IR-1",
        ],
        "exceeds the maximum",
    ),
    // Allocations sized by a float: a stratum of 10^303 cylinders, and 10^12 kg-SWU/yr.
    (
        &["safeguards", "plant", "--swu-per-yr", "1e308"],
        "cylinders in one stratum",
    ),
    (
        &[
            "safeguards",
            "plant",
            "--swu-per-yr",
            "1e12",
            "--sequences",
            "1000",
            "--seed",
            "1",
        ],
        "cylinders in one stratum",
    ),
    // Results that would print NaN or inf.
    (
        &[
            "machine",
            "raetz",
            "P-1",
            "--r1-over-r2",
            "0.5",
            "--cut",
            "1e-320",
        ],
        "not a finite number",
    ),
    (
        &[
            "swu",
            "--product-wt-pct",
            "3.5",
            "--tails-wt-pct",
            "0.3",
            "--product-kg-u",
            "1e308",
        ],
        "not a finite number",
    ),
    // Float inputs outside their physical range.
    (
        &["run", "--tails-wt-pct", "70"],
        "--tails-wt-pct 70: expected a tails assay in (0, 20]",
    ),
    (
        &["run", "--max-tails-wt-pct", "25"],
        "--max-tails-wt-pct 25",
    ),
    (
        &["run", "--machines", "IR-6=18446744073709551616"],
        "limits::MAX_MACHINES",
    ),
    (
        &[
            "swu",
            "cost",
            "--product-wt-pct",
            "4.5",
            "--feed-usd-per-kg-u",
            "-100",
            "--usd-per-swu",
            "150",
        ],
        "feed price = -100",
    ),
    (
        &[
            "swu",
            "cost",
            "--product-wt-pct",
            "4.5",
            "--feed-usd-per-kg-u",
            "100",
            "--usd-per-swu",
            "-150",
        ],
        "SWU price",
    ),
    // The feed price includes conversion: a conversion price beside it would be ignored.
    (
        &[
            "swu",
            "cost",
            "--product-wt-pct",
            "4.5",
            "--feed-usd-per-kg-u",
            "100",
            "--conversion-usd-per-kg-u",
            "10",
            "--usd-per-swu",
            "150",
        ],
        "--conversion-usd-per-kg-u",
    ),
    (
        &[
            "deal",
            "compare",
            "--reinstall-cascades-per-month",
            "1e-320",
        ],
        "limits::MIN_REINSTALL_CASCADES_PER_MONTH",
    ),
    // A stream is cut off at the input-file limit, not read until memory runs out.
    (&["run", "/dev/zero"], "limits::MAX_INPUT_FILE_BYTES"),
    (
        &["deal", "show", "/dev/zero"],
        "limits::MAX_INPUT_FILE_BYTES",
    ),
];

#[test]
fn bad_inputs_exit_2_with_a_message() {
    for (args, phrase) in REFUSED {
        let out = Command::new(env!("CARGO_BIN_EXE_breakout"))
            .args(*args)
            .output()
            .expect("the binary runs");
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains(phrase), "{args:?}: {err}");
        assert!(!err.contains("panicked"), "{args:?}: {err}");
    }
}

/// Extreme inputs the model answers (or refuses) without panicking: a goal of 1e-320 kg U or a
/// stock of 1e300 kg U made the production curve's unit count overflow (`attempt to add with
/// overflow`, exit 101 in a debug build, a wrapped count in release); 20 recycling passes of
/// 20 % feed reach a U-235 weight fraction that rounds to 1 (found by crates/app/tests/fuzz.rs).
#[test]
fn extreme_inputs_do_not_panic() {
    for args in [
        &["run", "--goal-kg-u", "1e-320"][..],
        &["run", "--stock", "1e300@60"],
        &["run", "--model", "ideal", "--stock", "1e300@60"],
        &["run", "--model", "ideal", "--goal-kg-u", "1e-320"],
        &[
            "cascade",
            "run",
            "ir6-174",
            "--feed-wt-pct",
            "U235=20",
            "--recycle",
            "20",
            "--batch-kg-u",
            "100",
        ],
    ] {
        let out = Command::new(env!("CARGO_BIN_EXE_breakout"))
            .args(args)
            .output()
            .expect("the binary runs");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(matches!(out.status.code(), Some(0 | 2)), "{args:?}: {err}");
        assert!(!err.contains("panicked"), "{args:?}: {err}");
    }
}

/// A bundled file with one edit, the command that reads it (`{}` is the file), and a phrase the
/// error must contain: state files are refused alike by `run` and `deal check` (one validation
/// path), deal files by `deal check` and `deal floor`.
const BAD_FILES: &[(&str, &str, &str, &[&str], &str)] = &[
    (
        "states/iran-2025-05",
        "machines = 1724",
        "machines = -1740",
        &["deal", "check", "jcpoa-2015", "{}"],
        ":40:12: machines = -1740 is not valid",
    ),
    (
        "states/iran-2025-05",
        "machines = 1724",
        "machines = -1740",
        &["run", "{}"],
        ":40:12: machines = -1740 is not valid",
    ),
    (
        "states/iran-2025-05",
        "machines = 1724",
        "machines = nan",
        &["deal", "check", "jcpoa-2015", "{}"],
        "machines = NaN is not valid",
    ),
    (
        "states/iran-2025-05",
        "machines = 1724",
        "machines = inf",
        &["deal", "check", "jcpoa-2015", "{}"],
        "machines = inf is not valid",
    ),
    (
        "states/iran-2025-05",
        "machine = \"IR-6\"",
        "machine = \"IR-99\"",
        &["deal", "check", "jcpoa-2015", "{}"],
        "unknown machine type `IR-99`: expected one of IR-1",
    ),
    (
        "states/iran-2025-05",
        "mass_kg_u = ",
        "available_fraction = -0.5\nmass_kg_u = ",
        &["deal", "check", "jcpoa-2015", "{}"],
        "available_fraction = -0.5 is not valid: expected a fraction from 0 to 1",
    ),
    (
        "states/iran-2025-05",
        "as_of = \"2025-05-17\"",
        "as_of = \"2025-13-45\"",
        &["deal", "check", "jcpoa-2015", "{}"],
        ":6:9: as_of: `2025-13-45` is not a date",
    ),
    (
        "states/iran-2025-05",
        "as_of = \"2025-05-17\"",
        "as_of = \"yesterday\"",
        &["run", "{}"],
        ":6:9: as_of: `yesterday` is not a date",
    ),
    (
        "states/iran-2025-05",
        "as_of = \"2025-05-17\"",
        "as_of = \"\"",
        &["run", "{}"],
        ":6:9: as_of: `` is not a date",
    ),
    (
        "states/iran-2025-05",
        "form = \"UF6\"",
        "form = \"UF7\"",
        &["run", "{}"],
        "form = \"UF7\" is not a known chemical form: expected UF6, U3O8, UO2, metal or other",
    ),
    (
        "deals/jcpoa-2015",
        "name = \"adoption\"",
        "name = \"finalization\"",
        &["deal", "check", "{}", "iran-2025-05"],
        ":20:8: milestone name = \"finalization\" appears twice",
    ),
    (
        "deals/jcpoa-2015",
        "until = \"implementation + 15y\"",
        "until = \"2015-01-01\"",
        &["deal", "check", "{}", "iran-2025-05"],
        "is not after from",
    ),
    (
        "deals/jcpoa-2015",
        "machine = \"IR-1\"",
        "machine = \"IR-77\"",
        &["deal", "floor", "{}"],
        "unknown machine type `IR-77`",
    ),
    (
        "deals/jcpoa-2015",
        "sites = [\"fep\"]",
        "sites = [\"natanz-x\"]",
        &["deal", "floor", "{}"],
        "site `natanz-x` is not a site of the base state jcpoa-2016",
    ),
    (
        "deals/jcpoa-2015",
        "until = \"implementation + 15y\"",
        "until = \"implementation + 5000y\"",
        &["deal", "floor", "{}"],
        "limits::MAX_DEAL_YEARS",
    ),
    (
        "deals/jcpoa-2015",
        "until = \"implementation + 15y\"",
        "until = \"7016-01-16\"",
        &["deal", "floor", "{}", "--series", "yearly"],
        "limits::MAX_DEAL_YEARS",
    ),
];

/// Each file is refused at once (a 5,000-year deal window once took 17 s) with exit 2 and its
/// location, never judged or estimated.
#[test]
fn bad_files_exit_2_at_their_line_and_field() {
    let dir = std::env::temp_dir().join(format!("breakout-hardening-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for (i, (bundled, from, to, args, phrase)) in BAD_FILES.iter().enumerate() {
        let text = std::fs::read_to_string(format!("../../data/{bundled}.toml")).unwrap();
        assert!(text.contains(from), "{bundled}: {from}");
        let path = dir.join(format!("bad-{i}.toml"));
        std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
        let path = path.to_str().unwrap();
        let args: Vec<&str> = args
            .iter()
            .map(|a| if *a == "{}" { path } else { a })
            .collect();
        let start = std::time::Instant::now();
        let out = Command::new(env!("CARGO_BIN_EXE_breakout"))
            .args(&args)
            .output()
            .expect("the binary runs");
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains(phrase), "{args:?}: {err}");
        assert!(
            start.elapsed().as_secs() < 5,
            "{args:?}: {:?}",
            start.elapsed()
        );
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A file of 7 MB on one line (under the input-file limit) and one of 50 MB (over it): the
/// error is a few hundred bytes, not the line echoed.
#[test]
fn errors_do_not_echo_huge_lines() {
    let dir = std::env::temp_dir().join(format!("breakout-hardening-long-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for mb in [7, 50] {
        let path = dir.join(format!("long-{mb}.toml"));
        std::fs::write(&path, format!("title = \"{}\"", "A".repeat(mb * 1_000_000))).unwrap();
        let out = Command::new(env!("CARGO_BIN_EXE_breakout"))
            .args(["run", path.to_str().unwrap()])
            .output()
            .expect("the binary runs");
        assert_eq!(out.status.code(), Some(2));
        assert!(
            out.stderr.len() < 2_000,
            "{mb} MB: {} bytes on stderr",
            out.stderr.len()
        );
    }
    std::fs::remove_dir_all(&dir).unwrap();
}
