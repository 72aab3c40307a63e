//! A dense revised simplex for small linear programs, warm-started from the optimal basis of a
//! program of the same shape.
//!
//! Why it exists: a Monte Carlo draw of the optimum model solves programs that differ from the
//! previous draw's only in their numbers (capacities, stocks, efficiencies), never in their
//! shape. From the previous optimal basis, its inverse kept and updated for the columns whose
//! numbers changed, a few pivots (often none) reach the new optimum, where the library simplex
//! (microlp), which cannot start from a basis of another program, makes hundreds from the
//! slack basis and costs ~1.4 ms on the default state's 80-row program (docs/benchmarks.md).
//!
//! Form: minimise cᵀx subject to A x = b, x ≥ 0, with A in sparse columns ([`Standard`]);
//! [`crate::lp`] brings its programs to it. A basis is primal feasible when its basic values are
//! non-negative and dual feasible when every reduced cost is: from a dual-feasible basis the
//! dual simplex runs, from a primal-feasible one the primal simplex, and a warm basis that is
//! neither (or singular) is dropped for the program's slack basis. There is no phase one: the
//! optimum's programs start from a slack basis that is one or the other (costs ≥ 0 for the
//! earliest time; right-hand sides ≥ 0 for the most goal material).
//!
//! **Certified.** An answer is returned only if, checked against the program's own data and
//! not the updated inverse, the basic values are non-negative and solve B x = b, and the duals
//! give zero reduced cost on the basis and non-negative elsewhere, to a tolerance relative to
//! the data: by LP duality the answer is then optimal. Infeasibility is claimed only on a
//! fresh factorisation with an exact Farkas row. A singular basis, a stall past
//! [`MAX_PIVOTS`] or a failed certificate is an error, which the caller answers with the
//! library solvers.

/// Most rows solved densely (the basis inverse has rows² entries, factorised in O(rows³)).
pub const MAX_ROWS: usize = 300;
/// Most pivots in one solve before giving up (degenerate cycling, numerical trouble).
const MAX_PIVOTS: usize = 2_000;
/// Updates of the inverse between fresh factorisations: updates drift, and the certificate
/// catches it; refactorising every 50 made 400 post-strike draws (programs of 150–230 rows)
/// take 7.4 s against 5.7 s.
const REFACTOR_EVERY: usize = 200;
/// Relative tolerance of the pivoting rules (feasibility, ratio tests).
const PIVOT_TOLERANCE: f64 = 1e-9;
/// Relative tolerance of the optimality certificate.
const CERTIFICATE_TOLERANCE: f64 = 1e-8;
/// Smallest pivot element, relative to the largest candidate in the ratio test.
const SMALLEST_PIVOT: f64 = 1e-7;

/// A program in standard form.
#[derive(Debug, Clone, Default)]
pub struct Standard {
    /// Column j of A: (row, coefficient) pairs (a row may repeat; its entries add up).
    pub columns: Vec<Vec<(usize, f64)>>,
    pub cost: Vec<f64>,
    pub rhs: Vec<f64>,
    /// A basis to start from cold, one column per row (slack or surplus variables, and a
    /// column of each equality row that carries no cost).
    pub slack_basis: Vec<usize>,
    /// A by rows, built at the first pivot: a row of B⁻¹A is then summed over the rows where
    /// that row of B⁻¹ is non-zero instead of over every column.
    pub by_rows: std::cell::OnceCell<Vec<Vec<(usize, f64)>>>,
}

impl Standard {
    fn rows(&self) -> &[Vec<(usize, f64)>] {
        self.by_rows.get_or_init(|| {
            let mut rows = vec![Vec::new(); self.rhs.len()];
            for (j, col) in self.columns.iter().enumerate() {
                for &(i, a) in col {
                    rows[i].push((j, a));
                }
            }
            rows
        })
    }
}

/// How a solve ended.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// Optimal values of every column, and the optimal basis (to warm-start the next program).
    Optimal { values: Vec<f64>, warm: Warm },
    /// No x ≥ 0 satisfies A x = b (the dual simplex found an unbounded dual ray).
    Infeasible,
    /// Not solved here (why): the caller uses another solver.
    Failed(&'static str),
}

