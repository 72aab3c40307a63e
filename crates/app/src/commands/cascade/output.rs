//! Pieces of the cascade documents shared by `design`, `marc` and `run`: stream
//! compositions as JSON and text, titles, and the stage-by-stage outputs.

use crate::document::{Document, Table, num};
use enrich::cascade::{CascadeRun, Throughput};
use enrich::{Composition, Isotope};
use serde_json::{Map, Value, json};

/// `{"U234": x, ...}` in percent for the isotopes present.
pub(super) fn pct_map(c: &Composition, wt: bool) -> Value {
    let mut m = Map::new();
    for iso in Isotope::ALL {
        if c.at_fraction(iso) > 0.0 {
            let v = if wt {
                c.wt_fraction(iso)
            } else {
                c.at_fraction(iso)
            };
            m.insert(iso.name().into(), json!(100.0 * v));
        }
    }
    Value::Object(m)
}

/// A stream: mass, rate (if any) and composition in at-% and wt-%.
pub(super) fn stream_json(c: &Composition, kg_u: f64, kg_u_per_yr: Option<f64>) -> Value {
    let mut v = json!({ "kg_u": kg_u, "at_pct": pct_map(c, false), "wt_pct": pct_map(c, true) });
    if let Some(r) = kg_u_per_yr {
        v["kg_u_per_yr"] = json!(r);
    }
    v
}

/// "product" → "Product".
pub(super) fn title(what: &str) -> String {
    let mut c = what.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

pub(super) fn wt(c: &Composition) -> String {
    num(c.assay().wt_pct())
}

/// The stage table (text) and `results.stages` (JSON).
/// The product and tails streams (JSON) and the per-stage table of a cascade run at a feed rate.
pub(super) fn stage_outputs(
    r: &mut Document,
    run: &CascadeRun,
    flows: &Throughput,
    machines_known: bool,
) {
    let feed_kg_u_per_yr = flows.feed_kg_u_per_yr;
    r.result_json(
        "product",
        stream_json(
            &run.product,
            flows.product_kg_u_per_yr,
            Some(flows.product_kg_u_per_yr),
        ),
    )
    .result_json(
        "tails",
        stream_json(
            &run.tails,
            flows.tails_kg_u_per_yr,
            Some(flows.tails_kg_u_per_yr),
        ),
    );
    let mut t = Table::new(
        "Stages (1 = tails end)",
        &[
            "stage",
            "machines",
            "cut",
            "feed kg U/yr",
            "load",
            "feed wt-% U-235",
            "heads wt-% U-235",
            "tails wt-% U-235",
        ],
    );
    let feed_mol_per_kg = 1000.0 / run.feed.molar_mass();
    let mut js = Vec::new();
    for s in &run.stages {
        let flow_kg =
            s.flow_per_feed * feed_kg_u_per_yr * feed_mol_per_kg * s.feed.molar_mass() / 1000.0;
        let load = s.load_at_max_feed * feed_kg_u_per_yr / run.max_feed_kg_u_per_yr;
        t.row(vec![
            s.stage.to_string(),
            if machines_known {
                s.machines.to_string()
            } else {
                String::new()
            },
            num(s.cut),
            num(flow_kg),
            if machines_known {
                num(load)
            } else {
                String::new()
            },
            wt(&s.feed),
            wt(&s.heads),
            wt(&s.tails),
        ]);
        let mut v = json!({
            "stage": s.stage, "cut": s.cut, "feed_kg_u_per_yr": flow_kg,
            "feed_at_pct": pct_map(&s.feed, false), "heads_at_pct": pct_map(&s.heads, false),
            "tails_at_pct": pct_map(&s.tails, false),
            "feed_wt_pct": pct_map(&s.feed, true), "heads_wt_pct": pct_map(&s.heads, true),
            "tails_wt_pct": pct_map(&s.tails, true),
        });
        if machines_known {
            v["machines"] = json!(s.machines);
            v["load"] = json!(load);
        }
        js.push(v);
    }
    r.result_json("stages", Value::Array(js)).table(t);
}
