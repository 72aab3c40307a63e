//! The tails assay that minimises the cost of enriched product.
//!
//! Per kg of product the cost is (F/P)·c_F + (SWU/P)·c_SWU. Setting its derivative in x_T to
//! zero and dividing by (x_P − x_F)/(x_F − x_T)² leaves a condition free of the product assay:
//!
//! c_F / c_SWU = V(x_F) − V(x_T) − (x_F − x_T)·V'(x_T).
//!
//! The right side is ≥ 0 (V is convex), falls strictly in x_T (its derivative is
//! −(x_F − x_T)·V''(x_T)) from +∞ at x_T → 0 to 0 at x_T = x_F, so the optimum exists, is unique
//! and is found by a bracketed root search. This matches the WISE Uranium "Enrichment Cost
//! Optimizer" and UxC's fuel calculator, which take the same inputs.

use crate::assay::Assay;
use crate::balance::{PerProduct, check_order};
use crate::error::positive;
use crate::numeric::brent;
use crate::value::{value_derivative, value_of_fraction};
use crate::{ChemicalForm, Composition, EnrichError};

/// Pounds per kilogram (exact, by the international avoirdupois pound of 0.45359237 kg).
const LB_PER_KG: f64 = 1.0 / 0.453_592_37;

/// The price of natural uranium feed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum FeedPrice {
    /// US dollars per kg U of natural UF6 feed, conversion included.
    UsdPerKgU(f64),
    /// Yellowcake and conversion priced separately, as markets quote them.
    Yellowcake {
        /// US dollars per pound of U3O8.
        usd_per_lb_u3o8: f64,
        /// US dollars per kg U for conversion to UF6.
        conversion_usd_per_kg_u: f64,
    },
}

impl FeedPrice {
    /// US dollars per kg U of feed. A kg of natural uranium is 1/0.848 kg = 2.600 lb of U3O8.
    pub fn usd_per_kg_u(self) -> f64 {
        match self {
            FeedPrice::UsdPerKgU(x) => x,
            FeedPrice::Yellowcake {
                usd_per_lb_u3o8,
                conversion_usd_per_kg_u,
            } => {
                let lb_u3o8_per_kg_u =
                    LB_PER_KG / ChemicalForm::U3o8.uranium_mass_fraction(&Composition::natural());
                usd_per_lb_u3o8 * lb_u3o8_per_kg_u + conversion_usd_per_kg_u
            }
        }
    }
}

/// Market prices for the cost optimum.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Prices {
    /// Feed price.
    pub feed: FeedPrice,
    /// US dollars per kg-SWU.
    pub usd_per_swu: f64,
}

/// The cost-optimal tails assay and the cost of one kg of product there.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CostOptimum {
    /// The cost-minimising tails assay.
    pub tails_assay: Assay,
    /// Feed per kg of product, kg U / kg U.
    pub feed_per_kg_product: f64,
    /// Separative work per kg of product, kg-SWU / kg U.
    pub swu_per_kg_product: f64,
    /// Feed price used, USD per kg U.
    pub feed_usd_per_kg_u: f64,
    /// Feed cost per kg of product, USD.
    pub feed_cost_usd_per_kg_product: f64,
    /// Enrichment cost per kg of product, USD.
    pub swu_cost_usd_per_kg_product: f64,
}

impl CostOptimum {
    /// Total cost per kg of product, USD.
    pub fn total_usd_per_kg_product(&self) -> f64 {
        self.feed_cost_usd_per_kg_product + self.swu_cost_usd_per_kg_product
    }
}

/// The cost per kg of product at tails `xt` (all assays as fractions).
fn cost_at(xf: f64, xp: f64, xt: f64, feed_usd: f64, swu_usd: f64) -> (PerProduct, f64) {
    let r = PerProduct::new(xf, xp, xt);
    (r, r.feed * feed_usd + r.swu * swu_usd)
}

