//! Centrifuge machine types and their separative power.
//!
//! A [`Machine`] is what the engines need to know about a centrifuge type to turn machine counts
//! into capacity: its separative power per machine-year as a low / central / high range, where
//! that range comes from, and whether the only public figure is the operator's own claim. The
//! library is data (`data/machines.toml`), read by the CLI; this module only validates it.
//!
//! [`MachinePhysics`] adds what cascade models need: the stage separation factor α, and where
//! public the nominal feed, rotor dimensions and peripheral speed. A machine's throughput limit
//! is *derived* from its separative power and α ([`Machine::machine_feed`]), because published
//! feeds, α and separative powers do not agree with one another (docs/models.md).

use crate::EnrichError;
use crate::cascade::{MachineFeed, StageSeparation, machine_feed_from_rating};
use crate::centrifuge::Rotor;
use crate::units::SwuPerYear;

/// Separative power per machine as a range: low ≤ central ≤ high, all positive.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SeparativePower {
    /// Lower end of the plausible range.
    pub low: SwuPerYear,
    /// The default value.
    pub central: SwuPerYear,
    /// Upper end of the plausible range.
    pub high: SwuPerYear,
}

impl SeparativePower {
    /// A validated range, kg-SWU per machine-year.
    ///
    /// # Errors
    /// [`EnrichError::NotPositive`] for a non-positive value; [`EnrichError::Inconsistent`] unless
    /// low ≤ central ≤ high.
    pub fn new(low: f64, central: f64, high: f64) -> Result<Self, EnrichError> {
        let (l, c, h) = (
            SwuPerYear::new(low)?,
            SwuPerYear::new(central)?,
            SwuPerYear::new(high)?,
        );
        if !(low <= central && central <= high) {
            return Err(EnrichError::Inconsistent(format!(
                "separative power must satisfy low ≤ central ≤ high, got {low}, {central}, {high} kg-SWU/yr"
            )));
        }
        Ok(SeparativePower {
            low: l,
            central: c,
            high: h,
        })
    }
}

/// A centrifuge type.
#[derive(Debug, Clone, PartialEq)]
pub struct Machine {
    /// Short identifier used in flags and files, e.g. `IR-6`.
    pub id: String,
    /// Descriptive name.
    pub name: String,
    /// Lineage.
    pub origin: String,
    /// True when the only public figure is the operator's claim.
    pub claim_only: bool,
    /// Separative power per machine-year.
    pub separative_power: SeparativePower,
    /// Where the separative-power figures come from.
    pub source: String,
    /// How the range was chosen: what is derived, what is assumed.
    pub note: String,
    /// Stage separation factor, rotor and nominal feed.
    pub physics: MachinePhysics,
}

/// Physical figures of a machine type; `None` where no public figure exists.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct MachinePhysics {
    /// Stage separation factor α (U-235/U-238, heads over tails) used by the cascade models.
    pub stage_separation_factor: Option<f64>,
    /// Nominal feed per machine as published, mg UF6/s (for reference; not used for capacity).
    pub nominal_feed_mg_uf6_per_s: Option<f64>,
    /// Rotor length, m.
    pub rotor_length_m: Option<f64>,
    /// Rotor diameter, m.
    pub rotor_diameter_m: Option<f64>,
    /// Peripheral (wall) speed, m/s.
    pub peripheral_speed_m_per_s: Option<f64>,
    /// Where each figure comes from, or that it is an assumption.
    pub source: String,
}

impl MachinePhysics {
    /// Checks that every given figure is positive and α is a valid separation factor.
    ///
    /// # Errors
    /// [`EnrichError::NotPositive`] or [`EnrichError::OutOfRange`] naming the figure.
    pub fn validate(&self) -> Result<(), EnrichError> {
        if let Some(a) = self.stage_separation_factor {
            StageSeparation::new(a)?;
        }
        for (what, v, unit) in [
            ("nominal feed", self.nominal_feed_mg_uf6_per_s, "mg UF6/s"),
            ("rotor length", self.rotor_length_m, "m"),
            ("rotor diameter", self.rotor_diameter_m, "m"),
            ("peripheral speed", self.peripheral_speed_m_per_s, "m/s"),
        ] {
            if let Some(v) = v {
                crate::error::positive(what, v, unit)?;
            }
        }
        Ok(())
    }
}

impl Machine {
    /// The stage separation factor.
    ///
    /// # Errors
    /// [`EnrichError::Inconsistent`] if the library gives none for this machine.
    pub fn separation(&self) -> Result<StageSeparation, EnrichError> {
        let a = self.physics.stage_separation_factor.ok_or_else(|| {
            EnrichError::Inconsistent(format!(
                "machine `{}` has no stage separation factor in the library; give one explicitly",
                self.id
            ))
        })?;
        StageSeparation::new(a)
    }

