//! The breakout floor of a deal: the most breakout-favourable state the deal allows, and how fast
//! breakout goes from it while the deal holds and if it is broken that day.
//!
//! The deal's limits in force on a date are applied to the facility state it starts from (the
//! deal file's `base_state`): stocks above the enrichment cap leave the country, the permitted
//! stockpile is filled to its cap at the highest permitted assay, machines beyond a cap, of a
//! banned type or at a banned site stop (idle at the site where the deal keeps them installed,
//! stored otherwise), and stored machines of a permitted type fill a cap that is not reached.
//! Every change is listed. The two numbers are the headline model's time to the goal from that
//! state with permitted capacity only, and with stored and idle cascades reinstalled at a rate.

mod document;
mod percentile;
mod result;

pub use document::{run_compare, run_floor};
pub use percentile::{
    DEFAULT_SAMPLES, DEFAULT_SEED, MonteCarloFloor, PercentileDays, PercentileOptions,
};
pub use result::{
    CompareResult, FloorEstimate, FloorPoint, FloorResult, Position, WeaponDays, compare,
    floor_estimate,
};

use breakout::date::Date;
use breakout::deal::{ClauseKind, Deal, MachineScope, Sites, StockLimit};
use breakout::{Estimate, HEADLINE, MachineStatus, Model, montecarlo};
use clap::{Args, ValueEnum};
use enrich::{Assay, ChemicalForm, Composition, CompoundMass};

use std::str::FromStr;

use super::MonthRange;
use super::run::{self, GoalArg};
use crate::data::bundled_machines;
use crate::document::num;
use crate::error::AppError;
use crate::states::{self, CascadeRecord, ParamRecord, State, StateFile, StockRecord};

/// Reinstallation rate if the deal is broken, cascades per month: Iran deployed 3,226 machines
/// in 19 cascades between 27 May and 29 Aug 2024, 6.3 cascades a month (IAEA via \[D7\], \[S14\]).
pub const DEFAULT_REINSTALL_CASCADES_PER_MONTH: f64 = 6.3;
const REINSTALL_SOURCE: &str = "6.3 cascades/month: 3,226 machines in 19 cascades deployed 27 May–29 Aug 2024 (IAEA, via [D7] and ISIS [S14]; iran-program.md §2.2)";

/// Options shared by `deal floor` and `deal compare`.
#[derive(Debug, Clone, Args, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct FloorOptions {
    /// Goal unit: sq (25 kg U-235 in HEU) or wgu (25 kg U at 90 wt-%).
    #[arg(long, value_enum, default_value_t = GoalArg::Sq)]
    pub goal: GoalArg,
    /// Reinstallation rate if the deal is broken, cascades/month [default: 6.3, Iran's 2024 pace].
    #[arg(long, value_name = "R")]
    pub reinstall_cascades_per_month: Option<f64>,
    /// Weaponization after the fissile material, months, e.g. 6..18 (reported separately).
    #[arg(long, value_name = "LO..HI", value_parser = MonthRange::from_str)]
    pub weaponization_months: Option<MonthRange>,
    /// Production model of both times: fixed-cascade (the headline's) or optimum (the operator's
    /// best schedule, as `run --model optimum`; slower: seconds per floor where cascades are
    /// reinstalled), or ideal (the least-SWU lower bound).
    #[arg(long, default_value = HEADLINE.id())]
    pub model: String,
}

/// No deal-floor flags: clap's defaults (one significant quantity, the 2024 reinstallation pace,
/// no weaponization time, the headline model).
impl Default for FloorOptions {
    fn default() -> Self {
        FloorOptions {
            goal: GoalArg::Sq,
            reinstall_cascades_per_month: None,
            weaponization_months: None,
            model: HEADLINE.id().into(),
        }
    }
}

impl FloorOptions {
    /// The production model `--model` names.
    ///
    /// # Errors
    /// [`AppError::Usage`] for a name that is not a model.
    pub fn model(&self) -> Result<Model, AppError> {
        self.model
            .parse()
            .map_err(|e: breakout::BreakoutError| AppError::Usage(e.to_string()))
    }
}

/// Which series a floor prints.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, ValueEnum, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "kebab-case")]
pub enum Series {
    #[default]
    /// One point per year of the deal's life (dated deals).
    Yearly,
    /// Only the date given (or the deal's start).
    None,
}

