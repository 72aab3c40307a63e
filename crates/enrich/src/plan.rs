//! Least-SWU production of one product from several stocks.
//!
//! Each stock is fed at the point of an ideal cascade where the cascade's assay matches its own,
//! so no separative work is lost to mixing, and the separative work is the value balance
//! SWU = P·V(x_P) + T·V(x_T) − Σ Fᵢ·V(xᵢ). This is the idealised breakout bound.
//!
//! **Fixed tails.** With x_T fixed, SWU = P·(V(x_P) − V(x_T)) + Σ Fᵢ·(V(x_T) − V(xᵢ)) under the
//! single U-235 constraint Σ Fᵢ·(xᵢ − x_T) = P·(x_P − x_T) and 0 ≤ Fᵢ ≤ mᵢ: a fractional knapsack
//! whose cost per unit of U-235 above tails, (V(x_T) − V(xᵢ))/(xᵢ − x_T), is minus the slope of a
//! secant of the convex V from x_T, and so falls as xᵢ rises. Drawing the richest stocks first is
//! therefore exactly optimal.
//!
//! **Optimal tails.** With x_T free, the marginal SWU of drawing more of stock i is
//! V(x_T) + (xᵢ − x_T)·V'(x_T) − V(xᵢ) ≤ 0 (V lies above its tangents), so every usable stock is
//! drawn completely and the tails assay is whatever the balance leaves. A stock is usable when its
//! assay is above that tails assay (a stream cannot be fed below the tails end); taking stocks
//! richest first, the first one at or below the running tails assay ends the list. If that tails
//! assay exceeds the ceiling, the optimum sits on the ceiling and the fixed-tails knapsack solves
//! it; if it is below the floor, the stocks cannot make the product at the floor.

use crate::EnrichError;
use crate::assay::Assay;
use crate::balance::check_order;
use crate::error::positive;
use crate::mass::KgU;
use crate::units::Swu;
use crate::value::value_of_fraction;

/// How the tails assay of a plan is chosen.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum TailsChoice {
    /// This tails assay.
    Fixed(Assay),
    /// The tails assay that minimises separative work while the stocks last, within optional
    /// bounds.
    Optimal {
        /// Lowest admissible tails assay.
        floor: Option<Assay>,
        /// Highest admissible tails assay.
        ceiling: Option<Assay>,
    },
}

/// A stock of uranium available as feed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Stock {
    /// How much there is.
    pub mass: KgU,
    /// Its assay.
    pub assay: Assay,
}

/// How much of one stock a plan uses.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StockDraw {
    /// The stock as given.
    pub stock: Stock,
    /// The mass drawn from it, 0 ≤ drawn ≤ stock.mass.
    pub drawn: KgU,
}

/// Why a plan's tails assay is what it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TailsBinding {
    /// The caller fixed it.
    Fixed,
    /// Every usable stock is drawn completely; the balance sets the tails assay.
    StocksExhausted,
    /// The free optimum lies above the ceiling; the plan sits on it.
    Ceiling,
}

/// A least-SWU production plan.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    /// Product mass.
    pub product: KgU,
    /// Product assay.
    pub product_assay: Assay,
    /// One entry per stock, in the order given.
    pub draws: Vec<StockDraw>,
    /// Total feed drawn.
    pub feed: KgU,
    /// Tails mass.
    pub tails: KgU,
    /// Tails assay.
    pub tails_assay: Assay,
    /// Separative work.
    pub separative_work: Swu,
    /// Why the tails assay is what it is.
    pub binding: TailsBinding,
}

