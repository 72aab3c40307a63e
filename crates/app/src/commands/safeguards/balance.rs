//! `safeguards balance` and `safeguards detect`: one material balance — its MUF and σ_MUF
//! from a file, and the detection probability of a loss for a given σ_MUF.

use super::*;
use crate::document::{Document, Table, num};
use crate::error::{AppError, Outcome};
use safeguards::balance::Species;
use safeguards::detection::{self, Sided};
use serde_json::{Value, json};

pub(super) fn balance(a: BalanceArgs) -> Result<(Document, Outcome), AppError> {
    let b = file::load_balance(&a.file)?;
    let mut r = Document::new(
        "safeguards balance",
        "Material balance: MUF and σ_MUF by period (general linear form, full covariance)",
    );
    r.input_value(
        "file",
        "Balance file",
        json!(a.file.display().to_string()),
        a.file.display().to_string(),
    );
    let alpha = probability(
        &mut r,
        "alpha",
        "--alpha",
        "False-alarm probability (each test)",
        a.alpha,
        DEFAULT_ALPHA,
    )?;
    r.input_value(
        "periods",
        "Periods",
        json!(b.periods()),
        b.periods().to_string(),
    )
    .input_value(
        "items",
        "Measured items",
        json!(b.items()),
        b.items().to_string(),
    );
    let z = safeguards::normal::quantile("alpha", 1.0 - alpha)?;
    let mut alarm = false;
    let mut species_json = serde_json::Map::new();
    for sp in [SpeciesArg::Element, SpeciesArg::Isotope] {
        let unit = sp.species().unit();
        let seq = b.evaluate(sp.species())?;
        let parts = b.covariance_parts(sp.species());
        let sig = seq.sigma_muf_kg();
        let mut t = Table::new(
            format!("{} balance ({unit}); alarm if MUF > z(1-α)·σ_MUF", sp.key()),
            &[
                "period",
                "MUF",
                "σ_MUF",
                "σ random",
                "σ systematic",
                "MUF/σ",
                "alarm",
            ],
        );
        let mut rows = Vec::new();
        for (i, (&m, &s)) in seq.muf_kg().iter().zip(&sig).enumerate() {
            let hit = m > z * s;
            alarm |= hit && sp.species() == Species::Isotope;
            let (sr, ss) = (
                parts.random.get(i, i).sqrt(),
                parts.systematic.get(i, i).sqrt(),
            );
            t.row(vec![
                (i + 1).to_string(),
                num(m),
                num(s),
                num(sr),
                num(ss),
                num(m / s),
                if hit { "ALARM".into() } else { "-".into() },
            ]);
            rows.push(json!({"period": i + 1, "muf_kg": m, "sigma_muf_kg": s, "sigma_random_kg": sr, "sigma_systematic_kg": ss, "alarm": hit}));
        }
        let (tot, tot_s) = seq.total();
        t.row(vec![
            "total".into(),
            num(tot),
            num(tot_s),
            String::new(),
            String::new(),
            num(tot / tot_s),
            if tot > z * tot_s {
                "ALARM".into()
            } else {
                "-".into()
            },
        ]);
        r.table(t);
        species_json.insert(
            sp.key().into(),
            json!({
                "unit": unit, "periods": rows, "total_muf_kg": tot, "sigma_total_muf_kg": tot_s,
            }),
        );
        if sp.species() == Species::Isotope {
            r.result(
                "muf_kg",
                "MUF, U-235, last period",
                *seq.muf_kg().last().unwrap_or(&0.0),
                unit,
            )
            .result(
                "sigma_muf_kg",
                "σ_MUF, U-235, last period",
                *sig.last().unwrap_or(&0.0),
                unit,
            )
            .result("total_muf_kg", "Total MUF, U-235", tot, unit)
            .result("sigma_total_muf_kg", "σ of total MUF, U-235", tot_s, unit)
            .result(
                "detection_probability",
                "Detection probability of 1 LEU SQ (75 kg U-235) by the total MUF",
                detection::detection_probability(SQ_LEU_KG_U235, tot_s, alpha, Sided::One)?,
                "",
            )
            .result(
                "detectable_loss_kg",
                "Loss detected with 95 % by the total MUF",
                detection::detectable_loss_kg(tot_s, alpha, DEFAULT_PROBABILITY)?,
                unit,
            );
        }
    }
    r.result_json("balances", Value::Object(species_json));
    r.note("positive MUF = apparent loss; an alarm in the U-235 balance gives exit code 1");
    Ok((
        r,
        if alarm {
            Outcome::Finding
        } else {
            Outcome::Success
        },
    ))
}

pub(super) fn detect(a: DetectArgs) -> Result<Document, AppError> {
    let mut r = Document::new(
        "safeguards detect",
        "One material balance: detection probability of a loss",
    );
    r.input("loss_kg", "Loss", a.loss_kg, "kg", false).input(
        "sigma_muf_kg",
        "σ_MUF",
        a.sigma_kg,
        "kg",
        false,
    );
    if !(a.loss_kg.is_finite() && a.loss_kg >= 0.0) {
        return Err(AppError::Input(format!(
            "--loss-kg {}: expected a non-negative mass in kg",
            a.loss_kg
        )));
    }
    if !(a.sigma_kg.is_finite() && a.sigma_kg > 0.0) {
        return Err(AppError::Input(format!(
            "--sigma-kg {}: expected a positive standard deviation in kg",
            a.sigma_kg
        )));
    }
    let alpha = probability(
        &mut r,
        "alpha",
        "--alpha",
        "False-alarm probability",
        a.alpha,
        DEFAULT_ALPHA,
    )?;
    let p = probability(
        &mut r,
        "probability",
        "--probability",
        "Detection probability for the detectable loss",
        a.probability,
        DEFAULT_PROBABILITY,
    )?;
    let sided = if a.two_sided { Sided::Two } else { Sided::One };
    r.input_value(
        "sided",
        "Test",
        json!(if a.two_sided {
            "two-sided"
        } else {
            "one-sided"
        }),
        if a.two_sided {
            "two-sided"
        } else {
            "one-sided (losses)"
        },
    );
    let pd = detection::detection_probability(a.loss_kg, a.sigma_kg, alpha, sided)?;
    let zq = if a.two_sided {
        1.0 - alpha / 2.0
    } else {
        1.0 - alpha
    };
    let thr = a.sigma_kg * safeguards::normal::quantile("alpha", zq)?;
    let mult = detection::detectable_multiple(alpha, p)?;
    r.result("detection_probability", "Detection probability", pd, "")
        .result("threshold_kg", "Alarm threshold", thr, "kg")
        .result(
            "loss_over_sigma",
            "Loss / σ_MUF",
            a.loss_kg / a.sigma_kg,
            "",
        )
        .result(
            "detectable_loss_kg",
            "Loss detected with the given probability (one-sided)",
            a.sigma_kg * mult,
            "kg",
        )
        .result(
            "max_sigma_muf_kg",
            "Largest σ_MUF that detects this loss with that probability",
            a.loss_kg / mult,
            "kg",
        );
    r.note(format!(
        "P_D = Φ(M/σ − z(1−α)) (one-sided); M/σ = z(1−α) + z(P) = {} for the detectable loss",
        num(mult)
    ));
    Ok(r)
}
