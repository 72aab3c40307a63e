//! The ideal (least-SWU) production model: the lower bound on breakout time.
//!
//! Product comes from two ideal cascades working side by side:
//!
//! * the **stock cascade** takes every usable enriched stock through [`enrich::Plan::least_swu`]
//!   (each stock fed where the cascade's assay matches its own, no mixing loss) with floating
//!   tails, between a floor and a ceiling (or at tails the user fixes);
//! * the **natural cascade** makes the rest from natural uranium at fixed tails.
//!
//! The least-SWU split between them is exact: the marginal work of one more kg of product from
//! the stocks, g(t) = V(x_P) − V(t) − (x_P − t)·V′(t) at stock tails t, rises as t falls (its
//! derivative in t is −(x_P − t)·V″(t) < 0), while the natural route costs a constant c_n per kg.
//! So the stocks are used first, stripped down to the tails t* where g(t*) = c_n (t* lies between
//! the natural tails and natural assay), and only then does natural uranium become the limit.
//! The floor of the stock cascade's tails is therefore t*, computed once per product assay.
//!
//! **Why a ceiling.** With stocks far larger than the product, least-SWU tails float up to
//! almost the feed assay: one SQ from 408.6 kg of 60 % would be skimmed off at 58 % tails. Tails
//! above 20 wt-% are themselves HEU (direct-use material \[C1\]); no operator discards them, and
//! ISIS's Fordow estimates imply tails of 8–20 % (iran-program.md §4.2). The default ceiling is
//! therefore 20 wt-%, an input like every other.

use enrich::{Assay, KgU, Plan, Stock, TailsChoice, value_function};

use crate::error::BreakoutError;

/// wt-% U-235 of natural uranium (0.7204 at-% \[C4\]; 0.711 wt-% as used in SWU practice \[C6\]).
pub const NATURAL_WT_PCT: f64 = 0.711;
/// Default tails of the natural-uranium route, wt-% (ISIS: Iran leaves about half the U-235 in
/// the tails, ~0.4 %, when enriching natural uranium \[B38\]; iran-program.md §5).
pub const DEFAULT_NATURAL_TAILS_WT_PCT: f64 = 0.4;
/// Default ceiling of the stock cascade's tails, wt-%: the LEU/HEU boundary \[C1\].
pub const DEFAULT_TAILS_CEILING_WT_PCT: f64 = 20.0;

/// How the stock cascade's tails assay is chosen.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum TailsPolicy {
    /// Least-SWU tails, at most `ceiling` (and at least the split assay t*).
    Float {
        /// Highest admissible tails assay.
        ceiling: Assay,
    },
    /// This tails assay, e.g. to reproduce a published estimate that states its tails.
    Fixed(Assay),
}

/// The part of a production made from natural uranium.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct NaturalPart {
    /// Product, kg U.
    pub product_kg_u: f64,
    /// Natural uranium fed, kg U.
    pub feed_kg_u: f64,
    /// Tails, kg U.
    pub tails_kg_u: f64,
    /// Tails assay.
    pub tails_assay: Assay,
    /// Separative work, kg-SWU.
    pub separative_work_swu: f64,
}

/// A least-SWU production: what comes from the stocks and what from natural uranium.
#[derive(Debug, Clone, PartialEq)]
pub struct Production {
    /// Total product, kg U.
    pub product_kg_u: f64,
    /// The stock cascade's plan, if any stock is used.
    pub from_stocks: Option<Plan>,
    /// The natural cascade's share, if the stocks do not suffice.
    pub from_natural: Option<NaturalPart>,
}

impl Production {
    /// Total separative work, kg-SWU.
    pub fn separative_work_swu(&self) -> f64 {
        self.from_stocks
            .as_ref()
            .map_or(0.0, |p| p.separative_work.kg_swu())
            + self.from_natural.map_or(0.0, |n| n.separative_work_swu)
    }
}

