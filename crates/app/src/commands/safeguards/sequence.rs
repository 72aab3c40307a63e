//! `safeguards sequence` and `safeguards page-threshold`: sequential tests on a MUF sequence
//! (CUMUF, SITMUF, Page, GEMUF), the optional loss simulation, and Page's decision interval.
//! [`sequence`] and [`page_threshold`] compute the typed [`SequenceResult`] and
//! [`PageThresholdResult`]; the documents are built from them.

use super::*;
use crate::document::{Document, Table, num};
use crate::error::{AppError, Outcome};
use safeguards::montecarlo::{self, LossPattern, TestSettings};
use safeguards::page;
use safeguards::sequence::{MufSequence, chi_squared_threshold};
use serde_json::json;

/// A Page's-test error in the terms of the flags that led to it; a cancellation or a solver
/// failure keeps its kind (a timed-out server request is answered 503, not 400).
fn with_flags(e: safeguards::SafeguardsError, flags: &str) -> AppError {
    match AppError::from(e) {
        AppError::Input(m) => AppError::Input(format!("{flags}: {m}")),
        other => other,
    }
}

/// The `results` of `safeguards sequence`: the tests on the sequence, by period, and the loss
/// simulation when asked (`--loss-kg`). Masses are in the balance's unit (kg U-235 for the
/// isotope balance of a file, kg for `--muf`).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct SequenceResult {
    /// Page's decision interval h, in SITMUF standard deviations.
    pub page_threshold: f64,
    /// Page's first alarm in words: "period P" or "none".
    pub page_alarm: String,
    /// GEMUF at the last period.
    pub gemuf: f64,
    /// GEMUF threshold χ²(n, 1−α) at the last period.
    pub gemuf_threshold: f64,
    /// GEMUF's first alarm (per-period χ² thresholds) in words: "period P" or "none".
    pub gemuf_alarm: String,
    /// Total MUF, kg.
    pub total_muf_kg: f64,
    /// σ of the total MUF, kg.
    pub sigma_total_muf_kg: f64,
    /// Whether the total-MUF test alarms (JSON: "ALARM" or "no alarm").
    #[serde(serialize_with = "alarm_word")]
    pub total_muf_alarm: bool,
    /// Each period.
    pub periods: Vec<SequencePeriod>,
    /// SITMUF by period, standard deviations.
    pub sitmuf: Vec<f64>,
    /// MUF by period, kg.
    pub muf_kg_list: Vec<f64>,
    /// σ_MUF by period, kg.
    pub sigma_muf_kg_list: Vec<f64>,
    /// Page's first alarm, period from 1 (`None`: no alarm).
    pub page_alarm_period: Option<usize>,
    /// GEMUF's first alarm, period from 1 (`None`: no alarm).
    pub gemuf_alarm_period: Option<usize>,
    /// Detection probability of the simulated loss by Page on SITMUF (with `--loss-kg`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detection_probability: Option<f64>,
    /// The loss simulation (with `--loss-kg`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub simulation: Option<SimulationResult>,
}

impl SequenceResult {
    /// Whether a test on the given data alarms: a finding (exit code 1).
    pub fn alarm(&self) -> bool {
        self.page_alarm_period.is_some()
            || self.gemuf_alarm_period.is_some()
            || self.total_muf_alarm
    }
}

/// "ALARM" or "no alarm".
fn alarm_word<S: serde::Serializer>(alarm: &bool, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(if *alarm { "ALARM" } else { "no alarm" })
}

/// One period of a MUF sequence, masses in kg.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct SequencePeriod {
    /// Period, from 1.
    pub period: usize,
    /// MUF, kg.
    pub muf_kg: f64,
    /// σ_MUF, kg.
    pub sigma_muf_kg: f64,
    /// Cumulative MUF, kg.
    pub cumuf_kg: f64,
    /// σ of the cumulative MUF, kg.
    pub sigma_cumuf_kg: f64,
    /// Standardised, independent MUF (Cholesky), standard deviations.
    pub sitmuf: f64,
    /// Page's statistic S on SITMUF, standard deviations.
    pub page: f64,
    /// GEMUF, Σ SITMUF².
    pub gemuf: f64,
    /// GEMUF threshold χ²(period, 1−α).
    pub gemuf_threshold: f64,
}

