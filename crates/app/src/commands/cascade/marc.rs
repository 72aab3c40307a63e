//! `cascade marc`: a multi-isotope matched-abundance-ratio cascade (real N and M) for a target.
//! [`marc`] computes the typed [`MarcResult`]; the document is built from it.

use super::output::*;
use super::*;
use crate::document::{Document, Table, num};
use crate::error::AppError;
use enrich::cascade::{KeyFraction, MarcCascade, StageSeparation};
use enrich::{Isotope, MachineLibrary};
use serde_json::json;

/// The `results` of `cascade marc`: stage numbers, streams and separative work.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct MarcResult {
    /// Enriching stages N, the feed stage included (real-valued, or rounded up with
    /// `--integer-stages`).
    pub enriching_stages: f64,
    /// Stripping stages M (real-valued, or rounded up).
    pub stripping_stages: f64,
    /// N for the exact targets (with `--integer-stages` only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub enriching_stages_exact: Option<f64>,
    /// M for the exact targets (with `--integer-stages` only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stripping_stages_exact: Option<f64>,
    /// Product, kg U.
    pub product_kg_u: f64,
    /// Tails, kg U.
    pub tails_kg_u: f64,
    /// Separative work, kg-SWU.
    pub separative_work_swu: f64,
    /// Newton iterations of the exact solution (a count).
    pub iterations: f64,
    /// Product stream.
    pub product: Stream,
    /// Tails stream.
    pub tails: Stream,
    /// Always JSON `null`: the MARC solution has real-valued stage numbers, no stage table (the
    /// key keeps the `results` of the cascade commands alike).
    pub stages: (),
}

/// A MARC solution and what its document shows besides the result.
struct Marc {
    feed: Composition,
    machine: Option<String>,
    separation: StageSeparation,
    cascade: MarcCascade,
    result: MarcResult,
}

/// The MARC cascade of `a` (feed, U-235 targets, γ₂₃₅ or a machine of `lib`): the typed result
/// of `breakout cascade marc`.
///
/// # Errors
/// [`AppError::Usage`] for flags that do not fit together (also when the request came as JSON,
/// past clap's checks), [`AppError::Input`] for values the engine rejects.
pub fn marc(a: &MarcArgs, lib: &MachineLibrary) -> Result<MarcResult, AppError> {
    solve(a, lib).map(|m| m.result)
}

fn solve(a: &MarcArgs, lib: &MachineLibrary) -> Result<Marc, AppError> {
    // clap enforces these groups on the command line; a request built from JSON is checked
    // here, before the key fractions below rely on them.
    super::super::exactly_one(&[
        ("product_at_pct", a.targets.product_at_pct.is_some()),
        ("product_wt_pct", a.targets.product_wt_pct.is_some()),
    ])?;
    super::super::exactly_one(&[
        ("tails_at_pct", a.targets.tails_at_pct.is_some()),
        ("tails_wt_pct", a.targets.tails_wt_pct.is_some()),
    ])?;
    super::super::exactly_one(&[
        ("gamma", a.gamma.is_some()),
        ("machine", a.machine.is_some()),
    ])?;
    let feed = a.feed.resolve()?;
    let key = |at: Option<f64>, w: Option<f64>| match (at, w) {
        (Some(x), _) => KeyFraction::At(x / 100.0),
        (None, Some(x)) => KeyFraction::Wt(x / 100.0),
        (None, None) => unreachable!("checked above: one of each target"),
    };
    let kp = key(a.targets.product_at_pct, a.targets.product_wt_pct);
    let kt = key(a.targets.tails_at_pct, a.targets.tails_wt_pct);
    let (separation, machine) = match (a.gamma, &a.machine) {
        (Some(g), _) => (
            StageSeparation::new(g).map_err(|e| AppError::Input(format!("--gamma: {e}")))?,
            None,
        ),
        (None, Some(id)) => {
            let m = lib.get(id)?;
            (m.separation()?, Some(m.id.clone()))
        }
        (None, None) => return Err(AppError::Usage("give one of --gamma, --machine".into())),
    };
    let feed_kg = a.feed_kg_u.unwrap_or(1.0);
    if !(feed_kg.is_finite() && feed_kg > 0.0) {
        return Err(AppError::Input(format!(
            "--feed-kg-u {feed_kg} is not valid: expected a positive number of kg U"
        )));
    }
    let exact = MarcCascade::solve(&feed, kp, kt, separation)?;
    let c = if a.integer_stages {
        exact.rounded_up()?
    } else {
        exact.clone()
    };
    let p = feed_kg * c.product_per_feed;
    let t = feed_kg * c.tails_per_feed;
    let result = MarcResult {
        enriching_stages: c.enriching_stages,
        stripping_stages: c.stripping_stages,
        enriching_stages_exact: a.integer_stages.then_some(exact.enriching_stages),
        stripping_stages_exact: a.integer_stages.then_some(exact.stripping_stages),
        product_kg_u: p,
        tails_kg_u: t,
        separative_work_swu: feed_kg * c.separative_work_per_feed,
        iterations: exact.iterations as f64,
        product: Stream::new(&c.product, p, None),
        tails: Stream::new(&c.tails, t, None),
        stages: (),
    };
    Ok(Marc {
        feed,
        machine,
        separation,
        cascade: c,
        result,
    })
}

