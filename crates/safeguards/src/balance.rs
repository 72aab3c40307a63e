//! The material balance as data: error groups, strata of measured items, and their place in a
//! sequence of balance periods; from it the MUF of each period and the full MUF covariance Σ.
//!
//! Σ is built by the general linear form of safeguards.md §1.3: every measured quantity q enters
//! period i with a sign a_iq ∈ {−1, 0, +1} (receipts +, shipments −, an inventory taken at the
//! end of period t is − in period t and + in period t+1), each error source contributes a random
//! term r² x_q² a_q a_qᵀ per item and a systematic term s² b bᵀ per calibration, b_i = Σ_q a_iq x_q.
//! Item-wise random errors (not one error per period total, as MAPIT's analytic formulas assume)
//! and the covariance of shared inventories are therefore both kept.
//!
//! Enrichment plants keep two balances: the element (kg U) and the isotope (kg U-235) balance.
//! An item's U-235 content is W·c·e (net mass × U fraction × U-235 fraction), so each error
//! source says which factor it measures; the element balance ignores the enrichment sources.

use crate::error::{SafeguardsError, non_negative, open_interval};
use crate::linalg::SymMatrix;
use crate::sequence::MufSequence;

/// Which balance: uranium element or the U-235 isotope.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Species {
    /// kg U.
    Element,
    /// kg U-235.
    Isotope,
}

impl Species {
    /// The unit of this balance, for labels.
    pub fn unit(self) -> &'static str {
        match self {
            Species::Element => "kg U",
            Species::Isotope => "kg U-235",
        }
    }
}

/// What factor of an item's U-235 content W·c·e a measurement determines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Measures {
    /// Net UF6 (or compound) mass W: weighing.
    Mass,
    /// Uranium mass fraction c: e.g. gravimetric U factor.
    Concentration,
    /// U-235 weight fraction e: mass spectrometry or NDA. Ignored by the element balance.
    Enrichment,
}

/// A measurement method with one calibration: its random error is drawn afresh for every item,
/// its systematic error once per calibration (relative standard deviations, as fractions).
#[derive(Debug, Clone, PartialEq)]
pub struct ErrorGroup {
    /// Name used in reports and by strata.
    pub name: String,
    /// Relative s.d. of the per-item random error (0.001 = 0.1 %).
    pub random_rsd: f64,
    /// Relative s.d. of the systematic error shared by all items of one calibration.
    pub systematic_rsd: f64,
    /// True if the method is recalibrated every balance period (a fresh systematic error per
    /// period); false if one calibration covers the whole sequence.
    pub recalibrated_each_period: bool,
}

/// Where a stratum enters the balance sequence (periods are 1-based).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Material received during `period` (+ in MUF_period).
    Receipt {
        /// 1-based balance period.
        period: usize,
    },
    /// Material shipped or discarded (measured) during `period` (− in MUF_period).
    Shipment {
        /// 1-based balance period.
        period: usize,
    },
    /// Physical inventory taken at the end of period `after_period` (0 = the opening inventory):
    /// ending inventory of that period and beginning inventory of the next.
    Inventory {
        /// 0 ≤ after_period ≤ number of periods.
        after_period: usize,
    },
}

/// One error source of a stratum: a group and the factor it measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ErrorSource {
    /// Index into [`Balance::groups`].
    pub group: usize,
    /// The factor of W·c·e it determines.
    pub measures: Measures,
}

/// Items of one kind measured the same way (feed cylinders received in period 3, …).
#[derive(Debug, Clone, PartialEq)]
pub struct Stratum {
    /// Name used in reports.
    pub name: String,
    /// Where the stratum enters the sequence.
    pub role: Role,
    /// Uranium content of each item, kg U (measured values).
    pub items_kg_u: Vec<f64>,
    /// U-235 content of the items, wt-% (measured value).
    pub wt_pct: f64,
    /// The error sources of each item's measurement.
    pub errors: Vec<ErrorSource>,
}

/// A validated balance: periods, error groups and strata.
#[derive(Debug, Clone, PartialEq)]
pub struct Balance {
    periods: usize,
    groups: Vec<ErrorGroup>,
    strata: Vec<Stratum>,
}

