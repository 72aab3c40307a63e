//! `breakout safeguards`: material-accountancy statistics for enrichment plants — one balance,
//! balance sequences (CUMUF, SITMUF, Page, GEMUF), Page thresholds, inspector sample sizes, and
//! the enrichment-plant generator with the timeliness comparison.
//!
//! Exit codes: 0 when no test alarms, 1 when a test on the given data alarms (a finding), 2 for
//! bad input. Monte Carlo runs print their seed on stderr; `--seed` repeats a run.

mod file;

use std::path::PathBuf;
use std::str::FromStr;

use clap::{ArgGroup, Args, Subcommand, ValueEnum};
use serde_json::{Value, json};

use safeguards::balance::Species;
use safeguards::detection::{self, Sided};
use safeguards::montecarlo::{self, LossPattern, Simulation, TestSettings};
use safeguards::sequence::{MufSequence, chi_squared_threshold};
use safeguards::{page, plant, sampling, timeliness};

use crate::Answer;
use crate::document::{Document, Table, num};
use crate::error::{AppError, Outcome};

/// IAEA significant quantity of LEU (U-235 < 20 %): 75 kg U-235 (safeguards.md §2.3, NSSPI).
const SQ_LEU_KG_U235: f64 = 75.0;
/// Planning false-alarm probability of the MUF test (safeguards.md §2.3).
const DEFAULT_ALPHA: f64 = 0.05;
/// Detection probability for "detectable loss" figures (the SQ/3.29 rule uses 95 %).
const DEFAULT_PROBABILITY: f64 = 0.95;
/// Page's reference value for a shift of one standard deviation (k = δ/2).
const DEFAULT_K: f64 = 0.5;
/// Monte Carlo sequences by default: detection probabilities to about ±0.0016 (1 s.e. at 50 %).
const DEFAULT_SEQUENCES: usize = 100_000;

/// `breakout safeguards`: verification statistics.
#[derive(Debug, Args, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SafeguardsArgs {
    #[command(subcommand)]
    command: SafeguardsCommand,
}

#[derive(Debug, Subcommand, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
enum SafeguardsCommand {
    /// MUF and σ_MUF (random/systematic) of a balance file, element and U-235, with one-balance tests.
    Balance(BalanceArgs),
    /// One balance: detection probability of a loss for a given σ_MUF and false-alarm probability.
    Detect(DetectArgs),
    /// Sequential tests on a MUF sequence: CUMUF, SITMUF, Page, GEMUF; optional loss simulation.
    Sequence(SequenceArgs),
    /// The Page decision interval h for a false-alarm probability over n periods (Markov chain).
    PageThreshold(PageThresholdArgs),
    /// Attribute sample sizes (IAEA formula, improved formula, exact hypergeometric).
    Sample(SampleArgs),
    /// Generate an enrichment plant's balance for a year: σ_MUF, detection of 1 SQ, timeliness.
    Plant(PlantArgs),
}

/// Which balance of an enrichment plant.
#[derive(Debug, Clone, Copy, ValueEnum, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
enum SpeciesArg {
    /// Uranium element, kg U.
    Element,
    /// U-235 isotope, kg U-235.
    Isotope,
}

impl SpeciesArg {
    fn species(self) -> Species {
        match self {
            SpeciesArg::Element => Species::Element,
            SpeciesArg::Isotope => Species::Isotope,
        }
    }
    fn key(self) -> &'static str {
        match self {
            SpeciesArg::Element => "element",
            SpeciesArg::Isotope => "isotope",
        }
    }
}

#[derive(Debug, Args, serde::Serialize, serde::Deserialize)]
struct BalanceArgs {
    /// Balance file (TOML; see data/safeguards/example-quarterly-balance.toml).
    file: PathBuf,
    /// False-alarm probability of each one-balance test.
    #[arg(long, value_name = "PROB")]
    alpha: Option<f64>,
}

