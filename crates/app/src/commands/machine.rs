//! `breakout machine`: the centrifuge library, with the source of every figure.
//!
//! Each subcommand has a typed result ([`list`], [`show`], [`dirac`], [`raetz`]) that its document
//! is built from and that serialises to exactly the document's JSON `results`.

use clap::{Args, Subcommand, ValueEnum};
use enrich::centrifuge::{self, InnerRadius, MassBasis, RaetzParams, Rotor, dirac_max};
use enrich::{Machine, MachinePhysics, SwuPerYear};
use serde::Serialize;
use serde::ser::SerializeMap;
use serde_json::{Value, json};

use crate::Answer;
use crate::data::bundled_machines;
use crate::document::{Document, Table, num};
use crate::error::{AppError, Outcome};

/// `breakout machine ...`.
#[derive(Debug, Args, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MachineArgs {
    /// The subcommand.
    #[command(subcommand)]
    pub command: MachineCommand,
}

/// The subcommands of `breakout machine`.
#[derive(Debug, Subcommand, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub enum MachineCommand {
    /// List the bundled machine types with their separative power.
    List,
    /// Show one machine type with its sources.
    Show {
        /// Machine id, e.g. IR-6 (case-insensitive).
        id: String,
    },
    /// The Dirac upper bound on a rotor's separative power.
    Dirac(RotorArgs),
    /// The Raetz separative power of a rotor at a given feed.
    Raetz(RaetzArgs),
}

/// Mass basis of the separative power.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
enum Basis {
    /// kg of uranium (ρD × M(U-238)/M(UF6)).
    U,
    /// kg of UF6.
    Uf6,
}

/// A rotor from the library or from flags (flags override the library's figures).
#[derive(Debug, Args, serde::Serialize, serde::Deserialize)]
pub struct RotorArgs {
    /// Machine id whose public rotor figures to use, e.g. P-1.
    id: Option<String>,
    /// Peripheral (wall) speed, m/s.
    #[arg(long, allow_negative_numbers = true, value_name = "M_PER_S")]
    speed_m_per_s: Option<f64>,
    /// Rotor length, m.
    #[arg(long, allow_negative_numbers = true, value_name = "M")]
    length_m: Option<f64>,
    /// Rotor diameter, m.
    #[arg(long, allow_negative_numbers = true, value_name = "M")]
    diameter_m: Option<f64>,
    /// Gas temperature, K [default: 320].
    #[arg(long, allow_negative_numbers = true, value_name = "K")]
    temperature_k: Option<f64>,
    /// Mass basis [default: u].
    #[arg(long, value_enum)]
    basis: Option<Basis>,
}

/// `breakout machine raetz`: a rotor and the flow through it.
#[derive(Debug, Args, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RaetzArgs {
    #[command(flatten)]
    #[serde(flatten)]
    rotor: RotorArgs,
    /// Machine feed, mg/s (the machine's nominal feed if it has one).
    #[arg(long, allow_negative_numbers = true, value_name = "MG_PER_S")]
    feed_mg_per_s: Option<f64>,
    /// r2/a [default: 0.975].
    #[arg(long, allow_negative_numbers = true, value_name = "RATIO")]
    r2_over_a: Option<f64>,
    /// r1/r2 (instead of the pressure ratio).
    #[arg(
        long,
        allow_negative_numbers = true,
        value_name = "RATIO",
        conflicts_with = "pressure_ratio"
    )]
    r1_over_r2: Option<f64>,
    /// Wall-to-axis pressure ratio x [default: 1000].
    #[arg(long, allow_negative_numbers = true, value_name = "X")]
    pressure_ratio: Option<f64>,
    /// Internal flow ratio k = L/F [default: 2].
    #[arg(long, allow_negative_numbers = true, value_name = "K")]
    flow_ratio: Option<f64>,
    /// Cut θ [default: 0.5].
    #[arg(long, allow_negative_numbers = true, value_name = "THETA")]
    cut: Option<f64>,
    /// Efficiency factor [default: 1].
    #[arg(long, allow_negative_numbers = true, value_name = "EFF")]
    efficiency: Option<f64>,
}

/// A machine's separative power as a range, kg-SWU/yr per machine.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct PowerRange {
    /// Lower end, kg-SWU/yr.
    pub low: SwuPerYear,
    /// Central value, kg-SWU/yr.
    pub central: SwuPerYear,
    /// Upper end, kg-SWU/yr.
    pub high: SwuPerYear,
}

