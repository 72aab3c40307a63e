//! Isotopic compositions of uranium over U-232, U-234, U-235, U-236 and U-238.
//!
//! A [`Composition`] stores atom fractions (what cascade physics works in) and converts to weight
//! fractions (what assays and masses work in) through the AME2020 isotopic masses. Constructors
//! that take "the others, U-238 the balance" match how compositions are written in reports.

use std::fmt;

use crate::EnrichError;
use crate::assay::Assay;
use crate::isotope::Isotope;

/// Relative tolerance on the sum of fractions given explicitly for all isotopes.
const SUM_TOLERANCE: f64 = 1e-9;

/// Atom fractions of the uranium isotopes, summing to 1, with U-238 present.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Composition {
    at: [f64; 5],
}

impl Composition {
    /// Natural uranium, IUPAC representative isotopic composition: U-234 0.0054 at-%,
    /// U-235 0.7204 at-%, U-238 99.2742 at-% (J. Meija et al., "Isotopic compositions of the
    /// elements 2013 (IUPAC Technical Report)", Pure Appl. Chem. 88, 293 (2016)).
    ///
    /// Its U-235 weight fraction is 0.7114 wt-%; the conventional 0.711 wt-% of SWU practice
    /// ([`Assay::NATURAL`]) is the same figure rounded.
    pub fn natural() -> Self {
        let mut at = [0.0; 5];
        at[Isotope::U234.index()] = 0.000_054;
        at[Isotope::U235.index()] = 0.007_204;
        at[Isotope::U238.index()] = 0.992_742;
        Composition { at }
    }

    /// A binary U-235/U-238 mixture with the given U-235 weight fraction.
    pub fn binary(assay: Assay) -> Self {
        let mut at = [0.0; 5];
        let a = assay.at_fraction_binary();
        at[Isotope::U235.index()] = a;
        at[Isotope::U238.index()] = 1.0 - a;
        Composition { at }
    }

    /// From atom fractions of every isotope; they must be ≥ 0 and sum to 1 (within 1e-9).
    ///
    /// # Errors
    /// [`EnrichError::Composition`] if a fraction is negative or not finite, the sum is not 1,
    /// or there is no U-238.
    pub fn from_at_fractions(at: [f64; 5]) -> Result<Self, EnrichError> {
        Self::validated(at, "atom")
    }

    /// From atom fractions of some isotopes, U-238 making up the balance.
    ///
    /// # Errors
    /// [`EnrichError::Composition`] if U-238 is listed, a fraction is negative, an isotope is
    /// listed twice, or the listed fractions leave nothing for U-238.
    pub fn from_at_fractions_balance_u238(given: &[(Isotope, f64)]) -> Result<Self, EnrichError> {
        Self::validated(Self::with_u238_balance(given, "atom")?, "atom")
    }

    /// From weight fractions of some isotopes, U-238 making up the balance.
    ///
    /// # Errors
    /// As [`Composition::from_at_fractions_balance_u238`].
    pub fn from_wt_fractions_balance_u238(given: &[(Isotope, f64)]) -> Result<Self, EnrichError> {
        let wt = Self::with_u238_balance(given, "weight")?;
        let mut at = [0.0; 5];
        for iso in Isotope::ALL {
            at[iso.index()] = wt[iso.index()] / iso.atomic_mass();
        }
        let total: f64 = at.iter().sum();
        at.iter_mut().for_each(|a| *a /= total);
        Self::validated(at, "weight")
    }

