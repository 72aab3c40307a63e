//! `breakout deal`: deals as data — list them, show their clauses and windows, check a state
//! against them, date their first exceedance. `deal list` and `deal show` have their typed
//! results here ([`DealListResult`] from [`list`], [`ShowResult`] from [`show_deal`]); `deal
//! check` and `deal history` have theirs in their modules.

pub mod check;
pub mod history;

use breakout::date::Date;
use breakout::deal::{ClauseKind, Deal, InForce, MachineScope, Sites, StockLimit};
use clap::{Args, Subcommand};
use serde::Serialize;
use serde_json::json;

use crate::Answer;
use crate::deals::{BUNDLED, load};
use crate::document::{Document, Table, num};
use crate::error::{AppError, Outcome};
use breakout::deal::compliance::Verdict;

/// `breakout deal ...`.
#[derive(Debug, Args, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DealArgs {
    /// Which deal subcommand.
    #[command(subcommand)]
    pub command: DealCommand,
}

/// A `breakout deal` subcommand, with its arguments.
#[derive(Debug, Subcommand, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub enum DealCommand {
    /// List the bundled deals.
    List,
    /// Check a facility state against every clause in force: complies, violates (by how much),
    /// or cannot be verified. Exit 1 if any clause is violated.
    Check {
        /// A bundled deal id (see `deal list`) or a deal file.
        deal: String,
        /// A bundled state id (see `breakout history`) or a state file.
        state: String,
        /// The day to check on, YYYY-MM-DD [default: the state's as-of date].
        #[arg(long, value_name = "YYYY-MM-DD")]
        date: Option<String>,
    },
    /// The breakout floor: the most favourable state the deal allows, breakout while it holds
    /// and if it is broken that day (reinstalling stored machines), and over the deal's life.
    Floor {
        /// A bundled deal id or a deal file.
        deal: String,
        /// The day, YYYY-MM-DD [default: the deal's start].
        #[arg(long, value_name = "YYYY-MM-DD")]
        date: Option<String>,
        /// Also compute one point per year of the deal's life (dated deals).
        #[arg(long, value_enum, default_value_t = super::floor::Series::Yearly)]
        #[serde(default)]
        series: super::floor::Series,
        /// Goal, reinstallation rate and weaponization.
        #[command(flatten)]
        #[serde(flatten)]
        options: super::floor::FloorOptions,
        /// The floor at a percentile of the Monte Carlo.
        #[command(flatten)]
        #[serde(flatten)]
        percentile: super::floor::PercentileOptions,
    },
    /// Deals side by side: breakout floor and breakout if broken, with "no deal" and the
    /// post-strike state for reference.
    Compare {
        /// Bundled deal ids or deal files [default: the four bundled deals].
        #[serde(default)]
        deals: Vec<String>,
        /// Goal, reinstallation rate and weaponization.
        #[command(flatten)]
        #[serde(flatten)]
        options: super::floor::FloorOptions,
    },
    /// Check every bundled state and the stockpile history: when each limit was first exceeded.
    History {
        /// A bundled deal id or a deal file.
        deal: String,
    },
    /// The least restrictive deals of a design space (enrichment cap, stock cap, machines per
    /// site and type, stored or destroyed) whose breakout floor meets a target: the Pareto
    /// frontier, each point as a deal file.
    Design(super::design::DesignArgs),
    /// Show a deal's clauses, their windows and which are in force on a date.
    Show {
        /// A bundled deal id (see `deal list`) or a deal file.
        deal: String,
        /// The day to evaluate windows on, YYYY-MM-DD [default: each clause's window only].
        #[arg(long, value_name = "YYYY-MM-DD")]
        date: Option<String>,
    },
}

/// Parses a `--date` flag.
pub(crate) fn parse_date(flag: &str, s: &str) -> Result<Date, AppError> {
    s.parse::<Date>()
        .map_err(|e| AppError::Input(format!("{flag}: {e}")))
}

fn sites_text(s: &Sites) -> String {
    match s {
        Sites::All => "all sites".into(),
        Sites::Only(ids) => ids.join(", "),
        Sites::AllExcept(ids) => format!("all sites except {}", ids.join(", ")),
    }
}

