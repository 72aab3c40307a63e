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

use breakout::date::Date;
use breakout::deal::{ClauseKind, Deal, MachineScope, Sites, StockLimit};
use breakout::{Estimate, HEADLINE, MachineStatus, Weaponization};
use clap::{Args, ValueEnum};
use enrich::{Assay, ChemicalForm, Composition, CompoundMass};
use serde_json::json;

use super::deal::parse_date;
use std::str::FromStr;

use super::MonthRange;
use super::run::{self, GoalArg};
use crate::Answer;
use crate::data::bundled_machines;
use crate::deals::load;
use crate::document::{Document, Table, num};
use crate::error::{AppError, Outcome};
use crate::states::{self, CascadeRecord, ParamRecord, State, StateFile, StockRecord};

/// Reinstallation rate if the deal is broken, cascades per month: Iran deployed 3,226 machines
/// in 19 cascades between 27 May and 29 Aug 2024, 6.3 cascades a month (IAEA via [D7], [S14]).
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
}

/// No deal-floor flags: clap's defaults (one significant quantity, the 2024 reinstallation pace,
/// no weaponization time).
impl Default for FloorOptions {
    fn default() -> Self {
        FloorOptions {
            goal: GoalArg::Sq,
            reinstall_cascades_per_month: None,
            weaponization_months: None,
        }
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

/// The floor of `deal` on `date` (the base state's date if `None`).
///
/// # Errors
/// [`AppError`] for a state or estimate that cannot be made.
pub fn floor(deal: &Deal, base: &State, date: Date, o: &FloorOptions) -> Result<Floor, AppError> {
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
    let estimate = |rate: Option<f64>| -> Result<Estimate, AppError> {
        let mut a = args.clone();
        a.reinstall_cascades_per_month = rate;
        let opts = run::options(&a)?;
        let sc = states::scenario(&state, &lib, &opts)?;
        HEADLINE
            .prepare(&sc)
            .map_err(engine)?
            .estimate(&sc.central_values())
            .map_err(engine)
    };
    let rate = o
        .reinstall_cascades_per_month
        .unwrap_or(DEFAULT_REINSTALL_CASCADES_PER_MONTH);
    Ok(Floor {
        date,
        permitted: estimate(None)?,
        broken: estimate(Some(rate))?,
        changes,
        base: base.data.id.clone(),
    })
}

fn days(d: Option<f64>) -> String {
    d.map_or("never".into(), |d| {
        format!(
            "{} days ({} months)",
            num(d),
            num(d / enrich::units::DAYS_PER_MONTH)
        )
    })
}

/// The `results` of `deal floor`: breakout while the deal holds and if it is broken that day.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct FloorResult {
    /// Days to the first goal unit with permitted capacity only (`None`: never).
    pub permitted_first_sq_days: Option<f64>,
    /// Days to the first goal unit if the deal is broken that day, reinstalling (`None`: never).
    pub first_sq_days: Option<f64>,
    /// Capacity the deal permits, kg-SWU/yr.
    pub permitted_capacity_swu_per_yr: f64,
    /// Capacity once everything is reinstalled, kg-SWU/yr.
    pub capacity_if_broken_swu_per_yr: f64,
    /// Time to a weapon if broken, in words (with `--weaponization-months`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub weapon_if_broken: Option<String>,
    /// Time to a weapon if broken, days (with `--weaponization-months`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub weapon_days: Option<WeaponDays>,
    /// What the deal changed in the base state.
    pub changes: Vec<String>,
    /// One point a year over the deal's life (`--series yearly`, dated deals).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub series: Option<Vec<FloorPoint>>,
}

/// A range of days to a weapon.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct WeaponDays {
    /// Fastest, days.
    pub low: f64,
    /// Slowest, days.
    pub high: f64,
}

/// The floor on one day of the deal's life.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct FloorPoint {
    /// The day, YYYY-MM-DD.
    pub date: String,
    /// Days to the first unit while the deal holds (`None`: never).
    pub permitted_first_sq_days: Option<f64>,
    /// Days to the first unit if broken that day (`None`: never).
    pub first_sq_days: Option<f64>,
}

