//! Masses with their chemical basis: kg of uranium element, kg of U-235, kg of a compound.
//!
//! A mass of UF6 and a mass of uranium are different quantities; the factor between them depends
//! on the isotopic composition (through the mean atomic mass of the uranium), so it is computed
//! from a [`Composition`] rather than fixed at 0.676. For natural uranium in UF6 it is 0.6762;
//! the JCPOA's 300 kg UF6 of 3.67 % uranium is 202.8 kg U.

use std::fmt;
use std::ops::{Add, AddAssign, Sub};
use std::str::FromStr;

use crate::EnrichError;
use crate::assay::Assay;
use crate::composition::Composition;
use crate::error::non_negative;

/// Standard atomic weight of fluorine (CIAAW 2021, 18.998403162).
const FLUORINE: f64 = 18.998_403_162;
/// Conventional standard atomic weight of oxygen (CIAAW, 15.999).
const OXYGEN: f64 = 15.999;

/// Kilograms of uranium element.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Default)]
pub struct KgU(f64);

impl KgU {
    /// Zero uranium.
    pub const ZERO: KgU = KgU(0.0);

    /// A mass of uranium, finite and ≥ 0.
    ///
    /// # Errors
    /// [`EnrichError::Negative`] for a negative or non-finite value.
    pub fn new(kg: f64) -> Result<Self, EnrichError> {
        non_negative("uranium mass", kg, "kg U").map(KgU)
    }

    /// A mass the caller guarantees is finite (results of this crate's arithmetic).
    pub(crate) const fn raw(kg: f64) -> Self {
        KgU(kg)
    }

    /// Kilograms of uranium.
    pub const fn kg(self) -> f64 {
        self.0
    }

    /// The U-235 contained at `assay`.
    pub fn u235(self, assay: Assay) -> KgU235 {
        KgU235(self.0 * assay.wt_fraction())
    }
}

impl Add for KgU {
    type Output = KgU;
    fn add(self, rhs: KgU) -> KgU {
        KgU(self.0 + rhs.0)
    }
}

impl AddAssign for KgU {
    fn add_assign(&mut self, rhs: KgU) {
        self.0 += rhs.0;
    }
}

impl Sub for KgU {
    type Output = KgU;
    fn sub(self, rhs: KgU) -> KgU {
        KgU(self.0 - rhs.0)
    }
}

impl fmt::Display for KgU {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} kg U", crate::units::significant(self.0, 6))
    }
}

/// Kilograms of the isotope U-235.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Default)]
pub struct KgU235(f64);

impl KgU235 {
    /// A mass of U-235, finite and ≥ 0.
    ///
    /// # Errors
    /// [`EnrichError::Negative`] for a negative or non-finite value.
    pub fn new(kg: f64) -> Result<Self, EnrichError> {
        non_negative("U-235 mass", kg, "kg U-235").map(KgU235)
    }

    /// Kilograms of U-235.
    pub const fn kg(self) -> f64 {
        self.0
    }

    /// The uranium that holds this much U-235 at `assay`.
    pub fn uranium_at(self, assay: Assay) -> KgU {
        KgU(self.0 / assay.wt_fraction())
    }
}

impl fmt::Display for KgU235 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} kg U-235", crate::units::significant(self.0, 6))
    }
}

/// A chemical form in which uranium is stored or weighed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ChemicalForm {
    /// Uranium hexafluoride, the cascade feed and product.
    Uf6,
    /// Triuranium octoxide, yellowcake concentrate.
    U3o8,
    /// Uranium dioxide, reactor fuel.
    Uo2,
    /// Uranium metal.
    Metal,
}

impl ChemicalForm {
    /// Every form, in the order they are listed in help texts.
    pub const ALL: [ChemicalForm; 4] = [
        ChemicalForm::Uf6,
        ChemicalForm::U3o8,
        ChemicalForm::Uo2,
        ChemicalForm::Metal,
    ];

    /// Uranium atoms and (other element's atomic weight, atom count) per formula unit.
    fn formula(self) -> (f64, f64, f64) {
        match self {
            ChemicalForm::Uf6 => (1.0, FLUORINE, 6.0),
            ChemicalForm::U3o8 => (3.0, OXYGEN, 8.0),
            ChemicalForm::Uo2 => (1.0, OXYGEN, 2.0),
            ChemicalForm::Metal => (1.0, 0.0, 0.0),
        }
    }

    /// Mass fraction of uranium in this compound when the uranium has composition `c`.
    ///
    /// # Examples
    /// ```
    /// use enrich::{ChemicalForm, Composition};
    /// let f = ChemicalForm::Uf6.uranium_mass_fraction(&Composition::natural());
    /// assert!((f - 0.67618).abs() < 1e-5);
    /// ```
    pub fn uranium_mass_fraction(self, c: &Composition) -> f64 {
        let (n_u, m_x, n_x) = self.formula();
        let u = n_u * c.molar_mass();
        u / (u + n_x * m_x)
    }