/// A machine's physical figures in `machine list` (`None`: not public).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PhysicsEntry {
    /// Stage separation factor α.
    pub stage_separation_factor: Option<f64>,
    /// Nominal feed as published, mg UF6/s.
    pub nominal_feed_mg_uf6_per_s: Option<f64>,
    /// Rotor length, m.
    pub rotor_length_m: Option<f64>,
    /// Rotor diameter, m.
    pub rotor_diameter_m: Option<f64>,
    /// Peripheral speed, m/s.
    pub peripheral_speed_m_per_s: Option<f64>,
    /// Feed limit per machine derived from the separative power and α, kg U/yr (`None`: no α).
    pub machine_feed_kg_u_per_yr: Option<f64>,
    /// Where the figures come from.
    pub source: String,
}

/// One machine type in `machine list`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MachineEntry {
    /// Id, e.g. IR-6.
    pub id: String,
    /// Descriptive name.
    pub name: String,
    /// Lineage.
    pub origin: String,
    /// Whether the only public figure is the operator's claim.
    pub claim_only: bool,
    /// Separative power per machine, kg-SWU/yr.
    pub separative_power_swu_per_yr: PowerRange,
    /// Where the separative power comes from.
    pub source: String,
    /// How the range was chosen.
    pub note: String,
    /// Stage separation factor, rotor and feed.
    pub physics: PhysicsEntry,
}

impl From<&Machine> for MachineEntry {
    fn from(m: &Machine) -> Self {
        let p = &m.separative_power;
        MachineEntry {
            id: m.id.clone(),
            name: m.name.clone(),
            origin: m.origin.clone(),
            claim_only: m.claim_only,
            separative_power_swu_per_yr: PowerRange {
                low: p.low,
                central: p.central,
                high: p.high,
            },
            source: m.source.clone(),
            note: m.note.clone(),
            physics: PhysicsEntry {
                stage_separation_factor: m.physics.stage_separation_factor,
                nominal_feed_mg_uf6_per_s: m.physics.nominal_feed_mg_uf6_per_s,
                rotor_length_m: m.physics.rotor_length_m,
                rotor_diameter_m: m.physics.rotor_diameter_m,
                peripheral_speed_m_per_s: m.physics.peripheral_speed_m_per_s,
                machine_feed_kg_u_per_yr: m.machine_feed().ok().map(|f| f.kg_u_per_yr()),
                source: m.physics.source.clone(),
            },
        }
    }
}

/// The `results` of `machine list`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MachineList {
    /// The bundled machine types, in library order.
    pub machines: Vec<MachineEntry>,
}

/// The bundled centrifuge library: the typed result of `breakout machine list`.
///
/// # Errors
/// [`AppError::Internal`] if the bundled library does not load.
pub fn list() -> Result<MachineList, AppError> {
    Ok(MachineList {
        machines: bundled_machines()?
            .machines()
            .iter()
            .map(MachineEntry::from)
            .collect(),
    })
}

/// The `results` of `machine show`: one machine type with its sources.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MachineShow {
    /// The library's id (shown in the title; the request's spelling is the input).
    #[serde(skip)]
    pub id: String,
    /// Descriptive name (shown in the title).
    #[serde(skip)]
    pub name: String,
    /// Lineage.
    pub origin: String,
    /// Separative power per machine, lower end, kg-SWU/yr.
    pub separative_power_low_swu_per_yr: SwuPerYear,
    /// Separative power per machine, central value, kg-SWU/yr.
    pub separative_power_central_swu_per_yr: SwuPerYear,
    /// Separative power per machine, upper end, kg-SWU/yr.
    pub separative_power_high_swu_per_yr: SwuPerYear,
    /// Whether the only public figure is the operator's claim (`"yes"`/`"no"`).
    #[serde(serialize_with = "yes_no")]
    pub claim_only: bool,
    /// Where the separative power comes from.
    pub source: String,
    /// How the range was chosen.
    pub note: String,
    /// α, rotor and nominal feed.
    #[serde(flatten)]
    pub physics: ShownPhysics,
    /// Feed limit per machine derived from the separative power and α, kg U/yr (absent: no α).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub machine_feed_kg_u_per_yr: Option<f64>,
    /// Where the physical figures come from.
    pub physics_source: String,
}

