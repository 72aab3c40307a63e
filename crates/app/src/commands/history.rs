//! `breakout history`: the breakout estimate for every bundled dated state, as one table.

use breakout::{HEADLINE, Model};
use clap::Args;
use enrich::Days;
use enrich::units::{DAYS_PER_MONTH, significant};
use serde_json::{Value, json};

use super::run::{GoalArg, RunArgs, options};
use crate::Answer;
use crate::data::bundled_machines;
use crate::document::{Document, Table};
use crate::error::{AppError, Outcome};
use crate::states::{self, BUNDLED};

/// `breakout history`: every bundled state, oldest first.
#[derive(Debug, Args, serde::Serialize, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct HistoryArgs {
    /// Production model.
    #[arg(long, default_value = HEADLINE.id())]
    model: String,
    /// Goal unit: sq or wgu.
    #[arg(long, value_enum, default_value_t = GoalArg::Sq)]
    goal: GoalArg,
    /// Number of goal units.
    #[arg(long, value_name = "N", default_value_t = 1)]
    count: u32,
}

/// A bare `breakout history`: the headline model, one significant quantity.
impl Default for HistoryArgs {
    fn default() -> Self {
        HistoryArgs {
            model: HEADLINE.id().to_string(),
            goal: GoalArg::Sq,
            count: 1,
        }
    }
}

/// Runs `breakout history`, reporting each state done to `progress`.
pub fn run(a: HistoryArgs, progress: &dyn crate::Progress) -> Answer {
    let answer = history(a, progress);
    progress.finish();
    answer
}

fn history(a: HistoryArgs, progress: &dyn crate::Progress) -> Answer {
    let model: Model = a
        .model
        .parse()
        .map_err(|e: breakout::BreakoutError| AppError::Usage(e.to_string()))?;
    let lib = bundled_machines()?;
    let run_args = RunArgs {
        goal: a.goal,
        count: a.count,
        ..super::run::RunArgs::default()
    };
    let opts = options(&run_args)?;
    let unit = opts.goal.unit_name();
    let mut r = Document::new(
        "history",
        "Breakout estimates for every bundled state (declared capacity, all stocks)",
    );
    r.input_value("model", "Model", json!(model.id()), model.describe());
    r.input_value(
        "goal",
        "Goal",
        json!({"unit": unit, "count": a.count}),
        format!("{} × {}", a.count, opts.goal.describe()),
    );
    let mut t = Table::new(
        "History",
        &[
            "state",
            "as of",
            "capacity kg-SWU/yr",
            &format!("days to {} {unit}", a.count),
            "months",
            &format!("ideal days, first {unit}"),
            &format!("{unit} from stocks"),
        ],
    );
    let mut rows = Vec::new();
    let total = BUNDLED.len() as u64;
    for (done, (id, _)) in BUNDLED.iter().enumerate() {
        crate::cancel::checkpoint()?;
        progress.update("states", done as u64, total);
        let st = states::load(id)?;
        let sc = states::scenario(&st, &lib, &opts)?;
        let engine = |e: breakout::BreakoutError| match AppError::from(e) {
            AppError::Input(m) => AppError::Input(format!("{id}: {m}")),
            other => other,
        };
        let values = sc.central_values();
        let e = model
            .prepare(&sc)
            .map_err(engine)?
            .estimate(&values)
            .map_err(engine)?;
        let ideal = Model::Ideal
            .prepare(&sc)
            .map_err(engine)?
            .estimate(&values)
            .map_err(engine)?;
        let d = e.goal_days.map(Days::days);
        t.row(vec![
            id.to_string(),
            st.data.as_of.clone(),
            significant(e.initial_capacity_swu_per_yr, 5),
            d.map_or_else(|| "never".into(), |d| significant(d, 4)),
            d.map_or_else(String::new, |d| significant(d / DAYS_PER_MONTH, 3)),
            ideal
                .first_unit_days
                .map_or_else(|| "never".into(), |d| significant(d.days(), 4)),
            significant(e.stock_limit_units, 3),
        ]);
        rows.push(json!({
            "state": id, "as_of": st.data.as_of, "title": st.data.title,
            "capacity_swu_per_yr": e.initial_capacity_swu_per_yr,
            "goal_days": d.map_or(Value::Null, |d| json!(d)),
            "first_sq_days": e.first_unit_days.map_or(Value::Null, |d| json!(d.days())),
            "ideal_first_sq_days": ideal.first_unit_days.map_or(Value::Null, |d| json!(d.days())),
            "separative_work_swu": e.goal_swu.kg_swu(),
            "stock_limit_sq": e.stock_limit_units,
        }));
    }
    r.result_json("states", Value::Array(rows));
    r.table(t);
    r.note("Each state at its central values: declared operating capacity only (no reinstallation), all stocks pooled. `breakout run STATE` shows the timeline, the curve and every assumption with its source.");
    Ok((r, Outcome::Success))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(clap::Parser)]
    struct Cli {
        #[command(subcommand)]
        command: crate::Request,
    }

    /// `HistoryArgs::default()` is what a bare `breakout history` parses to, and what an empty
    /// JSON object (or query) reads as.
    #[test]
    fn default_is_a_bare_history() {
        let cli = <Cli as clap::Parser>::try_parse_from(["breakout", "history"]).unwrap();
        let crate::Request::History(a) = cli.command else {
            panic!("not a history command")
        };
        assert_eq!(format!("{a:?}"), format!("{:?}", HistoryArgs::default()));
        let j: HistoryArgs = serde_json::from_str("{}").unwrap();
        assert_eq!(format!("{j:?}"), format!("{:?}", HistoryArgs::default()));
    }
}
