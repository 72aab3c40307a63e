//! The matched-abundance-ratio cascade (MARC) for multi-isotope uranium: the real numbers of
//! enriching and stripping stages that take a feed to a key-isotope (U-235) product and tails
//! target exactly, the compositions of all isotopes in product and tails, and the separative work.
//!
//! Model (H. G. von Halle, "Multicomponent isotope separation in matched abundance-ratio
//! cascades composed of stages with large separation factors", K/GD-1987 / Proc. 1st Workshop on
//! Separation Phenomena in Liquids and Gases, 1987; as implemented in MIsoEnrich): stage
//! separation factors γᵢ from γ₂₃₅ by mass difference ([`super::separation`]), aᵢ = γᵢ/√γ₂₃₅, and
//! for N enriching (feed stage included) and M stripping stages
//! Pᵢ/Fᵢ = (aᵢ^(M+1) − 1)/(aᵢ^(M+1) − aᵢ^(−N)). For two isotopes this is the symmetric ideal
//! cascade of [`super::ideal`]: R_P = R_F·γ^(N/2), R_T = R_F·γ^(−(M+1)/2).
//!
//! PyNE solves the same equations with α*ᵢ = α^(M* − Mᵢ) and optimises M*; here the split point
//! follows from the centrifuge scaling instead (aᵢ = γᵢ/√γ₂₃₅), so N, M and the minor-isotope
//! assays differ slightly from PyNE's (docs/models.md); the key-isotope balance and the product
//! and tails amounts do not.
//!
//! Method: Newton's method in (N, M) on the logits of the U-235 product and tails fractions
//! (nearly linear in N and M), with a finite-difference Jacobian, a backtracking line search
//! that keeps N > 0 and M > −1, and a start from the binary closed form. Bounded; targets that no
//! cascade reaches (product above what the lighter isotopes allow, tails at or above the feed)
//! are [`EnrichError::Inconsistent`] with the reachable limit, never a NaN.

use super::multivalue::multicomponent_value;
use super::separation::StageSeparation;
use crate::EnrichError;
use crate::composition::Composition;
use crate::isotope::Isotope;

/// Newton iteration cap.
pub const MAX_ITERATIONS: usize = 100;

/// Largest stage count considered in either section.
pub const MAX_STAGES: f64 = 5000.0;

/// Converged when both logits are within this of their targets (about 1e-12 relative on the
/// U-235 fractions).
const LOGIT_TOLERANCE: f64 = 1e-12;

/// Which fraction of U-235 a target names.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum KeyFraction {
    /// Atom fraction of U-235.
    At(f64),
    /// Weight fraction of U-235.
    Wt(f64),
}

impl KeyFraction {
    fn value(self) -> f64 {
        match self {
            KeyFraction::At(x) | KeyFraction::Wt(x) => x,
        }
    }

    fn of(self, c: &Composition) -> f64 {
        match self {
            KeyFraction::At(_) => c.at_fraction(Isotope::U235),
            KeyFraction::Wt(_) => c.wt_fraction(Isotope::U235),
        }
    }

    fn basis(self) -> &'static str {
        match self {
            KeyFraction::At(_) => "at-%",
            KeyFraction::Wt(_) => "wt-%",
        }
    }
}

/// A solved MARC cascade, per unit feed.
#[derive(Debug, Clone, PartialEq)]
pub struct MarcCascade {
    /// Enriching stages N (the feed stage included), real unless rounded.
    pub enriching_stages: f64,
    /// Stripping stages M, real unless rounded.
    pub stripping_stages: f64,
    /// Stage separation factors.
    pub separation: StageSeparation,
    /// Feed.
    pub feed: Composition,
    /// Product.
    pub product: Composition,
    /// Tails.
    pub tails: Composition,
    /// Moles of product per mole of feed.
    pub product_per_feed_mol: f64,
    /// kg U of product per kg U of feed.
    pub product_per_feed: f64,
    /// kg U of tails per kg U of feed.
    pub tails_per_feed: f64,
    /// kg-SWU per kg U of feed (de la Garza value function, weight fractions).
    pub separative_work_per_feed: f64,
    /// Newton iterations used (0 for a cascade evaluated at given stages).
    pub iterations: usize,
}

