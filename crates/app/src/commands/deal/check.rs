//! `deal check`: every clause of a deal judged against a facility state on a day, as the typed
//! [`CheckResult`] and its document.

use breakout::date::Date;
use breakout::deal::compliance::{Finding, Verdict, check};
use breakout::deal::{Deal, InForce};
use serde::Serialize;
use serde_json::json;

use super::{found_text, in_force_text, limit_text, parse_date, verdict_name};
use crate::Answer;
use crate::deals::load;
use crate::document::{Document, Table};
use crate::error::{AppError, Outcome};
use crate::states::{self, State};

/// The `results` of `deal check`: how many clauses fall under each verdict, and every finding.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CheckResult {
    /// Clauses violated.
    #[serde(serialize_with = "count")]
    pub violations: usize,
    /// Clauses complied with.
    #[serde(serialize_with = "count")]
    pub complies: usize,
    /// Clauses the state cannot show (R&D, manufacturing, a figure it does not report).
    #[serde(serialize_with = "count")]
    pub unverifiable: usize,
    /// Clauses not in force on the day.
    #[serde(serialize_with = "count")]
    pub not_in_force: usize,
    /// Clauses without a number (shown, not checked).
    #[serde(serialize_with = "count")]
    pub text_only: usize,
    /// Every clause, in the deal's order.
    pub findings: Vec<FindingResult>,
}

/// The JSON has always carried the verdict counts as numbers like other results (`7.0`); a count
/// stays a `usize` in Rust and is written the same way so that the document does not change.
fn count<S: serde::Serializer>(n: &usize, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_f64(*n as f64)
}

/// One clause judged: what it requires, the verdict and what was found, in the clause's unit.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FindingResult {
    /// The clause id.
    pub clause: String,
    /// Where the clause is in the deal's text.
    pub reference: String,
    /// What the clause requires, in words.
    pub requires: String,
    /// `complies`, `violates`, `cannot be verified`, `not in force` or `text only`.
    pub verdict: &'static str,
    /// Whether the clause is in force that day (`assumed` when the deal's start is unspecified).
    pub in_force: &'static str,
    /// The state's figure (for a numeric verdict).
    pub value: Option<f64>,
    /// The clause's limit (for a numeric verdict).
    pub limit: Option<f64>,
    /// The unit of `value` and `limit`.
    pub unit: Option<&'static str>,
    /// How far over the limit (for a violation).
    pub excess: Option<f64>,
    /// Why the clause cannot be verified.
    pub reason: Option<String>,
    /// The clause's source.
    pub source: String,
}

impl FindingResult {
    fn new(deal: &Deal, f: &Finding) -> Self {
        let c = &deal.clauses[f.clause];
        let (value, limit, unit, excess) = match &f.verdict {
            Verdict::Complies { value, limit, unit } => {
                (Some(*value), Some(*limit), Some(*unit), None)
            }
            Verdict::Violates { value, limit, unit } => {
                (Some(*value), Some(*limit), Some(*unit), Some(value - limit))
            }
            _ => (None, None, None, None),
        };
        FindingResult {
            clause: c.id.clone(),
            reference: c.reference.clone(),
            requires: limit_text(&c.kind),
            verdict: verdict_name(&f.verdict),
            in_force: in_force_text(f.in_force),
            value,
            limit,
            unit,
            excess,
            reason: match &f.verdict {
                Verdict::Unverifiable { reason } => Some(reason.clone()),
                _ => None,
            },
            source: c.source.clone(),
        }
    }
}

/// A deal checked against a state: the typed result and what its document also shows.
pub struct DealCheck {
    /// The deal.
    pub deal: Deal,
    /// The state checked.
    pub state: State,
    /// The day checked on.
    pub date: Date,
    /// The engine's findings, in the deal's order.
    pub findings: Vec<Finding>,
    /// The typed `results`.
    pub result: CheckResult,
}

/// Checks the deal `deal_arg` against the state `state_arg` on `date` (the state's as-of date if
/// `None`): the typed result of `breakout deal check`.
///
/// # Errors
/// [`AppError::Input`] for a deal, state or date that does not load or parse.
pub fn check_deal(
    deal_arg: &str,
    state_arg: &str,
    date: Option<&str>,
) -> Result<DealCheck, AppError> {
    let deal = load(deal_arg)?;
    let state = states::load(state_arg)?;
    let facts = states::facts(&state)?;
    let date = match date {
        Some(d) => parse_date("--date", d)?,
        None => facts.date,
    };
    let findings = check(&deal, &facts, date);
    let count = |name: &str| {
        findings
            .iter()
            .filter(|f| verdict_name(&f.verdict) == name)
            .count()
    };
    let result = CheckResult {
        violations: count("violates"),
        complies: count("complies"),
        unverifiable: count("cannot be verified"),
        not_in_force: count("not in force"),
        text_only: count("text only"),
        findings: findings
            .iter()
            .map(|f| FindingResult::new(&deal, f))
            .collect(),
    };
    Ok(DealCheck {
        deal,
        state,
        date,
        findings,
        result,
    })
}

/// `breakout deal check`: the document of [`check_deal`]; a violation is a finding (exit 1).
pub(super) fn check_state(deal_arg: &str, state_arg: &str, date: Option<&str>) -> Answer {
    let DealCheck {
        deal,
        state,
        date,
        findings,
        result,
    } = check_deal(deal_arg, state_arg, date)?;
    let mut r = Document::new(
        "deal check",
        format!("{} — against {}", deal.name, state.data.title),
    );
    r.input_value("deal", "Deal", json!(deal.id), deal.id.clone())
        .input_value(
            "state",
            "State",
            json!(state.data.id),
            format!(
                "{} ({}, as of {})",
                state.data.id, state.file, state.data.as_of
            ),
        )
        .input_value(
            "date",
            "Checked on",
            json!(date.to_string()),
            date.to_string(),
        );
    r.result(
        "violations",
        "Clauses violated",
        result.violations as f64,
        "",
    )
    .result(
        "complies",
        "Clauses complied with",
        result.complies as f64,
        "",
    )
    .result(
        "unverifiable",
        "Clauses that cannot be verified from the state",
        result.unverifiable as f64,
        "",
    )
    .result(
        "not_in_force",
        "Clauses not in force that day",
        result.not_in_force as f64,
        "",
    )
    .result(
        "text_only",
        "Clauses without a number (shown, not checked)",
        result.text_only as f64,
        "",
    );
    let mut t = Table::new(
        "Findings (every clause, in the deal's order)",
        &["clause", "requires", "verdict", "found", "reference"],
    );
    for (f, row) in findings.iter().zip(&result.findings) {
        t.row(vec![
            row.clause.clone(),
            row.requires.clone(),
            row.verdict.into(),
            found_text(&f.verdict),
            row.reference.clone(),
        ]);
    }
    r.result_json("findings", json!(result.findings)).table(t);
    if findings.iter().any(|f| f.in_force == InForce::Assumed) {
        r.note("this deal's start date is unspecified: its clauses are taken to be in force on the day checked");
    }
    r.note("uncertain state figures are checked at their central value; cascades under construction are not counted as installed; the state files carry no R&D or manufacturing records, so those clauses cannot be verified from them");
    let outcome = if result.violations > 0 {
        Outcome::Finding
    } else {
        Outcome::Success
    };
    Ok((r, outcome))
}
