//! What a deal's machine clauses permit: which machines a clause counts, how many of them it
//! allows, and what the machines beyond that become.
//!
//! The rule is written once here and read by both [`super::compliance`] (judging a declared
//! state) and the application's permitted state (the most breakout-favourable state a deal
//! allows), so the two cannot disagree on what, say, "no enrichment at Fordow" covers.

use super::{Clause, ClauseKind, Deal, InForce, MachineScope};
use crate::date::Date;
use crate::scenario::MachineStatus;

impl MachineScope {
    /// True if machines in `status` count toward a cap with this scope: enriching machines only,
    /// or every installed machine (enriching or idle). Stored and unbuilt machines never count.
    pub fn counts(self, status: MachineStatus) -> bool {
        match self {
            MachineScope::Enriching => status == MachineStatus::Operating,
            MachineScope::Installed => {
                matches!(
                    status,
                    MachineStatus::Operating | MachineStatus::InstalledIdle
                )
            }
        }
    }
}

fn same_type(a: &str, b: &str) -> bool {
    a.eq_ignore_ascii_case(b)
}

impl ClauseKind {
    /// True if the clause limits machines of type `machine` at `site` in `status`: toward a
    /// machine cap, as enrichment with a type not allowed or at a banned site, or as installed
    /// machines standing idle. Other clause kinds count no machines.
    pub fn counts_machines(&self, site: &str, machine: &str, status: MachineStatus) -> bool {
        match self {
            ClauseKind::MachineCap {
                machine: wanted,
                sites,
                scope,
                ..
            } => {
                wanted.as_deref().is_none_or(|w| same_type(w, machine))
                    && sites.covers(site)
                    && scope.counts(status)
            }
            ClauseKind::EnrichmentMachineTypes { allowed } => {
                status == MachineStatus::Operating && !allowed.iter().any(|a| same_type(a, machine))
            }
            ClauseKind::NoEnrichmentAt { sites } => {
                status == MachineStatus::Operating && sites.covers(site)
            }
            ClauseKind::StoredEquipment { sites, .. } => {
                status == MachineStatus::InstalledIdle && sites.covers(site)
            }
            ClauseKind::ExcessDestroyed { sites } => {
                status == MachineStatus::Stored && sites.covers(site)
            }
            _ => false,
        }
    }

    /// How many of the machines the clause counts it permits, given how many it counts and in
    /// how many cascades: none under a ban, the idle allowance for stored equipment, and for a
    /// machine cap the tighter of its machine cap and its cascade cap (in machines, at the
    /// counted machines per cascade). `None` for a clause that counts no machines, and infinite
    /// for a cascade cap on machines without cascades.
    pub fn permitted_machines(&self, machines: f64, cascades: u32) -> Option<f64> {
        match self {
            ClauseKind::MachineCap {
                max_machines,
                max_cascades,
                ..
            } => {
                let by_machines = max_machines.map_or(f64::INFINITY, f64::from);
                let by_cascades = max_cascades.map_or(f64::INFINITY, |m| {
                    if cascades > 0 {
                        machines * f64::from(m) / f64::from(cascades)
                    } else {
                        f64::INFINITY
                    }
                });
                Some(by_machines.min(by_cascades))
            }
            ClauseKind::EnrichmentMachineTypes { .. }
            | ClauseKind::NoEnrichmentAt { .. }
            | ClauseKind::ExcessDestroyed { .. } => Some(0.0),
            ClauseKind::StoredEquipment {
                max_installed_idle, ..
            } => Some(f64::from(*max_installed_idle)),
            _ => None,
        }
    }

    /// What counted machines beyond the permitted number become: a site ban stops enrichment
    /// but keeps the machines installed (idle); every other machine clause removes them to
    /// storage. `None` for a clause that counts no machines, and for destruction: the machines
    /// leave the state altogether.
    pub fn excess_becomes(&self) -> Option<MachineStatus> {
        match self {
            ClauseKind::NoEnrichmentAt { .. } => Some(MachineStatus::InstalledIdle),
            ClauseKind::MachineCap { .. }
            | ClauseKind::EnrichmentMachineTypes { .. }
            | ClauseKind::StoredEquipment { .. } => Some(MachineStatus::Stored),
            _ => None,
        }
    }

    /// True if the clause restricts machines of type `machine` at `site` in some status, so
    /// that stored or idle machines there may not simply be run: a cap covering them, a type
    /// not allowed, or a site whose enrichment or idle equipment is limited.
    pub fn restricts_machines(&self, site: &str, machine: &str) -> bool {
        // Every machine clause counts operating machines of what it covers (a cap of either
        // scope, a type or site ban) or idle ones (stored equipment).
        MachineStatus::ALL
            .into_iter()
            .any(|s| self.counts_machines(site, machine, s))
    }
}

