//! `breakout run` and `breakout history` end to end: the default state, quick mode, what-if
//! flags, JSON fields, the validation cases of iran-program.md §4.3, and error exits.

use std::process::{Command, Output};

fn breakout(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_breakout"))
        .args(args)
        .output()
        .expect("the binary runs")
}

fn json(args: &[&str]) -> serde_json::Value {
    let mut all = vec!["--json"];
    all.extend_from_slice(args);
    let out = breakout(&all);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn f(v: &serde_json::Value) -> f64 {
    v.as_f64().unwrap_or_else(|| panic!("not a number: {v}"))
}

#[test]
fn bare_breakout_runs_the_default_state_with_sources() {
    // The assumption table, with its sources, is shown on request (always in --json).
    let out = breakout(&["--assumptions"]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    for want in [
        "iran-2025-05",
        "Timeline",
        "Production curve",
        "Assumptions and sources",
        "[D3: ",
        "significant quantity",
    ] {
        assert!(text.contains(want), "missing {want}");
    }
    let j = json(&["run"]);
    let r = &j["results"];
    assert!(f(&r["first_sq_days"]) > 0.0);
    // The headline (fixed-cascade) is never faster than the ideal lower bound.
    assert!(f(&r["first_sq_days"]) >= f(&r["ideal_first_sq_days"]));
    assert!(r["steps"].as_array().unwrap().len() >= 2);
    let curve = r["production_curve"].as_array().unwrap();
    assert!(curve.len() > 3 && curve[1]["sq"].as_f64().unwrap() > 0.0);
    assert!(f(&r["separative_work_swu"]) > 0.0);
    assert!(j["inputs"]["assumptions"].as_object().unwrap().len() > 10);
    // The fixed-cascade hardware is listed with its weights: one entry per kind of cascade,
    // and the weights add up to at least the operating capacity (idle cascades weigh too).
    let hardware: Vec<&serde_json::Value> = j["inputs"]["assumptions"]
        .as_object()
        .unwrap()
        .iter()
        .filter(|(k, _)| k.starts_with("cascade_hardware."))
        .map(|(_, v)| v)
        .collect();
    assert!(!hardware.is_empty());
    assert!(
        hardware
            .iter()
            .all(|h| !h["source"].as_str().unwrap().is_empty())
    );
    let rated: f64 = hardware.iter().map(|h| f(&h["value"])).sum();
    assert!(rated >= f(&r["capacity_swu_per_yr"]) - 1e-6, "{rated}");
}

/// Validation cases V1, V2, V5, V7, V8 of iran-program.md §4.3 (published bands; see
/// docs/validation.md): the fixed-cascade headline against every band, and the ideal lower bound
/// where it already falls in one.
#[test]
fn validation_cases() {
    let month = 30.44;
    let year = 365.25;
    let cases: Vec<(&str, Vec<&str>, &str, f64, f64)> = vec![
        // Fixed-cascade model (the default) on the bundled states and Physics Today's plant.
        (
            "V1 fixed: Fordow, first WGU",
            vec!["run", "iran-2025-05", "--site", "fordow", "--goal", "wgu"],
            "first_sq_days",
            2.0,
            4.0,
        ),
        (
            "V2 fixed: Fordow, first WGU",
            vec!["run", "iran-2025-02", "--site", "fordow", "--goal", "wgu"],
            "first_sq_days",
            2.0,
            7.0,
        ),
        (
            "V5 fixed: JCPOA, first SQ",
            vec!["run", "jcpoa-2016"],
            "first_sq_days",
            11.0 * month,
            16.0 * month,
        ),
        (
            "V7 fixed: Feb 2020, first WGU",
            vec!["run", "iran-2020-02", "--goal", "wgu"],
            "first_sq_days",
            3.1 * month,
            4.6 * month,
        ),
        (
            "V8a fixed: 36 × 164 P-1, natural feed, 40 kg HEU a year (a rate: no set-up)",
            vec![
                "run",
                "--machines",
                "P-1=5904",
                "--no-stocks",
                "--goal-kg-u",
                "40",
                "--setup-days-per-step",
                "0",
            ],
            "first_sq_days",
            0.8 * year,
            1.2 * year,
        ),
        (
            "V8b fixed: 12 × 164 P-1, 3.5 % feed, 90 kg HEU a year (a rate: set-up is extra)",
            vec![
                "run",
                "--machines",
                "P-1=1968",
                "--stock",
                "100000@3.5",
                "--goal-kg-u",
                "90",
                "--setup-days-per-step",
                "0",
            ],
            "first_sq_days",
            0.8 * year,
            1.2 * year,
        ),
        // The ideal lower bound (ISIS's Fordow figures were derived with ideal arithmetic).
        (
            "V1 ideal: first WGU",
            vec![
                "run",
                "--model",
                "ideal",
                "--capacity-swu-per-yr",
                "9000",
                "--stock",
                "408.6@60",
                "--goal",
                "wgu",
            ],
            "first_sq_days",
            2.0,
            4.0,
        ),
        (
            "V1 ideal: 9 WGU",
            vec![
                "run",
                "--model",
                "ideal",
                "--capacity-swu-per-yr",
                "9000",
                "--stock",
                "408.6@60",
                "--goal",
                "wgu",
                "--count",
                "9",
            ],
            "goal_days",
            17.0,
            23.0,
        ),
        (
            "V2 ideal: first WGU",
            vec![
                "run",
                "--model",
                "ideal",
                "--capacity-swu-per-yr",
                "8500",
                "--stock",
                "274.8@60",
                "--goal",
                "wgu",
            ],
            "first_sq_days",
            2.0,
            7.0,
        ),
        (
            "V2 ideal: 7 WGU",
            vec![
                "run",
                "--model",
                "ideal",
                "--capacity-swu-per-yr",
                "8500",
                "--stock",
                "274.8@60",
                "--goal",
                "wgu",
                "--count",
                "7",
            ],
            "goal_days",
            19.0,
            24.0,
        ),
        (
            "V5 ideal (below the band: a lower bound)",
            vec!["run", "jcpoa-2016", "--model", "ideal"],
            "first_sq_days",
            270.0,
            300.0,
        ),
        (
            "V8b ideal at 1 % tails",
            vec![
                "run",
                "--model",
                "ideal",
                "--machines",
                "P-1=1968",
                "--stock",
                "100000@3.5",
                "--tails-wt-pct",
                "1",
                "--goal-kg-u",
                "90",
            ],
            "first_sq_days",
            0.8 * year,
            1.2 * year,
        ),
    ];
    for (what, args, key, lo, hi) in cases {
        let d = f(&json(&args)["results"][key]);
        assert!(d >= lo && d <= hi, "{what}: {d} days not in {lo}–{hi}");
    }
}

#[test]
fn what_if_flags_move_the_estimate_the_right_way() {
    let d = |args: &[&str]| f(&json(args)["results"]["first_sq_days"]);
    let base = d(&["run", "jcpoa-2016"]);
    assert!(d(&["run", "jcpoa-2016", "--reinstall-cascades-per-month", "6.3"]) < base);
    assert!(d(&["run", "jcpoa-2016", "--no-stocks"]) > base);
    assert!(d(&["run", "iran-2025-05", "--max-feed-wt-pct", "20"]) > d(&["run", "iran-2025-05"]));
    assert!(d(&["run", "iran-2025-05", "--site", "FORDOW"]) > d(&["run", "iran-2025-05"]));
    let w = json(&[
        "run",
        "--machines",
        "IR-6=1740",
        "--machines",
        "IR-1=1044",
        "--stock",
        "408.6@60",
        "--weaponization-months",
        "6..18",
    ]);
    let r = &w["results"];
    assert!((f(&r["capacity_swu_per_yr"]) - (1740.0 * 5.0 + 1044.0)).abs() < 1e-6);
    assert!(f(&r["weapon_days"]["low"]) > f(&r["first_sq_days"]) + 180.0);
}

#[test]
fn monte_carlo_reports_percentiles_and_is_reproducible() {
    let args = [
        "run",
        "iran-2025-06-strikes",
        "--samples",
        "2000",
        "--seed",
        "7",
    ];
    let a = json(&args);
    let b = json(&args);
    assert_eq!(a["results"]["percentiles"], b["results"]["percentiles"]);
    let p = a["results"]["percentiles"].as_array().unwrap();
    assert_eq!(p.len(), 5);
    assert_eq!(a["results"]["provenance"]["seed"], 7);
    assert!(!a["results"]["tornado"].as_array().unwrap().is_empty());
    let out = breakout(&[
        "run",
        "--capacity-swu-per-yr",
        "9000",
        "--stock",
        "408.6@60",
        "--samples",
        "100",
    ]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("seed: "));
}

#[test]
fn history_lists_every_bundled_state() {
    let j = json(&["history"]);
    let states = j["results"]["states"].as_array().unwrap();
    assert_eq!(states.len(), 8);
    assert_eq!(states[0]["state"], "jcpoa-2016");
}

#[test]
fn bad_input_exits_2_with_a_clear_message() {
    let dir = std::env::temp_dir().join(format!("breakout-run-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bad = dir.join("bad.toml");
    std::fs::write(&bad, "schema_version = 1\nid = \"x\"\ntitle = \"x\"\nas_of = \"2025\"\ndescription = \"\"\n[sources]\n[[site]]\nid = \"fep\"\nname = \"n\"\nmachnes = 3\n").unwrap();
    let bad = bad.to_str().unwrap();
    for (args, want) in [
        (vec!["run", bad], "bad.toml:10:1: unknown field `machnes`"),
        (vec!["run", "iran-1999"], "neither a bundled state"),
        (vec!["run", "--model", "magic"], "--model"),
        (vec!["run", "--site", "isfahan"], "--site isfahan"),
        (
            vec!["run", "--efficiency", "IR-99=0.5"],
            "unknown machine type `IR-99`",
        ),
        (
            vec!["run", "--stock", "12@x", "--capacity-swu-per-yr", "1"],
            "not an assay",
        ),
        (
            vec!["run", "--capacity-swu-per-yr=-5"],
            "--capacity-swu-per-yr -5",
        ),
        (
            vec!["run", "--weaponization-months", "9..3"],
            "--weaponization-months",
        ),
        (
            vec!["run", "--goal", "sq", "--product-wt-pct", "5"],
            "≥ 20 wt-%",
        ),
        (
            vec!["run", "iran-2025-05", "--machines", "IR-6=5"],
            "cannot be used with",
        ),
    ] {
        let out = breakout(&args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(want), "{args:?}: {err}");
    }
    std::fs::remove_dir_all(&dir).unwrap();
}
