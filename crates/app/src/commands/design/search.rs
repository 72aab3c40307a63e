//! The candidates of a design space as deal files, their evaluation by `deal floor`, and the
//! pruned search for the frontier.

use std::collections::BTreeMap;

use breakout::date::Date;
use enrich::Days;
use enrich::units::DAYS_PER_MONTH;

use super::DesignArgs;
use super::result::{
    DesignResult, EvaluatedPoint, FrontierPoint, Levers, MachineLimit, ReferencePoint,
};
use crate::commands::floor::{FloorOptions, MonteCarloFloor, PercentileDays, base_date, floor_at};
use crate::deals::deal_from_toml;
use crate::design::{self, DesignSpace, Fate, StockForm};
use crate::error::AppError;
use crate::states::{self, State};

/// One value index per lever, in the order of [`DesignSpace::dims`].
pub type Candidate = Vec<usize>;

/// A candidate's floor: days to the first goal unit while the deal holds and if it is broken
/// (`None`: never), and the capacity it permits.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Evaluation {
    /// Days while the deal holds.
    pub permitted_first_sq_days: Option<f64>,
    /// Days if broken that day, reinstalling.
    pub first_sq_days: Option<f64>,
    /// Capacity the deal permits, kg-SWU/yr.
    pub permitted_capacity_swu_per_yr: f64,
    /// Both at the percentile of the Monte Carlo (with `--percentile`): the target applies to
    /// these.
    pub at_percentile: Option<PercentileDays>,
}

/// The levers of candidate `c`.
pub fn levers(space: &DesignSpace, c: &[usize]) -> Levers {
    Levers {
        enrichment_cap_wt_pct: space.caps_wt_pct[c[0]],
        stock_cap_kg: space.stock_caps_kg[c[1]],
        stock_cap_form: space.stock_form,
        machines: space
            .machines
            .iter()
            .enumerate()
            .map(|(i, m)| MachineLimit {
                site: m.site.clone(),
                machine: m.machine.clone(),
                max_enriching: m.values[c[2 + i]],
            })
            .collect(),
        excess: space.fates[c[2 + space.machines.len()]],
    }
}

fn quoted(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

/// Every (site, machine type) of the base state, in file order.
fn site_types(base: &State) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for s in &base.data.sites {
        for c in &s.cascades {
            let key = (s.id.clone(), c.machine.clone());
            if !out.contains(&key) {
                out.push(key);
            }
        }
    }
    out
}

