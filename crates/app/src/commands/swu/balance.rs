//! `swu balance`, `swu tails` and `swu yield`: the binary balance of one feed, and its
//! inverse problems (the tails for a feed, the product a feed can yield).

use super::*;
use crate::document::Document;
use crate::error::AppError;
use enrich::balance::{product_yield, tails_assay_for};
use enrich::{Balance, Given, ProductLimit, Swu};

/// The balance of three assays with one of feed, product, tails or separative work given: the
/// typed result of `breakout swu`.
///
/// # Errors
/// [`AppError::Input`] for assays out of order or a balance that cannot be solved.
pub fn balance(
    feed: Assay,
    product: Assay,
    tails: Assay,
    given: Given,
) -> Result<BalanceResult, AppError> {
    Ok(BalanceResult::from(&Balance::solve(
        feed, product, tails, given,
    )?))
}

/// The balance whose tails assay lets `feed_kg` of feed yield `product_kg` of product: the
/// typed result of `breakout swu tails`.
///
/// # Errors
/// [`AppError::Input`] when no tails assay between zero and the feed assay balances the masses.
pub fn tails(
    feed: Assay,
    product: Assay,
    feed_kg: KgU,
    product_kg: KgU,
) -> Result<BalanceResult, AppError> {
    let xt = tails_assay_for(feed_kg, feed, product_kg, product)?;
    balance(feed, product, xt, Given::Feed(feed_kg))
}

/// The `results` of `swu yield`: what limits the product, and the balance that makes it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct YieldResult {
    /// The separative work, the feed, or both (in words).
    #[serde(serialize_with = "limit_words")]
    pub limited_by: ProductLimit,
    /// The balance that yields the most product.
    #[serde(flatten)]
    pub balance: BalanceResult,
}

/// What limits the product, as the document and its JSON say it.
fn limit_text(l: ProductLimit) -> &'static str {
    match l {
        ProductLimit::SeparativeWork => "separative work (feed left over)",
        ProductLimit::Feed => "feed (separative work left over)",
        ProductLimit::Both => "both (tails assay floats to use both up)",
    }
}

fn limit_words<S: serde::Serializer>(l: &ProductLimit, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(limit_text(*l))
}

/// The most product of assay `product` that `budget` of separative work and `feed_stock` of
/// feed allow, with fixed or floating tails: the typed result of `breakout swu yield`.
///
/// # Errors
/// [`AppError::Input`] for assays out of order or tails bounds no balance meets.
pub fn max_yield(
    feed: Assay,
    product: Assay,
    tails: TailsChoice,
    budget: Swu,
    feed_stock: KgU,
) -> Result<YieldResult, AppError> {
    let y = product_yield(feed, product, tails, budget, feed_stock)?;
    Ok(YieldResult {
        limited_by: y.limit,
        balance: BalanceResult::from(&y.balance),
    })
}

/// `breakout swu`: the flags resolved (and shown as inputs), the document of [`balance()`].
pub(super) fn balance_document(a: BalanceArgs) -> Result<Document, AppError> {
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
    balance_rows(&mut r, &balance(xf, xp, xt, given)?);
    Ok(r)
}

/// `breakout swu tails`: the document of [`tails()`].
pub(super) fn tails_document(a: TailsArgs) -> Result<Document, AppError> {
    let mut r = Document::new("swu tails", "Tails assay from feed and product masses");
    let xf = feed_assay(&mut r, a.feed_wt_pct)?;
    let xp = assay_input(&mut r, "product_wt_pct", "Product assay", a.product_wt_pct)?;
    r.input("feed_kg_u", "Feed", a.feed_kg_u, "kg U", false)
        .input("product_kg_u", "Product", a.product_kg_u, "kg U", false);
    let (f, p) = (
        mass("feed mass", a.feed_kg_u)?,
        mass("product mass", a.product_kg_u)?,
    );
    balance_rows(&mut r, &tails(xf, xp, f, p)?);
    Ok(r)
}

/// `breakout swu yield`: the document of [`max_yield`].
pub(super) fn yield_document(a: YieldArgs) -> Result<Document, AppError> {
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
    let y = max_yield(
        xf,
        xp,
        tails,
        Swu::new(a.swu)?,
        mass("feed stock", a.feed_kg_u)?,
    )?;
    r.result_text("limited_by", "Limited by", limit_text(y.limited_by));
    balance_rows(&mut r, &y.balance);
    Ok(r)
}
