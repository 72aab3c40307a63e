//! The May 2025 numbers from Rust, through the application crate only: the breakout estimate for
//! `iran-2025-05`, the breakout floor of `jcpoa-2015`, and the check of `jcpoa-2015` against
//! `iran-2025-05`, each built as a typed request (no command line is parsed).
//!
//! `cargo run -p breakout-app --example may-2025`. The same numbers as
//! `breakout run iran-2025-05`, `breakout deal floor jcpoa-2015` and
//! `breakout deal check jcpoa-2015 iran-2025-05` (`crates/app/tests/example.rs` proves it).

use breakout_app::commands::deal::{DealArgs, DealCommand};
use breakout_app::commands::floor::{FloorOptions, Series};
use breakout_app::commands::run::{self, GoalArg, RunArgs};
use breakout_app::progress::Silent;
use breakout_app::{AppError, Request, execute};

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
    pub violations: Option<f64>,
}

/// `breakout run iran-2025-05`.
pub fn run_request() -> RunArgs {
    RunArgs {
        state: Some("iran-2025-05".into()),
        ..RunArgs::default()
    }
}

/// `breakout deal floor jcpoa-2015`.
pub fn floor_request() -> Request {
    Request::Deal(DealArgs {
        command: DealCommand::Floor {
            deal: "jcpoa-2015".into(),
            date: None,
            series: Series::Yearly,
            options: FloorOptions {
                goal: GoalArg::Sq,
                reinstall_cascades_per_month: None,
                weaponization_months: None,
            },
        },
    })
}

/// `breakout deal check jcpoa-2015 iran-2025-05`.
pub fn check_request() -> Request {
    Request::Deal(DealArgs {
        command: DealCommand::Check {
            deal: "jcpoa-2015".into(),
            state: "iran-2025-05".into(),
            date: None,
        },
    })
}

/// Runs the three requests. The estimate comes typed ([`run::RunResult`]); the deal commands
/// answer with their document, whose JSON results carry the numbers.
pub fn headlines() -> Result<Headlines, AppError> {
    let estimate = run::estimate(run_request(), &Silent)?;
    let (floor, _) = execute(floor_request())?;
    let floor = floor.to_json();
    // A violated clause is a finding (exit 1 on the command line), not an error.
    let (check, _) = execute(check_request())?;
    let check = check.to_json();
    Ok(Headlines {
        unit: estimate.result.sq_unit,
        first_sq_days: estimate.result.first_sq_days,
        floor_date: floor["inputs"]["date"].as_str().unwrap_or("?").to_string(),
        floor_holds_days: floor["results"]["permitted_first_sq_days"].as_f64(),
        floor_broken_days: floor["results"]["first_sq_days"].as_f64(),
        violations: check["results"]["violations"].as_f64(),
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
        h.violations.map_or_else(|| "?".into(), |v| v.to_string())
    );
    Ok(())
}
