//! `deal design`'s promise, checked through `deal floor` itself: every frontier point's deal file,
//! read back from disk, gives the floor the frontier reports and meets the target, and relaxing
//! any one lever by one step (a deal file too) misses it. The JCPOA's own limits lie on or inside
//! the frontier while the deal holds.
//!
//! A debug build checks a sub-space around the JCPOA's limits (the full space takes minutes
//! unoptimised); a release build (`cargo test --release -p breakout-app --test design_frontier`,
//! run by `.ci/run`) checks the whole bundled space, with and without `--if-broken`.

use breakout_app::commands::NumList;
use breakout_app::commands::design::{DesignArgs, DesignResult, deal_toml, design};
use breakout_app::commands::floor::{Series, floor_estimate};
use breakout_app::design::{self, DesignSpace};
use breakout_app::progress::Silent;
use breakout_app::states;
use enrich::units::DAYS_PER_MONTH;

fn args(if_broken: bool) -> DesignArgs {
    let mut a = DesignArgs {
        if_broken,
        ..DesignArgs::default()
    };
    if cfg!(debug_assertions) {
        a.cap_wt_pct = Some(NumList(vec![3.67, 5.0]));
        a.stock_cap_kg = Some("0..600:150".into());
        a.machines = vec![
            "fep:IR-1=0..6072:1012".into(),
            "fep:IR-2m=0..870:870".into(),
            "fordow:IR-6=0".into(),
        ];
    }
    a
}

fn space(a: &DesignArgs) -> DesignSpace {
    let mut s = design::load(design::BUNDLED.0).unwrap();
    s.override_with(
        a.cap_wt_pct.as_ref().map(|l| l.0.as_slice()),
        a.stock_cap_kg.as_deref(),
        &a.machines,
        a.fates.as_deref(),
    )
    .unwrap();
    s
}

/// `deal floor FILE` on `text`: (days while it holds, days if broken).
fn floor_of(text: &str, name: &str, a: &DesignArgs) -> (Option<f64>, Option<f64>) {
    let dir = std::env::temp_dir().join(format!("breakout-design-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("{name}.toml"));
    std::fs::write(&path, text).unwrap();
    let r = floor_estimate(
        path.to_str().unwrap(),
        None,
        Series::None,
        &a.floor_options(),
        &a.percentile_options(),
        &breakout_app::progress::Silent,
    )
    .unwrap()
    .result;
    (r.permitted_first_sq_days, r.first_sq_days)
}

fn meets(a: &DesignArgs, (holds, broken): (Option<f64>, Option<f64>)) -> bool {
    let ok = |d: Option<f64>| d.is_none_or(|d| d >= a.min_months * DAYS_PER_MONTH);
    ok(holds) && (!a.if_broken || ok(broken))
}

fn check_frontier(a: &DesignArgs) -> DesignResult {
    let res = design(a, &Silent).unwrap();
    let s = space(a);
    let base = states::load(&s.base_state).unwrap();
    let dims = s.dims();
    assert!(!res.frontier.is_empty());
    assert!(res.evaluated as u64 <= res.grid_size);
    for (i, p) in res.frontier.iter().enumerate() {
        let got = floor_of(&p.deal_toml, &format!("p{i}"), a);
        assert_eq!(
            got,
            (p.permitted_first_sq_days, p.first_sq_days),
            "{}",
            p.levers.describe()
        );
        assert!(meets(a, got), "{}: {got:?}", p.levers.describe());
        for d in 0..dims.len() {
            if p.candidate[d] + 1 == dims[d] {
                continue;
            }
            let mut r = p.candidate.clone();
            r[d] += 1;
            let text = deal_toml(&s, &s.base_state, &base, &r);
            let relaxed = floor_of(&text, &format!("p{i}-r{d}"), a);
            assert!(
                !meets(a, relaxed),
                "{} relaxed on lever {d} still meets the target: {relaxed:?}",
                p.levers.describe()
            );
        }
    }
    res
}

#[test]
fn frontier_while_the_deal_holds_meets_the_target_exactly() {
    let a = args(false);
    let res = check_frontier(&a);
    // The JCPOA's limits: 3.67 wt-%, 300 kg UF6, 5,060 IR-1 at FEP, no IR-2m or IR-6, the rest
    // stored. Some frontier deal is at least as permissive on every lever.
    let jcpoa = res.frontier.iter().any(|p| {
        let l = &p.levers;
        l.enrichment_cap_wt_pct >= 3.67
            && l.stock_cap_kg >= 300.0
            && l.machines
                .iter()
                .all(|m| m.machine != "IR-1" || m.max_enriching >= 5060)
            && l.excess.name() == "stored"
    });
    assert!(
        jcpoa,
        "{:?}",
        res.frontier
            .iter()
            .map(|p| p.levers.describe())
            .collect::<Vec<_>>()
    );
}

#[test]
fn frontier_if_broken_meets_the_target_exactly() {
    check_frontier(&args(true));
}
