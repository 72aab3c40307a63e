//! Numeric inputs that may be uncertain: a fixed value or a distribution.
//!
//! Every scalar input of a scenario (machine counts, separative power, efficiency, stock masses,
//! damage fractions, build times, reinstallation rates) is a [`Param`]. A deterministic run uses
//! its central value; a Monte Carlo run draws it; the tornado table moves it to its 5th and 95th
//! percentiles. Draws are clamped to the input's domain (a mass cannot be negative, a fraction
//! cannot exceed 1), so a normal distribution on a mass never yields a negative mass.

use rand::{Rng, RngExt};
use rand_distr::{Distribution, StandardNormal};

use crate::error::BreakoutError;

/// z such that Φ(z) = 0.95 (tables of the standard normal distribution).
const Z95: f64 = 1.644_853_626_951_472_2;

/// A fixed value or a distribution over it, in the unit of the input it belongs to.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Param {
    /// A known value.
    Fixed(f64),
    /// Uniform on [min, max].
    Uniform {
        /// Lower bound.
        min: f64,
        /// Upper bound.
        max: f64,
    },
    /// Triangular on [min, max] with its peak at `mode`.
    Triangular {
        /// Lower bound.
        min: f64,
        /// Most likely value.
        mode: f64,
        /// Upper bound.
        max: f64,
    },
    /// Normal with this mean and standard deviation.
    Normal {
        /// Mean.
        mean: f64,
        /// Standard deviation.
        sd: f64,
    },
    /// Log-normal: ln X is normal with mean ln(median) and standard deviation `sigma`.
    LogNormal {
        /// Median.
        median: f64,
        /// Standard deviation of ln X.
        sigma: f64,
    },
}

/// The values an input may take.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Domain {
    /// Smallest admissible value.
    pub min: f64,
    /// Largest admissible value.
    pub max: f64,
}

impl Domain {
    /// Any value ≥ 0.
    pub const NON_NEGATIVE: Domain = Domain {
        min: 0.0,
        max: f64::INFINITY,
    };
    /// A fraction in [0, 1].
    pub const FRACTION: Domain = Domain { min: 0.0, max: 1.0 };
}

impl Param {
    /// Checks the parameters of the distribution and that its central value lies in `domain`.
    ///
    /// # Errors
    /// [`BreakoutError::Invalid`] naming `input` for a non-finite number, bounds out of order, a
    /// non-positive spread or a central value outside the domain.
    pub fn validated(self, input: &str, domain: Domain) -> Result<Param, BreakoutError> {
        let finite = |x: f64, what: &str| {
            if x.is_finite() {
                Ok(())
            } else {
                Err(BreakoutError::invalid(
                    format!("{input} ({what})"),
                    x,
                    "a finite number",
                ))
            }
        };
        match self {
            Param::Fixed(x) => finite(x, "value")?,
            Param::Uniform { min, max } => {
                finite(min, "min")?;
                finite(max, "max")?;
                if min > max {
                    return Err(BreakoutError::invalid(
                        input,
                        format!("uniform min {min} > max {max}"),
                        "min ≤ max",
                    ));
                }
            }
            Param::Triangular { min, mode, max } => {
                finite(min, "min")?;
                finite(mode, "mode")?;
                finite(max, "max")?;
                if !(min <= mode && mode <= max) {
                    return Err(BreakoutError::invalid(
                        input,
                        format!("triangular min {min}, mode {mode}, max {max}"),
                        "min ≤ mode ≤ max",
                    ));
                }
            }
            Param::Normal { mean, sd } => {
                finite(mean, "mean")?;
                finite(sd, "sd")?;
                if sd < 0.0 {
                    return Err(BreakoutError::invalid(
                        format!("{input} (sd)"),
                        sd,
                        "a standard deviation ≥ 0",
                    ));
                }
            }
            Param::LogNormal { median, sigma } => {
                finite(median, "median")?;
                finite(sigma, "sigma")?;
                if median <= 0.0 || sigma < 0.0 {
                    return Err(BreakoutError::invalid(
                        input,
                        format!("lognormal median {median}, sigma {sigma}"),
                        "median > 0 and sigma ≥ 0",
                    ));
                }
            }
        }
        let c = self.central();
        if c < domain.min || c > domain.max {
            return Err(BreakoutError::invalid(
                input,
                c,
                format!("a value in [{}, {}]", domain.min, domain.max),
            ));
        }
        Ok(self)
    }

    /// The value a deterministic run uses: the fixed value, the mode, the mean or the median.
    pub fn central(self) -> f64 {
        match self {
            Param::Fixed(x) => x,
            Param::Uniform { min, max } => 0.5 * (min + max),
            Param::Triangular { mode, .. } => mode,
            Param::Normal { mean, .. } => mean,
            Param::LogNormal { median, .. } => median,
        }
    }

    /// The same distribution of `factor` × X (`factor` > 0), e.g. a compound mass to kg U.
    pub fn scaled(self, factor: f64) -> Param {
        match self {
            Param::Fixed(x) => Param::Fixed(x * factor),
            Param::Uniform { min, max } => Param::Uniform {
                min: min * factor,
                max: max * factor,
            },
            Param::Triangular { min, mode, max } => Param::Triangular {
                min: min * factor,
                mode: mode * factor,
                max: max * factor,
            },
            Param::Normal { mean, sd } => Param::Normal {
                mean: mean * factor,
                sd: sd * factor,
            },
            Param::LogNormal { median, sigma } => Param::LogNormal {
                median: median * factor,
                sigma,
            },
        }
    }

