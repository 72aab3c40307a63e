//! Dense symmetric matrices and their Cholesky factor: the only linear algebra the MUF sequence
//! needs (n ≤ a few hundred periods).
//!
//! Inverses are never formed: Σ⁻¹v is two triangular solves and vᵀΣ⁻¹v is ‖L⁻¹v‖², which is both
//! cheaper and better conditioned (MAPIT inverts the factor explicitly; safeguards.md §4.1 item 6).

use crate::error::SafeguardsError;

/// A symmetric n×n matrix stored in full, row-major.
#[derive(Debug, Clone, PartialEq)]
pub struct SymMatrix {
    n: usize,
    a: Vec<f64>,
}

impl SymMatrix {
    /// The n×n zero matrix.
    pub fn zeros(n: usize) -> Self {
        SymMatrix {
            n,
            a: vec![0.0; n * n],
        }
    }

    /// Dimension n.
    pub fn dim(&self) -> usize {
        self.n
    }

    /// Entry (i, j), 0-based.
    pub fn get(&self, i: usize, j: usize) -> f64 {
        self.a[i * self.n + j]
    }

    /// Adds `v` to (i, j) and, off the diagonal, to (j, i), keeping the matrix symmetric.
    pub fn add_sym(&mut self, i: usize, j: usize, v: f64) {
        self.a[i * self.n + j] += v;
        if i != j {
            self.a[j * self.n + i] += v;
        }
    }

    /// Adds `w · b bᵀ` (a rank-one update, e.g. one systematic error effect).
    pub fn add_outer(&mut self, w: f64, b: &[f64]) {
        for (i, bi) in b.iter().enumerate() {
            if *bi == 0.0 {
                continue;
            }
            for (j, bj) in b.iter().enumerate() {
                self.a[i * self.n + j] += w * bi * bj;
            }
        }
    }

    /// The leading k×k block (the covariance of the first k periods).
    pub fn leading(&self, k: usize) -> SymMatrix {
        let mut m = SymMatrix::zeros(k);
        for i in 0..k {
            for j in 0..k {
                m.a[i * k + j] = self.get(i, j);
            }
        }
        m
    }

    /// Σ v.
    pub fn mul_vec(&self, v: &[f64]) -> Vec<f64> {
        (0..self.n)
            .map(|i| (0..self.n).map(|j| self.get(i, j) * v[j]).sum())
            .collect()
    }

    /// uᵀ Σ v.
    pub fn bilinear(&self, u: &[f64], v: &[f64]) -> f64 {
        u.iter().zip(self.mul_vec(v)).map(|(a, b)| a * b).sum()
    }
}

/// The Cholesky factor L (lower triangular, positive diagonal) of a positive definite Σ = L Lᵀ.
#[derive(Debug, Clone, PartialEq)]
pub struct Cholesky {
    n: usize,
    l: Vec<f64>,
}

impl Cholesky {
    /// Factorises Σ.
    ///
    /// # Errors
    /// [`SafeguardsError::NotPositiveDefinite`] with the first row whose pivot is not positive
    /// (relative to the diagonal entry, so that rounding-level pivots count as singular).
    pub fn new(s: &SymMatrix) -> Result<Self, SafeguardsError> {
        let n = s.n;
        let mut l = vec![0.0; n * n];
        for i in 0..n {
            for j in 0..=i {
                let dot: f64 = (0..j).map(|k| l[i * n + k] * l[j * n + k]).sum();
                let v = s.get(i, j) - dot;
                if i == j {
                    let d = s.get(i, i);
                    if !(v.is_finite() && v > 1e-13 * d.abs() && v > 0.0) {
                        return Err(SafeguardsError::NotPositiveDefinite {
                            period: i + 1,
                            pivot: v,
                        });
                    }
                    l[i * n + i] = v.sqrt();
                } else {
                    l[i * n + j] = v / l[j * n + j];
                }
            }
        }
        Ok(Cholesky { n, l })
    }

    /// Dimension n.
    pub fn dim(&self) -> usize {
        self.n
    }

    /// Entry `L[i][j]` (zero above the diagonal).
    pub fn l(&self, i: usize, j: usize) -> f64 {
        if j > i { 0.0 } else { self.l[i * self.n + j] }
    }

