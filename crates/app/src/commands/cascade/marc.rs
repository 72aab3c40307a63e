//! `cascade marc`: a multi-isotope matched-abundance-ratio cascade (real N and M) for a target.

use super::output::*;
use super::*;
use crate::document::{Document, Table, num};
use crate::error::AppError;
use enrich::cascade::{KeyFraction, MarcCascade, StageSeparation};
use enrich::{Isotope, MachineLibrary};
use serde_json::{Value, json};

pub(super) fn marc(a: MarcArgs, lib: &MachineLibrary) -> Result<Document, AppError> {
    let mut r = Document::new("cascade marc", "Matched-abundance-ratio (MARC) cascade");
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
    let feed = a.feed.resolve(&mut r)?;
    let key = |at: Option<f64>, w: Option<f64>, what: &str, r: &mut Document| -> KeyFraction {
        match (at, w) {
            (Some(x), _) => {
                r.input(
                    &format!("{what}_at_pct"),
                    &format!("{} target", title(what)),
                    x,
                    "at-% U-235",
                    false,
                );
                KeyFraction::At(x / 100.0)
            }
            (None, Some(x)) => {
                r.input(
                    &format!("{what}_wt_pct"),
                    &format!("{} target", title(what)),
                    x,
                    "wt-% U-235",
                    false,
                );
                KeyFraction::Wt(x / 100.0)
            }
            (None, None) => unreachable!("checked above: one of each target"),
        }
    };
    let kp = key(
        a.targets.product_at_pct,
        a.targets.product_wt_pct,
        "product",
        &mut r,
    );
    let kt = key(
        a.targets.tails_at_pct,
        a.targets.tails_wt_pct,
        "tails",
        &mut r,
    );
    let sep = match (a.gamma, &a.machine) {
        (Some(g), _) => {
            r.input("gamma", "Stage separation factor γ₂₃₅", g, "", false);
            StageSeparation::new(g).map_err(|e| AppError::Input(format!("--gamma: {e}")))?
        }
        (None, Some(id)) => {
            let m = lib.get(id)?;
            let s = m.separation()?;
            r.input_value("machine", "Machine", json!(m.id), m.id.clone())
                .input(
                    "gamma",
                    "Stage separation factor γ₂₃₅",
                    s.alpha_235(),
                    &format!("(from {})", m.id),
                    true,
                );
            s
        }
        (None, None) => return Err(AppError::Usage("give one of --gamma, --machine".into())),
    };
    let feed_kg = a.feed_kg_u.unwrap_or(1.0);
    if !(feed_kg.is_finite() && feed_kg > 0.0) {
        return Err(AppError::Input(format!(
            "--feed-kg-u {feed_kg} is not valid: expected a positive number of kg U"
        )));
    }
    r.input("feed_kg_u", "Feed", feed_kg, "kg U", a.feed_kg_u.is_none());
    let exact = MarcCascade::solve(&feed, kp, kt, sep)?;
    let c = if a.integer_stages {
        r.input_value(
            "integer_stages",
            "Whole stages",
            json!(true),
            "yes (N and M rounded up)",
        );
        exact.rounded_up()?
    } else {
        exact.clone()
    };
    let p = feed_kg * c.product_per_feed;
    let t = feed_kg * c.tails_per_feed;
    if c.stripping_stages < 0.0 {
        r.note(format!(
            "M = {} < 0: the tails target needs less than one stripping stage (the feed stage's own tails are already below it); the real-valued MARC is still exact",
            num(c.stripping_stages)
        ));
    }
    r.result(
        "enriching_stages",
        "Enriching stages N (feed stage included)",
        c.enriching_stages,
        "",
    )
    .result(
        "stripping_stages",
        "Stripping stages M",
        c.stripping_stages,
        "",
    );
    if a.integer_stages {
        r.result(
            "enriching_stages_exact",
            "N for the exact targets",
            exact.enriching_stages,
            "",
        )
        .result(
            "stripping_stages_exact",
            "M for the exact targets",
            exact.stripping_stages,
            "",
        );
    }
    r.result("product_kg_u", "Product", p, "kg U")
        .result("tails_kg_u", "Tails", t, "kg U")
        .result(
            "separative_work_swu",
            "Separative work",
            feed_kg * c.separative_work_per_feed,
            "kg-SWU",
        )
        .result(
            "iterations",
            "Newton iterations",
            exact.iterations as f64,
            "",
        )
        .result_json("product", stream_json(&c.product, p, None))
        .result_json("tails", stream_json(&c.tails, t, None))
        .result_json("stages", Value::Null);
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
