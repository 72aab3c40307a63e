//! `safeguards sequence` and `safeguards page-threshold`: sequential tests on a MUF sequence
//! (CUMUF, SITMUF, Page, GEMUF), the optional loss simulation, and Page's decision interval.

use super::*;
use crate::document::{Document, Table, num};
use crate::error::{AppError, Outcome};
use safeguards::montecarlo::{self, LossPattern, Simulation, TestSettings};
use safeguards::page;
use safeguards::sequence::{MufSequence, chi_squared_threshold};
use serde_json::json;

pub(super) fn sequence(a: SequenceArgs) -> Result<(Document, Outcome), AppError> {
    let mut r = Document::new(
        "safeguards sequence",
        "Balance sequence: CUMUF, SITMUF (Cholesky), Page's test on SITMUF, GEMUF",
    );
    // clap enforces these rules on the command line; a request built from JSON is checked here.
    super::super::exactly_one(&[("file", a.file.is_some()), ("muf", a.muf.is_some())])?;
    for (flag, given) in [
        ("pattern", a.pattern.is_some()),
        ("loss_period", a.loss_period.is_some()),
        ("sequences", a.sequences.is_some()),
        ("seed", a.seed.is_some()),
    ] {
        super::super::check_pair(flag, given, "loss_kg", a.loss_kg.is_some(), false)?;
    }
    let (seq, unit) =
        match (&a.file, a.muf.as_ref().map(|l| &l.0)) {
            (Some(path), None) => {
                let sp = a.species.unwrap_or(SpeciesArg::Isotope);
                let b = file::load_balance(path)?;
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
                    format!(
                        "{}{}",
                        sp.key(),
                        if a.species.is_none() {
                            "  (default)"
                        } else {
                            ""
                        }
                    ),
                );
                (b.evaluate(sp.species())?, sp.species().unit())
            }
            (None, Some(muf)) => {
                let si = a
                    .sigma_inventory_kg
                    .clone()
                    .map(|l| l.0)
                    .unwrap_or_default();
                let sd = a.sigma_transfer_kg.clone().map(|l| l.0).unwrap_or_default();
                r.input_value("muf_kg", "MUF", json!(muf), fmt_list(muf))
                    .input_value(
                        "sigma_inventory_kg",
                        "σ inventories",
                        json!(si),
                        fmt_list(&si),
                    )
                    .input_value("sigma_transfer_kg", "σ transfers", json!(sd), fmt_list(&sd));
                (
                    MufSequence::from_independent(muf.clone(), &si, &sd).map_err(|e| {
                        AppError::Input(format!(
                            "--muf/--sigma-inventory-kg/--sigma-transfer-kg: {e}"
                        ))
                    })?,
                    "kg",
                )
            }
            _ => return Err(AppError::Usage(
                "give a balance FILE or --muf with --sigma-inventory-kg and --sigma-transfer-kg"
                    .into(),
            )),
        };
    let alpha = probability(
        &mut r,
        "alpha",
        "--alpha",
        "False-alarm probability over the sequence",
        a.alpha,
        DEFAULT_ALPHA,
    )?;
    let k = a.k.unwrap_or(DEFAULT_K);
    r.input("page_k", "Page reference value k", k, "σ", a.k.is_none());
    if !k.is_finite() {
        return Err(AppError::Input(format!(
            "--k {k}: expected a finite reference value"
        )));
    }
    let n = seq.periods();
    let h = page::threshold_cancellable(k, n, alpha, &cancelled())
        .map_err(|e| AppError::Input(format!("--k {k} / --alpha {alpha}: {e}")))?;
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
    let mut t = Table::new(
        format!("Sequence ({unit}); Page alarm if S > h = {}", num(h)),
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
    let mut rows = Vec::new();
    for i in 0..n {
        let c = chi_squared_threshold(i + 1, alpha)?;
        t.row(vec![
            (i + 1).to_string(),
            num(muf[i]),
            num(sig[i]),
            num(cum[i]),
            num(scum[i]),
            num(sit[i]),
            num(path[i]),
            num(gem[i]),
            num(c),
        ]);
        rows.push(json!({"period": i + 1, "muf_kg": muf[i], "sigma_muf_kg": sig[i], "cumuf_kg": cum[i], "sigma_cumuf_kg": scum[i], "sitmuf": sit[i], "page": path[i], "gemuf": gem[i], "gemuf_threshold": c}));
    }
    r.table(t);
    let page_alarm = page::first_alarm(&path, h);
    let gemuf_alarm = gem
        .iter()
        .enumerate()
        .position(|(i, &g)| chi_squared_threshold(i + 1, alpha).is_ok_and(|c| g > c))
        .map(|i| i + 1);
    let (tot, tot_s) = seq.total();
    let z = safeguards::normal::quantile("alpha", 1.0 - alpha)?;
    let total_alarm = tot > z * tot_s;
    r.result("page_threshold", "Page decision interval h", h, "σ")
        .result_text(
            "page_alarm",
            "Page alarm",
            &page_alarm.map_or("none".into(), |p| format!("period {p}")),
        )
        .result(
            "gemuf",
            "GEMUF at the last period",
            *gem.last().unwrap_or(&0.0),
            "",
        )
        .result("gemuf_threshold", "GEMUF threshold χ²(n, 1−α)", chi2, "")
        .result_text(
            "gemuf_alarm",
            "GEMUF alarm (per-period χ² thresholds)",
            &gemuf_alarm.map_or("none".into(), |p| format!("period {p}")),
        )
        .result("total_muf_kg", "Total MUF", tot, unit)
        .result("sigma_total_muf_kg", "σ of total MUF", tot_s, unit)
        .result_text(
            "total_muf_alarm",
            "Total-MUF test",
            if total_alarm { "ALARM" } else { "no alarm" },
        )
        .result_json("periods", json!(rows))
        .result_json("sitmuf", json!(sit))
        .result_json("muf_kg_list", json!(muf))
        .result_json("sigma_muf_kg_list", json!(sig))
        .result_json("page_alarm_period", json!(page_alarm))
        .result_json("gemuf_alarm_period", json!(gemuf_alarm));
    if let Some(loss) = a.loss_kg {
        let pattern = match a.pattern.unwrap_or(PatternArg::Protracted) {
            PatternArg::Abrupt => LossPattern::Abrupt {
                period: a.loss_period.unwrap_or(1),
                total_kg: loss,
            },
            PatternArg::Protracted => LossPattern::Protracted { total_kg: loss },
        };
        simulation_section(&mut r, &seq, &pattern, alpha, k, a.sequences, a.seed, unit)?;
    }
    r.note("SITMUF = L⁻¹·MUF with Σ = L·Lᵀ (forward substitution); under no loss SITMUF is iid N(0,1), so h depends only on (k, n, α)");
    r.note(
        "GEMUF (Seifert V1) = Σ SITMUF², χ² with i degrees of freedom; two-sided (gains alarm too)",
    );
    let alarm = page_alarm.is_some() || gemuf_alarm.is_some() || total_alarm;
    Ok((
        r,
        if alarm {
            Outcome::Finding
        } else {
            Outcome::Success
        },
    ))
}

