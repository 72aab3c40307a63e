//! The May 2025 numbers from Rust, through the application crate only: the breakout estimate for
//! `iran-2025-05`, the breakout floor of `jcpoa-2015`, and the check of `jcpoa-2015` against
//! `iran-2025-05`, each asked through a typed function (no command line is parsed) that answers with a typed
//! result.
//!
//! `cargo run -p breakout-app --example may-2025`. The same numbers as
//! `breakout run iran-2025-05`, `breakout deal floor jcpoa-2015` and
//! `breakout deal check jcpoa-2015 iran-2025-05` (`crates/app/tests/example.rs` proves it).

use breakout_app::AppError;
use breakout_app::commands::deal::check;
use breakout_app::commands::floor::{self, FloorOptions, Series};
use breakout_app::commands::run::{self, GoalArg, RunArgs};
use breakout_app::progress::Silent;

/// The headline numbers of the three commands.
#[derive(Debug)]
pub struct Headlines {
    /// The goal unit of the estimate, e.g. "SQ".
    pub unit: String,
    /// `breakout run iran-2025-05`: days to the first goal unit (`None`: never).
    pub first_sq_days: Option<f64>,
    /// `breakout deal floor jcpoa-2015`: the day the floor is for.
    pub floor_date: String,
    /// The floor while the deal holds, days to the first unit (`None`: never).
    pub floor_holds_days: Option<f64>,
    /// The floor if the deal is broken that day, days to the first unit (`None`: never).
    pub floor_broken_days: Option<f64>,
    /// `breakout deal check jcpoa-2015 iran-2025-05`: clauses violated.
    pub violations: usize,
}

/// The deal of the floor and the check.
pub const DEAL: &str = "jcpoa-2015";
/// The state of the estimate and the check.
pub const STATE: &str = "iran-2025-05";

/// The floor's options: the defaults of `breakout deal floor`.
pub fn floor_options() -> FloorOptions {
    FloorOptions {
        goal: GoalArg::Sq,
        reinstall_cascades_per_month: None,
        weaponization_months: None,
        model: breakout::HEADLINE.id().into(),
    }
}

/// `breakout run iran-2025-05`.
pub fn run_request() -> RunArgs {
    RunArgs {
        state: Some(STATE.into()),
        ..RunArgs::default()
    }
}

/// Asks the three questions, each answered typed: [`run::RunResult`],
/// [`floor::FloorResult`] and [`check::CheckResult`] (whose serialisations are the `results` of
/// the commands' JSON documents).
pub fn headlines() -> Result<Headlines, AppError> {
    let estimate = run::estimate(run_request(), &Silent)?;
    let floor = floor::floor_estimate(
        DEAL,
        None,
        Series::Yearly,
        &floor_options(),
        &floor::PercentileOptions::default(),
        &breakout_app::progress::Silent,
    )?;
    // A violated clause is a finding (exit 1 on the command line), not an error.
    let check = check::check_deal(DEAL, STATE, None)?;
    Ok(Headlines {
        unit: estimate.result.sq_unit,
        first_sq_days: estimate.result.first_sq_days,
        floor_date: floor.floor.date.to_string(),
        floor_holds_days: floor.result.permitted_first_sq_days,
        floor_broken_days: floor.result.first_sq_days,
        violations: check.result.violations,
    })
}

/// Prints the headline numbers (`pub` so that the test that includes this file can run it).
pub fn main() -> Result<(), AppError> {
    let h = headlines()?;
    let unit = &h.unit;
    println!(
        "May 2025 (iran-2025-05): time to the first {unit}: {}",
        run::days_text(h.first_sq_days)
    );
    println!(
        "JCPOA (jcpoa-2015) breakout floor on {}, first {unit}: {} while the deal holds; {} if it is broken that day",
        h.floor_date,
        run::days_text(h.floor_holds_days),
        run::days_text(h.floor_broken_days)
    );
    println!(
        "JCPOA (jcpoa-2015) against May 2025 (iran-2025-05): {} clauses violated",
        h.violations
    );
    Ok(())
}
