//! `breakout cascade` and `breakout machine dirac|raetz` end to end: text and JSON outputs, the
//! bundled cascades against their stated derivation, and exit code 2 with a clear message on
//! every bad input.

use std::process::Command;

use enrich::Assay;
use enrich::cascade::{IdealCascade, StageSeparation, machine_feed_from_rating};
use serde_json::Value;

fn breakout(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_breakout"))
        .args(args)
        .output()
        .expect("the binary runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn json(args: &[&str]) -> Value {
    let mut all = vec!["--json"];
    all.extend_from_slice(args);
    let (code, out, err) = breakout(&all);
    assert_eq!(code, 0, "{args:?}: {err}");
    serde_json::from_str(&out).expect("one JSON document")
}

fn close(a: f64, b: f64, rel: f64) -> bool {
    (a - b).abs() <= rel * b.abs()
}

/// wt fraction of U-235 for 0.711 at-% binary uranium (AME2020 masses).
fn feed_wt() -> f64 {
    let (a5, a8) = (235.043_930_1, 238.050_788_4);
    0.00711 * a5 / (0.00711 * a5 + 0.99289 * a8)
}

#[test]
fn run_with_flags_has_the_documented_json_fields() {
    let d = json(&[
        "cascade",
        "run",
        "--stages",
        "15",
        "--feed-stage",
        "6",
        "--alpha",
        "1.5",
        "--cut",
        "0.5",
        "--feed-at-pct",
        "U235=0.711",
        "--feed-kg-u-per-yr",
        "1000",
    ]);
    let r = &d["results"];
    for s in ["product", "tails"] {
        assert!(r[s]["kg_u"].as_f64().unwrap() > 0.0);
        assert!(r[s]["at_pct"]["U235"].as_f64().unwrap() > 0.0);
        assert!(r[s]["wt_pct"]["U238"].as_f64().unwrap() > 0.0);
    }
    let p = r["product"]["kg_u"].as_f64().unwrap();
    let t = r["tails"]["kg_u"].as_f64().unwrap();
    assert!(close(p + t, 1000.0, 1e-10), "{p} + {t}");
    assert_eq!(r["stages"].as_array().unwrap().len(), 15);
    assert_eq!(r["enriching_stages"], 10.0);
    assert_eq!(r["stripping_stages"], 5.0);
    assert!(r["separative_work_swu"].as_f64().unwrap() > 0.0);
    // U-235 mass balance: 1000 kg of 0.711 at-% feed.
    let w = |s: &str| r[s]["wt_pct"]["U235"].as_f64().unwrap() / 100.0;
    assert!(close(
        p * w("product") + t * w("tails"),
        1000.0 * feed_wt(),
        1e-10
    ));
}

#[test]
fn bundled_cascades_match_their_derivation_and_capacity() {
    for (name, machines) in [
        ("ir1-164", 164u32),
        ("ir1-174", 174),
        ("ir2m-174", 174),
        ("ir6-174", 174),
    ] {
        let d = json(&["cascade", "run", name]);
        let r = &d["results"];
        let stages = r["stages"].as_array().unwrap();
        let counts: Vec<u64> = stages
            .iter()
            .map(|s| s["machines"].as_u64().unwrap())
            .collect();
        let cuts: Vec<f64> = stages.iter().map(|s| s["cut"].as_f64().unwrap()).collect();
        // The derivation stated in the files: ideal 15-stage cascade, feed stage 6, α 1.5, NU
        // feed, machines placed to maximise the feed.
        let s = StageSeparation::new(1.5).unwrap();
        let ideal = IdealCascade::with_stages(Assay::NATURAL, 10, 5, s).unwrap();
        let fit = ideal
            .fitted_to_machines(machines, machine_feed_from_rating(1.0, s).unwrap())
            .unwrap();
        let want: Vec<u64> = fit
            .cascade
            .machines()
            .iter()
            .map(|&m| u64::from(m))
            .collect();
        assert_eq!(counts, want, "{name}");
        for (a, b) in cuts.iter().zip(fit.cascade.cuts()) {
            assert!(close(*a, *b, 1e-14), "{name}: {a} vs {b}");
        }
        // Capacity at the design point (max feed, natural uranium) = machines × δU × utilization.
        let machine = d["inputs"]["cascade_machine"].as_str().unwrap().to_string();
        let du =
            json(&["machine", "show", &machine])["results"]["separative_power_central_swu_per_yr"]
                .as_f64()
                .unwrap();
        let swu = r["separative_work_swu"].as_f64().unwrap();
        let expected = f64::from(machines) * du * fit.utilization();
        assert!(close(swu, expected, 2e-4), "{name}: {swu} vs {expected}");
        assert!(fit.utilization() > 0.96);
    }
}

#[test]
fn recycle_marc_design_and_machine_physics_work_in_text_and_json() {
    let (code, out, err) = breakout(&[
        "cascade",
        "run",
        "ir1-164",
        "--recycle",
        "3",
        "--batch-kg-u",
        "1000",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("Batch recycling") && out.contains("Stages (1 = tails end)"),
        "{out}"
    );
    let d = json(&[
        "cascade",
        "run",
        "ir1-164",
        "--recycle",
        "3",
        "--batch-kg-u",
        "1000",
    ]);
    let rec = &d["results"]["recycle"];
    assert_eq!(rec["passes"].as_array().unwrap().len(), 3);
    assert!(rec["product"]["wt_pct"]["U235"].as_f64().unwrap() > 90.0);

    let d = json(&[
        "cascade",
        "marc",
        "--feed-at-pct",
        "U234=0.0054,U235=0.72",
        "--product-at-pct",
        "90",
        "--tails-at-pct",
        "0.1",
        "--gamma",
        "1.3",
        "--feed-kg-u",
        "100",
    ]);
    let r = &d["results"];
    assert!(close(
        r["product"]["at_pct"]["U235"].as_f64().unwrap(),
        90.0,
        1e-10
    ));
    assert!(close(
        r["tails"]["at_pct"]["U235"].as_f64().unwrap(),
        0.1,
        1e-10
    ));
    let total = r["product"]["kg_u"].as_f64().unwrap() + r["tails"]["kg_u"].as_f64().unwrap();
    assert!(close(total, 100.0, 1e-10));
    let d = json(&[
        "cascade",
        "marc",
        "--feed-wt-pct",
        "3.67",
        "--product-wt-pct",
        "90",
        "--tails-wt-pct",
        "0.711",
        "--machine",
        "IR-1",
        "--integer-stages",
    ]);
    let r = &d["results"];
    assert!(r["product"]["wt_pct"]["U235"].as_f64().unwrap() >= 90.0);
    assert!(r["enriching_stages"].as_f64().unwrap().fract().abs() < 1e-12);

    let d = json(&[
        "cascade",
        "design",
        "--product-wt-pct",
        "3.5",
        "--tails-wt-pct",
        "0.3",
        "--machine",
        "IR-1",
        "--product-kg-u-per-yr",
        "1000",
    ]);
    let r = &d["results"];
    assert_eq!(r["enriching_stages"], 9.0);
    assert!(close(
        r["product"]["kg_u_per_yr"].as_f64().unwrap(),
        1000.0,
        1e-9
    ));
    let (code, out, _) = breakout(&[
        "cascade",
        "design",
        "--stages",
        "15",
        "--feed-stage",
        "6",
        "--machine",
        "IR-1",
        "--machines",
        "164",
    ]);
    assert_eq!(code, 0);
    assert!(out.contains("Machine capacity used"), "{out}");

    let d = json(&[
        "machine",
        "raetz",
        "--speed-m-per-s",
        "485",
        "--length-m",
        "0.5",
        "--diameter-m",
        "0.15",
        "--feed-mg-per-s",
        "15",
    ]);
    let du = d["results"]["separative_power_swu_per_s"].as_f64().unwrap();
    assert!(close(du, 7.032_328_168_47e-8, 1e-10), "{du}");
    let d = json(&["machine", "dirac", "P-1"]);
    assert!(close(
        d["results"]["dirac_max_swu_per_yr"].as_f64().unwrap(),
        4.424,
        1e-3
    ));
}

#[test]
fn bad_inputs_exit_2_with_a_clear_message() {
    let dir = std::env::temp_dir().join(format!("breakout-cascade-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bad_file = dir.join("bad.toml");
    std::fs::write(
        &bad_file,
        "id = \"x\"\nname = \"x\"\nmachine = \"IR-1\"\nfeed_stage = 1\nmachines_per_stage = [1]\ncuts = [0.5]\nsource = \"s\"\nstages = 3\n",
    )
    .unwrap();
    let bad = bad_file.to_str().unwrap();
    let run = |extra: &[&'static str]| {
        let mut v = vec![
            "cascade",
            "run",
            "--stages",
            "15",
            "--feed-stage",
            "6",
            "--alpha",
            "1.5",
        ];
        v.extend_from_slice(extra);
        v
    };
    for (args, needle) in [
        (
            vec!["cascade", "run", "nope-164"],
            "neither a bundled cascade",
        ),
        (
            vec!["cascade", "run", bad],
            "bad.toml:8:1: unknown field `stages`",
        ),
        (
            vec![
                "cascade",
                "run",
                "--stages",
                "15",
                "--feed-stage",
                "20",
                "--alpha",
                "1.5",
                "--feed-kg-u-per-yr",
                "1",
            ],
            "feed stage 20",
        ),
        (
            vec![
                "cascade",
                "run",
                "--stages",
                "15",
                "--feed-stage",
                "6",
                "--alpha",
                "0.9",
                "--feed-kg-u-per-yr",
                "1",
            ],
            "--alpha",
        ),
        (run(&[]), "--feed-kg-u-per-yr"),
        (
            vec![
                "cascade",
                "run",
                "--stages",
                "3",
                "--feed-stage",
                "2",
                "--alpha",
                "1.5",
                "--cuts",
                "0.5,0.5",
                "--feed-kg-u-per-yr",
                "1",
            ],
            "3 stages need 3 cuts",
        ),
        (
            run(&["--machines-per-stage", "1,1", "--feed-kg-u-per-yr", "1"]),
            "--machines-per-stage needs",
        ),
        (
            vec!["cascade", "run", "ir1-164", "--feed-at-pct", "U235=x"],
            "--feed-at-pct",
        ),
        (
            vec!["cascade", "run", "ir1-164", "--feed-wt-pct", "U235=120"],
            "leave no U238",
        ),
        (
            vec!["cascade", "run", "ir1-164", "--feed-kg-u-per-yr", "-5"],
            "--feed-kg-u-per-yr -5",
        ),
        (
            vec![
                "cascade",
                "marc",
                "--product-at-pct",
                "95",
                "--tails-at-pct",
                "5",
                "--gamma",
                "1.3",
                "--feed-at-pct",
                "U234=2,U235=20",
            ],
            "cap it at about 90.9091 at-%",
        ),
        (
            vec![
                "cascade",
                "marc",
                "--product-at-pct",
                "0.5",
                "--tails-at-pct",
                "0.2",
                "--gamma",
                "1.3",
            ],
            "tails < feed < product",
        ),
        (
            vec![
                "cascade",
                "marc",
                "--product-at-pct",
                "90",
                "--tails-at-pct",
                "0.2",
                "--gamma",
                "1.3",
                "--feed-kg-u",
                "0",
            ],
            "--feed-kg-u 0",
        ),
        (
            vec![
                "cascade",
                "design",
                "--product-wt-pct",
                "3.5",
                "--tails-wt-pct",
                "0.3",
                "--alpha",
                "1.5",
                "--machines",
                "100",
            ],
            "--machine or --machine-feed-kg-u-per-yr",
        ),
        (
            vec![
                "cascade",
                "design",
                "--product-wt-pct",
                "3.5",
                "--tails-wt-pct",
                "0.3",
                "--machine",
                "IR-1",
                "--machines",
                "5",
            ],
            "5 machines cannot fill",
        ),
        (
            vec![
                "cascade",
                "design",
                "--product-wt-pct",
                "0.5",
                "--tails-wt-pct",
                "0.3",
                "--machine",
                "IR-1",
                "--machines",
                "100",
            ],
            "tails < feed < product",
        ),
        (vec!["machine", "raetz", "IR-6"], "--speed-m-per-s"),
        (vec!["machine", "raetz", "P-1", "--cut", "1.5"], "cut θ"),
        (
            vec![
                "machine",
                "dirac",
                "--speed-m-per-s",
                "-1",
                "--length-m",
                "1",
                "--diameter-m",
                "0.1",
            ],
            "peripheral speed",
        ),
    ] {
        let (code, out, err) = breakout(&args);
        assert_eq!(code, 2, "{args:?}: {out}{err}");
        assert!(err.contains(needle), "{args:?}: {err}");
        assert!(!err.contains("NaN") && !err.contains("panicked"), "{err}");
    }
    std::fs::remove_dir_all(&dir).unwrap();
}
