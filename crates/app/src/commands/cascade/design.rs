//! `cascade design`: an ideal symmetric binary cascade for a product and tails assay, sized
//! from a machine or a throughput. [`design`] computes the typed [`DesignResult`]; the document
//! is built from it.

use super::output::*;
use super::*;
use crate::document::Document;
use crate::error::AppError;
use enrich::cascade::{CascadeRun, IdealCascade};
use enrich::{Assay, Composition, MachineLibrary};

/// The `results` of `cascade design`: the ideal cascade, sized, run at its design feed.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct DesignResult {
    /// Enriching stages, the feed stage included (a count, as the JSON number it has always been).
    pub enriching_stages: f64,
    /// Stripping stages (a count).
    pub stripping_stages: f64,
    /// Feed stage, counted from the tails end.
    pub feed_stage: f64,
    /// Machines in the sized cascade (a count).
    pub total_machines: f64,
    /// Feed at the design point, kg U/yr.
    pub feed_kg_u_per_yr: f64,
    /// Product assay reached, wt-% U-235.
    pub product_wt_pct: f64,
    /// Tails assay reached, wt-% U-235.
    pub tails_wt_pct: f64,
    /// Product, kg U/yr.
    pub product_kg_u_per_yr: f64,
    /// Separative work in one year, kg-SWU.
    pub separative_work_swu: f64,
    /// Machine capacity used, a fraction.
    pub utilization: f64,
    /// Maximum feed of the sized cascade, kg U/yr.
    pub max_feed_kg_u_per_yr: f64,
    /// Real-valued enriching stages for the exact targets (designs from assay targets only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub enriching_stages_exact: Option<f64>,
    /// Real-valued stripping stages for the exact targets (designs from assay targets only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stripping_stages_exact: Option<f64>,
    /// Product stream, one year at the design feed.
    pub product: Stream,
    /// Tails stream, one year at the design feed.
    pub tails: Stream,
    /// Every stage, tails end first.
    pub stages: Vec<StageRow>,
}

/// Feed assay without a flag: natural uranium, wt-% U-235.
const DEFAULT_FEED_WT_PCT: f64 = 0.711;

/// A design and what its document shows besides the result.
struct Design {
    machine: Resolved,
    run: CascadeRun,
    result: DesignResult,
}

/// The ideal symmetric binary cascade of `a` (assay targets or a stage layout), sized for a
/// product rate or a number of machines from `lib`: the typed result of `breakout cascade
/// design`.
///
/// # Errors
/// [`AppError::Usage`] for flags that do not fit together (also when the request came as JSON,
/// past clap's checks), [`AppError::Input`] for values the engine rejects.
pub fn design(a: &DesignArgs, lib: &MachineLibrary) -> Result<DesignResult, AppError> {
    solve(a, lib).map(|d| d.result)
}

