//! `breakout report [STATE|FILE] [-o FILE] [--format html|md]`: one breakout estimate as a
//! self-contained document for readers without the tool — the answer, the production curve, the
//! timeline, the Monte Carlo (with `--samples`), every assumption with its source, and the
//! published estimates for the state's date beside the model's number.
//!
//! The numbers are those of `breakout run ... --json`: this module calls the same
//! [`run::estimate`] and renders its typed [`run::RunResult`] (the notes are the run document's),
//! so the report can never disagree with the CLI. HTML is one file with inline
//! CSS and inline SVG charts ([`svg`]): no script, no network.

mod svg;

use std::fmt::Write as _;
use std::path::PathBuf;

use clap::{Args, ValueEnum};
use enrich::units::DAYS_PER_MONTH;
use serde_json::json;

use breakout_app::commands::run::{self, RunArgs, RunEstimate};
use breakout_app::document::num;
use breakout_app::states::DEFAULT_STATE;
use breakout_app::{AppError, Document, Outcome, Progress};
use svg::escape;

/// The document format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// One self-contained HTML file (inline CSS and SVG charts).
    Html,
    /// Markdown tables (no charts), for pasting into notes and issues.
    Md,
}

/// `breakout report`: every flag of `breakout run`, plus where and how to write the document.
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// The estimate: the same flags as `breakout run`.
    #[command(flatten)]
    run: RunArgs,
    /// Write the document to this file [default: stdout].
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    output: Option<PathBuf>,
    /// Document format.
    #[arg(long, value_enum, default_value_t = Format::Html)]
    format: Format,
}

/// A published breakout estimate for a state's date, for orientation beside the model.
struct Published {
    /// The `as_of` date of the bundled state it belongs to.
    as_of: &'static str,
    /// Who published it, and when.
    by: &'static str,
    /// The estimate as published (goal unit as the author used it).
    estimate: &'static str,
    /// Where it is published.
    source: &'static str,
}

/// From docs/validation.md ("Every bundled state") and the source index of
/// `iran-program.md` (the tags in brackets).
const PUBLISHED: &[Published] = &[
    Published {
        as_of: "2016-01-16",
        by: "US government, Apr 2015",
        estimate: "at least one year, for at least ten years (from 2–3 months before the deal)",
        source: "[S4] White House/State Department fact sheet 'Parameters for a Joint Comprehensive Plan of Action', 2 Apr 2015",
    },
    Published {
        as_of: "2016-01-16",
        by: "ISIS, May 2025, and US officials (WSJ, Feb 2022), on the 2015 deal as implemented",
        estimate: "over 12 months if only IR-1 cascades are reinstalled (ISIS); a \"roughly 12-month\" breakout period (US officials)",
        source: "[S14] Homeland Security Newswire, 6 May 2025, ISIS 'Iranian Breakout Timelines Under JCPOA-Type Limits'; Wall Street Journal, 3 Feb 2022, via Antiwar.com and Iran International",
    },
    Published {
        as_of: "2020-02-19",
        by: "ISIS (Albright & Burkhard), 21 Apr 2020",
        estimate: "3.8 months (range 3.1–4.6) to 25 kg of weapon-grade uranium",
        source: "[B1] ISIS, 'Iranian Breakout Estimates and Enriched Uranium Stocks', 21 Apr 2020",
    },
    Published {
        as_of: "2021-05-22",
        by: "ISIS, Jun 2021",
        estimate: "~70 days (~2.5 months); ~40 days without the Natanz outages",
        source: "[B4b] iranbriefing.net, 'Iran can enrich enough uranium for a nuclear bomb within 70 days' (ISIS, Jun 2021)",
    },
    Published {
        as_of: "2023-05-13",
        by: "ISIS, Jun 2023; US Under Secretary of Defense Kahl, Feb 2023",
        estimate: "about 12 days",
        source: "[B7] Homeland Security News Wire, 12 Jun 2023 (ISIS); [B13] CNN, 28 Feb 2023 (Kahl)",
    },
    Published {
        as_of: "2024-08-17",
        by: "US Secretary of State Blinken, Jul 2024",
        estimate: "one or two weeks",
        source: "[B15] Jewish Insider, Jul 2024 (Blinken at the Aspen Security Forum)",
    },
    Published {
        as_of: "2025-02-08",
        by: "ISIS, Feb 2025",
        estimate: "under 1 week to the first 25 kg WGU at Fordow alone; 174 kg WGU (7 units) in 3 weeks",
        source: "[B10] Mirage News, ISIS analysis of the IAEA report of Feb 2025",
    },
    Published {
        as_of: "2025-05-17",
        by: "ISIS, May/Jun 2025",
        estimate: "2–3 days to the first 25 kg WGU at Fordow alone; 233 kg WGU (9 units) in 3 weeks",
        source: "[B11] Mirage News, ISIS analysis of the IAEA report of 31 May 2025",
    },
    Published {
        as_of: "2025-06-22",
        by: "IAEA Director General Grossi, 28–29 Jun 2025",
        estimate: "\"a few cascades … spinning … in a matter of months, or less\"",
        source: "[B41] Saudi Gazette; JNS, 28–29 Jun 2025 (Grossi on CBS)",
    },
];

