//! `cascade run`: given hardware run off-design on any feed, with batch recycling.

use super::output::*;
use super::*;
use crate::data::{bundled_cascade, cascade_from_toml};
use crate::document::{Document, Table, num};
use crate::error::AppError;
use enrich::MachineLibrary;
use enrich::cascade::{FeedRate, FixedCascade, MachineFeed, Passes, batch_recycle};
use serde_json::json;

pub(super) fn run_fixed(a: RunArgs, lib: &MachineLibrary) -> Result<Document, AppError> {
    let mut r = Document::new("cascade run", "Fixed cascade run off-design");
    // clap enforces these rules on the command line; a request built from JSON is checked here.
    for (flag, given) in [
        ("stages", a.stages.is_some()),
        ("cut", a.cut.is_some()),
        ("cuts", a.cuts.is_some()),
    ] {
        super::super::check_pair(flag, given, "cascade", a.cascade.is_some(), true)?;
    }
    super::super::check_pair("cut", a.cut.is_some(), "cuts", a.cuts.is_some(), true)?;
    super::super::check_pair(
        "batch_kg_u",
        a.batch_kg_u.is_some(),
        "recycle",
        a.recycle.is_some(),
        false,
    )?;
    super::super::check_pair(
        "feed_wt_pct",
        a.feed.feed_wt_pct.is_some(),
        "feed_at_pct",
        a.feed.feed_at_pct.is_some(),
        true,
    )?;
    let (cascade, machines_known, title) = match &a.cascade {
        Some(name) => {
            let file = match bundled_cascade(name)? {
                Some(f) => f,
                None => {
                    let text = std::fs::read_to_string(name).map_err(|e| {
                        AppError::Input(format!(
                            "`{name}` is neither a bundled cascade (ir1-164, ir1-174, ir2m-174, ir6-174) nor a readable file: {e}"
                        ))
                    })?;
                    cascade_from_toml(&text, name, lib)?
                }
            };
            r.input_value(
                "cascade",
                "Cascade",
                json!(file.id),
                format!("{} — {}", file.id, file.name),
            );
            if let Some(m) = &file.machine {
                r.input_value("cascade_machine", "Machine type", json!(m), m.clone());
            }
            if let Some(d) = file.design_feed {
                r.note(format!(
                    "the stage profile was designed for {} wt-% U-235 feed",
                    num(d.wt_pct())
                ));
            }
            r.note(format!("source: {}", file.source));
            if let Some(d) = &file.derivation {
                r.note(format!("derivation: {d}"));
            }
            let mut c = file.cascade;
            if a.machine.alpha.is_some()
                || a.machine.machine_feed_kg_u_per_yr.is_some()
                || a.machine.machine.is_some()
            {
                let m = a.machine.resolve(lib, &mut r)?;
                c = FixedCascade::new(
                    c.machines().to_vec(),
                    c.cuts().to_vec(),
                    c.feed_stage(),
                    m.separation,
                    m.limit.unwrap_or(c.machine_feed()),
                )?;
            }
            (c, true, file.name)
        }
        None => {
            let n = a.stages.ok_or_else(|| {
                AppError::Usage("give a cascade FILE|NAME, or --stages N --feed-stage K with --alpha or --machine".into())
            })?;
            // clap enforces this pairing on the command line; JSON requests reach here unchecked.
            let k = a
                .feed_stage
                .ok_or_else(|| AppError::Usage("--stages requires --feed-stage".into()))?;
            let m = a.machine.resolve(lib, &mut r)?;
            let cuts = match (a.cuts.as_ref().map(|l| &l.0), a.cut) {
                (Some(c), _) => {
                    r.input_value(
                        "cuts",
                        "Cuts",
                        json!(c),
                        c.iter().map(|x| num(*x)).collect::<Vec<_>>().join(", "),
                    );
                    c.clone()
                }
                (None, c) => {
                    r.input("cut", "Cut, every stage", c.unwrap_or(0.5), "", c.is_none());
                    vec![c.unwrap_or(0.5); n]
                }
            };
            let (machines, known) = match a.machines_per_stage.as_ref().map(|l| &l.0) {
                Some(v) => {
                    r.input_value(
                        "machines_per_stage",
                        "Machines per stage",
                        json!(v),
                        format!("{v:?}"),
                    );
                    (v.clone(), true)
                }
                None => (vec![1; n], false),
            };
            if known && m.limit.is_none() {
                return Err(AppError::Usage(
                    "--machines-per-stage needs --machine or --machine-feed-kg-u-per-yr (the feed limit per machine)".into(),
                ));
            }
            r.input("stages", "Stages", n as f64, "", false).input(
                "feed_stage",
                "Feed stage (from the tails end)",
                k as f64,
                "",
                false,
            );
            // Without machine counts there is no feed limit: an effectively infinite one keeps
            // the engine's maximum-feed arithmetic out of the way.
            let limit = match m.limit {
                Some(l) if known => l,
                _ => MachineFeed::new(1e300)?,
            };
            let c = FixedCascade::new(machines, cuts, k, m.separation, limit)
                .map_err(|e| AppError::Input(format!("cascade flags: {e}")))?;
            (c, known, format!("{n}-stage cascade"))
        }
    };
    let feed = a.feed.resolve(&mut r)?;
    let run = cascade.run(&feed)?;
    let rate = match a.feed_kg_u_per_yr {
        Some(f) => {
            r.input("feed_kg_u_per_yr", "Feed rate", f, "kg U/yr", false);
            if !(f.is_finite() && f > 0.0) {
                return Err(AppError::Input(format!(
                    "--feed-kg-u-per-yr {f} is not valid: expected a positive rate in kg U/yr"
                )));
            }
            f
        }
        None if machines_known => {
            r.input(
                "feed_kg_u_per_yr",
                "Feed rate",
                run.max_feed_kg_u_per_yr,
                "kg U/yr (the maximum)",
                true,
            );
            run.max_feed_kg_u_per_yr
        }
        None => {
            return Err(AppError::Usage(
                "give --feed-kg-u-per-yr (or --machines-per-stage with a machine, for the maximum feed)".into(),
            ));
        }
    };
    let t = run.at_feed_rate(rate)?;
    let n = cascade.stages();
    let k = cascade.feed_stage();
    r.result_text("cascade", "Cascade", &title)
        .result(
            "enriching_stages",
            "Enriching stages (feed stage included)",
            (n - k + 1) as f64,
            "",
        )
        .result("stripping_stages", "Stripping stages", (k - 1) as f64, "")
        .result(
            "product_wt_pct",
            "Product",
            run.product.assay().wt_pct(),
            "wt-% U-235",
        )
        .result(
            "tails_wt_pct",
            "Tails",
            run.tails.assay().wt_pct(),
            "wt-% U-235",
        )
        .result(
            "product_kg_u_per_yr",
            "Product rate",
            t.product_kg_u_per_yr,
            "kg U/yr",
        )
        .result(
            "tails_kg_u_per_yr",
            "Tails rate",
            t.tails_kg_u_per_yr,
            "kg U/yr",
        )
        .result(
            "separative_work_swu",
            "Separative work in one year",
            t.separative_power_swu_per_yr,
            "kg-SWU",
        );
    if machines_known {
        r.result(
            "total_machines",
            "Machines",
            cascade.total_machines() as f64,
            "",
        )
        .result(
            "max_feed_kg_u_per_yr",
            "Maximum feed (most loaded stage at its limit)",
            run.max_feed_kg_u_per_yr,
            "kg U/yr",
        )
        .result(
            "limiting_stage",
            "Limiting stage",
            run.limiting_stage as f64,
            "",
        )
        .result(
            "peak_load",
            "Peak machine load",
            t.peak_load,
            "of the limit",
        );
        if t.peak_load > 1.0 + 1e-9 {
            r.note(format!(
                "the feed rate exceeds the cascade's maximum of {} kg U/yr: machines in stage {} run at {}× their limit",
                num(run.max_feed_kg_u_per_yr),
                run.limiting_stage,
                num(t.peak_load)
            ));
        }
    }
    stage_outputs(&mut r, &run, &t, machines_known);
    if let Some(passes) = a.recycle {
        let batch = a.batch_kg_u.unwrap_or(rate);
        r.input(
            "recycle",
            "Batch-recycling passes",
            passes as f64,
            "",
            false,
        )
        .input("batch_kg_u", "Batch", batch, "kg U", a.batch_kg_u.is_none());
        let rate_rule = if a.feed_kg_u_per_yr.is_some() || !machines_known {
            FeedRate::AtMost(rate)
        } else {
            FeedRate::Max
        };
        let rate_rule = if machines_known {
            rate_rule
        } else {
            FeedRate::AtMost(rate)
        };
        let b = batch_recycle(&cascade, &feed, batch, Passes::Count(passes), rate_rule)
            .map_err(|e| AppError::Input(format!("--recycle: {e}")))?;
        let mut tab = Table::new(
            "Batch recycling (product of each pass feeds the next)",
            &[
                "pass",
                "feed kg U",
                "feed wt-%",
                "product kg U",
                "product wt-%",
                "tails wt-%",
                "feed kg U/yr",
                "days",
                "kg-SWU",
            ],
        );
        let mut js = Vec::new();
        for p in &b.passes {
            // Without machine counts every pass runs at the given rate.
            let rate_used = if machines_known {
                p.feed_kg_u_per_yr
            } else {
                rate
            };
            let days = p.feed_kg_u / rate_used * enrich::units::DAYS_PER_YEAR;
            tab.row(vec![
                p.pass.to_string(),
                num(p.feed_kg_u),
                wt(&p.run.feed),
                num(p.product_kg_u),
                wt(&p.run.product),
                wt(&p.run.tails),
                num(rate_used),
                num(days),
                num(p.separative_work_swu),
            ]);
            js.push(json!({
                "pass": p.pass, "feed": stream_json(&p.run.feed, p.feed_kg_u, None),
                "product": stream_json(&p.run.product, p.product_kg_u, None),
                "tails": stream_json(&p.run.tails, p.tails_kg_u, None),
                "feed_kg_u_per_yr": rate_used, "days": days, "separative_work_swu": p.separative_work_swu,
            }));
        }
        let total_days = b.total_days();
        r.result(
            "recycle_days",
            "Batch recycling, total time",
            total_days,
            "days",
        )
        .result(
            "recycle_product_kg_u",
            "Batch recycling, final product",
            b.product_kg_u(),
            "kg U",
        )
        .result(
            "recycle_product_wt_pct",
            "Batch recycling, final product",
            b.product().assay().wt_pct(),
            "wt-% U-235",
        )
        .result(
            "recycle_separative_work_swu",
            "Batch recycling, separative work",
            b.separative_work_swu(),
            "kg-SWU",
        )
        .result_json(
            "recycle",
            json!({
                "passes": js, "days": total_days,
                "product": stream_json(b.product(), b.product_kg_u(), None),
                "tails_kg_u": b.tails_kg_u(), "separative_work_swu": b.separative_work_swu(),
            }),
        )
        .table(tab)
        .note(
            "batch recycling ignores reconfiguration between passes, hold-up and equilibrium time",
        );
    }
    r.note("stream masses `kg_u` in JSON are for one year at the feed rate; stages are counted from the tails end");
    Ok(r)
}