/// The tails assay minimising the cost of product at `product` from feed at `feed`.
///
/// # Errors
/// [`EnrichError::NotPositive`] for a non-positive price; [`EnrichError::Inconsistent`] if the
/// feed is not below the product; [`EnrichError::NoConvergence`] should the root search fail.
///
/// # Examples
/// ```
/// use enrich::{Assay, FeedPrice, Prices, cost::optimum_tails};
/// let prices = Prices { feed: FeedPrice::UsdPerKgU(100.0), usd_per_swu: 100.0 };
/// let opt = optimum_tails(Assay::NATURAL, Assay::from_wt_pct(4.5)?, prices)?;
/// assert!(opt.tails_assay.wt_pct() > 0.2 && opt.tails_assay.wt_pct() < 0.3);
/// # Ok::<(), enrich::EnrichError>(())
/// ```
pub fn optimum_tails(
    feed: Assay,
    product: Assay,
    prices: Prices,
) -> Result<CostOptimum, EnrichError> {
    let feed_usd = positive("feed price", prices.feed.usd_per_kg_u(), "USD/kg U")?;
    let swu_usd = positive("SWU price", prices.usd_per_swu, "USD/kg-SWU")?;
    if product <= feed {
        return Err(EnrichError::Inconsistent(format!(
            "product assay {product} must be above feed assay {feed}"
        )));
    }
    let (xf, xp) = (feed.wt_fraction(), product.wt_fraction());
    let ratio = feed_usd / swu_usd;
    let condition = |xt: f64| {
        value_of_fraction(xf) - value_of_fraction(xt) - (xf - xt) * value_derivative(xt) - ratio
    };
    // The condition is +∞ at 0 and 0 at x_F; start the bracket where it is finite. A price
    // ratio no tails assay above 1e-300 satisfies (e.g. a SWU price of 1e-320 USD) is the
    // caller's input out of range, not a solver failure.
    let mut lo = xf * 1e-3;
    while condition(lo) < 0.0 {
        lo *= 1e-3;
        if lo < 1e-300 {
            return Err(EnrichError::Inconsistent(format!(
                "feed price / SWU price = {feed_usd} / {swu_usd} = {ratio} kg-SWU/kg U is so \
                 large that no tails weight fraction above 1e-300 meets the optimum condition: \
                 expected prices of realistic magnitudes"
            )));
        }
    }
    let xt = brent(
        "cost-optimum tails",
        condition,
        lo,
        xf * (1.0 - 1e-12),
        1e-15 * xf,
    )?;
    let tails = Assay::from_wt_fraction(xt)?;
    check_order(feed, product, tails)?;
    let (r, _) = cost_at(xf, xp, xt, feed_usd, swu_usd);
    Ok(CostOptimum {
        tails_assay: tails,
        feed_per_kg_product: r.feed,
        swu_per_kg_product: r.swu,
        feed_usd_per_kg_u: feed_usd,
        feed_cost_usd_per_kg_product: r.feed * feed_usd,
        swu_cost_usd_per_kg_product: r.swu * swu_usd,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn yellowcake_price_conversion_by_hand() {
        // 1 kg U = 1/0.84800 kg U3O8 = 2.5998 lb; at $80/lb and $30/kg conversion: $237.99/kg U.
        let p = FeedPrice::Yellowcake {
            usd_per_lb_u3o8: 80.0,
            conversion_usd_per_kg_u: 30.0,
        };
        assert!(
            (p.usd_per_kg_u() - 237.99).abs() < 0.02,
            "{}",
            p.usd_per_kg_u()
        );
    }

    #[test]
    fn cheap_feed_raises_the_optimum_tails() {
        let f = |c_f: f64| {
            optimum_tails(
                Assay::NATURAL,
                Assay::from_wt_pct(4.5).unwrap(),
                Prices {
                    feed: FeedPrice::UsdPerKgU(c_f),
                    usd_per_swu: 150.0,
                },
            )
            .unwrap()
            .tails_assay
            .wt_pct()
        };
        assert!(f(50.0) > f(150.0) && f(150.0) > f(400.0));
    }

    #[test]
    fn rejects_bad_prices() {
        let e = optimum_tails(
            Assay::NATURAL,
            Assay::from_wt_pct(4.5).unwrap(),
            Prices {
                feed: FeedPrice::UsdPerKgU(-1.0),
                usd_per_swu: 150.0,
            },
        )
        .unwrap_err();
        assert!(e.to_string().contains("feed price = -1"), "{e}");
        // Found by the command-line fuzz harness: a SWU price of 1e-320 USD was reported as a
        // solver failure (an internal error) instead of an input out of range.
        let e = optimum_tails(
            Assay::NATURAL,
            Assay::from_wt_pct(4.5).unwrap(),
            Prices {
                feed: FeedPrice::UsdPerKgU(100.0),
                usd_per_swu: 1e-320,
            },
        )
        .unwrap_err();
        assert!(
            matches!(e, EnrichError::Inconsistent(_)) && e.to_string().contains("so large"),
            "{e}"
        );
    }

    proptest! {
        /// The optimum beats a fine grid of other tails assays (brute force).
        #[test]
        fn optimum_is_a_minimum(c_f in 20.0f64..500.0, c_s in 20.0f64..300.0, xp in 0.02f64..0.95) {
            let xf = 0.00711;
            let opt = optimum_tails(Assay::NATURAL, Assay::from_wt_fraction(xp).unwrap(), Prices { feed: FeedPrice::UsdPerKgU(c_f), usd_per_swu: c_s }).unwrap();
            let best = opt.total_usd_per_kg_product();
            for k in 1..400 {
                let xt = xf * k as f64 / 400.0;
                let (_, c) = cost_at(xf, xp, xt, c_f, c_s);
                prop_assert!(c >= best * (1.0 - 1e-12), "tails {xt}: {c} < {best}");
            }
        }
    }
}
