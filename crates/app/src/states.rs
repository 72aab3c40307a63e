//! Facility state files (`data/states/*.toml`): the schema, the bundled dated states, and their
//! resolution into a `breakout::Scenario` with the machine library and the what-if options.
//!
//! Schema: docs/states.md. Unknown keys are rejected with file, line and column; every number is
//! either a value or a distribution table (`{ dist = "triangular", min, mode, max }`), and every
//! entry carries a `source` (and an `assumption` where the figure is not public). Source tags such
//! as `\[D3\]` must resolve in the file's `[sources]` table.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, LazyLock, Mutex, OnceLock};

use breakout::date::Date;
use breakout::deal::compliance::{Facts, MachineCount, StockHolding};
use breakout::fixed::{CascadeHardware, Hardware};
use breakout::{
    CascadeGroup, Domain, Goal, GroupStatus, MachineStatus, Param, Scenario, StockEntry,
    TailsPolicy,
};
use enrich::cascade::{FixedCascade, IdealCascade};
use enrich::{Assay, ChemicalForm, Composition, CompoundMass, KgU, MachineLibrary};
use serde::{Deserialize, Deserializer};

use crate::data::parse_toml;
use crate::error::AppError;

/// The default state of `breakout run`.
pub const DEFAULT_STATE: &str = "iran-2025-05";

/// Bundled states in date order: (id, file text).
pub const BUNDLED: [(&str, &str); 8] = [
    (
        "jcpoa-2016",
        include_str!("../../../data/states/jcpoa-2016.toml"),
    ),
    (
        "iran-2020-02",
        include_str!("../../../data/states/iran-2020-02.toml"),
    ),
    (
        "iran-2021-05",
        include_str!("../../../data/states/iran-2021-05.toml"),
    ),
    (
        "iran-2023-05",
        include_str!("../../../data/states/iran-2023-05.toml"),
    ),
    (
        "iran-2024-08",
        include_str!("../../../data/states/iran-2024-08.toml"),
    ),
    (
        "iran-2025-02",
        include_str!("../../../data/states/iran-2025-02.toml"),
    ),
    (
        "iran-2025-05",
        include_str!("../../../data/states/iran-2025-05.toml"),
    ),
    (
        "iran-2025-06-strikes",
        include_str!("../../../data/states/iran-2025-06-strikes.toml"),
    ),
];

/// A number or a distribution, as written in a file.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum ParamRecord {
    /// A plain number.
    Number(f64),
    /// `{ dist = "...", ... }`.
    Dist(DistRecord),
}

/// A distribution table.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DistRecord {
    dist: String,
    min: Option<f64>,
    mode: Option<f64>,
    max: Option<f64>,
    mean: Option<f64>,
    sd: Option<f64>,
    median: Option<f64>,
    sigma: Option<f64>,
}

impl ParamRecord {
    /// The engine's [`Param`], or an error naming `field` and the missing or stray keys.
    pub(crate) fn to_param(&self, field: &str) -> Result<Param, String> {
        let d = match self {
            ParamRecord::Number(x) => return Ok(Param::Fixed(*x)),
            ParamRecord::Dist(d) => d,
        };
        let keys = [
            ("min", d.min),
            ("mode", d.mode),
            ("max", d.max),
            ("mean", d.mean),
            ("sd", d.sd),
            ("median", d.median),
            ("sigma", d.sigma),
        ];
        let (needed, p): (&[&str], Option<Param>) = match d.dist.as_str() {
            "uniform" => (
                &["min", "max"],
                d.min
                    .zip(d.max)
                    .map(|(min, max)| Param::Uniform { min, max }),
            ),
            "triangular" => (
                &["min", "mode", "max"],
                match (d.min, d.mode, d.max) {
                    (Some(min), Some(mode), Some(max)) => {
                        Some(Param::Triangular { min, mode, max })
                    }
                    _ => None,
                },
            ),
            "normal" => (
                &["mean", "sd"],
                d.mean
                    .zip(d.sd)
                    .map(|(mean, sd)| Param::Normal { mean, sd }),
            ),
            "lognormal" => (
                &["median", "sigma"],
                d.median
                    .zip(d.sigma)
                    .map(|(median, sigma)| Param::LogNormal { median, sigma }),
            ),
            other => {
                return Err(format!(
                    "{field}: unknown distribution `{other}`: expected uniform, triangular, normal or lognormal"
                ));
            }
        };
        let stray: Vec<&str> = keys
            .iter()
            .filter(|(k, v)| v.is_some() && !needed.contains(k))
            .map(|(k, _)| *k)
            .collect();
        match p {
            Some(p) if stray.is_empty() => Ok(p),
            _ => Err(format!(
                "{field}: a {} distribution takes exactly {}{}",
                d.dist,
                needed.join(", "),
                if stray.is_empty() {
                    String::new()
                } else {
                    format!(" (not {})", stray.join(", "))
                }
            )),
        }
    }
}

/// A state file as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StateFile {
    /// Must be 1.
    pub schema_version: u32,
    /// Id, e.g. `iran-2025-05`.
    pub id: String,
    /// Human title.
    pub title: String,
    /// Date the figures refer to, a real calendar date `YYYY-MM-DD`.
    #[serde(deserialize_with = "field::real_date")]
    pub as_of: String,
    /// The verification regime in force on `as_of` (a bundled regime id or a regime file).
    pub regime: Option<String>,
    /// What the state is and which published estimates refer to it.
    pub description: String,
    /// Source tag → title, date, where.
    pub sources: BTreeMap<String, String>,
    /// Sites.
    #[serde(rename = "site")]
    pub sites: Vec<SiteRecord>,
    /// Stocks.
    #[serde(rename = "stock", default)]
    pub stocks: Vec<StockRecord>,
}

/// A site.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SiteRecord {
    /// Id (case-insensitive), e.g. `fordow`.
    pub id: String,
    /// Name.
    pub name: String,
    /// Fraction of the site's capacity destroyed (default 0).
    #[serde(default, deserialize_with = "field::damage_fraction")]
    pub damage_fraction: Option<ParamRecord>,
    /// Source of the damage fraction.
    pub damage_source: Option<String>,
    /// Assumption behind the damage fraction.
    pub damage_assumption: Option<String>,
    /// Cascade groups.
    #[serde(default)]
    pub cascades: Vec<CascadeRecord>,
}

