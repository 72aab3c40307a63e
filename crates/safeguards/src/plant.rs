//! An enrichment-plant balance generator: from a capacity (kg-SWU/yr), assays, cylinder fills,
//! balance periods per year and instrument uncertainties, the strata of feed, product and tails
//! cylinders (flows and on-site stocks) for one year, as a [`Balance`].
//!
//! Model (assumptions, stated so they can be checked):
//! * The annual flows are the ideal-cascade balance of `enrich` at the given assays, spread
//!   evenly over the periods; each period's flow fills ⌈flow / fill⌉ cylinders of equal content
//!   (so the period totals are exact).
//! * Each stream keeps a stock of `inventory_days` of its flow on site, counted in full cylinders
//!   at every inventory taking (the same stock every time: the declared balance closes, MUF = 0).
//! * Every cylinder is weighed (mass), sampled for the U factor (concentration) and for its U-235
//!   fraction with a method per assay range (natural, LEU, depleted), as in safeguards.md §1.2:
//!   a common scale and laboratory cancel between feed and product/tails, enrichment standards
//!   of different ranges do not. Cascade hold-up and trap/waste streams are not modelled.

use enrich::{Assay, Balance as Enrichment, ChemicalForm, Composition, Given, Swu};

use crate::balance::{Balance, ErrorGroup, ErrorSource, Measures, Role, Stratum};
use crate::error::{SafeguardsError, non_negative, positive};

/// A random and a systematic relative standard deviation (fractions: 0.001 = 0.1 %).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rsd {
    /// Per-item random relative s.d.
    pub random: f64,
    /// Per-calibration systematic relative s.d.
    pub systematic: f64,
}

/// The measurement system of the plant.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Instruments {
    /// Cylinder weighing (net UF6 mass).
    pub weighing: Rsd,
    /// Uranium mass fraction of UF6 (U factor).
    pub u_factor: Rsd,
    /// U-235 fraction of the feed (natural range).
    pub enrichment_feed: Rsd,
    /// U-235 fraction of the product (LEU range).
    pub enrichment_product: Rsd,
    /// U-235 fraction of the tails (depleted range).
    pub enrichment_tails: Rsd,
    /// Recalibrate every balance period (fresh systematic errors) or once a year.
    pub recalibrated_each_period: bool,
}

/// What the plant is.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PlantSpec {
    /// Separative capacity, kg-SWU per year.
    pub capacity_swu_per_yr: f64,
    /// Feed, product and tails assays, wt-% U-235.
    pub feed_wt_pct: f64,
    /// Product assay, wt-% U-235.
    pub product_wt_pct: f64,
    /// Tails assay, wt-% U-235.
    pub tails_wt_pct: f64,
    /// Balance periods in the year (1 = annual balance, 12 = monthly).
    pub periods_per_year: usize,
    /// UF6 fill of a feed cylinder, kg UF6.
    pub feed_cylinder_kg_uf6: f64,
    /// UF6 fill of a product cylinder, kg UF6.
    pub product_cylinder_kg_uf6: f64,
    /// UF6 fill of a tails cylinder, kg UF6.
    pub tails_cylinder_kg_uf6: f64,
    /// Stock of each stream on site, in days of its flow.
    pub inventory_days: f64,
    /// The measurement system.
    pub instruments: Instruments,
}

/// A generated plant: its annual flows and the balance over one year.
#[derive(Debug, Clone, PartialEq)]
pub struct Plant {
    /// The balance of the year (one stratum per stream and period or inventory taking).
    pub balance: Balance,
    /// Feed, product and tails per year, kg U.
    pub feed_kg_u_per_yr: f64,
    /// Product per year, kg U.
    pub product_kg_u_per_yr: f64,
    /// Tails per year, kg U.
    pub tails_kg_u_per_yr: f64,
    /// Feed, product and tails cylinders per year (flows).
    pub cylinders_per_yr: [usize; 3],
}

impl From<enrich::EnrichError> for SafeguardsError {
    fn from(e: enrich::EnrichError) -> Self {
        SafeguardsError::Inconsistent(e.to_string())
    }
}

/// Most cylinders one stratum of a generated balance may hold: far above any real plant
/// (a 10⁶ kg-SWU/yr plant fills a few thousand a year), and a bound on what one balance
/// allocates.
pub const MAX_CYLINDERS_PER_STRATUM: f64 = 1e7;