fn central(p: &ParamRecord) -> f64 {
    match p {
        ParamRecord::Number(x) => *x,
        other => other
            .to_param("machines")
            .map_or(0.0, breakout::Param::central),
    }
}

fn moved_like(
    c: &CascadeRecord,
    status: MachineStatus,
    machines: f64,
    cascades: u32,
    note: &str,
) -> CascadeRecord {
    CascadeRecord {
        machine: c.machine.clone(),
        status,
        machines: ParamRecord::Number(machines),
        cascades: cascades.max(1),
        online_after_days: None,
        source: format!("{} — {note}", c.source),
        assumption: c.assumption.clone(),
        design_feed_wt_pct: None,
        design_source: None,
        handles_wt_pct: None,
        handles_source: None,
    }
}

/// Splits `take` machines off the records selected by `pick` (in order) into records in `to`.
fn stop_machines(
    state: &mut StateFile,
    to: MachineStatus,
    mut take: f64,
    pick: &dyn Fn(&str, &CascadeRecord) -> bool,
    note: &str,
) {
    for site in &mut state.sites {
        let sid = site.id.to_ascii_lowercase();
        let mut extra = Vec::new();
        for c in site.cascades.iter_mut().filter(|c| pick(&sid, c)) {
            if take <= 0.0 {
                break;
            }
            let n = central(&c.machines);
            let k = n.min(take);
            let per = if c.cascades > 0 {
                n / f64::from(c.cascades)
            } else {
                n
            };
            let moved_cascades = if per > 0.0 {
                (k / per).round() as u32
            } else {
                0
            };
            c.machines = ParamRecord::Number(n - k);
            c.cascades = c.cascades.saturating_sub(moved_cascades);
            extra.push(moved_like(c, to, k, moved_cascades, note));
            take -= k;
        }
        site.cascades.retain(|c| central(&c.machines) > 0.0);
        site.cascades.extend(extra);
    }
}

