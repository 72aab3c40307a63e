//! The documents of `deal floor` and `deal compare`, built from their typed results.

use super::super::MonthRange;
use super::result::*;
use super::*;
use crate::Answer;
use crate::document::{Document, Table, num};
use crate::error::{AppError, Outcome};
use crate::verification;
use breakout::Weaponization;
use serde_json::json;

pub(super) fn days(d: Option<f64>) -> String {
    d.map_or("never".into(), |d| {
        format!(
            "{} days ({} months)",
            num(d),
            num(d / enrich::units::DAYS_PER_MONTH)
        )
    })
}

/// `breakout deal floor`: the document of [`floor_estimate`].
pub fn run_floor(
    deal_arg: &str,
    date: Option<String>,
    series: Series,
    o: &FloorOptions,
    pct: &PercentileOptions,
    progress: &dyn crate::Progress,
) -> Answer {
    let estimate = floor_estimate(deal_arg, date.as_deref(), series, o, pct, progress);
    progress.finish();
    let FloorEstimate {
        deal,
        floor: f,
        rate,
        result: res,
    } = estimate?;
    let model = o.model()?;
    let date = f.date;
    let mut r = Document::new(
        "deal floor",
        format!("Breakout floor of {} on {}", deal.name, date),
    );
    r.input_value("deal", "Deal", json!(deal.id), deal.id.clone())
        .input_value("date", "Date", json!(date.to_string()), date.to_string())
        .input_value(
            "base_state",
            "Facility state the limits apply to",
            json!(f.base),
            f.base.clone(),
        )
        .input_value(
            "goal",
            "Goal",
            json!(f.broken.goal.describe()),
            f.broken.goal.describe(),
        )
        .input_value("model", "Model", json!(model.id()), model.describe())
        .input(
            "reinstall_cascades_per_month",
            "Reinstallation if broken",
            rate,
            "cascades/month",
            o.reinstall_cascades_per_month.is_none(),
        );
    r.result_text(
        "permitted_first_sq_days",
        "Breakout with permitted capacity only (deal holds)",
        &days(res.permitted_first_sq_days),
    )
    .result_json(
        "permitted_first_sq_days",
        json!(res.permitted_first_sq_days),
    )
    .result_text(
        "first_sq_days",
        "Breakout if the deal is broken that day (reinstalling)",
        &days(res.first_sq_days),
    )
    .result_json("first_sq_days", json!(res.first_sq_days))
    .result(
        "permitted_capacity_swu_per_yr",
        "Permitted capacity",
        res.permitted_capacity_swu_per_yr,
        "kg-SWU/yr",
    )
    .result(
        "capacity_if_broken_swu_per_yr",
        "Capacity once everything is reinstalled",
        res.capacity_if_broken_swu_per_yr,
        "kg-SWU/yr",
    );
    if let (Some(mc), Some(p)) = (&res.monte_carlo, &res.at_percentile) {
        r.input(
            "percentile",
            "Percentile of the Monte Carlo",
            mc.percentile,
            "%",
            false,
        )
        .input(
            "samples",
            "Monte Carlo draws",
            mc.samples as f64,
            "draws",
            pct.samples.is_none(),
        )
        .input_value(
            "seed",
            "Monte Carlo seed",
            json!(mc.seed),
            mc.seed.to_string(),
        );
        let p_label = format!("P{}", num(mc.percentile));
        r.result_text(
            "at_percentile_permitted",
            &format!("{p_label}: breakout with permitted capacity only"),
            &days(p.permitted_first_sq_days),
        )
        .result_text(
            "at_percentile_broken",
            &format!("{p_label}: breakout if the deal is broken that day"),
            &days(p.first_sq_days),
        )
        .result_json("monte_carlo", json!(mc))
        .result_json("at_percentile", json!(p));
        r.note(format!(
            "{p_label}: at least {} % of the {} draws (seed {}) take that long or longer (nearest rank); draws that never reach the goal count as longer than any time ({} never while the deal holds, {} if broken); the yearly series is central",
            num(100.0 - mc.percentile),
            mc.samples,
            mc.seed,
            p.permitted_never_draws,
            p.never_draws
        ));
    }
    if let (Some(text), Some(w)) = (&res.weapon_if_broken, res.weapon_days) {
        r.result_text(
            "weapon_if_broken",
            "Time to a weapon if broken (separate range)",
            text,
        );
        r.result_json("weapon_days", json!(w));
    }
    if let Some(v) = &res.verification {
        // A table for people; the figures are in `results.verification` (the typed result).
        let mut t = Table::new(
            format!(
                "Would inspectors notice if the deal is broken? (regime {}; mean days until the \
                 Board knows, reporting included)",
                v.regime
            ),
            &[
                "pathway",
                "detection days",
                "P(detected before 1st unit)",
                "warning days",
            ],
        );
        for p in &v.pathways {
            t.row(vec![
                p.pathway.clone(),
                verification::warning_text(p.detection_days),
                num(p.p_detect_before_first_sq),
                verification::warning_text(p.warning_days),
            ]);
        }
        r.table(t);
        r.result_json("verification", json!(v));
    }
    let mut t = Table::new("What the deal changes in the base state", &["change"]);
    for c in &res.changes {
        t.row(vec![c.clone()]);
    }
    r.result_json("changes", json!(res.changes)).table(t);
    let mut steps = Table::new(
        format!(
            "Timeline if broken ({} model; `breakout run` shows the cascades)",
            model.id()
        ),
        &["from day", "to day", "step"],
    );
    // Every step: the timeline is the evidence for the floor, and the floor's state (the base
    // state with the deal's changes) is not one `breakout run` can show.
    for s in &f.broken.steps {
        steps.row(vec![
            s.start_days.map_or("never".into(), |d| num(d.days())),
            s.end_days.map_or("never".into(), |d| num(d.days())),
            s.what.clone(),
        ]);
    }
    r.table(steps);
    if let Some(points) = &res.series {
        let mut t = Table::new(
            "Over the deal's life (limits sunset)",
            &["date", "deal holds, days", "if broken, days"],
        );
        for p in points {
            t.row(vec![
                p.date.clone(),
                p.permitted_first_sq_days.map_or("never".into(), num),
                p.first_sq_days.map_or("never".into(), num),
            ]);
        }
        r.result_json("series", json!(points)).table(t);
    }
    r.note(format!("reinstallation default: {REINSTALL_SOURCE}"));
    r.note(format!(
        "deal holds: {}; if broken: {}",
        days(res.permitted_first_sq_days),
        days(res.first_sq_days)
    ));
    Ok((r, Outcome::Success))
}