#[derive(Debug, Args, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct DetectArgs {
    /// Loss to detect, kg (e.g. 75 for one LEU SQ in kg U-235).
    #[arg(long, value_name = "KG", allow_negative_numbers = true)]
    loss_kg: f64,
    /// σ_MUF of the balance, kg.
    #[arg(long, value_name = "KG", allow_negative_numbers = true)]
    sigma_kg: f64,
    /// False-alarm probability [default: 0.05].
    #[arg(long, value_name = "PROB", allow_negative_numbers = true)]
    alpha: Option<f64>,
    /// Detection probability for the "detectable loss" figure [default: 0.95].
    #[arg(long, value_name = "PROB", allow_negative_numbers = true)]
    probability: Option<f64>,
    /// Two-sided test (alarms on apparent gains too).
    #[arg(long)]
    #[serde(default)]
    two_sided: bool,
}

/// How a simulated loss is spread.
#[derive(Debug, Clone, Copy, ValueEnum, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
enum PatternArg {
    /// All in one period (`--loss-period`).
    Abrupt,
    /// Equal amounts every period.
    Protracted,
}

#[derive(Debug, Args, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
#[command(group(ArgGroup::new("input").required(true).multiple(false).args(["file", "muf"])))]
struct SequenceArgs {
    /// Balance file (TOML), as for `safeguards balance`.
    file: Option<PathBuf>,
    /// Quick form: MUF per period, kg (comma-separated).
    #[arg(long, value_name = "KG,...", value_parser = super::NumList::<f64>::from_str, allow_negative_numbers = true, requires_all = ["sigma_inventory_kg", "sigma_transfer_kg"])]
    muf: Option<super::NumList<f64>>,
    /// Quick form: s.d. of the n + 1 inventories (opening and each period's end), kg.
    #[arg(
        long,
        value_name = "KG,...",
        value_parser = super::NumList::<f64>::from_str,
        allow_negative_numbers = true,
        requires = "muf"
    )]
    sigma_inventory_kg: Option<super::NumList<f64>>,
    /// Quick form: s.d. of each period's net transfer, kg (one value for all, or n values).
    #[arg(
        long,
        value_name = "KG,...",
        value_parser = super::NumList::<f64>::from_str,
        allow_negative_numbers = true,
        requires = "muf"
    )]
    sigma_transfer_kg: Option<super::NumList<f64>>,
    /// Balance of a file to test [default: isotope].
    #[arg(long, value_enum, requires = "file")]
    species: Option<SpeciesArg>,
    /// Overall false-alarm probability of each test over the sequence [default: 0.05].
    #[arg(long, value_name = "PROB", allow_negative_numbers = true)]
    alpha: Option<f64>,
    /// Page's reference value k, in SITMUF standard deviations [default: 0.5].
    #[arg(long, value_name = "K", allow_negative_numbers = true)]
    k: Option<f64>,
    /// Simulate this total loss, kg, and report detection probabilities.
    #[arg(long, value_name = "KG", allow_negative_numbers = true)]
    loss_kg: Option<f64>,
    /// How the simulated loss is spread [default: protracted].
    #[arg(long, value_enum, requires = "loss_kg")]
    pattern: Option<PatternArg>,
    /// Period of an abrupt loss (1-based) [default: 1].
    #[arg(long, value_name = "PERIOD", requires = "loss_kg")]
    loss_period: Option<usize>,
    /// Simulated sequences [default: 100000].
    #[arg(long, value_name = "N", requires = "loss_kg")]
    sequences: Option<usize>,
    /// Seed of the simulation (printed on stderr when not given).
    #[arg(long, value_name = "SEED", requires = "loss_kg")]
    seed: Option<u64>,
}

