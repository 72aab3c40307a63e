//! Centrifuge machine types and their separative power.
//!
//! A [`Machine`] is what the engines need to know about a centrifuge type to turn machine counts
//! into capacity: its separative power per machine-year as a low / central / high range, where
//! that range comes from, and whether the only public figure is the operator's own claim. The
//! library is data (`data/machines.toml`), read by the CLI; this module only validates it.

use crate::EnrichError;
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
        }
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