    /// The name used in files and flags: `kg-uf6` → `uf6`.
    pub const fn name(self) -> &'static str {
        match self {
            ChemicalForm::Uf6 => "UF6",
            ChemicalForm::U3o8 => "U3O8",
            ChemicalForm::Uo2 => "UO2",
            ChemicalForm::Metal => "U metal",
        }
    }
}

impl FromStr for ChemicalForm {
    type Err = EnrichError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "uf6" => Ok(ChemicalForm::Uf6),
            "u3o8" => Ok(ChemicalForm::U3o8),
            "uo2" => Ok(ChemicalForm::Uo2),
            "u" | "metal" | "u-metal" => Ok(ChemicalForm::Metal),
            _ => Err(EnrichError::Composition {
                reason: format!("unknown chemical form `{s}`: expected UF6, U3O8, UO2 or U metal"),
            }),
        }
    }
}

/// A mass of a uranium compound.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CompoundMass {
    /// Kilograms of the compound.
    pub kg: f64,
    /// Which compound.
    pub form: ChemicalForm,
}

impl CompoundMass {
    /// A compound mass, finite and ≥ 0.
    ///
    /// # Errors
    /// [`EnrichError::Negative`] for a negative or non-finite mass.
    pub fn new(kg: f64, form: ChemicalForm) -> Result<Self, EnrichError> {
        Ok(CompoundMass {
            kg: non_negative("compound mass", kg, "kg")?,
            form,
        })
    }

    /// The uranium it contains, for uranium of composition `c`.
    pub fn uranium(self, c: &Composition) -> KgU {
        KgU(self.kg * self.form.uranium_mass_fraction(c))
    }

    /// The mass of `form` that contains `u` of composition `c`.
    pub fn of_uranium(u: KgU, form: ChemicalForm, c: &Composition) -> Self {
        CompoundMass {
            kg: u.kg() / form.uranium_mass_fraction(c),
            form,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use approx::assert_relative_eq;
    use proptest::prelude::*;

    #[test]
    fn jcpoa_300_kg_uf6_is_202_8_kg_u() {
        let c = Composition::binary(Assay::from_wt_pct(3.67).unwrap());
        let u = CompoundMass::new(300.0, ChemicalForm::Uf6)
            .unwrap()
            .uranium(&c);
        assert!((u.kg() - 202.8).abs() < 0.05, "{u}");
    }

    /// Uranium mass fractions for natural uranium (M_U = 238.0289), by hand:
    /// UF6 238.0289/352.0193, U3O8 714.0867/842.0787, UO2 238.0289/270.0269.
    #[test]
    fn uranium_mass_fractions_by_hand() {
        let n = Composition::natural();
        for (form, expected) in [
            (ChemicalForm::Uf6, 0.676_18),
            (ChemicalForm::U3o8, 0.848_00),
            (ChemicalForm::Uo2, 0.881_50),
            (ChemicalForm::Metal, 1.0),
        ] {
            assert_relative_eq!(
                form.uranium_mass_fraction(&n),
                expected,
                max_relative = 2e-5
            );
        }
    }

    #[test]
    fn heavier_uranium_has_less_uf6_per_kg_u_enrichment_lowers_molar_mass() {
        let lo = Composition::binary(Assay::from_wt_pct(0.3).unwrap());
        let hi = Composition::binary(Assay::from_wt_pct(90.0).unwrap());
        assert!(
            ChemicalForm::Uf6.uranium_mass_fraction(&hi)
                < ChemicalForm::Uf6.uranium_mass_fraction(&lo)
        );
    }

    #[test]
    fn u235_content() {
        let x = Assay::from_wt_pct(90.0).unwrap();
        let u = KgU::new(25.0).unwrap();
        assert_relative_eq!(u.u235(x).kg(), 22.5, max_relative = 1e-14);
        assert_relative_eq!(
            KgU235::new(25.0).unwrap().uranium_at(x).kg(),
            27.777_777_777_8,
            max_relative = 1e-11
        );
    }

    #[test]
    fn parses_forms_and_rejects_others() {
        assert_eq!("UF6".parse::<ChemicalForm>().unwrap(), ChemicalForm::Uf6);
        assert_eq!("u3o8".parse::<ChemicalForm>().unwrap(), ChemicalForm::U3o8);
        assert!(
            "UF4"
                .parse::<ChemicalForm>()
                .unwrap_err()
                .to_string()
                .contains("UF4")
        );
        assert!(KgU::new(-1.0).is_err());
    }

    proptest! {
        #[test]
        fn compound_round_trip(kg in 0.0f64..1e6, wt in 0.001f64..0.99) {
            let c = Composition::binary(Assay::from_wt_fraction(wt).unwrap());
            for form in ChemicalForm::ALL {
                let u = CompoundMass::new(kg, form).unwrap().uranium(&c);
                let back = CompoundMass::of_uranium(u, form, &c);
                prop_assert!((back.kg - kg).abs() <= 1e-12 * kg.max(1.0));
                prop_assert!(u.kg() <= kg);
            }
        }
    }
}