/// A deal's floor: the typed result and what its document also shows.
pub struct FloorEstimate {
    /// The deal.
    pub deal: Deal,
    /// Both estimates on the day.
    pub floor: Floor,
    /// Reinstallation rate if broken, cascades/month.
    pub rate: f64,
    /// The typed `results`.
    pub result: FloorResult,
}

/// The breakout floor of `deal_arg` on `date` (the deal's start if `None`), and over its life
/// with [`Series::Yearly`]: the typed result of `breakout deal floor`.
///
/// # Errors
/// [`AppError`] for a deal, state, date or estimate that cannot be made.
pub fn floor_estimate(
    deal_arg: &str,
    date: Option<&str>,
    series: Series,
    o: &FloorOptions,
) -> Result<FloorEstimate, AppError> {
    let deal = load(deal_arg)?;
    let base = base_state(&deal)?;
    let base_date: Date = base
        .data
        .as_of
        .parse()
        .map_err(|e: breakout::date::DateError| AppError::Input(e.to_string()))?;
    let date = match date {
        Some(d) => parse_date("--date", d)?,
        None => start_date(&deal, base_date),
    };
    let weapon = o
        .weaponization_months
        .map(|MonthRange { lo, hi }| Weaponization::new(lo, hi))
        .transpose()
        .map_err(|e| AppError::Usage(e.to_string()))?;
    let f = floor(&deal, &base, date, o)?;
    let rate = o
        .reinstall_cascades_per_month
        .unwrap_or(DEFAULT_REINSTALL_CASCADES_PER_MONTH);
    let weapon_days = weapon.zip(f.broken.first_unit_days).map(|(w, d)| {
        let (low, high) = w.weapon_days(d);
        WeaponDays { low, high }
    });
    // The deal's life: yearly until every dated limit has ended.
    let series = match (series, end_date(&deal)) {
        (Series::Yearly, Some(end)) => {
            let mut points = Vec::new();
            let mut d = date;
            while d <= end {
                let fl = floor(&deal, &base, d, o)?;
                points.push(FloorPoint {
                    date: d.to_string(),
                    permitted_first_sq_days: fl.permitted.first_unit_days,
                    first_sq_days: fl.broken.first_unit_days,
                });
                d = d.plus(1, 0, 0);
            }
            Some(points)
        }
        _ => None,
    };
    let result = FloorResult {
        permitted_first_sq_days: f.permitted.first_unit_days,
        first_sq_days: f.broken.first_unit_days,
        permitted_capacity_swu_per_yr: f.permitted.initial_capacity_swu_per_yr,
        capacity_if_broken_swu_per_yr: f.broken.final_capacity_swu_per_yr,
        weapon_if_broken: weapon_days.map(|w| format!("{}–{} days", num(w.low), num(w.high))),
        weapon_days,
        changes: f.changes.clone(),
        series,
    };
    Ok(FloorEstimate {
        deal,
        floor: f,
        rate,
        result,
    })
}

