//! A linear program as the optimum model builds it, and the solvers that take it: the dense
//! warm-started simplex ([`crate::simplex`]) for small programs whose value alone is wanted,
//! the library simplex (microlp) and interior-point method (clarabel) for the others and as
//! fallbacks of each other.

use good_lp::{
    Constraint, Expression, ProblemVariables, ResolutionError, Solution, SolverModel, Variable,
    clarabel, microlp, variable,
};

use crate::simplex::{self, Outcome, Standard, Warm};

/// Shapes of program whose optimal basis is kept for the next program of the same shape (a
/// search for the earliest time meets a few: one per interval tried and per bucket count).
const WARM_SHAPES: usize = 8;

/// Which solver takes a program.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Method {
    /// The dense simplex from a kept basis ([`crate::simplex`]), then the library simplex.
    Dense,
    /// The simplex (microlp), then the interior-point method.
    Simplex,
    /// The interior-point method (clarabel), then the simplex.
    InteriorPoint,
}

/// Kind of a constraint.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Sense {
    AtMost,
    Equal,
    AtLeast,
}

/// A constraint: Σ coefficient × variable (sense) rhs.
#[derive(Debug)]
struct Row {
    terms: Vec<(usize, f64)>,
    sense: Sense,
    rhs: f64,
}

/// A linear program over variables with finite lower bounds.
#[derive(Debug, Default)]
pub struct Lp {
    lower: Vec<f64>,
    upper: Vec<f64>,
    objective: Vec<(usize, f64)>,
    maximise: bool,
    rows: Vec<Row>,
}

/// Optimal bases of recent programs, by shape (a Monte Carlo chunk keeps its own: the
/// answers then depend on the draws alone, never on the threads).
#[derive(Debug, Default)]
pub struct WarmStarts {
    bases: Vec<(u64, Warm)>,
    next: usize,
    /// Programs the dense simplex answered, and those it handed to the library solvers (too
    /// large, or no certificate): how the tests see that it carries the Monte Carlo.
    pub answered: usize,
    pub declined: usize,
}

impl WarmStarts {
    fn get(&self, shape: u64) -> Option<&Warm> {
        self.bases.iter().find(|(s, _)| *s == shape).map(|(_, b)| b)
    }

    fn keep(&mut self, shape: u64, basis: Warm) {
        if let Some(slot) = self.bases.iter_mut().find(|(s, _)| *s == shape) {
            slot.1 = basis;
        } else if self.bases.len() < WARM_SHAPES {
            self.bases.push((shape, basis));
        } else {
            self.bases[self.next] = (shape, basis);
            self.next = (self.next + 1) % WARM_SHAPES;
        }
    }
}

impl Lp {
    /// A new variable in `[lower, upper]` (`lower` finite; `upper` may be infinite).
    pub fn var(&mut self, lower: f64, upper: f64) -> usize {
        self.lower.push(lower);
        self.upper.push(upper);
        self.lower.len() - 1
    }

    pub fn vars(&self) -> usize {
        self.lower.len()
    }

    pub fn rows(&self) -> usize {
        self.rows.len()
    }

    /// Adds the constraint Σ terms (sense) rhs.
    pub fn constrain(&mut self, terms: Vec<(usize, f64)>, sense: Sense, rhs: f64) {
        self.rows.push(Row { terms, sense, rhs });
    }

    /// The objective: minimise (or maximise) Σ terms.
    pub fn objective(&mut self, terms: Vec<(usize, f64)>, maximise: bool) {
        self.objective = terms;
        self.maximise = maximise;
    }

    /// Optimal values of the variables by `method`; a solver that fails other than by
    /// infeasibility hands the program on (dense → simplex → interior point, or interior point
    /// → simplex), so an answer is lost only if every solver fails.
    ///
    /// # Errors
    /// [`ResolutionError::Infeasible`] if no point satisfies the constraints; otherwise the
    /// first solver's error.
    pub fn solve(
        &self,
        method: Method,
        warm: &mut WarmStarts,
    ) -> Result<Vec<f64>, ResolutionError> {
        match method {
            Method::Dense => match self.solve_dense(warm) {
                Some(Ok(values)) => Ok(values),
                Some(Err(())) => Err(ResolutionError::Infeasible),
                None => self.solve(Method::Simplex, warm),
            },
            Method::Simplex | Method::InteriorPoint => {
                let interior = method == Method::InteriorPoint;
                match self.solve_library(interior) {
                    Err(ResolutionError::Infeasible) => Err(ResolutionError::Infeasible),
                    Err(first) => self.solve_library(!interior).map_err(|_| first),
                    ok => ok,
                }
            }
        }
    }