fn yes_no<S: serde::Serializer>(b: &bool, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(if *b { "yes" } else { "no" })
}

/// The physical figures of `machine show`. Each serialises under its key, and one that is not
/// public as `null` with `KEY_status: "not public"` beside it, so a reader of the JSON sees the
/// gap as the text does.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ShownPhysics {
    /// Stage separation factor α.
    pub stage_separation_factor: Option<f64>,
    /// Nominal feed as published, mg UF6/s.
    pub nominal_feed_mg_uf6_per_s: Option<f64>,
    /// Rotor length, m.
    pub rotor_length_m: Option<f64>,
    /// Rotor diameter, m.
    pub rotor_diameter_m: Option<f64>,
    /// Peripheral speed, m/s.
    pub peripheral_speed_m_per_s: Option<f64>,
}

impl ShownPhysics {
    fn of(p: &MachinePhysics) -> Self {
        ShownPhysics {
            stage_separation_factor: p.stage_separation_factor,
            nominal_feed_mg_uf6_per_s: p.nominal_feed_mg_uf6_per_s,
            rotor_length_m: p.rotor_length_m,
            rotor_diameter_m: p.rotor_diameter_m,
            peripheral_speed_m_per_s: p.peripheral_speed_m_per_s,
        }
    }

    /// Each figure with its key, label and unit, in the order shown.
    fn rows(&self) -> [(&'static str, &'static str, Option<f64>, &'static str); 5] {
        [
            (
                "stage_separation_factor",
                "Stage separation factor α",
                self.stage_separation_factor,
                "",
            ),
            (
                "nominal_feed_mg_uf6_per_s",
                "Nominal feed (published)",
                self.nominal_feed_mg_uf6_per_s,
                "mg UF6/s",
            ),
            ("rotor_length_m", "Rotor length", self.rotor_length_m, "m"),
            (
                "rotor_diameter_m",
                "Rotor diameter",
                self.rotor_diameter_m,
                "m",
            ),
            (
                "peripheral_speed_m_per_s",
                "Peripheral speed",
                self.peripheral_speed_m_per_s,
                "m/s",
            ),
        ]
    }
}

impl Serialize for ShownPhysics {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        for (key, _, v, _) in self.rows() {
            m.serialize_entry(key, &v)?;
            if v.is_none() {
                m.serialize_entry(&format!("{key}_status"), NOT_PUBLIC)?;
            }
        }
        m.end()
    }
}

/// What `machine show` says of a figure with no public value.
const NOT_PUBLIC: &str = "not public";

/// Machine `id` (case-insensitive) with its sources: the typed result of `breakout machine show`.
///
/// # Errors
/// [`AppError::Input`] for an id the library does not have.
pub fn show(id: &str) -> Result<MachineShow, AppError> {
    let lib = bundled_machines()?;
    let m = lib.get(id)?;
    let p = &m.separative_power;
    Ok(MachineShow {
        id: m.id.clone(),
        name: m.name.clone(),
        origin: m.origin.clone(),
        separative_power_low_swu_per_yr: p.low,
        separative_power_central_swu_per_yr: p.central,
        separative_power_high_swu_per_yr: p.high,
        claim_only: m.claim_only,
        source: m.source.clone(),
        note: m.note.clone(),
        physics: ShownPhysics::of(&m.physics),
        machine_feed_kg_u_per_yr: m.machine_feed().ok().map(|f| f.kg_u_per_yr()),
        physics_source: m.physics.source.clone(),
    })
}

// The model rates below stay plain numbers rather than `SwuPerYear`: a model evaluated far
// outside its range can give a NaN or an infinity, which `execute` refuses with its own message
// once the document is built, and `SwuPerYear` (positive and finite) could not hold it.

/// The `results` of `machine dirac`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct DiracResult {
    /// The Dirac bound δU_max, kg-SWU/yr.
    pub dirac_max_swu_per_yr: f64,
    /// The same, kg-SWU/s.
    pub dirac_max_swu_per_s: f64,
}

/// The Dirac upper bound on the separative power of `rotor` with gas at `temperature_k`:
/// the typed result of `breakout machine dirac`.
///
/// # Errors
/// [`AppError::Input`] for a non-positive temperature.
pub fn dirac(rotor: &Rotor, temperature_k: f64, basis: MassBasis) -> Result<DiracResult, AppError> {
    let du = dirac_max(rotor, temperature_k, basis)?;
    Ok(DiracResult {
        dirac_max_swu_per_yr: du.kg_swu_per_yr(),
        dirac_max_swu_per_s: du.kg_swu_per_s,
    })
}