/// The state the deal allows on `date`, from `base`, with the changes made.
pub fn permitted_state(base: &StateFile, deal: &Deal, date: Date) -> (StateFile, Vec<String>) {
    let mut st = base.clone();
    let mut notes = Vec::new();
    let in_force: Vec<_> = deal.clauses_in_force(date).collect();
    // Machines: type and site bans, caps, stored equipment, in that order. Which machines a
    // clause counts, how many it permits and what the rest become is `breakout::deal`'s rule.
    for c in &in_force {
        if !matches!(
            c.kind,
            ClauseKind::EnrichmentMachineTypes { .. } | ClauseKind::NoEnrichmentAt { .. }
        ) {
            continue;
        }
        let Some(to) = c.kind.excess_becomes() else {
            continue;
        };
        let what = if to == MachineStatus::Stored {
            "stop and are stored"
        } else {
            "stop enriching and stand idle"
        };
        for site in &mut st.sites {
            let sid = site.id.to_ascii_lowercase();
            for r in site
                .cascades
                .iter_mut()
                .filter(|r| c.kind.counts_machines(&sid, &r.machine, r.status))
            {
                notes.push(format!(
                    "{}: {} {} at {} {what} ({})",
                    c.id,
                    num(central(&r.machines)),
                    r.machine,
                    site.id,
                    c.reference
                ));
                r.status = to;
            }
        }
    }
    let counted = |st: &StateFile, kind: &ClauseKind| -> (f64, u32) {
        st.sites
            .iter()
            .flat_map(|s| {
                let sid = s.id.to_ascii_lowercase();
                s.cascades
                    .iter()
                    .filter(move |r| kind.counts_machines(&sid, &r.machine, r.status))
            })
            .fold((0.0, 0), |(n, k), r| {
                (n + central(&r.machines), k + r.cascades)
            })
    };
    for c in &in_force {
        if let ClauseKind::MachineCap {
            machine,
            sites,
            scope,
            ..
        } = &c.kind
        {
            let (total, cascades) = counted(&st, &c.kind);
            let (Some(allowed), Some(to)) = (
                c.kind.permitted_machines(total, cascades),
                c.kind.excess_becomes(),
            ) else {
                continue;
            };
            if total > allowed {
                let note = format!("removed to storage under {} ({})", c.id, c.reference);
                // Idle machines go first, then operating ones.
                for status in [MachineStatus::InstalledIdle, MachineStatus::Operating] {
                    let over = counted(&st, &c.kind).0 - allowed;
                    if over <= 0.0 {
                        break;
                    }
                    stop_machines(
                        &mut st,
                        to,
                        over,
                        &|sid, r| {
                            r.status == status && c.kind.counts_machines(sid, &r.machine, r.status)
                        },
                        &note,
                    );
                }
                notes.push(format!(
                    "{}: {} machines over the cap of {} stored ({})",
                    c.id,
                    num(total - allowed),
                    num(allowed),
                    c.reference
                ));
            } else if *scope == MachineScope::Enriching && allowed.is_finite() && total < allowed {
                // The most favourable state fills the cap from stored machines of the type.
                let Some(m) = machine else { continue };
                let mut room = allowed - total;
                let target_site = st.sites.iter().position(|s| sites.covers(&s.id));
                let Some(ts) = target_site else { continue };
                let mut moved = 0.0;
                for site in &mut st.sites {
                    for r in site.cascades.iter_mut().filter(|r| {
                        r.status == MachineStatus::Stored && r.machine.eq_ignore_ascii_case(m)
                    }) {
                        let k = central(&r.machines).min(room);
                        if k <= 0.0 {
                            continue;
                        }
                        r.machines = ParamRecord::Number(central(&r.machines) - k);
                        room -= k;
                        moved += k;
                    }
                    site.cascades.retain(|r| central(&r.machines) > 0.0);
                }
                if moved > 0.0 {
                    let per = 174.0;
                    st.sites[ts].cascades.push(CascadeRecord {
                        machine: m.clone(),
                        status: MachineStatus::Operating,
                        machines: ParamRecord::Number(moved),
                        cascades: ((moved / per).ceil() as u32).max(1),
                        online_after_days: None,
                        source: format!(
                            "reinstalled from storage up to the cap of {} ({})",
                            c.id, c.reference
                        ),
                        assumption: Some("cascades of 174 assumed for reinstalled machines".into()),
                        design_feed_wt_pct: None,
                        design_source: None,
                        handles_wt_pct: None,
                        handles_source: None,
                    });
                    notes.push(format!(
                        "{}: {} stored {m} brought into operation up to the cap of {}",
                        c.id,
                        num(moved),
                        num(allowed)
                    ));
                }
            }
        }
    }
    for c in &in_force {
        if !matches!(c.kind, ClauseKind::StoredEquipment { .. }) {
            continue;
        }
        let (idle, cascades) = counted(&st, &c.kind);
        let (Some(allowed), Some(to)) = (
            c.kind.permitted_machines(idle, cascades),
            c.kind.excess_becomes(),
        ) else {
            continue;
        };
        let over = idle - allowed;
        if over > 0.0 {
            let note = format!("stored under {} ({})", c.id, c.reference);
            stop_machines(
                &mut st,
                to,
                over,
                &|sid, r| c.kind.counts_machines(sid, &r.machine, r.status),
                &note,
            );
            notes.push(format!(
                "{}: {} idle machines removed to storage ({})",
                c.id,
                num(over),
                c.reference
            ));
        }
    }
    // Machines the deal destroys (or removes from the country) leave the state: nothing stored
    // there is left to reinstall if the deal is broken.
    for c in &in_force {
        if !matches!(c.kind, ClauseKind::ExcessDestroyed { .. }) {
            continue;
        }
        for site in &mut st.sites {
            let sid = site.id.to_ascii_lowercase();
            let before: f64 = site.cascades.iter().map(|r| central(&r.machines)).sum();
            site.cascades
                .retain(|r| !c.kind.counts_machines(&sid, &r.machine, r.status));
            let gone = before
                - site
                    .cascades
                    .iter()
                    .map(|r| central(&r.machines))
                    .sum::<f64>();
            if gone > 0.0 {
                notes.push(format!(
                    "{}: {} stored machines at {} destroyed or removed from the country ({})",
                    c.id,
                    num(gone),
                    site.id,
                    c.reference
                ));
            }
        }
    }
    // Stored machines that no clause in force restricts any more (the limits have sunset) may be
    // installed and run: the most favourable state has them operating.
    for site in &mut st.sites {
        let sid = site.id.to_ascii_lowercase();
        for r in site.cascades.iter_mut().filter(|r| {
            matches!(
                r.status,
                MachineStatus::Stored | MachineStatus::InstalledIdle
            )
        }) {
            if !in_force
                .iter()
                .any(|c| c.kind.restricts_machines(&sid, &r.machine))
            {
                notes.push(format!("no limit in force on {} {} at {}: the deal allows them to run, so they are counted as operating", num(central(&r.machines)), r.machine, site.id));
                r.status = MachineStatus::Operating;
            }
        }
    }
    // Stocks: enrichment cap, then stockpile caps (filled to the cap: the most favourable state).
    let no_enrichment = in_force
        .iter()
        .any(|c| matches!(&c.kind, ClauseKind::NoEnrichmentAt { sites: Sites::All }));
    let cap = in_force
        .iter()
        .filter_map(|c| match c.kind {
            ClauseKind::MaxEnrichment { max_wt_pct } => Some(max_wt_pct),
            _ => None,
        })
        .fold(if no_enrichment { 0.711 } else { f64::INFINITY }, f64::min);
    if cap.is_finite() {
        let before = st.stocks.len();
        st.stocks.retain(|s| s.assay_wt_pct <= cap + 1e-9);
        if st.stocks.len() < before {
            notes.push(format!("stocks above {} wt-% leave the country (shipped out or down-blended): {} stock entries removed", num(cap), before - st.stocks.len()));
        }
    }
    for c in &in_force {
        if let ClauseKind::StockpileCap {
            limit,
            above_wt_pct,
        } = c.kind
        {
            st.stocks.retain(|s| s.assay_wt_pct <= above_wt_pct);
            let assay_pct = if cap.is_finite() && cap > above_wt_pct {
                cap
            } else {
                above_wt_pct.max(0.711)
            };
            let kg_u = match limit {
                StockLimit::KgU(x) => x,
                StockLimit::KgUf6(x) => {
                    let a = Assay::from_wt_pct(assay_pct).unwrap_or(Assay::NATURAL);
                    CompoundMass::new(x, ChemicalForm::Uf6)
                        .map_or(0.0, |m| m.uranium(&Composition::binary(a)).kg())
                }
            };
            if kg_u > 0.0 && assay_pct > above_wt_pct {
                let site = st
                    .sites
                    .first()
                    .map_or_else(|| "unknown".to_string(), |s| s.id.clone());
                st.stocks.push(StockRecord {
                    site,
                    band: format!("up to {} % (the cap)", num(assay_pct)),
                    form: "UF6".into(),
                    assay_wt_pct: assay_pct,
                    mass_kg_u: Some(ParamRecord::Number(kg_u)),
                    mass_kg_compound: None,
                    available_fraction: None,
                    source: format!("{}: the permitted stockpile filled to its cap ({})", c.id, c.reference),
                    assumption: Some("the most breakout-favourable stock the clause allows: the cap, at the highest permitted assay".into()),
                });
                notes.push(format!(
                    "{}: enriched stock set to the cap, {} kg U at {} wt-% ({})",
                    c.id,
                    num(kg_u),
                    num(assay_pct),
                    c.reference
                ));
            } else {
                notes.push(format!("{}: no enriched stock ({})", c.id, c.reference));
            }
        }
    }
    if !in_force
        .iter()
        .any(|c| matches!(c.kind, ClauseKind::StockpileCap { .. }))
    {
        notes.push("no stockpile limit in force: the base state's stocks below the enrichment cap are kept as they are".into());
    }
    st.title = format!("{} under {} on {date}", base.title, deal.id);
    (st, notes)
}