/// Per-isotope log-shares with the exponent sign folded so nothing overflows.
struct Isotopes {
    n: usize,
    idx: [usize; 5],
    f: [f64; 5],
    ln_a: [f64; 5],
}

impl Isotopes {
    fn new(feed: &Composition, sep: StageSeparation) -> Self {
        let at = feed.at_fractions();
        let half = 0.5 * sep.alpha_235().ln();
        let mut s = Isotopes {
            n: 0,
            idx: [0; 5],
            f: [0.0; 5],
            ln_a: [0.0; 5],
        };
        for iso in Isotope::ALL {
            let x = at[iso.index()];
            if x > 0.0 {
                s.idx[s.n] = iso.index();
                s.f[s.n] = x;
                s.ln_a[s.n] = sep.alpha(iso).ln() - half;
                s.n += 1;
            }
        }
        s
    }

    /// Product share pᵢ = Pᵢ/Fᵢ and tails share 1 − pᵢ, in forms stable for any sign of ln aᵢ.
    fn shares(l: f64, n: f64, m: f64) -> (f64, f64) {
        let (m1, all) = (m + 1.0, m + 1.0 + n);
        if l > 0.0 {
            let d = -(-all * l).exp_m1();
            let p = -(-m1 * l).exp_m1() / d;
            // 1 − p = (e^{−(M+1)L} − e^{−(M+1+N)L})/d = e^{−(M+1)L}(1 − e^{−NL})/d.
            let t = (-m1 * l).exp() * -(-n * l).exp_m1() / d;
            (p, t)
        } else {
            let d = -(all * l).exp_m1();
            let p = (n * l).exp() * -(m1 * l).exp_m1() / d;
            // 1 − p = (1 − e^{NL})/(1 − e^{(M+1+N)L}).
            let t = -(n * l).exp_m1() / d;
            (p, t)
        }
    }

    /// Molar product and tails (per mole of feed) by isotope, in `Isotope::ALL` order.
    fn split(&self, n: f64, m: f64) -> ([f64; 5], [f64; 5]) {
        let (mut p, mut t) = ([0.0; 5], [0.0; 5]);
        for j in 0..self.n {
            let (pj, tj) = Self::shares(self.ln_a[j], n, m);
            p[self.idx[j]] = self.f[j] * pj;
            t[self.idx[j]] = self.f[j] * tj;
        }
        (p, t)
    }
}

fn logit(x: f64) -> f64 {
    (x / (1.0 - x)).ln()
}

fn normalised(v: [f64; 5]) -> Option<Composition> {
    let total: f64 = v.iter().sum();
    if !(total.is_finite() && total > 0.0) {
        return None;
    }
    Composition::from_at_fractions(v.map(|x| x / total)).ok()
}

/// The key-fraction logits of product and tails at (N, M), or None outside the numeric range.
fn key_logits(
    iso: &Isotopes,
    n: f64,
    m: f64,
    kp: KeyFraction,
    kt: KeyFraction,
) -> Option<(f64, f64)> {
    let (p, t) = iso.split(n, m);
    let (cp, ct) = (normalised(p)?, normalised(t)?);
    let (lp, lt) = (logit(kp.of(&cp)), logit(kt.of(&ct)));
    (lp.is_finite() && lt.is_finite()).then_some((lp, lt))
}

