//! The parallel loop behind the vectorised functions (`swu_balance`, `convert_mass`): one engine
//! call per element of NumPy arrays broadcast to a common shape, on rayon's pool.
//!
//! It is laid out so that nothing runs serially over the elements once the loop is done, which
//! is where a profile of `breakout.swu` over 10⁶ elements found a third of the time
//! (docs/benchmarks.md): the output columns are allocated zeroed, so their pages are first
//! touched by the parallel writers rather than by a serial copy, and are filled in place, one
//! column each, not collected as tuples and split afterwards; each task reports the first
//! element it refused, so no scan for a marker value follows. The elements' arithmetic is the
//! engine's, untouched: every element equals the scalar command's answer exactly.

use std::borrow::Cow;

use ndarray::ArrayViewD;
use rayon::prelude::*;

/// Elements per rayon task: ~16 k elements take a few hundred µs, so a task's scheduling cost
/// (~1 µs) does not count, and 10⁶ elements make ~60 tasks, enough for two threads to even out
/// when one of them is held up by another process.
const ELEMENTS_PER_TASK: usize = 16 * 1024;

/// One input of the loop, already broadcast to the output's shape.
pub(crate) enum Column<'a> {
    /// One value for every element: a scalar, or an array broadcast along every axis.
    Same(f64),
    /// One value per element in C order: the caller's array when it is laid out so, else a copy
    /// (an array broadcast along some axes only, or a strided or Fortran-ordered one).
    Each(Cow<'a, [f64]>),
}

impl<'a> Column<'a> {
    /// The column of `view` (broadcast to the output's shape).
    pub(crate) fn new(view: ArrayViewD<'a, f64>) -> Self {
        if let (true, Some(&value)) = (view.strides().iter().all(|&s| s == 0), view.first()) {
            return Column::Same(value);
        }
        match view.to_slice() {
            Some(values) => Column::Each(Cow::Borrowed(values)),
            None => Column::Each(Cow::Owned(view.iter().copied().collect())),
        }
    }

    /// The value at flat (C-order) index `i`.
    pub(crate) fn at(&self, i: usize) -> f64 {
        match self {
            Column::Same(value) => *value,
            Column::Each(values) => values[i],
        }
    }
}

/// `OUT` columns of `len` elements, element `i` being `element` of the inputs' values at `i`, or
/// the flat index of the first element `element` refused (`None`).
pub(crate) fn fill<const IN: usize, const OUT: usize>(
    len: usize,
    inputs: &[Column<'_>; IN],
    element: impl Fn([f64; IN]) -> Option<[f64; OUT]> + Sync,
) -> Result<[Vec<f64>; OUT], usize> {
    // `vec![0.0; n]` is one `calloc`: fresh pages, zeroed by the kernel when first written.
    let mut columns: [Vec<f64>; OUT] = std::array::from_fn(|_| vec![0.0; len]);
    let mut pieces = columns.each_mut().map(|c| c.chunks_mut(ELEMENTS_PER_TASK));
    let tasks: Vec<[&mut [f64]; OUT]> = (0..len.div_ceil(ELEMENTS_PER_TASK))
        .map(|_| pieces.each_mut().map(|p| p.next().unwrap_or_default()))
        .collect();
    let first_refused = tasks
        .into_par_iter()
        .enumerate()
        .filter_map(|(task, mut out)| {
            let start = task * ELEMENTS_PER_TASK;
            let mut refused = None;
            for j in 0..len.saturating_sub(start).min(ELEMENTS_PER_TASK) {
                let i = start + j;
                match element(inputs.each_ref().map(|c| c.at(i))) {
                    Some(values) => {
                        for (column, value) in out.iter_mut().zip(values) {
                            column[j] = value;
                        }
                    }
                    None => {
                        refused.get_or_insert(i);
                    }
                }
            }
            refused
        })
        .min();
    match first_refused {
        Some(i) => Err(i),
        None => Ok(columns),
    }
}
