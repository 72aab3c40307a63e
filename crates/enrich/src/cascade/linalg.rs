//! The linear solves the cascade models need, without allocation: a tridiagonal system with
//! unit diagonal (stage balances) and the small dense block solve at the heart of block
//! elimination (the fixed cascade's Newton step, O(stages)). The tests' reference solves (many
//! right-hand sides, dense Gaussian elimination) live here too, compiled for tests only.

/// Factors in place a tridiagonal matrix with unit diagonal, `sub(s)` at (s, s−1) and `sup[s]`
/// at (s, s+1): `mult[s]` = sub(s)/pivot[s−1] and the pivots. Stage-balance matrices are column
/// diagonally dominant M-matrices, for which elimination without pivoting is stable and keeps
/// every solution of a non-negative right-hand side non-negative.
pub(crate) fn factor_tridiagonal(
    mult: &mut [f64],
    pivot: &mut [f64],
    sup: &[f64],
    sub: impl Fn(usize) -> f64,
) {
    let n = pivot.len();
    pivot[0] = 1.0;
    mult[0] = 0.0;
    for s in 1..n {
        let m = sub(s) / pivot[s - 1];
        mult[s] = m;
        pivot[s] = 1.0 - m * sup[s - 1];
    }
}

/// Solves for `cols` right-hand sides at once (the columns of the dense Newton Jacobian the
/// tests check the block step against): `b` is n×`cols`, row-major (row s = unknown s),
/// right-hand sides on entry, solutions on exit. Row operations run across all columns, so the
/// inner loop has no serial dependency and vectorises.
#[cfg(test)]
pub(crate) fn solve_tridiagonal_many(
    mult: &[f64],
    pivot: &[f64],
    sup: &[f64],
    b: &mut [f64],
    cols: usize,
) {
    let n = pivot.len();
    for s in 1..n {
        let (above, row) = b[(s - 1) * cols..(s + 1) * cols].split_at_mut(cols);
        let m = mult[s];
        row.iter_mut()
            .zip(above.iter())
            .for_each(|(r, a)| *r -= m * a);
    }
    let inv = 1.0 / pivot[n - 1];
    b[(n - 1) * cols..n * cols]
        .iter_mut()
        .for_each(|r| *r *= inv);
    for s in (0..n - 1).rev() {
        let (row, below) = b[s * cols..(s + 2) * cols].split_at_mut(cols);
        let (u, inv) = (sup[s], 1.0 / pivot[s]);
        row.iter_mut()
            .zip(below.iter())
            .for_each(|(r, d)| *r = (*r - u * d) * inv);
    }
}

/// Solves with the factors of [`factor_tridiagonal`]: `x` holds the right-hand side on entry and
/// the solution on exit.
pub(crate) fn solve_tridiagonal(mult: &[f64], pivot: &[f64], sup: &[f64], x: &mut [f64]) {
    let n = x.len();
    for s in 1..n {
        x[s] -= mult[s] * x[s - 1];
    }
    x[n - 1] /= pivot[n - 1];
    for s in (0..n - 1).rev() {
        x[s] = (x[s] - sup[s] * x[s + 1]) / pivot[s];
    }
}

/// Largest block of [`solve_block`]: five isotopes and one stage unknown.
pub(crate) const MAX_BLOCK: usize = 6;

/// Solves `a`·[X | y] = [`g` | `r`] in place for a B×B block `a` (overwritten), B right-hand
/// sides `g` and one more `r` — the step of block elimination (block Thomas) that turns a
/// reduced diagonal block and its upper neighbour into D⁻¹·U and D⁻¹·r — by Gaussian elimination
/// with partial pivoting. `B` is a constant so the loops unroll without bounds checks; callers
/// dispatch on the block size (2 to [`MAX_BLOCK`]). Returns false for a zero or non-finite
/// pivot; the solution itself is not checked (callers check what they keep of it once).
#[inline]
pub(crate) fn solve_block<const B: usize>(
    a: &mut [[f64; B]; B],
    g: &mut [[f64; B]; B],
    r: &mut [f64; B],
) -> bool {
    // Reciprocal pivots, reused by the back substitution.
    let mut inv_pivot = [0.0; B];
    for col in 0..B {
        let mut best = col;
        for row in col + 1..B {
            if a[row][col].abs() > a[best][col].abs() {
                best = row;
            }
        }
        let p = a[best][col];
        if !(p.is_finite() && p.abs() > 0.0) {
            return false;
        }
        if best != col {
            a.swap(col, best);
            g.swap(col, best);
            r.swap(col, best);
        }
        let inv = 1.0 / p;
        inv_pivot[col] = inv;
        let (a_col, g_col, r_col) = (a[col], g[col], r[col]);
        for row in col + 1..B {
            let f = a[row][col] * inv;
            // Whole rows (constant length, so unrolled): the columns left of `col` are never
            // read again.
            a[row].iter_mut().zip(a_col).for_each(|(v, p)| *v -= f * p);
            g[row].iter_mut().zip(g_col).for_each(|(v, p)| *v -= f * p);
            r[row] -= f * r_col;
        }
    }
    for row in (0..B).rev() {
        for k in row + 1..B {
            let (f, g_k) = (a[row][k], g[k]);
            g[row].iter_mut().zip(g_k).for_each(|(v, p)| *v -= f * p);
            r[row] -= f * r[k];
        }
        let inv = inv_pivot[row];
        g[row].iter_mut().for_each(|v| *v *= inv);
        r[row] *= inv;
    }
    true
}

