//! `breakout convert`: a mass between kg U, kg U-235 and chemical forms, with factors computed
//! from the isotopic composition. [`convert`] gives the typed [`ConvertResult`] the document is
//! built from.

use std::fmt;

use clap::{ArgGroup, Args, ValueEnum};
use enrich::{Assay, ChemicalForm, Composition, CompoundMass, Isotope, KgU, KgU235};
use serde::Serialize;
use serde::ser::SerializeMap;
use serde_json::json;

use super::parse_composition_pct;
use crate::Answer;
use crate::document::{Document, Table, num};
use crate::error::{AppError, Outcome};

/// A mass unit on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum MassUnit {
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
    /// Every unit, in the order the table shows them.
    pub const ALL: [MassUnit; 5] = [
        MassUnit::KgU,
        MassUnit::KgU235,
        MassUnit::KgUf6,
        MassUnit::KgU3o8,
        MassUnit::KgUo2,
    ];

    /// The unit's JSON key, e.g. `kg_uf6`.
    pub fn key(self) -> &'static str {
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

/// The `results` of `breakout convert`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ConvertResult {
    /// The mass in the unit converted to, under that unit's key (`kg_uf6`: …).
    #[serde(flatten)]
    pub converted: Converted,
    /// Mean atomic mass of the uranium, g/mol.
    pub molar_mass_g_per_mol: f64,
    /// U-235, wt-%.
    pub u235_wt_pct: f64,
    /// U-235, at-%.
    pub u235_at_pct: f64,
    /// The same material in every unit.
    pub equivalents: Equivalents,
}

/// A mass in a unit; serialised as the one entry `{unit key: mass}`, so the JSON names the
/// unit as every other unit-suffixed field does.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Converted {
    /// The unit.
    pub unit: MassUnit,
    /// The mass, in `unit`.
    pub value: f64,
}

impl Serialize for Converted {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(1))?;
        m.serialize_entry(self.unit.key(), &self.value)?;
        m.end()
    }
}

/// One material in every [`MassUnit`].
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Equivalents {
    /// kg U.
    pub kg_u: f64,
    /// kg U-235.
    pub kg_u235: f64,
    /// kg UF6.
    pub kg_uf6: f64,
    /// kg U3O8.
    pub kg_u3o8: f64,
    /// kg UO2.
    pub kg_uo2: f64,
}

impl Equivalents {
    /// The mass in `unit`.
    pub fn get(&self, unit: MassUnit) -> f64 {
        match unit {
            MassUnit::KgU => self.kg_u,
            MassUnit::KgU235 => self.kg_u235,
            MassUnit::KgUf6 => self.kg_uf6,
            MassUnit::KgU3o8 => self.kg_u3o8,
            MassUnit::KgUo2 => self.kg_uo2,
        }
    }
}

/// `value` in `unit` of uranium of composition `c`, converted to `to` and to every other unit:
/// the typed result of `breakout convert`.
///
/// # Errors
/// [`AppError::Input`] for a negative or non-finite mass.
pub fn convert(
    value: f64,
    unit: MassUnit,
    to: MassUnit,
    c: &Composition,
) -> Result<ConvertResult, AppError> {
    let u = unit.to_uranium(value, c)?;
    let of = |unit: MassUnit| unit.of_uranium(u, c);
    Ok(ConvertResult {
        converted: Converted {
            unit: to,
            value: of(to),
        },
        molar_mass_g_per_mol: c.molar_mass(),
        u235_wt_pct: c.assay().wt_pct(),
        u235_at_pct: 100.0 * c.at_fraction(Isotope::U235),
        equivalents: Equivalents {
            kg_u: of(MassUnit::KgU),
            kg_u235: of(MassUnit::KgU235),
            kg_uf6: of(MassUnit::KgUf6),
            kg_u3o8: of(MassUnit::KgU3o8),
            kg_uo2: of(MassUnit::KgUo2),
        },
    })
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

/// Runs `breakout convert`: the flags resolved (and shown as inputs), the document of [`convert`].
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
    let res = convert(a.value, a.unit, a.to, &c)?;
    r.result(
        a.to.key(),
        &format!("Result ({})", a.to),
        res.converted.value,
        &a.to.to_string(),
    )
    .result(
        "molar_mass_g_per_mol",
        "Mean atomic mass of the uranium",
        res.molar_mass_g_per_mol,
        "g/mol",
    )
    .result("u235_wt_pct", "U-235", res.u235_wt_pct, "wt-%")
    .result("u235_at_pct", "U-235", res.u235_at_pct, "at-%");
    let mut t = Table::new("The same material in every unit", &["unit", "mass"]);
    for unit in MassUnit::ALL {
        t.row(vec![unit.to_string(), num(res.equivalents.get(unit))]);
    }
    r.result_json("equivalents", json!(res.equivalents))
        .table(t);
    Ok((r, Outcome::Success))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The typed result serialises to exactly the document's `results`, whatever the units and
    /// however the assay is given.
    #[test]
    fn typed_result_is_the_documents_results() {
        let binary = |pct| Composition::binary(Assay::named_wt_pct("assay", pct).unwrap());
        let natural = Composition::from_at_fractions_balance_u238(
            &parse_composition_pct("U234=0.0054,U235=0.7204").unwrap(),
        )
        .unwrap();
        for (request, unit, to, value, c) in [
            (
                json!({"value": 100, "unit": "kg-u", "to": "kg-uf6", "wt_pct": 60}),
                MassUnit::KgU,
                MassUnit::KgUf6,
                100.0,
                binary(60.0),
            ),
            (
                json!({"value": 25, "unit": "kg-u235", "to": "kg-u3o8", "wt_pct": 90}),
                MassUnit::KgU235,
                MassUnit::KgU3o8,
                25.0,
                binary(90.0),
            ),
            (
                json!({"value": 1000, "unit": "kg-uo2", "to": "kg-u", "composition_at_pct": "U234=0.0054,U235=0.7204"}),
                MassUnit::KgUo2,
                MassUnit::KgU,
                1000.0,
                natural,
            ),
        ] {
            let args: ConvertArgs = serde_json::from_value(request.clone()).unwrap();
            let (doc, _) = run(args).unwrap();
            let typed = convert(value, unit, to, &c).unwrap();
            assert_eq!(
                serde_json::to_value(&typed).unwrap(),
                doc.to_json()["results"],
                "{request}"
            );
        }
    }

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