/// An optimal basis kept with its inverse, to start a program of the same shape from.
#[derive(Debug, Clone, PartialEq)]
pub struct Warm {
    basis: Vec<usize>,
    /// B⁻¹ as the solve left it.
    inverse: Vec<f64>,
    /// The basic columns that `inverse` inverts: where a new program's differ (a capacity
    /// or an efficiency drawn), each is swapped in by one update, O(rows²), instead of a new
    /// factorisation, O(rows³).
    columns: Vec<Vec<(usize, f64)>>,
    /// Updates since `inverse` was last factorised.
    updates: usize,
}

/// Solves `p`, from `warm` where it is a basis of `p` that is primal or dual feasible.
pub fn solve(p: &Standard, warm: Option<&Warm>) -> Outcome {
    let m = p.rhs.len();
    if m > MAX_ROWS || p.slack_basis.len() != m || p.cost.len() != p.columns.len() {
        return Outcome::Failed("not a small program in standard form");
    }
    let start = warm
        .and_then(|w| Tableau::resume(p, w))
        .filter(|t| t.dual_feasible() || t.primal_feasible());
    let mut cold = start.is_none();
    let Some(mut t) = start.or_else(|| Tableau::new(p, p.slack_basis.clone())) else {
        return Outcome::Failed("singular slack basis");
    };
    // Whether the values and reduced costs lag behind the pivots (then recomputed from the
    // inverse).
    let mut stale = false;
    let mut pivots = 0;
    for _ in 0..MAX_PIVOTS {
        if t.updates >= REFACTOR_EVERY {
            match Tableau::new(p, std::mem::take(&mut t.basis)) {
                Some(refactored) => t = refactored,
                None => return Outcome::Failed("singular basis"),
            }
        } else if stale {
            t.refresh(p);
        }
        // A freshly factorised inverse (a resumed one has had updates).
        let fresh = t.updates == 0;
        let (primal, dual) = (t.primal_feasible(), t.dual_feasible());
        let phase = if primal && dual {
            match t.certified(p) {
                Some(answer) => return answer,
                None if fresh => return Outcome::Failed("the optimality certificate failed"),
                None => Phase::Refactor,
            }
        } else if dual {
            t.dual_phase(p, &mut pivots, fresh)
        } else if primal {
            t.primal_phase(p, &mut pivots)
        } else if !cold {
            // Drift left the warm start neither: begin again from the slack basis.
            cold = true;
            match Tableau::new(p, p.slack_basis.clone()) {
                Some(slack) => (t, stale) = (slack, false),
                None => return Outcome::Failed("singular slack basis"),
            }
            continue;
        } else {
            return Outcome::Failed("a basis neither primal nor dual feasible");
        };
        if pivots >= MAX_PIVOTS {
            return Outcome::Failed("too many pivots");
        }
        match phase {
            Phase::Done => stale = true,
            Phase::Refactor => match Tableau::new(p, std::mem::take(&mut t.basis)) {
                Some(refactored) => (t, stale) = (refactored, false),
                None => return Outcome::Failed("singular basis"),
            },
            Phase::Infeasible => return Outcome::Infeasible,
            Phase::Stop(why) => return Outcome::Failed(why),
        }
    }
    Outcome::Failed("too many rounds")
}

/// Why a phase of pivots stopped.
enum Phase {
    /// Feasible for the phase (optimal if the other feasibility holds): check and go on.
    Done,
    /// Due a fresh factorisation (pivots since the last, or drift).
    Refactor,
    /// The program has no feasible point.
    Infeasible,
    /// Give up.
    Stop(&'static str),
}

/// A basis with its dense inverse, basic values and reduced costs.
struct Tableau {
    m: usize,
    basis: Vec<usize>,
    /// Position of each column in the basis (`usize::MAX`: nonbasic).
    position: Vec<usize>,
    /// B⁻¹ by columns (column i: `inverse[i*m..(i+1)*m]`, its entry k for basic variable
    /// `basis[k]`): B⁻¹A_j, the inverse's update and B⁻¹b then run along contiguous columns.
    inverse: Vec<f64>,
    /// Basic values, B⁻¹ b.
    x: Vec<f64>,
    /// Reduced cost of every column (zero for basic ones).
    d: Vec<f64>,
    primal_tol: f64,
    dual_tol: f64,
    /// Updates of `inverse` since it was factorised.
    updates: usize,
}

impl Tableau {
    /// Factorises `basis` (None if singular) and computes its values and reduced costs.
    fn new(p: &Standard, basis: Vec<usize>) -> Option<Tableau> {
        let m = basis.len();
        let mut dense = vec![0.0; m * m];
        for (k, &j) in basis.iter().enumerate() {
            for &(i, a) in &p.columns[j] {
                dense[i * m + k] += a;
            }
        }
        let by_rows = invert(dense, m)?;
        let mut inverse = vec![0.0; m * m];
        for k in 0..m {
            for i in 0..m {
                inverse[i * m + k] = by_rows[k * m + i];
            }
        }
        Tableau::with_inverse(p, basis, inverse, 0)?.refreshed(p)
    }