#[derive(Debug, Args, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct PageThresholdArgs {
    /// Reference value k, standard deviations.
    #[arg(long, value_name = "K", allow_negative_numbers = true)]
    k: f64,
    /// Number of balance periods n.
    #[arg(long, value_name = "N")]
    periods: usize,
    /// False-alarm probability over the n periods.
    #[arg(long, value_name = "PROB", allow_negative_numbers = true)]
    alpha: f64,
}

#[derive(Debug, Args, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
#[command(group(ArgGroup::new("defect_spec").required(true).multiple(false).args(["defects", "goal_kg"])))]
struct SampleArgs {
    /// Items in the stratum, N.
    #[arg(long, value_name = "N")]
    items: usize,
    /// Defective items to detect, r.
    #[arg(long, value_name = "R")]
    defects: Option<usize>,
    /// Instead of --defects: goal quantity, kg (r = ⌈goal / (f · item)⌉).
    #[arg(
        long,
        value_name = "KG",
        requires = "item_kg",
        allow_negative_numbers = true
    )]
    goal_kg: Option<f64>,
    /// With --goal-kg: content of one item, kg (same unit as the goal).
    #[arg(
        long,
        value_name = "KG",
        requires = "goal_kg",
        allow_negative_numbers = true
    )]
    item_kg: Option<f64>,
    /// With --goal-kg: falsified fraction of an item (1 = gross defect) [default: 1].
    #[arg(
        long,
        value_name = "FRACTION",
        requires = "goal_kg",
        allow_negative_numbers = true
    )]
    falsified_fraction: Option<f64>,
    /// Non-detection probability β (0.1 for 90 % detection).
    #[arg(long, value_name = "PROB", allow_negative_numbers = true)]
    beta: f64,
}

#[derive(Debug, Args, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct PlantArgs {
    /// Separative capacity, kg-SWU per year.
    #[arg(long, value_name = "KG_SWU", allow_negative_numbers = true)]
    swu_per_yr: f64,
    /// Feed assay, wt-% U-235 [default: 0.711].
    #[arg(long, value_name = "WT_PCT", allow_negative_numbers = true)]
    feed_wt_pct: Option<f64>,
    /// Product assay, wt-% U-235 [default: 4.5].
    #[arg(long, value_name = "WT_PCT", allow_negative_numbers = true)]
    product_wt_pct: Option<f64>,
    /// Tails assay, wt-% U-235 [default: 0.25].
    #[arg(long, value_name = "WT_PCT", allow_negative_numbers = true)]
    tails_wt_pct: Option<f64>,
    /// Balance periods per year (12 = monthly) [default: 12].
    #[arg(long, value_name = "N")]
    periods_per_year: Option<usize>,
    /// Feed cylinder fill, kg UF6 [default: 12500, 48Y].
    #[arg(long, value_name = "KG_UF6", allow_negative_numbers = true)]
    feed_cylinder_kg_uf6: Option<f64>,
    /// Product cylinder fill, kg UF6 [default: 2277, 30B].
    #[arg(long, value_name = "KG_UF6", allow_negative_numbers = true)]
    product_cylinder_kg_uf6: Option<f64>,
    /// Tails cylinder fill, kg UF6 [default: 12500, 48Y].
    #[arg(long, value_name = "KG_UF6", allow_negative_numbers = true)]
    tails_cylinder_kg_uf6: Option<f64>,
    /// Stock of each stream on site, days of flow [default: 30].
    #[arg(long, value_name = "DAYS", allow_negative_numbers = true)]
    inventory_days: Option<f64>,
    /// Instrument uncertainties file [default: the bundled illustrative values].
    #[arg(long, value_name = "FILE")]
    instruments: Option<PathBuf>,
    /// Goal quantity, kg U-235 [default: 75, one LEU SQ].
    #[arg(long, value_name = "KG", allow_negative_numbers = true)]
    goal_kg: Option<f64>,
    /// False-alarm probability [default: 0.05].
    #[arg(long, value_name = "PROB", allow_negative_numbers = true)]
    alpha: Option<f64>,
    /// Simulated sequences for abrupt/protracted detection [default: 100000].
    #[arg(long, value_name = "N")]
    sequences: Option<usize>,
    /// Seed of the simulation (printed on stderr when not given).
    #[arg(long, value_name = "SEED")]
    seed: Option<u64>,
    /// Breakout time of the state, days: compare with the 1-month HEU timeliness goal.
    #[arg(long, value_name = "DAYS", allow_negative_numbers = true)]
    breakout_days: Option<f64>,
    /// Days to close and evaluate a balance after its period ends [default: 0].
    #[arg(
        long,
        value_name = "DAYS",
        allow_negative_numbers = true,
        requires = "breakout_days"
    )]
    evaluation_days: Option<f64>,
}

