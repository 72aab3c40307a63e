//! The document of `breakout deal design`, built from its typed result.

use serde_json::json;

use super::DesignArgs;
use super::result::{DesignResult, EvaluatedPoint, Levers};
use super::search::design;
use crate::Answer;
use crate::commands::floor::{DEFAULT_REINSTALL_CASCADES_PER_MONTH, PercentileDays};
use crate::design::StockForm;
use crate::document::{Document, Table, num};
use crate::error::Outcome;
use crate::records::{Records, Values};
use breakout::SCREENING;
use enrich::units::DAYS_PER_MONTH;

fn months(d: Option<f64>) -> String {
    d.map_or("never".into(), |d| format!("{:.1}", d / DAYS_PER_MONTH))
}

fn header(levers: Option<&Levers>, last: &[&str]) -> Vec<String> {
    let stock = match levers.map(|l| l.stock_cap_form) {
        Some(StockForm::U) => "kg U",
        _ => "kg UF6",
    };
    let mut h = vec!["cap wt-%".to_string(), stock.to_string()];
    if let Some(l) = levers {
        h.extend(
            l.machines
                .iter()
                .map(|m| format!("{}@{}", m.machine, m.site)),
        );
    }
    h.push("rest".into());
    h.extend(last.iter().map(|s| s.to_string()));
    h
}

/// A row's lever cells; under a ban on enrichment the stock and machine levers have no effect.
fn lever_cells(l: &Levers) -> Vec<String> {
    let banned = l.enrichment_cap_wt_pct <= 0.0;
    let inert = |s: String| if banned { "—".to_string() } else { s };
    let mut row = vec![
        if banned {
            "none".into()
        } else {
            num(l.enrichment_cap_wt_pct)
        },
        inert(num(l.stock_cap_kg)),
    ];
    row.extend(
        l.machines
            .iter()
            .map(|m| inert(num(f64::from(m.max_enriching)))),
    );
    row.push(l.excess.name().into());
    row
}

/// Every evaluated candidate as typed columns, the `--csv` table at full precision: the levers
/// (one `max_enriching_TYPE_at_SITE` column per machine lever), the floors in days (null: never
/// reached) and whether the candidate meets the target.
fn records(points: &[EvaluatedPoint]) -> Records {
    let f64s =
        |f: &dyn Fn(&EvaluatedPoint) -> Option<f64>| Values::F64(points.iter().map(f).collect());
    let strs = |f: &dyn Fn(&EvaluatedPoint) -> String| {
        Values::Str(points.iter().map(|p| Some(f(p))).collect())
    };
    let mut t = Records::new();
    t.column(
        "enrichment_cap_wt_pct",
        f64s(&|p| Some(p.levers.enrichment_cap_wt_pct)),
    )
    .column("stock_cap_kg", f64s(&|p| Some(p.levers.stock_cap_kg)))
    .column(
        "stock_cap_form",
        // Its JSON name (`UF6`, `U`), as `results.points` spells it.
        Values::Str(
            points
                .iter()
                .map(|p| json!(p.levers.stock_cap_form).as_str().map(String::from))
                .collect(),
        ),
    );
    let machine_levers = points.first().map_or(&[][..], |p| &p.levers.machines[..]);
    for (i, m) in machine_levers.iter().enumerate() {
        t.column(
            format!("max_enriching_{}_at_{}", m.machine, m.site),
            Values::I64(
                points
                    .iter()
                    .map(|p| p.levers.machines.get(i).map(|m| i64::from(m.max_enriching)))
                    .collect(),
            ),
        );
    }
    t.column("excess", strs(&|p| p.levers.excess.name().into()))
        .column(
            "permitted_first_sq_days",
            f64s(&|p| p.permitted_first_sq_days),
        )
        .column("first_sq_days", f64s(&|p| p.first_sq_days))
        .column(
            "meets_target",
            Values::Bool(points.iter().map(|p| Some(p.meets_target)).collect()),
        );
    t
}

/// `breakout deal design`: the document of [`design`].
pub fn run(a: DesignArgs, progress: &dyn crate::Progress) -> Answer {
    let res = design(&a, progress);
    progress.finish();
    Ok((document(&a, &res?), Outcome::Success))
}