/// The MUF covariance split into its random and systematic parts (Σ = random + systematic).
#[derive(Debug, Clone, PartialEq)]
pub struct CovarianceParts {
    /// A diag(r² x²) Aᵀ.
    pub random: SymMatrix,
    /// B diag(s²) Bᵀ.
    pub systematic: SymMatrix,
}

impl Balance {
    /// Validates a balance.
    ///
    /// # Errors
    /// [`SafeguardsError::OutOfRange`] for zero periods, a negative or non-finite relative s.d.,
    /// a negative or non-finite item mass, an assay outside (0, 100] wt-%, or a period outside
    /// the sequence; [`SafeguardsError::Unknown`] for an error source naming no group;
    /// [`SafeguardsError::Inconsistent`] for a stratum without items.
    pub fn new(
        periods: usize,
        groups: Vec<ErrorGroup>,
        strata: Vec<Stratum>,
    ) -> Result<Self, SafeguardsError> {
        if periods == 0 {
            return Err(SafeguardsError::OutOfRange {
                what: "periods".into(),
                value: 0.0,
                expected: "at least one balance period".into(),
            });
        }
        for g in &groups {
            non_negative(
                &format!("random_rsd of error group `{}`", g.name),
                g.random_rsd,
            )?;
            non_negative(
                &format!("systematic_rsd of error group `{}`", g.name),
                g.systematic_rsd,
            )?;
        }
        for s in &strata {
            if s.items_kg_u.is_empty() {
                return Err(SafeguardsError::Inconsistent(format!(
                    "stratum `{}` has no items",
                    s.name
                )));
            }
            for (k, &x) in s.items_kg_u.iter().enumerate() {
                non_negative(&format!("item {} of stratum `{}` (kg U)", k + 1, s.name), x)?;
            }
            open_interval(
                &format!("wt_pct of stratum `{}`", s.name),
                s.wt_pct,
                0.0,
                100.000_000_1,
            )?;
            let (p, lo) = match s.role {
                Role::Receipt { period } | Role::Shipment { period } => (period, 1),
                Role::Inventory { after_period } => (after_period, 0),
            };
            if p < lo || p > periods {
                return Err(SafeguardsError::OutOfRange {
                    what: format!("period of stratum `{}`", s.name),
                    value: p as f64,
                    expected: format!("{lo} to {periods} (the balance has {periods} periods)"),
                });
            }
            for e in &s.errors {
                if e.group >= groups.len() {
                    return Err(SafeguardsError::Unknown {
                        kind: "error group",
                        name: format!("#{}", e.group),
                        known: groups
                            .iter()
                            .map(|g| g.name.as_str())
                            .collect::<Vec<_>>()
                            .join(", "),
                    });
                }
            }
        }
        Ok(Balance {
            periods,
            groups,
            strata,
        })
    }

    /// Number of balance periods.
    pub fn periods(&self) -> usize {
        self.periods
    }

    /// The error groups.
    pub fn groups(&self) -> &[ErrorGroup] {
        &self.groups
    }

    /// The strata.
    pub fn strata(&self) -> &[Stratum] {
        &self.strata
    }

    /// Total number of measured items.
    pub fn items(&self) -> usize {
        self.strata.iter().map(|s| s.items_kg_u.len()).sum()
    }

    /// The signed entries (0-based period index, sign) of a stratum in the MUF sequence.
    fn incidence(&self, role: Role) -> ([(usize, f64); 2], usize) {
        match role {
            Role::Receipt { period } => ([(period - 1, 1.0), (0, 0.0)], 1),
            Role::Shipment { period } => ([(period - 1, -1.0), (0, 0.0)], 1),
            Role::Inventory { after_period: t } => {
                if t == 0 {
                    ([(0, 1.0), (0, 0.0)], 1)
                } else if t == self.periods {
                    ([(t - 1, -1.0), (0, 0.0)], 1)
                } else {
                    ([(t - 1, -1.0), (t, 1.0)], 2)
                }
            }
        }
    }

    /// The calibration a systematic error of `group` belongs to for a stratum with `role`.
    fn calibration(&self, group: usize, role: Role) -> usize {
        if !self.groups[group].recalibrated_each_period {
            return 0;
        }
        match role {
            Role::Receipt { period } | Role::Shipment { period } => period,
            Role::Inventory { after_period } => after_period.max(1),
        }
    }