    /// The dense simplex: `None` where it does not answer (too large, failed certificate),
    /// `Some(Err(()))` for a proven infeasible program.
    fn solve_dense(&self, warm: &mut WarmStarts) -> Option<Result<Vec<f64>, ()>> {
        let outcome = match self.standard() {
            Some((standard, shape)) => match simplex::solve(&standard, warm.get(shape)) {
                Outcome::Optimal { values, warm: kept } => {
                    warm.keep(shape, kept);
                    Some(Ok(self
                        .lower
                        .iter()
                        .zip(&values)
                        .map(|(lo, x)| lo + x)
                        .collect()))
                }
                Outcome::Infeasible => Some(Err(())),
                Outcome::Failed(_) => None,
            },
            None => None,
        };
        if outcome.is_some() {
            warm.answered += 1;
        } else {
            warm.declined += 1;
        }
        outcome
    }

    /// The program in standard form (variables shifted to their lower bounds, an upper bound
    /// a row of its own, a slack or surplus column per inequality, the objective minimised),
    /// and a fingerprint of its shape (which column has an entry in which row); `None` if it
    /// is too large for the dense simplex or an equality row has no cost-free first column
    /// to start its basis from.
    fn standard(&self) -> Option<(Standard, u64)> {
        let bounded = self.upper.iter().filter(|u| u.is_finite()).count();
        let m = self.rows.len() + bounded;
        if m > simplex::MAX_ROWS {
            return None;
        }
        let n = self.vars();
        let sign = if self.maximise { -1.0 } else { 1.0 };
        let mut p = Standard {
            columns: vec![Vec::new(); n],
            cost: vec![0.0; n],
            rhs: Vec::with_capacity(m),
            slack_basis: Vec::with_capacity(m),
            by_rows: std::cell::OnceCell::new(),
        };
        for &(j, c) in &self.objective {
            p.cost[j] += sign * c;
        }
        let slack = |p: &mut Standard, row: usize, coefficient: f64| {
            p.columns.push(vec![(row, coefficient)]);
            p.cost.push(0.0);
            p.slack_basis.push(p.columns.len() - 1);
        };
        let mut in_basis = vec![false; n];
        for (i, row) in self.rows.iter().enumerate() {
            let mut rhs = row.rhs;
            for &(j, a) in &row.terms {
                p.columns[j].push((i, a));
                rhs -= a * self.lower[j];
            }
            p.rhs.push(rhs);
            match row.sense {
                Sense::AtMost => slack(&mut p, i, 1.0),
                Sense::AtLeast => slack(&mut p, i, -1.0),
                Sense::Equal => {
                    let &(j, a) = row.terms.first()?;
                    if a == 0.0 || p.cost[j] != 0.0 || in_basis[j] {
                        return None;
                    }
                    in_basis[j] = true;
                    p.slack_basis.push(j);
                }
            }
        }
        for j in (0..n).filter(|&j| self.upper[j].is_finite()) {
            let i = p.rhs.len();
            p.columns[j].push((i, 1.0));
            p.rhs.push(self.upper[j] - self.lower[j]);
            slack(&mut p, i, 1.0);
        }
        // FNV-1a over the sparsity pattern and the start basis.
        let mut shape: u64 = 0xcbf2_9ce4_8422_2325;
        let mut mix = |v: usize| {
            shape ^= v as u64;
            shape = shape.wrapping_mul(0x0100_0000_01b3);
        };
        mix(m);
        for col in &p.columns {
            mix(col.len());
            col.iter().for_each(|&(i, _)| mix(i));
        }
        p.slack_basis.iter().for_each(|&j| mix(j));
        Some((p, shape))
    }