impl SafeguardsArgs {
    /// The simulated balance sequences asked for, if any: what a server caps.
    pub fn sequences(&self) -> Option<usize> {
        match &self.command {
            SafeguardsCommand::Plant(a) => a.sequences,
            SafeguardsCommand::Sequence(a) => a.sequences,
            _ => None,
        }
    }

    /// The field naming a file on disk, if one is given: a server must not read its own files
    /// on a client's behalf.
    pub fn file_field(&self) -> Option<&'static str> {
        match &self.command {
            SafeguardsCommand::Balance(_) => Some("file"),
            SafeguardsCommand::Sequence(a) if a.file.is_some() => Some("file"),
            SafeguardsCommand::Plant(a) if a.instruments.is_some() => Some("instruments"),
            _ => None,
        }
    }

    /// Whether the answer is the same every time: no random draw, or a seeded one.
    pub fn is_repeatable(&self) -> bool {
        match &self.command {
            SafeguardsCommand::Plant(a) => a.seed.is_some(),
            SafeguardsCommand::Sequence(a) => a.loss_kg.is_none() || a.seed.is_some(),
            _ => true,
        }
    }
}

/// Runs `breakout safeguards ...`.
pub fn run(args: SafeguardsArgs) -> Answer {
    let (report, outcome) = match args.command {
        SafeguardsCommand::Balance(a) => balance(a)?,
        SafeguardsCommand::Detect(a) => (detect(a)?, Outcome::Success),
        SafeguardsCommand::Sequence(a) => sequence(a)?,
        SafeguardsCommand::PageThreshold(a) => (page_threshold(a)?, Outcome::Success),
        SafeguardsCommand::Sample(a) => (sample(a)?, Outcome::Success),
        SafeguardsCommand::Plant(a) => (plant_cmd(a)?, Outcome::Success),
    };
    Ok((report, outcome))
}

/// A probability flag: records it and checks 0 < p < 1 with the flag's name in the message.
fn probability(
    r: &mut Document,
    key: &str,
    flag: &str,
    label: &str,
    given: Option<f64>,
    default: f64,
) -> Result<f64, AppError> {
    let p = given.unwrap_or(default);
    r.input(key, label, p, "", given.is_none());
    if !(p.is_finite() && p > 0.0 && p < 1.0) {
        return Err(AppError::Input(format!(
            "{flag} {p}: expected a probability strictly between 0 and 1"
        )));
    }
    Ok(p)
}

/// The seed: given, or derived from the clock, and printed on stderr either way.
/// Whether this computation was cancelled (its [`crate::Cancel`] token, taken on this thread).
fn cancelled() -> impl Fn() -> bool + Sync {
    let token = crate::cancel::current();
    move || token.is_cancelled()
}

fn seed(given: Option<u64>) -> u64 {
    let s = given.unwrap_or_else(|| {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos() as u64)
    });
    eprintln!("seed: {s} (repeat with --seed {s})");
    s
}

