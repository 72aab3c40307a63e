//! `breakout deal design`: the least restrictive deals of a design space whose breakout floor
//! meets a target, as a Pareto frontier.
//!
//! A candidate deal is one value of every lever (enrichment cap, enriched-stock cap, machines
//! allowed to enrich per site and type, the fate of the rest). Each lever's values are ordered
//! from the most to the least restrictive — a higher cap, more stock, more machines, stored
//! rather than destroyed is less restrictive — and a candidate is less restrictive than another
//! if it is at least as permissive on every lever and more on one. The frontier is the set of
//! candidates that meet the target and have no less restrictive candidate that also meets it.
//!
//! Every candidate is written as a deal file ([`deal_toml`]) and evaluated by reading that text
//! back and running `deal floor`'s [`floor`](super::floor) on it, so a frontier point's
//! `deal_toml` reproduces its floor exactly. The search ([`search`]) walks the grid in lines
//! along the stock cap and bounds each line's answer by its less permissive neighbours
//! (monotonicity: more capacity or stock is never slower). The fixed-cascade model is monotone
//! only approximately, so the frontier is then checked by direct evaluation: every point's
//! one-step relaxations are evaluated, and a relaxation that still meets the target replaces
//! the point (counted as a monotonicity exception).

mod document;
mod result;
mod search;

pub use document::{document, run};
pub use result::{
    DesignResult, EvaluatedPoint, FrontierPoint, Levers, MachineLimit, ReferencePoint,
};
pub use search::{Candidate, Evaluation, deal_toml, design, evaluate};

use clap::Args;

use super::NumList;
use super::floor::{FloorOptions, PercentileOptions};
use super::run::GoalArg;

/// `breakout deal design`: the flags.
#[derive(Debug, Clone, Args, serde::Serialize, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DesignArgs {
    /// Target: the floor must be at least this many months (a month is 30.44 days).
    #[arg(long, value_name = "MONTHS", default_value_t = 12.0)]
    pub min_months: f64,
    /// Also require the target if the deal is broken and stored machines are reinstalled.
    #[arg(long)]
    pub if_broken: bool,
    /// The design space: the bundled `iran-2025` or a design file [default: iran-2025].
    #[arg(long, value_name = "ID|FILE")]
    pub space: Option<String>,
    /// The facility state the limits apply to [default: the space's, iran-2025-05].
    #[arg(long, value_name = "ID|FILE")]
    pub base_state: Option<String>,
    /// Enrichment caps to try, wt-% U-235, increasing (0: no enrichment), e.g. 0,3.67,5.
    #[arg(long, value_name = "LIST")]
    pub cap_wt_pct: Option<NumList<f64>>,
    /// Enriched-stock caps to try, kg of the space's form (UF6), MIN..MAX:STEP, e.g. 0..600:100.
    #[arg(long, value_name = "MIN..MAX:STEP")]
    pub stock_cap_kg: Option<String>,
    /// A machine lever, SITE:TYPE=MIN..MAX:STEP machines allowed to enrich (repeatable;
    /// replaces the space's lever for that site and type, or adds one).
    #[arg(long, value_name = "SITE:TYPE=MIN..MAX:STEP")]
    pub machines: Vec<String>,
    /// What becomes of the machines not allowed to enrich: destroyed, stored, or both.
    #[arg(long, value_name = "LIST", value_delimiter = ',')]
    pub fates: Option<Vec<String>>,
    /// Goal unit: sq (25 kg U-235 in HEU) or wgu (25 kg U at 90 wt-%).
    #[arg(long, value_enum, default_value_t = GoalArg::Sq)]
    pub goal: GoalArg,
    /// Reinstallation rate if the deal is broken, cascades/month [default: 6.3, Iran's 2024 pace].
    #[arg(long, value_name = "R")]
    pub reinstall_cascades_per_month: Option<f64>,
    /// Require the target at the P-th percentile of the Monte Carlo over the permitted state's
    /// uncertain inputs instead of the central value (0 < P < 100): P10 = at least 90 % of draws
    /// take the target or longer; draws that never reach the goal count as longer than any time.
    #[arg(long, value_name = "P")]
    pub percentile: Option<f64>,
    /// Monte Carlo draws per candidate for --percentile [default: 1000].
    #[arg(long, value_name = "N", requires = "percentile")]
    pub samples: Option<usize>,
    /// Monte Carlo seed for --percentile [default: 1, fixed; printed in the result].
    #[arg(long, value_name = "S", requires = "percentile")]
    pub seed: Option<u64>,
}

/// No flags: a 12-month target while the deal holds, on the bundled space.
impl Default for DesignArgs {
    fn default() -> Self {
        DesignArgs {
            min_months: 12.0,
            if_broken: false,
            space: None,
            base_state: None,
            cap_wt_pct: None,
            stock_cap_kg: None,
            machines: Vec::new(),
            fates: None,
            goal: GoalArg::Sq,
            reinstall_cascades_per_month: None,
            percentile: None,
            samples: None,
            seed: None,
        }
    }
}

impl DesignArgs {
    /// The `deal floor` options every candidate is evaluated with.
    pub fn floor_options(&self) -> FloorOptions {
        FloorOptions {
            goal: self.goal,
            reinstall_cascades_per_month: self.reinstall_cascades_per_month,
            weaponization_months: None,
            // Not the headline: see `breakout::SCREENING`.
            model: breakout::SCREENING.id().into(),
        }
    }

    /// The `deal floor` percentile options every candidate is evaluated with: `deal floor FILE`
    /// with the same three flags reproduces a candidate's percentile floor.
    pub fn percentile_options(&self) -> PercentileOptions {
        PercentileOptions {
            percentile: self.percentile,
            samples: self.samples,
            seed: self.seed,
        }
    }
}