/// `breakout deal compare DEAL...`: the document of [`compare`].
pub fn run_compare(deals: &[String], o: &FloorOptions, progress: &dyn crate::Progress) -> Answer {
    let weapon = o
        .weaponization_months
        .map(|MonthRange { lo, hi }| Weaponization::new(lo, hi))
        .transpose()
        .map_err(|e| AppError::Usage(e.to_string()))?;
    let res = compare(deals, o, progress);
    progress.finish();
    let model = o.model()?;
    let res = res?;
    let mut r = Document::new(
        "deal compare",
        "Deals side by side: breakout floor and breakout if broken",
    );
    r.input_value("deals", "Deals", json!(deals), deals.join(", "))
        .input_value("model", "Model", json!(model.id()), model.describe());
    let mut t = Table::new(
        "Time to the goal (days; months in brackets)",
        &[
            "position",
            "clauses (numeric / text)",
            "deal holds",
            "if broken",
            "time to a weapon if broken",
            "warning days: declared misuse / covert",
        ],
    );
    let fmt = |d: Option<f64>| {
        d.map_or("never".into(), |d| {
            format!("{} ({})", num(d), num(d / enrich::units::DAYS_PER_MONTH))
        })
    };
    let weapon_text = |d: Option<f64>| match (weapon, d) {
        (Some(w), Some(d)) => {
            let (lo, hi) = w.weapon_days(d);
            format!("{}–{} days", num(lo), num(hi))
        }
        _ => "—".into(),
    };
    for p in &res.positions {
        t.row(vec![
            p.position.clone(),
            p.clauses.map_or("—".into(), |(numeric, text)| {
                format!("{numeric} / {text}")
            }),
            fmt(p.permitted_first_sq_days),
            fmt(p.first_sq_days),
            weapon_text(p.first_sq_days),
            p.verification.as_ref().map_or("—".into(), |v| {
                let w = |id: &str| {
                    verification::warning_text(v.pathway(id).and_then(|p| p.warning_days))
                };
                format!(
                    "{} / {} ({})",
                    w("declared-misuse"),
                    w("covert-plant"),
                    v.regime
                )
            }),
        ]);
    }
    r.result_json("positions", json!(res.positions)).table(t);
    r.note("warning: time to the first unit if broken minus the mean time until the IAEA Board knows, under the deal's verification regime (a reference state: the regime in force at its date); negative: the material comes first");
    r.note("each deal at its start (Implementation Day for the JCPOA; for the 2025 proposals, the base state's date, since their start is unspecified); `deal floor DEAL` shows the changes, the timeline and the series over the deal's life");
    r.note(format!(
        "if broken: stored and idle cascades reinstalled at {} cascades/month ({REINSTALL_SOURCE})",
        num(o
            .reinstall_cascades_per_month
            .unwrap_or(DEFAULT_REINSTALL_CASCADES_PER_MONTH))
    ));
    Ok((r, Outcome::Success))
}
