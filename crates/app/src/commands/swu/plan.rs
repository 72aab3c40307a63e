//! `swu plan`: the least-SWU plan drawing on several stocks, with fixed, floating or
//! cost-optimum tails.

use super::*;
use crate::document::{Document, Table, num};
use crate::error::AppError;
use enrich::{Assay, Plan, Stock};
use serde_json::{Value, json};

pub(super) fn plan(a: PlanArgs) -> Result<Document, AppError> {
    let mut r = Document::new(
        "swu plan",
        "Least-SWU plan from several stocks (ideal cascade, each stock fed at its matching assay)",
    );
    r.input("product_kg_u", "Product", a.product_kg_u, "kg U", false);
    let xp = assay_input(&mut r, "product_wt_pct", "Product assay", a.product_wt_pct)?;
    let mut stocks = Vec::new();
    for &super::super::StockSpec {
        kg_u: kg,
        wt_pct: pct,
    } in &a.stocks
    {
        let assay = Assay::named_wt_pct("stock assay", pct)?;
        stocks.push(Stock {
            mass: mass("stock mass", kg)?,
            assay,
        });
    }
    let shown: Vec<String> = a
        .stocks
        .iter()
        .map(|s| format!("{} kg U @ {} wt-%", num(s.kg_u), num(s.wt_pct)))
        .collect();
    r.input_value(
        "stocks",
        "Stocks",
        json!(
            a.stocks
                .iter()
                .map(|s| json!({"kg_u": s.kg_u, "wt_pct": s.wt_pct}))
                .collect::<Vec<_>>()
        ),
        shown.join(", "),
    );
    let tails = tails_choice(&mut r, &a.tails)?;
    let plan = Plan::least_swu(mass("product mass", a.product_kg_u)?, xp, &stocks, tails)?;
    let binding = match plan.binding {
        enrich::plan::TailsBinding::Fixed => "fixed",
        enrich::plan::TailsBinding::StocksExhausted => "stocks exhausted",
        enrich::plan::TailsBinding::Ceiling => "at ceiling",
    };
    r.result(
        "separative_work_swu",
        "Separative work",
        plan.separative_work.kg_swu(),
        "kg-SWU",
    )
    .result(
        "tails_wt_pct",
        "Tails assay",
        plan.tails_assay.wt_pct(),
        "wt-% U-235",
    )
    .result_text("tails_binding", "Tails set by", binding)
    .result("feed_kg_u", "Feed drawn", plan.feed.kg(), "kg U")
    .result("product_kg_u", "Product", plan.product.kg(), "kg U")
    .result("tails_kg_u", "Tails", plan.tails.kg(), "kg U");
    let mut t = Table::new(
        "Draws",
        &[
            "stock",
            "wt-% U-235",
            "available kg U",
            "drawn kg U",
            "drawn %",
        ],
    );
    let mut draws = Vec::new();
    for (i, d) in plan.draws.iter().enumerate() {
        let frac = d.drawn.kg() / d.stock.mass.kg();
        t.row(vec![
            format!("{}", i + 1),
            num(d.stock.assay.wt_pct()),
            num(d.stock.mass.kg()),
            num(d.drawn.kg()),
            num(100.0 * frac),
        ]);
        draws.push(json!({
            "stock": i + 1, "wt_pct": d.stock.assay.wt_pct(), "available_kg_u": d.stock.mass.kg(),
            "kg_u": d.drawn.kg(), "fraction_drawn": frac,
        }));
    }
    r.result_json("draws", Value::Array(draws)).table(t);
    if plan.binding == enrich::plan::TailsBinding::StocksExhausted {
        r.note("every stock above the tails assay is drawn in full: with free tails, more feed always saves separative work");
    }
    Ok(r)
}
