//! Separative power of a single gas centrifuge from its rotor: the Dirac upper bound and the
//! Raetz model of a counter-current machine, with every parameter explicit.
//!
//! Both follow A. Glaser, "Characteristics of the Gas Centrifuge for Uranium Enrichment and
//! Their Relevance for Nuclear Weapon Proliferation", Science & Global Security 16:1–25 (2008),
//! eqs. 3, 6, 10 and 12, as implemented in mbmore (`enrich_functions.cc`, cnerg/mbmore @ da1e0ac)
//! and enrich_calcs; constants are theirs so that results compare digit for digit:
//! ρD = 2.2e-5 kg m⁻¹ s⁻¹ (UF6 self-diffusion × density), R = 8.314 J mol⁻¹ K⁻¹,
//! ΔM = 0.003 kg/mol, M(UF6) = 0.352 kg/mol, M(U-238) = 0.238 kg/mol.
//!
//! Mass basis: with [`MassBasis::Uranium`] ρD is scaled by M(U-238)/M(UF6) (×0.676) so that the
//! separative power counts kg U, the convention of kg-SWU in this crate; [`MassBasis::Uf6`] keeps
//! UF6 mass. Implementations differ on this, which alone changes the Dirac value by ×1.48.
//! These are models of one machine in isolation; the cascade models take their separative
//! power from sourced figures (`data/machines.toml`), not from here.

use crate::EnrichError;
use crate::error::positive;
use crate::units::DAYS_PER_YEAR;

/// ρD of UF6, kg m⁻¹ s⁻¹ (Glaser 2008).
pub const RHO_D: f64 = 2.2e-5;
/// Gas constant used by Glaser-based codes, J mol⁻¹ K⁻¹.
pub const GAS_CONSTANT: f64 = 8.314;
/// Mass difference of ²³⁵UF6 and ²³⁸UF6, kg/mol.
pub const DELTA_M: f64 = 0.003;
/// Molar mass of UF6, kg/mol.
pub const M_UF6: f64 = 0.352;
/// Molar mass of U-238 as used for the U/UF6 conversion, kg/mol.
pub const M_U238: f64 = 0.238;
/// Seconds per (Julian) year.
pub const SECONDS_PER_YEAR: f64 = DAYS_PER_YEAR * 86_400.0;

/// Which mass the separative power counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MassBasis {
    /// kg of uranium (ρD × M(U-238)/M(UF6)).
    Uranium,
    /// kg of UF6.
    Uf6,
}

impl MassBasis {
    fn rho_d(self) -> f64 {
        match self {
            MassBasis::Uranium => RHO_D * M_U238 / M_UF6,
            MassBasis::Uf6 => RHO_D,
        }
    }
}

/// A rotor: peripheral (wall) speed, length and diameter.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rotor {
    speed_m_per_s: f64,
    length_m: f64,
    diameter_m: f64,
}

impl Rotor {
    /// A rotor with wall speed `speed_m_per_s`, length `length_m` and diameter `diameter_m`.
    ///
    /// # Errors
    /// [`EnrichError::NotPositive`] naming the first non-positive dimension.
    pub fn new(speed_m_per_s: f64, length_m: f64, diameter_m: f64) -> Result<Self, EnrichError> {
        Ok(Rotor {
            speed_m_per_s: positive("peripheral speed", speed_m_per_s, "m/s")?,
            length_m: positive("rotor length", length_m, "m")?,
            diameter_m: positive("rotor diameter", diameter_m, "m")?,
        })
    }
}

/// A separative power, with both time units.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SeparativeRate {
    /// kg-SWU per second.
    pub kg_swu_per_s: f64,
}

impl SeparativeRate {
    /// kg-SWU per year (Julian).
    pub fn kg_swu_per_yr(self) -> f64 {
        self.kg_swu_per_s * SECONDS_PER_YEAR
    }
}

fn thermal(speed: f64, temperature_k: f64) -> f64 {
    DELTA_M * speed * speed / (2.0 * GAS_CONSTANT * temperature_k)
}

/// The Dirac upper bound δU_max = (π/2)·Z·ρD·(ΔM v²/(2RT))² (Glaser eq. 6).
///
/// # Errors
/// [`EnrichError::NotPositive`] for a non-positive temperature.
pub fn dirac_max(
    rotor: &Rotor,
    temperature_k: f64,
    basis: MassBasis,
) -> Result<SeparativeRate, EnrichError> {
    let t = positive("gas temperature", temperature_k, "K")?;
    let c = thermal(rotor.speed_m_per_s, t);
    Ok(SeparativeRate {
        kg_swu_per_s: std::f64::consts::FRAC_PI_2 * rotor.length_m * basis.rho_d() * c * c,
    })
}