/// Machines of one type in one status at a site.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CascadeRecord {
    /// Machine type id from data/machines.toml.
    #[serde(deserialize_with = "field::known_machine")]
    pub machine: String,
    /// operating | installed-idle | stored | building.
    #[serde(deserialize_with = "machine_status")]
    pub status: MachineStatus,
    /// Number of machines, at most [`crate::limits::MAX_MACHINES`].
    #[serde(deserialize_with = "field::machine_count")]
    pub machines: ParamRecord,
    /// Number of cascades.
    pub cascades: u32,
    /// Days until on line (status `building` only).
    #[serde(default, deserialize_with = "field::days")]
    pub online_after_days: Option<ParamRecord>,
    /// Feed assay the cascades are set up for, wt-% U-235 (default natural uranium), for the
    /// fixed-cascade model.
    #[serde(default, deserialize_with = "field::optional_assay")]
    pub design_feed_wt_pct: Option<f64>,
    /// Source of `design_feed_wt_pct`.
    pub design_source: Option<String>,
    /// Assays, wt-% U-235, these cascades already take as feed or make as product (besides
    /// natural uranium and LEU): the fixed-cascade model needs no set-up for those steps.
    #[serde(default, deserialize_with = "field::assays")]
    pub handles_wt_pct: Option<Vec<f64>>,
    /// Source of `handles_wt_pct`.
    pub handles_source: Option<String>,
    /// Source.
    pub source: String,
    /// Assumption, where the figure is not public.
    pub assumption: Option<String>,
}

/// Reads a status through [`MachineStatus`]'s `FromStr`, so that an unknown name is a TOML error
/// located by line and column, listing the valid names.
fn machine_status<'de, D: Deserializer<'de>>(d: D) -> Result<MachineStatus, D::Error> {
    String::deserialize(d)?
        .parse()
        .map_err(serde::de::Error::custom)
}

/// The checks of single values of a state file, run as the file is read, so that every command
/// that reads a state (`run`, `deal check`, `deal floor`, `deal compare`, `history`, `report`,
/// the workbench's upload) refuses the same files, each error located by file, line and column
/// with the offending line shown, and saying what was expected.
mod field {
    use breakout::date::Date;
    use breakout::{Domain, Param};
    use enrich::{Assay, ChemicalForm};
    use serde::de::Error as _;
    use serde::{Deserialize, Deserializer};

    use super::ParamRecord;
    use crate::limits::MAX_MACHINES;

    /// `as_of`: a real calendar date.
    pub fn real_date<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
        let s = String::deserialize(d)?;
        s.parse::<Date>()
            .map_err(|e| D::Error::custom(format!("as_of: {e}")))?;
        Ok(s)
    }

    /// `machine`: a type of the bundled machine library (data/machines.toml), the list of
    /// known types in the error.
    pub fn known_machine<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
        let s = String::deserialize(d)?;
        let lib = crate::data::bundled_machines().map_err(D::Error::custom)?;
        lib.get(&s)
            .map_err(|e| D::Error::custom(format!("machine = \"{s}\": {e}")))?;
        Ok(s)
    }

    /// `form`: a chemical form `enrich` converts, or `other` (then only `mass_kg_u` is given).
    pub fn known_form<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
        let s = String::deserialize(d)?;
        if !s.eq_ignore_ascii_case("other") && s.parse::<ChemicalForm>().is_err() {
            return Err(D::Error::custom(format!(
                "form = \"{s}\" is not a known chemical form: expected UF6, U3O8, UO2, metal or other"
            )));
        }
        Ok(s)
    }

    fn checked(field: &str, r: &ParamRecord, domain: Domain, expected: &str) -> Result<(), String> {
        let p = r.to_param(field)?;
        p.validated(field, domain).map_err(|e| match p {
            Param::Fixed(x) => format!("{field} = {x} is not valid: expected {expected}"),
            _ => format!("{e}; expected {expected}"),
        })?;
        Ok(())
    }

    /// `machines`: a count in [0, [`MAX_MACHINES`]].
    pub fn machine_count<'de, D: Deserializer<'de>>(d: D) -> Result<ParamRecord, D::Error> {
        let r = ParamRecord::deserialize(d)?;
        let max = MAX_MACHINES as f64;
        checked(
            "machines",
            &r,
            Domain { min: 0.0, max },
            &format!("a number of machines from 0 to {MAX_MACHINES} (limits::MAX_MACHINES)"),
        )
        .map_err(D::Error::custom)?;
        Ok(r)
    }

    fn optional<'de, D: Deserializer<'de>>(
        d: D,
        field: &str,
        domain: Domain,
        expected: &str,
    ) -> Result<Option<ParamRecord>, D::Error> {
        let r = ParamRecord::deserialize(d)?;
        checked(field, &r, domain, expected).map_err(D::Error::custom)?;
        Ok(Some(r))
    }

    /// `damage_fraction`: a fraction in [0, 1].
    pub fn damage_fraction<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Option<ParamRecord>, D::Error> {
        optional(
            d,
            "damage_fraction",
            Domain::FRACTION,
            "a fraction from 0 to 1",
        )
    }

    /// `available_fraction`: a fraction in [0, 1].
    pub fn available_fraction<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Option<ParamRecord>, D::Error> {
        optional(
            d,
            "available_fraction",
            Domain::FRACTION,
            "a fraction from 0 to 1",
        )
    }

    /// `mass_kg_u`: a finite mass ≥ 0.
    pub fn mass_kg_u<'de, D: Deserializer<'de>>(d: D) -> Result<Option<ParamRecord>, D::Error> {
        optional(
            d,
            "mass_kg_u",
            Domain::NON_NEGATIVE,
            "a finite mass ≥ 0 kg U",
        )
    }

    /// `mass_kg_compound`: a finite mass ≥ 0.
    pub fn mass_kg_compound<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Option<ParamRecord>, D::Error> {
        optional(
            d,
            "mass_kg_compound",
            Domain::NON_NEGATIVE,
            "a finite mass ≥ 0 kg",
        )
    }

    /// `online_after_days`: a finite time ≥ 0, days.
    pub fn days<'de, D: Deserializer<'de>>(d: D) -> Result<Option<ParamRecord>, D::Error> {
        optional(
            d,
            "online_after_days",
            Domain::NON_NEGATIVE,
            "a finite number of days ≥ 0",
        )
    }

    fn check_assay(x: f64) -> Result<f64, String> {
        Assay::named_wt_pct("assay", x)
            .map(|_| x)
            .map_err(|e| e.to_string())
    }

    /// `assay_wt_pct`: an assay strictly between 0 and 100 wt-%.
    pub fn assay<'de, D: Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
        check_assay(f64::deserialize(d)?).map_err(D::Error::custom)
    }

    /// `design_feed_wt_pct`: as [`assay`], optional.
    pub fn optional_assay<'de, D: Deserializer<'de>>(d: D) -> Result<Option<f64>, D::Error> {
        assay(d).map(Some)
    }

    /// `handles_wt_pct`: a list of assays.
    pub fn assays<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Vec<f64>>, D::Error> {
        let v = Vec::<f64>::deserialize(d)?;
        for &x in &v {
            check_assay(x).map_err(D::Error::custom)?;
        }
        Ok(Some(v))
    }
}

