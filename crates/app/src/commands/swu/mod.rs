//! `breakout swu`: the binary balance and its inverse problems, least-SWU plans from several
//! stocks, and cost-optimum tails.

mod balance;
mod cost;
mod plan;

use std::str::FromStr;

use clap::{ArgGroup, Args, Subcommand, ValueEnum};
use enrich::{Assay, Balance, ChemicalForm, Composition, CompoundMass, KgU, TailsChoice};
use serde_json::{Value, json};

use crate::Answer;
use crate::document::{Document, Table, num};
use crate::error::{AppError, Outcome};

/// Natural uranium, wt-% U-235: the default feed.
const NATURAL_WT_PCT: f64 = 0.711;

/// `breakout swu`: solve a balance from three assays and one of feed, product, tails or SWU.
#[derive(Debug, Args, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
pub struct SwuArgs {
    #[command(subcommand)]
    command: Option<SwuCommand>,

    #[command(flatten)]
    #[serde(flatten)]
    balance: BalanceArgs,
}

#[derive(Debug, Subcommand, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
enum SwuCommand {
    /// Least-SWU production from several stocks, each fed at its own point of an ideal cascade.
    Plan(PlanArgs),
    /// The tails assay that minimises the cost of product, with the cost breakdown.
    Cost(CostArgs),
    /// The tails assay left when a feed mass yields a product mass.
    Tails(TailsArgs),
    /// The most product an SWU budget and a feed stock allow.
    Yield(YieldArgs),
}

#[derive(Debug, Args, serde::Serialize, serde::Deserialize)]
#[command(allow_negative_numbers = true)]
#[group(skip)]
#[command(group(ArgGroup::new("given").required(true).multiple(false).args(["product_kg_u", "feed_kg_u", "tails_kg_u", "swu"])))]
struct BalanceArgs {
    /// Feed assay, wt-% U-235 [default: 0.711, natural uranium].
    #[arg(long, value_name = "WT_PCT")]
    feed_wt_pct: Option<f64>,
    /// Product assay, wt-% U-235.
    #[arg(long, value_name = "WT_PCT", required = true)]
    product_wt_pct: Option<f64>,
    /// Tails assay, wt-% U-235.
    #[arg(long, value_name = "WT_PCT", required = true)]
    tails_wt_pct: Option<f64>,
    /// Product mass, kg U.
    #[arg(long, value_name = "KG_U")]
    product_kg_u: Option<f64>,
    /// Feed mass, kg U.
    #[arg(long, value_name = "KG_U")]
    feed_kg_u: Option<f64>,
    /// Tails mass, kg U.
    #[arg(long, value_name = "KG_U")]
    tails_kg_u: Option<f64>,
    /// Separative work, kg-SWU.
    #[arg(long, value_name = "KG_SWU")]
    swu: Option<f64>,
}

/// How the tails assay is set on the command line.
#[derive(Debug, Clone, Copy, ValueEnum, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
enum TailsMode {
    /// The tails assay that minimises separative work while the stocks last.
    Optimal,
}

#[derive(Debug, Args, serde::Serialize, serde::Deserialize)]
#[command(allow_negative_numbers = true)]
#[group(skip)]
#[command(group(ArgGroup::new("tails_spec").required(true).multiple(false).args(["tails_wt_pct", "tails"])))]
struct TailsArgsSpec {
    /// Fixed tails assay, wt-% U-235.
    #[arg(long, value_name = "WT_PCT")]
    tails_wt_pct: Option<f64>,
    /// Let the tails assay float to its optimum.
    #[arg(long, value_enum)]
    tails: Option<TailsMode>,
    /// Lowest admissible tails assay with `--tails optimal`, wt-% U-235.
    #[arg(long, value_name = "WT_PCT")]
    min_tails_wt_pct: Option<f64>,
    /// Highest admissible tails assay with `--tails optimal`, wt-% U-235.
    #[arg(long, value_name = "WT_PCT")]
    max_tails_wt_pct: Option<f64>,
}

#[derive(Debug, Args, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
#[command(allow_negative_numbers = true)]
struct PlanArgs {
    /// Product mass, kg U.
    #[arg(long, value_name = "KG_U")]
    product_kg_u: f64,
    /// Product assay, wt-% U-235.
    #[arg(long, value_name = "WT_PCT")]
    product_wt_pct: f64,
    /// A stock as KG_U@WT_PCT, e.g. 408.6@60 (repeat for several).
    #[arg(long = "stock", value_name = "KG_U@WT_PCT", required = true, value_parser = super::StockSpec::from_str)]
    #[serde(rename = "stock")]
    stocks: Vec<super::StockSpec>,
    #[command(flatten)]
    #[serde(flatten)]
    tails: TailsArgsSpec,
}