impl Deal {
    /// The clauses in force on `date`, counting those assumed in force (undated milestones).
    pub fn clauses_in_force(&self, date: Date) -> impl Iterator<Item = &Clause> + '_ {
        self.clauses
            .iter()
            .filter(move |c| self.in_force(c, date) != InForce::No)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::deal::compliance::sites;
    use crate::deal::{DateRef, Milestone, Sites};
    use MachineStatus::{Building, InstalledIdle, Operating, Stored};

    fn jcpoa_fep_cap() -> ClauseKind {
        ClauseKind::MachineCap {
            machine: Some("IR-1".into()),
            sites: sites(&["fep"]),
            scope: MachineScope::Enriching,
            max_machines: Some(5060),
            max_cascades: Some(30),
        }
    }

    fn fordow_installed_cap() -> ClauseKind {
        ClauseKind::MachineCap {
            machine: None,
            sites: sites(&["fordow"]),
            scope: MachineScope::Installed,
            max_machines: Some(1044),
            max_cascades: None,
        }
    }

    fn ir1_only() -> ClauseKind {
        ClauseKind::EnrichmentMachineTypes {
            allowed: vec!["IR-1".into()],
        }
    }

    fn no_enrichment_at_fordow() -> ClauseKind {
        ClauseKind::NoEnrichmentAt {
            sites: sites(&["fordow"]),
        }
    }

    /// Which machines each clause counts, by site, type and status (hand-checked).
    #[test]
    fn which_machines_each_clause_counts() {
        let cases: Vec<(&str, ClauseKind, &str, &str, MachineStatus, bool)> = vec![
            (
                "cap: its type and site",
                jcpoa_fep_cap(),
                "fep",
                "IR-1",
                Operating,
                true,
            ),
            (
                "cap: type case-insensitive",
                jcpoa_fep_cap(),
                "FEP",
                "ir-1",
                Operating,
                true,
            ),
            (
                "cap: enriching scope skips idle",
                jcpoa_fep_cap(),
                "fep",
                "IR-1",
                InstalledIdle,
                false,
            ),
            (
                "cap: another type",
                jcpoa_fep_cap(),
                "fep",
                "IR-2m",
                Operating,
                false,
            ),
            (
                "cap: another site",
                jcpoa_fep_cap(),
                "fordow",
                "IR-1",
                Operating,
                false,
            ),
            (
                "cap: installed scope counts idle",
                fordow_installed_cap(),
                "fordow",
                "IR-6",
                InstalledIdle,
                true,
            ),
            (
                "cap: stored never counts",
                fordow_installed_cap(),
                "fordow",
                "IR-6",
                Stored,
                false,
            ),
            (
                "cap: building never counts",
                fordow_installed_cap(),
                "fordow",
                "IR-6",
                Building,
                false,
            ),
            (
                "types: other type enriching",
                ir1_only(),
                "fep",
                "IR-6",
                Operating,
                true,
            ),
            (
                "types: allowed type",
                ir1_only(),
                "fep",
                "IR-1",
                Operating,
                false,
            ),
            (
                "types: other type stored",
                ir1_only(),
                "fep",
                "IR-6",
                Stored,
                false,
            ),
            (
                "site ban: enriching there",
                no_enrichment_at_fordow(),
                "fordow",
                "IR-1",
                Operating,
                true,
            ),
            (
                "site ban: idle there",
                no_enrichment_at_fordow(),
                "fordow",
                "IR-1",
                InstalledIdle,
                false,
            ),
            (
                "site ban: elsewhere",
                no_enrichment_at_fordow(),
                "fep",
                "IR-1",
                Operating,
                false,
            ),
            (
                "stored equipment: idle there",
                ClauseKind::StoredEquipment {
                    sites: Sites::All,
                    max_installed_idle: 0,
                },
                "fep",
                "IR-1",
                InstalledIdle,
                true,
            ),
            (
                "text: nothing",
                ClauseKind::Text,
                "fep",
                "IR-1",
                Operating,
                false,
            ),
        ];
        for (name, kind, site, machine, status, expected) in cases {
            assert_eq!(
                kind.counts_machines(site, machine, status),
                expected,
                "{name}"
            );
        }
    }

    /// Name, clause, machines and cascades counted, machines permitted, what the rest become.
    type Case = (
        &'static str,
        ClauseKind,
        f64,
        u32,
        Option<f64>,
        Option<MachineStatus>,
    );

