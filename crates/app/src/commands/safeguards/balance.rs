//! `safeguards balance` and `safeguards detect`: one material balance — its MUF and σ_MUF
//! from a file, and the detection probability of a loss for a given σ_MUF. [`balance`] and
//! [`detect`] compute the typed [`BalanceResult`] and [`DetectResult`]; the documents are built
//! from them.

use super::*;
use crate::document::{Document, Table, num};
use crate::error::{AppError, Outcome};
use safeguards::balance::Balance;
use safeguards::detection::{self, Sided};
use serde_json::json;

/// The `results` of `safeguards balance`: the U-235 figures, and both balances by period.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct BalanceResult {
    /// MUF of the last period, U-235, kg.
    pub muf_kg: f64,
    /// σ_MUF of the last period, U-235, kg.
    pub sigma_muf_kg: f64,
    /// Total MUF over the periods, U-235, kg.
    pub total_muf_kg: f64,
    /// σ of the total MUF, U-235, kg.
    pub sigma_total_muf_kg: f64,
    /// Detection probability of 1 LEU SQ (75 kg U-235) by the total MUF.
    pub detection_probability: f64,
    /// Loss detected with 95 % by the total MUF, kg U-235.
    pub detectable_loss_kg: f64,
    /// The element and U-235 balances.
    pub balances: Balances,
}

impl BalanceResult {
    /// Whether a period of the U-235 balance alarms: a finding (exit code 1).
    pub fn alarm(&self) -> bool {
        self.balances.isotope.periods.iter().any(|p| p.alarm)
    }
}

/// Both balances of a file.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Balances {
    /// Uranium element, kg U.
    pub element: SpeciesBalance,
    /// U-235 isotope, kg U-235.
    pub isotope: SpeciesBalance,
}

/// One balance (element or isotope) by period.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct SpeciesBalance {
    /// The unit of its masses: kg U or kg U-235.
    pub unit: &'static str,
    /// Each period.
    pub periods: Vec<BalancePeriod>,
    /// Total MUF, in `unit`.
    pub total_muf_kg: f64,
    /// σ of the total MUF, in `unit`.
    pub sigma_total_muf_kg: f64,
}

/// One period of a balance, masses in its balance's unit.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct BalancePeriod {
    /// Period, from 1.
    pub period: usize,
    /// MUF (positive: apparent loss), kg.
    pub muf_kg: f64,
    /// σ_MUF, kg.
    pub sigma_muf_kg: f64,
    /// Random part of σ_MUF, kg.
    pub sigma_random_kg: f64,
    /// Systematic part of σ_MUF, kg.
    pub sigma_systematic_kg: f64,
    /// Whether MUF > z(1−α)·σ_MUF.
    pub alarm: bool,
}

/// A balance file evaluated, and what its document shows besides the result.
struct Evaluated {
    balance: Balance,
    alpha: f64,
    /// z(1−α): the one-balance alarm threshold in σ.
    z: f64,
    result: BalanceResult,
}

/// MUF and σ_MUF of the balance file of `a`, element and U-235, with one-balance tests at its
/// false-alarm probability: the typed result of `breakout safeguards balance`.
///
/// # Errors
/// [`AppError::Input`] for a file that does not load or a probability outside (0, 1).
pub fn balance(a: &BalanceArgs) -> Result<BalanceResult, AppError> {
    evaluate(a).map(|e| e.result)
}

