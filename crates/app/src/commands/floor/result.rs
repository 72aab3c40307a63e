//! The typed results of `deal floor` ([`FloorResult`], by [`floor_estimate`]) and `deal compare`
//! ([`CompareResult`], by [`compare`]): what their JSON `results` serialise.

use super::super::MonthRange;
use super::super::deal::parse_date;
use super::super::run;
use super::*;
use crate::data::bundled_machines;
use crate::deals::load;
use crate::document::num;
use crate::error::AppError;
use crate::states;
use crate::verification::{self, VerificationResult};
use breakout::Weaponization;
use breakout::deal::{ClauseKind, Deal};
use enrich::Days;

/// The `results` of `deal floor`: breakout while the deal holds and if it is broken that day.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct FloorResult {
    /// Days to the first goal unit with permitted capacity only (`None`: never).
    pub permitted_first_sq_days: Option<f64>,
    /// Days to the first goal unit if the deal is broken that day, reinstalling (`None`: never).
    pub first_sq_days: Option<f64>,
    /// Capacity the deal permits, kg-SWU/yr.
    pub permitted_capacity_swu_per_yr: f64,
    /// Capacity once everything is reinstalled, kg-SWU/yr.
    pub capacity_if_broken_swu_per_yr: f64,
    /// Time to a weapon if broken, in words (with `--weaponization-months`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub weapon_if_broken: Option<String>,
    /// Time to a weapon if broken, days (with `--weaponization-months`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub weapon_days: Option<WeaponDays>,
    /// What the deal changed in the base state.
    pub changes: Vec<String>,
    /// Would inspectors notice? The deal's regime against the time to the first unit if
    /// broken (`None`: the deal names no regime).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub verification: Option<VerificationResult>,
    /// One point a year over the deal's life (`--series yearly`, dated deals; central values).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub series: Option<Vec<FloorPoint>>,
    /// The Monte Carlo behind `at_percentile`: percentile, draws, seed (with `--percentile`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub monte_carlo: Option<MonteCarloFloor>,
    /// The floor at that percentile of the draws, on the day (with `--percentile`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub at_percentile: Option<PercentileDays>,
}

/// A range of days to a weapon.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct WeaponDays {
    /// Fastest, days.
    pub low: f64,
    /// Slowest, days.
    pub high: f64,
}

/// The floor on one day of the deal's life.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct FloorPoint {
    /// The day, YYYY-MM-DD.
    pub date: String,
    /// Days to the first unit while the deal holds (`None`: never).
    pub permitted_first_sq_days: Option<f64>,
    /// Days to the first unit if broken that day (`None`: never).
    pub first_sq_days: Option<f64>,
}

/// A deal's floor: the typed result and what its document also shows.
pub struct FloorEstimate {
    /// The deal.
    pub deal: Deal,
    /// Both estimates on the day.
    pub floor: Floor,
    /// Reinstallation rate if broken, cascades/month.
    pub rate: f64,
    /// The typed `results`.
    pub result: FloorResult,
}

/// The breakout floor of `deal_arg` on `date` (the deal's start if `None`), over its life
/// with [`Series::Yearly`], and at a percentile of the Monte Carlo with `pct.percentile`: the
/// typed result of `breakout deal floor`.
///
/// # Errors
/// [`AppError`] for a deal, state, date or estimate that cannot be made.
pub fn floor_estimate(
    deal_arg: &str,
    date: Option<&str>,
    series: Series,
    o: &FloorOptions,
    pct: &PercentileOptions,
    progress: &dyn crate::Progress,
) -> Result<FloorEstimate, AppError> {
    let mc = pct.resolve()?;
    let deal = load(deal_arg)?;
    let base = base_state(&deal)?;
    let date = match date {
        Some(d) => parse_date("--date", d)?,
        None => start_date(&deal, base_date(&base)?),
    };
    let weapon = o
        .weaponization_months
        .map(|MonthRange { lo, hi }| Weaponization::new(lo, hi))
        .transpose()
        .map_err(|e| AppError::Usage(e.to_string()))?;
    // The yearly points of the deal's life, each a floor as costly as the first (seconds each
    // under the optimum, whose reinstalling floors are checked): counted for the progress.
    let yearly = match (series, end_date(&deal)) {
        (Series::Yearly, Some(end)) if end >= date => end.days_since(date) / 365 + 1,
        _ => 0,
    };
    let total = 1 + u64::try_from(yearly).unwrap_or(0);
    progress.update("floors", 0, total);
    let f = floor_at(&deal, &base, date, o, mc.as_ref())?;
    progress.update("floors", 1, total);
    let rate = o
        .reinstall_cascades_per_month
        .unwrap_or(DEFAULT_REINSTALL_CASCADES_PER_MONTH);
    let weapon_days = weapon.zip(f.broken.first_unit_days).map(|(w, d)| {
        let (low, high) = w.weapon_days(d.days());
        WeaponDays { low, high }
    });
    // The deal's life: yearly until every dated limit has ended.
    let series = match (series, end_date(&deal)) {
        (Series::Yearly, Some(end)) => {
            let years = end.days_since(date) / 365;
            if years > i64::try_from(crate::limits::MAX_DEAL_YEARS).unwrap_or(i64::MAX) {
                return Err(AppError::Input(format!(
                    "--series yearly: the deal's dated limits run {years} years, {date} to {end}: expected at most {} yearly points (limits::MAX_DEAL_YEARS)",
                    crate::limits::MAX_DEAL_YEARS
                )));
            }
            let mut points = Vec::new();
            let mut d = date;
            while d <= end {
                crate::cancel::checkpoint()?;
                let fl = floor(&deal, &base, d, o)?;
                progress.update("floors", (2 + points.len() as u64).min(total), total);
                points.push(FloorPoint {
                    date: d.to_string(),
                    permitted_first_sq_days: fl.permitted.first_unit_days.map(Days::days),
                    first_sq_days: fl.broken.first_unit_days.map(Days::days),
                });
                d = d.plus(1, 0, 0);
            }
            Some(points)
        }
        _ => None,
    };
    let result = FloorResult {
        permitted_first_sq_days: f.permitted.first_unit_days.map(Days::days),
        first_sq_days: f.broken.first_unit_days.map(Days::days),
        permitted_capacity_swu_per_yr: f.permitted.initial_capacity_swu_per_yr,
        capacity_if_broken_swu_per_yr: f.broken.final_capacity_swu_per_yr,
        weapon_if_broken: weapon_days.map(|w| format!("{}–{} days", num(w.low), num(w.high))),
        weapon_days,
        changes: f.changes.clone(),
        verification: verification::for_regime(
            deal.regime.as_deref(),
            f.broken.first_unit_days.map(Days::days),
        )?,
        series,
        monte_carlo: mc,
        at_percentile: f.at_percentile,
    };
    Ok(FloorEstimate {
        deal,
        floor: f,
        rate,
        result,
    })
}

