//! The linear solves the cascade models need, without allocation in the inner loops: a
//! tridiagonal system with unit diagonal (stage balances, factored once and reused for many
//! right-hand sides), a block-tridiagonal system with small dense blocks (the Newton step of a
//! long fixed cascade, O(stages)) and a small dense system (that of a short one).

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

/// Solves for `cols` right-hand sides at once (the columns of a short cascade's dense Newton
/// Jacobian): `b` is n×`cols`, row-major (row s = unknown s),
/// right-hand sides on entry, solutions on exit. Row operations run across all columns, so the
/// inner loop has no serial dependency and vectorises.
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

/// Largest block of [`solve_block_tridiagonal`]: five isotopes and one stage unknown.
pub(crate) const MAX_BLOCK: usize = 6;

/// Solves `a`·X = `x` in place for a b×b block `a` (row-major, overwritten) and `k` right-hand
/// sides (`x` is b×k row-major: row i belongs to unknown i), by Gaussian elimination with
/// partial pivoting. Returns false for a singular or non-finite block.
fn solve_block(a: &mut [f64], x: &mut [f64], b: usize, k: usize) -> bool {
    for col in 0..b {
        let (mut best, mut best_abs) = (col, a[col * b + col].abs());
        for r in col + 1..b {
            let v = a[r * b + col].abs();
            if v > best_abs {
                best = r;
                best_abs = v;
            }
        }
        if !(best_abs.is_finite() && best_abs > 0.0) {
            return false;
        }
        if best != col {
            for c in 0..b {
                a.swap(col * b + c, best * b + c);
            }
            for c in 0..k {
                x.swap(col * k + c, best * k + c);
            }
        }
        let p = a[col * b + col];
        for r in col + 1..b {
            let m = a[r * b + col] / p;
            if m != 0.0 {
                for c in col + 1..b {
                    a[r * b + c] -= m * a[col * b + c];
                }
                for c in 0..k {
                    x[r * k + c] -= m * x[col * k + c];
                }
            }
        }
    }
    for r in (0..b).rev() {
        let inv = 1.0 / a[r * b + r];
        for c in 0..k {
            let mut acc = x[r * k + c];
            for j in r + 1..b {
                acc -= a[r * b + j] * x[j * k + c];
            }
            x[r * k + c] = acc * inv;
        }
    }
    x[..b * k].iter().all(|v| v.is_finite())
}

/// Solves a block-tridiagonal system of `n` block rows with b×b blocks (b ≤ [`MAX_BLOCK`]) by
/// block elimination (block Thomas), pivoting inside each diagonal block: O(n·b³) instead of
/// the O((n·b)³) of a dense solve. Blocks are row-major, block row s at `[s·b², (s+1)·b²)`:
/// `lower` holds the block at (s, s−1) (block 0 unused), `diag` (s, s), `upper` (s, s+1) (the
/// last unused); `rhs` (n·b) holds the solution on exit. `diag` and `upper` are overwritten.
/// Returns false if a reduced diagonal block is singular or anything is non-finite.
///
/// Stability: the fixed-cascade Newton system it serves is an M-matrix in the flows (stage
/// balances, column diagonally dominant) bordered by one cut row per stage; eliminating stage
/// by stage from the tails end keeps the reduced blocks well conditioned there, which the
/// cascade tests check against the dense solve on random far-off-design cascades.
pub(crate) fn solve_block_tridiagonal(
    n: usize,
    b: usize,
    lower: &[f64],
    diag: &mut [f64],
    upper: &mut [f64],
    rhs: &mut [f64],
) -> bool {
    let bb = b * b;
    // Scratch: a copy of the reduced diagonal block and the right-hand sides [upper | rhs].
    let mut a = [0.0; MAX_BLOCK * MAX_BLOCK];
    let mut x = [0.0; MAX_BLOCK * (MAX_BLOCK + 1)];
    let k = b + 1;
    for s in 0..n {
        if s > 0 {
            // D'_s = D_s − L_s·G_{s−1}, r'_s = r_s − L_s·g_{s−1}, where G and g (stored in
            // `upper` and `rhs` of block row s−1) are D'_{s−1}⁻¹·U_{s−1} and D'_{s−1}⁻¹·r'_{s−1}.
            let (prev, cur) = rhs[(s - 1) * b..(s + 1) * b].split_at_mut(b);
            for i in 0..b {
                for j in 0..b {
                    let l = lower[s * bb + i * b + j];
                    if l != 0.0 {
                        for c in 0..b {
                            diag[s * bb + i * b + c] -= l * upper[(s - 1) * bb + j * b + c];
                        }
                        cur[i] -= l * prev[j];
                    }
                }
            }
        }
        a[..bb].copy_from_slice(&diag[s * bb..(s + 1) * bb]);
        for i in 0..b {
            for c in 0..b {
                x[i * k + c] = if s + 1 < n {
                    upper[s * bb + i * b + c]
                } else {
                    0.0
                };
            }
            x[i * k + b] = rhs[s * b + i];
        }
        if !solve_block(&mut a[..bb], &mut x[..b * k], b, k) {
            return false;
        }
        for i in 0..b {
            for c in 0..b {
                upper[s * bb + i * b + c] = x[i * k + c];
            }
            rhs[s * b + i] = x[i * k + b];
        }
    }
    // Back substitution: z_s = g_s − G_s·z_{s+1}.
    for s in (0..n.saturating_sub(1)).rev() {
        let (cur, next) = rhs[s * b..(s + 2) * b].split_at_mut(b);
        for (i, ci) in cur.iter_mut().enumerate() {
            let g = &upper[s * bb + i * b..s * bb + (i + 1) * b];
            *ci -= g.iter().zip(next.iter()).map(|(a, z)| a * z).sum::<f64>();
        }
    }
    rhs[..n * b].iter().all(|v| v.is_finite())
}

