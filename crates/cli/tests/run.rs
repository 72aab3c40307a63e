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
    // The headline (the operator's optimum under the operating constraints) is never faster
    // than the same hardware without them, nor than the ideal lower bound.
    assert!(f(&r["first_sq_days"]) >= f(&r["fastest_first_sq_days"]));
    assert!(f(&r["fastest_first_sq_days"]) >= f(&r["ideal_first_sq_days"]));
    assert!(r["steps"].as_array().unwrap().len() >= 2);
    assert!(!r["schedule"].as_array().unwrap().is_empty());
    let curve = r["production_curve"].as_array().unwrap();
    assert!(curve.len() >= 2 && curve[1]["sq"].as_f64().unwrap() > 0.0);
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

/// Validation cases of docs/validation.md (iran-program.md §4.3 and the widened set N1–N18):
/// the optimum headline against every published band, and the ideal lower bound where it falls
/// in one. Cases inside their band assert the band; cases outside it are KNOWN DISAGREEMENTS
/// documented in docs/validation.md: they pin the current value within ±2 % (so that any change
/// of answer is seen and explained), with the model/published ratio and the reason in the
/// comment. Nothing here is tuned to pass.
#[test]
fn validation_cases() {
    let month = 30.44;
    let year = 365.25;
    let pin = |v: f64| (0.98 * v, 1.02 * v);
    let first = "/results/first_sq_days";
    let goal = "/results/goal_days";
    let fordow_25_05 = ["run", "iran-2025-05", "--site", "fordow", "--goal", "wgu"];
    let fordow_25_02 = ["run", "iran-2025-02", "--site", "fordow", "--goal", "wgu"];
    let fordow_2024 = [
        "run",
        "--machines",
        "IR-6=1724",
        "--machines",
        "IR-1=1044",
        "--setup-days-per-step",
        "0",
        "--goal",
        "wgu",
    ];
    let with = |base: &[&'static str], more: &[&'static str]| -> Vec<&'static str> {
        base.iter().chain(more).copied().collect()
    };
    // (what, command line, JSON pointer of the days, accepted range)
    type Case = (&'static str, Vec<&'static str>, &'static str, (f64, f64));
    let cases: Vec<Case> = vec![
        // In band.
        (
            "V1: Fordow, first WGU",
            fordow_25_05.to_vec(),
            first,
            (2.0, 4.0),
        ),
        (
            "V2: Fordow, first WGU",
            fordow_25_02.to_vec(),
            first,
            (2.0, 7.0),
        ),
        (
            "V8b: 12 × 164 P-1, 3.5 % feed, 90 kg HEU a year (a rate: set-up is extra)",
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
            first,
            (0.8 * year, 1.2 * year),
        ),
        // N1: ISIS 2009–10, 6,724 P1/IR-1 in 41 cascades from natural uranium, ~1 year to
        // 1 WGU; the FEP re-piped for each step at once. Ratio 1.11.
        (
            "N1: ISIS 2010, 6,724 IR-1 from natural uranium",
            vec![
                "run",
                "--machines",
                "IR-1=6724",
                "--no-stocks",
                "--setup-days-per-step",
                "0",
                "--goal",
                "wgu",
            ],
            first,
            (0.8 * year, 1.2 * year),
        ),
        // N2: US government, Apr 2015, pre-JCPOA '2 to 3 months' (~10,180 IR-1 enriching,
        // ~10,000 kg UF6 of LEU). Ratio 0.80 against 2.5 months.
        (
            "N2: US 2015, pre-deal program",
            vec![
                "run",
                "--machines",
                "IR-1=10180",
                "--stock",
                "6760@3.5",
                "--setup-days-per-step",
                "0",
                "--goal",
                "sq",
            ],
            first,
            (2.0 * month, 3.0 * month),
        ),
        // N6: ISIS Sep 2021, worst case ~1 month (84.3 kg of 20 %, 10 kg of 60 %). Ratio 1.16.
        (
            "N6: ISIS Sep 2021",
            vec![
                "run",
                "iran-2021-05",
                "--stock",
                "21.5@20",
                "--stock",
                "7.6@60",
                "--goal",
                "wgu",
            ],
            first,
            (21.0, 45.0),
        ),
        // N9: ISIS Aug 2024, Fordow (10 IR-6 cascades + IR-1) from < 5 % LEU only, ~1.5 months.
        // Ratio 1.09.
        (
            "N9: ISIS Aug 2024, Fordow from LEU",
            with(&fordow_2024, &["--stock", "2595@4.5"]),
            first,
            (1.25 * month, 1.75 * month),
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
            first,
            (2.0, 4.0),
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
            goal,
            (17.0, 23.0),
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
            first,
            (2.0, 7.0),
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
            goal,
            (19.0, 24.0),
        ),
        (
            "V5 ideal (below the band: a lower bound)",
            vec!["run", "jcpoa-2016", "--model", "ideal"],
            first,
            (270.0, 300.0),
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
            first,
            (0.8 * year, 1.2 * year),
        ),
        // Known disagreements, pinned.
        // V5 / N18: JCPOA design point, ≥ 12 months (11–16); ACA 'about 12 months' to WGU.
        // Ratios 1.19 (of 14 months) and 1.22: the 64-pool grid rounds the long IR-1 chain from
        // 3.67 % down, so it errs slow; at 127 pools 447 d, extrapolated 389 d (in band).
        (
            "V5: JCPOA, first SQ",
            vec!["run", "jcpoa-2016"],
            first,
            pin(505.99),
        ),
        (
            "N18: ACA, JCPOA first decade, WGU",
            vec!["run", "jcpoa-2016", "--goal", "wgu"],
            first,
            pin(446.90),
        ),
        // V7: ISIS Feb 2020, 3.8 months (3.1–4.6). Ratio 0.58: the free optimum runs every
        // IR-1-era cascade on its best step at once; the published figure embeds operating
        // constraints no source quantifies per machine type (`--model fixed-cascade`: 108 d).
        (
            "V7: Feb 2020, first WGU",
            vec!["run", "iran-2020-02", "--goal", "wgu"],
            first,
            pin(67.13),
        ),
        // V8a: Physics Today 2008, ~40 kg HEU a year from natural uranium on 36 × 164 P-1.
        // Ratio 0.80, 1 day below the band: the published rate is for batch recycling.
        (
            "V8a: 36 × 164 P-1, natural feed, 40 kg HEU a year (a rate: no set-up)",
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
            first,
            pin(291.13),
        ),
        // V1b / V2b: 233 kg (9 WGU) and 174 kg (7 WGU) in 3 weeks at Fordow (ISIS, May and Feb
        // 2025). Ratios 1.61 and 1.57: the IR-6 cascades set up for 20 % feed deliver 72 % of
        // their rating on 60 % feed, where ISIS's arithmetic is ideal (ideal: 20.5 and 21.5 d).
        (
            "V1b: Fordow, 9 WGU",
            with(&fordow_25_05, &["--count", "9"]),
            goal,
            pin(33.79),
        ),
        (
            "V2b: Fordow, 7 WGU",
            with(&fordow_25_02, &["--count", "7"]),
            goal,
            pin(32.94),
        ),
        // N3 / N16: the JCPOA broken with the stored IR-1 and IR-2m cascades reinstalled at
        // ISIS's 2015 pace (two cascades a month per type). ISIS Aug 2015: 6–7 months (ratio
        // 1.41 against 6.5); ISIS May 2025, same scenario: about 8 months (ratio 1.15). The
        // IR-1 chain from 3.67 % errs slow on the pool grid, as V5.
        (
            "N3/N16: JCPOA broken, reinstalling 4 cascades/month",
            vec![
                "run",
                "jcpoa-2016",
                "--reinstall-cascades-per-month",
                "4",
                "--goal",
                "wgu",
            ],
            first,
            pin(278.85),
        ),
        // N4: ISIS Aug 2016, year 13 of the JCPOA under Iran's R&D plan: ~4 months. Ratio 0.64:
        // the deal's own year-13 limits on the bundled machines, every permitted cascade on its
        // best step at once, not the R&D plan's machines.
        (
            "N4: JCPOA year 13 (deal holds)",
            vec![
                "deal",
                "floor",
                "jcpoa-2015",
                "--date",
                "2029-01-16",
                "--goal",
                "wgu",
            ],
            "/results/permitted_first_sq_days",
            pin(78.43),
        ),
        // N5: ISIS Jun 2021, ~70 days with the Natanz outages. Ratio 0.70, as V7.
        (
            "N5: ISIS Jun 2021",
            vec!["run", "iran-2021-05", "--goal", "wgu"],
            first,
            pin(48.72),
        ),
        // N7a/N7b: 'about 12 days' (Kahl, US DoD, Feb 2023; ISIS, Jun 2023). Ratios 1.42 and
        // 1.28: only the cascades already making 60 % take 60 % feed at once; the FEP joins
        // after its 21-day set-up (with `--setup-days-per-step 7`: 8.6 d, in band).
        (
            "N7a: Kahl Feb 2023",
            vec!["run", "iran-2023-05"],
            first,
            pin(17.07),
        ),
        (
            "N7b: ISIS Jun 2023",
            vec!["run", "iran-2023-05", "--goal", "wgu"],
            first,
            pin(15.34),
        ),
        // N8: Blinken, Jul 2024, 'one or two weeks'. Ratio 2.02: same reason as N7 (with
        // `--setup-days-per-step 7`: 8.7 d, in band).
        (
            "N8: Blinken Jul 2024",
            vec!["run", "iran-2024-08"],
            first,
            pin(21.18),
        ),
        // N10: ISIS Aug 2024, Fordow from natural uranium only: ~5.5 months. Ratio 1.69: the
        // long chain from natural uranium errs slow on the pool grid (split: 223.5 d, 1.34).
        (
            "N10: ISIS Aug 2024, Fordow from natural uranium",
            with(&fordow_2024, &["--no-stocks"]),
            first,
            pin(281.77),
        ),
        // N11 / N12: ISIS, Fordow + FEP: more than 10 (Feb 2025) and 11 (May 2025) WGU in
        // month 1. Ratios 1.69 and 1.34 against 22.5 days: the FEP takes 60 % feed only after
        // its 21-day set-up, and Fordow's IR-6 runs 60 % feed off design (V1b).
        (
            "N11: ISIS Feb 2025, 10 WGU",
            vec!["run", "iran-2025-02", "--goal", "wgu", "--count", "10"],
            goal,
            pin(37.93),
        ),
        (
            "N12: ISIS May 2025, 11 WGU",
            vec!["run", "iran-2025-05", "--goal", "wgu", "--count", "11"],
            goal,
            pin(30.24),
        ),
        // N13: ISIS May 2025, JCPOA limits re-imposed and broken, 6 cascades/month
        // reinstalled: 4.5 months (4–5). Ratio 1.12, a day above the band: under the limits
        // no operating cascade handles 20 % or 60 %, so those steps wait for set-up.
        (
            "N13: ISIS May 2025, re-imposed JCPOA broken",
            vec![
                "deal",
                "compare",
                "jcpoa-reimposed-2025",
                "--goal",
                "wgu",
                "--reinstall-cascades-per-month",
                "6",
            ],
            "/results/positions/0/first_sq_days",
            pin(153.47),
        ),
        // N15: ISIS Sep 2020, 'as short as 3.5 months' (2,105.4 kg U: 638.8 ≤ 2 %, 215.1
        // ≤ 3.67 %, the rest ≤ 4.5 %; 7,693 SWU/yr). Ratio 0.57: the existing FEP re-piped at
        // once, every cascade on its best step (as V7).
        (
            "N15: ISIS Sep 2020",
            vec![
                "run",
                "--capacity-swu-per-yr",
                "7693",
                "--stock",
                "1251.5@4.5",
                "--stock",
                "215.1@3.67",
                "--stock",
                "638.8@2",
                "--setup-days-per-step",
                "0",
                "--goal",
                "wgu",
            ],
            first,
            pin(61.52),
        ),
    ];
    for (what, args, pointer, (lo, hi)) in cases {
        let j = json(&args);
        let d = f(j
            .pointer(pointer)
            .unwrap_or_else(|| panic!("{what}: no {pointer}")));
        assert!(d >= lo && d <= hi, "{what}: {d} days not in {lo}–{hi}");
    }
}