/// How the inner radius r₁ of the gas column is set.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum InnerRadius {
    /// r₁/r₂ given directly (Glaser uses 0.534 for the P-1).
    Ratio(f64),
    /// From the wall-to-axis pressure ratio x: r₁/r₂ = √(1 − 2RT·ln x/(M(UF6)·v²)).
    PressureRatio(f64),
}

/// The Raetz model's parameters other than the rotor and its feed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RaetzParams {
    /// r₂/a, outer radius of the separating flow over the rotor radius (0.96–0.99; 0.975).
    pub r2_over_a: f64,
    /// Inner radius of the gas column.
    pub inner: InnerRadius,
    /// Internal flow ratio k = L/F (2–4).
    pub flow_ratio: f64,
    /// Cut θ.
    pub cut: f64,
    /// Gas temperature, K.
    pub temperature_k: f64,
    /// Efficiency factor (1 = the model; "typically < 0.6" for real machines).
    pub efficiency: f64,
    /// Mass basis.
    pub basis: MassBasis,
}

impl Default for RaetzParams {
    /// mbmore's defaults: r₂/a 0.975, pressure ratio 1000, k 2, θ 0.5, 320 K, efficiency 1, U basis.
    fn default() -> Self {
        RaetzParams {
            r2_over_a: 0.975,
            inner: InnerRadius::PressureRatio(1000.0),
            flow_ratio: 2.0,
            cut: 0.5,
            temperature_k: 320.0,
            efficiency: 1.0,
            basis: MassBasis::Uranium,
        }
    }
}

fn open_unit(what: &'static str, v: f64, unit: &'static str) -> Result<f64, EnrichError> {
    if v.is_finite() && v > 0.0 && v < 1.0 {
        Ok(v)
    } else {
        Err(EnrichError::OutOfRange {
            what,
            value: v,
            unit,
            min: 0.0,
            max: 1.0,
        })
    }
}

/// The Raetz separative power of a machine fed `feed_kg_per_s` (Glaser eqs. 3, 10, 12):
/// δU = eff·F·½θ(1 − θ)·C²·(r₂/a)⁴·(1 − (r₁/r₂)²)²·[(1 + k)/θ·(1 − e^(−A_p Z_p)) +
/// k/(1 − θ)·(1 − e^(−A_w (Z − Z_p)))]², with Z_p = Z(1 − θ)(1 + k)/(1 − θ + k),
/// C₁ = 2πρD/ln(r₂/r₁), A_p = C₁/F·θ/((1 + k)(1 − θ + k)), A_w = C₁/F·(1 − θ)/(k(1 − θ + k)),
/// C = ΔM v²/(2RT).
///
/// # Errors
/// [`EnrichError::NotPositive`] / [`EnrichError::OutOfRange`] naming the bad parameter;
/// [`EnrichError::Inconsistent`] when the pressure ratio leaves no gas column (r₁/r₂ not real).
pub fn raetz(
    rotor: &Rotor,
    feed_kg_per_s: f64,
    p: &RaetzParams,
) -> Result<SeparativeRate, EnrichError> {
    let f = positive("machine feed", feed_kg_per_s, "kg/s")?;
    let t = positive("gas temperature", p.temperature_k, "K")?;
    let k = positive("internal flow ratio k", p.flow_ratio, "L/F")?;
    let theta = open_unit("cut θ", p.cut, "fraction")?;
    let eff = positive("efficiency", p.efficiency, "fraction")?;
    if !(p.r2_over_a > 0.0 && p.r2_over_a <= 1.0) {
        return Err(EnrichError::OutOfRange {
            what: "r2/a",
            value: p.r2_over_a,
            unit: "ratio",
            min: 0.0,
            max: 1.0,
        });
    }
    let v = rotor.speed_m_per_s;
    let r12 = match p.inner {
        InnerRadius::Ratio(r) => open_unit("r1/r2", r, "ratio")?,
        InnerRadius::PressureRatio(x) => {
            if !(x.is_finite() && x > 1.0) {
                return Err(EnrichError::OutOfRange {
                    what: "pressure ratio x",
                    value: x,
                    unit: "wall/axis",
                    min: 1.0,
                    max: f64::INFINITY,
                });
            }
            let s = 1.0 - 2.0 * GAS_CONSTANT * t * x.ln() / (M_UF6 * v * v);
            if s <= 0.0 {
                return Err(EnrichError::Inconsistent(format!(
                    "pressure ratio {x} at {v} m/s and {t} K leaves no gas column (1 − 2RT·ln x/(M v²) = {s}); use a higher speed or give r1/r2"
                )));
            }
            s.sqrt()
        }
    };
    let z = rotor.length_m;
    let zp = z * (1.0 - theta) * (1.0 + k) / (1.0 - theta + k);
    let c1 = 2.0 * std::f64::consts::PI * p.basis.rho_d() / (1.0 / r12).ln();
    let ap = c1 / f * theta / ((1.0 + k) * (1.0 - theta + k));
    let aw = c1 / f * (1.0 - theta) / (k * (1.0 - theta + k));
    let c = thermal(v, t);
    let bracket =
        (1.0 + k) / theta * -(-ap * zp).exp_m1() + k / (1.0 - theta) * -(-aw * (z - zp)).exp_m1();
    let du = eff
        * f
        * 0.5
        * theta
        * (1.0 - theta)
        * c
        * c
        * p.r2_over_a.powi(4)
        * (1.0 - r12 * r12).powi(2)
        * bracket
        * bracket;
    Ok(SeparativeRate { kg_swu_per_s: du })
}