/// Solves the dense n×n system (a short cascade's Newton step) `a`·x = `b` (row-major `a`, overwritten) by Gaussian elimination
/// with partial pivoting; `b` holds x on exit. Returns false for a singular or non-finite matrix.
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

    /// A block-tridiagonal system (3 block rows of 2×2, one diagonal block needing a row swap)
    /// against the dense solve of the same matrix, and a singular one refused.
    #[test]
    fn block_tridiagonal_matches_the_dense_solve() {
        let (n, b) = (3, 2);
        let lower = [
            0.0, 0.0, 0.0, 0.0, 0.5, -1.0, 0.25, 0.0, -0.3, 0.2, 0.1, 0.4,
        ];
        let diag = [0.0, 2.0, 3.0, 1.0, 4.0, 1.0, -1.0, 3.0, 2.0, 0.5, 0.0, 5.0];
        let upper = [1.0, 0.0, -0.5, 2.0, 0.3, 0.0, 0.7, -1.0, 0.0, 0.0, 0.0, 0.0];
        let rhs = [1.0, -2.0, 0.5, 3.0, -1.0, 2.0];
        let mut dense = [0.0; 36];
        for s in 0..n {
            for i in 0..b {
                for j in 0..b {
                    let row = (s * b + i) * 6;
                    dense[row + s * b + j] = diag[s * 4 + i * b + j];
                    if s > 0 {
                        dense[row + (s - 1) * b + j] = lower[s * 4 + i * b + j];
                    }
                    if s + 1 < n {
                        dense[row + (s + 1) * b + j] = upper[s * 4 + i * b + j];
                    }
                }
            }
        }
        let mut want = rhs;
        assert!(solve_dense(&mut dense, &mut want));
        let (mut d, mut u, mut got) = (diag, upper, rhs);
        assert!(solve_block_tridiagonal(
            n, b, &lower, &mut d, &mut u, &mut got
        ));
        for (g, w) in got.iter().zip(want) {
            assert!((g - w).abs() < 1e-13, "{got:?} vs {want:?}");
        }
        let singular = [1.0, 2.0, 2.0, 4.0, 1.0, 0.0, 0.0, 1.0, 1.0, 0.0, 0.0, 1.0];
        let (mut d, mut u, mut r) = (singular, upper, rhs);
        assert!(!solve_block_tridiagonal(
            n, b, &lower, &mut d, &mut u, &mut r
        ));
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