fn evaluate(a: &BalanceArgs) -> Result<Evaluated, AppError> {
    let b = file::load_balance(&a.file)?;
    let alpha = probability("--alpha", a.alpha, DEFAULT_ALPHA)?;
    let z = safeguards::normal::quantile("alpha", 1.0 - alpha)?;
    let species = |sp: SpeciesArg| -> Result<SpeciesBalance, AppError> {
        let seq = b.evaluate(sp.species())?;
        let parts = b.covariance_parts(sp.species());
        let periods = seq
            .muf_kg()
            .iter()
            .zip(seq.sigma_muf_kg())
            .enumerate()
            .map(|(i, (&m, s))| BalancePeriod {
                period: i + 1,
                muf_kg: m,
                sigma_muf_kg: s,
                sigma_random_kg: parts.random.get(i, i).sqrt(),
                sigma_systematic_kg: parts.systematic.get(i, i).sqrt(),
                alarm: m > z * s,
            })
            .collect();
        let (tot, tot_s) = seq.total();
        Ok(SpeciesBalance {
            unit: sp.species().unit(),
            periods,
            total_muf_kg: tot,
            sigma_total_muf_kg: tot_s,
        })
    };
    let element = species(SpeciesArg::Element)?;
    let isotope = species(SpeciesArg::Isotope)?;
    let last = isotope.periods.last();
    let tot_s = isotope.sigma_total_muf_kg;
    let result = BalanceResult {
        muf_kg: last.map_or(0.0, |p| p.muf_kg),
        sigma_muf_kg: last.map_or(0.0, |p| p.sigma_muf_kg),
        total_muf_kg: isotope.total_muf_kg,
        sigma_total_muf_kg: tot_s,
        detection_probability: detection::detection_probability(
            SQ_LEU_KG_U235,
            tot_s,
            alpha,
            Sided::One,
        )?,
        detectable_loss_kg: detection::detectable_loss_kg(tot_s, alpha, DEFAULT_PROBABILITY)?,
        balances: Balances { element, isotope },
    };
    Ok(Evaluated {
        balance: b,
        alpha,
        z,
        result,
    })
}

