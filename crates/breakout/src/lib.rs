//! Breakout estimates: facility states as scenarios, goals, production models, capacity over
//! time, weaponization kept apart, and Monte Carlo over uncertain inputs.
//!
//! The CLI turns a facility state file (or quick-mode flags) into a [`Scenario`]: cascades by
//! site, machine type and status, stocks by assay and site, a [`Goal`], and every numeric input
//! as a named [`Param`] that may be a distribution. A [`Model`] prepares an [`Estimator`] for
//! it, which returns an [`Estimate`]: a timeline of steps, a cumulative production curve and the
//! time to the goal. [`montecarlo`] draws the uncertain inputs (seeded, thread-count
//! independent) and reports percentiles, a histogram and a tornado table.
//!
//! Deals are data too ([`deal`]): clauses with windows counted in calendar [`date`]s, checked
//! against what a state reports.
//!
//! This crate does no I/O, reads no clock and no OS entropy: the seed and "today" are inputs.
//! All separative-work arithmetic comes from `enrich`.

pub mod capacity;
pub mod date;
pub mod deal;
pub mod error;
pub mod estimate;
pub mod fixed;
pub mod goal;
pub mod ideal;
mod lp;
pub mod montecarlo;
pub mod optimum;
pub mod param;
pub mod scenario;
mod simplex;
#[cfg(test)]
mod testing;
pub mod weaponization;

pub use capacity::CapacitySchedule;
pub use error::BreakoutError;
pub use estimate::{
    CurvePoint, Estimate, Estimator, FeedDraw, HEADLINE, Model, SCREENING, Scratch, Step, StepKind,
};
pub use goal::{Goal, GoalUnit};
pub use ideal::{IdealPlanner, Production, TailsPolicy};
pub use param::{Domain, Param};
pub use scenario::{
    CascadeGroup, GroupStatus, Input, InputId, MachineStatus, Scenario, StockEntry, UnknownStatus,
};
pub use weaponization::Weaponization;