impl MarcCascade {
    /// The MARC cascade with `enriching` (N > 0) and `stripping` (M > −1) stages.
    ///
    /// # Errors
    /// [`EnrichError::Inconsistent`] for stage counts outside the domain, or a product or tails
    /// stream that underflows.
    pub fn with_stages(
        feed: &Composition,
        enriching: f64,
        stripping: f64,
        separation: StageSeparation,
    ) -> Result<Self, EnrichError> {
        let in_domain = |x: f64, low: f64| x.is_finite() && x > low && x <= MAX_STAGES;
        if !(in_domain(enriching, 0.0) && in_domain(stripping, -1.0)) {
            return Err(EnrichError::Inconsistent(format!(
                "MARC stage counts must satisfy 0 < N ≤ {MAX_STAGES} and −1 < M ≤ {MAX_STAGES}, got N = {enriching}, M = {stripping}"
            )));
        }
        let iso = Isotopes::new(feed, separation);
        let (p, t) = iso.split(enriching, stripping);
        let p_mol: f64 = p.iter().sum();
        let (Some(product), Some(tails)) = (normalised(p), normalised(t)) else {
            return Err(EnrichError::Inconsistent(format!(
                "a MARC cascade with N = {enriching}, M = {stripping} separates beyond double precision"
            )));
        };
        let mf = feed.molar_mass();
        let product_per_feed = p_mol * product.molar_mass() / mf;
        let tails_per_feed = (1.0 - p_mol) * tails.molar_mass() / mf;
        Ok(MarcCascade {
            enriching_stages: enriching,
            stripping_stages: stripping,
            separation,
            feed: *feed,
            product,
            tails,
            product_per_feed_mol: p_mol,
            product_per_feed,
            tails_per_feed,
            separative_work_per_feed: product_per_feed * multicomponent_value(&product)
                + tails_per_feed * multicomponent_value(&tails)
                - multicomponent_value(feed),
            iterations: 0,
        })
    }

    /// The MARC cascade whose product and tails hold exactly `product` and `tails` of U-235.
    ///
    /// # Errors
    /// [`EnrichError::OutOfRange`] for a target outside (0, 1); [`EnrichError::Inconsistent`]
    /// unless tails < feed < product (U-235, same basis) or if the product target is above what
    /// the feed's lighter isotopes allow (the message gives the reachable limit);
    /// [`EnrichError::NoConvergence`] if Newton's method stalls (not observed in the stress grid).
    pub fn solve(
        feed: &Composition,
        product: KeyFraction,
        tails: KeyFraction,
        separation: StageSeparation,
    ) -> Result<Self, EnrichError> {
        for (what, k) in [("product target", product), ("tails target", tails)] {
            let v = k.value();
            if !(v.is_finite() && v > 0.0 && v < 1.0) {
                return Err(EnrichError::OutOfRange {
                    what,
                    value: v * 100.0,
                    unit: if k.basis() == "at-%" {
                        "at-% U-235"
                    } else {
                        "wt-% U-235"
                    },
                    min: 0.0,
                    max: 100.0,
                });
            }
        }
        let (xf_p, xf_t) = (product.of(feed), tails.of(feed));
        if !(tails.value() < xf_t && xf_p < product.value()) {
            return Err(EnrichError::Inconsistent(format!(
                "MARC targets must satisfy tails < feed < product in U-235: tails {} {}, feed {} {}, product {} {}",
                100.0 * tails.value(),
                tails.basis(),
                100.0 * xf_p,
                product.basis(),
                100.0 * product.value(),
                product.basis()
            )));
        }
        let iso = Isotopes::new(feed, separation);
        let (tp, tt) = (logit(product.value()), logit(tails.value()));
        // Binary start: R_P = R_F γ^(N/2), R_T = R_F γ^(−(M+1)/2) on the key fractions.
        let half = 0.5 * separation.alpha_235().ln();
        let mut n = ((tp - logit(xf_p)) / half).clamp(0.5, MAX_STAGES);
        let mut m = ((logit(xf_t) - tt) / half - 1.0).clamp(-0.5, MAX_STAGES);
        let residual = |n: f64, m: f64| -> Option<(f64, f64)> {
            key_logits(&iso, n, m, product, tails).map(|(lp, lt)| (lp - tp, lt - tt))
        };
        let Some(mut r) = residual(n, m) else {
            return Err(no_start(n, m));
        };
        for it in 0..MAX_ITERATIONS {
            let norm = r.0.hypot(r.1);
            if r.0.abs() <= LOGIT_TOLERANCE && r.1.abs() <= LOGIT_TOLERANCE {
                let mut c = Self::with_stages(feed, n, m, separation)?;
                c.iterations = it;
                return Ok(c);
            }
            // Forward-difference Jacobian.
            let (hn, hm) = (1e-7 * n.max(1.0), 1e-7 * (m + 1.0).max(1.0));
            let (Some(rn), Some(rm)) = (residual(n + hn, m), residual(n, m + hm)) else {
                return Err(no_start(n, m));
            };
            let (j11, j21) = ((rn.0 - r.0) / hn, (rn.1 - r.1) / hn);
            let (j12, j22) = ((rm.0 - r.0) / hm, (rm.1 - r.1) / hm);
            let det = j11 * j22 - j12 * j21;
            if !(det.is_finite() && det.abs() > 1e-300) {
                return Err(infeasible_or_stalled(&iso, feed, product, it, norm));
            }
            let dn = -(j22 * r.0 - j12 * r.1) / det;
            let dm = -(-j21 * r.0 + j11 * r.1) / det;
            let mut lambda = 1.0;
            let mut accepted = None;
            for _ in 0..60 {
                let (n1, m1) = (n + lambda * dn, m + lambda * dm);
                let inside = n1 > 0.0 && m1 > -1.0 && n1 <= MAX_STAGES && m1 <= MAX_STAGES;
                if let Some(r1) = residual(n1, m1).filter(|_| inside)
                    && r1.0.hypot(r1.1) < (1.0 - 1e-4 * lambda) * norm
                {
                    accepted = Some((n1, m1, r1));
                    break;
                }
                lambda *= 0.5;
            }
            match accepted {
                Some((n1, m1, r1)) => {
                    (n, m, r) = (n1, m1, r1);
                }
                None if norm <= 1e3 * LOGIT_TOLERANCE => {
                    let mut c = Self::with_stages(feed, n, m, separation)?;
                    c.iterations = it;
                    return Ok(c);
                }
                None => return Err(infeasible_or_stalled(&iso, feed, product, it, norm)),
            }
        }
        Err(EnrichError::NoConvergence {
            solver: "MARC Newton",
            iterations: MAX_ITERATIONS,
            residual: r.0.hypot(r.1),
        })
    }

