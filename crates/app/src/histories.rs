//! Reading dated series (`data/histories/*.csv`) into compliance facts.
//!
//! The stockpile history gives a deal's stockpile and enrichment clauses more dates than the
//! facility states carry; see `data/histories/README.md` for the columns.

use breakout::date::{Date, DateError};
use breakout::deal::compliance::{Facts, StockHolding};
use enrich::{Assay, ChemicalForm, Composition, CompoundMass, KgU};
use serde::Deserialize;

use crate::error::AppError;

/// The bundled stockpile history.
pub const STOCKPILE_CSV: &str = include_str!("../../../data/histories/iran-stockpile.csv");

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Row {
    date: String,
    total_enriched_kg_u: Option<f64>,
    total_enriched_more_than_kg_uf6: Option<f64>,
    max_enrichment_wt_pct: f64,
    source: String,
}

/// One dated row of a history, as facts.
#[derive(Debug, Clone)]
pub struct Entry {
    /// The date as written (`2021-05` for a month).
    pub label: String,
    /// Where the figures come from.
    pub source: String,
    /// The mass is a lower bound: the report says only "more than".
    pub lower_bound: bool,
    /// Stocks (when the row has a mass) and the enrichment level; no machines.
    pub facts: Facts,
}

/// Parses `YYYY-MM-DD`, or `YYYY-MM` as the month's last day.
fn date(s: &str) -> Result<Date, DateError> {
    if s.len() == 7 {
        let first: Date = format!("{s}-01").parse()?;
        return Ok(first.plus(0, 1, -1));
    }
    s.parse()
}

/// Reads a stockpile history.
///
/// # Errors
/// [`AppError::Input`] naming the file, the line and the field for every malformed row.
pub fn stockpile_from_csv(text: &str, file: &str) -> Result<Vec<Entry>, AppError> {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let mut out = Vec::new();
    for record in reader.deserialize::<Row>() {
        let row = record.map_err(|e| {
            let line = e.position().map_or(0, |p| p.line());
            AppError::Input(format!("{file}:{line}: {e}"))
        })?;
        let line = out.len() + 2;
        let bad = |m: String| AppError::Input(format!("{file}:{line}: {m}"));
        let at = date(&row.date).map_err(|e| bad(format!("date: {e}")))?;
        let assay = Assay::named_wt_pct("max_enrichment_wt_pct", row.max_enrichment_wt_pct)
            .map_err(|e| bad(e.to_string()))?;
        let holding = |kg_u: f64| -> Result<StockHolding, AppError> {
            Ok(StockHolding {
                label: format!(
                    "total enriched uranium (up to {} %)",
                    row.max_enrichment_wt_pct
                ),
                site: None,
                assay,
                kg_u: KgU::new(kg_u).map_err(|e| bad(e.to_string()))?,
                form: ChemicalForm::Uf6,
            })
        };
        let stocks = match (row.total_enriched_kg_u, row.total_enriched_more_than_kg_uf6) {
            (Some(_), Some(_)) => {
                return Err(bad(
                    "give at most one of total_enriched_kg_u and total_enriched_more_than_kg_uf6"
                        .into(),
                ));
            }
            (Some(kg), None) => Some(vec![holding(kg)?]),
            (None, Some(uf6)) => {
                // "More than X kg UF6": the uranium in X kg of UF6 at the row's highest level,
                // nudged 1 ppm above it so that a cap of exactly X reads as exceeded.
                let u = CompoundMass::new(uf6, ChemicalForm::Uf6)
                    .map_err(|e| bad(e.to_string()))?
                    .uranium(&Composition::binary(assay));
                Some(vec![holding(u.kg() * (1.0 + 1e-6))?])
            }
            (None, None) => None,
        };
        out.push(Entry {
            lower_bound: row.total_enriched_more_than_kg_uf6.is_some(),
            label: row.date.clone(),
            source: row.source,
            facts: Facts {
                date: at,
                machines: None,
                stocks,
                manufacturing: None,
                research: None,
                enrichment_wt_pct: Some(row.max_enrichment_wt_pct),
            },
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_history_parses_in_date_order() {
        let rows = stockpile_from_csv(STOCKPILE_CSV, "data/histories/iran-stockpile.csv").unwrap();
        assert!(rows.len() >= 20);
        assert!(
            rows.windows(2).all(|w| w[0].facts.date <= w[1].facts.date),
            "rows out of date order"
        );
        assert!(rows.iter().all(|r| !r.source.trim().is_empty()));
        let may21 = rows.iter().find(|r| r.label == "2021-05").unwrap();
        assert_eq!(may21.facts.date.to_string(), "2021-05-31");
    }

    #[test]
    fn malformed_rows_name_line_and_field() {
        let head = "date,total_enriched_kg_u,total_enriched_more_than_kg_uf6,max_enrichment_wt_pct,source\n";
        for (row, needle) in [
            ("2020-02-30,1,,4.5,s\n", ":2: date"),
            ("2020-02-01,1,2,4.5,s\n", ":2: give at most one"),
            ("2020-02-01,x,,4.5,s\n", ":2"),
            ("2020-02-01,1,,140,s\n", "140"),
            ("2020-02-01,-1,,4.5,s\n", "-1"),
        ] {
            let e = stockpile_from_csv(&format!("{head}{row}"), "h.csv")
                .unwrap_err()
                .to_string();
            assert!(e.starts_with("h.csv") && e.contains(needle), "{row}: {e}");
        }
    }
}