    /// The library solvers through good_lp.
    fn solve_library(&self, interior: bool) -> Result<Vec<f64>, ResolutionError> {
        let mut pv = ProblemVariables::new();
        let vars: Vec<Variable> = self
            .lower
            .iter()
            .zip(&self.upper)
            .map(|(&lo, &hi)| {
                let v = variable().min(lo);
                pv.add(if hi.is_finite() { v.max(hi) } else { v })
            })
            .collect();
        let sum = |terms: &[(usize, f64)]| {
            let mut e = Expression::with_capacity(terms.len());
            for &(j, a) in terms {
                e.add_mul(a, vars[j]);
            }
            e
        };
        let constraints: Vec<Constraint> = self
            .rows
            .iter()
            .map(|row| {
                let e = sum(&row.terms);
                match row.sense {
                    Sense::AtMost => e.leq(row.rhs),
                    Sense::Equal => e.eq(row.rhs),
                    Sense::AtLeast => e.geq(row.rhs),
                }
            })
            .collect();
        let objective = sum(&self.objective);
        let problem = if self.maximise {
            pv.maximise(objective)
        } else {
            pv.minimise(objective)
        };
        let values = |s: &dyn Solution| vars.iter().map(|&v| s.value(v)).collect();
        if interior {
            let s = problem.using(clarabel).with_all(constraints).solve()?;
            Ok(values(&s))
        } else {
            let s = problem.using(microlp).with_all(constraints).solve()?;
            Ok(values(&s))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::strategy::Strategy;

    /// min t over f ≥ 0, s ≥ 0 and t ∈ [1, 10]: s = 10 − 2f (a stock drawn down), 3f ≥ 9,
    /// f ≤ 5t. By hand: f = 3, s = 4, t = 0.6 → 1 (its lower bound).
    fn stock_program(t_upper: f64) -> Lp {
        let mut lp = Lp::default();
        let t = lp.var(1.0, t_upper);
        let f = lp.var(0.0, f64::INFINITY);
        let s = lp.var(0.0, f64::INFINITY);
        lp.constrain(vec![(s, 1.0), (f, 2.0)], Sense::Equal, 10.0);
        lp.constrain(vec![(f, 3.0)], Sense::AtLeast, 9.0);
        lp.constrain(vec![(f, 1.0), (t, -5.0)], Sense::AtMost, 0.0);
        lp.objective(vec![(t, 1.0)], false);
        lp
    }

    #[test]
    fn every_method_finds_the_hand_optimum() {
        for method in [Method::Dense, Method::Simplex, Method::InteriorPoint] {
            let x = stock_program(10.0)
                .solve(method, &mut WarmStarts::default())
                .unwrap();
            assert!((x[0] - 1.0).abs() < 1e-6, "{method:?} {x:?}");
            assert!(x[1] > 3.0 - 1e-6 && x[1] < 5.0 + 1e-6, "{method:?} {x:?}");
        }
    }

    #[test]
    fn a_maximum_is_a_negated_minimum() {
        // max f over the same rows with t ≤ 2: f ≤ 10 (f ≤ 5), and s ≥ 0 gives f ≤ 5.
        for method in [Method::Dense, Method::Simplex] {
            let mut lp = stock_program(2.0);
            lp.objective(vec![(1, 1.0)], true);
            let x = lp.solve(method, &mut WarmStarts::default()).unwrap();
            assert!((x[1] - 5.0).abs() < 1e-9, "{method:?} {x:?}");
        }
    }

    #[test]
    fn infeasibility_is_reported_by_every_method() {
        // With t ≤ 0.5 the rate allows f ≤ 2.5 < 3.
        for method in [Method::Dense, Method::Simplex, Method::InteriorPoint] {
            let mut lp = stock_program(10.0);
            lp.upper[0] = 0.5;
            lp.lower[0] = 0.0;
            let got = lp.solve(method, &mut WarmStarts::default());
            assert!(
                matches!(got, Err(ResolutionError::Infeasible)),
                "{method:?}: {got:?}"
            );
        }
    }

    #[test]
    fn the_basis_kept_is_the_shapes() {
        let mut warm = WarmStarts::default();
        let lp = stock_program(10.0);
        lp.solve(Method::Dense, &mut warm).unwrap();
        let (_, shape) = lp.standard().unwrap();
        let kept = warm.get(shape).cloned().unwrap();
        // Another shape (no upper bound on t: one row fewer) does not take it.
        let (_, other) = stock_program(f64::INFINITY).standard().unwrap();
        assert_ne!(shape, other);
        assert!(warm.get(other).is_none());
        for s in 0..2 * WARM_SHAPES as u64 {
            warm.keep(s + 1_000, kept.clone());
        }
        assert_eq!(warm.bases.len(), WARM_SHAPES);
    }

    /// A random program of the two kinds the optimum builds: the earliest time (costs ≥ 0,
    /// any rows: its slack basis is dual feasible) or the most goal material (every row an
    /// upper limit with a non-negative right-hand side: its slack basis is primal feasible).
    /// Every variable is bounded above, so neither is unbounded.
    fn random_program(
        maximise: bool,
        cost: &[f64],
        rows: &[(Vec<f64>, u8, f64)],
        upper: &[f64],
    ) -> Lp {
        let mut lp = Lp::default();
        let vars: Vec<usize> = upper.iter().map(|&u| lp.var(0.0, u)).collect();
        for (coeffs, sense, rhs) in rows {
            let terms: Vec<(usize, f64)> = vars
                .iter()
                .zip(coeffs)
                .filter(|(_, a)| **a != 0.0)
                .map(|(&v, &a)| (v, a))
                .collect();
            let sense = match (maximise, sense % 2) {
                (false, 0) => Sense::AtLeast,
                _ => Sense::AtMost,
            };
            lp.constrain(terms, sense, if maximise { rhs.abs() } else { *rhs });
        }
        let objective = vars.iter().zip(cost).map(|(&v, &c)| (v, c.abs())).collect();
        lp.objective(objective, maximise);
        lp
    }

    fn value(lp: &Lp, x: &[f64]) -> f64 {
        lp.objective.iter().map(|&(j, c)| c * x[j]).sum()
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(256))]
        /// The dense simplex answers every such program, cold and warm-started from another
        /// program of the same shape, with microlp's optimum (or its infeasibility).
        #[test]
        fn the_dense_simplex_agrees_with_microlp(
            maximise: bool,
            (cost, rows, upper, other) in (1usize..8, 1usize..7).prop_flat_map(|(n, m)| (
                proptest::collection::vec(0.0..3.0f64, n),
                proptest::collection::vec(
                    (proptest::collection::vec(
                        proptest::prop_oneof![2 => proptest::strategy::Just(0.0), 3 => -4.0..4.0f64],
                        n,
                    ), proptest::prelude::any::<u8>(), -5.0..10.0f64),
                    m,
                ),
                proptest::collection::vec(0.5..6.0f64, n),
                proptest::collection::vec(0.5..1.5f64, m),
            )),
        ) {
            let first = random_program(maximise, &cost, &rows, &upper);
            // Same shape, other numbers: each row's coefficients and bound scaled.
            let scaled: Vec<(Vec<f64>, u8, f64)> = rows
                .iter()
                .zip(&other)
                .map(|((c, s, r), f)| (c.iter().map(|a| a * f).collect(), *s, r * f * f))
                .collect();
            let second = random_program(maximise, &cost, &scaled, &upper);
            let mut warm = WarmStarts::default();
            for lp in [&first, &second] {
                let dense = lp.solve_dense(&mut warm);
                let library = lp.solve_library(false);
                match (dense, library) {
                    (Some(Ok(x)), Ok(y)) => {
                        let (a, b) = (value(lp, &x), value(lp, &y));
                        proptest::prop_assert!((a - b).abs() <= 1e-7 * a.abs().max(1.0), "{a} {b}");
                        let holds = |row: &Row| {
                            let lhs: f64 = row.terms.iter().map(|&(j, c)| c * x[j]).sum();
                            match row.sense {
                                Sense::AtMost => lhs <= row.rhs + 1e-7,
                                Sense::AtLeast => lhs >= row.rhs - 1e-7,
                                Sense::Equal => (lhs - row.rhs).abs() <= 1e-7,
                            }
                        };
                        proptest::prop_assert!(lp.rows.iter().all(holds), "{x:?}");
                    }
                    (Some(Err(())), Err(ResolutionError::Infeasible)) => {}
                    (d, l) => proptest::prop_assert!(false, "dense {d:?}, microlp {l:?}"),
                }
            }
        }
    }
}