    /// This cascade with N and M rounded up to whole stages, and the assays that reaches.
    ///
    /// # Errors
    /// As [`MarcCascade::with_stages`].
    pub fn rounded_up(&self) -> Result<Self, EnrichError> {
        let up = |x: f64| (x - 1e-9).ceil();
        Self::with_stages(
            &self.feed,
            up(self.enriching_stages).max(1.0),
            up(self.stripping_stages).max(0.0),
            self.separation,
        )
    }
}

fn no_start(n: f64, m: f64) -> EnrichError {
    EnrichError::NoConvergence {
        solver: "MARC Newton (compositions underflow)",
        iterations: 0,
        residual: n.hypot(m),
    }
}

/// The largest U-235 product fraction any MARC cascade reaches from this feed: with endless
/// stripping, the best number of enriching stages (golden-section search on ln N). U-232, U-234
/// and U-236 all have aᵢ > 1, so they follow U-235 into the product and bound it.
fn reachable_product(iso: &Isotopes, key: KeyFraction) -> f64 {
    let f = |ln_n: f64| {
        let (p, _) = iso.split(ln_n.exp(), MAX_STAGES);
        normalised(p).map_or(0.0, |c| key.of(&c))
    };
    let (mut a, mut b) = ((0.1f64).ln(), MAX_STAGES.ln());
    let g = 0.5 * (5f64.sqrt() - 1.0);
    for _ in 0..80 {
        let (c, d) = (b - g * (b - a), a + g * (b - a));
        if f(c) > f(d) {
            b = d;
        } else {
            a = c;
        }
    }
    f(0.5 * (a + b))
}

fn infeasible_or_stalled(
    iso: &Isotopes,
    feed: &Composition,
    product: KeyFraction,
    iterations: usize,
    residual: f64,
) -> EnrichError {
    let limit = reachable_product(iso, product);
    if product.value() >= limit * (1.0 - 1e-9) {
        return EnrichError::Inconsistent(format!(
            "a product of {} {} U-235 is not reachable from this feed ({feed}): the other \
             isotopes a MARC cascade sends to the product with U-235 (U-232, U-234, U-236) cap it \
             at about {} {}",
            100.0 * product.value(),
            product.basis(),
            crate::units::significant(100.0 * limit, 6),
            product.basis()
        ));
    }
    EnrichError::NoConvergence {
        solver: "MARC Newton",
        iterations,
        residual,
    }
}
