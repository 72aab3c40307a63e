//! `swu balance`, `swu tails` and `swu yield`: the binary balance of one feed, and its
//! inverse problems (the tails for a feed, the product a feed can yield).

use super::*;
use crate::document::Document;
use crate::error::AppError;
use enrich::balance::{product_yield, tails_assay_for};
use enrich::{Balance, Given, ProductLimit, Swu};

pub(super) fn balance(a: BalanceArgs) -> Result<Document, AppError> {
    let mut r = Document::new(
        "swu",
        "Enrichment balance (ideal cascade, value function V(x) = (2x-1)ln(x/(1-x)))",
    );
    // clap enforces these rules on the command line; a request built from JSON is checked here.
    super::super::exactly_one(&[
        ("product_kg_u", a.product_kg_u.is_some()),
        ("feed_kg_u", a.feed_kg_u.is_some()),
        ("tails_kg_u", a.tails_kg_u.is_some()),
        ("swu", a.swu.is_some()),
    ])?;
    super::super::exactly_one(&[("product_wt_pct", a.product_wt_pct.is_some())])?;
    super::super::exactly_one(&[("tails_wt_pct", a.tails_wt_pct.is_some())])?;
    let xf = feed_assay(&mut r, a.feed_wt_pct)?;
    let xp = assay_input(
        &mut r,
        "product_wt_pct",
        "Product assay",
        a.product_wt_pct.unwrap_or_default(),
    )?;
    let xt = assay_input(
        &mut r,
        "tails_wt_pct",
        "Tails assay",
        a.tails_wt_pct.unwrap_or_default(),
    )?;
    let given = match (a.product_kg_u, a.feed_kg_u, a.tails_kg_u, a.swu) {
        (Some(p), ..) => {
            r.input("product_kg_u", "Product", p, "kg U", false);
            Given::Product(mass("product mass", p)?)
        }
        (_, Some(f), ..) => {
            r.input("feed_kg_u", "Feed", f, "kg U", false);
            Given::Feed(mass("feed mass", f)?)
        }
        (_, _, Some(t), _) => {
            r.input("tails_kg_u", "Tails", t, "kg U", false);
            Given::Tails(mass("tails mass", t)?)
        }
        (_, _, _, Some(s)) => {
            r.input("separative_work_swu", "Separative work", s, "kg-SWU", false);
            Given::Swu(Swu::new(s)?)
        }
        _ => {
            return Err(AppError::Usage(
                "give one of --product-kg-u, --feed-kg-u, --tails-kg-u, --swu".into(),
            ));
        }
    };
    let b = Balance::solve(xf, xp, xt, given)?;
    balance_results(&mut r, &b);
    Ok(r)
}

pub(super) fn tails(a: TailsArgs) -> Result<Document, AppError> {
    let mut r = Document::new("swu tails", "Tails assay from feed and product masses");
    let xf = feed_assay(&mut r, a.feed_wt_pct)?;
    let xp = assay_input(&mut r, "product_wt_pct", "Product assay", a.product_wt_pct)?;
    r.input("feed_kg_u", "Feed", a.feed_kg_u, "kg U", false)
        .input("product_kg_u", "Product", a.product_kg_u, "kg U", false);
    let (f, p) = (
        mass("feed mass", a.feed_kg_u)?,
        mass("product mass", a.product_kg_u)?,
    );
    let xt = tails_assay_for(f, xf, p, xp)?;
    let b = Balance::solve(xf, xp, xt, Given::Feed(f))?;
    balance_results(&mut r, &b);
    Ok(r)
}

pub(super) fn yield_(a: YieldArgs) -> Result<Document, AppError> {
    let mut r = Document::new(
        "swu yield",
        "Most product from an SWU budget and a feed stock",
    );
    let xf = feed_assay(&mut r, a.feed_wt_pct)?;
    let xp = assay_input(&mut r, "product_wt_pct", "Product assay", a.product_wt_pct)?;
    r.input(
        "swu_budget_swu",
        "Separative work available",
        a.swu,
        "kg-SWU",
        false,
    )
    .input(
        "feed_stock_kg_u",
        "Feed available",
        a.feed_kg_u,
        "kg U",
        false,
    );
    let tails = tails_choice(&mut r, &a.tails)?;
    let y = product_yield(
        xf,
        xp,
        tails,
        Swu::new(a.swu)?,
        mass("feed stock", a.feed_kg_u)?,
    )?;
    let limit = match y.limit {
        ProductLimit::SeparativeWork => "separative work (feed left over)",
        ProductLimit::Feed => "feed (separative work left over)",
        ProductLimit::Both => "both (tails assay floats to use both up)",
    };
    r.result_text("limited_by", "Limited by", limit);
    balance_results(&mut r, &y.balance);
    Ok(r)
}