/// The Monte Carlo simulation of a loss, each test at the overall false-alarm probability.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct SimulationResult {
    /// Simulated sequences.
    pub sequences: usize,
    /// Seed of the simulation.
    pub seed: u64,
    /// The loss in each period, kg.
    pub loss_kg_per_period: Vec<f64>,
    /// Page's test on SITMUF.
    pub page: PageDetection,
    /// Shewhart's test on each SITMUF.
    pub shewhart: ShewhartDetection,
    /// Detection probability of the total MUF tested at the end.
    pub total_muf_detection_probability: f64,
    /// Detection probability of GEMUF tested at the end.
    pub gemuf_detection_probability: f64,
    /// Detection probability of the Neyman-Pearson test for this pattern (closed form;
    /// `None` where it is undefined).
    pub neyman_pearson_detection_probability: Option<f64>,
    /// The worst pattern of the same total (closed form; `None` for no loss).
    pub worst_case: Option<WorstCaseResult>,
}

/// Page's test in the simulation.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct PageDetection {
    /// Decision interval h, standard deviations.
    pub threshold: f64,
    /// Fraction of sequences with an alarm.
    pub detection_probability: f64,
    /// Mean period of the first alarm among those that alarmed (`None`: none did).
    pub mean_alarm_period: Option<f64>,
    /// Fraction alarmed by the end of each period.
    pub alarmed_by_period: Vec<f64>,
}

/// Shewhart's test in the simulation.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct ShewhartDetection {
    /// Threshold z, standard deviations.
    pub threshold: f64,
    /// Fraction of sequences with an alarm.
    pub detection_probability: f64,
    /// Mean period of the first alarm among those that alarmed (`None`: none did).
    pub mean_alarm_period: Option<f64>,
}

/// The loss pattern of a given total hardest to detect.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct WorstCaseResult {
    /// The loss in each period, kg.
    pub pattern_kg: Vec<f64>,
    /// Its detection probability by the total MUF.
    pub detection_probability: f64,
    /// Whether the pattern has a negative entry (then a lower bound only).
    pub has_negative_entries: bool,
}

/// A sequence tested, and what its document shows besides the result.
struct Tested {
    unit: &'static str,
    alpha: f64,
    k: f64,
    result: SequenceResult,
}

/// The sequential tests on the MUF sequence of `a` (a balance file or the quick form), and the
/// simulation of its loss when asked: the typed result of `breakout safeguards sequence`. A
/// simulation without a seed draws one from the clock and prints it on stderr.
///
/// # Errors
/// [`AppError::Usage`] for flags that do not fit together (also when the request came as JSON,
/// past clap's checks), [`AppError::Input`] for a file or values the tests reject.
pub fn sequence(a: &SequenceArgs) -> Result<SequenceResult, AppError> {
    test_sequence(a).map(|t| t.result)
}