/// `breakout cascade marc`: the document of [`marc`].
pub(super) fn marc_document(a: &MarcArgs, lib: &MachineLibrary) -> Result<Document, AppError> {
    let Marc {
        feed,
        machine,
        separation,
        cascade: c,
        result: res,
    } = solve(a, lib)?;
    let mut r = Document::new("cascade marc", "Matched-abundance-ratio (MARC) cascade");
    a.feed.record(&feed, &mut r);
    for (what, at, w) in [
        (
            "product",
            a.targets.product_at_pct,
            a.targets.product_wt_pct,
        ),
        ("tails", a.targets.tails_at_pct, a.targets.tails_wt_pct),
    ] {
        let label = format!("{} target", title(what));
        match (at, w) {
            (Some(x), _) => r.input(&format!("{what}_at_pct"), &label, x, "at-% U-235", false),
            (None, Some(x)) => r.input(&format!("{what}_wt_pct"), &label, x, "wt-% U-235", false),
            (None, None) => unreachable!("solved: one form of each target"),
        };
    }
    match &machine {
        Some(id) => r
            .input_value("machine", "Machine", json!(id), id.clone())
            .input(
                "gamma",
                "Stage separation factor γ₂₃₅",
                separation.alpha_235(),
                &format!("(from {id})"),
                true,
            ),
        None => r.input(
            "gamma",
            "Stage separation factor γ₂₃₅",
            separation.alpha_235(),
            "",
            false,
        ),
    };
    let feed_kg = a.feed_kg_u.unwrap_or(1.0);
    r.input("feed_kg_u", "Feed", feed_kg, "kg U", a.feed_kg_u.is_none());
    if a.integer_stages {
        r.input_value(
            "integer_stages",
            "Whole stages",
            json!(true),
            "yes (N and M rounded up)",
        );
    }
    if res.stripping_stages < 0.0 {
        r.note(format!(
            "M = {} < 0: the tails target needs less than one stripping stage (the feed stage's own tails are already below it); the real-valued MARC is still exact",
            num(res.stripping_stages)
        ));
    }
    r.result(
        "enriching_stages",
        "Enriching stages N (feed stage included)",
        res.enriching_stages,
        "",
    )
    .result(
        "stripping_stages",
        "Stripping stages M",
        res.stripping_stages,
        "",
    );
    if let (Some(n), Some(m)) = (res.enriching_stages_exact, res.stripping_stages_exact) {
        r.result("enriching_stages_exact", "N for the exact targets", n, "")
            .result("stripping_stages_exact", "M for the exact targets", m, "");
    }
    r.result("product_kg_u", "Product", res.product_kg_u, "kg U")
        .result("tails_kg_u", "Tails", res.tails_kg_u, "kg U")
        .result(
            "separative_work_swu",
            "Separative work",
            res.separative_work_swu,
            "kg-SWU",
        )
        .result("iterations", "Newton iterations", res.iterations, "")
        .result_json("product", json!(res.product))
        .result_json("tails", json!(res.tails))
        .result_json("stages", json!(res.stages));
    let mut tab = Table::new(
        "Compositions",
        &[
            "isotope",
            "feed at-%",
            "product at-%",
            "tails at-%",
            "product wt-%",
            "tails wt-%",
        ],
    );
    for iso in Isotope::ALL
        .into_iter()
        .filter(|i| feed.at_fraction(*i) > 0.0)
    {
        tab.row(vec![
            iso.name().into(),
            num(100.0 * feed.at_fraction(iso)),
            num(100.0 * c.product.at_fraction(iso)),
            num(100.0 * c.tails.at_fraction(iso)),
            num(100.0 * c.product.wt_fraction(iso)),
            num(100.0 * c.tails.wt_fraction(iso)),
        ]);
    }
    r.table(tab)
        .note("γᵢ = 1 + (238 − Aᵢ)(γ₂₃₅ − 1)/3 and aᵢ = γᵢ/√γ₂₃₅ (von Halle); PyNE instead optimises a key mass M*, so its N, M and minor-isotope assays differ slightly")
        .note("separative work uses the de la Garza multicomponent value function on weight fractions; it equals the binary SWU for two isotopes (PyNE's −ln R 'SWU' is not used)");
    Ok(r)
}