    /// L⁻¹ v by forward substitution. Entry i depends on v[..=i] only, which is why the
    /// whole-vector SITMUF equals the sequential one.
    pub fn forward(&self, v: &[f64]) -> Vec<f64> {
        let n = self.n;
        let mut y = vec![0.0; n];
        for i in 0..n {
            let s: f64 = (0..i).map(|k| self.l[i * n + k] * y[k]).sum();
            y[i] = (v[i] - s) / self.l[i * n + i];
        }
        y
    }

    /// L⁻ᵀ v by back substitution.
    pub fn backward(&self, v: &[f64]) -> Vec<f64> {
        let n = self.n;
        let mut x = vec![0.0; n];
        for i in (0..n).rev() {
            let s: f64 = (i + 1..n).map(|k| self.l[k * n + i] * x[k]).sum();
            x[i] = (v[i] - s) / self.l[i * n + i];
        }
        x
    }

    /// Σ⁻¹ v (two triangular solves).
    pub fn solve(&self, v: &[f64]) -> Vec<f64> {
        self.backward(&self.forward(v))
    }

    /// L v (turns iid N(0,1) draws into draws with covariance Σ).
    pub fn mul_lower(&self, v: &[f64]) -> Vec<f64> {
        let n = self.n;
        (0..n)
            .map(|i| (0..=i).map(|k| self.l[i * n + k] * v[k]).sum())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use approx::assert_abs_diff_eq;
    use proptest::prelude::*;

    fn from_rows(rows: &[&[f64]]) -> SymMatrix {
        let n = rows.len();
        let mut m = SymMatrix::zeros(n);
        for (i, row) in rows.iter().enumerate() {
            m.a[i * n..(i + 1) * n].copy_from_slice(row);
        }
        m
    }

    /// Hand example: [[4,2],[2,3]] = L Lᵀ with L = [[2,0],[1,√2]].
    #[test]
    fn factor_of_a_two_by_two_matrix() {
        let c = Cholesky::new(&from_rows(&[&[4.0, 2.0], &[2.0, 3.0]])).unwrap();
        assert_abs_diff_eq!(c.l(0, 0), 2.0, epsilon = 1e-15);
        assert_abs_diff_eq!(c.l(1, 0), 1.0, epsilon = 1e-15);
        assert_abs_diff_eq!(c.l(1, 1), 2f64.sqrt(), epsilon = 1e-15);
        // Σ⁻¹ = [[3,-2],[-2,4]]/8.
        let x = c.solve(&[1.0, 1.0]);
        assert_abs_diff_eq!(x[0], 1.0 / 8.0, epsilon = 1e-15);
        assert_abs_diff_eq!(x[1], 2.0 / 8.0, epsilon = 1e-15);
    }

    #[test]
    fn singular_and_indefinite_matrices_are_rejected_with_their_row() {
        let e = Cholesky::new(&from_rows(&[&[1.0, 1.0], &[1.0, 1.0]])).unwrap_err();
        assert!(
            matches!(e, SafeguardsError::NotPositiveDefinite { period: 2, .. }),
            "{e}"
        );
        let e = Cholesky::new(&from_rows(&[&[-1.0]])).unwrap_err();
        assert!(matches!(
            e,
            SafeguardsError::NotPositiveDefinite { period: 1, .. }
        ));
    }

    proptest! {
        /// For Σ = G Gᵀ + εI, L Lᵀ reproduces Σ and Σ Σ⁻¹v = v.
        #[test]
        fn factor_reproduces_the_matrix(g in prop::collection::vec(-3.0f64..3.0, 16), v in prop::collection::vec(-5.0f64..5.0, 4)) {
            let n = 4;
            let mut s = SymMatrix::zeros(n);
            for i in 0..n {
                for j in 0..n {
                    let x: f64 = (0..n).map(|k| g[i * n + k] * g[j * n + k]).sum();
                    s.a[i * n + j] = x + if i == j { 0.1 } else { 0.0 };
                }
            }
            let c = Cholesky::new(&s).unwrap();
            for i in 0..n {
                for j in 0..n {
                    let llt: f64 = (0..n).map(|k| c.l(i, k) * c.l(j, k)).sum();
                    prop_assert!((llt - s.get(i, j)).abs() < 1e-9 * (1.0 + s.get(i, j).abs()));
                }
            }
            let back = s.mul_vec(&c.solve(&v));
            for i in 0..n {
                prop_assert!((back[i] - v[i]).abs() < 1e-6 * (1.0 + v[i].abs()));
            }
        }
    }
}