fn test_sequence(a: &SequenceArgs) -> Result<Tested, AppError> {
    // clap enforces these rules on the command line; a request built from JSON is checked here.
    super::super::exactly_one(&[("file", a.file.is_some()), ("muf", a.muf.is_some())])?;
    for (flag, given, needs, needed) in [
        (
            "pattern",
            a.pattern.is_some(),
            "loss_kg",
            a.loss_kg.is_some(),
        ),
        (
            "loss_period",
            a.loss_period.is_some(),
            "loss_kg",
            a.loss_kg.is_some(),
        ),
        (
            "sequences",
            a.sequences.is_some(),
            "loss_kg",
            a.loss_kg.is_some(),
        ),
        ("seed", a.seed.is_some(), "loss_kg", a.loss_kg.is_some()),
        (
            "muf",
            a.muf.is_some(),
            "sigma_inventory_kg",
            a.sigma_inventory_kg.is_some(),
        ),
        (
            "muf",
            a.muf.is_some(),
            "sigma_transfer_kg",
            a.sigma_transfer_kg.is_some(),
        ),
        (
            "sigma_inventory_kg",
            a.sigma_inventory_kg.is_some(),
            "muf",
            a.muf.is_some(),
        ),
        (
            "sigma_transfer_kg",
            a.sigma_transfer_kg.is_some(),
            "muf",
            a.muf.is_some(),
        ),
        ("species", a.species.is_some(), "file", a.file.is_some()),
    ] {
        super::super::check_pair(flag, given, needs, needed, false)?;
    }
    let (seq, unit) = match (&a.file, a.muf.as_ref().map(|l| &l.0)) {
        (Some(path), None) => {
            let sp = a.species.unwrap_or(SpeciesArg::Isotope);
            let b = file::load_balance(path)?;
            (b.evaluate(sp.species())?, sp.species().unit())
        }
        (None, Some(muf)) => {
            let si = a
                .sigma_inventory_kg
                .clone()
                .map(|l| l.0)
                .unwrap_or_default();
            let sd = a.sigma_transfer_kg.clone().map(|l| l.0).unwrap_or_default();
            (
                MufSequence::from_independent(muf.clone(), &si, &sd).map_err(|e| {
                    AppError::Input(format!(
                        "--muf/--sigma-inventory-kg/--sigma-transfer-kg: {e}"
                    ))
                })?,
                "kg",
            )
        }
        _ => {
            return Err(AppError::Usage(
                "give a balance FILE or --muf with --sigma-inventory-kg and --sigma-transfer-kg"
                    .into(),
            ));
        }
    };
    let alpha = probability("--alpha", a.alpha, DEFAULT_ALPHA)?;
    let k = a.k.unwrap_or(DEFAULT_K);
    if !k.is_finite() {
        return Err(AppError::Input(format!(
            "--k {k}: expected a finite reference value"
        )));
    }
    let n = seq.periods();
    let h = page::threshold_cancellable(k, n, alpha, &cancelled())
        .map_err(|e| with_flags(e, &format!("--k {k} / --alpha {alpha}")))?;
    let chi2 = chi_squared_threshold(n, alpha)?;
    let (muf, sig, cum, scum, sit, gem) = (
        seq.muf_kg(),
        seq.sigma_muf_kg(),
        seq.cumuf_kg(),
        seq.sigma_cumuf_kg(),
        seq.sitmuf(),
        seq.gemuf(),
    );
    let path = page::page_path(&sit, k);
    let periods = (0..n)
        .map(|i| {
            Ok(SequencePeriod {
                period: i + 1,
                muf_kg: muf[i],
                sigma_muf_kg: sig[i],
                cumuf_kg: cum[i],
                sigma_cumuf_kg: scum[i],
                sitmuf: sit[i],
                page: path[i],
                gemuf: gem[i],
                gemuf_threshold: chi_squared_threshold(i + 1, alpha)?,
            })
        })
        .collect::<Result<Vec<_>, AppError>>()?;
    let page_alarm = page::first_alarm(&path, h);
    let gemuf_alarm = periods
        .iter()
        .find(|p| p.gemuf > p.gemuf_threshold)
        .map(|p| p.period);
    let (tot, tot_s) = seq.total();
    let z = safeguards::normal::quantile("alpha", 1.0 - alpha)?;
    let in_words = |p: Option<usize>| p.map_or("none".into(), |p| format!("period {p}"));
    let simulation = match a.loss_kg {
        Some(loss) => {
            let pattern = match a.pattern.unwrap_or(PatternArg::Protracted) {
                PatternArg::Abrupt => LossPattern::Abrupt {
                    period: a.loss_period.unwrap_or(1),
                    total_kg: loss,
                },
                PatternArg::Protracted => LossPattern::Protracted { total_kg: loss },
            };
            Some(simulate(&seq, &pattern, alpha, k, a.sequences, a.seed)?)
        }
        None => None,
    };
    let result = SequenceResult {
        page_threshold: h,
        page_alarm: in_words(page_alarm),
        gemuf: *gem.last().unwrap_or(&0.0),
        gemuf_threshold: chi2,
        gemuf_alarm: in_words(gemuf_alarm),
        total_muf_kg: tot,
        sigma_total_muf_kg: tot_s,
        total_muf_alarm: tot > z * tot_s,
        periods,
        sitmuf: sit.clone(),
        muf_kg_list: muf.to_vec(),
        sigma_muf_kg_list: sig,
        page_alarm_period: page_alarm,
        gemuf_alarm_period: gemuf_alarm,
        detection_probability: simulation.as_ref().map(|s| s.page.detection_probability),
        simulation,
    };
    Ok(Tested {
        unit,
        alpha,
        k,
        result,
    })
}