impl Plan {
    /// The least-SWU plan for `product` kg U at `product_assay` from `stocks`.
    ///
    /// # Errors
    /// [`EnrichError::NotPositive`] for a non-positive product; [`EnrichError::Inconsistent`] for
    /// no stocks or a stock at or above the product assay (it needs no enrichment);
    /// [`EnrichError::InsufficientFeed`] when the stocks cannot make the product at the (fixed or
    /// floor) tails assay; [`EnrichError::AssaysNotOrdered`] for a fixed tails at or above every
    /// stock.
    ///
    /// # Examples
    /// ```
    /// use enrich::{Assay, KgU, Plan, Stock, TailsChoice};
    /// let stocks = [
    ///     Stock { mass: KgU::new(408.6)?, assay: Assay::from_wt_pct(60.0)? },
    ///     Stock { mass: KgU::new(5000.0)?, assay: Assay::from_wt_pct(3.67)? },
    /// ];
    /// let plan = Plan::least_swu(KgU::new(25.0)?, Assay::from_wt_pct(90.0)?, &stocks,
    ///     TailsChoice::Fixed(Assay::from_wt_pct(20.0)?))?;
    /// assert_eq!(plan.draws[1].drawn.kg(), 0.0); // 60 % alone suffices
    /// # Ok::<(), enrich::EnrichError>(())
    /// ```
    pub fn least_swu(
        product: KgU,
        product_assay: Assay,
        stocks: &[Stock],
        tails: TailsChoice,
    ) -> Result<Plan, EnrichError> {
        let p = positive("product mass", product.kg(), "kg U")?;
        if stocks.is_empty() {
            return Err(EnrichError::Inconsistent(
                "a plan needs at least one stock".into(),
            ));
        }
        if let Some(s) = stocks.iter().find(|s| s.assay >= product_assay) {
            return Err(EnrichError::Inconsistent(format!(
                "stock of {} at {} is not below the product assay {}: material at or above the product assay needs no enrichment (blend it down instead)",
                s.mass, s.assay, product_assay
            )));
        }
        // Richest first; ties keep input order so the plan is deterministic.
        let mut order: Vec<usize> = (0..stocks.len()).collect();
        order.sort_by(|&i, &j| {
            stocks[j]
                .assay
                .partial_cmp(&stocks[i].assay)
                .expect("assays are finite")
        });
        match tails {
            TailsChoice::Fixed(xt) => {
                fixed_tails(p, product_assay, stocks, &order, xt, TailsBinding::Fixed)
            }
            TailsChoice::Optimal { floor, ceiling } => {
                optimal_tails(p, product_assay, stocks, &order, floor, ceiling)
            }
        }
    }
}

fn fixed_tails(
    p: f64,
    xp: Assay,
    stocks: &[Stock],
    order: &[usize],
    xt: Assay,
    binding: TailsBinding,
) -> Result<Plan, EnrichError> {
    let richest = stocks[order[0]].assay;
    check_order(richest, xp, xt)?;
    let t = xt.wt_fraction();
    let needed = p * (xp.wt_fraction() - t);
    let mut remaining = needed;
    let mut drawn = vec![0.0; stocks.len()];
    for &i in order {
        let excess = stocks[i].assay.wt_fraction() - t;
        if excess <= 0.0 || remaining <= 0.0 {
            break;
        }
        let take = (remaining / excess).min(stocks[i].mass.kg());
        drawn[i] = take;
        remaining -= take * excess;
    }
    // Relative slack for the rounding of the running subtraction above.
    if remaining > needed * 1e-12 {
        let available: f64 = stocks
            .iter()
            .map(|s| s.mass.kg() * (s.assay.wt_fraction() - t).max(0.0))
            .sum();
        return Err(EnrichError::InsufficientFeed {
            requested_kg_u: p,
            product_wt_pct: xp.wt_pct(),
            tails_wt_pct: xt.wt_pct(),
            needed_kg_u235: needed,
            available_kg_u235: available,
        });
    }
    Ok(assemble(p, xp, stocks, drawn, t, binding))
}

