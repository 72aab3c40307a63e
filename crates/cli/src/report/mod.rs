//! `breakout report [STATE|FILE] [-o FILE] [--format html|md]`: one breakout estimate as a
//! self-contained document for readers without the tool — the answer, the production curve, the
//! timeline, the Monte Carlo (with `--samples`), every assumption with its source, and the
//! published estimates for the state's date beside the model's number.
//!
//! The numbers are those of `breakout run ... --json`: this module calls the same
//! [`run::estimate`] and renders its typed [`run::RunResult`] (the notes are the run document's),
//! so the report can never disagree with the CLI. HTML is one file with inline
//! CSS and inline SVG charts ([`svg`]): no script, no network.

pub mod design;
mod svg;

use std::fmt::Write as _;
use std::path::PathBuf;

use clap::{Args, ValueEnum};
use enrich::units::DAYS_PER_MONTH;
use serde_json::json;

use breakout_app::commands::run::{self, RunArgs, RunEstimate};
use breakout_app::document::{duration, human, num};
use breakout_app::regimes::{self, Regime};
use breakout_app::states::DEFAULT_STATE;
use breakout_app::verification::{PathwayResult, VerificationResult};
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

/// What the report shows besides the estimate: the dated state and the verification regime.
struct Context<'a> {
    dated: Option<&'a Dated>,
    regime: Option<&'a Regime>,
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
    // The regime behind the verification section, for its measures and sources: the one asked
    // for with --regime (a bundled name or a file), else the bundled one the state names.
    let regime = match (&est.result.verification, &est.args.regime) {
        (None, _) => None,
        (Some(_), Some(asked)) => Some(regimes::load(asked)?),
        (Some(v), None) => Some(regimes::load_bundled(&v.regime)?),
    };
    let ctx = Context {
        dated: dated.as_ref(),
        regime: regime.as_ref(),
    };
    // The notes are the run document's, word for word.
    let notes = run::document(&est).notes().to_vec();
    let text = match a.format {
        Format::Html => html(&est, &notes, &ctx),
        Format::Md => markdown(&est, &ctx),
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
    d.map_or_else(|| "never".into(), duration)
}

/// A number that may be absent: empty when it is.
fn opt(x: Option<f64>) -> String {
    x.map_or_else(String::new, num)
}

/// The tables of the document, shared by both formats: (title, header, rows).
type Tab = (String, Vec<String>, Vec<Vec<String>>);

