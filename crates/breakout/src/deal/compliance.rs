//! Checking a declared state against a deal: every clause in force, every finding.
//!
//! The check never stops at the first violation and never treats missing data as compliance:
//! a clause whose quantity the state does not report is [`Verdict::Unverifiable`], with the reason.
//! Quantities are compared in the clause's own unit (kg UF6 for the JCPOA's 300 kg cap, wt-% for
//! an enrichment cap, machines for a centrifuge cap), and a violation says by how much.

use enrich::{Assay, ChemicalForm, Composition, CompoundMass, KgU};

use super::{ClauseKind, Deal, InForce, Sites, StockLimit};
use crate::date::Date;
pub use crate::scenario::MachineStatus;

/// Machines of one type, status and site.
#[derive(Debug, Clone, PartialEq)]
pub struct MachineCount {
    /// Site id.
    pub site: String,
    /// Machine type id.
    pub machine: String,
    /// What they are doing.
    pub status: MachineStatus,
    /// How many.
    pub machines: u32,
    /// In how many cascades, when reported.
    pub cascades: Option<u32>,
}

/// A stock of uranium held.
#[derive(Debug, Clone, PartialEq)]
pub struct StockHolding {
    /// A label for output, e.g. "≤60 % UF6 at Fordow".
    pub label: String,
    /// Site id, when known.
    pub site: Option<String>,
    /// Assay (the top of its band for a band).
    pub assay: Assay,
    /// Contained uranium.
    pub kg_u: KgU,
    /// Chemical form.
    pub form: ChemicalForm,
}

/// What a declared state reports, as the compliance check needs it. `None` means "not reported".
#[derive(Debug, Clone, PartialEq)]
pub struct Facts {
    /// The date the figures are as of.
    pub date: Date,
    /// Machines by site, type and status.
    pub machines: Option<Vec<MachineCount>>,
    /// Stocks held.
    pub stocks: Option<Vec<StockHolding>>,
    /// Machines manufactured per year, by type.
    pub manufacturing: Option<Vec<(String, u32)>>,
    /// Machines in research and development, by type (site and status as for `machines`).
    pub research: Option<Vec<MachineCount>>,
    /// The highest enrichment level produced, wt-% U-235, when reported apart from the stocks.
    pub enrichment_wt_pct: Option<f64>,
}

/// The outcome for one clause.
#[derive(Debug, Clone, PartialEq)]
pub enum Verdict {
    /// Within the limit.
    Complies {
        /// The quantity found.
        value: f64,
        /// The limit.
        limit: f64,
        /// Unit of both.
        unit: &'static str,
    },
    /// Over the limit.
    Violates {
        /// The quantity found.
        value: f64,
        /// The limit.
        limit: f64,
        /// Unit of both.
        unit: &'static str,
    },
    /// The state does not report what the clause limits.
    Unverifiable {
        /// What is missing.
        reason: String,
    },
    /// Not in force on the day checked.
    NotInForce,
    /// A term without a number.
    TextOnly,
}

impl Verdict {
    /// True for a violation.
    pub fn is_violation(&self) -> bool {
        matches!(self, Verdict::Violates { .. })
    }

    fn compare(value: f64, limit: f64, unit: &'static str) -> Verdict {
        if value > limit {
            Verdict::Violates { value, limit, unit }
        } else {
            Verdict::Complies { value, limit, unit }
        }
    }
}

/// One clause and its verdict.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    /// Index of the clause in the deal.
    pub clause: usize,
    /// Whether it is in force on the day checked.
    pub in_force: InForce,
    /// The verdict.
    pub verdict: Verdict,
}

fn machines_where<'a>(
    facts: &'a Facts,
    keep: impl Fn(&MachineCount) -> bool + 'a,
) -> Option<impl Iterator<Item = &'a MachineCount> + 'a> {
    facts
        .machines
        .as_ref()
        .map(move |m| m.iter().filter(move |c| keep(c)))
}