fn fmt_list(v: &[f64]) -> String {
    v.iter().map(|x| num(*x)).collect::<Vec<_>>().join(", ")
}

#[allow(clippy::too_many_arguments)]
fn simulation_section(
    r: &mut Document,
    seq: &MufSequence,
    pattern: &LossPattern,
    alpha: f64,
    k: f64,
    sequences: Option<usize>,
    seed_given: Option<u64>,
    unit: &str,
) -> Result<Simulation, AppError> {
    let n_seq = sequences.unwrap_or(DEFAULT_SEQUENCES);
    if n_seq == 0 {
        return Err(AppError::Input(
            "--sequences 0: expected at least 1 simulated sequence".into(),
        ));
    }
    let s = seed(seed_given);
    let loss = pattern.per_period(seq.periods())?;
    r.input_value(
        "loss_kg_per_period",
        "Simulated loss per period",
        json!(loss),
        format!("{} {unit}", fmt_list(&loss)),
    )
    .input_value(
        "sequences",
        "Simulated sequences",
        json!(n_seq),
        n_seq.to_string(),
    )
    .input_value("seed", "Seed", json!(s), s.to_string());
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
    let wc = if total > 0.0 {
        Some(seq.worst_case(total, alpha)?)
    } else {
        None
    };
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
        num(sim.total_muf),
        "end".into(),
    ]);
    t.row(vec![
        "GEMUF at the end".into(),
        num(sim.gemuf),
        "end".into(),
    ]);
    if let Some(np) = &np {
        t.row(vec![
            "Neyman-Pearson for this pattern (closed form)".into(),
            num(np.detection_probability),
            "end".into(),
        ]);
    }
    if let Some(w) = &wc {
        t.row(vec![
            "worst pattern of the same total (closed form)".into(),
            num(w.detection_probability),
            "end".into(),
        ]);
    }
    r.table(t);
    r.result_json("simulation", json!({
        "sequences": sim.sequences, "seed": sim.seed, "loss_kg_per_period": sim.loss_kg,
        "page": {"threshold": sim.page.threshold, "detection_probability": sim.page.detection_probability, "mean_alarm_period": sim.page.mean_alarm_period, "alarmed_by_period": sim.page.alarmed_by_period},
        "shewhart": {"threshold": sim.shewhart.threshold, "detection_probability": sim.shewhart.detection_probability, "mean_alarm_period": sim.shewhart.mean_alarm_period},
        "total_muf_detection_probability": sim.total_muf,
        "gemuf_detection_probability": sim.gemuf,
        "neyman_pearson_detection_probability": np.map(|n| n.detection_probability),
        "worst_case": wc.as_ref().map(|w| json!({"pattern_kg": w.pattern_kg, "detection_probability": w.detection_probability, "has_negative_entries": w.has_negative_entries})),
    }));
    r.result(
        "detection_probability",
        "Detection probability (Page on SITMUF, simulated)",
        sim.page.detection_probability,
        "",
    );
    Ok(sim)
}

pub(super) fn page_threshold(a: PageThresholdArgs) -> Result<Document, AppError> {
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
        AppError::Input(format!(
            "--k {} --periods {} --alpha {}: {e}",
            a.k, a.periods, a.alpha
        ))
    })?;
    let arl = page::average_run_length(a.k, h, 0.0)?;
    let check = page::alarm_probability_cancellable(a.k, h, &vec![0.0; a.periods], &cancelled())?;
    r.result("page_threshold", "Decision interval h", h, "σ")
        .result(
            "false_alarm_probability",
            "False-alarm probability at h (check)",
            check,
            "",
        )
        .result(
            "in_control_arl_periods",
            "In-control average run length at h",
            arl,
            "periods",
        );
    r.note(format!(
        "Brook-Evans Markov chain with {} and {} states, Richardson-extrapolated; S_0 = 0, S_i = max(0, S_(i-1) + SITMUF_i - k), alarm if S_i > h",
        page::DEFAULT_STATES,
        2 * page::DEFAULT_STATES
    ));
    Ok(r)
}
