//! The binary feed/product/tails balance of one enrichment step.
//!
//! Mass and U-235 conservation, F = P + T and F·x_F = P·x_P + T·x_T, fix the three masses up to
//! one scale; separative work is SWU = P·V(x_P) + T·V(x_T) − F·V(x_F). Given the three assays and
//! any one of F, P, T or SWU, [`Balance::solve`] returns all four. Two inverse problems are here
//! too: the tails assay left by given feed and product masses ([`tails_assay_for`]), and the most
//! product an SWU budget and a feed stock allow ([`product_yield`]).

use crate::EnrichError;
use crate::assay::Assay;
use crate::error::positive;
use crate::mass::KgU;
use crate::numeric::brent;
use crate::plan::TailsChoice;
use crate::units::Swu;
use crate::value::value_of_fraction;

/// The one extensive quantity a balance is scaled by.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Given {
    /// Feed mass.
    Feed(KgU),
    /// Product mass.
    Product(KgU),
    /// Tails mass.
    Tails(KgU),
    /// Separative work.
    Swu(Swu),
}

/// A solved enrichment step: assays, masses and separative work.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Balance {
    /// Feed assay.
    pub feed_assay: Assay,
    /// Product assay.
    pub product_assay: Assay,
    /// Tails assay.
    pub tails_assay: Assay,
    /// Feed mass.
    pub feed: KgU,
    /// Product mass.
    pub product: KgU,
    /// Tails mass.
    pub tails: KgU,
    /// Separative work.
    pub separative_work: Swu,
}

/// Feed, tails and SWU per kg of product for ordered assays.
#[derive(Debug, Clone, Copy)]
pub(crate) struct PerProduct {
    pub feed: f64,
    pub tails: f64,
    pub swu: f64,
}

impl PerProduct {
    /// Ratios for fractions already checked to satisfy 0 < xt < xf < xp < 1.
    pub(crate) fn new(xf: f64, xp: f64, xt: f64) -> Self {
        let feed = (xp - xt) / (xf - xt);
        let tails = (xp - xf) / (xf - xt);
        let swu =
            value_of_fraction(xp) + tails * value_of_fraction(xt) - feed * value_of_fraction(xf);
        PerProduct { feed, tails, swu }
    }
}

/// Checks tails < feed < product.
pub(crate) fn check_order(feed: Assay, product: Assay, tails: Assay) -> Result<(), EnrichError> {
    if tails < feed && feed < product {
        Ok(())
    } else {
        Err(EnrichError::AssaysNotOrdered {
            feed_wt_pct: feed.wt_pct(),
            product_wt_pct: product.wt_pct(),
            tails_wt_pct: tails.wt_pct(),
        })
    }
}

impl Balance {
    /// Solves the step from its three assays and one extensive quantity.
    ///
    /// # Errors
    /// [`EnrichError::AssaysNotOrdered`] unless tails < feed < product;
    /// [`EnrichError::NotPositive`] if the given quantity is not positive.
    ///
    /// # Examples
    /// ```
    /// use enrich::{Assay, Balance, Given, KgU};
    /// // PyNE test_swu: 1.5 kg of 5 % from 0.72 % with 0.25 % tails takes 11.765 SWU.
    /// let b = Balance::solve(
    ///     Assay::from_wt_pct(0.72)?, Assay::from_wt_pct(5.0)?, Assay::from_wt_pct(0.25)?,
    ///     Given::Product(KgU::new(1.5)?),
    /// )?;
    /// assert!((b.separative_work.kg_swu() - 11.765).abs() < 1e-3);
    /// # Ok::<(), enrich::EnrichError>(())
    /// ```
    pub fn solve(
        feed: Assay,
        product: Assay,
        tails: Assay,
        given: Given,
    ) -> Result<Self, EnrichError> {
        check_order(feed, product, tails)?;
        let r = PerProduct::new(
            feed.wt_fraction(),
            product.wt_fraction(),
            tails.wt_fraction(),
        );
        let p = match given {
            Given::Product(m) => positive("product mass", m.kg(), "kg U")?,
            Given::Feed(m) => positive("feed mass", m.kg(), "kg U")? / r.feed,
            Given::Tails(m) => positive("tails mass", m.kg(), "kg U")? / r.tails,
            Given::Swu(s) => positive("separative work", s.kg_swu(), "kg-SWU")? / r.swu,
        };
        // Derive each mass from the given one directly (not from P) so the given value is echoed
        // exactly rather than after a round trip.
        let (feed_kg, product_kg, tails_kg) = match given {
            Given::Feed(m) => (m.kg(), p, m.kg() - p),
            Given::Tails(m) => (p + m.kg(), p, m.kg()),
            _ => (p * r.feed, p, p * r.tails),
        };
        let swu = match given {
            Given::Swu(s) => s.kg_swu(),
            _ => p * r.swu,
        };
        Ok(Balance {
            feed_assay: feed,
            product_assay: product,
            tails_assay: tails,
            feed: KgU::raw(feed_kg),
            product: KgU::raw(product_kg),
            tails: KgU::raw(tails_kg),
            separative_work: Swu::raw(swu),
        })
    }

