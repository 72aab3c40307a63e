//! Pieces of the cascade results shared by `design`, `marc` and `run`: typed streams and stage
//! rows (what their JSON serialises), and the stage table built from them.

use std::collections::BTreeMap;

use crate::document::{Table, num};
use enrich::cascade::{CascadeRun, Throughput};
use enrich::{Composition, Isotope};

/// A composition in percent by isotope name (`{"U234": x, ...}`), the isotopes present only.
pub type PctMap = BTreeMap<String, f64>;

/// A stream of a cascade: its mass, rate (if any) and composition.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Stream {
    /// Mass, kg U (for one year at the feed rate where the stream has a rate).
    pub kg_u: f64,
    /// Rate, kg U/yr (streams of a cascade run at a feed rate only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kg_u_per_yr: Option<f64>,
    /// Composition, at-% by isotope.
    pub at_pct: PctMap,
    /// Composition, wt-% by isotope.
    pub wt_pct: PctMap,
}

impl Stream {
    pub(super) fn new(c: &Composition, kg_u: f64, kg_u_per_yr: Option<f64>) -> Self {
        Stream {
            kg_u,
            kg_u_per_yr,
            at_pct: pct_map(c, false),
            wt_pct: pct_map(c, true),
        }
    }
}

/// One stage of a cascade run at a feed rate, 1 = the tails end.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct StageRow {
    /// Stage number from the tails end.
    pub stage: usize,
    /// Machines in the stage (when the cascade's machine counts are known).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub machines: Option<u32>,
    /// Cut θ (molar heads over stage feed).
    pub cut: f64,
    /// Stage feed, kg U/yr.
    pub feed_kg_u_per_yr: f64,
    /// Load per machine over its feed limit (when machine counts are known).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub load: Option<f64>,
    /// Stage feed, at-% by isotope.
    pub feed_at_pct: PctMap,
    /// Stage heads, at-% by isotope.
    pub heads_at_pct: PctMap,
    /// Stage tails, at-% by isotope.
    pub tails_at_pct: PctMap,
    /// Stage feed, wt-% by isotope.
    pub feed_wt_pct: PctMap,
    /// Stage heads, wt-% by isotope.
    pub heads_wt_pct: PctMap,
    /// Stage tails, wt-% by isotope.
    pub tails_wt_pct: PctMap,
}

/// The percentages of the isotopes present, at-% or wt-%.
fn pct_map(c: &Composition, wt: bool) -> PctMap {
    Isotope::ALL
        .into_iter()
        .filter(|iso| c.at_fraction(*iso) > 0.0)
        .map(|iso| {
            let v = if wt {
                c.wt_fraction(iso)
            } else {
                c.at_fraction(iso)
            };
            (iso.name().to_string(), 100.0 * v)
        })
        .collect()
}

/// "product" → "Product".
pub(super) fn title(what: &str) -> String {
    let mut c = what.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

/// The U-235 assay of a composition for the tables, wt-%.
pub(super) fn wt(c: &Composition) -> String {
    num(c.assay().wt_pct())
}

/// The product and tails streams of a cascade run at a feed rate (one year's masses).
pub(super) fn product_and_tails(run: &CascadeRun, flows: &Throughput) -> (Stream, Stream) {
    (
        Stream::new(
            &run.product,
            flows.product_kg_u_per_yr,
            Some(flows.product_kg_u_per_yr),
        ),
        Stream::new(
            &run.tails,
            flows.tails_kg_u_per_yr,
            Some(flows.tails_kg_u_per_yr),
        ),
    )
}

/// Every stage of a cascade run at a feed rate; machines and loads only when known.
pub(super) fn stage_rows(
    run: &CascadeRun,
    flows: &Throughput,
    machines_known: bool,
) -> Vec<StageRow> {
    let feed_kg_u_per_yr = flows.feed_kg_u_per_yr;
    // Stage flows are molar per unit cascade feed: converted to kg U with each stream's molar
    // mass, so a multi-isotope feed gives the right masses.
    let feed_mol_per_kg = 1000.0 / run.feed.molar_mass();
    run.stages
        .iter()
        .map(|s| StageRow {
            stage: s.stage,
            machines: machines_known.then_some(s.machines),
            cut: s.cut,
            feed_kg_u_per_yr: s.flow_per_feed
                * feed_kg_u_per_yr
                * feed_mol_per_kg
                * s.feed.molar_mass()
                / 1000.0,
            load: machines_known
                .then(|| s.load_at_max_feed * feed_kg_u_per_yr / run.max_feed_kg_u_per_yr),
            feed_at_pct: pct_map(&s.feed, false),
            heads_at_pct: pct_map(&s.heads, false),
            tails_at_pct: pct_map(&s.tails, false),
            feed_wt_pct: pct_map(&s.feed, true),
            heads_wt_pct: pct_map(&s.heads, true),
            tails_wt_pct: pct_map(&s.tails, true),
        })
        .collect()
}

/// The stage table (text) of `rows`, the stages of `run`.
pub(super) fn stage_table(run: &CascadeRun, rows: &[StageRow]) -> Table {
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
    for (row, s) in rows.iter().zip(&run.stages) {
        t.row(vec![
            row.stage.to_string(),
            row.machines.map_or(String::new(), |m| m.to_string()),
            num(row.cut),
            num(row.feed_kg_u_per_yr),
            row.load.map_or(String::new(), num),
            wt(&s.feed),
            wt(&s.heads),
            wt(&s.tails),
        ]);
    }
    t
}