    fn with_u238_balance(given: &[(Isotope, f64)], basis: &str) -> Result<[f64; 5], EnrichError> {
        let mut f = [0.0; 5];
        let mut seen = [false; 5];
        for &(iso, x) in given {
            if iso == Isotope::U238 {
                return Err(EnrichError::Composition {
                    reason: format!(
                        "U238 is the balance and must not be given ({basis} fraction {x} was)"
                    ),
                });
            }
            if seen[iso.index()] {
                return Err(EnrichError::Composition {
                    reason: format!("{iso} is given twice"),
                });
            }
            if !(x.is_finite() && x >= 0.0) {
                return Err(EnrichError::Composition {
                    reason: format!("{iso} {basis} fraction {x} must be finite and ≥ 0"),
                });
            }
            seen[iso.index()] = true;
            f[iso.index()] = x;
        }
        let rest = 1.0 - f.iter().sum::<f64>();
        if rest <= 0.0 {
            return Err(EnrichError::Composition {
                reason: format!(
                    "the given {basis} fractions sum to {} and leave no U238 (expected a sum below 1)",
                    1.0 - rest
                ),
            });
        }
        f[Isotope::U238.index()] = rest;
        Ok(f)
    }

    fn validated(at: [f64; 5], basis: &str) -> Result<Self, EnrichError> {
        // Two comparisons per fraction (NaN fails both), and no search unless one fails: a
        // cascade run builds three compositions per stage.
        let in_range = |x: f64| (0.0..=f64::MAX).contains(&x);
        if !(in_range(at[0])
            & in_range(at[1])
            & in_range(at[2])
            & in_range(at[3])
            & in_range(at[4]))
            && let Some((i, x)) = at.iter().enumerate().find(|(_, x)| !in_range(**x))
        {
            return Err(EnrichError::Composition {
                reason: format!(
                    "{} {basis} fraction {x} must be finite and ≥ 0",
                    Isotope::ALL[i]
                ),
            });
        }
        let sum: f64 = at.iter().sum();
        if (sum - 1.0).abs() > SUM_TOLERANCE {
            return Err(EnrichError::Composition {
                reason: format!("{basis} fractions sum to {sum}, expected 1"),
            });
        }
        if at[Isotope::U238.index()] <= 0.0 || at[Isotope::U235.index()] <= 0.0 {
            return Err(EnrichError::Composition {
                reason: "a uranium composition needs both U235 and U238 above zero".into(),
            });
        }
        Ok(Composition { at })
    }

    /// Atom fraction of `iso`.
    pub fn at_fraction(&self, iso: Isotope) -> f64 {
        self.at[iso.index()]
    }

    /// Atom fractions, indexed by [`Isotope::index`].
    pub fn at_fractions(&self) -> [f64; 5] {
        self.at
    }

    /// Weight fraction of `iso`.
    pub fn wt_fraction(&self, iso: Isotope) -> f64 {
        self.at[iso.index()] * iso.atomic_mass() / self.molar_mass()
    }

    /// Weight fractions, indexed by [`Isotope::index`].
    pub fn wt_fractions(&self) -> [f64; 5] {
        Isotope::ALL.map(|i| self.wt_fraction(i))
    }

    /// Mean atomic mass of this uranium, g/mol.
    pub fn molar_mass(&self) -> f64 {
        Isotope::ALL
            .into_iter()
            .map(|i| self.at[i.index()] * i.atomic_mass())
            .sum()
    }

    /// The U-235 weight fraction as an [`Assay`].
    ///
    /// A trace of U-238 below ~1e-16 of the U-235 (deep batch recycling) rounds the weight
    /// fraction to exactly 1, and a trace of U-235 may round it to 0: the nearest fractions
    /// inside (0, 1) stand for those, so the assay reads 100 (or 0) wt-% as it physically is.
    pub fn assay(&self) -> Assay {
        const BELOW_ONE: f64 = 1.0 - f64::EPSILON / 2.0;
        let f = self
            .wt_fraction(Isotope::U235)
            .clamp(f64::MIN_POSITIVE, BELOW_ONE);
        Assay::from_wt_fraction(f)
            .expect("validated compositions hold U-235 and U-238, so the fraction is in (0, 1)")
    }

    /// True if only U-235 and U-238 are present.
    pub fn is_binary(&self) -> bool {
        [Isotope::U232, Isotope::U234, Isotope::U236]
            .into_iter()
            .all(|i| self.at[i.index()] == 0.0)
    }
}