#[derive(Debug, Args, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
#[command(allow_negative_numbers = true)]
#[group(skip)]
#[command(group(ArgGroup::new("feed_price").required(true).multiple(false).args(["feed_usd_per_kg_u", "usd_per_lb_u3o8"])))]
struct CostArgs {
    /// Feed assay, wt-% U-235 [default: 0.711, natural uranium].
    #[arg(long, value_name = "WT_PCT")]
    feed_wt_pct: Option<f64>,
    /// Product assay, wt-% U-235.
    #[arg(long, value_name = "WT_PCT")]
    product_wt_pct: f64,
    /// Price of feed as UF6, USD per kg U (conversion included).
    #[arg(long, value_name = "USD")]
    feed_usd_per_kg_u: Option<f64>,
    /// Price of yellowcake, USD per lb U3O8 (add --conversion-usd-per-kg-u).
    #[arg(long, value_name = "USD", requires = "conversion_usd_per_kg_u")]
    usd_per_lb_u3o8: Option<f64>,
    /// Price of conversion to UF6, USD per kg U (with --usd-per-lb-u3o8).
    #[arg(long, value_name = "USD", requires = "usd_per_lb_u3o8")]
    conversion_usd_per_kg_u: Option<f64>,
    /// Price of separative work, USD per kg-SWU.
    #[arg(long, value_name = "USD")]
    usd_per_swu: f64,
    /// Product mass for total costs, kg U [default: 1].
    #[arg(long, value_name = "KG_U")]
    product_kg_u: Option<f64>,
}

#[derive(Debug, Args, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
#[command(allow_negative_numbers = true)]
struct TailsArgs {
    /// Feed assay, wt-% U-235 [default: 0.711, natural uranium].
    #[arg(long, value_name = "WT_PCT")]
    feed_wt_pct: Option<f64>,
    /// Product assay, wt-% U-235.
    #[arg(long, value_name = "WT_PCT")]
    product_wt_pct: f64,
    /// Feed mass, kg U.
    #[arg(long, value_name = "KG_U")]
    feed_kg_u: f64,
    /// Product mass, kg U.
    #[arg(long, value_name = "KG_U")]
    product_kg_u: f64,
}

#[derive(Debug, Args, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
#[command(allow_negative_numbers = true)]
struct YieldArgs {
    /// Feed assay, wt-% U-235 [default: 0.711, natural uranium].
    #[arg(long, value_name = "WT_PCT")]
    feed_wt_pct: Option<f64>,
    /// Product assay, wt-% U-235.
    #[arg(long, value_name = "WT_PCT")]
    product_wt_pct: f64,
    /// Separative work available, kg-SWU.
    #[arg(long, value_name = "KG_SWU")]
    swu: f64,
    /// Feed stock available, kg U.
    #[arg(long, value_name = "KG_U")]
    feed_kg_u: f64,
    #[command(flatten)]
    #[serde(flatten)]
    tails: TailsArgsSpec,
}

/// Runs `breakout swu ...`.
pub fn run(args: SwuArgs) -> Answer {
    let report = match args.command {
        None => balance::balance(args.balance)?,
        Some(SwuCommand::Plan(a)) => plan::plan(a)?,
        Some(SwuCommand::Cost(a)) => cost::cost(a)?,
        Some(SwuCommand::Tails(a)) => balance::tails(a)?,
        Some(SwuCommand::Yield(a)) => balance::yield_(a)?,
    };
    Ok((report, Outcome::Success))
}

/// Resolves an optional feed assay, recording it (and whether it was defaulted) as an input.
fn feed_assay(r: &mut Document, given: Option<f64>) -> Result<Assay, AppError> {
    let pct = given.unwrap_or(NATURAL_WT_PCT);
    r.input(
        "feed_wt_pct",
        "Feed assay",
        pct,
        "wt-% U-235",
        given.is_none(),
    );
    Ok(Assay::named_wt_pct("feed assay", pct)?)
}

fn assay_input(
    r: &mut Document,
    key: &str,
    label: &'static str,
    pct: f64,
) -> Result<Assay, AppError> {
    r.input(key, label, pct, "wt-% U-235", false);
    Ok(Assay::named_wt_pct(label, pct)?)
}

fn mass(what: &'static str, kg: f64) -> Result<KgU, AppError> {
    KgU::new(kg).map_err(|_| {
        AppError::Input(format!(
            "{what} = {kg} kg U is not valid: expected a positive, finite number"
        ))
    })
}

