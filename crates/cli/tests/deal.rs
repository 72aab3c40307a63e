//! `breakout deal ...` end to end: compliance verdicts and exit codes, first exceedances, the
//! breakout floor and the comparison of the 2025 positions.

use std::process::{Command, Output};

use serde_json::Value;

fn breakout(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_breakout"))
        .args(args)
        .output()
        .expect("the binary runs")
}

fn json(args: &[&str]) -> (Value, Option<i32>) {
    let mut all = args.to_vec();
    all.push("--json");
    let out = breakout(&all);
    let v = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|_| panic!("{args:?}: {}", String::from_utf8_lossy(&out.stderr)));
    (v, out.status.code())
}

fn verdict<'a>(j: &'a Value, clause: &str) -> &'a str {
    j["results"]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["clause"] == clause)
        .unwrap()["verdict"]
        .as_str()
        .unwrap()
}

#[test]
fn check_reports_every_clause_and_exits_1_on_a_violation() {
    let (j, code) = json(&["deal", "check", "jcpoa-2015", "jcpoa-2016"]);
    assert_eq!(code, Some(0), "the JCPOA's own state complies");
    assert_eq!(j["results"]["violations"], 0.0);
    assert_eq!(verdict(&j, "fep-ir1-cap"), "complies");
    assert_eq!(verdict(&j, "manufacture-ir6"), "not in force");
    let (j, code) = json(&["deal", "check", "jcpoa-2015", "iran-2025-05"]);
    assert_eq!(code, Some(1));
    assert_eq!(
        j["results"]["findings"].as_array().unwrap().len(),
        16,
        "all findings, not the first"
    );
    assert_eq!(verdict(&j, "enrichment-cap"), "violates");
    assert_eq!(
        verdict(&j, "rd-ir4"),
        "cannot be verified",
        "missing data is not compliance"
    );
    let f = j["results"]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["clause"] == "stockpile-cap")
        .unwrap();
    assert_eq!(f["unit"], "kg UF6 equivalent");
    assert!(f["excess"].as_f64().unwrap() > 13_000.0);
    // A clause not yet in force on a date before the deal.
    let (j, _) = json(&[
        "deal",
        "check",
        "jcpoa-2015",
        "jcpoa-2016",
        "--date",
        "2015-01-01",
    ]);
    assert_eq!(verdict(&j, "enrichment-cap"), "not in force");
}

#[test]
fn history_dates_the_stockpile_exceedance_to_july_2019() {
    let (j, code) = json(&["deal", "history", "jcpoa-2015"]);
    assert_eq!(code, Some(0));
    let c = j["results"]["clauses"].as_array().unwrap();
    let row = |id: &str| c.iter().find(|r| r["clause"] == id).unwrap();
    assert_eq!(row("stockpile-cap")["first_exceeded"], "2019-07-01");
    assert_eq!(row("enrichment-cap")["first_exceeded"], "2019-07-08");
    assert_eq!(row("natanz-only")["first_exceeded"], "2020-02-19");
}

#[test]
fn floor_meets_the_jcpoa_design_goal_and_compare_covers_the_2025_positions() {
    let (j, code) = json(&["deal", "floor", "jcpoa-2015", "--series", "none"]);
    assert_eq!(code, Some(0));
    let r = &j["results"];
    let held = r["permitted_first_sq_days"].as_f64().unwrap();
    let broken = r["first_sq_days"].as_f64().unwrap();
    assert!(
        held >= 365.0,
        "the JCPOA was designed for at least a year: {held} days"
    );
    assert!(
        broken < held,
        "reinstalling stored machines shortens breakout"
    );
    let (j, _) = json(&[
        "deal",
        "floor",
        "jcpoa-2015",
        "--date",
        "2027-01-01",
        "--series",
        "none",
    ]);
    assert!(
        j["results"]["permitted_first_sq_days"].as_f64().unwrap() < held,
        "limits sunset after 10 years"
    );
    let (j, code) = json(&["deal", "compare", "--weaponization-months", "6..18"]);
    assert_eq!(code, Some(0));
    let p = j["results"]["positions"].as_array().unwrap();
    let held = |id: &str| {
        p.iter()
            .find(|r| r["position"].as_str().unwrap().starts_with(id))
            .unwrap()["permitted_first_sq_days"]
            .clone()
    };
    assert_eq!(
        held("zero-enrichment"),
        Value::Null,
        "no enrichment: never while the deal holds"
    );
    let cap = held("us-2025-cap-3.67").as_f64().unwrap();
    let reimposed = held("jcpoa-reimposed-2025").as_f64().unwrap();
    let none = held("no deal").as_f64().unwrap();
    assert!(
        none < cap && cap < reimposed,
        "no deal {none} < 3.67 % cap {cap} < JCPOA re-imposed {reimposed}"
    );
    assert!(
        p.iter()
            .any(|r| r["position"].as_str().unwrap().contains("strikes"))
    );
}

#[test]
fn bad_deal_inputs_exit_2() {
    let dir = std::env::temp_dir().join(format!("breakout-deal-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bad = dir.join("bad.toml");
    std::fs::write(&bad, "schema_version = 1\nid = \"d\"\nname = \"d\"\nsummary = \"\"\nsource = \"\"\n[[milestone]]\nname = \"start\"\ndate = \"2020-01-01\"\nsource = \"\"\n[[clause]]\nid = \"c\"\nreference = \"\"\nsummary = \"\"\nsource = \"s\"\nkind = \"max-enrichment\"\n").unwrap();
    let bad = bad.to_str().unwrap();
    for (args, want) in [
        (vec!["deal", "show", "nope"], "neither a bundled deal"),
        (
            vec!["deal", "check", "jcpoa-2015", "iran-1999"],
            "neither a bundled state",
        ),
        (
            vec![
                "deal",
                "check",
                "jcpoa-2015",
                "jcpoa-2016",
                "--date",
                "2020-13-01",
            ],
            "2020-13-01",
        ),
        (vec!["deal", "show", bad], "bad.toml:11:"),
        (vec!["deal", "floor", bad], "needs `max_wt_pct`"),
        (
            vec!["deal", "floor", "jcpoa-2015", "--model", "fastest"],
            "--model = fastest is invalid",
        ),
        (
            vec!["deal", "compare", "--model", "fastest"],
            "--model = fastest is invalid",
        ),
    ] {
        let out = breakout(&args);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains(want), "{args:?}: {err}");
    }
}