/// A stratum of `total_kg_u` in cylinders of `cylinder_kg_u`, checked before it is allocated.
fn items(total_kg_u: f64, cylinder_kg_u: f64) -> Result<Vec<f64>, SafeguardsError> {
    let count = ((total_kg_u / cylinder_kg_u) - 1e-9).ceil().max(1.0);
    if !(count.is_finite() && count <= MAX_CYLINDERS_PER_STRATUM) {
        return Err(SafeguardsError::Inconsistent(format!(
            "{count:.3e} cylinders in one stratum (throughput over cylinder mass): expected at \
             most {MAX_CYLINDERS_PER_STRATUM:e}; a smaller plant or larger cylinders"
        )));
    }
    let count = count as usize;
    Ok(vec![total_kg_u / count as f64; count])
}

/// Generates the plant's strata and error groups for one year.
///
/// # Errors
/// [`SafeguardsError::OutOfRange`] for a non-positive capacity or cylinder fill, zero periods,
/// a negative stock or s.d.; [`SafeguardsError::Inconsistent`] for assays the enrichment
/// balance rejects (e.g. not feed > tails, product > feed).
pub fn generate(spec: &PlantSpec) -> Result<Plant, SafeguardsError> {
    positive("capacity (kg-SWU/yr)", spec.capacity_swu_per_yr)?;
    positive("feed cylinder fill (kg UF6)", spec.feed_cylinder_kg_uf6)?;
    positive(
        "product cylinder fill (kg UF6)",
        spec.product_cylinder_kg_uf6,
    )?;
    positive("tails cylinder fill (kg UF6)", spec.tails_cylinder_kg_uf6)?;
    non_negative("inventory (days of flow)", spec.inventory_days)?;
    let n = spec.periods_per_year;
    if n == 0 {
        return Err(SafeguardsError::OutOfRange {
            what: "balance periods per year".into(),
            value: 0.0,
            expected: "at least 1".into(),
        });
    }
    let xf = Assay::named_wt_pct("feed assay", spec.feed_wt_pct)?;
    let xp = Assay::named_wt_pct("product assay", spec.product_wt_pct)?;
    let xt = Assay::named_wt_pct("tails assay", spec.tails_wt_pct)?;
    let year = Enrichment::solve(xf, xp, xt, Given::Swu(Swu::new(spec.capacity_swu_per_yr)?))?;
    let i = &spec.instruments;
    let g = |name: &str, r: Rsd| ErrorGroup {
        name: name.into(),
        random_rsd: r.random,
        systematic_rsd: r.systematic,
        recalibrated_each_period: i.recalibrated_each_period,
    };
    let groups = vec![
        g("weighing", i.weighing),
        g("U factor", i.u_factor),
        g("U-235 natural range", i.enrichment_feed),
        g("U-235 LEU range", i.enrichment_product),
        g("U-235 depleted range", i.enrichment_tails),
    ];
    let sources = |ms: usize| {
        vec![
            ErrorSource {
                group: 0,
                measures: Measures::Mass,
            },
            ErrorSource {
                group: 1,
                measures: Measures::Concentration,
            },
            ErrorSource {
                group: ms,
                measures: Measures::Enrichment,
            },
        ]
    };
    let streams = [
        (
            "feed",
            year.feed.kg(),
            xf,
            spec.feed_cylinder_kg_uf6,
            2usize,
        ),
        (
            "product",
            year.product.kg(),
            xp,
            spec.product_cylinder_kg_uf6,
            3,
        ),
        ("tails", year.tails.kg(), xt, spec.tails_cylinder_kg_uf6, 4),
    ];
    let mut strata = Vec::new();
    let mut cylinders = [0usize; 3];
    for (s, &(name, annual, assay, fill_uf6, ms)) in streams.iter().enumerate() {
        let cyl_u = fill_uf6 * ChemicalForm::Uf6.uranium_mass_fraction(&Composition::binary(assay));
        let per_period = annual / n as f64;
        for p in 1..=n {
            let its = items(per_period, cyl_u)?;
            cylinders[s] += its.len();
            strata.push(Stratum {
                name: format!("{name} cylinders, period {p}"),
                role: if s == 0 {
                    Role::Receipt { period: p }
                } else {
                    Role::Shipment { period: p }
                },
                items_kg_u: its,
                wt_pct: assay.wt_pct(),
                errors: sources(ms),
            });
        }
        let stock = annual * spec.inventory_days / enrich::units::DAYS_PER_YEAR;
        if stock > 0.0 {
            for t in 0..=n {
                strata.push(Stratum {
                    name: format!("{name} stock after period {t}"),
                    role: Role::Inventory { after_period: t },
                    items_kg_u: items(stock, cyl_u)?,
                    wt_pct: assay.wt_pct(),
                    errors: sources(ms),
                });
            }
        }
    }
    Ok(Plant {
        balance: Balance::new(n, groups, strata)?,
        feed_kg_u_per_yr: year.feed.kg(),
        product_kg_u_per_yr: year.product.kg(),
        tails_kg_u_per_yr: year.tails.kg(),
        cylinders_per_yr: cylinders,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::balance::Species;
    use approx::assert_abs_diff_eq;

    const ILLUSTRATIVE: Instruments = Instruments {
        weighing: Rsd {
            random: 0.0005,
            systematic: 0.0005,
        },
        u_factor: Rsd {
            random: 0.0005,
            systematic: 0.0005,
        },
        enrichment_feed: Rsd {
            random: 0.001,
            systematic: 0.001,
        },
        enrichment_product: Rsd {
            random: 0.001,
            systematic: 0.001,
        },
        enrichment_tails: Rsd {
            random: 0.002,
            systematic: 0.002,
        },
        recalibrated_each_period: false,
    };

    fn spec(swu: f64, periods: usize) -> PlantSpec {
        PlantSpec {
            capacity_swu_per_yr: swu,
            feed_wt_pct: 0.711,
            product_wt_pct: 4.5,
            tails_wt_pct: 0.25,
            periods_per_year: periods,
            feed_cylinder_kg_uf6: 12_500.0,
            product_cylinder_kg_uf6: 2277.0,
            tails_cylinder_kg_uf6: 12_500.0,
            inventory_days: 30.0,
            instruments: ILLUSTRATIVE,
        }
    }

    /// 1 MSWU/yr, 4.5 % from natural at 0.25 %: ≈ 1342 t U feed, 146 t U product (≈ 95 30B
    /// cylinders), 1196 t U tails (safeguards.md §5). The declared balance closes (MUF = 0).
    #[test]
    fn one_msw_plant_flows_match_the_reference_throughput() {
        let p = generate(&spec(1e6, 1)).unwrap();
        assert!(
            (p.feed_kg_u_per_yr / 1.342e6 - 1.0).abs() < 0.002,
            "{}",
            p.feed_kg_u_per_yr
        );
        assert!(
            (p.product_kg_u_per_yr / 1.46e5 - 1.0).abs() < 0.005,
            "{}",
            p.product_kg_u_per_yr
        );
        assert!(
            (95..=97).contains(&p.cylinders_per_yr[1]),
            "{:?}",
            p.cylinders_per_yr
        );
        for s in [Species::Element, Species::Isotope] {
            for m in p.balance.muf(s) {
                assert_abs_diff_eq!(m, 0.0, epsilon = 1e-6);
            }
        }
    }

    /// The common scale and U factor cancel in the element balance's systematic part
    /// (F = P + T), while the isotope balance keeps the enrichment systematic terms: its
    /// annual σ is dominated by s_e,feed × feed U-235 (0.1 % × 9.5 t ≈ 9.5 kg).
    #[test]
    fn systematic_weighing_cancels_but_enrichment_standards_do_not() {
        let p = generate(&spec(1e6, 1)).unwrap();
        let el = p.balance.covariance_parts(Species::Element);
        assert!(el.systematic.get(0, 0) < 1e-6 * el.random.get(0, 0));
        let iso = p.balance.covariance_parts(Species::Isotope);
        let feed235 = p.feed_kg_u_per_yr * 0.00711;
        assert!(iso.systematic.get(0, 0) > (0.001 * feed235).powi(2));
        let sigma = p.balance.evaluate(Species::Isotope).unwrap().sigma_muf_kg()[0];
        assert!(sigma > 9.0 && sigma < 20.0, "{sigma}");
    }

    /// σ_MUF grows with plant size: the systematic part linearly, the random part as √size.
    #[test]
    fn sigma_scales_with_capacity() {
        let s = |swu: f64| {
            let p = generate(&spec(swu, 1)).unwrap();
            let c = p.balance.covariance_parts(Species::Isotope);
            (c.random.get(0, 0), c.systematic.get(0, 0))
        };
        let (r1, s1) = s(1e6);
        let (r4, s4) = s(4e6);
        assert!((s4 / s1 / 16.0 - 1.0).abs() < 1e-9);
        assert!((r4 / r1 / 4.0 - 1.0).abs() < 0.02, "{}", r4 / r1);
    }

    #[test]
    fn bad_plants_are_rejected() {
        assert!(generate(&spec(-1.0, 1)).is_err());
        assert!(generate(&spec(1e6, 0)).is_err());
        let e = generate(&PlantSpec {
            tails_wt_pct: 0.8,
            ..spec(1e6, 1)
        })
        .unwrap_err();
        assert!(
            e.to_string().contains("0.8") || e.to_string().contains("tails"),
            "{e}"
        );
    }
}
