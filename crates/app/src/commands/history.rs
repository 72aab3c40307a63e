//! `breakout history`: the breakout estimate for every bundled dated state, as one table.
//! [`estimate`] computes the typed [`HistoryResult`], which serialises to exactly the `results`
//! object of `breakout history --json`; the document is rendered from it.

use breakout::{Goal, HEADLINE, Model};
use clap::Args;
use enrich::units::{DAYS_PER_MONTH, significant};
use serde::Serialize;
use serde_json::json;

use super::run::{GoalArg, RunArgs, options};
use crate::Answer;
use crate::data::bundled_machines;
use crate::document::{Document, Table};
use crate::error::{AppError, Outcome};
use crate::states::{self, BUNDLED};
use crate::verification::{self, VerificationResult};
use safeguards::verification::Pathway;

/// `breakout history`: every bundled state, oldest first.
#[derive(Debug, Args, serde::Serialize, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct HistoryArgs {
    /// Production model.
    #[arg(long, default_value = HEADLINE.id())]
    pub model: String,
    /// Goal unit: sq or wgu.
    #[arg(long, value_enum, default_value_t = GoalArg::Sq)]
    pub goal: GoalArg,
    /// Number of goal units.
    #[arg(long, value_name = "N", default_value_t = 1)]
    pub count: u32,
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

/// One bundled state at its central values: a row of the history. The names and units are
/// those of the same figures in [`super::run::RunResult`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StateEstimate {
    /// The bundled state's id.
    pub state: String,
    /// The state's as-of date, YYYY-MM-DD.
    pub as_of: String,
    /// The state's title.
    pub title: String,
    /// Declared operating capacity at day 0, kg-SWU/yr.
    pub capacity_swu_per_yr: f64,
    /// Days to all `count` goal units (`None`: never).
    pub goal_days: Option<f64>,
    /// Days to the first goal unit (`None`: never).
    pub first_sq_days: Option<f64>,
    /// The ideal model's lower bound on days to the first unit (`None`: never).
    pub ideal_first_sq_days: Option<f64>,
    /// Separative work for all `count` goal units, kg-SWU.
    pub separative_work_swu: f64,
    /// Goal units the stocks give before natural uranium is the limit.
    pub stock_limit_sq: f64,
    /// Would inspectors notice? The regime in force at `as_of` against the first unit
    /// (`None`: a state that names no regime).
    pub verification: Option<VerificationResult>,
}

/// Everything `breakout history` finds, typed; serialises to the `results` object of its JSON.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HistoryResult {
    /// Every bundled state, oldest first.
    pub states: Vec<StateEstimate>,
}

/// The resolved inputs of a history and its typed result.
#[derive(Debug)]
pub struct HistoryEstimate {
    /// The production model.
    pub model: Model,
    /// One goal unit (the estimates are for `count` of them).
    pub goal: Goal,
    /// Number of goal units.
    pub count: u32,
    /// The answer.
    pub result: HistoryResult,
}

/// Estimates breakout for every bundled state with the model and goal of `a`, reporting each
/// state done to `progress`.
///
/// # Errors
/// [`AppError::Usage`] for an unknown model or goal, [`AppError::Input`] for a state the engine
/// rejects (named by its id), [`AppError::Internal`] when a solver fails,
/// [`AppError::Cancelled`] when cancelled between states.
pub fn estimate(
    a: &HistoryArgs,
    progress: &dyn crate::Progress,
) -> Result<HistoryEstimate, AppError> {
    let model: Model = a
        .model
        .parse()
        .map_err(|e: breakout::BreakoutError| AppError::Usage(e.to_string()))?;
    let lib = bundled_machines()?;
    let run_args = RunArgs {
        goal: a.goal,
        count: a.count,
        ..RunArgs::default()
    };
    let opts = options(&run_args)?;
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
        let first = e.first_unit_days.map(|d| d.days());
        let verification = verification::for_regime(st.data.regime.as_deref(), first)?;
        rows.push(StateEstimate {
            state: id.to_string(),
            as_of: st.data.as_of,
            title: st.data.title,
            capacity_swu_per_yr: e.initial_capacity_swu_per_yr,
            goal_days: e.goal_days.map(|d| d.days()),
            first_sq_days: first,
            ideal_first_sq_days: ideal.first_unit_days.map(|d| d.days()),
            separative_work_swu: e.goal_swu.kg_swu(),
            stock_limit_sq: e.stock_limit_units,
            verification,
        });
    }
    Ok(HistoryEstimate {
        model,
        goal: opts.goal,
        count: a.count,
        result: HistoryResult { states: rows },
    })
}