/// The dated state behind an estimate, if any (quick mode has none).
struct Dated {
    id: String,
    title: String,
    as_of: String,
}

/// Runs `breakout report`.
///
/// # Errors
/// Every error of `breakout run` for the same flags; [`AppError::Input`] if the output file
/// cannot be written.
pub fn run(a: ReportArgs, progress: &dyn Progress) -> breakout_app::Answer {
    let id = a
        .run
        .state
        .clone()
        .unwrap_or_else(|| DEFAULT_STATE.to_string());
    let est = run::estimate(a.run, progress)?;
    let dated = est.state.as_ref().map(|st| Dated {
        id,
        title: st.data.title.clone(),
        as_of: st.data.as_of.clone(),
    });
    // The notes are the run document's, word for word.
    let notes = run::document(&est).notes().to_vec();
    let text = match a.format {
        Format::Html => html(&est, &notes, dated.as_ref()),
        Format::Md => markdown(&est, dated.as_ref()),
    };
    let format = match a.format {
        Format::Html => "html",
        Format::Md => "md",
    };
    let Some(path) = a.output else {
        // No file: the document itself is the output. A report's human text is its title plus a
        // newline when it has no rows, so the document goes in the title; --json wraps it.
        let mut r = Document::new("report", text.trim_end());
        r.result_json("format", json!(format));
        r.result_json("document", json!(text));
        return Ok((r, Outcome::Success));
    };
    std::fs::write(&path, &text)
        .map_err(|e| AppError::Input(format!("cannot write {}: {e}", path.display())))?;
    let mut r = Document::new(
        "report",
        format!("Wrote {} ({} bytes, {format})", path.display(), text.len()),
    );
    r.input_value(
        "output",
        "Output file",
        json!(path.display().to_string()),
        path.display().to_string(),
    );
    r.result_json("format", json!(format));
    r.result_json("bytes", json!(text.len()));
    Ok((r, Outcome::Success))
}

/// Days with months, or "never".
fn days(d: Option<f64>) -> String {
    match d {
        Some(d) => format!("{} days ({} months)", num(d), num(d / DAYS_PER_MONTH)),
        None => "never".into(),
    }
}

/// A number that may be absent: empty when it is.
fn opt(x: Option<f64>) -> String {
    x.map_or_else(String::new, num)
}

/// "kg @ wt-%", empty when there is no such material.
fn kg_at(kg: Option<f64>, pct: Option<f64>) -> String {
    match kg {
        Some(kg) => format!("{} @ {}", num(kg), opt(pct)),
        None => String::new(),
    }
}

/// The tables of the document, shared by both formats: (title, header, rows).
type Tab = (String, Vec<String>, Vec<Vec<String>>);

