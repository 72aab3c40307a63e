//! `breakout deal`: deals as data — list them, show their clauses and windows.

pub mod check;
mod history;

use breakout::date::Date;
use breakout::deal::{ClauseKind, Deal, InForce, MachineScope, Sites, StockLimit};
use clap::{Args, Subcommand};
use serde_json::{Value, json};

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

fn show(deal: &Deal, date: Option<Date>) -> Document {
    let mut r = Document::new("deal show", deal.name.clone());
    r.input_value("deal", "Deal", json!(deal.id), deal.id.clone());
    if let Some(d) = date {
        r.input_value("date", "Evaluated on", json!(d.to_string()), d.to_string());
    }
    r.result_text("summary", "Summary", &deal.summary)
        .result_text("source", "Source", &deal.source);
    let mut ms = Table::new("Milestones", &["name", "date", "source"]);
    for m in &deal.milestones {
        ms.row(vec![
            m.name.clone(),
            m.date.map_or("unspecified".into(), |d| d.to_string()),
            m.source.clone(),
        ]);
    }
    let mut header = vec!["clause", "requires", "window", "reference"];
    if date.is_some() {
        header.insert(3, "in force");
    }
    let mut t = Table::new("Clauses", &header);
    let mut clauses = Vec::new();
    for c in &deal.clauses {
        let (from, until) = deal.window(c);
        let mut row = vec![
            c.id.clone(),
            limit_text(&c.kind),
            window_text(deal, c),
            c.reference.clone(),
        ];
        let in_force = date.map(|d| deal.in_force(c, d));
        if let Some(f) = in_force {
            row.insert(3, in_force_text(f).into());
        }
        t.row(row);
        clauses.push(json!({
            "id": c.id, "reference": c.reference, "summary": c.summary, "source": c.source,
            "requires": limit_text(&c.kind), "text_only": matches!(c.kind, ClauseKind::Text),
            "from": from.map(|d| d.to_string()), "until": until.map(|d| d.to_string()),
            "in_force": in_force.map(in_force_text),
        }));
    }
    r.result_json(
        "milestones",
        Value::Array(
            deal.milestones
                .iter()
                .map(|m| json!({"name": m.name, "date": m.date.map(|d| d.to_string()), "source": m.source}))
                .collect(),
        ),
    )
    .result_json("clauses", Value::Array(clauses))
    .table(ms)
    .table(t)
    .note("windows include their first day and end the day before their last (a 15-year limit from 16 Jan 2016 ends on 16 Jan 2031)");
    r
}

/// Runs `breakout deal ...`.
pub fn run(args: DealArgs) -> Answer {
    let report = match args.command {
        DealCommand::List => {
            let mut r = Document::new("deal list", "Bundled deals (data/deals/)");
            let mut t = Table::new("Deals", &["id", "clauses", "name"]);
            let mut list = Vec::new();
            for (id, _) in BUNDLED {
                let d = load(id)?;
                t.row(vec![
                    d.id.clone(),
                    d.clauses.len().to_string(),
                    d.name.clone(),
                ]);
                list.push(json!({"id": d.id, "name": d.name, "clauses": d.clauses.len(), "summary": d.summary}));
            }
            r.result_json("deals", Value::Array(list)).table(t);
            r
        }
        DealCommand::Check { deal, state, date } => {
            return check::check_state(&deal, &state, date.as_deref());
        }
        DealCommand::History { deal } => history::history(&load(&deal)?)?,
        DealCommand::Floor {
            deal,
            date,
            series,
            options,
        } => {
            return super::floor::run_floor(&deal, date, series, &options);
        }
        DealCommand::Compare { deals, options } => {
            let deals = if deals.is_empty() {
                BUNDLED.iter().map(|(id, _)| id.to_string()).collect()
            } else {
                deals
            };
            return super::floor::run_compare(&deals, &options);
        }
        DealCommand::Show { deal, date } => {
            let date = date.map(|d| parse_date("--date", &d)).transpose()?;
            show(&load(&deal)?, date)
        }
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
