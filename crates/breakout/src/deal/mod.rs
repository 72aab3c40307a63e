//! Deals as data: clauses with windows, and the check of a declared state against them.
//!
//! A [`Deal`] is a list of [`Clause`]s, each with a reference into the text, a plain-language
//! summary, a kind with its parameters, and a window counted from dates or named milestones
//! ("Implementation Day + 15 years"). Clauses without a number (sanctions relief, access) are
//! kept as [`ClauseKind::Text`] so that a comparison shows them rather than dropping them.
//! [`compliance`] evaluates every clause in force on a date against [`compliance::Facts`]; what a
//! machine clause permits (which machines it counts, how many, what the rest become) is written
//! once, as methods of [`ClauseKind`] and [`MachineScope`], for that check and for building the
//! most favourable state a deal permits.

pub mod compliance;
mod machines;

use crate::date::Date;

/// A named day of a deal ("implementation"), with its date when one is fixed.
#[derive(Debug, Clone, PartialEq)]
pub struct Milestone {
    /// Name used in windows, e.g. `implementation`.
    pub name: String,
    /// Its date; `None` for proposals whose start is not fixed (then every window counted from it
    /// is taken to be in force on the day checked, and the output says so).
    pub date: Option<Date>,
    /// Where the date comes from.
    pub source: String,
}

/// One end of a clause's window.
#[derive(Debug, Clone, PartialEq)]
pub enum DateRef {
    /// A fixed date.
    On(Date),
    /// A milestone plus calendar years, months and days.
    After {
        /// Milestone name.
        milestone: String,
        /// Whole years after it.
        years: i64,
        /// Whole months after it.
        months: i64,
        /// Days after it.
        days: i64,
    },
}

/// Which machines a cap counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MachineScope {
    /// Machines enriching uranium.
    Enriching,
    /// Machines installed, enriching or not.
    Installed,
}

/// Where a clause applies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Sites {
    /// Every site, declared or not.
    All,
    /// These site ids (case-insensitive).
    Only(Vec<String>),
    /// Every site but these (e.g. "enrichment only at Natanz").
    AllExcept(Vec<String>),
}

impl Sites {
    /// True if `site` is covered.
    pub fn covers(&self, site: &str) -> bool {
        match self {
            Sites::All => true,
            Sites::Only(ids) => ids.iter().any(|s| s.eq_ignore_ascii_case(site)),
            Sites::AllExcept(ids) => !ids.iter().any(|s| s.eq_ignore_ascii_case(site)),
        }
    }
}

/// A stockpile limit in the unit the deal text uses.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum StockLimit {
    /// kg of uranium element.
    KgU(f64),
    /// kg of UF6, or the equivalent in other chemical forms (the JCPOA's wording).
    KgUf6(f64),
}

/// What a clause requires, with its parameters.
#[derive(Debug, Clone, PartialEq)]
pub enum ClauseKind {
    /// No uranium enriched above this assay.
    MaxEnrichment {
        /// Cap, wt-% U-235.
        max_wt_pct: f64,
    },
    /// Enriched uranium held at most this much, counting stocks above `above_wt_pct`.
    StockpileCap {
        /// The cap.
        limit: StockLimit,
        /// Stocks with an assay above this count (natural uranium, 0.711 wt-%, by default).
        above_wt_pct: f64,
    },
    /// At most so many machines (and cascades) of a type at a site.
    MachineCap {
        /// Machine type id; `None` for every type.
        machine: Option<String>,
        /// Sites counted.
        sites: Sites,
        /// Enriching or installed.
        scope: MachineScope,
        /// Machine cap.
        max_machines: Option<u32>,
        /// Cascade cap.
        max_cascades: Option<u32>,
    },
    /// Enrichment only with these machine types.
    EnrichmentMachineTypes {
        /// Allowed types.
        allowed: Vec<String>,
    },
    /// No enrichment at these sites.
    NoEnrichmentAt {
        /// Where enrichment is banned.
        sites: Sites,
    },
    /// R&D with at most so many machines of a type.
    ResearchLimit {
        /// Machine type id.
        machine: String,
        /// Machines in R&D use.
        max_machines: u32,
    },
    /// Manufacture of at most so many machines of a type per year.
    ManufacturingLimit {
        /// Machine type id.
        machine: String,
        /// Machines per year.
        max_per_year: u32,
    },
    /// Machines beyond the caps removed to monitored storage: at most so many installed but idle.
    StoredEquipment {
        /// Sites counted.
        sites: Sites,
        /// Installed machines that may stand idle.
        max_installed_idle: u32,
    },
    /// Machines beyond the caps destroyed or removed from the country rather than stored: none
    /// may be held in storage at these sites, so none can be reinstalled if the deal is broken.
    ExcessDestroyed {
        /// Sites counted.
        sites: Sites,
    },
    /// A term without a number (sanctions, access, reporting): shown, never checked.
    Text,
}