/// The `results` of `machine raetz`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct RaetzResult {
    /// The Raetz separative power δU, kg-SWU/yr.
    pub separative_power_swu_per_yr: f64,
    /// The same, kg-SWU/s.
    pub separative_power_swu_per_s: f64,
    /// The Dirac bound of the same rotor, kg-SWU/yr.
    pub dirac_max_swu_per_yr: f64,
}

/// The Raetz separative power of `rotor` fed `feed_mg_per_s`, with the Dirac bound of the same
/// rotor beside it: the typed result of `breakout machine raetz`.
///
/// # Errors
/// [`AppError::Input`] naming a parameter out of its range, or a pressure ratio that leaves no
/// gas column.
pub fn raetz(rotor: &Rotor, feed_mg_per_s: f64, p: &RaetzParams) -> Result<RaetzResult, AppError> {
    let du = centrifuge::raetz(rotor, feed_mg_per_s * 1e-6, p)?;
    let bound = dirac_max(rotor, p.temperature_k, p.basis)?;
    Ok(RaetzResult {
        separative_power_swu_per_yr: du.kg_swu_per_yr(),
        separative_power_swu_per_s: du.kg_swu_per_s,
        dirac_max_swu_per_yr: bound.kg_swu_per_yr(),
    })
}

/// Resolves the rotor and shows every figure with where it came from.
fn rotor_inputs(
    a: &RotorArgs,
    r: &mut Document,
) -> Result<(Rotor, f64, MassBasis, Option<Machine>), AppError> {
    let lib = bundled_machines()?;
    let m = a.id.as_deref().map(|id| lib.get(id)).transpose()?.cloned();
    if let Some(m) = &m {
        r.input_value("id", "Machine", json!(m.id), m.id.clone());
    }
    let pick = |flag: Option<f64>,
                lib: Option<f64>,
                key: &str,
                label: &str,
                unit: &str,
                r: &mut Document| {
        match (flag, lib) {
            (Some(v), _) => {
                r.input(key, label, v, unit, false);
                Ok(v)
            }
            (None, Some(v)) => {
                r.input(key, label, v, &format!("{unit} (library)"), true);
                Ok(v)
            }
            (None, None) => Err(AppError::Usage(format!(
                "give --{} (no public figure for this machine)",
                key.replace('_', "-")
            ))),
        }
    };
    let ph = m.as_ref().map(|m| m.physics.clone()).unwrap_or_default();
    let v = pick(
        a.speed_m_per_s,
        ph.peripheral_speed_m_per_s,
        "speed_m_per_s",
        "Peripheral speed",
        "m/s",
        r,
    )?;
    let z = pick(
        a.length_m,
        ph.rotor_length_m,
        "length_m",
        "Rotor length",
        "m",
        r,
    )?;
    let d = pick(
        a.diameter_m,
        ph.rotor_diameter_m,
        "diameter_m",
        "Rotor diameter",
        "m",
        r,
    )?;
    let t = a.temperature_k.unwrap_or(320.0);
    r.input(
        "temperature_k",
        "Gas temperature",
        t,
        "K",
        a.temperature_k.is_none(),
    );
    let basis = match a.basis.unwrap_or(Basis::U) {
        Basis::U => MassBasis::Uranium,
        Basis::Uf6 => MassBasis::Uf6,
    };
    r.input_value(
        "basis",
        "Mass basis",
        json!(if basis == MassBasis::Uranium {
            "u"
        } else {
            "uf6"
        }),
        if basis == MassBasis::Uranium {
            "kg U"
        } else {
            "kg UF6"
        },
    );
    Ok((Rotor::new(v, z, d)?, t, basis, m))
}

/// A rate's two rows, kg-SWU/yr and kg-SWU/s.
fn rate_rows(r: &mut Document, key: &str, label: &str, per_yr: f64, per_s: f64) {
    r.result(&format!("{key}_swu_per_yr"), label, per_yr, "kg-SWU/yr")
        .result(&format!("{key}_swu_per_s"), label, per_s, "kg-SWU/s");
}