/// The clause's requirement in one line, with units.
pub(crate) fn limit_text(kind: &ClauseKind) -> String {
    match kind {
        ClauseKind::MaxEnrichment { max_wt_pct } => {
            format!("enrichment ≤ {} wt-% U-235", num(*max_wt_pct))
        }
        ClauseKind::StockpileCap {
            limit,
            above_wt_pct,
        } => {
            let cap = match limit {
                StockLimit::KgU(x) => format!("{} kg U", num(*x)),
                StockLimit::KgUf6(x) => format!("{} kg UF6 or equivalent", num(*x)),
            };
            format!("uranium above {} wt-% ≤ {cap}", num(*above_wt_pct))
        }
        ClauseKind::MachineCap {
            machine,
            sites,
            scope,
            max_machines,
            max_cascades,
        } => {
            let what = machine.as_deref().unwrap_or("machines of any type");
            let scope = match scope {
                MachineScope::Enriching => "enriching",
                MachineScope::Installed => "installed",
            };
            let mut caps = Vec::new();
            if let Some(m) = max_machines {
                caps.push(format!("≤ {m} machines"));
            }
            if let Some(c) = max_cascades {
                caps.push(format!("≤ {c} cascades"));
            }
            format!(
                "{what} {scope} at {}: {}",
                sites_text(sites),
                caps.join(", ")
            )
        }
        ClauseKind::EnrichmentMachineTypes { allowed } => {
            format!("enrichment only with {}", allowed.join(", "))
        }
        ClauseKind::NoEnrichmentAt { sites } => format!("no enrichment at {}", sites_text(sites)),
        ClauseKind::ResearchLimit {
            machine,
            max_machines,
        } => format!("R&D with ≤ {max_machines} {machine}"),
        ClauseKind::ManufacturingLimit {
            machine,
            max_per_year,
        } => format!("manufacture ≤ {max_per_year} {machine} per year"),
        ClauseKind::StoredEquipment {
            sites,
            max_installed_idle,
        } => {
            format!(
                "≤ {max_installed_idle} machines installed idle at {}; the rest stored",
                sites_text(sites)
            )
        }
        ClauseKind::ExcessDestroyed { sites } => format!(
            "no machines stored at {}: the excess is destroyed or removed from the country",
            sites_text(sites)
        ),
        ClauseKind::Text => "(text only)".into(),
    }
}

fn window_text(deal: &Deal, c: &breakout::deal::Clause) -> String {
    let (from, until) = deal.window(c);
    let end = |d: Option<Date>, r: &Option<breakout::deal::DateRef>, open: &str| match (d, r) {
        (Some(d), _) => d.to_string(),
        (None, Some(_)) => "unspecified".into(),
        (None, None) => open.into(),
    };
    format!(
        "{} → {}",
        end(from, &c.from, "start"),
        end(until, &c.until, "no end")
    )
}

fn in_force_text(f: InForce) -> &'static str {
    match f {
        InForce::Yes => "yes",
        InForce::No => "no",
        InForce::Assumed => "assumed (start unspecified)",
    }
}

/// One bundled deal: a row of `deal list`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DealSummary {
    /// The deal's id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Number of clauses.
    pub clauses: usize,
    /// What it is, in a few sentences.
    pub summary: String,
}

/// The `results` of `deal list`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DealListResult {
    /// The bundled deals, in the order of `data/deals/`.
    pub deals: Vec<DealSummary>,
}

/// The bundled deals: the typed result of `breakout deal list`.
///
/// # Errors
/// [`AppError::Input`] if a bundled deal does not load (a bug in the bundled data).
pub fn list() -> Result<DealListResult, AppError> {
    let deals = BUNDLED
        .iter()
        .map(|(id, _)| {
            let d = load(id)?;
            Ok(DealSummary {
                clauses: d.clauses.len(),
                id: d.id,
                name: d.name,
                summary: d.summary,
            })
        })
        .collect::<Result<_, AppError>>()?;
    Ok(DealListResult { deals })
}

fn list_document(res: &DealListResult) -> Document {
    let mut r = Document::new("deal list", "Bundled deals (data/deals/)");
    let mut t = Table::new("Deals", &["id", "clauses", "name"]);
    for d in &res.deals {
        t.row(vec![d.id.clone(), d.clauses.to_string(), d.name.clone()]);
    }
    r.result_json("deals", json!(res.deals)).table(t);
    r
}