/// Candidate `c` as a deal file that `breakout deal floor` reads: its limits run from an
/// unspecified agreement day for the space's term, and apply to `base_state`.
pub fn deal_toml(space: &DesignSpace, base_state: &str, base: &State, c: &[usize]) -> String {
    let l = levers(space, c);
    let name: Vec<String> = c.iter().map(usize::to_string).collect();
    let until = format!("agreement + {}y", space.sunset_years);
    let mut t = format!(
        "schema_version = 1\nid = {}\nname = {}\nsummary = {}\nsource = {}\nbase_state = {}\n\n\
         [[milestone]]\nname = \"agreement\"\ndate = \"unspecified\"\nsource = \"A designed deal: its limits count from the (unspecified) day it takes effect.\"\n",
        quoted(&format!("design-{}-{}", space.id, name.join("-"))),
        quoted(&format!("Designed deal ({})", l.describe())),
        quoted(&format!(
            "A candidate of the design space `{}` ({}), written by `breakout deal design`.",
            space.id, space.name
        )),
        quoted(&format!(
            "breakout deal design; term: {}",
            space.sunset_source
        )),
        quoted(base_state),
    );
    let mut clause = |id: &str, summary: &str, source: &str, body: &str| {
        t.push_str(&format!(
            "\n[[clause]]\nid = {}\nreference = \"designed\"\nsummary = {}\nsource = {}\n{body}from = \"agreement\"\nuntil = \"{until}\"\n",
            quoted(id),
            quoted(summary),
            quoted(source)
        ));
    };
    if l.enrichment_cap_wt_pct > 0.0 {
        clause(
            "enrichment-cap",
            &format!("Enrich only up to {} wt-% U-235.", l.enrichment_cap_wt_pct),
            &space.caps_source,
            &format!(
                "kind = \"max-enrichment\"\nmax_wt_pct = {:?}\n",
                l.enrichment_cap_wt_pct
            ),
        );
    } else {
        clause(
            "no-enrichment",
            "No enrichment at any site.",
            &space.caps_source,
            "kind = \"no-enrichment\"\n",
        );
    }
    let (field, unit) = match l.stock_cap_form {
        StockForm::Uf6 => ("max_kg_uf6", "kg UF6 or the equivalent"),
        StockForm::U => ("max_kg_u", "kg U"),
    };
    clause(
        "stockpile-cap",
        &format!(
            "Hold at most {} {unit} of enriched uranium.",
            l.stock_cap_kg
        ),
        &space.stock_source,
        &format!(
            "kind = \"stockpile-cap\"\n{field} = {:?}\nabove_wt_pct = 0.711\n",
            l.stock_cap_kg
        ),
    );
    // Under a ban on enrichment the machine levers have nothing to cap.
    if l.enrichment_cap_wt_pct > 0.0 {
        for (site, machine) in site_types(base) {
            let lever = space.machines.iter().zip(&l.machines).find(|(m, _)| {
                m.site.eq_ignore_ascii_case(&site) && m.machine.eq_ignore_ascii_case(&machine)
            });
            let (n, source) = match lever {
                Some((m, limit)) => (limit.max_enriching, m.source.as_str()),
                None => (0, "no lever of the design space: none enriching"),
            };
            clause(
                &format!("{}-{}-cap", site, machine).to_ascii_lowercase(),
                &format!("At most {n} {machine} enriching at {site}."),
                source,
                &format!(
                    "kind = \"machine-cap\"\nmachine = {}\nsites = [{}]\nscope = \"enriching\"\nmax_machines = {n}\n",
                    quoted(&machine),
                    quoted(&site)
                ),
            );
        }
    }
    clause(
        "no-idle-machines",
        "Machines not allowed to enrich are removed from the halls: none installed idle.",
        &space.fates_source,
        "kind = \"stored-equipment\"\nmax_installed_idle = 0\n",
    );
    if l.excess == Fate::Destroyed {
        clause(
            "excess-destroyed",
            "Machines not allowed to enrich are destroyed or removed from the country.",
            &space.fates_source,
            "kind = \"excess-destroyed\"\n",
        );
    }
    t
}

/// The floor of deal text `toml` on `date`, as `breakout deal floor` computes it.
///
/// # Errors
/// [`AppError`] for a deal or estimate that cannot be made.
pub fn evaluate(
    toml: &str,
    base: &State,
    date: Date,
    o: &FloorOptions,
    mc: Option<&MonteCarloFloor>,
) -> Result<Evaluation, AppError> {
    let deal = deal_from_toml(toml, "designed deal")?;
    let f = floor_at(&deal, base, date, o, mc)?;
    Ok(Evaluation {
        permitted_first_sq_days: f.permitted.first_unit_days.map(Days::days),
        first_sq_days: f.broken.first_unit_days.map(Days::days),
        permitted_capacity_swu_per_yr: f.permitted.initial_capacity_swu_per_yr,
        at_percentile: f.at_percentile,
    })
}

/// The evaluations made so far, by candidate, and what the target is.
struct Evaluator<'a> {
    space: &'a DesignSpace,
    base_state: &'a str,
    base: &'a State,
    date: Date,
    options: FloorOptions,
    monte_carlo: Option<MonteCarloFloor>,
    target_days: f64,
    if_broken: bool,
    done: BTreeMap<Candidate, Evaluation>,
}

