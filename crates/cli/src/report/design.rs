//! `breakout deal design ... --report FILE`: the design run as a self-contained document — what
//! was asked, the design space and its sources, the counts, the frontier chart (stock cap
//! against the separative capacity allowed, candidates coloured by their floor around the
//! target, the frontier ringed and joined, as the workbench draws it), the frontier table, the
//! JCPOA's own limits beside it, how to reproduce a point, and the limits of the method.
//!
//! Every number is the typed [`DesignResult`] of `breakout_app` or the design document built
//! from it (`breakout_app::commands::design::document`), so the report cannot disagree with the command's output.
//! The file's extension chooses the format: `.html` (one file, inline CSS and SVG, no script,
//! no network) or `.md` (Markdown, no chart).

use std::fmt::Write as _;
use std::path::Path;

use breakout_app::commands::design::{DesignArgs, DesignResult, Levers};
use breakout_app::design::{DesignSpace, jcpoa};
use breakout_app::document::num;
use breakout_app::{AppError, Document};
use enrich::units::DAYS_PER_MONTH;

use super::svg::{self, DesignDot, FloorClass, escape};
use super::{CSS, Format, Tab, references};

/// The format `--report FILE` writes, from the file's extension; checked before the search
/// runs, with the directory the file goes in.
///
/// # Errors
/// [`AppError::Usage`] naming the path when the extension is neither `.html`/`.htm` nor `.md`;
/// [`AppError::Input`] when its directory does not exist.
pub fn format_of(path: &Path) -> Result<Format, AppError> {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    let format = match ext.as_deref() {
        Some("html" | "htm") => Format::Html,
        Some("md") => Format::Md,
        _ => {
            return Err(AppError::Usage(format!(
                "--report {}: expected a file name ending in .html (self-contained HTML) or .md (Markdown)",
                path.display()
            )));
        }
    };
    match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() && !dir.is_dir() => Err(AppError::Input(format!(
            "--report {}: the directory `{}` does not exist",
            path.display(),
            dir.display()
        ))),
        _ => Ok(format),
    }
}

/// Writes the report of a design run to `path` in `format`.
///
/// # Errors
/// [`AppError::Input`] naming the path if it cannot be written.
pub fn write(
    path: &Path,
    format: Format,
    a: &DesignArgs,
    res: &DesignResult,
    doc: &Document,
) -> Result<(), AppError> {
    let text = match format {
        Format::Html => html(a, res, doc),
        Format::Md => markdown(a, res, doc),
    };
    std::fs::write(path, text).map_err(|e| {
        AppError::Input(format!(
            "--report: could not write `{}`: {e}",
            path.display()
        ))
    })
}

/// Months with one decimal, or "never".
fn months(d: Option<f64>) -> String {
    d.map_or_else(|| "never".into(), |d| format!("{:.1}", d / DAYS_PER_MONTH))
}

/// The floor a candidate is judged by, days (`None`: never): at the percentile when one was
/// asked for, else central; the shorter of "holds" and "if broken" when the target covers both
/// (the workbench's colouring).
fn judged_days(
    res: &DesignResult,
    central: (Option<f64>, Option<f64>),
    at: Option<&breakout_app::commands::floor::PercentileDays>,
) -> Option<f64> {
    let (holds, broken) = match (res.monte_carlo.is_some(), at) {
        (true, Some(p)) => (p.permitted_first_sq_days, p.first_sq_days),
        _ => central,
    };
    if !res.if_broken {
        return holds;
    }
    match (holds, broken) {
        (Some(h), Some(b)) => Some(h.min(b)),
        (h, b) => h.or(b),
    }
}

