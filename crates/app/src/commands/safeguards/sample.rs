//! `safeguards sample`: inspector attribute sample sizes (IAEA, improved, exact hypergeometric).

use super::*;
use crate::document::Document;
use crate::error::AppError;
use safeguards::sampling;
use serde_json::json;

pub(super) fn sample(a: SampleArgs) -> Result<Document, AppError> {
    let mut r = Document::new(
        "safeguards sample",
        "Attribute sampling: items to verify to find at least one defect with probability 1 − β",
    );
    r.input_value("items", "Items N", json!(a.items), a.items.to_string());
    // clap enforces these rules on the command line; a request built from JSON is checked here.
    super::super::exactly_one(&[
        ("defects", a.defects.is_some()),
        ("goal_kg", a.goal_kg.is_some()),
    ])?;
    let defects = match (a.defects, a.goal_kg, a.item_kg) {
        (Some(d), ..) => d,
        (None, Some(goal), Some(item)) => {
            let f = a.falsified_fraction.unwrap_or(1.0);
            r.input("goal_kg", "Goal quantity", goal, "kg", false)
                .input("item_kg", "Item content", item, "kg", false)
                .input(
                    "falsified_fraction",
                    "Falsified fraction",
                    f,
                    "",
                    a.falsified_fraction.is_none(),
                );
            let d = sampling::defects_for_goal(goal, item, f).map_err(|e| {
                AppError::Input(format!(
                    "--goal-kg {goal} --item-kg {item} --falsified-fraction {f}: {e}"
                ))
            })?;
            r.result(
                "defects_from_goal",
                "Defects needed to divert the goal",
                d as f64,
                "items",
            );
            d
        }
        _ => {
            return Err(AppError::Usage(
                "give --defects, or --goal-kg with --item-kg".into(),
            ));
        }
    };
    r.input_value("defects", "Defects r", json!(defects), defects.to_string())
        .input("beta", "Non-detection probability β", a.beta, "", false);
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
    r.result(
        "sample_size_iaea",
        "IAEA formula N(1 − β^(1/r))",
        s.iaea as f64,
        "items",
    )
    .result(
        "sample_size_improved",
        "Improved formula (N − (r−1)/2)(1 − β^(1/r))",
        s.improved as f64,
        "items",
    )
    .result(
        "sample_size_exact",
        "Exact (hypergeometric)",
        s.exact as f64,
        "items",
    )
    .result(
        "non_detection_probability_iaea",
        "Non-detection probability with the IAEA size",
        pnd(s.iaea)?,
        "",
    )
    .result(
        "non_detection_probability_exact",
        "Non-detection probability with the exact size",
        pnd(s.exact)?,
        "",
    );
    r.note("sizes are rounded up; the exact size is the smallest n with C(N−r, n)/C(N, n) ≤ β");
    Ok(r)
}