fn unreported(what: &str) -> Verdict {
    Verdict::Unverifiable {
        reason: format!("the state does not report {what}"),
    }
}

/// The machines `kind` counts against the number it permits (a ban, or the idle allowance).
fn limited(kind: &ClauseKind, facts: &Facts, unit: &'static str) -> Verdict {
    let counted = |c: &MachineCount| kind.counts_machines(&c.site, &c.machine, c.status);
    match machines_where(facts, counted) {
        None => unreported("its centrifuges"),
        Some(rows) => {
            let n: u32 = rows.map(|c| c.machines).sum();
            // A ban's or an idle allowance's number does not depend on the machines counted.
            let limit = kind.permitted_machines(f64::from(n), 0).unwrap_or(0.0);
            Verdict::compare(f64::from(n), limit, unit)
        }
    }
}

fn judge(kind: &ClauseKind, facts: &Facts) -> Verdict {
    match kind {
        ClauseKind::Text => Verdict::TextOnly,
        ClauseKind::MaxEnrichment { max_wt_pct } => {
            let held = facts
                .stocks
                .as_ref()
                .map(|s| s.iter().map(|s| s.assay.wt_pct()).fold(0.0, f64::max));
            match (held, facts.enrichment_wt_pct) {
                (None, None) => unreported("its stocks or its enrichment level"),
                (a, b) => Verdict::compare(
                    a.unwrap_or(0.0).max(b.unwrap_or(0.0)),
                    *max_wt_pct,
                    "wt-% U-235",
                ),
            }
        }
        ClauseKind::StockpileCap {
            limit,
            above_wt_pct,
        } => match &facts.stocks {
            None => unreported("its stocks"),
            Some(stocks) => {
                let counted = stocks.iter().filter(|s| s.assay.wt_pct() > *above_wt_pct);
                match *limit {
                    StockLimit::KgU(cap) => {
                        Verdict::compare(counted.map(|s| s.kg_u.kg()).sum(), cap, "kg U")
                    }
                    StockLimit::KgUf6(cap) => {
                        // "300 kg UF6 or the equivalent in different chemical forms": every form
                        // counts as the UF6 that would hold the same uranium.
                        let uf6 = counted
                            .map(|s| {
                                CompoundMass::of_uranium(
                                    s.kg_u,
                                    ChemicalForm::Uf6,
                                    &Composition::binary(s.assay),
                                )
                                .kg
                            })
                            .sum();
                        Verdict::compare(uf6, cap, "kg UF6 equivalent")
                    }
                }
            }
        },
        ClauseKind::MachineCap {
            max_machines,
            max_cascades,
            ..
        } => {
            let counted = |c: &MachineCount| kind.counts_machines(&c.site, &c.machine, c.status);
            let Some(rows) = machines_where(facts, counted) else {
                return unreported("its centrifuges");
            };
            let rows: Vec<&MachineCount> = rows.collect();
            let n: u32 = rows.iter().map(|c| c.machines).sum();
            let machines_verdict =
                max_machines.map(|cap| Verdict::compare(f64::from(n), f64::from(cap), "machines"));
            let cascade_verdict = max_cascades.map(|cap| {
                match rows.iter().map(|c| c.cascades).sum::<Option<u32>>() {
                    Some(k) => Verdict::compare(f64::from(k), f64::from(cap), "cascades"),
                    None => unreported("cascade counts for these machines"),
                }
            });
            match (machines_verdict, cascade_verdict) {
                (Some(m), Some(c)) if !m.is_violation() && c.is_violation() => c,
                (Some(m), Some(Verdict::Unverifiable { .. })) if !m.is_violation() => m,
                (Some(m), _) => m,
                (None, Some(c)) => c,
                (None, None) => unreachable!("validated deals cap machines or cascades"),
            }
        }
        ClauseKind::EnrichmentMachineTypes { .. } | ClauseKind::NoEnrichmentAt { .. } => {
            let unit = if matches!(kind, ClauseKind::NoEnrichmentAt { .. }) {
                "machines enriching"
            } else {
                "machines of other types enriching"
            };
            limited(kind, facts, unit)
        }
        ClauseKind::ResearchLimit {
            machine,
            max_machines,
        } => match &facts.research {
            None => unreported("its R&D centrifuges"),
            Some(rd) => {
                let n: u32 = rd
                    .iter()
                    .filter(|c| c.machine.eq_ignore_ascii_case(machine))
                    .map(|c| c.machines)
                    .sum();
                Verdict::compare(f64::from(n), f64::from(*max_machines), "machines in R&D")
            }
        },
        ClauseKind::ManufacturingLimit {
            machine,
            max_per_year,
        } => match &facts.manufacturing {
            None => unreported("centrifuge manufacturing"),
            Some(made) => {
                let n: u32 = made
                    .iter()
                    .filter(|(m, _)| m.eq_ignore_ascii_case(machine))
                    .map(|(_, n)| n)
                    .sum();
                Verdict::compare(f64::from(n), f64::from(*max_per_year), "machines per year")
            }
        },
        ClauseKind::StoredEquipment { .. } => limited(kind, facts, "machines installed idle"),
        ClauseKind::ExcessDestroyed { .. } => limited(kind, facts, "machines stored"),
    }
}