/// Both estimates for a deal on a date.
pub struct Floor {
    /// The date.
    pub date: Date,
    /// Permitted capacity only.
    pub permitted: Estimate,
    /// Broken that day: reinstallation at the rate.
    pub broken: Estimate,
    /// What the deal changed in the base state.
    pub changes: Vec<String>,
    /// The base state.
    pub base: String,
    /// Both at a percentile of the Monte Carlo (with `--percentile`).
    pub at_percentile: Option<PercentileDays>,
}

/// The deal's start: the earliest dated `from` of its clauses, or `fallback`.
pub fn start_date(deal: &Deal, fallback: Date) -> Date {
    deal.clauses
        .iter()
        .filter_map(|c| deal.window(c).0)
        .min()
        .unwrap_or(fallback)
}

/// The last date a clause ends, if any end is dated.
fn end_date(deal: &Deal) -> Option<Date> {
    deal.clauses
        .iter()
        .filter(|c| !matches!(c.kind, ClauseKind::Text))
        .filter_map(|c| deal.window(c).1)
        .max()
}

/// The base state of a deal.
///
/// # Errors
/// [`AppError::Input`] if the deal names no base state or it does not load.
pub fn base_state(deal: &Deal) -> Result<State, AppError> {
    let id = deal.base_state.as_deref().ok_or_else(|| {
        AppError::Input(format!(
            "deal `{}` names no base_state: the floor needs the facility state the limits apply to",
            deal.id
        ))
    })?;
    states::load(id)
}