    /// True unless the value is known exactly.
    pub fn is_uncertain(self) -> bool {
        match self {
            Param::Fixed(_) => false,
            Param::Uniform { min, max } | Param::Triangular { min, max, .. } => max > min,
            Param::Normal { sd, .. } => sd > 0.0,
            Param::LogNormal { sigma, .. } => sigma > 0.0,
        }
    }

    /// The p-quantile (0 < p < 1), exact for each family; normal and log-normal are supported
    /// at p = 0.05 and 0.95 (the tornado's ends) and otherwise at the median.
    pub fn quantile(self, p: f64) -> f64 {
        let z = if p <= 0.05 {
            -Z95
        } else if p >= 0.95 {
            Z95
        } else {
            0.0
        };
        match self {
            Param::Fixed(x) => x,
            Param::Uniform { min, max } => min + p * (max - min),
            Param::Triangular { min, mode, max } => triangular_inverse(min, mode, max, p),
            Param::Normal { mean, sd } => mean + z * sd,
            Param::LogNormal { median, sigma } => median * (z * sigma).exp(),
        }
    }

    /// One draw, clamped to `domain`.
    pub fn sample<R: Rng + ?Sized>(self, rng: &mut R, domain: Domain) -> f64 {
        let x = match self {
            Param::Fixed(x) => x,
            Param::Uniform { min, max } => min + rng.random::<f64>() * (max - min),
            Param::Triangular { min, mode, max } => {
                triangular_inverse(min, mode, max, rng.random::<f64>())
            }
            Param::Normal { mean, sd } => {
                let z: f64 = StandardNormal.sample(rng);
                mean + sd * z
            }
            Param::LogNormal { median, sigma } => {
                let z: f64 = StandardNormal.sample(rng);
                median * (sigma * z).exp()
            }
        };
        x.clamp(domain.min, domain.max)
    }

    /// A short human description, e.g. `triangular(3.5, 5, 7)`.
    pub fn describe(self) -> String {
        use enrich::units::significant as s;
        let s = |x: f64| s(x, 6);
        match self {
            Param::Fixed(x) => s(x),
            Param::Uniform { min, max } => format!("uniform({}, {})", s(min), s(max)),
            Param::Triangular { min, mode, max } => {
                format!("triangular({}, {}, {})", s(min), s(mode), s(max))
            }
            Param::Normal { mean, sd } => format!("normal(mean {}, sd {})", s(mean), s(sd)),
            Param::LogNormal { median, sigma } => {
                format!("lognormal(median {}, sigma {})", s(median), s(sigma))
            }
        }
    }
}

/// Inverse CDF of the triangular distribution.
fn triangular_inverse(min: f64, mode: f64, max: f64, u: f64) -> f64 {
    let width = max - min;
    if width <= 0.0 {
        return mode;
    }
    let split = (mode - min) / width;
    if u < split {
        min + (u * width * (mode - min)).sqrt()
    } else {
        max - ((1.0 - u) * width * (max - mode)).sqrt()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use approx::assert_relative_eq;
    use rand::SeedableRng;

    #[test]
    fn quantiles_are_exact() {
        // Triangular(0, 0, 1): F(x) = 1 − (1 − x)², so x_p = 1 − √(1 − p).
        let t = Param::Triangular {
            min: 0.0,
            mode: 0.0,
            max: 1.0,
        };
        assert_relative_eq!(t.quantile(0.75), 0.5, max_relative = 1e-12);
        let u = Param::Uniform { min: 2.0, max: 4.0 };
        assert_relative_eq!(u.quantile(0.05), 2.1, max_relative = 1e-12);
        let n = Param::Normal {
            mean: 10.0,
            sd: 2.0,
        };
        assert_relative_eq!(n.quantile(0.95), 13.289_707, max_relative = 1e-6);
        let l = Param::LogNormal {
            median: 1.0,
            sigma: 1.0,
        };
        assert_relative_eq!(l.quantile(0.05), (-Z95).exp(), max_relative = 1e-12);
    }

    #[test]
    fn draws_stay_in_the_domain_and_follow_the_mean() {
        let mut rng = rand_pcg::Pcg64Mcg::seed_from_u64(7);
        let n = Param::Normal { mean: 0.1, sd: 1.0 };
        for _ in 0..1000 {
            let x = n.sample(&mut rng, Domain::FRACTION);
            assert!((0.0..=1.0).contains(&x));
        }
        let t = Param::Triangular {
            min: 1.0,
            mode: 2.0,
            max: 6.0,
        };
        let mean: f64 = (0..20_000)
            .map(|_| t.sample(&mut rng, Domain::NON_NEGATIVE))
            .sum::<f64>()
            / 20_000.0;
        assert!((mean - 3.0).abs() < 0.05, "{mean}");
    }

    #[test]
    fn bad_distributions_are_rejected_by_name() {
        let e = Param::Triangular {
            min: 3.0,
            mode: 1.0,
            max: 2.0,
        }
        .validated("mass_kg_u", Domain::NON_NEGATIVE)
        .unwrap_err()
        .to_string();
        assert!(
            e.contains("mass_kg_u") && e.contains("min ≤ mode ≤ max"),
            "{e}"
        );
        let e = Param::Fixed(1.5)
            .validated("damage_fraction", Domain::FRACTION)
            .unwrap_err()
            .to_string();
        assert!(e.contains("damage_fraction = 1.5"), "{e}");
        assert!(
            Param::Fixed(f64::NAN)
                .validated("x", Domain::NON_NEGATIVE)
                .is_err()
        );
    }
}
