//! `deal history`: when each limit of a deal was first exceeded, over the bundled states and the
//! stockpile history. [`deal_history`] computes the typed [`DealHistoryResult`], which
//! serialises to exactly the `results` object of `breakout deal history --json`.

use super::*;
use crate::document::{Document, Table, num};
use crate::error::AppError;
use crate::histories::{STOCKPILE_CSV, stockpile_from_csv};
use crate::states;
use breakout::deal::compliance::{Facts, Verdict, check};
use breakout::deal::{ClauseKind, Deal};
use serde::Serialize;
use serde_json::json;

/// One dated set of facts for the history: a bundled state or a row of the stockpile history.
struct Dated {
    label: String,
    source: String,
    /// The stock figure is a lower bound ("more than").
    lower_bound: bool,
    facts: Facts,
}

/// A point of the timeline the deal is checked against.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TimelinePoint {
    /// Its date, YYYY-MM-DD.
    pub date: String,
    /// What it is: `state ID` or `stockpile report LABEL`.
    pub what: String,
}

/// When one numeric clause was first exceeded.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExceedanceResult {
    /// The clause id.
    pub clause: String,
    /// What the clause requires, in words with units.
    pub requires: String,
    /// Date of the first state or report that shows it exceeded, YYYY-MM-DD (`None`: never, in
    /// the data).
    pub first_exceeded: Option<String>,
    /// Which state or report that is.
    pub first_exceeded_in: Option<String>,
    /// Its source.
    pub first_exceeded_source: Option<String>,
    /// By how much, in the clause's unit.
    pub found: Option<String>,
    /// Date of the last state or report seen complying before that, YYYY-MM-DD.
    pub last_complying: Option<String>,
    /// Which state or report that is (not in the JSON: the timeline input names it by date).
    #[serde(skip)]
    pub last_complying_in: Option<String>,
}

/// The `results` of `deal history`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DealHistoryResult {
    /// Every clause with a number, in the deal's order.
    pub clauses: Vec<ExceedanceResult>,
}

/// A deal dated against the timeline: the typed result and what its document also shows.
pub struct DealHistory {
    /// The deal.
    pub deal: Deal,
    /// The bundled states and the stockpile reports, oldest first.
    pub timeline: Vec<TimelinePoint>,
    /// The typed `results`.
    pub result: DealHistoryResult,
}

/// When each limit of the deal `deal_arg` (a bundled id or a deal file) was first exceeded, over
/// the bundled states and the stockpile history: the typed result of `breakout deal history`.
///
/// # Errors
/// [`AppError::Input`] for a deal that does not load, or bundled data that does not (a bug).
pub fn deal_history(deal_arg: &str) -> Result<DealHistory, AppError> {
    let deal = load(deal_arg)?;
    let mut timeline = Vec::new();
    for (id, _) in states::BUNDLED {
        let st = states::load(id)?;
        timeline.push(Dated {
            label: format!("state {id}"),
            source: st.data.title.clone(),
            lower_bound: false,
            facts: states::facts(&st)?,
        });
    }
    for e in stockpile_from_csv(STOCKPILE_CSV, "data/histories/iran-stockpile.csv")? {
        timeline.push(Dated {
            label: format!("stockpile report {}", e.label),
            source: e.source,
            lower_bound: e.lower_bound,
            facts: e.facts,
        });
    }
    timeline.sort_by_key(|d| d.facts.date);
    let mut rows = Vec::new();
    for (i, c) in deal.clauses.iter().enumerate() {
        if matches!(c.kind, ClauseKind::Text) {
            continue;
        }
        let mut last_ok: Option<&Dated> = None;
        let mut first_bad: Option<(&Dated, Verdict)> = None;
        for d in &timeline {
            let f = check(&deal, &d.facts, d.facts.date).swap_remove(i);
            match f.verdict {
                Verdict::Complies { .. } if first_bad.is_none() => last_ok = Some(d),
                v @ Verdict::Violates { .. } => {
                    first_bad = Some((d, v));
                    break;
                }
                _ => {}
            }
        }
        let found = first_bad.as_ref().map(|(d, v)| match v {
            Verdict::Violates { limit, unit, .. } if d.lower_bound => {
                format!(
                    "more than {} {unit} (reported exceeded; no figure)",
                    num(*limit)
                )
            }
            _ => found_text(v),
        });
        let bad = first_bad.as_ref().map(|(d, _)| d);
        rows.push(ExceedanceResult {
            clause: c.id.clone(),
            requires: limit_text(&c.kind),
            first_exceeded: bad.map(|d| d.facts.date.to_string()),
            first_exceeded_in: bad.map(|d| d.label.clone()),
            first_exceeded_source: bad.map(|d| d.source.clone()),
            found,
            last_complying: last_ok.map(|d| d.facts.date.to_string()),
            last_complying_in: last_ok.map(|d| d.label.clone()),
        });
    }
    Ok(DealHistory {
        deal,
        timeline: timeline
            .iter()
            .map(|d| TimelinePoint {
                date: d.facts.date.to_string(),
                what: d.label.clone(),
            })
            .collect(),
        result: DealHistoryResult { clauses: rows },
    })
}

/// The document of a deal history: the timeline as an input, one table row per clause.
pub(super) fn document(h: &DealHistory) -> Document {
    let DealHistory {
        deal,
        timeline,
        result,
    } = h;
    let mut r = Document::new(
        "deal history",
        format!("{}: when each limit was first exceeded", deal.name),
    );
    r.input_value("deal", "Deal", json!(deal.id), deal.id.clone())
        .input_value(
            "timeline",
            "Checked against",
            json!(timeline),
            format!(
                "{} bundled states and {} stockpile reports, {} to {}",
                states::BUNDLED.len(),
                timeline.len() - states::BUNDLED.len(),
                timeline.first().map_or("", |d| d.date.as_str()),
                timeline.last().map_or("", |d| d.date.as_str())
            ),
        );
    let mut t = Table::new(
        "First exceedance of each limit",
        &[
            "clause",
            "requires",
            "first exceeded",
            "by",
            "last seen complying",
        ],
    );
    // "DATE (what)", the way people read a dated row of the timeline.
    let dated = |date: &Option<String>, what: &Option<String>| {
        date.as_ref()
            .zip(what.as_ref())
            .map(|(d, w)| format!("{d} ({w})"))
    };
    for c in &result.clauses {
        t.row(vec![
            c.clause.clone(),
            c.requires.clone(),
            dated(&c.first_exceeded, &c.first_exceeded_in)
                .unwrap_or_else(|| "never, in the data".into()),
            c.found.clone().unwrap_or_default(),
            dated(&c.last_complying, &c.last_complying_in).unwrap_or_else(|| "—".into()),
        ]);
    }
    r.result_json("clauses", json!(result.clauses)).table(t).note(
        "a limit is dated to the first report or state that shows it exceeded; the true date lies between that and the last one seen complying. Clauses a state cannot show (R&D, manufacturing) never appear exceeded",
    );
    r
}