/// The colour classes around the target T (months): two below it, two at or above, never.
fn classes(t: f64) -> Vec<FloorClass> {
    vec![
        FloorClass {
            label: format!("under {} months", num(t / 2.0)),
            color: "#b42318",
        },
        FloorClass {
            label: format!("{}–{} months (misses the target)", num(t / 2.0), num(t)),
            color: "#f0883e",
        },
        FloorClass {
            label: format!("{}–{} months (meets it)", num(t), num(1.5 * t)),
            color: "#7ee2a8",
        },
        FloorClass {
            label: format!("{} months or more", num(1.5 * t)),
            color: "#1a7f37",
        },
        FloorClass {
            label: "never (no capacity)".into(),
            color: "#8c959f",
        },
    ]
}

fn class_of(days: Option<f64>, t: f64) -> usize {
    match days.map(|d| d / DAYS_PER_MONTH) {
        None => 4,
        Some(m) if m < t / 2.0 => 0,
        Some(m) if m < t => 1,
        Some(m) if m < 1.5 * t => 2,
        Some(_) => 3,
    }
}

/// The stock unit of the space's levers.
fn stock_unit(space: &DesignSpace) -> &'static str {
    match space.stock_form {
        breakout_app::design::StockForm::Uf6 => "kg UF6",
        breakout_app::design::StockForm::U => "kg U",
    }
}

fn chart(res: &DesignResult) -> String {
    let t = res.min_months;
    let dots: Vec<DesignDot> = res
        .points
        .iter()
        .map(|p| {
            let judged = judged_days(
                res,
                (p.permitted_first_sq_days, p.first_sq_days),
                p.at_percentile.as_ref(),
            );
            DesignDot {
                capacity: p.permitted_capacity_swu_per_yr,
                stock: p.levers.stock_cap_kg,
                class: class_of(judged, t),
                frontier: res.frontier.iter().any(|f| f.levers == p.levers),
                tip: format!("{}: {} months", p.levers.describe(), months(judged)),
            }
        })
        .collect();
    let floor = match &res.monte_carlo {
        Some(mc) => format!("floor at P{}", num(mc.percentile)),
        None => "central floor".into(),
    };
    svg::design_chart(
        &format!(
            "Candidates evaluated: stock cap against capacity allowed, coloured by {floor} (target {} months)",
            num(t)
        ),
        &dots,
        &classes(t),
        &format!("the {}-month frontier (ringed, joined)", num(t)),
        (
            "separative capacity allowed to enrich, kg-SWU/yr",
            &format!("stock cap, {}", stock_unit(&res.design_space)),
        ),
    )
}

/// The design space's levers: values and sources.
fn space_table(s: &DesignSpace) -> Tab {
    let list = |v: Vec<String>| v.join(", ");
    let mut rows = vec![
        vec![
            "enrichment cap, wt-% U-235".into(),
            list(
                s.caps_wt_pct
                    .iter()
                    .map(|&c| if c <= 0.0 { "0 (none)".into() } else { num(c) })
                    .collect(),
            ),
            s.caps_source.clone(),
        ],
        vec![
            format!("enriched-stock cap, {}", stock_unit(s)),
            list(s.stock_caps_kg.iter().map(|&v| num(v)).collect()),
            s.stock_source.clone(),
        ],
    ];
    for m in &s.machines {
        rows.push(vec![
            format!("{} enriching at {}", m.machine, m.site),
            list(m.values.iter().map(|&v| num(f64::from(v))).collect()),
            m.source.clone(),
        ]);
    }
    rows.push(vec![
        "the other machines".into(),
        list(s.fates.iter().map(|f| f.name().to_string()).collect()),
        s.fates_source.clone(),
    ]);
    rows.push(vec![
        "term, years (not searched)".into(),
        s.sunset_years.to_string(),
        s.sunset_source.clone(),
    ]);
    (
        format!("The design space: {} ({})", s.name, s.id),
        vec!["lever".into(), "values".into(), "source".into()],
        rows,
    )
}