/// Set-up is per cascade group: the cascades already handling a step run it while the rest are
/// set up, so adding a site whose cascades need set-up never makes the plant slower (measured in
/// Nov 2026: 2023-05 22.1 days all sites vs 28.6 at Fordow alone; 2025-05 3.22 vs 3.56).
#[test]
fn a_site_more_is_never_slower() {
    for state in ["iran-2023-05", "iran-2025-05"] {
        let days = |site: &[&str]| {
            let mut args = vec!["run", state, "--goal", "wgu"];
            args.extend_from_slice(site);
            f(&json(&args)["results"]["first_sq_days"])
        };
        let (all, fordow) = (days(&[]), days(&["--site", "fordow"]));
        assert!(
            all <= fordow,
            "{state}: all sites {all} days, Fordow alone {fordow}"
        );
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
        "100",
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
    std::fs::write(&bad, "schema_version = 1\nid = \"x\"\ntitle = \"x\"\nas_of = \"2025-01-01\"\ndescription = \"\"\n[sources]\n[[site]]\nid = \"fep\"\nname = \"n\"\nmachnes = 3\n").unwrap();
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

/// Regression (hardening issue, defect 2): a goal of more than 40 units used to panic
/// (`min > max` in the fixed-cascade curve). The curve now reaches the goal, its later points
/// from the goal run itself, and stays non-decreasing.
#[test]
fn goals_beyond_forty_units_answer() {
    let j = json(&["run", "--count", "41"]);
    let curve = j["results"]["production_curve"].as_array().unwrap();
    assert_eq!(curve.len(), 42, "one point per unit and the origin");
    let days: Vec<f64> = curve.iter().map(|p| f(&p["days"])).collect();
    assert!(days.windows(2).all(|w| w[0] <= w[1]), "{days:?}");
    assert!((days[41] - f(&j["results"]["goal_days"])).abs() < 1e-9);
}