/// A stock.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StockRecord {
    /// Site id, or `unknown`.
    pub site: String,
    /// Assay band as reported, e.g. "up to 60 %".
    pub band: String,
    /// Chemical form (UF6, U3O8, UO2, metal, or `other`).
    #[serde(deserialize_with = "field::known_form")]
    pub form: String,
    /// Assay used, wt-% U-235.
    #[serde(deserialize_with = "field::assay")]
    pub assay_wt_pct: f64,
    /// Mass, kg U.
    #[serde(default, deserialize_with = "field::mass_kg_u")]
    pub mass_kg_u: Option<ParamRecord>,
    /// Mass of the compound named by `form`, kg (converted with composition-based factors).
    #[serde(default, deserialize_with = "field::mass_kg_compound")]
    pub mass_kg_compound: Option<ParamRecord>,
    /// Fraction available for breakout (default 1).
    #[serde(default, deserialize_with = "field::available_fraction")]
    pub available_fraction: Option<ParamRecord>,
    /// Source.
    pub source: String,
    /// Assumption, where the figure is not public.
    pub assumption: Option<String>,
}

/// A parsed state with its file name.
#[derive(Debug, Clone)]
pub struct State {
    /// Where it came from (`data/states/<id>.toml` or the user's path).
    pub file: String,
    /// The contents.
    pub data: StateFile,
}

/// Parses and checks a state file.
///
/// # Errors
/// [`AppError::Input`] with file, line and column for TOML and schema errors, and naming the
/// entry for semantic errors (unknown status, unresolved source tag, duplicate site, ...).
pub fn parse_state(text: &str, file: &str) -> Result<State, AppError> {
    let data: StateFile = parse_toml(text, file)?;
    let bad = |m: String| AppError::Input(format!("{file}: {m}"));
    if data.schema_version != 1 {
        return Err(bad(format!(
            "schema_version = {} is not supported: expected 1",
            data.schema_version
        )));
    }
    let mut ids: Vec<String> = Vec::new();
    for (i, s) in data.sites.iter().enumerate() {
        let id = s.id.trim().to_ascii_lowercase();
        if id.is_empty() || !id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
            return Err(bad(format!(
                "site #{}: id `{}` must be letters, digits and '-'",
                i + 1,
                s.id
            )));
        }
        if ids.contains(&id) {
            return Err(bad(format!("site `{id}` appears twice")));
        }
        ids.push(id);
        for (j, c) in s.cascades.iter().enumerate() {
            let at = format!("site `{}`, cascades #{}", s.id, j + 1);
            if (c.status == MachineStatus::Building) != c.online_after_days.is_some() {
                return Err(bad(format!(
                    "{at}: online_after_days is required for status `building` and only there"
                )));
            }
            if c.design_feed_wt_pct.is_some() && c.design_source.is_none() {
                return Err(bad(format!(
                    "{at}: design_feed_wt_pct needs a design_source"
                )));
            }
            if c.handles_wt_pct.is_some() && c.handles_source.is_none() {
                return Err(bad(format!("{at}: handles_wt_pct needs a handles_source")));
            }
            check_tags(&c.source, &data.sources).map_err(|e| bad(format!("{at}: {e}")))?;
        }
        if let Some(src) = &s.damage_source {
            check_tags(src, &data.sources).map_err(|e| bad(format!("site `{}`: {e}", s.id)))?;
        } else if s.damage_fraction.is_some() {
            return Err(bad(format!(
                "site `{}`: damage_fraction needs a damage_source",
                s.id
            )));
        }
    }
    for (i, s) in data.stocks.iter().enumerate() {
        let at = format!("stock #{} ({})", i + 1, s.band);
        let site = s.site.trim().to_ascii_lowercase();
        if site != "unknown" && !ids.contains(&site) {
            return Err(bad(format!(
                "{at}: site `{}` is not a site of this file ({}) nor `unknown`",
                s.site,
                ids.join(", ")
            )));
        }
        if s.mass_kg_u.is_some() == s.mass_kg_compound.is_some() {
            return Err(bad(format!(
                "{at}: give exactly one of mass_kg_u and mass_kg_compound"
            )));
        }
        if s.mass_kg_compound.is_some() && s.form.eq_ignore_ascii_case("other") {
            return Err(bad(format!(
                "{at}: mass_kg_compound needs the compound's form (UF6, U3O8, UO2 or metal), not `other`: give mass_kg_u"
            )));
        }
        check_tags(&s.source, &data.sources).map_err(|e| bad(format!("{at}: {e}")))?;
    }
    Ok(State {
        file: file.to_string(),
        data,
    })
}

/// Every `[TAG]` in `text` must be a key of `sources`.
pub(crate) fn check_tags(text: &str, sources: &BTreeMap<String, String>) -> Result<(), String> {
    for part in text.split('[').skip(1) {
        if let Some(tag) = part.split(']').next()
            && !tag.is_empty()
            && tag.chars().all(|c| c.is_ascii_alphanumeric())
            && !sources.contains_key(tag)
        {
            return Err(format!("source tag [{tag}] is not defined in [sources]"));
        }
    }
    Ok(())
}

/// Loads a bundled state by id (case-insensitive) or a state file by path.
///
/// # Errors
/// [`AppError::Input`] for an unreadable file or one that does not parse, listing the bundled
/// ids when `arg` is neither.
pub fn load(arg: &str) -> Result<State, AppError> {
    if let Some(i) = BUNDLED
        .iter()
        .position(|(id, _)| id.eq_ignore_ascii_case(arg.trim()))
    {
        return bundled(i);
    }
    match crate::data::read_input_file(arg) {
        Ok(text) => parse_state(&text, arg),
        Err(e) => Err(AppError::Input(format!(
            "state `{arg}` is neither a bundled state ({}) nor a readable file: {e}",
            BUNDLED.map(|(id, _)| id).join(", ")
        ))),
    }
}