fn tables(est: &RunEstimate, ctx: &Context) -> Vec<Tab> {
    let dated = ctx.dated;
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
    ];
    if r.fastest_first_sq.is_some() {
        answer.push(vec![
            format!("Without set-up, first {unit}"),
            days(r.fastest_first_sq_days),
        ]);
    }
    answer.extend([
        vec![
            format!("Ideal lower bound, first {unit}"),
            days(r.ideal_first_sq_days),
        ],
        vec![
            "Capacity at day 0".into(),
            format!("{} kg-SWU/yr", human(r.capacity_swu_per_yr)),
        ],
        // The separative work is that of the whole goal, all `count` units.
        vec![
            format!("Separative work for {count} {unit}"),
            format!("{} kg-SWU", human(r.separative_work_swu)),
        ],
        vec![
            format!("{unit} the stocks give before natural uranium is the limit"),
            human(r.stock_limit_sq),
        ],
    ]);
    if count > 1 {
        // With one unit the goal is the first unit: one row, not two saying the same.
        answer.insert(
            2,
            vec![format!("Time to the first {unit}"), days(r.first_sq_days)],
        );
    }
    if let Some(w) = &r.weapon {
        answer.push(vec!["Weaponization after the material".into(), w.clone()]);
    }
    out.push(("Answer".into(), s(&["quantity", "value"]), answer));

    // The timeline by enrichment step, as `breakout run` prints it (every pass is in the JSON).
    let by_step = run::timeline_by_step(est);
    out.push((
        by_step.title().to_string(),
        by_step.header().to_vec(),
        by_step.rows().to_vec(),
    ));

    let curve = r
        .production_curve
        .iter()
        .filter(|p| p.sq > 0.0)
        .map(|p| vec![human(p.sq), human(p.days), human(p.days / DAYS_PER_MONTH)])
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

    if let Some(v) = &r.verification {
        out.extend(verification_tables(v, ctx.regime));
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
        .map(|x| {
            vec![
                run::assumption_label(&x.key, &x.label, &x.source),
                num(x.value),
                x.unit,
                x.distribution,
                x.source,
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

/// The title of the verification table, which its chart is anchored to.
const VERIFICATION: &str = "Would inspectors notice? Detection and warning time by pathway";

/// The pathway's name for readers.
fn pathway_name(id: &str) -> String {
    id.replace('-', " ")
}

/// Detection and warning time by pathway, and the regime's measures with their sources.
fn verification_tables(v: &VerificationResult, regime: Option<&Regime>) -> Vec<Tab> {
    let s = |x: &[&str]| x.iter().map(|h| h.to_string()).collect::<Vec<_>>();
    let spread = |p: &PathwayResult| match (p.detection_p5_days, p.detection_p95_days) {
        (Some(a), Some(b)) => format!("{}–{}", human(a), human(b)),
        _ => String::new(),
    };
    let warning = |d: Option<f64>| d.map_or_else(|| "never detected".into(), human);
    let rows = v
        .pathways
        .iter()
        .map(|p| {
            vec![
                v.regime.clone(),
                pathway_name(&p.pathway),
                p.detection_days.map_or_else(|| "never".into(), human),
                spread(p),
                human(p.p_detect_before_first_sq),
                human(p.p_detect_within_timeliness_goal),
                warning(p.warning_days),
                warning(p.warning_p5_days),
            ]
        })
        .collect();
    let mut out = vec![(
        VERIFICATION.to_string(),
        s(&[
            "regime",
            "pathway",
            "mean detection, days",
            "P5–P95, days",
            "P(detected before 1 SQ)",
            "P(detected within 1 month)",
            "warning, days (mean)",
            "warning in 19 of 20 cases, days",
        ]),
        rows,
    )];
    if let Some(g) = regime {
        let mut rows: Vec<Vec<String>> = g
            .measures
            .iter()
            .map(|m| {
                let [a, b, c] = m.probabilities;
                let basis = match &m.assumption {
                    Some(x) => format!("{} Assumption: {x}", m.source),
                    None => m.source.clone(),
                };
                vec![
                    m.name.clone(),
                    num(m.interval_days),
                    num(a),
                    num(b),
                    num(c),
                    basis,
                ]
            })
            .collect();
        let delay = [
            g.reporting_delay_source.clone(),
            g.reporting_delay_assumption
                .as_ref()
                .map(|x| format!("Assumption: {x}")),
        ]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
        rows.push(vec![
            "Reporting delay from detection to the Board (days, in every detection time)".into(),
            num(g.reporting_delay_days),
            String::new(),
            String::new(),
            String::new(),
            delay,
        ]);
        out.push((
            format!("Verification regime {}: {}", g.id, g.title),
            s(&[
                "measure",
                "every, days",
                "P per look: declared misuse",
                "P per look: stock diversion",
                "P per look: covert plant",
                "source / assumption",
            ]),
            rows,
        ));
    }
    out
}

fn heading(est: &RunEstimate, dated: Option<&Dated>) -> (String, String) {
    let goal = est.scenario.goal;
    let title = match dated {
        Some(d) => format!("Breakout estimate: {} — {}", d.id, d.title),
        None => "Breakout estimate: quick mode (no dated state)".into(),
    };
    let sub = format!(
        "Model {}; goal {} × {} ({} kg U at {} wt-% U-235 each); state as of {}. Fissile material only: not the time to a weapon. Generated by breakout {} from the same figures as breakout run --json (which carries them at full precision).",
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
td.src{font-size:.85rem;color:#57606a}figure{margin:.6rem 0}figcaption{color:#57606a;font-size:.9rem}svg{max-width:100%;height:auto;font-family:system-ui,sans-serif}\
ol.refs{font-size:.85rem;color:#1b1f24;padding-left:0;list-style:none}ol.refs li{margin:.15rem 0}\
@page{margin:14mm 12mm}\
@media print{body{font-size:10.5pt;max-width:none;margin:0;padding:0}h1,h2{break-after:avoid;page-break-after:avoid}\
figure,.keep{break-inside:avoid;page-break-inside:avoid}tr{break-inside:avoid;page-break-inside:avoid}thead{display:table-header-group}\
svg{max-height:9cm}a{color:inherit;text-decoration:none}}";

/// The HTML document.
fn html(est: &RunEstimate, notes: &[String], ctx: &Context) -> String {
    let r = &est.result;
    let unit = r.sq_unit.as_str();
    let (title, sub) = heading(est, ctx.dated);
    let mut out = String::new();
    let _ = write!(
        out,
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n<style>{CSS}</style>\n</head>\n<body>\n<h1>{}</h1>\n<p class=\"sub\">{}</p>\n",
        escape(&title),
        escape(&title),
        escape(&sub)
    );
    let all = tables(est, ctx);
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
    if let Some(v) = &r.verification {
        let rows: Vec<(String, Option<svg::Spread>)> = v
            .pathways
            .iter()
            .map(|p| {
                let spread = match (
                    p.detection_p5_days,
                    p.detection_p50_days,
                    p.detection_p95_days,
                    p.detection_days,
                ) {
                    (Some(p5_days), Some(p50_days), Some(p95_days), Some(mean_days)) => {
                        Some(svg::Spread {
                            p5_days,
                            p50_days,
                            p95_days,
                            mean_days,
                        })
                    }
                    _ => None,
                };
                (pathway_name(&p.pathway), spread)
            })
            .collect();
        charts.push((
            VERIFICATION,
            format!(
                "{}<figcaption>Time from the start of breakout until the IAEA Board knows, under the regime {} ({} days' reporting delay included): boxes from the 5th to the 95th percentile, tick at the median, diamond at the mean (the model gives these four numbers, not a density). Dashed: the breakout time to the first {unit} and the IAEA one-month timeliness goal ({} days).</figcaption>",
                svg::detection_chart(
                    "Detection days per pathway against the breakout time",
                    &rows,
                    v.breakout_days,
                    v.timeliness_goal_days,
                    "days from the start of breakout (log scale)",
                ),
                escape(&v.regime_title),
                num(v.reporting_delay_days),
                num(v.timeliness_goal_days)
            ),
        ));
    }
    for (t, header, rows) in &all {
        // Each chart goes above the table it illustrates, kept on one page with its heading.
        let mine: Vec<&String> = charts
            .iter()
            .filter(|(anchor, _)| t.starts_with(anchor))
            .map(|(_, c)| c)
            .collect();
        if mine.is_empty() {
            let _ = writeln!(out, "<h2>{}</h2>", escape(t));
        } else {
            let _ = writeln!(out, "<div class=\"keep\">\n<h2>{}</h2>", escape(t));
            for chart in mine {
                let _ = writeln!(out, "<figure>{chart}</figure>");
            }
            out.push_str("</div>\n");
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
                    // Data files quote flags in Markdown backticks: plain text here.
                    escape(&c.replace('`', ""))
                );
            }
            out.push_str("</tr>\n");
        }
        out.push_str("</tbody>\n</table>\n");
    }
    for n in notes.iter().filter(|n| for_readers(n)) {
        let _ = writeln!(
            out,
            "<p class=\"sub\">Note: {}</p>",
            escape(&n.replace('`', ""))
        );
    }
    let refs = references(
        est.state.as_ref().map(|st| &st.data.sources),
        ctx.regime,
        &out,
    );
    out.push_str("<h2>References</h2>\n<ol class=\"refs\">\n");
    for (tag, title) in &refs {
        let _ = writeln!(
            out,
            "<li id=\"ref-{}\">[{}] {}</li>",
            escape(tag),
            escape(tag),
            escape(title)
        );
    }
    out.push_str("</ol>\n</body>\n</html>\n");
    out
}

/// Markdown: the same tables, pipes escaped.
fn markdown(est: &RunEstimate, ctx: &Context) -> String {
    let md = |s: &str| s.replace('|', "\\|").replace('\n', " ");
    let (title, sub) = heading(est, ctx.dated);
    let mut out = format!("# {}\n\n{}\n", md(&title), md(&sub));
    for (t, header, rows) in tables(est, ctx) {
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
    let refs = references(
        est.state.as_ref().map(|st| &st.data.sources),
        ctx.regime,
        &out,
    );
    out.push_str("\n## References\n\n");
    for (tag, title) in &refs {
        let _ = writeln!(out, "- [{tag}] {}", md(title));
    }
    out
}

/// Whether a note is for readers of the report (not a note on the JSON's fields).
fn for_readers(note: &str) -> bool {
    !note.contains("results.")
}

/// Sources the tool's own text and its data files (`data/machines.toml`, `data/cascades/`) cite,
/// which have no `[sources]` table of their own: titles and addresses from the reference
/// report's list (iran-program.md §8), whose tags the state files also use.
const DATA_SOURCES: &[(&str, &str)] = &[
    (
        "B10",
        "ISIS, Feb 2025, https://miragenews.com/iaea-iran-report-analysis-feb-2025-findings-1418644",
    ),
    (
        "B11",
        "ISIS, May/Jun 2025, https://www.miragenews.com/iaea-iran-monitoring-report-analysis-1474638",
    ),
    (
        "B13",
        "Kahl, https://edition.cnn.com/2023/02/28/politics/kahl-iran-nuclear-deal/index.html",
    ),
    (
        "B14",
        "Milley, https://www.jpost.com/international/article-735286",
    ),
    (
        "B15",
        "Blinken, https://jewishinsider.com/2024/07/secretary-of-state-blinken-iran-is-1-2-weeks-away-from-producing-material-for-a-nuclear-weapon/",
    ),
    (
        "B1",
        "ISIS (Albright & Burkhard), 'Iranian Breakout Estimates and Enriched Uranium Stocks', 21 Apr 2020, https://isis-online.org/isis-reports/detail/iranian-breakout-estimates-and-enriched-uranium-stocks",
    ),
    (
        "B20",
        "Wood, Glaser & Kemp, 'The gas centrifuge and nuclear weapons proliferation', Physics Today 61(9):40 (2008), Box 3, http://physicstoday.org/journals/doc/PHTOAD-ft/vol_61/iss_9/captions/40_1box3.shtml",
    ),
    (
        "B21",
        "Glaser, 'Characteristics of the Gas Centrifuge for Uranium Enrichment and Their Relevance for Nuclear Weapon Proliferation (corrected)', Science & Global Security 16:1–25 (2008), https://vdocuments.site/characteristics-of-the-gas-centrifuge-for-uranium-aglaser2008aglasersgsvol16pdfgood.html",
    ),
    (
        "B23",
        "ISIS, 3 Mar 2010, http://isis-online.org/isis-reports/detail/supplement-to-irans-gas-centrifuge-program-taking-stock/",
    ),
    (
        "B24",
        "ISIS, 'Performance of the IR-1 Centrifuge at Natanz', 19 Oct 2011, https://isis-online.org/isis-reports/detail/test1",
    ),
    (
        "B2",
        "summary of [B1] (May 2018: 12–16 months), http://www.homelandsecuritynewswire.com/dr20200421-iran-s-nuclear-breakout-time-reduced-to-34-months",
    ),
    (
        "B31",
        "ISIS, 14 Jul 2022, https://isis-online.org/isis-reports/detail/the-ir-6-centrifuge-needs-further-development",
    ),
    (
        "B33",
        "ISIS survey (2 Dec 2021). [B33b] https://www.homelandsecuritynewswire.com/dr20230324-survey-of-iran-s-advanced-centrifuges-march-2023 – ISIS survey, Mar 2023, https://isis-online.org/isis-reports/detail/a-comprehensive-survey-of-irans-advanced-centrifuges/",
    ),
    (
        "B34",
        "ISIS 2013 'critical capability' (IR-2m 3–5× IR-1), https://fliphtml5.com/mrra/feyj/Institute_for_Science_and_International_Security/8/",
    ),
    (
        "B35",
        "Kamalvandi (IR-8 20 SWU; IR-1 1 SWU) (reprint), https://educationpingler.blogspot.com/2017/02/irans-ir-8-centrifuge-to-raise.html",
    ),
    (
        "B36",
        "Salehi (IR-6 10×, IR-9 50× IR-1), https://www.israele.net/19-dicembre-2019-3",
    ),
    (
        "B38",
        "ISIS, 3 Mar 2009 (tails choice), http://www.isisnucleariran.org/reports/detail/how-enriching-uranium-is-like-making-apple-cider/",
    ),
    (
        "B3",
        "ISIS breakout calculator, 3 Sep 2019, https://isis-online.org/isis-reports/detail/new-estimates-of-irans-breakout-capabilities-at-declared-sites-using-a-new/8",
    ),
    (
        "B40",
        "The Iran Project (1–3 months from 20%; 1–2 years to a deliverable weapon), http://iranprojectfcsny.org/q1/",
    ),
    (
        "B41",
        "Grossi, CBS, 28–29 Jun 2025, https://saudigazette.com.sa/article/653047",
    ),
    (
        "B44",
        "Cyclus re-simulation of JCPOA cascades (research notebook; not peer-reviewed), GitHub bam241/cyclus_jcpoa, readme.md (commit 7a449dd3)",
    ),
    (
        "B7",
        "ISIS, Jun 2023, https://www.homelandsecuritynewswire.com/dr20230612-iran-can-produce-enough-weapongrade-uranium-for-a-nuclear-weapon-in-12-days",
    ),
    (
        "B9",
        "ISIS, Aug 2024, https://miragenews.com/iaea-august-2024-iran-report-analysis-1312697",
    ),
    (
        "C1",
        "NSSPI 'Significant quantity' (IAEA table), http://nsspi.tamu.edu/nssep/reference/technical-safeguards-terminology/safeguards-approaches,-concepts,-and-measures/significant-quantity",
    ),
    (
        "C2",
        "IAEA Safeguards Glossary, 2001 Edition (International Nuclear Verification Series No. 3), https://docslib.org/doc/8581115/iaea-safeguards-glossary-2001-edition",
    ),
    (
        "C4",
        "isotopic abundances (0.72% U-235; 0.0055% U-234), https://ukrcee.org/archives/4219",
    ),
    (
        "C6",
        "SWU worked example, https://nfc.rizgarmella.com/ch02/worked-example-swu-calculation",
    ),
    (
        "D26",
        "AFP, Dec 2024 (4.7 → >34 kg/month), https://swedenherald.com/article/iaea-iran-expands-enrichment-of-uranium",
    ),
    (
        "D2",
        "AP, Feb 2025 (274.8; 8,294.4; Nov 2024 182.3; Aug 2024 164.7; 42 kg yardstick), https://toronto.citynews.ca/2025/02/26/iran-uranmium-production-us-tensions/",
    ),
    (
        "D31",
        "IAEA, 15 Mar 2021 FEP configuration, https://en.mehrnews.com/amp/171197",
    ),
    (
        "D35",
        "Jun 2024 Fordow IR-6, https://www.devdiscourse.com/article/headlines/2981932-iran-expands-uranium-enriching-centrifuges-at-key-sites",
    ),
    (
        "D3",
        "May 2025 (408.6; 9,247.6), https://evrimagaci.org/tpg/iran-dramatically-increases-near-weapons-grade-uranium-stockpile-352218",
    ),
    (
        "D40",
        "Feb 2021 (IR-2m cascade of 174; 'almost 4 times' IR-1; IR-6 '10 times'), https://www.lfi.org.uk/in-brief-iran-stepping-up-breaches-of-nuclear-accord-as-biden-races-to-salvage-deal/",
    ),
    (
        "D7",
        "Aug 2024 (164.7; 5,751.8; 8 IR-6 cascades at Fordow; 10 of 18 IR-2m), https://d33gy59ovltp76.cloudfront.net/news/iran-increases-uranium-stockpile-enriched-to-near-weapons-grade-levels",
    ),
    (
        "S14",
        "ISIS, 'Iranian Breakout Timelines Under JCPOA-Type Limits' (May 2025), https://www.miragenews.com/iranian-breakout-timelines-under-jcpoa-type-1455225",
    ),
    (
        "S2",
        "JCPOA main text paras A.4–A.6 (15-yr Natanz-only, 3.67%; Fordow 1,044 IR-1 in six cascades; IR-6/IR-8 manufacture without rotors from end of year 8), http://peterkhanzendran.blogspot.com/2015/07",
    ),
    (
        "S15",
        "Witkoff statements, 14–15 Apr 2025: https://www.wionews.com/world/does-us-want-to-dismantle-irans-nuclear-programme-or-cap-uranium-enrichment-read-details-8963178 ; https://www.brecorder.com/news/40357789/trump-envoy-says-iran-must-eliminate-enrichment-program ; https://san.com/cc/iran-must-end-uranium-enrichment-to-reach-nuclear-deal-us/",
    ),
    (
        "S4",
        "'Parameters for a JCPOA' (White House/State fact sheet, 2 Apr 2015); also https://www.homelandsecuritynewswire.com/dr20150403-p5-1-iran-agree-on-parameters-of-an-agreement-over-irans-nuclear-program and https://dusiznies.blogspot.com/...2015-05-19 (breakout '2 to 3 months' → 'at least one year, for a duration of at least ten years'), http://jamiedupree.blog.news965.com/2015/04/02/details-of-nuclear-understanding-with-iran/",
    ),
];

/// The source tags (`\[D3\]`, `\[B11\]`, or `[D35: title]`) in `text`, in order of first use.
fn tags_in(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for part in text.split('[').skip(1) {
        let tag: String = part
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        let next = part[tag.len()..].chars().next();
        if !tag.is_empty()
            && tag.chars().next().is_some_and(|c| c.is_ascii_uppercase())
            && tag.chars().any(|c| c.is_ascii_digit())
            && matches!(next, Some(']' | ':'))
            && !out.contains(&tag)
        {
            out.push(tag);
        }
    }
    out
}

/// The reference list: every source tag used in `text`, with its title from the state file's
/// `[sources]` (`own`), another bundled state's, the tool's own ([`DATA_SOURCES`]), or the
/// report's table of published estimates. Sorted by tag.
fn references(
    own: Option<&std::collections::BTreeMap<String, String>>,
    regime: Option<&Regime>,
    text: &str,
) -> Vec<(String, String)> {
    let mut known: std::collections::BTreeMap<String, String> = std::collections::BTreeMap::new();
    for (id, _) in breakout_app::states::BUNDLED {
        if let Ok(st) = breakout_app::states::load(id) {
            for (k, v) in st.data.sources {
                known.entry(k).or_insert(v);
            }
        }
    }
    // The estimated state's own titles win.
    for (k, v) in own.into_iter().flatten() {
        known.insert(k.clone(), v.clone());
    }
    // The verification regime's own tags (V…, G1, …) cite its `[sources]`.
    for (k, v) in regime.map(|g| &g.sources).into_iter().flatten() {
        known.entry(k.clone()).or_insert_with(|| v.clone());
    }
    for (k, v) in DATA_SOURCES {
        match known.get_mut(*k) {
            // A state's title, with the address the data list gives.
            Some(title) if !title.contains("http") => {
                if let Some(i) = v.find("http") {
                    title.push_str(", ");
                    title.push_str(&v[i..]);
                }
            }
            Some(_) => {}
            None => {
                known.insert((*k).to_string(), (*v).to_string());
            }
        }
    }
    for p in PUBLISHED {
        // "[B7] title; [B13] title": each tag's title is the text up to the next tag.
        for part in p.source.split('[').skip(1) {
            if let Some((tag, title)) = part.split_once(']') {
                let title = title.trim().trim_end_matches(';').trim();
                known
                    .entry(tag.to_string())
                    .or_insert_with(|| title.to_string());
            }
        }
    }
    let mut out: Vec<(String, String)> = tags_in(text)
        .into_iter()
        .map(|t| {
            let title = known.get(&t).cloned().unwrap_or_else(|| {
                "(title not bundled: see the reference report iran-program.md §8)".into()
            });
            (t, title)
        })
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
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
