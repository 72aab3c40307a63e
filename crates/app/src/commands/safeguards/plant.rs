//! `safeguards plant`: an enrichment plant's year of balances generated from its SWU, σ_MUF,
//! detection of a goal quantity and the timeliness comparison.

use super::*;
use crate::document::{Document, Table, num};
use crate::error::AppError;
use safeguards::balance::Species;
use safeguards::detection::{self, Sided};
use safeguards::montecarlo::{self, LossPattern, TestSettings};
use safeguards::{plant, timeliness};
use serde_json::{Value, json};

pub(super) fn plant_cmd(a: PlantArgs) -> Result<Document, AppError> {
    let mut r = Document::new(
        "safeguards plant",
        "Enrichment plant: one year of balances, σ_MUF, detection of a goal quantity",
    );
    let opt = |r: &mut Document, key: &str, label: &str, v: Option<f64>, d: f64, unit: &str| {
        let x = v.unwrap_or(d);
        r.input(key, label, x, unit, v.is_none());
        x
    };
    r.input(
        "capacity_swu_per_yr",
        "Capacity",
        a.swu_per_yr,
        "kg-SWU/yr",
        false,
    );
    let feed = opt(
        &mut r,
        "feed_wt_pct",
        "Feed assay",
        a.feed_wt_pct,
        0.711,
        "wt-% U-235",
    );
    let product = opt(
        &mut r,
        "product_wt_pct",
        "Product assay",
        a.product_wt_pct,
        4.5,
        "wt-% U-235",
    );
    let tails = opt(
        &mut r,
        "tails_wt_pct",
        "Tails assay",
        a.tails_wt_pct,
        0.25,
        "wt-% U-235",
    );
    let periods = a.periods_per_year.unwrap_or(12);
    r.input_value(
        "periods_per_year",
        "Balance periods per year",
        json!(periods),
        format!(
            "{periods}{}",
            if a.periods_per_year.is_none() {
                "  (default)"
            } else {
                ""
            }
        ),
    );
    // Cylinder fills: 48Y ≈ 12.5 t UF6, 30B ≤ 2277 kg UF6 (safeguards.md §5, ANSI N14.1 [L]).
    let fcyl = opt(
        &mut r,
        "feed_cylinder_kg_uf6",
        "Feed cylinder fill (48Y)",
        a.feed_cylinder_kg_uf6,
        12_500.0,
        "kg UF6",
    );
    let pcyl = opt(
        &mut r,
        "product_cylinder_kg_uf6",
        "Product cylinder fill (30B)",
        a.product_cylinder_kg_uf6,
        2277.0,
        "kg UF6",
    );
    let tcyl = opt(
        &mut r,
        "tails_cylinder_kg_uf6",
        "Tails cylinder fill (48Y)",
        a.tails_cylinder_kg_uf6,
        12_500.0,
        "kg UF6",
    );
    let inv = opt(
        &mut r,
        "inventory_days",
        "Stock of each stream on site",
        a.inventory_days,
        30.0,
        "days of flow",
    );
    let goal = opt(
        &mut r,
        "goal_kg",
        "Goal quantity",
        a.goal_kg,
        SQ_LEU_KG_U235,
        "kg U-235",
    );
    let alpha = probability(
        &mut r,
        "alpha",
        "--alpha",
        "False-alarm probability",
        a.alpha,
        DEFAULT_ALPHA,
    )?;
    if !(goal.is_finite() && goal > 0.0) {
        return Err(AppError::Input(format!(
            "--goal-kg {goal}: expected a positive mass in kg U-235"
        )));
    }
    if periods == 0 {
        return Err(AppError::Input(
            "--periods-per-year 0: expected at least 1".into(),
        ));
    }
    let (instruments, sources) = file::load_instruments(a.instruments.as_deref())?;
    r.input_value(
        "instruments",
        "Instrument uncertainties",
        json!(
            a.instruments
                .as_ref()
                .map_or("bundled illustrative".to_string(), |p| p
                    .display()
                    .to_string())
        ),
        a.instruments.as_ref().map_or(
            "bundled illustrative values (not ITV)  (default)".to_string(),
            |p| p.display().to_string(),
        ),
    );
    let spec = plant::PlantSpec {
        capacity_swu_per_yr: a.swu_per_yr,
        feed_wt_pct: feed,
        product_wt_pct: product,
        tails_wt_pct: tails,
        periods_per_year: periods,
        feed_cylinder_kg_uf6: fcyl,
        product_cylinder_kg_uf6: pcyl,
        tails_cylinder_kg_uf6: tcyl,
        inventory_days: inv,
        instruments,
    };
    let p = plant::generate(&spec).map_err(|e| {
        AppError::Input(format!(
            "plant: {e} (check --swu-per-yr, the assays, cylinder fills and --inventory-days)"
        ))
    })?;
    r.result("feed_kg_u_per_yr", "Feed", p.feed_kg_u_per_yr, "kg U/yr")
        .result(
            "product_kg_u_per_yr",
            "Product",
            p.product_kg_u_per_yr,
            "kg U/yr",
        )
        .result("tails_kg_u_per_yr", "Tails", p.tails_kg_u_per_yr, "kg U/yr")
        .result(
            "feed_cylinders_per_yr",
            "Feed cylinders",
            p.cylinders_per_yr[0] as f64,
            "per yr",
        )
        .result(
            "product_cylinders_per_yr",
            "Product cylinders",
            p.cylinders_per_yr[1] as f64,
            "per yr",
        )
        .result(
            "tails_cylinders_per_yr",
            "Tails cylinders",
            p.cylinders_per_yr[2] as f64,
            "per yr",
        );
    let iso = p.balance.evaluate(Species::Isotope)?;
    let el = p.balance.evaluate(Species::Element)?;
    let (_, sigma_year) = iso.total();
    let (_, sigma_year_u) = el.total();
    let parts = p.balance.covariance_parts(Species::Isotope);
    let ones = vec![1.0; periods];
    let (rv, sv) = (
        parts.random.bilinear(&ones, &ones),
        parts.systematic.bilinear(&ones, &ones),
    );
    let feed235 = p.feed_kg_u_per_yr * feed / 100.0;
    let pd = detection::detection_probability(goal, sigma_year, alpha, Sided::One)?;
    let scale = detection::throughput_scale_for_goal(rv, sv, goal, alpha, DEFAULT_PROBABILITY)?;
    r.result(
        "sigma_muf_kg",
        "σ_MUF of one balance period, U-235",
        iso.sigma_muf_kg()[0],
        "kg U-235",
    )
    .result(
        "sigma_annual_muf_kg",
        "σ of the annual (total) MUF, U-235",
        sigma_year,
        "kg U-235",
    )
    .result(
        "sigma_annual_muf_pct_of_feed",
        "… as % of feed U-235",
        100.0 * sigma_year / feed235,
        "%",
    )
    .result(
        "sigma_annual_muf_random_kg",
        "… random part",
        rv.sqrt(),
        "kg U-235",
    )
    .result(
        "sigma_annual_muf_systematic_kg",
        "… systematic part",
        sv.sqrt(),
        "kg U-235",
    )
    .result(
        "sigma_annual_muf_element_kg",
        "σ of the annual MUF, element",
        sigma_year_u,
        "kg U",
    )
    .result(
        "detection_probability",
        "Detection probability of the goal by the annual balance",
        pd,
        "",
    )
    .result(
        "detectable_loss_kg",
        "Loss detected with 95 % by the annual balance",
        detection::detectable_loss_kg(sigma_year, alpha, DEFAULT_PROBABILITY)?,
        "kg U-235",
    )
    .result(
        "max_capacity_swu_per_yr",
        "Largest capacity whose annual balance detects the goal with 95 %",
        scale * a.swu_per_yr,
        "kg-SWU/yr",
    );
    let period_days = enrich::units::DAYS_PER_YEAR / periods as f64;
    let mut sims = serde_json::Map::new();
    if periods > 1 {
        let n_seq = a.sequences.unwrap_or(DEFAULT_SEQUENCES);
        if n_seq == 0 {
            return Err(AppError::Input(
                "--sequences 0: expected at least 1 simulated sequence".into(),
            ));
        }
        let s = seed(a.seed);
        r.input_value(
            "sequences",
            "Simulated sequences",
            json!(n_seq),
            n_seq.to_string(),
        )
        .input_value("seed", "Seed", json!(s), s.to_string());
        let mut t = Table::new(
            format!(
                "Detection of {} kg U-235 over the year ({} balances of {} days; each test at overall α)",
                num(goal),
                periods,
                num(period_days)
            ),
            &[
                "loss pattern",
                "Page P",
                "Page mean days",
                "Shewhart P",
                "total MUF P",
                "GEMUF P",
            ],
        );
        for (name, pattern) in [
            (
                "abrupt (period 1)",
                LossPattern::Abrupt {
                    period: 1,
                    total_kg: goal,
                },
            ),
            (
                "protracted (even)",
                LossPattern::Protracted { total_kg: goal },
            ),
        ] {
            let sim = montecarlo::simulate_cancellable(
                &iso,
                &pattern,
                TestSettings {
                    alpha,
                    page_k: DEFAULT_K,
                },
                n_seq,
                s,
                &cancelled(),
            )?;
            let days = sim.page.mean_alarm_period.map(|m| m * period_days);
            t.row(vec![
                name.into(),
                num(sim.page.detection_probability),
                days.map_or("-".into(), num),
                num(sim.shewhart.detection_probability),
                num(sim.total_muf),
                num(sim.gemuf),
            ]);
            sims.insert(
                if name.starts_with("abrupt") {
                    "abrupt".into()
                } else {
                    "protracted".into()
                },
                json!({
                    "page_detection_probability": sim.page.detection_probability,
                    "page_mean_detection_days": days,
                    "page_threshold": sim.page.threshold,
                    "shewhart_detection_probability": sim.shewhart.detection_probability,
                    "total_muf_detection_probability": sim.total_muf,
                    "gemuf_detection_probability": sim.gemuf,
                }),
            );
        }
        r.table(t);
        r.result_json("simulation", Value::Object(sims));
    }
    if let Some(b) = a.breakout_days {
        let eval = a.evaluation_days.unwrap_or(0.0);
        r.input("breakout_days", "Breakout time", b, "days", false)
            .input(
                "evaluation_days",
                "Balance evaluation time",
                eval,
                "days",
                a.evaluation_days.is_none(),
            );
        let t = timeliness::assess(
            b,
            period_days,
            eval,
            timeliness::DIRECT_USE_UNIRRADIATED_DAYS,
        )
        .map_err(|e| {
            AppError::Input(format!("--breakout-days {b} --evaluation-days {eval}: {e}"))
        })?;
        r.result(
            "timeliness_goal_days",
            "HEU timeliness goal (1 month)",
            t.goal_days,
            "days",
        )
        .result(
            "balance_detection_days",
            "Balance period + evaluation",
            t.detection_days,
            "days",
        )
        .result_text(
            "timeliness_goal_met",
            "Timeliness goal met",
            if t.goal_met() { "yes" } else { "no" },
        )
        .result(
            "timeliness_margin_days",
            "Margin to the goal",
            t.goal_margin_days,
            "days",
        )
        .result_text(
            "detected_before_breakout",
            "Balance closes before breakout completes",
            if t.detected_before_breakout() {
                "yes"
            } else {
                "no"
            },
        )
        .result(
            "warning_margin_days",
            "Breakout time − balance detection time",
            t.warning_margin_days,
            "days",
        );
        r.note("timeliness goal: IAEA Safeguards Glossary 2001 §3.20 (1 month for unirradiated direct-use material); the breakout time is given by hand (--breakout-days), not yet taken from a facility state");
    }
    for s in sources {
        r.note(format!("uncertainty source — {s}"));
    }
    r.note("cascade hold-up, traps and waste streams are not modelled; the declared balance closes (MUF = 0), so only σ and detection figures are meaningful");
    Ok(r)
}