/// `breakout deal floor`: the document of [`floor_estimate`].
pub fn run_floor(deal_arg: &str, date: Option<String>, series: Series, o: &FloorOptions) -> Answer {
    let FloorEstimate {
        deal,
        floor: f,
        rate,
        result: res,
    } = floor_estimate(deal_arg, date.as_deref(), series, o)?;
    let date = f.date;
    let mut r = Document::new(
        "deal floor",
        format!("Breakout floor of {} on {}", deal.name, date),
    );
    r.input_value("deal", "Deal", json!(deal.id), deal.id.clone())
        .input_value("date", "Date", json!(date.to_string()), date.to_string())
        .input_value(
            "base_state",
            "Facility state the limits apply to",
            json!(f.base),
            f.base.clone(),
        )
        .input_value(
            "goal",
            "Goal",
            json!(f.broken.goal.describe()),
            f.broken.goal.describe(),
        )
        .input_value("model", "Model", json!(HEADLINE.id()), HEADLINE.describe())
        .input(
            "reinstall_cascades_per_month",
            "Reinstallation if broken",
            rate,
            "cascades/month",
            o.reinstall_cascades_per_month.is_none(),
        );
    r.result_text(
        "permitted_first_sq_days",
        "Breakout with permitted capacity only (deal holds)",
        &days(res.permitted_first_sq_days),
    )
    .result_json(
        "permitted_first_sq_days",
        json!(res.permitted_first_sq_days),
    )
    .result_text(
        "first_sq_days",
        "Breakout if the deal is broken that day (reinstalling)",
        &days(res.first_sq_days),
    )
    .result_json("first_sq_days", json!(res.first_sq_days))
    .result(
        "permitted_capacity_swu_per_yr",
        "Permitted capacity",
        res.permitted_capacity_swu_per_yr,
        "kg-SWU/yr",
    )
    .result(
        "capacity_if_broken_swu_per_yr",
        "Capacity once everything is reinstalled",
        res.capacity_if_broken_swu_per_yr,
        "kg-SWU/yr",
    );
    if let (Some(text), Some(w)) = (&res.weapon_if_broken, res.weapon_days) {
        r.result_text(
            "weapon_if_broken",
            "Time to a weapon if broken (separate range)",
            text,
        );
        r.result_json("weapon_days", json!(w));
    }
    let mut t = Table::new("What the deal changes in the base state", &["change"]);
    for c in &res.changes {
        t.row(vec![c.clone()]);
    }
    r.result_json("changes", json!(res.changes)).table(t);
    let mut steps = Table::new(
        "Timeline if broken (fixed-cascade model; `breakout run` shows the cascades)",
        &["from day", "to day", "step"],
    );
    for s in f.broken.steps.iter().take(30) {
        steps.row(vec![
            num(s.start_days),
            s.end_days.map_or("never".into(), num),
            s.what.clone(),
        ]);
    }
    r.table(steps);
    if let Some(points) = &res.series {
        let mut t = Table::new(
            "Over the deal's life (limits sunset)",
            &["date", "deal holds, days", "if broken, days"],
        );
        for p in points {
            t.row(vec![
                p.date.clone(),
                p.permitted_first_sq_days.map_or("never".into(), num),
                p.first_sq_days.map_or("never".into(), num),
            ]);
        }
        r.result_json("series", json!(points)).table(t);
    }
    r.note(format!("reinstallation default: {REINSTALL_SOURCE}"));
    r.note(format!(
        "deal holds: {}; if broken: {}",
        days(res.permitted_first_sq_days),
        days(res.first_sq_days)
    ));
    Ok((r, Outcome::Success))
}

/// The `results` of `deal compare`: each deal's floor and the reference states.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct CompareResult {
    /// The deals at their start, then "no deal" and the post-strike state.
    pub positions: Vec<Position>,
}

/// One row of `deal compare`: a deal at its start, or a reference state as it is.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Position {
    /// The deal id, or what the reference state stands for.
    pub position: String,
    /// The deal's name (deals only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The day of the floor, YYYY-MM-DD (deals only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// The state the deal's limits apply to (deals only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub base_state: Option<String>,
    /// The reference state (references only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
    /// Days to the first unit while the deal holds (a reference: as it is; `None`: never).
    pub permitted_first_sq_days: Option<f64>,
    /// Days to the first unit if broken (a reference: as it is; `None`: never).
    pub first_sq_days: Option<f64>,
    /// What the deal changed in the base state (deals only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub changes: Option<Vec<String>>,
    /// Numeric and text-only clauses of a deal: shown in the table, not part of `results`.
    #[serde(skip)]
    pub clauses: Option<(usize, usize)>,
}