/// The `i`-th bundled state, parsed once per process: the files are compiled in, and the server,
/// `history` and `deal compare` ask for the same ones again and again.
fn bundled(i: usize) -> Result<State, AppError> {
    static PARSED: [OnceLock<State>; BUNDLED.len()] = [const { OnceLock::new() }; BUNDLED.len()];
    let (id, text) = BUNDLED[i];
    crate::data::parsed_once(&PARSED[i], || {
        parse_state(text, &format!("data/states/{id}.toml"))
    })
}

/// What-if options applied when a state becomes a scenario.
#[derive(Debug, Clone)]
pub struct Options {
    /// The goal.
    pub goal: Goal,
    /// Only these sites' capacity (lower case); empty: all.
    pub sites: Vec<String>,
    /// Ignore stocks above this assay, wt-%.
    pub max_feed_wt_pct: Option<f64>,
    /// Natural uranium only.
    pub no_stocks: bool,
    /// Reinstallation rate, cascades/month.
    pub reinstall_cascades_per_month: Option<f64>,
    /// Per-type efficiency overrides (type, factor).
    pub efficiency: Vec<(String, f64)>,
    /// Per-type separative power overrides (type, kg-SWU/yr per machine).
    pub swu_per_machine: Vec<(String, f64)>,
    /// Stock cascade tails.
    pub tails: TailsPolicy,
    /// Natural-route tails.
    pub natural_tails: Assay,
}

/// Default HEU-mode efficiency per machine type for the ideal model (docs/models.md).
pub const DEFAULT_EFFICIENCY: f64 = 1.0;

/// Adds (or finds) the per-type separative power and efficiency inputs.
pub fn machine_inputs(
    s: &mut Scenario,
    library: &MachineLibrary,
    machine: &str,
    opts: &Options,
) -> Result<(usize, usize, String), AppError> {
    let m = library
        .get(machine)
        .map_err(|e| AppError::Input(e.to_string()))?;
    let id = m.id.clone();
    let p = m.separative_power;
    let what_if = opts
        .swu_per_machine
        .iter()
        .find(|(t, _)| t.eq_ignore_ascii_case(&id))
        .map(|&(_, x)| x);
    let (param, source) = match what_if {
        Some(x) => (
            Param::Fixed(x),
            format!(
                "--swu-per-machine (what-if; data/machines.toml has {}, {}, {} as low, central, high)",
                p.low.kg_swu_per_yr(),
                p.central.kg_swu_per_yr(),
                p.high.kg_swu_per_yr()
            ),
        ),
        None => (
            Param::Triangular {
                min: p.low.kg_swu_per_yr(),
                mode: p.central.kg_swu_per_yr(),
                max: p.high.kg_swu_per_yr(),
            },
            format!("data/machines.toml (low, central, high): {}", m.source),
        ),
    };
    let power = s
        .input(
            format!("{id}.swu_per_machine_yr"),
            format!("{id} separative power"),
            "kg-SWU/yr per machine",
            param,
            Domain::NON_NEGATIVE,
            source,
        )
        .map_err(|e| AppError::Input(format!("--swu-per-machine {id}: {e}")))?;
    let given = opts
        .efficiency
        .iter()
        .find(|(t, _)| t.eq_ignore_ascii_case(&id))
        .map(|&(_, f)| f);
    let eff = s
        .input(
            format!("{id}.efficiency"),
            format!("{id} efficiency in HEU production"),
            "× rated output",
            Param::Fixed(given.unwrap_or(DEFAULT_EFFICIENCY)),
            Domain::NON_NEGATIVE,
            if given.is_some() {
                "--efficiency (what-if)".to_string()
            } else {
                "default 1.0 for the ideal lower bound (docs/models.md, 'Breakout estimators')"
                    .into()
            },
        )
        .map_err(|e| AppError::Input(format!("--efficiency {id}: {e}")))?;
    Ok((power, eff, id))
}