/// The levers of a reference deal as table rows.
fn lever_rows(l: &Levers, unit: &str) -> Vec<Vec<String>> {
    let mut rows = vec![
        vec![
            "enrichment cap".into(),
            format!("{} wt-%", num(l.enrichment_cap_wt_pct)),
        ],
        vec![
            "stock cap".into(),
            format!("{} {unit}", num(l.stock_cap_kg)),
        ],
    ];
    for m in &l.machines {
        rows.push(vec![
            format!("{} enriching at {}", m.machine, m.site),
            num(f64::from(m.max_enriching)),
        ]);
    }
    rows.push(vec!["the other machines".into(), l.excess.name().into()]);
    rows
}

/// A document block: a heading, then paragraphs, a table, the chart, a code block.
#[derive(Default)]
struct Block {
    title: String,
    text: Vec<String>,
    table: Option<(Vec<String>, Vec<Vec<String>>)>,
    chart: bool,
    code: Option<String>,
}

/// The `deal floor` flags that reproduce a point's floors.
fn floor_flags(res: &DesignResult, a: &DesignArgs) -> String {
    // A design screens with `breakout::SCREENING`, not the headline `deal floor` defaults to.
    let mut f = format!(" --model {}", breakout::SCREENING.id());
    if let Some(mc) = &res.monte_carlo {
        let _ = write!(
            f,
            " --percentile {} --samples {} --seed {}",
            num(mc.percentile),
            mc.samples,
            mc.seed
        );
    }
    if a.goal != breakout_app::commands::run::GoalArg::Sq {
        f.push_str(" --goal wgu");
    }
    if let Some(r) = a.reinstall_cascades_per_month {
        let _ = write!(f, " --reinstall-cascades-per-month {}", num(r));
    }
    f
}