/// One stream's JSON object and table row: assay in both bases, kg U, kg UF6, kg U-235.
fn stream(name: &str, assay: Assay, kg_u: KgU) -> (Value, Vec<String>) {
    let uf6 = CompoundMass::of_uranium(kg_u, ChemicalForm::Uf6, &Composition::binary(assay)).kg;
    let u235 = kg_u.u235(assay).kg();
    let v = json!({
        "name": name, "wt_pct": assay.wt_pct(), "at_pct_binary": assay.at_pct_binary(),
        "kg_u": kg_u.kg(), "kg_uf6": uf6, "kg_u235": u235,
    });
    let row = vec![
        name.into(),
        num(assay.wt_pct()),
        num(assay.at_pct_binary()),
        num(kg_u.kg()),
        num(uf6),
        num(u235),
    ];
    (v, row)
}

fn streams(r: &mut Document, rows: &[(&str, Assay, KgU)]) {
    let mut t = Table::new(
        "Streams (UF6 and at-% for binary U-235/U-238 uranium)",
        &[
            "stream",
            "wt-% U-235",
            "at-% U-235",
            "kg U",
            "kg UF6",
            "kg U-235",
        ],
    );
    let mut list = Vec::new();
    for &(name, assay, kg) in rows {
        let (v, row) = stream(name, assay, kg);
        list.push(v);
        t.row(row);
    }
    r.result_json("streams", Value::Array(list)).table(t);
}

fn balance_results(r: &mut Document, b: &Balance) {
    r.result("feed_kg_u", "Feed", b.feed.kg(), "kg U")
        .result("product_kg_u", "Product", b.product.kg(), "kg U")
        .result("tails_kg_u", "Tails", b.tails.kg(), "kg U")
        .result(
            "separative_work_swu",
            "Separative work",
            b.separative_work.kg_swu(),
            "kg-SWU",
        )
        .result(
            "tails_wt_pct",
            "Tails assay",
            b.tails_assay.wt_pct(),
            "wt-% U-235",
        )
        .result(
            "feed_per_product",
            "Feed per kg product",
            b.feed.kg() / b.product.kg(),
            "kg U/kg U",
        )
        .result(
            "swu_per_kg_product",
            "SWU per kg product",
            b.separative_work.kg_swu() / b.product.kg(),
            "kg-SWU/kg U",
        );
    streams(
        r,
        &[
            ("feed", b.feed_assay, b.feed),
            ("product", b.product_assay, b.product),
            ("tails", b.tails_assay, b.tails),
        ],
    );
}

/// Resolves the tails flags into a [`TailsChoice`], recording them as inputs.
fn tails_choice(r: &mut Document, t: &TailsArgsSpec) -> Result<TailsChoice, AppError> {
    // clap enforces these rules on the command line; a request built from JSON is checked here.
    super::exactly_one(&[
        ("tails_wt_pct", t.tails_wt_pct.is_some()),
        ("tails", t.tails.is_some()),
    ])?;
    if let Some(pct) = t.tails_wt_pct {
        if t.min_tails_wt_pct.is_some() || t.max_tails_wt_pct.is_some() {
            return Err(AppError::Usage(
                "--min-tails-wt-pct and --max-tails-wt-pct bound a floating tails assay: use them with --tails optimal, not with --tails-wt-pct".into(),
            ));
        }
        r.input_value("tails", "Tails", json!("fixed"), "fixed");
        return Ok(TailsChoice::Fixed(assay_input(
            r,
            "tails_wt_pct",
            "Tails assay",
            pct,
        )?));
    }
    r.input_value(
        "tails",
        "Tails",
        json!("optimal"),
        "optimal (least SWU while the stocks last)",
    );
    let mut bound =
        |key: &str, label: &'static str, v: Option<f64>| -> Result<Option<Assay>, AppError> {
            match v {
                Some(pct) => assay_input(r, key, label, pct).map(Some),
                None => {
                    r.input_value(key, label, Value::Null, "none");
                    Ok(None)
                }
            }
        };
    let floor = bound("min_tails_wt_pct", "Tails floor", t.min_tails_wt_pct)?;
    let ceiling = bound("max_tails_wt_pct", "Tails ceiling", t.max_tails_wt_pct)?;
    if let (Some(f), Some(c)) = (floor, ceiling)
        && f >= c
    {
        return Err(AppError::Input(format!(
            "--min-tails-wt-pct {} must be below --max-tails-wt-pct {}",
            f.wt_pct(),
            c.wt_pct()
        )));
    }
    Ok(TailsChoice::Optimal { floor, ceiling })
}
