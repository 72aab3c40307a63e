//! The document of `breakout run` (text, CSV and `--json`), built from the typed
//! [`RunEstimate`]: the inputs with their defaults marked, the results, the timeline, production
//! curve, assumption and Monte Carlo tables, and the notes.

use breakout::{Model, TailsPolicy};
use enrich::units::{DAYS_PER_MONTH, significant};
use safeguards::verification::Pathway;
use serde_json::{Value, json};

use super::result::{MonteCarloResult, RunEstimate, StepKindName, StepResult};
use crate::document::{Document, Table, duration, human, num};
use crate::verification::VerificationResult;

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
    )
    .detail("--assumptions");
    let all = est.assumptions();
    let count = all.len();
    for x in all {
        t.row(vec![
            assumption_label(&x.key, &x.label, &x.source),
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
        format!("{count} numeric inputs, each with its source: add --assumptions to list them"),
    );

    // The answer first: the headline, its range, the ideal bound, what dominates, the state.
    answer(&mut r, est);
    r.result_json("headline_model", json!(res.headline_model));
    r.result_json("first_sq_days", json!(res.first_sq_days));
    r.result_json("first_sq", json!(res.first_sq));
    if let Some(f) = &res.fastest_first_sq {
        r.result_json("fastest_first_sq_days", json!(res.fastest_first_sq_days));
        r.result_json("fastest_first_sq", json!(f));
    }
    r.result_json("ideal_first_sq_days", json!(res.ideal_first_sq_days));
    r.result_json("ideal_first_sq", json!(res.ideal_first_sq));
    r.result_json("goal_days", json!(res.goal_days));
    if let Some(g) = &res.goal {
        r.result_json("goal", json!(g));
    }
    r.result_json("separative_work_swu", json!(res.separative_work_swu));
    r.result_json("capacity_swu_per_yr", json!(res.capacity_swu_per_yr));
    if let Some(c) = res.final_capacity_swu_per_yr {
        r.result_json("final_capacity_swu_per_yr", json!(c));
    }
    r.result_json("stock_limit_sq", json!(res.stock_limit_sq));
    r.result_json("stock_limit_days", json!(res.stock_limit_days));
    if let (Some(d), Some(_)) = (res.weapon_days, &res.weapon) {
        r.result_json("weapon_days", json!(d));
        r.result_json("weapon", json!(res.weapon));
    }
    r.result_json("steps", json!(res.steps));
    r.result_json("schedule", json!(res.schedule));
    r.result_json("production_curve", json!(res.production_curve));
    r.result_json("model_notes", json!(res.model_notes));
    r.result_json("sq_unit", json!(res.sq_unit));
    if let Some(v) = &res.verification {
        r.result_json("verification", json!(v));
    }

    r.table(by_step(est));
    r.table(timeline(est));
    // The optimum solves one program per unit, so its curve stops at the goal: say how to
    // ask for more.
    let more = if model == Model::Optimum && res.production_curve.len() <= 2 {
        format!("; --count N for the first N {unit}")
    } else {
        String::new()
    };
    let mut curve = Table::new(
        format!(
            "Production curve ({unit} vs days; after {} {unit} the stocks are used up and natural uranium is the limit{more})",
            significant(res.stock_limit_sq, 3)
        ),
        &[unit, "days", "weeks", "months"],
    );
    for p in res.production_curve.iter().skip(1) {
        curve.row(vec![
            human(p.sq),
            human(p.days),
            human(p.days / 7.0),
            human(p.days / DAYS_PER_MONTH),
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
    for n in &res.model_notes {
        r.note(n.clone());
    }
    r.note("Stocks are pooled: any stock in scope may feed any cascade in scope (as in ISIS's Fordow-only cases, which assume the stocks are moved there). --site limits capacity, not stocks.");
    r.note("Breakout time is the time to fissile material (UF6 product); conversion to metal and weaponization are not included unless --weaponization-months is given, and then only in the separate 'time to a weapon'.");
    r.note("results.production_curve counts goal units in the `sq` field; results.sq_unit says which unit.");
    r
}

/// The timeline table.
fn timeline(est: &RunEstimate) -> Table {
    let mut steps = Table::new(
        "Timeline, every pass",
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
    )
    .detail("--timeline full");
    for (i, s) in est.result.steps.iter().enumerate() {
        let feeds: Vec<String> = s
            .feeds
            .iter()
            .map(|f| {
                format!(
                    "{} @ {} ({}, {})",
                    human(f.kg_u),
                    human(f.wt_pct),
                    f.stock,
                    f.site
                )
            })
            .collect();
        steps.row(vec![
            (i + 1).to_string(),
            human(s.start_days),
            s.end_days.map_or_else(|| "never".into(), human),
            match s.kind {
                StepKindName::Capacity => {
                    format!("{} (+{} kg-SWU/yr)", s.what, human(s.capacity_swu_per_yr))
                }
                StepKindName::Enrichment | StepKindName::SetUp => s.what.clone(),
            },
            s.cascades.clone(),
            feeds.join("; "),
            s.product_kg_u.map_or_else(String::new, human),
            match (s.tails_kg_u, s.tails_wt_pct) {
                (Some(kg), Some(pct)) => {
                    format!("{} @ {}", human(kg), human(pct))
                }
                _ => String::new(),
            },
            if s.kind == StepKindName::Enrichment {
                human(s.separative_work_swu)
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
            x.days.map_or_else(|| "never".into(), human),
            x.days
                .map_or_else(String::new, |d| human(d / DAYS_PER_MONTH)),
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
            human(b.low_days),
            human(b.high_days),
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
    let f = |d: Option<f64>| d.map_or_else(|| "never".into(), human);
    for row in &mc.tornado {
        tt.row(vec![
            row.label.clone(),
            human(row.low_value),
            human(row.high_value),
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

/// The assumption's label for people: each cascade kind of the fixed-cascade model named by its
/// machine and size (the JSON keeps the model's generic label).
pub fn assumption_label(key: &str, label: &str, source: &str) -> String {
    let Some(n) = key.strip_prefix("cascade_hardware.") else {
        return label.to_string();
    };
    let what = match source.strip_prefix("data/cascades/") {
        Some(rest) => {
            let file = rest.split(' ').next().unwrap_or(rest);
            let kind = source
                .split_once('(')
                .and_then(|(_, k)| k.split(" cascades").next())
                .unwrap_or("");
            format!("{kind} ({file})")
        }
        None => source
            .split(':')
            .next()
            .unwrap_or(source)
            .trim_end_matches(" cascades")
            .to_string(),
    };
    format!("Cascade hardware {n}: {what}")
}

/// A group of enrichment passes: one step of the enrichment ladder.
struct Group {
    label: String,
    passes: usize,
    /// Days on which some pass of the step runs: the union of the passes' spans (the optimum
    /// model runs passes of one step side by side; the fixed-cascade model one after another).
    days: f64,
    /// The passes' (start, end) days, ends infinite for passes that never end.
    spans: Vec<(f64, f64)>,
    first_day: f64,
    last_day: Option<f64>,
    feed_kg_u: f64,
    feed_pct: (f64, f64),
    product_kg_u: f64,
    swu: f64,
}

/// Which step of the ladder a pass belongs to, by its feed and product assays.
fn step_of(s: &StepResult, goal_pct: f64) -> String {
    let natural = s
        .feeds
        .iter()
        .any(|f| f.stock.starts_with("natural uranium"));
    let Some(p) = s.product_wt_pct else {
        return s.what.clone();
    };
    let to = if p >= goal_pct * 0.999 || s.what.contains("goal grade") {
        format!("to goal grade (≥ {} wt-%)", human(goal_pct))
    } else if p >= 60.0 {
        format!("to 60–{} wt-%", human(goal_pct))
    } else if p >= 20.0 {
        "to 20–60 wt-%".to_string()
    } else {
        "to below 20 wt-%".to_string()
    };
    if natural {
        format!("natural uranium {to} (stocks used up)")
    } else {
        format!("stocks {to}")
    }
}

/// The enrichment passes grouped by step, in order of their first pass.
fn groups(est: &RunEstimate) -> Vec<Group> {
    let goal_pct = est.scenario.goal.product_assay.wt_pct();
    let mut out: Vec<Group> = Vec::new();
    for s in est
        .result
        .steps
        .iter()
        .filter(|s| s.kind == StepKindName::Enrichment)
    {
        let label = step_of(s, goal_pct);
        let days = s.end_days.map_or(f64::INFINITY, |e| e - s.start_days);
        let feed: f64 = s.feeds.iter().map(|f| f.kg_u).sum();
        let (lo, hi) = s.feeds.iter().fold((f64::INFINITY, 0.0_f64), |(l, h), f| {
            (l.min(f.wt_pct), h.max(f.wt_pct))
        });
        let g = match out.iter_mut().find(|g| g.label == label) {
            Some(g) => g,
            None => {
                out.push(Group {
                    label,
                    passes: 0,
                    days: 0.0,
                    spans: Vec::new(),
                    first_day: s.start_days,
                    last_day: Some(s.start_days),
                    feed_kg_u: 0.0,
                    feed_pct: (f64::INFINITY, 0.0),
                    product_kg_u: 0.0,
                    swu: 0.0,
                });
                out.last_mut().expect("just pushed")
            }
        };
        g.passes += 1;
        g.spans.push((s.start_days, s.start_days + days));
        g.last_day = match (g.last_day, s.end_days) {
            (Some(a), Some(b)) => Some(a.max(b)),
            _ => None,
        };
        g.feed_kg_u += feed;
        g.feed_pct = (g.feed_pct.0.min(lo), g.feed_pct.1.max(hi));
        g.product_kg_u += s.product_kg_u.unwrap_or(0.0);
        g.swu += s.separative_work_swu;
    }
    for g in &mut out {
        g.spans.sort_by(|a, b| a.0.total_cmp(&b.0));
        let (mut days, mut covered) = (0.0, f64::NEG_INFINITY);
        for &(from, to) in &g.spans {
            if to > covered {
                days += to - from.max(covered);
                covered = to;
            }
        }
        g.days = days;
    }
    out
}

/// A range of assays, e.g. "3.67" or "0.929–11.4".
fn pct_range((lo, hi): (f64, f64)) -> String {
    if !lo.is_finite() {
        String::new()
    } else if human(lo) == human(hi) {
        human(lo)
    } else {
        format!("{}–{}", human(lo), human(hi))
    }
}

/// The timeline by step: capacity at day 0 in one line, each step's passes with totals, the
/// waiting time between passes (set-up), and capacity added later.
pub fn by_step(est: &RunEstimate) -> Table {
    let res = &est.result;
    let day0: Vec<&StepResult> = res
        .steps
        .iter()
        .filter(|s| s.kind == StepKindName::Capacity && s.start_days == 0.0)
        .collect();
    let mut t = Table::new(
        format!(
            "Timeline by enrichment step (capacity at day 0: {} kg-SWU/yr in {} {}; every pass: --timeline full)",
            human(day0.iter().map(|s| s.capacity_swu_per_yr).sum()),
            day0.len(),
            if day0.len() == 1 {
                "kind of cascade"
            } else {
                "kinds of cascade"
            }
        ),
        &[
            "step",
            "passes",
            "days",
            "from–to day",
            "feed kg U @ wt-%",
            "product kg U",
            "kg-SWU",
        ],
    );
    let blank = || String::new();
    for s in res
        .steps
        .iter()
        .filter(|s| s.kind == StepKindName::Capacity && s.start_days > 0.0)
    {
        t.row(vec![
            format!(
                "capacity +{} kg-SWU/yr: {}",
                human(s.capacity_swu_per_yr),
                s.what
            ),
            blank(),
            blank(),
            human(s.start_days),
            blank(),
            blank(),
            blank(),
        ]);
    }
    let gs = groups(est);
    for g in &gs {
        t.row(vec![
            g.label.clone(),
            g.passes.to_string(),
            // A pass that never ends (no capacity ever comes on line) has no duration.
            if g.days.is_finite() {
                human(g.days)
            } else {
                "never".into()
            },
            format!(
                "{}–{}",
                human(g.first_day),
                g.last_day.map_or_else(|| "never".into(), human)
            ),
            if g.feed_pct.0.is_finite() {
                format!("{} @ {}", human(g.feed_kg_u), pct_range(g.feed_pct))
            } else {
                String::new()
            },
            if g.product_kg_u > 0.0 {
                human(g.product_kg_u)
            } else {
                String::new()
            },
            human(g.swu),
        ]);
    }
    let busy: f64 = gs.iter().map(|g| g.days).sum();
    if let Some(end) = gs
        .iter()
        .map(|g| g.last_day)
        .try_fold(0.0_f64, |a, d| d.map(|d| a.max(d)))
    {
        let idle = end - busy;
        if idle > 1e-9 {
            t.row(vec![
                "set-up and waiting between passes".into(),
                blank(),
                human(idle),
                blank(),
                blank(),
                blank(),
                blank(),
            ]);
        }
    }
    t
}

/// The answer rows: the headline with its Monte Carlo range, the ideal bound, what dominates the
/// time, the resources, the state and its date.
fn answer(r: &mut Document, est: &RunEstimate) {
    let res = &est.result;
    let goal = est.scenario.goal;
    let unit = goal.unit_name();
    let goal_days = res.goal_days.or(res.first_sq_days);
    let mut headline = match goal_days {
        Some(d) => duration(d),
        None => "never: no capacity comes on line".into(),
    };
    if let Some(mc) = &res.monte_carlo {
        let at = |p: f64| {
            mc.percentiles
                .iter()
                .find(|x| (x.percentile - p).abs() < 1e-9)
                .map(|x| x.days.map_or_else(|| "never".into(), human))
        };
        if let (Some(lo), Some(hi)) = (at(5.0), at(95.0)) {
            headline.push_str(&format!(
                "; Monte Carlo 90 % range {lo}–{hi} days ({} samples)",
                mc.provenance.samples
            ));
        }
    }
    headline.push_str(&format!(", {} model", res.headline_model));
    r.answer(&format!("Time to {} {unit}", goal.count), headline);
    if goal.count > 1 {
        r.answer(
            &format!("Time to the first {unit}"),
            res.first_sq_days.map_or_else(|| "never".into(), duration),
        );
    }
    if res.fastest_first_sq.is_some() {
        r.answer(
            &format!("Without set-up, first {unit}"),
            res.fastest_first_sq_days.map_or_else(
                || "never".into(),
                |d| {
                    format!(
                        "{} (the same hardware, every cascade taking every step at once)",
                        duration(d)
                    )
                },
            ),
        );
    }
    r.answer(
        &format!("Ideal lower bound, first {unit}"),
        res.ideal_first_sq_days.map_or_else(
            || "never".into(),
            |d| format!("{} (every machine at rated output, no set-up)", duration(d)),
        ),
    );
    let gs = groups(est);
    let busy: f64 = gs.iter().map(|g| g.days).sum();
    let idle = goal_days.map_or(0.0, |d| (d - busy).max(0.0));
    let top = gs
        .iter()
        .filter(|g| g.days.is_finite())
        .max_by(|a, b| a.days.total_cmp(&b.days));
    if let (Some(g), Some(total)) = (top, goal_days) {
        let what = if idle > g.days {
            format!(
                "set-up and waiting between passes: {} of {}",
                duration(idle),
                duration(total)
            )
        } else {
            format!(
                "{}: {} of {} ({} {})",
                g.label,
                duration(g.days),
                duration(total),
                g.passes,
                if g.passes == 1 { "pass" } else { "passes" }
            )
        };
        r.answer("What takes the time", what);
    }
    // Who starts: the cascades already handling the first step run it while the rest are set
    // up for it (the schedule; docs/models.md, 'Set-up per step').
    let first_set_up = res
        .schedule
        .iter()
        .find(|e| e.activity == StepKindName::SetUp);
    let first_pass = res
        .schedule
        .iter()
        .find(|e| e.activity == StepKindName::Enrichment);
    if let (Some(u), Some(p)) = (first_set_up, first_pass)
        && p.from_day < u.to_day.unwrap_or(f64::INFINITY)
        && p.from_day >= u.from_day
    {
        r.answer(
            "Who starts",
            format!(
                "{} run the first step at once; the rest are set up for it, days {}–{} \
                 (who does what when: --timeline full)",
                p.cascades,
                human(u.from_day),
                u.to_day.map_or_else(|| "never".into(), human)
            ),
        );
    }
    let mut resources = format!("{} kg-SWU/yr at day 0", human(res.capacity_swu_per_yr));
    if let Some(c) = res.final_capacity_swu_per_yr {
        resources.push_str(&format!(", {} kg-SWU/yr once all are on line", human(c)));
    }
    resources.push_str(&format!(
        "; {} kg-SWU for {} {unit}; the stocks give {} {unit} before natural uranium is the limit",
        human(res.separative_work_swu),
        goal.count,
        human(res.stock_limit_sq)
    ));
    r.answer("Capacity and material", resources);
    if let Some(w) = &res.weapon {
        r.answer("Time to a weapon", w.clone());
    }
    r.answer(
        "State",
        match &est.state {
            Some(st) => format!("{}, as of {}", st.data.id, st.data.as_of),
            None => "none (quick mode)".into(),
        },
    );
    if let Some(v) = &res.verification {
        would_inspectors_notice(r, v, unit);
    }
}

/// The 'Would inspectors notice?' lines: the regime, then per pathway the mean detection time,
/// the chance it comes before the first unit and the warning time.
fn would_inspectors_notice(r: &mut Document, v: &VerificationResult, unit: &str) {
    r.answer(
        "Would inspectors notice?",
        format!(
            "regime {}; mean days to the Board (incl. {} days' reporting)",
            v.regime,
            human(v.reporting_delay_days)
        ),
    );
    for p in &v.pathways {
        let label = Pathway::ALL
            .iter()
            .find(|x| x.id() == p.pathway)
            .map_or(p.pathway.as_str(), |x| x.label());
        let shown = match p.detection_days {
            None => format!("never; P(before {unit}) 0"),
            Some(d) => format!(
                "{} days; P(before {unit}) {}; warning {}",
                significant(d, 3),
                significant(p.p_detect_before_first_sq, 2),
                p.warning_days
                    .map_or_else(|| "none".into(), |w| format!("{} days", significant(w, 3)))
            ),
        };
        // With Monte Carlo: the warning in 19 draws of 20 and in 1 of 20.
        let range = p.warning_monte_carlo.and_then(|w| {
            w.warning_p5_days
                .zip(w.warning_p95_days)
                .map(|(lo, hi)| format!(" (p5–p95 {}–{})", significant(lo, 3), significant(hi, 3)))
        });
        r.answer(&format!("  {label}"), shown + &range.unwrap_or_default());
    }
}
