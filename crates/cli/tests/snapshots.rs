//! Every command's output pinned: text and `--json` (and CSV where a command has tables) on the
//! bundled states, deals, cascades and balances, so a refactor that claims "same answers" is
//! proven by CI rather than by hand.
//!
//! JSON numbers are rounded to 12 significant digits before they are compared: a change in the
//! last bits of a double (a different but equivalent order of floating-point operations) is not
//! a change of answer, while anything a reader could see is. Text output carries 3–6 digits and
//! is compared as printed. A snapshot that changes is reviewed (`cargo insta review`, or
//! `INSTA_UPDATE=always cargo test --test snapshots` and `git diff`) and the change of answer is
//! named in the commit message.

use std::process::Command;

use serde_json::Value;

/// Runs the binary; the snapshot holds the exit code and stdout (stderr carries progress).
fn breakout(args: &[&str]) -> String {
    breakout_at(args, None)
}

/// Runs the binary with `COLUMNS` set (or unset: piped output is 100 columns wide).
fn breakout_at(args: &[&str], columns: Option<usize>) -> String {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_breakout"));
    cmd.args(args).env_remove("COLUMNS");
    if let Some(c) = columns {
        cmd.env("COLUMNS", c.to_string());
    }
    let out = cmd.output().expect("the binary runs");
    let code = out.status.code().unwrap_or(-1);
    let stdout = String::from_utf8(out.stdout).expect("stdout is UTF-8");
    if code == 2 {
        panic!(
            "{args:?} is an input error: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    format!("exit: {code}\n{stdout}")
}

/// Rounds every number to 12 significant digits (integers stay as they are).
fn rounded(v: Value) -> Value {
    match v {
        Value::Number(n) if n.is_f64() => {
            let x = n.as_f64().expect("an f64");
            let r: f64 = format!("{x:.11e}").parse().expect("a float");
            serde_json::json!(r)
        }
        Value::Array(a) => Value::Array(a.into_iter().map(rounded).collect()),
        Value::Object(o) => Value::Object(o.into_iter().map(|(k, v)| (k, rounded(v))).collect()),
        other => other,
    }
}

fn json(args: &[&str]) -> String {
    let mut all = vec!["--json"];
    all.extend_from_slice(args);
    let out = breakout(&all);
    let (head, body) = out.split_once('\n').expect("an exit line");
    let doc: Value = serde_json::from_str(body).expect("one JSON document");
    format!(
        "{head}\n{}\n",
        serde_json::to_string_pretty(&rounded(doc)).expect("serialisable")
    )
}

/// One test per case: its text and JSON output (and CSV when asked) against the snapshots.
macro_rules! cases {
    ($($name:ident: [$($arg:expr),*] $(+ $csv:ident)?;)*) => {$(
        #[test]
        fn $name() {
            let args: &[&str] = &[$($arg),*];
            insta::assert_snapshot!(concat!(stringify!($name), "_text"), breakout(args));
            insta::assert_snapshot!(concat!(stringify!($name), "_json"), json(args));
            $(
                let _ = stringify!($csv);
                let mut all = vec!["--csv"];
                all.extend_from_slice(args);
                insta::assert_snapshot!(concat!(stringify!($name), "_csv"), breakout(&all));
            )?
        }
    )*};
}

cases! {
    // The main job and its variants.
    run_default: [];
    run_fordow_wgu: ["run", "iran-2025-05", "--site", "fordow", "--goal", "wgu"] + csv;
    run_jcpoa_2016: ["run", "jcpoa-2016"];
    run_regime_override: ["run", "iran-2025-05", "--regime", "jcpoa"];
    run_jcpoa_2016_ideal: ["run", "jcpoa-2016", "--model", "ideal"];
    run_optimum: ["run", "iran-2023-05", "--model", "optimum"];
    run_jcpoa_2016_reinstall: ["run", "jcpoa-2016", "--reinstall-cascades-per-month", "6.3"];
    run_2020_02_wgu: ["run", "iran-2020-02", "--goal", "wgu"];
    run_2021_05: ["run", "iran-2021-05"];
    run_2023_05: ["run", "iran-2023-05"];
    run_2024_08: ["run", "iran-2024-08"];
    run_2025_02_fordow: ["run", "iran-2025-02", "--site", "fordow", "--goal", "wgu", "--count", "3"];
    run_post_strike: ["run", "iran-2025-06-strikes", "--weaponization-months", "6..18"];
    run_quick_machines: ["run", "--machines", "IR-6=1740", "--stock", "408.6@60", "--goal", "wgu"];
    run_quick_capacity_ideal: ["run", "--capacity-swu-per-yr", "10000", "--model", "ideal", "--no-stocks"];
    run_what_if: ["run", "iran-2025-05", "--swu-per-machine", "IR-6=3.5", "--efficiency", "IR-1=0.7", "--setup-days-per-step", "14", "--max-feed-wt-pct", "20"];
    run_fixed_tails: ["run", "iran-2025-05", "--tails-wt-pct", "5", "--natural-tails-wt-pct", "0.3", "--goal-kg-u", "42"];
    run_monte_carlo: ["run", "iran-2025-05", "--samples", "300", "--seed", "7"] + csv;
    run_jcpoa_2016_everything: ["run", "jcpoa-2016", "--assumptions", "--timeline", "full"];
    history: ["history"] + csv;
    report_md: ["report", "jcpoa-2016", "--format", "md"];
    report_html_monte_carlo: ["report", "iran-2025-05", "--samples", "200", "--seed", "5"];

    // Deals.
    deal_list: ["deal", "list"];
    deal_show: ["deal", "show", "jcpoa-2015"];
    deal_show_dated: ["deal", "show", "jcpoa-2015", "--date", "2024-08-01"];
    deal_check_violated: ["deal", "check", "jcpoa-2015", "iran-2025-05"] + csv;
    deal_check_jcpoa_2016: ["deal", "check", "jcpoa-2015", "jcpoa-2016"];
    deal_check_us_cap: ["deal", "check", "us-2025-cap-3.67", "iran-2025-05"];
    deal_floor_jcpoa: ["deal", "floor", "jcpoa-2015"] + csv;
    deal_floor_us_cap: ["deal", "floor", "us-2025-cap-3.67", "--goal", "wgu"];
    deal_floor_zero: ["deal", "floor", "zero-enrichment", "--series", "none"];
    deal_floor_reimposed: ["deal", "floor", "jcpoa-reimposed-2025", "--reinstall-cascades-per-month", "3"];
    deal_floor_reimposed_optimum: ["deal", "floor", "jcpoa-reimposed-2025", "--series", "none", "--model", "optimum"];
    deal_floor_percentile: ["deal", "floor", "jcpoa-reimposed-2025", "--series", "none", "--percentile", "10", "--samples", "200", "--seed", "3"];
    deal_compare: ["deal", "compare", "--weaponization-months", "6..18"] + csv;
    deal_history: ["deal", "history", "jcpoa-2015"];
    deal_design_small: ["deal", "design", "--cap-wt-pct", "3.67", "--stock-cap-kg", "0..600:150", "--machines", "fep:IR-1=0..6072:2024", "--machines", "fep:IR-2m=0", "--machines", "fordow:IR-6=0", "--fates", "destroyed,stored", "--if-broken", "--min-months", "6"] + csv;
    deal_design_percentile: ["deal", "design", "--cap-wt-pct", "3.67", "--stock-cap-kg", "300..900:300", "--machines", "fep:IR-1=5060", "--machines", "fep:IR-2m=0", "--machines", "fordow:IR-6=0", "--fates", "stored", "--percentile", "10", "--samples", "200"] + csv;

    // Sweeps: `run` over a small grid (2 states × 3 set-up times × 2 goal counts).
    sweep_small: ["sweep", "../../examples/sweep/states-setup-goal.toml"] + csv;

    // Enrichment arithmetic.
    swu_balance: ["swu", "--product-wt-pct", "3.5", "--tails-wt-pct", "0.3", "--product-kg-u", "1"] + csv;
    swu_balance_from_swu: ["swu", "--product-wt-pct", "90", "--feed-wt-pct", "60", "--tails-wt-pct", "20", "--swu", "100"];
    swu_plan_fixed: ["swu", "plan", "--product-kg-u", "25", "--product-wt-pct", "90", "--stock", "408.6@60", "--stock", "5000@3.67", "--tails-wt-pct", "20"] + csv;
    swu_plan_optimal: ["swu", "plan", "--product-kg-u", "25", "--product-wt-pct", "90", "--stock", "408.6@60", "--stock", "5000@3.67", "--tails", "optimal", "--max-tails-wt-pct", "20"];
    swu_cost: ["swu", "cost", "--product-wt-pct", "4.5", "--usd-per-lb-u3o8", "80", "--conversion-usd-per-kg-u", "30", "--usd-per-swu", "150"];
    swu_tails: ["swu", "tails", "--product-wt-pct", "3.5", "--feed-kg-u", "1000", "--product-kg-u", "120"];
    swu_yield: ["swu", "yield", "--product-wt-pct", "90", "--feed-wt-pct", "3.67", "--swu", "1000", "--feed-kg-u", "900", "--tails", "optimal"];
    convert_uf6: ["convert", "300", "kg-uf6", "--wt-pct", "3.67", "--to", "kg-u"];
    convert_u235: ["convert", "25", "kg-u235", "--at-pct", "90", "--to", "kg-uf6"];

    // Machines and cascades.
    machine_list: ["machine", "list"];
    machine_show: ["machine", "show", "IR-6"];
    machine_dirac: ["machine", "dirac", "P-1"];
    machine_raetz: ["machine", "raetz", "P-1", "--speed-m-per-s", "350"];
    cascade_design: ["cascade", "design", "--product-wt-pct", "3.5", "--tails-wt-pct", "0.3", "--machine", "IR-1", "--machines", "164"];
    cascade_marc: ["cascade", "marc", "--feed-wt-pct", "U234=0.0054,U235=0.711", "--product-wt-pct", "90", "--tails-wt-pct", "0.3", "--gamma", "1.3"];
    cascade_run_bundled: ["cascade", "run", "ir1-164"] + csv;
    cascade_run_recycle: ["cascade", "run", "ir6-174", "--feed-wt-pct", "U235=20", "--recycle", "3", "--batch-kg-u", "100"];

    // Safeguards.
    safeguards_balance: ["safeguards", "balance", "../../data/safeguards/example-quarterly-balance.toml"] + csv;
    safeguards_detect: ["safeguards", "detect", "--loss-kg", "75", "--sigma-kg", "20"];
    safeguards_sequence: ["safeguards", "sequence", "--muf", "1,-2,3,5", "--sigma-inventory-kg", "2,2,2,2,2", "--sigma-transfer-kg", "1,1,1,1", "--loss-kg", "8", "--pattern", "protracted", "--sequences", "2000", "--seed", "3"];
    safeguards_page_threshold: ["safeguards", "page-threshold", "--k", "0.5", "--periods", "12", "--alpha", "0.05"];
    safeguards_sample: ["safeguards", "sample", "--items", "200", "--goal-kg", "75", "--item-kg", "2", "--falsified-fraction", "1", "--beta", "0.1"];
    safeguards_plant: ["safeguards", "plant", "--swu-per-yr", "1e6", "--seed", "7", "--sequences", "2000", "--breakout-days", "30"];
}

/// The answer first, within the terminal: `breakout run` at 80 columns has no line over 80
/// characters and the headline (time to the goal) within its first 15 lines; likewise for a
/// long timeline and with every detail table shown.
#[test]
fn run_at_80_columns() {
    let text = breakout_at(&["run"], Some(80));
    insta::assert_snapshot!("run_default_80_columns", text);
    for args in [
        &["run"][..],
        &["run", "jcpoa-2016", "--assumptions", "--timeline", "full"],
        &[
            "run",
            "iran-2025-05",
            "--samples",
            "300",
            "--seed",
            "7",
            "--assumptions",
        ],
        &[],
    ] {
        let text = breakout_at(args, Some(80));
        for line in text.lines() {
            assert!(
                line.chars().count() <= 80,
                "{args:?}: a line of {} characters: {line}",
                line.chars().count()
            );
        }
        let head: Vec<&str> = text.lines().take(16).collect(); // "exit: 0" + 15 lines
        assert!(
            head.iter()
                .any(|l| l.trim_start().starts_with("Time to 1 SQ")),
            "{args:?}: no headline in the first 15 lines:\n{}",
            head.join("\n")
        );
    }
    // Piped output without COLUMNS is 100 columns wide.
    let text = breakout_at(
        &["run", "jcpoa-2016", "--assumptions", "--timeline", "full"],
        None,
    );
    assert!(text.lines().all(|l| l.chars().count() <= 100), "{text}");
}

/// The Markdown report of `deal design --report FILE.md` on a sub-space of 9 candidates that
/// holds the JCPOA's own limits (3.67 wt-%, 0/300/600 kg UF6, 0/2,530/5,060 IR-1 at FEP,
/// nothing else enriching, the rest stored).
#[test]
fn deal_design_report_markdown() {
    let dir = std::env::temp_dir().join(format!("breakout-design-md-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("design.md");
    let out = breakout(&[
        "deal",
        "design",
        "--cap-wt-pct",
        "3.67",
        "--stock-cap-kg",
        "0..600:300",
        "--machines",
        "fep:IR-1=0..5060:2530",
        "--machines",
        "fep:IR-2m=0",
        "--machines",
        "fordow:IR-6=0",
        "--fates",
        "stored",
        "--report",
        path.to_str().unwrap(),
    ]);
    assert!(out.starts_with("exit: 0\n"), "{out}");
    let md = std::fs::read_to_string(&path).unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
    insta::assert_snapshot!("deal_design_report_markdown", md);
}