/// The `results` of `deal compare`: each deal's floor and the reference states.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct CompareResult {
    /// The deals at their start, then "no deal" and the post-strike state.
    pub positions: Vec<Position>,
}

/// One row of `deal compare`: a deal at its start, or a reference state as it is.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Position {
    /// The deal id, or what the reference state stands for.
    pub position: String,
    /// The deal's name (deals only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The day of the floor, YYYY-MM-DD (deals only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// The state the deal's limits apply to (deals only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub base_state: Option<String>,
    /// The reference state (references only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
    /// Days to the first unit while the deal holds (a reference: as it is; `None`: never).
    pub permitted_first_sq_days: Option<f64>,
    /// Days to the first unit if broken (a reference: as it is; `None`: never).
    pub first_sq_days: Option<f64>,
    /// What the deal changed in the base state (deals only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub changes: Option<Vec<String>>,
    /// Would inspectors notice? The deal's regime (a reference: the state's) against the time
    /// to the first unit if broken (`None`: no regime named).
    pub verification: Option<VerificationResult>,
    /// Numeric and text-only clauses of a deal: shown in the table, not part of `results`.
    #[serde(skip)]
    pub clauses: Option<(usize, usize)>,
}

/// The floors of `deals` side by side with the reference states: the typed result of
/// `breakout deal compare`.
///
/// # Errors
/// [`AppError`] for a deal, state or estimate that cannot be made.
pub fn compare(
    deals: &[String],
    o: &FloorOptions,
    progress: &dyn crate::Progress,
) -> Result<CompareResult, AppError> {
    let lib = bundled_machines()?;
    let model = o.model()?;
    let mut positions = Vec::new();
    // The deals, then the two reference states.
    let total = deals.len() as u64 + 2;
    for (done, id) in deals.iter().enumerate() {
        crate::cancel::checkpoint()?;
        progress.update("positions", done as u64, total);
        let deal = load(id)?;
        let base = base_state(&deal)?;
        let f = floor(&deal, &base, start_date(&deal, base_date(&base)?), o)?;
        let numeric = deal
            .clauses
            .iter()
            .filter(|c| !matches!(c.kind, ClauseKind::Text))
            .count();
        positions.push(Position {
            position: deal.id.clone(),
            name: Some(deal.name.clone()),
            date: Some(f.date.to_string()),
            base_state: Some(f.base),
            state: None,
            permitted_first_sq_days: f.permitted.first_unit_days.map(Days::days),
            first_sq_days: f.broken.first_unit_days.map(Days::days),
            verification: verification::for_regime(
                deal.regime.as_deref(),
                f.broken.first_unit_days.map(Days::days),
            )?,
            changes: Some(f.changes),
            clauses: Some((numeric, deal.clauses.len() - numeric)),
        });
    }
    // References: no deal (the latest state as it is) and the strikes.
    let args = run::RunArgs {
        goal: o.goal,
        ..Default::default()
    };
    for (n, (label, state)) in [
        ("no deal (iran-2025-05 as it is)", "iran-2025-05"),
        ("after the June 2025 strikes", "iran-2025-06-strikes"),
    ]
    .into_iter()
    .enumerate()
    {
        crate::cancel::checkpoint()?;
        progress.update("positions", (deals.len() + n) as u64, total);
        let st = states::load(state)?;
        let opts = run::options(&args)?;
        let sc = states::scenario(&st, &lib, &opts)?;
        let e = model
            .prepare(&sc)
            .and_then(|m| m.estimate(&sc.central_values()))
            .map_err(AppError::from)?;
        positions.push(Position {
            position: label.into(),
            name: None,
            date: None,
            base_state: None,
            state: Some(state.into()),
            permitted_first_sq_days: e.first_unit_days.map(Days::days),
            first_sq_days: e.first_unit_days.map(Days::days),
            verification: verification::for_regime(
                st.data.regime.as_deref(),
                e.first_unit_days.map(Days::days),
            )?,
            changes: None,
            clauses: None,
        });
    }
    Ok(CompareResult { positions })
}