    /// The kept basis on `p`: its inverse, with each basic column that differs in `p`
    /// swapped in by an update (a fresh factorisation where many differ or the updates since
    /// the last one are many); `None` if it is not a basis of `p`.
    fn resume(p: &Standard, warm: &Warm) -> Option<Tableau> {
        let m = p.rhs.len();
        if warm.basis.len() != m || warm.basis.iter().any(|&j| j >= p.columns.len()) {
            return None;
        }
        let changed: Vec<usize> = (0..m)
            .filter(|&k| p.columns[warm.basis[k]] != warm.columns[k])
            .collect();
        if warm.updates + changed.len() > REFACTOR_EVERY || changed.len() > m / 4 {
            return Tableau::new(p, warm.basis.clone());
        }
        let mut t =
            Tableau::with_inverse(p, warm.basis.clone(), warm.inverse.clone(), warm.updates)?;
        for k in changed {
            // B⁻¹ of the basis with column k replaced: the new column in the current basis's
            // terms, pivoted on its own row (nearly zero there: the new basis is singular).
            let w = t.column(p, warm.basis[k]);
            let largest = w.iter().fold(0.0_f64, |s, a| s.max(a.abs()));
            if w[k].abs() <= SMALLEST_PIVOT * largest.max(1.0) {
                return Tableau::new(p, warm.basis.clone());
            }
            t.update_inverse(k, &w);
        }
        t.refreshed(p)
    }

    /// `basis` with its inverse (by columns), values and reduced costs not yet computed;
    /// `None` if a column repeats.
    fn with_inverse(
        p: &Standard,
        basis: Vec<usize>,
        inverse: Vec<f64>,
        updates: usize,
    ) -> Option<Tableau> {
        let (m, n) = (basis.len(), p.columns.len());
        let mut position = vec![usize::MAX; n];
        for (k, &j) in basis.iter().enumerate() {
            if position[j] != usize::MAX {
                return None;
            }
            position[j] = k;
        }
        let scale = |v: &[f64]| v.iter().fold(1.0_f64, |s, x| s.max(x.abs()));
        Some(Tableau {
            m,
            basis,
            position,
            inverse,
            x: vec![0.0; m],
            d: vec![0.0; n],
            primal_tol: PIVOT_TOLERANCE * scale(&p.rhs),
            dual_tol: PIVOT_TOLERANCE * scale(&p.cost),
            updates,
        })
    }

    /// With its values and reduced costs computed; `None` if any is not finite.
    fn refreshed(mut self, p: &Standard) -> Option<Tableau> {
        self.refresh(p);
        self.x
            .iter()
            .chain(&self.d)
            .all(|v| v.is_finite())
            .then_some(self)
    }

    /// What to keep of this (optimal) basis for the next program of its shape.
    fn keep(&self, p: &Standard) -> Warm {
        Warm {
            basis: self.basis.clone(),
            inverse: self.inverse.clone(),
            columns: self.basis.iter().map(|&j| p.columns[j].clone()).collect(),
            updates: self.updates,
        }
    }

    /// Basic values B⁻¹b and reduced costs c − (c_B B⁻¹) A from the current inverse.
    fn refresh(&mut self, p: &Standard) {
        let m = self.m;
        self.x.fill(0.0);
        for (i, &b) in p.rhs.iter().enumerate() {
            if b != 0.0 {
                axpy(&mut self.x, b, &self.inverse[i * m..(i + 1) * m]);
            }
        }
        let y = self.duals(p);
        for (j, col) in p.columns.iter().enumerate() {
            self.d[j] = if self.position[j] == usize::MAX {
                p.cost[j] - col.iter().map(|&(i, a)| y[i] * a).sum::<f64>()
            } else {
                0.0
            };
        }
    }