impl Evaluator<'_> {
    fn eval(&mut self, c: &[usize]) -> Result<Evaluation, AppError> {
        if let Some(e) = self.done.get(c) {
            return Ok(*e);
        }
        let text = deal_toml(self.space, self.base_state, self.base, c);
        let e = evaluate(
            &text,
            self.base,
            self.date,
            &self.options,
            self.monte_carlo.as_ref(),
        )?;
        self.done.insert(c.to_vec(), e);
        Ok(e)
    }

    /// Whether `e` meets the target: its percentile floor with `--percentile`, else its
    /// central floor; "never" meets any target.
    fn meets(&self, e: &Evaluation) -> bool {
        let ok = |d: Option<f64>| d.is_none_or(|d| d >= self.target_days);
        let (holds, broken) = match &e.at_percentile {
            Some(p) => (p.permitted_first_sq_days, p.first_sq_days),
            None => (e.permitted_first_sq_days, e.first_sq_days),
        };
        ok(holds) && (!self.if_broken || ok(broken))
    }

    fn feasible(&mut self, c: &[usize]) -> Result<bool, AppError> {
        let e = self.eval(c)?;
        Ok(self.meets(&e))
    }
}

/// `c` with lever `d` one step less restrictive, if it has a next value.
fn relaxed(c: &[usize], d: usize, dims: &[usize]) -> Option<Candidate> {
    (c[d] + 1 < dims[d]).then(|| {
        let mut r = c.to_vec();
        r[d] += 1;
        r
    })
}