/// The document of a design run: what `breakout deal design` prints for `a` and its result.
pub fn document(a: &DesignArgs, res: &DesignResult) -> Document {
    let target = if a.if_broken {
        "while it holds and if broken"
    } else {
        "while it holds"
    };
    let mut r = Document::new(
        "deal design",
        format!(
            "Least restrictive deals with breakout ≥ {} months {target}",
            num(a.min_months)
        ),
    );
    r.input_value("space", "Design space", json!(res.space), res.space.clone())
        .input_value(
            "base_state",
            "Facility state the limits apply to",
            json!(res.base_state),
            res.base_state.clone(),
        )
        .input("min_months", "Target", a.min_months, "months", false)
        .input_value(
            "if_broken",
            "Also if broken (reinstalling)",
            json!(a.if_broken),
            if a.if_broken { "yes" } else { "no" }.to_string(),
        )
        .input_value(
            "goal",
            "Goal",
            json!(a.goal),
            format!("{:?}", a.goal).to_lowercase(),
        )
        .input_value(
            "model",
            "Model",
            json!(SCREENING.id()),
            SCREENING.describe(),
        )
        .input(
            "reinstall_cascades_per_month",
            "Reinstallation if broken",
            a.reinstall_cascades_per_month
                .unwrap_or(DEFAULT_REINSTALL_CASCADES_PER_MONTH),
            "cascades/month",
            a.reinstall_cascades_per_month.is_none(),
        );
    if let Some(mc) = &res.monte_carlo {
        r.input(
            "percentile",
            "Target at this percentile of the Monte Carlo",
            mc.percentile,
            "%",
            false,
        )
        .input(
            "samples",
            "Monte Carlo draws per candidate",
            mc.samples as f64,
            "draws",
            a.samples.is_none(),
        )
        .input_value(
            "seed",
            "Monte Carlo seed",
            json!(mc.seed),
            mc.seed.to_string(),
        );
        r.result_json("monte_carlo", json!(mc));
    }
    r.result(
        "grid_size",
        "Candidate deals in the space",
        res.grid_size as f64,
        "deals",
    )
    .result_json("grid_size", json!(res.grid_size))
    .result(
        "evaluated",
        "Candidates evaluated",
        res.evaluated as f64,
        "deals",
    )
    .result_json("evaluated", json!(res.evaluated))
    .result(
        "frontier_points",
        "Deals on the frontier",
        res.frontier.len() as f64,
        "deals",
    )
    .result_json("frontier_points", json!(res.frontier.len()))
    .result(
        "monotonicity_exceptions",
        "Frontier corrections by direct evaluation",
        res.monotonicity_exceptions as f64,
        "points",
    )
    .result_json(
        "monotonicity_exceptions",
        json!(res.monotonicity_exceptions),
    )
    .result_json("min_months", json!(res.min_months))
    .result_json("target_days", json!(res.target_days))
    .result_json("if_broken", json!(res.if_broken))
    .result_json("space", json!(res.space))
    .result_json("base_state", json!(res.base_state))
    .result_json("frontier", json!(res.frontier))
    .result_json("jcpoa", json!(res.jcpoa))
    .result_json("points", json!(res.points));
    // With --percentile, two more columns: the percentile floors the target applies to.
    let p_label = res.monte_carlo.map(|mc| format!("P{}", num(mc.percentile)));
    let mut last: Vec<String> = vec!["holds".into(), "broken".into()];
    if let Some(l) = &p_label {
        last.extend([format!("holds {l}"), format!("broken {l}")]);
    }
    let percentile_cells = |row: &mut Vec<String>, p: Option<&PercentileDays>| {
        if let Some(p) = p {
            row.push(months(p.permitted_first_sq_days));
            row.push(months(p.first_sq_days));
        }
    };
    let first = res.frontier.first().map(|p| &p.levers);
    let last_refs: Vec<&str> = last.iter().map(String::as_str).collect();
    let cols = header(first, &last_refs);
    let cols: Vec<&str> = cols.iter().map(String::as_str).collect();
    let mut t = Table::new(
        "The frontier: months to the first goal unit while the deal holds and if broken (relax any lever one step and the target is missed)",
        &cols,
    );
    for p in &res.frontier {
        let mut row = lever_cells(&p.levers);
        row.push(months(p.permitted_first_sq_days));
        row.push(months(p.first_sq_days));
        percentile_cells(&mut row, p.at_percentile.as_ref());
        t.row(row);
    }
    r.table(t);
    let first = res.points.first().map(|p| &p.levers);
    let mut last_all = last_refs.clone();
    last_all.push("meets target");
    let cols = header(first, &last_all);
    let cols: Vec<&str> = cols.iter().map(String::as_str).collect();
    let mut all = Table::new(
        "Every candidate evaluated (months while the deal holds and if broken)",
        &cols,
    )
    .detail("--csv");
    for p in &res.points {
        let mut row = lever_cells(&p.levers);
        row.push(months(p.permitted_first_sq_days));
        row.push(months(p.first_sq_days));
        percentile_cells(&mut row, p.at_percentile.as_ref());
        row.push(if p.meets_target { "yes" } else { "no" }.into());
        all.row(row);
    }
    r.table(all);
    r.records(records(&res.points));
    r.note("less restrictive = a higher enrichment cap, more enriched stock, more machines allowed to enrich, or the rest stored rather than destroyed; a frontier deal has no less restrictive deal in the space that meets the target");
    r.note("stock in kg of the space's form (UF6 or the equivalent for the bundled space); under a 0 wt-% cap (\"none\") the stock and machine levers have no effect (—)");
    r.note(format!("each row's deal file is `results.frontier[i].deal_toml` in --json; `breakout deal floor FILE --model {}` reproduces its floor (the design screens with that model, not the headline optimum)", SCREENING.id()));
    if let (Some(mc), Some(l)) = (&res.monte_carlo, &p_label) {
        r.note(format!(
            "target at {l}: a candidate meets it when at least {} % of its {} draws (seed {}; the draws of `breakout run --model {} --samples` on the deal's permitted state) take the target or longer; draws that never reach the goal count as longer than any target; `breakout deal floor FILE --model {} --percentile {} --samples {} --seed {}` reproduces a point; holds/broken are the central values",
            num(100.0 - mc.percentile),
            mc.samples,
            mc.seed,
            SCREENING.id(),
            SCREENING.id(),
            num(mc.percentile),
            mc.samples,
            mc.seed
        ));
    }
    r.note(format!(
        "searched in lines along the stock cap, each bounded by its more restrictive neighbours (more capacity or stock is never slower); every frontier point and its one-step relaxations then evaluated directly: {} candidates of {}",
        res.evaluated, res.grid_size
    ));
    r
}