fn fmt_list(v: &[f64]) -> String {
    v.iter().map(|x| num(*x)).collect::<Vec<_>>().join(", ")
}

/// The Monte Carlo of `pattern` on `seq`, with the closed-form Neyman-Pearson and worst-case
/// figures beside it.
fn simulate(
    seq: &MufSequence,
    pattern: &LossPattern,
    alpha: f64,
    k: f64,
    sequences: Option<usize>,
    seed_given: Option<u64>,
) -> Result<SimulationResult, AppError> {
    let n_seq = sequences.unwrap_or(DEFAULT_SEQUENCES);
    if n_seq == 0 {
        return Err(AppError::Input(
            "--sequences 0: expected at least 1 simulated sequence".into(),
        ));
    }
    let s = seed(seed_given);
    let loss = pattern.per_period(seq.periods())?;
    let sim = montecarlo::simulate_cancellable(
        seq,
        pattern,
        TestSettings { alpha, page_k: k },
        n_seq,
        s,
        &cancelled(),
    )?;
    let np = seq.neyman_pearson(&loss, alpha).ok();
    let total: f64 = loss.iter().sum();
    let worst_case = if total > 0.0 {
        let w = seq.worst_case(total, alpha)?;
        Some(WorstCaseResult {
            pattern_kg: w.pattern_kg,
            detection_probability: w.detection_probability,
            has_negative_entries: w.has_negative_entries,
        })
    } else {
        None
    };
    Ok(SimulationResult {
        sequences: sim.sequences,
        seed: sim.seed,
        loss_kg_per_period: sim.loss_kg,
        page: PageDetection {
            threshold: sim.page.threshold,
            detection_probability: sim.page.detection_probability,
            mean_alarm_period: sim.page.mean_alarm_period,
            alarmed_by_period: sim.page.alarmed_by_period,
        },
        shewhart: ShewhartDetection {
            threshold: sim.shewhart.threshold,
            detection_probability: sim.shewhart.detection_probability,
            mean_alarm_period: sim.shewhart.mean_alarm_period,
        },
        total_muf_detection_probability: sim.total_muf,
        gemuf_detection_probability: sim.gemuf,
        neyman_pearson_detection_probability: np.map(|n| n.detection_probability),
        worst_case,
    })
}

