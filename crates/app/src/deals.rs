//! Reading deal files (`data/deals/*.toml`) into `breakout::deal::Deal`.
//!
//! The file format is documented in `data/deals/README.md`. Every clause shares one table shape
//! with optional parameters, so that an unknown key is rejected by serde with its line and column,
//! and a parameter missing (or out of place) for a clause's kind is reported at the clause's id.

use std::ops::Range;

use breakout::date::Date;
use breakout::deal::{ClauseKind, DateRef, Deal, MachineScope, Milestone, Sites, StockLimit};
use serde::Deserialize;
use toml::Spanned;

use crate::data::{Source, parse_toml};
use crate::error::AppError;
use crate::limits;

/// The bundled deals: (id, file name, contents).
pub const BUNDLED: [(&str, &str); 4] = [
    (
        "jcpoa-2015",
        include_str!("../../../data/deals/jcpoa-2015.toml"),
    ),
    (
        "us-2025-cap-3.67",
        include_str!("../../../data/deals/us-2025-cap-3.67.toml"),
    ),
    (
        "zero-enrichment",
        include_str!("../../../data/deals/zero-enrichment.toml"),
    ),
    (
        "jcpoa-reimposed-2025",
        include_str!("../../../data/deals/jcpoa-reimposed-2025.toml"),
    ),
];

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DealFile {
    schema_version: Spanned<u32>,
    id: String,
    name: String,
    summary: String,
    source: String,
    base_state: Option<Spanned<String>>,
    regime: Option<String>,
    regime_source: Option<String>,
    milestone: Vec<MilestoneRecord>,
    clause: Vec<ClauseRecord>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct MilestoneRecord {
    name: Spanned<String>,
    date: Spanned<String>,
    source: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ClauseRecord {
    id: Spanned<String>,
    reference: String,
    summary: String,
    source: String,
    kind: Spanned<String>,
    from: Option<Spanned<String>>,
    until: Option<Spanned<String>>,
    max_wt_pct: Option<f64>,
    max_kg_u: Option<f64>,
    max_kg_uf6: Option<f64>,
    above_wt_pct: Option<f64>,
    machine: Option<Spanned<String>>,
    sites: Option<Spanned<Vec<String>>>,
    except_sites: Option<Spanned<Vec<String>>>,
    scope: Option<Spanned<String>>,
    max_machines: Option<u32>,
    max_cascades: Option<u32>,
    allowed_machines: Option<Spanned<Vec<String>>>,
    max_per_year: Option<u32>,
    max_installed_idle: Option<u32>,
}

/// Natural uranium, wt-% U-235: stocks above it count against a stockpile cap by default.
const NATURAL_WT_PCT: f64 = 0.711;

/// Parses `implementation`, `implementation + 15y`, `implementation + 8y6m`, or `2016-01-16`.
fn date_ref(s: &str) -> Result<DateRef, String> {
    let s = s.trim();
    if s.chars().next().is_some_and(|c| c.is_ascii_digit()) {
        return s
            .parse::<Date>()
            .map(DateRef::On)
            .map_err(|e| e.to_string());
    }
    let (name, offset) = match s.split_once('+') {
        Some((n, o)) => (n.trim(), o.trim()),
        None => (s, ""),
    };
    if name.is_empty()
        || !name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        return Err(format!(
            "`{s}` is not a date reference: expected YYYY-MM-DD, MILESTONE or MILESTONE + 8y6m15d"
        ));
    }
    let (mut years, mut months, mut days) = (0, 0, 0);
    let mut digits = String::new();
    for c in offset.chars().filter(|c| !c.is_whitespace()) {
        match c {
            '0'..='9' => digits.push(c),
            'y' | 'm' | 'd' if !digits.is_empty() => {
                // Bounded so that no date arithmetic overflows (limits::MAX_DEAL_YEARS).
                let max = limits::MAX_DEAL_YEARS
                    * match c {
                        'y' => 1,
                        'm' => 12,
                        _ => 366,
                    };
                let n = digits
                    .parse::<u64>()
                    .ok()
                    .filter(|&n| n <= max)
                    .and_then(|n| i64::try_from(n).ok())
                    .ok_or_else(|| {
                        format!(
                            "`{digits}{c}` in `{s}` is too long: expected at most {max}{c} ({} years, limits::MAX_DEAL_YEARS)",
                            limits::MAX_DEAL_YEARS
                        )
                    })?;
                match c {
                    'y' => years += n,
                    'm' => months += n,
                    _ => days += n,
                }
                digits.clear();
            }
            _ => {
                return Err(format!(
                    "`{offset}` in `{s}` is not an offset: expected e.g. 15y, 8y6m, 90d"
                ));
            }
        }
    }
    if !digits.is_empty() || (offset.is_empty() && s.contains('+')) {
        return Err(format!(
            "`{offset}` in `{s}` is not an offset: every number needs a unit y, m or d"
        ));
    }
    Ok(DateRef::After {
        milestone: name.to_string(),
        years,
        months,
        days,
    })
}

fn site_scope(c: &ClauseRecord, ctx: &Source) -> Result<Sites, AppError> {
    match (&c.sites, &c.except_sites) {
        (Some(_), Some(_)) => Err(ctx.err(
            c.id.span(),
            format!(
                "clause `{}`: give `sites` or `except_sites`, not both",
                c.id.get_ref()
            ),
        )),
        (Some(s), None) => Ok(Sites::Only(s.get_ref().clone())),
        (None, Some(s)) => Ok(Sites::AllExcept(s.get_ref().clone())),
        (None, None) => Ok(Sites::All),
    }
}

fn clause_kind(c: &ClauseRecord, ctx: &Source) -> Result<ClauseKind, AppError> {
    let id = c.id.get_ref();
    let kind = c.kind.get_ref().as_str();
    let need = |name: &str| {
        ctx.err(
            c.id.span(),
            format!("clause `{id}` of kind `{kind}` needs `{name}`"),
        )
    };
    // Parameters each kind takes; any other parameter present is an error, not silently ignored.
    let allowed: &[&str] = match kind {
        "max-enrichment" => &["max_wt_pct"],
        "stockpile-cap" => &["max_kg_u", "max_kg_uf6", "above_wt_pct"],
        "machine-cap" => &[
            "machine",
            "sites",
            "except_sites",
            "scope",
            "max_machines",
            "max_cascades",
        ],
        "enrichment-machine-types" => &["allowed_machines"],
        "no-enrichment" => &["sites", "except_sites"],
        "research-limit" => &["machine", "max_machines"],
        "manufacturing-limit" => &["machine", "max_per_year"],
        "stored-equipment" => &["sites", "except_sites", "max_installed_idle"],
        "excess-destroyed" => &["sites", "except_sites"],
        "text" => &[],
        other => {
            return Err(ctx.err(
                c.kind.span(),
                format!(
                    "unknown clause kind `{other}`: expected max-enrichment, stockpile-cap, machine-cap, enrichment-machine-types, no-enrichment, research-limit, manufacturing-limit, stored-equipment, excess-destroyed or text"
                ),
            ));
        }
    };
    let present: Vec<&str> = [
        ("max_wt_pct", c.max_wt_pct.is_some()),
        ("max_kg_u", c.max_kg_u.is_some()),
        ("max_kg_uf6", c.max_kg_uf6.is_some()),
        ("above_wt_pct", c.above_wt_pct.is_some()),
        ("machine", c.machine.is_some()),
        ("sites", c.sites.is_some()),
        ("except_sites", c.except_sites.is_some()),
        ("scope", c.scope.is_some()),
        ("max_machines", c.max_machines.is_some()),
        ("max_cascades", c.max_cascades.is_some()),
        ("allowed_machines", c.allowed_machines.is_some()),
        ("max_per_year", c.max_per_year.is_some()),
        ("max_installed_idle", c.max_installed_idle.is_some()),
    ]
    .into_iter()
    .filter_map(|(n, p)| p.then_some(n))
    .collect();
    if let Some(extra) = present.iter().find(|p| !allowed.contains(p)) {
        return Err(ctx.err(
            c.id.span(),
            format!(
                "clause `{id}` of kind `{kind}` does not take `{extra}` (it takes: {})",
                allowed.join(", ")
            ),
        ));
    }
    Ok(match kind {
        "max-enrichment" => ClauseKind::MaxEnrichment {
            max_wt_pct: c.max_wt_pct.ok_or_else(|| need("max_wt_pct"))?,
        },
        "stockpile-cap" => {
            let limit = match (c.max_kg_u, c.max_kg_uf6) {
                (Some(u), None) => StockLimit::KgU(u),
                (None, Some(f)) => StockLimit::KgUf6(f),
                _ => {
                    return Err(ctx.err(
                        c.id.span(),
                        format!("clause `{id}`: give exactly one of `max_kg_u`, `max_kg_uf6`"),
                    ));
                }
            };
            ClauseKind::StockpileCap {
                limit,
                above_wt_pct: c.above_wt_pct.unwrap_or(NATURAL_WT_PCT),
            }
        }
        "machine-cap" => {
            let scope = match c.scope.as_ref().map(|s| s.get_ref().as_str()) {
                Some("enriching") => MachineScope::Enriching,
                Some("installed") => MachineScope::Installed,
                Some(other) => {
                    let span = c.scope.as_ref().map_or(c.id.span(), Spanned::span);
                    return Err(ctx.err(
                        span,
                        format!(
                            "scope `{other}` is not valid: expected `enriching` or `installed`"
                        ),
                    ));
                }
                None => return Err(need("scope")),
            };
            ClauseKind::MachineCap {
                machine: c.machine.as_ref().map(|m| m.get_ref().clone()),
                sites: site_scope(c, ctx)?,
                scope,
                max_machines: c.max_machines,
                max_cascades: c.max_cascades,
            }
        }
        "enrichment-machine-types" => ClauseKind::EnrichmentMachineTypes {
            allowed: c
                .allowed_machines
                .as_ref()
                .map(|m| m.get_ref().clone())
                .ok_or_else(|| need("allowed_machines"))?,
        },
        "no-enrichment" => ClauseKind::NoEnrichmentAt {
            sites: site_scope(c, ctx)?,
        },
        "research-limit" => ClauseKind::ResearchLimit {
            machine: c
                .machine
                .as_ref()
                .map(|m| m.get_ref().clone())
                .ok_or_else(|| need("machine"))?,
            max_machines: c.max_machines.ok_or_else(|| need("max_machines"))?,
        },
        "manufacturing-limit" => ClauseKind::ManufacturingLimit {
            machine: c
                .machine
                .as_ref()
                .map(|m| m.get_ref().clone())
                .ok_or_else(|| need("machine"))?,
            max_per_year: c.max_per_year.ok_or_else(|| need("max_per_year"))?,
        },
        "stored-equipment" => ClauseKind::StoredEquipment {
            sites: site_scope(c, ctx)?,
            max_installed_idle: c
                .max_installed_idle
                .ok_or_else(|| need("max_installed_idle"))?,
        },
        "excess-destroyed" => ClauseKind::ExcessDestroyed {
            sites: site_scope(c, ctx)?,
        },
        _ => ClauseKind::Text,
    })
}

/// Reads a deal from TOML text.
///
/// # Errors
/// [`AppError::Input`] with file, line and column for every problem found in the file.
pub fn deal_from_toml(text: &str, file: &str) -> Result<Deal, AppError> {
    let raw: DealFile = parse_toml(text, file)?;
    let ctx = Source { text, file };
    ctx.schema_version(&raw.schema_version)?;
    let milestones = raw
        .milestone
        .iter()
        .map(|m| {
            let date = match m.date.get_ref().as_str() {
                "unspecified" => None,
                d => Some(
                    d.parse::<Date>()
                        .map_err(|e| ctx.err(m.date.span(), format!("{e}, or \"unspecified\"")))?,
                ),
            };
            Ok(Milestone {
                name: m.name.get_ref().clone(),
                date,
                source: m.source.clone(),
            })
        })
        .collect::<Result<Vec<_>, AppError>>()?;
    let mut clauses = Vec::new();
    for c in &raw.clause {
        let window = |r: &Option<Spanned<String>>| -> Result<Option<DateRef>, AppError> {
            r.as_ref()
                .map(|s| date_ref(s.get_ref()).map_err(|e| ctx.err(s.span(), e)))
                .transpose()
        };
        clauses.push(breakout::deal::Clause {
            id: c.id.get_ref().clone(),
            reference: c.reference.clone(),
            summary: c.summary.clone(),
            source: c.source.clone(),
            kind: clause_kind(c, &ctx)?,
            from: window(&c.from)?,
            until: window(&c.until)?,
        });
    }
    let deal = Deal {
        id: raw.id.clone(),
        name: raw.name.clone(),
        summary: raw.summary.clone(),
        source: raw.source.clone(),
        base_state: raw.base_state.as_ref().map(|b| b.get_ref().clone()),
        regime: raw.regime.clone(),
        regime_source: raw.regime_source.clone(),
        milestones,
        clauses,
    };
    deal.validate()
        .map_err(|e| AppError::Input(format!("{file}: {e}")))?;
    check_milestones(&raw, &ctx)?;
    check_windows(&raw, &deal, &ctx)?;
    check_names(&raw, &ctx)?;
    Ok(deal)
}

/// Each milestone named once: a window counted from a name given twice would be ambiguous.
fn check_milestones(raw: &DealFile, ctx: &Source) -> Result<(), AppError> {
    for (i, m) in raw.milestone.iter().enumerate() {
        if let Some(first) = raw.milestone[..i]
            .iter()
            .find(|o| o.name.get_ref() == m.name.get_ref())
        {
            let line = ctx.text[..first.name.span().start].matches('\n').count() + 1;
            return Err(ctx.err(
                m.name.span(),
                format!(
                    "milestone name = \"{}\" appears twice (first on line {line}): expected each milestone once",
                    m.name.get_ref()
                ),
            ));
        }
    }
    Ok(())
}

/// A window that ends after it starts. Ends counted from an undated milestone are compared when
/// both count from the same one (their order does not depend on its date).
fn check_windows(raw: &DealFile, deal: &Deal, ctx: &Source) -> Result<(), AppError> {
    // Any date serves to order two offsets from the same undated milestone.
    let any_day = Date::new(2000, 1, 1).expect("a valid date");
    let on = |r: &DateRef| match r {
        DateRef::On(d) => Some(*d),
        DateRef::After {
            milestone,
            years,
            months,
            days,
        } => deal
            .milestones
            .iter()
            .find(|m| &m.name == milestone)
            .map(|m| m.date.unwrap_or(any_day).plus(*years, *months, *days)),
    };
    let undated_base = |r: &DateRef| match r {
        DateRef::After { milestone, .. } => deal
            .milestones
            .iter()
            .find(|m| &m.name == milestone)
            .filter(|m| m.date.is_none())
            .map(|m| m.name.as_str()),
        DateRef::On(_) => None,
    };
    for (c, record) in deal.clauses.iter().zip(&raw.clause) {
        let (Some(from), Some(until), Some(until_text)) = (&c.from, &c.until, &record.until) else {
            continue;
        };
        // Comparable: both dated, or both counted from the same undated milestone.
        if undated_base(from) != undated_base(until) {
            continue;
        }
        if let (Some(f), Some(u)) = (on(from), on(until))
            && u <= f
        {
            return Err(ctx.err(
                until_text.span(),
                format!(
                    "clause `{}`: until = \"{}\" is not after from (a window runs from `from`, inclusive, to `until`, exclusive): expected an end after the start",
                    c.id,
                    until_text.get_ref()
                ),
            ));
        }
    }
    Ok(())
}

/// Machine types and sites a clause counts by must exist, or the clause silently counts nothing:
/// the machine types of machine caps and allowed types are those of data/machines.toml (the
/// types state files use; R&D and manufacturing clauses may name prototypes the library lacks),
/// and a deal with a `base_state` names only sites of that state.
fn check_names(raw: &DealFile, ctx: &Source) -> Result<(), AppError> {
    let library = crate::data::bundled_machines()?;
    let sites: Option<Vec<String>> = match &raw.base_state {
        Some(b) => {
            let state = crate::states::load(b.get_ref())
                .map_err(|e| ctx.err(b.span(), format!("base_state: {e}")))?;
            Some(
                state
                    .data
                    .sites
                    .iter()
                    .map(|s| s.id.to_ascii_lowercase())
                    .collect(),
            )
        }
        None => None,
    };
    for c in &raw.clause {
        let kind = c.kind.get_ref().as_str();
        let mut machines: Vec<(&str, Range<usize>)> = Vec::new();
        if kind == "machine-cap"
            && let Some(m) = &c.machine
        {
            machines.push((m.get_ref(), m.span()));
        }
        if let Some(list) = &c.allowed_machines {
            machines.extend(list.get_ref().iter().map(|m| (m.as_str(), list.span())));
        }
        for (m, span) in machines {
            library.get(m).map_err(|e| {
                ctx.err(
                    span,
                    format!("clause `{}`: {e} (data/machines.toml)", c.id.get_ref()),
                )
            })?;
        }
        let Some(known) = &sites else { continue };
        for list in [&c.sites, &c.except_sites].into_iter().flatten() {
            if let Some(bad) = list
                .get_ref()
                .iter()
                .find(|s| !known.contains(&s.trim().to_ascii_lowercase()))
            {
                return Err(ctx.err(
                    list.span(),
                    format!(
                        "clause `{}`: site `{bad}` is not a site of the base state {}: expected one of {}",
                        c.id.get_ref(),
                        raw.base_state.as_ref().map_or("", |b| b.get_ref().as_str()),
                        known.join(", ")
                    ),
                ));
            }
        }
    }
    Ok(())
}

/// A bundled deal by id, or a deal file by path.
///
/// # Errors
/// [`AppError::Input`] for an unknown id that is not a readable file, or a malformed file.
pub fn load(name_or_path: &str) -> Result<Deal, AppError> {
    if let Some((id, text)) = BUNDLED
        .iter()
        .find(|(id, _)| id.eq_ignore_ascii_case(name_or_path))
    {
        return deal_from_toml(text, &format!("data/deals/{id}.toml"));
    }
    match crate::data::read_input_file(name_or_path) {
        Ok(text) => deal_from_toml(&text, name_or_path),
        Err(e) => {
            let known: Vec<&str> = BUNDLED.iter().map(|(id, _)| *id).collect();
            Err(AppError::Input(format!(
                "`{name_or_path}` is neither a bundled deal ({}) nor a readable file: {e}",
                known.join(", ")
            )))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_deals_parse_and_validate() {
        for (id, text) in BUNDLED {
            let d = deal_from_toml(text, id).unwrap_or_else(|e| panic!("{id}: {e}"));
            assert_eq!(d.id, id);
            assert!(
                d.clauses.iter().all(|c| !c.source.trim().is_empty()),
                "{id}: clause without source"
            );
        }
    }

    #[test]
    fn date_references() {
        assert_eq!(
            date_ref("implementation + 8y6m").unwrap(),
            DateRef::After {
                milestone: "implementation".into(),
                years: 8,
                months: 6,
                days: 0
            }
        );
        assert_eq!(
            date_ref("adoption").unwrap(),
            DateRef::After {
                milestone: "adoption".into(),
                years: 0,
                months: 0,
                days: 0
            }
        );
        assert!(matches!(date_ref("2016-01-16").unwrap(), DateRef::On(_)));
        for bad in [
            "implementation + 15",
            "implementation + 15w",
            "impl ementation",
            "2016-13-01",
            "x +",
        ] {
            assert!(date_ref(bad).is_err(), "{bad}");
        }
    }

    /// Each problem is reported at its line and column, naming the clause and what was expected.
    #[test]
    fn malformed_deals_get_located_errors() {
        let head = "schema_version = 1\nid = \"d\"\nname = \"d\"\nsummary = \"\"\nsource = \"\"\n[[milestone]]\nname = \"start\"\ndate = \"2020-01-01\"\nsource = \"\"\n";
        let clause = |body: &str| {
            format!(
                "{head}[[clause]]\nid = \"c\"\nreference = \"\"\nsummary = \"\"\nsource = \"s\"\n{body}"
            )
        };
        for (body, line, needle) in [
            ("kind = \"max-enrichment\"\n", 11, "needs `max_wt_pct`"),
            (
                "kind = \"max-enrichment\"\nmax_wt_pct = 3.67\nmax_machines = 3\n",
                11,
                "does not take `max_machines`",
            ),
            ("kind = \"cap\"\n", 15, "unknown clause kind `cap`"),
            (
                "kind = \"text\"\nfrom = \"start + 3w\"\n",
                16,
                "not an offset",
            ),
            (
                "kind = \"text\"\ncolour = 1\n",
                16,
                "unknown field `colour`",
            ),
            (
                "kind = \"machine-cap\"\nscope = \"all\"\nmax_machines = 1\n",
                16,
                "expected `enriching` or `installed`",
            ),
            (
                "kind = \"stockpile-cap\"\nmax_kg_u = 1.0\nmax_kg_uf6 = 1.0\n",
                11,
                "exactly one of",
            ),
        ] {
            let text = clause(body);
            let e = deal_from_toml(&text, "d.toml").unwrap_err().to_string();
            assert!(
                e.starts_with(&format!("d.toml:{line}:")) && e.contains(needle),
                "{body}: {e}"
            );
        }
        for (body, line, needle) in [
            (
                "kind = \"text\"\nfrom = \"start + 2y\"\nuntil = \"start + 1y\"\n",
                17,
                "is not after from",
            ),
            (
                "kind = \"text\"\nfrom = \"2020-01-01\"\nuntil = \"2020-01-01\"\n",
                17,
                "is not after from",
            ),
            (
                "kind = \"text\"\nuntil = \"start + 5000y\"\n",
                16,
                "limits::MAX_DEAL_YEARS",
            ),
            (
                "kind = \"machine-cap\"\nmachine = \"IR-77\"\nscope = \"installed\"\nmax_machines = 1\n",
                16,
                "unknown machine type `IR-77`: expected one of IR-1",
            ),
            (
                "kind = \"enrichment-machine-types\"\nallowed_machines = [\"IR-1\", \"XX\"]\n",
                16,
                "unknown machine type `XX`",
            ),
        ] {
            let text = clause(body);
            let e = deal_from_toml(&text, "d.toml").unwrap_err().to_string();
            assert!(
                e.starts_with(&format!("d.toml:{line}:")) && e.contains(needle),
                "{body}: {e}"
            );
        }
        let twice = clause("kind = \"text\"\n").replacen(
            "[[clause]]",
            "[[milestone]]\nname = \"start\"\ndate = \"2021-01-01\"\nsource = \"\"\n[[clause]]",
            1,
        );
        let e = deal_from_toml(&twice, "d.toml").unwrap_err().to_string();
        assert!(
            e.starts_with("d.toml:11:") && e.contains("appears twice (first on line 7)"),
            "{e}"
        );
        let sited = clause("kind = \"no-enrichment\"\nsites = [\"mars\"]\n").replacen(
            "source = \"\"\n",
            "source = \"\"\nbase_state = \"jcpoa-2016\"\n",
            1,
        );
        let e = deal_from_toml(&sited, "d.toml").unwrap_err().to_string();
        assert!(
            e.contains("site `mars` is not a site of the base state jcpoa-2016: expected one of fep, fordow, pfep"),
            "{e}"
        );
        let e = deal_from_toml(&clause("kind = \"text\"\nfrom = \"signature\"\n"), "d.toml")
            .unwrap_err()
            .to_string();
        assert!(e.contains("unknown milestone `signature`"), "{e}");
        let e = deal_from_toml(
            &clause("kind = \"text\"\n").replace("2020-01-01", "2020-02-30"),
            "d.toml",
        )
        .unwrap_err()
        .to_string();
        assert!(
            e.starts_with("d.toml:8:") && e.contains("no such day"),
            "{e}"
        );
    }
}
