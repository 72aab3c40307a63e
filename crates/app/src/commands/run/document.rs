//! The document of `breakout run` (text, CSV and `--json`), built from the typed
//! [`RunEstimate`]: the inputs with their defaults marked, the results, the timeline, production
//! curve, assumption and Monte Carlo tables, and the notes.

use breakout::TailsPolicy;
use enrich::units::{DAYS_PER_MONTH, significant};
use serde_json::{Value, json};

use super::result::{MonteCarloResult, RunEstimate, StepKindName};
use crate::document::{Document, Table, num};

/// The document of a run.
pub fn document(est: &RunEstimate) -> Document {
    let (a, sc, res) = (&est.args, &est.scenario, &est.result);
    let model = est.model;
    let goal = sc.goal;
    let unit = goal.unit_name();

    let title = match &est.state {
        Some(st) => format!("Breakout estimate: {} — {}", st.data.id, st.data.title),
        None => "Breakout estimate: quick mode".to_string(),
    };
    let mut r = Document::new("run", title);
    match &est.state {
        Some(st) => r.input_value(
            "state",
            "State",
            json!(st.data.id),
            format!("{} ({}, as of {})", st.data.id, st.file, st.data.as_of),
        ),
        None => r.input_value("state", "State", Value::Null, "none (quick mode)"),
    };
    r.input_value("model", "Model", json!(model.id()), model.describe());
    r.input_value("goal", "Goal", json!({
        "unit": unit, "unit_kg_u": goal.unit_kg_u(), "product_wt_pct": goal.product_assay.wt_pct(), "count": goal.count,
    }), format!("{} × {}", goal.count, goal.describe()));
    r.input_value(
        "sites",
        "Sites (capacity)",
        json!(a.sites),
        if a.sites.is_empty() {
            "all".to_string()
        } else {
            a.sites.join(", ")
        },
    );
    r.input_value(
        "stock_tails",
        "Stock cascade tails",
        match sc.tails {
            TailsPolicy::Fixed(t) => json!({"fixed_wt_pct": t.wt_pct()}),
            TailsPolicy::Float { ceiling } => json!({"floor_wt_pct": est.stock_tails_floor.wt_pct(), "ceiling_wt_pct": ceiling.wt_pct()}),
        },
        match sc.tails {
            TailsPolicy::Fixed(t) => format!("fixed at {} wt-% (--tails-wt-pct)", num(t.wt_pct())),
            TailsPolicy::Float { ceiling } => format!(
                "floating, least-SWU, between {} wt-% (below it natural uranium is cheaper) and {} wt-% ({})",
                significant(est.stock_tails_floor.wt_pct(), 4),
                num(ceiling.wt_pct()),
                if a.max_tails_wt_pct.is_some() { "--max-tails-wt-pct" } else { "default: tails above 20 % would be HEU [C1]" }
            ),
        },
    );
    r.input(
        "natural_tails_wt_pct",
        "Natural-uranium route tails",
        sc.natural_tails.wt_pct(),
        "wt-% U-235 (ISIS: ~0.4 % [B38])",
        a.natural_tails_wt_pct.is_none(),
    );
    if let Some(w) = est.weaponization {
        r.input_value(
            "weaponization_months",
            "Weaponization",
            json!({"low": w.low_months, "high": w.high_months}),
            format!(
                "{}–{} months after the fissile material (reported separately)",
                num(w.low_months),
                num(w.high_months)
            ),
        );
    }
    let mut assumptions = serde_json::Map::new();
    let mut t = Table::new(
        "Assumptions and sources (every numeric input)",
        &["input", "value", "unit", "source / assumption"],
    );
    for x in est.assumptions() {
        t.row(vec![
            x.label.clone(),
            x.distribution.clone(),
            x.unit.clone(),
            x.source.clone(),
        ]);
        assumptions.insert(x.key.clone(), json!(x));
    }
    r.input_value(
        "assumptions",
        "Assumptions",
        Value::Object(assumptions),
        "listed with sources in the table below",
    );

    // Results: the headline model's figure, the ideal bound beside it.
    r.result_text("headline_model", "Headline model", &res.headline_model);
    r.result_json("first_sq_days", json!(res.first_sq_days));
    r.result_text(
        "first_sq",
        &format!("Time to the first {unit}"),
        &res.first_sq,
    );
    r.result_json("ideal_first_sq_days", json!(res.ideal_first_sq_days));
    r.result_text(
        "ideal_first_sq",
        &format!("Ideal lower bound, first {unit}"),
        &res.ideal_first_sq,
    );
    r.result_json("goal_days", json!(res.goal_days));
    if let Some(g) = &res.goal {
        r.result_text("goal", &format!("Time to {} {unit}", goal.count), g);
    }
    r.result(
        "separative_work_swu",
        &format!("Separative work for {} {unit}", goal.count),
        res.separative_work_swu,
        "kg-SWU",
    );
    r.result(
        "capacity_swu_per_yr",
        "Capacity at day 0",
        res.capacity_swu_per_yr,
        "kg-SWU/yr",
    );
    if let Some(c) = res.final_capacity_swu_per_yr {
        r.result(
            "final_capacity_swu_per_yr",
            "Capacity once all additions are on line",
            c,
            "kg-SWU/yr",
        );
    }
    r.result(
        "stock_limit_sq",
        &format!("{unit} the stocks give before natural uranium is the limit"),
        res.stock_limit_sq,
        unit,
    );
    r.result_json("stock_limit_days", json!(res.stock_limit_days));
    if let (Some(d), Some(w)) = (res.weapon_days, &res.weapon) {
        r.result_json("weapon_days", json!(d));
        r.result_text(
            "weapon",
            "Time to a weapon (fissile material + weaponization)",
            w,
        );
    }
    r.result_json("steps", json!(res.steps));
    r.result_json("production_curve", json!(res.production_curve));
    r.result_json("sq_unit", json!(res.sq_unit));

    r.table(timeline(est));
    let mut curve = Table::new(
        format!(
            "Production curve ({unit} vs days; after {} {unit} the stocks are used up and natural uranium is the limit)",
            significant(res.stock_limit_sq, 3)
        ),
        &[unit, "days", "weeks", "months"],
    );
    for p in res.production_curve.iter().skip(1) {
        curve.row(vec![
            significant(p.sq, 4),
            significant(p.days, 4),
            significant(p.days / 7.0, 3),
            significant(p.days / DAYS_PER_MONTH, 3),
        ]);
    }
    r.table(curve);
    r.table(t);

    if let Some(mc) = &res.monte_carlo {
        monte_carlo(&mut r, mc, goal.count, unit);
    }
    if let Some(st) = &est.state {
        let names: Vec<String> = st
            .data
            .sites
            .iter()
            .map(|s| format!("{} = {}", s.id, s.name))
            .collect();
        r.note(format!(
            "State {}: {} Sites: {}.",
            st.data.id,
            st.data.description,
            names.join("; ")
        ));
    }
    r.note(format!("Model: {}.", model.describe()));
    r.note("Stocks are pooled: any stock in scope may feed any cascade in scope (as in ISIS's Fordow-only cases, which assume the stocks are moved there). --site limits capacity, not stocks.");
    r.note("Breakout time is the time to fissile material (UF6 product); conversion to metal and weaponization are not included unless --weaponization-months is given, and then only in the separate 'time to a weapon'.");
    r.note("results.production_curve counts goal units in the `sq` field; results.sq_unit says which unit.");
    r
}