    fn uses(species: Species, m: Measures) -> bool {
        species == Species::Isotope || m != Measures::Enrichment
    }

    /// Content of an item in the balance's unit.
    fn content(species: Species, kg_u: f64, wt_pct: f64) -> f64 {
        match species {
            Species::Element => kg_u,
            Species::Isotope => kg_u * wt_pct / 100.0,
        }
    }

    /// MUF_i = Σ_q a_iq x_q for every period, in kg of `species`.
    pub fn muf(&self, species: Species) -> Vec<f64> {
        let mut m = vec![0.0; self.periods];
        for s in &self.strata {
            let total: f64 = s
                .items_kg_u
                .iter()
                .map(|&x| Self::content(species, x, s.wt_pct))
                .sum();
            let (inc, len) = self.incidence(s.role);
            for &(i, a) in &inc[..len] {
                m[i] += a * total;
            }
        }
        m
    }

    /// The MUF covariance, random and systematic parts (kg²).
    pub fn covariance_parts(&self, species: Species) -> CovarianceParts {
        let n = self.periods;
        let mut random = SymMatrix::zeros(n);
        // One column of B per (group, calibration), accumulated sparsely.
        let mut columns: Vec<((usize, usize), Vec<f64>)> = Vec::new();
        for s in &self.strata {
            let (inc, len) = self.incidence(s.role);
            let inc = &inc[..len];
            let sum_x2: f64 = s
                .items_kg_u
                .iter()
                .map(|&x| Self::content(species, x, s.wt_pct).powi(2))
                .sum();
            let total: f64 = s
                .items_kg_u
                .iter()
                .map(|&x| Self::content(species, x, s.wt_pct))
                .sum();
            for e in s.errors.iter().filter(|e| Self::uses(species, e.measures)) {
                let g = &self.groups[e.group];
                let v = g.random_rsd.powi(2) * sum_x2;
                for &(i, ai) in inc {
                    for &(j, aj) in inc {
                        if j >= i {
                            random.add_sym(i, j, ai * aj * v);
                        }
                    }
                }
                if g.systematic_rsd > 0.0 {
                    let key = (e.group, self.calibration(e.group, s.role));
                    let col = match columns.iter().position(|(k, _)| *k == key) {
                        Some(p) => &mut columns[p].1,
                        None => {
                            columns.push((key, vec![0.0; n]));
                            &mut columns.last_mut().expect("just pushed").1
                        }
                    };
                    for &(i, a) in inc {
                        col[i] += a * total;
                    }
                }
            }
        }
        let mut systematic = SymMatrix::zeros(n);
        for ((g, _), b) in &columns {
            systematic.add_outer(self.groups[*g].systematic_rsd.powi(2), b);
        }
        CovarianceParts { random, systematic }
    }