impl fmt::Display for Composition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts: Vec<String> = Isotope::ALL
            .into_iter()
            .filter(|i| self.at[i.index()] > 0.0)
            .map(|i| {
                format!(
                    "{i} {} at-%",
                    crate::units::significant(self.at[i.index()] * 100.0, 6)
                )
            })
            .collect();
        f.write_str(&parts.join(", "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use approx::assert_relative_eq;
    use proptest::prelude::*;

    #[test]
    fn natural_uranium_is_0711_wt_pct_and_standard_atomic_weight() {
        let n = Composition::natural();
        // 0.7204 at-% U-235 is 0.7114 wt-% (hand calculation with AME2020 masses).
        assert!((n.assay().wt_pct() - 0.7114).abs() < 1e-4);
        // The standard atomic weight of uranium is 238.02891(3) (CIAAW).
        assert!((n.molar_mass() - 238.028_91).abs() < 3e-4);
    }

    /// Found by the command-line fuzz harness: `cascade run ir6-174 --feed-wt-pct U235=20
    /// --recycle 20` recycled to a U-238 trace, the U-235 weight fraction rounded to 1, and `assay()`
    /// panicked.
    #[test]
    fn traces_of_an_isotope_give_an_assay_at_the_ends_of_the_range() {
        for (u235, u238, wt_pct) in [(1.0, 1e-20, 100.0), (1e-300, 1.0, 0.0)] {
            let mut at = [0.0; 5];
            at[Isotope::U235.index()] = u235;
            at[Isotope::U238.index()] = u238;
            let a = Composition::from_at_fractions(at).unwrap().assay();
            assert!((a.wt_pct() - wt_pct).abs() < 1e-12, "{}", a.wt_pct());
        }
    }

    #[test]
    fn binary_composition_carries_the_assay() {
        let x = Assay::from_wt_pct(3.67).unwrap();
        let c = Composition::binary(x);
        assert_relative_eq!(c.assay().wt_fraction(), 0.0367, max_relative = 1e-14);
        assert!(c.is_binary());
    }

    #[test]
    fn balance_u238_and_errors() {
        let c = Composition::from_at_fractions_balance_u238(&[
            (Isotope::U234, 0.000_054),
            (Isotope::U235, 0.007_204),
        ])
        .unwrap();
        assert_relative_eq!(
            c.at_fraction(Isotope::U238),
            0.992_742,
            max_relative = 1e-12
        );
        for (given, needle) in [
            (vec![(Isotope::U238, 0.9)], "balance"),
            (vec![(Isotope::U235, 0.5), (Isotope::U235, 0.1)], "twice"),
            (vec![(Isotope::U235, 1.2)], "leave no U238"),
            (vec![(Isotope::U235, -0.1)], "≥ 0"),
            (vec![(Isotope::U234, 0.001)], "U235 and U238"),
        ] {
            let err = Composition::from_at_fractions_balance_u238(&given)
                .unwrap_err()
                .to_string();
            assert!(err.contains(needle), "{err}");
        }
        let err = Composition::from_at_fractions([0.0, 0.0, 0.5, 0.0, 0.4]).unwrap_err();
        assert!(err.to_string().contains("sum to 0.9"), "{err}");
    }

    proptest! {
        #[test]
        fn weight_and_atom_views_agree(w4 in 0.0f64..0.01, w5 in 1e-4f64..0.9, w6 in 0.0f64..0.05) {
            prop_assume!(w4 + w5 + w6 < 0.999);
            let c = Composition::from_wt_fractions_balance_u238(&[
                (Isotope::U234, w4), (Isotope::U235, w5), (Isotope::U236, w6),
            ]).unwrap();
            assert_relative_eq!(c.wt_fraction(Isotope::U235), w5, max_relative = 1e-12);
            assert_relative_eq!(c.wt_fractions().iter().sum::<f64>(), 1.0, max_relative = 1e-12);
            assert_relative_eq!(c.at_fractions().iter().sum::<f64>(), 1.0, max_relative = 1e-12);
        }
    }
}