/// A milestone of a deal (adoption, implementation, ...).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MilestoneResult {
    /// Its name.
    pub name: String,
    /// Its date, YYYY-MM-DD (`None`: unspecified).
    pub date: Option<String>,
    /// Where the date comes from.
    pub source: String,
}

/// A clause of a deal with its window.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClauseResult {
    /// The clause id.
    pub id: String,
    /// Where the clause is in the deal's text.
    pub reference: String,
    /// The clause in a sentence.
    pub summary: String,
    /// The clause's source.
    pub source: String,
    /// What the clause requires, in words with units.
    pub requires: String,
    /// Whether the clause has no number (shown, never checked).
    pub text_only: bool,
    /// First day of its window, YYYY-MM-DD (`None`: the deal's start, or unspecified).
    pub from: Option<String>,
    /// Day its window ends, YYYY-MM-DD (`None`: no end, or unspecified).
    pub until: Option<String>,
    /// Whether it is in force on the date asked for: `yes`, `no` or `assumed (start
    /// unspecified)` (`None`: no date asked for).
    pub in_force: Option<&'static str>,
}

/// The `results` of `deal show`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ShowResult {
    /// What the deal is, in a few sentences.
    pub summary: String,
    /// Where its text comes from.
    pub source: String,
    /// Its milestones, in the deal's order.
    pub milestones: Vec<MilestoneResult>,
    /// Its clauses, in the deal's order.
    pub clauses: Vec<ClauseResult>,
}

/// A deal shown on an optional date: the typed result and what its document also shows.
pub struct DealShow {
    /// The deal.
    pub deal: Deal,
    /// The day the windows are evaluated on (`None`: windows only).
    pub date: Option<Date>,
    /// The typed `results`.
    pub result: ShowResult,
}

/// The deal `deal_arg` (a bundled id or a deal file) with its clauses' windows and, given a
/// `date` (YYYY-MM-DD), which are in force that day: the typed result of `breakout deal show`.
///
/// # Errors
/// [`AppError::Input`] for a deal or date that does not load or parse.
pub fn show_deal(deal_arg: &str, date: Option<&str>) -> Result<DealShow, AppError> {
    let date = date.map(|d| parse_date("--date", d)).transpose()?;
    let deal = load(deal_arg)?;
    let day = |d: Option<Date>| d.map(|d| d.to_string());
    let clauses = deal
        .clauses
        .iter()
        .map(|c| {
            let (from, until) = deal.window(c);
            ClauseResult {
                id: c.id.clone(),
                reference: c.reference.clone(),
                summary: c.summary.clone(),
                source: c.source.clone(),
                requires: limit_text(&c.kind),
                text_only: matches!(c.kind, ClauseKind::Text),
                from: day(from),
                until: day(until),
                in_force: date.map(|d| in_force_text(deal.in_force(c, d))),
            }
        })
        .collect();
    let result = ShowResult {
        summary: deal.summary.clone(),
        source: deal.source.clone(),
        milestones: deal
            .milestones
            .iter()
            .map(|m| MilestoneResult {
                name: m.name.clone(),
                date: day(m.date),
                source: m.source.clone(),
            })
            .collect(),
        clauses,
    };
    Ok(DealShow { deal, date, result })
}

fn show_document(s: &DealShow) -> Document {
    let DealShow { deal, date, result } = s;
    let mut r = Document::new("deal show", deal.name.clone());
    r.input_value("deal", "Deal", json!(deal.id), deal.id.clone());
    if let Some(d) = date {
        r.input_value("date", "Evaluated on", json!(d.to_string()), d.to_string());
    }
    r.result_text("summary", "Summary", &result.summary)
        .result_text("source", "Source", &result.source);
    let mut ms = Table::new("Milestones", &["name", "date", "source"]);
    for m in &result.milestones {
        ms.row(vec![
            m.name.clone(),
            m.date.clone().unwrap_or_else(|| "unspecified".into()),
            m.source.clone(),
        ]);
    }
    let mut header = vec!["clause", "requires", "window", "reference"];
    if date.is_some() {
        header.insert(3, "in force");
    }
    let mut t = Table::new("Clauses", &header);
    for (c, row) in deal.clauses.iter().zip(&result.clauses) {
        let mut cells = vec![
            row.id.clone(),
            row.requires.clone(),
            window_text(deal, c),
            row.reference.clone(),
        ];
        if let Some(f) = row.in_force {
            cells.insert(3, f.into());
        }
        t.row(cells);
    }
    r.result_json("milestones", json!(result.milestones))
    .result_json("clauses", json!(result.clauses))
    .table(ms)
    .table(t)
    .note("windows include their first day and end the day before their last (a 15-year limit from 16 Jan 2016 ends on 16 Jan 2031)");
    r
}