    /// The MUF sequence with its covariance Σ, factorised.
    ///
    /// # Errors
    /// [`SafeguardsError::NotPositiveDefinite`] if Σ is singular: some period (or combination of
    /// periods) has no measurement uncertainty, which means the balance is set up inconsistently.
    pub fn evaluate(&self, species: Species) -> Result<MufSequence, SafeguardsError> {
        let parts = self.covariance_parts(species);
        let n = self.periods;
        let mut cov = parts.random.clone();
        for i in 0..n {
            for j in i..n {
                cov.add_sym(i, j, parts.systematic.get(i, j));
            }
        }
        MufSequence::new(self.muf(species), cov)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use approx::assert_abs_diff_eq;

    fn group(name: &str, r: f64, s: f64, recal: bool) -> ErrorGroup {
        ErrorGroup {
            name: name.into(),
            random_rsd: r,
            systematic_rsd: s,
            recalibrated_each_period: recal,
        }
    }

    fn stratum(name: &str, role: Role, items: Vec<f64>, errors: &[(usize, Measures)]) -> Stratum {
        Stratum {
            name: name.into(),
            role,
            items_kg_u: items,
            wt_pct: 4.0,
            errors: errors
                .iter()
                .map(|&(group, measures)| ErrorSource { group, measures })
                .collect(),
        }
    }

    /// One period, independent random errors only: Σ = Σ r² x² over every item.
    /// Hand: inventories 100 and 90 kg at 1 %, receipt 2 × 50 kg at 2 %, shipment 105 at 1 %:
    /// MUF = 100 + 100 − 105 − 90 = 5; Var = 1 + 0.81 + 2·1 + 1.1025 = 4.9125.
    #[test]
    fn single_period_random_errors_add_item_by_item() {
        let b = Balance::new(
            1,
            vec![group("a", 0.01, 0.0, false), group("b", 0.02, 0.0, false)],
            vec![
                stratum(
                    "open",
                    Role::Inventory { after_period: 0 },
                    vec![100.0],
                    &[(0, Measures::Mass)],
                ),
                stratum(
                    "in",
                    Role::Receipt { period: 1 },
                    vec![50.0, 50.0],
                    &[(1, Measures::Mass)],
                ),
                stratum(
                    "out",
                    Role::Shipment { period: 1 },
                    vec![105.0],
                    &[(0, Measures::Mass)],
                ),
                stratum(
                    "close",
                    Role::Inventory { after_period: 1 },
                    vec![90.0],
                    &[(0, Measures::Mass)],
                ),
            ],
        )
        .unwrap();
        let s = b.evaluate(Species::Element).unwrap();
        assert_abs_diff_eq!(s.muf_kg()[0], 5.0, epsilon = 1e-12);
        assert_abs_diff_eq!(s.covariance().get(0, 0), 4.9125, epsilon = 1e-12);
        // Isotope balance at 4 wt-%: everything scales by 0.04 and 0.04².
        let s = b.evaluate(Species::Isotope).unwrap();
        assert_abs_diff_eq!(s.muf_kg()[0], 0.2, epsilon = 1e-12);
        assert_abs_diff_eq!(s.covariance().get(0, 0), 4.9125 * 0.0016, epsilon = 1e-15);
    }

    /// A common scale for receipts (+) and shipments (−) cancels in the systematic term:
    /// s²(R − S)² (safeguards.md §1.3), while the enrichment sources are ignored in kg U.
    #[test]
    fn common_systematic_error_cancels_between_signed_strata() {
        let b = Balance::new(
            1,
            vec![
                group("scale", 0.0, 0.01, false),
                group("ms", 0.0, 0.01, false),
            ],
            vec![
                stratum(
                    "in",
                    Role::Receipt { period: 1 },
                    vec![1000.0],
                    &[(0, Measures::Mass), (1, Measures::Enrichment)],
                ),
                stratum(
                    "out",
                    Role::Shipment { period: 1 },
                    vec![990.0],
                    &[(0, Measures::Mass)],
                ),
            ],
        )
        .unwrap();
        let c = b.covariance_parts(Species::Element);
        assert_abs_diff_eq!(
            c.systematic.get(0, 0),
            1e-4 * 10.0f64.powi(2),
            epsilon = 1e-12
        );
        assert_abs_diff_eq!(c.random.get(0, 0), 0.0);
        // Isotope: scale (40 − 39.6)² + ms 40², times 1e-4.
        let c = b.covariance_parts(Species::Isotope);
        assert_abs_diff_eq!(
            c.systematic.get(0, 0),
            1e-4 * (0.16 + 1600.0),
            epsilon = 1e-10
        );
    }

    /// The tridiagonal structure of §1.5: an intermediate inventory gives Σ_12 = −Var(I_1),
    /// and with one calibration of a flow scale the systematic term couples all periods.
    #[test]
    fn shared_inventory_and_systematic_flow_errors_give_the_textbook_covariance() {
        let b = Balance::new(
            3,
            vec![
                group("inv", 0.02, 0.0, false),
                group("flow", 0.01, 0.005, false),
            ],
            vec![
                stratum(
                    "I0",
                    Role::Inventory { after_period: 0 },
                    vec![100.0],
                    &[(0, Measures::Mass)],
                ),
                stratum(
                    "I1",
                    Role::Inventory { after_period: 1 },
                    vec![200.0],
                    &[(0, Measures::Mass)],
                ),
                stratum(
                    "I2",
                    Role::Inventory { after_period: 2 },
                    vec![150.0],
                    &[(0, Measures::Mass)],
                ),
                stratum(
                    "I3",
                    Role::Inventory { after_period: 3 },
                    vec![120.0],
                    &[(0, Measures::Mass)],
                ),
                stratum(
                    "R1",
                    Role::Receipt { period: 1 },
                    vec![300.0],
                    &[(1, Measures::Mass)],
                ),
                stratum(
                    "R2",
                    Role::Receipt { period: 2 },
                    vec![250.0],
                    &[(1, Measures::Mass)],
                ),
                stratum(
                    "R3",
                    Role::Receipt { period: 3 },
                    vec![400.0],
                    &[(1, Measures::Mass)],
                ),
            ],
        )
        .unwrap();
        let s = b.evaluate(Species::Element).unwrap();
        let c = s.covariance();
        let vi = |x: f64| (0.02 * x).powi(2);
        let vr = |x: f64| (0.01 * x).powi(2);
        let sys = |x: f64, y: f64| 0.005f64.powi(2) * x * y;
        assert_abs_diff_eq!(
            c.get(0, 0),
            vi(100.0) + vr(300.0) + vi(200.0) + sys(300.0, 300.0),
            epsilon = 1e-9
        );
        assert_abs_diff_eq!(
            c.get(1, 1),
            vi(200.0) + vr(250.0) + vi(150.0) + sys(250.0, 250.0),
            epsilon = 1e-9
        );
        assert_abs_diff_eq!(c.get(0, 1), -vi(200.0) + sys(300.0, 250.0), epsilon = 1e-9);
        assert_abs_diff_eq!(c.get(1, 2), -vi(150.0) + sys(250.0, 400.0), epsilon = 1e-9);
        assert_abs_diff_eq!(c.get(0, 2), sys(300.0, 400.0), epsilon = 1e-9);
        // Telescoping (§1.5): Var(Σ MUF) = Var(I0) + Var(I3) + Σ Var(R) + s²(ΣR)².
        let ones = [1.0; 3];
        let total = vi(100.0) + vi(120.0) + vr(300.0) + vr(250.0) + vr(400.0) + sys(950.0, 950.0);
        assert_abs_diff_eq!(c.bilinear(&ones, &ones), total, epsilon = 1e-9);
    }

    #[test]
    fn recalibration_each_period_decouples_systematic_errors() {
        let b = Balance::new(
            2,
            vec![group("flow", 0.0, 0.01, true)],
            vec![
                stratum(
                    "R1",
                    Role::Receipt { period: 1 },
                    vec![100.0],
                    &[(0, Measures::Mass)],
                ),
                stratum(
                    "R2",
                    Role::Receipt { period: 2 },
                    vec![100.0],
                    &[(0, Measures::Mass)],
                ),
            ],
        )
        .unwrap();
        let c = b.covariance_parts(Species::Element).systematic;
        assert_abs_diff_eq!(c.get(0, 1), 0.0);
        assert_abs_diff_eq!(c.get(1, 1), 1.0, epsilon = 1e-12);
    }

    #[test]
    fn inconsistent_balances_are_rejected_with_the_offending_field() {
        let g = vec![group("g", 0.01, 0.0, false)];
        let neg = Balance::new(
            1,
            g.clone(),
            vec![stratum(
                "feed",
                Role::Receipt { period: 1 },
                vec![5.0, -1.0],
                &[(0, Measures::Mass)],
            )],
        );
        let e = neg.unwrap_err().to_string();
        assert!(
            e.contains("item 2 of stratum `feed`") && e.contains("-1"),
            "{e}"
        );
        let late = Balance::new(
            1,
            g.clone(),
            vec![stratum(
                "feed",
                Role::Receipt { period: 2 },
                vec![5.0],
                &[(0, Measures::Mass)],
            )],
        );
        assert!(late.unwrap_err().to_string().contains("1 to 1"));
        let unknown = Balance::new(
            1,
            g.clone(),
            vec![stratum(
                "feed",
                Role::Receipt { period: 1 },
                vec![5.0],
                &[(3, Measures::Mass)],
            )],
        );
        assert!(matches!(
            unknown.unwrap_err(),
            SafeguardsError::Unknown { .. }
        ));
        // Period 2 has nothing measured: Σ is singular there.
        let gap = Balance::new(
            2,
            g,
            vec![stratum(
                "feed",
                Role::Receipt { period: 1 },
                vec![5.0],
                &[(0, Measures::Mass)],
            )],
        )
        .unwrap();
        let e = gap.evaluate(Species::Element).unwrap_err();
        assert!(
            matches!(e, SafeguardsError::NotPositiveDefinite { period: 2, .. }),
            "{e}"
        );
    }

    /// SITMUF of a balance without loss is iid N(0, 1) when the item-level errors are drawn
    /// from the measurement model itself (an independent generative check of Σ): a fresh
    /// random error per item and source, one systematic error per group and calibration.
    #[test]
    fn sitmuf_of_simulated_balances_is_standard_normal() {
        use rand::SeedableRng;
        use rand_distr::{Distribution, StandardNormal};
        use rand_pcg::Pcg64Mcg;
        let b = Balance::new(
            4,
            vec![
                group("scale", 0.01, 0.005, false),
                group("ms", 0.02, 0.01, true),
                group("inv", 0.03, 0.01, false),
            ],
            (0..=4)
                .map(|t| {
                    stratum(
                        "inv",
                        Role::Inventory { after_period: t },
                        vec![80.0, 120.0],
                        &[(2, Measures::Mass)],
                    )
                })
                .chain((1..=4).map(|p| {
                    stratum(
                        "feed",
                        Role::Receipt { period: p },
                        vec![100.0; 3 + p],
                        &[(0, Measures::Mass), (1, Measures::Enrichment)],
                    )
                }))
                .chain((1..=4).map(|p| {
                    stratum(
                        "prod",
                        Role::Shipment { period: p },
                        vec![250.0, 90.0],
                        &[(0, Measures::Mass), (1, Measures::Enrichment)],
                    )
                }))
                .collect(),
        )
        .unwrap();
        let seq = b.evaluate(Species::Isotope).unwrap();
        let mut rng = Pcg64Mcg::seed_from_u64(99);
        let runs = 20_000;
        let (mut sum, mut sum2, mut lag) = ([0.0; 4], [0.0; 4], 0.0);
        for _ in 0..runs {
            // One systematic draw per (group, calibration period 0..=4).
            let eta: Vec<[f64; 5]> = b
                .groups()
                .iter()
                .map(|g| {
                    let mut e = [0.0; 5];
                    for x in &mut e {
                        let z: f64 = StandardNormal.sample(&mut rng);
                        *x = g.systematic_rsd * z;
                    }
                    e
                })
                .collect();
            let mut muf = vec![0.0; 4];
            for s in b.strata() {
                let (inc, len) = b.incidence(s.role);
                for &x in &s.items_kg_u {
                    let v = Balance::content(Species::Isotope, x, s.wt_pct);
                    let mut rel = 0.0;
                    for e in &s.errors {
                        let g = &b.groups()[e.group];
                        let z: f64 = StandardNormal.sample(&mut rng);
                        rel += g.random_rsd * z + eta[e.group][b.calibration(e.group, s.role)];
                    }
                    for &(i, a) in &inc[..len] {
                        muf[i] += a * v * rel;
                    }
                }
            }
            let y = seq.cholesky().forward(&muf);
            for i in 0..4 {
                sum[i] += y[i];
                sum2[i] += y[i] * y[i];
            }
            lag += y[0] * y[1] + y[1] * y[2] + y[2] * y[3];
        }
        let n = runs as f64;
        for i in 0..4 {
            let mean = sum[i] / n;
            let var = sum2[i] / n - mean * mean;
            assert!(mean.abs() < 4.0 / n.sqrt(), "period {}: mean {mean}", i + 1);
            assert!(
                (var - 1.0).abs() < 4.0 * (2.0 / n).sqrt(),
                "period {}: variance {var}",
                i + 1
            );
        }
        assert!(
            (lag / (3.0 * n)).abs() < 4.0 / (3.0 * n).sqrt(),
            "lag-1 correlation {}",
            lag / (3.0 * n)
        );
    }
}
