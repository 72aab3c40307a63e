//! `swu cost`: the cost of a product and the cost-optimum tails assay.

use super::*;
use crate::document::Document;
use crate::error::AppError;
use enrich::cost::optimum_tails;
use enrich::{Balance, FeedPrice, Prices};

/// The `results` of `swu cost`: the cost of product at the cost-optimum tails assay, and the
/// balance there (its `tails_wt_pct` is the optimum tails assay).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CostResult {
    /// Feed price used (yellowcake and conversion combined), USD/kg U.
    pub feed_price_usd_per_kg_u: f64,
    /// Feed cost, USD/kg U product.
    pub feed_cost_usd_per_kg_product: f64,
    /// Enrichment cost, USD/kg U product.
    pub swu_cost_usd_per_kg_product: f64,
    /// Feed and enrichment, USD/kg U product.
    pub total_usd_per_kg_product: f64,
    /// Total cost of the product mass, USD.
    pub total_usd: f64,
    /// The balance at the optimum tails for the product mass.
    #[serde(flatten)]
    pub balance: BalanceResult,
}

/// The tails assay that minimises the cost of product at `prices`, and the cost and balance of
/// `product_kg` there: the typed result of `breakout swu cost`.
///
/// # Errors
/// [`AppError::Input`] for non-positive prices or assays out of order.
pub fn cost(
    feed: Assay,
    product: Assay,
    prices: Prices,
    product_kg: KgU,
) -> Result<CostResult, AppError> {
    let opt = optimum_tails(feed, product, prices)?;
    let b = Balance::from_product(feed, product, opt.tails_assay, product_kg)?;
    let per_kg = opt.total_usd_per_kg_product();
    Ok(CostResult {
        feed_price_usd_per_kg_u: opt.feed_usd_per_kg_u,
        feed_cost_usd_per_kg_product: opt.feed_cost_usd_per_kg_product,
        swu_cost_usd_per_kg_product: opt.swu_cost_usd_per_kg_product,
        total_usd_per_kg_product: per_kg,
        total_usd: per_kg * product_kg.kg(),
        balance: BalanceResult::from(&b),
    })
}

/// `breakout swu cost`: the flags resolved (and shown as inputs), the document of [`cost()`].
pub(super) fn cost_document(a: CostArgs) -> Result<Document, AppError> {
    let mut r = Document::new("swu cost", "Cost-optimum tails assay");
    // clap enforces these rules on the command line; a request built from JSON is checked here.
    super::super::exactly_one(&[
        ("feed_usd_per_kg_u", a.feed_usd_per_kg_u.is_some()),
        ("usd_per_lb_u3o8", a.usd_per_lb_u3o8.is_some()),
    ])?;
    super::super::check_pair(
        "usd_per_lb_u3o8",
        a.usd_per_lb_u3o8.is_some(),
        "conversion_usd_per_kg_u",
        a.conversion_usd_per_kg_u.is_some(),
        false,
    )?;
    super::super::check_pair(
        "conversion_usd_per_kg_u",
        a.conversion_usd_per_kg_u.is_some(),
        "usd_per_lb_u3o8",
        a.usd_per_lb_u3o8.is_some(),
        false,
    )?;
    let xf = feed_assay(&mut r, a.feed_wt_pct)?;
    let xp = assay_input(&mut r, "product_wt_pct", "Product assay", a.product_wt_pct)?;
    let feed = match (
        a.feed_usd_per_kg_u,
        a.usd_per_lb_u3o8,
        a.conversion_usd_per_kg_u,
    ) {
        (Some(p), ..) => {
            r.input("feed_usd_per_kg_u", "Feed price", p, "USD/kg U", false);
            FeedPrice::UsdPerKgU(p)
        }
        (None, Some(y), Some(c)) => {
            r.input(
                "usd_per_lb_u3o8",
                "Yellowcake price",
                y,
                "USD/lb U3O8",
                false,
            )
            .input(
                "conversion_usd_per_kg_u",
                "Conversion price",
                c,
                "USD/kg U",
                false,
            );
            FeedPrice::Yellowcake {
                usd_per_lb_u3o8: y,
                conversion_usd_per_kg_u: c,
            }
        }
        _ => {
            return Err(AppError::Usage(
                "give --feed-usd-per-kg-u, or --usd-per-lb-u3o8 with --conversion-usd-per-kg-u"
                    .into(),
            ));
        }
    };
    r.input(
        "usd_per_swu",
        "SWU price",
        a.usd_per_swu,
        "USD/kg-SWU",
        false,
    );
    let p = a.product_kg_u.unwrap_or(1.0);
    r.input(
        "product_kg_u",
        "Product",
        p,
        "kg U",
        a.product_kg_u.is_none(),
    );
    let res = cost(
        xf,
        xp,
        Prices {
            feed,
            usd_per_swu: a.usd_per_swu,
        },
        mass("product mass", p)?,
    )?;
    r.result(
        "tails_wt_pct",
        "Optimum tails assay",
        res.balance.tails_wt_pct,
        "wt-% U-235",
    )
    .result(
        "feed_price_usd_per_kg_u",
        "Feed price used",
        res.feed_price_usd_per_kg_u,
        "USD/kg U",
    )
    .result(
        "feed_cost_usd_per_kg_product",
        "Feed cost",
        res.feed_cost_usd_per_kg_product,
        "USD/kg U product",
    )
    .result(
        "swu_cost_usd_per_kg_product",
        "Enrichment cost",
        res.swu_cost_usd_per_kg_product,
        "USD/kg U product",
    )
    .result(
        "total_usd_per_kg_product",
        "Total cost",
        res.total_usd_per_kg_product,
        "USD/kg U product",
    )
    .result(
        "total_usd",
        "Total cost of the product",
        res.total_usd,
        "USD",
    );
    balance_rows(&mut r, &res.balance);
    r.note("the optimum condition c_F/c_SWU = V(x_F) - V(x_T) - (x_F - x_T)V'(x_T) does not depend on the product assay");
    Ok(r)
}
