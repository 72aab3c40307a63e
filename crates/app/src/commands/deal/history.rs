//! `deal history`: when each limit of a deal was first exceeded, over the bundled states and the
//! stockpile history.

use super::*;
use crate::document::{Document, Table, num};
use crate::error::AppError;
use crate::histories::{STOCKPILE_CSV, stockpile_from_csv};
use crate::states;
use breakout::deal::compliance::{Facts, Verdict, check};
use breakout::deal::{ClauseKind, Deal};
use serde_json::{Value, json};

/// One dated set of facts for the history: a bundled state or a row of the stockpile history.
struct Dated {
    label: String,
    source: String,
    /// The stock figure is a lower bound ("more than").
    lower_bound: bool,
    facts: Facts,
}

pub(super) fn history(deal: &Deal) -> Result<Document, AppError> {
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
    let mut r = Document::new(
        "deal history",
        format!("{}: when each limit was first exceeded", deal.name),
    );
    r.input_value("deal", "Deal", json!(deal.id), deal.id.clone())
        .input_value(
            "timeline",
            "Checked against",
            json!(
                timeline
                    .iter()
                    .map(|d| json!({"date": d.facts.date.to_string(), "what": d.label}))
                    .collect::<Vec<_>>()
            ),
            format!(
                "{} bundled states and {} stockpile reports, {} to {}",
                states::BUNDLED.len(),
                timeline.len() - states::BUNDLED.len(),
                timeline
                    .first()
                    .map_or(String::new(), |d| d.facts.date.to_string()),
                timeline
                    .last()
                    .map_or(String::new(), |d| d.facts.date.to_string())
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
    let mut rows = Vec::new();
    for (i, c) in deal.clauses.iter().enumerate() {
        if matches!(c.kind, ClauseKind::Text) {
            continue;
        }
        let mut last_ok: Option<&Dated> = None;
        let mut first_bad: Option<(&Dated, Verdict)> = None;
        for d in &timeline {
            let f = check(deal, &d.facts, d.facts.date).swap_remove(i);
            match f.verdict {
                Verdict::Complies { .. } if first_bad.is_none() => last_ok = Some(d),
                v @ Verdict::Violates { .. } => {
                    first_bad = Some((d, v));
                    break;
                }
                _ => {}
            }
        }
        let when = first_bad
            .as_ref()
            .map(|(d, _)| format!("{} ({})", d.facts.date, d.label));
        let by = first_bad.as_ref().map(|(d, v)| match v {
            Verdict::Violates { limit, unit, .. } if d.lower_bound => {
                format!(
                    "more than {} {unit} (reported exceeded; no figure)",
                    num(*limit)
                )
            }
            _ => found_text(v),
        });
        t.row(vec![
            c.id.clone(),
            limit_text(&c.kind),
            when.clone().unwrap_or_else(|| "never, in the data".into()),
            by.clone().unwrap_or_default(),
            last_ok.map_or("—".into(), |d| format!("{} ({})", d.facts.date, d.label)),
        ]);
        rows.push(json!({
            "clause": c.id, "requires": limit_text(&c.kind),
            "first_exceeded": first_bad.as_ref().map(|(d, _)| d.facts.date.to_string()),
            "first_exceeded_in": first_bad.as_ref().map(|(d, _)| d.label.clone()),
            "first_exceeded_source": first_bad.as_ref().map(|(d, _)| d.source.clone()),
            "found": by,
            "last_complying": last_ok.map(|d| d.facts.date.to_string()),
        }));
    }
    r.result_json("clauses", Value::Array(rows)).table(t).note(
        "a limit is dated to the first report or state that shows it exceeded; the true date lies between that and the last one seen complying. Clauses a state cannot show (R&D, manufacturing) never appear exceeded",
    );
    Ok(r)
}