/// Physics rows of `machine show`: every figure, or that it is not public.
fn physics_rows(r: &mut Document, m: &MachineShow) {
    for (key, label, v, unit) in m.physics.rows() {
        match v {
            Some(x) => r.result(key, label, x, unit),
            None => r.result_json(key, Value::Null).result_text(
                &format!("{key}_status"),
                label,
                NOT_PUBLIC,
            ),
        };
    }
    if let Some(f) = m.machine_feed_kg_u_per_yr {
        r.result(
            "machine_feed_kg_u_per_yr",
            "Feed limit per machine (derived: δU/Φ(α))",
            f,
            "kg U/yr",
        );
    }
    r.result_text("physics_source", "Physics source", &m.physics_source);
}

/// Runs `breakout machine ...`: the flags resolved (and shown as inputs), the document of
/// [`list`], [`show`], [`dirac`] or [`raetz`].
pub fn run(args: MachineArgs) -> Answer {
    let report = match args.command {
        MachineCommand::List => {
            let res = list()?;
            let mut r = Document::new("machine list", "Centrifuge library (data/machines.toml)");
            let mut t = Table::new(
                "Separative power per machine, kg-SWU/yr",
                &["id", "low", "central", "high", "claim only", "name"],
            );
            for m in &res.machines {
                let p = &m.separative_power_swu_per_yr;
                t.row(vec![
                    m.id.clone(),
                    num(p.low.kg_swu_per_yr()),
                    num(p.central.kg_swu_per_yr()),
                    num(p.high.kg_swu_per_yr()),
                    if m.claim_only {
                        "yes".into()
                    } else {
                        "no".into()
                    },
                    m.name.clone(),
                ]);
            }
            r.result_json("machines", json!(res.machines))
                .table(t)
                .note("`breakout machine show ID` prints the sources of each figure");
            r
        }
        MachineCommand::Show { id } => {
            let m = show(&id)?;
            let mut r = Document::new("machine show", format!("{} — {}", m.id, m.name));
            r.input_value("id", "Machine", json!(id), m.id.clone())
                .result_text("origin", "Origin", &m.origin)
                .result(
                    "separative_power_low_swu_per_yr",
                    "Separative power, low",
                    m.separative_power_low_swu_per_yr.kg_swu_per_yr(),
                    "kg-SWU/yr",
                )
                .result(
                    "separative_power_central_swu_per_yr",
                    "Separative power, central",
                    m.separative_power_central_swu_per_yr.kg_swu_per_yr(),
                    "kg-SWU/yr",
                )
                .result(
                    "separative_power_high_swu_per_yr",
                    "Separative power, high",
                    m.separative_power_high_swu_per_yr.kg_swu_per_yr(),
                    "kg-SWU/yr",
                )
                .result_text(
                    "claim_only",
                    "Only a claim",
                    if m.claim_only { "yes" } else { "no" },
                )
                .result_text("source", "Source", &m.source)
                .result_text("note", "Note", &m.note);
            physics_rows(&mut r, &m);
            r
        }
        MachineCommand::Dirac(a) => {
            let mut r = Document::new("machine dirac", "Dirac upper bound on separative power");
            let (rotor, t, basis, _) = rotor_inputs(&a, &mut r)?;
            let res = dirac(&rotor, t, basis)?;
            rate_rows(
                &mut r,
                "dirac_max",
                "Dirac bound δU_max",
                res.dirac_max_swu_per_yr,
                res.dirac_max_swu_per_s,
            );
            r.note("δU_max = (π/2)·Z·ρD·(ΔM v²/(2RT))², ρD = 2.2e-5 kg/(m·s) (Glaser 2008, eq. 6); no real machine reaches it");
            r
        }
        MachineCommand::Raetz(a) => {
            let mut r = Document::new("machine raetz", "Raetz separative power");
            let (rotor, t, basis, m) = rotor_inputs(&a.rotor, &mut r)?;
            let feed = match (
                a.feed_mg_per_s,
                m.as_ref().and_then(|m| m.physics.nominal_feed_mg_uf6_per_s),
            ) {
                (Some(f), _) => {
                    r.input("feed_mg_per_s", "Machine feed", f, "mg/s", false);
                    f
                }
                (None, Some(f)) => {
                    r.input(
                        "feed_mg_per_s",
                        "Machine feed",
                        f,
                        "mg UF6/s (library)",
                        true,
                    );
                    f
                }
                (None, None) => {
                    return Err(AppError::Usage(
                        "give --feed-mg-per-s (no public feed for this machine)".into(),
                    ));
                }
            };
            let d = RaetzParams::default();
            let inner = match (a.r1_over_r2, a.pressure_ratio) {
                (Some(x), _) => {
                    r.input("r1_over_r2", "r1/r2", x, "", false);
                    InnerRadius::Ratio(x)
                }
                (None, p) => {
                    r.input(
                        "pressure_ratio",
                        "Pressure ratio x",
                        p.unwrap_or(1000.0),
                        "",
                        p.is_none(),
                    );
                    InnerRadius::PressureRatio(p.unwrap_or(1000.0))
                }
            };
            let p = RaetzParams {
                r2_over_a: a.r2_over_a.unwrap_or(d.r2_over_a),
                inner,
                flow_ratio: a.flow_ratio.unwrap_or(d.flow_ratio),
                cut: a.cut.unwrap_or(d.cut),
                temperature_k: t,
                efficiency: a.efficiency.unwrap_or(d.efficiency),
                basis,
            };
            r.input("r2_over_a", "r2/a", p.r2_over_a, "", a.r2_over_a.is_none())
                .input(
                    "flow_ratio",
                    "Internal flow ratio k",
                    p.flow_ratio,
                    "",
                    a.flow_ratio.is_none(),
                )
                .input("cut", "Cut θ", p.cut, "", a.cut.is_none())
                .input(
                    "efficiency",
                    "Efficiency",
                    p.efficiency,
                    "",
                    a.efficiency.is_none(),
                );
            let res = raetz(&rotor, feed, &p)?;
            rate_rows(
                &mut r,
                "separative_power",
                "Separative power δU",
                res.separative_power_swu_per_yr,
                res.separative_power_swu_per_s,
            );
            r.result(
                "dirac_max_swu_per_yr",
                "Dirac bound, same rotor",
                res.dirac_max_swu_per_yr,
                "kg-SWU/yr",
            );
            r.note("Raetz model after Glaser 2008 eqs. 3, 10, 12 with mbmore's constants; the feed enters on the basis mbmore uses (its test machine: 15 mg/s → 7.03232816847e-8 kg-SWU/s)");
            r
        }
    };
    Ok((report, Outcome::Success))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rotor() -> Rotor {
        Rotor::new(350.0, 1.8, 0.1).unwrap()
    }

    /// Every subcommand's typed result serialises to exactly its document's `results`: the
    /// request as JSON, and the same inputs given to the public function.
    #[test]
    fn typed_results_are_the_documents_results() {
        type Typed = Box<dyn Fn() -> Value>;
        let cases: Vec<(Value, Typed)> = vec![
            (
                json!({"command": "list"}),
                Box::new(|| json!(list().unwrap())),
            ),
            // IR-6 lacks public rotor figures: `null` with a status beside each.
            (
                json!({"command": {"show": {"id": "ir-6"}}}),
                Box::new(|| json!(show("ir-6").unwrap())),
            ),
            (
                json!({"command": {"show": {"id": "P-1"}}}),
                Box::new(|| json!(show("P-1").unwrap())),
            ),
            (
                json!({"command": {"dirac": {"speed_m_per_s": 350, "length_m": 1.8, "diameter_m": 0.1}}}),
                Box::new(|| json!(dirac(&rotor(), 320.0, MassBasis::Uranium).unwrap())),
            ),
            (
                json!({"command": {"raetz": {"speed_m_per_s": 350, "length_m": 1.8, "diameter_m": 0.1, "feed_mg_per_s": 15, "basis": "uf6"}}}),
                Box::new(|| {
                    let p = RaetzParams {
                        basis: MassBasis::Uf6,
                        ..RaetzParams::default()
                    };
                    json!(raetz(&rotor(), 15.0, &p).unwrap())
                }),
            ),
        ];
        for (request, typed) in cases {
            let args: MachineArgs = serde_json::from_value(request.clone()).unwrap();
            let (doc, _) = run(args).unwrap();
            assert_eq!(typed(), doc.to_json()["results"], "{request}");
        }
    }

    /// A separative capacity serialises as its bare number of kg-SWU/yr.
    #[test]
    fn capacity_is_a_bare_number() {
        assert_eq!(json!(SwuPerYear::new(6.5).unwrap()), json!(6.5));
    }
}
