//! A resolved breakout scenario: capacity by site and machine type, stocks, the goal, and every
//! numeric input as a named, possibly uncertain [`Param`].
//!
//! The CLI builds a scenario from a facility state file (or quick-mode flags) plus what-if
//! flags; the engine only reads it. Inputs are held in one list and referred to by index, so a
//! Monte Carlo draw or a tornado variation is just another value vector of the same length, and
//! the estimators never allocate per draw.

use std::fmt;
use std::str::FromStr;
use std::sync::Arc;

use crate::fixed::CascadeHardware;
use enrich::{Assay, KgU, Stock, units::DAYS_PER_MONTH, units::DAYS_PER_YEAR};

use crate::capacity::CapacitySchedule;
use crate::error::BreakoutError;
use crate::goal::Goal;
use crate::ideal::TailsPolicy;
use crate::param::{Domain, Param};

/// Index of an input in [`Scenario::inputs`].
pub type InputId = usize;

/// One numeric input with its name, unit, distribution and source.
#[derive(Debug, Clone, PartialEq)]
pub struct Input {
    /// Unit-suffixed key for JSON, e.g. `fordow.IR-6.machines`.
    pub key: String,
    /// Human label.
    pub label: String,
    /// Unit, e.g. "kg-SWU/yr".
    pub unit: String,
    /// Value or distribution.
    pub param: Param,
    /// Admissible values (draws are clamped to it).
    pub domain: Domain,
    /// Where the value comes from, or the assumption behind it.
    pub source: String,
}

/// What machines are doing: the one list of statuses that state files, scenarios and deal
/// checks share (a scenario's [`GroupStatus`] adds the input a `Building` group needs).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MachineStatus {
    /// Installed and enriching uranium.
    Operating,
    /// Installed, not enriching (idle, or spinning without uranium).
    InstalledIdle,
    /// Removed and stored.
    Stored,
    /// Under construction: not installed yet.
    Building,
}

impl MachineStatus {
    /// Every status, in the order names are listed in messages.
    pub const ALL: [MachineStatus; 4] = [
        MachineStatus::Operating,
        MachineStatus::InstalledIdle,
        MachineStatus::Stored,
        MachineStatus::Building,
    ];

    /// The name used in state files and input keys, e.g. `installed-idle`.
    pub const fn name(self) -> &'static str {
        match self {
            MachineStatus::Operating => "operating",
            MachineStatus::InstalledIdle => "installed-idle",
            MachineStatus::Stored => "stored",
            MachineStatus::Building => "building",
        }
    }
}

impl fmt::Display for MachineStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A status name that is not one of [`MachineStatus::ALL`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("status `{0}` is not one of operating, installed-idle, stored, building")]
pub struct UnknownStatus(pub String);

impl FromStr for MachineStatus {
    type Err = UnknownStatus;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        MachineStatus::ALL
            .into_iter()
            .find(|m| m.name() == s)
            .ok_or_else(|| UnknownStatus(s.to_string()))
    }
}

/// What a group of cascades is doing at the start of the breakout.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum GroupStatus {
    /// Enriching: capacity from day 0.
    Operating,
    /// Installed but not enriching: brought on line by reinstallation, before stored machines.
    InstalledIdle,
    /// Removed and stored: brought back by reinstallation.
    Stored,
    /// Under construction (covert plant, rebuilt cascades): on line after this many days.
    Building {
        /// Days until on line.
        online_after_days: InputId,
    },
}

impl GroupStatus {
    /// The group status for machines in `status`; a `Building` group needs the input of its
    /// days until on line, and only it takes one (`None` if the two do not fit).
    pub fn new(status: MachineStatus, online_after_days: Option<InputId>) -> Option<GroupStatus> {
        match (status, online_after_days) {
            (MachineStatus::Operating, None) => Some(GroupStatus::Operating),
            (MachineStatus::InstalledIdle, None) => Some(GroupStatus::InstalledIdle),
            (MachineStatus::Stored, None) => Some(GroupStatus::Stored),
            (MachineStatus::Building, Some(online_after_days)) => {
                Some(GroupStatus::Building { online_after_days })
            }
            _ => None,
        }
    }

    /// What the group's machines are doing, without the scenario's input ids.
    pub fn machine_status(self) -> MachineStatus {
        match self {
            GroupStatus::Operating => MachineStatus::Operating,
            GroupStatus::InstalledIdle => MachineStatus::InstalledIdle,
            GroupStatus::Stored => MachineStatus::Stored,
            GroupStatus::Building { .. } => MachineStatus::Building,
        }
    }
}