fn optimal_tails(
    p: f64,
    xp: Assay,
    stocks: &[Stock],
    order: &[usize],
    floor: Option<Assay>,
    ceiling: Option<Assay>,
) -> Result<Plan, EnrichError> {
    let x_p = xp.wt_fraction();
    let (mut mass, mut u235) = (0.0, 0.0);
    let mut tails = None;
    for &i in order {
        let x = stocks[i].assay.wt_fraction();
        if tails.is_some_and(|t| x <= t) {
            break;
        }
        mass += stocks[i].mass.kg();
        u235 += stocks[i].mass.kg() * x;
        // Feasible once there is uranium left for tails and U-235 left above zero assay.
        tails = (mass > p && u235 > p * x_p).then(|| (u235 - p * x_p) / (mass - p));
    }
    let Some(t) = tails else {
        let t0 = floor.unwrap_or(Assay::from_wt_fraction(f64::MIN_POSITIVE)?);
        return fixed_tails(p, xp, stocks, order, t0, TailsBinding::Fixed);
    };
    if let Some(c) = ceiling.filter(|c| t > c.wt_fraction()) {
        return fixed_tails(p, xp, stocks, order, c, TailsBinding::Ceiling);
    }
    if let Some(f) = floor.filter(|f| t < f.wt_fraction()) {
        // Reports the shortfall at the floor.
        return fixed_tails(p, xp, stocks, order, f, TailsBinding::Fixed);
    }
    let drawn = stocks
        .iter()
        .map(|s| {
            if s.assay.wt_fraction() > t {
                s.mass.kg()
            } else {
                0.0
            }
        })
        .collect();
    Ok(assemble(
        p,
        xp,
        stocks,
        drawn,
        t,
        TailsBinding::StocksExhausted,
    ))
}

