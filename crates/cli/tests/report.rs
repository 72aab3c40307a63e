//! `breakout report` end to end: the HTML is well-formed, self-contained (no script, no external
//! reference) and carries its SVG charts; Markdown carries the tables; `-o` writes the file; the
//! numbers are those of `breakout run --json`; bad input exits 2. The same for the report of
//! `breakout deal design --report FILE`.

use std::process::{Command, Output};

fn breakout(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_breakout"))
        .args(args)
        .output()
        .expect("the binary runs")
}

fn stdout(args: &[&str]) -> String {
    let out = breakout(args);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// HTML elements that have no end tag.
const VOID: [&str; 6] = ["meta", "br", "hr", "img", "input", "link"];

/// Checks that every start tag is closed in order (SVG's `<x/>` closes itself); returns the
/// first problem. Text content must not contain a raw `<`.
fn balanced(html: &str) -> Result<(), String> {
    let mut stack: Vec<String> = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        rest = &rest[i + 1..];
        let end = rest
            .find('>')
            .ok_or_else(|| format!("unclosed `<` near {:.40}", rest))?;
        let tag = &rest[..end];
        rest = &rest[end + 1..];
        if tag.starts_with('!') {
            continue; // doctype
        }
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        if name.is_empty() {
            return Err(format!("not a tag: <{tag}>"));
        }
        if let Some(closing) = tag.strip_prefix('/') {
            let open = stack
                .pop()
                .ok_or_else(|| format!("</{closing}> with nothing open"))?;
            if open != name {
                return Err(format!("<{open}> closed by </{name}>"));
            }
        } else if !(tag.ends_with('/') || VOID.contains(&name.as_str())) {
            stack.push(name);
        }
    }
    match stack.last() {
        Some(open) => Err(format!("<{open}> never closed")),
        None => Ok(()),
    }
}

#[test]
fn the_checker_finds_broken_markup() {
    for (html, ok) in [
        ("<p>a<b>b</b></p>", true),
        ("<svg><rect x=\"1\"/></svg><meta charset=\"utf-8\">", true),
        ("<p>a<b>b</p></b>", false),
        ("<p>open", false),
        ("</p>", false),
        ("<p>1 < 2</p>", false),
    ] {
        assert_eq!(balanced(html).is_ok(), ok, "{html}: {:?}", balanced(html));
    }
}

#[test]
fn html_report_is_well_formed_self_contained_and_has_its_charts() {
    let html = stdout(&["report", "iran-2025-05", "--samples", "300", "--seed", "5"]);
    balanced(&html).unwrap();
    assert!(html.starts_with("<!doctype html>"));
    // Production curve, Monte Carlo histogram, tornado and detection against breakout.
    assert_eq!(html.matches("<svg ").count(), 4, "four charts");
    for needle in [
        "Production curve",
        "Timeline",
        "Assumptions and sources",
        "IR-6 separative power",
        "data/machines.toml",
        "seed 5",
        "2–3 days to the first 25 kg WGU at Fordow alone",
        "[B11]",
    ] {
        assert!(html.contains(needle), "missing {needle}");
    }
    for banned in ["<script", "<link", "src=", "href=", "@import", "url("] {
        assert!(!html.contains(banned), "not self-contained: {banned}");
    }
    // Without --samples there are two charts, the production curve and detection.
    let plain = stdout(&["report", "jcpoa-2016"]);
    balanced(&plain).unwrap();
    assert_eq!(plain.matches("<svg ").count(), 2);
    assert!(plain.contains("roughly 12-month") && plain.contains("[S4]"));
}