/// The timeline table.
fn timeline(est: &RunEstimate) -> Table {
    let mut steps = Table::new(
        "Timeline",
        &[
            "#",
            "from day",
            "to day",
            "step",
            "where / cascades",
            "feed (kg U @ wt-%)",
            "product kg U",
            "tails kg U @ wt-%",
            "kg-SWU",
        ],
    );
    for (i, s) in est.result.steps.iter().enumerate() {
        let feeds: Vec<String> = s
            .feeds
            .iter()
            .map(|f| {
                format!(
                    "{} @ {} ({}, {})",
                    significant(f.kg_u, 5),
                    significant(f.wt_pct, 4),
                    f.stock,
                    f.site
                )
            })
            .collect();
        steps.row(vec![
            (i + 1).to_string(),
            significant(s.start_days, 4),
            s.end_days
                .map_or_else(|| "never".into(), |d| significant(d, 4)),
            match s.kind {
                StepKindName::Capacity => format!(
                    "{} (+{} kg-SWU/yr)",
                    s.what,
                    significant(s.capacity_swu_per_yr, 5)
                ),
                StepKindName::Enrichment => s.what.clone(),
            },
            s.cascades.clone(),
            feeds.join("; "),
            s.product_kg_u
                .map_or_else(String::new, |p| significant(p, 5)),
            match (s.tails_kg_u, s.tails_wt_pct) {
                (Some(kg), Some(pct)) => {
                    format!("{} @ {}", significant(kg, 5), significant(pct, 4))
                }
                _ => String::new(),
            },
            if s.kind == StepKindName::Enrichment {
                significant(s.separative_work_swu, 5)
            } else {
                String::new()
            },
        ]);
    }
    steps
}

