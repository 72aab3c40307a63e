//! The typed results of `breakout deal design` ([`DesignResult`]): what its JSON `results`
//! serialise.

use crate::commands::floor::{MonteCarloFloor, PercentileDays};
use crate::design::{DesignSpace, Fate, StockForm};
use crate::document::num;

/// The `results` of `deal design`.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct DesignResult {
    /// The design space's id.
    pub space: String,
    /// The facility state the limits apply to.
    pub base_state: String,
    /// The target, months.
    pub min_months: f64,
    /// The target, days (30.44-day months).
    pub target_days: f64,
    /// Whether the target also holds if the deal is broken, reinstalling.
    pub if_broken: bool,
    /// Candidate deals in the space.
    pub grid_size: u64,
    /// Candidates evaluated (each a `deal floor`).
    pub evaluated: usize,
    /// Frontier checks that found a one-step relaxation still meeting the target, where the
    /// pruning's monotonicity assumption failed (the point was moved there).
    pub monotonicity_exceptions: usize,
    /// The Monte Carlo the target applies to (with `--percentile`): percentile, draws, seed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub monte_carlo: Option<MonteCarloFloor>,
    /// The space as searched, command-line overrides applied: its levers' values and sources
    /// (for the report; the JSON names the space by `space`).
    #[serde(skip)]
    pub design_space: DesignSpace,
    /// The least restrictive deals that meet the target.
    pub frontier: Vec<FrontierPoint>,
    /// The JCPOA's own limits evaluated as a candidate, when every one is a value of its lever
    /// (`DesignSpace::jcpoa_candidate`); not counted in `evaluated` unless the search met it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub jcpoa: Option<ReferencePoint>,
    /// Every candidate evaluated, in lever order.
    pub points: Vec<EvaluatedPoint>,
}

/// One machine lever's value: how many machines of a type may enrich at a site.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct MachineLimit {
    /// Site id.
    pub site: String,
    /// Machine type id.
    pub machine: String,
    /// Machines allowed to enrich.
    pub max_enriching: u32,
}

/// A candidate deal's levers.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Levers {
    /// Enrichment cap, wt-% U-235 (0: no enrichment; the other levers then have no effect).
    pub enrichment_cap_wt_pct: f64,
    /// Enriched-stock cap, kg of `stock_cap_form`.
    pub stock_cap_kg: f64,
    /// `UF6` (kg UF6 or the equivalent) or `U` (kg U).
    pub stock_cap_form: StockForm,
    /// Machines allowed to enrich per site and type.
    pub machines: Vec<MachineLimit>,
    /// What becomes of the other machines: `destroyed` or `stored`.
    pub excess: Fate,
}

impl Levers {
    /// The levers in one line.
    pub fn describe(&self) -> String {
        if self.enrichment_cap_wt_pct <= 0.0 {
            return format!("no enrichment, machines {}", self.excess.name());
        }
        let form = match self.stock_cap_form {
            StockForm::Uf6 => "kg UF6",
            StockForm::U => "kg U",
        };
        let machines: Vec<String> = self
            .machines
            .iter()
            .map(|m| {
                format!(
                    "{} {} at {}",
                    num(f64::from(m.max_enriching)),
                    m.machine,
                    m.site
                )
            })
            .collect();
        format!(
            "{} wt-%, {} {form}, {}, rest {}",
            num(self.enrichment_cap_wt_pct),
            num(self.stock_cap_kg),
            machines.join(", "),
            self.excess.name()
        )
    }
}

/// A deal on the frontier.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct FrontierPoint {
    /// Each lever's value index, in the order of `DesignSpace::dims` (for relaxing it a step).
    #[serde(skip)]
    pub candidate: Vec<usize>,
    /// Its levers.
    pub levers: Levers,
    /// Days to the first goal unit while the deal holds (`None`: never).
    pub permitted_first_sq_days: Option<f64>,
    /// Days to the first goal unit if broken that day, reinstalling (`None`: never).
    pub first_sq_days: Option<f64>,
    /// Capacity the deal permits, kg-SWU/yr.
    pub permitted_capacity_swu_per_yr: f64,
    /// Both at the percentile of the Monte Carlo, which the target applies to (with
    /// `--percentile`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub at_percentile: Option<PercentileDays>,
    /// The deal file: `breakout deal floor FILE` gives the same two floors.
    pub deal_toml: String,
}

/// A candidate evaluated during the search.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct EvaluatedPoint {
    /// Its levers.
    pub levers: Levers,
    /// Days while the deal holds (`None`: never).
    pub permitted_first_sq_days: Option<f64>,
    /// Days if broken (`None`: never).
    pub first_sq_days: Option<f64>,
    /// Capacity the deal permits, kg-SWU/yr (the workbench's frontier chart plots it).
    pub permitted_capacity_swu_per_yr: f64,
    /// Both at the percentile (with `--percentile`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub at_percentile: Option<PercentileDays>,
    /// Whether it meets the target.
    pub meets_target: bool,
}

/// A reference deal evaluated beside the search (the JCPOA's own limits).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ReferencePoint {
    /// Its levers, floors and whether it meets the target, as an evaluated candidate.
    #[serde(flatten)]
    pub point: EvaluatedPoint,
    /// The first frontier point (index into `frontier`) at least as permissive on every lever:
    /// the reference lies on (equal) or inside the frontier; `None`: no such point.
    pub within_frontier_point: Option<usize>,
    /// The deal file: `breakout deal floor FILE` gives the same floors.
    pub deal_toml: String,
}
