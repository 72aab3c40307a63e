//! `cascade design`: an ideal symmetric binary cascade for a product and tails assay, sized
//! from a machine or a throughput.

use super::output::*;
use super::*;
use crate::document::Document;
use crate::error::AppError;
use enrich::cascade::IdealCascade;
use enrich::{Assay, Composition, MachineLibrary};

pub(super) fn design(a: DesignArgs, lib: &MachineLibrary) -> Result<Document, AppError> {
    let mut r = Document::new("cascade design", "Symmetric ideal binary cascade");
    // clap enforces this on the command line; a request built from JSON is checked here.
    super::super::exactly_one(&[
        ("product_kg_u_per_yr", a.product_kg_u_per_yr.is_some()),
        ("machines", a.machines.is_some()),
    ])?;
    let feed = match (a.feed_wt_pct, a.feed_at_pct) {
        (_, Some(at)) => {
            r.input("feed_at_pct", "Feed assay", at, "at-% U-235", false);
            Assay::from_at_pct_binary(at)
                .map_err(|e| AppError::Input(format!("--feed-at-pct: {e}")))?
        }
        (w, None) => {
            r.input(
                "feed_wt_pct",
                "Feed assay",
                w.unwrap_or(0.711),
                "wt-% U-235",
                w.is_none(),
            );
            Assay::named_wt_pct("feed assay", w.unwrap_or(0.711))?
        }
    };
    let m = a.machine.resolve(lib, &mut r)?;
    let design = match (a.stages, a.feed_stage) {
        (Some(n), Some(k)) => {
            if k == 0 || k > n {
                return Err(AppError::Input(format!(
                    "--feed-stage {k} is not a stage of {n} (expected 1..={n}, counted from the tails end)"
                )));
            }
            r.input("stages", "Stages", n as f64, "", false).input(
                "feed_stage",
                "Feed stage (from the tails end)",
                k as f64,
                "",
                false,
            );
            IdealCascade::with_stages(feed, n - k + 1, k - 1, m.separation)?
        }
        _ => {
            let target = |w: Option<f64>,
                          at: Option<f64>,
                          what: &'static str,
                          flag: &str,
                          r: &mut Document| {
                match (w, at) {
                    (Some(x), _) => {
                        r.input(
                            &format!("{what}_wt_pct"),
                            &format!("{} target", title(what)),
                            x,
                            "wt-% U-235",
                            false,
                        );
                        Assay::named_wt_pct(
                            if what == "product" {
                                "product assay"
                            } else {
                                "tails assay"
                            },
                            x,
                        )
                        .map_err(AppError::from)
                    }
                    (None, Some(x)) => {
                        r.input(
                            &format!("{what}_at_pct"),
                            &format!("{} target", title(what)),
                            x,
                            "at-% U-235",
                            false,
                        );
                        Assay::from_at_pct_binary(x)
                            .map_err(|e| AppError::Input(format!("{flag}: {e}")))
                    }
                    (None, None) => Err(AppError::Usage(format!(
                        "give --{what}-wt-pct or --{what}-at-pct (or --stages and --feed-stage)"
                    ))),
                }
            };
            let xp = target(
                a.targets.product_wt_pct,
                a.targets.product_at_pct,
                "product",
                "--product-at-pct",
                &mut r,
            )?;
            let xt = target(
                a.targets.tails_wt_pct,
                a.targets.tails_at_pct,
                "tails",
                "--tails-at-pct",
                &mut r,
            )?;
            IdealCascade::for_assays(feed, xp, xt, m.separation)?
        }
    };
    let limit = m.limit.ok_or_else(|| {
        AppError::Usage("give --machine or --machine-feed-kg-u-per-yr to size the cascade".into())
    })?;
    let sized = match (a.product_kg_u_per_yr, a.machines) {
        (Some(p), _) => {
            r.input("product_kg_u_per_yr", "Product rate", p, "kg U/yr", false);
            design
                .sized_for_product(p, limit)
                .map_err(|e| AppError::Input(format!("--product-kg-u-per-yr: {e}")))?
        }
        (None, Some(n)) => {
            r.input("machines", "Machines", f64::from(n), "", false);
            design
                .fitted_to_machines(n, limit)
                .map_err(|e| AppError::Input(format!("--machines: {e}")))?
        }
        (None, None) => {
            return Err(AppError::Usage(
                "give one of --product-kg-u-per-yr, --machines".into(),
            ));
        }
    };
    let run = sized.cascade.run(&Composition::binary(feed))?;
    let f = sized.feed_kg_u_per_yr;
    let t = run.at_feed_rate(f)?;
    r.result(
        "enriching_stages",
        "Enriching stages (feed stage included)",
        design.enriching_stages as f64,
        "",
    )
    .result(
        "stripping_stages",
        "Stripping stages",
        design.stripping_stages as f64,
        "",
    )
    .result(
        "feed_stage",
        "Feed stage (from the tails end)",
        design.feed_stage() as f64,
        "",
    )
    .result(
        "total_machines",
        "Machines",
        sized.cascade.total_machines() as f64,
        "",
    )
    .result("feed_kg_u_per_yr", "Feed at the design point", f, "kg U/yr")
    .result(
        "product_wt_pct",
        "Product reached",
        design.product.wt_pct(),
        "wt-% U-235",
    )
    .result(
        "tails_wt_pct",
        "Tails reached",
        design.tails.wt_pct(),
        "wt-% U-235",
    )
    .result(
        "product_kg_u_per_yr",
        "Product",
        t.product_kg_u_per_yr,
        "kg U/yr",
    )
    .result(
        "separative_work_swu",
        "Separative work in one year",
        t.separative_power_swu_per_yr,
        "kg-SWU",
    )
    .result(
        "utilization",
        "Machine capacity used",
        sized.utilization(),
        "",
    )
    .result(
        "max_feed_kg_u_per_yr",
        "Maximum feed",
        run.max_feed_kg_u_per_yr,
        "kg U/yr",
    );
    if a.stages.is_none() {
        r.result(
            "enriching_stages_exact",
            "Enriching stages for the exact target",
            design.enriching_stages_exact,
            "",
        )
        .result(
            "stripping_stages_exact",
            "Stripping stages for the exact target",
            design.stripping_stages_exact,
            "",
        );
    }
    stage_outputs(&mut r, &run, &t, true);
    r.note("ideal symmetric stages (heads √α above, tails √α below the stage feed); whole stages, so the assays reached are at least as good as the targets")
        .note("JSON stream masses `kg_u` are for one year at the design feed");
    Ok(r)
}