/// The date of a deal's base state (the state a floor's limits apply to).
///
/// # Errors
/// [`AppError::Input`] if the state's `as_of` is not a date.
pub fn base_date(base: &State) -> Result<Date, AppError> {
    base.data
        .as_of
        .parse()
        .map_err(|e: breakout::date::DateError| AppError::Input(e.to_string()))
}

/// The floor of `deal` on `date` (the base state's date if `None`).
///
/// # Errors
/// [`AppError`] for a state or estimate that cannot be made.
pub fn floor(deal: &Deal, base: &State, date: Date, o: &FloorOptions) -> Result<Floor, AppError> {
    floor_at(deal, base, date, o, None)
}

/// The floor of `deal` on `date`, and with `mc` also at a percentile of the Monte Carlo over the
/// permitted state's uncertain inputs (the draws of `breakout run --samples` on that state,
/// with the estimator prepared for the central value).
///
/// # Errors
/// [`AppError`] for a state or estimate that cannot be made; [`AppError::Cancelled`].
pub fn floor_at(
    deal: &Deal,
    base: &State,
    date: Date,
    o: &FloorOptions,
    mc: Option<&MonteCarloFloor>,
) -> Result<Floor, AppError> {
    let (permitted, changes) = permitted_state(&base.data, deal, date);
    let lib = bundled_machines()?;
    let args = run::RunArgs {
        goal: o.goal,
        ..Default::default()
    };
    let state = State {
        file: format!("{} (as permitted by {})", base.file, deal.id),
        data: permitted,
    };
    let engine = AppError::from;
    let model = o.model()?;
    // The central estimate, and with `mc` the percentile of the draws and how many never arrive.
    type AtPercentile = Option<(Option<f64>, usize)>;
    let estimate = |rate: Option<f64>| -> Result<(Estimate, AtPercentile), AppError> {
        let mut a = args.clone();
        a.reinstall_cascades_per_month = rate;
        let opts = run::options(&a)?;
        let sc = states::scenario(&state, &lib, &opts)?;
        let est = model.prepare(&sc).map_err(engine)?;
        let central = est.estimate(&sc.central_values()).map_err(engine)?;
        let Some(mc) = mc else {
            return Ok((central, None));
        };
        let cancel = crate::cancel::current();
        let mut days = montecarlo::sample_goal_days_cancellable(
            est.as_ref(),
            &sc,
            mc.samples,
            mc.seed,
            &|_| {},
            &|| cancel.is_cancelled(),
        )
        .map_err(engine)?;
        days.sort_by(f64::total_cmp);
        let never = days.iter().filter(|d| !d.is_finite()).count();
        Ok((
            central,
            Some((montecarlo::nearest_rank(&days, mc.percentile), never)),
        ))
    };
    let rate = o
        .reinstall_cascades_per_month
        .unwrap_or(DEFAULT_REINSTALL_CASCADES_PER_MONTH);
    let (permitted, p_permitted) = estimate(None)?;
    let (broken, p_broken) = estimate(Some(rate))?;
    let at_percentile =
        p_permitted
            .zip(p_broken)
            .map(
                |((permitted_days, permitted_never), (days, never))| PercentileDays {
                    permitted_first_sq_days: permitted_days,
                    first_sq_days: days,
                    permitted_never_draws: permitted_never,
                    never_draws: never,
                },
            );
    Ok(Floor {
        date,
        permitted,
        broken,
        changes,
        base: base.data.id.clone(),
        at_percentile,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::deals::load;

    #[derive(clap::Parser)]
    struct Cli {
        #[command(subcommand)]
        command: crate::Request,
    }

    /// `FloorOptions::default()` is what `breakout deal compare` without flags parses to, and
    /// what a request without those fields reads as.
    #[test]
    fn default_is_a_bare_compare() {
        let cli = <Cli as clap::Parser>::try_parse_from(["breakout", "deal", "compare"]).unwrap();
        let json = serde_json::to_value(&cli.command).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"deal": {"command": {"compare": {
                "deals": [],
                "goal": "sq",
                "reinstall_cascades_per_month": null,
                "weaponization_months": null,
                "model": "optimum",
            }}}})
        );
        let d = serde_json::to_value(FloorOptions::default()).unwrap();
        assert_eq!(
            d,
            serde_json::json!({"goal": "sq", "reinstall_cascades_per_month": null, "weaponization_months": null, "model": "optimum"})
        );
        let back: crate::Request =
            serde_json::from_str(r#"{"deal": {"command": {"compare": {}}}}"#).unwrap();
        assert_eq!(serde_json::to_value(&back).unwrap(), json);
    }

    fn operating(st: &StateFile, machine: &str, site: &str) -> f64 {
        st.sites
            .iter()
            .filter(|s| s.id.eq_ignore_ascii_case(site))
            .flat_map(|s| s.cascades.iter())
            .filter(|c| {
                c.status == MachineStatus::Operating && c.machine.eq_ignore_ascii_case(machine)
            })
            .map(|c| central(&c.machines))
            .sum()
    }

    /// The JCPOA's limits re-imposed on May 2025: 5,060 IR-1 at FEP, no advanced machine
    /// enriching, nothing enriching at Fordow, and one stock: the 300 kg UF6 cap at 3.67 %.
    #[test]
    fn reimposed_jcpoa_limits_on_2025() {
        let deal = load("jcpoa-reimposed-2025").unwrap();
        let base = base_state(&deal).unwrap();
        let (st, notes) = permitted_state(&base.data, &deal, "2025-06-01".parse().unwrap());
        assert!(
            (operating(&st, "IR-1", "fep") - 5060.0).abs() < 1e-9,
            "{notes:?}"
        );
        for (m, site) in [
            ("IR-2m", "fep"),
            ("IR-6", "fordow"),
            ("IR-1", "fordow"),
            ("IR-6", "pfep"),
        ] {
            assert!(
                operating(&st, m, site).abs() < 1e-9,
                "{m} at {site}: {notes:?}"
            );
        }
        assert_eq!(
            st.stocks.len(),
            1,
            "{:?}",
            st.stocks.iter().map(|s| &s.band).collect::<Vec<_>>()
        );
        let s = &st.stocks[0];
        assert!((s.assay_wt_pct - 3.67).abs() < 1e-12);
        let kg = match &s.mass_kg_u {
            Some(ParamRecord::Number(x)) => *x,
            _ => panic!("a fixed mass"),
        };
        assert!((kg - 202.83).abs() < 0.05, "{kg}");
        // Installed machines kept at Fordow stay within the 1,044 cap; the rest are stored.
        let installed: f64 = st
            .sites
            .iter()
            .filter(|s| s.id == "fordow")
            .flat_map(|s| s.cascades.iter())
            .filter(|c| c.status != MachineStatus::Stored)
            .map(|c| central(&c.machines))
            .sum();
        assert!(installed <= 1044.0 + 1e-9, "{installed}");
    }

    /// Destroying the excess leaves nothing stored: the reimposed JCPOA limits with the excess
    /// destroyed keep the 5,060 enriching IR-1 and Fordow's 1,044 idle IR-1 (which the deal
    /// keeps installed), so breaking the deal brings back far less than with storage.
    #[test]
    fn destroyed_excess_leaves_nothing_to_reinstall() {
        let text = crate::deals::BUNDLED
            .iter()
            .find(|(id, _)| *id == "jcpoa-reimposed-2025")
            .unwrap()
            .1
            .to_string()
            + "\n[[clause]]\nid = \"destroyed\"\nreference = \"test\"\nsummary = \"\"\nsource = \"test\"\nkind = \"excess-destroyed\"\nfrom = \"reimposition\"\n";
        let deal = crate::deals::deal_from_toml(&text, "test.toml").unwrap();
        let base = base_state(&deal).unwrap();
        let date = "2025-06-01".parse().unwrap();
        let (st, notes) = permitted_state(&base.data, &deal, date);
        let machines: Vec<_> = st.sites.iter().flat_map(|s| s.cascades.iter()).collect();
        assert!(
            machines.iter().all(|c| c.status != MachineStatus::Stored),
            "{notes:?}"
        );
        assert!((operating(&st, "IR-1", "fep") - 5060.0).abs() < 1e-9);
        let f = floor(&deal, &base, date, &FloorOptions::default()).unwrap();
        let kept = floor(
            &load("jcpoa-reimposed-2025").unwrap(),
            &base,
            date,
            &FloorOptions::default(),
        )
        .unwrap();
        assert!(kept.broken.first_unit_days < f.broken.first_unit_days);
    }

    /// Deal floors under the optimum: the reimposed JCPOA's floor on the May 2025 plant has 10
    /// kinds of cascade (the optimum took at most 8 before), breaking the deal is never slower
    /// than keeping it (reinstalled cascades only add capacity), and the model is the one asked
    /// for; a name that is not a model is a usage error.
    #[test]
    fn deal_floors_under_the_optimum() {
        let deal = load("jcpoa-reimposed-2025").unwrap();
        let base = base_state(&deal).unwrap();
        let date = start_date(&deal, base_date(&base).unwrap());
        let o = FloorOptions {
            model: "optimum".into(),
            ..FloorOptions::default()
        };
        let f = floor(&deal, &base, date, &o).unwrap();
        assert_eq!(f.broken.model, Model::Optimum);
        let days = |e: &Estimate| e.first_unit_days.map(|d| d.days()).unwrap();
        let (held, broken) = (days(&f.permitted), days(&f.broken));
        assert!(broken <= held * (1.0 + 1e-4), "{broken} {held}");
        // The fixed-cascade floor of the same deal, for scale: both within a factor of two.
        let fixed = floor(&deal, &base, date, &FloorOptions::default()).unwrap();
        let ratio = broken / days(&fixed.broken);
        assert!((0.5..2.0).contains(&ratio), "{broken} {ratio}");
        let bad = FloorOptions {
            model: "fastest".into(),
            ..FloorOptions::default()
        };
        assert!(matches!(
            floor(&deal, &base, date, &bad),
            Err(AppError::Usage(m)) if m.contains("fastest")
        ));
    }

    /// A yearly series says how far it has got, one floor at a time, ending with all of them:
    /// under the optimum each reinstalling floor takes seconds (jcpoa-2015's 17 took three
    /// minutes with nothing on the terminal).
    #[test]
    fn a_yearly_series_reports_each_floor() {
        struct Recorded(std::sync::Mutex<Vec<(u64, u64)>>);
        impl crate::Progress for Recorded {
            fn update(&self, what: &str, done: u64, total: u64) {
                assert_eq!(what, "floors");
                self.0.lock().unwrap().push((done, total));
            }
        }
        let seen = Recorded(std::sync::Mutex::new(Vec::new()));
        let est = floor_estimate(
            "jcpoa-2015",
            None,
            Series::Yearly,
            &FloorOptions::default(),
            &PercentileOptions::default(),
            &seen,
        )
        .unwrap();
        let points = est.result.series.unwrap().len() as u64;
        let seen = seen.0.into_inner().unwrap();
        let expected: Vec<(u64, u64)> = (0..=points + 1).map(|d| (d, points + 1)).collect();
        assert_eq!(seen, expected, "{points} yearly points");
    }

    #[test]
    fn zero_enrichment_leaves_nothing_running_and_no_enriched_stock() {
        let deal = load("zero-enrichment").unwrap();
        let base = base_state(&deal).unwrap();
        let (st, _) = permitted_state(&base.data, &deal, "2025-06-01".parse().unwrap());
        assert!(
            st.sites
                .iter()
                .flat_map(|s| s.cascades.iter())
                .all(|c| matches!(c.status, MachineStatus::Stored | MachineStatus::Building))
        );
        assert!(st.stocks.iter().all(|s| s.assay_wt_pct <= 0.711));
    }
}