    /// The duals c_B B⁻¹.
    fn duals(&self, p: &Standard) -> Vec<f64> {
        let m = self.m;
        let c_b: Vec<f64> = self.basis.iter().map(|&j| p.cost[j]).collect();
        self.inverse
            .chunks_exact(m)
            .map(|col| col.iter().zip(&c_b).map(|(a, c)| a * c).sum())
            .collect()
    }

    fn primal_feasible(&self) -> bool {
        self.x.iter().all(|&v| v >= -self.primal_tol)
    }

    fn dual_feasible(&self) -> bool {
        self.d.iter().all(|&v| v >= -self.dual_tol)
    }

    /// The answer, if this basis passes the certificate (`None`: it does not, on this inverse).
    ///
    /// Checked against the program's own data, not the (updated) inverse: the basic values
    /// are non-negative and solve B x = b, and the duals y give c_j − y·A_j zero on every
    /// basic column and non-negative on every other, each to [`CERTIFICATE_TOLERANCE`]
    /// relative to the data. Then x and y are feasible for the program and its dual with
    /// equal objectives: x is optimal.
    fn certified(&self, p: &Standard) -> Option<Outcome> {
        let factor = CERTIFICATE_TOLERANCE / PIVOT_TOLERANCE;
        let (primal_tol, dual_tol) = (factor * self.primal_tol, factor * self.dual_tol);
        if self.x.iter().any(|&v| v < -primal_tol) {
            return None;
        }
        let mut residual = p.rhs.clone();
        for (k, &j) in self.basis.iter().enumerate() {
            for &(i, a) in &p.columns[j] {
                residual[i] -= a * self.x[k];
            }
        }
        if residual.iter().any(|r| r.abs() > primal_tol) {
            return None;
        }
        let y = self.duals(p);
        let reduced =
            |j: usize| p.cost[j] - p.columns[j].iter().map(|&(i, a)| y[i] * a).sum::<f64>();
        let dual_ok = (0..p.columns.len()).all(|j| {
            let d = reduced(j);
            if self.position[j] == usize::MAX {
                d >= -dual_tol
            } else {
                d.abs() <= dual_tol
            }
        });
        if !dual_ok {
            return None;
        }
        let mut values = vec![0.0; p.columns.len()];
        for (k, &j) in self.basis.iter().enumerate() {
            values[j] = self.x[k].max(0.0);
        }
        Some(Outcome::Optimal {
            values,
            warm: self.keep(p),
        })
    }

    /// B⁻¹ A_j.
    fn column(&self, p: &Standard, j: usize) -> Vec<f64> {
        let m = self.m;
        let mut w = vec![0.0; m];
        for &(i, a) in &p.columns[j] {
            axpy(&mut w, a, &self.inverse[i * m..(i + 1) * m]);
        }
        w
    }

    /// Row r of B⁻¹A over every column (zero for basic ones).
    fn row(&self, p: &Standard, r: usize) -> Vec<f64> {
        let mut alpha = vec![0.0; p.columns.len()];
        for (col, row) in self.inverse.chunks_exact(self.m).zip(p.rows()) {
            let rho = col[r];
            if rho != 0.0 {
                for &(j, a) in row {
                    alpha[j] += rho * a;
                }
            }
        }
        for &j in &self.basis {
            alpha[j] = 0.0;
        }
        alpha
    }

    /// Column `q` enters the basis at position `r`: updates values, reduced costs and B⁻¹.
    fn pivot(&mut self, r: usize, q: usize, alpha_q: &[f64], alpha_r: &[f64]) {
        let e = alpha_q[r];
        let step = self.x[r] / e;
        for (xk, a) in self.x.iter_mut().zip(alpha_q) {
            *xk -= step * a;
        }
        self.x[r] = step;
        let theta = self.d[q] / e;
        for (dj, a) in self.d.iter_mut().zip(alpha_r) {
            *dj -= theta * a;
        }
        let leaving = self.basis[r];
        self.d[leaving] = -theta;
        self.d[q] = 0.0;
        self.update_inverse(r, alpha_q);
        self.position[leaving] = usize::MAX;
        self.position[q] = r;
        self.basis[r] = q;
    }

