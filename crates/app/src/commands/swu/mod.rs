//! `breakout swu`: the binary balance and its inverse problems, least-SWU plans from several
//! stocks, and cost-optimum tails.
//!
//! Each subcommand has a typed result computed from engine values by a public function
//! ([`balance()`], [`tails()`], [`max_yield`], [`cost()`], [`plan()`]); its document is built from
//! that value, and the value serialises to exactly the document's JSON `results`.

mod balance;
mod cost;
mod plan;

pub use balance::{YieldResult, balance, max_yield, tails};
pub use cost::{CostResult, cost};
pub use plan::{Draw, PlanResult, plan};

use std::str::FromStr;

use clap::{ArgGroup, Args, Subcommand, ValueEnum};
use enrich::{Assay, Balance, ChemicalForm, Composition, CompoundMass, KgU, Swu, TailsChoice};
use serde::Serialize;
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
        None => balance::balance_document(args.balance)?,
        Some(SwuCommand::Plan(a)) => plan::plan_document(a)?,
        Some(SwuCommand::Cost(a)) => cost::cost_document(a)?,
        Some(SwuCommand::Tails(a)) => balance::tails_document(a)?,
        Some(SwuCommand::Yield(a)) => balance::yield_document(a)?,
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

/// One stream of a balance, in every unit the table shows.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Stream {
    /// `feed`, `product` or `tails`.
    pub name: &'static str,
    /// Assay, wt-% U-235.
    pub wt_pct: f64,
    /// The same assay in at-% U-235, for binary U-235/U-238 uranium.
    pub at_pct_binary: f64,
    /// Mass, kg U.
    pub kg_u: f64,
    /// The same uranium as UF6 (binary composition), kg UF6.
    pub kg_uf6: f64,
    /// Its U-235, kg U-235.
    pub kg_u235: f64,
}

impl Stream {
    fn of(name: &'static str, assay: Assay, kg_u: KgU) -> Stream {
        Stream {
            name,
            wt_pct: assay.wt_pct(),
            at_pct_binary: assay.at_pct_binary(),
            kg_u: kg_u.kg(),
            kg_uf6: CompoundMass::of_uranium(kg_u, ChemicalForm::Uf6, &Composition::binary(assay))
                .kg,
            kg_u235: kg_u.u235(assay).kg(),
        }
    }
}

/// The `results` of a solved feed/product/tails balance: all of `breakout swu` and
/// `swu tails`, and the balance part of `swu yield` and `swu cost`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BalanceResult {
    /// Feed, kg U.
    pub feed_kg_u: f64,
    /// Product, kg U.
    pub product_kg_u: f64,
    /// Tails, kg U.
    pub tails_kg_u: f64,
    /// Separative work, kg-SWU.
    pub separative_work_swu: Swu,
    /// Tails assay, wt-% U-235.
    pub tails_wt_pct: f64,
    /// Feed per product, kg U/kg U.
    pub feed_per_product: f64,
    /// Separative work per product, kg-SWU/kg U.
    pub swu_per_kg_product: f64,
    /// Feed, product and tails, in that order.
    pub streams: Vec<Stream>,
}

impl From<&Balance> for BalanceResult {
    fn from(b: &Balance) -> Self {
        BalanceResult {
            feed_kg_u: b.feed.kg(),
            product_kg_u: b.product.kg(),
            tails_kg_u: b.tails.kg(),
            separative_work_swu: b.separative_work,
            tails_wt_pct: b.tails_assay.wt_pct(),
            feed_per_product: b.feed.kg() / b.product.kg(),
            swu_per_kg_product: b.separative_work.kg_swu() / b.product.kg(),
            streams: vec![
                Stream::of("feed", b.feed_assay, b.feed),
                Stream::of("product", b.product_assay, b.product),
                Stream::of("tails", b.tails_assay, b.tails),
            ],
        }
    }
}