fn assemble(
    p: f64,
    xp: Assay,
    stocks: &[Stock],
    drawn: Vec<f64>,
    t: f64,
    binding: TailsBinding,
) -> Plan {
    let feed: f64 = drawn.iter().sum();
    let tails = feed - p;
    let swu = p * value_of_fraction(xp.wt_fraction()) + tails * value_of_fraction(t)
        - stocks
            .iter()
            .zip(&drawn)
            .map(|(s, d)| d * value_of_fraction(s.assay.wt_fraction()))
            .sum::<f64>();
    Plan {
        product: KgU::raw(p),
        product_assay: xp,
        draws: stocks
            .iter()
            .zip(drawn)
            .map(|(s, d)| StockDraw {
                stock: *s,
                drawn: KgU::raw(d),
            })
            .collect(),
        feed: KgU::raw(feed),
        tails: KgU::raw(tails),
        tails_assay: Assay::from_wt_fraction(t)
            .expect("tails assay lies between 0 and the feed assays"),
        separative_work: Swu::raw(swu),
        binding,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::balance::Balance;
    use approx::assert_relative_eq;

    fn a(pct: f64) -> Assay {
        Assay::from_wt_pct(pct).unwrap()
    }
    fn stock(kg: f64, pct: f64) -> Stock {
        Stock {
            mass: KgU::new(kg).unwrap(),
            assay: a(pct),
        }
    }
    const FREE: TailsChoice = TailsChoice::Optimal {
        floor: None,
        ceiling: None,
    };

    #[test]
    fn one_stock_fixed_tails_equals_the_binary_balance() {
        let plan = Plan::least_swu(
            KgU::new(25.0).unwrap(),
            a(90.0),
            &[stock(1e6, 0.711)],
            TailsChoice::Fixed(a(0.3)),
        )
        .unwrap();
        let b = Balance::from_product(a(0.711), a(90.0), a(0.3), KgU::new(25.0).unwrap()).unwrap();
        assert_relative_eq!(
            plan.separative_work.kg_swu(),
            b.separative_work.kg_swu(),
            max_relative = 1e-12
        );
        assert_relative_eq!(plan.feed.kg(), b.feed.kg(), max_relative = 1e-12);
        // 25 kg WGU from natural at 0.3 % tails: 4823 SWU, 5456 kg feed (iran-program.md §4.2).
        assert!((plan.separative_work.kg_swu() - 4823.4).abs() < 0.5);
    }

    /// The JCPOA illustration in enrichment-physics.md §5.5: 202.8 kg U at 3.67 % and natural
    /// uranium, 25 kg at 90 %. The 3.67 % stock taken alone at 0.711 % tails yields 6.72 kg for
    /// 352 SWU, and the other 18.28 kg from natural at 0.3 % tails take 3527 SWU: 3879 SWU. One
    /// ideal cascade fed with both at 0.3 % tails must cost exactly that, because tails of
    /// 0.711 % are natural uranium and rejoin the natural feed without mixing loss.
    #[test]
    fn jcpoa_stock_plus_natural_beats_separate_steps() {
        let plan = Plan::least_swu(
            KgU::new(25.0).unwrap(),
            a(90.0),
            &[stock(202.8, 3.67), stock(1e5, 0.711)],
            TailsChoice::Fixed(a(0.3)),
        )
        .unwrap();
        assert_relative_eq!(plan.draws[0].drawn.kg(), 202.8);
        assert!(
            (plan.separative_work.kg_swu() - 3879.0).abs() < 1.0,
            "{}",
            plan.separative_work
        );
        let b = Balance::from_product(a(3.67), a(90.0), a(0.711), KgU::new(6.72).unwrap()).unwrap();
        assert!(
            (b.feed.kg() - 202.8).abs() < 0.3 && (b.separative_work.kg_swu() - 352.0).abs() < 1.0
        );
    }

    /// ISIS May 2025 (iran-program.md §4.2): 408.6 kg U at 60 % turned entirely into 90 % gives
    /// 233 kg WGU at tails ≈ 20 %; with 274.8 kg, 174 kg at tails ≈ 8 %. Taking 233 kg from 408.6
    /// kg, the optimal-tails plan must land near 20 % and cost ≈ 520 SWU.
    #[test]
    fn isis_fordow_2025_tails_float() {
        let plan = Plan::least_swu(
            KgU::new(233.0).unwrap(),
            a(90.0),
            &[stock(408.6, 60.0)],
            FREE,
        )
        .unwrap();
        assert_eq!(plan.binding, TailsBinding::StocksExhausted);
        assert!(
            (plan.tails_assay.wt_pct() - 20.2).abs() < 0.3,
            "{}",
            plan.tails_assay
        );
        assert!(
            (plan.separative_work.kg_swu() - 520.0).abs() < 10.0,
            "{}",
            plan.separative_work
        );
        let plan = Plan::least_swu(
            KgU::new(174.0).unwrap(),
            a(90.0),
            &[stock(274.8, 60.0)],
            FREE,
        )
        .unwrap();
        assert!(
            (plan.tails_assay.wt_pct() - 8.2).abs() < 0.3,
            "{}",
            plan.tails_assay
        );
        assert!(
            (plan.separative_work.kg_swu() - 487.0).abs() < 10.0,
            "{}",
            plan.separative_work
        );
    }

    #[test]
    fn ceiling_and_floor() {
        let stocks = [stock(408.6, 60.0), stock(5000.0, 3.67)];
        let free = Plan::least_swu(KgU::new(25.0).unwrap(), a(90.0), &stocks, FREE).unwrap();
        assert!(free.tails_assay.wt_pct() > 3.0, "{}", free.tails_assay);
        let capped = Plan::least_swu(
            KgU::new(25.0).unwrap(),
            a(90.0),
            &stocks,
            TailsChoice::Optimal {
                floor: None,
                ceiling: Some(a(20.0)),
            },
        )
        .unwrap();
        assert_eq!(capped.binding, TailsBinding::Ceiling);
        assert_relative_eq!(capped.tails_assay.wt_pct(), 20.0, max_relative = 1e-12);
        assert!(capped.separative_work > free.separative_work);
        let e = Plan::least_swu(
            KgU::new(25.0).unwrap(),
            a(90.0),
            &[stock(30.0, 60.0)],
            TailsChoice::Optimal {
                floor: Some(a(20.0)),
                ceiling: None,
            },
        )
        .unwrap_err();
        assert!(matches!(e, EnrichError::InsufficientFeed { .. }), "{e}");
    }

    #[test]
    fn errors() {
        let p = KgU::new(25.0).unwrap();
        for (stocks, tails, needle) in [
            (vec![], FREE, "at least one stock"),
            (vec![stock(10.0, 95.0)], FREE, "not below the product assay"),
            (
                vec![stock(10.0, 60.0)],
                TailsChoice::Fixed(a(20.0)),
                "stocks are insufficient",
            ),
            (
                vec![stock(10.0, 3.67)],
                TailsChoice::Fixed(a(5.0)),
                "tails < feed < product",
            ),
            (vec![stock(10.0, 60.0)], FREE, "stocks are insufficient"),
        ] {
            let e = Plan::least_swu(p, a(90.0), &stocks, tails)
                .unwrap_err()
                .to_string();
            assert!(e.contains(needle), "{e}");
        }
    }
}
