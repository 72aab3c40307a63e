//! The de la Garza multicomponent value function, which measures separative work for uranium
//! with U-232, U-234 and U-236 and reduces exactly to the binary value function.
//!
//! V = ln(x₂₃₅/x₂₃₈)·Σᵢ xᵢ/(2kᵢ − 1) with kᵢ = (γᵢ − 1)/(γ₂₃₅ − 1) (A. de la Garza, "A
//! generalization of the matched abundance-ratio cascade for multicomponent isotope separation",
//! Chem. Eng. Sci. 18, 73 (1963); as implemented in MIsoEnrich). Under the centrifuge scaling of
//! [`super::separation`], kᵢ = (238 − Aᵢ)/3 for every γ₂₃₅, so V does not depend on the machine.
//! For two isotopes V = (x₂₃₅ − x₂₃₈)·ln R = (2x − 1)·ln(x/(1 − x)), the binary V.
//!
//! PyNE's multicomponent "SWU" uses −ln R instead; it is 57 % low at HEU and is not used here.
//!
//! Convention: like [`crate::Balance`], fractions are **weight** fractions and flows are kg U, so
//! that kg-SWU from a cascade and from a balance are the same number for the same streams.

use crate::composition::Composition;
use crate::isotope::Isotope;

/// 2kᵢ − 1 for each isotope under the centrifuge scaling: kᵢ = (238 − Aᵢ)/3.
fn two_k_minus_one(iso: Isotope) -> f64 {
    2.0 * (238.0 - f64::from(iso.mass_number())) / 3.0 - 1.0
}

/// The multicomponent value function of a composition, on its weight fractions.
pub fn multicomponent_value(c: &Composition) -> f64 {
    let w = c.wt_fractions();
    let ln_r = (w[Isotope::U235.index()] / w[Isotope::U238.index()]).ln();
    let sum: f64 = Isotope::ALL
        .into_iter()
        .map(|i| w[i.index()] / two_k_minus_one(i))
        .sum();
    ln_r * sum
}

/// Separative work of a split, kg-SWU: P·V(xP) + T·V(xT) − F·V(xF) with masses in kg U.
pub fn separative_work(
    feed: (&Composition, f64),
    product: (&Composition, f64),
    tails: (&Composition, f64),
) -> f64 {
    product.1 * multicomponent_value(product.0) + tails.1 * multicomponent_value(tails.0)
        - feed.1 * multicomponent_value(feed.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Assay, value_function};
    use approx::assert_relative_eq;
    use proptest::prelude::*;

    #[test]
    fn coefficients_match_the_centrifuge_scaling() {
        // kᵢ = (γᵢ − 1)/(γ₂₃₅ − 1): U-235 1, U-234 4/3, U-232 2, U-236 2/3, U-238 0.
        for (iso, v) in [
            (Isotope::U232, 3.0),
            (Isotope::U234, 5.0 / 3.0),
            (Isotope::U235, 1.0),
            (Isotope::U236, 1.0 / 3.0),
            (Isotope::U238, -1.0),
        ] {
            assert_relative_eq!(two_k_minus_one(iso), v, max_relative = 1e-15);
        }
    }

    proptest! {
        #[test]
        fn reduces_to_the_binary_value_function(pct in 0.01f64..99.9) {
            let x = Assay::from_wt_pct(pct).unwrap();
            let c = Composition::binary(x);
            assert_relative_eq!(multicomponent_value(&c), value_function(x), max_relative = 1e-11, epsilon = 1e-13);
        }
    }
}