    /// B⁻¹ after the column in position `r` is replaced by one whose B⁻¹-image is `alpha`:
    /// row r divided by the pivot α_r, α_k times it taken from every other row k (done a
    /// column at a time).
    fn update_inverse(&mut self, r: usize, alpha: &[f64]) {
        let e = alpha[r];
        for col in self.inverse.chunks_exact_mut(self.m) {
            let v = col[r] / e;
            if v != 0.0 {
                axpy(col, -v, alpha);
                col[r] = v;
            }
        }
        self.updates += 1;
    }

    /// Dual simplex pivots from a dual-feasible basis until it is primal feasible.
    fn dual_phase(&mut self, p: &Standard, pivots: &mut usize, fresh: bool) -> Phase {
        for done in 0..REFACTOR_EVERY {
            let first_on_fresh = fresh && done == 0;
            // Leaving: the most negative basic value.
            let Some(r) = (0..self.m)
                .filter(|&k| self.x[k] < -self.primal_tol)
                .min_by(|&a, &b| self.x[a].total_cmp(&self.x[b]))
            else {
                return Phase::Done;
            };
            let alpha_r = self.row(p, r);
            // Entering (Harris's two passes): the largest |α| among the columns whose ratio is
            // within the relaxed bound keeps the pivot well away from zero.
            let biggest = alpha_r.iter().fold(0.0_f64, |s, a| s.max(-a));
            let floor = SMALLEST_PIVOT * biggest.max(1.0);
            let candidates = || (0..p.columns.len()).filter(|&j| alpha_r[j] < -floor);
            let Some(bound) = candidates()
                .map(|j| (self.d[j].max(0.0) + self.dual_tol) / -alpha_r[j])
                .reduce(f64::min)
            else {
                // Farkas: y = row r of B⁻¹ has yᵀA ≥ 0 and yᵀb < 0, so no x ≥ 0 solves
                // A x = b. Claimed only on a fresh inverse with no negative entry at all.
                let exact = alpha_r.iter().all(|&a| a >= -1e-12 * biggest.max(1.0));
                return if first_on_fresh && exact {
                    Phase::Infeasible
                } else if first_on_fresh {
                    Phase::Stop("near-degenerate infeasibility")
                } else {
                    Phase::Refactor
                };
            };
            let Some(q) = candidates()
                .filter(|&j| self.d[j].max(0.0) / -alpha_r[j] <= bound)
                .max_by(|&a, &b| (-alpha_r[a]).total_cmp(&-alpha_r[b]))
            else {
                return Phase::Stop("dual ratio test");
            };
            let alpha_q = self.column(p, q);
            // The pivot element by row and by column: apart, the updated inverse has drifted
            // (refactorise), or a fresh one is inaccurate (give up).
            if (alpha_q[r] - alpha_r[q]).abs() > 1e-6 * alpha_r[q].abs().max(1.0) {
                return if first_on_fresh {
                    Phase::Stop("inaccurate pivot")
                } else {
                    Phase::Refactor
                };
            }
            self.pivot(r, q, &alpha_q, &alpha_r);
            *pivots += 1;
        }
        Phase::Refactor
    }

