//! From a machine's separative power and stage separation factor to its throughput limit.
//!
//! Published machine figures are not mutually consistent: an IR-1 at its often-quoted 13 mg/s
//! UF6 and α ≈ 1.5 would deliver about 5.7 kg-SWU/yr, while its observed output is about 1. The
//! rule here keeps the two sourced figures that set breakout arithmetic, the separative power δU
//! and the stage separation factor α, and derives the feed L that one machine can take:
//! L = δU / Φ(α), where Φ is the separative work per unit feed of a symmetric stage (heads ratio
//! √α above, tails ratio √α below its feed) fed with natural uranium, using the value function
//! on weight fractions and kg U flows (the convention of [`crate::Balance`]). For a symmetric
//! stage Φ does not depend on the feed assay at all: Φ = ln β·(β − 1)/(β + 1) with β = √α
//! (checked against the value-function form in the tests); in the small-enrichment limit it is
//! θ(1 − θ)(ln α)²/2 with θ = 1/(1 + √α).
//!
//! Consequence: in an ideal cascade every stage delivers L·Φ, so a cascade whose stages run at
//! their limit delivers exactly machines × δU at its design point; whole-machine rounding leaves
//! some stages below their limit, and the delivered SWU is machines × δU × utilization
//! ([`super::SizedCascade::utilization`], ≥ 0.96 for the bundled 164- and 174-machine cascades).

use super::fixed::MachineFeed;
use super::separation::StageSeparation;
use crate::EnrichError;
use crate::assay::Assay;
use crate::composition::Composition;
use crate::error::positive;
use crate::value::value_function;

/// The symmetric stage fed at `feed` (binary): heads and tails assays (wt) and the molar cut.
pub(crate) fn symmetric_stage(feed_at: f64, separation: StageSeparation) -> (f64, f64, f64) {
    let b = separation.alpha_235().sqrt();
    let r = feed_at / (1.0 - feed_at);
    let y = b * r / (1.0 + b * r);
    let w = (r / b) / (1.0 + r / b);
    (y, w, (feed_at - w) / (y - w))
}

/// Separative work per kg U of stage feed of the symmetric stage fed with `feed`, kg-SWU/kg U.
///
/// # Errors
/// Only if the stage streams leave (0, 1), which a validated separation factor and assay rule out.
pub fn symmetric_stage_work_per_feed(
    feed: Assay,
    separation: StageSeparation,
) -> Result<f64, EnrichError> {
    let xf = feed.at_fraction_binary();
    let (y, w, theta) = symmetric_stage(xf, separation);
    let (cy, cw, cf) = (
        Composition::binary(Assay::from_at_fraction_binary(y)?),
        Composition::binary(Assay::from_at_fraction_binary(w)?),
        Composition::binary(feed),
    );
    // Molar cut to mass shares.
    let mf = cf.molar_mass();
    let heads = theta * cy.molar_mass() / mf;
    let tails = (1.0 - theta) * cw.molar_mass() / mf;
    Ok(
        heads * value_function(cy.assay()) + tails * value_function(cw.assay())
            - value_function(feed),
    )
}

/// The throughput limit of a machine rated at `swu_per_yr` kg-SWU/yr with stage separation
/// factor `separation`, by the rule above.
///
/// # Errors
/// [`EnrichError::NotPositive`] for a non-positive rating.
pub fn machine_feed_from_rating(
    swu_per_yr: f64,
    separation: StageSeparation,
) -> Result<MachineFeed, EnrichError> {
    let du = positive("machine separative power", swu_per_yr, "kg-SWU/yr")?;
    MachineFeed::new(du / symmetric_stage_work_per_feed(Assay::NATURAL, separation)?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use approx::assert_relative_eq;

    #[test]
    fn symmetric_stage_work_is_closed_form_and_assay_independent() {
        for alpha in [1.05, 1.2, 1.5, 2.0, 3.0] {
            let s = StageSeparation::new(alpha).unwrap();
            let b = alpha.sqrt();
            let closed = b.ln() * (b - 1.0) / (b + 1.0);
            for pct in [0.1, 0.711, 3.67, 20.0, 60.0, 90.0, 99.0] {
                let phi =
                    symmetric_stage_work_per_feed(Assay::from_wt_pct(pct).unwrap(), s).unwrap();
                assert_relative_eq!(phi, closed, max_relative = 1e-9);
            }
        }
    }

    #[test]
    fn small_enrichment_limit() {
        // Φ → θ(1 − θ)(ln α)²/2 with θ = 1/(1 + √α) as α → 1 (hand formula).
        for alpha in [1.001, 1.01] {
            let s = StageSeparation::new(alpha).unwrap();
            let theta = 1.0 / (1.0 + alpha.sqrt());
            let small = theta * (1.0 - theta) * alpha.ln().powi(2) / 2.0;
            let phi = symmetric_stage_work_per_feed(Assay::NATURAL, s).unwrap();
            assert_relative_eq!(phi, small, max_relative = 2e-2 * (alpha - 1.0) / 0.01);
        }
    }

    #[test]
    fn ir1_feed_is_far_below_the_quoted_13_mg_per_s() {
        // 1 kg-SWU/yr at α = 1.5: Φ ≈ 0.25·(ln 1.5)²/2 ≈ 0.0205 → L ≈ 49 kg U/yr, while 13 mg/s
        // UF6 is 277 kg U/yr (13e-6 kg/s × 0.676 × 3.156e7 s). The rule keeps δU and α.
        let s = StageSeparation::new(1.5).unwrap();
        let l = machine_feed_from_rating(1.0, s).unwrap().kg_u_per_yr();
        assert!((45.0..55.0).contains(&l), "{l}");
        assert!(machine_feed_from_rating(0.0, s).is_err());
    }
}
