//! `breakout safeguards`: material-accountancy statistics for enrichment plants — one balance,
//! balance sequences (CUMUF, SITMUF, Page, GEMUF), Page thresholds, inspector sample sizes, and
//! the enrichment-plant generator with the timeliness comparison.
//!
//! Each subcommand has a typed result, computed without a document ([`balance()`],
//! [`detect`], [`sequence()`], [`page_threshold`], [`sample()`], [`plant()`]); the document is
//! built from it, and the result serialises to exactly the document's JSON `results`.
//!
//! Exit codes: 0 when no test alarms, 1 when a test on the given data alarms (a finding), 2 for
//! bad input. Monte Carlo runs print their seed on stderr; `--seed` repeats a run.

mod balance;
mod file;
mod plant;
mod sample;
mod sequence;

pub use balance::{
    BalancePeriod, BalanceResult, Balances, DetectResult, SpeciesBalance, balance, detect,
};
pub use plant::{PatternDetection, PlantResult, PlantSimulation, TimelinessResult, plant};
pub use sample::{SampleResult, sample};
pub use sequence::{
    PageDetection, PageThresholdResult, SequencePeriod, SequenceResult, ShewhartDetection,
    SimulationResult, WorstCaseResult, page_threshold, sequence,
};

use std::path::PathBuf;
use std::str::FromStr;

use clap::{ArgGroup, Args, Subcommand, ValueEnum};

use safeguards::balance::Species;

use crate::Answer;
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

/// `breakout safeguards balance`: its flags, or the fields of its JSON request.
#[derive(Debug, Args, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BalanceArgs {
    /// Balance file (TOML; see data/safeguards/example-quarterly-balance.toml).
    file: PathBuf,
    /// False-alarm probability of each one-balance test.
    #[arg(long, value_name = "PROB")]
    alpha: Option<f64>,
}

/// `breakout safeguards detect`: its flags, or the fields of its JSON request.
#[derive(Debug, Args, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DetectArgs {
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

/// `breakout safeguards sequence`: its flags, or the fields of its JSON request.
#[derive(Debug, Args, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
#[command(group(ArgGroup::new("input").required(true).multiple(false).args(["file", "muf"])))]
pub struct SequenceArgs {
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

/// `breakout safeguards page-threshold`: its flags, or the fields of its JSON request.
#[derive(Debug, Args, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PageThresholdArgs {
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

/// `breakout safeguards sample`: its flags, or the fields of its JSON request.
#[derive(Debug, Args, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
#[command(group(ArgGroup::new("defect_spec").required(true).multiple(false).args(["defects", "goal_kg"])))]
pub struct SampleArgs {
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

/// `breakout safeguards plant`: its flags, or the fields of its JSON request.
#[derive(Debug, Args, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlantArgs {
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
        SafeguardsCommand::Balance(a) => balance::balance_document(&a)?,
        SafeguardsCommand::Detect(a) => (balance::detect_document(&a)?, Outcome::Success),
        SafeguardsCommand::Sequence(a) => sequence::sequence_document(&a)?,
        SafeguardsCommand::PageThreshold(a) => {
            (sequence::page_threshold_document(&a)?, Outcome::Success)
        }
        SafeguardsCommand::Sample(a) => (sample::sample_document(&a)?, Outcome::Success),
        SafeguardsCommand::Plant(a) => (plant::plant_document(&a)?, Outcome::Success),
    };
    Ok((report, outcome))
}

/// A probability flag, `default` when not given: checks 0 < p < 1 with the flag's name in the
/// message.
fn probability(flag: &str, given: Option<f64>, default: f64) -> Result<f64, AppError> {
    let p = given.unwrap_or(default);
    if !(p.is_finite() && p > 0.0 && p < 1.0) {
        return Err(AppError::Input(format!(
            "{flag} {p}: expected a probability strictly between 0 and 1"
        )));
    }
    Ok(p)
}

/// A yes/no answer as the JSON word it has always been.
fn yes_no<S: serde::Serializer>(yes: &bool, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(if *yes { "yes" } else { "no" })
}

/// Whether this computation was cancelled (its [`crate::Cancel`] token, taken on this thread).
fn cancelled() -> impl Fn() -> bool + Sync {
    let token = crate::cancel::current();
    move || token.is_cancelled()
}