/// Every clause of `deal` judged against `facts` on `date`, in the deal's order.
pub fn check(deal: &Deal, facts: &Facts, date: Date) -> Vec<Finding> {
    deal.clauses
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let in_force = deal.in_force(c, date);
            let verdict = if in_force == InForce::No {
                Verdict::NotInForce
            } else {
                judge(&c.kind, facts)
            };
            Finding {
                clause: i,
                in_force,
                verdict,
            }
        })
        .collect()
}

/// Sites helper for callers building clauses.
pub fn sites(ids: &[&str]) -> Sites {
    Sites::Only(ids.iter().map(|s| s.to_string()).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::deal::{Clause, DateRef, MachineScope, Milestone};

    fn date(s: &str) -> Date {
        s.parse().unwrap()
    }

    fn stock(pct: f64, kg: f64) -> StockHolding {
        StockHolding {
            label: format!("{pct} %"),
            site: Some("fep".into()),
            assay: Assay::from_wt_pct(pct).unwrap(),
            kg_u: KgU::new(kg).unwrap(),
            form: ChemicalForm::Uf6,
        }
    }

    fn machines(
        site: &str,
        machine: &str,
        status: MachineStatus,
        n: u32,
        cascades: Option<u32>,
    ) -> MachineCount {
        MachineCount {
            site: site.into(),
            machine: machine.into(),
            status,
            machines: n,
            cascades,
        }
    }

    fn one_clause(kind: ClauseKind) -> Deal {
        Deal {
            id: "t".into(),
            name: "t".into(),
            summary: String::new(),
            source: String::new(),
            base_state: None,
            regime: None,
            regime_source: None,
            milestones: vec![Milestone {
                name: "implementation".into(),
                date: Some(date("2016-01-16")),
                source: String::new(),
            }],
            clauses: vec![Clause {
                id: "c".into(),
                reference: String::new(),
                summary: String::new(),
                source: String::new(),
                kind,
                from: Some(DateRef::After {
                    milestone: "implementation".into(),
                    years: 0,
                    months: 0,
                    days: 0,
                }),
                until: Some(DateRef::After {
                    milestone: "implementation".into(),
                    years: 15,
                    months: 0,
                    days: 0,
                }),
            }],
        }
    }

    fn facts(stocks: Option<Vec<StockHolding>>, machines: Option<Vec<MachineCount>>) -> Facts {
        Facts {
            date: date("2020-01-01"),
            stocks,
            machines,
            manufacturing: None,
            research: None,
            enrichment_wt_pct: None,
        }
    }

    fn verdict(kind: ClauseKind, f: &Facts) -> Verdict {
        check(&one_clause(kind), f, date("2020-01-01"))
            .remove(0)
            .verdict
    }

    /// Each clause kind with a complying state, a violating state and a state that does not
    /// report the quantity.
    #[test]
    fn every_kind_complies_violates_or_is_unverifiable() {
        let jcpoa_stock = ClauseKind::StockpileCap {
            limit: StockLimit::KgUf6(300.0),
            above_wt_pct: 0.711,
        };
        let fep_ir1 = ClauseKind::MachineCap {
            machine: Some("IR-1".into()),
            sites: sites(&["fep"]),
            scope: MachineScope::Enriching,
            max_machines: Some(5060),
            max_cascades: Some(30),
        };
        let ok_machines = vec![machines(
            "fep",
            "IR-1",
            MachineStatus::Operating,
            5060,
            Some(30),
        )];
        let bad_machines = vec![
            machines("fep", "IR-1", MachineStatus::Operating, 5060, Some(30)),
            machines("fep", "IR-2m", MachineStatus::Operating, 522, Some(3)),
            machines("fordow", "IR-1", MachineStatus::Operating, 1044, Some(6)),
            machines("fordow", "IR-1", MachineStatus::InstalledIdle, 174, Some(1)),
        ];
        let cases: Vec<(&str, ClauseKind, Facts, Facts)> = vec![
            (
                "max enrichment",
                ClauseKind::MaxEnrichment { max_wt_pct: 3.67 },
                facts(Some(vec![stock(3.67, 100.0)]), None),
                facts(Some(vec![stock(60.0, 1.0)]), None),
            ),
            // 202.8 kg U at 3.67 % is 299.94 kg UF6; 241.6 kg U (Aug 2019) is about 357 kg UF6.
            (
                "stockpile cap",
                jcpoa_stock.clone(),
                facts(Some(vec![stock(3.67, 202.8), stock(0.711, 1e4)]), None),
                facts(Some(vec![stock(4.5, 241.6)]), None),
            ),
            (
                "machine cap",
                fep_ir1.clone(),
                facts(None, Some(ok_machines.clone())),
                facts(
                    None,
                    Some(vec![machines(
                        "fep",
                        "IR-1",
                        MachineStatus::Operating,
                        6084,
                        Some(36),
                    )]),
                ),
            ),
            (
                "machine types",
                ClauseKind::EnrichmentMachineTypes {
                    allowed: vec!["IR-1".into()],
                },
                facts(None, Some(ok_machines.clone())),
                facts(None, Some(bad_machines.clone())),
            ),
            (
                "no enrichment at fordow",
                ClauseKind::NoEnrichmentAt {
                    sites: sites(&["fordow"]),
                },
                facts(None, Some(ok_machines.clone())),
                facts(None, Some(bad_machines.clone())),
            ),
            (
                "stored equipment",
                ClauseKind::StoredEquipment {
                    sites: sites(&["fordow"]),
                    max_installed_idle: 0,
                },
                facts(None, Some(ok_machines.clone())),
                facts(None, Some(bad_machines.clone())),
            ),
            (
                "excess destroyed: nothing stored",
                ClauseKind::ExcessDestroyed { sites: Sites::All },
                facts(None, Some(ok_machines.clone())),
                facts(
                    None,
                    Some(vec![machines(
                        "fep",
                        "IR-2m",
                        MachineStatus::Stored,
                        1044,
                        Some(6),
                    )]),
                ),
            ),
        ];
        for (name, kind, good, bad) in cases {
            assert!(
                matches!(verdict(kind.clone(), &good), Verdict::Complies { .. }),
                "{name}: {:?}",
                verdict(kind.clone(), &good)
            );
            assert!(
                verdict(kind.clone(), &bad).is_violation(),
                "{name}: {:?}",
                verdict(kind.clone(), &bad)
            );
            assert!(
                matches!(
                    verdict(kind, &facts(None, None)),
                    Verdict::Unverifiable { .. }
                ),
                "{name}"
            );
        }
        let research = ClauseKind::ResearchLimit {
            machine: "IR-6".into(),
            max_machines: 30,
        };
        assert!(matches!(
            verdict(research.clone(), &facts(None, None)),
            Verdict::Unverifiable { .. }
        ));
        let mut rd = facts(None, None);
        rd.research = Some(vec![machines(
            "pfep",
            "IR-6",
            MachineStatus::Operating,
            20,
            None,
        )]);
        assert!(matches!(
            verdict(research.clone(), &rd),
            Verdict::Complies { .. }
        ));
        rd.research = Some(vec![machines(
            "pfep",
            "IR-6",
            MachineStatus::Operating,
            40,
            None,
        )]);
        assert!(verdict(research, &rd).is_violation());
        let manufacturing = ClauseKind::ManufacturingLimit {
            machine: "IR-6".into(),
            max_per_year: 200,
        };
        assert!(matches!(
            verdict(manufacturing.clone(), &facts(None, None)),
            Verdict::Unverifiable { .. }
        ));
        let mut made = facts(None, None);
        made.manufacturing = Some(vec![("IR-6".into(), 250)]);
        assert!(verdict(manufacturing, &made).is_violation());
        assert_eq!(verdict(ClauseKind::Text, &made), Verdict::TextOnly);
    }

    #[test]
    fn violations_say_by_how_much_in_the_clause_unit() {
        let kind = ClauseKind::StockpileCap {
            limit: StockLimit::KgUf6(300.0),
            above_wt_pct: 0.711,
        };
        let Verdict::Violates { value, limit, unit } =
            verdict(kind, &facts(Some(vec![stock(4.5, 241.6)]), None))
        else {
            panic!()
        };
        assert_eq!(unit, "kg UF6 equivalent");
        assert!(
            (value - 357.3).abs() < 0.5 && (limit - 300.0).abs() < 1e-12,
            "{value}"
        );
        let kind = ClauseKind::MaxEnrichment { max_wt_pct: 3.67 };
        let Verdict::Violates { value, .. } =
            verdict(kind, &facts(Some(vec![stock(60.0, 1.0)]), None))
        else {
            panic!()
        };
        assert!((value - 60.0).abs() < 1e-9);
    }

    #[test]
    fn machine_cap_checks_cascades_too_and_reports_missing_cascade_counts() {
        let kind = ClauseKind::MachineCap {
            machine: Some("IR-1".into()),
            sites: sites(&["fep"]),
            scope: MachineScope::Enriching,
            max_machines: Some(5060),
            max_cascades: Some(30),
        };
        let too_many_cascades = facts(
            None,
            Some(vec![machines(
                "fep",
                "IR-1",
                MachineStatus::Operating,
                5000,
                Some(31),
            )]),
        );
        assert!(matches!(
            verdict(kind.clone(), &too_many_cascades),
            Verdict::Violates {
                unit: "cascades",
                ..
            }
        ));
        let no_cascades = facts(
            None,
            Some(vec![machines(
                "fep",
                "IR-1",
                MachineStatus::Operating,
                5000,
                None,
            )]),
        );
        assert!(matches!(
            verdict(kind, &no_cascades),
            Verdict::Complies {
                unit: "machines",
                ..
            }
        ));
    }

    #[test]
    fn clauses_out_of_force_are_not_judged() {
        let d = one_clause(ClauseKind::MaxEnrichment { max_wt_pct: 3.67 });
        let f = facts(Some(vec![stock(60.0, 1.0)]), None);
        assert_eq!(
            check(&d, &f, date("2031-01-16"))[0].verdict,
            Verdict::NotInForce
        );
        assert!(check(&d, &f, date("2031-01-15"))[0].verdict.is_violation());
    }
}