/// One term of a deal.
#[derive(Debug, Clone, PartialEq)]
pub struct Clause {
    /// Short id, unique within the deal.
    pub id: String,
    /// Where in the text, e.g. "JCPOA Annex I para 28".
    pub reference: String,
    /// Plain-language summary.
    pub summary: String,
    /// Where the clause's numbers come from.
    pub source: String,
    /// What it requires.
    pub kind: ClauseKind,
    /// In force from (inclusive); `None` from the start.
    pub from: Option<DateRef>,
    /// In force until (exclusive); `None` without end.
    pub until: Option<DateRef>,
}

/// A deal: milestones and clauses.
#[derive(Debug, Clone, PartialEq)]
pub struct Deal {
    /// Short id, e.g. `jcpoa-2015`.
    pub id: String,
    /// Descriptive name.
    pub name: String,
    /// What the deal is, in a sentence or two, and what it leaves unspecified.
    pub summary: String,
    /// Where the deal's text comes from.
    pub source: String,
    /// The facility state (by id) whose machines and stocks the deal's limits are applied to for
    /// its breakout floor: what the country has when the deal starts.
    pub base_state: Option<String>,
    /// The verification regime (by id) the deal provides.
    pub regime: Option<String>,
    /// Where that regime comes from, or what is assumed for it.
    pub regime_source: Option<String>,
    /// Named days.
    pub milestones: Vec<Milestone>,
    /// Terms.
    pub clauses: Vec<Clause>,
}

/// Whether a clause is in force on a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InForce {
    /// In force.
    Yes,
    /// Not yet, or no longer.
    No,
    /// Counted from a milestone without a date: taken to be in force.
    Assumed,
}

/// A deal that does not hold together.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("deal `{deal}`: {reason}")]
pub struct DealError {
    deal: String,
    reason: String,
}

impl Deal {
    /// Checks that ids are unique, windows name known milestones and numbers are sensible.
    ///
    /// # Errors
    /// [`DealError`] naming the clause and what is wrong.
    pub fn validate(&self) -> Result<(), DealError> {
        let err = |reason: String| DealError {
            deal: self.id.clone(),
            reason,
        };
        for (i, c) in self.clauses.iter().enumerate() {
            if self.clauses[..i].iter().any(|o| o.id == c.id) {
                return Err(err(format!("clause id `{}` appears twice", c.id)));
            }
            for r in [&c.from, &c.until].into_iter().flatten() {
                if let DateRef::After { milestone, .. } = r
                    && !self.milestones.iter().any(|m| &m.name == milestone)
                {
                    let known: Vec<&str> =
                        self.milestones.iter().map(|m| m.name.as_str()).collect();
                    return Err(err(format!(
                        "clause `{}` counts from unknown milestone `{milestone}` (known: {})",
                        c.id,
                        known.join(", ")
                    )));
                }
            }
            let bad_pct = |x: f64| !(x.is_finite() && x > 0.0 && x < 100.0);
            match &c.kind {
                ClauseKind::MaxEnrichment { max_wt_pct } if bad_pct(*max_wt_pct) => {
                    return Err(err(format!(
                        "clause `{}`: max_wt_pct = {max_wt_pct} must be between 0 and 100",
                        c.id
                    )));
                }
                ClauseKind::StockpileCap {
                    limit,
                    above_wt_pct,
                } => {
                    let (StockLimit::KgU(x) | StockLimit::KgUf6(x)) = *limit;
                    if !(x.is_finite() && x >= 0.0) {
                        return Err(err(format!(
                            "clause `{}`: stockpile cap {x} must be a finite number ≥ 0",
                            c.id
                        )));
                    }
                    if bad_pct(*above_wt_pct) {
                        return Err(err(format!(
                            "clause `{}`: above_wt_pct = {above_wt_pct} must be between 0 and 100",
                            c.id
                        )));
                    }
                }
                ClauseKind::MachineCap {
                    max_machines: None,
                    max_cascades: None,
                    ..
                } => {
                    return Err(err(format!(
                        "clause `{}`: a machine cap needs max_machines or max_cascades",
                        c.id
                    )));
                }
                _ => {}
            }
        }
        Ok(())
    }