fn solve(a: &DesignArgs, lib: &MachineLibrary) -> Result<Design, AppError> {
    // clap enforces these rules on the command line; a request built from JSON is checked here.
    super::super::exactly_one(&[
        ("product_kg_u_per_yr", a.product_kg_u_per_yr.is_some()),
        ("machines", a.machines.is_some()),
    ])?;
    super::super::check_pair(
        "feed_wt_pct",
        a.feed_wt_pct.is_some(),
        "feed_at_pct",
        a.feed_at_pct.is_some(),
        true,
    )?;
    a.targets.check_exclusive()?;
    for (flag, given) in a.targets.given() {
        super::super::check_pair("stages", a.stages.is_some(), flag, given, true)?;
    }
    super::super::check_pair(
        "stages",
        a.stages.is_some(),
        "feed_stage",
        a.feed_stage.is_some(),
        false,
    )?;
    super::super::check_pair(
        "feed_stage",
        a.feed_stage.is_some(),
        "stages",
        a.stages.is_some(),
        false,
    )?;
    let feed = match (a.feed_wt_pct, a.feed_at_pct) {
        (_, Some(at)) => Assay::from_at_pct_binary(at)
            .map_err(|e| AppError::Input(format!("--feed-at-pct: {e}")))?,
        (w, None) => Assay::named_wt_pct("feed assay", w.unwrap_or(DEFAULT_FEED_WT_PCT))?,
    };
    let m = a.machine.resolve(lib)?;
    let design = match (a.stages, a.feed_stage) {
        (Some(n), Some(k)) => {
            if k == 0 || k > n {
                return Err(AppError::Input(format!(
                    "--feed-stage {k} is not a stage of {n} (expected 1..={n}, counted from the tails end)"
                )));
            }
            IdealCascade::with_stages(feed, n - k + 1, k - 1, m.separation)?
        }
        _ => {
            let target = |w: Option<f64>, at: Option<f64>, what: &str| match (w, at) {
                (Some(x), _) => Assay::named_wt_pct(
                    if what == "product" {
                        "product assay"
                    } else {
                        "tails assay"
                    },
                    x,
                )
                .map_err(AppError::from),
                (None, Some(x)) => Assay::from_at_pct_binary(x)
                    .map_err(|e| AppError::Input(format!("--{what}-at-pct: {e}"))),
                (None, None) => Err(AppError::Usage(format!(
                    "give --{what}-wt-pct or --{what}-at-pct (or --stages and --feed-stage)"
                ))),
            };
            let xp = target(
                a.targets.product_wt_pct,
                a.targets.product_at_pct,
                "product",
            )?;
            let xt = target(a.targets.tails_wt_pct, a.targets.tails_at_pct, "tails")?;
            IdealCascade::for_assays(feed, xp, xt, m.separation)?
        }
    };
    let limit = m.limit.ok_or_else(|| {
        AppError::Usage("give --machine or --machine-feed-kg-u-per-yr to size the cascade".into())
    })?;
    let sized = match (a.product_kg_u_per_yr, a.machines) {
        (Some(p), _) => design
            .sized_for_product(p, limit)
            .map_err(|e| AppError::Input(format!("--product-kg-u-per-yr: {e}")))?,
        (None, Some(n)) => design
            .fitted_to_machines(n, limit)
            .map_err(|e| AppError::Input(format!("--machines: {e}")))?,
        (None, None) => {
            return Err(AppError::Usage(
                "give one of --product-kg-u-per-yr, --machines".into(),
            ));
        }
    };
    let run = sized.cascade.run(&Composition::binary(feed))?;
    let f = sized.feed_kg_u_per_yr;
    let t = run.at_feed_rate(f)?;
    let (product, tails) = product_and_tails(&run, &t);
    // The exact stage counts answer assay targets; a given layout has none.
    let exact = a.stages.is_none();
    let result = DesignResult {
        enriching_stages: design.enriching_stages as f64,
        stripping_stages: design.stripping_stages as f64,
        feed_stage: design.feed_stage() as f64,
        total_machines: sized.cascade.total_machines() as f64,
        feed_kg_u_per_yr: f,
        product_wt_pct: design.product.wt_pct(),
        tails_wt_pct: design.tails.wt_pct(),
        product_kg_u_per_yr: t.product_kg_u_per_yr,
        separative_work_swu: t.separative_power_swu_per_yr,
        utilization: sized.utilization(),
        max_feed_kg_u_per_yr: run.max_feed_kg_u_per_yr,
        enriching_stages_exact: exact.then_some(design.enriching_stages_exact),
        stripping_stages_exact: exact.then_some(design.stripping_stages_exact),
        product,
        tails,
        stages: stage_rows(&run, &t, true),
    };
    Ok(Design {
        machine: m,
        run,
        result,
    })
}