/// The least-SWU planner for one product assay, with its split assay precomputed.
#[derive(Debug, Clone, PartialEq)]
pub struct IdealPlanner {
    product_assay: Assay,
    tails: TailsPolicy,
    natural_tails: Assay,
    /// Stock cascade tails floor: t* (floating) or the fixed tails.
    stock_floor: Assay,
    natural_feed_per_kg: f64,
    natural_swu_per_kg: f64,
}

/// V on a weight fraction known to lie in (0, 1).
fn v(x: f64) -> f64 {
    value_function(Assay::from_wt_fraction(x).expect("assays inside (0, 1) by construction"))
}

/// dV/dx for V(x) = (2x − 1)·ln(x / (1 − x)).
fn v_prime(x: f64) -> f64 {
    2.0 * (x / (1.0 - x)).ln() + (2.0 * x - 1.0) / (x * (1.0 - x))
}

impl IdealPlanner {
    /// A planner for product at `product_assay`, natural uranium stripped to `natural_tails`.
    ///
    /// # Errors
    /// [`BreakoutError::Invalid`] for natural tails not below natural assay, a product not above
    /// natural assay, or a tails ceiling or fixed tails not between the split assay t* (or the
    /// natural tails) and the product assay.
    pub fn new(
        product_assay: Assay,
        natural_tails: Assay,
        tails: TailsPolicy,
    ) -> Result<IdealPlanner, BreakoutError> {
        let (xp, xn, xf) = (
            product_assay.wt_fraction(),
            natural_tails.wt_fraction(),
            NATURAL_WT_PCT / 100.0,
        );
        if xn >= xf {
            return Err(BreakoutError::invalid(
                "natural tails (wt-% U-235)",
                natural_tails.wt_pct(),
                format!("an assay below natural uranium's {NATURAL_WT_PCT} wt-%"),
            ));
        }
        if xp <= xf {
            return Err(BreakoutError::invalid(
                "product assay (wt-% U-235)",
                product_assay.wt_pct(),
                format!("an assay above natural uranium's {NATURAL_WT_PCT} wt-%"),
            ));
        }
        let feed_per_kg = (xp - xn) / (xf - xn);
        let natural_swu_per_kg = v(xp) + (feed_per_kg - 1.0) * v(xn) - feed_per_kg * v(xf);
        // g(t) falls from above c_n at t = xn to below it at t = xf: bisect (60 halvings of an
        // interval < 1e-2 leave < 1e-20, far below any assay that matters).
        let g = |t: f64| v(xp) - v(t) - (xp - t) * v_prime(t);
        let (mut lo, mut hi) = (xn, xf);
        for _ in 0..60 {
            let mid = 0.5 * (lo + hi);
            if g(mid) > natural_swu_per_kg {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        let split = Assay::from_wt_fraction(0.5 * (lo + hi))?;
        let stock_floor = match tails {
            TailsPolicy::Float { ceiling } => {
                if ceiling <= split || ceiling >= product_assay {
                    return Err(BreakoutError::invalid(
                        "tails ceiling (wt-% U-235)",
                        ceiling.wt_pct(),
                        format!(
                            "an assay above the split assay {} wt-% and below the product assay {} wt-%",
                            enrich::units::significant(split.wt_pct(), 4),
                            product_assay.wt_pct()
                        ),
                    ));
                }
                split
            }
            TailsPolicy::Fixed(t) => {
                if t <= natural_tails || t >= product_assay {
                    return Err(BreakoutError::invalid(
                        "stock tails (wt-% U-235)",
                        t.wt_pct(),
                        "an assay above the natural-route tails and below the product assay",
                    ));
                }
                t
            }
        };
        Ok(IdealPlanner {
            product_assay,
            tails,
            natural_tails,
            stock_floor,
            natural_feed_per_kg: feed_per_kg,
            natural_swu_per_kg,
        })
    }

    /// The stock cascade's lowest tails: below it natural uranium is cheaper at the margin.
    pub fn stock_floor(&self) -> Assay {
        self.stock_floor
    }

    /// kg-SWU per kg U of product from natural uranium.
    pub fn natural_swu_per_kg(&self) -> f64 {
        self.natural_swu_per_kg
    }

    /// The most product the stocks can give before natural uranium is needed, kg U.
    pub fn stock_limit_kg(&self, stocks: &[Stock]) -> f64 {
        let t = self.stock_floor.wt_fraction();
        let xp = self.product_assay.wt_fraction();
        stocks
            .iter()
            .filter(|s| s.assay < self.product_assay)
            .map(|s| s.mass.kg() * (s.assay.wt_fraction() - t).max(0.0))
            .fold(0.0, |a, b| a + b)
            / (xp - t)
    }

    /// kg-SWU for `product_kg` kg U (the Monte Carlo path: no plan is kept).
    ///
    /// # Errors
    /// As [`IdealPlanner::production`].
    pub fn separative_work(&self, product_kg: f64, stocks: &[Stock]) -> Result<f64, BreakoutError> {
        let limit = self.stock_limit_kg(stocks);
        let from_stocks = product_kg.min(limit * (1.0 - 1e-10));
        let mut swu = (product_kg - from_stocks).max(0.0) * self.natural_swu_per_kg;
        if from_stocks > 0.0 {
            swu += self
                .stock_plan(from_stocks, stocks)?
                .separative_work
                .kg_swu();
        }
        Ok(swu)
    }

    /// The least-SWU production of `product_kg` kg U from `stocks` (each below the product
    /// assay) and natural uranium.
    ///
    /// # Errors
    /// [`BreakoutError::Invalid`] for a non-positive product; [`BreakoutError::Enrich`] if the
    /// plan is rejected (it is not for valid inputs).
    pub fn production(
        &self,
        product_kg: f64,
        stocks: &[Stock],
    ) -> Result<Production, BreakoutError> {
        if !(product_kg.is_finite() && product_kg > 0.0) {
            return Err(BreakoutError::invalid(
                "product (kg U)",
                product_kg,
                "a mass > 0",
            ));
        }
        let limit = self.stock_limit_kg(stocks);
        // Just inside the limit, so the floating plan never meets its floor by rounding.
        let from_stocks = product_kg.min(limit * (1.0 - 1e-10));
        let natural = product_kg - from_stocks;
        let from_stocks_plan = if from_stocks > 0.0 {
            Some(self.stock_plan(from_stocks, stocks)?)
        } else {
            None
        };
        let from_natural = (natural > 0.0).then(|| {
            let feed = natural * self.natural_feed_per_kg;
            NaturalPart {
                product_kg_u: natural,
                feed_kg_u: feed,
                tails_kg_u: feed - natural,
                tails_assay: self.natural_tails,
                separative_work_swu: natural * self.natural_swu_per_kg,
            }
        });
        Ok(Production {
            product_kg_u: product_kg,
            from_stocks: from_stocks_plan,
            from_natural,
        })
    }

    fn stock_plan(&self, product_kg: f64, stocks: &[Stock]) -> Result<Plan, BreakoutError> {
        let tails = match self.tails {
            TailsPolicy::Float { ceiling } => TailsChoice::Optimal {
                floor: Some(self.stock_floor),
                ceiling: Some(ceiling),
            },
            TailsPolicy::Fixed(t) => TailsChoice::Fixed(t),
        };
        Ok(Plan::least_swu(
            KgU::new(product_kg)?,
            self.product_assay,
            stocks,
            tails,
        )?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use approx::assert_relative_eq;
    use proptest::prelude::*;

    fn a(pct: f64) -> Assay {
        Assay::from_wt_pct(pct).unwrap()
    }
    fn stock(kg: f64, pct: f64) -> Stock {
        Stock {
            mass: KgU::new(kg).unwrap(),
            assay: a(pct),
        }
    }
    fn planner(ceiling: f64) -> IdealPlanner {
        IdealPlanner::new(
            a(90.0),
            a(0.4),
            TailsPolicy::Float {
                ceiling: a(ceiling),
            },
        )
        .unwrap()
    }

    /// Separative work of the reference cases of iran-program.md §4.2 (derived there with the
    /// same value function), reproduced through the planner.
    #[test]
    fn reference_separative_work() {
        let p = planner(20.0);
        for (product, stocks, swu, tol) in [
            // 25 kg WGU from 408.6 kg of 60 %: tails at the 20 % ceiling: ~56 SWU.
            (25.0, vec![stock(408.6, 60.0)], 56.0, 1.0),
            // 233 kg WGU from 408.6 kg of 60 % in three weeks (May 2025): tails 20.2 %, 520 SWU.
            (233.0, vec![stock(408.6, 60.0)], 520.0, 5.0),
            // 174 kg WGU from 274.8 kg of 60 % (Feb 2025): tails 8.2 %, 487 SWU.
            (174.0, vec![stock(274.8, 60.0)], 487.0, 5.0),
            // 25 kg WGU from natural uranium at 0.4 % tails: 4,261 SWU.
            (25.0, vec![], 4261.0, 2.0),
        ] {
            let got = p.separative_work(product, &stocks).unwrap();
            assert!(
                (got - swu).abs() < tol,
                "{product} kg from {stocks:?}: {got} vs {swu}"
            );
        }
    }

    #[test]
    fn split_assay_lies_between_natural_tails_and_natural() {
        let p = planner(20.0);
        let t = p.stock_floor().wt_pct();
        assert!(t > 0.4 && t < NATURAL_WT_PCT, "{t}");
        // At t* the marginal stock work equals the natural route's.
        let (xp, x) = (0.9, t / 100.0);
        let g = v(xp) - v(x) - (xp - x) * v_prime(x);
        assert_relative_eq!(g, p.natural_swu_per_kg(), max_relative = 1e-9);
    }

    #[test]
    fn natural_uranium_takes_over_when_stocks_run_out() {
        let p = planner(20.0);
        let stocks = [stock(202.8, 3.67)];
        let limit = p.stock_limit_kg(&stocks);
        let prod = p.production(limit + 10.0, &stocks).unwrap();
        let n = prod.from_natural.unwrap();
        assert_relative_eq!(n.product_kg_u, 10.0, max_relative = 1e-6);
        let plan = prod.from_stocks.unwrap();
        assert_relative_eq!(plan.draws[0].drawn.kg(), 202.8, max_relative = 1e-6);
        // Mass and U-235 balance of each route.
        assert_relative_eq!(
            n.feed_kg_u,
            n.product_kg_u + n.tails_kg_u,
            max_relative = 1e-12
        );
        let u235_in = n.feed_kg_u * NATURAL_WT_PCT / 100.0;
        let u235_out = n.product_kg_u * 0.9 + n.tails_kg_u * 0.004;
        assert_relative_eq!(u235_in, u235_out, max_relative = 1e-9);
    }

    proptest! {
        #[test]
        fn more_stock_or_product_behaves(m in 1.0..2000.0f64, pct in 1.0..80.0f64, extra in 0.0..500.0f64, p1 in 1.0..300.0f64, dp in 0.0..100.0f64) {
            let p = planner(20.0);
            let s = [stock(m, pct)];
            let more = [stock(m + extra, pct)];
            let w = p.separative_work(p1, &s).unwrap();
            prop_assert!(w > 0.0);
            // More stock is never more work; more product is never less.
            prop_assert!(p.separative_work(p1, &more).unwrap() <= w * (1.0 + 1e-9));
            prop_assert!(p.separative_work(p1 + dp, &s).unwrap() >= w * (1.0 - 1e-9));
        }
    }
}