/// The rows and the streams table of a balance.
fn balance_rows(r: &mut Document, b: &BalanceResult) {
    r.result("feed_kg_u", "Feed", b.feed_kg_u, "kg U")
        .result("product_kg_u", "Product", b.product_kg_u, "kg U")
        .result("tails_kg_u", "Tails", b.tails_kg_u, "kg U")
        .result(
            "separative_work_swu",
            "Separative work",
            b.separative_work_swu.kg_swu(),
            "kg-SWU",
        )
        .result("tails_wt_pct", "Tails assay", b.tails_wt_pct, "wt-% U-235")
        .result(
            "feed_per_product",
            "Feed per kg product",
            b.feed_per_product,
            "kg U/kg U",
        )
        .result(
            "swu_per_kg_product",
            "SWU per kg product",
            b.swu_per_kg_product,
            "kg-SWU/kg U",
        );
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
    for s in &b.streams {
        t.row(vec![
            s.name.into(),
            num(s.wt_pct),
            num(s.at_pct_binary),
            num(s.kg_u),
            num(s.kg_uf6),
            num(s.kg_u235),
        ]);
    }
    r.result_json("streams", json!(b.streams)).table(t);
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

#[cfg(test)]
mod tests {
    use super::*;
    use enrich::cost::FeedPrice;
    use enrich::{Given, Prices, Stock};

    fn assay(pct: f64) -> Assay {
        Assay::named_wt_pct("assay", pct).unwrap()
    }

    fn kg(x: f64) -> KgU {
        KgU::new(x).unwrap()
    }

    /// Every subcommand's typed result serialises to exactly its document's `results`: the
    /// request as JSON, and the same inputs given to the public function.
    #[test]
    fn typed_results_are_the_documents_results() {
        type Typed = Box<dyn Fn() -> Value>;
        let natural = || assay(NATURAL_WT_PCT);
        let cases: Vec<(Value, Typed)> = vec![
            (
                json!({"product_wt_pct": 90, "tails_wt_pct": 0.3, "product_kg_u": 25}),
                Box::new(move || {
                    let given = Given::Product(kg(25.0));
                    json!(balance(natural(), assay(90.0), assay(0.3), given).unwrap())
                }),
            ),
            (
                json!({"feed_wt_pct": 3.5, "product_wt_pct": 20, "tails_wt_pct": 0.5, "swu": 100}),
                Box::new(|| {
                    let given = Given::Swu(Swu::new(100.0).unwrap());
                    json!(balance(assay(3.5), assay(20.0), assay(0.5), given).unwrap())
                }),
            ),
            (
                json!({"command": {"tails": {"product_wt_pct": 4.5, "feed_kg_u": 10000, "product_kg_u": 1000}}}),
                Box::new(move || {
                    json!(tails(natural(), assay(4.5), kg(10_000.0), kg(1000.0)).unwrap())
                }),
            ),
            (
                json!({"command": {"yield": {"product_wt_pct": 90, "swu": 100, "feed_kg_u": 100, "tails_wt_pct": 0.3}}}),
                Box::new(move || {
                    let t = TailsChoice::Fixed(assay(0.3));
                    let swu = Swu::new(100.0).unwrap();
                    json!(max_yield(natural(), assay(90.0), t, swu, kg(100.0)).unwrap())
                }),
            ),
            (
                json!({"command": {"yield": {"feed_wt_pct": 20, "product_wt_pct": 90, "swu": 500, "feed_kg_u": 100, "tails": "optimal"}}}),
                Box::new(|| {
                    let t = TailsChoice::Optimal {
                        floor: None,
                        ceiling: None,
                    };
                    let swu = Swu::new(500.0).unwrap();
                    json!(max_yield(assay(20.0), assay(90.0), t, swu, kg(100.0)).unwrap())
                }),
            ),
            (
                json!({"command": {"cost": {"product_wt_pct": 4.5, "feed_usd_per_kg_u": 100, "usd_per_swu": 100}}}),
                Box::new(move || {
                    let prices = Prices {
                        feed: FeedPrice::UsdPerKgU(100.0),
                        usd_per_swu: 100.0,
                    };
                    json!(cost(natural(), assay(4.5), prices, kg(1.0)).unwrap())
                }),
            ),
            (
                json!({"command": {"cost": {"product_wt_pct": 4.5, "usd_per_lb_u3o8": 80, "conversion_usd_per_kg_u": 10, "usd_per_swu": 150, "product_kg_u": 1000}}}),
                Box::new(move || {
                    let prices = Prices {
                        feed: FeedPrice::Yellowcake {
                            usd_per_lb_u3o8: 80.0,
                            conversion_usd_per_kg_u: 10.0,
                        },
                        usd_per_swu: 150.0,
                    };
                    json!(cost(natural(), assay(4.5), prices, kg(1000.0)).unwrap())
                }),
            ),
            (
                json!({"command": {"plan": {"product_kg_u": 42, "product_wt_pct": 90, "stock": ["408.6@60", "1000@20"], "tails": "optimal"}}}),
                Box::new(|| {
                    let stocks = [
                        Stock {
                            mass: kg(408.6),
                            assay: assay(60.0),
                        },
                        Stock {
                            mass: kg(1000.0),
                            assay: assay(20.0),
                        },
                    ];
                    let t = TailsChoice::Optimal {
                        floor: None,
                        ceiling: None,
                    };
                    json!(plan(kg(42.0), assay(90.0), &stocks, t).unwrap())
                }),
            ),
        ];
        for (request, typed) in cases {
            let args: SwuArgs = serde_json::from_value(request.clone()).unwrap();
            let (doc, _) = run(args).unwrap();
            assert_eq!(typed(), doc.to_json()["results"], "{request}");
        }
    }

    /// Separative work serialises as its bare number of kg-SWU.
    #[test]
    fn separative_work_is_a_bare_number() {
        assert_eq!(json!(Swu::new(4823.5).unwrap()), json!(4823.5));
    }
}