/// `breakout cascade design`: the document of [`design`].
pub(super) fn design_document(a: &DesignArgs, lib: &MachineLibrary) -> Result<Document, AppError> {
    let Design {
        machine,
        run,
        result: res,
    } = solve(a, lib)?;
    let mut r = Document::new("cascade design", "Symmetric ideal binary cascade");
    match a.feed_at_pct {
        Some(at) => r.input("feed_at_pct", "Feed assay", at, "at-% U-235", false),
        None => r.input(
            "feed_wt_pct",
            "Feed assay",
            a.feed_wt_pct.unwrap_or(DEFAULT_FEED_WT_PCT),
            "wt-% U-235",
            a.feed_wt_pct.is_none(),
        ),
    };
    a.machine.record(&machine, &mut r);
    match (a.stages, a.feed_stage) {
        (Some(n), Some(k)) => {
            r.input("stages", "Stages", n as f64, "", false).input(
                "feed_stage",
                "Feed stage (from the tails end)",
                k as f64,
                "",
                false,
            );
        }
        _ => {
            for (what, w, at) in [
                (
                    "product",
                    a.targets.product_wt_pct,
                    a.targets.product_at_pct,
                ),
                ("tails", a.targets.tails_wt_pct, a.targets.tails_at_pct),
            ] {
                let label = format!("{} target", title(what));
                match (w, at) {
                    (Some(x), _) => {
                        r.input(&format!("{what}_wt_pct"), &label, x, "wt-% U-235", false)
                    }
                    (None, Some(x)) => {
                        r.input(&format!("{what}_at_pct"), &label, x, "at-% U-235", false)
                    }
                    (None, None) => unreachable!("solved: one form of each target"),
                };
            }
        }
    }
    match (a.product_kg_u_per_yr, a.machines) {
        (Some(p), _) => r.input("product_kg_u_per_yr", "Product rate", p, "kg U/yr", false),
        (None, Some(n)) => r.input("machines", "Machines", f64::from(n), "", false),
        (None, None) => unreachable!("solved: one of the two sizes"),
    };
    r.result(
        "enriching_stages",
        "Enriching stages (feed stage included)",
        res.enriching_stages,
        "",
    )
    .result(
        "stripping_stages",
        "Stripping stages",
        res.stripping_stages,
        "",
    )
    .result(
        "feed_stage",
        "Feed stage (from the tails end)",
        res.feed_stage,
        "",
    )
    .result("total_machines", "Machines", res.total_machines, "")
    .result(
        "feed_kg_u_per_yr",
        "Feed at the design point",
        res.feed_kg_u_per_yr,
        "kg U/yr",
    )
    .result(
        "product_wt_pct",
        "Product reached",
        res.product_wt_pct,
        "wt-% U-235",
    )
    .result(
        "tails_wt_pct",
        "Tails reached",
        res.tails_wt_pct,
        "wt-% U-235",
    )
    .result(
        "product_kg_u_per_yr",
        "Product",
        res.product_kg_u_per_yr,
        "kg U/yr",
    )
    .result(
        "separative_work_swu",
        "Separative work in one year",
        res.separative_work_swu,
        "kg-SWU",
    )
    .result("utilization", "Machine capacity used", res.utilization, "")
    .result(
        "max_feed_kg_u_per_yr",
        "Maximum feed",
        res.max_feed_kg_u_per_yr,
        "kg U/yr",
    );
    if let (Some(n), Some(m)) = (res.enriching_stages_exact, res.stripping_stages_exact) {
        r.result(
            "enriching_stages_exact",
            "Enriching stages for the exact target",
            n,
            "",
        )
        .result(
            "stripping_stages_exact",
            "Stripping stages for the exact target",
            m,
            "",
        );
    }
    r.result_json("product", json!(res.product))
        .result_json("tails", json!(res.tails))
        .result_json("stages", json!(res.stages))
        .table(stage_table(&run, &res.stages));
    r.note("ideal symmetric stages (heads √α above, tails √α below the stage feed); whole stages, so the assays reached are at least as good as the targets")
        .note("JSON stream masses `kg_u` are for one year at the design feed");
    Ok(r)
}
