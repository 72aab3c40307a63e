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