/// Runs `breakout history`, reporting each state done to `progress`.
pub fn run(a: HistoryArgs, progress: &dyn crate::Progress) -> Answer {
    let answer = estimate(&a, progress).map(|h| (document(&h), Outcome::Success));
    progress.finish();
    answer
}

/// The document of a history: the inputs, one table row per state, the typed result as JSON.
fn document(h: &HistoryEstimate) -> Document {
    let unit = h.goal.unit_name();
    let mut r = Document::new(
        "history",
        "Breakout estimates for every bundled state (declared capacity, all stocks)",
    );
    r.input_value("model", "Model", json!(h.model.id()), h.model.describe());
    r.input_value(
        "goal",
        "Goal",
        json!({"unit": unit, "count": h.count}),
        format!("{} × {}", h.count, h.goal.describe()),
    );
    let mut t = Table::new(
        "History",
        &[
            "state",
            "as of",
            "capacity kg-SWU/yr",
            &format!("days to {} {unit}", h.count),
            "months",
            &format!("ideal days, first {unit}"),
            &format!("{unit} from stocks"),
            "warning days, declared misuse",
        ],
    );
    for s in &h.result.states {
        t.row(vec![
            s.state.clone(),
            s.as_of.clone(),
            significant(s.capacity_swu_per_yr, 5),
            s.goal_days
                .map_or_else(|| "never".into(), |d| significant(d, 4)),
            s.goal_days
                .map_or_else(String::new, |d| significant(d / DAYS_PER_MONTH, 3)),
            s.ideal_first_sq_days
                .map_or_else(|| "never".into(), |d| significant(d, 4)),
            significant(s.stock_limit_sq, 3),
            s.verification
                .as_ref()
                .and_then(|v| v.pathway(Pathway::DeclaredMisuse.id()))
                .map_or_else(String::new, |p| verification::warning_text(p.warning_days)),
        ]);
    }
    r.result_json("states", json!(h.result.states));
    r.table(t);
    r.note("Warning: days to the first unit minus the mean days until the IAEA Board knows of a misuse of the declared cascades, under the regime in force at the state's date (jcpoa to Feb 2021, safeguards-only-2021, cameras-removed-2022, no-access-2025 from the June 2025 strikes; data/regimes/); negative: the material comes first; never seen: no access.");
    r.note("Each state at its central values: declared operating capacity only (no reinstallation), all stocks pooled. `breakout run STATE` shows the timeline, the curve and every assumption with its source.");
    r
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

    /// The typed result serialises to exactly the `results` of the document, for the default
    /// history and for a multi-unit goal in another unit with another model.
    #[test]
    fn result_is_the_json_results() {
        let cases = [
            HistoryArgs::default(),
            HistoryArgs {
                model: "ideal".into(),
                goal: GoalArg::Wgu,
                count: 3,
            },
        ];
        for a in cases {
            let h = estimate(&a, &crate::progress::Silent).unwrap();
            assert_eq!(h.result.states.len(), BUNDLED.len(), "{a:?}");
            let (doc, _) = run(a, &crate::progress::Silent).unwrap();
            assert_eq!(
                serde_json::to_value(&h.result).unwrap(),
                doc.to_json()["results"]
            );
        }
    }
}