/// The Monte Carlo's tables and note.
fn monte_carlo(r: &mut Document, mc: &MonteCarloResult, count: u32, unit: &str) {
    let p = &mc.provenance;
    let mut pt = Table::new(
        format!(
            "Monte Carlo: days to {count} {unit} ({} samples, seed {}, {})",
            p.samples, p.seed, p.rng
        ),
        &["percentile", "days", "months"],
    );
    for x in &mc.percentiles {
        pt.row(vec![
            format!("P{}", x.percentile),
            x.days.map_or_else(|| "never".into(), |d| significant(d, 4)),
            x.days
                .map_or_else(String::new, |d| significant(d / DAYS_PER_MONTH, 3)),
        ]);
    }
    r.table(pt);
    let mut ht = Table::new(
        "Histogram (days to the goal)",
        &["from day", "to day", "samples", ""],
    );
    let max = mc
        .histogram
        .iter()
        .map(|b| b.count)
        .max()
        .unwrap_or(1)
        .max(1);
    for b in &mc.histogram {
        ht.row(vec![
            significant(b.low_days, 4),
            significant(b.high_days, 4),
            b.count.to_string(),
            "#".repeat(b.count * 40 / max),
        ]);
    }
    if mc.samples_never > 0 {
        r.note(format!(
            "{} of {} samples never reach the goal (no capacity comes on line).",
            mc.samples_never, p.samples
        ));
    }
    r.table(ht);
    let mut tt = Table::new(
        "Sensitivity (tornado): each uncertain input at its 5th and 95th percentile, others central",
        &[
            "input",
            "low value",
            "high value",
            "days at low",
            "days at high",
            "swing days",
        ],
    );
    let f = |d: Option<f64>| d.map_or_else(|| "never".into(), |d| significant(d, 4));
    for row in &mc.tornado {
        tt.row(vec![
            row.label.clone(),
            significant(row.low_value, 4),
            significant(row.high_value, 4),
            f(row.days_at_low),
            f(row.days_at_high),
            f(row.swing_days()),
        ]);
    }
    r.result_json("percentiles", json!(mc.percentiles));
    r.result_json("samples_never", json!(mc.samples_never));
    r.result_json("mean_days", json!(mc.mean_days));
    r.result_json("histogram", json!(mc.histogram));
    r.result_json("provenance", json!(mc.provenance));
    r.result_json("tornado", json!(mc.tornado));
    r.table(tt);
}