/// `breakout safeguards sequence`: the document of [`sequence`].
pub(super) fn sequence_document(a: &SequenceArgs) -> Result<(Document, Outcome), AppError> {
    let Tested {
        unit,
        alpha,
        k,
        result: res,
    } = test_sequence(a)?;
    let mut r = Document::new(
        "safeguards sequence",
        "Balance sequence: CUMUF, SITMUF (Cholesky), Page's test on SITMUF, GEMUF",
    );
    match (&a.file, a.muf.as_ref().map(|l| &l.0)) {
        (Some(path), _) => {
            let sp = a.species.unwrap_or(SpeciesArg::Isotope);
            let default = if a.species.is_none() {
                "  (default)"
            } else {
                ""
            };
            r.input_value(
                "file",
                "Balance file",
                json!(path.display().to_string()),
                path.display().to_string(),
            )
            .input_value(
                "species",
                "Balance",
                json!(sp.key()),
                format!("{}{default}", sp.key()),
            );
        }
        (None, muf) => {
            let list = |l: &Option<super::super::NumList<f64>>| {
                l.as_ref().map(|l| l.0.clone()).unwrap_or_default()
            };
            let (muf, si, sd) = (
                muf.cloned().unwrap_or_default(),
                list(&a.sigma_inventory_kg),
                list(&a.sigma_transfer_kg),
            );
            r.input_value("muf_kg", "MUF", json!(muf), fmt_list(&muf))
                .input_value(
                    "sigma_inventory_kg",
                    "σ inventories",
                    json!(si),
                    fmt_list(&si),
                )
                .input_value("sigma_transfer_kg", "σ transfers", json!(sd), fmt_list(&sd));
        }
    }
    r.input(
        "alpha",
        "False-alarm probability over the sequence",
        alpha,
        "",
        a.alpha.is_none(),
    )
    .input("page_k", "Page reference value k", k, "σ", a.k.is_none());
    let mut t = Table::new(
        format!(
            "Sequence ({unit}); Page alarm if S > h = {}",
            num(res.page_threshold)
        ),
        &[
            "period",
            "MUF",
            "σ_MUF",
            "CUMUF",
            "σ_CUMUF",
            "SITMUF",
            "Page S",
            "GEMUF",
            "χ² 1−α",
        ],
    );
    for p in &res.periods {
        t.row(vec![
            p.period.to_string(),
            num(p.muf_kg),
            num(p.sigma_muf_kg),
            num(p.cumuf_kg),
            num(p.sigma_cumuf_kg),
            num(p.sitmuf),
            num(p.page),
            num(p.gemuf),
            num(p.gemuf_threshold),
        ]);
    }
    r.table(t);
    r.result(
        "page_threshold",
        "Page decision interval h",
        res.page_threshold,
        "σ",
    )
    .result_text("page_alarm", "Page alarm", &res.page_alarm)
    .result("gemuf", "GEMUF at the last period", res.gemuf, "")
    .result(
        "gemuf_threshold",
        "GEMUF threshold χ²(n, 1−α)",
        res.gemuf_threshold,
        "",
    )
    .result_text(
        "gemuf_alarm",
        "GEMUF alarm (per-period χ² thresholds)",
        &res.gemuf_alarm,
    )
    .result("total_muf_kg", "Total MUF", res.total_muf_kg, unit)
    .result(
        "sigma_total_muf_kg",
        "σ of total MUF",
        res.sigma_total_muf_kg,
        unit,
    )
    .result_text(
        "total_muf_alarm",
        "Total-MUF test",
        if res.total_muf_alarm {
            "ALARM"
        } else {
            "no alarm"
        },
    )
    .result_json("periods", json!(res.periods))
    .result_json("sitmuf", json!(res.sitmuf))
    .result_json("muf_kg_list", json!(res.muf_kg_list))
    .result_json("sigma_muf_kg_list", json!(res.sigma_muf_kg_list))
    .result_json("page_alarm_period", json!(res.page_alarm_period))
    .result_json("gemuf_alarm_period", json!(res.gemuf_alarm_period));
    if let Some(sim) = &res.simulation {
        simulation_section(&mut r, sim, k, unit);
    }
    r.note("SITMUF = L⁻¹·MUF with Σ = L·Lᵀ (forward substitution); under no loss SITMUF is iid N(0,1), so h depends only on (k, n, α)");
    r.note(
        "GEMUF (Seifert V1) = Σ SITMUF², χ² with i degrees of freedom; two-sided (gains alarm too)",
    );
    let outcome = if res.alarm() {
        Outcome::Finding
    } else {
        Outcome::Success
    };
    Ok((r, outcome))
}

/// The simulation's inputs, table and results in the document.
fn simulation_section(r: &mut Document, sim: &SimulationResult, k: f64, unit: &str) {
    r.input_value(
        "loss_kg_per_period",
        "Simulated loss per period",
        json!(sim.loss_kg_per_period),
        format!("{} {unit}", fmt_list(&sim.loss_kg_per_period)),
    )
    .input_value(
        "sequences",
        "Simulated sequences",
        json!(sim.sequences),
        sim.sequences.to_string(),
    )
    .input_value("seed", "Seed", json!(sim.seed), sim.seed.to_string());
    let mut t = Table::new(
        "Detection of the simulated loss (each test at overall false-alarm α)",
        &["test", "P(detect)", "mean alarm period"],
    );
    let fmt_mean = |m: Option<f64>| m.map_or("-".to_string(), num);
    t.row(vec![
        format!(
            "Page on SITMUF (k={}, h={})",
            num(k),
            num(sim.page.threshold)
        ),
        num(sim.page.detection_probability),
        fmt_mean(sim.page.mean_alarm_period),
    ]);
    t.row(vec![
        format!("Shewhart on SITMUF (z={})", num(sim.shewhart.threshold)),
        num(sim.shewhart.detection_probability),
        fmt_mean(sim.shewhart.mean_alarm_period),
    ]);
    t.row(vec![
        "total MUF at the end".into(),
        num(sim.total_muf_detection_probability),
        "end".into(),
    ]);
    t.row(vec![
        "GEMUF at the end".into(),
        num(sim.gemuf_detection_probability),
        "end".into(),
    ]);
    if let Some(np) = sim.neyman_pearson_detection_probability {
        t.row(vec![
            "Neyman-Pearson for this pattern (closed form)".into(),
            num(np),
            "end".into(),
        ]);
    }
    if let Some(w) = &sim.worst_case {
        t.row(vec![
            "worst pattern of the same total (closed form)".into(),
            num(w.detection_probability),
            "end".into(),
        ]);
    }
    r.table(t);
    r.result_json("simulation", json!(sim));
    r.result(
        "detection_probability",
        "Detection probability (Page on SITMUF, simulated)",
        sim.page.detection_probability,
        "",
    );
}

