//! `breakout convert`: a mass between kg U, kg U-235 and chemical forms, with factors computed
//! from the isotopic composition.

use std::fmt;

use clap::{ArgGroup, Args, ValueEnum};
use enrich::{Assay, ChemicalForm, Composition, CompoundMass, Isotope, KgU, KgU235};
use serde_json::{Map, Value, json};

use super::parse_composition_pct;
use crate::Answer;
use crate::document::{Document, Table, num};
use crate::error::{AppError, Outcome};

/// A mass unit on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
enum MassUnit {
    /// Kilograms of uranium element.
    KgU,
    /// Kilograms of the isotope U-235.
    #[value(name = "kg-u235")]
    KgU235,
    /// Kilograms of uranium hexafluoride.
    #[value(name = "kg-uf6")]
    KgUf6,
    /// Kilograms of triuranium octoxide.
    #[value(name = "kg-u3o8")]
    KgU3o8,
    /// Kilograms of uranium dioxide.
    #[value(name = "kg-uo2")]
    KgUo2,
}

impl MassUnit {
    const ALL: [MassUnit; 5] = [
        MassUnit::KgU,
        MassUnit::KgU235,
        MassUnit::KgUf6,
        MassUnit::KgU3o8,
        MassUnit::KgUo2,
    ];

    fn key(self) -> &'static str {
        match self {
            MassUnit::KgU => "kg_u",
            MassUnit::KgU235 => "kg_u235",
            MassUnit::KgUf6 => "kg_uf6",
            MassUnit::KgU3o8 => "kg_u3o8",
            MassUnit::KgUo2 => "kg_uo2",
        }
    }

    fn form(self) -> Option<ChemicalForm> {
        match self {
            MassUnit::KgUf6 => Some(ChemicalForm::Uf6),
            MassUnit::KgU3o8 => Some(ChemicalForm::U3o8),
            MassUnit::KgUo2 => Some(ChemicalForm::Uo2),
            MassUnit::KgU | MassUnit::KgU235 => None,
        }
    }

    fn to_uranium(self, kg: f64, c: &Composition) -> Result<KgU, AppError> {
        Ok(match self {
            MassUnit::KgU => KgU::new(kg)?,
            MassUnit::KgU235 => KgU235::new(kg)?.uranium_at(c.assay()),
            _ => {
                CompoundMass::new(kg, self.form().expect("compound units have a form"))?.uranium(c)
            }
        })
    }

    fn of_uranium(self, u: KgU, c: &Composition) -> f64 {
        match self {
            MassUnit::KgU => u.kg(),
            MassUnit::KgU235 => u.u235(c.assay()).kg(),
            _ => {
                CompoundMass::of_uranium(u, self.form().expect("compound units have a form"), c).kg
            }
        }
    }
}

impl fmt::Display for MassUnit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(
            self.to_possible_value()
                .expect("no skipped variants")
                .get_name(),
        )
    }
}

/// `breakout convert VALUE UNIT --wt-pct X --to UNIT`.
#[derive(Debug, Args, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
#[command(allow_negative_numbers = true)]
#[group(skip)]
#[command(group(ArgGroup::new("assay").required(true).multiple(false).args(["wt_pct", "at_pct", "at_pct_composition"])))]
pub struct ConvertArgs {
    /// The mass to convert.
    value: f64,
    /// Its unit.
    #[arg(value_enum)]
    unit: MassUnit,
    /// The unit to convert to.
    #[arg(long, value_enum)]
    to: MassUnit,
    /// U-235 assay, wt-% (binary U-235/U-238 uranium).
    #[arg(long, value_name = "WT_PCT")]
    wt_pct: Option<f64>,
    /// U-235 assay, at-% (binary U-235/U-238 uranium).
    #[arg(long, value_name = "AT_PCT")]
    at_pct: Option<f64>,
    /// Full composition in at-%, U-238 the balance, e.g. U234=0.0054,U235=0.7204.
    #[arg(long = "composition-at-pct", value_name = "ISO=AT_PCT,...")]
    #[serde(rename = "composition_at_pct")]
    at_pct_composition: Option<String>,
}

/// Runs `breakout convert`.
pub fn run(a: ConvertArgs) -> Answer {
    let mut r = Document::new(
        "convert",
        format!("Convert {} {} to {}", num(a.value), a.unit, a.to),
    );
    r.input("value", "Mass", a.value, &a.unit.to_string(), false)
        .input_value(
            "unit",
            "From",
            json!(a.unit.to_string()),
            a.unit.to_string(),
        )
        .input_value("to", "To", json!(a.to.to_string()), a.to.to_string());
    // clap enforces these rules on the command line; a request built from JSON is checked here.
    super::exactly_one(&[
        ("wt_pct", a.wt_pct.is_some()),
        ("at_pct", a.at_pct.is_some()),
        ("composition_at_pct", a.at_pct_composition.is_some()),
    ])?;
    let c = match (a.wt_pct, a.at_pct, &a.at_pct_composition) {
        (Some(w), ..) => {
            r.input(
                "wt_pct",
                "U-235 assay",
                w,
                "wt-% (binary U-235/U-238)",
                false,
            );
            Composition::binary(Assay::named_wt_pct("assay", w)?)
        }
        (_, Some(at), _) => {
            r.input(
                "at_pct",
                "U-235 assay",
                at,
                "at-% (binary U-235/U-238)",
                false,
            );
            Composition::binary(Assay::from_at_pct_binary(at)?)
        }
        (_, _, Some(s)) => {
            let c = Composition::from_at_fractions_balance_u238(&parse_composition_pct(s)?)?;
            r.input_value("composition_at_pct", "Composition", json!(s), c.to_string());
            c
        }
        _ => {
            return Err(AppError::Usage(
                "give one of --wt-pct, --at-pct, --composition-at-pct".into(),
            ));
        }
    };
    let u = a.unit.to_uranium(a.value, &c)?;
    let out = a.to.of_uranium(u, &c);
    r.result(
        a.to.key(),
        &format!("Result ({})", a.to),
        out,
        &a.to.to_string(),
    )
    .result(
        "molar_mass_g_per_mol",
        "Mean atomic mass of the uranium",
        c.molar_mass(),
        "g/mol",
    )
    .result("u235_wt_pct", "U-235", c.assay().wt_pct(), "wt-%")
    .result(
        "u235_at_pct",
        "U-235",
        100.0 * c.at_fraction(Isotope::U235),
        "at-%",
    );
    let mut t = Table::new("The same material in every unit", &["unit", "mass"]);
    let mut all = Map::new();
    for unit in MassUnit::ALL {
        let v = unit.of_uranium(u, &c);
        t.row(vec![unit.to_string(), num(v)]);
        all.insert(unit.key().into(), Value::from(v));
    }
    r.result_json("equivalents", Value::Object(all)).table(t);
    Ok((r, Outcome::Success))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn composition_flag_parses_and_reports_errors() {
        let v = parse_composition_pct("U234=0.0054,U235=0.7204").unwrap();
        assert_eq!(v.len(), 2);
        assert!((v[1].1 - 0.007_204).abs() < 1e-15);
        for (bad, needle) in [
            ("U235", "ISOTOPE=PERCENT"),
            ("U235=x", "`x`"),
            ("U239=1", "U239"),
        ] {
            let e = parse_composition_pct(bad).unwrap_err().to_string();
            assert!(e.contains(needle), "{e}");
        }
    }
}
