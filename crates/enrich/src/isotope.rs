//! The uranium isotopes the toolkit tracks and their atomic masses.
//!
//! Masses are from the 2020 Atomic Mass Evaluation: M. Wang, W.J. Huang, F.G. Kondev, G. Audi,
//! S. Naimi, "The AME 2020 atomic mass evaluation (II)", Chinese Physics C 45, 030003 (2021).
//! Their uncertainties (a few 1e-9 u) are far below anything that matters here.

use std::fmt;
use std::str::FromStr;

use crate::EnrichError;

/// A uranium isotope tracked in compositions and cascades.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Isotope {
    /// U-232, a trace in reprocessed uranium.
    U232,
    /// U-234, present in natural uranium at about 0.0054 at-%, enriched ahead of U-235.
    U234,
    /// U-235, the fissile isotope; the key component of every assay.
    U235,
    /// U-236, from irradiation; absent in natural uranium.
    U236,
    /// U-238, the bulk of uranium.
    U238,
}

impl Isotope {
    /// All tracked isotopes, lightest first. Arrays indexed by [`Isotope::index`] follow this order.
    pub const ALL: [Isotope; 5] = [
        Isotope::U232,
        Isotope::U234,
        Isotope::U235,
        Isotope::U236,
        Isotope::U238,
    ];

    /// Position of this isotope in [`Isotope::ALL`].
    pub const fn index(self) -> usize {
        match self {
            Isotope::U232 => 0,
            Isotope::U234 => 1,
            Isotope::U235 => 2,
            Isotope::U236 => 3,
            Isotope::U238 => 4,
        }
    }

    /// Mass number A.
    pub const fn mass_number(self) -> u32 {
        match self {
            Isotope::U232 => 232,
            Isotope::U234 => 234,
            Isotope::U235 => 235,
            Isotope::U236 => 236,
            Isotope::U238 => 238,
        }
    }

    /// Atomic mass in unified atomic mass units (g/mol), AME2020.
    pub const fn atomic_mass(self) -> f64 {
        match self {
            Isotope::U232 => 232.037_156_3,
            Isotope::U234 => 234.040_952_3,
            Isotope::U235 => 235.043_930_1,
            Isotope::U236 => 236.045_568_2,
            Isotope::U238 => 238.050_788_4,
        }
    }

    /// The name used in files and flags: `U235`.
    pub const fn name(self) -> &'static str {
        match self {
            Isotope::U232 => "U232",
            Isotope::U234 => "U234",
            Isotope::U235 => "U235",
            Isotope::U236 => "U236",
            Isotope::U238 => "U238",
        }
    }
}

impl fmt::Display for Isotope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Isotope {
    type Err = EnrichError;

    /// Accepts `U235`, `U-235`, `u235` and `235`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim().to_ascii_uppercase().replace('-', "");
        let t = t.strip_prefix('U').unwrap_or(&t);
        Isotope::ALL
            .into_iter()
            .find(|i| t == i.mass_number().to_string())
            .ok_or_else(|| EnrichError::Composition {
                reason: format!(
                    "unknown isotope `{s}`: expected one of U232, U234, U235, U236, U238"
                ),
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_spellings_users_type() {
        for (text, iso) in [
            ("U235", Isotope::U235),
            ("u-234", Isotope::U234),
            ("238", Isotope::U238),
            (" U236 ", Isotope::U236),
            ("U-232", Isotope::U232),
        ] {
            assert_eq!(text.parse::<Isotope>().unwrap(), iso, "{text}");
        }
    }

    #[test]
    fn rejects_unknown_isotopes_naming_the_input() {
        let err = "U233".parse::<Isotope>().unwrap_err().to_string();
        assert!(err.contains("U233") && err.contains("U235"), "{err}");
    }

    #[test]
    fn index_matches_all_order() {
        for (i, iso) in Isotope::ALL.into_iter().enumerate() {
            assert_eq!(iso.index(), i);
        }
    }
}
