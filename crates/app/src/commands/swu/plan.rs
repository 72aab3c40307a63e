//! `swu plan`: the least-SWU plan drawing on several stocks, with fixed, floating or
//! cost-optimum tails.

use super::*;
use crate::document::{Document, Table, num};
use crate::error::AppError;
use enrich::plan::TailsBinding;
use enrich::{Assay, Plan, Stock};
use serde_json::json;

/// The `results` of `swu plan`: the least-SWU plan and what it draws from each stock.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlanResult {
    /// Separative work, kg-SWU.
    pub separative_work_swu: Swu,
    /// Tails assay, wt-% U-235.
    pub tails_wt_pct: f64,
    /// What sets the tails assay (in words).
    #[serde(serialize_with = "binding_words")]
    pub tails_binding: TailsBinding,
    /// Feed drawn from all stocks, kg U.
    pub feed_kg_u: f64,
    /// Product, kg U.
    pub product_kg_u: f64,
    /// Tails, kg U.
    pub tails_kg_u: f64,
    /// One draw per stock, in the order given.
    pub draws: Vec<Draw>,
}

/// What a plan draws from one stock.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Draw {
    /// The stock's place in the order given, from 1.
    pub stock: usize,
    /// Its assay, wt-% U-235.
    pub wt_pct: f64,
    /// Its mass, kg U.
    pub available_kg_u: f64,
    /// Mass drawn, kg U.
    pub kg_u: f64,
    /// Share of the stock drawn, 0–1.
    pub fraction_drawn: f64,
}

/// What sets the tails assay, as the document and its JSON say it.
fn binding_text(b: TailsBinding) -> &'static str {
    match b {
        TailsBinding::Fixed => "fixed",
        TailsBinding::StocksExhausted => "stocks exhausted",
        TailsBinding::Ceiling => "at ceiling",
    }
}

fn binding_words<S: serde::Serializer>(b: &TailsBinding, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(binding_text(*b))
}

/// The least-SWU plan for `product_kg` of assay `product` from `stocks`, each fed at its
/// matching point of an ideal cascade: the typed result of `breakout swu plan`.
///
/// # Errors
/// [`AppError::Input`] when the stocks cannot make the product or the tails bounds no plan meets.
pub fn plan(
    product_kg: KgU,
    product: Assay,
    stocks: &[Stock],
    tails: TailsChoice,
) -> Result<PlanResult, AppError> {
    let plan = Plan::least_swu(product_kg, product, stocks, tails)?;
    Ok(PlanResult {
        separative_work_swu: plan.separative_work,
        tails_wt_pct: plan.tails_assay.wt_pct(),
        tails_binding: plan.binding,
        feed_kg_u: plan.feed.kg(),
        product_kg_u: plan.product.kg(),
        tails_kg_u: plan.tails.kg(),
        draws: plan
            .draws
            .iter()
            .enumerate()
            .map(|(i, d)| Draw {
                stock: i + 1,
                wt_pct: d.stock.assay.wt_pct(),
                available_kg_u: d.stock.mass.kg(),
                kg_u: d.drawn.kg(),
                fraction_drawn: d.drawn.kg() / d.stock.mass.kg(),
            })
            .collect(),
    })
}

/// `breakout swu plan`: the flags resolved (and shown as inputs), the document of [`plan()`].
pub(super) fn plan_document(a: PlanArgs) -> Result<Document, AppError> {
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
    let res = plan(mass("product mass", a.product_kg_u)?, xp, &stocks, tails)?;
    r.result(
        "separative_work_swu",
        "Separative work",
        res.separative_work_swu.kg_swu(),
        "kg-SWU",
    )
    .result(
        "tails_wt_pct",
        "Tails assay",
        res.tails_wt_pct,
        "wt-% U-235",
    )
    .result_text(
        "tails_binding",
        "Tails set by",
        binding_text(res.tails_binding),
    )
    .result("feed_kg_u", "Feed drawn", res.feed_kg_u, "kg U")
    .result("product_kg_u", "Product", res.product_kg_u, "kg U")
    .result("tails_kg_u", "Tails", res.tails_kg_u, "kg U");
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
    for d in &res.draws {
        t.row(vec![
            d.stock.to_string(),
            num(d.wt_pct),
            num(d.available_kg_u),
            num(d.kg_u),
            num(100.0 * d.fraction_drawn),
        ]);
    }
    r.result_json("draws", json!(res.draws)).table(t);
    if res.tails_binding == TailsBinding::StocksExhausted {
        r.note("every stock above the tails assay is drawn in full: with free tails, more feed always saves separative work");
    }
    Ok(r)
}