/// Machines of one type at one site in one status.
#[derive(Debug, Clone, PartialEq)]
pub struct CascadeGroup {
    /// Site id (lower case), e.g. `fordow`.
    pub site: String,
    /// Machine type id, e.g. `IR-6`.
    pub machine: String,
    /// Status.
    pub status: GroupStatus,
    /// Number of machines.
    pub machines: InputId,
    /// Number of cascades they form (the unit of reinstallation).
    pub cascades: u32,
    /// Separative power per machine, kg-SWU/yr (nominal rating).
    pub swu_per_machine_yr: InputId,
    /// Efficiency in HEU production relative to the rating (per machine type).
    pub efficiency: InputId,
    /// Fraction of the site's capacity destroyed.
    pub damage_fraction: InputId,
    /// Assays (wt-% U-235) these cascades already take as feed or make as product, besides
    /// natural uranium and the product of natural feed: at these levels they need no set-up.
    pub handles_wt_pct: Vec<f64>,
}

/// A stock of enriched uranium.
#[derive(Debug, Clone, PartialEq)]
pub struct StockEntry {
    /// Where it is (site id, or e.g. `unknown`).
    pub site: String,
    /// Band and form as reported, e.g. "up to 60 % (UF6)".
    pub label: String,
    /// Assay used.
    pub assay: Assay,
    /// Mass, kg U.
    pub mass_kg_u: InputId,
    /// Fraction available for breakout (1 unless lost or of unknown location).
    pub available_fraction: InputId,
}

/// Everything an estimator needs.
#[derive(Debug, Clone, PartialEq)]
pub struct Scenario {
    /// Name shown in reports (state id or "quick mode").
    pub name: String,
    /// All numeric inputs.
    pub inputs: Vec<Input>,
    /// Cascades in scope.
    pub groups: Vec<CascadeGroup>,
    /// Stocks in scope.
    pub stocks: Vec<StockEntry>,
    /// The goal.
    pub goal: Goal,
    /// Tails of the stock cascade.
    pub tails: TailsPolicy,
    /// Tails of the natural-uranium route.
    pub natural_tails: Assay,
    /// Reinstallation rate, cascades per month (0: none).
    pub reinstall_cascades_per_month: InputId,
    /// Days to set up a new step of the fixed-cascade model: the first time the cascades are
    /// fed at a level of the enrichment chain they do not already handle.
    pub setup_days_per_step: InputId,
    /// The kinds of cascade the fixed-cascade model recycles material through, weighted by
    /// their rated output and tabulated (none: the fixed-cascade model is unavailable).
    pub hardware: Option<Arc<CascadeHardware>>,
    /// Per level of the hardware's enrichment chain that only some operating cascades handle
    /// (their `handles_wt_pct`), the hardware of those cascades: what runs that step while the
    /// rest of the plant is set up for it (levels as [`crate::fixed::Transfer::level`]).
    pub ready_hardware: Vec<(u32, Arc<CascadeHardware>)>,
    /// Operating constraints of the optimum model (docs/models.md, 'Optimum model').
    pub optimum: crate::optimum::OptimumOptions,
}

/// Default set-up time per new step, days: see [`Scenario::new`].
pub const DEFAULT_SETUP_DAYS_PER_STEP: f64 = 21.0;

impl Scenario {
    /// An empty scenario (no capacity, no stocks, no reinstallation).
    pub fn new(
        name: impl Into<String>,
        goal: Goal,
        tails: TailsPolicy,
        natural_tails: Assay,
    ) -> Self {
        let mut s = Scenario {
            name: name.into(),
            inputs: Vec::new(),
            groups: Vec::new(),
            stocks: Vec::new(),
            goal,
            tails,
            natural_tails,
            reinstall_cascades_per_month: 0,
            setup_days_per_step: 1,
            hardware: None,
            ready_hardware: Vec::new(),
            optimum: crate::optimum::OptimumOptions::default(),
        };
        s.inputs.push(Input {
            key: "reinstall_cascades_per_month".into(),
            label: "Reinstallation rate".into(),
            unit: "cascades/month".into(),
            param: Param::Fixed(0.0),
            domain: Domain::NON_NEGATIVE,
            source: "default: no reinstallation (declared capacity only)".into(),
        });
        s.inputs.push(Input {
            key: "setup_days_per_step".into(),
            label: "Set-up time per new enrichment step".into(),
            unit: "days".into(),
            param: Param::Fixed(DEFAULT_SETUP_DAYS_PER_STEP),
            domain: Domain::NON_NEGATIVE,
            source: "assumption (three weeks) within a sourced range: re-piping cascades for a new feed \
                     and product assay 'could add several weeks or months up front' (Wood, Glaser & Kemp, \
                     Physics Today 61(9):40, 2008, Box 3 [B20]); paid once per step the cascades do not \
                     already handle (docs/models.md, 'Which need a set-up')"
                .into(),
        });
        s
    }