    fn resolve(&self, r: &DateRef) -> Option<Date> {
        match r {
            DateRef::On(d) => Some(*d),
            DateRef::After {
                milestone,
                years,
                months,
                days,
            } => self
                .milestones
                .iter()
                .find(|m| &m.name == milestone)
                .and_then(|m| m.date)
                .map(|d| d.plus(*years, *months, *days)),
        }
    }

    /// The window of `clause` as dates (`None` at an open or undated end).
    pub fn window(&self, clause: &Clause) -> (Option<Date>, Option<Date>) {
        (
            clause.from.as_ref().and_then(|r| self.resolve(r)),
            clause.until.as_ref().and_then(|r| self.resolve(r)),
        )
    }

    /// Whether `clause` is in force on `date`: from ≤ date < until.
    pub fn in_force(&self, clause: &Clause, date: Date) -> InForce {
        let undated = [&clause.from, &clause.until]
            .into_iter()
            .flatten()
            .any(|r| self.resolve(r).is_none());
        let (from, until) = self.window(clause);
        if from.is_some_and(|f| date < f) || until.is_some_and(|u| date >= u) {
            InForce::No
        } else if undated {
            InForce::Assumed
        } else {
            InForce::Yes
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) fn date(s: &str) -> Date {
        s.parse().unwrap()
    }

    fn deal(clauses: Vec<Clause>) -> Deal {
        Deal {
            id: "test".into(),
            name: "Test".into(),
            summary: String::new(),
            source: String::new(),
            base_state: None,
            regime: None,
            regime_source: None,
            milestones: vec![
                Milestone {
                    name: "implementation".into(),
                    date: Some(date("2016-01-16")),
                    source: String::new(),
                },
                Milestone {
                    name: "signature".into(),
                    date: None,
                    source: String::new(),
                },
            ],
            clauses,
        }
    }

    fn clause(from: Option<DateRef>, until: Option<DateRef>) -> Clause {
        Clause {
            id: "c".into(),
            reference: String::new(),
            summary: String::new(),
            source: String::new(),
            kind: ClauseKind::Text,
            from,
            until,
        }
    }

    fn after(m: &str, years: i64) -> DateRef {
        DateRef::After {
            milestone: m.into(),
            years,
            months: 0,
            days: 0,
        }
    }

    #[test]
    fn windows_include_the_start_and_exclude_the_end() {
        let c = clause(
            Some(after("implementation", 0)),
            Some(after("implementation", 15)),
        );
        let d = deal(vec![c.clone()]);
        for (day, expected) in [
            ("2016-01-15", InForce::No),
            ("2016-01-16", InForce::Yes),
            ("2031-01-15", InForce::Yes),
            ("2031-01-16", InForce::No),
        ] {
            assert_eq!(d.in_force(&c, date(day)), expected, "{day}");
        }
        let open = clause(Some(DateRef::On(date("2020-01-01"))), None);
        assert_eq!(d.in_force(&open, date("2099-01-01")), InForce::Yes);
        let proposal = clause(Some(after("signature", 0)), Some(after("signature", 10)));
        assert_eq!(d.in_force(&proposal, date("2026-01-01")), InForce::Assumed);
    }

    #[test]
    fn validation_names_the_clause() {
        let mut bad = clause(Some(after("adoption", 0)), None);
        bad.id = "x".into();
        let e = deal(vec![bad]).validate().unwrap_err().to_string();
        assert!(
            e.contains("`x`") && e.contains("adoption") && e.contains("implementation, signature"),
            "{e}"
        );
        let twice = deal(vec![clause(None, None), clause(None, None)])
            .validate()
            .unwrap_err()
            .to_string();
        assert!(twice.contains("twice"), "{twice}");
        let mut cap = clause(None, None);
        cap.kind = ClauseKind::MachineCap {
            machine: None,
            sites: Sites::All,
            scope: MachineScope::Enriching,
            max_machines: None,
            max_cascades: None,
        };
        assert!(
            deal(vec![cap])
                .validate()
                .unwrap_err()
                .to_string()
                .contains("max_machines")
        );
        let mut enr = clause(None, None);
        enr.kind = ClauseKind::MaxEnrichment { max_wt_pct: 367.0 };
        assert!(
            deal(vec![enr])
                .validate()
                .unwrap_err()
                .to_string()
                .contains("367")
        );
    }
}