/// The floors of `deals` side by side with the reference states: the typed result of
/// `breakout deal compare`.
///
/// # Errors
/// [`AppError`] for a deal, state or estimate that cannot be made.
pub fn compare(deals: &[String], o: &FloorOptions) -> Result<CompareResult, AppError> {
    let lib = bundled_machines()?;
    let mut positions = Vec::new();
    for id in deals {
        let deal = load(id)?;
        let base = base_state(&deal)?;
        let base_date: Date = base
            .data
            .as_of
            .parse()
            .map_err(|e: breakout::date::DateError| AppError::Input(e.to_string()))?;
        let f = floor(&deal, &base, start_date(&deal, base_date), o)?;
        let numeric = deal
            .clauses
            .iter()
            .filter(|c| !matches!(c.kind, ClauseKind::Text))
            .count();
        positions.push(Position {
            position: deal.id.clone(),
            name: Some(deal.name.clone()),
            date: Some(f.date.to_string()),
            base_state: Some(f.base),
            state: None,
            permitted_first_sq_days: f.permitted.first_unit_days,
            first_sq_days: f.broken.first_unit_days,
            changes: Some(f.changes),
            clauses: Some((numeric, deal.clauses.len() - numeric)),
        });
    }
    // References: no deal (the latest state as it is) and the strikes.
    let args = run::RunArgs {
        goal: o.goal,
        ..Default::default()
    };
    for (label, state) in [
        ("no deal (iran-2025-05 as it is)", "iran-2025-05"),
        ("after the June 2025 strikes", "iran-2025-06-strikes"),
    ] {
        let st = states::load(state)?;
        let opts = run::options(&args)?;
        let sc = states::scenario(&st, &lib, &opts)?;
        let e = HEADLINE
            .prepare(&sc)
            .and_then(|m| m.estimate(&sc.central_values()))
            .map_err(AppError::from)?;
        positions.push(Position {
            position: label.into(),
            name: None,
            date: None,
            base_state: None,
            state: Some(state.into()),
            permitted_first_sq_days: e.first_unit_days,
            first_sq_days: e.first_unit_days,
            changes: None,
            clauses: None,
        });
    }
    Ok(CompareResult { positions })
}

/// `breakout deal compare DEAL...`: the document of [`compare`].
pub fn run_compare(deals: &[String], o: &FloorOptions) -> Answer {
    let weapon = o
        .weaponization_months
        .map(|MonthRange { lo, hi }| Weaponization::new(lo, hi))
        .transpose()
        .map_err(|e| AppError::Usage(e.to_string()))?;
    let res = compare(deals, o)?;
    let mut r = Document::new(
        "deal compare",
        "Deals side by side: breakout floor and breakout if broken",
    );
    r.input_value("deals", "Deals", json!(deals), deals.join(", "))
        .input_value("model", "Model", json!(HEADLINE.id()), HEADLINE.describe());
    let mut t = Table::new(
        "Time to the goal (days; months in brackets)",
        &[
            "position",
            "clauses (numeric / text)",
            "deal holds",
            "if broken",
            "time to a weapon if broken",
        ],
    );
    let fmt = |d: Option<f64>| {
        d.map_or("never".into(), |d| {
            format!("{} ({})", num(d), num(d / enrich::units::DAYS_PER_MONTH))
        })
    };
    let weapon_text = |d: Option<f64>| match (weapon, d) {
        (Some(w), Some(d)) => {
            let (lo, hi) = w.weapon_days(d);
            format!("{}–{} days", num(lo), num(hi))
        }
        _ => "—".into(),
    };
    for p in &res.positions {
        t.row(vec![
            p.position.clone(),
            p.clauses.map_or("—".into(), |(numeric, text)| {
                format!("{numeric} / {text}")
            }),
            fmt(p.permitted_first_sq_days),
            fmt(p.first_sq_days),
            weapon_text(p.first_sq_days),
        ]);
    }
    r.result_json("positions", json!(res.positions)).table(t);
    r.note("each deal at its start (Implementation Day for the JCPOA; for the 2025 proposals, the base state's date, since their start is unspecified); `deal floor DEAL` shows the changes, the timeline and the series over the deal's life");
    r.note(format!(
        "if broken: stored and idle cascades reinstalled at {} cascades/month ({REINSTALL_SOURCE})",
        num(o
            .reinstall_cascades_per_month
            .unwrap_or(DEFAULT_REINSTALL_CASCADES_PER_MONTH))
    ));
    Ok((r, Outcome::Success))
}

#[cfg(test)]
mod tests {
    use super::*;

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
            }}}})
        );
        let d = serde_json::to_value(FloorOptions::default()).unwrap();
        assert_eq!(
            d,
            serde_json::json!({"goal": "sq", "reinstall_cascades_per_month": null, "weaponization_months": null})
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
