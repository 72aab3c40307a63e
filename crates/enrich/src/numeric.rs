//! Bracketed root finding shared by the solvers in this crate.
//!
//! Brent's method (R. P. Brent, "Algorithms for Minimization without Derivatives", 1973, ch. 4):
//! as safe as bisection, superlinear near the root. A bracket without a sign change and a run out
//! of iterations are typed errors, never a silent last iterate.

use crate::EnrichError;

/// Iteration cap for [`brent`]; bisection alone halves a bracket of 1 to 1e-30 in 100 steps.
const MAX_ITERATIONS: usize = 200;

/// Finds x in [a, b] with f(x) = 0, given f(a) and f(b) of opposite signs (or one of them zero).
///
/// Stops when the bracket is narrower than `x_tol` (absolute) or f hits zero exactly.
///
/// # Errors
/// [`EnrichError::Inconsistent`] if f(a) and f(b) have the same sign or are not finite;
/// [`EnrichError::NoConvergence`] after [`MAX_ITERATIONS`].
pub(crate) fn brent(
    solver: &'static str,
    mut f: impl FnMut(f64) -> f64,
    mut a: f64,
    mut b: f64,
    x_tol: f64,
) -> Result<f64, EnrichError> {
    let mut fa = f(a);
    let mut fb = f(b);
    if !(fa.is_finite() && fb.is_finite()) || fa * fb > 0.0 {
        return Err(EnrichError::Inconsistent(format!(
            "{solver}: no root between {a} and {b} (f = {fa} and {fb}, expected opposite signs)"
        )));
    }
    if fa == 0.0 {
        return Ok(a);
    }
    let mut c = a;
    let mut fc = fa;
    let mut d = b - a;
    let mut e = d;
    for _ in 0..MAX_ITERATIONS {
        if fb * fc > 0.0 {
            c = a;
            fc = fa;
            d = b - a;
            e = d;
        }
        if fc.abs() < fb.abs() {
            a = b;
            b = c;
            c = a;
            fa = fb;
            fb = fc;
            fc = fa;
        }
        let tol = 2.0 * f64::EPSILON * b.abs() + 0.5 * x_tol;
        let m = 0.5 * (c - b);
        if m.abs() <= tol || fb == 0.0 {
            return Ok(b);
        }
        if e.abs() >= tol && fa.abs() > fb.abs() {
            let s = fb / fa;
            let (mut p, mut q);
            // a and c are the same point (not merely close) after a bisection step: secant.
            #[allow(clippy::float_cmp)]
            let secant = a == c;
            if secant {
                p = 2.0 * m * s;
                q = 1.0 - s;
            } else {
                let qa = fa / fc;
                let r = fb / fc;
                p = s * (2.0 * m * qa * (qa - r) - (b - a) * (r - 1.0));
                q = (qa - 1.0) * (r - 1.0) * (s - 1.0);
            }
            if p > 0.0 {
                q = -q;
            } else {
                p = -p;
            }
            if 2.0 * p < (3.0 * m * q - (tol * q).abs()).min((e * q).abs()) {
                e = d;
                d = p / q;
            } else {
                d = m;
                e = m;
            }
        } else {
            d = m;
            e = m;
        }
        a = b;
        fa = fb;
        b += if d.abs() > tol { d } else { tol.copysign(m) };
        fb = f(b);
        if !fb.is_finite() {
            return Err(EnrichError::NoConvergence {
                solver,
                iterations: 0,
                residual: fb,
            });
        }
    }
    Err(EnrichError::NoConvergence {
        solver,
        iterations: MAX_ITERATIONS,
        residual: fb,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_known_roots() {
        let r = brent("test", |x| x * x - 2.0, 0.0, 2.0, 1e-15).unwrap();
        assert!((r - 2f64.sqrt()).abs() < 1e-14);
        let r = brent("test", |x| x.cos() - x, 0.0, 1.0, 1e-15).unwrap();
        assert!((r - 0.739_085_133_215_160_6).abs() < 1e-14);
        let r = brent("test", |x| (x - 1e-9) * 1e12, 0.0, 1.0, 1e-20).unwrap();
        assert!((r - 1e-9).abs() < 1e-18);
    }

    #[test]
    fn reports_a_bracket_without_sign_change() {
        let e = brent("test", |x| x * x + 1.0, -1.0, 1.0, 1e-12).unwrap_err();
        assert!(e.to_string().contains("opposite signs"), "{e}");
    }
}