/// `breakout safeguards balance`: the document of [`balance`].
pub(super) fn balance_document(a: &BalanceArgs) -> Result<(Document, Outcome), AppError> {
    let Evaluated {
        balance: b,
        alpha,
        z,
        result: res,
    } = evaluate(a)?;
    let mut r = Document::new(
        "safeguards balance",
        "Material balance: MUF and σ_MUF by period (general linear form, full covariance)",
    );
    r.input_value(
        "file",
        "Balance file",
        json!(a.file.display().to_string()),
        a.file.display().to_string(),
    )
    .input(
        "alpha",
        "False-alarm probability (each test)",
        alpha,
        "",
        a.alpha.is_none(),
    )
    .input_value(
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
    for (sp, bal) in [
        (SpeciesArg::Element, &res.balances.element),
        (SpeciesArg::Isotope, &res.balances.isotope),
    ] {
        let mut t = Table::new(
            format!(
                "{} balance ({}); alarm if MUF > z(1-α)·σ_MUF",
                sp.key(),
                bal.unit
            ),
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
        let alarm = |hit: bool| if hit { "ALARM" } else { "-" }.to_string();
        for p in &bal.periods {
            t.row(vec![
                p.period.to_string(),
                num(p.muf_kg),
                num(p.sigma_muf_kg),
                num(p.sigma_random_kg),
                num(p.sigma_systematic_kg),
                num(p.muf_kg / p.sigma_muf_kg),
                alarm(p.alarm),
            ]);
        }
        let (tot, tot_s) = (bal.total_muf_kg, bal.sigma_total_muf_kg);
        t.row(vec![
            "total".into(),
            num(tot),
            num(tot_s),
            String::new(),
            String::new(),
            num(tot / tot_s),
            alarm(tot > z * tot_s),
        ]);
        r.table(t);
    }
    let unit = res.balances.isotope.unit;
    r.result("muf_kg", "MUF, U-235, last period", res.muf_kg, unit)
        .result(
            "sigma_muf_kg",
            "σ_MUF, U-235, last period",
            res.sigma_muf_kg,
            unit,
        )
        .result("total_muf_kg", "Total MUF, U-235", res.total_muf_kg, unit)
        .result(
            "sigma_total_muf_kg",
            "σ of total MUF, U-235",
            res.sigma_total_muf_kg,
            unit,
        )
        .result(
            "detection_probability",
            "Detection probability of 1 LEU SQ (75 kg U-235) by the total MUF",
            res.detection_probability,
            "",
        )
        .result(
            "detectable_loss_kg",
            "Loss detected with 95 % by the total MUF",
            res.detectable_loss_kg,
            unit,
        )
        .result_json("balances", json!(res.balances));
    r.note("positive MUF = apparent loss; an alarm in the U-235 balance gives exit code 1");
    let outcome = if res.alarm() {
        Outcome::Finding
    } else {
        Outcome::Success
    };
    Ok((r, outcome))
}

/// The `results` of `safeguards detect`: one balance's test against a loss.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct DetectResult {
    /// Probability that the test alarms on the loss.
    pub detection_probability: f64,
    /// Alarm threshold on the MUF, kg.
    pub threshold_kg: f64,
    /// The loss in σ_MUF.
    pub loss_over_sigma: f64,
    /// Loss detected with the given probability (one-sided), kg.
    pub detectable_loss_kg: f64,
    /// Largest σ_MUF that detects the loss with that probability, kg.
    pub max_sigma_muf_kg: f64,
}

/// A detection computed, and what its document shows besides the result.
struct Detection {
    alpha: f64,
    probability: f64,
    /// (z(1−α) + z(P)): the detectable loss in σ_MUF.
    multiple: f64,
    result: DetectResult,
}

/// The detection probability of the loss of `a` by one balance with its σ_MUF, and the
/// detectable loss: the typed result of `breakout safeguards detect`.
///
/// # Errors
/// [`AppError::Input`] for a negative loss, a σ that is not positive or a probability outside
/// (0, 1).
pub fn detect(a: &DetectArgs) -> Result<DetectResult, AppError> {
    solve_detect(a).map(|d| d.result)
}

fn solve_detect(a: &DetectArgs) -> Result<Detection, AppError> {
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
    let alpha = probability("--alpha", a.alpha, DEFAULT_ALPHA)?;
    let p = probability("--probability", a.probability, DEFAULT_PROBABILITY)?;
    let sided = if a.two_sided { Sided::Two } else { Sided::One };
    let pd = detection::detection_probability(a.loss_kg, a.sigma_kg, alpha, sided)?;
    let zq = if a.two_sided {
        1.0 - alpha / 2.0
    } else {
        1.0 - alpha
    };
    let thr = a.sigma_kg * safeguards::normal::quantile("alpha", zq)?;
    let mult = detection::detectable_multiple(alpha, p)?;
    Ok(Detection {
        alpha,
        probability: p,
        multiple: mult,
        result: DetectResult {
            detection_probability: pd,
            threshold_kg: thr,
            loss_over_sigma: a.loss_kg / a.sigma_kg,
            detectable_loss_kg: a.sigma_kg * mult,
            max_sigma_muf_kg: a.loss_kg / mult,
        },
    })
}

/// `breakout safeguards detect`: the document of [`detect`].
pub(super) fn detect_document(a: &DetectArgs) -> Result<Document, AppError> {
    let Detection {
        alpha,
        probability: p,
        multiple: mult,
        result: res,
    } = solve_detect(a)?;
    let mut r = Document::new(
        "safeguards detect",
        "One material balance: detection probability of a loss",
    );
    r.input("loss_kg", "Loss", a.loss_kg, "kg", false)
        .input("sigma_muf_kg", "σ_MUF", a.sigma_kg, "kg", false)
        .input(
            "alpha",
            "False-alarm probability",
            alpha,
            "",
            a.alpha.is_none(),
        )
        .input(
            "probability",
            "Detection probability for the detectable loss",
            p,
            "",
            a.probability.is_none(),
        );
    let (key, shown) = if a.two_sided {
        ("two-sided", "two-sided")
    } else {
        ("one-sided", "one-sided (losses)")
    };
    r.input_value("sided", "Test", json!(key), shown);
    r.result(
        "detection_probability",
        "Detection probability",
        res.detection_probability,
        "",
    )
    .result("threshold_kg", "Alarm threshold", res.threshold_kg, "kg")
    .result("loss_over_sigma", "Loss / σ_MUF", res.loss_over_sigma, "")
    .result(
        "detectable_loss_kg",
        "Loss detected with the given probability (one-sided)",
        res.detectable_loss_kg,
        "kg",
    )
    .result(
        "max_sigma_muf_kg",
        "Largest σ_MUF that detects this loss with that probability",
        res.max_sigma_muf_kg,
        "kg",
    );
    r.note(format!(
        "P_D = Φ(M/σ − z(1−α)) (one-sided); M/σ = z(1−α) + z(P) = {} for the detectable loss",
        num(mult)
    ));
    Ok(r)
}