fn blocks(a: &DesignArgs, res: &DesignResult, doc: &Document) -> Vec<Block> {
    let space = &res.design_space;
    let unit = stock_unit(space);
    let mut out = Vec::new();
    out.push(Block {
        title: "What was asked".into(),
        table: Some((
            vec!["input".into(), "value".into()],
            doc.input_rows()
                .map(|(l, v)| vec![l.to_string(), v.to_string()])
                .collect(),
        )),
        ..Block::default()
    });
    let (title, header, rows) = space_table(space);
    out.push(Block {
        title,
        text: vec![space.summary.clone(), format!("Source: {}", space.source)],
        table: Some((header, rows)),
        ..Block::default()
    });
    out.push(Block {
        title: "The search".into(),
        text: vec![
            "Less restrictive = a higher enrichment cap, more enriched stock, more machines allowed to enrich, or the rest stored rather than destroyed. The frontier holds every candidate that meets the target and has no less restrictive candidate in the space that also meets it.".into(),
        ],
        table: Some((
            vec!["count".into(), "value".into()],
            doc.result_rows()
                .map(|(l, v)| vec![l.to_string(), v.to_string()])
                .collect(),
        )),
        ..Block::default()
    });
    out.push(Block {
        title: "The frontier chart".into(),
        text: vec![format!(
            "Every candidate the search evaluated ({} of {}), at the separative capacity its limits allow to enrich and its stock cap, coloured by its floor {}{}; the target is {} months (green at or above it). Ringed and joined: the frontier. Under a 0 wt-% cap the capacity is 0 and the stock cap has no effect.",
            res.evaluated,
            res.grid_size,
            res.monte_carlo
                .as_ref()
                .map_or_else(|| "(central value)".to_string(), |mc| format!("at P{}", num(mc.percentile))),
            if res.if_broken {
                ", the shorter of “deal holds” and “if broken”"
            } else {
                " while the deal holds"
            },
            num(res.min_months)
        )],
        chart: true,
        ..Block::default()
    });
    if let Some(t) = doc.tables().first() {
        out.push(Block {
            title: format!("The frontier ({} deals)", res.frontier.len()),
            text: vec![format!(
                "{}. If broken: that day, the stored machines reinstalled. Stock in {unit}; “none”: no enrichment, the other levers then have no effect (—).",
                t.title()
            )],
            table: Some((t.header().to_vec(), t.rows().to_vec())),
            ..Block::default()
        });
    }
    out.push(jcpoa_block(res, unit));
    let example = res
        .jcpoa
        .as_ref()
        .and_then(|j| j.within_frontier_point)
        .or_else(|| (!res.frontier.is_empty()).then_some(0));
    let flags = floor_flags(res, a);
    let mut reproduce = Block {
        title: "Reproducing a point".into(),
        text: vec![format!(
            "Every frontier point is a deal file (`results.frontier[i].deal_toml` in `breakout deal design --json`); saved as FILE, `breakout deal floor FILE{flags}` gives the same floors{}.",
            if a.base_state.is_some() {
                ""
            } else {
                " (the deal file names its base state)"
            }
        )],
        ..Block::default()
    };
    if let Some(i) = example {
        let p = &res.frontier[i];
        reproduce.text.push(format!(
            "For example the frontier point {} (holds {} months, if broken {}):",
            p.levers.describe(),
            months(p.permitted_first_sq_days),
            months(p.first_sq_days)
        ));
        reproduce.code = Some(p.deal_toml.clone());
    }
    out.push(reproduce);
    let mut notes: Vec<String> = vec![
        "The floors come from the fixed-cascade heuristic (the model named under “What was asked”), not the headline optimum: a design evaluates a thousand floors or more, too many for the optimum's linear programs. On the deal's first day the machines a deal allows are piped as fixed cascades and batch-recycle the permitted stock to the goal; it is not the operator's best schedule: on the 23 published cases of docs/validation.md it is a median 12 % slower than the optimum, from 8 % faster to 83 % slower. `deal floor FILE` without `--model` gives the optimum's floor.".into(),
        format!(
            "The search prunes with approximate monotonicity (more capacity or stock is never slower). Batch recycling moves in whole passes, so one more step of stock or machines can occasionally make breakout slower; therefore every frontier point and its one-step relaxations were evaluated directly, and a relaxation that still met the target replaced the point ({} such corrections here). The frontier's defining property holds by direct evaluation; candidates the search skipped were not evaluated ({} of {} were).",
            res.monotonicity_exceptions, res.evaluated, res.grid_size
        ),
    ];
    if let Some(mc) = &res.monte_carlo {
        notes.push(format!(
            "The target applies to the {}th percentile of {} Monte Carlo draws per candidate (seed {}): at least {} % of the draws take the target or longer; the draws cover the permitted state's uncertain inputs only, not the model's own error.",
            num(mc.percentile),
            mc.samples,
            mc.seed,
            num(100.0 - mc.percentile)
        ));
    }
    out.push(Block {
        title: "Limitations".into(),
        text: notes,
        ..Block::default()
    });
    out
}