/// "Would inspectors notice?": the chart (one box per detected pathway, the breakout time and
/// the one-month goal as lines) and one table row per pathway of `breakout run --json`'s
/// `results.verification`, with its numbers; the regime's measures with their sources, each
/// source tag in the reference list. Table-driven over a regime that detects (JCPOA) and one
/// that sees nothing (no access after the June 2025 strikes).
#[test]
fn verification_chart_and_table_are_the_run_numbers() {
    for (state, regime, boxes, never) in [
        ("jcpoa-2016", "jcpoa", 3, 0),
        ("iran-2025-06-strikes", "no-access-2025", 0, 3),
    ] {
        let run: serde_json::Value =
            serde_json::from_str(&stdout(&["--json", "run", state])).unwrap();
        let v = &run["results"]["verification"];
        assert_eq!(v["regime"], regime, "{state}");
        let html = stdout(&["report", state]);
        balanced(&html).unwrap();
        let (body, refs) = html.split_once("<h2>References</h2>").unwrap();
        let section = body
            .split_once("Would inspectors notice? Detection and warning time by pathway")
            .unwrap_or_else(|| panic!("{state}: no verification section"))
            .1;
        assert_eq!(
            section.matches("class=\"spread\"").count(),
            boxes,
            "{state}"
        );
        assert_eq!(section.matches("class=\"never\"").count(), never, "{state}");
        assert_eq!(
            section.matches("class=\"timeliness-goal\"").count(),
            1,
            "{state}"
        );
        assert_eq!(section.matches("class=\"breakout\"").count(), 1, "{state}");
        let table = section.split_once("</table>").unwrap().0;
        let pathways = v["pathways"].as_array().unwrap();
        assert_eq!(
            table.matches(&format!("<tr><td>{regime}</td>")).count(),
            pathways.len(),
            "{state}: one row per pathway"
        );
        for p in pathways {
            let name = p["pathway"].as_str().unwrap().replace('-', " ");
            let mean = p["detection_days"]
                .as_f64()
                .map_or_else(|| "never".to_string(), breakout_app::document::human);
            assert!(
                table.contains(&format!("<td>{name}</td><td>{mean}</td>")),
                "{state}: {name} {mean}"
            );
        }
        assert!(
            section.contains(&format!("Verification regime {regime}: ")),
            "{state}: the regime's measures"
        );
        assert!(section.contains("Reporting delay from detection to the Board"));
        // JCPOA: declared misuse is seen long before the first SQ (issue 14's done-when).
        if regime == "jcpoa" {
            assert!(pathways[0]["warning_days"].as_f64().unwrap() > 0.0);
        }
        // Every source tag of the regime's table is listed with a title.
        let regime_table = section.split_once("Verification regime").unwrap().1;
        let regime_table = regime_table.split_once("</table>").unwrap().0;
        let tags: Vec<&str> = regime_table
            .split('[')
            .skip(1)
            .filter_map(|t| t.split_once(']').map(|x| x.0))
            .collect();
        assert!(!tags.is_empty(), "{state}: the regime cites no source");
        for tag in tags {
            assert!(
                refs.contains(&format!("<li id=\"ref-{tag}\">[{tag}] ")),
                "{state}: [{tag}]"
            );
        }
    }
    let md = stdout(&["report", "jcpoa-2016", "--format", "md"]);
    assert!(md.contains("## Would inspectors notice? Detection and warning time by pathway"));
    assert!(md.contains("| jcpoa | declared misuse |"));
}

/// The report shows the numbers of `breakout run --json` for the same flags.
#[test]
fn report_numbers_are_the_run_numbers() {
    let run: serde_json::Value = serde_json::from_str(&stdout(&[
        "--json",
        "run",
        "iran-2020-02",
        "--goal",
        "wgu",
        "--setup-days-per-step",
        "10",
    ]))
    .unwrap();
    let md = stdout(&[
        "report",
        "iran-2020-02",
        "--goal",
        "wgu",
        "--setup-days-per-step",
        "10",
        "--format",
        "md",
    ]);
    let days = run["results"]["first_sq_days"].as_f64().unwrap();
    // Durations for people, as `breakout run` prints them (e.g. "2.73 months (83.1 days)").
    let shown = breakout_app::document::duration(days);
    assert!(
        md.contains(&format!("| {shown} |")),
        "{shown} not in the report"
    );
    for table in [
        "## Answer",
        "## Timeline",
        "## Production curve",
        "## Validation context",
        "## Assumptions and sources",
        "| step | passes | days |",
        "3.8 months (range 3.1–4.6)",
    ] {
        assert!(md.contains(table), "missing {table}");
    }
    assert!(!md.contains("<svg"), "Markdown has no charts");
}

/// The separative work beside "Separative work for N …" is that of the whole goal: with
/// `--count 3` the label says 3 units (it used to say 1), and the number is `breakout run`'s
/// `separative_work_swu` for the same three units, as `breakout run` labels it.
#[test]
fn separative_work_is_labelled_with_the_count() {
    let args = [
        "iran-2025-02",
        "--site",
        "fordow",
        "--goal",
        "wgu",
        "--count",
        "3",
    ];
    let mut run_args = vec!["--json", "run"];
    run_args.extend_from_slice(&args);
    let run: serde_json::Value = serde_json::from_str(&stdout(&run_args)).unwrap();
    let swu = run["results"]["separative_work_swu"].as_f64().unwrap();
    let shown = breakout_app::document::human(swu);
    let mut report_args = vec!["report"];
    report_args.extend_from_slice(&args);
    report_args.extend_from_slice(&["--format", "md"]);
    let md = stdout(&report_args);
    let row = format!("| Separative work for 3 WGU | {shown} kg-SWU |");
    assert!(md.contains(&row), "{row} not in the report");
    assert!(!md.contains("Separative work for 1 "), "{md}");
    let mut text_args = vec!["run"];
    text_args.extend_from_slice(&args);
    let text = stdout(&text_args);
    assert!(
        text.lines()
            .any(|l| l.contains(&format!("{shown} kg-SWU for 3 WGU"))),
        "{text}"
    );
}