    /// The throughput limit per machine derived from the central separative power and α:
    /// L = δU/Φ(α) (see [`crate::cascade::rating`]).
    ///
    /// # Errors
    /// As [`Machine::separation`].
    pub fn machine_feed(&self) -> Result<MachineFeed, EnrichError> {
        machine_feed_from_rating(
            self.separative_power.central.kg_swu_per_yr(),
            self.separation()?,
        )
    }

    /// The rotor, if its speed, length and diameter are all public.
    pub fn rotor(&self) -> Option<Rotor> {
        let p = &self.physics;
        Rotor::new(
            p.peripheral_speed_m_per_s?,
            p.rotor_length_m?,
            p.rotor_diameter_m?,
        )
        .ok()
    }
}

/// The machine types known to a run.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct MachineLibrary {
    machines: Vec<Machine>,
}

impl MachineLibrary {
    /// A library from machines with distinct ids (compared case-insensitively).
    ///
    /// # Errors
    /// [`EnrichError::Inconsistent`] for a duplicate or empty id.
    pub fn new(machines: Vec<Machine>) -> Result<Self, EnrichError> {
        for (i, m) in machines.iter().enumerate() {
            if m.id.trim().is_empty() {
                return Err(EnrichError::Inconsistent(format!(
                    "machine #{} has an empty id",
                    i + 1
                )));
            }
            if machines[..i]
                .iter()
                .any(|o| o.id.eq_ignore_ascii_case(&m.id))
            {
                return Err(EnrichError::Inconsistent(format!(
                    "machine id `{}` appears twice",
                    m.id
                )));
            }
        }
        Ok(MachineLibrary { machines })
    }

    /// All machines, in file order.
    pub fn machines(&self) -> &[Machine] {
        &self.machines
    }

    /// The machine with this id, case-insensitively.
    ///
    /// # Errors
    /// [`EnrichError::Inconsistent`] naming the unknown id and listing the known ones.
    pub fn get(&self, id: &str) -> Result<&Machine, EnrichError> {
        self.machines
            .iter()
            .find(|m| m.id.eq_ignore_ascii_case(id.trim()))
            .ok_or_else(|| {
                let known: Vec<&str> = self.machines.iter().map(|m| m.id.as_str()).collect();
                EnrichError::Inconsistent(format!(
                    "unknown machine type `{id}`: expected one of {}",
                    known.join(", ")
                ))
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn machine(id: &str) -> Machine {
        Machine {
            id: id.into(),
            name: id.into(),
            origin: String::new(),
            claim_only: false,
            separative_power: SeparativePower::new(0.5, 1.0, 1.5).unwrap(),
            source: "test".into(),
            note: String::new(),
            physics: MachinePhysics {
                stage_separation_factor: Some(1.5),
                ..MachinePhysics::default()
            },
        }
    }

    #[test]
    fn feed_limit_follows_from_rating_and_alpha() {
        let m = machine("IR-1");
        // 1 kg-SWU/yr at α = 1.5: L = 1/Φ with Φ = ln β (β − 1)/(β + 1), β = √1.5.
        let b = 1.5f64.sqrt();
        let l = 1.0 / (b.ln() * (b - 1.0) / (b + 1.0));
        assert!((m.machine_feed().unwrap().kg_u_per_yr() - l).abs() < 1e-9 * l);
        let mut none = machine("X");
        none.physics.stage_separation_factor = None;
        assert!(
            none.machine_feed()
                .unwrap_err()
                .to_string()
                .contains("`X` has no stage separation factor")
        );
        assert!(m.rotor().is_none());
        let bad = MachinePhysics {
            rotor_length_m: Some(-1.0),
            ..MachinePhysics::default()
        };
        assert!(
            bad.validate()
                .unwrap_err()
                .to_string()
                .contains("rotor length")
        );
    }

    #[test]
    fn lookup_is_case_insensitive_and_errors_list_known_ids() {
        let lib = MachineLibrary::new(vec![machine("IR-1"), machine("IR-6")]).unwrap();
        assert_eq!(lib.get("ir-6").unwrap().id, "IR-6");
        let e = lib.get("IR-9").unwrap_err().to_string();
        assert!(e.contains("IR-9") && e.contains("IR-1, IR-6"), "{e}");
        assert!(MachineLibrary::new(vec![machine("IR-1"), machine("ir-1")]).is_err());
    }

    #[test]
    fn separative_power_must_be_ordered_and_positive() {
        assert!(SeparativePower::new(2.0, 1.0, 3.0).is_err());
        assert!(SeparativePower::new(0.0, 1.0, 3.0).is_err());
        assert!(SeparativePower::new(1.0, 1.0, 1.0).is_ok());
    }
}