    /// Primal simplex pivots from a primal-feasible basis until it is dual feasible.
    fn primal_phase(&mut self, p: &Standard, pivots: &mut usize) -> Phase {
        for _ in 0..REFACTOR_EVERY {
            // Entering: the most negative reduced cost (Dantzig).
            let Some(q) = (0..p.columns.len())
                .filter(|&j| self.d[j] < -self.dual_tol)
                .min_by(|&a, &b| self.d[a].total_cmp(&self.d[b]))
            else {
                return Phase::Done;
            };
            let alpha_q = self.column(p, q);
            let biggest = alpha_q.iter().fold(0.0_f64, |s, a| s.max(*a));
            let floor = SMALLEST_PIVOT * biggest.max(1.0);
            let candidates = || (0..self.m).filter(|&k| alpha_q[k] > floor);
            let Some(bound) = candidates()
                .map(|k| (self.x[k].max(0.0) + self.primal_tol) / alpha_q[k])
                .reduce(f64::min)
            else {
                return Phase::Stop("unbounded");
            };
            let Some(r) = candidates()
                .filter(|&k| self.x[k].max(0.0) / alpha_q[k] <= bound)
                .max_by(|&a, &b| alpha_q[a].total_cmp(&alpha_q[b]))
            else {
                return Phase::Stop("primal ratio test");
            };
            let alpha_r = self.row(p, r);
            self.pivot(r, q, &alpha_q, &alpha_r);
            *pivots += 1;
        }
        Phase::Refactor
    }
}

/// y += a·x.
fn axpy(y: &mut [f64], a: f64, x: &[f64]) {
    for (yi, xi) in y.iter_mut().zip(x) {
        *yi += a * xi;
    }
}

/// The inverse of the dense m×m matrix `a` (row-major) by Gauss–Jordan elimination with
/// partial pivoting; `None` if it is singular. Cheap on a basis that is mostly unit columns:
/// rows with a zero in the pivot column are skipped.
fn invert(mut a: Vec<f64>, m: usize) -> Option<Vec<f64>> {
    let mut inv = vec![0.0; m * m];
    for i in 0..m {
        inv[i * m + i] = 1.0;
    }
    let largest = a.iter().fold(0.0_f64, |s, v| s.max(v.abs()));
    for col in 0..m {
        let piv =
            (col..m).max_by(|&x, &y| a[x * m + col].abs().total_cmp(&a[y * m + col].abs()))?;
        if a[piv * m + col].abs() <= 1e-12 * largest.max(1.0) {
            return None;
        }
        if piv != col {
            for j in 0..m {
                a.swap(piv * m + j, col * m + j);
                inv.swap(piv * m + j, col * m + j);
            }
        }
        let e = a[col * m + col];
        for j in 0..m {
            a[col * m + j] /= e;
            inv[col * m + j] /= e;
        }
        // Columns left of `col` are already unit columns: row `col` is zero there.
        for r in 0..m {
            let f = a[r * m + col];
            if r == col || f == 0.0 {
                continue;
            }
            for j in col..m {
                a[r * m + j] -= f * a[col * m + j];
            }
            for j in 0..m {
                inv[r * m + j] -= f * inv[col * m + j];
            }
        }
    }
    Some(inv)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Builds a standard form from `≤` rows (slack per row) and `=` rows whose first column
    /// carries no cost.
    fn program(cost: &[f64], rows: &[(&[f64], char, f64)]) -> Standard {
        let n = cost.len();
        let mut p = Standard {
            columns: vec![Vec::new(); n],
            cost: cost.to_vec(),
            rhs: Vec::new(),
            slack_basis: Vec::new(),
            by_rows: std::cell::OnceCell::new(),
        };
        for (i, &(coeffs, sense, rhs)) in rows.iter().enumerate() {
            for (j, &a) in coeffs.iter().enumerate() {
                if a != 0.0 {
                    p.columns[j].push((i, a));
                }
            }
            p.rhs.push(rhs);
            match sense {
                '<' | '>' => {
                    let sign = if sense == '<' { 1.0 } else { -1.0 };
                    p.columns.push(vec![(i, sign)]);
                    p.cost.push(0.0);
                    p.slack_basis.push(p.columns.len() - 1);
                }
                _ => p
                    .slack_basis
                    .push(coeffs.iter().position(|&a| a != 0.0).unwrap()),
            }
        }
        p
    }

    fn optimum(p: &Standard, warm: Option<&Warm>) -> (f64, Vec<f64>, Warm) {
        match solve(p, warm) {
            Outcome::Optimal { values, warm } => {
                let z = values.iter().zip(&p.cost).map(|(x, c)| x * c).sum();
                (z, values, warm)
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn textbook_programs_by_hand() {
        // (cost, rows, optimal value, optimal x), each solved by hand.
        type Rows<'a> = &'a [(&'a [f64], char, f64)];
        let cases: [(&[f64], Rows, f64, &[f64]); 3] = [
            // max 3x + 5y, x ≤ 4, 2y ≤ 12, 3x + 2y ≤ 18: (2, 6), 36 (Hillier & Lieberman's
            // Wyndor Glass), by the primal simplex from the slack basis.
            (
                &[-3.0, -5.0],
                &[
                    (&[1.0, 0.0], '<', 4.0),
                    (&[0.0, 2.0], '<', 12.0),
                    (&[3.0, 2.0], '<', 18.0),
                ],
                -36.0,
                &[2.0, 6.0],
            ),
            // min x + y, x + 2y ≥ 4, 3x + y ≥ 6: (1.6, 1.2), 2.8, by the dual simplex.
            (
                &[1.0, 1.0],
                &[(&[1.0, 2.0], '>', 4.0), (&[3.0, 1.0], '>', 6.0)],
                2.8,
                &[1.6, 1.2],
            ),
            // min t, s = 10 − 2f (a stock of 10 drawn down), 3f ≥ 9 by t·… replaced by the
            // linear stand-in f ≤ 5t: f = 3, t = 0.6, s = 4 (an equality row with its
            // cost-free column basic).
            (
                &[0.0, 0.0, 1.0],
                &[
                    (&[1.0, 2.0, 0.0], '=', 10.0),
                    (&[0.0, 3.0, 0.0], '>', 9.0),
                    (&[0.0, 1.0, -5.0], '<', 0.0),
                ],
                0.6,
                &[4.0, 3.0, 0.6],
            ),
        ];
        for (cost, rows, value, x) in cases {
            let p = program(cost, rows);
            let (z, values, _) = optimum(&p, None);
            assert!((z - value).abs() < 1e-9, "{z} {value}");
            for (v, want) in values.iter().zip(x) {
                assert!((v - want).abs() < 1e-9, "{values:?} {x:?}");
            }
        }
    }

    #[test]
    fn an_infeasible_program_is_reported() {
        // x ≤ 1 and x ≥ 2.
        let p = program(&[1.0], &[(&[1.0], '<', 1.0), (&[1.0], '>', 2.0)]);
        assert_eq!(solve(&p, None), Outcome::Infeasible);
    }

    #[test]
    fn a_warm_start_from_another_programs_optimum_finds_this_ones() {
        // The same shape with other numbers: started from the first optimum's basis, the
        // second solve agrees with a cold one.
        let a = program(
            &[-3.0, -5.0],
            &[
                (&[1.0, 0.0], '<', 4.0),
                (&[0.0, 2.0], '<', 12.0),
                (&[3.0, 2.0], '<', 18.0),
            ],
        );
        let (_, _, kept) = optimum(&a, None);
        // Other right-hand sides: x = 6, y = 2, 3·6 + 5·2 = 28. Another coefficient too (the
        // kept inverse then takes an update): 3x + 4y ≤ 30 gives x = 6, y = 2 as well; and
        // 2x + 2y ≤ 14 with x ≤ 6, y ≤ 2 → (5, 2): 25.
        let mut b = a.clone();
        b.rhs = vec![6.0, 4.0, 30.0];
        let mut c = b.clone();
        c.columns[1] = vec![(1, 2.0), (2, 4.0)];
        let mut d = b.clone();
        d.rhs[2] = 14.0;
        d.columns[0] = vec![(0, 1.0), (2, 2.0)];
        d.columns[1] = vec![(1, 2.0), (2, 2.0)];
        for (label, q, want) in [
            ("rhs", &b, -28.0),
            ("coefficient", &c, -28.0),
            ("both", &d, -25.0),
        ] {
            let (cold, ..) = optimum(q, None);
            let (warm, ..) = optimum(q, Some(&kept));
            assert!((cold - warm).abs() < 1e-9, "{label}: {cold} {warm}");
            assert!((warm - want).abs() < 1e-9, "{label}: {warm}");
        }
    }

    #[test]
    fn a_bad_warm_basis_falls_back_to_the_slack_basis() {
        let p = program(
            &[1.0, 1.0],
            &[(&[1.0, 2.0], '>', 4.0), (&[3.0, 1.0], '>', 6.0)],
        );
        let (_, _, good) = optimum(&p, None);
        let bad = |basis: Vec<usize>| Warm {
            columns: vec![Vec::new(); basis.len()],
            inverse: vec![0.0; basis.len() * basis.len()],
            basis,
            updates: 0,
        };
        // A repeated column, the wrong size, a column the program lacks, a kept inverse of
        // other columns that is singular on these.
        for warm in [
            bad(vec![0, 0]),
            bad(vec![0, 1, 2]),
            bad(vec![99, 0]),
            bad(good.basis.clone()),
        ] {
            let (z, ..) = optimum(&p, Some(&warm));
            assert!((z - 2.8).abs() < 1e-9, "{:?}: {z}", warm.basis);
        }
    }

    #[test]
    fn a_singular_inverse_is_refused() {
        assert!(invert(vec![1.0, 2.0, 2.0, 4.0], 2).is_none());
        let inv = invert(vec![0.0, 2.0, 4.0, 0.0], 2).unwrap();
        assert_eq!(inv, vec![0.0, 0.25, 0.5, 0.0]);
    }
}