#[cfg(test)]
mod tests {
    use super::*;
    use approx::assert_relative_eq;

    #[test]
    fn reproduces_the_mbmore_test_machine() {
        // mbmore CalcDelU / ComputeDeltaU(0.5): v 485, Z 0.5, d 0.15, F 15 mg/s, 320 K, θ 0.5,
        // k 2, x 1000, eff 1 → 7.03232816847e-8 kg/s (enrichment-physics.md §3.3).
        let rotor = Rotor::new(485.0, 0.5, 0.15).unwrap();
        let du = raetz(&rotor, 15e-6, &RaetzParams::default()).unwrap();
        assert_relative_eq!(du.kg_swu_per_s, 7.032_328_168_47e-8, max_relative = 1e-11);
        // Equivalent: 2.219 kg-SWU/yr.
        assert!((du.kg_swu_per_yr() - 2.219).abs() < 1e-3);
        // r1/r2 from x = 1000 at 485 m/s is 0.746 (P-2, Glaser).
        let r = raetz(
            &rotor,
            15e-6,
            &RaetzParams {
                inner: InnerRadius::Ratio(0.745_710_400_669_083_6),
                ..RaetzParams::default()
            },
        )
        .unwrap();
        assert_relative_eq!(r.kg_swu_per_s, du.kg_swu_per_s, max_relative = 1e-12);
    }

    #[test]
    fn dirac_matches_the_published_parameter_sets() {
        // enrichment-physics.md §5.2: U basis [UF6 basis], kg-SWU/yr.
        for (v, z, d, u, uf6) in [
            (320.0, 1.8, 0.10, 4.42, 6.54),
            (350.0, 1.8, 0.105, 6.33, 9.36),
            (485.0, 1.0, 0.15, 13.0, 19.2),
        ] {
            let r = Rotor::new(v, z, d).unwrap();
            let a = dirac_max(&r, 320.0, MassBasis::Uranium)
                .unwrap()
                .kg_swu_per_yr();
            let b = dirac_max(&r, 320.0, MassBasis::Uf6)
                .unwrap()
                .kg_swu_per_yr();
            assert!(
                (a - u).abs() < 0.006 * u && (b - uf6).abs() < 0.006 * uf6,
                "{v}: {a} {b}"
            );
            assert_relative_eq!(a / b, M_U238 / M_UF6, max_relative = 1e-12);
        }
    }

    #[test]
    fn raetz_stays_below_dirac_and_rejects_bad_parameters() {
        let rotor = Rotor::new(350.0, 1.8, 0.105).unwrap();
        // enrichment-physics.md §5.2: 3.57 kg-SWU/yr for the cyclus_jcpoa IR-1 parameters, with
        // the mbmore PR branch's r1/r2 = 0.534 below 380 m/s.
        let p = RaetzParams {
            inner: InnerRadius::Ratio(0.534),
            ..RaetzParams::default()
        };
        let du = raetz(&rotor, 13e-6, &p).unwrap().kg_swu_per_yr();
        assert!((du - 3.57).abs() < 0.01, "{du}");
        assert!(
            du < dirac_max(&rotor, 320.0, MassBasis::Uranium)
                .unwrap()
                .kg_swu_per_yr()
        );
        for (bad, needle) in [
            (RaetzParams { cut: 1.0, ..p }, "cut"),
            (
                RaetzParams {
                    flow_ratio: 0.0,
                    ..p
                },
                "flow ratio",
            ),
            (
                RaetzParams {
                    r2_over_a: 1.2,
                    ..p
                },
                "r2/a",
            ),
            (
                RaetzParams {
                    inner: InnerRadius::PressureRatio(1e30),
                    ..p
                },
                "no gas column",
            ),
            (
                RaetzParams {
                    temperature_k: -1.0,
                    ..p
                },
                "temperature",
            ),
        ] {
            let e = raetz(&rotor, 13e-6, &bad).unwrap_err().to_string();
            assert!(e.contains(needle), "{e}");
        }
        assert!(
            Rotor::new(0.0, 1.0, 0.1)
                .unwrap_err()
                .to_string()
                .contains("peripheral speed")
        );
    }
}
