//! The `swu` and `convert` commands end to end: answers in text and JSON, and every error path
//! exits 2 with a message that repeats the value and says what was expected.

use std::process::{Command, Output};

use serde_json::Value;

fn breakout(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_breakout"))
        .args(args)
        .output()
        .expect("the binary runs")
}

fn json(args: &[&str]) -> Value {
    let mut all = args.to_vec();
    all.push("--json");
    let out = breakout(&all);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("one JSON document")
}

fn close(v: &Value, expected: f64, rel: f64) -> bool {
    v.as_f64()
        .is_some_and(|x| ((x - expected) / expected).abs() <= rel)
}

#[test]
fn balance_answers_in_json_with_unit_suffixed_fields() {
    let j = json(&[
        "swu",
        "--product-wt-pct",
        "90",
        "--feed-wt-pct",
        "0.711",
        "--tails-wt-pct",
        "0.3",
        "--product-kg-u",
        "25",
    ]);
    assert_eq!(j["schema_version"], 1);
    assert_eq!(j["command"], "swu");
    let r = &j["results"];
    assert!(close(&r["feed_kg_u"], 5456.2, 1e-4), "{r}");
    assert!(close(&r["separative_work_swu"], 4823.44, 1e-5), "{r}");
    assert!(close(&r["tails_kg_u"], 5431.2, 1e-4), "{r}");
    assert!(close(&r["product_kg_u"], 25.0, 1e-15), "{r}");
    assert!(close(&r["tails_wt_pct"], 0.3, 1e-12), "{r}");
    assert_eq!(j["inputs"]["feed_wt_pct"], 0.711);
}

#[test]
fn any_given_quantity_and_the_default_feed_show_up() {
    for (flag, value) in [
        ("--feed-kg-u", "7.78589"),
        ("--tails-kg-u", "6.78589"),
        ("--swu", "4.33943"),
    ] {
        let j = json(&[
            "swu",
            "--product-wt-pct",
            "3.5",
            "--tails-wt-pct",
            "0.3",
            flag,
            value,
        ]);
        assert!(
            close(&j["results"]["product_kg_u"], 1.0, 1e-5),
            "{flag}: {j}"
        );
    }
    let out = breakout(&[
        "swu",
        "--product-wt-pct",
        "3.5",
        "--tails-wt-pct",
        "0.3",
        "--product-kg-u",
        "1",
    ]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("0.711 wt-% U-235  (default)"), "{text}");
    assert!(text.contains("4.33943 kg-SWU"), "{text}");
}

#[test]
fn plan_reports_draws_per_stock() {
    let j = json(&[
        "swu",
        "plan",
        "--product-kg-u",
        "25",
        "--product-wt-pct",
        "90",
        "--stock",
        "408.6@60",
        "--stock",
        "5000@3.67",
        "--tails-wt-pct",
        "20",
    ]);
    let draws = j["results"]["draws"].as_array().unwrap();
    assert_eq!(draws.len(), 2);
    assert!(close(&draws[0]["kg_u"], 43.75, 1e-12), "{j}");
    assert_eq!(draws[1]["kg_u"], 0.0);
    let j = json(&[
        "swu",
        "plan",
        "--product-kg-u",
        "25",
        "--product-wt-pct",
        "90",
        "--stock",
        "408.6@60",
        "--tails",
        "optimal",
        "--max-tails-wt-pct",
        "20",
    ]);
    assert_eq!(j["results"]["tails_binding"], "at ceiling");
}

#[test]
fn cost_tails_and_yield() {
    let j = json(&[
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
    ]);
    let t = j["results"]["tails_wt_pct"].as_f64().unwrap();
    assert!(t > 0.15 && t < 0.35, "{j}");
    let j = json(&[
        "swu",
        "tails",
        "--product-wt-pct",
        "3.5",
        "--feed-kg-u",
        "7.785888",
        "--product-kg-u",
        "1",
    ]);
    assert!(close(&j["results"]["tails_wt_pct"], 0.3, 1e-5), "{j}");
    let j = json(&[
        "swu",
        "yield",
        "--product-wt-pct",
        "20",
        "--feed-wt-pct",
        "0.7",
        "--swu",
        "195",
        "--feed-kg-u",
        "1000",
        "--tails-wt-pct",
        "0.3",
    ]);
    assert!(close(&j["results"]["product_kg_u"], 5.0403, 1e-4), "{j}");
}