/// The seed: given, or derived from the clock, and printed on stderr either way.
fn seed(given: Option<u64>) -> u64 {
    let s = given.unwrap_or_else(|| {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos() as u64)
    });
    eprintln!("seed: {s} (repeat with --seed {s})");
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Value, json};

    /// A subcommand's typed result (as JSON) and its document.
    fn typed_and_document(args: SafeguardsArgs) -> (Value, crate::Document) {
        let typed = |v: Result<Value, serde_json::Error>| v.unwrap();
        match args.command {
            SafeguardsCommand::Balance(a) => (
                typed(serde_json::to_value(balance(&a).unwrap())),
                balance::balance_document(&a).unwrap().0,
            ),
            SafeguardsCommand::Detect(a) => (
                typed(serde_json::to_value(detect(&a).unwrap())),
                balance::detect_document(&a).unwrap(),
            ),
            SafeguardsCommand::Sequence(a) => (
                typed(serde_json::to_value(sequence(&a).unwrap())),
                sequence::sequence_document(&a).unwrap().0,
            ),
            SafeguardsCommand::PageThreshold(a) => (
                typed(serde_json::to_value(page_threshold(&a).unwrap())),
                sequence::page_threshold_document(&a).unwrap(),
            ),
            SafeguardsCommand::Sample(a) => (
                typed(serde_json::to_value(sample(&a).unwrap())),
                sample::sample_document(&a).unwrap(),
            ),
            SafeguardsCommand::Plant(a) => (
                typed(serde_json::to_value(plant(&a).unwrap())),
                plant::plant_document(&a).unwrap(),
            ),
        }
    }

    /// The typed result of each subcommand serialises to exactly its document's `results`
    /// (Monte Carlo runs seeded, so both computations draw the same).
    #[test]
    fn typed_results_are_the_documents_results() {
        let balance_file = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../data/safeguards/example-quarterly-balance.toml"
        );
        for (command, fields) in [
            ("balance", json!({"file": balance_file})),
            ("detect", json!({"loss_kg": 75, "sigma_kg": 20})),
            (
                "detect",
                json!({"loss_kg": 75, "sigma_kg": 20, "two_sided": true}),
            ),
            (
                "sequence",
                json!({"muf": "1,-2,3,5", "sigma_inventory_kg": "2,2,2,2,2",
                       "sigma_transfer_kg": "1,1,1,1", "loss_kg": 8, "sequences": 500, "seed": 3}),
            ),
            (
                "sequence",
                json!({"file": balance_file, "species": "element"}),
            ),
            (
                "page-threshold",
                json!({"k": 0.5, "periods": 12, "alpha": 0.05}),
            ),
            ("sample", json!({"items": 200, "defects": 3, "beta": 0.1})),
            (
                "sample",
                json!({"items": 200, "goal_kg": 75, "item_kg": 2, "beta": 0.1}),
            ),
            (
                "plant",
                json!({"swu_per_yr": 1e6, "seed": 7, "sequences": 500, "breakout_days": 30}),
            ),
            ("plant", json!({"swu_per_yr": 1e5, "periods_per_year": 1})),
        ] {
            let args: SafeguardsArgs =
                serde_json::from_value(json!({"command": {command: fields.clone()}})).unwrap();
            let (typed, doc) = typed_and_document(args);
            assert_eq!(typed, doc.to_json()["results"], "{command} {fields}");
        }
    }

    /// A misspelt field of `balance` is refused, as for every other request, not ignored.
    #[test]
    fn balance_refuses_unknown_fields() {
        let e = serde_json::from_value::<crate::Request>(
            json!({"safeguards": {"command": {"balance": {"file": "b.toml", "alfa": 0.1}}}}),
        )
        .unwrap_err();
        assert!(e.to_string().contains("alfa"), "{e}");
    }

    /// clap's `requires` rules, sent as JSON (which clap never sees), are refused by name.
    #[test]
    fn json_requests_keep_the_flag_rules() {
        for (command, fields, first, second) in [
            (
                "sequence",
                json!({"muf": "1,2", "sigma_transfer_kg": "1"}),
                "--muf",
                "--sigma-inventory-kg",
            ),
            (
                "sequence",
                json!({"muf": "1,2", "sigma_inventory_kg": "1,1,1"}),
                "--muf",
                "--sigma-transfer-kg",
            ),
            (
                "sequence",
                json!({"file": "balance.toml", "sigma_transfer_kg": "1"}),
                "--sigma-transfer-kg",
                "--muf",
            ),
            (
                "sequence",
                json!({"muf": "1,2", "sigma_inventory_kg": "1,1,1", "sigma_transfer_kg": "1",
                       "species": "element"}),
                "--species",
                "--file",
            ),
            (
                "sample",
                json!({"items": 200, "defects": 3, "item_kg": 2, "beta": 0.1}),
                "--item-kg",
                "--goal-kg",
            ),
            (
                "sample",
                json!({"items": 200, "defects": 3, "falsified_fraction": 0.5, "beta": 0.1}),
                "--falsified-fraction",
                "--goal-kg",
            ),
            (
                "sample",
                json!({"items": 200, "goal_kg": 75, "beta": 0.1}),
                "--goal-kg",
                "--item-kg",
            ),
            (
                "plant",
                json!({"swu_per_yr": 1e5, "evaluation_days": 5}),
                "--evaluation-days",
                "--breakout-days",
            ),
        ] {
            let request: crate::Request =
                serde_json::from_value(json!({"safeguards": {"command": {command: fields}}}))
                    .unwrap();
            match crate::execute(request) {
                Err(AppError::Usage(m)) => {
                    assert!(m.contains(first) && m.contains(second), "{command}: {m}");
                }
                other => panic!("{command}: {:?}", other.map(|(d, _)| d.to_json())),
            }
        }
    }
}