/// Runs `breakout deal design`: the frontier of the space for the target, and every point
/// evaluated.
///
/// # Errors
/// [`AppError::Usage`] for a bad target or override, [`AppError::Input`] for a space or state
/// that does not load, [`AppError::Cancelled`].
pub fn design(a: &DesignArgs, progress: &dyn crate::Progress) -> Result<DesignResult, AppError> {
    if !(a.min_months.is_finite() && a.min_months > 0.0 && a.min_months <= 1200.0) {
        return Err(AppError::Usage(format!(
            "--min-months {}: expected a number of months in (0, 1200]",
            a.min_months
        )));
    }
    let monte_carlo = a.percentile_options().resolve()?;
    let mut space = design::load(a.space.as_deref().unwrap_or(design::BUNDLED.0))?;
    space.override_with(
        a.cap_wt_pct.as_ref().map(|l| l.0.as_slice()),
        a.stock_cap_kg.as_deref(),
        &a.machines,
        a.fates.as_deref(),
    )?;
    let base_state = a
        .base_state
        .clone()
        .unwrap_or_else(|| space.base_state.clone());
    let base = states::load(&base_state)?;
    let dims = space.dims();
    let mut ev = Evaluator {
        space: &space,
        base_state: &base_state,
        base: &base,
        date: base_date(&base)?,
        options: a.floor_options(),
        monte_carlo,
        target_days: a.min_months * DAYS_PER_MONTH,
        if_broken: a.if_broken,
        done: BTreeMap::new(),
    };
    // Lines along the stock cap (lever 1): for each setting of the other levers, the most stock
    // that meets the target (-1: none). A line's answer is at most that of each line one step
    // more restrictive (monotonicity), so a line whose neighbour has none is not evaluated.
    let others: Vec<usize> = (0..dims.len()).filter(|&d| d != 1).collect();
    let lines: usize = others.iter().map(|&d| dims[d]).product();
    let stride = |k: usize| -> usize { others[k + 1..].iter().map(|&d| dims[d]).product() };
    let strides: Vec<usize> = (0..others.len()).map(stride).collect();
    let mut best = vec![-1_i64; lines];
    let top = dims[1] as i64 - 1;
    for line in 0..lines {
        crate::cancel::checkpoint()?;
        if progress.cancelled() {
            return Err(crate::cancel::cancelled());
        }
        progress.update("lines of the grid", line as u64, lines as u64);
        let mut c = vec![0; dims.len()];
        let mut upper = top;
        for (k, &d) in others.iter().enumerate() {
            c[d] = (line / strides[k]) % dims[d];
            if c[d] > 0 {
                upper = upper.min(best[line - strides[k]]);
            }
        }
        if upper < 0 {
            continue;
        }
        c[1] = upper as usize;
        if ev.feasible(&c)? {
            best[line] = upper;
            continue;
        }
        let (mut lo, mut hi) = (-1_i64, upper);
        while hi - lo > 1 {
            let mid = (lo + hi) / 2;
            c[1] = mid as usize;
            if ev.feasible(&c)? {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        best[line] = lo;
    }
    progress.update("lines of the grid", lines as u64, lines as u64);
    // Frontier candidates: lines whose answer no one-step relaxation of another lever matches.
    let mut frontier: Vec<Candidate> = Vec::new();
    for line in 0..lines {
        if best[line] < 0 {
            continue;
        }
        let mut c = vec![0; dims.len()];
        let mut dominated = false;
        for (k, &d) in others.iter().enumerate() {
            c[d] = (line / strides[k]) % dims[d];
            if c[d] + 1 < dims[d] && best[line + strides[k]] >= best[line] {
                dominated = true;
            }
        }
        if !dominated {
            c[1] = best[line] as usize;
            frontier.push(c);
        }
    }
    // Check by direct evaluation: a point with a relaxation that meets the target moves there.
    let mut exceptions = 0;
    let mut checked: Vec<Candidate> = Vec::new();
    for mut c in frontier {
        'climb: loop {
            crate::cancel::checkpoint()?;
            for d in 0..dims.len() {
                if let Some(r) = relaxed(&c, d, &dims)
                    && ev.feasible(&r)?
                {
                    exceptions += 1;
                    c = r;
                    continue 'climb;
                }
            }
            break;
        }
        if !checked.contains(&c) {
            checked.push(c);
        }
    }
    let dominates = |a: &Candidate, b: &Candidate| a != b && a.iter().zip(b).all(|(x, y)| x >= y);
    let mut kept: Vec<Candidate> = checked
        .iter()
        .filter(|b| !checked.iter().any(|a| dominates(a, b)))
        .cloned()
        .collect();
    // In the order of the lines: enrichment cap, machine levers, fate, then stock.
    kept.sort_by_key(|c| {
        others
            .iter()
            .map(|&d| c[d])
            .chain([c[1]])
            .collect::<Vec<_>>()
    });
    let frontier = kept
        .iter()
        .map(|c| {
            let e = ev.eval(c)?;
            Ok(FrontierPoint {
                candidate: c.clone(),
                levers: levers(&space, c),
                permitted_first_sq_days: e.permitted_first_sq_days,
                first_sq_days: e.first_sq_days,
                permitted_capacity_swu_per_yr: e.permitted_capacity_swu_per_yr,
                at_percentile: e.at_percentile,
                deal_toml: deal_toml(&space, &base_state, &base, c),
            })
        })
        .collect::<Result<Vec<_>, AppError>>()?;
    let point = |ev: &Evaluator, c: &[usize], e: &Evaluation| EvaluatedPoint {
        levers: levers(&space, c),
        permitted_first_sq_days: e.permitted_first_sq_days,
        first_sq_days: e.first_sq_days,
        permitted_capacity_swu_per_yr: e.permitted_capacity_swu_per_yr,
        at_percentile: e.at_percentile,
        meets_target: ev.meets(e),
    };
    let points = ev.done.iter().map(|(c, e)| point(&ev, c, e)).collect();
    let evaluated = ev.done.len();
    let jcpoa = match space.jcpoa_candidate() {
        Some(c) => {
            let e = ev.eval(&c)?;
            Some(ReferencePoint {
                point: point(&ev, &c, &e),
                within_frontier_point: frontier
                    .iter()
                    .position(|f| f.candidate.iter().zip(&c).all(|(x, y)| x >= y)),
                deal_toml: deal_toml(&space, &base_state, &base, &c),
            })
        }
        None => None,
    };
    Ok(DesignResult {
        space: space.id.clone(),
        base_state: base_state.clone(),
        min_months: a.min_months,
        target_days: ev.target_days,
        if_broken: a.if_broken,
        grid_size: space.grid_size(),
        evaluated,
        monotonicity_exceptions: exceptions,
        monte_carlo,
        frontier,
        jcpoa,
        points,
        design_space: space,
    })
}