/// Runs `breakout deal ...`.
pub fn run(args: DealArgs, progress: &dyn crate::Progress) -> Answer {
    let report = match args.command {
        DealCommand::List => list_document(&list()?),
        DealCommand::Check { deal, state, date } => {
            return check::check_state(&deal, &state, date.as_deref());
        }
        DealCommand::History { deal } => history::document(&history::deal_history(&deal)?),
        DealCommand::Floor {
            deal,
            date,
            series,
            options,
            percentile,
        } => {
            return super::floor::run_floor(&deal, date, series, &options, &percentile, progress);
        }
        DealCommand::Compare { deals, options } => {
            let deals = if deals.is_empty() {
                BUNDLED.iter().map(|(id, _)| id.to_string()).collect()
            } else {
                deals
            };
            return super::floor::run_compare(&deals, &options, progress);
        }
        DealCommand::Show { deal, date } => show_document(&show_deal(&deal, date.as_deref())?),
        DealCommand::Design(args) => return super::design::run(args, progress),
    };
    Ok((report, Outcome::Success))
}

/// A verdict's short name, as in the JSON `verdict` field.
fn verdict_name(v: &Verdict) -> &'static str {
    match v {
        Verdict::Complies { .. } => "complies",
        Verdict::Violates { .. } => "violates",
        Verdict::Unverifiable { .. } => "cannot be verified",
        Verdict::NotInForce => "not in force",
        Verdict::TextOnly => "text only",
    }
}

/// What was found, in the clause's unit.
fn found_text(v: &Verdict) -> String {
    match v {
        Verdict::Complies { value, limit, unit } => {
            format!("{} {unit} (limit {})", num(*value), num(*limit))
        }
        Verdict::Violates { value, limit, unit } => {
            format!(
                "{} {unit}: {} over the limit of {}",
                num(*value),
                num(value - limit),
                num(*limit)
            )
        }
        Verdict::Unverifiable { reason } => reason.clone(),
        Verdict::NotInForce | Verdict::TextOnly => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::progress::Silent;

    /// The `results` of the document `breakout deal ...` builds for `command`.
    fn results(command: DealCommand) -> serde_json::Value {
        let (doc, _) = run(DealArgs { command }, &Silent).unwrap();
        doc.to_json()["results"].clone()
    }

    /// The typed results of `deal list`, `deal show` (with and without a date) and `deal
    /// history` serialise to exactly the `results` of their documents, for every bundled deal.
    #[test]
    fn typed_results_are_the_json_results() {
        let all = list().unwrap();
        assert_eq!(all.deals.len(), BUNDLED.len());
        assert_eq!(
            serde_json::to_value(&all).unwrap(),
            results(DealCommand::List)
        );
        for (id, _) in BUNDLED {
            for date in [None, Some("2016-06-01"), Some("2031-01-16")] {
                let typed = show_deal(id, date).unwrap();
                assert_eq!(
                    typed.result.clauses.iter().all(|c| c.in_force.is_some()),
                    date.is_some(),
                    "{id} {date:?}"
                );
                let doc = results(DealCommand::Show {
                    deal: id.to_string(),
                    date: date.map(str::to_string),
                });
                assert_eq!(
                    serde_json::to_value(&typed.result).unwrap(),
                    doc,
                    "{id} {date:?}"
                );
            }
            let typed = history::deal_history(id).unwrap();
            let doc = results(DealCommand::History {
                deal: id.to_string(),
            });
            assert_eq!(serde_json::to_value(&typed.result).unwrap(), doc, "{id}");
        }
    }
}