    /// Adds a validated input and returns its id; an input with the same key is replaced.
    ///
    /// # Errors
    /// [`BreakoutError::Invalid`] naming the key if the distribution is invalid or its central
    /// value lies outside `domain`.
    pub fn input(
        &mut self,
        key: impl Into<String>,
        label: impl Into<String>,
        unit: impl Into<String>,
        param: Param,
        domain: Domain,
        source: impl Into<String>,
    ) -> Result<InputId, BreakoutError> {
        let key = key.into();
        let param = param.validated(&key, domain)?;
        let input = Input {
            key,
            label: label.into(),
            unit: unit.into(),
            param,
            domain,
            source: source.into(),
        };
        if let Some(i) = self.inputs.iter().position(|x| x.key == input.key) {
            self.inputs[i] = input;
            return Ok(i);
        }
        self.inputs.push(input);
        Ok(self.inputs.len() - 1)
    }

    /// The id of the input with this key.
    pub fn find(&self, key: &str) -> Option<InputId> {
        self.inputs.iter().position(|x| x.key == key)
    }

    /// Central values of all inputs (the deterministic run).
    pub fn central_values(&self) -> Vec<f64> {
        self.inputs.iter().map(|i| i.param.central()).collect()
    }

    /// `values` with the operating constraints relaxed: no set-up for any step (every cascade
    /// takes every step at once). What the hardware alone allows, for the fastest figure beside
    /// the headline.
    pub fn relaxed(&self, values: &[f64]) -> Vec<f64> {
        let mut v = values.to_vec();
        v[self.setup_days_per_step] = 0.0;
        v
    }

    /// A group's capacity in kg-SWU/day for these values.
    pub fn group_swu_per_day(&self, g: &CascadeGroup, values: &[f64]) -> f64 {
        values[g.machines]
            * values[g.swu_per_machine_yr]
            * values[g.efficiency]
            * (1.0 - values[g.damage_fraction])
            / DAYS_PER_YEAR
    }

    /// Fills `schedule` with capacity over time: operating groups from day 0, building groups
    /// when built, idle then stored cascades one by one at the reinstallation rate.
    pub fn capacity(&self, values: &[f64], schedule: &mut CapacitySchedule) {
        self.capacity_of(values, |_| true, schedule);
    }

    /// [`Scenario::capacity`] of the groups `include` selects (by index), each on the same
    /// timetable as in the whole plant (reinstalled cascades keep their place in the queue).
    pub fn capacity_of(
        &self,
        values: &[f64],
        include: impl Fn(usize) -> bool,
        schedule: &mut CapacitySchedule,
    ) {
        let base: f64 = self
            .groups
            .iter()
            .enumerate()
            .filter(|&(i, g)| include(i) && g.status == GroupStatus::Operating)
            .map(|(_, g)| self.group_swu_per_day(g, values))
            .sum();
        schedule.reset(base);
        for (i, g) in self.groups.iter().enumerate() {
            if let (true, GroupStatus::Building { online_after_days }) = (include(i), g.status) {
                schedule.add(values[online_after_days], self.group_swu_per_day(g, values));
            }
        }
        let rate = values[self.reinstall_cascades_per_month];
        if rate > 0.0 {
            let interval = DAYS_PER_MONTH / rate;
            let mut k = 0u32;
            let queued = |status| {
                self.groups
                    .iter()
                    .enumerate()
                    .filter(move |(_, g)| g.status == status)
            };
            let idle = queued(GroupStatus::InstalledIdle);
            let stored = queued(GroupStatus::Stored);
            for (i, g) in idle.chain(stored) {
                let per_cascade = self.group_swu_per_day(g, values) / f64::from(g.cascades.max(1));
                for _ in 0..g.cascades.max(1) {
                    k += 1;
                    if include(i) {
                        schedule.add(f64::from(k) * interval, per_cascade);
                    }
                }
            }
        }
    }

    /// Fills `out` with the stocks usable for the goal: available mass > 0 and assay below the
    /// product assay (material at or above it would be blended, which is not modelled).
    pub fn usable_stocks(&self, values: &[f64], out: &mut Vec<Stock>) {
        out.clear();
        out.extend(self.usable(values).map(|(_, s)| s));
    }

    /// The usable stocks with the index of the [`StockEntry`] each comes from.
    pub fn usable_stock_entries(&self, values: &[f64]) -> Vec<(usize, Stock)> {
        self.usable(values).collect()
    }

    fn usable<'a>(&'a self, values: &'a [f64]) -> impl Iterator<Item = (usize, Stock)> + 'a {
        self.stocks.iter().enumerate().filter_map(move |(i, s)| {
            // An empty stock (nothing available) is not usable; KgU rejects a non-finite mass.
            let kg = values[s.mass_kg_u] * values[s.available_fraction];
            let mass = KgU::new(kg).ok().filter(|_| kg > 0.0)?;
            (s.assay < self.goal.product_assay).then_some((
                i,
                Stock {
                    mass,
                    assay: s.assay,
                },
            ))
        })
    }

    /// True if any input a stock depends on is uncertain (the planner must then run per draw).
    pub fn stocks_uncertain(&self) -> bool {
        self.stocks.iter().any(|s| {
            self.inputs[s.mass_kg_u].param.is_uncertain()
                || self.inputs[s.available_fraction].param.is_uncertain()
        })
    }
}