#[test]
fn output_file_and_json_envelope() {
    let dir = std::env::temp_dir().join(format!("breakout-report-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("report.html");
    let text = stdout(&[
        "report",
        "iran-2025-06-strikes",
        "-o",
        path.to_str().unwrap(),
    ]);
    assert!(text.contains("Wrote"), "{text}");
    let html = std::fs::read_to_string(&path).unwrap();
    balanced(&html).unwrap();
    assert!(html.contains("matter of months"));
    let j: serde_json::Value = serde_json::from_str(&stdout(&[
        "--json",
        "report",
        "jcpoa-2016",
        "--format",
        "md",
    ]))
    .unwrap();
    assert_eq!(j["command"], "report");
    assert!(
        j["results"]["document"]
            .as_str()
            .unwrap()
            .starts_with("# Breakout estimate")
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn bad_input_exits_2_with_a_clear_message() {
    for (args, needle) in [
        (vec!["report", "nowhere-1999"], "nowhere-1999"),
        (vec!["report", "iran-2025-05", "--format", "pdf"], "pdf"),
        (
            vec!["report", "iran-2025-05", "-o", "/nonexistent-dir/r.html"],
            "/nonexistent-dir/r.html",
        ),
        (
            vec!["report", "iran-2025-05", "--swu-per-machine", "IR-6=x"],
            "IR-6=x",
        ),
    ] {
        let out = breakout(&args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(needle), "{args:?}: {err}");
    }
}

/// A design sub-space of 9 candidates (3.67 wt-%, 0/300/600 kg UF6, 0/2,530/5,060 IR-1 at FEP,
/// nothing else enriching, the rest stored) that holds the JCPOA's own limits.
const DESIGN: [&str; 14] = [
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
];

/// `deal design --report FILE.html`: stdout is the plain `deal design` output, byte for byte;
/// the file is well-formed and self-contained with one chart, and every frontier point of
/// `--json` is a row of its frontier table, with its months.
#[test]
fn design_report_is_self_contained_and_lists_every_frontier_point() {
    let dir = std::env::temp_dir().join(format!("breakout-design-report-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("design.html");
    let mut args = DESIGN.to_vec();
    args.extend(["--if-broken", "--min-months", "6"]);
    let plain = stdout(&args);
    let mut with_report = args.clone();
    with_report.extend(["--report", path.to_str().unwrap()]);
    assert_eq!(stdout(&with_report), plain, "--report changes stdout");
    let html = std::fs::read_to_string(&path).unwrap();
    balanced(&html).unwrap();
    assert_eq!(html.matches("<svg").count(), 1, "one chart");
    for banned in ["<script", "<link", "src=", "href=", "@import", "url("] {
        assert!(!html.contains(banned), "not self-contained: {banned}");
    }
    // The only address outside the reference list is the SVG namespace, which is not fetched.
    let body = html.split("<h2>References</h2>").next().unwrap();
    let addresses = body.matches("http://").count() + body.matches("https://").count();
    assert_eq!(
        addresses,
        body.matches("xmlns=\"http://www.w3.org/2000/svg\"").count()
    );
    for banned in ["NaN", ">-0<", " -0 ", ">inf<"] {
        assert!(!html.contains(banned), "{banned} in the report");
    }
    let mut json_args = vec!["--json"];
    json_args.extend(&args);
    let j: serde_json::Value = serde_json::from_str(&stdout(&json_args)).unwrap();
    let frontier = j["results"]["frontier"].as_array().unwrap();
    assert!(!frontier.is_empty());
    let months = |d: &serde_json::Value| {
        d.as_f64()
            .map_or("never".to_string(), |d| format!("{:.1}", d / 30.44))
    };
    for p in frontier {
        let l = &p["levers"];
        let ir1 = l["machines"][0]["max_enriching"].as_u64().unwrap();
        let row = format!(
            "<tr><td>3.67</td><td>{}</td><td>{ir1}</td><td>0</td><td>0</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            l["stock_cap_kg"].as_f64().unwrap(),
            l["excess"].as_str().unwrap(),
            months(&p["permitted_first_sq_days"]),
            months(&p["first_sq_days"])
        );
        assert!(html.contains(&row), "no row {row}");
    }
    // Every frontier point is ringed on the chart.
    assert_eq!(html.matches(r#"r="8" fill="none""#).count(), frontier.len());
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn design_report_bad_path_exits_2_before_searching() {
    for (file, needle) in [
        ("/tmp/design.pdf", "expected a file name ending in .html"),
        ("/tmp/design", "expected a file name ending in .html"),
        (
            "/nonexistent-dir/design.html",
            "`/nonexistent-dir` does not exist",
        ),
    ] {
        let mut args = DESIGN.to_vec();
        args.extend(["--report", file]);
        let out = breakout(&args);
        assert_eq!(out.status.code(), Some(2), "{file}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(needle) && err.contains(file), "{file}: {err}");
    }
    let out = breakout(&[
        "swu",
        "--product-wt-pct",
        "3.5",
        "--tails-wt-pct",
        "0.3",
        "--product-kg-u",
        "1",
        "--report",
        "/tmp/x.html",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("only `deal design`"));
}