/// The scenario for a state under `opts`.
///
/// # Errors
/// [`AppError::Input`] for an unknown machine type or site, or an invalid number (naming the
/// file and entry); [`AppError::Usage`] for a `--site` no site of the state has.
pub fn scenario(
    state: &State,
    library: &MachineLibrary,
    opts: &Options,
) -> Result<Scenario, AppError> {
    let d = &state.data;
    let file = &state.file;
    let err = |at: &str, e: String| AppError::Input(format!("{file}: {at}: {e}"));
    for want in &opts.sites {
        if !d.sites.iter().any(|s| s.id.eq_ignore_ascii_case(want)) {
            return Err(AppError::Usage(format!(
                "--site {want}: the state {} has no such site; expected one of {}",
                d.id,
                d.sites
                    .iter()
                    .map(|s| s.id.to_ascii_lowercase())
                    .collect::<Vec<_>>()
                    .join(", ")
            )));
        }
    }
    let mut sc = Scenario::new(d.id.clone(), opts.goal, opts.tails, opts.natural_tails);
    let mut design_feeds: Vec<Option<f64>> = Vec::new();
    let cite = |text: &str| cite_sources(text, &d.sources);
    for site in &d.sites {
        let sid = site.id.to_ascii_lowercase();
        if !opts.sites.is_empty() && !opts.sites.iter().any(|w| w.eq_ignore_ascii_case(&sid)) {
            continue;
        }
        let damage = match &site.damage_fraction {
            Some(r) => r.to_param("damage_fraction").map_err(|e| err(&sid, e))?,
            None => Param::Fixed(0.0),
        };
        let damage = sc
            .input(
                format!("{sid}.damage_fraction"),
                format!("{sid} capacity destroyed"),
                "fraction",
                damage,
                Domain::FRACTION,
                match (&site.damage_source, &site.damage_assumption) {
                    (Some(s), Some(a)) => format!("{}; assumption: {a}", cite(s)),
                    (Some(s), None) => cite(s),
                    _ => "no damage".into(),
                },
            )
            .map_err(|e| err(&sid, e.to_string()))?;
        for c in &site.cascades {
            let at = format!("site `{sid}`, {} {}", c.status, c.machine);
            let (power, eff, mid) = machine_inputs(&mut sc, library, &c.machine, opts)
                .map_err(|e| err(&at, e.to_string()))?;
            let key = format!("{sid}.{mid}.{}", c.status);
            let source = match &c.assumption {
                Some(a) => format!("{}; assumption: {a}", cite(&c.source)),
                None => cite(&c.source),
            };
            let machines = sc
                .input(
                    format!("{key}.machines"),
                    format!("{sid} {mid} machines ({})", c.status),
                    "machines",
                    c.machines.to_param("machines").map_err(|e| err(&at, e))?,
                    Domain::NON_NEGATIVE,
                    source.clone(),
                )
                .map_err(|e| err(&at, e.to_string()))?;
            let online_after_days = c
                .online_after_days
                .as_ref()
                .map(|r| {
                    sc.input(
                        format!("{key}.online_after_days"),
                        format!("{sid} {mid} on line after"),
                        "days",
                        r.to_param("online_after_days").map_err(|e| err(&at, e))?,
                        Domain::NON_NEGATIVE,
                        source,
                    )
                    .map_err(|e| err(&at, e.to_string()))
                })
                .transpose()?;
            let status = GroupStatus::new(c.status, online_after_days).ok_or_else(|| {
                err(
                    &at,
                    "online_after_days is required for status `building` and only there".into(),
                )
            })?;
            // Assays and their sources were checked as the file was read (parse_state).
            design_feeds.push(c.design_feed_wt_pct);
            sc.groups.push(CascadeGroup {
                site: sid.clone(),
                machine: mid,
                status,
                machines,
                cascades: c.cascades,
                swu_per_machine_yr: power,
                efficiency: eff,
                damage_fraction: damage,
                handles_wt_pct: c.handles_wt_pct.clone().unwrap_or_default(),
            });
        }
    }
    if !opts.no_stocks {
        for (i, s) in d.stocks.iter().enumerate() {
            let at = format!("stock #{} ({})", i + 1, s.band);
            let assay = Assay::named_wt_pct("assay_wt_pct", s.assay_wt_pct)
                .map_err(|e| err(&at, e.to_string()))?;
            if opts.max_feed_wt_pct.is_some_and(|x| s.assay_wt_pct > x) {
                continue;
            }
            let (mass, how) = match (&s.mass_kg_u, &s.mass_kg_compound) {
                (Some(m), _) => (
                    m.to_param("mass_kg_u").map_err(|e| err(&at, e))?,
                    String::new(),
                ),
                (None, Some(m)) => {
                    let form: ChemicalForm = s
                        .form
                        .parse()
                        .map_err(|e: enrich::EnrichError| err(&at, format!("form: {e}")))?;
                    let f = CompoundMass::new(1.0, form)
                        .map_err(|e| err(&at, e.to_string()))?
                        .uranium(&Composition::binary(assay))
                        .kg();
                    (
                        m.to_param("mass_kg_compound")
                            .map_err(|e| err(&at, e))?
                            .scaled(f),
                        format!(" (kg {} × {:.5} kg U/kg)", s.form, f),
                    )
                }
                (None, None) => unreachable!("checked at parse"),
            };
            let source = match &s.assumption {
                Some(a) => format!("{}{how}; assumption: {a}", cite(&s.source)),
                None => format!("{}{how}", cite(&s.source)),
            };
            let key = format!("stock.{}.{}", s.site.to_ascii_lowercase(), i + 1);
            let mass = sc
                .input(
                    format!("{key}.mass_kg_u"),
                    format!("{} {} ({}) at {}", s.site, s.band, s.form, s.assay_wt_pct),
                    "kg U",
                    mass,
                    Domain::NON_NEGATIVE,
                    source.clone(),
                )
                .map_err(|e| err(&at, e.to_string()))?;
            let avail = sc
                .input(
                    format!("{key}.available_fraction"),
                    format!("{} {} available", s.site, s.band),
                    "fraction",
                    match &s.available_fraction {
                        Some(r) => r.to_param("available_fraction").map_err(|e| err(&at, e))?,
                        None => Param::Fixed(1.0),
                    },
                    Domain::FRACTION,
                    if s.available_fraction.is_some() {
                        source
                    } else {
                        "all of it (default)".into()
                    },
                )
                .map_err(|e| err(&at, e.to_string()))?;
            sc.stocks.push(StockEntry {
                site: s.site.to_ascii_lowercase(),
                label: format!("{} ({})", s.band, s.form),
                assay,
                mass_kg_u: mass,
                available_fraction: avail,
            });
        }
    }
    set_reinstall(&mut sc, opts)?;
    attach_hardware(&mut sc, library, &design_feeds)?;
    Ok(sc)
}

/// The cascade hardware of each group for the fixed-cascade model: the bundled profile of its
/// machine type and cascade size when the cascades are set up for natural feed, otherwise the
/// same 15-stage ideal design (feed at stage 6, as the bundled profiles) for the state's design
/// feed. Groups of the same kind are pooled, weighted by their rated output at central values.
/// Cascades of fewer than 15 machines (R&D) count in capacity but give no hardware of their own.
///
/// # Errors
/// [`AppError::Input`] if a machine has no stage separation factor or a design fails.
pub fn attach_hardware(
    sc: &mut Scenario,
    library: &MachineLibrary,
    design_feeds: &[Option<f64>],
) -> Result<(), AppError> {
    let mut hardware = kinds_of(sc, library, design_feeds, |_| true)?;
    if hardware.is_empty() {
        hardware.push(stand_in(sc, false)?);
    }
    let whole = tabulated(hardware)?;
    // The steps only some operating cascades handle: those cascades run them while the rest
    // are set up (docs/models.md, 'Set-up per step').
    let transfer = whole.transfer();
    let masks: Vec<u64> = sc
        .groups
        .iter()
        .map(|g| {
            let handled: Vec<f64> = g.handles_wt_pct.iter().map(|x| x / 100.0).collect();
            breakout::fixed::levels_mask(transfer, &handled)
        })
        .collect();
    let operating = |i: usize| sc.groups[i].status == GroupStatus::Operating;
    let mut ready = Vec::new();
    for level in 2..breakout::fixed::LEVELS as u32 {
        let bit = 1u64 << level;
        let handles = |i: usize| operating(i) && masks[i] & bit != 0;
        let some = (0..masks.len()).any(handles);
        let all = (0..masks.len()).filter(|&i| operating(i)).all(handles);
        if some && !all {
            let kinds = kinds_of(sc, library, design_feeds, handles)?;
            if !kinds.is_empty() {
                ready.push((level, tabulated(kinds)?));
            }
        }
    }
    sc.hardware = Some(whole);
    sc.ready_hardware = ready;
    Ok(())
}

