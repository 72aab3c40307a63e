//! End-to-end tests of `breakout safeguards`: text, `--json` fields and exit codes
//! (0 no alarm, 1 alarm, 2 bad input with a message repeating the value).

use std::path::PathBuf;
use std::process::{Command, Output};

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_breakout"))
        .args(args)
        .output()
        .expect("the binary runs")
}

fn json(args: &[&str]) -> (serde_json::Value, i32) {
    let mut a = vec!["--json"];
    a.extend_from_slice(args);
    let o = run(&a);
    let v = serde_json::from_slice(&o.stdout).unwrap_or_else(|e| {
        panic!(
            "{e}: {}{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        )
    });
    (v, o.status.code().unwrap())
}

fn fails(args: &[&str], needles: &[&str]) {
    let o = run(args);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{args:?}: {err}");
    for n in needles {
        assert!(err.contains(n), "{args:?}: `{n}` not in {err}");
    }
}

fn data(name: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../data/safeguards")
        .join(name)
        .display()
        .to_string()
}

fn temp_file(name: &str, text: &str) -> String {
    let dir = std::env::temp_dir().join(format!("breakout-safeguards-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p.display().to_string()
}

fn close(a: f64, b: f64, tol: f64) -> bool {
    (a - b).abs() <= tol
}

#[test]
fn detect_reports_the_closed_form() {
    let o = run(&[
        "safeguards",
        "detect",
        "--loss-kg",
        "75",
        "--sigma-kg",
        "20",
    ]);
    assert_eq!(o.status.code(), Some(0));
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(
        text.contains("Detection probability") && text.contains("0.982361"),
        "{text}"
    );
    let (v, code) = json(&[
        "safeguards",
        "detect",
        "--loss-kg",
        "75",
        "--sigma-kg",
        "20",
        "--alpha",
        "0.05",
    ]);
    assert_eq!(code, 0);
    // Φ(75/20 − 1.6448536) = Φ(2.1051464) = 0.982361.
    assert!(
        close(
            v["results"]["detection_probability"].as_f64().unwrap(),
            0.982_361,
            1e-6
        ),
        "{v}"
    );
    assert!(close(
        v["results"]["detectable_loss_kg"].as_f64().unwrap(),
        20.0 * 3.289_707_253_902_944,
        1e-9
    ));
    assert_eq!(v["inputs"]["sigma_muf_kg"], 20.0);
}

#[test]
fn detect_rejects_bad_values_repeating_them() {
    fails(
        &["safeguards", "detect", "--loss-kg", "75", "--sigma-kg", "0"],
        &["--sigma-kg 0"],
    );
    fails(
        &["safeguards", "detect", "--loss-kg", "-3", "--sigma-kg", "2"],
        &["--loss-kg -3"],
    );
    fails(
        &[
            "safeguards",
            "detect",
            "--loss-kg",
            "75",
            "--sigma-kg",
            "2",
            "--alpha",
            "1.5",
        ],
        &["--alpha 1.5"],
    );
    fails(
        &[
            "safeguards",
            "detect",
            "--loss-kg",
            "abc",
            "--sigma-kg",
            "2",
        ],
        &["abc"],
    );
}

#[test]
fn page_threshold_reproduces_alpha() {
    let (v, code) = json(&[
        "safeguards",
        "page-threshold",
        "--k",
        "0.5",
        "--periods",
        "12",
        "--alpha",
        "0.05",
    ]);
    assert_eq!(code, 0);
    let h = v["results"]["page_threshold"].as_f64().unwrap();
    assert!(h > 3.0 && h < 3.8, "{h}");
    assert!(close(
        v["results"]["false_alarm_probability"].as_f64().unwrap(),
        0.05,
        1e-6
    ));
    fails(
        &[
            "safeguards",
            "page-threshold",
            "--k",
            "0.5",
            "--periods",
            "12",
            "--alpha",
            "0.999",
        ],
        &["0.999"],
    );
    fails(
        &[
            "safeguards",
            "page-threshold",
            "--k",
            "0.5",
            "--periods",
            "0",
            "--alpha",
            "0.05",
        ],
        &["--periods 0"],
    );
}

#[test]
fn sample_sizes_match_hand_values() {
    let (v, code) = json(&[
        "safeguards",
        "sample",
        "--items",
        "200",
        "--defects",
        "2",
        "--beta",
        "0.1",
    ]);
    assert_eq!(code, 0);
    assert_eq!(v["results"]["sample_size_iaea"], 137.0);
    assert_eq!(v["results"]["sample_size_exact"], 137.0);
    let (v, _) = json(&[
        "safeguards",
        "sample",
        "--items",
        "100",
        "--defects",
        "5",
        "--beta",
        "0.05",
    ]);
    assert_eq!(
        (
            v["results"]["sample_size_iaea"].as_f64(),
            v["results"]["sample_size_exact"].as_f64()
        ),
        (Some(46.0), Some(45.0))
    );
    // One SQ in cylinders of 69.3 kg U-235: 2 defects.
    let (v, _) = json(&[
        "safeguards",
        "sample",
        "--items",
        "96",
        "--goal-kg",
        "75",
        "--item-kg",
        "69.3",
        "--beta",
        "0.1",
    ]);
    assert_eq!(v["results"]["defects_from_goal"], 2.0);
    fails(
        &[
            "safeguards",
            "sample",
            "--items",
            "10",
            "--defects",
            "11",
            "--beta",
            "0.1",
        ],
        &["--defects 11"],
    );
    fails(
        &[
            "safeguards",
            "sample",
            "--items",
            "10",
            "--defects",
            "1",
            "--beta",
            "0",
        ],
        &["--beta 0"],
    );
}

#[test]
fn quick_sequence_gives_sitmuf_page_and_gemuf() {
    let args = [
        "safeguards",
        "sequence",
        "--muf",
        "3,-2,7,4",
        "--sigma-inventory-kg",
        "4,5,5,5,4",
        "--sigma-transfer-kg",
        "6",
    ];
    let (v, code) = json(&args);
    assert_eq!(code, 0, "{v}");
    let sit: Vec<f64> = v["results"]["sitmuf"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_f64().unwrap())
        .collect();
    assert_eq!(sit.len(), 4);
    assert!(close(sit[0], 3.0 / 77f64.sqrt(), 1e-12));
    let gemuf = v["results"]["gemuf"].as_f64().unwrap();
    assert!(close(gemuf, sit.iter().map(|s| s * s).sum::<f64>(), 1e-12));
    assert!(close(
        v["results"]["sigma_total_muf_kg"].as_f64().unwrap(),
        176f64.sqrt(),
        1e-12
    ));
    assert!(v["results"]["page_threshold"].as_f64().unwrap() > 0.0);
    let text = String::from_utf8_lossy(&run(&args).stdout).to_string();
    assert!(
        text.contains("SITMUF") && text.contains("Page") && text.contains("GEMUF"),
        "{text}"
    );
}

#[test]
fn a_large_muf_alarms_with_exit_code_one() {
    let (v, code) = json(&[
        "safeguards",
        "sequence",
        "--muf",
        "3,40,7",
        "--sigma-inventory-kg",
        "4,5,5,4",
        "--sigma-transfer-kg",
        "6",
    ]);
    assert_eq!(code, 1);
    assert_eq!(v["results"]["page_alarm_period"], 2);
}

#[test]
fn sequence_simulation_is_seeded_and_repeatable() {
    let args = [
        "safeguards",
        "sequence",
        "--muf",
        "0,0,0,0",
        "--sigma-inventory-kg",
        "4,5,5,5,4",
        "--sigma-transfer-kg",
        "6",
        "--loss-kg",
        "30",
        "--sequences",
        "5000",
        "--seed",
        "11",
    ];
    let o = run(&args);
    assert!(String::from_utf8_lossy(&o.stderr).contains("seed: 11"));
    let (a, _) = json(&args);
    let (b, _) = json(&args);
    assert_eq!(a["results"]["simulation"], b["results"]["simulation"]);
    let p = a["results"]["detection_probability"].as_f64().unwrap();
    assert!(p > 0.05 && p < 1.0, "{p}");
}

#[test]
fn sequence_quick_form_errors() {
    fails(
        &[
            "safeguards",
            "sequence",
            "--muf",
            "3,-2",
            "--sigma-inventory-kg",
            "4,5",
            "--sigma-transfer-kg",
            "6",
        ],
        &["3 inventory", "got 2"],
    );
    fails(
        &[
            "safeguards",
            "sequence",
            "--muf",
            "3",
            "--sigma-inventory-kg",
            "0,0",
            "--sigma-transfer-kg",
            "0",
        ],
        &["not positive definite"],
    );
    fails(
        &[
            "safeguards",
            "sequence",
            "--muf",
            "3",
            "--sigma-inventory-kg",
            "-1,2",
            "--sigma-transfer-kg",
            "1",
        ],
        &["-1"],
    );
}

#[test]
fn balance_file_reports_both_balances() {
    let f = data("example-quarterly-balance.toml");
    let (v, code) = json(&["safeguards", "balance", &f]);
    assert_eq!(code, 0, "{v}");
    let iso = &v["results"]["balances"]["isotope"]["periods"];
    assert_eq!(iso.as_array().unwrap().len(), 3);
    assert!(v["results"]["sigma_muf_kg"].as_f64().unwrap() > 0.0);
    assert!(v["results"]["muf_kg"].is_number());
    // A common scale cancels in the element balance: systematic part ≪ random part.
    let el = &v["results"]["balances"]["element"]["periods"][0];
    assert!(
        el["sigma_systematic_kg"].as_f64().unwrap()
            < 0.01 * el["sigma_random_kg"].as_f64().unwrap()
    );
    let (s, code) = json(&["safeguards", "sequence", &f, "--species", "element"]);
    assert_eq!(code, 0);
    assert_eq!(s["results"]["sitmuf"].as_array().unwrap().len(), 3);
}

const GOOD: &str = r#"periods = 1
[[group]]
name = "scale"
random_rsd_pct = 1.0
systematic_rsd_pct = 0.0
[[stratum]]
name = "in"
role = "receipt"
period = 1
wt_pct = 4.0
items_kg_u = [50.0, 50.0]
errors = [{ group = "scale", measures = "mass" }]
"#;

#[test]
fn balance_file_errors_carry_file_line_and_column() {
    let ok = temp_file("ok.toml", GOOD);
    let (v, _) = json(&["safeguards", "balance", &ok]);
    // MUF = 100 kg U; σ = 1 % × 50 × √2.
    assert!(close(
        v["results"]["balances"]["element"]["periods"][0]["sigma_muf_kg"]
            .as_f64()
            .unwrap(),
        0.5 * 2f64.sqrt(),
        1e-12
    ));
    let unknown = temp_file(
        "unknown.toml",
        &GOOD.replace("group = \"scale\", measures", "group = \"scail\", measures"),
    );
    fails(
        &["safeguards", "balance", &unknown],
        &["unknown.toml:12:", "scail", "`scale`"],
    );
    let negative = temp_file(
        "negative.toml",
        &GOOD.replace("[50.0, 50.0]", "[50.0, -5.0]"),
    );
    fails(
        &["safeguards", "balance", &negative],
        &["negative.toml:11:", "-5"],
    );
    let field = temp_file(
        "field.toml",
        &GOOD.replace("wt_pct = 4.0", "wt_pct = 4.0\nwt_percent = 4.0"),
    );
    fails(
        &["safeguards", "balance", &field],
        &["field.toml:11:", "wt_percent"],
    );
    let role = temp_file("role.toml", &GOOD.replace("\"receipt\"", "\"reciept\""));
    fails(
        &["safeguards", "balance", &role],
        &["role.toml:8:", "reciept"],
    );
    let late = temp_file(
        "late.toml",
        &GOOD.replace("period = 1\nwt", "period = 4\nwt"),
    );
    fails(
        &["safeguards", "balance", &late],
        &["late.toml:9:", "period = 4"],
    );
    fails(
        &["safeguards", "balance", "/nonexistent/b.toml"],
        &["/nonexistent/b.toml"],
    );
}

#[test]
fn plant_reports_sigma_detection_and_timeliness() {
    let args = [
        "safeguards",
        "plant",
        "--swu-per-yr",
        "1e6",
        "--periods-per-year",
        "4",
        "--sequences",
        "4096",
        "--seed",
        "3",
        "--breakout-days",
        "12",
    ];
    let (v, code) = json(&args);
    assert_eq!(code, 0, "{v}");
    let r = &v["results"];
    // σ of the annual U-235 balance of a 1 MSWU plant with the illustrative instruments:
    // 13–16 kg U-235 per safeguards.md §5.
    let s = r["sigma_annual_muf_kg"].as_f64().unwrap();
    assert!(s > 12.0 && s < 16.0, "{s}");
    assert!(r["detection_probability"].as_f64().unwrap() > 0.99);
    assert_eq!(r["timeliness_goal_met"], "no");
    assert!(close(
        r["balance_detection_days"].as_f64().unwrap(),
        365.25 / 4.0,
        1e-9
    ));
    assert!(close(
        r["warning_margin_days"].as_f64().unwrap(),
        12.0 - 365.25 / 4.0,
        1e-9
    ));
    assert!(r["simulation"]["protracted"]["page_detection_probability"].is_number());
    let o = run(&args);
    assert!(String::from_utf8_lossy(&o.stderr).contains("seed: 3"));
    fails(&["safeguards", "plant", "--swu-per-yr", "-5"], &["-5"]);
    fails(
        &[
            "safeguards",
            "plant",
            "--swu-per-yr",
            "1e6",
            "--periods-per-year",
            "1",
            "--breakout-days",
            "-2",
        ],
        &["--breakout-days -2"],
    );
    fails(
        &[
            "safeguards",
            "plant",
            "--swu-per-yr",
            "1e6",
            "--tails-wt-pct",
            "0.9",
        ],
        &["0.9"],
    );
}