fn jcpoa_block(res: &DesignResult, unit: &str) -> Block {
    let (site, machine, count) = jcpoa::MACHINES;
    let mut b = Block {
        title: "The JCPOA's own limits".into(),
        ..Block::default()
    };
    let Some(j) = &res.jcpoa else {
        b.text.push(format!(
            "Not in this space: the JCPOA's limits ({} wt-%, {} kg UF6 or {} kg U, {} {machine} enriching at {site}, no other machine enriching, the rest stored) are not all values of its levers.",
            num(jcpoa::CAP_WT_PCT),
            num(jcpoa::STOCK_KG_UF6),
            num(jcpoa::STOCK_KG_U),
            num(f64::from(count))
        ));
        return b;
    };
    let mut rows = lever_rows(&j.point.levers, unit);
    rows.push(vec![
        "separative capacity allowed, kg-SWU/yr".into(),
        num(j.point.permitted_capacity_swu_per_yr.round()),
    ]);
    rows.push(vec![
        "months while the deal holds".into(),
        months(j.point.permitted_first_sq_days),
    ]);
    rows.push(vec![
        "months if broken".into(),
        months(j.point.first_sq_days),
    ]);
    if let (Some(p), Some(mc)) = (&j.point.at_percentile, &res.monte_carlo) {
        let l = format!("P{}", num(mc.percentile));
        rows.push(vec![
            format!("months while the deal holds, {l}"),
            months(p.permitted_first_sq_days),
        ]);
        rows.push(vec![
            format!("months if broken, {l}"),
            months(p.first_sq_days),
        ]);
    }
    rows.push(vec![
        "meets the target".into(),
        if j.point.meets_target { "yes" } else { "no" }.into(),
    ]);
    b.text.push(format!(
        "The JCPOA's limits as levers of this space ({}), applied to the base state and evaluated as a candidate.",
        j.point.levers.describe()
    ));
    let describe = |i: usize| {
        let f = &res.frontier[i];
        format!(
            "{} ({} months while the deal holds, {} if broken)",
            f.levers.describe(),
            months(f.permitted_first_sq_days),
            months(f.first_sq_days)
        )
    };
    let place = match (j.point.meets_target, j.within_frontier_point) {
        (true, Some(i)) if res.frontier[i].levers == j.point.levers => {
            "They lie on the frontier: relaxing any one lever a step misses the target.".to_string()
        }
        (true, Some(i)) => format!(
            "They lie inside the frontier: the frontier point {} is at least as permissive on every lever.",
            describe(i)
        ),
        (true, None) => {
            "They meet the target, but no frontier point is at least as permissive on every lever."
                .into()
        }
        (false, Some(i)) => format!(
            "They miss the target, although the frontier point {} is at least as permissive on every lever: the model is monotone only approximately (see Limitations).",
            describe(i)
        ),
        (false, None) => "They lie outside the frontier: they miss the target.".into(),
    };
    b.text.push(place);
    b.text.push("The JCPOA's 12-month design figure was for the 2015 programme (`breakout deal floor jcpoa-2015`); here its limits apply to this base state, whose stored machines, if the deal is broken, include those built since.".into());
    b.table = Some((vec!["".into(), "value".into()], rows));
    b
}

fn heading(res: &DesignResult, doc: &Document) -> (String, String) {
    (
        format!("Deal design: {}", doc.title()),
        format!(
            "Design space {}, base state {}; computed by breakout {}.",
            res.space,
            res.base_state,
            env!("CARGO_PKG_VERSION")
        ),
    )
}

/// Text between backticks (commands, JSON paths; Markdown's code spans) as HTML `<code>`.
fn code_spans(escaped: &str) -> String {
    escaped
        .split('`')
        .enumerate()
        .map(|(i, part)| {
            if i % 2 == 1 {
                format!("<code>{part}</code>")
            } else {
                part.to_string()
            }
        })
        .collect()
}