fn tables(est: &RunEstimate, dated: Option<&Dated>) -> Vec<Tab> {
    let r = &est.result;
    let unit = r.sq_unit.as_str();
    let count = est.scenario.goal.count;
    let mut out: Vec<Tab> = Vec::new();
    let s = |x: &[&str]| x.iter().map(|h| h.to_string()).collect::<Vec<_>>();

    let mut answer = vec![
        vec!["Headline model".into(), r.headline_model.clone()],
        vec![
            format!("Time to the goal ({count} × {unit})"),
            days(r.goal_days),
        ],
        vec![format!("Time to the first {unit}"), days(r.first_sq_days)],
        vec![
            format!("Ideal lower bound, first {unit}"),
            days(r.ideal_first_sq_days),
        ],
        vec![
            "Capacity at day 0".into(),
            format!("{} kg-SWU/yr", num(r.capacity_swu_per_yr)),
        ],
        // The separative work is that of the whole goal, all `count` units.
        vec![
            format!("Separative work for {count} {unit}"),
            format!("{} kg-SWU", num(r.separative_work_swu)),
        ],
        vec![
            format!("{unit} the stocks give before natural uranium is the limit"),
            num(r.stock_limit_sq),
        ],
    ];
    if let Some(w) = &r.weapon {
        answer.push(vec!["Weaponization after the material".into(), w.clone()]);
    }
    out.push(("Answer".into(), s(&["quantity", "value"]), answer));

    let timeline = r
        .steps
        .iter()
        .map(|st| {
            let feeds: Vec<String> = st
                .feeds
                .iter()
                .map(|fd| kg_at(Some(fd.kg_u), Some(fd.wt_pct)))
                .collect();
            vec![
                num(st.start_days),
                opt(st.end_days),
                st.what.clone(),
                feeds.join(" + "),
                kg_at(st.product_kg_u, st.product_wt_pct),
                kg_at(st.tails_kg_u, st.tails_wt_pct),
                num(st.separative_work_swu),
                st.cascades.clone(),
            ]
        })
        .collect();
    out.push((
        "Timeline".into(),
        s(&[
            "from day",
            "to day",
            "step",
            "feed (kg U @ wt-%)",
            "product (kg U @ wt-%)",
            "tails (kg U @ wt-%)",
            "kg-SWU",
            "where / cascades",
        ]),
        timeline,
    ));

    let curve = r
        .production_curve
        .iter()
        .filter(|p| p.sq > 0.0)
        .map(|p| vec![num(p.sq), num(p.days), num(p.days / DAYS_PER_MONTH)])
        .collect();
    out.push((
        format!("Production curve ({unit} against days)"),
        vec![unit.to_string(), "days".into(), "months".into()],
        curve,
    ));

    if let Some(mc) = &r.monte_carlo {
        let rows = mc
            .percentiles
            .iter()
            .map(|p| vec![format!("P{}", num(p.percentile)), opt(p.days)])
            .collect();
        out.push((
            "Monte Carlo percentiles".into(),
            s(&["percentile", "days"]),
            rows,
        ));
        let rows = mc
            .tornado
            .iter()
            .map(|t| {
                vec![
                    t.label.clone(),
                    num(t.low_value),
                    opt(t.days_at_low),
                    num(t.high_value),
                    opt(t.days_at_high),
                ]
            })
            .collect();
        out.push((
            "Tornado: each input at its low and high value, the others central".into(),
            s(&[
                "input",
                "low value",
                "days at low",
                "high value",
                "days at high",
            ]),
            rows,
        ));
    }

    let published: Vec<Vec<String>> = dated
        .map(|d| {
            PUBLISHED
                .iter()
                .filter(|p| p.as_of == d.as_of)
                .map(|p| vec![p.by.into(), p.estimate.into(), p.source.into()])
                .collect()
        })
        .unwrap_or_default();
    out.push((
        "Validation context: published estimates for this state's date".into(),
        s(&["by", "published estimate", "source"]),
        published,
    ));

    // In key order, as the JSON map of `assumptions` lists them.
    let mut assumptions = est.assumptions();
    assumptions.sort_by(|a, b| a.key.cmp(&b.key));
    let rows = assumptions
        .into_iter()
        .map(|x| vec![x.label, num(x.value), x.unit, x.distribution, x.source])
        .collect();
    out.push((
        "Assumptions and sources (every numeric input)".into(),
        s(&[
            "input",
            "value",
            "unit",
            "distribution",
            "source / assumption",
        ]),
        rows,
    ));
    out
}

fn heading(est: &RunEstimate, dated: Option<&Dated>) -> (String, String) {
    let goal = est.scenario.goal;
    let title = match dated {
        Some(d) => format!("Breakout estimate: {} — {}", d.id, d.title),
        None => "Breakout estimate: quick mode (no dated state)".into(),
    };
    let sub = format!(
        "Model {}; goal {} × {} ({} kg U at {} wt-% U-235 each); state as of {}. Fissile material only: not the time to a weapon. Generated by breakout {} from the same JSON as `breakout run --json`.",
        est.model.id(),
        goal.count,
        goal.unit_name(),
        num(goal.unit_kg_u()),
        num(goal.product_assay.wt_pct()),
        dated.map_or("(none)", |d| d.as_of.as_str()),
        env!("CARGO_PKG_VERSION"),
    );
    (title, sub)
}

const CSS: &str = "body{font:15px/1.45 system-ui,sans-serif;color:#1b1f24;max-width:1100px;margin:1.5rem auto;padding:0 1rem}\
h1{font-size:1.35rem}h2{font-size:1.1rem;margin-top:1.6rem}.sub{color:#57606a}\
table{border-collapse:collapse;width:100%;margin:.4rem 0}th,td{border-bottom:1px solid #d0d7de;padding:.2rem .45rem;text-align:left;vertical-align:top}\
td.src{font-size:.85rem;color:#57606a}figure{margin:.6rem 0}figcaption{color:#57606a;font-size:.9rem}svg{max-width:100%;height:auto;font-family:system-ui,sans-serif}";