/// The kinds of cascade of the groups `include` selects (by index): groups of one machine type,
/// cascade size, design feed and handled steps are one kind, weighted by rated output at
/// central values. Groups too small for a cascade, of an unknown type or without output are
/// left out.
fn kinds_of(
    sc: &Scenario,
    library: &MachineLibrary,
    design_feeds: &[Option<f64>],
    include: impl Fn(usize) -> bool,
) -> Result<Vec<Hardware>, AppError> {
    /// Groups that form one kind: what they share, their rated output and their indices.
    struct Kind {
        machine: String,
        per_cascade: u32,
        /// Assays compared to 1e-6 wt-% (as integer micro-percent).
        feed: Option<u64>,
        handles: Vec<u64>,
        weight: f64,
        groups: Vec<usize>,
    }
    let micro = |x: f64| (x * 1e6).round() as u64;
    let values = sc.central_values();
    let mut kinds: Vec<Kind> = Vec::new();
    for (i, (g, feed)) in sc.groups.iter().zip(design_feeds).enumerate() {
        if !include(i) {
            continue;
        }
        let weight = values[g.machines]
            * values[g.swu_per_machine_yr]
            * values[g.efficiency]
            * (1.0 - values[g.damage_fraction]);
        let per_cascade = (values[g.machines] / f64::from(g.cascades.max(1))).round() as u32;
        if per_cascade < STAGES || library.get(&g.machine).is_err() || weight <= 0.0 {
            continue;
        }
        let mut handles: Vec<u64> = g.handles_wt_pct.iter().map(|&x| micro(x)).collect();
        handles.sort_unstable();
        handles.dedup();
        let feed = feed.map(micro);
        match kinds.iter_mut().find(|k| {
            k.machine == g.machine
                && k.per_cascade == per_cascade
                && k.feed == feed
                && k.handles == handles
        }) {
            Some(k) => {
                k.weight += weight;
                k.groups.push(i);
            }
            None => kinds.push(Kind {
                machine: g.machine.clone(),
                per_cascade,
                feed,
                handles,
                weight,
                groups: vec![i],
            }),
        }
    }
    let mut hardware = Vec::new();
    for k in kinds {
        let (cascade, label) = design(
            library,
            &k.machine,
            k.per_cascade,
            k.feed.map(|x| x as f64 / 1e6),
        )?;
        hardware.push(Hardware {
            cascade,
            nominal_swu_per_yr: k.weight,
            label,
            built_for_each_step: false,
            handles_wt_pct: k.handles.into_iter().map(|x| x as f64 / 1e6).collect(),
            groups: k.groups,
        });
    }
    Ok(hardware)
}

/// Machines per cascade of a type's usual cascade (the bundled IR-1, IR-2m and IR-6 profiles
/// of 174 machines).
pub const USUAL_CASCADE_MACHINES: u32 = 174;

/// The hardware of quick mode (`--machines`, `--capacity-swu-per-yr`: no cascade layout given),
/// for both models. A new plant's cascades are built for the steps they run (issue 11's plant
/// model): each machine type's machines form cascades of its usual size
/// ([`USUAL_CASCADE_MACHINES`]), with the stage counts of the type's bundled profile (else the
/// 15-stage design), designed afresh for each feed
/// ([`Hardware::built_for_each_step`]): no re-piping and no set-up. Never a profile of another
/// type; capacity given in SWU/yr only has no type, and the bundled IR-1 profile's stage counts
/// stand in, built for each step too. Because the cascade size does not follow the machine
/// count, the transfer function per rated output is the same for 400 machines and 500.
///
/// With `existing_plant` (`--setup-days-per-step` given, 0 included) the machines are instead an
/// existing plant of natural-feed cascades (`N / ⌈N/174⌉` machines each) re-piped for each step
/// after that set-up time: the plants of the published estimates (docs/validation.md).
///
/// # Errors
/// [`AppError::Input`] if a design fails.
pub fn attach_quick_hardware(
    sc: &mut Scenario,
    library: &MachineLibrary,
    existing_plant: bool,
) -> Result<(), AppError> {
    if existing_plant {
        return attach_hardware(sc, library, &vec![None; sc.groups.len()]);
    }
    let values = sc.central_values();
    let mut kinds: Vec<(String, f64, f64, Vec<usize>)> = Vec::new();
    for (i, g) in sc.groups.iter().enumerate() {
        let weight = values[g.machines]
            * values[g.swu_per_machine_yr]
            * values[g.efficiency]
            * (1.0 - values[g.damage_fraction]);
        let Ok(m) = library.get(&g.machine) else {
            continue;
        };
        if weight <= 0.0 {
            continue;
        }
        match kinds.iter_mut().find(|k| k.0 == m.id) {
            Some(k) => {
                k.1 += weight;
                k.2 += values[g.machines];
                k.3.push(i);
            }
            None => kinds.push((m.id.clone(), weight, values[g.machines], vec![i])),
        }
    }
    let mut hardware = Vec::new();
    for (machine, weight, machines, groups) in kinds {
        // Always the usual size, so that the transfer function per rated output, and with it
        // the time per unit of capacity, does not depend on the machine count: fewer machines
        // than one cascade are taken at a full cascade's efficiency per machine (optimistic for
        // them: a 15-machine cascade of 15 stages would have one machine a stage).
        let (cascade, _) = design(library, &machine, USUAL_CASCADE_MACHINES, None)?;
        let part = if machines < f64::from(USUAL_CASCADE_MACHINES) {
            format!(
                "; {} machines at one cascade's efficiency",
                enrich::units::significant(machines, 4)
            )
        } else {
            String::new()
        };
        hardware.push(Hardware {
            cascade,
            nominal_swu_per_yr: weight,
            label: format!(
                "{USUAL_CASCADE_MACHINES}-machine {machine} cascades built for each step (quick mode{part})"
            ),
            built_for_each_step: true,
            handles_wt_pct: Vec::new(),
            groups,
        });
    }
    if hardware.is_empty() {
        hardware.push(stand_in(sc, true)?);
    }
    sc.hardware = Some(tabulated(hardware)?);
    sc.ready_hardware = Vec::new();
    Ok(())
}