/// Solves the dense n×n system `a`·x = `b` (row-major `a`, overwritten) by Gaussian elimination
/// with partial pivoting; `b` holds x on exit. Returns false for a singular or non-finite matrix.
#[cfg(test)]
pub(crate) fn solve_dense(a: &mut [f64], b: &mut [f64]) -> bool {
    let n = b.len();
    for col in 0..n {
        let (mut best, mut best_abs) = (col, a[col * n + col].abs());
        for r in col + 1..n {
            let v = a[r * n + col].abs();
            if v > best_abs {
                best = r;
                best_abs = v;
            }
        }
        if !(best_abs.is_finite() && best_abs > 0.0) {
            return false;
        }
        if best != col {
            for c in 0..n {
                a.swap(col * n + c, best * n + c);
            }
            b.swap(col, best);
        }
        let p = a[col * n + col];
        for r in col + 1..n {
            let m = a[r * n + col] / p;
            if m != 0.0 {
                for c in col + 1..n {
                    a[r * n + c] -= m * a[col * n + c];
                }
                b[r] -= m * b[col];
            }
        }
    }
    for r in (0..n).rev() {
        let mut acc = b[r];
        for c in r + 1..n {
            acc -= a[r * n + c] * b[c];
        }
        b[r] = acc / a[r * n + r];
    }
    b.iter().all(|x| x.is_finite())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tridiagonal_solves_a_hand_system() {
        // [1 -0.5 0; -0.5 1 -0.5; 0 -0.5 1] x = [1 0 0]  =>  x = [1.5, 1, 0.5].
        let sup = [-0.5, -0.5, 0.0];
        let (mut mult, mut pivot) = ([0.0; 3], [0.0; 3]);
        factor_tridiagonal(&mut mult, &mut pivot, &sup, |_| -0.5);
        let mut x = [1.0, 0.0, 0.0];
        solve_tridiagonal(&mult, &pivot, &sup, &mut x);
        for (got, want) in x.iter().zip([1.5, 1.0, 0.5]) {
            assert!((got - want).abs() < 1e-15, "{x:?}");
        }
    }

    #[test]
    fn many_right_hand_sides_match_single_solves() {
        let sup = [-0.3, -0.6, -0.2, 0.0];
        let (mut mult, mut pivot) = ([0.0; 4], [0.0; 4]);
        factor_tridiagonal(&mut mult, &mut pivot, &sup, |s| -0.1 * s as f64 - 0.2);
        let mut many = [0.0; 8];
        for s in 0..4 {
            many[s * 2] = s as f64 + 1.0;
            many[s * 2 + 1] = if s == 2 { -1.0 } else { 0.5 };
        }
        let mut a = [1.0, 2.0, 3.0, 4.0];
        let mut b = [0.5, 0.5, -1.0, 0.5];
        solve_tridiagonal(&mult, &pivot, &sup, &mut a);
        solve_tridiagonal(&mult, &pivot, &sup, &mut b);
        solve_tridiagonal_many(&mult, &pivot, &sup, &mut many, 2);
        for s in 0..4 {
            assert!((many[s * 2] - a[s]).abs() < 1e-14 && (many[s * 2 + 1] - b[s]).abs() < 1e-14);
        }
    }

    /// A 3×3 block whose first column needs a row swap, with three right-hand sides and a
    /// fourth, against the dense solve of each; a singular block refused.
    #[test]
    fn block_solve_matches_the_dense_solve() {
        let a = [[0.0, 2.0, 1.0], [3.0, -1.0, 0.5], [1.0, 4.0, -2.0]];
        let g = [[1.0, 0.0, -1.0], [0.5, 2.0, 0.0], [0.0, -3.0, 1.0]];
        let r = [2.0, -1.0, 0.25];
        let (mut ab, mut gb, mut rb) = (a, g, r);
        assert!(solve_block(&mut ab, &mut gb, &mut rb));
        for c in 0..4 {
            let mut dense: Vec<f64> = a.iter().flatten().copied().collect();
            let mut want: Vec<f64> = (0..3).map(|i| if c < 3 { g[i][c] } else { r[i] }).collect();
            assert!(solve_dense(&mut dense, &mut want));
            for i in 0..3 {
                let got = if c < 3 { gb[i][c] } else { rb[i] };
                assert!(
                    (got - want[i]).abs() < 1e-14,
                    "column {c}: {gb:?} {rb:?} vs {want:?}"
                );
            }
        }
        let mut singular = [[1.0, 2.0, 0.0], [2.0, 4.0, 0.0], [0.0, 0.0, 1.0]];
        let (mut gs, mut rs) = (g, r);
        assert!(!solve_block(&mut singular, &mut gs, &mut rs));
    }

    #[test]
    fn dense_solve_pivots_and_detects_singularity() {
        let mut a = [0.0, 2.0, 1.0, 1.0];
        let mut b = [4.0, 3.0];
        assert!(solve_dense(&mut a, &mut b));
        assert!(
            (b[0] - 1.0).abs() < 1e-15 && (b[1] - 2.0).abs() < 1e-15,
            "{b:?}"
        );
        let mut a = [1.0, 2.0, 2.0, 4.0];
        let mut b = [1.0, 2.0];
        assert!(!solve_dense(&mut a, &mut b));
    }
}