    /// [`Balance::solve`] with the product mass given.
    ///
    /// # Errors
    /// As [`Balance::solve`].
    pub fn from_product(
        feed: Assay,
        product: Assay,
        tails: Assay,
        p: KgU,
    ) -> Result<Self, EnrichError> {
        Self::solve(feed, product, tails, Given::Product(p))
    }
}

/// The tails assay left when `feed` kg U at `feed_assay` yields `product` kg U at `product_assay`.
///
/// x_T = (F·x_F − P·x_P)/(F − P).
///
/// # Errors
/// [`EnrichError::NotPositive`] for non-positive masses; [`EnrichError::OutOfRange`] if the feed
/// is not above the product assay; [`EnrichError::Inconsistent`] if F ≤ P or the feed holds too
/// little U-235 for the product (the tails assay would be ≤ 0).
pub fn tails_assay_for(
    feed: KgU,
    feed_assay: Assay,
    product: KgU,
    product_assay: Assay,
) -> Result<Assay, EnrichError> {
    let f = positive("feed mass", feed.kg(), "kg U")?;
    let p = positive("product mass", product.kg(), "kg U")?;
    if product_assay <= feed_assay {
        return Err(EnrichError::Inconsistent(format!(
            "product assay {} must be above feed assay {}",
            product_assay, feed_assay
        )));
    }
    if f <= p {
        return Err(EnrichError::Inconsistent(format!(
            "feed {f} kg U must exceed product {p} kg U: enrichment sends some uranium to tails"
        )));
    }
    let (xf, xp) = (feed_assay.wt_fraction(), product_assay.wt_fraction());
    let u235_left = f * xf - p * xp;
    if u235_left <= 0.0 {
        return Err(EnrichError::Inconsistent(format!(
            "the feed holds {} kg U-235 but the product needs {}: no tails assay ≥ 0 closes the balance",
            f * xf,
            p * xp
        )));
    }
    Assay::from_wt_fraction(u235_left / (f - p))
}

/// The lowest tails assay (weight fraction) a floating-tails search considers without a floor.
const DEEPEST_TAILS: f64 = 1e-12;

/// What limits a [`ProductYield`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProductLimit {
    /// The separative work budget is spent; feed is left over.
    SeparativeWork,
    /// The feed stock is used up; separative work is left over.
    Feed,
    /// Both are used up exactly (floating tails).
    Both,
}

/// The most product an SWU budget and a feed stock allow.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ProductYield {
    /// The balance actually run (its feed and SWU are what is used, not what was available).
    pub balance: Balance,
    /// Which resource binds.
    pub limit: ProductLimit,
}