/// The bundled IR-1 profile standing in for capacity given in SWU/yr only (no machine type) or
/// for a scenario without production cascades; every bundled profile has the same 15 stages.
fn stand_in(sc: &Scenario, built_for_each_step: bool) -> Result<Hardware, AppError> {
    let values = sc.central_values();
    let total: f64 = sc
        .groups
        .iter()
        .map(|g| values[g.machines] * values[g.swu_per_machine_yr] * values[g.efficiency])
        .sum();
    let file = crate::data::bundled_cascade("ir1-164")?
        .ok_or_else(|| AppError::Internal("the IR-1 164-machine profile is not bundled".into()))?;
    Ok(Hardware {
        cascade: file.cascade,
        nominal_swu_per_yr: total.max(f64::MIN_POSITIVE),
        label: if built_for_each_step {
            "IR-1 cascades built for each step (quick mode), standing in for capacity given without machines (assumption: the 15 stages and α = 1.5 of data/cascades/ir1-164.toml)".into()
        } else {
            "data/cascades/ir1-164.toml standing in for capacity given without machines (assumption: same 15 stages and α = 1.5 as every bundled profile)".into()
        },
        built_for_each_step,
        handles_wt_pct: Vec::new(),
        groups: (0..sc.groups.len()).collect(),
    })
}

/// Most kinds of hardware kept tabulated; past this the memo is emptied and refills.
const HARDWARE_MEMO_ENTRIES: usize = 64;

/// Tabulated hardware already met in this process, keyed by its full description. Tabulating is
/// most of a fixed-cascade estimate's cost, and a server, `history` or `deal compare` meets the
/// same hardware again and again.
static HARDWARE_MEMO: LazyLock<Mutex<HashMap<String, Arc<CascadeHardware>>>> =
    LazyLock::new(|| Mutex::new(HashMap::new()));

/// `kinds` tabulated, from the memo when the same hardware was tabulated before.
fn tabulated(kinds: Vec<Hardware>) -> Result<Arc<CascadeHardware>, AppError> {
    // The Debug text prints every f64 so that it parses back to the same value: equal keys
    // mean equal hardware.
    let key = format!("{kinds:?}");
    if let Some(hit) = HARDWARE_MEMO.lock().ok().and_then(|m| m.get(&key).cloned()) {
        return Ok(hit);
    }
    let hardware =
        Arc::new(CascadeHardware::new(kinds).map_err(|e| {
            AppError::Input(format!("the cascade hardware cannot be tabulated: {e}"))
        })?);
    if let Ok(mut memo) = HARDWARE_MEMO.lock() {
        if memo.len() >= HARDWARE_MEMO_ENTRIES {
            memo.clear();
        }
        memo.insert(key, Arc::clone(&hardware));
    }
    Ok(hardware)
}

/// Stages of the cascade designs made for the fixed-cascade model (as the bundled profiles).
const STAGES: u32 = 15;

fn design(
    library: &MachineLibrary,
    machine: &str,
    per_cascade: u32,
    feed_wt_pct: Option<f64>,
) -> Result<(FixedCascade, String), AppError> {
    let bad =
        |e: String| AppError::Input(format!("cascade design for {per_cascade} {machine}: {e}"));
    let m = library.get(machine).map_err(|e| bad(e.to_string()))?;
    if feed_wt_pct.is_none() {
        for (id, _) in crate::data::BUNDLED_CASCADES {
            if let Some(file) = crate::data::bundled_cascade(id)?
                && file
                    .machine
                    .as_deref()
                    .is_some_and(|x| x.eq_ignore_ascii_case(machine))
                && file.cascade.total_machines() == u64::from(per_cascade)
            {
                return Ok((
                    file.cascade,
                    format!(
                        "data/cascades/{id}.toml ({} cascades, derived profile)",
                        m.id
                    ),
                ));
            }
        }
    }
    let feed = Assay::named_wt_pct("design feed", feed_wt_pct.unwrap_or(0.711))
        .map_err(|e| bad(e.to_string()))?;
    let s = m.separation().map_err(|e| bad(e.to_string()))?;
    let l = m.machine_feed().map_err(|e| bad(e.to_string()))?;
    let cascade = IdealCascade::with_stages(feed, (STAGES - 5) as usize, 5, s)
        .and_then(|c| c.fitted_to_machines(per_cascade, l))
        .map_err(|e| bad(e.to_string()))?
        .cascade;
    Ok((
        cascade,
        format!(
            "{per_cascade}-machine {} cascades: 15-stage ideal design for {} wt-% feed (derived, docs/models.md)",
            m.id,
            enrich::units::significant(feed.wt_pct(), 4)
        ),
    ))
}

/// Applies `--reinstall-cascades-per-month`.
pub fn set_reinstall(sc: &mut Scenario, opts: &Options) -> Result<(), AppError> {
    if let Some(r) = opts.reinstall_cascades_per_month {
        sc.reinstall_cascades_per_month = sc
            .input(
                "reinstall_cascades_per_month",
                "Reinstallation rate",
                "cascades/month",
                Param::Fixed(r),
                Domain::NON_NEGATIVE,
                "--reinstall-cascades-per-month (what-if); observed: ~2/month/type (2015) and 6.3/month (2024) [S14]",
            )
            .map_err(|e| AppError::Usage(format!("--reinstall-cascades-per-month: {e}")))?;
    }
    Ok(())
}

/// Replaces each `[TAG]` in `text` by `[TAG: title]` once, so printed sources stand alone.
fn cite_sources(text: &str, sources: &BTreeMap<String, String>) -> String {
    let mut out = text.to_string();
    for (tag, title) in sources {
        let needle = format!("[{tag}]");
        if let Some(at) = out.find(&needle) {
            out.replace_range(at..at + needle.len(), &format!("[{tag}: {title}]"));
        }
    }
    out
}

