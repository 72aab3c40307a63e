//! `breakout machine`: the centrifuge library, with the source of every figure.

use clap::{Args, Subcommand, ValueEnum};
use enrich::Machine;
use enrich::centrifuge::{
    InnerRadius, MassBasis, RaetzParams, Rotor, SeparativeRate, dirac_max, raetz,
};
use serde_json::{Value, json};

use crate::Answer;
use crate::data::bundled_machines;
use crate::document::{Document, Table, num};
use crate::error::{AppError, Outcome};

/// `breakout machine ...`.
#[derive(Debug, Args, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MachineArgs {
    #[command(subcommand)]
    command: MachineCommand,
}

#[derive(Debug, Subcommand, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
enum MachineCommand {
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
struct RotorArgs {
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

#[derive(Debug, Args, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct RaetzArgs {
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

fn rate_results(r: &mut Document, key: &str, label: &str, du: SeparativeRate) {
    r.result(
        &format!("{key}_swu_per_yr"),
        label,
        du.kg_swu_per_yr(),
        "kg-SWU/yr",
    )
    .result(
        &format!("{key}_swu_per_s"),
        label,
        du.kg_swu_per_s,
        "kg-SWU/s",
    );
}

fn machine_json(m: &Machine) -> Value {
    let p = &m.separative_power;
    json!({
        "id": m.id, "name": m.name, "origin": m.origin, "claim_only": m.claim_only,
        "separative_power_swu_per_yr": {
            "low": p.low.kg_swu_per_yr(), "central": p.central.kg_swu_per_yr(), "high": p.high.kg_swu_per_yr(),
        },
        "source": m.source, "note": m.note,
        "physics": {
            "stage_separation_factor": m.physics.stage_separation_factor,
            "nominal_feed_mg_uf6_per_s": m.physics.nominal_feed_mg_uf6_per_s,
            "rotor_length_m": m.physics.rotor_length_m,
            "rotor_diameter_m": m.physics.rotor_diameter_m,
            "peripheral_speed_m_per_s": m.physics.peripheral_speed_m_per_s,
            "machine_feed_kg_u_per_yr": m.machine_feed().ok().map(|f| f.kg_u_per_yr()),
            "source": m.physics.source,
        },
    })
}

/// Physics rows of `machine show`: every figure, or that it is not public.
fn physics_rows(r: &mut Document, m: &Machine) {
    let p = &m.physics;
    for (key, label, v, unit) in [
        (
            "stage_separation_factor",
            "Stage separation factor α",
            p.stage_separation_factor,
            "",
        ),
        (
            "nominal_feed_mg_uf6_per_s",
            "Nominal feed (published)",
            p.nominal_feed_mg_uf6_per_s,
            "mg UF6/s",
        ),
        ("rotor_length_m", "Rotor length", p.rotor_length_m, "m"),
        (
            "rotor_diameter_m",
            "Rotor diameter",
            p.rotor_diameter_m,
            "m",
        ),
        (
            "peripheral_speed_m_per_s",
            "Peripheral speed",
            p.peripheral_speed_m_per_s,
            "m/s",
        ),
    ] {
        match v {
            Some(x) => r.result(key, label, x, unit),
            None => r.result_json(key, Value::Null).result_text(
                &format!("{key}_status"),
                label,
                "not public",
            ),
        };
    }
    if let Ok(f) = m.machine_feed() {
        r.result(
            "machine_feed_kg_u_per_yr",
            "Feed limit per machine (derived: δU/Φ(α))",
            f.kg_u_per_yr(),
            "kg U/yr",
        );
    }
    r.result_text("physics_source", "Physics source", &p.source);
}

/// Runs `breakout machine ...`.
pub fn run(args: MachineArgs) -> Answer {
    let lib = bundled_machines()?;
    let report = match args.command {
        MachineCommand::List => {
            let mut r = Document::new("machine list", "Centrifuge library (data/machines.toml)");
            let mut t = Table::new(
                "Separative power per machine, kg-SWU/yr",
                &["id", "low", "central", "high", "claim only", "name"],
            );
            for m in lib.machines() {
                let p = &m.separative_power;
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
            r.result_json(
                "machines",
                Value::Array(lib.machines().iter().map(machine_json).collect()),
            )
            .table(t)
            .note("`breakout machine show ID` prints the sources of each figure");
            r
        }
        MachineCommand::Show { id } => {
            let m = lib.get(&id)?;
            let p = &m.separative_power;
            let mut r = Document::new("machine show", format!("{} — {}", m.id, m.name));
            r.input_value("id", "Machine", json!(id), m.id.clone())
                .result_text("origin", "Origin", &m.origin)
                .result(
                    "separative_power_low_swu_per_yr",
                    "Separative power, low",
                    p.low.kg_swu_per_yr(),
                    "kg-SWU/yr",
                )
                .result(
                    "separative_power_central_swu_per_yr",
                    "Separative power, central",
                    p.central.kg_swu_per_yr(),
                    "kg-SWU/yr",
                )
                .result(
                    "separative_power_high_swu_per_yr",
                    "Separative power, high",
                    p.high.kg_swu_per_yr(),
                    "kg-SWU/yr",
                )
                .result_text(
                    "claim_only",
                    "Only a claim",
                    if m.claim_only { "yes" } else { "no" },
                )
                .result_text("source", "Source", &m.source)
                .result_text("note", "Note", &m.note);
            physics_rows(&mut r, m);
            r
        }
        MachineCommand::Dirac(a) => {
            let mut r = Document::new("machine dirac", "Dirac upper bound on separative power");
            let (rotor, t, basis, _) = rotor_inputs(&a, &mut r)?;
            let du = dirac_max(&rotor, t, basis)?;
            rate_results(&mut r, "dirac_max", "Dirac bound δU_max", du);
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
            let du = raetz(&rotor, feed * 1e-6, &p)?;
            rate_results(&mut r, "separative_power", "Separative power δU", du);
            let dirac = dirac_max(&rotor, t, basis)?;
            r.result(
                "dirac_max_swu_per_yr",
                "Dirac bound, same rotor",
                dirac.kg_swu_per_yr(),
                "kg-SWU/yr",
            );
            r.note("Raetz model after Glaser 2008 eqs. 3, 10, 12 with mbmore's constants; the feed enters on the basis mbmore uses (its test machine: 15 mg/s → 7.03232816847e-8 kg-SWU/s)");
            r
        }
    };
    Ok((report, Outcome::Success))
}
