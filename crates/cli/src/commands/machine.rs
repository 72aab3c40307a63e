//! `breakout machine`: the centrifuge library, with the source of every figure.

use clap::{Args, Subcommand};
use enrich::Machine;
use serde_json::{Value, json};

use crate::data::bundled_machines;
use crate::error::{CmdResult, Outcome};
use crate::report::{Report, Table, num};

/// `breakout machine ...`.
#[derive(Debug, Args)]
pub struct MachineArgs {
    #[command(subcommand)]
    command: MachineCommand,
}

#[derive(Debug, Subcommand)]
enum MachineCommand {
    /// List the bundled machine types with their separative power.
    List,
    /// Show one machine type with its sources.
    Show {
        /// Machine id, e.g. IR-6 (case-insensitive).
        id: String,
    },
}

fn machine_json(m: &Machine) -> Value {
    let p = &m.separative_power;
    json!({
        "id": m.id, "name": m.name, "origin": m.origin, "claim_only": m.claim_only,
        "separative_power_swu_per_yr": {
            "low": p.low.kg_swu_per_yr(), "central": p.central.kg_swu_per_yr(), "high": p.high.kg_swu_per_yr(),
        },
        "source": m.source, "note": m.note,
    })
}

/// Runs `breakout machine ...`.
pub fn run(args: MachineArgs) -> CmdResult {
    let lib = bundled_machines()?;
    let report = match args.command {
        MachineCommand::List => {
            let mut r = Report::new("machine list", "Centrifuge library (data/machines.toml)");
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
            let mut r = Report::new("machine show", format!("{} — {}", m.id, m.name));
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
            r
        }
    };
    Ok((report, Outcome::Success))
}
