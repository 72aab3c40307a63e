//! `safeguards sample`: inspector attribute sample sizes (IAEA, improved, exact hypergeometric).
//! [`sample`] computes the typed [`SampleResult`]; the document is built from it.

use super::*;
use crate::document::Document;
use crate::error::AppError;
use safeguards::sampling;
use serde_json::json;

/// The `results` of `safeguards sample`: sample sizes (counts of items, as JSON numbers) and
/// their non-detection probabilities.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct SampleResult {
    /// Defects needed to divert the goal, items (with `--goal-kg` only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub defects_from_goal: Option<f64>,
    /// IAEA formula N(1 − β^(1/r)), items.
    pub sample_size_iaea: f64,
    /// Improved formula (N − (r−1)/2)(1 − β^(1/r)), items.
    pub sample_size_improved: f64,
    /// Exact (hypergeometric), items.
    pub sample_size_exact: f64,
    /// Non-detection probability with the IAEA size.
    pub non_detection_probability_iaea: f64,
    /// Non-detection probability with the exact size.
    pub non_detection_probability_exact: f64,
}

/// Falsified fraction of an item without `--falsified-fraction`: a gross defect.
const DEFAULT_FALSIFIED_FRACTION: f64 = 1.0;

/// The items to verify, of the `a.items` in a stratum, to find at least one of the defects (given,
/// or those that divert a goal quantity) with probability 1 − β: the typed result of `breakout
/// safeguards sample`.
///
/// # Errors
/// [`AppError::Usage`] for flags that do not fit together (also when the request came as JSON,
/// past clap's checks), [`AppError::Input`] for counts or probabilities out of range.
pub fn sample(a: &SampleArgs) -> Result<SampleResult, AppError> {
    solve(a).map(|(_, result)| result)
}

/// The defects to find, and the result.
fn solve(a: &SampleArgs) -> Result<(usize, SampleResult), AppError> {
    // clap enforces these rules on the command line; a request built from JSON is checked here.
    super::super::exactly_one(&[
        ("defects", a.defects.is_some()),
        ("goal_kg", a.goal_kg.is_some()),
    ])?;
    for (flag, given) in [
        ("item_kg", a.item_kg.is_some()),
        ("falsified_fraction", a.falsified_fraction.is_some()),
    ] {
        super::super::check_pair(flag, given, "goal_kg", a.goal_kg.is_some(), false)?;
    }
    super::super::check_pair(
        "goal_kg",
        a.goal_kg.is_some(),
        "item_kg",
        a.item_kg.is_some(),
        false,
    )?;
    let (defects, defects_from_goal) = match (a.defects, a.goal_kg, a.item_kg) {
        (Some(d), ..) => (d, None),
        (None, Some(goal), Some(item)) => {
            let f = a.falsified_fraction.unwrap_or(DEFAULT_FALSIFIED_FRACTION);
            let d = sampling::defects_for_goal(goal, item, f).map_err(|e| {
                AppError::Input(format!(
                    "--goal-kg {goal} --item-kg {item} --falsified-fraction {f}: {e}"
                ))
            })?;
            (d, Some(d as f64))
        }
        _ => {
            return Err(AppError::Usage(
                "give --defects, or --goal-kg with --item-kg".into(),
            ));
        }
    };
    if defects == 0 || defects > a.items {
        return Err(AppError::Input(format!(
            "--defects {defects}: expected 1 to --items ({})",
            a.items
        )));
    }
    if !(a.beta.is_finite() && a.beta > 0.0 && a.beta < 1.0) {
        return Err(AppError::Input(format!(
            "--beta {}: expected a probability strictly between 0 and 1",
            a.beta
        )));
    }
    let s = sampling::sample_sizes(a.items, defects, a.beta)?;
    let pnd = |n: usize| sampling::non_detection_probability(a.items, defects, n);
    let result = SampleResult {
        defects_from_goal,
        sample_size_iaea: s.iaea as f64,
        sample_size_improved: s.improved as f64,
        sample_size_exact: s.exact as f64,
        non_detection_probability_iaea: pnd(s.iaea)?,
        non_detection_probability_exact: pnd(s.exact)?,
    };
    Ok((defects, result))
}

/// `breakout safeguards sample`: the document of [`sample`].
pub(super) fn sample_document(a: &SampleArgs) -> Result<Document, AppError> {
    let (defects, res) = solve(a)?;
    let mut r = Document::new(
        "safeguards sample",
        "Attribute sampling: items to verify to find at least one defect with probability 1 − β",
    );
    r.input_value("items", "Items N", json!(a.items), a.items.to_string());
    if let (Some(goal), Some(item), Some(d)) = (a.goal_kg, a.item_kg, res.defects_from_goal) {
        r.input("goal_kg", "Goal quantity", goal, "kg", false)
            .input("item_kg", "Item content", item, "kg", false)
            .input(
                "falsified_fraction",
                "Falsified fraction",
                a.falsified_fraction.unwrap_or(DEFAULT_FALSIFIED_FRACTION),
                "",
                a.falsified_fraction.is_none(),
            );
        r.result(
            "defects_from_goal",
            "Defects needed to divert the goal",
            d,
            "items",
        );
    }
    r.input_value("defects", "Defects r", json!(defects), defects.to_string())
        .input("beta", "Non-detection probability β", a.beta, "", false);
    r.result(
        "sample_size_iaea",
        "IAEA formula N(1 − β^(1/r))",
        res.sample_size_iaea,
        "items",
    )
    .result(
        "sample_size_improved",
        "Improved formula (N − (r−1)/2)(1 − β^(1/r))",
        res.sample_size_improved,
        "items",
    )
    .result(
        "sample_size_exact",
        "Exact (hypergeometric)",
        res.sample_size_exact,
        "items",
    )
    .result(
        "non_detection_probability_iaea",
        "Non-detection probability with the IAEA size",
        res.non_detection_probability_iaea,
        "",
    )
    .result(
        "non_detection_probability_exact",
        "Non-detection probability with the exact size",
        res.non_detection_probability_exact,
        "",
    );
    r.note("sizes are rounded up; the exact size is the smallest n with C(N−r, n)/C(N, n) ≤ β");
    Ok(r)
}