fn balance(a: BalanceArgs) -> Result<(Document, Outcome), AppError> {
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

fn detect(a: DetectArgs) -> Result<Document, AppError> {
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

fn sequence(a: SequenceArgs) -> Result<(Document, Outcome), AppError> {
    let mut r = Document::new(
        "safeguards sequence",
        "Balance sequence: CUMUF, SITMUF (Cholesky), Page's test on SITMUF, GEMUF",
    );
    // clap enforces these rules on the command line; a request built from JSON is checked here.
    super::exactly_one(&[("file", a.file.is_some()), ("muf", a.muf.is_some())])?;
    for (flag, given) in [
        ("pattern", a.pattern.is_some()),
        ("loss_period", a.loss_period.is_some()),
        ("sequences", a.sequences.is_some()),
        ("seed", a.seed.is_some()),
    ] {
        super::check_pair(flag, given, "loss_kg", a.loss_kg.is_some(), false)?;
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

fn page_threshold(a: PageThresholdArgs) -> Result<Document, AppError> {
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

fn sample(a: SampleArgs) -> Result<Document, AppError> {
    let mut r = Document::new(
        "safeguards sample",
        "Attribute sampling: items to verify to find at least one defect with probability 1 − β",
    );
    r.input_value("items", "Items N", json!(a.items), a.items.to_string());
    // clap enforces these rules on the command line; a request built from JSON is checked here.
    super::exactly_one(&[
        ("defects", a.defects.is_some()),
        ("goal_kg", a.goal_kg.is_some()),
    ])?;
    let defects = match (a.defects, a.goal_kg, a.item_kg) {
        (Some(d), ..) => d,
        (None, Some(goal), Some(item)) => {
            let f = a.falsified_fraction.unwrap_or(1.0);
            r.input("goal_kg", "Goal quantity", goal, "kg", false)
                .input("item_kg", "Item content", item, "kg", false)
                .input(
                    "falsified_fraction",
                    "Falsified fraction",
                    f,
                    "",
                    a.falsified_fraction.is_none(),
                );
            let d = sampling::defects_for_goal(goal, item, f).map_err(|e| {
                AppError::Input(format!(
                    "--goal-kg {goal} --item-kg {item} --falsified-fraction {f}: {e}"
                ))
            })?;
            r.result(
                "defects_from_goal",
                "Defects needed to divert the goal",
                d as f64,
                "items",
            );
            d
        }
        _ => {
            return Err(AppError::Usage(
                "give --defects, or --goal-kg with --item-kg".into(),
            ));
        }
    };
    r.input_value("defects", "Defects r", json!(defects), defects.to_string())
        .input("beta", "Non-detection probability β", a.beta, "", false);
    if defects == 0 || defects > a.items {
        return Err(AppError::Input(format!(
            "--defects {defects}: expected 1 to --items ({})",
            a.items
        )));
    }
    if !(a.beta.is_finite() && a.beta > 0.0 && a.beta < 1.0) {
        return Err(AppError::Input(format!(
            "--beta {}: expected a probability strictly between 0 and 1",
            a.beta
        )));
    }
    let s = sampling::sample_sizes(a.items, defects, a.beta)?;
    let pnd = |n: usize| sampling::non_detection_probability(a.items, defects, n);
    r.result(
        "sample_size_iaea",
        "IAEA formula N(1 − β^(1/r))",
        s.iaea as f64,
        "items",
    )
    .result(
        "sample_size_improved",
        "Improved formula (N − (r−1)/2)(1 − β^(1/r))",
        s.improved as f64,
        "items",
    )
    .result(
        "sample_size_exact",
        "Exact (hypergeometric)",
        s.exact as f64,
        "items",
    )
    .result(
        "non_detection_probability_iaea",
        "Non-detection probability with the IAEA size",
        pnd(s.iaea)?,
        "",
    )
    .result(
        "non_detection_probability_exact",
        "Non-detection probability with the exact size",
        pnd(s.exact)?,
        "",
    );
    r.note("sizes are rounded up; the exact size is the smallest n with C(N−r, n)/C(N, n) ≤ β");
    Ok(r)
}

fn plant_cmd(a: PlantArgs) -> Result<Document, AppError> {
    let mut r = Document::new(
        "safeguards plant",
        "Enrichment plant: one year of balances, σ_MUF, detection of a goal quantity",
    );
    let opt = |r: &mut Document, key: &str, label: &str, v: Option<f64>, d: f64, unit: &str| {
        let x = v.unwrap_or(d);
        r.input(key, label, x, unit, v.is_none());
        x
    };
    r.input(
        "capacity_swu_per_yr",
        "Capacity",
        a.swu_per_yr,
        "kg-SWU/yr",
        false,
    );
    let feed = opt(
        &mut r,
        "feed_wt_pct",
        "Feed assay",
        a.feed_wt_pct,
        0.711,
        "wt-% U-235",
    );
    let product = opt(
        &mut r,
        "product_wt_pct",
        "Product assay",
        a.product_wt_pct,
        4.5,
        "wt-% U-235",
    );
    let tails = opt(
        &mut r,
        "tails_wt_pct",
        "Tails assay",
        a.tails_wt_pct,
        0.25,
        "wt-% U-235",
    );
    let periods = a.periods_per_year.unwrap_or(12);
    r.input_value(
        "periods_per_year",
        "Balance periods per year",
        json!(periods),
        format!(
            "{periods}{}",
            if a.periods_per_year.is_none() {
                "  (default)"
            } else {
                ""
            }
        ),
    );
    // Cylinder fills: 48Y ≈ 12.5 t UF6, 30B ≤ 2277 kg UF6 (safeguards.md §5, ANSI N14.1 [L]).
    let fcyl = opt(
        &mut r,
        "feed_cylinder_kg_uf6",
        "Feed cylinder fill (48Y)",
        a.feed_cylinder_kg_uf6,
        12_500.0,
        "kg UF6",
    );
    let pcyl = opt(
        &mut r,
        "product_cylinder_kg_uf6",
        "Product cylinder fill (30B)",
        a.product_cylinder_kg_uf6,
        2277.0,
        "kg UF6",
    );
    let tcyl = opt(
        &mut r,
        "tails_cylinder_kg_uf6",
        "Tails cylinder fill (48Y)",
        a.tails_cylinder_kg_uf6,
        12_500.0,
        "kg UF6",
    );
    let inv = opt(
        &mut r,
        "inventory_days",
        "Stock of each stream on site",
        a.inventory_days,
        30.0,
        "days of flow",
    );
    let goal = opt(
        &mut r,
        "goal_kg",
        "Goal quantity",
        a.goal_kg,
        SQ_LEU_KG_U235,
        "kg U-235",
    );
    let alpha = probability(
        &mut r,
        "alpha",
        "--alpha",
        "False-alarm probability",
        a.alpha,
        DEFAULT_ALPHA,
    )?;
    if !(goal.is_finite() && goal > 0.0) {
        return Err(AppError::Input(format!(
            "--goal-kg {goal}: expected a positive mass in kg U-235"
        )));
    }
    if periods == 0 {
        return Err(AppError::Input(
            "--periods-per-year 0: expected at least 1".into(),
        ));
    }
    let (instruments, sources) = file::load_instruments(a.instruments.as_deref())?;
    r.input_value(
        "instruments",
        "Instrument uncertainties",
        json!(
            a.instruments
                .as_ref()
                .map_or("bundled illustrative".to_string(), |p| p
                    .display()
                    .to_string())
        ),
        a.instruments.as_ref().map_or(
            "bundled illustrative values (not ITV)  (default)".to_string(),
            |p| p.display().to_string(),
        ),
    );
    let spec = plant::PlantSpec {
        capacity_swu_per_yr: a.swu_per_yr,
        feed_wt_pct: feed,
        product_wt_pct: product,
        tails_wt_pct: tails,
        periods_per_year: periods,
        feed_cylinder_kg_uf6: fcyl,
        product_cylinder_kg_uf6: pcyl,
        tails_cylinder_kg_uf6: tcyl,
        inventory_days: inv,
        instruments,
    };
    let p = plant::generate(&spec).map_err(|e| {
        AppError::Input(format!(
            "plant: {e} (check --swu-per-yr, the assays, cylinder fills and --inventory-days)"
        ))
    })?;
    r.result("feed_kg_u_per_yr", "Feed", p.feed_kg_u_per_yr, "kg U/yr")
        .result(
            "product_kg_u_per_yr",
            "Product",
            p.product_kg_u_per_yr,
            "kg U/yr",
        )
        .result("tails_kg_u_per_yr", "Tails", p.tails_kg_u_per_yr, "kg U/yr")
        .result(
            "feed_cylinders_per_yr",
            "Feed cylinders",
            p.cylinders_per_yr[0] as f64,
            "per yr",
        )
        .result(
            "product_cylinders_per_yr",
            "Product cylinders",
            p.cylinders_per_yr[1] as f64,
            "per yr",
        )
        .result(
            "tails_cylinders_per_yr",
            "Tails cylinders",
            p.cylinders_per_yr[2] as f64,
            "per yr",
        );
    let iso = p.balance.evaluate(Species::Isotope)?;
    let el = p.balance.evaluate(Species::Element)?;
    let (_, sigma_year) = iso.total();
    let (_, sigma_year_u) = el.total();
    let parts = p.balance.covariance_parts(Species::Isotope);
    let ones = vec![1.0; periods];
    let (rv, sv) = (
        parts.random.bilinear(&ones, &ones),
        parts.systematic.bilinear(&ones, &ones),
    );
    let feed235 = p.feed_kg_u_per_yr * feed / 100.0;
    let pd = detection::detection_probability(goal, sigma_year, alpha, Sided::One)?;
    let scale = detection::throughput_scale_for_goal(rv, sv, goal, alpha, DEFAULT_PROBABILITY)?;
    r.result(
        "sigma_muf_kg",
        "σ_MUF of one balance period, U-235",
        iso.sigma_muf_kg()[0],
        "kg U-235",
    )
    .result(
        "sigma_annual_muf_kg",
        "σ of the annual (total) MUF, U-235",
        sigma_year,
        "kg U-235",
    )
    .result(
        "sigma_annual_muf_pct_of_feed",
        "… as % of feed U-235",
        100.0 * sigma_year / feed235,
        "%",
    )
    .result(
        "sigma_annual_muf_random_kg",
        "… random part",
        rv.sqrt(),
        "kg U-235",
    )
    .result(
        "sigma_annual_muf_systematic_kg",
        "… systematic part",
        sv.sqrt(),
        "kg U-235",
    )
    .result(
        "sigma_annual_muf_element_kg",
        "σ of the annual MUF, element",
        sigma_year_u,
        "kg U",
    )
    .result(
        "detection_probability",
        "Detection probability of the goal by the annual balance",
        pd,
        "",
    )
    .result(
        "detectable_loss_kg",
        "Loss detected with 95 % by the annual balance",
        detection::detectable_loss_kg(sigma_year, alpha, DEFAULT_PROBABILITY)?,
        "kg U-235",
    )
    .result(
        "max_capacity_swu_per_yr",
        "Largest capacity whose annual balance detects the goal with 95 %",
        scale * a.swu_per_yr,
        "kg-SWU/yr",
    );
    let period_days = enrich::units::DAYS_PER_YEAR / periods as f64;
    let mut sims = serde_json::Map::new();
    if periods > 1 {
        let n_seq = a.sequences.unwrap_or(DEFAULT_SEQUENCES);
        if n_seq == 0 {
            return Err(AppError::Input(
                "--sequences 0: expected at least 1 simulated sequence".into(),
            ));
        }
        let s = seed(a.seed);
        r.input_value(
            "sequences",
            "Simulated sequences",
            json!(n_seq),
            n_seq.to_string(),
        )
        .input_value("seed", "Seed", json!(s), s.to_string());
        let mut t = Table::new(
            format!(
                "Detection of {} kg U-235 over the year ({} balances of {} days; each test at overall α)",
                num(goal),
                periods,
                num(period_days)
            ),
            &[
                "loss pattern",
                "Page P",
                "Page mean days",
                "Shewhart P",
                "total MUF P",
                "GEMUF P",
            ],
        );
        for (name, pattern) in [
            (
                "abrupt (period 1)",
                LossPattern::Abrupt {
                    period: 1,
                    total_kg: goal,
                },
            ),
            (
                "protracted (even)",
                LossPattern::Protracted { total_kg: goal },
            ),
        ] {
            let sim = montecarlo::simulate_cancellable(
                &iso,
                &pattern,
                TestSettings {
                    alpha,
                    page_k: DEFAULT_K,
                },
                n_seq,
                s,
                &cancelled(),
            )?;
            let days = sim.page.mean_alarm_period.map(|m| m * period_days);
            t.row(vec![
                name.into(),
                num(sim.page.detection_probability),
                days.map_or("-".into(), num),
                num(sim.shewhart.detection_probability),
                num(sim.total_muf),
                num(sim.gemuf),
            ]);
            sims.insert(
                if name.starts_with("abrupt") {
                    "abrupt".into()
                } else {
                    "protracted".into()
                },
                json!({
                    "page_detection_probability": sim.page.detection_probability,
                    "page_mean_detection_days": days,
                    "page_threshold": sim.page.threshold,
                    "shewhart_detection_probability": sim.shewhart.detection_probability,
                    "total_muf_detection_probability": sim.total_muf,
                    "gemuf_detection_probability": sim.gemuf,
                }),
            );
        }
        r.table(t);
        r.result_json("simulation", Value::Object(sims));
    }
    if let Some(b) = a.breakout_days {
        let eval = a.evaluation_days.unwrap_or(0.0);
        r.input("breakout_days", "Breakout time", b, "days", false)
            .input(
                "evaluation_days",
                "Balance evaluation time",
                eval,
                "days",
                a.evaluation_days.is_none(),
            );
        let t = timeliness::assess(
            b,
            period_days,
            eval,
            timeliness::DIRECT_USE_UNIRRADIATED_DAYS,
        )
        .map_err(|e| {
            AppError::Input(format!("--breakout-days {b} --evaluation-days {eval}: {e}"))
        })?;
        r.result(
            "timeliness_goal_days",
            "HEU timeliness goal (1 month)",
            t.goal_days,
            "days",
        )
        .result(
            "balance_detection_days",
            "Balance period + evaluation",
            t.detection_days,
            "days",
        )
        .result_text(
            "timeliness_goal_met",
            "Timeliness goal met",
            if t.goal_met() { "yes" } else { "no" },
        )
        .result(
            "timeliness_margin_days",
            "Margin to the goal",
            t.goal_margin_days,
            "days",
        )
        .result_text(
            "detected_before_breakout",
            "Balance closes before breakout completes",
            if t.detected_before_breakout() {
                "yes"
            } else {
                "no"
            },
        )
        .result(
            "warning_margin_days",
            "Breakout time − balance detection time",
            t.warning_margin_days,
            "days",
        );
        r.note("timeliness goal: IAEA Safeguards Glossary 2001 §3.20 (1 month for unirradiated direct-use material); the breakout time is given by hand (--breakout-days), not yet taken from a facility state");
    }
    for s in sources {
        r.note(format!("uncertainty source — {s}"));
    }
    r.note("cascade hold-up, traps and waste streams are not modelled; the declared balance closes (MUF = 0), so only σ and detection figures are meaningful");
    Ok(r)
}