/// The HTML document.
fn html(est: &RunEstimate, notes: &[String], dated: Option<&Dated>) -> String {
    let r = &est.result;
    let unit = r.sq_unit.as_str();
    let (title, sub) = heading(est, dated);
    let mut out = String::new();
    let _ = write!(
        out,
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>{}</title>\n<style>{CSS}</style>\n</head>\n<body>\n<h1>{}</h1>\n<p class=\"sub\">{}</p>\n",
        escape(&title),
        escape(&title),
        escape(&sub)
    );
    let all = tables(est, dated);
    let mut charts: Vec<(&str, String)> = Vec::new();
    let points: Vec<(f64, f64)> = r.production_curve.iter().map(|p| (p.days, p.sq)).collect();
    charts.push((
        "Production curve",
        svg::line_chart(
            &format!("{unit} produced against days"),
            &points,
            "days from the decision",
            &format!("{unit} produced"),
        ),
    ));
    if let Some(mc) = &r.monte_carlo {
        let bins: Vec<(f64, f64, f64)> = mc
            .histogram
            .iter()
            .map(|b| (b.low_days, b.high_days, b.count as f64))
            .collect();
        let p = &mc.provenance;
        charts.push((
            "Monte Carlo percentiles",
            format!(
                "{}<figcaption>{} samples, seed {} ({}); mean {} days; {} samples never reach the goal.</figcaption>",
                svg::histogram(
                    "Monte Carlo histogram of days to the goal",
                    &bins,
                    "days to the goal",
                    "samples per bin"
                ),
                p.samples,
                p.seed,
                escape(&p.rng),
                opt(mc.mean_days),
                mc.samples_never
            ),
        ));
        let rows: Vec<(String, f64, f64)> = mc
            .tornado
            .iter()
            .filter_map(|t| Some((t.label.clone(), t.days_at_low?, t.days_at_high?)))
            .collect();
        if let Some(central) = r.goal_days {
            charts.push((
                "Tornado",
                svg::tornado(
                    "Tornado: days to the goal at each input's low and high value",
                    &rows,
                    central,
                    "days to the goal (dashed: central estimate)",
                ),
            ));
        }
    }
    for (t, header, rows) in &all {
        let _ = writeln!(out, "<h2>{}</h2>", escape(t));
        // Each chart goes above the table it illustrates.
        for (anchor, chart) in &charts {
            if t.starts_with(anchor) {
                let _ = writeln!(out, "<figure>{chart}</figure>");
            }
        }
        if rows.is_empty() {
            let _ = writeln!(
                out,
                "<p>{}</p>",
                if t.starts_with("Validation") {
                    "No published estimate is bundled for this date (see docs/validation.md)."
                } else {
                    "(none)"
                }
            );
            continue;
        }
        out.push_str("<table>\n<thead><tr>");
        for h in header {
            let _ = write!(out, "<th scope=\"col\">{}</th>", escape(h));
        }
        out.push_str("</tr></thead>\n<tbody>\n");
        for row in rows {
            out.push_str("<tr>");
            for (c, h) in row.iter().zip(header) {
                let long = c.chars().count() > 80 || h.contains("source") || h.starts_with("where");
                let _ = write!(
                    out,
                    "<td{}>{}</td>",
                    if long { " class=\"src\"" } else { "" },
                    escape(c)
                );
            }
            out.push_str("</tr>\n");
        }
        out.push_str("</tbody>\n</table>\n");
    }
    for n in notes {
        let _ = writeln!(out, "<p class=\"sub\">Note: {}</p>", escape(n));
    }
    out.push_str("</body>\n</html>\n");
    out
}

/// Markdown: the same tables, pipes escaped.
fn markdown(est: &RunEstimate, dated: Option<&Dated>) -> String {
    let md = |s: &str| s.replace('|', "\\|").replace('\n', " ");
    let (title, sub) = heading(est, dated);
    let mut out = format!("# {}\n\n{}\n", md(&title), md(&sub));
    for (t, header, rows) in tables(est, dated) {
        let _ = write!(out, "\n## {}\n\n", md(&t));
        if rows.is_empty() {
            out.push_str("(none)\n");
            continue;
        }
        let _ = writeln!(
            out,
            "| {} |",
            header.iter().map(|h| md(h)).collect::<Vec<_>>().join(" | ")
        );
        let _ = writeln!(out, "|{}", "---|".repeat(header.len()));
        for row in rows {
            let _ = writeln!(
                out,
                "| {} |",
                row.iter().map(|c| md(c)).collect::<Vec<_>>().join(" | ")
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use breakout_app::states;

    /// Every published row belongs to a bundled state's date, and every bundled Iran state
    /// has at least one.
    #[test]
    fn published_rows_match_bundled_dates() {
        let dates: Vec<String> = states::BUNDLED
            .iter()
            .map(|(id, _)| states::load(id).unwrap().data.as_of)
            .collect();
        for p in PUBLISHED {
            assert!(dates.iter().any(|d| d == p.as_of), "{}", p.as_of);
            assert!(p.source.starts_with('['), "{}", p.source);
        }
        for d in &dates {
            assert!(PUBLISHED.iter().any(|p| p.as_of == d), "no row for {d}");
        }
    }
}
