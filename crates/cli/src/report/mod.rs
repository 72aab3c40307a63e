//! `breakout report [STATE|FILE] [-o FILE] [--format html|md]`: one breakout estimate as a
//! self-contained document for readers without the tool — the answer, the production curve, the
//! timeline, the Monte Carlo (with `--samples`), every assumption with its source, and the
//! published estimates for the state's date beside the model's number.
//!
//! The numbers are those of `breakout run ... --json`: this module runs that command and renders
//! its JSON document, so the report can never disagree with the CLI. HTML is one file with inline
//! CSS and inline SVG charts ([`svg`]): no script, no network.

mod svg;

use std::fmt::Write as _;
use std::path::PathBuf;

use clap::{Args, ValueEnum};
use serde_json::{Value, json};

use breakout_app::commands::run::RunArgs;
use breakout_app::document::num;
use breakout_app::states::{self, DEFAULT_STATE};
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
    let quick = a.run.capacity_swu_per_yr.is_some() || !a.run.machines.is_empty();
    let dated = if quick {
        None
    } else {
        let st = states::load(a.run.state.as_deref().unwrap_or(DEFAULT_STATE))?;
        Some(Dated {
            id: a
                .run
                .state
                .clone()
                .unwrap_or_else(|| DEFAULT_STATE.to_string()),
            title: st.data.title,
            as_of: st.data.as_of,
        })
    };
    let (estimate, _) = breakout_app::commands::run::run(a.run.clone(), progress)?;
    let doc = estimate.to_json();
    let text = match a.format {
        Format::Html => html(&doc, dated.as_ref()),
        Format::Md => markdown(&doc, dated.as_ref()),
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

fn f(v: &Value) -> Option<f64> {
    v.as_f64()
}

/// Days with months, or "never".
fn days(v: &Value) -> String {
    match f(v) {
        Some(d) => format!(
            "{} days ({} months)",
            num(d),
            num(d / enrich::units::DAYS_PER_MONTH)
        ),
        None => "never".into(),
    }
}

fn cell(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::Number(n) => n.as_f64().map_or_else(|| n.to_string(), num),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn kg_at(kg: &Value, pct: &Value) -> String {
    if kg.is_null() {
        String::new()
    } else {
        format!("{} @ {}", cell(kg), cell(pct))
    }
}

/// The tables of the document, shared by both formats: (title, header, rows).
type Tab = (String, Vec<String>, Vec<Vec<String>>);

fn tables(doc: &Value, dated: Option<&Dated>) -> Vec<Tab> {
    let r = &doc["results"];
    let unit = r["sq_unit"].as_str().unwrap_or("SQ");
    let mut out: Vec<Tab> = Vec::new();
    let s = |x: &[&str]| x.iter().map(|h| h.to_string()).collect::<Vec<_>>();

    let mut answer = vec![
        vec!["Headline model".into(), cell(&r["headline_model"])],
        vec![
            format!(
                "Time to the goal ({} × {unit})",
                cell(&doc["inputs"]["goal"]["count"])
            ),
            days(&r["goal_days"]),
        ],
        vec![
            format!("Time to the first {unit}"),
            days(&r["first_sq_days"]),
        ],
        vec![
            format!("Ideal lower bound, first {unit}"),
            days(&r["ideal_first_sq_days"]),
        ],
        vec![
            "Capacity at day 0".into(),
            format!("{} kg-SWU/yr", cell(&r["capacity_swu_per_yr"])),
        ],
        vec![
            format!("Separative work for 1 {unit}"),
            format!("{} kg-SWU", cell(&r["separative_work_swu"])),
        ],
        vec![
            format!("{unit} the stocks give before natural uranium is the limit"),
            cell(&r["stock_limit_sq"]),
        ],
    ];
    if let Some(w) = r["weapon"].as_str() {
        answer.push(vec!["Weaponization after the material".into(), w.into()]);
    }
    out.push(("Answer".into(), s(&["quantity", "value"]), answer));

    let timeline = r["steps"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|st| {
            let feeds: Vec<String> = st["feeds"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|fd| kg_at(&fd["kg_u"], &fd["wt_pct"]))
                .collect();
            vec![
                cell(&st["start_days"]),
                cell(&st["end_days"]),
                cell(&st["what"]),
                feeds.join(" + "),
                kg_at(&st["product_kg_u"], &st["product_wt_pct"]),
                kg_at(&st["tails_kg_u"], &st["tails_wt_pct"]),
                cell(&st["separative_work_swu"]),
                cell(&st["cascades"]),
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

    let curve = r["production_curve"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|p| f(&p["sq"]).is_some_and(|q| q > 0.0))
        .map(|p| {
            vec![
                cell(&p["sq"]),
                cell(&p["days"]),
                f(&p["days"]).map_or_else(String::new, |d| num(d / enrich::units::DAYS_PER_MONTH)),
            ]
        })
        .collect();
    out.push((
        format!("Production curve ({unit} against days)"),
        vec![unit.to_string(), "days".into(), "months".into()],
        curve,
    ));

    if let Some(ps) = r["percentiles"].as_array() {
        let rows = ps
            .iter()
            .map(|p| vec![format!("P{}", cell(&p["percentile"])), cell(&p["days"])])
            .collect();
        out.push((
            "Monte Carlo percentiles".into(),
            s(&["percentile", "days"]),
            rows,
        ));
        let label = |k: &str| {
            doc["inputs"]["assumptions"][k]["label"]
                .as_str()
                .unwrap_or(k)
                .to_string()
        };
        let rows = r["tornado"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|t| {
                vec![
                    label(t["input"].as_str().unwrap_or("")),
                    cell(&t["low_value"]),
                    cell(&t["days_at_low"]),
                    cell(&t["high_value"]),
                    cell(&t["days_at_high"]),
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

    let a = &doc["inputs"]["assumptions"];
    let rows = a
        .as_object()
        .into_iter()
        .flatten()
        .map(|(_, x)| {
            vec![
                cell(&x["label"]),
                cell(&x["value"]),
                cell(&x["unit"]),
                cell(&x["distribution"]),
                cell(&x["source"]),
            ]
        })
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

fn heading(doc: &Value, dated: Option<&Dated>) -> (String, String) {
    let i = &doc["inputs"];
    let title = match dated {
        Some(d) => format!("Breakout estimate: {} — {}", d.id, d.title),
        None => "Breakout estimate: quick mode (no dated state)".into(),
    };
    let sub = format!(
        "Model {}; goal {} × {} ({} kg U at {} wt-% U-235 each); state as of {}. Fissile material only: not the time to a weapon. Generated by breakout {} from the same JSON as `breakout run --json`.",
        cell(&i["model"]),
        cell(&i["goal"]["count"]),
        cell(&i["goal"]["unit"]),
        cell(&i["goal"]["unit_kg_u"]),
        cell(&i["goal"]["product_wt_pct"]),
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
fn html(doc: &Value, dated: Option<&Dated>) -> String {
    let r = &doc["results"];
    let unit = r["sq_unit"].as_str().unwrap_or("SQ");
    let (title, sub) = heading(doc, dated);
    let mut out = String::new();
    let _ = write!(
        out,
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>{}</title>\n<style>{CSS}</style>\n</head>\n<body>\n<h1>{}</h1>\n<p class=\"sub\">{}</p>\n",
        escape(&title),
        escape(&title),
        escape(&sub)
    );
    let all = tables(doc, dated);
    let mut charts: Vec<(&str, String)> = Vec::new();
    let points: Vec<(f64, f64)> = r["production_curve"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|p| Some((f(&p["days"])?, f(&p["sq"])?)))
        .collect();
    charts.push((
        "Production curve",
        svg::line_chart(
            &format!("{unit} produced against days"),
            &points,
            "days from the decision",
            &format!("{unit} produced"),
        ),
    ));
    if let Some(h) = r["histogram"].as_array() {
        let bins: Vec<(f64, f64, f64)> = h
            .iter()
            .filter_map(|b| Some((f(&b["low_days"])?, f(&b["high_days"])?, f(&b["count"])?)))
            .collect();
        let p = &r["provenance"];
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
                cell(&p["samples"]),
                cell(&p["seed"]),
                escape(&cell(&p["rng"])),
                cell(&r["mean_days"]),
                cell(&r["samples_never"])
            ),
        ));
        let label = |k: &str| {
            doc["inputs"]["assumptions"][k]["label"]
                .as_str()
                .unwrap_or(k)
                .to_string()
        };
        let rows: Vec<(String, f64, f64)> = r["tornado"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|t| {
                Some((
                    label(t["input"].as_str()?),
                    f(&t["days_at_low"])?,
                    f(&t["days_at_high"])?,
                ))
            })
            .collect();
        if let Some(central) = f(&r["goal_days"]) {
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
    if let Some(notes) = doc["notes"].as_array() {
        for n in notes {
            let _ = writeln!(out, "<p class=\"sub\">Note: {}</p>", escape(&cell(n)));
        }
    }
    out.push_str("</body>\n</html>\n");
    out
}

/// Markdown: the same tables, pipes escaped.
fn markdown(doc: &Value, dated: Option<&Dated>) -> String {
    let md = |s: &str| s.replace('|', "\\|").replace('\n', " ");
    let (title, sub) = heading(doc, dated);
    let mut out = format!("# {}\n\n{}\n", md(&title), md(&sub));
    for (t, header, rows) in tables(doc, dated) {
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