fn html(a: &DesignArgs, res: &DesignResult, doc: &Document) -> String {
    let (title, sub) = heading(res, doc);
    let mut out = String::new();
    let _ = write!(
        out,
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n<style>{CSS}.wide,figure.chart{{overflow-x:auto}}.wide th{{white-space:nowrap}}figure.chart svg{{min-width:600px}}pre{{background:#f6f8fa;padding:.5rem;overflow-x:auto;font-size:.8rem;white-space:pre-wrap}}@media print{{pre{{font-size:8pt}}.wide table{{font-size:9pt}}}}</style>\n</head>\n<body>\n<h1>{}</h1>\n<p class=\"sub\">{}</p>\n",
        escape(&title),
        escape(&title),
        escape(&sub)
    );
    for b in blocks(a, res, doc) {
        // The chart stays on one page with its heading and caption.
        if b.chart {
            out.push_str("<div class=\"keep\">\n");
        }
        let _ = writeln!(out, "<h2>{}</h2>", escape(&b.title));
        for p in &b.text {
            let _ = writeln!(out, "<p>{}</p>", code_spans(&escape(p)));
        }
        if b.chart {
            let _ = writeln!(
                out,
                "<figure class=\"chart\">{}</figure>\n</div>",
                chart(res)
            );
        }
        if let Some((header, rows)) = &b.table {
            out.push_str("<div class=\"wide\"><table>\n<thead><tr>");
            for h in header {
                let _ = write!(out, "<th>{}</th>", escape(h));
            }
            out.push_str("</tr></thead>\n<tbody>\n");
            for r in rows {
                out.push_str("<tr>");
                for (i, c) in r.iter().enumerate() {
                    let class = if header.get(i).is_some_and(|h| h == "source") {
                        " class=\"src\""
                    } else {
                        ""
                    };
                    let _ = write!(out, "<td{class}>{}</td>", escape(c));
                }
                out.push_str("</tr>\n");
            }
            out.push_str("</tbody></table></div>\n");
        }
        if let Some(code) = &b.code {
            let _ = writeln!(out, "<pre>{}</pre>", escape(code));
        }
    }
    let refs = references(None, None, &out);
    out.push_str("<h2>References</h2>\n<ol class=\"refs\">\n");
    for (tag, t) in &refs {
        let _ = writeln!(out, "<li>[{tag}] {}</li>", escape(t));
    }
    out.push_str("</ol>\n</body>\n</html>\n");
    out
}

fn markdown(a: &DesignArgs, res: &DesignResult, doc: &Document) -> String {
    let md = |s: &str| s.replace('|', "\\|").replace('\n', " ");
    let (title, sub) = heading(res, doc);
    let mut out = format!("# {}\n\n{}\n", md(&title), md(&sub));
    for b in blocks(a, res, doc) {
        let _ = write!(out, "\n## {}\n", md(&b.title));
        for p in &b.text {
            let _ = write!(out, "\n{}\n", md(p));
        }
        if b.chart {
            out.push_str("\n(The chart is in the HTML report: `--report FILE.html`.)\n");
        }
        if let Some((header, rows)) = &b.table {
            out.push('\n');
            let _ = writeln!(
                out,
                "| {} |",
                header.iter().map(|h| md(h)).collect::<Vec<_>>().join(" | ")
            );
            let _ = writeln!(out, "|{}", "---|".repeat(header.len()));
            for r in rows {
                let _ = writeln!(
                    out,
                    "| {} |",
                    r.iter().map(|c| md(c)).collect::<Vec<_>>().join(" | ")
                );
            }
        }
        if let Some(code) = &b.code {
            let _ = write!(out, "\n```toml\n{}\n```\n", code.trim_end());
        }
    }
    let refs = references(None, None, &out);
    out.push_str("\n## References\n\n");
    for (tag, t) in &refs {
        let _ = writeln!(out, "- [{tag}] {}", md(t));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_extension_chooses_the_format() {
        for (path, want) in [
            ("a.html", Some(Format::Html)),
            ("a.HTM", Some(Format::Html)),
            ("/nonexistent-dir/a.html", None),
            ("a.md", Some(Format::Md)),
            ("a.pdf", None),
            ("a", None),
        ] {
            assert_eq!(format_of(Path::new(path)).ok(), want, "{path}");
        }
    }

    #[test]
    fn backticks_become_code() {
        for (text, html) in [
            (
                "run `deal floor FILE` now",
                "run <code>deal floor FILE</code> now",
            ),
            ("`a` and `b`", "<code>a</code> and <code>b</code>"),
            ("no code", "no code"),
        ] {
            assert_eq!(code_spans(text), html);
        }
    }

    #[test]
    fn floors_fall_in_the_classes_around_the_target() {
        let m = |x: f64| Some(x * DAYS_PER_MONTH);
        for (days, class) in [
            (m(5.9), 0),
            (m(6.0), 1),
            (m(11.99), 1),
            (m(12.0), 2),
            (m(17.9), 2),
            (m(18.0), 3),
            (None, 4),
        ] {
            assert_eq!(class_of(days, 12.0), class, "{days:?}");
        }
    }
}