    /// How many counted machines each clause permits and what the rest become.
    #[test]
    fn how_many_are_permitted_and_where_the_rest_go() {
        // 6,084 IR-1 in 36 cascades at FEP: the 30-cascade cap allows 5,070 (169 a cascade),
        // the 5,060-machine cap is tighter.
        let cases: Vec<Case> = vec![
            (
                "site over its cap",
                jcpoa_fep_cap(),
                6084.0,
                36,
                Some(5060.0),
                Some(Stored),
            ),
            // At 150 machines a cascade, 30 cascades are 4,500: below the machine cap.
            (
                "cascade cap binds",
                jcpoa_fep_cap(),
                6000.0,
                40,
                Some(4500.0),
                Some(Stored),
            ),
            (
                "no cascades reported",
                fordow_installed_cap(),
                2000.0,
                0,
                Some(1044.0),
                Some(Stored),
            ),
            (
                "types not allowed",
                ir1_only(),
                522.0,
                3,
                Some(0.0),
                Some(Stored),
            ),
            (
                "enrichment forbidden at the site",
                no_enrichment_at_fordow(),
                1044.0,
                6,
                Some(0.0),
                Some(InstalledIdle),
            ),
            (
                "idle allowance",
                ClauseKind::StoredEquipment {
                    sites: Sites::All,
                    max_installed_idle: 100,
                },
                500.0,
                3,
                Some(100.0),
                Some(Stored),
            ),
            (
                "no machine limit",
                ClauseKind::MaxEnrichment { max_wt_pct: 3.67 },
                100.0,
                1,
                None,
                None,
            ),
        ];
        for (name, kind, machines, cascades, permitted, becomes) in cases {
            let got = kind.permitted_machines(machines, cascades);
            assert_eq!(got.is_some(), permitted.is_some(), "{name}: {got:?}");
            if let (Some(g), Some(p)) = (got, permitted) {
                assert!((g - p).abs() < 1e-9, "{name}: {g} ≠ {p}");
            }
            assert_eq!(kind.excess_becomes(), becomes, "{name}");
        }
    }

    #[test]
    fn restrictions_cover_stored_machines_a_cap_or_ban_could_count() {
        for (name, kind, site, machine, expected) in [
            (
                "cap covers its type at its site",
                jcpoa_fep_cap(),
                "fep",
                "IR-1",
                true,
            ),
            (
                "cap leaves other types",
                jcpoa_fep_cap(),
                "fep",
                "IR-6",
                false,
            ),
            (
                "type ban covers other types anywhere",
                ir1_only(),
                "pfep",
                "IR-6",
                true,
            ),
            (
                "type ban leaves the allowed type",
                ir1_only(),
                "pfep",
                "IR-1",
                false,
            ),
            (
                "site ban covers the site",
                no_enrichment_at_fordow(),
                "fordow",
                "IR-6",
                true,
            ),
            (
                "site ban leaves other sites",
                no_enrichment_at_fordow(),
                "fep",
                "IR-6",
                false,
            ),
            (
                "enrichment cap restricts no machine",
                ClauseKind::MaxEnrichment { max_wt_pct: 3.67 },
                "fep",
                "IR-6",
                false,
            ),
        ] {
            assert_eq!(kind.restricts_machines(site, machine), expected, "{name}");
        }
    }

    #[test]
    fn clauses_not_in_force_permit_everything() {
        let on = |s: &str| -> Date { s.parse().unwrap() };
        let clause = |id: &str, kind: ClauseKind, years: i64| Clause {
            id: id.into(),
            reference: String::new(),
            summary: String::new(),
            source: String::new(),
            kind,
            from: Some(DateRef::On(on("2016-01-16"))),
            until: Some(DateRef::After {
                milestone: "implementation".into(),
                years,
                months: 0,
                days: 0,
            }),
        };
        let deal = Deal {
            id: "t".into(),
            name: "t".into(),
            summary: String::new(),
            source: String::new(),
            base_state: None,
            regime: None,
            regime_source: None,
            milestones: vec![Milestone {
                name: "implementation".into(),
                date: Some(on("2016-01-16")),
                source: String::new(),
            }],
            clauses: vec![
                clause("fordow", no_enrichment_at_fordow(), 15),
                clause("types", ir1_only(), 10),
            ],
        };
        for (day, in_force) in [
            ("2015-12-31", vec![]),
            ("2020-01-01", vec!["fordow", "types"]),
            ("2026-01-16", vec!["fordow"]),
            ("2031-01-16", vec![]),
        ] {
            let ids: Vec<&str> = deal
                .clauses_in_force(on(day))
                .map(|c| c.id.as_str())
                .collect();
            assert_eq!(ids, in_force, "{day}");
            let limited = deal
                .clauses_in_force(on(day))
                .any(|c| c.kind.counts_machines("fordow", "IR-6", Operating));
            assert_eq!(limited, !in_force.is_empty(), "{day}");
        }
    }
}