/// What a state reports, as a deal's compliance check needs it (`breakout deal check`).
///
/// Uncertain figures enter at their central value; cascades under construction are not installed
/// and are left out; stocks of unknown location still count as held. The state schema has no
/// research or manufacturing records, so clauses on those are "cannot be verified".
///
/// # Errors
/// [`AppError::Input`] for a distribution that does not parse or an unknown form or date.
pub fn facts(state: &State) -> Result<Facts, AppError> {
    let file = &state.file;
    let bad = |m: String| AppError::Input(format!("{file}: {m}"));
    let central =
        |p: &ParamRecord, field: &str| p.to_param(field).map(Param::central).map_err(&bad);
    let date: Date = state
        .data
        .as_of
        .parse()
        .map_err(|e| bad(format!("as_of: {e}")))?;
    let mut machines = Vec::new();
    for site in &state.data.sites {
        for c in &site.cascades {
            // Under construction: not installed yet, so no deal counts it.
            if c.status == MachineStatus::Building {
                continue;
            }
            let n = central(&c.machines, "machines")?;
            machines.push(MachineCount {
                site: site.id.to_ascii_lowercase(),
                machine: c.machine.clone(),
                status: c.status,
                machines: n.round().max(0.0) as u32,
                cascades: Some(c.cascades),
            });
        }
    }
    let mut stocks = Vec::new();
    for s in &state.data.stocks {
        let assay =
            Assay::named_wt_pct("stock assay", s.assay_wt_pct).map_err(|e| bad(e.to_string()))?;
        let form = s.form.parse::<ChemicalForm>().unwrap_or(ChemicalForm::Uf6);
        let kg_u = match (&s.mass_kg_u, &s.mass_kg_compound) {
            (Some(m), _) => central(m, "mass_kg_u")?,
            (None, Some(m)) => CompoundMass::new(central(m, "mass_kg_compound")?, form)
                .map_err(|e| bad(e.to_string()))?
                .uranium(&Composition::binary(assay))
                .kg(),
            (None, None) => return Err(bad(format!("stock `{}` has no mass", s.band))),
        };
        stocks.push(StockHolding {
            label: format!("{} ({}) at {}", s.band, s.form, s.site),
            site: Some(s.site.to_ascii_lowercase()),
            assay,
            kg_u: KgU::new(kg_u).map_err(|e| bad(e.to_string()))?,
            form,
        });
    }
    Ok(Facts {
        date,
        machines: Some(machines),
        stocks: Some(stocks),
        manufacturing: None,
        research: None,
        enrichment_wt_pct: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::bundled_machines;

    fn opts() -> Options {
        Options {
            goal: Goal::new(
                breakout::GoalUnit::SignificantQuantity,
                Assay::from_wt_pct(90.0).unwrap(),
                1,
            )
            .unwrap(),
            sites: vec![],
            max_feed_wt_pct: None,
            no_stocks: false,
            reinstall_cascades_per_month: None,
            efficiency: vec![],
            swu_per_machine: vec![],
            tails: TailsPolicy::Float {
                ceiling: Assay::from_wt_pct(20.0).unwrap(),
            },
            natural_tails: Assay::from_wt_pct(0.4).unwrap(),
        }
    }

    #[test]
    fn every_bundled_state_loads_and_resolves_with_sources() {
        let lib = bundled_machines().unwrap();
        for (id, _) in BUNDLED {
            let st = load(id).unwrap();
            assert_eq!(st.data.id, id);
            let sc = scenario(&st, &lib, &opts()).unwrap();
            assert!(!sc.groups.is_empty(), "{id}");
            for i in &sc.inputs {
                assert!(!i.source.trim().is_empty(), "{id}: {} has no source", i.key);
            }
        }
    }

    #[test]
    fn bad_files_name_line_column_or_entry() {
        let base = "schema_version = 1\nid = \"x\"\ntitle = \"x\"\nas_of = \"2025-01-01\"\ndescription = \"\"\n[sources]\nA = \"a\"\n[[site]]\nid = \"fep\"\nname = \"n\"\n";
        for (extra, want) in [
            ("colour = 3\n", "x.toml:11:1: unknown field `colour`"),
            (
                "[[site.cascades]]\nmachine = \"IR-1\"\nstatus = \"spinning\"\nmachines = 1\ncascades = 1\nsource = \"[A]\"\n",
                "status `spinning`",
            ),
            (
                "[[site.cascades]]\nmachine = \"IR-1\"\nstatus = \"operating\"\nmachines = 1\ncascades = 1\nsource = \"[Q9]\"\n",
                "source tag [Q9]",
            ),
            (
                "[[stock]]\nsite = \"mars\"\nband = \"b\"\nform = \"UF6\"\nassay_wt_pct = 60\nmass_kg_u = 1\nsource = \"[A]\"\n",
                "site `mars`",
            ),
        ] {
            let e = parse_state(&format!("{base}{extra}"), "x.toml")
                .unwrap_err()
                .to_string();
            assert!(e.contains(want), "{e}");
        }
    }

    /// One validation path: every value `run` would refuse is refused as the file is read, so
    /// `deal check` (which only needs [`facts`]) refuses it too, at its line and field.
    #[test]
    fn invalid_values_are_refused_as_the_file_is_read_by_every_command() {
        let text = BUNDLED[6].1;
        for (from, to, line_field) in [
            ("machines = 1724", "machines = -1740", "machines = -1740"),
            ("machines = 1724", "machines = nan", "machines = NaN"),
            ("machines = 1724", "machines = inf", "machines = inf"),
            (
                "machines = 1724",
                "machines = 1.8e19",
                "from 0 to 1000000 (limits::MAX_MACHINES)",
            ),
            (
                "machine = \"IR-6\"",
                "machine = \"IR-99\"",
                "expected one of IR-1",
            ),
            (
                "as_of = \"2025-05-17\"",
                "as_of = \"2025-13-45\"",
                "month must be 1 to 12",
            ),
            (
                "as_of = \"2025-05-17\"",
                "as_of = \"yesterday\"",
                "`yesterday` is not a date",
            ),
            ("as_of = \"2025-05-17\"", "as_of = \"\"", "is not a date"),
            (
                "form = \"UF6\"",
                "form = \"UF7\"",
                "expected UF6, U3O8, UO2, metal or other",
            ),
            (
                "assay_wt_pct = 60.0",
                "assay_wt_pct = 160",
                "strictly between 0 and 100",
            ),
        ] {
            assert!(text.contains(from), "{from}");
            let bad = text.replacen(from, to, 1);
            let line = bad[..bad.find(to).unwrap()].matches('\n').count() + 1;
            let e = parse_state(&bad, "s.toml").unwrap_err().to_string();
            assert!(
                e.starts_with(&format!("s.toml:{line}:")) && e.contains(line_field),
                "{to}: {e}"
            );
        }
        let bad = text.replacen("mass_kg_u = ", "available_fraction = -0.5\nmass_kg_u = ", 1);
        let e = parse_state(&bad, "s.toml").unwrap_err().to_string();
        assert!(
            e.contains("available_fraction = -0.5 is not valid: expected a fraction from 0 to 1"),
            "{e}"
        );
    }

    #[test]
    fn distributions_need_their_keys() {
        let r = ParamRecord::Dist(DistRecord {
            dist: "triangular".into(),
            min: Some(1.0),
            mode: None,
            max: Some(2.0),
            mean: None,
            sd: Some(1.0),
            median: None,
            sigma: None,
        });
        let e = r.to_param("mass_kg_u").unwrap_err();
        assert!(e.contains("min, mode, max") && e.contains("not sd"), "{e}");
    }
}