/// The most product from at most `budget` SWU and at most `feed_stock` kg U of feed.
///
/// With [`TailsChoice::Fixed`] tails the product is the smaller of the SWU-limited and the
/// feed-limited amounts. With [`TailsChoice::Optimal`] the tails assay floats (within its floor
/// and ceiling) to use both resources up; at a bound, the other resource is left over.
///
/// # Errors
/// [`EnrichError::NotPositive`] for non-positive budgets; [`EnrichError::AssaysNotOrdered`] as in
/// [`Balance::solve`]; [`EnrichError::Inconsistent`] for a floor/ceiling pair that leaves no
/// admissible tails assay below the feed assay.
pub fn product_yield(
    feed_assay: Assay,
    product_assay: Assay,
    tails: TailsChoice,
    budget: Swu,
    feed_stock: KgU,
) -> Result<ProductYield, EnrichError> {
    let s = positive("separative work budget", budget.kg_swu(), "kg-SWU")?;
    let f = positive("feed stock", feed_stock.kg(), "kg U")?;
    let xf = feed_assay.wt_fraction();
    let xp = product_assay.wt_fraction();
    let fixed = |xt: Assay| -> Result<ProductYield, EnrichError> {
        check_order(feed_assay, product_assay, xt)?;
        let r = PerProduct::new(xf, xp, xt.wt_fraction());
        let (by_swu, by_feed) = (s / r.swu, f / r.feed);
        let (given, limit) = if by_swu < by_feed {
            (Given::Swu(Swu::raw(s)), ProductLimit::SeparativeWork)
        } else {
            (Given::Feed(KgU::raw(f)), ProductLimit::Feed)
        };
        Ok(ProductYield {
            balance: Balance::solve(feed_assay, product_assay, xt, given)?,
            limit,
        })
    };
    let (floor, ceiling) = match tails {
        TailsChoice::Fixed(xt) => return fixed(xt),
        TailsChoice::Optimal { floor, ceiling } => (floor, ceiling),
    };
    if feed_assay >= product_assay {
        return Err(EnrichError::AssaysNotOrdered {
            feed_wt_pct: feed_assay.wt_pct(),
            product_wt_pct: product_assay.wt_pct(),
            tails_wt_pct: f64::NAN,
        });
    }
    let lo = floor.map_or(0.0, Assay::wt_fraction);
    let hi = ceiling.map_or(xf, |c| c.wt_fraction().min(xf));
    if lo >= hi {
        return Err(EnrichError::Inconsistent(format!(
            "no tails assay lies between the floor {} wt-% and min(ceiling, feed assay) {} wt-%",
            lo * 100.0,
            hi * 100.0
        )));
    }
    // SWU needed to process the whole feed stock at tails xt, minus the budget. It falls
    // monotonically in xt (less stripping), from +∞ at xt → 0 to 0 at xt → x_F.
    let excess =
        |xt: f64| f * PerProduct::new(xf, xp, xt).swu / PerProduct::new(xf, xp, xt).feed - s;
    if ceiling.is_some() && hi < xf && excess(hi) >= 0.0 {
        return fixed(Assay::from_wt_fraction(hi)?);
    }
    if floor.is_some() && excess(lo) <= 0.0 {
        return fixed(Assay::from_wt_fraction(lo)?);
    }
    let upper = if hi < xf { hi } else { xf * (1.0 - 1e-12) };
    // Without a floor, search down to 1e-12 (1e-10 wt-%): below that no cascade is meaningful.
    let lower = if lo > 0.0 { lo } else { DEEPEST_TAILS };
    if excess(lower) < 0.0 {
        return Err(EnrichError::Inconsistent(format!(
            "the separative work budget of {s} kg-SWU exceeds the {} kg-SWU it would take to strip the whole feed stock of {f} kg U to {} wt-%: feed limits at any tails assay; give a tails floor",
            excess(lower) + s,
            lower * 100.0
        )));
    }
    let xt = brent("floating-tails product yield", excess, lower, upper, 1e-16)?;
    let balance = Balance::solve(
        feed_assay,
        product_assay,
        Assay::from_wt_fraction(xt)?,
        Given::Feed(KgU::raw(f)),
    )?;
    Ok(ProductYield {
        balance,
        limit: ProductLimit::Both,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use approx::assert_relative_eq;

    fn a(pct: f64) -> Assay {
        Assay::from_wt_pct(pct).unwrap()
    }
    fn kg(x: f64) -> KgU {
        KgU::new(x).unwrap()
    }

    /// Reference cases per kg of product: (x_F, x_P, x_T) wt-% → (F/P, SWU/P).
    /// Sources: the worked example in shared/reference/iran-program.md §5 (\[C6\]: 1 kg of 3.5 %
    /// from natural with 0.3 % tails needs F 7.785 kg, 4.34 SWU); the hand-computed table in
    /// users-and-dependencies.md §5; PyNE's test_swu (1.5 kg of 5 % from 0.72 %: 11.765 SWU).
    #[test]
    fn per_kg_product_reference_table() {
        for (xf, xp, xt, f_per_p, swu_per_p, tol) in [
            (0.711, 3.5, 0.3, 7.785_888, 4.339_4, 1e-4),
            (0.711, 4.5, 0.25, 9.2191, 6.8711, 1e-4),
            (0.711, 3.6, 0.25, 7.2668, 5.0136, 1e-4),
            (0.711, 90.0, 0.30, 218.2482, 192.9376, 1e-5),
            (0.711, 90.0, 0.25, 194.6855, 208.0319, 1e-5),
            (3.5, 20.0, 1.0, 7.6000, 7.1100, 1e-4),
            (20.0, 90.0, 3.5, 5.2424, 10.4835, 1e-4),
            (60.0, 90.0, 20.0, 1.7500, 2.2397, 1e-4),
            (3.5, 90.0, 0.71, 32.0036, 54.0386, 1e-5),
            (0.72, 5.0, 0.25, 15.1596 / 1.5, 11.765 / 1.5, 1e-4),
        ] {
            let b = Balance::from_product(a(xf), a(xp), a(xt), kg(1.0)).unwrap();
            assert_relative_eq!(b.feed.kg(), f_per_p, max_relative = tol);
            assert_relative_eq!(b.separative_work.kg_swu(), swu_per_p, max_relative = tol);
        }
    }

    #[test]
    fn any_one_quantity_gives_the_same_balance() {
        let (xf, xp, xt) = (a(0.72), a(5.0), a(0.25));
        let base = Balance::from_product(xf, xp, xt, kg(1.5)).unwrap();
        for given in [
            Given::Feed(base.feed),
            Given::Tails(base.tails),
            Given::Swu(base.separative_work),
        ] {
            let b = Balance::solve(xf, xp, xt, given).unwrap();
            assert_relative_eq!(b.product.kg(), 1.5, max_relative = 1e-13);
            assert_relative_eq!(b.feed.kg(), base.feed.kg(), max_relative = 1e-13);
            assert_relative_eq!(
                b.separative_work.kg_swu(),
                base.separative_work.kg_swu(),
                max_relative = 1e-13
            );
        }
        // Cyclus enrichment_tests: P 10 kg of 5 % from 0.72 % (mass basis) with 0.2 % tails.
        let c = Balance::from_product(a(0.72), a(5.0), a(0.2), kg(10.0)).unwrap();
        assert_relative_eq!(c.feed.kg(), 92.307_692_3, max_relative = 1e-9);
        assert_relative_eq!(
            c.separative_work.kg_swu(),
            87.599_161_9,
            max_relative = 1e-8
        );
    }

    #[test]
    fn errors_name_the_problem() {
        let e = Balance::from_product(a(0.711), a(0.3), a(0.2), kg(1.0)).unwrap_err();
        assert!(matches!(e, EnrichError::AssaysNotOrdered { .. }), "{e}");
        let e = Balance::from_product(a(0.711), a(5.0), a(0.711), kg(1.0)).unwrap_err();
        assert!(e.to_string().contains("tails 0.711 wt-%"), "{e}");
        let e = Balance::solve(a(0.711), a(5.0), a(0.3), Given::Swu(Swu::raw(0.0))).unwrap_err();
        assert!(e.to_string().contains("separative work = 0"), "{e}");
    }

    #[test]
    fn tails_assay_from_masses() {
        let b = Balance::from_product(a(0.711), a(3.5), a(0.3), kg(1.0)).unwrap();
        let xt = tails_assay_for(b.feed, a(0.711), b.product, a(3.5)).unwrap();
        assert_relative_eq!(xt.wt_pct(), 0.3, max_relative = 1e-12);
        for (f, p, needle) in [(1.0, 1.0, "must exceed"), (2.0, 1.0, "no tails assay")] {
            let e = tails_assay_for(kg(f), a(0.711), kg(p), a(3.5)).unwrap_err();
            assert!(e.to_string().contains(needle), "{e}");
        }
    }

    #[test]
    fn yield_fixed_tails_takes_the_binding_limit() {
        // Cycamore CheckSWUConstraint: 195 SWU, 1000 kg of 0.7 %, tails 0.3 %, product 20 %
        // gives 5.04 kg (10 kg needs 386.9 SWU and 492.5 kg feed).
        let y = product_yield(
            a(0.7),
            a(20.0),
            TailsChoice::Fixed(a(0.3)),
            Swu::raw(195.0),
            kg(1000.0),
        )
        .unwrap();
        assert_eq!(y.limit, ProductLimit::SeparativeWork);
        assert!(
            (y.balance.product.kg() - 5.0403).abs() < 1e-3,
            "{:?}",
            y.balance.product
        );
        // Cycamore CheckCapConstraint: 243 kg feed limits the same step to 4.934 kg.
        let y = product_yield(
            a(0.7),
            a(20.0),
            TailsChoice::Fixed(a(0.3)),
            Swu::raw(1e6),
            kg(243.0),
        )
        .unwrap();
        assert_eq!(y.limit, ProductLimit::Feed);
        assert!((y.balance.product.kg() - 4.934).abs() < 1e-3);
    }

    #[test]
    fn yield_floating_tails_uses_both_and_beats_any_fixed_tails() {
        let (xf, xp) = (a(3.67), a(90.0));
        let (s, f) = (Swu::raw(1000.0), kg(900.0));
        let y = product_yield(
            xf,
            xp,
            TailsChoice::Optimal {
                floor: None,
                ceiling: None,
            },
            s,
            f,
        )
        .unwrap();
        assert_eq!(y.limit, ProductLimit::Both);
        assert_relative_eq!(
            y.balance.separative_work.kg_swu(),
            1000.0,
            max_relative = 1e-9
        );
        assert_relative_eq!(y.balance.feed.kg(), 900.0, max_relative = 1e-12);
        for t in [0.3, 0.5, 0.8, 1.0, 1.5, 2.0, 3.0] {
            let fixed = product_yield(xf, xp, TailsChoice::Fixed(a(t)), s, f).unwrap();
            assert!(
                fixed.balance.product.kg() <= y.balance.product.kg() * (1.0 + 1e-12),
                "tails {t}"
            );
        }
        // A ceiling below the free optimum binds: SWU runs out first.
        let c = product_yield(
            xf,
            xp,
            TailsChoice::Optimal {
                floor: None,
                ceiling: Some(a(0.5)),
            },
            s,
            f,
        )
        .unwrap();
        assert_eq!(c.limit, ProductLimit::SeparativeWork);
        assert_relative_eq!(c.balance.tails_assay.wt_pct(), 0.5, max_relative = 1e-12);
        // 1 kg of 76 % feed cannot absorb 50,000 SWU at any tails assay: say so, don't guess.
        let e = product_yield(
            a(76.0),
            a(80.0),
            TailsChoice::Optimal {
                floor: None,
                ceiling: None,
            },
            Swu::raw(5e4),
            kg(1.0),
        )
        .unwrap_err();
        assert!(e.to_string().contains("give a tails floor"), "{e}");
    }
}