#[test]
fn convert_uses_the_composition() {
    let j = json(&[
        "convert", "300", "kg-uf6", "--wt-pct", "3.67", "--to", "kg-u",
    ]);
    assert!(close(&j["results"]["kg_u"], 202.83, 1e-4), "{j}");
    let j = json(&["convert", "25", "kg-u235", "--wt-pct", "90", "--to", "kg-u"]);
    assert!(close(&j["results"]["kg_u"], 27.7778, 1e-5), "{j}");
    let j = json(&[
        "convert",
        "1",
        "kg-u",
        "--composition-at-pct",
        "U234=0.0054,U235=0.7204",
        "--to",
        "kg-uf6",
    ]);
    assert!(close(&j["results"]["kg_uf6"], 1.0 / 0.676_18, 1e-5), "{j}");
}

/// Every bad input: exit 2, nothing on stdout, a message that contains the given value and what
/// was expected.
#[test]
fn bad_inputs_exit_2_with_a_clear_message() {
    let cases: &[(&[&str], &[&str])] = &[
        (
            &[
                "swu",
                "--product-wt-pct",
                "90",
                "--tails-wt-pct",
                "0.9",
                "--product-kg-u",
                "1",
            ],
            &["0.9", "tails < feed < product"],
        ),
        (
            &[
                "swu",
                "--product-wt-pct",
                "120",
                "--tails-wt-pct",
                "0.3",
                "--product-kg-u",
                "1",
            ],
            &["120", "between 0 and 100"],
        ),
        (
            &[
                "swu",
                "--product-wt-pct",
                "90",
                "--tails-wt-pct",
                "0.3",
                "--product-kg-u",
                "-5",
            ],
            &["-5", "positive"],
        ),
        (
            &[
                "swu",
                "--product-wt-pct",
                "90",
                "--tails-wt-pct",
                "0.3",
                "--product-kg-u",
                "NaN",
            ],
            &["NaN", "positive"],
        ),
        (
            &[
                "swu",
                "--product-wt-pct",
                "90",
                "--tails-wt-pct",
                "0.3",
                "--swu",
                "0",
            ],
            &["separative work = 0", "positive"],
        ),
        (
            &["swu", "--product-wt-pct", "90", "--tails-wt-pct", "0.3"],
            &["--product-kg-u"],
        ),
        (
            &[
                "swu",
                "--product-wt-pct",
                "90",
                "--tails-wt-pct",
                "0.3",
                "--swu",
                "1",
                "--feed-kg-u",
                "2",
            ],
            &["cannot be used with"],
        ),
        (
            &[
                "swu",
                "--product-wt-pct",
                "abc",
                "--tails-wt-pct",
                "0.3",
                "--swu",
                "1",
            ],
            &["abc"],
        ),
        (
            &[
                "swu",
                "plan",
                "--product-kg-u",
                "25",
                "--product-wt-pct",
                "90",
                "--stock",
                "408.6",
                "--tails",
                "optimal",
            ],
            &["408.6", "KG_U@WT_PCT"],
        ),
        (
            &[
                "swu",
                "plan",
                "--product-kg-u",
                "25",
                "--product-wt-pct",
                "90",
                "--stock",
                "10@60",
                "--tails-wt-pct",
                "20",
            ],
            &["insufficient", "25"],
        ),
        (
            &[
                "swu",
                "plan",
                "--product-kg-u",
                "25",
                "--product-wt-pct",
                "90",
                "--stock",
                "10@95",
                "--tails",
                "optimal",
            ],
            &["95", "not below the product assay"],
        ),
        (
            &[
                "swu",
                "plan",
                "--product-kg-u",
                "25",
                "--product-wt-pct",
                "90",
                "--stock",
                "10@60",
                "--tails-wt-pct",
                "20",
                "--max-tails-wt-pct",
                "3",
            ],
            &["--max-tails-wt-pct"],
        ),
        (
            &[
                "swu",
                "plan",
                "--product-kg-u",
                "1",
                "--product-wt-pct",
                "90",
                "--stock",
                "100@60",
                "--tails",
                "optimal",
                "--min-tails-wt-pct",
                "30",
                "--max-tails-wt-pct",
                "20",
            ],
            &["30", "must be below", "20"],
        ),
        (
            &[
                "swu",
                "cost",
                "--product-wt-pct",
                "4.5",
                "--feed-usd-per-kg-u",
                "-3",
                "--usd-per-swu",
                "150",
            ],
            &["-3", "positive"],
        ),
        (
            &[
                "swu",
                "cost",
                "--product-wt-pct",
                "4.5",
                "--usd-per-lb-u3o8",
                "80",
                "--usd-per-swu",
                "150",
            ],
            &["--conversion-usd-per-kg-u"],
        ),
        (
            &[
                "swu",
                "tails",
                "--product-wt-pct",
                "3.5",
                "--feed-kg-u",
                "1",
                "--product-kg-u",
                "2",
            ],
            &["must exceed"],
        ),
        (
            &[
                "swu",
                "yield",
                "--product-wt-pct",
                "20",
                "--swu",
                "-1",
                "--feed-kg-u",
                "10",
                "--tails",
                "optimal",
            ],
            &["-1", "≥ 0"],
        ),
        (
            &[
                "convert", "300", "kg-uf4", "--wt-pct", "3.67", "--to", "kg-u",
            ],
            &["kg-uf4"],
        ),
        (
            &[
                "convert", "-300", "kg-uf6", "--wt-pct", "3.67", "--to", "kg-u",
            ],
            &["-300", "≥ 0"],
        ),
        (&["convert", "300", "kg-uf6", "--to", "kg-u"], &["--wt-pct"]),
        (
            &[
                "convert",
                "1",
                "kg-u",
                "--composition-at-pct",
                "U235=101",
                "--to",
                "kg-uf6",
            ],
            &["1.01", "leave no U238"],
        ),
        (
            &[
                "convert",
                "1",
                "kg-u",
                "--composition-at-pct",
                "U235",
                "--to",
                "kg-uf6",
            ],
            &["U235", "ISOTOPE=PERCENT"],
        ),
        (&["machine", "show", "IR-9"], &["IR-9", "IR-1"]),
    ];
    for (args, needles) in cases {
        let out = breakout(args);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(out.stdout.is_empty(), "{args:?} printed to stdout");
        for n in *needles {
            assert!(err.contains(n), "{args:?}: `{n}` not in: {err}");
        }
    }
}

#[test]
fn csv_output_is_the_tables() {
    let out = breakout(&[
        "swu",
        "--product-wt-pct",
        "90",
        "--tails-wt-pct",
        "0.3",
        "--product-kg-u",
        "25",
        "--csv",
    ]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    let streams = text.split("# Streams").nth(1).expect("the streams table");
    let product: Vec<&str> = streams
        .lines()
        .find(|l| l.starts_with("product,"))
        .unwrap()
        .split(',')
        .collect();
    // 25 kg U at 90 wt-%: 22.5 kg U-235.
    assert_eq!(product[1], "90");
    assert_eq!(product.last(), Some(&"22.5"));
    let both = breakout(&["swu", "--csv", "--json"]);
    assert_eq!(both.status.code(), Some(2));
}

#[test]
fn help_and_version_exit_0() {
    for args in [&["--help"][..], &["--version"], &["swu", "plan", "--help"]] {
        assert_eq!(breakout(args).status.code(), Some(0), "{args:?}");
    }
}