/// The `results` of `safeguards page-threshold`: Page's decision interval and its checks.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct PageThresholdResult {
    /// Decision interval h, standard deviations.
    pub page_threshold: f64,
    /// False-alarm probability at h over the periods (a check of the solve).
    pub false_alarm_probability: f64,
    /// In-control average run length at h, periods.
    pub in_control_arl_periods: f64,
}

/// Page's decision interval on SITMUF for the false-alarm probability of `a` over its periods:
/// the typed result of `breakout safeguards page-threshold`.
///
/// # Errors
/// [`AppError::Input`] for no periods, a probability outside (0, 1) or a k that is not finite.
pub fn page_threshold(a: &PageThresholdArgs) -> Result<PageThresholdResult, AppError> {
    if a.periods == 0 {
        return Err(AppError::Input(
            "--periods 0: expected at least 1 balance period".into(),
        ));
    }
    if !(a.alpha.is_finite() && a.alpha > 0.0 && a.alpha < 1.0) {
        return Err(AppError::Input(format!(
            "--alpha {}: expected a probability strictly between 0 and 1",
            a.alpha
        )));
    }
    if !a.k.is_finite() {
        return Err(AppError::Input(format!(
            "--k {}: expected a finite reference value",
            a.k
        )));
    }
    let h = page::threshold_cancellable(a.k, a.periods, a.alpha, &cancelled()).map_err(|e| {
        with_flags(
            e,
            &format!("--k {} --periods {} --alpha {}", a.k, a.periods, a.alpha),
        )
    })?;
    let arl = page::average_run_length(a.k, h, 0.0)?;
    let check = page::alarm_probability_cancellable(a.k, h, &vec![0.0; a.periods], &cancelled())?;
    Ok(PageThresholdResult {
        page_threshold: h,
        false_alarm_probability: check,
        in_control_arl_periods: arl,
    })
}

/// `breakout safeguards page-threshold`: the document of [`page_threshold`].
pub(super) fn page_threshold_document(a: &PageThresholdArgs) -> Result<Document, AppError> {
    let res = page_threshold(a)?;
    let mut r = Document::new(
        "safeguards page-threshold",
        "Page's test on SITMUF: decision interval for a false-alarm probability over n periods",
    );
    r.input("page_k", "Reference value k", a.k, "σ", false)
        .input_value(
            "periods",
            "Periods",
            json!(a.periods),
            a.periods.to_string(),
        )
        .input(
            "alpha",
            "False-alarm probability over the periods",
            a.alpha,
            "",
            false,
        );
    r.result(
        "page_threshold",
        "Decision interval h",
        res.page_threshold,
        "σ",
    )
    .result(
        "false_alarm_probability",
        "False-alarm probability at h (check)",
        res.false_alarm_probability,
        "",
    )
    .result(
        "in_control_arl_periods",
        "In-control average run length at h",
        res.in_control_arl_periods,
        "periods",
    );
    r.note(format!(
        "Brook-Evans Markov chain with {} and {} states, Richardson-extrapolated; S_0 = 0, S_i = max(0, S_(i-1) + SITMUF_i - k), alarm if S_i > h",
        page::DEFAULT_STATES,
        2 * page::DEFAULT_STATES
    ));
    Ok(r)
}
